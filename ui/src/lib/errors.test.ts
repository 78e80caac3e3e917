import { describe, expect, it } from "vitest";
import { asErrorPayload } from "./errors";

describe("asErrorPayload", () => {
  it("keeps a payload sent by Rust as it is", () => {
    const payload = { kind: "notFound", message: "There is no AWS profile named \"x\".", hint: "Pick one of: a.", fields: [], detail: "" };
    expect(asErrorPayload(payload)).toEqual(payload);
  });

  it("turns a bare string rejection into an internal error that keeps the text", () => {
    const result = asErrorPayload("command caller_identity not allowed");
    expect(result.kind).toBe("internal");
    expect(result.message).toBe("command caller_identity not allowed");
  });

  it("does not trust an object with an unknown kind", () => {
    expect(asErrorPayload({ kind: "weird", message: "m" }).kind).toBe("internal");
  });

  it("fills missing hint and fields", () => {
    expect(asErrorPayload({ kind: "aws", message: "m" })).toEqual({ kind: "aws", message: "m", hint: "", fields: [], detail: "" });
  });
});
