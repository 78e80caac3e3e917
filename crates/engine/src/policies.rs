//! The IAM documents of a vendor role (seed 003): who may assume it and under which
//! conditions, and what it may do until when.

use serde_json::{json, Value};

use vendorlink_model::{PassRole, PolicyFinding};

/// Trust: only the vendor's principals, only with MFA (when the profile asks for it), only
/// with the grant's ExternalId, and only before the expiry.
pub fn trust_policy(principals: &[String], require_mfa: bool, external_id: Option<&str>, expires_at: Option<&str>) -> String {
    let mut condition = serde_json::Map::new();
    if require_mfa {
        condition.insert("Bool".into(), json!({ "aws:MultiFactorAuthPresent": "true" }));
    }
    if let Some(external_id) = external_id {
        condition.insert("StringEquals".into(), json!({ "sts:ExternalId": external_id }));
    }
    if let Some(expires_at) = expires_at {
        condition.insert("DateLessThan".into(), json!({ "aws:CurrentTime": expires_at }));
    }
    let mut statement = json!({
        "Sid": "VendorAssumesRole",
        "Effect": "Allow",
        "Principal": { "AWS": principals },
        "Action": "sts:AssumeRole",
    });
    if !condition.is_empty() {
        statement["Condition"] = Value::Object(condition);
    }
    document(vec![statement])
}

/// Denies everything once the grant has expired, whatever else is attached: the trust's
/// date condition stops new sessions, this one stops sessions already running.
pub fn expiry_policy(expires_at: &str) -> String {
    document(vec![json!({
        "Sid": "GrantExpired",
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": { "DateGreaterThan": { "aws:CurrentTime": expires_at } },
    })])
}

/// What the console's "Revoke active sessions" puts on a role: every session issued before
/// `at` is denied everything, while the role itself stays usable for new sessions.
pub fn revoke_sessions_policy(at: &str) -> String {
    document(vec![json!({
        "Sid": "RevokeOlderSessions",
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": { "DateLessThan": { "aws:TokenIssueTime": at } },
    })])
}

/// A trust policy that lets nobody assume the role: the first thing a revoke puts on it, so
/// no new session can start while the rest is taken apart (docs/aws-rules.md R7).
pub fn deny_all_trust_policy() -> String {
    document(vec![json!({
        "Sid": "GrantRevoked",
        "Effect": "Deny",
        "Principal": { "AWS": "*" },
        "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
    })])
}

/// Whether a trust policy read back from IAM lets nobody in: no Allow statement at all.
pub fn trusts_nobody(trust: &str) -> bool {
    let Ok(parsed) = serde_json::from_str::<Value>(trust) else { return false };
    let statements = statements_of(&parsed);
    !statements.is_empty() && statements.iter().all(|s| s["Effect"] == "Deny")
}

/// Whether a policy read back from IAM denies every action on every resource, unconditionally.
pub fn denies_everything(policy: &str) -> bool {
    let Ok(parsed) = serde_json::from_str::<Value>(policy) else { return false };
    let statements = statements_of(&parsed);
    let is_star = |v: &Value| v == "*" || v.as_array().is_some_and(|a| a.iter().any(|x| x == "*"));
    statements.iter().any(|s| s["Effect"] == "Deny" && is_star(&s["Action"]) && is_star(&s["Resource"]) && s.get("Condition").is_none())
}

/// Denies everything to everyone using the role: for a role VendorLink must keep.
pub fn deny_all_policy() -> String {
    document(vec![json!({ "Sid": "GrantRevoked", "Effect": "Deny", "Action": "*", "Resource": "*" })])
}

/// Every VendorLink role's own protection, put on before any permission: whatever the vendor's
/// policy allows, its session cannot change this or another VendorLink role's policies, trust,
/// permissions boundary or tags, delete or recreate it, or pass it to a service (which would
/// keep its credentials alive on a machine and make `DeleteRole` fail with DeleteConflict).
pub fn guard_policy(account_id: &str) -> String {
    document(vec![json!({
        "Sid": "ProtectVendorLinkRoles",
        "Effect": "Deny",
        "Action": [
            "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
            "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
            "iam:TagRole", "iam:UntagRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
            "iam:CreateRole", "iam:DeleteRole", "iam:PassRole"
        ],
        "Resource": format!("arn:aws:iam::{account_id}:role/vendorlink/*"),
    })])
}

