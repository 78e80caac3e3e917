//! Policies as IAM would judge them: @cloud-copilot/iam-simulate (an IAM evaluator no one here
//! wrote; tests/iam/simulate.mjs) over roles read back from the emulator, which stores IAM
//! policies but never evaluates them.

use serde_json::{json, Value};

use super::bench::{policy_json, Bench};
use super::{ask_tool, EMULATOR_ACCOUNT, REPO};

/// One request to the evaluator; its answer is `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`.
pub struct Ask {
    pub principal: String,
    pub action: &'static str,
    pub resource: String,
    pub context: Value,
    pub identity: Vec<Value>,
    pub resource_policy: Option<Value>,
}

pub fn evaluate(asks: &[Ask]) -> Vec<String> {
    let requests: Vec<Value> = asks
        .iter()
        .map(|a| {
            json!({
                "principal": a.principal, "action": a.action, "resource": a.resource, "resourceAccount": EMULATOR_ACCOUNT,
                "context": a.context, "identityPolicies": a.identity, "resourcePolicy": a.resource_policy,
            })
        })
        .collect();
    let dir = std::path::Path::new(REPO).join("tests/iam");
    let answers = ask_tool("node", &[format!("{REPO}/tests/iam/simulate.mjs")], &dir, &Value::Array(requests));
    answers
        .as_array()
        .expect("one answer per request")
        .iter()
        .map(|a| {
            assert!(a["errors"].is_null(), "the evaluator refused a request: {a}");
            a["result"].as_str().unwrap_or("").to_owned()
        })
        .collect()
}

/// The role as IAM holds it: its ARN, trust and every policy (inline and attached, documents read back).
pub fn read_role(bench: &Bench, role: &str) -> (String, Value, Vec<Value>) {
    let iam = bench.iam();
    let got = bench.block_on(iam.get_role().role_name(role).send()).expect("role");
    let got = got.role().expect("role");
    let trust = policy_json(got.assume_role_policy_document().expect("trust"));
    let mut policies = Vec::new();
    for name in bench.block_on(iam.list_role_policies().role_name(role).send()).expect("inline").policy_names() {
        policies.push(policy_json(bench.block_on(iam.get_role_policy().role_name(role).policy_name(name).send()).expect("inline policy").policy_document()));
    }
    for attached in bench.block_on(iam.list_attached_role_policies().role_name(role).send()).expect("attached").attached_policies() {
        let arn = attached.policy_arn().expect("arn");
        let version = bench.block_on(iam.get_policy().policy_arn(arn).send()).expect("policy").policy.and_then(|p| p.default_version_id).expect("version");
        let document =
            bench.block_on(iam.get_policy_version().policy_arn(arn).version_id(version).send()).expect("version").policy_version.and_then(|v| v.document).expect("document");
        policies.push(policy_json(&document));
    }
    (got.arn().to_owned(), trust, policies)
}
