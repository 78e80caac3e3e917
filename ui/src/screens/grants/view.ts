// The grants screen's layout: the list, the detail pane and the grants found in the account,
// each redrawn on its own so that redrawing one leaves the focus in the others alone.
import type { CredentialSource } from "../../api/bindings";
import { h, mount } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";
import { renderDetail, renderResyncOutcome, type DetailHandlers } from "./detail-view";
import { renderGrantList, type GrantActions } from "./list-view";
import type { AccountGrants, Detail, GrantList, ResyncOutcome } from "./state";

export interface GrantsHandlers extends GrantActions, DetailHandlers {
  lookInAccount(): void;
}

export interface GrantsView {
  showList(list: GrantList): void;
  showDetail(detail: Detail): void;
  /** Into the resync form on screen: the addresses typed there stay for another try. */
  showResync(outcome: ResyncOutcome): void;
  showAccountGrants(found: AccountGrants): void;
}

function renderAccountGrants(found: AccountGrants): HTMLElement {
  if (found.status === "looking") return h("p", { class: "muted" }, "Looking for resources tagged vendorlink:grant in the account…");
  if (found.status === "failed") return errorBox(found.error, "account-grants-error");
  if (found.grants.length === 0) return h("p", { class: "muted", "data-testid": "no-account-grants" }, "No other grant's resources in this account and region.");
  return h("section", { class: "card" },
    h("h3", {}, "Also in the account (not recorded on this machine)"),
    h("ul", {}, ...found.grants.map((g) => h("li", { "data-testid": "account-grant", "data-id": g.grantId },
      `${g.grantId}${g.vendorId ? ` (${g.vendorId})` : ""}: ${g.resources.map((r) => `${r.kind} ${r.id}`).join(", ")}`))));
}

/** `source`: the wizard's credentials, which can look for grants in the account too. */
export function mountGrantsView(root: HTMLElement, handlers: GrantsHandlers, source: CredentialSource | null): GrantsView {
  const list = h("div", { class: "grant-list", "data-testid": "grant-list" });
  const detail = h("div", { "data-testid": "grant-detail" });
  const foreign = h("div", { "data-testid": "account-grants" });
  let resyncOutcome = h("div", { role: "status" });
  mount(root, h("section", { class: "screen", "data-testid": "grants-screen" },
    h("h2", {}, "Grants"),
    h("p", { class: "lead" }, "Every grant made from this machine. Revoking proves afterwards, with AWS's own answers, that the access is gone."),
    list, detail,
    source ? h("div", { class: "actions start" }, h("button", { type: "button", "data-testid": "look-in-account", onclick: handlers.lookInAccount }, "Look for grants in the account")) : null,
    foreign));
  return {
    showList: (shown) => mount(list, ...renderGrantList(shown, handlers)),
    showDetail(shown) {
      resyncOutcome = h("div", { role: "status" });
      mount(detail, ...renderDetail(shown, handlers, resyncOutcome));
    },
    showResync: (outcome) => mount(resyncOutcome, renderResyncOutcome(outcome)),
    showAccountGrants: (found) => mount(foreign, renderAccountGrants(found)),
  };
}
