// What the credentials screen shows, as plain data, and what follows from it.
import type { CredentialSource, ErrorPayload, FieldError, Identity, SourceList, SourceOption } from "../../api/bindings";
import { EMPTY_FORM, type KeychainFormValues } from "../../lib/keychain-form";

export interface SourcesState {
  /** Profiles and the sandbox: they answer at once. */
  local: SourceList;
  /** The keychain may first wait for the admin to unlock it. */
  keychain: SourceList;
  keychainLoading: boolean;
  /** Why the last delete failed. */
  deleteError: ErrorPayload | null;
  selected: CredentialSource | null;
  /** The keychain entry whose delete waits for a confirmation. */
  confirmingDelete: string | null;
  checking: boolean;
  identity: Identity | null;
  identityError: ErrorPayload | null;
}

export interface KeychainFormState {
  values: KeychainFormValues;
  /** Fields the admin has typed in or left: only theirs show errors. */
  touched: Set<string>;
  fieldErrors: FieldError[];
  saveError: ErrorPayload | null;
  saving: boolean;
}

const NO_SOURCES: SourceList = { sources: [], problems: [] };

export function initialSources(): SourcesState {
  return {
    local: NO_SOURCES, keychain: NO_SOURCES, keychainLoading: true, deleteError: null, selected: null, confirmingDelete: null,
    checking: false, identity: null, identityError: null,
  };
}

export function initialForm(): KeychainFormState {
  return { values: { ...EMPTY_FORM }, touched: new Set(), fieldErrors: [], saveError: null, saving: false };
}

export function sameSource(a: CredentialSource | null, b: CredentialSource): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

export function allSources(state: Readonly<SourcesState>): SourceOption[] {
  return [...state.local.sources, ...state.keychain.sources];
}

export function selectedOption(state: Readonly<SourcesState>): SourceOption | null {
  return allSources(state).find((s) => sameSource(state.selected, s.source)) ?? null;
}

export function sourceProblems(state: Readonly<SourcesState>): ErrorPayload[] {
  return [...(state.deleteError ? [state.deleteError] : []), ...state.local.problems, ...state.keychain.problems];
}
