import type { ErrorKind, ErrorPayload } from "../api/bindings";

// Listed as a record so that a kind added on the Rust side fails the type check here.
const KIND_RECORD: Record<ErrorKind, true> = {
  invalidInput: true, notFound: true, alreadyExists: true, keychain: true, config: true, journal: true, unreachable: true,
  invalidCredentials: true, noCredentials: true, mfaRequired: true, accessDenied: true, throttled: true, aws: true, delivery: true, sandbox: true,
  incomplete: true, revoked: true, busy: true, cancelled: true, internal: true,
};
const KINDS: ReadonlySet<string> = new Set(Object.keys(KIND_RECORD));

/** Whatever a command rejected with, as the `{kind, message, hint, fields}` the Rust side sends. */
export function asErrorPayload(error: unknown): ErrorPayload {
  if (typeof error === "object" && error !== null) {
    const e = error as Partial<ErrorPayload>;
    if (typeof e.message === "string" && typeof e.kind === "string" && KINDS.has(e.kind as ErrorKind)) {
      return {
        kind: e.kind as ErrorKind, message: e.message, hint: typeof e.hint === "string" ? e.hint : "", fields: Array.isArray(e.fields) ? e.fields : [],
        detail: typeof e.detail === "string" ? e.detail : "",
      };
    }
    if (error instanceof Error) {
      return { kind: "internal", message: error.message, hint: "This is a bug in VendorLink; please report it.", fields: [], detail: error.stack ?? "" };
    }
  }
  return { kind: "internal", message: String(error), hint: "This is a bug in VendorLink; please report it.", fields: [], detail: "" };
}

/** Failures that may pass by themselves, for which the window offers to try again. */
export function mayPass(error: ErrorPayload): boolean {
  return error.kind === "throttled" || error.kind === "unreachable";
}
