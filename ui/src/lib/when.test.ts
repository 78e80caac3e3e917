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
    const at = new Date("2026-11-27T10:00:00Z");
    // The zone as this machine names it for that instant, and the local hour, both shown.
    const part = (type: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(undefined, options).formatToParts(at).find((p) => p.type === type)?.value;
    const zone = part("timeZoneName", { timeZoneName: "short" });
    const hour = part("hour", { hour: "2-digit" });
    expect(zone).toBeTruthy();
    expect(localTime(at.toISOString())).toContain("2026");
    expect(localTime(at.toISOString()).endsWith(zone ?? "no zone")).toBe(true);
    expect(localTime(at.toISOString())).toContain(`${hour}:00`);
    expect(localTime("yesterday")).toBe("yesterday");
  });
});
