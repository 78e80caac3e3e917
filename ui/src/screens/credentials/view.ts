// The credentials screen drawn from its state. Rows, problems and the identity card are drawn
// anew; the containers, the "Check identity" button and the MFA field are made once and only
// updated, so keyboard focus and a typed code survive a redraw.
import type { CredentialSource, SourceOption } from "../../api/bindings";
import { h, mount } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";
import { allSources, sameSource, selectedOption, sourceProblems, type SourcesState } from "./state";

const KIND_LABEL = { sandbox: "Sandbox", profile: "AWS profile", keychain: "Keychain" } as const;

export interface SourceHandlers {
  pick(source: CredentialSource): void;
  /** A double click: picked and checked at once. */
  pickAndCheck(source: CredentialSource): void;
  checkIdentity(): void;
  askDelete(name: string): void;
  cancelDelete(): void;
  confirmDelete(name: string): void;
}

function renderProblems(state: Readonly<SourcesState>): HTMLElement[] {
  return sourceProblems(state).map((p) => errorBox(p, "source-problem"));
}

function renderSourceRow(option: SourceOption, state: Readonly<SourcesState>, handlers: SourceHandlers): HTMLElement {
  const isSelected = sameSource(state.selected, option.source);
  const row = h("div", { class: `source${isSelected ? " selected" : ""}`, "data-testid": "source", "data-kind": option.kind, "data-label": option.label },
    h("button", {
      type: "button", role: "radio", "aria-checked": isSelected ? "true" : "false", class: "source-pick",
      "data-testid": "source-pick", onclick: () => handlers.pick(option.source), ondblclick: () => handlers.pickAndCheck(option.source),
    },
      h("span", { class: `badge badge-${option.kind}` }, KIND_LABEL[option.kind]),
      h("span", { class: "source-label" }, option.label),
      h("span", { class: "source-detail", "data-testid": "source-detail" }, option.detail)),
  );
  if (option.source.type === "keychain") {
    const name = option.source.name;
    row.append(state.confirmingDelete === name
      ? h("div", { class: "confirm", role: "group", "aria-label": `Confirm deleting ${name}` },
        h("span", {}, "Delete from the keychain?"),
        h("button", { type: "button", class: "danger", "data-testid": "confirm-delete", onclick: () => handlers.confirmDelete(name) }, "Delete"),
        h("button", { type: "button", "data-testid": "cancel-delete", onclick: handlers.cancelDelete }, "Cancel"))
      : h("button", {
        type: "button", class: "danger subtle", "data-testid": "delete-entry", "aria-label": `Delete keychain entry ${name}`, onclick: () => handlers.askDelete(name),
      }, "Delete"));
  }
  return row;
}

/** The line under the rows. It is there whenever the keychain said nothing yet or had nothing, so the button below keeps its place. */
function renderListStatus(state: Readonly<SourcesState>): HTMLElement | null {
  if (state.keychainLoading) return h("p", { class: "muted", "data-testid": "keychain-loading" }, "Reading the OS keychain… your system may ask you to unlock it.");
  if (allSources(state).length === 0) {
    return h("p", { class: "muted", "data-testid": "no-sources" }, "No credentials found. Store an access key below, or run `aws configure` in a terminal.");
  }
  if (state.keychain.sources.length === 0 && state.keychain.problems.length === 0) {
    return h("p", { class: "muted", "data-testid": "keychain-empty" }, "No access key stored in the OS keychain; “Add an access key…” stores one.");
  }
  return null;
}

function renderIdentity(state: Readonly<SourcesState>, handlers: SourceHandlers): HTMLElement | null {
  if (state.checking) return h("p", { class: "muted", "data-testid": "identity-checking" }, "Asking AWS STS who these credentials are…");
  if (state.identityError) return errorBox(state.identityError, "identity-error", () => handlers.checkIdentity());
  const identity = state.identity;
  if (!identity) return null;
  const row = (label: string, value: string, testId: string) => h("div", { class: "kv" }, h("dt", {}, label), h("dd", { "data-testid": testId }, value));
  return h("section", { class: "card identity", "data-testid": "identity", "aria-label": "Caller identity" },
    h("h3", {}, "Signed in as"),
    h("dl", {},
      row("Account", identity.account, "identity-account"),
      row("ARN", identity.arn, "identity-arn"),
      row("Region", identity.region, "identity-region"),
      identity.endpoint ? row("Endpoint", identity.endpoint, "identity-endpoint") : null));
}

export interface CredentialsView {
  /** The problems, the list and the controls under it. */
  showSources(state: Readonly<SourcesState>): void;
  showIdentity(state: Readonly<SourcesState>): void;
  /** What is in the MFA field now (read when asking, as the admin typed it). */
  mfaCode(): string;
  /** The key was stored: its dialog goes. */
  closeKeyDialog(): void;
}

/** Lays the screen out in `root`: the keychain form in a dialog of its own (so it never pushes
 * the step's buttons away), `afterIdentity` (the wizard's permission check) right under the identity. */
export function mountCredentialsView(root: HTMLElement, handlers: SourceHandlers, keyForm: HTMLElement, afterIdentity: HTMLElement | null): CredentialsView {
  const problemArea = h("div");
  const list = h("div", { class: "source-list", role: "radiogroup", "aria-label": "Credentials", "data-testid": "source-list" });
  // Shown for keychain entries with an MFA device: the code opens a session kept in memory.
  const mfaInput = h("input", { id: "mfa-code", "data-testid": "mfa-code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6, placeholder: "From your device" });
  const mfaField = h("div", { class: "inline-form", hidden: true }, h("label", { for: "mfa-code" }, "MFA code"), mfaInput);
  const useButton = h("button", { class: "primary", type: "button", "data-testid": "use-source", onclick: handlers.checkIdentity }, "Check identity");
  const identityArea = h("div", { "data-testid": "identity-area" });
  const keyDialog = h("dialog", { class: "key-dialog", "data-testid": "keychain-dialog", "aria-label": "Store an access key" },
    keyForm,
    h("div", { class: "actions" }, h("button", { type: "button", "data-testid": "close-key-dialog", onclick: () => keyDialog.close() }, "Close")));
  const addKey = h("button", { type: "button", "data-testid": "add-key", onclick: () => keyDialog.showModal() }, "Add an access key…");
  mount(root,
    h("section", { class: "screen", "data-testid": "credentials-screen" },
      h("h2", {}, "AWS credentials"),
      h("p", { class: "lead" }, "Choose the credentials VendorLink acts with in your account. Nothing is changed in AWS on this screen."),
      problemArea,
      list,
      mfaField,
      h("div", { class: "actions spread" }, addKey, useButton),
      identityArea,
      afterIdentity,
      keyDialog));
  return {
    showSources(state) {
      mount(problemArea, ...renderProblems(state));
      mount(list, ...allSources(state).map((option) => renderSourceRow(option, state, handlers)), renderListStatus(state));
      useButton.disabled = state.selected === null || state.checking;
      mfaField.hidden = !(selectedOption(state)?.mfa ?? false);
      useButton.textContent = state.checking ? "Checking…" : "Check identity";
    },
    showIdentity(state) {
      mount(identityArea, renderIdentity(state, handlers));
    },
    mfaCode: () => mfaInput.value,
    closeKeyDialog: () => { if (keyDialog.open) keyDialog.close(); },
  };
}
