//! The vendor role as IAM would judge it. The emulator stores IAM policies but never evaluates
//! them, so the role VendorLink made is read back with the test's own calls and evaluated by
//! @cloud-copilot/iam-simulate (an IAM evaluator no one here wrote; tests/iam/simulate.mjs):
//! who may assume it and under which conditions (docs/aws-rules.md R5, R9), that it cannot
//! change itself, and that after a revoke nobody gets in and old sessions can do nothing (R6).

mod support;

use serde_json::{json, Value};
use support::bench::{grant_id, policy_json, Bench, NODE_ROLE};
use support::iam::{evaluate, read_role, Ask};
use support::{text, EMULATOR_ACCOUNT};

const VENDOR_STAFF: &str = "arn:aws:iam::710753145501:role/datafold-staff";
const EXTERNAL_ID: &str = "datafold-issued-7f3a";

fn assume(role_arn: &str, trust: &Value, principal: &str, context: Value) -> Ask {
    let may_assume = json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*" }] });
    Ask { principal: principal.into(), action: "sts:AssumeRole", resource: role_arn.into(), context, identity: vec![may_assume], resource_policy: Some(trust.clone()) }
}

fn as_session(role: &str, policies: &[Value], action: &'static str, resource: &str, context: Value) -> Ask {
    Ask {
        principal: format!("arn:aws:sts::{EMULATOR_ACCOUNT}:assumed-role/{role}/vendor-session"),
        action,
        resource: resource.into(),
        context,
        identity: policies.to_vec(),
        resource_policy: None,
    }
}

fn applied_role(bench: &Bench) -> (String, String) {
    let plan = bench.plan(&["vendor-role"], &["--external-id", EXTERNAL_ID, "--pass-role-arn", NODE_ROLE]);
    let grant = grant_id(&plan);
    let out = bench.apply(&grant);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Found by its tag with the test's own calls, not by the name VendorLink gives it.
    let role = bench.tagged(&grant)["role"][0].clone();
    (grant, role)
}

#[test]
fn only_the_vendor_with_mfa_and_its_external_id_may_assume_the_role_and_only_until_the_expiry() {
    let bench = Bench::new();
    let (_, role) = applied_role(&bench);
    let (arn, trust, _) = read_role(&bench, &role);
    let good = json!({ "aws:MultiFactorAuthPresent": "true", "sts:ExternalId": EXTERNAL_ID, "aws:CurrentTime": "2027-06-01T00:00:00Z" });
    let with = |key: &str, value: Option<&str>| {
        let mut context = good.clone();
        match value {
            Some(v) => context[key] = json!(v),
            None => {
                context.as_object_mut().expect("object").remove(key);
            }
        }
        context
    };
    let asks = [
        assume(&arn, &trust, VENDOR_STAFF, good.clone()),
        assume(&arn, &trust, VENDOR_STAFF, with("aws:MultiFactorAuthPresent", None)),
        assume(&arn, &trust, VENDOR_STAFF, with("aws:MultiFactorAuthPresent", Some("false"))),
        assume(&arn, &trust, VENDOR_STAFF, with("sts:ExternalId", Some("someone-elses-id"))),
        assume(&arn, &trust, VENDOR_STAFF, with("sts:ExternalId", None)),
        assume(&arn, &trust, VENDOR_STAFF, with("aws:CurrentTime", Some("2099-02-01T00:00:01Z"))),
        assume(&arn, &trust, "arn:aws:iam::111122223333:role/someone-else", good.clone()),
    ];
    assert_eq!(
        evaluate(&asks),
        ["Allowed", "ImplicitlyDenied", "ImplicitlyDenied", "ImplicitlyDenied", "ImplicitlyDenied", "ImplicitlyDenied", "ImplicitlyDenied"],
        "with MFA and the ExternalId before the expiry; without MFA (a long-term key has no MFA key at all); MFA false; a wrong or no ExternalId; after the expiry; another account"
    );
}

