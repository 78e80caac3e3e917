// Step 3: the database, from every region the account has enabled, searchable.
import { api } from "../../api";
import type { ErrorPayload } from "../../api";
import { Latest } from "../../lib/latest";
import type { Step } from "../shell";
import { mountDatabaseView, type DatabaseListState } from "./view";

// One search of the regions counts at a time: drawing this step again (or a new wizard) asks
// anew, and the earlier answer is dropped.
const discovering = new Latest();

export const databaseStep: Step = {
  id: "database",
  title: "Database",
  start(body, ctx) {
    let failure: ErrorPayload | null = null;
    let filter = "";
    const listState = (): DatabaseListState => ({ discovery: ctx.state.discovery, failure, filter, database: ctx.state.database, region: ctx.state.region });
    const view = mountDatabaseView(body, {
      filter: (text) => {
        filter = text;
        view.showList(listState());
      },
      pick: (database, region) => {
        ctx.state.database = database;
        ctx.state.region = region;
        ctx.state.form = null;
        view.showList(listState());
        ctx.ready(true);
      },
    });
    ctx.ready(ctx.state.database !== null);
    view.showList(listState());
    if (ctx.state.discovery || !ctx.state.source) {
      view.showNotes(ctx.state.discovery);
      return;
    }
    // An answer for credentials the admin has since changed belongs to nobody: dropped.
    const asked = ctx.state.source;
    const ask = discovering.begin();
    const current = () => ask.isCurrent() && ctx.state.source === asked;
    void api.discover(asked, true)
      .then((discovery) => { if (current()) ctx.state.discovery = discovery; }, (error: ErrorPayload) => { if (current()) failure = error; })
      .finally(() => {
        if (!current()) return;
        view.showList(listState());
        view.showNotes(ctx.state.discovery);
      });
  },
};
