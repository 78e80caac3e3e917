// The form that stores an access key in the OS keychain. Its inputs are made once: redrawing
// errors must not take the caret away from the field being typed in.
import { h, mount } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";
import { visibleErrors, type KeychainFormValues } from "../../lib/keychain-form";
import type { KeychainFormState } from "./state";

type Key = keyof KeychainFormValues;

export interface KeychainFormHandlers {
  type(key: Key, value: string): void;
  /** The admin left a field: its errors count from now on. */
  leave(key: Key): void;
  save(): void;
}

export interface KeychainFormView {
  element: HTMLElement;
  show(state: Readonly<KeychainFormState>): void;
  /** Empties every field, once an entry is stored: the only time the form writes its inputs. */
  clear(): void;
}

function fieldErrorText(state: Readonly<KeychainFormState>, key: Key): string {
  const error = visibleErrors(state.fieldErrors, state.touched).get(key);
  return error ? `${error.message} ${error.hint}` : "";
}

export function createKeychainForm(handlers: KeychainFormHandlers): KeychainFormView {
  const inputs = new Map<Key, HTMLInputElement>();
  const errorSlots = new Map<Key, HTMLElement>();
  const saveArea = h("div");
  const saveButton = h("button", { class: "primary", type: "submit", "data-testid": "save-entry" }, "Save to keychain");

  function field(key: Key, label: string, options: { type?: string; placeholder?: string; help?: string; optional?: boolean } = {}): HTMLElement {
    const id = `kc-${key}`;
    const input = h("input", {
      id, name: key, type: options.type ?? "text", placeholder: options.placeholder, autocomplete: "off", spellcheck: "false",
      "data-testid": `field-${key}`, "aria-describedby": `${id}-error`,
      oninput: () => handlers.type(key, input.value),
      onblur: () => handlers.leave(key),
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

  const element = h("form", {
    class: "card", "data-testid": "keychain-form", "aria-label": "Store an access key",
    onsubmit: (event) => { event.preventDefault(); handlers.save(); },
  },
    h("h3", {}, "Store an access key in the OS keychain"),
    h("p", { class: "muted" }, "The secret goes to the system keychain only: VendorLink never writes it to a file or shows it again."),
    field("name", "Name", { placeholder: "A name you will recognise" }),
    field("accessKeyId", "Access key ID", { placeholder: "Starts with AKIA" }),
    field("secretAccessKey", "Secret access key", { type: "password" }),
    field("region", "Default region", { placeholder: "Region code", optional: true }),
    field("mfaSerial", "MFA device ARN", { placeholder: "Its ARN, from IAM → Security credentials", optional: true, help: "Needed when this user's policies require MFA." }),
    saveArea,
    h("div", { class: "actions" }, saveButton));

  return {
    element,
    show(state) {
      for (const [key, slot] of errorSlots) {
        const message = fieldErrorText(state, key);
        slot.textContent = message;
        inputs.get(key)?.setAttribute("aria-invalid", message ? "true" : "false");
      }
      mount(saveArea, state.saveError ? errorBox(state.saveError, "save-error") : null);
      saveButton.disabled = state.saving;
    },
    clear() {
      for (const input of inputs.values()) input.value = "";
    },
  };
}
