//! What changed since a grant was applied: resources deleted by hand, rules or principals or
//! policies added by hand, load-balancer targets that no longer match the database (RDS
//! failover and maintenance move its IPs; seed 000 runs a Lambda for this), an expiry that
//! has passed.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::EngineError;
use vendorlink_aws::Cloud;
use vendorlink_model::{Action, Output, Plan, StepId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DriftKind {
    /// The journal says it exists; AWS says it does not.
    Missing,
    /// Something was added outside VendorLink (a rule, a principal, a policy).
    AddedByHand,
    /// The registered targets are not the database's addresses.
    Targets,
    /// The grant's end date has passed; it still exists.
    Expired,
    /// A setting the grant relies on was changed (the NLB's PrivateLink rule enforcement).
    Setting,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Drift {
    pub kind: DriftKind,
    pub step: StepId,
    pub detail: String,
    /// What to do about it.
    pub remedy: String,
}

fn drift(kind: DriftKind, step: &StepId, detail: String, remedy: &str) -> Drift {
    Drift { kind, step: step.clone(), detail, remedy: remedy.into() }
}

/// A passed expiry (pure, so it is tested without waiting for a date).
pub fn expired(plan: &Plan, now: DateTime<Utc>) -> Option<Drift> {
    let expires = plan.expires.as_deref()?;
    let at: DateTime<Utc> = expires.parse().ok()?;
    (at <= now).then(|| {
        drift(
            DriftKind::Expired,
            &StepId::Role,
            format!("The grant expired at {expires}; the role denies everything since, but it and the network still exist."),
            "Run `vendorlink revoke` to take the rest back.",
        )
    })
}

/// Compares each existing step's resource with AWS. `current_ips` are the database's addresses
/// now (resolved, or typed by the admin), when known.
pub async fn detect(cloud: &Cloud, plan: &Plan, existing: &BTreeMap<StepId, Output>, current_ips: Option<&[String]>) -> Result<Vec<Drift>, EngineError> {
    let mut found = Vec::new();
    let gone = |step: &StepId, id: &str| {
        drift(
            DriftKind::Missing,
            step,
            format!("{id} no longer exists."),
            "It was deleted outside VendorLink: `vendorlink revoke` cleans up the rest; plan a new grant to restore access.",
        )
    };
    for step in &plan.steps {
        let Some(output) = existing.get(&step.id) else { continue };
        let id = output.label();
        match &step.action {
            Action::CreateSecurityGroup { vpc_id, name, .. } => {
                if cloud.ec2.find_security_group(vpc_id, name).await?.is_none() {
                    found.push(gone(&step.id, &id));
                    continue;
                }
                // The grant's own groups hold only the rules its steps made (the NLB's none: any
                // rule there lets hosts past the database's group through the load balancer).
                let ours: Vec<&String> = existing
                    .values()
                    .filter_map(|o| if let Output::IngressRules { group_id, rule_ids } = o { (group_id == &id).then_some(rule_ids) } else { None })
                    .flatten()
                    .collect();
                if let Some(extra) =
                    cloud.ec2.ingress_rule_ids(&id).await?.map(|rules| rules.into_iter().filter(|r| !ours.contains(&r)).collect::<Vec<_>>()).filter(|extra| !extra.is_empty())
                {
                    let whom = if step.id == StepId::NlbSecurityGroup {
                        "Whoever they admit reaches the database through the load balancer; remove them. Revoke leaves this group in place while they exist."
                    } else {
                        "Whoever they admit reaches what this group guards; remove them."
                    };
                    found.push(drift(DriftKind::AddedByHand, &step.id, format!("{id} has inbound rules the grant did not add: {}.", extra.join(", ")), whom));
                }
            }
            Action::AuthorizeIngress { .. } => {
                let Output::IngressRules { group_id: group, rule_ids } = output else { continue };
                let present = cloud.ec2.ingress_rule_ids(group).await?.unwrap_or_default();
                let missing: Vec<&str> = rule_ids.iter().map(String::as_str).filter(|r| !present.iter().any(|p| p == r)).collect();
                if !missing.is_empty() {
                    found.push(drift(
                        DriftKind::Missing,
                        &step.id,
                        format!("Rules {} are gone from {group}.", missing.join(", ")),
                        "Someone revoked them; the vendor's traffic is blocked. Plan a new grant to restore them.",
                    ));
                }
            }
            Action::CreateLoadBalancer { name, .. } if cloud.elb.find_load_balancer(name).await?.is_none() => found.push(gone(&step.id, &id)),
            Action::CreateTargetGroup { name, .. } if cloud.elb.find_target_group(name).await?.is_none() => found.push(gone(&step.id, &id)),
            Action::CreateListener { port, .. } => {
                let nlb = existing.get(&StepId::Nlb).map(|o| o.id().to_owned()).unwrap_or_default();
                if cloud.elb.find_listener(&nlb, *port).await?.is_none() {
                    found.push(gone(&step.id, &id));
                }
            }
            Action::RegisterTargets { ips, .. } => {
                let registered = match cloud.elb.registered_targets(&id).await {
                    Ok(registered) => registered,
                    Err(err) if err.is_not_found() => continue,
                    Err(err) => return Err(err.into()),
                };
                let recorded = match output {
                    Output::Targets { ips: recorded, .. } => recorded.clone(),
                    _ => ips.clone(),
                };
                // With target sync, the function moves the targets after a failover: what the
                // journal recorded is not expected any more, only that something is registered.
                let expected = match current_ips {
                    Some(ips) => ips.to_vec(),
                    None if existing.contains_key(&StepId::SyncFunction) => {
                        if registered.is_empty() {
                            found.push(drift(
                                DriftKind::Targets,
                                &step.id,
                                "The load balancer sends to nothing: the target-sync function has not registered the database's address.".to_owned(),
                                "Read the function's last log line (status, the Grants screen), or run `vendorlink resync-targets`.",
                            ));
                        }
                        continue;
                    }
                    None => recorded,
                };
                let mut have = registered.clone();
                have.sort();
                let mut want = expected.clone();
                want.sort();
                if have != want {
                    found.push(drift(
                        DriftKind::Targets,
                        &step.id,
                        format!("The load balancer sends to {} but the database is at {}.", if have.is_empty() { "nothing".into() } else { have.join(", ") }, want.join(", ")),
                        "Run `vendorlink resync-targets` (with --target-ip when its name does not resolve from here).",
                    ));
                }
            }
            Action::SetLoadBalancerSecurityGroups { enforce_on_private_link, .. } => {
                let wanted = if *enforce_on_private_link { "on" } else { "off" };
                match cloud.elb.private_link_inbound_rules(&id).await? {
                    Some(actual) if actual != wanted => found.push(drift(
                        DriftKind::Setting,
                        &step.id,
                        format!("The load balancer's EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is {actual}, not {wanted}: the vendor's PrivateLink connections are checked against its group by their client addresses and dropped."),
                        "Set it back to off (elbv2 set-security-groups --enforce-security-group-inbound-rules-on-private-link-traffic off), or revoke and plan a new grant.",
                    )),
                    _ => {}
                }
            }
            Action::CreateEndpointService { .. } if cloud.ec2.endpoint_service(&id).await?.is_none() => found.push(gone(&step.id, &id)),
            Action::AllowPrincipals { principals, .. } => match cloud.ec2.allowed_principals(&id).await {
                Ok(allowed) => {
                    let extra: Vec<&String> = allowed.iter().filter(|p| !principals.contains(p)).collect();
                    let missing: Vec<&String> = principals.iter().filter(|p| !allowed.contains(p)).collect();
                    if !extra.is_empty() {
                        found.push(drift(
                            DriftKind::AddedByHand,
                            &step.id,
                            format!("Also allowed on the service: {}.", extra.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")),
                            "Anyone listed can connect; remove principals you do not know.",
                        ));
                    }
                    if !missing.is_empty() {
                        found.push(drift(
                            DriftKind::Missing,
                            &step.id,
                            format!("No longer allowed: {}.", missing.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")),
                            "The vendor cannot connect; plan a new grant to restore it.",
                        ));
                    }
                }
                Err(err) if err.is_not_found() => {}
                Err(err) => return Err(err.into()),
            },
            Action::CreateRole { name, .. } => match cloud.iam.role_policies(name).await? {
                None => found.push(gone(&step.id, &id)),
                Some((inline, attached)) => {
                    let (ours_inline, ours_attached) = plan.steps.iter().fold((Vec::new(), Vec::new()), |(mut i, mut a), s| {
                        match &s.action {
                            Action::PutRolePolicy { name, .. } => i.push(name.clone()),
                            Action::AttachRolePolicy { policy_arn, .. } => a.push(policy_arn.clone()),
                            _ => {}
                        }
                        (i, a)
                    });
                    let extra: Vec<String> = inline.into_iter().filter(|n| !ours_inline.contains(n)).chain(attached.into_iter().filter(|a| !ours_attached.contains(a))).collect();
                    if !extra.is_empty() {
                        found.push(drift(
                            DriftKind::AddedByHand,
                            &step.id,
                            format!("Role {name} also has {}.", extra.join(", ")),
                            if step.id == StepId::SyncRole {
                                "The sync function gets these permissions too; remove them."
                            } else {
                                "The vendor gets these permissions too; remove them unless they were agreed."
                            },
                        ));
                    }
                }
            },
            Action::CreatePeering { .. } | Action::AcceptPeering { .. } => match cloud.peering.connection(&id).await? {
                Some(c) if !c.is_over() => {}
                over => found.push(drift(
                    DriftKind::Missing,
                    &step.id,
                    match over {
                        Some(c) => format!("Peering connection {id} is {}{}.", c.status, c.message.map(|m| format!(" ({m})")).unwrap_or_default()),
                        None => format!("Peering connection {id} no longer exists."),
                    },
                    "The vendor's VPC is cut off; `vendorlink revoke` removes the routes and rule left, and a new grant peers again.",
                )),
            },
            Action::LaunchBastion { .. } => match cloud.instances.instance(&id).await? {
                // Launched with IMDSv2 only and no role (R20.5): either changed by hand gives the
                // host, which the vendor's key can reach, more than a tunnel needs.
                Some(i) if i.state == "running" || i.state == "pending" => {
                    if i.http_tokens.as_deref() != Some("required") || i.has_role {
                        found.push(drift(
                            DriftKind::Setting,
                            &step.id,
                            format!(
                                "Bastion {id} {}.",
                                match (i.http_tokens.as_deref() != Some("required"), i.has_role) {
                                    (true, true) => "answers IMDSv1 and has an instance role",
                                    (true, false) => "answers IMDSv1 (its metadata tokens are optional)",
                                    _ => "has an instance role",
                                }
                            ),
                            "Set HttpTokens back to required and take the instance profile off, or revoke and plan a new grant.",
                        ));
                    }
                }
                gone => found.push(drift(
                    DriftKind::Missing,
                    &step.id,
                    match gone {
                        Some(i) => format!("Bastion {id} is {}.", i.state),
                        None => format!("Bastion {id} no longer exists."),
                    },
                    "The vendor's tunnel has nowhere to go; `vendorlink revoke` removes the rest, and a new grant launches another.",
                )),
            },
            Action::CreateResourceGateway { .. } => match cloud.lattice.gateway(&id).await? {
                Some(g) if g.status == "ACTIVE" || g.status.starts_with("UPDATE") => {}
                other => found.push(drift(
                    DriftKind::Missing,
                    &step.id,
                    other.map_or_else(|| format!("Resource gateway {id} no longer exists."), |g| format!("Resource gateway {id} is {}.", g.status)),
                    "The vendor's resource endpoint has no way into the VPC; `vendorlink revoke` removes the rest, and a new grant makes another.",
                )),
            },
            Action::CreateResourceConfiguration { .. } => match cloud.lattice.configuration(&id).await? {
                Some(c) if c.status == "ACTIVE" || c.status.starts_with("UPDATE") => {}
                other => found.push(drift(
                    DriftKind::Missing,
                    &step.id,
                    other.map_or_else(|| format!("Resource configuration {id} no longer exists."), |c| format!("Resource configuration {id} is {}.", c.status)),
                    "The vendor's resource endpoint reaches nothing; `vendorlink revoke` removes the rest, and a new grant makes another.",
                )),
            },
            Action::ShareResource { account_id, .. } => match cloud.sharing.share_info(&id).await? {
                Some(share) if share.reaches(account_id) => {
                    let others: Vec<&str> =
                        share.principals.iter().filter(|(p, s)| p != account_id && matches!(s.as_str(), "ASSOCIATING" | "ASSOCIATED")).map(|(p, _)| p.as_str()).collect();
                    if !others.is_empty() {
                        found.push(drift(
                            DriftKind::AddedByHand,
                            &step.id,
                            format!("Resource share {id} is also shared with {}.", others.join(", ")),
                            "Take them off the share (AWS RAM), or revoke the grant.",
                        ));
                    }
                }
                other => found.push(drift(
                    DriftKind::Missing,
                    &step.id,
                    match other {
                        Some(share) if share.is_over() => format!("Resource share {id} is {}.", share.status),
                        Some(share) => format!("Resource share {id} no longer includes {account_id} ({}).", share.principal_status(account_id).unwrap_or("not a principal")),
                        None => format!("Resource share {id} no longer exists."),
                    },
                    "The vendor can no longer make an endpoint for the database; `vendorlink revoke` removes the rest, and a new grant shares it again.",
                )),
            },
            Action::CreateSyncFunction { name, db_host, .. } => match cloud.functions.function(name).await? {
                Some(f) if f.state != "Failed" => {
                    let resolves = f.environment.iter().find(|(k, _)| k == "DB_HOST").map(|(_, v)| v.as_str());
                    if resolves != Some(db_host.as_str()) {
                        found.push(drift(
                            DriftKind::Setting,
                            &step.id,
                            format!("Function {name} now resolves {} instead of {db_host}.", resolves.unwrap_or("nothing")),
                            "Someone changed its settings; the targets may follow another host. Revoke and plan a new grant.",
                        ));
                    }
                }
                other => found.push(drift(
                    DriftKind::Missing,
                    &step.id,
                    other.map_or_else(|| format!("Function {name} no longer exists."), |f| format!("Function {name} is {}.", f.state)),
                    "The targets no longer follow the database; `vendorlink resync-targets` moves them by hand, and a new grant makes the sync again.",
                )),
            },
            Action::CreateSyncRule { name, .. } => match cloud.functions.rule(name).await? {
                Some(rule) if rule.state == "ENABLED" && !rule.target_arns.is_empty() => {}
                other => found.push(drift(
                    DriftKind::Missing,
                    &step.id,
                    match other {
                        Some(rule) if rule.state != "ENABLED" => format!("Rule {name} is {}.", rule.state),
                        Some(_) => format!("Rule {name} no longer invokes the sync function."),
                        None => format!("Rule {name} no longer exists."),
                    },
                    "The sync function no longer runs on this trigger; `vendorlink resync-targets` moves targets by hand.",
                )),
            },
            Action::CreatePeeringRoutes { route_table_id, cidrs, .. } => {
                let Output::Routes { connection_id, .. } = output else { continue };
                let routes = cloud.peering.route_table(route_table_id).await?.map(|t| t.routes).unwrap_or_default();
                let missing: Vec<&str> = cidrs.iter().filter(|c| !routes.iter().any(|r| &r.destination == *c && &r.target == connection_id)).map(String::as_str).collect();
                if !missing.is_empty() {
                    found.push(drift(
                        DriftKind::Missing,
                        &step.id,
                        format!("{route_table_id} no longer routes {} through {connection_id}.", missing.join(", ")),
                        "Someone changed the route table; the vendor's replies go elsewhere. Plan a new grant to restore it.",
                    ));
                }
            }
            _ => {}
        }
    }
    found.extend(expired(plan, Utc::now()));
    Ok(found)
}

/// The dedicated account, read with the caller's (management) credentials: still in the
/// organization and active.
pub async fn account_drift(caller: &Cloud, existing: &BTreeMap<StepId, Output>) -> Result<Option<Drift>, EngineError> {
    let Some(Output::Account { account_id, .. }) = existing.get(&StepId::Account) else { return Ok(None) };
    Ok(match caller.accounts.account(account_id).await? {
        None => Some(drift(
            DriftKind::Missing,
            &StepId::Account,
            format!("Account {account_id} is no longer in the organization."),
            "It was removed outside VendorLink; `vendorlink revoke` records what is left.",
        )),
        Some(account) if account.status != "ACTIVE" => Some(drift(
            DriftKind::Setting,
            &StepId::Account,
            format!("Account {account_id} is {}.", account.status),
            "It was closed or suspended outside VendorLink; nothing in it can be used.",
        )),
        Some(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use vendorlink_model::{CredentialSource, DatabaseRef, Part};

    fn plan(expires: Option<&str>) -> Plan {
        Plan {
            grant_id: "g-1".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            account_id: "123456789012".into(),
            region: "us-east-1".into(),
            member_access: None,
            source: CredentialSource::Sandbox,
            vendor_id: "datafold".into(),
            vendor_name: "Datafold".into(),
            bastion_host: None,
            database: Some(DatabaseRef { id: "db".into(), engine: "postgres".into(), endpoint: "db.example".into(), port: 5432, vpc_id: "vpc-1".into() }),
            parts: vec![Part::VendorRole],
            external_id: None,
            expires: expires.map(str::to_owned),
            warnings: Vec::new(),
            findings: Vec::new(),
            iam_actions: Vec::new(),
            steps: Vec::new(),
            cost: None,
        }
    }

    #[test]
    fn an_expiry_counts_once_its_moment_has_come() {
        let now: DateTime<Utc> = "2027-03-31T00:00:00Z".parse().expect("time");
        assert_eq!(expired(&plan(Some("2027-03-31T00:00:00Z")), now).map(|d| d.kind), Some(DriftKind::Expired));
        assert_eq!(expired(&plan(Some("2027-04-01T00:00:00Z")), now), None);
        assert_eq!(expired(&plan(None), now), None);
    }
}
