// Step 3: the database, from every region the account has enabled (or every account of the
// organization), searchable.
import { api } from "../../api";
import type { ErrorPayload } from "../../api";
import { Latest } from "../../lib/latest";
import type { Step } from "../shell";
import { mountDatabaseView, type DatabaseListState } from "./view";

// One search counts at a time: drawing this step again, switching between the account and the
// organization, or a new wizard asks anew, and the earlier answer is dropped.
const discovering = new Latest();

export const databaseStep: Step = {
  id: "database",
  title: "Database",
  waitingFor: "Pick a database to go on.",
  start(body, ctx) {
    let failure: ErrorPayload | null = null;
    let filter = "";
    const listState = (): DatabaseListState => ({
      discovery: ctx.state.discovery, organization: ctx.state.organization, wholeOrganization: ctx.state.wholeOrganization,
      failure, filter, database: ctx.state.database, region: ctx.state.region, account: ctx.state.account, dedicated: ctx.state.dedicated,
    });
    const show = () => {
      view.showList(listState());
      view.showNotes(listState());
    };
    // Discovers what the current choice needs, unless it is known already.
    const load = () => {
      const asked = ctx.state.source;
      const whole = ctx.state.wholeOrganization;
      const ask = discovering.begin();
      if (!asked || (whole ? ctx.state.organization : ctx.state.discovery)) return;
      // An answer for credentials or a scope the admin has since changed belongs to nobody.
      const current = () => ask.isCurrent() && ctx.state.source === asked && ctx.state.wholeOrganization === whole;
      const answer = whole
        ? api.discoverOrganization(asked, true, ctx.state.accessRole).then((org) => { if (current()) ctx.state.organization = org; })
        : api.discover(asked, true).then((discovery) => { if (current()) ctx.state.discovery = discovery; });
      void answer.catch((error: ErrorPayload) => { if (current()) failure = error; }).finally(() => { if (current()) show(); });
    };
    const view = mountDatabaseView(body, { whole: ctx.state.wholeOrganization, accessRole: ctx.state.accessRole }, {
      filter: (text) => {
        filter = text;
        view.showList(listState());
      },
      pick: (database, region, account) => {
        ctx.state.database = database;
        ctx.state.region = region;
        ctx.state.account = account;
        ctx.state.dedicated = false;
        ctx.state.form = null;
        view.showList(listState());
        ctx.ready(true);
      },
      dedicated: () => {
        // Planned from the credentials' own account and region (IAM and Organizations are global);
        // what was typed for it already is kept.
        const form = ctx.state.dedicated ? ctx.state.form : null;
        Object.assign(ctx.state, { database: null, region: ctx.state.identity?.region ?? null, account: null, dedicated: true, form });
        view.showList(listState());
        ctx.ready(ctx.state.region !== null);
      },
      accessRole: (role) => {
        const chosen = role.trim() === "" || role.trim() === "OrganizationAccountAccessRole" ? null : role.trim();
        if (chosen === ctx.state.accessRole) return;
        // Another role may enter other accounts: the organization is read again, and a member
        // account's database picked through the old role is dropped.
        ctx.state.accessRole = chosen;
        ctx.state.organization = null;
        if (ctx.state.account !== null) {
          Object.assign(ctx.state, { database: null, region: null, account: null, form: null });
          ctx.ready(false);
        }
        failure = null;
        show();
        load();
      },
      retry: () => {
        // The whole search again: a region that failed is not known apart from the others.
        failure = null;
        if (ctx.state.wholeOrganization) ctx.state.organization = null;
        else ctx.state.discovery = null;
        show();
        load();
      },
      wholeOrganization: (on) => {
        ctx.state.wholeOrganization = on;
        // A member account's database is not in the credentials' own account's list.
        if (!on && ctx.state.account !== null) {
          Object.assign(ctx.state, { database: null, region: null, account: null, form: null });
          ctx.ready(false);
        }
        failure = null;
        show();
        load();
      },
    });
    ctx.ready(ctx.state.database !== null || (ctx.state.dedicated && ctx.state.region !== null));
    show();
    load();
  },
};
