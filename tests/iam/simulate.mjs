// Test-only: evaluates IAM requests with @cloud-copilot/iam-simulate (an IAM policy evaluator
// no one in this project wrote), so the tests check VendorLink's policies against IAM's rules
// rather than against VendorLink's own reading of them.
//
// stdin:  [{ "principal", "action", "resource", "resourceAccount", "context": {key: value},
//            "identityPolicies": [policy…], "resourcePolicy": policy | null }]
// stdout: [{ "result": "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied", "errors": … }]
import { runSimulation } from "@cloud-copilot/iam-simulate";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const requests = JSON.parse(input);
const results = [];
for (const r of requests) {
  const simulation = {
    request: {
      principal: r.principal,
      action: r.action,
      resource: { resource: r.resource, accountId: r.resourceAccount },
      contextVariables: r.context ?? {},
    },
    identityPolicies: (r.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: r.resourcePolicy ?? undefined,
  };
  const outcome = await runSimulation(simulation, {});
  results.push({ result: outcome.result?.overallResult ?? outcome.overallResult ?? null, errors: outcome.errors ?? null });
}
process.stdout.write(JSON.stringify(results));
