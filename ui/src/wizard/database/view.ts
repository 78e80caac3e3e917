// Step 3 drawn: the databases found (in the credentials' account, or in every account of the
// organization), filtered by the search text, and the regions and accounts that could not be read.
import type { Database, Discovery, ErrorPayload, Inventory, OrgAccount, OrgDiscovery } from "../../api/bindings";
import { h, mount } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";
import { mayPass } from "../../lib/errors";

export interface DatabaseListState {
  /** Null while the regions are being searched. */
  discovery: Discovery | null;
  /** Null while the organization is being searched (when `wholeOrganization`). */
  organization: OrgDiscovery | null;
  wholeOrganization: boolean;
  failure: ErrorPayload | null;
  filter: string;
  database: Database | null;
  region: string | null;
  account: string | null;
  /** A new account for the vendor was chosen instead of a database. */
  dedicated: boolean;
}

export interface DatabaseHandlers {
  filter(text: string): void;
  /** `account`: the member account it is in; null for the credentials' own account. */
  pick(database: Database, region: string, account: string | null): void;
  wholeOrganization(on: boolean): void;
  /** The role to enter member accounts through (empty: OrganizationAccountAccessRole). */
  accessRole(role: string): void;
  /** No database: a new member account for the vendor. */
  dedicated(): void;
  /** Search again after a failure that may pass (throttling, the network). */
  retry(): void;
}

export interface DatabaseView {
  showList(state: Readonly<DatabaseListState>): void;
  showNotes(state: Readonly<DatabaseListState>): void;
}

interface Found {
  db: Database;
  region: string;
  /** The account it is in, when the organization was searched. */
  account: OrgAccount | null;
  /** The member account to plan in; null for the credentials' own. */
  member: string | null;
  /** Its VPC as the console lists it: the Name tag, then the id. */
  vpc: string;
}

/** A VPC by its Name tag and id, or its id alone when it has no name. */
export function vpcLabel(inventory: Inventory, vpcId: string): string {
  const name = inventory.vpcs.find((v) => v.id === vpcId)?.name;
  return name ? `${name} (${vpcId})` : vpcId;
}

function found(state: Readonly<DatabaseListState>): Found[] | null {
  if (!state.wholeOrganization) {
    return state.discovery?.regions.flatMap((inventory) => inventory.databases.map((db) => ({ db, region: inventory.region, account: null, member: null, vpc: vpcLabel(inventory, db.vpcId) }))) ?? null;
  }
  const org = state.organization;
  if (!org) return null;
  return org.accounts.flatMap(({ account, discovery }) => discovery.regions.flatMap((inventory) =>
    inventory.databases.map((db) => ({ db, region: inventory.region, account, member: account.id === org.callerAccount ? null : account.id, vpc: vpcLabel(inventory, db.vpcId) }))));
}

function renderDatabaseList(state: Readonly<DatabaseListState>, handlers: DatabaseHandlers): HTMLElement[] {
  if (state.failure) return [errorBox(state.failure, "db-error", handlers.retry)];
  const all = found(state);
  if (!all) {
    const where = state.wholeOrganization ? "in every account of the organization" : "in every enabled region";
    return [h("p", { class: "muted", "data-testid": "db-loading" }, `Looking for databases ${where}…`)];
  }
  const filter = state.filter.trim().toLowerCase();
  const shown = all.filter(({ region, db, account, vpc }) =>
    filter === "" || [db.id, db.engine, vpc, region, db.endpoint, account?.name ?? "", account?.id ?? ""].some((v) => v.toLowerCase().includes(filter)));
  if (shown.length === 0) {
    const none = state.wholeOrganization ? "No RDS database in the organization's accounts." : "No RDS database in this account's enabled regions.";
    return [h("p", { class: "muted", "data-testid": "db-none" }, filter ? "No database matches." : none)];
  }
  return shown.map(({ region, db, account, member, vpc }) => {
    const selected = !state.dedicated && state.database?.id === db.id && state.region === region && state.account === member;
    return h("button", {
      type: "button", role: "radio", "aria-checked": selected ? "true" : "false", class: `choice db${selected ? " selected" : ""}`,
      "data-testid": "database", "data-id": db.id, "data-region": region, "data-account": account?.id ?? null, onclick: () => handlers.pick(db, region, member),
    },
      h("span", { class: "choice-title" }, db.id),
      account ? h("span", { class: "choice-detail", "data-testid": "database-account" }, `account ${account.name} (${account.id})${member === null ? ", these credentials' own" : ""}`) : null,
      h("span", { class: "choice-detail" }, `${db.engine} ${db.engineVersion} · ${db.kind === "cluster" ? "Aurora cluster" : "instance"}${db.multiAz ? " · Multi-AZ" : ""} · ${region} · ${vpc}`),
      h("span", { class: "choice-detail mono" }, `${db.endpoint || "(no endpoint yet)"}:${db.port}`));
  });
}

