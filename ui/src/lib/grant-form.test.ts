import { describe, expect, it } from "vitest";
import type { Database, Subnet, VendorProfile } from "../api/bindings";
import { defaultExpiry, defaultParts, describeAccess, emptyForm, errorsBySlot, networkPath, splitList, toRequest, zoneCompatibility } from "./grant-form";

const vendor: VendorProfile = {
  id: "datafold", name: "Datafold", description: "", accountId: "710753145501", principals: ["arn:aws:iam::710753145501:root"],
  ipRanges: ["23.23.71.47/32"], regions: ["us-west-2"], azIds: ["use1-az1"], permissions: { managedPolicyArns: [], inlinePolicy: "{}" },
  requireMfa: true, requireExternalId: true, externalId: null, acceptsCustomerExternalId: false, networkPaths: [],
};
const database: Database = {
  id: "orders-db", kind: "instance", engine: "postgres", engineVersion: "16", status: "available", endpoint: "orders-db.x", readerEndpoint: null,
  port: 5432, vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b", "subnet-a2"], securityGroupIds: ["sg-1"], multiAz: true, publiclyAccessible: false, arn: "arn:aws:rds:us-east-1:123456789012:db:orders-db",
};
const subnet = (id: string, zone: string, zoneId: string): Subnet => ({ id, vpcId: "vpc-1", name: null, cidr: "10.0.0.0/24", availabilityZone: zone, availabilityZoneId: zoneId });

