// The grants screen's layout: the list, the detail pane and the grants found in the account,
// each redrawn on its own so that redrawing one leaves the focus in the others alone.
import type { CredentialSource, ForeignGrant } from "../../api/bindings";
import { h, mount } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";
import { renderDetail, renderResyncOutcome, type DetailHandlers } from "./detail-view";
import { checkSummary, renderGrantList, type GrantActions } from "./list-view";
import { STATE_LABEL } from "./list-view";
import type { AccountGrants, Detail, GrantCheck, GrantList, OrgGrants, ResyncOutcome } from "./state";

export interface GrantsHandlers extends GrantActions, DetailHandlers {
  lookInAccount(): void;
  lookInOrganization(): void;
  /** A grant recorded nowhere here: what its tags show now, and taking it back by them. */
  foundStatus(grantId: string): void;
  askRevokeFound(grantId: string): void;
  /** Records here the grant's file exported on the machine that made it. */
  adopt(grantId: string): void;
}

export interface GrantsView {
  showList(list: GrantList): void;
  /** Under the grant's card: what comparing it with AWS found. */
  showCheck(grantId: string, check: GrantCheck): void;
  showDetail(detail: Detail): void;
  /** Into the resync form on screen: the addresses typed there stay for another try. */
  showResync(outcome: ResyncOutcome): void;
  showAccountGrants(found: AccountGrants): void;
  showOrganizationGrants(found: OrgGrants): void;
}

function renderAccountGrants(found: AccountGrants, handlers: GrantsHandlers): HTMLElement {
  if (found.status === "looking") return h("p", { class: "muted" }, "Looking for resources tagged vendorlink:grant in the account…");
  if (found.status === "failed") return errorBox(found.error, "account-grants-error", () => handlers.lookInAccount());
  if (found.grants.length === 0) return h("p", { class: "muted", "data-testid": "no-account-grants" }, "No other grant's resources in this account and region.");
  return h("section", { class: "card" },
    h("h3", {}, "Also in the account (not recorded on this machine)"),
    h("p", { class: "muted" }, "Made on another machine, or their record was lost: VendorLink knows them only by the tag on their resources. Status reads the tags again; Adopt loads the record exported where the grant was made; removing takes back everything that carries the tag, and proves it."),
    ...found.grants.map((g) => renderFoundGrant(g, handlers)));
}

