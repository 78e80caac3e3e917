// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { GrantState, GrantStatus, RevocationRecord, StepId } from "../../api/bindings";
import { byTestId, failure, plan, visibleText } from "../../testing/fixtures";
import type { Detail, GrantList } from "./state";
import { mountGrantsView, type GrantsHandlers } from "./view";

function screen(handlers: Partial<GrantsHandlers> = {}) {
  const root = document.createElement("div");
  const ignore = () => undefined;
  const view = mountGrantsView(root, {
    resume: ignore, status: ignore, history: ignore, connections: ignore, askRevoke: ignore, resync: ignore, decide: ignore, revoke: ignore, cancelRevoke: ignore, discard: ignore, exportProof: ignore,
    lookInAccount: ignore, lookInOrganization: ignore, foundStatus: ignore, askRevokeFound: ignore, openInConsole: ignore, adopt: ignore, exportRecord: ignore,
    ...handlers,
  }, null);
  return { root, view };
}

const listed = (...items: [string, GrantState][]): GrantList =>
  ({ status: "read", items: items.map(([grantId, state]) => ({ plan: plan({ grantId, parts: ["privateLink"] }), state, vendorAccounts: ["710753145501"] })) });

function status(drift: GrantStatus["drift"]): GrantStatus {
  const steps: GrantStatus["steps"] = [
    { id: "role", summary: "The vendor's role", journal: "exists", output: null },
    { id: "role-guard", summary: "The role's self-protection", journal: "exists", output: null },
  ];
  return { plan: plan(), state: "applied", steps, tagged: [{ kind: "role", id: "vl-role", grantId: "g-1", vendorId: null }], untracked: [], drift, connections: [] };
}

