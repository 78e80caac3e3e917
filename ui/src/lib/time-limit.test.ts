import { afterEach, describe, expect, it, vi } from "vitest";
import { withTimeLimit } from "./time-limit";

describe("a call with a time limit", () => {
  afterEach(() => { vi.useRealTimers(); });

  it("answers as the call does when it is in time", async () => {
    await expect(withTimeLimit(Promise.resolve(7), 30, "IAM")).resolves.toBe(7);
    await expect(withTimeLimit(Promise.reject(new Error("no")), 30, "IAM")).rejects.toThrow("no");
  });

  it("gives up with a sentence once the limit has passed", async () => {
    vi.useFakeTimers();
    const limited = withTimeLimit(new Promise<number>(() => undefined), 30, "IAM's policy simulator");
    vi.advanceTimersByTime(30_000);
    await expect(limited).rejects.toMatchObject({ kind: "unreachable", message: "IAM's policy simulator did not answer within 30 s." });
  });
});
