import { describe, expect, it } from "vitest";
import { EMPTY_FORM, entryFromForm, visibleErrors } from "./keychain-form";

describe("entryFromForm", () => {
  it("sends blank optional fields as null and trims the key id", () => {
    const entry = entryFromForm({ ...EMPTY_FORM, name: "prod", accessKeyId: " AKIAIOSFODNN7EXAMPLE ", secretAccessKey: "s", region: "  " });
    expect(entry).toEqual({ name: "prod", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "s", region: null, mfaSerial: null });
  });

  it("leaves the secret exactly as typed so Rust can report stray spaces", () => {
    expect(entryFromForm({ ...EMPTY_FORM, secretAccessKey: " x " }).secretAccessKey).toBe(" x ");
  });
});

describe("visibleErrors", () => {
  const errors = [
    { field: "name", message: "empty", hint: "" },
    { field: "accessKeyId", message: "bad", hint: "" },
    { field: "accessKeyId", message: "second", hint: "" },
  ];

  it("shows nothing for untouched fields", () => {
    expect(visibleErrors(errors, new Set()).size).toBe(0);
  });

  it("shows the first error of each touched field", () => {
    const shown = visibleErrors(errors, new Set(["accessKeyId"]));
    expect([...shown.keys()]).toEqual(["accessKeyId"]);
    expect(shown.get("accessKeyId")?.message).toBe("bad");
  });
});
