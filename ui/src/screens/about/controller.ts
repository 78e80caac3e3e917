// About / diagnostics: reads the log once per visit (and on Refresh). The log holds what the
// journal holds (runs, steps, resource ids, AWS request ids), never a credential.
import { api } from "../../api";
import type { ErrorPayload } from "../../api";
import { mount } from "../../lib/dom";
import { renderAbout, type AboutHandlers, type AboutState } from "./view";

export function aboutScreen(root: HTMLElement): void {
  const handlers: AboutHandlers = {
    copyLogPath: (path) => void navigator.clipboard.writeText(path),
    refresh: () => aboutScreen(root),
  };
  let shown = renderAbout({ status: "reading" }, handlers);
  mount(root, shown);
  // Once the admin has left the screen, `shown` has no parent and replacing it does nothing.
  const show = (state: AboutState) => {
    const next = renderAbout(state, handlers);
    shown.replaceWith(next);
    shown = next;
  };
  api.diagnostics().then((diagnostics) => show({ status: "read", diagnostics }), (error: ErrorPayload) => show({ status: "failed", error }));
}
