import type { ErrorPayload } from "../api/bindings";

/** `work`, or a refusal once `seconds` have passed without its answer: a check that hangs
 * (a proxy that never answers) must not leave the admin watching a spinner. The work itself
 * goes on; its late answer is the caller's to drop. */
export function withTimeLimit<T>(work: Promise<T>, seconds: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const late: ErrorPayload = { kind: "unreachable", message: `${what} did not answer within ${seconds} s.`, hint: "Check your network or proxy, then try again.", fields: [], detail: "" };
      reject(late);
    }, seconds * 1000);
    work.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error: unknown) => { clearTimeout(timer); reject(error); },
    );
  });
}