describe("the access form", () => {
  it("ends the role 90 days from today unless No end date is chosen", () => {
    expect(defaultExpiry(new Date("2026-11-27T23:30:00Z"))).toBe("2027-02-25");
    expect(defaultExpiry(new Date("2026-12-31T00:10:00Z"))).toBe("2027-03-31");
    const form = emptyForm(vendor);
    expect(form.expires).toBe(defaultExpiry());
    expect(toRequest(vendor, null, form).expires).toBe(defaultExpiry());
    expect(toRequest(vendor, null, { ...form, noEndDate: true }).expires).toBeNull();
  });

  it("suggests every part the profile has facts for", () => {
    expect(defaultParts(vendor)).toEqual(["privateLink", "vendorRole", "ipAllowlist"]);
    expect(defaultParts({ ...vendor, ipRanges: [], permissions: { managedPolicyArns: [], inlinePolicy: null } })).toEqual(["privateLink"]);
  });

  it("leaves the IP allowlist out for a database that is not publicly accessible, and gives it the private path", () => {
    expect(defaultParts(vendor, "us-east-1", database)).toEqual(["privateLink", "vendorRole"]);
    expect(defaultParts(vendor, "us-east-1", { ...database, publiclyAccessible: true })).toEqual(["privateLink", "vendorRole", "ipAllowlist"]);
    expect(emptyForm(vendor, false, "us-east-1", database).parts).not.toContain("ipAllowlist");
    // A vendor that documents only the allowlist and SSH: its bastion for a private database.
    const deepnote = { ...vendor, accountId: null, principals: [], permissions: { managedPolicyArns: [], inlinePolicy: null }, networkPaths: ["ipAllowlist", "sshBastion"] as VendorProfile["networkPaths"] };
    expect(defaultParts(deepnote, "us-east-1", database)).toEqual(["sshBastion"]);
    expect(defaultParts(deepnote, "us-east-1", { ...database, publiclyAccessible: true })).toEqual(["ipAllowlist"]);
    // A vendor whose documented paths leave the allowlist out does not get it.
    expect(defaultParts({ ...vendor, networkPaths: ["privateLink"] }, "us-east-1", { ...database, publiclyAccessible: true })).toEqual(["privateLink", "vendorRole"]);
  });

  it("proposes a resource endpoint to a vendor that accepts one in the database's region, else its endpoint service", () => {
    const clickhouse = { ...vendor, id: "clickhouse", regions: [], ipRanges: [], networkPaths: ["resourceEndpoint", "privateLink"] as VendorProfile["networkPaths"] };
    expect(defaultParts(clickhouse, "us-east-1")).toContain("resourceEndpoint");
    expect(defaultParts(clickhouse, "us-east-1")).not.toContain("privateLink");
    // A resource endpoint is not reached from another region.
    expect(networkPath({ ...clickhouse, regions: ["us-west-2"] }, "us-east-1")).toBe("privateLink");
    expect(networkPath({ ...vendor, networkPaths: ["ipAllowlist"] }, "us-east-1")).toBeNull();
    const request = toRequest(clickhouse, database, { ...emptyForm(clickhouse, false, "us-east-1"), resourceTarget: "writerDns" });
    expect(request.parts).toContain("resourceEndpoint");
    expect(request.resourceTarget).toBe("writerDns");
    expect(toRequest(vendor, database, emptyForm(vendor)).resourceTarget).toBeUndefined();
    // The target sync belongs to private link's load balancer only.
    expect(toRequest(vendor, database, { ...emptyForm(vendor), syncTargets: true }).syncTargets).toBe(true);
    expect(toRequest(clickhouse, database, { ...emptyForm(clickhouse, false, "us-east-1"), syncTargets: true }).syncTargets).toBe(false);
  });

  it("says in plain words what the vendor gets, one address or several", () => {
    expect(describeAccess(vendor)).toContain("Your database port opened to its published address.");
    const six = { ...vendor, ipRanges: ["1.1.1.1/32", "1.1.1.2/32", "1.1.1.3/32", "1.1.1.4/32", "1.1.1.5/32", "1.1.1.6/32"] };
    expect(describeAccess(six)).toContain("Your database port opened to its 6 published addresses.");
  });

  it("turns typed text into the request Rust checks", () => {
    const form = { ...emptyForm(vendor), targetIps: " 10.0.0.5,\n10.0.0.6 ", expires: "2027-03-31", maxSessionHours: "40", vendorAccount: "" };
    const request = toRequest(vendor, database, form);
    expect(request.targetIps).toEqual(["10.0.0.5", "10.0.0.6"]);
    expect(request.expires).toBe("2027-03-31");
    expect(request.maxSessionHours).toBe(40);
    expect(request.vendor.accountId).toBeNull();
    expect(splitList("")).toEqual([]);
  });

  it("asks to accept the chosen peering request, or to send one to the vendor's VPC with its ranges", () => {
    const accept = toRequest(vendor, database, { ...emptyForm(vendor), parts: ["vpcPeering"], peeringConnection: "pcx-0a1b2c3d", peerCidrs: "10.9.0.0/16", peeringDns: true });
    expect(accept.peering).toEqual({ connectionId: "pcx-0a1b2c3d", cidrs: [], dnsResolution: true });
    const send = toRequest(vendor, database, { ...emptyForm(vendor), parts: ["vpcPeering"], peerVpc: " vpc-0f0e0d0c ", peerRegion: "", peerCidrs: "10.9.0.0/16\n10.10.0.0/16" });
    expect(send.peering).toEqual({ vpcId: "vpc-0f0e0d0c", cidrs: ["10.9.0.0/16", "10.10.0.0/16"], dnsResolution: false });
    expect(toRequest(vendor, database, { ...emptyForm(vendor), peerVpc: "vpc-0f0e0d0c" }).peering).toBeUndefined();
    expect(errorsBySlot([{ field: "peering.cidrs", message: "overlap", hint: "" }]).get("peering")).toHaveLength(1);
  });

  it("asks for a bastion launched with the vendor's key, or opens the admin's own", () => {
    const launch = toRequest(vendor, database, { ...emptyForm(vendor), parts: ["sshBastion"], bastionKey: "ssh-ed25519 AAAA x" });
    expect(launch.bastion).toEqual({ publicKey: "ssh-ed25519 AAAA x" });
    const own = toRequest(vendor, database, { ...emptyForm(vendor), parts: ["sshBastion"], bastionMode: "own", bastionHost: " bastion.example.com ", bastionUser: "datafold", bastionGroup: "sg-0a1b2c3d" });
    expect(own.bastion).toEqual({ existing: { host: "bastion.example.com", port: 22, user: "datafold", securityGroupId: "sg-0a1b2c3d" } });
    expect(errorsBySlot([{ field: "bastion.publicKey", message: "options", hint: "" }]).get("bastion")).toHaveLength(1);
  });

  it("asks for a dedicated account with the vendor's name, AdministratorAccess and no database", () => {
    const form = { ...emptyForm(vendor, true), newAccountEmail: " aws+datafold@example.com ", newAccountOu: "" };
    expect(form.parts).toEqual(["dedicatedAccount", "vendorRole"]);
    const request = toRequest(vendor, null, form);
    expect(request.database).toBe("");
    expect(request.roleAccess).toBe("administrator");
    expect(request.newAccount).toEqual({ name: vendor.name, email: "aws+datafold@example.com" });
    expect(toRequest(vendor, null, { ...form, newAccountOu: "ou-ab12-cdef3456" }).newAccount?.organizationalUnit).toBe("ou-ab12-cdef3456");
    expect(toRequest(vendor, database, emptyForm(vendor)).newAccount).toBeUndefined();
    // A member account is entered through the role chosen for the organization; the credentials' own needs none.
    expect(toRequest(vendor, database, emptyForm(vendor), "222222222222", "VendorLinkReader").accessRole).toBe("VendorLinkReader");
    expect(toRequest(vendor, database, emptyForm(vendor), null, "VendorLinkReader").accessRole).toBeUndefined();
    expect([...errorsBySlot([{ field: "newAccount.email", message: "taken", hint: "" }, { field: "newAccount.organizationalUnit", message: "none", hint: "" }]).keys()].sort()).toEqual(["newAccountEmail", "newAccountOu"]);
  });

  it("puts each engine error next to its input", () => {
    const slots = errorsBySlot([
      { field: "targetIps[1]", message: "a", hint: "" },
      { field: "expires", message: "b", hint: "" },
      { field: "vendor.accountId", message: "c", hint: "" },
      { field: "vendor.ipRanges[0]", message: "d", hint: "" },
    ]);
    expect([...slots.keys()].sort()).toEqual(["expires", "general", "targetIps", "vendorAccount"]);
  });

  it("shows each zone once, by AZ ID, with whether the vendor reaches it", () => {
    const zones = zoneCompatibility(vendor, database, [subnet("subnet-a", "us-east-1a", "use1-az6"), subnet("subnet-b", "us-east-1b", "use1-az1"), subnet("subnet-a2", "us-east-1a", "use1-az6")]);
    expect(zones).toEqual([{ zone: "us-east-1a", zoneId: "use1-az6", reachable: false }, { zone: "us-east-1b", zoneId: "use1-az1", reachable: true }]);
  });
});