/** The other kind of grant: no database, a member account of the vendor's own (as vendors that manage a whole account document it). */
function renderDedicatedChoice(state: Readonly<DatabaseListState>, handlers: DatabaseHandlers): HTMLElement {
  return h("button", {
    type: "button", role: "radio", "aria-checked": state.dedicated ? "true" : "false", class: `choice${state.dedicated ? " selected" : ""}`,
    "data-testid": "target-dedicated", onclick: () => handlers.dedicated(),
  },
    h("span", { class: "choice-title" }, "A new AWS account for the vendor"),
    h("span", { class: "choice-detail" }, "No database: a member account of your organization is created, holding only the vendor's role (the management account's credentials are needed). Whatever the role may do, it can do only there."));
}

function renderNotes(state: Readonly<DatabaseListState>, handlers: DatabaseHandlers): HTMLElement[] {
  const errors: ErrorPayload[] = [];
  const notes: HTMLElement[] = [];
  if (state.wholeOrganization) {
    const org = state.organization;
    for (const f of org?.failures ?? []) {
      errors.push(f.error);
      notes.push(h("p", { class: "muted", "data-testid": "account-failure", "data-account": f.account.id }, `Account ${f.account.name} (${f.account.id}) could not be read: ${f.error.message} ${f.error.hint}`));
    }
    for (const { account, discovery } of org?.accounts ?? []) {
      for (const f of discovery.failures) {
        errors.push(f.error);
        notes.push(h("p", { class: "muted", "data-testid": "region-failure" }, `${account.name}: ${f.region} could not be read: ${f.error.message}`));
      }
    }
  } else {
    for (const f of state.discovery?.failures ?? []) {
      errors.push(f.error);
      notes.push(h("p", { class: "muted", "data-testid": "region-failure" }, `${f.region} could not be read: ${f.error.message}`));
    }
  }
  // A region that was throttled or unreachable may answer now.
  if (errors.some(mayPass)) notes.push(h("button", { type: "button", "data-testid": "search-again", onclick: () => handlers.retry() }, "Search again"));
  return notes;
}

export function mountDatabaseView(body: HTMLElement, start: { whole: boolean; accessRole: string | null }, handlers: DatabaseHandlers): DatabaseView {
  const whole = start.whole;
  const search = h("input", { id: "db-search", type: "search", placeholder: "Filter by name, engine, VPC, region, account", "data-testid": "db-search", oninput: () => handlers.filter(search.value) });
  const organization = h("input", { id: "db-organization", type: "checkbox", checked: whole, "data-testid": "db-organization", onchange: () => handlers.wholeOrganization(organization.checked) });
  const role = h("input", {
    id: "db-access-role", "data-testid": "db-access-role", spellcheck: "false", value: start.accessRole ?? "OrganizationAccountAccessRole",
    "aria-describedby": "db-access-role-help", onchange: () => handlers.accessRole(role.value),
  });
  const list = h("div", { class: "choice-list", role: "radiogroup", "aria-label": "Databases", "data-testid": "db-list" });
  const notes = h("div");
  const dedicated = h("div", { class: "choice-list", role: "radiogroup", "aria-label": "Or a dedicated account" });
  mount(body,
    h("h2", {}, "Which database?"),
    h("p", { class: "lead" }, "Every enabled region is searched at once. Nothing is changed."),
    h("div", { class: "field" }, h("label", { for: "db-search" }, "Search"), search),
    h("div", { class: "check" }, organization,
      h("label", { for: "db-organization" }, h("strong", {}, "Every account of the organization"),
        h("span", { class: "help" }, " With the management account's credentials (or an account the member accounts trust): each member account is entered through the role below, and a grant there is made there."))),
    h("div", { class: "field" }, h("label", { for: "db-access-role" }, "Role to enter member accounts"), role,
      h("p", { class: "help", id: "db-access-role-help" }, "OrganizationAccountAccessRole exists in the accounts Organizations created; name another (an IAM Identity Center permission set's role) where it does not.")),
    list, notes,
    h("h3", {}, "Or no database"), dedicated);
  return {
    showList: (state) => {
      mount(list, ...renderDatabaseList(state, handlers));
      mount(dedicated, renderDedicatedChoice(state, handlers));
    },
    showNotes: (state) => mount(notes, ...renderNotes(state, handlers)),
  };
}
