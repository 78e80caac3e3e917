import type { CredentialSource, Database, Discovery, Identity, Plan, VendorProfile } from "../api";
import type { ApplyRun } from "../lib/apply-run";
import type { AccessForm } from "../lib/grant-form";

/** Everything the admin chose so far; each step reads what the earlier ones set. */
export interface WizardState {
  vendor: VendorProfile | null;
  source: CredentialSource | null;
  identity: Identity | null;
  discovery: Discovery | null;
  database: Database | null;
  region: string | null;
  form: AccessForm | null;
  plan: Plan | null;
  /** The grant the apply and handoff steps work on (a new plan, or one resumed). */
  grantId: string | null;
  /** The apply the admin started ("Create it" or "Resume"); the apply step shows it. */
  applyRun: ApplyRun | null;
}

export function newState(): WizardState {
  return { vendor: null, source: null, identity: null, discovery: null, database: null, region: null, form: null, plan: null, grantId: null, applyRun: null };
}