fn statements_of(parsed: &Value) -> Vec<Value> {
    match &parsed["Statement"] {
        Value::Array(items) => items.clone(),
        single @ Value::Object(_) => vec![single.clone()],
        _ => Vec::new(),
    }
}

fn list_of(value: &Value) -> Vec<String> {
    match value {
        Value::String(one) => vec![one.clone()],
        Value::Array(many) => many.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

/// IAM's wildcard match (`*`, `?`), case-insensitive, as for action names.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.to_ascii_lowercase().chars().collect(), text.to_ascii_lowercase().chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn statement_matches(statement: &Value, action: &str) -> bool {
    if let Some(not) = statement.get("NotAction") {
        return !list_of(not).iter().any(|p| glob(p, action));
    }
    list_of(&statement["Action"]).iter().any(|p| glob(p, action))
}

/// Whether a policy document allows `action` on some resource: an Allow statement matches it
/// and no unconditional Deny on every resource takes it away (the way parliament reads a
/// policy, so that the findings below are the ones it reports).
pub fn allows(policy: &str, action: &str) -> bool {
    let Ok(parsed) = serde_json::from_str::<Value>(policy) else { return false };
    let statements = statements_of(&parsed);
    let allowed = statements.iter().any(|s| s["Effect"] == "Allow" && statement_matches(s, action));
    let denied =
        statements.iter().any(|s| s["Effect"] == "Deny" && s.get("Condition").is_none() && list_of(&s["Resource"]).iter().any(|r| r == "*") && statement_matches(s, action));
    allowed && !denied
}

/// Ways a set of permissions lets its holder give itself more (Rhino Security Labs' list, as
/// parliament 1.6.4's PRIVILEGE_ESCALATION check has it): a method applies when the policy
/// allows every one of its actions.
const ESCALATION_METHODS: &[(&str, &[&str])] = &[
    ("CreateAccessKey", &["iam:createaccesskey"]),
    ("CreateLoginProfile", &["iam:createloginprofile"]),
    ("UpdateLoginProfile", &["iam:updateloginprofile"]),
    ("CreateNewPolicyVersion", &["iam:createpolicyversion"]),
    ("SetExistingDefaultPolicyVersion", &["iam:setdefaultpolicyversion"]),
    ("AttachUserPolicy", &["iam:attachuserpolicy"]),
    ("AttachGroupPolicy", &["iam:attachgrouppolicy"]),
    ("AttachRolePolicy", &["iam:attachrolepolicy", "sts:assumerole"]),
    ("PutUserPolicy", &["iam:putuserpolicy"]),
    ("PutGroupPolicy", &["iam:putgrouppolicy"]),
    ("PutRolePolicy", &["iam:putrolepolicy", "sts:assumerole"]),
    ("AddUserToGroup", &["iam:addusertogroup"]),
    ("UpdateRolePolicyToAssumeIt", &["iam:updateassumerolepolicy", "sts:assumerole"]),
    ("CreateEC2WithExistingIP", &["iam:passrole", "ec2:runinstances"]),
    ("PassExistingRoleToNewLambdaThenInvoke", &["iam:passrole", "lambda:createfunction", "lambda:invokefunction"]),
    (
        "PassExistingRoleToNewLambdaThenTriggerWithNewDynamo",
        &["iam:passrole", "lambda:createfunction", "lambda:createeventsourcemapping", "dynamodb:createtable", "dynamodb:putitem"],
    ),
    ("PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo", &["iam:passrole", "lambda:createfunction", "lambda:createeventsourcemapping"]),
    ("PassExistingRoleToNewGlueDevEndpoint", &["iam:passrole", "glue:createdevendpoint"]),
    ("PassExistingRoleToCloudFormation", &["iam:passrole", "cloudformation:createstack"]),
    ("PassExistingRoleToNewDataPipeline", &["iam:passrole", "datapipeline:createpipeline"]),
    ("UpdateExistingGlueDevEndpoint", &["glue:updatedevendpoint"]),
    ("EditExistingLambdaFunctionWithRole", &["lambda:updatefunctioncode"]),
];

/// Actions at AWS's "Permissions management" access level, as parliament lists them.
const PERMISSIONS_MANAGEMENT: &str = include_str!("permissions-management-actions.txt");

/// What the review shows about a policy document VendorLink would put on the role: each
/// escalation method it allows, and the permission-changing actions it allows. These are
/// exactly the findings above LOW that parliament reports for it (tests/policy_lint.rs).
pub fn findings(policy: &str) -> Vec<PolicyFinding> {
    let mut found: Vec<PolicyFinding> = ESCALATION_METHODS
        .iter()
        .filter(|(_, actions)| actions.iter().all(|a| allows(policy, a)))
        .map(|(method, actions)| PolicyFinding { issue: "PRIVILEGE_ESCALATION".into(), name: (*method).into(), actions: actions.iter().map(|a| (*a).to_owned()).collect() })
        .collect();
    let managing: Vec<String> = PERMISSIONS_MANAGEMENT.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).filter(|a| allows(policy, a)).map(str::to_owned).collect();
    if !managing.is_empty() {
        found.push(PolicyFinding { issue: "PERMISSIONS_MANAGEMENT_ACTIONS".into(), name: "PermissionsManagement".into(), actions: managing });
    }
    found
}

