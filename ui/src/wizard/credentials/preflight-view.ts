// Under the identity: whether IAM's policy simulator says these credentials may make every
// call the grant needs: allowed, missing some, or not checked (with why).
import type { ErrorPayload, Preflight } from "../../api/bindings";
import { h, mount } from "../../lib/dom";

/** How long the check may take before the window stops waiting for it. */
export const PREFLIGHT_LIMIT_SECONDS = 30;

/** Null: nothing to show (no identity yet, or no vendor). */
export type PreflightState = null | { status: "asking" } | { status: "answered"; preflight: Preflight } | { status: "failed"; error: ErrorPayload };

/** ok, missing or unchecked: what the admin is told at a glance. */
export function preflightResult(state: Exclude<PreflightState, null>): "asking" | "ok" | "missing" | "unchecked" {
  if (state.status === "asking") return "asking";
  if (state.status === "failed" || !state.preflight.checked) return "unchecked";
  return state.preflight.missing.length === 0 ? "ok" : "missing";
}

const VERDICT = {
  ok: "✓ Every call the grant needs is allowed",
  missing: "⚠ Some calls the grant needs are not allowed",
  unchecked: "? Could not check the permissions",
} as const;

function renderPreflight(state: Exclude<PreflightState, null>): HTMLElement[] {
  const result = preflightResult(state);
  if (state.status === "asking" || result === "asking") {
    return [h("p", { class: "muted", "data-testid": "preflight-asking" }, h("span", { class: "spinner", "aria-hidden": "true" }),
      ` Asking IAM whether these credentials may make every call the grant needs (at most ${PREFLIGHT_LIMIT_SECONDS} s)…`)];
  }
  const heading = h("h3", { class: `verdict verdict-${result}`, "data-testid": "preflight-verdict" }, VERDICT[result]);
  if (state.status === "failed") {
    return [heading, h("p", { "data-testid": "preflight-detail", "data-checked": "false" }, `${state.error.message} You can go on: AWS refuses what is not allowed, and the grant is rolled back.`)];
  }
  const { checked, detail, missing } = state.preflight;
  return [
    heading,
    h("p", { "data-testid": "preflight-detail", "data-checked": String(checked) }, detail),
    ...(missing.length ? [h("ul", {}, ...missing.map((a) => h("li", { class: "mono", "data-testid": "preflight-missing" }, a)))] : []),
  ];
}

export function createPreflightView(): { element: HTMLElement; show(state: PreflightState): void } {
  const element = h("section", { class: "card", "data-testid": "preflight", "aria-label": "Permissions", "aria-live": "polite", hidden: true });
  return {
    element,
    show(state) {
      element.hidden = state === null;
      if (!state) return;
      element.dataset.result = preflightResult(state);
      mount(element, ...renderPreflight(state));
    },
  };
}
