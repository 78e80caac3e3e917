// Every grant on this machine: state, drift, resume, history, and revoke with its proof.
import { api } from "../api";
import type { ConnectionView, CredentialSource, ErrorPayload, GrantListItem, GrantStatus, Progress, RevocationRecord } from "../api";
import { h, mount } from "../lib/dom";
import { splitList } from "../lib/grant-form";
import { Latest } from "../lib/latest";
import { errorBox } from "./credentials";

const STATE_LABEL: Record<string, string> = {
  planned: "planned", incomplete: "interrupted: resume it", applied: "active", rolledBack: "rolled back", accessRevoked: "access revoked", revoked: "revoked",
  revokeIncomplete: "Revoke incomplete — retry revoke", running: "running now",
};

/** `source`: the credentials chosen in the wizard, to look for grants in the account too. */
export function grantsScreen(root: HTMLElement, resume: (grantId: string) => void, source: CredentialSource | null = null): void {
  const list = h("div", { class: "grant-list", "data-testid": "grant-list" });
  const foreign = h("div", { "data-testid": "account-grants" });
  const detail = h("div", { "data-testid": "grant-detail" });
  // The detail pane shows one grant's one view: a late answer for an earlier click is dropped.
  const detailView = new Latest();

  async function refresh(): Promise<void> {
    let items: GrantListItem[] = [];
    try {
      items = await api.listGrants();
    } catch (error) {
      mount(list, errorBox(error as ErrorPayload, "grants-error"));
      return;
    }
    mount(list, ...(items.length === 0 ? [h("p", { class: "muted", "data-testid": "no-grants" }, "No grants on this machine yet.")] : items.map((item) => {
      const { plan, state } = item;
      return h("div", { class: "card grant", "data-testid": "grant", "data-id": plan.grantId, "data-state": state },
        h("div", { class: "grant-head" },
          h("strong", {}, `${plan.vendorName} → ${plan.database.id}`),
          h("span", { class: `badge state-${state}`, "data-testid": "grant-state" }, STATE_LABEL[state] ?? state),
          h("span", { class: "muted" }, `${plan.grantId} · ${plan.region} · ${plan.createdAt}`)),
        h("div", { class: "actions start" },
          state === "incomplete" ? h("button", { type: "button", class: "primary", "data-testid": "grant-resume", onclick: () => resume(plan.grantId) }, "Resume") : null,
          h("button", { type: "button", "data-testid": "grant-status", onclick: () => void showStatus(plan.grantId) }, "Status and drift"),
          h("button", { type: "button", "data-testid": "grant-history", onclick: () => void showHistory(plan.grantId) }, "History"),
          plan.parts.includes("privateLink") && (state === "applied" || state === "accessRevoked" || state === "revokeIncomplete")
            ? h("button", { type: "button", "data-testid": "grant-connections", onclick: () => void showConnections(plan.grantId) }, "Connections") : null,
          state === "applied" || state === "incomplete" || state === "revokeIncomplete" ? h("button", { type: "button", class: "danger", "data-testid": "grant-revoke-access", onclick: () => confirmRevoke(plan.grantId, true) }, "Revoke access") : null,
          state !== "revoked" && state !== "planned" && state !== "rolledBack" && state !== "running" ? h("button", { type: "button", class: "danger", "data-testid": "grant-revoke-all", onclick: () => confirmRevoke(plan.grantId, false) }, "Remove everything") : null));
    })));
  }

  async function showStatus(grantId: string): Promise<void> {
    const ask = detailView.begin();
    mount(detail, h("p", { class: "muted" }, "Comparing the grant with AWS…"));
    try {
      const status: GrantStatus = await api.grantStatus(grantId);
      if (!ask.isCurrent()) return;
      mount(detail, h("section", { class: "card", "data-testid": "status" },
        h("h3", {}, `Grant ${grantId}: ${STATE_LABEL[status.state] ?? status.state}`),
        status.drift.length === 0 ? h("p", { "data-testid": "no-drift" }, "AWS matches the grant.") : h("ul", {}, ...status.drift.map((d) =>
          h("li", { "data-testid": "drift", "data-kind": d.kind }, h("strong", {}, `${d.step}: `), d.detail, h("span", { class: "muted" }, ` ${d.remedy}`)))),
        status.drift.some((d) => d.kind === "targets") ? resyncForm(grantId) : null,
        h("p", { class: "muted" }, `${status.tagged.length} resources carry the grant's tag.`)));
    } catch (error) {
      if (ask.isCurrent()) mount(detail, errorBox(error as ErrorPayload, "status-error"));
    }
  }

  /** After RDS moved the database: register its current addresses, drop the old ones. */
  function resyncForm(grantId: string): HTMLElement {
    const ips = h("input", { id: "resync-ips", "data-testid": "resync-ips", placeholder: "10.20.1.15 (empty: resolve the endpoint)", spellcheck: "false" });
    const result = h("div", { role: "status" });
    const run = async () => {
      try {
        const report = await api.resyncGrant(grantId, splitList(ips.value));
        mount(result, h("p", { class: "success", "data-testid": "resync-done" }, `Targets now ${report.targets.join(", ")}.`));
        await showStatus(grantId);
      } catch (error) {
        mount(result, errorBox(error as ErrorPayload, "resync-error"));
      }
    };
    return h("div", { class: "inline-form" }, h("label", { for: "resync-ips" }, "Database's current IPs"), ips,
      h("button", { type: "button", "data-testid": "resync", onclick: () => void run() }, "Resync targets"), result);
  }

  /** The vendor's endpoints: accept the vendor's (the grant is unusable until then), reject others. */
  async function showConnections(grantId: string, listed: ConnectionView[] | null = null, problem: ErrorPayload | null = null): Promise<void> {
    let connections = listed;
    if (connections === null) {
      const ask = detailView.begin();
      mount(detail, h("p", { class: "muted" }, "Reading the endpoint connections from AWS…"));
      try {
        connections = await api.grantConnections(grantId);
      } catch (error) {
        if (ask.isCurrent()) mount(detail, errorBox(error as ErrorPayload, "connections-error"));
        return;
      }
      if (!ask.isCurrent()) return;
    }
    const decide = async (c: ConnectionView, decision: "accept" | "reject") => {
      // Another account's endpoint is accepted only from its own, explicitly worded button.
      const other = decision === "accept" && !c.fromVendor;
      try {
        await showConnections(grantId, await api.decideConnection(grantId, c.endpointId, decision, other));
      } catch (error) {
        await showConnections(grantId, connections, error as ErrorPayload);
      }
    };
    mount(detail, h("section", { class: "card", "data-testid": "connections" },
      h("h3", {}, `Endpoint connections to ${grantId}`),
      problem ? errorBox(problem, "connection-error") : null,
      connections.length === 0 ? h("p", { class: "muted", "data-testid": "no-connections" }, "No endpoint has connected yet: once the vendor creates one, it waits here for you.") : null,
      h("ul", { class: "connections" }, ...connections.map((c) => h("li", { class: "connection", "data-testid": "connection", "data-id": c.endpointId, "data-state": c.state, "data-vendor": String(c.fromVendor) },
        h("span", { class: "mono" }, c.endpointId), ` ${c.state}, account ${c.owner} `,
        c.fromVendor ? h("span", { class: "badge" }, "vendor's") : h("span", { class: "badge badge-foreign", "data-testid": "connection-foreign" }, "not the vendor's account"),
        c.state === "pendingAcceptance" ? h("button", { type: "button", class: c.fromVendor ? "primary" : "danger", "data-testid": "connection-accept", onclick: () => void decide(c, "accept") },
          c.fromVendor ? "Accept" : `Accept anyway (account ${c.owner})`) : null,
        c.state !== "rejected" ? h("button", { type: "button", class: "danger", "data-testid": "connection-reject", onclick: () => void decide(c, "reject") }, "Reject") : null)))));
  }

  async function showHistory(grantId: string): Promise<void> {
    const ask = detailView.begin();
    try {
      const entries = await api.grantHistory(grantId);
      if (!ask.isCurrent()) return;
      mount(detail, h("section", { class: "card", "data-testid": "history" }, h("h3", {}, `History of ${grantId}`),
        h("ol", {}, ...entries.map((e) => h("li", {}, `${e.startedAt} ${e.command} by ${e.caller}: ${e.outcome ?? "interrupted"}, ${e.calls.length} AWS calls`)))));
    } catch (error) {
      if (ask.isCurrent()) mount(detail, errorBox(error as ErrorPayload, "history-error"));
    }
  }

  function confirmRevoke(grantId: string, accessOnly: boolean): void {
    detailView.begin();
    mount(detail, h("section", { class: "card confirm-revoke", role: "alertdialog", "aria-label": "Confirm revoke" },
      h("p", {}, accessOnly
        ? "Cut the vendor off: remove its principals, reject its connections, revoke its role sessions and delete the role, remove the allowlist. The load balancer stays."
        : "Remove everything this grant created, after cutting the vendor off."),
      h("div", { class: "actions start" },
        h("button", { type: "button", class: "danger", "data-testid": "confirm-revoke", onclick: () => void revoke(grantId, accessOnly) }, accessOnly ? "Revoke access" : "Remove everything"),
        h("button", { type: "button", "data-testid": "cancel-revoke", onclick: () => mount(detail) }, "Cancel"))));
  }

  async function revoke(grantId: string, accessOnly: boolean): Promise<void> {
    // A revoke's progress and proof always show: they are the record of what was taken back.
    detailView.begin();
    const lines = h("ol", { class: "progress" });
    mount(detail, h("section", { class: "card" }, h("h3", {}, "Revoking…"), lines));
    const onEvent = (event: Progress) => {
      if (event.type === "rolledBack") lines.append(h("li", {}, `removed ${event.step}`));
      if (event.type === "rollbackFailed") lines.append(h("li", { class: "field-error" }, `left ${event.step}: ${event.error.message}`));
    };
    let record: RevocationRecord | null = null;
    let failure: ErrorPayload | null = null;
    try {
      record = await api.revokeGrant(grantId, accessOnly, onEvent);
    } catch (error) {
      failure = error as ErrorPayload;
    }
    mount(detail, failure ? errorBox(failure, "revoke-error") : null, record ? h("section", { class: "card", "data-testid": "revocation" },
      h("h3", {}, `Revoked ${record.scope === "accessOnly" ? "access" : "everything"} of ${grantId}`),
      h("h4", {}, "Proof, checked with AWS just now"),
      h("ul", {}, ...record.checks.map((c) => h("li", { "data-testid": "proof-check", "data-passed": String(c.passed) }, `${c.passed ? "✔" : "✘"} ${c.check}: ${c.detail}`))),
      record.kept.length ? h("h4", {}, "Left in place") : null,
      ...record.kept.map((k) => h("p", { class: "warning", "data-testid": "kept" }, `${k.step} ${k.id}: ${k.reason}`)),
      h("p", { class: "muted" }, `${record.removed.length} resources removed by ${record.caller}, ${record.startedAt} → ${record.finishedAt}.`)) : null);
    await refresh();
  }

  async function lookInAccount(): Promise<void> {
    if (!source) return;
    mount(foreign, h("p", { class: "muted" }, "Looking for resources tagged vendorlink:grant in the account…"));
    try {
      const grants = await api.accountGrants(source);
      mount(foreign, grants.length === 0 ? h("p", { class: "muted", "data-testid": "no-account-grants" }, "No other grant's resources in this account and region.") : h("section", { class: "card" },
        h("h3", {}, "Also in the account (not recorded on this machine)"),
        h("ul", {}, ...grants.map((g) => h("li", { "data-testid": "account-grant", "data-id": g.grantId },
          `${g.grantId}${g.vendorId ? ` (${g.vendorId})` : ""}: ${g.resources.map((r) => `${r.kind} ${r.id}`).join(", ")}`)))));
    } catch (error) {
      mount(foreign, errorBox(error as ErrorPayload, "account-grants-error"));
    }
  }

  mount(root, h("section", { class: "screen", "data-testid": "grants-screen" },
    h("h2", {}, "Grants"),
    h("p", { class: "lead" }, "Every grant made from this machine. Revoking proves afterwards, with AWS's own answers, that the access is gone."),
    list, detail,
    source ? h("div", { class: "actions start" }, h("button", { type: "button", "data-testid": "look-in-account", onclick: () => void lookInAccount() }, "Look for grants in the account")) : null,
    foreign));
  void refresh();
}
