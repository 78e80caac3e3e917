//! After a revoke, each point of the vendor's access is checked with a describe call of its
//! own, not with the journal's word: no allowed principal, no open connection, no role (or a
//! deny-all in force), no rule, and, for a full revoke, nothing left with the grant's tag.

use std::collections::BTreeMap;

use crate::aws::{ec2, iam, tagged_resources, AwsSession};
use crate::model::{Action, Outputs, Plan, ProofCheck, RevokeScope};

fn check(check: impl Into<String>, passed: bool, detail: impl Into<String>) -> ProofCheck {
    ProofCheck { check: check.into(), passed, detail: detail.into() }
}

fn failed_to_look(what: &str, err: impl std::fmt::Display) -> ProofCheck {
    check(what, false, format!("could not be checked: {err}"))
}

/// `last` holds the ids each step's resource had (even if removed since).
pub async fn prove(session: &AwsSession, plan: &Plan, last: &BTreeMap<String, Outputs>, scope: RevokeScope, role_kept: bool) -> Vec<ProofCheck> {
    let mut checks = Vec::new();
    let id = |step: &str| last.get(step).and_then(|o| o.get("id")).cloned();
    if let Some(service) = id("endpoint-service") {
        let principals: Vec<String> =
            plan.steps.iter().find_map(|s| if let Action::AllowPrincipals { principals, .. } = &s.action { Some(principals.clone()) } else { None }).unwrap_or_default();
        let what = format!("No vendor principal is allowed on {service}");
        checks.push(match ec2::allowed_principals(session, &service).await {
            Ok(allowed) => {
                let left: Vec<&String> = allowed.iter().filter(|p| principals.contains(p)).collect();
                check(
                    &what,
                    left.is_empty(),
                    if left.is_empty() {
                        format!("allowed principals now: {}", if allowed.is_empty() { "none".into() } else { allowed.join(", ") })
                    } else {
                        format!("still allowed: {left:?}")
                    },
                )
            }
            Err(err) if err.is_not_found() => check(&what, true, "the endpoint service no longer exists"),
            Err(err) => failed_to_look(&what, err),
        });
        let what = format!("No endpoint connection to {service} is accepted or pending");
        checks.push(match ec2::endpoint_connections(session, &service).await {
            Ok(connections) => {
                let open: Vec<String> = connections
                    .iter()
                    .filter(|c| matches!(c.state.to_ascii_lowercase().as_str(), "available" | "pendingacceptance" | "pending"))
                    .map(|c| format!("{} ({}, {})", c.endpoint_id, c.owner, c.state))
                    .collect();
                check(&what, open.is_empty(), if open.is_empty() { format!("{} connection(s), none open", connections.len()) } else { format!("open: {}", open.join(", ")) })
            }
            Err(err) if err.is_not_found() => check(&what, true, "the endpoint service no longer exists"),
            Err(err) => failed_to_look(&what, err),
        });
    }
    if let Some(role) = id("role") {
        let what = format!("Role {role} is gone or denies everything");
        checks.push(match iam::role_policies(session, &role).await {
            Ok(None) => check(&what, true, "the role no longer exists"),
            Ok(Some((inline, _))) if role_kept && inline.iter().any(|n| n == "vendorlink-revoked") => {
                check(&what, true, "kept (changed by hand) with the deny-all policy vendorlink-revoked")
            }
            Ok(Some((inline, attached))) => check(&what, false, format!("still exists with policies {inline:?} {attached:?}")),
            Err(err) => failed_to_look(&what, err),
        });
    }
    let mut rule_steps = vec!["allowlist"];
    if scope == RevokeScope::Everything {
        rule_steps.extend(["db-sg-from-nlb", "nlb-sg-ingress"]);
    }
    for step in rule_steps {
        let Some(outputs) = last.get(step) else { continue };
        let (Some(group), Some(ids)) = (outputs.get("groupId"), outputs.get("id")) else { continue };
        let ids: Vec<&str> = ids.split(',').collect();
        let what = format!("The {step} rules ({}) are gone from {group}", ids.join(", "));
        checks.push(match ec2::ingress_rule_ids(session, group).await {
            Ok(None) => check(&what, true, "the security group no longer exists"),
            Ok(Some(present)) => {
                let left: Vec<&str> = ids.iter().copied().filter(|id| present.iter().any(|p| p == id)).collect();
                check(&what, left.is_empty(), if left.is_empty() { "none of them is present".to_owned() } else { format!("still present: {}", left.join(", ")) })
            }
            Err(err) => failed_to_look(&what, err),
        });
    }
    if scope == RevokeScope::Everything {
        let what = format!("Nothing in {} carries the tag vendorlink:grant={}", plan.region, plan.grant_id);
        checks.push(match tagged_resources(session, Some(&plan.grant_id)).await {
            Ok(found) if found.is_empty() => check(&what, true, "tag scan of security groups, rules, load balancers, target groups, endpoint services and roles found none"),
            Ok(found) => check(
                &what,
                role_kept && found.iter().all(|r| r.kind == "role"),
                format!("found: {}", found.iter().map(|r| format!("{} {}", r.kind, r.id)).collect::<Vec<_>>().join(", ")),
            ),
            Err(err) => failed_to_look(&what, err),
        });
    }
    checks
}
