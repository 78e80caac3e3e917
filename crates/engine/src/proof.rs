//! After a revoke, each point of the vendor's access is checked with a describe call of its
//! own, not with the journal's word, and each claim says exactly what was checked: no
//! principal at all allowed on the service, no endpoint connection in a state that carries or
//! may carry traffic, no role (or a kept role whose trust lets nobody in and whose policies
//! deny everything, read by content), no rule on the database's group that admits the
//! vendor's ranges or the load balancer, and, for a full revoke, nothing left with the tag.

use std::collections::BTreeMap;

use super::policies;
use crate::validate;
use vendorlink_aws::Cloud;
use vendorlink_model::{Action, IngressSource, Output, Plan, ProofCheck, Ref, RevokeScope, StepId};

fn check(check: impl Into<String>, passed: bool, detail: impl Into<String>) -> ProofCheck {
    ProofCheck { check: check.into(), passed, detail: detail.into() }
}

fn failed_to_look(what: &str, err: impl std::fmt::Display) -> ProofCheck {
    check(what, false, format!("could not be checked: {err}"))
}

/// Connection states in which an endpoint carries, or may come to carry, traffic
/// (docs/aws-rules.md R4): everything but rejected, deleted, deleting, failed and expired.
pub fn connection_open(state: &str) -> bool {
    !matches!(state.to_ascii_lowercase().as_str(), "rejected" | "deleted" | "deleting" | "failed" | "expired")
}

