//! The IAM documents of a vendor role (seed 003): who may assume it and under which
//! conditions, and what it may do until when.

use serde_json::{json, Value};

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

/// Denies everything to everyone using the role: for a role VendorLink must keep.
pub fn deny_all_policy() -> String {
    document(vec![json!({ "Sid": "GrantRevoked", "Effect": "Deny", "Action": "*", "Resource": "*" })])
}

/// Only the `iam:` actions of a vendor's policy, for the PowerUser option: PowerUserAccess
/// denies all of IAM, so these are added back one by one. `None` when the policy has none.
pub fn iam_actions_only(policy: &str) -> Option<String> {
    let parsed: Value = serde_json::from_str(policy).ok()?;
    let statements = match &parsed["Statement"] {
        Value::Array(items) => items.clone(),
        single @ Value::Object(_) => vec![single.clone()],
        _ => return None,
    };
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
    fn iam_actions_are_extracted_from_the_datafold_policy() {
        let datafold = crate::vendors::presets().into_iter().find(|p| p.id == "datafold").and_then(|p| p.permissions.inline_policy).expect("datafold policy");
        let iam = parse(&iam_actions_only(&datafold).expect("datafold's policy has IAM actions"));
        let actions: Vec<&str> = iam["Statement"].as_array().into_iter().flatten().flat_map(|s| s["Action"].as_array().into_iter().flatten()).filter_map(Value::as_str).collect();
        assert!(actions.contains(&"iam:PassRole") && actions.contains(&"iam:TagRole"), "{actions:?}");
        assert!(actions.iter().all(|a| a.starts_with("iam:")), "{actions:?}");
        assert_eq!(iam_actions_only(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#), None);
    }
}
