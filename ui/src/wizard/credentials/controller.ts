// Step 2: which credentials act in the account; "Next" waits for a successful identity check.
// Then IAM's policy simulator is asked whether they may make every call the grant needs.
import { api } from "../../api";
import type { ErrorPayload } from "../../api";
import { defaultParts } from "../../lib/grant-form";
import { Latest } from "../../lib/latest";
import { withTimeLimit } from "../../lib/time-limit";
import { credentialsScreen } from "../../screens/credentials/controller";
import type { Step } from "../shell";
import { createPreflightView, PREFLIGHT_LIMIT_SECONDS } from "./preflight-view";

export const credentialsStep: Step = {
  id: "credentials",
  title: "Credentials",
  waitingFor: "Check the credentials to go on.",
  start(body, ctx) {
    ctx.ready(false);
    const permissions = createPreflightView();
    // The check is for the identity that asked for it: a new pick or check drops its answer.
    const preflight = new Latest();
    credentialsScreen(body, {
      afterIdentity: permissions.element,
      onIdentity: (source, identity) => {
        // Another identity: a database picked with the earlier one (perhaps in a member account
        // of its organization) is not a choice made for this one.
        if (JSON.stringify(source) !== JSON.stringify(ctx.state.source)) {
          Object.assign(ctx.state, { database: null, region: null, account: null, dedicated: false, form: null, plan: null });
        }
        ctx.state.source = source;
        ctx.state.identity = identity;
        ctx.state.discovery = null;
        ctx.state.organization = null;
        ctx.ready(identity !== null);
        const ask = preflight.begin();
        const vendor = ctx.state.vendor;
        if (!identity || !vendor) {
          permissions.show(null);
          return;
        }
        permissions.show({ status: "asking" });
        void withTimeLimit(api.preflight(source, defaultParts(vendor)), PREFLIGHT_LIMIT_SECONDS, "IAM's policy simulator").then(
          (answer) => { if (ask.isCurrent()) permissions.show({ status: "answered", preflight: answer }); },
          (error: ErrorPayload) => { if (ask.isCurrent()) permissions.show({ status: "failed", error }); },
        );
      },
    });
  },
};