/// Whether an Allow statement grants `iam:PassRole` on every role (a `*` resource).
pub fn passes_any_role(policy: &str) -> bool {
    let Ok(parsed) = serde_json::from_str::<Value>(policy) else { return false };
    statements_of(&parsed)
        .iter()
        .any(|s| s["Effect"] == "Allow" && statement_matches(s, "iam:PassRole") && (s.get("NotResource").is_some() || list_of(&s["Resource"]).iter().any(|r| r.contains('*'))))
}

/// The vendor's policy with `iam:PassRole` taken out of its statements and, for
/// [`PassRole::Scoped`], given back for those roles only (and only to those services).
/// Wildcards that still cover it (`iam:*`, `iam:Pass*`) are fenced by a Deny outside those roles.
pub fn scope_pass_role(policy: &str, pass_role: &PassRole) -> String {
    let Ok(parsed) = serde_json::from_str::<Value>(policy) else { return policy.to_owned() };
    let mut kept = Vec::new();
    for mut statement in statements_of(&parsed) {
        if statement["Effect"] == "Allow" && statement.get("Action").is_some() {
            let actions: Vec<String> = list_of(&statement["Action"]).into_iter().filter(|a| !a.eq_ignore_ascii_case("iam:PassRole")).collect();
            if actions.is_empty() {
                continue;
            }
            statement["Action"] = json!(actions);
        }
        kept.push(statement);
    }
    let still_covered = kept.iter().any(|s| s["Effect"] == "Allow" && statement_matches(s, "iam:PassRole"));
    match pass_role {
        PassRole::AsWritten => return policy.to_owned(),
        PassRole::Drop => {
            if still_covered {
                kept.push(json!({ "Sid": "NoPassRole", "Effect": "Deny", "Action": "iam:PassRole", "Resource": "*" }));
            }
        }
        PassRole::Scoped { role_arns, services } => {
            let mut allow = json!({ "Sid": "PassOnlyTheseRoles", "Effect": "Allow", "Action": "iam:PassRole", "Resource": role_arns });
            if !services.is_empty() {
                allow["Condition"] = json!({ "StringEquals": { "iam:PassedToService": services } });
            }
            kept.push(allow);
            if still_covered {
                kept.push(json!({ "Sid": "PassNoOtherRole", "Effect": "Deny", "Action": "iam:PassRole", "NotResource": role_arns }));
                if !services.is_empty() {
                    kept.push(json!({
                        "Sid": "PassToNoOtherService", "Effect": "Deny", "Action": "iam:PassRole", "Resource": role_arns,
                        "Condition": { "StringNotEquals": { "iam:PassedToService": services } },
                    }));
                }
            }
        }
    }
    let mut out = parsed.clone();
    out["Statement"] = Value::Array(kept);
    out.to_string()
}

