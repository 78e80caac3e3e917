// Step 6: creating the resources, each one's progress live from Rust; on failure, what was
// rolled back. Also where an interrupted grant is resumed.
import { api } from "../api";
import type { ErrorPayload, Progress } from "../api";
import { h, mount } from "../lib/dom";
import { errorBox } from "../screens/credentials";
import type { Step } from "./shell";

type Row = { state: string; detail: string };

export const applyStep: Step = {
  id: "apply",
  title: "Apply",
  nextLabel: "Summary for the vendor",
  final: true,
  render(body, ctx) {
    const run = ctx.state.applyRun;
    if (!run) return;
    const grantId = run.grantId;
    const rows = new Map<string, Row>();
    for (const step of ctx.state.plan?.steps ?? []) rows.set(step.id, { state: "pending", detail: step.summary });
    const table = h("ol", { class: "progress", "data-testid": "progress" });
    const outcome = h("div");

    function render(): void {
      mount(table, ...[...rows].map(([id, row]) =>
        h("li", { class: `progress-${row.state}`, "data-testid": "progress-step", "data-id": id, "data-state": row.state },
          h("span", { class: "state" }, row.state), h("span", { class: "mono" }, id), h("span", { class: "detail" }, row.detail))));
    }

    function onEvent(event: Progress): void {
      const set = (id: string, state: string, detail?: string) => rows.set(id, { state, detail: detail ?? rows.get(id)?.detail ?? "" });
      switch (event.type) {
        case "stepStarted": set(event.step, "running", event.summary); break;
        case "waiting": set(event.step, "waiting", `${event.resource} is ${event.state} (${event.elapsedSecs} s)`); break;
        case "stepDone": set(event.step, "done", `${event.resource}${event.adopted ? " (found after an interruption)" : ""}`); break;
        case "stepFailed": set(event.step, "failed", event.error.message); break;
        case "rollingBack": if (rows.get(event.step)?.state !== "pending") set(event.step, "removing"); break;
        case "rolledBack": set(event.step, "removed"); break;
        case "rollbackFailed": set(event.step, "left", event.error.message); break;
        case "runStarted": break;
      }
      render();
    }

    const cancel = h("button", {
      type: "button", class: "danger", "data-testid": "cancel-apply",
      onclick: () => { cancel.disabled = true; cancel.textContent = "Cancelling…"; void api.cancelApply(grantId); },
    }, "Cancel and roll back");
    mount(body, h("h2", {}, `Creating grant ${grantId}`), h("p", { class: "lead" }, "Each step is written to the grant's journal before and after its AWS call: if VendorLink stops, it resumes where it was."),
      h("div", { class: "actions start" }, cancel), table, outcome);
    // Shows the run the admin started; drawing this step again never starts another.
    run.events.forEach(onEvent);
    const stop = run.listen(onEvent);
    render();
    ctx.ready(false);
    run.done.finally(stop).then(
      (report) => {
        cancel.remove();
        mount(outcome, h("p", { class: "success", "data-testid": "apply-done" }, `Done: ${report.created.length} created, ${report.adopted.length} found from an interrupted run, ${report.alreadyDone.length} already there.`));
        ctx.ready(true);
      },
      (error: ErrorPayload) => {
        cancel.remove();
        mount(outcome, errorBox(error, "apply-error"), h("p", { class: "muted" }, "Rows marked removed were rolled back. Fix the cause, then plan the grant again."));
      },
    );
  },
};
