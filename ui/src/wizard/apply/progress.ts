// The apply's progress table as plain data: one row per step, moved along by each event Rust
// pushes. Steps not in the plan (a resumed grant has none at hand) get a row when first named.
import type { Progress, Step } from "../../api/bindings";

export interface ProgressRow {
  id: string;
  /** pending, running, waiting, done, failed, removing, removed or left. */
  state: string;
  /** What the step makes, in the plan's words; it stays as the row moves along. */
  summary: string;
  /** What AWS answered: the id made, what it waits for, why it failed. */
  detail: string;
  /** The made resource's page in the AWS console, once there is one. */
  consoleUrl: string | null;
}

export function plannedRows(steps: readonly Step[]): ProgressRow[] {
  return steps.map((step) => ({ id: step.id, state: "pending", summary: step.summary, detail: "", consoleUrl: null }));
}

export function withEvent(rows: readonly ProgressRow[], event: Progress): ProgressRow[] {
  const at = rows.findIndex((row) => row.id === ("step" in event ? event.step : null));
  const set = (id: string, state: string, detail?: string, summary?: string, consoleUrl?: string | null) => {
    const row = { id, state, summary: rows[at]?.summary || summary || id, detail: detail ?? rows[at]?.detail ?? "", consoleUrl: consoleUrl === undefined ? rows[at]?.consoleUrl ?? null : consoleUrl };
    return at === -1 ? [...rows, row] : rows.map((r, i) => (i === at ? row : r));
  };
  switch (event.type) {
    case "stepStarted": return set(event.step, "running", "", event.summary);
    case "waiting": return set(event.step, "waiting", `${event.resource} is ${event.state} (${event.elapsedSecs} s)`);
    case "stepDone": return set(event.step, "done", `${event.resource}${event.adopted ? " (found after an interruption)" : ""}`, undefined, event.consoleUrl);
    case "stepFailed": return set(event.step, "failed", event.error.message);
    case "rollingBack": return rows[at]?.state === "pending" ? [...rows] : set(event.step, "removing");
    case "rolledBack": return set(event.step, "removed", undefined, undefined, null);
    case "rollbackFailed": return set(event.step, "left", event.error.message);
    case "runStarted": return [...rows];
  }
}
