// Step 2: which credentials act in the account; "Next" waits for a successful identity check.
// Then IAM's policy simulator is asked whether they may make every call the grant needs.
import { api } from "../api";
import { h, mount } from "../lib/dom";
import { defaultParts } from "../lib/grant-form";
import { credentialsScreen } from "../screens/credentials";
import type { Step } from "./shell";

export const credentialsStep: Step = {
  id: "credentials",
  title: "Credentials",
  render(body, ctx) {
    ctx.ready(false);
    const permissions = h("section", { class: "card", "data-testid": "preflight", "aria-label": "Permissions", hidden: true });
    credentialsScreen(body, (source, identity) => {
      ctx.state.source = source;
      ctx.state.identity = identity;
      ctx.state.discovery = null;
      ctx.ready(identity !== null);
      if (!identity || !ctx.state.vendor) {
        permissions.hidden = true;
        return;
      }
      permissions.hidden = false;
      mount(permissions, h("p", { class: "muted" }, "Asking IAM whether these credentials may make every call the grant needs…"));
      void api.preflight(source, defaultParts(ctx.state.vendor)).then((result) => {
        mount(permissions,
          h("h3", {}, "Permissions"),
          h("p", { "data-testid": "preflight-detail", "data-checked": String(result.checked) }, result.detail),
          result.missing.length ? h("ul", {}, ...result.missing.map((a) => h("li", { class: "mono", "data-testid": "preflight-missing" }, a))) : null);
      }, () => mount(permissions, h("p", { class: "muted" }, "The permission check did not answer.")));
    });
    body.querySelector("[data-testid=identity-area]")?.after(permissions);
  },
};
