// The grants screen's detail pane: status and drift, connections, history, and a revoke from
// its confirmation to its proof.
import type { ConnectionView, Decision, FoundGrant, GrantStatus, Progress, Revoked } from "../../api/bindings";
import { h } from "../../lib/dom";
import { consoleLink } from "../../lib/console-link";
import { revokedLine, statusLine, type RevokedOf } from "../../lib/counts";
import { errorBox } from "../../lib/error-box";
import { localTime } from "../../lib/when";
import { grantTitle, STATE_LABEL } from "./list-view";
import type { Detail, Exported, ResyncOutcome } from "./state";

export interface DetailHandlers {
  resync(grantId: string, ips: string): void;
  decide(grantId: string, connection: ConnectionView, decision: Decision): void;
  /** `closeAccount`: the dedicated account's id as typed, to close it too; null to keep it;
   * `byTag`: a grant recorded nowhere here, taken back by its tag. */
  revoke(grantId: string, accessOnly: boolean, closeAccount: string | null, byTag: boolean): void;
  /** Opens a resource's page in the AWS console (console pages only). */
  openInConsole(url: string): void;
  cancelRevoke(): void;
  /** The system's save dialog, for a copy of the newest proof. */
  exportProof(grantId: string): void;
}

/** `resyncOutcome`: where the status pane's resync form shows its answer (see view.ts). */
export function renderDetail(detail: Detail, handlers: DetailHandlers, resyncOutcome: HTMLElement): (HTMLElement | null)[] {
  switch (detail.pane) {
    case "empty": return [];
    case "reading": return [h("p", { class: "muted" }, detail.message)];
    case "failed": return [errorBox(detail.error, detail.testId)];
    case "status": return [renderStatus(detail.grantId, detail.status, handlers, resyncOutcome)];
    case "found": return [renderFound(detail.found, handlers)];
    case "connections": {
      const { grantId, connections, problem } = detail;
      return [h("section", { class: "card", "data-testid": "connections" },
        h("h3", {}, `Endpoint connections to ${grantId}`),
        problem ? errorBox(problem, "connection-error") : null,
        connections.length === 0 ? h("p", { class: "muted", "data-testid": "no-connections" }, "No endpoint has connected yet: once the vendor creates one, it waits here for you.") : null,
        h("ul", { class: "connections" }, ...connections.map((c) => renderConnection(grantId, c, handlers))))];
    }
    case "history":
      return [h("section", { class: "card", "data-testid": "history" }, h("h3", {}, `History of ${detail.grantId}`),
        h("ol", {}, ...detail.entries.map((e) => h("li", {}, `${localTime(e.startedAt)} ${e.command} by ${e.caller}: ${e.outcome ?? "interrupted"}, ${e.calls.length} AWS calls`))))];
    case "confirmRevoke": {
      const { grantId, accessOnly, dedicatedAccount, byTag } = detail;
      // Closing the dedicated account is its own decision, confirmed by typing its id.
      const typed = h("input", { id: "close-account", "data-testid": "close-account", spellcheck: "false", inputmode: "numeric", "aria-describedby": "close-account-help" });
      // The grant's name, typed: a click on the wrong card cannot take access back.
      const confirm = h("button", { type: "button", class: "danger", "data-testid": "confirm-revoke", disabled: true, "aria-describedby": "confirm-name-help", onclick: () => handlers.revoke(grantId, accessOnly, typed.value.trim() === "" ? null : typed.value.trim(), byTag) }, accessOnly ? "Revoke access" : "Remove everything");
      const name = h("input", {
        id: "confirm-name", "data-testid": "confirm-grant-name", spellcheck: "false", autocomplete: "off", "aria-describedby": "confirm-name-help",
        oninput: () => { confirm.disabled = name.value.trim() !== grantId; },
      });
      return [h("section", { class: "card confirm-revoke", role: "alertdialog", "aria-label": "Confirm revoke" },
        h("p", {}, byTag
          ? "Remove everything that carries this grant's tag, in the order AWS requires: the endpoint service (its principals and connections cut first), the resource share, the resource configuration (its endpoints cut first), the roles with their policies, a peering, a bastion, the rules, then the target-sync function, the resource gateway, the load balancer, the target group and the security groups. No record here says more, so nothing else is touched."
          : accessOnly
          ? "Cut the vendor off: remove its principals, reject its connections, revoke its role sessions and delete the role, remove the allowlist, delete a peering with its routes, terminate a bastion, take back a resource share and cut its endpoints. A load balancer (and its target sync) stays."
          : "Remove everything this grant created, after cutting the vendor off."),
        dedicatedAccount ? h("div", { class: "field" },
          h("label", { for: "close-account" }, `Also close the dedicated account ${dedicatedAccount}: type its id`),
          typed,
          h("p", { class: "help", id: "close-account-help" }, "Leave empty to keep it open (it holds nothing of the grant after the revoke). AWS closes only a few accounts a month and keeps a closed one for 90 days before it is gone for good.")) : null,
        h("div", { class: "field" },
          h("label", { for: "confirm-name" }, `Type the grant's name, ${grantId}, to confirm`),
          name,
          h("p", { class: "help", id: "confirm-name-help" }, `The button stays off until the name matches.`)),
        h("div", { class: "actions start" },
          confirm,
          h("button", { type: "button", "data-testid": "cancel-revoke", onclick: handlers.cancelRevoke }, "Cancel")))];
    }
    case "revoking":
      return [h("section", { class: "card" }, h("h3", {}, "Revoking…"), h("ol", { class: "progress" }, ...detail.events.map(renderRevokeEvent)))];
    case "done":
      return [h("p", { class: "success", role: "status", "data-testid": detail.testId }, detail.message)];
    case "revoked": {
      const { grantId, revoked, failure, exported, of } = detail;
      return [failure ? errorBox(failure, "revoke-error") : null, revoked ? renderRevocation(grantId, revoked, of, exported, handlers) : null];
    }
  }
}

