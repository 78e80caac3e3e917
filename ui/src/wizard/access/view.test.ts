// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { Database, VendorProfile } from "../../api/bindings";
import { emptyForm, type AccessForm } from "../../lib/grant-form";
import { byTestId, failure, visibleText } from "../../testing/fixtures";
import { mountAccessView } from "./view";

const vendor: VendorProfile = {
  id: "datafold", name: "Datafold", description: "", accountId: "710753145501", principals: [], ipRanges: [], regions: [], azIds: ["use1-az1"],
  permissions: { managedPolicyArns: [], inlinePolicy: "{\"Action\": \"iam:PassRole\"}" }, requireMfa: true, requireExternalId: true, externalId: null, acceptsCustomerExternalId: false, networkPaths: [],
};
const database: Database = {
  id: "orders-db", kind: "instance", engine: "postgres", engineVersion: "16", status: "available", endpoint: "orders-db.x", readerEndpoint: null,
  port: 5432, vpcId: "vpc-1", subnetIds: [], securityGroupIds: [], multiAz: false, publiclyAccessible: false, arn: "arn:aws:rds:us-east-1:123456789012:db:orders-db",
};

function accessScreen(edits: string[] = []) {
  const body = document.createElement("div");
  const view = mountAccessView(body, { vendor, database, zones: [{ zone: "us-east-1a", zoneId: "use1-az1", reachable: true }] }, emptyForm(vendor), {
    edit: <K extends keyof AccessForm>(key: K, value: AccessForm[K]) => edits.push(`${key}=${String(value)}`),
  });
  return { body, view };
}

describe("the access form", () => {
  it("asks for the ExternalId and the roles it may pass when the vendor's profile needs them", () => {
    const { body } = accessScreen();
    expect(byTestId(body, "field-externalId")).toHaveLength(1);
    expect(byTestId(body, "field-passRoleArns")).toHaveLength(1);
    expect(byTestId(body, "field-vendorAccount")).toHaveLength(0);
    expect(byTestId(body, "zones")[0].querySelectorAll("tbody tr")).toHaveLength(1);
  });

  it("reports what is typed and ticked", () => {
    const edits: string[] = [];
    const { body } = accessScreen(edits);
    const ips = byTestId(body, "field-targetIps")[0] as HTMLTextAreaElement;
    ips.value = "10.20.1.15";
    ips.dispatchEvent(new Event("input"));
    const privateLink = byTestId(body, "part-privateLink")[0] as HTMLInputElement;
    privateLink.checked = false;
    privateLink.dispatchEvent(new Event("change"));
    expect(edits).toEqual(["targetIps=10.20.1.15", "parts=vendorRole"]);
  });

  it("puts each error beside its input, and a refused plan under the form", () => {
    const { body, view } = accessScreen();
    view.showErrors({
      errors: [{ field: "targetIps[0]", message: "10.99.0.5 is not inside the database's VPC (10.20.0.0/16).", hint: "Type an address in it." }],
      planError: { ...failure("The plan was refused.", "invalidInput"), fields: [{ field: "expires", message: "2020-01-01 is already over (UTC).", hint: "" }] },
    });
    expect(visibleText(byTestId(body, "error-targetIps")[0])).toBe("10.99.0.5 is not inside the database's VPC (10.20.0.0/16). Type an address in it.");
    expect(visibleText(byTestId(body, "error-expires")[0])).toBe("2020-01-01 is already over (UTC).");
    expect(visibleText(byTestId(body, "plan-error")[0])).toBe("The plan was refused.");
    // The inputs themselves are marked, for the eye and for screen readers.
    const ips = byTestId(body, "field-targetIps")[0];
    expect(ips.getAttribute("aria-invalid")).toBe("true");
    expect(ips.parentElement!.classList.contains("has-error")).toBe(true);
    expect(byTestId(body, "field-maxSessionHours")[0].getAttribute("aria-invalid")).toBe("false");
    view.showErrors({ errors: [], planError: null });
    expect(byTestId(body, "plan-error")).toHaveLength(0);
    expect(visibleText(byTestId(body, "error-targetIps")[0])).toBe("");
    expect(ips.getAttribute("aria-invalid")).toBe("false");
  });

  it("shows peering only when it is chosen, with the requests waiting in the VPC to pick from", () => {
    const edits: string[] = [];
    const { body, view } = accessScreen(edits);
    const fieldset = byTestId(body, "peering")[0];
    expect(fieldset.hidden).toBe(true);
    const peering = byTestId(body, "part-vpcPeering")[0] as HTMLInputElement;
    peering.checked = true;
    peering.dispatchEvent(new Event("change"));
    expect(fieldset.hidden).toBe(false);
    view.showPeeringRequests({ status: "read", requests: [{
      id: "pcx-0a1b2c3d", status: "pending-acceptance",
      requester: { accountId: "710753145501", vpcId: "vpc-0f0e0d0c", region: "us-east-1", cidrs: ["10.9.0.0/16"] },
      accepter: { accountId: "123456789012", vpcId: "vpc-1", region: "us-east-1", cidrs: ["10.20.0.0/16"] },
    }] });
    expect(visibleText(byTestId(body, "peering-requests")[0])).toContain("pcx-0a1b2c3d from vpc-0f0e0d0c (10.9.0.0/16) · account 710753145501 · us-east-1");
    const request = byTestId(body, "peering-request")[0] as HTMLInputElement;
    request.checked = true;
    request.dispatchEvent(new Event("change"));
    expect(edits).toEqual(["parts=privateLink,vendorRole,vpcPeering", "peeringConnection=pcx-0a1b2c3d"]);
    view.showErrors({ errors: [{ field: "peering.cidrs", message: "The VPCs' address ranges overlap.", hint: "Peer with another VPC." }], planError: null });
    expect(visibleText(byTestId(body, "error-peering")[0])).toBe("The VPCs' address ranges overlap. Peer with another VPC.");
    view.showPeeringRequests({ status: "read", requests: [] });
    expect(byTestId(body, "peering-none")).toHaveLength(1);
  });
});
