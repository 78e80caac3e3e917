// One apply (or resume) of a grant, started by the admin's action ("Create it", "Resume"),
// never by drawing a screen: the apply step only shows a run that exists, and drawing it again
// (going back, a resize) replays the events so far instead of starting a second apply.
import type { ApplyReport, ErrorPayload, Progress } from "../api/bindings";

export interface ApplyRun {
  grantId: string;
  /** Every event so far, in order. */
  events: Progress[];
  /** Called for each event from now on; returns the unsubscribe function. */
  listen(listener: (event: Progress) => void): () => void;
  /** Settles once, when the run ends. */
  done: Promise<ApplyReport>;
}

/** Starts `apply` (a function that runs the apply and reports its events) once. */
export function startApply(grantId: string, apply: (grantId: string, onEvent: (event: Progress) => void) => Promise<ApplyReport>): ApplyRun {
  const events: Progress[] = [];
  const listeners = new Set<(event: Progress) => void>();
  const done = apply(grantId, (event) => {
    events.push(event);
    for (const listener of listeners) listener(event);
  });
  // The step that shows the run handles the outcome; this keeps an unwatched failure quiet.
  done.catch((_: ErrorPayload) => undefined);
  return {
    grantId,
    events,
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    done,
  };
}
