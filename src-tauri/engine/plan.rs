//! A `GrantRequest` plus what discovery found becomes a `Plan`: every resource with all its
//! inputs, in dependency order. Pure: no AWS call, so every check here runs before any call
//! and is unit-tested on its own.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use chrono::{DateTime, NaiveDate, Utc};

use super::policies;
use crate::model::{Action, CredentialSource, Database, DatabaseRef, GrantRequest, IngressSource, Inventory, Part, Plan, Ref, RoleAccess, Step};
use crate::validate::{self, FieldError};
use crate::vendors;

const POWER_USER: &str = "arn:aws:iam::aws:policy/PowerUserAccess";
const ADMINISTRATOR: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// Everything a plan needs besides the request: where, who, and the facts discovery found.
#[derive(Debug, Clone)]
pub struct PlanContext<'a> {
    pub grant_id: String,
    pub external_id: String,
    pub now: DateTime<Utc>,
    pub account_id: String,
    pub source: CredentialSource,
    pub inventory: &'a Inventory,
    /// The database endpoint's addresses as the resolver found them (used when the request
    /// names no target IPs); `Err` holds why resolution failed.
    pub resolved_ips: Result<Vec<Ipv4Addr>, String>,
}

/// Checks the request against the inventory and lays out the steps. Every problem found is
/// returned at once, each naming its field.
pub fn build(request: &GrantRequest, ctx: &PlanContext) -> Result<Plan, Vec<FieldError>> {
    let mut errors = Vec::new();
    if let Err(mut profile) = vendors::check_ranges(&request.vendor, request.allow_everyone) {
        for e in &mut profile {
            e.field = format!("vendor.{}", e.field);
        }
        errors.extend(profile);
    }
    let parts: BTreeSet<Part> = request.parts.iter().copied().collect();
    if parts.is_empty() {
        errors.push(FieldError::new("parts", "No part of a grant is chosen.", "Choose at least one of private link, vendor role, IP allowlist."));
    } else if parts.len() != request.parts.len() {
        errors.push(FieldError::new("parts", "A part is chosen twice.", "List each part once."));
    }
    let database = match database(request, ctx.inventory) {
        Ok(db) => Some(db),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    let expires_at = expiry(request, ctx.now).map_err(|e| errors.push(e)).ok().flatten();
    let mut warnings = Vec::new();
    let mut steps = Vec::new();
    let names = Names::new(&request.vendor.id, &ctx.grant_id);
    if let Some(db) = database {
        let db_group = db.security_group_ids[0].clone();
        if parts.contains(&Part::PrivateLink) {
            match private_link(request, ctx, db, &db_group, &names) {
                Ok(mut s) => steps.append(&mut s),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if parts.contains(&Part::IpAllowlist) {
            match ip_allowlist(request, ctx, db, &db_group) {
                Ok(step) => steps.push(step),
                Err(mut e) => errors.append(&mut e),
            }
            if !db.publicly_accessible {
                warnings.push(format!(
                    "{} is not publicly accessible: the allowlist rules only help once the vendor can reach it from its addresses (seed 002 expects a public endpoint).",
                    db.id
                ));
            }
        }
    }
    let mut external_id = None;
    if parts.contains(&Part::VendorRole) {
        if request.vendor.require_external_id {
            external_id = Some(ctx.external_id.clone());
        }
        match vendor_role(request, external_id.as_deref(), expires_at.as_deref(), &names) {
            Ok(mut s) => steps.append(&mut s),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(db) = database else { return Err(errors) };
    Ok(Plan {
        grant_id: ctx.grant_id.clone(),
        created_at: ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        account_id: ctx.account_id.clone(),
        region: ctx.inventory.region.clone(),
        source: ctx.source.clone(),
        vendor_id: request.vendor.id.clone(),
        vendor_name: request.vendor.name.clone(),
        database: DatabaseRef { id: db.id.clone(), engine: db.engine.clone(), endpoint: db.endpoint.clone(), port: db.port, vpc_id: db.vpc_id.clone() },
        parts: parts.into_iter().collect(),
        external_id,
        expires: expires_at,
        warnings,
        steps,
    })
}

/// Resource names, within AWS's limits by construction: ELB names ≤ 32 characters of
/// letters, digits and dashes; IAM role names ≤ 64.
struct Names {
    short: String,
    long: String,
}

impl Names {
    fn new(vendor_id: &str, grant_id: &str) -> Self {
        let vendor: String = vendor_id.chars().take(16).collect();
        let grant = grant_id.trim_start_matches("g-");
        Names { short: format!("vl-{}-{grant}", vendor.trim_end_matches('-')), long: format!("vendorlink-{vendor_id}-{grant}") }
    }
}

/// The database, with what a grant needs from it present and consistent.
fn database<'a>(request: &GrantRequest, inventory: &'a Inventory) -> Result<&'a Database, Vec<FieldError>> {
    let Some(db) = inventory.database(&request.database) else {
        let known: Vec<&str> = inventory.databases.iter().map(|d| d.id.as_str()).collect();
        let hint = if known.is_empty() { format!("There are no RDS databases in {}; pick another region.", inventory.region) } else { format!("Databases in {}: {}.", inventory.region, known.join(", ")) };
        return Err(vec![FieldError::new("database", format!("No RDS instance or Aurora cluster \"{}\" in {}.", request.database, inventory.region), hint)]);
    };
    let mut errors = Vec::new();
    if db.endpoint.is_empty() {
        errors.push(FieldError::new("database", format!("{} has no endpoint yet (status: {}).", db.id, db.status), "Wait until RDS shows the database as available, then plan again."));
    }
    if let Err(e) = validate::port("database.port", i64::from(db.port)) {
        errors.push(e);
    }
    let Some(vpc) = inventory.vpc(&db.vpc_id) else {
        errors.push(FieldError::new("database", format!("{} is not in a VPC VendorLink can see ({}).", db.id, if db.vpc_id.is_empty() { "none" } else { &db.vpc_id }), "A grant needs a database in a VPC of this account; check the DB subnet group."));
        return Err(errors);
    };
    if db.security_group_ids.is_empty() {
        errors.push(FieldError::new("database.securityGroups", format!("{} has no VPC security group.", db.id), "Attach a security group to the database in RDS, then plan again."));
    }
    for group in &db.security_group_ids {
        match inventory.security_group(group) {
            Some(g) if g.vpc_id != vpc.id => {
                errors.push(FieldError::new("database.securityGroups", format!("Security group {group} is in {}, not in the database's VPC {}.", g.vpc_id, vpc.id), "Rules in another VPC's group cannot admit traffic to this database."))
            }
            None => errors.push(FieldError::new("database.securityGroups", format!("Security group {group} of {} was not found.", db.id), "It may have just been deleted; refresh and plan again.")),
            Some(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(db)
    } else {
        Err(errors)
    }
}

/// `YYYY-MM-DD`, in the future: the grant ends at midnight UTC at the start of that day.
fn expiry(request: &GrantRequest, now: DateTime<Utc>) -> Result<Option<String>, FieldError> {
    let Some(text) = &request.expires else { return Ok(None) };
    let hint = "Give the day the access ends as YYYY-MM-DD, e.g. 2027-03-31.";
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| FieldError::new("expires", format!("\"{text}\" is not a date."), hint))?;
    let at = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).ok_or_else(|| FieldError::new("expires", format!("\"{text}\" is not a date."), hint))?;
    if at <= now {
        return Err(FieldError::new("expires", format!("{text} is not in the future."), "An expiry must be a later day than today (UTC)."));
    }
    Ok(Some(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
}

fn vpc_ranges(inventory: &Inventory, vpc_id: &str) -> Vec<(Ipv4Addr, u8)> {
    inventory.vpc(vpc_id).map(|v| v.cidrs.iter().filter_map(|c| validate::cidr("vpc", c, true).ok()).collect()).unwrap_or_default()
}

fn principals(request: &GrantRequest) -> Vec<String> {
    if !request.vendor.principals.is_empty() {
        request.vendor.principals.clone()
    } else {
        request.vendor.account_id.iter().map(|a| format!("arn:aws:iam::{a}:root")).collect()
    }
}

fn private_link(request: &GrantRequest, ctx: &PlanContext, db: &Database, db_group: &str, names: &Names) -> Result<Vec<Step>, Vec<FieldError>> {
    let inventory = ctx.inventory;
    let mut errors = Vec::new();
    let principals = principals(request);
    if principals.is_empty() {
        errors.push(FieldError::new(
            "vendor.principals",
            format!("{} has no AWS account or principal to allow on the endpoint service.", request.vendor.name),
            "Ask the vendor for the account id or role ARN it connects from, and add it to the profile.",
        ));
    }
    let subnets = match nlb_subnets(request, inventory, db) {
        Ok(s) => s,
        Err(mut e) => {
            errors.append(&mut e);
            Vec::new()
        }
    };
    let ips = match target_ips(request, ctx, db) {
        Ok(ips) => ips,
        Err(mut e) => {
            errors.append(&mut e);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let vpc_cidrs = inventory.vpc(&db.vpc_id).map(|v| v.cidrs.clone()).unwrap_or_default();
    let supported_regions: Vec<String> = request.vendor.regions.iter().filter(|r| **r != inventory.region).cloned().collect();
    let step = |id: &str, summary: String, action: Action| Step { id: id.into(), part: Part::PrivateLink, summary, action };
    let from = |id: &str| Ref::Step { step: id.into() };
    Ok(vec![
        step(
            "nlb-sg",
            format!("Security group {}-nlb for the load balancer, in {}", names.long, db.vpc_id),
            Action::CreateSecurityGroup { name: format!("{}-nlb", names.long), description: format!("VendorLink {}: NLB for {}", ctx.grant_id, request.vendor.name), vpc_id: db.vpc_id.clone() },
        ),
        step(
            "nlb-sg-ingress",
            format!("Let the endpoint's traffic into the NLB on port {} (from {})", db.port, vpc_cidrs.join(", ")),
            Action::AuthorizeIngress {
                group: from("nlb-sg"),
                port: db.port,
                sources: vpc_cidrs.iter().map(|c| IngressSource::Cidr { cidr: c.clone() }).collect(),
                description: format!("VendorLink {} {}: PrivateLink traffic", ctx.grant_id, request.vendor.id),
            },
        ),
        step(
            "db-sg-from-nlb",
            format!("Let the NLB reach {} on port {} (rule on {db_group})", db.id, db.port),
            Action::AuthorizeIngress {
                group: Ref::Existing { id: db_group.to_owned() },
                port: db.port,
                sources: vec![IngressSource::Group { group: from("nlb-sg") }],
                description: format!("VendorLink {} {}: from NLB", ctx.grant_id, request.vendor.id),
            },
        ),
        step(
            "target-group",
            format!("TCP target group {} (type ip, port {})", names.short, db.port),
            Action::CreateTargetGroup { name: names.short.clone(), vpc_id: db.vpc_id.clone(), port: db.port },
        ),
        step("targets", format!("Register {}'s addresses {} as targets", db.id, ips.join(", ")), Action::RegisterTargets { target_group: from("target-group"), ips, port: db.port }),
        step(
            "nlb",
            format!("Internal network load balancer {} in {} subnets, wait until active", names.short, subnets.len()),
            Action::CreateLoadBalancer { name: names.short.clone(), subnet_ids: subnets, security_group: from("nlb-sg") },
        ),
        step("nlb-cross-zone", "Turn on cross-zone load balancing".into(), Action::EnableCrossZone { load_balancer: from("nlb") }),
        step(
            "listener",
            format!("TCP listener on port {} forwarding to the target group", db.port),
            Action::CreateListener { load_balancer: from("nlb"), target_group: from("target-group"), port: db.port },
        ),
        step(
            "endpoint-service",
            format!(
                "VPC endpoint service on the NLB (acceptance {}{}), wait until available",
                if request.acceptance_required { "required" } else { "not required" },
                if supported_regions.is_empty() { String::new() } else { format!(", also from {}", supported_regions.join(", ")) }
            ),
            Action::CreateEndpointService { load_balancer: from("nlb"), acceptance_required: request.acceptance_required, supported_regions },
        ),
        step("endpoint-principals", format!("Allow {} to connect", principals.join(", ")), Action::AllowPrincipals { service: from("endpoint-service"), principals }),
    ])
}

/// One subnet per AZ, in the database's VPC, where the vendor can reach (its AZ IDs).
fn nlb_subnets(request: &GrantRequest, inventory: &Inventory, db: &Database) -> Result<Vec<String>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let explicit = !request.subnet_ids.is_empty();
    let candidates: Vec<&String> = if explicit { request.subnet_ids.iter().collect() } else { db.subnet_ids.iter().collect() };
    let mut chosen: Vec<String> = Vec::new();
    let mut zones: Vec<&str> = Vec::new();
    for (i, id) in candidates.iter().enumerate() {
        let field = if explicit { format!("subnetIds[{i}]") } else { "database.subnets".to_owned() };
        let Some(subnet) = inventory.subnet(id) else {
            errors.push(FieldError::new(&field, format!("Subnet {id} was not found in {}.", inventory.region), "Pick subnets from the database's VPC."));
            continue;
        };
        if subnet.vpc_id != db.vpc_id {
            errors.push(FieldError::new(&field, format!("Subnet {id} is in {}, not in the database's VPC {}.", subnet.vpc_id, db.vpc_id), "The load balancer must sit in the database's VPC."));
            continue;
        }
        if zones.contains(&subnet.availability_zone_id.as_str()) {
            if explicit {
                errors.push(FieldError::new(&field, format!("Subnet {id} is in {} ({}) like an earlier one.", subnet.availability_zone, subnet.availability_zone_id), "Give one subnet per availability zone."));
            }
            continue;
        }
        if !request.vendor.az_ids.is_empty() && !request.vendor.az_ids.contains(&subnet.availability_zone_id) {
            continue;
        }
        zones.push(&subnet.availability_zone_id);
        chosen.push(subnet.id.clone());
    }
    if errors.is_empty() && chosen.is_empty() {
        let field = if request.vendor.az_ids.is_empty() { "database.subnets" } else { "vendor.azIds" };
        errors.push(FieldError::new(
            field,
            format!("No subnet of {} is in an availability zone {} can reach ({}).", db.id, request.vendor.name, request.vendor.az_ids.join(", ")),
            "Add a subnet in one of the vendor's AZ IDs to the database's VPC, or ask the vendor which zones it supports.",
        ));
    }
    if errors.is_empty() {
        Ok(chosen)
    } else {
        Err(errors)
    }
}

/// The addresses to register: typed by the admin, else resolved from the endpoint; each must
/// lie inside the VPC (targets of type `ip` must).
fn target_ips(request: &GrantRequest, ctx: &PlanContext, db: &Database) -> Result<Vec<String>, Vec<FieldError>> {
    let ranges = vpc_ranges(ctx.inventory, &db.vpc_id);
    let typed = !request.target_ips.is_empty();
    let ips: Vec<(String, String)> = if typed {
        request.target_ips.iter().enumerate().map(|(i, ip)| (format!("targetIps[{i}]"), ip.trim().to_owned())).collect()
    } else {
        match &ctx.resolved_ips {
            Ok(ips) if !ips.is_empty() => ips.iter().map(|ip| ("targetIps".to_owned(), ip.to_string())).collect(),
            Ok(_) | Err(_) => {
                let why = ctx.resolved_ips.as_ref().err().cloned().unwrap_or_else(|| "no addresses".into());
                return Err(vec![FieldError::new(
                    "targetIps",
                    format!("{} could not be resolved from here ({why}).", db.endpoint),
                    "Type the database's private IP addresses (RDS console → the instance's network interface, or `dig` from inside the VPC).",
                )]);
            }
        }
    };
    let mut errors = Vec::new();
    let mut seen = Vec::new();
    for (field, ip) in &ips {
        let Ok(address) = ip.parse::<Ipv4Addr>() else {
            errors.push(FieldError::new(field, format!("\"{ip}\" is not an IPv4 address."), "Type the address alone, like 10.20.1.15 (no port, no /32)."));
            continue;
        };
        if !ranges.iter().any(|r| validate::overlaps(*r, (address, 32))) {
            let cidrs = ctx.inventory.vpc(&db.vpc_id).map(|v| v.cidrs.join(", ")).unwrap_or_default();
            errors.push(FieldError::new(field, format!("{ip} is not inside the database's VPC ({cidrs})."), "Targets of type ip must be private addresses of the database in its VPC."));
            continue;
        }
        if seen.contains(ip) {
            errors.push(FieldError::new(field, format!("{ip} is listed twice."), "List each address once."));
            continue;
        }
        seen.push(ip.clone());
    }
    if errors.is_empty() {
        Ok(seen)
    } else {
        Err(errors)
    }
}

fn ip_allowlist(request: &GrantRequest, ctx: &PlanContext, db: &Database, db_group: &str) -> Result<Step, Vec<FieldError>> {
    let inventory = ctx.inventory;
    let mut errors = Vec::new();
    if request.vendor.ip_ranges.is_empty() {
        errors.push(FieldError::new("vendor.ipRanges", format!("{} lists no addresses to allow.", request.vendor.name), "Add the vendor's published IP ranges to the profile, or choose private link instead."));
    }
    let vpc = vpc_ranges(inventory, &db.vpc_id);
    let private: [(Ipv4Addr, u8); 3] = [(Ipv4Addr::new(10, 0, 0, 0), 8), (Ipv4Addr::new(172, 16, 0, 0), 12), (Ipv4Addr::new(192, 168, 0, 0), 16)];
    for (i, range) in request.vendor.ip_ranges.iter().enumerate() {
        let field = format!("vendor.ipRanges[{i}]");
        let Ok(net) = validate::cidr(&field, range, request.allow_everyone) else { continue }; // reported by the profile check
        if net.1 > 0 && vpc.iter().any(|v| validate::overlaps(*v, net)) {
            errors.push(FieldError::new(&field, format!("{range} overlaps the database's own VPC."), "A vendor's published addresses are public ones; this range would open the port to hosts inside your VPC."));
        } else if net.1 > 0 && private.iter().any(|p| validate::overlaps(*p, net)) {
            errors.push(FieldError::new(&field, format!("{range} is a private (RFC 1918) range, not a vendor's public address."), "Use the public addresses the vendor publishes; private networks are reached with private link or peering."));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Step {
        id: "allowlist".into(),
        part: Part::IpAllowlist,
        summary: format!("Allow {} from {} on port {} (rules on {db_group})", request.vendor.name, request.vendor.ip_ranges.join(", "), db.port),
        action: Action::AuthorizeIngress {
            group: Ref::Existing { id: db_group.to_owned() },
            port: db.port,
            sources: request.vendor.ip_ranges.iter().map(|c| IngressSource::Cidr { cidr: c.trim().to_owned() }).collect(),
            description: format!("VendorLink {} {}: vendor addresses", ctx.grant_id, request.vendor.id),
        },
    })
}

fn vendor_role(request: &GrantRequest, external_id: Option<&str>, expires_at: Option<&str>, names: &Names) -> Result<Vec<Step>, Vec<FieldError>> {
    let vendor = &request.vendor;
    let mut errors = Vec::new();
    if vendor.account_id.is_none() && vendor.principals.is_empty() {
        errors.push(FieldError::new("vendor.accountId", format!("{} has no AWS account id to trust.", vendor.name), "Ask the vendor for the account id (or role ARN) that will assume the role."));
    }
    if !(1..=12).contains(&request.max_session_hours) {
        errors.push(FieldError::new("maxSessionHours", format!("{} hours is not a session length IAM allows.", request.max_session_hours), "Choose 1 to 12 hours."));
    }
    let inline = vendor.permissions.inline_policy.as_deref();
    let mut policies: Vec<(String, String)> = Vec::new();
    let mut managed: Vec<String> = Vec::new();
    match request.role_access {
        RoleAccess::VendorPolicy => {
            if inline.is_none() && vendor.permissions.managed_policy_arns.is_empty() {
                errors.push(FieldError::new(
                    "vendor.permissions",
                    format!("{}'s profile asks for no permissions.", vendor.name),
                    "Add the vendor's policy document or managed policy ARNs to the profile, or choose PowerUser or Administrator access.",
                ));
            }
            managed.extend(vendor.permissions.managed_policy_arns.iter().cloned());
            policies.extend(inline.map(|p| (format!("vendorlink-{}", vendor.id), p.to_owned())));
        }
        RoleAccess::PowerUser => {
            managed.push(POWER_USER.into());
            policies.extend(inline.and_then(policies::iam_actions_only).map(|p| (format!("vendorlink-{}-iam", vendor.id), p)));
        }
        RoleAccess::Administrator => managed.push(ADMINISTRATOR.into()),
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let trust = policies::trust_policy(&principals(request), vendor.require_mfa, external_id, expires_at);
    let role = Ref::Step { step: "role".into() };
    let mut steps = vec![Step {
        id: "role".into(),
        part: Part::VendorRole,
        summary: format!(
            "IAM role {} that {} may assume{}{}",
            names.long,
            vendor.name,
            if vendor.require_mfa { " with MFA" } else { "" },
            if external_id.is_some() { " and the external id" } else { "" }
        ),
        action: Action::CreateRole {
            name: names.long.clone(),
            description: format!("VendorLink: {} access", vendor.name),
            trust_policy: trust,
            max_session_seconds: u32::from(request.max_session_hours) * 3600,
        },
    }];
    for (name, document) in policies {
        steps.push(Step {
            id: format!("role-policy-{name}"),
            part: Part::VendorRole,
            summary: format!("Inline policy {name} on the role"),
            action: Action::PutRolePolicy { role: role.clone(), name, document },
        });
    }
    for (i, arn) in managed.into_iter().enumerate() {
        steps.push(Step { id: format!("role-managed-{i}"), part: Part::VendorRole, summary: format!("Attach {arn}"), action: Action::AttachRolePolicy { role: role.clone(), policy_arn: arn } });
    }
    if let Some(at) = expires_at {
        steps.push(Step {
            id: "role-expiry".into(),
            part: Part::VendorRole,
            summary: format!("Deny everything after {at}"),
            action: Action::PutRolePolicy { role, name: "vendorlink-expiry".into(), document: policies::expiry_policy(at) },
        });
    }
    Ok(steps)
}
