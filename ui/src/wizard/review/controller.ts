// Step 5: the plan is shown; "Create it" is the one place a new grant's apply starts.
import { api } from "../../api";
import { startApply } from "../../lib/apply-run";
import { mount } from "../../lib/dom";
import type { Step } from "../shell";
import { renderReview } from "./view";

export const reviewStep: Step = {
  id: "review",
  title: "Review",
  nextLabel: "Create it",
  label: ({ plan }) => plan ? `Create ${plan.steps.length} resources in ${plan.accountId} · ${plan.region}` : undefined,
  start(body, ctx) {
    const plan = ctx.state.plan;
    if (!plan) return;
    mount(body, ...renderReview(plan));
    ctx.ready(true);
    return async () => {
      const grantId = ctx.state.grantId;
      if (!grantId) return false;
      ctx.state.applyRun = startApply(grantId, api.applyGrant);
      return true;
    };
  },
};
