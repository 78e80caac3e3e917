// The wizard's frame: the list of steps, the body a step draws into, and Back / Next, which
// stay the same elements from step to step (the keyboard's focus may be on them).
import { h, mount } from "../lib/dom";

export interface StepInfo {
  id: string;
  title: string;
  nextLabel?: string;
  /** Steps after which going back makes no sense (resources were created). */
  final?: boolean;
}

export interface ShellState {
  index: number;
  /** The step says it is complete enough to go on. */
  canGoOn: boolean;
  /** The step's work on "Next" is running. */
  leaving: boolean;
}

export interface ShellView {
  /** Where the current step draws. */
  body: HTMLElement;
  /** Marks `index` as the current step and empties the body for it. */
  showStep(steps: readonly StepInfo[], index: number): void;
  showButtons(steps: readonly StepInfo[], state: Readonly<ShellState>): void;
  /** Where the keyboard starts on a new step: its first control. */
  focusFirstControl(): void;
}

function renderStepNav(steps: readonly StepInfo[], index: number): HTMLElement[] {
  return steps.map((s, i) =>
    h("li", { class: i === index ? "current" : i < index ? "done" : "", "aria-current": i === index ? "step" : null, "data-testid": `nav-${s.id}` }, `${i + 1}. ${s.title}`));
}

export function mountShellView(root: HTMLElement, handlers: { back(): void; next(): void }): ShellView {
  const nav = h("ol", { class: "steps", "aria-label": "Steps" });
  const body = h("div", { class: "step-body" });
  const back = h("button", { type: "button", "data-testid": "wizard-back", onclick: handlers.back }, "Back");
  const next = h("button", { type: "button", class: "primary", "data-testid": "wizard-next", onclick: handlers.next }, "Next");
  mount(root, h("section", { class: "wizard", "data-testid": "wizard" }, nav, body, h("div", { class: "actions wizard-actions" }, back, next)));
  return {
    body,
    showStep(steps, index) {
      const step = steps[index];
      mount(nav, ...renderStepNav(steps, index));
      body.dataset.testid = `step-${step.id}`;
      body.setAttribute("aria-label", step.title);
      mount(body);
    },
    showButtons(steps, { index, canGoOn, leaving }) {
      const step = steps[index];
      next.disabled = !canGoOn || leaving;
      next.textContent = leaving ? "Working…" : (step.nextLabel ?? "Next");
      next.hidden = index === steps.length - 1;
      back.hidden = index === 0 || steps[index - 1].final === true || step.final === true;
    },
    focusFirstControl() {
      body.querySelector<HTMLElement>("input, button, select, textarea")?.focus();
    },
  };
}
