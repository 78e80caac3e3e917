// Credentials: pick an AWS profile, a keychain entry or the sandbox, see who it is; store a
// new access key in the OS keychain. This controller owns the state and the calls to Rust;
// view.ts and keychain-form-view.ts draw.
import { api } from "../../api";
import type { CredentialSource, ErrorPayload, Identity, SourceList } from "../../api";
import { EMPTY_FORM, entryFromForm } from "../../lib/keychain-form";
import { Latest } from "../../lib/latest";
import { createKeychainForm } from "./keychain-form-view";
import { allSources, initialForm, initialSources, sameSource, selectedOption } from "./state";
import { mountCredentialsView } from "./view";

export interface CredentialsOptions {
  /** Hears about every identity check that counts (the wizard's "Next" waits for one), and of every new pick, with null. */
  onIdentity?: (source: CredentialSource, identity: Identity | null) => void;
  /** Shown right under the identity (the wizard's permission check). */
  afterIdentity?: HTMLElement;
}

export function credentialsScreen(root: HTMLElement, { onIdentity, afterIdentity }: CredentialsOptions = {}): void {
  const state = initialSources();
  const form = initialForm();
  // An identity answer is for the source that was picked when it was asked: a new pick drops it.
  const identityCheck = new Latest();
  const validation = new Latest();

  const formView = createKeychainForm({
    type: (key, value) => {
      form.values[key] = value;
      form.touched.add(key);
      void validate();
    },
    leave: (key) => {
      form.touched.add(key);
      void validate();
    },
    save: () => void save(),
  });
  const view = mountCredentialsView(root, {
    pick,
    pickAndCheck: (source) => {
      pick(source);
      void checkIdentity();
    },
    checkIdentity: () => void checkIdentity(),
    askDelete: (name) => {
      state.confirmingDelete = name;
      view.showSources(state);
    },
    cancelDelete: () => {
      state.confirmingDelete = null;
      view.showSources(state);
    },
    confirmDelete: (name) => void deleteEntry(name),
  }, formView.element, afterIdentity ?? null);

  function choose(source: CredentialSource | null): void {
    identityCheck.begin();
    state.selected = source;
    state.identity = null;
    state.identityError = null;
  }

  function pick(source: CredentialSource): void {
    choose(source);
    onIdentity?.(source, null);
    view.showSources(state);
    view.showIdentity(state);
  }

  async function load(ask: () => Promise<SourceList>): Promise<SourceList> {
    try {
      return await ask();
    } catch (error) {
      return { sources: [], problems: [error as ErrorPayload] };
    }
  }

  async function refresh(): Promise<void> {
    state.keychainLoading = true;
    const keychainDone = load(api.listKeychainSources).then((result) => {
      state.keychain = result;
      state.keychainLoading = false;
    });
    state.local = await load(api.listSources);
    view.showSources(state);
    await keychainDone;
    if (state.selected && !allSources(state).some((s) => sameSource(state.selected, s.source))) {
      choose(null);
      view.showIdentity(state);
    }
    view.showSources(state);
  }

  async function checkIdentity(): Promise<void> {
    const asked = state.selected;
    if (!asked || state.checking) return;
    const ask = identityCheck.begin();
    state.checking = true;
    state.identity = null;
    state.identityError = null;
    view.showSources(state);
    view.showIdentity(state);
    try {
      const answer = await api.callerIdentity(asked, null, selectedOption(state)?.mfa ? view.mfaCode() : null);
      if (!ask.isCurrent()) return;
      state.identity = answer;
      onIdentity?.(asked, answer);
    } catch (error) {
      if (!ask.isCurrent()) return;
      state.identityError = error as ErrorPayload;
      onIdentity?.(asked, null);
    } finally {
      state.checking = false;
      view.showSources(state);
      view.showIdentity(state);
    }
  }

  async function deleteEntry(name: string): Promise<void> {
    state.confirmingDelete = null;
    try {
      await api.deleteKeychainEntry(name);
      if (state.selected?.type === "keychain" && state.selected.name === name) {
        choose(null);
        view.showIdentity(state);
      }
      state.deleteError = null;
    } catch (error) {
      state.deleteError = error as ErrorPayload;
    }
    await refresh();
  }

  async function validate(): Promise<void> {
    const ask = validation.begin();
    try {
      const errors = await api.validateKeychainEntry(entryFromForm(form.values));
      if (!ask.isCurrent()) return; // a newer keystroke already asked
      form.fieldErrors = errors;
    } catch (error) {
      form.saveError = error as ErrorPayload;
    }
    formView.show(form);
  }

  async function save(): Promise<void> {
    for (const key of Object.keys(form.values)) form.touched.add(key);
    form.saveError = null;
    form.saving = true;
    formView.show(form);
    try {
      const option = await api.saveKeychainEntry(entryFromForm(form.values));
      form.values = { ...EMPTY_FORM };
      formView.clear();
      form.touched.clear();
      form.fieldErrors = [];
      view.closeKeyDialog();
      choose(option.source);
      await refresh();
      view.showIdentity(state);
    } catch (error) {
      const payload = error as ErrorPayload;
      if (payload.fields.length > 0) form.fieldErrors = payload.fields;
      else form.saveError = payload;
    } finally {
      form.saving = false;
      formView.show(form);
    }
  }

  view.showSources(state);
  formView.show(form);
  void refresh();
}
