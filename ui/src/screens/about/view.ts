// About / diagnostics, drawn from what was read: the version and the log an admin attaches to
// a report.
import type { Diagnostics, ErrorPayload } from "../../api/bindings";
import { h } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";

export type AboutState = { status: "reading" } | { status: "read"; diagnostics: Diagnostics } | { status: "failed"; error: ErrorPayload };

export interface AboutHandlers {
  copyLogPath(path: string): void;
  refresh(): void;
}

export function renderAbout(state: AboutState, handlers: AboutHandlers): HTMLElement {
  return h("section", { class: "card about", "data-testid": "about" },
    h("h2", {}, "About VendorLink"),
    h("div", { "data-testid": "diagnostics" }, ...renderDiagnostics(state, handlers)));
}

function renderDiagnostics(state: AboutState, handlers: AboutHandlers): HTMLElement[] {
  if (state.status === "reading") return [h("p", { class: "muted" }, "Reading the log…")];
  if (state.status === "failed") return [errorBox(state.error, "diagnostics-error")];
  const { version, logFile, logTail } = state.diagnostics;
  return [
    h("p", {}, "Version ", h("span", { class: "mono", "data-testid": "version" }, version)),
    logFile
      ? h("p", {}, "Log file: ", h("span", { class: "mono", "data-testid": "log-file" }, logFile),
        h("button", { type: "button", class: "inline", "data-testid": "copy-log-path", onclick: () => handlers.copyLogPath(logFile) }, "Copy path"))
      : h("p", { class: "warning", "data-testid": "log-file" }, "No log file: the log folder could not be written."),
    h("h3", {}, `The log's last ${logTail.length} lines`),
    h("pre", { class: "log", "data-testid": "log-tail" }, logTail.join("\n")),
    h("button", { type: "button", "data-testid": "refresh-log", onclick: handlers.refresh }, "Refresh"),
  ];
}
