// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { byTestId, plan, visibleText } from "../../testing/fixtures";
import { localTime } from "../../lib/when";
import { pretty, renderRole, roleConditions, roleFacts } from "./role";

const trust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{
    Sid: "VendorAssumesRole", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::710753145501:root"] }, Action: "sts:AssumeRole",
    Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" }, StringEquals: { "sts:ExternalId": "ext-1" }, DateLessThan: { "aws:CurrentTime": "2027-02-26T00:00:00Z" } },
  }],
});
const expiry = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "GrantExpired", Effect: "Deny", Action: "*", Resource: "*" }] });
const withRole = plan({
  steps: [
    { id: "role", part: "vendorRole", summary: "Role Datafold assumes", action: { type: "createRole", name: "vl-role", description: "role", trustPolicy: trust, maxSessionSeconds: 3600 } },
    { id: "role-policy-0", part: "vendorRole", summary: "Its permissions", action: { type: "putRolePolicy", role: { from: "step", step: "role" }, name: "datafold-access", document: "{\"Statement\":[]}" } },
    { id: "role-expiry", part: "vendorRole", summary: "Its end", action: { type: "putRolePolicy", role: { from: "step", step: "role" }, name: "expiry", document: expiry } },
  ],
});

describe("the role in the review", () => {
  it("reads MFA, the ExternalId, the end and the session length from the trust policy", () => {
    const facts = roleFacts(withRole)!;
    expect(facts).toMatchObject({ mfa: true, externalId: true, endsAt: "2027-02-26T00:00:00Z", maxSessionHours: 1, managed: [] });
    const lines = roleConditions(facts, "Datafold");
    expect(lines[0]).toContain("unattended automation, signing with long-term access keys, cannot assume it");
    expect(lines).toContain(`Ends: from ${localTime("2027-02-26T00:00:00Z")} no new session starts, and a deny policy stops the sessions still open; the role itself stays until you revoke it.`);
    expect(lines[lines.length - 1]).toBe("Sessions last at most 1 hour.");
  });

  it("says what no MFA means, and nothing of a role the plan does not make", () => {
    const noMfa = plan({ steps: [{ id: "role", part: "vendorRole", summary: "", action: { type: "createRole", name: "r", description: "", trustPolicy: JSON.stringify({ Statement: [{ Effect: "Allow" }] }), maxSessionSeconds: 7200 } }] });
    const lines = roleConditions(roleFacts(noMfa)!, "Datafold");
    expect(lines[0]).toContain("No MFA required");
    expect(lines).toHaveLength(2);
    expect(renderRole(plan({ steps: [] }))).toBeNull();
  });

  it("shows the trust policy and each permission policy as indented JSON, folded", () => {
    const section = renderRole(withRole)!;
    const blocks = [...byTestId(section, "trust-policy"), ...byTestId(section, "inline-policy")];
    expect(blocks.map((b) => b.tagName)).toEqual(["DETAILS", "DETAILS", "DETAILS"]);
    expect(blocks[0].querySelector("pre")!.textContent).toBe(JSON.stringify(JSON.parse(trust), null, 2));
    expect(visibleText(blocks[1].querySelector("summary")!)).toBe("Permissions: datafold-access");
    expect(pretty("not json")).toBe("not json");
  });
});
