import { describe, expect, it } from "vitest";
import type { Database, VendorProfile } from "../../api/bindings";
import { allowlistReason, documentedByVendor, PARTS, tradeoffLine } from "./parts";

const vendor: VendorProfile = {
  id: "datafold", name: "Datafold", description: "", accountId: "710753145501", principals: [], ipRanges: ["23.23.71.47/32", "35.166.223.86/32"], regions: [], azIds: [],
  permissions: { managedPolicyArns: [], inlinePolicy: "{}" }, requireMfa: true, requireExternalId: true, externalId: null, acceptsCustomerExternalId: false,
  networkPaths: ["privateLink", "vpcPeering", "sshBastion", "ipAllowlist"],
};
const database: Database = {
  id: "orders-db", kind: "instance", engine: "postgres", engineVersion: "16", status: "available", endpoint: "orders-db.x", readerEndpoint: null,
  port: 5432, vpcId: "vpc-1", subnetIds: [], securityGroupIds: [], multiAz: false, publiclyAccessible: false, arn: "arn:aws:rds:us-east-1:123456789012:db:orders-db",
};

describe("the parts offered", () => {
  it("give each part its cost, what it needs and what a failover does, in one line", () => {
    for (const { tradeoff } of PARTS) {
      const line = tradeoffLine(tradeoff);
      expect(line).toMatch(/^Costs: .+ · Needs: .+ · On failover: .+$/);
      expect(line).not.toContain("\n");
    }
    expect(tradeoffLine(PARTS.find((p) => p.part === "privateLink")!.tradeoff)).toContain("kept in sync");
  });

  it("say which paths the vendor documents, and nothing when its profile lists none", () => {
    expect(documentedByVendor(vendor, "privateLink")).toBe(true);
    expect(documentedByVendor(vendor, "resourceEndpoint")).toBe(false);
    expect(documentedByVendor(vendor, "vendorRole")).toBe(true);
    expect(documentedByVendor({ ...vendor, networkPaths: [] }, "privateLink")).toBeNull();
  });

  it("explain the allowlist's suggestion from the database's reachability", () => {
    expect(allowlistReason(vendor, database)).toBe("Not suggested: orders-db is not publicly accessible, so Datafold cannot reach it from its 2 published addresses. Tick it only if you make it reachable.");
    expect(allowlistReason(vendor, { ...database, publiclyAccessible: true })).toBe("Suggested: orders-db is publicly accessible, and the rules let only its 2 published addresses in.");
    expect(allowlistReason({ ...vendor, ipRanges: [] }, database)).toContain("publishes no addresses");
  });
});
