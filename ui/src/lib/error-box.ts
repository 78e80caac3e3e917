import type { ErrorPayload } from "../api/bindings";
import { h } from "./dom";
import { mayPass } from "./errors";

/** A refused command as the admin reads it: what went wrong, then what to do about it; AWS's
 * own words folded below; and, for a failure that may pass (throttling, the network), a Retry
 * when the caller can repeat what failed. */
export function errorBox(error: ErrorPayload, testId: string, retry?: () => void): HTMLElement {
  return h("div", { class: "error", role: "alert", "data-testid": testId, "data-kind": error.kind },
    h("p", { class: "error-message" }, error.message),
    error.hint ? h("p", { class: "error-hint" }, error.hint) : null,
    error.detail ? h("details", { class: "error-detail", "data-testid": "error-detail" },
      h("summary", {}, "What AWS or the system said"),
      h("pre", { class: "mono" }, error.detail)) : null,
    retry && mayPass(error) ? h("button", { type: "button", class: "retry", "data-testid": "error-retry", onclick: retry }, "Try again") : null);
}