#[test]
fn the_role_may_do_its_job_but_never_change_itself_or_pass_other_roles() {
    let bench = Bench::new();
    let (_, role) = applied_role(&bench);
    let (arn, _, policies) = read_role(&bench, &role);
    let now = json!({ "aws:CurrentTime": "2027-06-01T00:00:00Z", "aws:TokenIssueTime": "2027-06-01T00:00:00Z" });
    let mut asks = vec![
        as_session(&role, &policies, "rds:CreateDBInstance", "*", now.clone()),
        as_session(&role, &policies, "iam:PassRole", NODE_ROLE, now.clone()),
        as_session(&role, &policies, "iam:PassRole", &format!("arn:aws:iam::{EMULATOR_ACCOUNT}:role/admin"), now.clone()),
        as_session(&role, &policies, "rds:CreateDBInstance", "*", json!({ "aws:CurrentTime": "2099-02-01T00:00:01Z", "aws:TokenIssueTime": "2099-01-31T23:00:00Z" })),
    ];
    let own_changes = [
        "iam:PutRolePolicy",
        "iam:AttachRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:DetachRolePolicy",
        "iam:UpdateAssumeRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PassRole",
    ];
    asks.extend(own_changes.iter().map(|action| as_session(&role, &policies, action, &arn, now.clone())));
    let answers = evaluate(&asks);
    assert_eq!(&answers[..4], ["Allowed", "Allowed", "ImplicitlyDenied", "ExplicitlyDenied"], "its job; the named role only; no other role; nothing after the expiry");
    for (action, answer) in own_changes.iter().zip(&answers[4..]) {
        assert_eq!(answer, "ExplicitlyDenied", "{action} on its own role");
    }
}

#[test]
fn after_a_revoke_that_keeps_the_role_nobody_gets_in_and_old_sessions_can_do_nothing() {
    let bench = Bench::new();
    let (grant, role) = applied_role(&bench);
    bench.block_on(bench.iam().attach_role_policy().role_name(&role).policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess").send()).expect("attach by hand");
    let before_revoke = chrono::Utc::now() - chrono::Duration::seconds(5);
    let out = bench.vl(&["--json", "revoke", &grant]);
    assert_eq!(out.status.code(), Some(7), "the role is kept: {}", text(&out.stderr));
    let (arn, trust, policies) = read_role(&bench, &role);
    let at = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let now = chrono::Utc::now();
    let good = json!({ "aws:MultiFactorAuthPresent": "true", "sts:ExternalId": EXTERNAL_ID, "aws:CurrentTime": at(now) });
    let old_session = json!({ "aws:CurrentTime": at(now), "aws:TokenIssueTime": at(before_revoke) });
    let asks = [
        assume(&arn, &trust, VENDOR_STAFF, good),
        as_session(&role, &policies, "s3:GetObject", "arn:aws:s3:::orders-exports/2026.csv", old_session.clone()),
        as_session(&role, &policies, "rds:DescribeDBInstances", "*", old_session.clone()),
    ];
    assert_eq!(evaluate(&asks), ["ExplicitlyDenied", "ExplicitlyDenied", "ExplicitlyDenied"], "the trust lets nobody in; a session from before the revoke is denied everything");

    // The session deny alone (without the deny-all) already stops a session issued before the
    // revoke, even one issued a minute after AWS's time of it (the propagation margin).
    let sessions =
        policy_json(bench.block_on(bench.iam().get_role_policy().role_name(&role).policy_name("vendorlink-revoke-sessions").send()).expect("session deny").policy_document());
    let read_only = policies.iter().find(|p| p.to_string().contains("\"Allow\"")).cloned().expect("ReadOnlyAccess's document");
    let just_after = json!({ "aws:CurrentTime": at(now + chrono::Duration::minutes(2)), "aws:TokenIssueTime": at(now + chrono::Duration::minutes(1)) });
    let asks = [
        as_session(&role, std::slice::from_ref(&read_only), "rds:DescribeDBInstances", "*", old_session.clone()),
        as_session(&role, &[read_only.clone(), sessions.clone()], "rds:DescribeDBInstances", "*", old_session),
        as_session(&role, &[read_only, sessions], "rds:DescribeDBInstances", "*", just_after),
    ];
    assert_eq!(evaluate(&asks), ["Allowed", "ExplicitlyDenied", "ExplicitlyDenied"], "ReadOnlyAccess alone allows it; the session deny takes it away");
}
