// Step 7: what the vendor needs, from what AWS says now: shown, copied, printed, saved, sent.
import { api } from "../api";
import type { ErrorPayload, HandoffView } from "../api";
import { h, mount } from "../lib/dom";
import { errorBox } from "../screens/credentials";
import type { Step } from "./shell";

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older WebKit: the selection-based fallback.
    const area = h("textarea", { class: "offscreen" });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

export function handoffView(grantId: string, container: HTMLElement): void {
  const status = h("p", { class: "muted", role: "status", "data-testid": "handoff-status" }, "Reading the grant's resources from AWS…");
  mount(container, h("h2", {}, "Summary for the vendor"), status);
  api.grantSummary(grantId).then((view: HandoffView) => {
    const url = h("input", { id: "send-url", type: "url", placeholder: "https://vendor.example/vendorlink-hook", "data-testid": "send-url" });
    const sendArea = h("div");
    const copied = h("span", { class: "muted", role: "status", "data-testid": "copy-status" });
    const saveArea = h("div");
    const saveAs = async () => {
      try {
        const path = await api.saveSummaryAs(grantId);
        mount(saveArea, path === null ? null : h("p", { class: "success", "data-testid": "save-as-done" }, `Saved to ${path}.`));
      } catch (error) {
        mount(saveArea, errorBox(error as ErrorPayload, "save-as-error"));
      }
    };
    const send = async () => {
      mount(sendArea, h("p", { class: "muted" }, "Sending…"));
      try {
        const code = await api.sendSummary(grantId, url.value);
        mount(sendArea, h("p", { class: "success", "data-testid": "send-done" }, `Sent (HTTP ${code}).`));
      } catch (error) {
        mount(sendArea, errorBox(error as ErrorPayload, "send-error"));
      }
    };
    const link = view.summary.privateLink;
    const role = view.summary.role;
    const facts: HTMLElement[] = [];
    const fact = (label: string, value: string, testId: string | null = null) => facts.push(h("dt", {}, label), h("dd", { class: "mono", "data-testid": testId }, value));
    if (link) {
      fact("Endpoint service", link.serviceName, "handoff-service");
      fact("AZ IDs", link.availabilityZoneIds.join(", "), "handoff-azs");
    }
    if (role) {
      fact("Role", role.roleArn, "handoff-role");
      fact("External ID", role.externalId ?? "none");
    }
    fact("Saved to", view.savedTo, "handoff-saved");
    mount(container,
      h("h2", {}, `Summary for ${view.summary.vendorName}`),
      h("p", { class: "lead" }, "Built from AWS's current answers. It holds no secret: no keys, tokens or passwords."),
      h("dl", { class: "facts card", "data-testid": "handoff-facts" }, ...facts),
      link?.acceptanceRequired ? h("p", { class: "warning", "data-testid": "accept-reminder" },
        `Next, for you: once ${view.summary.vendorName} has created its endpoint, accept it under Grants → Connections. Until then it cannot connect.`) : null,
      h("div", { class: "actions start" },
        h("button", { type: "button", "data-testid": "copy-summary", onclick: () => void copy(view.markdown).then((ok) => { copied.textContent = ok ? "Copied as Markdown." : "Copying is not allowed here; select the text below."; }) }, "Copy"),
        h("button", { type: "button", "data-testid": "save-summary-as", onclick: () => void saveAs() }, "Save as…"),
        h("button", { type: "button", "data-testid": "print-summary", onclick: () => window.print() }, "Print"),
        copied),
      saveArea,
      h("pre", { class: "summary card", "data-testid": "handoff-markdown", tabindex: "0" }, view.markdown),
      h("div", { class: "inline-form" }, h("label", { for: "send-url" }, "Send to the vendor's address"), url,
        h("button", { type: "button", "data-testid": "send-summary", onclick: () => void send() }, "Send")),
      sendArea);
  }, (error: ErrorPayload) => mount(container, h("h2", {}, "Summary for the vendor"), errorBox(error, "handoff-error")));
}

export const handoffStep: Step = {
  id: "handoff",
  title: "Handoff",
  final: true,
  render(body, ctx) {
    if (ctx.state.grantId) handoffView(ctx.state.grantId, body);
  },
};
