import { describe, expect, it } from "vitest";
import type { ApplyReport, Progress } from "../api/bindings";
import { startApply } from "./apply-run";

describe("startApply", () => {
  it("calls the apply once, and a late viewer gets the events so far plus the rest", async () => {
    let calls = 0;
    let emit: (event: Progress) => void = () => undefined;
    let finish: (report: ApplyReport) => void = () => undefined;
    const run = startApply("g-0a1b2c3d", (_grantId, onEvent) => {
      calls += 1;
      emit = onEvent;
      return new Promise((resolve) => { finish = resolve; });
    });
    emit({ type: "stepStarted", step: "nlb-sg", summary: "group" });
    const seen: string[] = [];
    // Drawn twice (a re-render): both views see everything, and no second apply starts.
    for (let view = 0; view < 2; view++) {
      run.events.forEach((e) => seen.push(`${view}:${e.type}`));
      run.listen((e) => seen.push(`${view}:${e.type}`));
    }
    emit({ type: "stepDone", step: "nlb-sg", resource: "sg-1", adopted: false, consoleUrl: null });
    finish({ grantId: "g-0a1b2c3d", created: ["nlb-sg"], adopted: [], alreadyDone: [] });
    await expect(run.done).resolves.toMatchObject({ created: ["nlb-sg"] });
    expect(calls).toBe(1);
    expect(seen).toEqual(["0:stepStarted", "1:stepStarted", "0:stepDone", "1:stepDone"]);
  });
});
