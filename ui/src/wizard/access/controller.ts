// Step 4: which parts to grant and the few values only the admin knows. Every field is checked
// by the same Rust code as the command line, as it is typed.
import { api } from "../../api";
import type { ErrorPayload, FieldError } from "../../api";
import { emptyForm, toRequest, zoneCompatibility } from "../../lib/grant-form";
import { Latest } from "../../lib/latest";
import type { Step } from "../shell";
import { chosenInventory } from "../state";
import { createPreflightView, PREFLIGHT_LIMIT_SECONDS } from "../credentials/preflight-view";
import { withTimeLimit } from "../../lib/time-limit";
import { mountAccessView } from "./view";

export const accessStep: Step = {
  id: "access",
  title: "Access",
  waitingFor: "Fix what is marked above to go on.",
  nextLabel: "Review",
  start(body, ctx) {
    const { vendor, database, region, account, dedicated } = ctx.state;
    if (!vendor || !region || (!database && !dedicated)) return;
    const form = ctx.state.form ?? emptyForm(vendor, dedicated, region, database);
    ctx.state.form = form;
    let errors: FieldError[] = [];
    let planError: ErrorPayload | null = null;
    // Only the check of the latest keystroke counts.
    const checks = new Latest();
    const check = async () => {
      const ask = checks.begin();
      const found = await api.checkRequest(region, toRequest(vendor, database, form, account, ctx.state.accessRole)).catch(() => []);
      if (!ask.isCurrent()) return;
      errors = found;
      view.showErrors({ errors, planError });
      ctx.ready(errors.length === 0 && form.parts.length > 0, form.parts.length === 0 ? "Choose at least one part of the grant to go on." : undefined);
    };
    const subnets = chosenInventory(ctx.state)?.subnets ?? [];
    const view = mountAccessView(body, { vendor, database, zones: database ? zoneCompatibility(vendor, database, subnets) : [] }, form, {
      edit(key, value) {
        form[key] = value;
        planError = null;
        void check();
      },
    });

    if (database && ctx.state.source) {
      // The pending peering requests, offered when the admin chooses VPC peering; the one from
      // the vendor's account is chosen by default.
      view.showPeeringRequests({ status: "reading" });
      void api.peeringRequests(ctx.state.source, region, account, ctx.state.accessRole, database.vpcId).then(
        (requests) => {
          const fromVendor = requests.filter((c) => c.requester.accountId === (form.vendorAccount.trim() || vendor.accountId));
          if (form.peeringConnection === "" && fromVendor.length === 1) form.peeringConnection = fromVendor[0].id;
          view.showPeeringRequests({ status: "read", requests });
          void check();
        },
        (error: ErrorPayload) => view.showPeeringRequests({ status: "failed", error }),
      );
    }
    if (dedicated && ctx.state.source) {
      // The credentials step asked about the vendor's usual parts; a dedicated account needs
      // Organizations and STS too, asked of IAM here.
      const permissions = createPreflightView();
      body.append(permissions.element);
      permissions.show({ status: "asking" });
      void withTimeLimit(api.preflight(ctx.state.source, form.parts), PREFLIGHT_LIMIT_SECONDS, "IAM's policy simulator").then(
        (answer) => permissions.show({ status: "answered", preflight: answer }),
        (error: ErrorPayload) => permissions.show({ status: "failed", error }),
      );
    }
    void check();
    // "Review": the plan is made here; a refusal stays on this step, shown under the form.
    return async () => {
      const source = ctx.state.source;
      if (!source) return false;
      try {
        ctx.state.plan = await api.planGrant(source, region, toRequest(vendor, database, form, account, ctx.state.accessRole));
        ctx.state.grantId = ctx.state.plan.grantId;
        return true;
      } catch (error) {
        planError = error as ErrorPayload;
        view.showErrors({ errors, planError });
        return false;
      }
    };
  },
};
