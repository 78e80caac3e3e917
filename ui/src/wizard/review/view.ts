// Step 5 drawn: the plan, as a list of resources and as a picture; nothing exists yet.
import type { CostEstimate, Plan, StepId } from "../../api/bindings";
import { h } from "../../lib/dom";
import { renderRole } from "./role";

/** Your VPC → database ← NLB ← endpoint service ← vendor, with the role and rules beside. */
function renderDiagram(plan: Plan): HTMLElement {
  const has = (id: StepId) => plan.steps.some((s) => s.id === id);
  const box = (label: string, detail: string, kind: string) => h("div", { class: `node node-${kind}` }, h("strong", {}, label), h("span", {}, detail));
  const arrow = (text: string) => h("div", { class: "edge", "aria-hidden": "true" }, text);
  const beside: HTMLElement[] = [];
  if (has("role")) beside.push(box("Vendor role", `${plan.vendorName} assumes it${plan.externalId ? " with the external id" : ""}`, "new"));
  if (has("sync-function")) beside.push(box("Target sync", "a function moves the NLB's targets on RDS events and every 5 minutes", "new"));
  if (has("allowlist")) beside.push(box("IP allowlist", `rules on the database's group`, "new"));
  const peering = plan.steps.find((s) => s.id === "peering")?.action;
  const peerRule = plan.steps.find((s) => s.id === "db-sg-from-peer")?.action;
  const peerRanges = peerRule?.type === "authorizeIngress" ? peerRule.sources.flatMap((s) => (s.type === "cidr" ? [s.cidr] : [])).join(", ") : "";
  const account = plan.steps.find((s) => s.action.type === "createAccount")?.action;
  if (!plan.database) {
    const name = account?.type === "createAccount" ? account.name : `account ${plan.accountId}`;
    return h("figure", { class: "diagram", "data-testid": "diagram", "aria-label": "What the grant builds" },
      h("div", { class: "vpc" }, h("span", { class: "vpc-label" }, account ? `New member account of your organization · made from ${plan.accountId}` : `Account ${plan.accountId}`),
        h("div", { class: "diagram-row" }, box(account ? "Dedicated account" : "Account", name, account ? "new" : "db"), ...beside)));
  }
  const row: HTMLElement[] = [box("Database", `${plan.database.id} :${plan.database.port}`, "db")];
  if (peering) {
    const how = peering.type === "acceptPeering" ? `accepts ${peering.connectionId}` : peering.type === "createPeering" ? `request to ${peering.peerVpcId}` : "";
    row.push(arrow("⇄"), box("VPC peering", `${how}; routes + one rule on :${plan.database.port}`, "new"), arrow("⇄"), box(plan.vendorName, `its VPC ${peerRanges}`, "vendor"));
  }
  const launched = plan.steps.find((s) => s.id === "bastion")?.action;
  if (has("db-sg-from-bastion")) {
    const what = launched?.type === "launchBastion" ? `${launched.instanceType}, SSH from its addresses; forwards to :${plan.database.port} only` : `your host ${plan.bastionHost?.host ?? ""}`;
    row.push(arrow("←"), box("SSH bastion", what, "new"), arrow("←"), box(plan.vendorName, "SSH tunnel", "vendor"));
  }
  if (has("resource-gateway")) {
    const config = plan.steps.find((s) => s.id === "resource-config")?.action;
    const names = config?.type === "createResourceConfiguration" ? (config.target.kind === "arn" ? "the database by ARN" : config.target.domainName) : "";
    row.push(arrow("←"), box("Resource gateway", "VPC Lattice, one subnet per AZ", "new"), arrow("←"), box("Resource configuration", `${names}; shared through AWS RAM`, "new"), arrow("←"), box(plan.vendorName, "Resource endpoint in its VPC", "vendor"));
  }
  if (has("nlb")) row.push(arrow("←"), box("Load balancer", "internal NLB, one node per AZ", "new"), arrow("←"), box("Endpoint service", "acceptance by you", "new"), arrow("←"), box(plan.vendorName, "interface endpoint in its VPC", "vendor"));
  return h("figure", { class: "diagram", "data-testid": "diagram", "aria-label": "What the grant builds" },
    h("div", { class: "vpc" }, h("span", { class: "vpc-label" }, `Your VPC ${plan.database.vpcId} · ${plan.region}`), h("div", { class: "diagram-row" }, ...row)),
    beside.length ? h("div", { class: "diagram-row" }, ...beside) : null);
}

