// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { byTestId, failure, visibleText } from "../testing/fixtures";
import { errorBox } from "./error-box";

describe("an error as the admin reads it", () => {
  it("puts the sentence and the hint first, and AWS's own words folded below", () => {
    const box = errorBox({ ...failure("AWS denied ec2:DescribeVpcs to profile ops.", "accessDenied", "Ask for ec2:DescribeVpcs."), detail: "User: arn:aws:iam::1:user/ops is not authorized\nAWS request id: abc" }, "e");
    expect([...box.querySelectorAll("p")].map(visibleText)).toEqual(["AWS denied ec2:DescribeVpcs to profile ops.", "Ask for ec2:DescribeVpcs."]);
    const detail = byTestId(box, "error-detail")[0] as HTMLDetailsElement;
    expect(detail.open).toBe(false);
    expect(detail.querySelector("pre")!.textContent).toContain("AWS request id: abc");
    expect(byTestId(errorBox(failure("m"), "e"), "error-detail")).toHaveLength(0);
  });

  it("offers Try again only for failures that may pass, and only when the caller can repeat the call", () => {
    let tries = 0;
    const retry = () => { tries += 1; };
    byTestId(errorBox(failure("Throttled.", "throttled"), "e", retry), "error-retry")[0].click();
    byTestId(errorBox(failure("Unreachable.", "unreachable"), "e", retry), "error-retry")[0].click();
    expect(tries).toBe(2);
    expect(byTestId(errorBox(failure("Denied.", "accessDenied"), "e", retry), "error-retry")).toHaveLength(0);
    expect(byTestId(errorBox(failure("Throttled.", "throttled"), "e"), "error-retry")).toHaveLength(0);
  });
});
