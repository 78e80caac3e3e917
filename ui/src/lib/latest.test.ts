import { describe, expect, it } from "vitest";
import { Latest } from "./latest";

describe("Latest", () => {
  it("keeps only the newest request current", () => {
    const place = new Latest();
    const first = place.begin();
    expect(first.isCurrent()).toBe(true);
    const second = place.begin();
    expect(first.isCurrent()).toBe(false);
    expect(second.isCurrent()).toBe(true);
  });

  it("drops a slow answer that arrives after a newer one", async () => {
    const place = new Latest();
    const shown: string[] = [];
    const show = async (answer: Promise<string>) => {
      const ask = place.begin();
      const value = await answer;
      if (ask.isCurrent()) shown.push(value);
    };
    let finishSlow: (v: string) => void = () => undefined;
    const slow = show(new Promise((resolve) => { finishSlow = resolve; }));
    await show(Promise.resolve("history of g-2"));
    finishSlow("status of g-1");
    await slow;
    expect(shown).toEqual(["history of g-2"]);
  });

  it("places are independent", () => {
    const a = new Latest();
    const b = new Latest();
    const askA = a.begin();
    b.begin();
    expect(askA.isCurrent()).toBe(true);
  });
});