/** A grant recorded nowhere here: each resource that carries its tag, linked to the console. */
function renderFound(found: FoundGrant, handlers: DetailHandlers): HTMLElement {
  return h("section", { class: "card", "data-testid": "found-grant" },
    h("h3", {}, `${found.vendorId ? `${found.vendorId}'s grant` : "Grant"} ${found.grantId}, by its tag`),
    h("p", { class: "muted", "data-testid": "found-checked" }, `Read ${localTime(found.checkedAt)}: ${found.resources.length} resource${found.resources.length === 1 ? "" : "s"} carry the tag vendorlink:grant=${found.grantId}.`),
    found.elsewhere.length > 0
      ? h("p", { class: "warning", "data-testid": "found-elsewhere" }, `Also in ${found.elsewhere.join(", ")}: remove it with credentials in that region. From here only the role (IAM is global) would go, so removing is refused.`)
      : null,
    h("ul", {}, ...found.resources.map((r) => h("li", { "data-testid": "found-resource", "data-kind": r.kind },
      `${r.kind} `, h("span", { class: "mono" }, r.id),
      " ", r.consoleUrl ? consoleLink(r.consoleUrl, `${r.kind} ${r.id}`, handlers.openInConsole) : null))));
}

function renderStatus(grantId: string, status: GrantStatus, handlers: DetailHandlers, resyncOutcome: HTMLElement): HTMLElement {
  return h("section", { class: "card", "data-testid": "status" },
    h("h3", {}, `${grantTitle(status.plan)} (${grantId}): ${STATE_LABEL[status.state]}`),
    status.drift.length === 0 ? h("p", { "data-testid": "no-drift" }, "AWS matches the grant.") : h("ul", {}, ...status.drift.map((d) =>
      h("li", { "data-testid": "drift", "data-kind": d.kind }, h("strong", {}, `${d.step}: `), d.detail, h("span", { class: "muted" }, ` ${d.remedy}`)))),
    status.drift.some((d) => d.kind === "targets") ? renderResyncForm(grantId, handlers, resyncOutcome) : null,
    status.plan.steps.some((s) => s.id === "sync-function")
      ? status.lastSync
        ? h("div", { "data-testid": "last-sync" },
          h("p", {}, `Target sync, ${localTime(status.lastSync.at)}: `, h("span", { "data-testid": "last-sync-summary" }, status.lastSync.summary)),
          h("details", {}, h("summary", {}, "The line it logged"), h("code", { class: "mono", "data-testid": "last-sync-line" }, status.lastSync.line)))
        : h("p", { "data-testid": "last-sync" }, "Target sync has logged nothing in the last 24 hours: it runs on the database's failover events and every 5 minutes, and logs each run. Just after the apply this is expected; later it means its schedule is not running it.")
      : null,
    h("p", { class: "muted", "data-testid": "status-counts" }, statusLine(status)));
}

/** After RDS moved the database: register its current addresses, drop the old ones. */
function renderResyncForm(grantId: string, handlers: DetailHandlers, outcome: HTMLElement): HTMLElement {
  const ips = h("input", { id: "resync-ips", "data-testid": "resync-ips", placeholder: "10.20.1.15 (empty: resolve the endpoint)", spellcheck: "false" });
  return h("div", { class: "inline-form" }, h("label", { for: "resync-ips" }, "Database's current IPs"), ips,
    h("button", { type: "button", "data-testid": "resync", onclick: () => handlers.resync(grantId, ips.value) }, "Resync targets"), outcome);
}

export function renderResyncOutcome(outcome: ResyncOutcome): HTMLElement {
  return outcome.status === "done"
    ? h("p", { class: "success", "data-testid": "resync-done" }, `Targets now ${outcome.targets.join(", ")}.`)
    : errorBox(outcome.error, "resync-error");
}

/** The vendor's endpoints are accepted (the grant is unusable until then), others rejected. */
function renderConnection(grantId: string, c: ConnectionView, handlers: DetailHandlers): HTMLElement {
  return h("li", { class: "connection", "data-testid": "connection", "data-id": c.endpointId, "data-state": c.state, "data-vendor": String(c.fromVendor) },
    h("span", { class: "mono" }, c.endpointId), ` ${c.state}, account ${c.owner} `,
    c.fromVendor ? h("span", { class: "badge" }, "vendor's") : h("span", { class: "badge badge-foreign", "data-testid": "connection-foreign" }, "not the vendor's account"),
    // Another account's endpoint is accepted only from its own, explicitly worded button.
    c.state === "pendingAcceptance" ? h("button", { type: "button", class: c.fromVendor ? "primary" : "danger", "data-testid": "connection-accept", onclick: () => handlers.decide(grantId, c, "accept") },
      c.fromVendor ? "Accept" : `Accept anyway (account ${c.owner})`) : null,
    c.state !== "rejected" ? h("button", { type: "button", class: "danger", "data-testid": "connection-reject", onclick: () => handlers.decide(grantId, c, "reject") }, "Reject") : null);
}

function renderRevokeEvent(event: Progress): HTMLElement | null {
  if (event.type === "rolledBack") return h("li", {}, `removed ${event.step}`);
  if (event.type === "rollbackFailed") return h("li", { class: "field-error" }, `left ${event.step}: ${event.error.message}`);
  return null;
}

function renderRevocation(grantId: string, { record, proofFile }: Revoked, of: RevokedOf, exported: Exported, handlers: DetailHandlers): HTMLElement {
  return h("section", { class: "card", "data-testid": "revocation" },
    h("h3", {}, `Revoked ${record.scope === "accessOnly" ? "access" : "everything"} of ${grantId}`),
    h("h4", {}, "Proof, checked with AWS just now"),
    h("ul", {}, ...record.checks.map((c) => h("li", { "data-testid": "proof-check", "data-passed": String(c.passed) }, `${c.passed ? "✔" : "✘"} ${c.check}: ${c.detail}`))),
    record.kept.length ? h("h4", {}, "Left in place") : null,
    ...record.kept.map((k) => h("p", { class: "warning", "data-testid": "kept" }, `${k.step} ${k.id}: ${k.reason}`)),
    record.openAccount ? h("p", { "data-testid": "open-account" },
      `The dedicated account ${record.openAccount.accountId} stays open and holds nothing of the grant. To close it, revoke again and type its id, or run: `, h("code", {}, record.openAccount.closeWith)) : null,
    h("p", { "data-testid": "revoke-counts" }, revokedLine(record, of)),
    h("p", { class: "muted" }, `By ${record.caller}, ${localTime(record.startedAt)} → ${localTime(record.finishedAt)}.`),
    h("p", {}, "Proof saved to ", h("code", { "data-testid": "proof-file" }, proofFile)),
    h("div", { class: "actions start" },
      h("button", { type: "button", "data-testid": "export-proof", onclick: () => handlers.exportProof(grantId) }, "Export proof…"),
      renderExported(exported)));
}

function renderExported(exported: Exported): HTMLElement | null {
  if (exported.status === "exported") return h("span", { class: "success", role: "status", "data-testid": "proof-exported" }, `Exported to ${exported.path}`);
  if (exported.status === "failed") return errorBox(exported.error, "export-proof-error");
  return null;
}