/// `last` holds the ids each step's resource had (even if removed since).
pub async fn prove(cloud: &Cloud, plan: &Plan, last: &BTreeMap<StepId, Output>, scope: RevokeScope, role_kept: bool) -> Vec<ProofCheck> {
    let mut checks = Vec::new();
    let id = |step: StepId| last.get(&step).map(|o| o.id().to_owned());
    if let Some(service) = id(StepId::EndpointService) {
        let what = format!("No principal at all is allowed on endpoint service {service} (DescribeVpcEndpointServicePermissions)");
        checks.push(match cloud.ec2.allowed_principals(&service).await {
            Ok(allowed) if allowed.is_empty() => check(&what, true, "the list of allowed principals is empty"),
            Ok(allowed) => check(&what, false, format!("still allowed: {}", allowed.join(", "))),
            Err(err) if err.is_not_found() => check(&what, true, "the endpoint service no longer exists"),
            Err(err) => failed_to_look(&what, err),
        });
        let what = format!("No endpoint connection to {service} is in a state that carries traffic or may come to (DescribeVpcEndpointConnections, all states)");
        checks.push(match cloud.ec2.endpoint_connections(&service).await {
            Ok(connections) => {
                let open: Vec<String> = connections.iter().filter(|c| connection_open(&c.state)).map(|c| format!("{} ({}, {})", c.endpoint_id, c.owner, c.state)).collect();
                let states: Vec<String> = connections.iter().map(|c| format!("{} {}", c.endpoint_id, c.state)).collect();
                if open.is_empty() {
                    check(&what, true, if states.is_empty() { "no connection".to_owned() } else { states.join(", ") })
                } else {
                    check(&what, false, format!("open: {}", open.join(", ")))
                }
            }
            Err(err) if err.is_not_found() => check(&what, true, "the endpoint service no longer exists"),
            Err(err) => failed_to_look(&what, err),
        });
    }
    if let Some(role) = id(StepId::Role) {
        checks.push(role_check(cloud, &role, role_kept).await);
    }
    if let Some(connection) = id(StepId::Peering) {
        checks.extend(peering_checks(cloud, plan, last, &connection).await);
    }
    checks.extend(bastion_checks(cloud, plan, last).await);
    checks.extend(resource_endpoint_checks(cloud, plan, last).await);
    checks.extend(sync_checks(cloud, last).await);
    checks.extend(rule_checks(cloud, plan, last, scope).await);
    if scope == RevokeScope::Everything {
        let what = format!(
            "Nothing in {} carries the tag vendorlink:grant={} (security groups, rules, load balancers, target groups, endpoint services, peering connections, instances, resource gateways and configurations, resource shares, functions, their log groups, event rules, roles)",
            plan.region, plan.grant_id
        );
        checks.push(match cloud.tagged.tagged_resources(Some(&plan.grant_id)).await {
            Ok(found) if found.is_empty() => check(&what, true, "the tag scan found none"),
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

/// The connection is over (deleted, or refused by either side), and no route of the tables the
/// grant routed goes through it or to the vendor's blocks (docs/aws-rules.md R19: routes outlive
/// their connection, as blackholes).
async fn peering_checks(cloud: &Cloud, plan: &Plan, last: &BTreeMap<StepId, Output>, connection: &str) -> Vec<ProofCheck> {
    let mut checks = Vec::new();
    let what = format!("Peering connection {connection} is deleted or refused (DescribeVpcPeeringConnections)");
    checks.push(match cloud.peering.connection(connection).await {
        Ok(None) => check(&what, true, "AWS no longer lists it"),
        Ok(Some(c)) => check(&what, c.is_over(), format!("its status is {}", c.status)),
        Err(err) => failed_to_look(&what, err),
    });
    for step in &plan.steps {
        let Action::CreatePeeringRoutes { route_table_id, cidrs, .. } = &step.action else { continue };
        if !last.contains_key(&step.id) {
            continue;
        }
        let what = format!("No route in {route_table_id} goes through {connection} or to {} (DescribeRouteTables)", cidrs.join(", "));
        checks.push(match cloud.peering.route_table(route_table_id).await {
            Ok(None) => check(&what, true, "the route table no longer exists"),
            Ok(Some(table)) => {
                let left: Vec<String> = table
                    .routes
                    .iter()
                    .filter(|r| r.target == connection || cidrs.contains(&r.destination))
                    .map(|r| format!("{} → {} ({})", r.destination, r.target, r.state))
                    .collect();
                if left.is_empty() {
                    check(&what, true, format!("{} route(s) read, none of them", table.routes.len()))
                } else {
                    check(&what, false, format!("still there: {}", left.join(", ")))
                }
            }
            Err(err) => failed_to_look(&what, err),
        });
    }
    checks
}

/// The bastion instance is terminated, its group gone, and no rule of the database's group admits
/// the bastion's group (the launched one's, or the admin's own).
async fn bastion_checks(cloud: &Cloud, plan: &Plan, last: &BTreeMap<StepId, Output>) -> Vec<ProofCheck> {
    let mut checks = Vec::new();
    if let Some(Output::Instance { instance_id, .. }) = last.get(&StepId::Bastion) {
        let what = format!("Bastion instance {instance_id} is terminated (DescribeInstances)");
        checks.push(match cloud.instances.instance(instance_id).await {
            Ok(None) => check(&what, true, "AWS no longer lists it"),
            Ok(Some(i)) => check(&what, i.state == "terminated", format!("its state is {}", i.state)),
            Err(err) => failed_to_look(&what, err),
        });
    }
    let launched = last.get(&StepId::BastionSecurityGroup).map(|o| o.id().to_owned());
    let made = plan.step(&StepId::BastionSecurityGroup).map(|s| &s.action);
    if let (Some(group), Some(Action::CreateSecurityGroup { name, vpc_id, .. })) = (&launched, made) {
        let what = format!("The bastion's security group {group} no longer exists (DescribeSecurityGroups, by its name {name} in {vpc_id})");
        checks.push(match cloud.ec2.find_security_group(vpc_id, name).await {
            Ok(None) => check(&what, true, "no group of that name is left"),
            Ok(Some(found)) => check(&what, false, format!("{} still exists", found.id())),
            Err(err) => failed_to_look(&what, err),
        });
    }
    let (Some(step), Some(db)) = (plan.step(&StepId::DbRuleFromBastion), &plan.database) else { return checks };
    let Action::AuthorizeIngress { group: Ref::Existing { id: db_group }, sources, .. } = &step.action else { return checks };
    let bastion_group = sources.iter().find_map(|s| match s {
        IngressSource::Group { group: Ref::Existing { id } } => Some(id.clone()),
        IngressSource::Group { group: Ref::Step { .. } } => launched.clone(),
        IngressSource::Cidr { .. } => None,
    });
    let Some(bastion_group) = bastion_group else { return checks };
    let what = format!("No inbound rule of {db_group} admits the bastion's group {bastion_group} on port {} (DescribeSecurityGroupRules)", db.port);
    checks.push(match cloud.ec2.ingress_rules(db_group).await {
        Ok(None) => check(&what, true, "the security group no longer exists"),
        Ok(Some(rules)) => {
            let left: Vec<String> = rules.iter().filter(|r| r.source_group.as_deref() == Some(bastion_group.as_str())).map(|r| r.rule_id.clone()).collect();
            if left.is_empty() {
                check(&what, true, format!("{} inbound rule(s) read, none refers to it", rules.len()))
            } else {
                check(&what, false, format!("still admitted by {}", left.join(", ")))
            }
        }
        Err(err) => failed_to_look(&what, err),
    });
    checks
}

/// The vendor's account no longer has the share, the configuration and the gateway are gone,
/// and no endpoint is associated with the configuration any more (docs/aws-rules.md R21).
async fn resource_endpoint_checks(cloud: &Cloud, plan: &Plan, last: &BTreeMap<StepId, Output>) -> Vec<ProofCheck> {
    let mut checks = Vec::new();
    let account = plan.steps.iter().find_map(|s| if let Action::ShareResource { account_id, .. } = &s.action { Some(account_id.clone()) } else { None });
    if let (Some(Output::ResourceShare { arn, .. }), Some(account)) = (last.get(&StepId::ResourceShare), account) {
        let what = format!("Account {account} no longer has resource share {arn} (GetResourceShares, GetResourceShareAssociations)");
        checks.push(match cloud.sharing.share_info(arn).await {
            Ok(None) => check(&what, true, "RAM no longer knows the share"),
            Ok(Some(share)) if share.is_over() => check(&what, true, format!("the share is {}", share.status)),
            Ok(Some(share)) => match share.principal_status(&account) {
                Some(status) if share.reaches(&account) => check(&what, false, format!("the share is {} and the account's association {status}", share.status)),
                Some(status) => check(&what, true, format!("the account's association is {status}")),
                None => check(&what, true, "the account is not a principal of the share"),
            },
            Err(err) => failed_to_look(&what, err),
        });
    }
    if let Some(Output::ResourceConfiguration { arn, configuration_id, .. }) = last.get(&StepId::ResourceConfiguration) {
        let what = format!("No VPC endpoint is associated with resource configuration {configuration_id} (ListResourceEndpointAssociations)");
        checks.push(match cloud.lattice.endpoint_associations(arn).await {
            Ok(found) if found.is_empty() => check(&what, true, "none"),
            Ok(found) => check(&what, false, format!("still associated: {}", found.iter().map(|a| format!("{} ({})", a.vpc_endpoint_id, a.owner)).collect::<Vec<_>>().join(", "))),
            Err(err) => failed_to_look(&what, err),
        });
        let what = format!("Resource configuration {configuration_id} no longer exists (GetResourceConfiguration)");
        checks.push(match cloud.lattice.configuration(arn).await {
            Ok(None) => check(&what, true, "AWS no longer has it"),
            Ok(Some(c)) => check(&what, false, format!("its status is {}", c.status)),
            Err(err) => failed_to_look(&what, err),
        });
    }
    if let Some(Output::ResourceGateway { gateway_id, .. }) = last.get(&StepId::ResourceGateway) {
        let what = format!("Resource gateway {gateway_id} no longer exists (GetResourceGateway)");
        checks.push(match cloud.lattice.gateway(gateway_id).await {
            Ok(None) => check(&what, true, "AWS no longer has it"),
            Ok(Some(g)) => check(&what, false, format!("its status is {}", g.status)),
            Err(err) => failed_to_look(&what, err),
        });
    }
    checks
}

/// The target-sync function, its rules and its role are gone (revoked with the rest of private
/// link's network, docs/aws-rules.md R22).
async fn sync_checks(cloud: &Cloud, last: &BTreeMap<StepId, Output>) -> Vec<ProofCheck> {
    let mut checks = Vec::new();
    for step in [StepId::SyncEvents, StepId::SyncSchedule] {
        if let Some(Output::EventRule { name, .. }) = last.get(&step) {
            let what = format!("EventBridge rule {name} no longer exists (DescribeRule)");
            checks.push(match cloud.functions.rule(name).await {
                Ok(None) => check(&what, true, "EventBridge no longer has it"),
                Ok(Some(rule)) => check(&what, false, format!("it is {} with {} target(s)", rule.state, rule.target_arns.len())),
                Err(err) => failed_to_look(&what, err),
            });
        }
    }
    if let Some(Output::Function { name, .. }) = last.get(&StepId::SyncFunction) {
        let what = format!("Function {name} no longer exists (GetFunction)");
        checks.push(match cloud.functions.function(name).await {
            Ok(None) => check(&what, true, "Lambda no longer has it"),
            Ok(Some(f)) => check(&what, false, format!("its state is {}", f.state)),
            Err(err) => failed_to_look(&what, err),
        });
    }
    if let Some(Output::Role { name, .. }) = last.get(&StepId::SyncRole) {
        let what = format!("The sync function's role {name} no longer exists (GetRole)");
        checks.push(match cloud.iam.role_details(name).await {
            Ok(None) => check(&what, true, "IAM no longer has it"),
            Ok(Some((arn, ..))) => check(&what, false, format!("{arn} still exists")),
            Err(err) => failed_to_look(&what, err),
        });
    }
    checks
}

/// The dedicated account, read back with the management account's credentials, is closing or
/// closed (docs/aws-rules.md R18: `PENDING_CLOSURE`, then `SUSPENDED`).
pub async fn account_closed(caller: &Cloud, account: &str) -> ProofCheck {
    let what = format!("Account {account} is closed or closing (DescribeAccount)");
    match caller.accounts.account(account).await {
        Ok(Some(found)) if matches!(found.status.as_str(), "PENDING_CLOSURE" | "SUSPENDED" | "CLOSED") => check(&what, true, format!("its state is {}", found.status)),
        Ok(Some(found)) => check(&what, false, format!("its state is {}", found.status)),
        // Gone from the organization is not closed: it may have left it, role and all.
        Ok(None) => check(&what, false, "the organization no longer lists it, so neither its state nor its role can be checked from here"),
        Err(err) => failed_to_look(&what, err),
    }
}

/// The role is gone; or, kept because it was changed by hand, its trust (read back from IAM)
/// has no Allow and its `vendorlink-revoked` policy (read back) denies every action.
async fn role_check(cloud: &Cloud, role: &str, role_kept: bool) -> ProofCheck {
    let what = if role_kept {
        format!("Role {role} (kept) lets nobody assume it and denies every action (its trust and deny policy read back from IAM)")
    } else {
        format!("Role {role} no longer exists (GetRole)")
    };
    let details = match cloud.iam.role_details(role).await {
        Ok(None) => return check(&what, true, "IAM has no such role"),
        Ok(Some(details)) => details,
        Err(err) => return failed_to_look(&what, err),
    };
    if !role_kept {
        return check(&what, false, "the role still exists");
    }
    let trust_closed = policies::trusts_nobody(&details.2);
    let deny = match cloud.iam.role_policy(role, "vendorlink-revoked").await {
        Ok(document) => document,
        Err(err) => return failed_to_look(&what, err),
    };
    let denies = deny.as_deref().is_some_and(policies::denies_everything);
    let detail = format!(
        "trust {}; vendorlink-revoked {}",
        if trust_closed { "has no Allow statement" } else { "still allows someone" },
        match (&deny, denies) {
            (None, _) => "is missing",
            (Some(_), true) => "denies * on *",
            (Some(_), false) => "does not deny everything",
        }
    );
    check(&what, trust_closed && denies, detail)
}

/// For each security group the grant added rules to: no inbound rule left that admits the
/// vendor's ranges on the database port (any overlap counts, whoever added the rule), and,
/// when the network went too, none that refers to the load balancer's group.
async fn rule_checks(cloud: &Cloud, plan: &Plan, last: &BTreeMap<StepId, Output>, scope: RevokeScope) -> Vec<ProofCheck> {
    let Some(port) = plan.database.as_ref().map(|db| db.port) else { return Vec::new() };
    let mut ranges: Vec<String> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    for step in &plan.steps {
        if let Action::AuthorizeIngress { group: Ref::Existing { id }, sources, .. } = &step.action {
            if !groups.contains(id) {
                groups.push(id.clone());
            }
            ranges.extend(sources.iter().filter_map(|s| if let IngressSource::Cidr { cidr } = s { Some(cidr.clone()) } else { None }));
        }
    }
    let nlb_group = (scope == RevokeScope::Everything).then(|| last.get(&StepId::NlbSecurityGroup).map(|o| o.id().to_owned())).flatten();
    let parsed: Vec<(String, (std::net::Ipv4Addr, u8))> = ranges.iter().filter_map(|r| validate::cidr("range", r, true).ok().map(|c| (r.clone(), c))).collect();
    let mut checks = Vec::new();
    for group in groups {
        let mut claims = Vec::new();
        if !ranges.is_empty() {
            claims.push(format!("any of {}'s ranges ({})", plan.vendor_name, ranges.join(", ")));
        }
        if let Some(nlb) = &nlb_group {
            claims.push(format!("the load balancer's group {nlb}"));
        }
        if claims.is_empty() {
            continue;
        }
        let what = format!("No inbound rule of {group} admits {} on port {port} (DescribeSecurityGroupRules)", claims.join(" or "));
        checks.push(match cloud.ec2.ingress_rules(&group).await {
            Ok(None) => check(&what, true, "the security group no longer exists"),
            Ok(Some(rules)) => {
                let admitting: Vec<String> = rules
                    .iter()
                    .filter(|r| r.admits_tcp(port))
                    .filter(|r| {
                        let by_range = r.cidr.as_deref().and_then(|c| validate::cidr("rule", c, true).ok()).is_some_and(|c| parsed.iter().any(|(_, v)| validate::overlaps(*v, c)));
                        let by_group = nlb_group.is_some() && r.source_group == nlb_group;
                        by_range || by_group
                    })
                    .map(|r| format!("{} ({})", r.rule_id, r.cidr.clone().or_else(|| r.source_group.clone()).unwrap_or_default()))
                    .collect();
                if admitting.is_empty() {
                    check(&what, true, format!("{} inbound rule(s) read, none admits them", rules.len()))
                } else {
                    check(&what, false, format!("still admitted by {}", admitting.join(", ")))
                }
            }
            Err(err) => failed_to_look(&what, err),
        });
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::connection_open;

    #[test]
    fn every_state_that_may_carry_traffic_counts_as_open() {
        for state in ["pendingAcceptance", "pending", "available", "partial", "Available", "PendingAcceptance"] {
            assert!(connection_open(state), "{state}");
        }
        for state in ["rejected", "deleted", "deleting", "failed", "expired", "Rejected"] {
            assert!(!connection_open(state), "{state}");
        }
    }
}
