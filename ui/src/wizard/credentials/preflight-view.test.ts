// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { byTestId, failure, visibleText } from "../../testing/fixtures";
import { createPreflightView } from "./preflight-view";

const answered = (checked: boolean, missing: string[]) =>
  ({ status: "answered" as const, preflight: { checked, caller: "arn:aws:iam::1:user/ops", needed: ["ec2:CreateSecurityGroup"], missing, detail: checked ? "Asked IAM." : "Could not check with IAM's policy simulator." } });

describe("the permission check", () => {
  it("spins while IAM is asked, saying how long it may take", () => {
    const view = createPreflightView();
    view.show({ status: "asking" });
    expect(view.element.dataset.result).toBe("asking");
    expect(view.element.querySelectorAll(".spinner")).toHaveLength(1);
    expect(visibleText(view.element)).toContain("(at most 30 s)");
  });

  it("says OK, missing or could not check at a glance", () => {
    const view = createPreflightView();
    const verdict = () => `${view.element.dataset.result}: ${visibleText(byTestId(view.element, "preflight-verdict")[0])}`;
    view.show(answered(true, []));
    expect(verdict()).toBe("ok: ✓ Every call the grant needs is allowed");
    view.show(answered(true, ["ec2:CreateSecurityGroup"]));
    expect(verdict()).toBe("missing: ⚠ Some calls the grant needs are not allowed");
    expect(byTestId(view.element, "preflight-missing").map(visibleText)).toEqual(["ec2:CreateSecurityGroup"]);
    view.show(answered(false, []));
    expect(verdict()).toBe("unchecked: ? Could not check the permissions");
    view.show({ status: "failed", error: failure("IAM's policy simulator did not answer within 30 s.", "unreachable") });
    expect(verdict()).toBe("unchecked: ? Could not check the permissions");
    expect(visibleText(byTestId(view.element, "preflight-detail")[0])).toMatch(/^IAM's policy simulator did not answer within 30 s\. You can go on/);
    view.show(null);
    expect(view.element.hidden).toBe(true);
  });
});
