// Step 7: what the vendor needs, from what AWS says now: shown, copied, printed, saved, sent.
import { api } from "../../api";
import type { ErrorPayload } from "../../api";
import { copyText } from "../../lib/clipboard";
import { mount } from "../../lib/dom";
import type { Step } from "../shell";
import { mountHandoffView, renderHandoffError, renderHandoffReading, type HandoffControls } from "./view";

function showHandoff(grantId: string, container: HTMLElement): void {
  mount(container, ...renderHandoffReading());
  api.grantSummary(grantId).then((summary) => {
    const shown: HandoffControls = mountHandoffView(container, summary, {
      copy: () => void copyText(summary.markdown).then(shown.showCopied),
      saveAs: async () => {
        try {
          const path = await api.saveSummaryAs(grantId);
          shown.showSaved(path === null ? { status: "cancelled" } : { status: "saved", path });
        } catch (error) {
          shown.showSaved({ status: "failed", error: error as ErrorPayload });
        }
      },
      print: () => window.print(),
      send: async (url) => {
        shown.showSent({ status: "sending" });
        try {
          shown.showSent({ status: "sent", code: await api.sendSummary(grantId, url) });
        } catch (error) {
          shown.showSent({ status: "failed", error: error as ErrorPayload });
        }
      },
    });
  }, (error: ErrorPayload) => mount(container, ...renderHandoffError(error)));
}

export const handoffStep: Step = {
  id: "handoff",
  title: "Handoff",
  final: true,
  start(body, ctx) {
    if (ctx.state.grantId) showHandoff(ctx.state.grantId, body);
  },
};
