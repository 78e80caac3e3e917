// Step 6 drawn: each step's progress, and the run's outcome.
import { consoleLink } from "../../lib/console-link";
import { appliedLine } from "../../lib/counts";
import type { ApplyReport, ErrorPayload } from "../../api/bindings";
import { h, mount } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";
import type { ProgressRow } from "./progress";

export type ApplyOutcome = { status: "done"; report: ApplyReport } | { status: "failed"; error: ErrorPayload };

export interface ApplyView {
  showProgress(rows: readonly ProgressRow[]): void;
  showCancelling(): void;
  /** The run ended: the cancel button goes, the outcome shows. */
  showOutcome(outcome: ApplyOutcome): void;
}

function renderProgressRows(rows: readonly ProgressRow[], openInConsole: (url: string) => void): HTMLElement[] {
  return rows.map((row) =>
    h("li", { class: `progress-${row.state}`, "data-testid": "progress-step", "data-id": row.id, "data-state": row.state },
      h("span", { class: "state" }, row.state), h("span", { class: "summary" }, row.summary), h("span", { class: "detail mono" }, row.detail),
      row.consoleUrl ? consoleLink(row.consoleUrl, row.summary, openInConsole) : null));
}

function renderApplyOutcome(outcome: ApplyOutcome): HTMLElement[] {
  if (outcome.status === "failed") {
    return [errorBox(outcome.error, "apply-error"), h("p", { class: "muted" }, "Rows marked removed were rolled back. Fix the cause, then plan the grant again.")];
  }
  return [h("p", { class: "success", "data-testid": "apply-done" }, appliedLine(outcome.report))];
}

/** The heading once the run ended: what became of the grant, not what was being attempted. */
function outcomeHeading(grantId: string, outcome: ApplyOutcome): string {
  if (outcome.status === "done") return `Grant ${grantId} created`;
  if (outcome.error.kind === "cancelled") return `Grant ${grantId} cancelled`;
  if (outcome.error.kind === "incomplete") return `Grant ${grantId} needs you`;
  return `Grant ${grantId} was not created`;
}

export function mountApplyView(body: HTMLElement, grantId: string, handlers: { cancel(): void; openInConsole(url: string): void }): ApplyView {
  const table = h("ol", { class: "progress", "data-testid": "progress" });
  const outcome = h("div");
  const cancel = h("button", { type: "button", class: "danger", "data-testid": "cancel-apply", onclick: handlers.cancel }, "Cancel and roll back");
  const heading = h("h2", {}, `Creating grant ${grantId}`);
  mount(body, heading, h("p", { class: "lead" }, "Each step is written to the grant's journal before and after its AWS call: if VendorLink stops, it resumes where it was."),
    h("div", { class: "actions start" }, cancel), table, outcome);
  return {
    showProgress: (rows) => mount(table, ...renderProgressRows(rows, handlers.openInConsole)),
    showCancelling() {
      cancel.disabled = true;
      cancel.textContent = "Cancelling…";
      heading.textContent = `Cancelling grant ${grantId}: rolling back`;
    },
    showOutcome(ended) {
      cancel.remove();
      heading.textContent = outcomeHeading(grantId, ended);
      mount(outcome, ...renderApplyOutcome(ended));
    },
  };
}
