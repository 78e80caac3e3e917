// Under the identity: whether IAM's policy simulator says these credentials may make every
// call the grant needs.
import type { Preflight } from "../../api/bindings";
import { h, mount } from "../../lib/dom";

/** Null: nothing to show (no identity yet, or no vendor). */
export type PreflightState = null | { status: "asking" } | { status: "answered"; preflight: Preflight } | { status: "failed" };

function renderPreflight(state: Exclude<PreflightState, null>): HTMLElement[] {
  if (state.status === "asking") return [h("p", { class: "muted" }, "Asking IAM whether these credentials may make every call the grant needs…")];
  if (state.status === "failed") return [h("p", { class: "muted" }, "The permission check did not answer.")];
  const { checked, detail, missing } = state.preflight;
  return [
    h("h3", {}, "Permissions"),
    h("p", { "data-testid": "preflight-detail", "data-checked": String(checked) }, detail),
    ...(missing.length ? [h("ul", {}, ...missing.map((a) => h("li", { class: "mono", "data-testid": "preflight-missing" }, a)))] : []),
  ];
}

export function createPreflightView(): { element: HTMLElement; show(state: PreflightState): void } {
  const element = h("section", { class: "card", "data-testid": "preflight", "aria-label": "Permissions", hidden: true });
  return {
    element,
    show(state) {
      element.hidden = state === null;
      if (state) mount(element, ...renderPreflight(state));
    },
  };
}
