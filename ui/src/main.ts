import { h, mount } from "./lib/dom";
import { aboutScreen } from "./screens/about/controller";
import { grantsScreen } from "./screens/grants/controller";
import { accessStep } from "./wizard/access/controller";
import { applyStep } from "./wizard/apply/controller";
import { credentialsStep } from "./wizard/credentials/controller";
import { databaseStep } from "./wizard/database/controller";
import { handoffStep } from "./wizard/handoff/controller";
import { reviewStep } from "./wizard/review/controller";
import { wizard } from "./wizard/shell";
import { api } from "./api";
import { startApply } from "./lib/apply-run";
import { newState } from "./wizard/state";
import { vendorStep } from "./wizard/vendor/controller";

const STEPS = [vendorStep, credentialsStep, databaseStep, accessStep, reviewStep, applyStep, handoffStep];

const root = document.getElementById("app");
if (root) {
  const content = h("div", { class: "content" });
  const tab = (id: string, label: string, open: () => void) => h("button", { type: "button", role: "tab", class: "tab", "data-testid": `tab-${id}`, onclick: open }, label);
  const setTab = (id: string) => {
    for (const button of tabs.querySelectorAll("button")) button.setAttribute("aria-selected", String(button.dataset.testid === `tab-${id}`));
  };
  let state = newState();
  const openWizard = (resumeGrant: string | null = null) => {
    setTab("new");
    state = newState();
    const flow = wizard(content, STEPS, state);
    if (resumeGrant) {
      // "Resume": the admin's action starts the run; the apply step shows it.
      state.grantId = resumeGrant;
      state.applyRun = startApply(resumeGrant, api.applyGrant);
      flow.goTo("apply");
    }
  };
  const openGrants = () => {
    setTab("grants");
    grantsScreen(content, (grantId) => openWizard(grantId), state.identity ? state.source : null);
  };
  const openAbout = () => {
    setTab("about");
    aboutScreen(content);
  };
  const tabs = h("nav", { class: "tabs", role: "tablist", "aria-label": "Sections" },
    tab("new", "New grant", () => openWizard()), tab("grants", "Grants", openGrants), tab("about", "About / diagnostics", openAbout));
  mount(root, tabs, content);
  openWizard();
  root.dataset.ready = "true";
}
