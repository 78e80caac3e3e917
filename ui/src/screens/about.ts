// About / diagnostics: the version and the log an admin attaches to a report. The log holds
// what the journal holds (runs, steps, resource ids, AWS request ids), never a credential.
import { api } from "../api";
import type { Diagnostics, ErrorPayload } from "../api";
import { h, mount } from "../lib/dom";
import { errorBox } from "./credentials";

export function aboutScreen(root: HTMLElement): void {
  const body = h("div", { "data-testid": "diagnostics" }, h("p", { class: "muted" }, "Reading the log…"));
  mount(root, h("section", { class: "card about", "data-testid": "about" }, h("h2", {}, "About VendorLink"), body));
  const show = (d: Diagnostics) => mount(body,
    h("p", {}, "Version ", h("span", { class: "mono", "data-testid": "version" }, d.version)),
    d.logFile
      ? h("p", {}, "Log file: ", h("span", { class: "mono", "data-testid": "log-file" }, d.logFile),
        h("button", { type: "button", class: "inline", "data-testid": "copy-log-path", onclick: () => void navigator.clipboard.writeText(d.logFile ?? "") }, "Copy path"))
      : h("p", { class: "warning", "data-testid": "log-file" }, "No log file: the log folder could not be written."),
    h("h3", {}, `The log's last ${d.logTail.length} lines`),
    h("pre", { class: "log", "data-testid": "log-tail" }, d.logTail.join("\n")),
    h("button", { type: "button", "data-testid": "refresh-log", onclick: () => aboutScreen(root) }, "Refresh"));
  api.diagnostics().then(show, (error: ErrorPayload) => mount(body, errorBox(error, "diagnostics-error")));
}
