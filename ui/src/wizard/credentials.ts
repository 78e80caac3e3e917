// Step 2: which credentials act in the account; "Next" waits for a successful identity check.
import { credentialsScreen } from "../screens/credentials";
import type { Step } from "./shell";

export const credentialsStep: Step = {
  id: "credentials",
  title: "Credentials",
  render(body, ctx) {
    ctx.ready(false);
    credentialsScreen(body, (source, identity) => {
      ctx.state.source = source;
      ctx.state.identity = identity;
      ctx.state.discovery = null;
      ctx.ready(identity !== null);
    });
  },
};
