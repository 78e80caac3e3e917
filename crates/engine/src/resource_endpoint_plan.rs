//! The resource-endpoint part of a plan (docs/aws-rules.md R21): a security group for a VPC
//! Lattice resource gateway, the database group's rule admitting that group on the database
//! port only, the gateway in one subnet per zone the database uses, a resource configuration
//! naming the database (by ARN, or an endpoint's DNS name), and a RAM share of it with the
//! vendor's account. No load balancer and no addresses pinned: Lattice follows the database
//! through a failover. Pure: everything refused here is refused before any call.

use crate::plan_context::PlanContext;
use crate::validate::FieldError;
use vendorlink_model::{Action, Database, DatabaseKind, GrantRequest, IngressSource, Part, Ref, ResourceTarget, ResourceTargetKind, Step, StepId};

/// Free addresses a resource gateway takes in each of its subnets: its network interface's
/// IPv4 addresses, 16 by default (R21).
pub const GATEWAY_ADDRESSES_PER_SUBNET: u32 = 16;

/// The part's steps, or every reason it cannot be planned. `names`: the grant's short name
/// (Lattice names: 3-40 of a-z, 0-9 and '-', R21.1) and its long one.
pub fn steps(request: &GrantRequest, ctx: &PlanContext, db: &Database, names: (&str, &str), warnings: &mut Vec<String>) -> Result<Vec<Step>, Vec<FieldError>> {
    let (short_name, long_name) = names;
    let vendor = &request.vendor;
    let mut errors = Vec::new();
    let account = vendor.account_id.as_deref().map(str::trim).filter(|a| !a.is_empty());
    if account.is_none() {
        errors.push(FieldError::new(
            "vendor.accountId",
            format!("A resource endpoint is shared with {}'s AWS account, and its profile has none.", vendor.name),
            format!("Ask {} for the AWS account id it creates resource endpoints from, and add it to the profile.", vendor.name),
        ));
    }
    let region = &ctx.inventory.region;
    if !vendor.regions.is_empty() && !vendor.regions.iter().any(|r| r == region) {
        errors.push(FieldError::new(
            "parts",
            format!("{} connects from {}, and a resource endpoint is reached only from its own Region ({region}).", vendor.name, vendor.regions.join(", ")),
            "Choose private link instead: an endpoint service can be offered to other Regions.",
        ));
    }
    let target = match target(request.resource_target.unwrap_or_default(), db) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let subnets = match gateway_subnets(ctx, db) {
        Ok(s) => s,
        Err(mut e) => {
            errors.append(&mut e);
            Vec::new()
        }
    };
    let (Some(account), Some(target), true) = (account, target, errors.is_empty()) else { return Err(errors) };
    if matches!(target, ResourceTarget::Dns { .. }) {
        warnings.push(format!("The resource configuration names {}'s endpoint by DNS: Lattice resolves it on each new connection, so a failover needs nothing here.", db.id));
    }
    let db_group = db.security_group_ids.first().cloned().unwrap_or_default();
    let step = |id: StepId, summary: String, action: Action| Step { id, part: Part::ResourceEndpoint, summary, action, after: Vec::new() };
    let from = |step: StepId| Ref::Step { step };
    let what = match &target {
        ResourceTarget::Arn { arn } => format!("{} by its ARN ({arn})", db.id),
        ResourceTarget::Dns { domain_name } => format!("{} by the DNS name {domain_name}", db.id),
    };
    Ok(vec![
        step(
            StepId::GatewaySecurityGroup,
            format!("Security group {long_name}-rgw for the resource gateway, in {}, with no inbound rule", db.vpc_id),
            Action::CreateSecurityGroup {
                name: format!("{long_name}-rgw"),
                description: format!("VendorLink {}: resource gateway for {}", ctx.grant_id, vendor.name),
                vpc_id: db.vpc_id.clone(),
            },
        ),
        step(
            StepId::DbRuleFromGateway,
            format!("Let the resource gateway reach {} on port {} only (rule on {db_group})", db.id, db.port),
            Action::AuthorizeIngress {
                group: Ref::Existing { id: db_group.clone() },
                port: db.port,
                sources: vec![IngressSource::Group { group: from(StepId::GatewaySecurityGroup) }],
                description: format!("VendorLink {} {}: from the resource gateway", ctx.grant_id, vendor.id),
            },
        ),
        step(
            StepId::ResourceGateway,
            format!("VPC Lattice resource gateway {short_name} in {} subnets ({}), wait until active", subnets.len(), subnets.join(", ")),
            Action::CreateResourceGateway { name: short_name.to_owned(), vpc_id: db.vpc_id.clone(), subnet_ids: subnets, security_group: from(StepId::GatewaySecurityGroup) },
        ),
        step(
            StepId::ResourceConfiguration,
            format!("Resource configuration {short_name} for {what}, port {}, wait until active", db.port),
            Action::CreateResourceConfiguration { name: short_name.to_owned(), gateway: from(StepId::ResourceGateway), target, port: db.port },
        ),
        step(
            StepId::ResourceShare,
            format!("Share the resource configuration with {}'s account {account} through AWS RAM (an invitation it accepts)", vendor.name),
            Action::ShareResource { name: long_name.to_owned(), resource: from(StepId::ResourceConfiguration), account_id: account.to_owned() },
        ),
    ])
}

