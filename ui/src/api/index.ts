// The UI's only door to Rust: typed wrappers over the Tauri commands. Types come from
// bindings.ts, generated from the Rust types.
import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  ApplyReport, AuditEntry, ConnectionView, CredentialSource, Decision, Diagnostics, Discovery, FieldError, ForeignGrant, FoundGrant, GrantListItem, GrantRequest, GrantStatus, HandoffView, Identity, OrgStatus,
  KeychainEntry, OrgDiscovery, Part, PeeringConnection, Plan, Preflight, Progress, ResyncReport, Revoked, SourceList, SourceOption, VendorProfile,
} from "./bindings";
import { asErrorPayload } from "../lib/errors";

export type * from "./bindings";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw asErrorPayload(error);
  }
}

/** A channel that hands each progress event the Rust side pushes to `listener`. */
function progress(listener: (event: Progress) => void): Channel<Progress> {
  const channel = new Channel<Progress>();
  channel.onmessage = listener;
  return channel;
}

export const api = {
  listSources: () => call<SourceList>("list_sources"),
  listKeychainSources: () => call<SourceList>("list_keychain_sources"),
  callerIdentity: (source: CredentialSource, region: string | null = null, mfaCode: string | null = null) => call<Identity>("caller_identity", { source, region, mfaCode }),
  validateKeychainEntry: (entry: KeychainEntry) => call<FieldError[]>("validate_keychain_entry", { entry }),
  saveKeychainEntry: (entry: KeychainEntry) => call<SourceOption>("save_keychain_entry", { entry }),
  deleteKeychainEntry: (name: string) => call<null>("delete_keychain_entry", { name }),
  vendorPresets: () => call<VendorProfile[]>("vendor_presets"),
  /** The first screen is usable (logged; the start-up benchmark reads it). */
  uiReady: () => call<null>("ui_ready"),
  loadVendor: (spec: string) => call<VendorProfile>("load_vendor", { spec }),
  /** The system's open dialog; null when the admin cancels. */
  chooseVendorFile: () => call<VendorProfile | null>("choose_vendor_file"),
  diagnostics: () => call<Diagnostics>("diagnostics"),
  grantConnections: (grantId: string) => call<ConnectionView[]>("grant_connections", { grantId }),
  decideConnection: (grantId: string, endpointId: string, decision: Decision, otherAccount: boolean) =>
    call<ConnectionView[]>("decide_connections", { grantId, endpointId, decision, otherAccount }),
  checkVendor: (profile: VendorProfile) => call<FieldError[]>("check_vendor", { profile }),
  preflight: (source: CredentialSource, parts: Part[]) => call<Preflight>("preflight", { source, parts }),
  discover: (source: CredentialSource, allRegions: boolean) => call<Discovery>("discover", { source, region: null, allRegions }),
  discoverOrganization: (source: CredentialSource, allRegions: boolean, accessRole: string | null = null) => call<OrgDiscovery>("discover_organization", { source, allRegions, accessRole }),
  peeringRequests: (source: CredentialSource, region: string, account: string | null, accessRole: string | null, vpcId: string) =>
    call<PeeringConnection[]>("peering_requests", { source, region, account, accessRole, vpcId }),
  checkRequest: (region: string, request: GrantRequest) => call<FieldError[]>("check_request", { region, request }),
  planGrant: (source: CredentialSource, region: string, request: GrantRequest) => call<Plan>("plan_grant", { source, region, request }),
  applyGrant: (grantId: string, listener: (event: Progress) => void) => call<ApplyReport>("apply_grant", { grantId, onProgress: progress(listener) }),
  cancelApply: (grantId: string) => call<boolean>("cancel_apply", { grantId }),
  grantSummary: (grantId: string) => call<HandoffView>("grant_summary", { grantId }),
  sendSummary: (grantId: string, url: string) => call<number>("send_summary", { grantId, url }),
  /** The system's save dialog; where the summary went, or null when the admin cancels. */
  saveSummaryAs: (grantId: string) => call<string | null>("save_summary_as", { grantId }),
  listGrants: () => call<GrantListItem[]>("list_grants"),
  accountGrants: (source: CredentialSource) => call<ForeignGrant[]>("account_grants", { source }),
  organizationGrants: (source: CredentialSource) => call<OrgStatus>("organization_grants", { source }),
  /** A grant recorded nowhere here, as its tags show it now. */
  foundGrantStatus: (source: CredentialSource, grantId: string) => call<FoundGrant>("found_grant_status", { source, grantId }),
  /** Removes everything that carries the tag of a grant recorded nowhere here, with its proof. */
  revokeFoundGrant: (source: CredentialSource, grantId: string, listener: (event: Progress) => void) =>
    call<Revoked>("revoke_found_grant", { source, grantId, onProgress: progress(listener) }),
  grantStatus: (grantId: string) => call<GrantStatus>("grant_status", { grantId }),
  revokeGrant: (grantId: string, accessOnly: boolean, listener: (event: Progress) => void, closeAccount: string | null = null) =>
    call<Revoked>("revoke_grant", { grantId, accessOnly, closeAccount, onProgress: progress(listener) }),
  /** The system's save dialog; where the proof's copy went, or null when the admin cancels. */
  exportProof: (grantId: string) => call<string | null>("export_proof", { grantId }),
  /** The resource's page in the AWS console, in the system's browser (console pages only). */
  openInConsole: (url: string) => call<null>("open_in_console", { url }),
  grantHistory: (grantId: string) => call<AuditEntry[]>("grant_history", { grantId }),
  discardGrant: (grantId: string) => call<null>("discard_grant", { grantId }),
  /** The system's save dialog, for the grant's record; where it went, or null when cancelled. */
  exportGrant: (grantId: string) => call<string | null>("export_grant", { grantId }),
  /** The system's open dialog, for a grant exported elsewhere; its plan, or null when cancelled. */
  adoptGrant: (source: CredentialSource, expected: string | null) => call<Plan | null>("adopt_grant", { source, expected }),
  resyncGrant: (grantId: string, targetIps: string[]) => call<ResyncReport>("resync_grant", { grantId, targetIps }),
};
