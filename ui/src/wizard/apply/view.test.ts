// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { Progress } from "../../api/bindings";
import { byTestId, failure, plan, visibleText } from "../../testing/fixtures";
import { plannedRows, withEvent, type ProgressRow } from "./progress";
import { mountApplyView } from "./view";

function applyScreen(rows: ProgressRow[], opened: string[] = []) {
  const body = document.createElement("div");
  const view = mountApplyView(body, "g-0a1b2c3d", { cancel: () => undefined, openInConsole: (url) => opened.push(url) });
  view.showProgress(rows);
  const table = () => byTestId(body, "progress-step").map((row) => `${row.dataset.id} ${row.dataset.state}: ${visibleText(row.querySelector(".summary")!)} | ${visibleText(row.querySelector(".detail")!)}`);
  return { body, view, table };
}

const after = (events: Progress[], rows = plannedRows(plan().steps)) => events.reduce(withEvent, rows);

describe("the apply's progress", () => {
  it("starts with every planned step pending", () => {
    const { body, table } = applyScreen(plannedRows(plan().steps));
    expect(table()).toEqual([
      "nlb-sg pending: Security group for the load balancer | ",
      "nlb pending: Internal network load balancer | ",
      "role pending: Role Datafold assumes | ",
    ]);
    expect(visibleText(body.querySelector("h2")!)).toBe("Creating grant g-0a1b2c3d");
    expect(byTestId(body, "cancel-apply")[0].textContent).toBe("Cancel and roll back");
  });

  it("moves each step along as Rust reports it", () => {
    const { table } = applyScreen(after([
      { type: "runStarted", grantId: "g-0a1b2c3d", total: 3, done: 0 },
      { type: "stepStarted", step: "nlb-sg", summary: "Creating the group" },
      { type: "stepDone", step: "nlb-sg", resource: "sg-1", adopted: false, consoleUrl: null },
      { type: "stepStarted", step: "nlb", summary: "Creating the NLB" },
      { type: "waiting", step: "nlb", resource: "nlb vl-nlb", state: "provisioning", elapsedSecs: 12 },
    ]));
    expect(table()).toEqual([
      "nlb-sg done: Security group for the load balancer | sg-1",
      "nlb waiting: Internal network load balancer | nlb vl-nlb is provisioning (12 s)",
      "role pending: Role Datafold assumes | ",
    ]);
  });

  it("shows a failure and what was rolled back; steps never started stay pending", () => {
    const { table } = applyScreen(after([
      { type: "stepDone", step: "nlb-sg", resource: "sg-1", adopted: true, consoleUrl: null },
      { type: "stepFailed", step: "nlb", error: failure("Step nlb failed") },
      { type: "rollingBack", step: "role" },
      { type: "rollingBack", step: "nlb-sg" },
      { type: "rolledBack", step: "nlb-sg" },
    ]));
    expect(table()).toEqual([
      "nlb-sg removed: Security group for the load balancer | sg-1 (found after an interruption)",
      "nlb failed: Internal network load balancer | Step nlb failed",
      "role pending: Role Datafold assumes | ",
    ]);
  });

  it("links what was made to its console page, opened outside the window, and drops the link once it is rolled back", () => {
    const url = "https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#SecurityGroup:groupId=sg-1";
    const opened: string[] = [];
    const done = after([{ type: "stepDone", step: "nlb-sg", resource: "sg-1", adopted: false, consoleUrl: url }]);
    const { body } = applyScreen(done, opened);
    const link = byTestId(body, "console-link")[0] as HTMLAnchorElement;
    expect(link.getAttribute("aria-label")).toBe("Open in the AWS console: Security group for the load balancer");
    link.click();
    expect(opened).toEqual([url]);
    expect(byTestId(applyScreen(after([{ type: "rolledBack", step: "nlb-sg" }], done)).body, "console-link")).toHaveLength(0);
  });

  it("adds a row for each step a resumed run names, in the order named", () => {
    const { table } = applyScreen(after([
      { type: "stepDone", step: "role", resource: "", adopted: false, consoleUrl: null },
      { type: "rollbackFailed", step: "nlb", error: failure("Throttled") },
    ], []));
    expect(table()).toEqual(["role done: role | ", "nlb left: nlb | Throttled"]);
  });

  it("says what it did once done, and the cancel button goes", () => {
    const { body, view } = applyScreen([]);
    view.showOutcome({ status: "done", report: { grantId: "g-0a1b2c3d", created: ["nlb-sg", "nlb"], adopted: ["role"], alreadyDone: [] } });
    expect(visibleText(byTestId(body, "apply-done")[0])).toBe("Done: all 3 resources of the plan in place (2 created now, 1 found from an interrupted run, 0 already there).");
    expect(visibleText(body.querySelector("h2")!)).toBe("Grant g-0a1b2c3d created");
    expect(byTestId(body, "cancel-apply")).toHaveLength(0);
  });

  it("shows a cancel in progress, then the failure and what to do", () => {
    const { body, view } = applyScreen([]);
    view.showCancelling();
    const cancel = byTestId(body, "cancel-apply")[0] as HTMLButtonElement;
    expect(cancel.disabled).toBe(true);
    expect(cancel.textContent).toBe("Cancelling…");
    expect(visibleText(body.querySelector("h2")!)).toBe("Cancelling grant g-0a1b2c3d: rolling back");
    view.showOutcome({ status: "failed", error: failure("Cancelled by the admin.", "cancelled") });
    expect(visibleText(body.querySelector("h2")!)).toBe("Grant g-0a1b2c3d cancelled");
    expect(visibleText(byTestId(body, "apply-error")[0])).toBe("Cancelled by the admin.");
    expect(visibleText(body)).toContain("Rows marked removed were rolled back.");
  });
});
