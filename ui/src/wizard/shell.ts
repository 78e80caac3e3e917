// The wizard's frame: the list of steps, the current step's body, and Back / Next. Each step
// says when it is complete enough to go on, and may do work (and refuse) when leaving.
import { h, mount } from "../lib/dom";
import type { WizardState } from "./state";

export interface StepContext {
  state: WizardState;
  /** Enables or disables "Next". */
  ready(ok: boolean): void;
  /** Moves on as if "Next" was pressed. */
  next(): void;
  /** Moves to a step by id (e.g. "apply" to resume a grant). */
  goTo(id: string): void;
}

export interface Step {
  id: string;
  title: string;
  render(body: HTMLElement, ctx: StepContext): void;
  /** Work to do before moving on; false keeps the admin on this step. */
  leave?(ctx: StepContext): Promise<boolean>;
  nextLabel?: string;
  /** Steps after which going back makes no sense (resources were created). */
  final?: boolean;
}

export function wizard(root: HTMLElement, steps: Step[], state: WizardState): { goTo(id: string): void } {
  let index = 0;
  let canGoOn = false;
  let leaving = false;
  const nav = h("ol", { class: "steps", "aria-label": "Steps" });
  const body = h("div", { class: "step-body" });
  const back = h("button", { type: "button", "data-testid": "wizard-back", onclick: () => show(index - 1) }, "Back");
  const next = h("button", { type: "button", class: "primary", "data-testid": "wizard-next", onclick: () => void forward() }, "Next");

  const ctx: StepContext = {
    state,
    ready(ok) {
      canGoOn = ok;
      renderButtons();
    },
    next: () => void forward(),
    goTo: (id) => show(steps.findIndex((s) => s.id === id)),
  };

  function renderButtons(): void {
    const step = steps[index];
    next.disabled = !canGoOn || leaving;
    next.textContent = leaving ? "Working…" : (step.nextLabel ?? "Next");
    next.hidden = index === steps.length - 1;
    back.hidden = index === 0 || steps[index - 1].final === true || step.final === true;
  }

  async function forward(): Promise<void> {
    if (!canGoOn || leaving) return;
    const step = steps[index];
    if (step.leave) {
      leaving = true;
      renderButtons();
      const ok = await step.leave(ctx).finally(() => { leaving = false; });
      renderButtons();
      if (!ok) return;
    }
    show(index + 1);
  }

  function show(to: number): void {
    if (to < 0 || to >= steps.length) return;
    index = to;
    canGoOn = false;
    const step = steps[index];
    mount(nav, ...steps.map((s, i) =>
      h("li", { class: i === index ? "current" : i < index ? "done" : "", "aria-current": i === index ? "step" : null, "data-testid": `nav-${s.id}` }, `${i + 1}. ${s.title}`)));
    body.dataset.testid = `step-${step.id}`;
    body.setAttribute("aria-label", step.title);
    mount(body);
    step.render(body, ctx);
    renderButtons();
    body.querySelector<HTMLElement>("input, button, select, textarea")?.focus();
  }

  mount(root, h("section", { class: "wizard", "data-testid": "wizard" }, nav, body, h("div", { class: "actions wizard-actions" }, back, next)));
  show(0);
  return { goTo: ctx.goTo };
}
