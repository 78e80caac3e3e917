import type { ErrorKind, ErrorPayload } from "../api/bindings";

const KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  "invalidInput", "notFound", "alreadyExists", "keychain", "config", "unreachable", "invalidCredentials",
  "noCredentials", "accessDenied", "throttled", "aws", "sandbox", "internal",
]);

/** Whatever a command rejected with, as the `{kind, message, hint, fields}` the Rust side sends. */
export function asErrorPayload(error: unknown): ErrorPayload {
  if (typeof error === "object" && error !== null) {
    const e = error as Partial<ErrorPayload>;
    if (typeof e.message === "string" && typeof e.kind === "string" && KINDS.has(e.kind as ErrorKind)) {
      return { kind: e.kind as ErrorKind, message: e.message, hint: typeof e.hint === "string" ? e.hint : "", fields: Array.isArray(e.fields) ? e.fields : [] };
    }
    if (error instanceof Error) {
      return { kind: "internal", message: error.message, hint: "This is a bug in VendorLink; please report it.", fields: [] };
    }
  }
  return { kind: "internal", message: String(error), hint: "This is a bug in VendorLink; please report it.", fields: [] };
}
