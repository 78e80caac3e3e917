// Step 3: the database, from every region the account has enabled, searchable.
import { api } from "../api";
import type { Database, ErrorPayload } from "../api";
import { h, mount } from "../lib/dom";
import { errorBox } from "../screens/credentials";
import type { Step } from "./shell";

export const databaseStep: Step = {
  id: "database",
  title: "Database",
  render(body, ctx) {
    const search = h("input", { id: "db-search", type: "search", placeholder: "Filter by name, engine, VPC, region", "data-testid": "db-search", oninput: () => renderList() });
    const list = h("div", { class: "choice-list", role: "radiogroup", "aria-label": "Databases", "data-testid": "db-list" });
    const notes = h("div");
    let failure: ErrorPayload | null = null;

    const rows = (): { region: string; db: Database }[] =>
      (ctx.state.discovery?.regions ?? []).flatMap((inventory) => inventory.databases.map((db) => ({ region: inventory.region, db })));

    function renderList(): void {
      if (failure) {
        mount(list, errorBox(failure, "db-error"));
        return;
      }
      if (!ctx.state.discovery) {
        mount(list, h("p", { class: "muted", "data-testid": "db-loading" }, "Looking for databases in every enabled region…"));
        return;
      }
      const filter = search.value.trim().toLowerCase();
      const shown = rows().filter(({ region, db }) => filter === "" || [db.id, db.engine, db.vpcId, region, db.endpoint].some((v) => v.toLowerCase().includes(filter)));
      mount(list, ...(shown.length === 0 ? [h("p", { class: "muted", "data-testid": "db-none" }, filter ? "No database matches." : "No RDS database in this account's enabled regions.")] : shown.map(({ region, db }) => {
        const selected = ctx.state.database?.id === db.id && ctx.state.region === region;
        return h("button", {
          type: "button", role: "radio", "aria-checked": selected ? "true" : "false", class: `choice db${selected ? " selected" : ""}`,
          "data-testid": "database", "data-id": db.id, "data-region": region,
          onclick: () => { ctx.state.database = db; ctx.state.region = region; ctx.state.form = null; renderList(); ctx.ready(true); },
        },
          h("span", { class: "choice-title" }, db.id),
          h("span", { class: "choice-detail" }, `${db.engine} ${db.engineVersion} · ${db.kind === "cluster" ? "Aurora cluster" : "instance"}${db.multiAz ? " · Multi-AZ" : ""} · ${region} · ${db.vpcId}`),
          h("span", { class: "choice-detail mono" }, `${db.endpoint || "(no endpoint yet)"}:${db.port}`));
      })));
    }

    function renderNotes(): void {
      const failures = ctx.state.discovery?.failures ?? [];
      mount(notes, ...failures.map((f) => h("p", { class: "muted", "data-testid": "region-failure" }, `${f.region} could not be read: ${f.error.message}`)));
    }

    mount(body,
      h("h2", {}, "Which database?"),
      h("p", { class: "lead" }, "Every enabled region is searched at once. Nothing is changed."),
      h("div", { class: "field" }, h("label", { for: "db-search" }, "Search"), search),
      list, notes);
    ctx.ready(ctx.state.database !== null);
    renderList();
    if (!ctx.state.discovery && ctx.state.source) {
      // An answer for credentials the admin has since changed belongs to nobody: dropped.
      const asked = ctx.state.source;
      const current = () => ctx.state.source === asked && list.isConnected;
      api.discover(asked, true).then((discovery) => { if (current()) ctx.state.discovery = discovery; }, (error) => { if (current()) failure = error as ErrorPayload; })
        .finally(() => { if (current()) { renderList(); renderNotes(); } });
    } else {
      renderNotes();
    }
  },
};
