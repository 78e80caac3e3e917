// Generated from the Rust types by src-tauri/bindings.rs. Do not edit by hand:
// run `VENDORLINK_WRITE_BINDINGS=1 cargo test bindings` after changing them.

export type CredentialSource = { "type": "sandbox" } | { "type": "profile", name: string, } | { "type": "keychain", name: string, };

export type SourceKind = "sandbox" | "profile" | "keychain";

export type SourceOption = { source: CredentialSource, kind: SourceKind, label: string, 
/**
 * Region, masked key id, MFA device or endpoint: never a secret.
 */
detail: string, };

export type SourceList = { sources: Array<SourceOption>, problems: Array<ErrorPayload>, };

export type Identity = { account: string, arn: string, userId: string, region: string, 
/**
 * The endpoint the SDK talked to when it is not AWS's own (sandbox, emulator).
 */
endpoint: string | null, };

export type KeychainEntry = { name: string, accessKeyId: string, secretAccessKey: string, region: string | null, mfaSerial: string | null, };

export type KeychainEntrySummary = { name: string, 
/**
 * `AKIA…WXYZ`: enough to tell keys apart, not enough to use one.
 */
accessKeyHint: string, region: string | null, mfaSerial: string | null, };

export type FieldError = { 
/**
 * The input's name as the UI and CLI call it (`accessKeyId`, `region`...).
 */
field: string, message: string, hint: string, };

export type ErrorKind = "invalidInput" | "notFound" | "alreadyExists" | "keychain" | "config" | "unreachable" | "invalidCredentials" | "noCredentials" | "accessDenied" | "throttled" | "aws" | "sandbox" | "internal";

export type ErrorPayload = { kind: ErrorKind, message: string, hint: string, fields: Array<FieldError>, };