/// What the configuration names (R21: an ARN configuration takes an RDS instance or Aurora
/// cluster; a DNS one any name the gateway's VPC resolves).
fn target(kind: ResourceTargetKind, db: &Database) -> Result<ResourceTarget, FieldError> {
    match kind {
        ResourceTargetKind::DatabaseArn if db.arn.is_empty() => {
            Err(FieldError::new("resourceTarget", format!("RDS did not give {}'s ARN.", db.id), "Name the database by its endpoint's DNS name instead."))
        }
        ResourceTargetKind::DatabaseArn => Ok(ResourceTarget::Arn { arn: db.arn.clone() }),
        ResourceTargetKind::WriterDns => Ok(ResourceTarget::Dns { domain_name: db.endpoint.clone() }),
        ResourceTargetKind::ReaderDns => match (&db.kind, db.reader_endpoint.as_deref()) {
            (DatabaseKind::Cluster, Some(reader)) if !reader.is_empty() => Ok(ResourceTarget::Dns { domain_name: reader.to_owned() }),
            _ => Err(FieldError::new(
                "resourceTarget",
                format!("{} has no reader endpoint: only an Aurora cluster has one.", db.id),
                "Name the database by its ARN or its writer endpoint.",
            )),
        },
    }
}

/// One subnet per zone the database uses, each with room for the gateway's addresses; a zone
/// whose subnets are all too full is refused (the vendor may be in that zone only).
fn gateway_subnets(ctx: &PlanContext, db: &Database) -> Result<Vec<String>, Vec<FieldError>> {
    let mut zones: Vec<(&str, Option<String>, Vec<String>)> = Vec::new();
    for subnet in db.subnet_ids.iter().filter_map(|id| ctx.inventory.subnet(id)).filter(|s| s.vpc_id == db.vpc_id) {
        let zone = match zones.iter().position(|(z, _, _)| *z == subnet.availability_zone_id) {
            Some(i) => &mut zones[i],
            None => {
                zones.push((&subnet.availability_zone_id, None, Vec::new()));
                let last = zones.len() - 1;
                &mut zones[last]
            }
        };
        match subnet.available_ips {
            Some(free) if free < GATEWAY_ADDRESSES_PER_SUBNET => zone.2.push(format!("{} ({free} free)", subnet.id)),
            _ if zone.1.is_none() => zone.1 = Some(subnet.id.clone()),
            _ => {}
        }
    }
    if zones.is_empty() {
        return Err(vec![FieldError::new("database.subnets", format!("None of {}'s subnets is in its VPC {}.", db.id, db.vpc_id), "Check the database's DB subnet group.")]);
    }
    let full: Vec<String> = zones.iter().filter(|(_, chosen, _)| chosen.is_none()).flat_map(|(_, _, full)| full.clone()).collect();
    if !full.is_empty() {
        return Err(vec![FieldError::new(
            "database.subnets",
            format!("A resource gateway takes {GATEWAY_ADDRESSES_PER_SUBNET} free addresses in a subnet of each zone the database uses, and {} has fewer.", full.join(", ")),
            "Free addresses in those subnets, or add a subnet in the same zone to the database's subnet group.",
        )]);
    }
    Ok(zones.into_iter().filter_map(|(_, chosen, _)| chosen).collect())
}
