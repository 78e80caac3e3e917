// The UI's only door to Rust: typed wrappers over the Tauri commands. Types come from
// bindings.ts, generated from the Rust types.
import { invoke } from "@tauri-apps/api/core";
import type { CredentialSource, FieldError, Identity, KeychainEntry, SourceList, SourceOption } from "./bindings";
import { asErrorPayload } from "../lib/errors";

export type * from "./bindings";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw asErrorPayload(error);
  }
}

export const api = {
  listSources: () => call<SourceList>("list_sources"),
  listKeychainSources: () => call<SourceList>("list_keychain_sources"),
  callerIdentity: (source: CredentialSource, region: string | null = null) => call<Identity>("caller_identity", { source, region }),
  validateKeychainEntry: (entry: KeychainEntry) => call<FieldError[]>("validate_keychain_entry", { entry }),
  saveKeychainEntry: (entry: KeychainEntry) => call<SourceOption>("save_keychain_entry", { entry }),
  deleteKeychainEntry: (name: string) => call<null>("delete_keychain_entry", { name }),
};
