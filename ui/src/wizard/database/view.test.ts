// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { Database, OrgDiscovery } from "../../api/bindings";
import { byTestId, failure, visibleText } from "../../testing/fixtures";
import { mountDatabaseView, type DatabaseListState } from "./view";

function database(id: string): Database {
  return {
    id, kind: "instance", engine: "postgres", engineVersion: "16.3", status: "available", endpoint: `${id}.example`, readerEndpoint: null, port: 5432,
    vpcId: "vpc-1", subnetIds: [], securityGroupIds: [], multiAz: false, publiclyAccessible: false, arn: "arn:aws:rds:us-east-1:123456789012:db:orders-db",
  };
}

const account = (id: string, name: string) => ({ id, name, email: `${name}@example.com`, status: "ACTIVE" });

function organization(): OrgDiscovery {
  const inventory = (region: string, ids: string[]) => ({ region, vpcs: [{ id: "vpc-1", name: "prod", cidrs: ["10.20.0.0/16"], isDefault: false }], subnets: [], securityGroups: [], ingressRules: [], databases: ids.map(database), grantResources: [] });
  return {
    callerAccount: "123456789012",
    accessRole: "OrganizationAccountAccessRole",
    accounts: [
      { account: account("123456789012", "master"), discovery: { regions: [inventory("us-east-1", ["orders-db"])], failures: [] } },
      { account: account("222222222222", "analytics"), discovery: { regions: [inventory("eu-west-1", ["events-db"])], failures: [] } },
    ],
    failures: [{ account: account("333333333333", "legacy-invited"), error: failure("AWS denied sts:AssumeRole.", "accessDenied", "Create the role.") }],
  };
}

function state(overrides: Partial<DatabaseListState> = {}): DatabaseListState {
  return { discovery: null, organization: organization(), wholeOrganization: true, failure: null, filter: "", database: null, region: null, account: null, dedicated: false, ...overrides };
}

function drawn(listState: DatabaseListState, picked: unknown[] = []): HTMLElement {
  const body = document.createElement("div");
  const view = mountDatabaseView(body, { whole: listState.wholeOrganization, accessRole: null }, { filter: () => {}, pick: (...args) => picked.push(args), wholeOrganization: () => {}, accessRole: (role) => picked.push(["role", role]), dedicated: () => picked.push(["dedicated"]), retry: () => picked.push(["retry"]) });
  view.showList(listState);
  view.showNotes(listState);
  return body;
}

describe("the database step across the organization", () => {
  it("lists every account's databases with the account they are in", () => {
    const body = drawn(state());
    expect(byTestId(body, "database").map((d) => `${d.dataset.id} ${d.dataset.account} ${d.dataset.region}`)).toEqual(["orders-db 123456789012 us-east-1", "events-db 222222222222 eu-west-1"]);
    expect(byTestId(body, "database-account").map(visibleText)).toEqual(["account master (123456789012), these credentials' own", "account analytics (222222222222)"]);
  });

  it("picks a member account's database with its account, the caller's own without one", () => {
    const picked: unknown[] = [];
    const body = drawn(state(), picked);
    byTestId(body, "database").forEach((d) => d.click());
    expect(picked.map((args) => (args as [Database, string, string | null]).slice(1))).toEqual([["us-east-1", null], ["eu-west-1", "222222222222"]]);
  });

  it("offers a new account for the vendor instead of a database, and shows it chosen", () => {
    const picked: unknown[] = [];
    const body = drawn(state({ organization: null }), picked);
    const choice = byTestId(body, "target-dedicated")[0];
    expect(choice.getAttribute("aria-checked")).toBe("false");
    choice.click();
    expect(picked).toEqual([["dedicated"]]);
    const chosen = drawn(state({ dedicated: true, database: null }));
    expect(byTestId(chosen, "target-dedicated")[0].getAttribute("aria-checked")).toBe("true");
  });

  it("asks which role enters member accounts, OrganizationAccountAccessRole unless changed", () => {
    const picked: unknown[] = [];
    const body = drawn(state(), picked);
    const role = byTestId(body, "db-access-role")[0] as HTMLInputElement;
    expect(role.value).toBe("OrganizationAccountAccessRole");
    role.value = "VendorLinkReader";
    role.dispatchEvent(new Event("change"));
    expect(picked).toEqual([["role", "VendorLinkReader"]]);
  });

  it("names the accounts it could not enter, with the hint", () => {
    expect(byTestId(drawn(state()), "account-failure").map(visibleText)).toEqual(["Account legacy-invited (333333333333) could not be read: AWS denied sts:AssumeRole. Create the role."]);
  });

  it("names each database's VPC by its Name tag, and offers to search again after a failure that may pass", () => {
    expect(visibleText(byTestId(drawn(state()), "database")[0])).toContain("us-east-1 · prod (vpc-1)");
    const picked: unknown[] = [];
    const throttled = drawn(state({ wholeOrganization: false, organization: null, failure: failure("AWS kept throttling ec2:DescribeRegions after the SDK's retries.", "throttled") }), picked);
    byTestId(throttled, "error-retry")[0].click();
    expect(picked).toEqual([["retry"]]);
    const denied = drawn(state({ wholeOrganization: false, organization: null, failure: failure("AWS denied ec2:DescribeRegions.", "accessDenied") }));
    expect(byTestId(denied, "error-retry")).toHaveLength(0);
  });

  it("filters by account name too, and says while it is still searching", () => {
    expect(byTestId(drawn(state({ filter: "analytics" })), "database").map((d) => d.dataset.id)).toEqual(["events-db"]);
    expect(visibleText(byTestId(drawn(state({ organization: null })), "db-loading")[0])).toBe("Looking for databases in every account of the organization…");
  });
});
