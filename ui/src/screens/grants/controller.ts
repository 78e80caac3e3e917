// Every grant on this machine: state, drift, resume, history, and revoke with its proof. This
// controller owns what is shown and the calls to Rust; the view files draw.
import { api } from "../../api";
import type { ConnectionView, CredentialSource, Decision, ErrorPayload, GrantListItem, Progress, Revoked } from "../../api";
import { splitList } from "../../lib/grant-form";
import type { RevokedOf } from "../../lib/counts";
import { Latest } from "../../lib/latest";
import { CHECKED_STATES } from "./list-view";
import type { AccountGrants, Detail, GrantList, OrgGrants } from "./state";
import { mountGrantsView } from "./view";

/** `source`: the credentials chosen in the wizard, to look for grants in the account too. */
export function grantsScreen(root: HTMLElement, resume: (grantId: string) => void, source: CredentialSource | null = null): void {
  // The detail pane shows one grant's one view: a late answer for an earlier click is dropped.
  const detailView = new Latest();
  let detail: Detail = { pane: "empty" };
  const view = mountGrantsView(root, {
    resume,
    status: (grantId) => void showStatus(grantId),
    history: (grantId) => void showHistory(grantId),
    connections: (grantId) => void showConnections(grantId),
    askRevoke: (grantId, accessOnly, dedicatedAccount) => {
      detailView.begin();
      show({ pane: "confirmRevoke", grantId, accessOnly, dedicatedAccount, byTag: false });
    },
    askRevokeFound: (grantId) => {
      detailView.begin();
      show({ pane: "confirmRevoke", grantId, accessOnly: false, dedicatedAccount: null, byTag: true });
    },
    foundStatus: (grantId) => void showFound(grantId),
    openInConsole: (url) => void api.openInConsole(url),
    cancelRevoke: () => show({ pane: "empty" }),
    discard: (grantId) => void discard(grantId),
    exportRecord: (grantId) => void exportRecord(grantId),
    adopt: (grantId) => void adopt(grantId),
    revoke: (grantId, accessOnly, closeAccount, byTag) => void revoke(grantId, accessOnly, closeAccount, byTag),
    decide: (grantId, connection, decision) => void decide(grantId, connection, decision),
    resync: (grantId, ips) => void resync(grantId, ips),
    exportProof: (grantId) => void exportProof(grantId),
    lookInAccount: () => void lookInAccount(),
    lookInOrganization: () => void lookInOrganization(),
  }, source);

  function show(next: Detail): void {
    detail = next;
    view.showDetail(next);
  }

  // The grants as last listed: a revoke's outcome names how many resources the plan had.
  let listed: GrantListItem[] = [];
  async function refresh(): Promise<void> {
    let list: GrantList;
    try {
      list = { status: "read", items: await api.listGrants() };
    } catch (error) {
      list = { status: "failed", error: error as ErrorPayload };
    }
    view.showList(list);
    listed = list.status === "read" ? list.items : [];
    if (list.status === "read") void checkAll(list.items.filter((item) => CHECKED_STATES.includes(item.state)).map((item) => item.plan.grantId));
  }

  // Drift and waiting connections, looked for as the screen opens, one grant at a time; a
  // newer list's checks replace these.
  const checking = new Latest();
  async function checkAll(grantIds: string[]): Promise<void> {
    const ask = checking.begin();
    for (const grantId of grantIds) {
      try {
        const status = await api.grantStatus(grantId);
        if (!ask.isCurrent()) return;
        const waiting = status.connections.filter((c) => c.state.toLowerCase() === "pendingacceptance");
        view.showCheck(grantId, {
          status: "checked", at: new Date().toISOString(), drift: status.drift.length,
          pending: waiting.length, foreign: waiting.filter((c) => !c.fromVendor).length,
        });
      } catch (error) {
        if (!ask.isCurrent()) return;
        view.showCheck(grantId, { status: "failed", at: new Date().toISOString(), error: error as ErrorPayload });
      }
    }
  }

  async function showStatus(grantId: string): Promise<void> {
    const ask = detailView.begin();
    show({ pane: "reading", message: "Comparing the grant with AWS…" });
    try {
      const status = await api.grantStatus(grantId);
      if (ask.isCurrent()) show({ pane: "status", grantId, status });
    } catch (error) {
      if (ask.isCurrent()) show({ pane: "failed", error: error as ErrorPayload, testId: "status-error" });
    }
  }

  async function resync(grantId: string, ips: string): Promise<void> {
    const ask = detailView.begin();
    try {
      const report = await api.resyncGrant(grantId, splitList(ips));
      if (!ask.isCurrent()) return;
      view.showResync({ status: "done", targets: report.targets });
      await showStatus(grantId);
    } catch (error) {
      if (ask.isCurrent()) view.showResync({ status: "failed", error: error as ErrorPayload });
    }
  }

  async function showConnections(grantId: string): Promise<void> {
    const ask = detailView.begin();
    show({ pane: "reading", message: "Reading the endpoint connections from AWS…" });
    try {
      const connections = await api.grantConnections(grantId);
      if (ask.isCurrent()) show({ pane: "connections", grantId, connections, problem: null });
    } catch (error) {
      if (ask.isCurrent()) show({ pane: "failed", error: error as ErrorPayload, testId: "connections-error" });
    }
  }

  async function decide(grantId: string, connection: ConnectionView, decision: Decision): Promise<void> {
    const shown = detail.pane === "connections" ? detail.connections : [];
    const ask = detailView.begin();
    // Accepting another account's endpoint is its own, explicit decision.
    const otherAccount = decision === "accept" && !connection.fromVendor;
    try {
      const connections = await api.decideConnection(grantId, connection.endpointId, decision, otherAccount);
      if (ask.isCurrent()) show({ pane: "connections", grantId, connections, problem: null });
    } catch (error) {
      if (ask.isCurrent()) show({ pane: "connections", grantId, connections: shown, problem: error as ErrorPayload });
    }
  }

  async function showHistory(grantId: string): Promise<void> {
    const ask = detailView.begin();
    try {
      const entries = await api.grantHistory(grantId);
      if (ask.isCurrent()) show({ pane: "history", grantId, entries });
    } catch (error) {
      if (ask.isCurrent()) show({ pane: "failed", error: error as ErrorPayload, testId: "history-error" });
    }
  }

  async function showFound(grantId: string): Promise<void> {
    if (!source) return;
    const ask = detailView.begin();
    show({ pane: "reading", message: "Reading the grant's tags from AWS…" });
    try {
      const found = await api.foundGrantStatus(source, grantId);
      if (ask.isCurrent()) show({ pane: "found", found });
    } catch (error) {
      if (ask.isCurrent()) show({ pane: "failed", error: error as ErrorPayload, testId: "found-error" });
    }
  }

  async function revoke(grantId: string, accessOnly: boolean, closeAccount: string | null, byTag: boolean): Promise<void> {
    const ask = detailView.begin();
    let events: Progress[] = [];
    show({ pane: "revoking", events });
    const onEvent = (event: Progress) => {
      events = [...events, event];
      if (ask.isCurrent()) show({ pane: "revoking", events });
    };
    let revoked: Revoked | null = null;
    let failure: ErrorPayload | null = null;
    try {
      if (byTag && !source) {
        const none: ErrorPayload = { kind: "noCredentials", message: "No credentials are chosen.", hint: "Pick them on the New grant tab, then look for grants in the account again.", fields: [], detail: "" };
        throw none;
      }
      revoked = byTag && source
        ? await api.revokeFoundGrant(source, grantId, onEvent)
        : await api.revokeGrant(grantId, accessOnly, onEvent, closeAccount);
    } catch (error) {
      failure = error as ErrorPayload;
    }
    // The outcome shows whatever the admin opened meanwhile: it is the record of what was taken back.
    const of: RevokedOf = byTag ? { byTag } : { byTag, total: listed.find((item) => item.plan.grantId === grantId)?.plan.steps.length ?? null };
    show({ pane: "revoked", grantId, revoked, failure, exported: { status: "none" }, of });
    await refresh();
    if (byTag) await lookInAccount();
  }

  async function discard(grantId: string): Promise<void> {
    const ask = detailView.begin();
    try {
      await api.discardGrant(grantId);
      if (ask.isCurrent()) show({ pane: "done", testId: "grant-discarded", message: `Discarded ${grantId}: it was only planned, so nothing in AWS changed.` });
    } catch (error) {
      if (ask.isCurrent()) show({ pane: "failed", error: error as ErrorPayload, testId: "discard-error" });
    }
    await refresh();
  }

  async function exportRecord(grantId: string): Promise<void> {
    const ask = detailView.begin();
    try {
      const path = await api.exportGrant(grantId);
      if (path !== null && ask.isCurrent()) show({ pane: "done", testId: "grant-exported", message: `Exported ${grantId}'s record to ${path}: on another machine, Adopt… under "Look for grants in the account" records it there.` });
    } catch (error) {
      if (ask.isCurrent()) show({ pane: "failed", error: error as ErrorPayload, testId: "export-error" });
    }
  }

  async function adopt(grantId: string): Promise<void> {
    const ask = detailView.begin();
    if (!source) {
      const none: ErrorPayload = { kind: "noCredentials", message: "No credentials are chosen.", hint: "Pick them on the New grant tab: adopting asks AWS about the grant's resources first.", fields: [], detail: "" };
      show({ pane: "failed", error: none, testId: "adopt-error" });
      return;
    }
    try {
      const plan = await api.adoptGrant(source, grantId);
      if (plan === null) return;
      if (ask.isCurrent()) show({ pane: "done", testId: "grant-adopted", message: `Adopted ${plan.grantId}: it is listed with the grants on this machine, compared with AWS as it is listed.` });
      await refresh();
      await lookInAccount();
    } catch (error) {
      if (ask.isCurrent()) show({ pane: "failed", error: error as ErrorPayload, testId: "adopt-error" });
    }
  }

  async function exportProof(grantId: string): Promise<void> {
    if (detail.pane !== "revoked") return;
    const shown = detail;
    try {
      const path = await api.exportProof(grantId);
      if (path !== null && detail === shown) show({ ...shown, exported: { status: "exported", path } });
    } catch (error) {
      if (detail === shown) show({ ...shown, exported: { status: "failed", error: error as ErrorPayload } });
    }
  }

  async function lookInAccount(): Promise<void> {
    if (!source) return;
    view.showAccountGrants({ status: "looking" });
    let found: AccountGrants;
    try {
      found = { status: "found", grants: await api.accountGrants(source) };
    } catch (error) {
      found = { status: "failed", error: error as ErrorPayload };
    }
    view.showAccountGrants(found);
  }

  async function lookInOrganization(): Promise<void> {
    if (!source) return;
    view.showOrganizationGrants({ status: "looking" });
    let shown: OrgGrants;
    try {
      shown = { status: "found", found: await api.organizationGrants(source) };
    } catch (error) {
      shown = { status: "failed", error: error as ErrorPayload };
    }
    view.showOrganizationGrants(shown);
  }

  void refresh();
}
