// The wizard's frame: the list of steps, the body a step draws into, and Back / Next, which
// stay the same elements from step to step (the keyboard's focus may be on them).
import type { SourceKind } from "../api/bindings";
import { h, mount } from "../lib/dom";

export interface StepInfo {
  id: string;
  title: string;
  nextLabel?: string;
  /** Why "Next" is off until the step is complete ("Pick a database to go on."). */
  waitingFor?: string;
  /** Steps after which going back makes no sense (resources were created). */
  final?: boolean;
}

export interface ShellState {
  index: number;
  /** The step says it is complete enough to go on. */
  canGoOn: boolean;
  /** The step's work on "Next" is running. */
  leaving: boolean;
  /** What the step still needs, when it says more than its `waitingFor`. */
  why: string | null;
}

/** Where the wizard acts: shown on every step once the credentials are checked. */
export interface AccountBar {
  account: string;
  arn: string;
  region: string;
  kind: SourceKind;
  /** The source in words: "Sandbox (local emulator)", "Profile prod-admin", "Keychain key ops". */
  source: string;
}

export interface ShellView {
  /** Where the current step draws. */
  body: HTMLElement;
  showAccount(bar: AccountBar | null): void;
  /** Marks `index` as the current step and empties the body for it. */
  showStep(steps: readonly StepInfo[], index: number): void;
  /** `label`: the primary button's words when the step names what it will change. */
  showButtons(steps: readonly StepInfo[], state: Readonly<ShellState>, label?: string): void;
  /** Where the keyboard starts on a new step: its first control. */
  focusFirstControl(): void;
}

function renderStepNav(steps: readonly StepInfo[], index: number): HTMLElement[] {
  return steps.map((s, i) =>
    h("li", { class: i === index ? "current" : i < index ? "done" : "", "aria-current": i === index ? "step" : null, "data-testid": `nav-${s.id}` }, `${i + 1}. ${s.title}`));
}

function renderAccountBar(bar: AccountBar): HTMLElement[] {
  return [
    h("span", { class: `source-chip source-${bar.kind}`, "data-testid": "account-source" }, bar.source),
    h("span", {}, "Account ", h("strong", { class: "mono", "data-testid": "account-id" }, bar.account)),
    h("span", { class: "mono", "data-testid": "account-region" }, bar.region),
    h("span", { class: "mono muted account-arn", "data-testid": "account-arn" }, bar.arn),
  ];
}

export function mountShellView(root: HTMLElement, handlers: { back(): void; next(): void }): ShellView {
  const nav = h("ol", { class: "steps", "aria-label": "Steps" });
  const accountBar = h("div", { class: "account-bar", "data-testid": "account-bar", role: "status", "aria-label": "Acting in", hidden: true });
  const body = h("div", { class: "step-body" });
  const back = h("button", { type: "button", "data-testid": "wizard-back", onclick: handlers.back }, "Back");
  const next = h("button", { type: "button", class: "primary", "data-testid": "wizard-next", "aria-describedby": "next-why", onclick: handlers.next }, "Next");
  const why = h("span", { class: "next-why", id: "next-why", "data-testid": "next-why", role: "status" });
  mount(root, h("section", { class: "wizard", "data-testid": "wizard" }, h("div", { class: "wizard-top" }, nav, accountBar), body, h("div", { class: "actions wizard-actions" }, why, back, next)));
  return {
    body,
    showAccount(bar) {
      accountBar.hidden = bar === null;
      accountBar.dataset.source = bar?.kind ?? "";
      mount(accountBar, ...(bar ? renderAccountBar(bar) : []));
    },
    showStep(steps, index) {
      const step = steps[index];
      mount(nav, ...renderStepNav(steps, index));
      body.dataset.testid = `step-${step.id}`;
      body.setAttribute("aria-label", step.title);
      mount(body);
    },
    showButtons(steps, { index, canGoOn, leaving, why: reason }, label) {
      const step = steps[index];
      next.disabled = !canGoOn || leaving;
      // A disabled Next says why.
      why.textContent = !canGoOn && !leaving ? (reason ?? step.waitingFor ?? "") : "";
      next.textContent = leaving ? "Working…" : (label ?? step.nextLabel ?? "Next");
      next.hidden = index === steps.length - 1;
      back.hidden = index === 0 || steps[index - 1].final === true || step.final === true;
    },
    focusFirstControl() {
      body.querySelector<HTMLElement>("input, button, select, textarea")?.focus();
    },
  };
}
