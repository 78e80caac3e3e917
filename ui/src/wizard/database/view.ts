// Step 3 drawn: the databases found, filtered by the search text, and the regions that could
// not be read.
import type { Database, Discovery, ErrorPayload } from "../../api/bindings";
import { h, mount } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";

export interface DatabaseListState {
  /** Null while the regions are being searched. */
  discovery: Discovery | null;
  failure: ErrorPayload | null;
  filter: string;
  database: Database | null;
  region: string | null;
}

export interface DatabaseHandlers {
  filter(text: string): void;
  pick(database: Database, region: string): void;
}

export interface DatabaseView {
  showList(state: Readonly<DatabaseListState>): void;
  showNotes(discovery: Discovery | null): void;
}

function renderDatabaseList(state: Readonly<DatabaseListState>, handlers: DatabaseHandlers): HTMLElement[] {
  if (state.failure) return [errorBox(state.failure, "db-error")];
  if (!state.discovery) return [h("p", { class: "muted", "data-testid": "db-loading" }, "Looking for databases in every enabled region…")];
  const filter = state.filter.trim().toLowerCase();
  const shown = state.discovery.regions
    .flatMap((inventory) => inventory.databases.map((db) => ({ region: inventory.region, db })))
    .filter(({ region, db }) => filter === "" || [db.id, db.engine, db.vpcId, region, db.endpoint].some((v) => v.toLowerCase().includes(filter)));
  if (shown.length === 0) return [h("p", { class: "muted", "data-testid": "db-none" }, filter ? "No database matches." : "No RDS database in this account's enabled regions.")];
  return shown.map(({ region, db }) => {
    const selected = state.database?.id === db.id && state.region === region;
    return h("button", {
      type: "button", role: "radio", "aria-checked": selected ? "true" : "false", class: `choice db${selected ? " selected" : ""}`,
      "data-testid": "database", "data-id": db.id, "data-region": region, onclick: () => handlers.pick(db, region),
    },
      h("span", { class: "choice-title" }, db.id),
      h("span", { class: "choice-detail" }, `${db.engine} ${db.engineVersion} · ${db.kind === "cluster" ? "Aurora cluster" : "instance"}${db.multiAz ? " · Multi-AZ" : ""} · ${region} · ${db.vpcId}`),
      h("span", { class: "choice-detail mono" }, `${db.endpoint || "(no endpoint yet)"}:${db.port}`));
  });
}

function renderRegionFailures(discovery: Discovery | null): HTMLElement[] {
  return (discovery?.failures ?? []).map((f) => h("p", { class: "muted", "data-testid": "region-failure" }, `${f.region} could not be read: ${f.error.message}`));
}

export function mountDatabaseView(body: HTMLElement, handlers: DatabaseHandlers): DatabaseView {
  const search = h("input", { id: "db-search", type: "search", placeholder: "Filter by name, engine, VPC, region", "data-testid": "db-search", oninput: () => handlers.filter(search.value) });
  const list = h("div", { class: "choice-list", role: "radiogroup", "aria-label": "Databases", "data-testid": "db-list" });
  const notes = h("div");
  mount(body,
    h("h2", {}, "Which database?"),
    h("p", { class: "lead" }, "Every enabled region is searched at once. Nothing is changed."),
    h("div", { class: "field" }, h("label", { for: "db-search" }, "Search"), search),
    list, notes);
  return {
    showList: (state) => mount(list, ...renderDatabaseList(state, handlers)),
    showNotes: (discovery) => mount(notes, ...renderRegionFailures(discovery)),
  };
}
