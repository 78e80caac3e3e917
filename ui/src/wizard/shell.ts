// The wizard: which step is shown, and Back / Next. Each step says when it is complete enough
// to go on, and may do work (and refuse) when leaving.
import type { CredentialSource } from "../api/bindings";
import { mountShellView, type AccountBar, type ShellState, type StepInfo } from "./shell-view";
import type { WizardState } from "./state";

export interface StepContext {
  state: WizardState;
  /** Enables or disables "Next"; `why` says what is missing when the step's own words do not. */
  ready(ok: boolean, why?: string): void;
  /** Moves on as if "Next" was pressed. */
  next(): void;
  /** Moves to a step by id (e.g. "apply" to resume a grant). */
  goTo(id: string): void;
}

/** Work to do before moving on; false keeps the admin on the step. */
export type Leave = () => Promise<boolean>;

export interface Step extends StepInfo {
  /** The primary button's words from what the admin chose, when they name what it changes. */
  label?(state: Readonly<WizardState>): string | undefined;
  /** Draws the step into `body` and starts its work; returns what "Next" must do first, if anything. */
  start(body: HTMLElement, ctx: StepContext): Leave | void;
}

function describeSource(source: CredentialSource): string {
  if (source.type === "sandbox") return "Sandbox (local emulator)";
  return `${source.type === "profile" ? "Profile" : "Keychain key"} ${source.name}`;
}

/** From the third step on, once the credentials are checked: who acts, where. */
function accountBar(state: Readonly<WizardState>, index: number): AccountBar | null {
  const { identity, source } = state;
  if (index < 2 || !identity || !source) return null;
  return { account: state.account ?? identity.account, arn: identity.arn, region: state.region ?? identity.region, kind: source.type, source: describeSource(source) };
}

export function wizard(root: HTMLElement, steps: Step[], state: WizardState): { goTo(id: string): void } {
  const shell: ShellState = { index: 0, canGoOn: false, leaving: false, why: null };
  let leave: Leave | null = null;
  const view = mountShellView(root, { back: () => show(shell.index - 1), next: () => void forward() });

  const ctx: StepContext = {
    state,
    ready(ok, why) {
      shell.canGoOn = ok;
      shell.why = why ?? null;
      view.showButtons(steps, shell, steps[shell.index].label?.(state));
    },
    next: () => void forward(),
    goTo: (id) => show(steps.findIndex((s) => s.id === id)),
  };

  async function forward(): Promise<void> {
    if (!shell.canGoOn || shell.leaving) return;
    if (leave) {
      shell.leaving = true;
      view.showButtons(steps, shell, steps[shell.index].label?.(state));
      const ok = await leave().finally(() => { shell.leaving = false; });
      view.showButtons(steps, shell, steps[shell.index].label?.(state));
      if (!ok) return;
    }
    show(shell.index + 1);
  }

  function show(to: number): void {
    if (to < 0 || to >= steps.length) return;
    shell.index = to;
    shell.canGoOn = false;
    shell.why = null;
    view.showStep(steps, to);
    view.showAccount(accountBar(state, to));
    leave = steps[to].start(view.body, ctx) ?? null;
    view.showButtons(steps, shell, steps[shell.index].label?.(state));
    view.focusFirstControl();
  }

  show(0);
  return { goTo: ctx.goTo };
}
