// Plain data as Rust sends it, for the view tests.
import type { ErrorPayload, Plan } from "../api/bindings";

export function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    grantId: "g-0a1b2c3d", createdAt: "2026-01-05T10:00:00Z", accountId: "123456789012", region: "us-east-1", source: { type: "sandbox" },
    vendorId: "datafold", vendorName: "Datafold", database: { id: "orders-db", engine: "postgres", endpoint: "orders-db.example.rds.amazonaws.com", port: 5432, vpcId: "vpc-1" },
    parts: ["privateLink", "vendorRole"], externalId: "ext-1", expires: null, warnings: [], findings: [], iamActions: ["ec2:CreateSecurityGroup", "iam:CreateRole"],
    steps: [
      { id: "nlb-sg", part: "privateLink", summary: "Security group for the load balancer", action: { type: "createSecurityGroup", name: "vl-sg", description: "nlb", vpcId: "vpc-1" } },
      { id: "nlb", part: "privateLink", summary: "Internal network load balancer", action: { type: "createLoadBalancer", name: "vl-nlb", subnetIds: ["subnet-1"], securityGroup: { from: "step", step: "nlb-sg" } } },
      { id: "role", part: "vendorRole", summary: "Role Datafold assumes", action: { type: "createRole", name: "vl-role", description: "role", trustPolicy: "{}", maxSessionSeconds: 3600 } },
    ],
    ...overrides,
  };
}

export function failure(message: string, kind: ErrorPayload["kind"] = "aws", hint = ""): ErrorPayload {
  return { kind, message, hint, fields: [], detail: "" };
}

/** What a person reads in `root`: its pieces of text in order, one space between them. */
export function visibleText(root: Element): string {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const pieces: string[] = [];
  while (walker.nextNode()) pieces.push(walker.currentNode.textContent ?? "");
  return pieces.join(" ").replace(/\s+/g, " ").trim();
}

export function byTestId(root: ParentNode, testId: string): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)];
}
