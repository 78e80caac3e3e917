import { describe, expect, it } from "vitest";
import { localTime, roleEnds } from "./when";

describe("times for the admin", () => {
  it("says how long the role has left, from the moment a plan records or a last day (UTC)", () => {
    const now = new Date("2026-11-27T10:00:00Z");
    const at = (iso: string) => localTime(iso);
    expect(roleEnds("2026-12-27T00:00:00Z", now)).toBe(`role ends in 29 days, ${at("2026-12-27T00:00:00Z")}`);
    expect(roleEnds("2026-12-26", now)).toBe(`role ends in 29 days, ${at("2026-12-27T00:00:00Z")}`);
    expect(roleEnds("2026-11-28T00:00:00Z", now)).toBe(`role ends today, ${at("2026-11-28T00:00:00Z")}`);
    expect(roleEnds("2026-11-29T00:00:00Z", now)).toBe(`role ends in 1 day, ${at("2026-11-29T00:00:00Z")}`);
    expect(roleEnds("2026-11-27T00:00:00Z", now)).toBe(`role ended ${at("2026-11-27T00:00:00Z")}`);
    expect(roleEnds(null, now)).toBe("role has no end date");
  });

  it("shows a time in local time with its zone, and a malformed one as it is", () => {
    expect(localTime("2026-11-27T10:00:00Z")).toMatch(/2026/);
    expect(localTime("2026-11-27T10:00:00Z")).toMatch(/UTC|GMT|[A-Z]{2,5}|[+-]\d/);
    expect(localTime("yesterday")).toBe("yesterday");
  });
});