/** A grant found by its tag: what carries it, and its actions (no plan, so no resume or drift). */
function renderFoundGrant(g: ForeignGrant, handlers: GrantsHandlers): HTMLElement {
  return h("div", { class: "card grant", "data-testid": "account-grant", "data-id": g.grantId },
    h("div", { class: "grant-head" },
      h("strong", {}, `${g.vendorId ? `${g.vendorId}'s grant` : "A grant"} ${g.grantId}`),
      h("span", { class: "badge" }, "not recorded here")),
    h("p", { class: "muted", "data-testid": "found-resources" }, `${g.resources.length} resource${g.resources.length === 1 ? "" : "s"}${g.vendorId ? ` (${g.vendorId})` : ""}: ${g.resources.map((r) => `${r.kind} ${r.id}`).join(", ")}`),
    h("div", { class: "actions start" },
      h("button", { type: "button", "data-testid": "found-status", onclick: () => handlers.foundStatus(g.grantId) }, "Status"),
      h("button", { type: "button", "data-testid": "found-adopt", "aria-describedby": `adopt-help-${g.grantId}`, onclick: () => handlers.adopt(g.grantId) }, "Adopt…"),
      h("span", { class: "help", id: `adopt-help-${g.grantId}` }, "With the record exported on the machine that made it (Export record…), it is managed here like your own.")),
    h("div", { class: "danger-zone", role: "group", "aria-label": `Remove ${g.grantId}` },
      h("p", { class: "danger-title" }, "Danger zone"),
      h("div", { class: "danger-row" },
        h("p", {}, h("strong", {}, "Remove everything: "), "the vendor is cut off (principals, connections, role), then every resource that carries the grant's tag is deleted. The proof is kept on this machine."),
        h("button", { type: "button", class: "danger", "data-testid": "found-revoke", onclick: () => handlers.askRevokeFound(g.grantId) }, "Remove everything…"))));
}

/** Every grant known here under its account, then what no record here knows, then the
 * accounts that could not be read. */
function renderOrganizationGrants(shown: OrgGrants, handlers: GrantsHandlers): HTMLElement {
  if (shown.status === "looking") return h("p", { class: "muted" }, "Reading every account of the organization, in every enabled region…");
  if (shown.status === "failed") return errorBox(shown.error, "org-grants-error", () => handlers.lookInOrganization());
  const { grants, unknown, failures, unreadable } = shown.found;
  const accounts = [...new Set(grants.map((g) => g.accountId))];
  return h("section", { class: "card", "data-testid": "org-grants" },
    h("h3", {}, "Across the organization"),
    grants.length === 0 ? h("p", { class: "muted" }, "No grant recorded on this machine.") : null,
    ...accounts.map((account) => h("div", {},
      h("h4", {}, `Account ${account}`),
      h("ul", {}, ...grants.filter((g) => g.accountId === account).map((g) => h("li", { "data-testid": "org-grant", "data-id": g.grantId, "data-account": account },
        `${g.grantId} ${g.vendorId} → ${g.database}, ${g.region}: ${STATE_LABEL[g.state]}; ${g.tagged === null ? "its account or region could not be read" : `${g.tagged} tagged in AWS`}`))))),
    unknown.length === 0
      ? h("p", { "data-testid": "org-no-unknown" }, "Nothing tagged by VendorLink that this machine does not know.")
      : h("div", {}, h("h4", {}, "Not recorded on this machine"),
        h("ul", {}, ...unknown.map((u) => h("li", { class: "warning", "data-testid": "org-unknown", "data-account": u.account.id },
          `Account ${u.account.name} (${u.account.id}): grant ${u.resource.grantId}${u.resource.vendorId ? ` (${u.resource.vendorId})` : ""}, ${u.resource.kind} ${u.resource.id}`)))),
    ...failures.map((f) => h("p", { class: "muted", "data-testid": "org-failure", "data-account": f.account.id }, `Account ${f.account.name} (${f.account.id}) could not be read: ${f.error.message} ${f.error.hint}`)),
    ...unreadable.map((u) => h("p", { class: "muted" }, `The record of grant ${u}`)));
}

/** `source`: the wizard's credentials, which can look for grants in the account too. */
export function mountGrantsView(root: HTMLElement, handlers: GrantsHandlers, source: CredentialSource | null): GrantsView {
  const list = h("div", { class: "grant-list", "data-testid": "grant-list" });
  const detail = h("div", { "data-testid": "grant-detail" });
  const foreign = h("div", { "data-testid": "account-grants" });
  const organization = h("div");
  let resyncOutcome = h("div", { role: "status" });
  mount(root, h("section", { class: "screen", "data-testid": "grants-screen" },
    h("h2", {}, "Grants"),
    h("p", { class: "lead" }, "Every grant made from this machine. Revoking proves afterwards, with AWS's own answers, that the access is gone."),
    list, detail,
    source ? h("div", { class: "actions start" },
      h("button", { type: "button", "data-testid": "look-in-account", onclick: handlers.lookInAccount }, "Look for grants in the account"),
      h("button", { type: "button", "data-testid": "look-in-organization", onclick: handlers.lookInOrganization }, "Look across the organization")) : null,
    foreign, organization));
  return {
    showList: (shown) => mount(list, ...renderGrantList(shown, handlers)),
    showCheck(grantId, check) {
      const line = [...list.querySelectorAll<HTMLElement>("[data-testid=grant]")].find((g) => g.dataset.id === grantId)?.querySelector<HTMLElement>("[data-testid=grant-check]");
      if (!line) return;
      line.textContent = checkSummary(check);
      line.dataset.result = check.status === "failed" ? "failed" : check.drift > 0 ? "drift" : "matches";
    },
    showDetail(shown) {
      resyncOutcome = h("div", { role: "status" });
      mount(detail, ...renderDetail(shown, handlers, resyncOutcome));
    },
    showResync: (outcome) => mount(resyncOutcome, renderResyncOutcome(outcome)),
    showAccountGrants: (found) => mount(foreign, renderAccountGrants(found, handlers)),
    showOrganizationGrants: (found) => mount(organization, renderOrganizationGrants(found, handlers)),
  };
}