describe("the grants list", () => {
  it("says when there is no grant yet", () => {
    const { root, view } = screen();
    view.showList({ status: "read", items: [] });
    expect(visibleText(byTestId(root, "grant-list")[0])).toBe("No grants on this machine yet.");
  });

  it("shows each grant's state and only the actions that state allows", () => {
    const { root, view } = screen();
    view.showList(listed(["g-1", "applied"], ["g-2", "incomplete"], ["g-3", "running"], ["g-4", "revokeIncomplete"], ["g-5", "revoked"], ["g-6", "planned"]));
    const grants = byTestId(root, "grant");
    const buttons = (within: Element | undefined) => within ? [...within.querySelectorAll("button")].map((b) => b.textContent).join(", ") : "none";
    const summary = grants.map((g) => `${g.dataset.id} ${visibleText(byTestId(g, "grant-state")[0])}: ${buttons(g.querySelector(".actions") ?? undefined)} | danger: ${buttons(byTestId(g, "danger-zone")[0])}`);
    expect(summary).toEqual([
      "g-1 active: Status and drift, History, Export record…, Connections | danger: Revoke access…, Remove everything…",
      "g-2 interrupted: resume it: Resume, Status and drift, History, Export record… | danger: Revoke access…, Remove everything…",
      "g-3 running now: Status and drift, History, Export record… | danger: none",
      "g-4 Revoke incomplete — retry revoke: Status and drift, History, Export record…, Connections | danger: Revoke access…, Remove everything…",
      "g-5 revoked: Status and drift, History, Export record… | danger: none",
      "g-6 planned: Apply, Discard, Status and drift, History, Export record… | danger: none",
    ]);
    // What each takes away and leaves, beside its button.
    expect(visibleText(byTestId(grants[0], "danger-zone")[0])).toContain("The load balancer and endpoint service stay");
    expect(visibleText(byTestId(grants[0], "danger-zone")[0])).toContain("every resource this grant made is deleted");
    expect(visibleText(grants[0])).toContain("Datafold → orders-db");
    expect(visibleText(byTestId(grants[0], "grant-vendor-account")[0])).toBe("Datafold's AWS account 710753145501");
  });

  it("offers Apply for a planned grant, and says under each live grant what comparing it with AWS found", () => {
    const applied: string[] = [];
    const { root, view } = screen({ resume: (id) => applied.push(id) });
    view.showList(listed(["g-1", "applied"], ["g-2", "planned"], ["g-3", "accessRevoked"], ["g-4", "revoked"]));
    byTestId(root, "grant-apply")[0].click();
    expect(applied).toEqual(["g-2"]);
    const checks = () => byTestId(root, "grant-check").map((c) => `${c.closest<HTMLElement>("[data-testid=grant]")!.dataset.id} ${c.dataset.result ?? "-"}: ${visibleText(c)}`);
    expect(checks()).toEqual(["g-1 -: Comparing with AWS…", "g-3 -: Comparing with AWS…"]);
    const at = "2026-11-27T10:52:00Z";
    view.showCheck("g-1", { status: "checked", at, drift: 0, pending: 2, foreign: 1 });
    view.showCheck("g-3", { status: "failed", at, error: failure("AWS kept throttling ec2:DescribeVpcEndpointConnections after the SDK's retries.", "throttled") });
    const [live, revoked] = checks();
    expect(live).toMatch(/^g-1 matches: Checked .+: AWS matches the grant; 2 endpoint connections wait for your acceptance; 1 from another account than the vendor's\.$/);
    expect(revoked).toMatch(/^g-3 failed: Checked .+: could not compare with AWS \(AWS kept throttling/);
    view.showCheck("g-1", { status: "checked", at, drift: 1, pending: 0, foreign: 0 });
    expect(checks()[0]).toMatch(/^g-1 drift: Checked .+: 1 difference from the grant: open Status and drift\.$/);
  });

  it("shows why the list could not be read", () => {
    const { root, view } = screen();
    view.showList({ status: "failed", error: failure("The journal folder cannot be read.", "journal") });
    expect(visibleText(byTestId(root, "grants-error")[0])).toBe("The journal folder cannot be read.");
  });
});

describe("the grant detail pane", () => {
  const showDetail = (detail: Detail) => {
    const { root, view } = screen();
    view.showDetail(detail);
    return byTestId(root, "grant-detail")[0];
  };

  it("shows a grant that matches AWS", () => {
    const pane = showDetail({ pane: "status", grantId: "g-1", status: status([]) });
    expect(visibleText(pane)).toBe("Datafold → orders-db (g-1): active AWS matches the grant. 2 of the plan's 2 resources exist; 1 of them carries the grant's tag: AWS gives listeners, targets, load balancer settings, allowed principals and a role's policies no tag of their own.");
    expect(byTestId(pane, "resync")).toHaveLength(0);
  });

  it("lists drift, and offers a resync when the targets moved", () => {
    const pane = showDetail({ pane: "status", grantId: "g-1", status: status([{ kind: "targets", step: "targets", detail: "The target group sends to nothing.", remedy: "Resync the targets." }]) });
    expect(byTestId(pane, "drift").map(visibleText)).toEqual(["targets: The target group sends to nothing. Resync the targets."]);
    expect(byTestId(pane, "resync")[0].textContent).toBe("Resync targets");
  });

  it("shows the resync's answer beside the addresses typed, which stay", () => {
    const resynced: string[] = [];
    const { root, view } = screen({ resync: (grantId, ips) => resynced.push(`${grantId}: ${ips}`) });
    view.showDetail({ pane: "status", grantId: "g-1", status: status([{ kind: "targets", step: "targets", detail: "moved", remedy: "resync" }]) });
    const ips = byTestId(root, "resync-ips")[0] as HTMLInputElement;
    ips.value = "10.20.2.30";
    byTestId(root, "resync")[0].click();
    expect(resynced).toEqual(["g-1: 10.20.2.30"]);
    view.showResync({ status: "failed", error: failure("10.20.2.30 is not in the VPC.", "invalidInput") });
    expect(visibleText(byTestId(root, "resync-error")[0])).toBe("10.20.2.30 is not in the VPC.");
    expect((byTestId(root, "resync-ips")[0] as HTMLInputElement).value).toBe("10.20.2.30");
  });

  it("offers to accept the vendor's endpoint and flags another account's", () => {
    const pane = showDetail({
      pane: "connections", grantId: "g-1", problem: null, connections: [
        { endpointId: "vpce-1", owner: "222233334444", state: "pendingAcceptance", fromVendor: true },
        { endpointId: "vpce-2", owner: "111122223333", state: "pendingAcceptance", fromVendor: false },
        { endpointId: "vpce-3", owner: "111122223333", state: "rejected", fromVendor: false },
      ],
    });
    const buttons = byTestId(pane, "connection").map((c) => [...c.querySelectorAll("button")].map((b) => b.textContent));
    expect(buttons).toEqual([["Accept", "Reject"], ["Accept anyway (account 111122223333)", "Reject"], []]);
    expect(byTestId(pane, "connection-foreign")).toHaveLength(2);
  });

  it("says when no endpoint has connected yet", () => {
    const pane = showDetail({ pane: "connections", grantId: "g-1", problem: null, connections: [] });
    expect(byTestId(pane, "no-connections")).toHaveLength(1);
  });

  it("asks before revoking, in words that say what goes", () => {
    const pane = showDetail({ pane: "confirmRevoke", grantId: "g-1", accessOnly: true, dedicatedAccount: null, byTag: false });
    expect(visibleText(pane)).toContain("take back a resource share and cut its endpoints. A load balancer (and its target sync) stays.");
    expect(byTestId(pane, "confirm-revoke")[0].textContent).toBe("Revoke access");
  });

  it("revokes only once the grant's name is typed", () => {
    const revoked: unknown[] = [];
    const { view, root } = screen({ revoke: (...args) => void revoked.push(args) });
    view.showDetail({ pane: "confirmRevoke", grantId: "g-1", accessOnly: true, dedicatedAccount: null, byTag: false });
    const confirm = byTestId(root, "confirm-revoke")[0] as HTMLButtonElement;
    const name = byTestId(root, "confirm-grant-name")[0] as HTMLInputElement;
    expect(confirm.disabled).toBe(true);
    name.value = "g-2";
    name.dispatchEvent(new Event("input"));
    expect(confirm.disabled).toBe(true);
    name.value = "g-1 ";
    name.dispatchEvent(new Event("input"));
    expect(confirm.disabled).toBe(false);
    confirm.click();
    expect(revoked).toEqual([["g-1", true, null, false]]);
  });

  it("shows where the proof is saved and offers to export it", () => {
    const exported: string[] = [];
    const { view, root } = screen({ exportProof: (grantId) => void exported.push(grantId) });
    const record: RevocationRecord = { grantId: "g-1", vendorName: "Datafold", scope: "everything", caller: "arn:aws:iam::123456789012:user/admin", startedAt: "2026-11-27T08:00:00Z", finishedAt: "2026-11-27T08:01:00Z", removed: [], kept: [], checks: [] };
    view.showDetail({ pane: "revoked", grantId: "g-1", revoked: { record, proofFile: "/home/admin/.local/share/vendorlink/grants/g-1/revocation-20261127080100.json" }, failure: null, exported: { status: "none" }, of: { byTag: false, total: null } });
    expect(byTestId(root, "proof-file")[0].textContent).toBe("/home/admin/.local/share/vendorlink/grants/g-1/revocation-20261127080100.json");
    byTestId(root, "export-proof")[0].click();
    expect(exported).toEqual(["g-1"]);
    view.showDetail({ pane: "revoked", grantId: "g-1", revoked: { record, proofFile: "/p.json" }, failure: null, exported: { status: "exported", path: "/tmp/proof.json" }, of: { byTag: false, total: null } });
    expect(visibleText(byTestId(root, "proof-exported")[0])).toBe("Exported to /tmp/proof.json");
  });

  it("offers to close a dedicated account only when its id is typed", () => {
    const revoked: unknown[] = [];
    const { view, root } = screen({ revoke: (...args) => void revoked.push(args) });
    view.showDetail({ pane: "confirmRevoke", grantId: "g-1", accessOnly: false, dedicatedAccount: "444455556666", byTag: false });
    const name = byTestId(root, "confirm-grant-name")[0] as HTMLInputElement;
    name.value = "g-1";
    name.dispatchEvent(new Event("input"));
    const typed = byTestId(root, "close-account")[0] as HTMLInputElement;
    expect(visibleText(root)).toContain("Also close the dedicated account 444455556666: type its id");
    byTestId(root, "confirm-revoke")[0].click();
    typed.value = " 444455556666 ";
    byTestId(root, "confirm-revoke")[0].click();
    expect(revoked).toEqual([["g-1", false, null, false], ["g-1", false, "444455556666", false]]);
    view.showDetail({ pane: "confirmRevoke", grantId: "g-2", accessOnly: true, dedicatedAccount: null, byTag: false });
    expect(byTestId(root, "close-account")).toHaveLength(0);
  });

  it("offers Status and a typed-name removal for a grant found only by its tag", () => {
    const asked: string[] = [];
    const revoked: unknown[] = [];
    const opened: string[] = [];
    const { view, root } = screen({
      foundStatus: (id) => void asked.push(`status ${id}`), askRevokeFound: (id) => void asked.push(`revoke ${id}`), adopt: (id) => void asked.push(`adopt ${id}`),
      revoke: (...args) => void revoked.push(args), openInConsole: (url) => void opened.push(url),
    });
    view.showAccountGrants({ status: "found", grants: [{ grantId: "g-9", vendorId: "datafold", resources: [{ kind: "role", id: "vendorlink-datafold-9", grantId: "g-9", vendorId: "datafold" }] }] });
    const card = byTestId(root, "account-grant")[0];
    expect(visibleText(card)).toContain("datafold's grant g-9");
    expect(visibleText(card)).toContain("1 resource (datafold): role vendorlink-datafold-9");
    byTestId(card, "found-status")[0].click();
    byTestId(card, "found-adopt")[0].click();
    byTestId(card, "found-revoke")[0].click();
    expect(asked).toEqual(["status g-9", "adopt g-9", "revoke g-9"]);

    view.showDetail({ pane: "found", found: { grantId: "g-9", vendorId: "datafold", checkedAt: "2026-11-27T08:00:00Z", resources: [
      { kind: "role", id: "vendorlink-datafold-9", consoleUrl: "https://console.aws.amazon.com/iam/home#/roles/details/vendorlink-datafold-9" },
      { kind: "logGroup", id: "/aws/lambda/x", consoleUrl: null },
    ], elsewhere: ["eu-west-1"] } });
    expect(byTestId(root, "found-resource")).toHaveLength(2);
    expect(visibleText(byTestId(root, "found-elsewhere")[0])).toContain("Also in eu-west-1: remove it with credentials in that region.");
    expect(byTestId(root, "console-link")).toHaveLength(1);
    byTestId(root, "console-link")[0].click();
    expect(opened).toEqual(["https://console.aws.amazon.com/iam/home#/roles/details/vendorlink-datafold-9"]);

    view.showDetail({ pane: "confirmRevoke", grantId: "g-9", accessOnly: false, dedicatedAccount: null, byTag: true });
    expect(visibleText(root)).toContain("Remove everything that carries this grant's tag");
    const name = byTestId(root, "confirm-grant-name")[0] as HTMLInputElement;
    name.value = "g-9";
    name.dispatchEvent(new Event("input"));
    byTestId(root, "confirm-revoke")[0].click();
    expect(revoked).toEqual([["g-9", false, null, true]]);
  });

  it("shows the organization's grants by account, what no record here knows, and the accounts it could not read", () => {
    const { root, view } = screen();
    const account = (id: string, name: string) => ({ id, name, email: `${name}@example.com`, status: "ACTIVE" });
    view.showOrganizationGrants({ status: "found", found: {
      grants: [
        { grantId: "g-1", accountId: "111111111111", region: "us-east-1", vendorId: "datafold", database: "orders-db", state: "applied", tagged: 7 },
        { grantId: "g-2", accountId: "222222222222", region: "eu-west-1", vendorId: "airbyte", database: "events-db", state: "revoked", tagged: null },
      ],
      unknown: [{ account: account("222222222222", "analytics"), resource: { kind: "role", id: "vendorlink-x", grantId: "g-9", vendorId: "deepnote" } }],
      unreadable: [],
      failures: [{ account: account("333333333333", "legacy"), error: failure("AWS denied sts:AssumeRole.") }],
    } });
    expect(byTestId(root, "org-grant").map((g) => `${g.dataset.account} ${visibleText(g)}`)).toEqual([
      "111111111111 g-1 datafold → orders-db, us-east-1: active; 7 tagged in AWS",
      "222222222222 g-2 airbyte → events-db, eu-west-1: revoked; its account or region could not be read",
    ]);
    expect(byTestId(root, "org-unknown").map(visibleText)).toEqual(["Account analytics (222222222222): grant g-9 (deepnote), role vendorlink-x"]);
    expect(byTestId(root, "org-failure")[0].dataset.account).toBe("333333333333");
  });

  it("lists a dedicated account's grant with the account, and lets it be closed after the revoke", () => {
    const { root, view } = screen();
    // A revoke that left the account open: the grant is revoked, its account still listed.
    view.showList({ status: "read", items: [{ plan: plan({ grantId: "g-9", parts: ["dedicatedAccount", "vendorRole"] }), state: "revoked", dedicatedAccount: "444455556666", vendorAccounts: [] }] });
    expect(visibleText(byTestId(root, "grant-dedicated-account")[0])).toContain("dedicated account 444455556666");
    expect(byTestId(root, "grant-revoke-all")).toHaveLength(1);
  });

  it("counts a revoke by tag in the resources its card listed, its other actions named", () => {
    const removed = (step: StepId, id: string) => ({ step, id, action: "", requestId: null, at: "t1" });
    const record: RevocationRecord = {
      grantId: "g-9", vendorName: "datafold", scope: "everything", caller: "arn", startedAt: "t0", finishedAt: "t1", kept: [], checks: [],
      removed: [removed("endpoint-principals", "arn:aws:iam::1:root"), removed("endpoint-connections", "vpce-1"), removed("tagged-endpointService", "vpce-svc-1"),
        removed("tagged-rolePolicy", "r/p1"), removed("tagged-rolePolicy", "r/p2"), removed("tagged-role", "r")],
    };
    const pane = showDetail({ pane: "revoked", grantId: "g-9", revoked: { record, proofFile: "/p.json" }, failure: null, exported: { status: "none" }, of: { byTag: true } });
    expect(visibleText(byTestId(pane, "revoke-counts")[0])).toBe(
      "2 resources that carried the grant's tag removed, and 4 revoke actions: allowed principals removed, endpoint connections rejected, the role's policies deleted.");
  });

  it("shows a revoke's removals as they come, then its proof and what was kept", () => {
    const revoking = showDetail({ pane: "revoking", events: [{ type: "rollingBack", step: "role" }, { type: "rolledBack", step: "role" }, { type: "rollbackFailed", step: "nlb", error: failure("Throttled") }] });
    expect([...revoking.querySelectorAll("li")].map(visibleText)).toEqual(["removed role", "left nlb: Throttled"]);
    const revoked = showDetail({
      pane: "revoked", grantId: "g-1", failure: null, exported: { status: "none" }, of: { byTag: false, total: 14 }, revoked: {
        proofFile: "/grants/g-1/revocation-1.json", record: {
          grantId: "g-1", vendorName: "Datafold", scope: "accessOnly", caller: "arn:aws:iam::123456789012:user/admin", startedAt: "t0", finishedAt: "t1",
          removed: [
            { step: "endpoint-connections", id: "vpce-1", action: "ec2:RejectVpcEndpointConnections", requestId: null, at: "t1" },
            { step: "revoke-trust", id: "vl-role", action: "iam:UpdateAssumeRolePolicy", requestId: null, at: "t1" },
            { step: "role", id: "vl-role", action: "iam:DeleteRole", requestId: null, at: "t1" },
          ],
          kept: [{ step: "nlb", id: "arn:nlb", reason: "access only" }],
          checks: [{ check: "role gone", passed: true, detail: "NoSuchEntity" }, { check: "no connection", passed: false, detail: "vpce-1 available" }],
        },
      },
    });
    expect(byTestId(revoked, "proof-check").map((c) => `${c.dataset.passed} ${visibleText(c)}`)).toEqual(["true ✔ role gone: NoSuchEntity", "false ✘ no connection: vpce-1 available"]);
    expect(byTestId(revoked, "kept").map(visibleText)).toEqual(["nlb arn:nlb: access only"]);
    expect(visibleText(revoked)).toContain("Revoked access of g-1");
    expect(visibleText(byTestId(revoked, "revoke-counts")[0])).toBe(
      "1 of the grant's 14 resources removed by this revoke (the vendor's access; the network stays for a later grant), and 2 revoke actions: endpoint connections rejected, role's trust closed.");
  });
});
