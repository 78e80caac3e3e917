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

export type VendorProfile = { 
/**
 * Short lowercase id used in tags and resource names (`datafold`).
 */
id: string, name: string, 
/**
 * One sentence on what the vendor does with the access, for the admin.
 */
description: string, 
/**
 * The vendor's AWS account; `None` when the vendor gives it on request.
 */
accountId: string | null, 
/**
 * ARNs to allow on the endpoint service and in the role's trust; empty means the account root.
 */
principals: Array<string>, 
/**
 * Addresses the vendor connects from, for an IP allowlist.
 */
ipRanges: Array<string>, 
/**
 * Regions the vendor reaches endpoint services from (cross-region PrivateLink).
 */
regions: Array<string>, 
/**
 * Availability-zone IDs the vendor can reach; empty means any.
 */
azIds: Array<string>, permissions: VendorPermissions, 
/**
 * The vendor role may be assumed only with MFA.
 */
requireMfa: boolean, 
/**
 * The vendor role's trust requires a generated `sts:ExternalId`.
 */
requireExternalId: boolean, };

export type VendorPermissions = { 
/**
 * AWS-managed or customer policies to attach (`arn:aws:iam::aws:policy/PowerUserAccess`).
 */
managedPolicyArns: Array<string>, 
/**
 * An IAM policy document (JSON text) to put inline on the role.
 */
inlinePolicy: string | null, };
