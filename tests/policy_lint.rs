//! Every identity policy VendorLink can put on a vendor role, linted by parliament (an IAM
//! policy linter no one here wrote, community auditors included; tests/policy/lint.py): no
//! finding above LOW, except the escalation and permission-management findings the review
//! shows the admin, which must be exactly those parliament reports. Trust policies are not
//! identity policies (parliament calls them malformed); tests/iam_rules.rs evaluates them.

mod support;

use std::collections::BTreeSet;

use serde_json::{json, Value};
use support::bench::{grant_id, policy_json, Bench, NODE_ROLE};
use support::{ask_tool, text, REPO};

/// (document name, (issue, escalation method) of each finding above LOW).
/// Findings as (issue, action or method) pairs.
type Findings = BTreeSet<(String, String)>;

fn lint(documents: &[(String, String)]) -> Vec<(String, Findings)> {
    let python = std::env::var("VENDORLINK_PYTHON").unwrap_or_else(|_| "python3".into());
    let input: Vec<Value> = documents.iter().map(|(name, policy)| json!({ "name": name, "policy": policy })).collect();
    let answer = ask_tool(&python, &[format!("{REPO}/tests/policy/lint.py")], std::path::Path::new(REPO), &Value::Array(input));
    answer
        .as_array()
        .expect("one answer per document")
        .iter()
        .map(|doc| {
            let above_low = doc["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| !matches!(f["severity"].as_str(), Some("LOW" | "INFO")))
                .map(|f| (f["issue"].as_str().unwrap_or("").to_owned(), f["method"].as_str().unwrap_or("PermissionsManagement").to_owned()))
                .collect();
            (doc["name"].as_str().unwrap_or("").to_owned(), above_low)
        })
        .collect()
}

/// The policies a plan puts on the role, by step id, and what its review shows for each.
fn role_policies(plan: &Value) -> Vec<(String, String, Findings)> {
    let shown = |step: &str| -> Findings {
        plan["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["step"] == step)
            .map(|f| (f["finding"]["issue"].as_str().unwrap_or("").to_owned(), f["finding"]["name"].as_str().unwrap_or("").to_owned()))
            .collect()
    };
    plan["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["action"]["type"] == "putRolePolicy")
        .map(|s| {
            let step = s["id"].as_str().unwrap_or("").to_owned();
            (step.clone(), s["action"]["document"].as_str().unwrap_or("").to_owned(), shown(&step))
        })
        .collect()
}

#[test]
fn each_role_policy_a_plan_can_make_has_exactly_the_findings_its_review_shows() {
    let bench = Bench::new();
    let drop = ["--drop-pass-role"];
    let scoped = ["--pass-role-arn", NODE_ROLE];
    let cases: Vec<(&str, &str, Vec<&str>)> = vec![
        ("datafold", "vendor-policy", scoped.to_vec()),
        ("datafold", "vendor-policy", drop.to_vec()),
        ("datafold", "power-user", scoped.to_vec()),
        ("datafold", "power-user", drop.to_vec()),
        ("datafold", "administrator", Vec::new()),
        ("airbyte", "power-user", vec!["--vendor-account", "111122223333", "--external-id", "airbyte-issued-01"]),
        ("deepnote", "administrator", vec!["--vendor-account", "111122223333", "--external-id", "deepnote-issued-01"]),
        ("custom", "power-user", vec!["--vendor-account", "111122223333", "--external-id", "custom-issued-01"]),
    ];
    let mut linted = 0;
    let mut shown_escalations = BTreeSet::new();
    for (vendor, access, extra) in cases {
        let mut args = vec!["--role-access", access];
        args.extend(extra.iter());
        let plan = bench.plan_for(vendor, &["vendor-role"], &args);
        let policies = role_policies(&plan);
        assert!(policies.iter().any(|(step, _, _)| step == "role-guard"), "{vendor}/{access}: every role gets the guard");
        let documents: Vec<(String, String)> = policies.iter().map(|(step, doc, _)| (step.clone(), doc.clone())).collect();
        for ((step, found), (_, _, shown)) in lint(&documents).into_iter().zip(&policies) {
            assert_eq!(&found, shown, "{vendor}/{access} {extra:?}, policy {step}: parliament's findings above LOW vs the review's");
            shown_escalations.extend(shown.iter().map(|(_, name)| name.clone()));
            linted += 1;
        }
    }
    assert!(linted >= 16, "{linted} policies linted");
    // The review has something to show: Datafold's policy can change resource policies, and,
    // even scoped, pass a role to an instance.
    assert!(shown_escalations.contains("CreateEC2WithExistingIP") && shown_escalations.contains("PermissionsManagement"), "{shown_escalations:?}");

    // As written, Datafold's policy passes every role: the plan refuses it, naming the field.
    let out = bench.vl(&["--json", "plan", "--sandbox", "--vendor", "datafold", "--database", "orders-db", "--part", "vendor-role", "--target-ip", support::bench::TARGET_IP]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    assert!(error["error"]["fields"].as_array().into_iter().flatten().any(|f| f["field"] == "passRole"), "{error}");
}

#[test]
fn the_policies_a_revoke_leaves_on_a_kept_role_have_no_finding_above_low() {
    let bench = Bench::new();
    let grant = grant_id(&bench.plan(&["vendor-role"], &[]));
    assert!(bench.apply(&grant).status.success());
    let role = bench.tagged(&grant)["role"][0].clone();
    bench.block_on(bench.iam().attach_role_policy().role_name(&role).policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess").send()).expect("attach by hand");
    let out = bench.vl(&["--json", "revoke", &grant]);
    assert_eq!(out.status.code(), Some(7), "kept: {}", text(&out.stderr));
    let names = bench.block_on(bench.iam().list_role_policies().role_name(&role).send()).expect("policies");
    let mut documents = Vec::new();
    for name in names.policy_names() {
        let doc = bench.block_on(bench.iam().get_role_policy().role_name(&role).policy_name(name).send()).expect("policy");
        documents.push((name.clone(), policy_json(doc.policy_document()).to_string()));
    }
    assert_eq!(documents.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["vendorlink-revoke-sessions", "vendorlink-revoked"]);
    for (name, found) in lint(&documents) {
        assert!(found.is_empty(), "{name}: {found:?}");
    }
}
