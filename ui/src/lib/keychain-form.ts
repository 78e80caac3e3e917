import type { FieldError, KeychainEntry } from "../api/bindings";

/** The form's raw text fields. */
export interface KeychainFormValues {
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  mfaSerial: string;
}

export const EMPTY_FORM: KeychainFormValues = { name: "", accessKeyId: "", secretAccessKey: "", region: "", mfaSerial: "" };

/** What the form sends to Rust: optional fields left blank become null. */
export function entryFromForm(values: KeychainFormValues): KeychainEntry {
  const optional = (v: string) => (v.trim() === "" ? null : v.trim());
  return {
    name: values.name,
    accessKeyId: values.accessKeyId.trim(),
    secretAccessKey: values.secretAccessKey,
    region: optional(values.region),
    mfaSerial: optional(values.mfaSerial),
  };
}

/**
 * Errors to show while typing: only for fields the admin has already touched, so an empty
 * form is not a wall of red. On submit every field counts as touched.
 */
export function visibleErrors(errors: FieldError[], touched: ReadonlySet<string>): Map<string, FieldError> {
  const out = new Map<string, FieldError>();
  for (const error of errors) {
    if (touched.has(error.field) && !out.has(error.field)) out.set(error.field, error);
  }
  return out;
}
