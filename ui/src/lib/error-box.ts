import type { ErrorPayload } from "../api/bindings";
import { h } from "./dom";

/** A refused command as the admin reads it: what went wrong, then what to do about it. */
export function errorBox(error: ErrorPayload, testId: string): HTMLElement {
  return h("div", { class: "error", role: "alert", "data-testid": testId, "data-kind": error.kind },
    h("p", { class: "error-message" }, error.message),
    error.hint ? h("p", { class: "error-hint" }, error.hint) : null);
}