/** A policy finding in plain words: parliament's name for it stays in the data. */
function findingTitle(name: string): string {
  if (name === "PermissionsManagement") return "Can change who may do what (resource policies, grants, IAM)";
  if (name.startsWith("PassExistingRole") || name === "CreateEC2WithExistingIP") return `Can pass roles of this account to a service it controls (${name})`;
  return `Can give itself more permissions (${name})`;
}

const dollars = (usd: number) => `$${usd.toFixed(2)}`;

/** What the plan's resources cost each side, marked as the estimate it is. */
function renderCost(cost: CostEstimate, vendor: string): HTMLElement {
  const elsewhere = cost.region !== cost.pricedRegion ? ` ${cost.region}'s prices may be a little higher.` : "";
  return h("section", { class: "card", "data-testid": "cost-estimate", "aria-label": "Cost estimate" },
    h("h3", {}, "What it will cost: an estimate"),
    h("p", { "data-testid": "cost-total" },
      `About ${dollars(cost.yourMonthlyUsd)} a month for you and ${dollars(cost.vendorMonthlyUsd)} for ${vendor}, plus traffic.`),
    h("table", { class: "cost" },
      h("thead", {}, h("tr", {}, h("th", {}, "What"), h("th", {}, "Rate"), h("th", {}, "A month"), h("th", {}, "Who pays"))),
      h("tbody", {}, ...cost.lines.map((l) => h("tr", { "data-testid": "cost-line", "data-payer": l.payer },
        h("td", {}, l.item, l.note ? h("span", { class: "help" }, ` ${l.note}`) : null),
        h("td", {}, l.rate, l.checked ? null : h("span", { class: "help", title: "From AWS's price list as published by others; not confirmed on AWS's own page" }, " (unconfirmed)")),
        h("td", {}, l.monthlyUsd === null || l.monthlyUsd === undefined ? "by traffic" : dollars(l.monthlyUsd)),
        h("td", {}, l.payer === "you" ? "you" : vendor))))),
    h("p", { class: "muted" }, `From the price table shipped with VendorLink: ${cost.pricedRegion} prices as of ${cost.pricesAsOf}, on-demand, 730 hours a month, before taxes and credits.${elsewhere} Check AWS's pricing pages before you rely on it.`));
}

export function renderReview(plan: Plan): HTMLElement[] {
  const role = renderRole(plan);
  return [
    h("h2", {}, "Review: nothing has been created yet"),
    h("p", { class: "lead" }, `Grant ${plan.grantId} for ${plan.vendorName}, in account ${plan.accountId}, ${plan.region}. Every resource carries the tag vendorlink:grant=${plan.grantId}.`),
    ...(plan.memberAccess ? [h("p", { class: "muted", "data-testid": "member-access" },
      `Account ${plan.accountId} is a member of your organization: VendorLink enters it from account ${plan.memberAccess.fromAccount} through the role ${plan.memberAccess.roleName}, for this and every later command on the grant.`)] : []),
    renderDiagram(plan),
    ...(plan.cost ? [renderCost(plan.cost, plan.vendorName)] : []),
    ...plan.warnings.map((w) => h("p", { class: "warning", "data-testid": "plan-warning" }, w)),
    ...(plan.findings.length ? [h("section", { class: "card", "data-testid": "policy-findings", "aria-label": "What the role's policies allow" },
      h("h3", {}, "What the role's policies would let the vendor do beyond its task"),
      h("ul", {}, ...plan.findings.map((f) => h("li", { "data-testid": "policy-finding", "data-name": f.finding.name },
        h("strong", {}, findingTitle(f.finding.name)), ` (${f.step}): `,
        h("span", { class: "mono" }, f.finding.actions.slice(0, 8).join(", ") + (f.finding.actions.length > 8 ? ` and ${f.finding.actions.length - 8} more` : ""))))))] : []),
    ...(role ? [role] : []),
    h("ol", { class: "plan-steps", "data-testid": "plan-steps" }, ...plan.steps.map((s) =>
      h("li", { "data-testid": "plan-step", "data-id": s.id }, h("span", {}, s.summary), h("span", { class: "muted mono" }, ` ${s.action.type}`)))),
    h("details", { class: "card", "data-testid": "iam-actions" },
      h("summary", {}, `The ${plan.iamActions.length} IAM actions this grant calls, from creating it to revoking it`),
      h("p", { class: "muted" }, "Your credentials need each of them; the preflight on the credentials step asked IAM about the same list."),
      h("ul", { class: "mono columns" }, ...plan.iamActions.map((a) => h("li", { "data-testid": "iam-action" }, a)))),
  ];
}
