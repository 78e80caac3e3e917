// The list of every grant on this machine, with what can be done to each in its state.
import type { GrantListItem, GrantState, Plan } from "../../api/bindings";
import { h } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";
import { localTime, roleEnds } from "../../lib/when";
import type { GrantCheck, GrantList } from "./state";

/** The states in which the grant's resources are in AWS to compare: checked as the screen opens. */
export const CHECKED_STATES: readonly GrantState[] = ["applied", "accessRevoked", "revokeIncomplete"];

/** What the check on opening found, in one line an admin can act on. */
export function checkSummary(check: GrantCheck): string {
  const when = `Checked ${localTime(check.at)}`;
  if (check.status === "failed") return `${when}: could not compare with AWS (${check.error.message})`;
  const parts = [check.drift === 0 ? "AWS matches the grant" : `${check.drift} difference${check.drift === 1 ? "" : "s"} from the grant: open Status and drift`];
  if (check.pending > 0) parts.push(`${check.pending} endpoint connection${check.pending === 1 ? " waits" : "s wait"} for your acceptance`);
  if (check.foreign > 0) parts.push(`${check.foreign} from another account than the vendor's`);
  return `${when}: ${parts.join("; ")}.`;
}

export const STATE_LABEL: Record<GrantState, string> = {
  planned: "planned", incomplete: "interrupted: resume it", applied: "active", rolledBack: "rolled back", accessRevoked: "access revoked", revoked: "revoked",
  revokeIncomplete: "Revoke incomplete — retry revoke", running: "running now",
};

/** A grant as admins name it: "Datafold → orders-db". */
export function grantTitle(plan: Plan): string {
  return `${plan.vendorName} → ${plan.database?.id ?? (plan.parts.includes("dedicatedAccount") ? "a dedicated account" : `account ${plan.accountId}`)}`;
}

export interface GrantActions {
  resume(grantId: string): void;
  status(grantId: string): void;
  history(grantId: string): void;
  connections(grantId: string): void;
  askRevoke(grantId: string, accessOnly: boolean, dedicatedAccount: string | null): void;
  discard(grantId: string): void;
  /** The grant's record to a file, for another machine to adopt. */
  exportRecord(grantId: string): void;
}

export function renderGrantList(list: GrantList, actions: GrantActions): HTMLElement[] {
  if (list.status === "failed") return [errorBox(list.error, "grants-error")];
  if (list.items.length === 0) return [h("p", { class: "muted", "data-testid": "no-grants" }, "No grants on this machine yet.")];
  return list.items.map((item) => renderGrant(item, actions));
}

function renderGrant({ plan, state, dedicatedAccount, vendorAccounts }: GrantListItem, actions: GrantActions): HTMLElement {
  const account = dedicatedAccount ?? null;
  const id = plan.grantId;
  return h("div", { class: "card grant", "data-testid": "grant", "data-id": id, "data-state": state },
    h("div", { class: "grant-head" },
      h("strong", { "data-testid": "grant-title" }, grantTitle(plan)),
      h("span", { class: `badge state-${state}`, "data-testid": "grant-state" }, STATE_LABEL[state]),
      h("span", { class: "muted" }, `${id} · ${plan.region} · planned ${localTime(plan.createdAt)}`),
      vendorAccounts.length > 0
        ? h("span", { class: "muted", "data-testid": "grant-vendor-account" }, `${plan.vendorName}'s AWS account${vendorAccounts.length === 1 ? "" : "s"} ${vendorAccounts.join(", ")}`) : null,
      plan.parts.includes("vendorRole") && state !== "revoked" && state !== "accessRevoked" && state !== "rolledBack"
        ? h("span", { class: "muted", "data-testid": "grant-expiry" }, roleEnds(plan.expires ?? null)) : null,
      plan.memberAccess ? h("span", { class: "muted", "data-testid": "grant-account" }, `member account ${plan.accountId}, entered through ${plan.memberAccess.roleName}`) : null,
      account ? h("span", { class: "muted", "data-testid": "grant-dedicated-account" }, `dedicated account ${account}, open: closing it is offered when you revoke`) : null),
    CHECKED_STATES.includes(state) ? h("p", { class: "grant-check muted", "data-testid": "grant-check", role: "status" }, "Comparing with AWS…") : null,
    h("div", { class: "actions start" },
      state === "incomplete" ? h("button", { type: "button", class: "primary", "data-testid": "grant-resume", onclick: () => actions.resume(id) }, "Resume") : null,
      state === "planned" ? h("button", { type: "button", class: "primary", "data-testid": "grant-apply", onclick: () => actions.resume(id) }, "Apply") : null,
      state === "planned"
        ? h("button", { type: "button", "data-testid": "grant-discard", title: "Only planned: nothing in AWS changes", onclick: () => actions.discard(id) }, "Discard") : null,
      h("button", { type: "button", "data-testid": "grant-status", onclick: () => actions.status(id) }, "Status and drift"),
      h("button", { type: "button", "data-testid": "grant-history", onclick: () => actions.history(id) }, "History"),
      h("button", { type: "button", "data-testid": "grant-export", title: "For a colleague's machine to adopt: plan, journal and proofs, no secret", onclick: () => actions.exportRecord(id) }, "Export record…"),
      plan.parts.includes("privateLink") && (state === "applied" || state === "accessRevoked" || state === "revokeIncomplete")
        ? h("button", { type: "button", "data-testid": "grant-connections", onclick: () => actions.connections(id) }, "Connections") : null),
    renderDangerZone(id, state, account, actions));
}

/** Revoking and removing, set apart from the everyday actions, each with what it takes away
 * and what it leaves; both ask for the grant's name on the next screen. */
function renderDangerZone(id: string, state: GrantState, account: string | null, actions: GrantActions): HTMLElement | null {
  const canRevoke = state === "applied" || state === "incomplete" || state === "revokeIncomplete";
  const canRemove = (state !== "revoked" || account !== null) && state !== "planned" && state !== "rolledBack" && state !== "running";
  if (!canRevoke && !canRemove) return null;
  return h("div", { class: "danger-zone", "data-testid": "danger-zone", role: "group", "aria-label": `Revoke or remove ${id}` },
    h("p", { class: "danger-title" }, "Danger zone"),
    canRevoke ? h("div", { class: "danger-row" },
      h("p", {}, h("strong", {}, "Revoke access: "), "the vendor is cut off (principals, connections, role, allowlist, peering, bastion, resource share). The load balancer and endpoint service stay, for a quick grant again."),
      h("button", { type: "button", class: "danger", "data-testid": "grant-revoke-access", onclick: () => actions.askRevoke(id, true, account) }, "Revoke access…")) : null,
    canRemove ? h("div", { class: "danger-row" },
      h("p", {}, h("strong", {}, "Remove everything: "), "the vendor is cut off, then every resource this grant made is deleted. Nothing stays but the proof."),
      h("button", { type: "button", class: "danger", "data-testid": "grant-revoke-all", onclick: () => actions.askRevoke(id, false, account) }, "Remove everything…")) : null);
}
