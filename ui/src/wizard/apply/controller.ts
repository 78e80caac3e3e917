// Step 6: creating the resources, each one's progress live from Rust; on failure, what was
// rolled back. Also where an interrupted grant is resumed.
import { api } from "../../api";
import type { ErrorPayload, Progress } from "../../api";
import type { Step } from "../shell";
import { plannedRows, withEvent } from "./progress";
import { mountApplyView } from "./view";

export const applyStep: Step = {
  id: "apply",
  title: "Apply",
  waitingFor: "Waiting for the apply to finish.",
  nextLabel: "Summary for the vendor",
  final: true,
  start(body, ctx) {
    const run = ctx.state.applyRun;
    if (!run) return;
    const grantId = run.grantId;
    let rows = plannedRows(ctx.state.plan?.steps ?? []);
    const view = mountApplyView(body, grantId, {
      cancel: () => {
        view.showCancelling();
        void api.cancelApply(grantId);
      },
      openInConsole: (url) => void api.openInConsole(url),
    });
    const onEvent = (event: Progress) => {
      rows = withEvent(rows, event);
      view.showProgress(rows);
    };
    // Shows the run the admin started; drawing this step again never starts another.
    run.events.forEach(onEvent);
    const stop = run.listen(onEvent);
    view.showProgress(rows);
    ctx.ready(false);
    run.done.finally(stop).then(
      (report) => {
        view.showOutcome({ status: "done", report });
        ctx.ready(true);
      },
      (error: ErrorPayload) => view.showOutcome({ status: "failed", error }),
    );
  },
};
