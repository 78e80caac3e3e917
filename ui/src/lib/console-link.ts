// A link to a resource's page in the AWS console, opened in the system's browser (through
// Rust, which accepts console pages only) rather than inside the app's window.
import { h } from "./dom";

export function consoleLink(url: string, what: string, openInConsole: (url: string) => void): HTMLElement {
  return h("a", {
    href: url, class: "console-link", "data-testid": "console-link", "aria-label": `Open in the AWS console: ${what}`,
    onclick: (event: Event) => { event.preventDefault(); openInConsole(url); },
  }, "Open in console ↗");
}
