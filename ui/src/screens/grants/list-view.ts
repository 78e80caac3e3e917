// The list of every grant on this machine, with what can be done to each in its state.
import type { GrantListItem, GrantState } from "../../api/bindings";
import { h } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";
import type { GrantList } from "./state";

export const STATE_LABEL: Record<GrantState, string> = {
  planned: "planned", incomplete: "interrupted: resume it", applied: "active", rolledBack: "rolled back", accessRevoked: "access revoked", revoked: "revoked",
  revokeIncomplete: "Revoke incomplete — retry revoke", running: "running now",
};

export interface GrantActions {
  resume(grantId: string): void;
  status(grantId: string): void;
  history(grantId: string): void;
  connections(grantId: string): void;
  askRevoke(grantId: string, accessOnly: boolean, dedicatedAccount: string | null): void;
}

export function renderGrantList(list: GrantList, actions: GrantActions): HTMLElement[] {
  if (list.status === "failed") return [errorBox(list.error, "grants-error")];
  if (list.items.length === 0) return [h("p", { class: "muted", "data-testid": "no-grants" }, "No grants on this machine yet.")];
  return list.items.map((item) => renderGrant(item, actions));
}

function renderGrant({ plan, state, dedicatedAccount }: GrantListItem, actions: GrantActions): HTMLElement {
  const account = dedicatedAccount ?? null;
  const id = plan.grantId;
  return h("div", { class: "card grant", "data-testid": "grant", "data-id": id, "data-state": state },
    h("div", { class: "grant-head" },
      h("strong", {}, `${plan.vendorName} → ${plan.database?.id ?? (plan.parts.includes("dedicatedAccount") ? "a dedicated account" : `account ${plan.accountId}`)}`),
      h("span", { class: `badge state-${state}`, "data-testid": "grant-state" }, STATE_LABEL[state]),
      h("span", { class: "muted" }, `${id} · ${plan.region} · ${plan.createdAt}`),
      plan.memberAccess ? h("span", { class: "muted", "data-testid": "grant-account" }, `member account ${plan.accountId}, entered through ${plan.memberAccess.roleName}`) : null,
      account ? h("span", { class: "muted", "data-testid": "grant-dedicated-account" }, `dedicated account ${account}, open: closing it is offered when you revoke`) : null),
    h("div", { class: "actions start" },
      state === "incomplete" ? h("button", { type: "button", class: "primary", "data-testid": "grant-resume", onclick: () => actions.resume(id) }, "Resume") : null,
      h("button", { type: "button", "data-testid": "grant-status", onclick: () => actions.status(id) }, "Status and drift"),
      h("button", { type: "button", "data-testid": "grant-history", onclick: () => actions.history(id) }, "History"),
      plan.parts.includes("privateLink") && (state === "applied" || state === "accessRevoked" || state === "revokeIncomplete")
        ? h("button", { type: "button", "data-testid": "grant-connections", onclick: () => actions.connections(id) }, "Connections") : null,
      state === "applied" || state === "incomplete" || state === "revokeIncomplete"
        ? h("button", { type: "button", class: "danger", "data-testid": "grant-revoke-access", onclick: () => actions.askRevoke(id, true, account) }, "Revoke access") : null,
      (state !== "revoked" || account) && state !== "planned" && state !== "rolledBack" && state !== "running"
        ? h("button", { type: "button", class: "danger", "data-testid": "grant-revoke-all", onclick: () => actions.askRevoke(id, false, account) }, "Remove everything") : null));
}
