import type { CredentialSource, Database, Discovery, Identity, Inventory, OrgDiscovery, Plan, VendorProfile } from "../api";
import type { ApplyRun } from "../lib/apply-run";
import type { AccessForm } from "../lib/grant-form";

/** Everything the admin chose so far; each step reads what the earlier ones set. */
export interface WizardState {
  vendor: VendorProfile | null;
  source: CredentialSource | null;
  identity: Identity | null;
  discovery: Discovery | null;
  /** Every account of the organization, once the admin chose to search it. */
  organization: OrgDiscovery | null;
  wholeOrganization: boolean;
  database: Database | null;
  region: string | null;
  /** The organization's member account the database is in; null for the credentials' own. */
  account: string | null;
  /** No database: a new member account is made for the vendor, holding only its role. */
  dedicated: boolean;
  /** The role member accounts are entered through; null for OrganizationAccountAccessRole. */
  accessRole: string | null;
  form: AccessForm | null;
  plan: Plan | null;
  /** The grant the apply and handoff steps work on (a new plan, or one resumed). */
  grantId: string | null;
  /** The apply the admin started ("Create it" or "Resume"); the apply step shows it. */
  applyRun: ApplyRun | null;
}

export function newState(): WizardState {
  return { vendor: null, source: null, identity: null, discovery: null, organization: null, wholeOrganization: false, database: null, region: null, account: null, dedicated: false, accessRole: null, form: null, plan: null, grantId: null, applyRun: null };
}

/** What discovery found where the chosen database is: its account's region. */
export function chosenInventory(state: Readonly<WizardState>): Inventory | undefined {
  if (state.account === null) return state.discovery?.regions.find((r) => r.region === state.region)
    ?? state.organization?.accounts.find((a) => a.account.id === state.organization?.callerAccount)?.discovery.regions.find((r) => r.region === state.region);
  return state.organization?.accounts.find((a) => a.account.id === state.account)?.discovery.regions.find((r) => r.region === state.region);
}
