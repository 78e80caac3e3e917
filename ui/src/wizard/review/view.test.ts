// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { byTestId, plan, visibleText } from "../../testing/fixtures";
import { renderReview } from "./view";

function review(...args: Parameters<typeof plan>): HTMLElement {
  const body = document.createElement("div");
  body.append(...renderReview(plan(...args)));
  return body;
}

describe("the review", () => {
  it("lists every step of the plan in order, with what it does", () => {
    const body = review();
    expect(byTestId(body, "plan-step").map((s) => `${s.dataset.id}: ${visibleText(s)}`)).toEqual([
      "nlb-sg: Security group for the load balancer createSecurityGroup",
      "nlb: Internal network load balancer createLoadBalancer",
      "role: Role Datafold assumes createRole",
    ]);
    expect(visibleText(body.querySelector(".lead")!)).toBe("Grant g-0a1b2c3d for Datafold, in account 123456789012, us-east-1. Every resource carries the tag vendorlink:grant=g-0a1b2c3d.");
  });

  it("draws the path from the vendor to the database, with the role beside it", () => {
    const nodes = byTestId(review(), "diagram")[0].querySelectorAll(".node strong");
    expect([...nodes].map((n) => n.textContent)).toEqual(["Database", "Load balancer", "Endpoint service", "Datafold", "Vendor role"]);
  });

  it("shows the cost estimate with who pays, marked as an estimate with its date and region", () => {
    const body = review({
      region: "eu-west-1",
      cost: {
        region: "eu-west-1", pricedRegion: "us-east-1", pricesAsOf: "2026-09", yourMonthlyUsd: 16.425, vendorMonthlyUsd: 14.6,
        lines: [
          { part: "privateLink", item: "Network Load Balancer", rate: "$0.0225 per hour", monthlyUsd: 16.425, payer: "you", note: "", checked: false },
          { part: "privateLink", item: "Endpoint data", rate: "$0.01 per GB", monthlyUsd: null, payer: "vendor", note: "by traffic", checked: true },
        ],
      },
    });
    const section = byTestId(body, "cost-estimate")[0];
    expect(visibleText(byTestId(section, "cost-total")[0])).toBe("About $16.43 a month for you and $14.60 for Datafold, plus traffic.");
    expect(byTestId(section, "cost-line").map(visibleText)).toEqual([
      "Network Load Balancer $0.0225 per hour (unconfirmed) $16.43 you",
      "Endpoint data by traffic $0.01 per GB by traffic Datafold",
    ]);
    expect(visibleText(section)).toContain("us-east-1 prices as of 2026-09");
    expect(visibleText(section)).toContain("eu-west-1's prices may be a little higher.");
  });

  it("has no cost section for a plan made before estimates", () => {
    expect(byTestId(review(), "cost-estimate")).toHaveLength(0);
  });

  it("counts and lists the IAM actions the grant calls", () => {
    const body = review();
    expect(visibleText(byTestId(body, "iam-actions")[0].querySelector("summary")!)).toBe("The 2 IAM actions this grant calls, from creating it to revoking it");
    expect(byTestId(body, "iam-action").map((a) => a.textContent)).toEqual(["ec2:CreateSecurityGroup", "iam:CreateRole"]);
  });

  it("shows warnings, and what the role's policies allow beyond the task in plain words", () => {
    const actions = Array.from({ length: 10 }, (_, i) => `iam:action${i}`);
    const body = review({
      warnings: ["The allowlist cannot reach the database."],
      findings: [{ step: "role-policy-vendorlink-datafold", finding: { issue: "PRIVILEGE_ESCALATION", name: "CreateEC2WithExistingIP", actions } }],
    });
    expect(byTestId(body, "plan-warning").map(visibleText)).toEqual(["The allowlist cannot reach the database."]);
    const finding = byTestId(body, "policy-finding")[0];
    expect(finding.dataset.name).toBe("CreateEC2WithExistingIP");
    expect(visibleText(finding)).toBe(`Can pass roles of this account to a service it controls (CreateEC2WithExistingIP) (role-policy-vendorlink-datafold): ${actions.slice(0, 8).join(", ")} and 2 more`);
  });

  it("has no findings section when the policies allow nothing beyond the task", () => {
    expect(byTestId(review(), "policy-findings")).toHaveLength(0);
  });
});