/// Only the `iam:` actions of a vendor's policy, for the PowerUser option: PowerUserAccess
/// denies all of IAM, so these are added back one by one. `None` when the policy has none.
pub fn iam_actions_only(policy: &str) -> Option<String> {
    let parsed: Value = serde_json::from_str(policy).ok()?;
    let statements = statements_of(&parsed);
    let mut kept = Vec::new();
    for statement in statements.iter().filter(|s| s["Effect"] == "Allow") {
        let actions: Vec<Value> = match &statement["Action"] {
            Value::String(one) => vec![Value::String(one.clone())],
            Value::Array(many) => many.clone(),
            _ => continue,
        };
        let iam: Vec<Value> = actions.into_iter().filter(|a| a.as_str().is_some_and(|a| a.to_ascii_lowercase().starts_with("iam:"))).collect();
        if !iam.is_empty() {
            let mut statement = statement.clone();
            statement["Action"] = Value::Array(iam);
            kept.push(statement);
        }
    }
    (!kept.is_empty()).then(|| document(kept))
}

fn document(statements: Vec<Value>) -> String {
    json!({ "Version": "2012-10-17", "Statement": statements }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("policy is JSON")
    }

    #[test]
    fn trust_allows_only_the_vendor_with_mfa_external_id_and_expiry() {
        let trust = parse(&trust_policy(&["arn:aws:iam::710753145501:root".into()], true, Some("0123abcd"), Some("2027-01-31T00:00:00Z")));
        assert_eq!(trust["Version"], "2012-10-17");
        let statement = &trust["Statement"][0];
        assert_eq!(statement["Effect"], "Allow");
        assert_eq!(statement["Action"], "sts:AssumeRole");
        assert_eq!(statement["Principal"]["AWS"], json!(["arn:aws:iam::710753145501:root"]));
        assert_eq!(statement["Condition"]["Bool"]["aws:MultiFactorAuthPresent"], "true");
        assert_eq!(statement["Condition"]["StringEquals"]["sts:ExternalId"], "0123abcd");
        assert_eq!(statement["Condition"]["DateLessThan"]["aws:CurrentTime"], "2027-01-31T00:00:00Z");
        assert_eq!(trust["Statement"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn trust_without_mfa_or_external_id_has_no_such_conditions() {
        let trust = parse(&trust_policy(&["arn:aws:iam::710753145501:role/x".into()], false, None, None));
        assert!(trust["Statement"][0].get("Condition").is_none(), "{trust}");
    }

    #[test]
    fn expiry_denies_everything_after_the_date() {
        let policy = parse(&expiry_policy("2027-01-31T00:00:00Z"));
        let statement = &policy["Statement"][0];
        assert_eq!((statement["Effect"].as_str(), statement["Action"].as_str(), statement["Resource"].as_str()), (Some("Deny"), Some("*"), Some("*")));
        assert_eq!(statement["Condition"]["DateGreaterThan"]["aws:CurrentTime"], "2027-01-31T00:00:00Z");
    }

    #[test]
    fn revoking_sessions_denies_tokens_issued_before_the_moment_and_deny_all_has_no_condition() {
        let revoke = parse(&revoke_sessions_policy("2026-11-24T12:00:00Z"));
        assert_eq!(revoke["Statement"][0]["Effect"], "Deny");
        assert_eq!(revoke["Statement"][0]["Condition"]["DateLessThan"]["aws:TokenIssueTime"], "2026-11-24T12:00:00Z");
        let deny = parse(&deny_all_policy());
        assert_eq!((deny["Statement"][0]["Effect"].as_str(), deny["Statement"][0]["Action"].as_str()), (Some("Deny"), Some("*")));
        assert!(deny["Statement"][0].get("Condition").is_none());
    }

    #[test]
    fn the_revoked_trust_lets_nobody_in_and_the_checks_read_policies_by_content() {
        assert!(trusts_nobody(&deny_all_trust_policy()));
        assert!(!trusts_nobody(&trust_policy(&["arn:aws:iam::710753145501:root".into()], true, Some("x"), None)));
        assert!(!trusts_nobody("not json"));
        assert!(denies_everything(&deny_all_policy()));
        assert!(!denies_everything(&revoke_sessions_policy("2026-11-24T12:00:00Z")), "conditional");
        assert!(!denies_everything(r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}"#));
    }

    fn datafold() -> String {
        crate::vendors::presets().into_iter().find(|p| p.id == "datafold").and_then(|p| p.permissions.inline_policy).expect("datafold policy")
    }

    #[test]
    fn wildcards_match_like_iam_and_a_deny_on_everything_takes_an_action_away() {
        assert!(glob("ec2:*", "ec2:RunInstances") && glob("iam:Pass*", "iam:passrole") && glob("*", "s3:GetObject") && glob("s3:Get?bject", "s3:GetObject"));
        assert!(!glob("ec2:Run", "ec2:RunInstances") && !glob("iam:Get*", "iam:PassRole"));
        let policy = r#"{"Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"},{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}]}"#;
        assert!(allows(policy, "iam:CreateRole") && !allows(policy, "iam:PassRole"));
        assert!(allows(r#"{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#, "ec2:RunInstances"));
    }

    #[test]
    fn datafolds_policy_can_pass_any_role_to_an_instance_and_change_resource_policies() {
        let found = findings(&datafold());
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["CreateEC2WithExistingIP", "PermissionsManagement"]);
        assert!(found[1].actions.iter().any(|a| a == "kms:putkeypolicy") && found[1].actions.iter().any(|a| a == "s3:putbucketpolicy"), "{:?}", found[1].actions);
        assert!(passes_any_role(&datafold()));
    }

    #[test]
    fn pass_role_is_dropped_or_given_back_for_named_roles_only() {
        let dropped = scope_pass_role(&datafold(), &PassRole::Drop);
        assert!(!allows(&dropped, "iam:PassRole") && !passes_any_role(&dropped));
        assert!(allows(&dropped, "rds:CreateDBInstance") && allows(&dropped, "iam:TagRole"), "the rest stays");
        assert!(!findings(&dropped).iter().any(|f| f.name == "CreateEC2WithExistingIP"));
        let arn = "arn:aws:iam::123456789012:role/datafold-eks-nodes".to_owned();
        let scoped = scope_pass_role(&datafold(), &PassRole::Scoped { role_arns: vec![arn.clone()], services: vec!["ec2.amazonaws.com".into()] });
        assert!(!passes_any_role(&scoped));
        let parsed: Value = serde_json::from_str(&scoped).expect("json");
        let last = parsed["Statement"].as_array().and_then(|s| s.last()).cloned().expect("statement");
        assert_eq!((last["Action"].as_str(), last["Resource"].clone()), (Some("iam:PassRole"), json!([arn])));
        assert_eq!(last["Condition"]["StringEquals"]["iam:PassedToService"], json!(["ec2.amazonaws.com"]));
        let wildcard = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}"#;
        assert!(!allows(&scope_pass_role(wildcard, &PassRole::Drop), "iam:PassRole"), "a wildcard that covers it is fenced");
    }

    #[test]
    fn the_guard_denies_every_change_to_vendorlink_roles() {
        let guard = parse(&guard_policy("123456789012"));
        assert_eq!(guard["Statement"][0]["Resource"], "arn:aws:iam::123456789012:role/vendorlink/*");
        for action in ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary", "iam:TagRole", "iam:UntagRole", "iam:PassRole"]
        {
            assert!(guard["Statement"][0]["Action"].as_array().is_some_and(|a| a.iter().any(|x| x == action)), "{action}");
        }
        assert!(findings(&guard_policy("123456789012")).is_empty());
    }

    #[test]
    fn iam_actions_are_extracted_from_the_datafold_policy() {
        let datafold = crate::vendors::presets().into_iter().find(|p| p.id == "datafold").and_then(|p| p.permissions.inline_policy).expect("datafold policy");
        let iam = parse(&iam_actions_only(&datafold).expect("datafold's policy has IAM actions"));
        let actions: Vec<&str> = iam["Statement"].as_array().into_iter().flatten().flat_map(|s| s["Action"].as_array().into_iter().flatten()).filter_map(Value::as_str).collect();
        assert!(actions.contains(&"iam:PassRole") && actions.contains(&"iam:TagRole"), "{actions:?}");
        assert!(actions.iter().all(|a| a.starts_with("iam:")), "{actions:?}");
        assert_eq!(iam_actions_only(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#), None);
    }
}
