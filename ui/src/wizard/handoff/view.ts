// Step 7 drawn: what the vendor needs, from what AWS says now, with the ways to pass it on.
import type { ErrorPayload, HandoffView } from "../../api/bindings";
import { h, mount } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";

export type SaveOutcome = { status: "cancelled" } | { status: "saved"; path: string } | { status: "failed"; error: ErrorPayload };
export type SendOutcome = { status: "sending" } | { status: "sent"; code: number } | { status: "failed"; error: ErrorPayload };

export interface HandoffHandlers {
  copy(): void;
  saveAs(): void;
  print(): void;
  send(url: string): void;
}

export interface HandoffControls {
  showCopied(ok: boolean): void;
  showSaved(outcome: SaveOutcome): void;
  showSent(outcome: SendOutcome): void;
}

export function renderHandoffReading(): HTMLElement[] {
  return [h("h2", {}, "Summary for the vendor"), h("p", { class: "muted", role: "status", "data-testid": "handoff-status" }, "Reading the grant's resources from AWS…")];
}

export function renderHandoffError(error: ErrorPayload): HTMLElement[] {
  return [h("h2", {}, "Summary for the vendor"), errorBox(error, "handoff-error")];
}

function renderFacts(view: HandoffView): HTMLElement {
  const { privateLink: link, role, dedicatedAccount: account, peering, bastion, resourceEndpoint: resource } = view.summary;
  const facts: HTMLElement[] = [];
  const fact = (label: string, value: string, testId: string | null = null) => facts.push(h("dt", {}, label), h("dd", { class: "mono", "data-testid": testId }, value));
  if (account) fact("Dedicated account", `${account.accountId} (${account.name})`, "handoff-account");
  if (link) {
    fact("Endpoint service", link.serviceName, "handoff-service");
    fact("AZ IDs", link.availabilityZoneIds.join(", "), "handoff-azs");
  }
  if (resource) {
    fact("Resource configuration", resource.resourceConfigurationArn, "handoff-resource-config");
    fact("Resource share", `${resource.shareArn} (${resource.invitationStatus})`, "handoff-resource-share");
    fact("TLS hostname", resource.tlsHostname, "handoff-tls-hostname");
  }
  if (peering) {
    fact("Peering connection", `${peering.connectionId} (${peering.status})`, "handoff-peering");
    fact("Routes to", peering.customerCidrs.join(", "), "handoff-peering-cidrs");
  }
  if (bastion) {
    fact("SSH bastion", `${bastion.user}@${bastion.host}:${bastion.port} → ${bastion.forwardToHost}:${bastion.forwardToPort}`, "handoff-bastion");
    fact("Host keys", bastion.hostKeyFingerprints.length ? bastion.hostKeyFingerprints.join("\n") : bastion.fingerprintsNote ?? "", "handoff-host-keys");
  }
  if (role) {
    fact("Role", role.roleArn, "handoff-role");
    fact("External ID", role.externalId ?? "none");
    fact("Switch-role link", role.switchRoleUrl, "handoff-switch-role");
  }
  fact("Saved to", view.savedTo, "handoff-saved");
  return h("dl", { class: "facts card", "data-testid": "handoff-facts" }, ...facts);
}

function renderSaved(outcome: SaveOutcome): HTMLElement | null {
  if (outcome.status === "cancelled") return null;
  if (outcome.status === "failed") return errorBox(outcome.error, "save-as-error");
  return h("p", { class: "success", "data-testid": "save-as-done" }, `Saved to ${outcome.path}.`);
}

function renderSent(outcome: SendOutcome): HTMLElement {
  if (outcome.status === "sending") return h("p", { class: "muted" }, "Sending…");
  if (outcome.status === "failed") return errorBox(outcome.error, "send-error");
  return h("p", { class: "success", "data-testid": "send-done" }, `Sent (HTTP ${outcome.code}).`);
}

/** Replaces the container's content with the summary; the address field is kept while sending. */
export function mountHandoffView(container: HTMLElement, view: HandoffView, handlers: HandoffHandlers): HandoffControls {
  const vendorName = view.summary.vendorName;
  const url = h("input", { id: "send-url", type: "url", placeholder: "https://vendor.example/vendorlink-hook", "data-testid": "send-url" });
  const sendArea = h("div");
  const copied = h("span", { class: "muted", role: "status", "data-testid": "copy-status" });
  const saveArea = h("div");
  mount(container,
    h("h2", {}, `Summary for ${vendorName}`),
    h("p", { class: "lead" }, "Built from AWS's current answers. It holds no secret: no keys, tokens or passwords."),
    renderFacts(view),
    view.summary.privateLink?.acceptanceRequired ? h("p", { class: "warning", "data-testid": "accept-reminder" },
      `Next, for you: once ${vendorName} has created its endpoint, accept it under Grants → Connections. Until then it cannot connect.`) : null,
    view.summary.resourceEndpoint && view.summary.resourceEndpoint.invitationStatus !== "ASSOCIATED" ? h("p", { class: "warning", "data-testid": "share-reminder" },
      `Next, for ${vendorName}: accept the resource share in AWS RAM, then create a Resource endpoint for the configuration. Until then it reaches nothing.`) : null,
    view.summary.peering?.status === "pending-acceptance" ? h("p", { class: "warning", "data-testid": "peering-reminder" },
      `Next, for ${vendorName}: accept the peering request ${view.summary.peering.connectionId} on its side. Until then the routes lead nowhere.`) : null,
    h("div", { class: "actions start" },
      h("button", { type: "button", "data-testid": "copy-summary", onclick: handlers.copy }, "Copy"),
      h("button", { type: "button", "data-testid": "save-summary-as", onclick: handlers.saveAs }, "Save as…"),
      h("button", { type: "button", "data-testid": "print-summary", onclick: handlers.print }, "Print"),
      copied),
    saveArea,
    h("pre", { class: "summary card", "data-testid": "handoff-markdown", tabindex: "0" }, view.markdown),
    h("div", { class: "inline-form" }, h("label", { for: "send-url" }, "Send to the vendor's address"), url,
      h("button", { type: "button", "data-testid": "send-summary", onclick: () => handlers.send(url.value) }, "Send")),
    sendArea);
  return {
    showCopied: (ok) => { copied.textContent = ok ? "Copied as Markdown." : "Copying is not allowed here; select the text below."; },
    showSaved: (outcome) => mount(saveArea, renderSaved(outcome)),
    showSent: (outcome) => mount(sendArea, renderSent(outcome)),
  };
}
