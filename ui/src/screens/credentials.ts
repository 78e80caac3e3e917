// Credentials: pick an AWS profile, a keychain entry or the sandbox, see who it is; store a
// new access key in the OS keychain.
import { api } from "../api";
import type { CredentialSource, ErrorPayload, FieldError, Identity, SourceList, SourceOption } from "../api";
import { h, mount } from "../lib/dom";
import { EMPTY_FORM, entryFromForm, visibleErrors, type KeychainFormValues } from "../lib/keychain-form";

const KIND_LABEL = { sandbox: "Sandbox", profile: "AWS profile", keychain: "Keychain" } as const;

function sameSource(a: CredentialSource | null, b: CredentialSource): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

export function errorBox(error: ErrorPayload, testId: string): HTMLElement {
  return h("div", { class: "error", role: "alert", "data-testid": testId, "data-kind": error.kind },
    h("p", { class: "error-message" }, error.message),
    error.hint ? h("p", { class: "error-hint" }, error.hint) : null);
}

/** `onIdentity` hears about every successful identity check (the wizard's "Next" waits for one). */
export function credentialsScreen(root: HTMLElement, onIdentity?: (source: CredentialSource, identity: Identity | null) => void): void {
  // Profiles and sandbox answer at once; the keychain may first wait for the user to unlock it.
  let local: SourceList = { sources: [], problems: [] };
  let keychain: SourceList = { sources: [], problems: [] };
  let keychainLoading = true;
  let failure: ErrorPayload | null = null;
  const allSources = () => [...local.sources, ...keychain.sources];
  let selected: CredentialSource | null = null;
  let identity: Identity | null = null;
  let identityError: ErrorPayload | null = null;
  let checking = false;
  let confirmingDelete: string | null = null;

  const form: KeychainFormValues = { ...EMPTY_FORM };
  const touched = new Set<string>();
  let fieldErrors: FieldError[] = [];
  let saveError: ErrorPayload | null = null;
  let saving = false;

  const list = h("div", { class: "source-list", role: "radiogroup", "aria-label": "Credentials", "data-testid": "source-list" });
  const problemArea = h("div");
  const useButton = h("button", { class: "primary", type: "button", "data-testid": "use-source", onclick: () => void checkIdentity() }, "Check identity");
  // Shown for keychain entries with an MFA device: the code opens a session kept in memory.
  const mfaInput = h("input", { id: "mfa-code", "data-testid": "mfa-code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6, placeholder: "123456" });
  const mfaField = h("div", { class: "inline-form", hidden: true }, h("label", { for: "mfa-code" }, "MFA code"), mfaInput);
  const selectedOption = () => allSources().find((s) => sameSource(selected, s.source)) ?? null;
  const identityArea = h("div", { "data-testid": "identity-area" });

  async function load(ask: () => Promise<SourceList>): Promise<SourceList> {
    try {
      return await ask();
    } catch (error) {
      return { sources: [], problems: [error as ErrorPayload] };
    }
  }

  function forgetMissingSelection(): void {
    if (selected && !allSources().some((s) => sameSource(selected, s.source))) selected = null;
  }

  async function refresh(): Promise<void> {
    keychainLoading = true;
    const keychainDone = load(api.listKeychainSources).then((result) => {
      keychain = result;
      keychainLoading = false;
    });
    local = await load(api.listSources);
    renderSources();
    await keychainDone;
    forgetMissingSelection();
    renderSources();
  }

  function renderSources(): void {
    const problems = [...(failure ? [failure] : []), ...local.problems, ...keychain.problems];
    mount(problemArea, ...problems.map((p) => errorBox(p, "source-problem")));
    const sources = allSources();
    mount(list,
      ...sources.map(sourceRow),
      keychainLoading
        ? h("p", { class: "muted", "data-testid": "keychain-loading" }, "Reading the OS keychain… your system may ask you to unlock it.")
        : sources.length === 0
          ? h("p", { class: "muted", "data-testid": "no-sources" },
            "No credentials found. Store an access key below, or run `aws configure` in a terminal.")
          : keychain.sources.length === 0 && keychain.problems.length === 0
            // Keeps the line the loading message took: the button below does not jump.
            ? h("p", { class: "muted", "data-testid": "keychain-empty" }, "No access key stored in the OS keychain; you can store one below.")
            : null);
    useButton.disabled = selected === null || checking;
    mfaField.hidden = !(selectedOption()?.mfa ?? false);
    useButton.textContent = checking ? "Checking…" : "Check identity";
  }

  function sourceRow(option: SourceOption): HTMLElement {
    const isSelected = sameSource(selected, option.source);
    const select = () => {
      selected = option.source;
      identity = null;
      identityError = null;
      onIdentity?.(option.source, null);
      renderSources();
      renderIdentity();
    };
    const row = h("div", { class: `source${isSelected ? " selected" : ""}`, "data-testid": "source", "data-kind": option.kind, "data-label": option.label },
      h("button", {
        type: "button", role: "radio", "aria-checked": isSelected ? "true" : "false", class: "source-pick",
        "data-testid": "source-pick", onclick: select, ondblclick: () => { select(); void checkIdentity(); },
      },
        h("span", { class: `badge badge-${option.kind}` }, KIND_LABEL[option.kind]),
        h("span", { class: "source-label" }, option.label),
        h("span", { class: "source-detail", "data-testid": "source-detail" }, option.detail)),
    );
    if (option.source.type === "keychain") {
      const name = option.source.name;
      if (confirmingDelete === name) {
        row.append(h("div", { class: "confirm", role: "group", "aria-label": `Confirm deleting ${name}` },
          h("span", {}, "Delete from the keychain?"),
          h("button", { type: "button", class: "danger", "data-testid": "confirm-delete", onclick: () => void deleteEntry(name) }, "Delete"),
          h("button", { type: "button", "data-testid": "cancel-delete", onclick: () => { confirmingDelete = null; renderSources(); } }, "Cancel")));
      } else {
        row.append(h("button", {
          type: "button", class: "danger subtle", "data-testid": "delete-entry", "aria-label": `Delete keychain entry ${name}`,
          onclick: () => { confirmingDelete = name; renderSources(); },
        }, "Delete"));
      }
    }
    return row;
  }

  async function checkIdentity(): Promise<void> {
    if (!selected || checking) return;
    checking = true;
    identity = null;
    identityError = null;
    renderSources();
    renderIdentity();
    // The answer is for the source asked about: if the admin picked another meanwhile, it is dropped.
    const asked = selected;
    try {
      const answer = await api.callerIdentity(asked, null, selectedOption()?.mfa ? mfaInput.value : null);
      if (!sameSource(selected, asked)) return;
      identity = answer;
      onIdentity?.(asked, identity);
    } catch (error) {
      if (!sameSource(selected, asked)) return;
      identityError = error as ErrorPayload;
      onIdentity?.(asked, null);
    } finally {
      checking = false;
      renderSources();
      renderIdentity();
    }
  }

  function renderIdentity(): void {
    if (checking) {
      mount(identityArea, h("p", { class: "muted", "data-testid": "identity-checking" }, "Asking AWS STS who these credentials are…"));
    } else if (identityError) {
      mount(identityArea, errorBox(identityError, "identity-error"));
    } else if (identity) {
      const row = (label: string, value: string, testId: string) =>
        h("div", { class: "kv" }, h("dt", {}, label), h("dd", { "data-testid": testId }, value));
      mount(identityArea, h("section", { class: "card identity", "data-testid": "identity", "aria-label": "Caller identity" },
        h("h3", {}, "Signed in as"),
        h("dl", {},
          row("Account", identity.account, "identity-account"),
          row("ARN", identity.arn, "identity-arn"),
          row("Region", identity.region, "identity-region"),
          identity.endpoint ? row("Endpoint", identity.endpoint, "identity-endpoint") : null)));
    } else {
      mount(identityArea);
    }
  }

  async function deleteEntry(name: string): Promise<void> {
    confirmingDelete = null;
    try {
      await api.deleteKeychainEntry(name);
      if (selected?.type === "keychain" && selected.name === name) {
        selected = null;
        identity = null;
        identityError = null;
        renderIdentity();
      }
      failure = null;
    } catch (error) {
      failure = error as ErrorPayload;
    }
    await refresh();
  }

  // --- The keychain form -------------------------------------------------------------
  const inputs = new Map<keyof KeychainFormValues, HTMLInputElement>();
  const errorSlots = new Map<string, HTMLElement>();
  const saveArea = h("div");
  const saveButton = h("button", { class: "primary", type: "submit", "data-testid": "save-entry" }, "Save to keychain");

  function field(key: keyof KeychainFormValues, label: string, options: { type?: string; placeholder?: string; help?: string; optional?: boolean } = {}): HTMLElement {
    const id = `kc-${key}`;
    const input = h("input", {
      id, name: key, type: options.type ?? "text", placeholder: options.placeholder, autocomplete: "off", spellcheck: "false",
      "data-testid": `field-${key}`, "aria-describedby": `${id}-error`,
      oninput: () => { form[key] = input.value; touched.add(key); void validate(); },
      onblur: () => { touched.add(key); void validate(); },
    });
    inputs.set(key, input);
    const slot = h("p", { class: "field-error", id: `${id}-error`, "data-testid": `error-${key}` });
    errorSlots.set(key, slot);
    return h("div", { class: "field" },
      h("label", { for: id }, label, options.optional ? h("span", { class: "muted" }, " (optional)") : null),
      input,
      options.help ? h("p", { class: "help" }, options.help) : null,
      slot);
  }

  let validation = 0;
  async function validate(): Promise<void> {
    const ticket = ++validation;
    try {
      const errors = await api.validateKeychainEntry(entryFromForm(form));
      if (ticket !== validation) return; // a newer keystroke already asked
      fieldErrors = errors;
    } catch (error) {
      saveError = error as ErrorPayload;
    }
    renderFormErrors();
  }

  function renderFormErrors(): void {
    const shown = visibleErrors(fieldErrors, touched);
    for (const [key, slot] of errorSlots) {
      const error = shown.get(key);
      slot.textContent = error ? `${error.message} ${error.hint}` : "";
      inputs.get(key as keyof KeychainFormValues)?.setAttribute("aria-invalid", error ? "true" : "false");
    }
    mount(saveArea, saveError ? errorBox(saveError, "save-error") : null);
    saveButton.disabled = saving;
  }

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    for (const key of Object.keys(form)) touched.add(key);
    saveError = null;
    saving = true;
    renderFormErrors();
    try {
      const option = await api.saveKeychainEntry(entryFromForm(form));
      Object.assign(form, EMPTY_FORM);
      for (const input of inputs.values()) input.value = "";
      touched.clear();
      fieldErrors = [];
      selected = option.source;
      identity = null;
      identityError = null;
      await refresh();
      renderIdentity();
    } catch (error) {
      const payload = error as ErrorPayload;
      if (payload.fields.length > 0) fieldErrors = payload.fields;
      else saveError = payload;
    } finally {
      saving = false;
      renderFormErrors();
    }
  }

  const keyForm = h("form", { class: "card", "data-testid": "keychain-form", "aria-label": "Store an access key", onsubmit: (e) => void save(e) },
    h("h3", {}, "Store an access key in the OS keychain"),
    h("p", { class: "muted" }, "The secret goes to the system keychain only: VendorLink never writes it to a file or shows it again."),
    field("name", "Name", { placeholder: "prod-admin" }),
    field("accessKeyId", "Access key ID", { placeholder: "AKIA…" }),
    field("secretAccessKey", "Secret access key", { type: "password" }),
    field("region", "Default region", { placeholder: "us-east-1", optional: true }),
    field("mfaSerial", "MFA device ARN", { placeholder: "arn:aws:iam::123456789012:mfa/you", optional: true, help: "Needed when this user's policies require MFA." }),
    saveArea,
    h("div", { class: "actions" }, saveButton));

  mount(root,
    h("section", { class: "screen", "data-testid": "credentials-screen" },
      h("h2", {}, "AWS credentials"),
      h("p", { class: "lead" }, "Choose the credentials VendorLink acts with in your account. Nothing is changed in AWS on this screen."),
      problemArea,
      list,
      mfaField,
      h("div", { class: "actions" }, useButton),
      identityArea,
      keyForm));
  renderSources();
  renderFormErrors();
  void refresh();
}
