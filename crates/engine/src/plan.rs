//! A `GrantRequest` plus what discovery found becomes a `Plan`: every resource with all its
//! inputs, in dependency order. Pure: no AWS call, so every check here runs before any call
//! and is unit-tested on its own.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use chrono::{DateTime, NaiveDate, Utc};

use super::policies;
use crate::validate::{self, FieldError};
use crate::vendors;
use vendorlink_model::{
    Action, Database, DatabaseRef, GrantRequest, IngressSource, Inventory, NewAccount, Part, PassRole, Plan, Ref, RoleAccess, Step, StepFinding, StepId, ORGANIZATION_ACCESS_ROLE,
};

const POWER_USER: &str = "arn:aws:iam::aws:policy/PowerUserAccess";
const ADMINISTRATOR: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
/// The step that puts the role's self-protection on, before any permission.
const GUARD_POLICY: &str = "vendorlink-guard";
/// IAM's limit on all of a role's inline policies together, in characters (whitespace not
/// counted; docs/aws-rules.md R8).
const INLINE_POLICY_CHARS: usize = 10_240;
/// The step that turns the NLB group's inbound rules off for PrivateLink traffic.
/// AWS's default quota of inbound rules per security group.
const RULES_PER_GROUP: usize = 60;

pub use crate::plan_context::PlanContext;

/// The checks that need no AWS answer: the vendor profile's own (each field named under
/// `vendor.` as the request has it), and the member account and access role when given.
pub fn vendor_errors(request: &GrantRequest) -> Vec<FieldError> {
    let mut errors = vendors::check_ranges(&request.vendor, request.allow_everyone).err().unwrap_or_default();
    for e in &mut errors {
        e.field = format!("vendor.{}", e.field);
    }
    if let Some(account) = &request.account {
        errors.extend(validate::account_id("account", account).err());
    }
    if let Some(role) = &request.access_role {
        errors.extend(validate::role_name("accessRole", role).err());
    }
    errors.extend(dedicated_errors(request));
    errors
}

/// A dedicated account holds only the vendor's role: the request names the account to create
/// and no database, and is not also aimed at an existing member account.
fn dedicated_errors(request: &GrantRequest) -> Vec<FieldError> {
    let parts: BTreeSet<Part> = request.parts.iter().copied().collect();
    let mut errors = Vec::new();
    match (&request.new_account, parts.contains(&Part::DedicatedAccount)) {
        (None, false) => return errors,
        (Some(_), false) => errors.push(FieldError::new(
            "parts",
            "A new account is described but the dedicated-account part is not chosen.",
            "Choose the dedicated-account part, or leave the new account out.",
        )),
        (None, true) => errors.push(FieldError::new(
            "newAccount",
            "The dedicated-account part needs the new account's name and owner email.",
            "Give the account a name (the vendor's) and an email address no other AWS account uses.",
        )),
        (Some(account), true) => {
            errors.extend(validate::account_name("newAccount.name", &account.name).err());
            errors.extend(validate::account_email("newAccount.email", &account.email).err());
            if let Some(unit) = &account.organizational_unit {
                errors.extend(validate::organizational_unit("newAccount.organizationalUnit", unit).err());
            }
        }
    }
    if parts.contains(&Part::DedicatedAccount) {
        if !parts.contains(&Part::VendorRole) {
            errors.push(FieldError::new(
                "parts",
                "A dedicated account without the vendor role gives the vendor nothing.",
                "Choose the vendor-role part too: the role is created in the new account.",
            ));
        }
        if parts.contains(&Part::PrivateLink)
            || parts.contains(&Part::IpAllowlist)
            || parts.contains(&Part::VpcPeering)
            || parts.contains(&Part::SshBastion)
            || parts.contains(&Part::ResourceEndpoint)
            || !request.database.is_empty()
        {
            errors.push(FieldError::new(
                "parts",
                "A new account holds no database, so private link, peering, a bastion and the IP allowlist have nothing to point at.",
                "Grant the dedicated account on its own (dedicated account + vendor role); reach a database with a separate grant.",
            ));
        }
        if request.account.is_some() {
            errors.push(FieldError::new(
                "account",
                "A grant either creates a dedicated account or uses an existing member account, not both.",
                "Leave out --account, or the dedicated-account part.",
            ));
        }
    }
    errors
}

/// Checks the request against the inventory and lays out the steps. Every problem found is
/// returned at once, each naming its field.
pub fn build(request: &GrantRequest, ctx: &PlanContext) -> Result<Plan, Vec<FieldError>> {
    let mut errors = vendor_errors(request);
    let parts: BTreeSet<Part> = request.parts.iter().copied().collect();
    if parts.is_empty() {
        errors.push(FieldError::new("parts", "No part of a grant is chosen.", "Choose at least one of private link, vendor role, IP allowlist."));
    } else if parts.len() != request.parts.len() {
        errors.push(FieldError::new("parts", "A part is chosen twice.", "List each part once."));
    }
    // A role-only grant may name no database; the network parts need one.
    let needs_database =
        [Part::PrivateLink, Part::IpAllowlist, Part::VpcPeering, Part::SshBastion, Part::ResourceEndpoint].iter().any(|p| parts.contains(p)) || !request.database.is_empty();
    let database = match needs_database.then(|| database(request, ctx.inventory)) {
        Some(Ok(db)) => Some(db),
        Some(Err(mut e)) => {
            errors.append(&mut e);
            None
        }
        None => None,
    };
    let expires_at = expiry(request, ctx.now).map_err(|e| errors.push(e)).ok().flatten();
    let mut warnings = Vec::new();
    let mut steps = Vec::new();
    let names = Names::new(&request.vendor.id, &ctx.grant_id);
    if let Some(db) = database {
        let db_group = db.security_group_ids[0].clone();
        let present = ctx.inventory.ingress_rules.iter().filter(|r| r.group_id == db_group).count();
        let added = usize::from(parts.contains(&Part::PrivateLink))
            + if parts.contains(&Part::IpAllowlist) { request.vendor.ip_ranges.len() } else { 0 }
            + usize::from(parts.contains(&Part::VpcPeering))
            + usize::from(parts.contains(&Part::SshBastion))
            + usize::from(parts.contains(&Part::ResourceEndpoint));
        if present + added > RULES_PER_GROUP {
            warnings.push(format!(
                "{db_group} has {present} inbound rules and this grant adds {added}: AWS's default limit is {RULES_PER_GROUP} per group, so apply will fail unless your quota was raised."
            ));
        }
        if parts.contains(&Part::PrivateLink) {
            match private_link(request, ctx, db, &db_group, &names) {
                Ok(mut s) => steps.append(&mut s),
                Err(mut e) => errors.append(&mut e),
            }
            if request.sync_targets && db.publicly_accessible {
                // Its name resolves to its public address outside its VPC, never a target (R22).
                errors.push(FieldError::new(
                    "syncTargets",
                    format!("{} is publicly accessible: outside its VPC its name resolves to a public address, which cannot be a load balancer target.", db.id),
                    "Leave the sync out and resync targets by hand after a failover, or use a database that is not publicly accessible.",
                ));
            } else if request.sync_targets {
                steps.extend(crate::target_sync::steps(ctx, db, &names.short, &names.short));
            }
        } else if request.sync_targets {
            errors.push(FieldError::new(
                "syncTargets",
                "Keeping targets in sync is for private link's load balancer, and private link is not chosen.",
                "Choose the private-link part, or leave the sync out (a resource endpoint follows the database by itself).",
            ));
        }
        if parts.contains(&Part::IpAllowlist) {
            match ip_allowlist(request, ctx, db, &db_group) {
                Ok(step) => steps.push(step),
                Err(mut e) => errors.append(&mut e),
            }
            if !db.publicly_accessible {
                warnings
                    .push(format!("{} is not publicly accessible: the allowlist rules only help once {} can reach it from its published addresses.", db.id, request.vendor.name));
            }
        }
    }
    if let (true, Some(db)) = (parts.contains(&Part::VpcPeering), database) {
        match crate::peering_plan::steps(request, ctx, db, &mut warnings) {
            Ok(mut s) => steps.append(&mut s),
            Err(mut e) => errors.append(&mut e),
        }
    } else if request.peering.is_some() && !parts.contains(&Part::VpcPeering) {
        errors.push(FieldError::new(
            "parts",
            "Peering details are given but the VPC-peering part is not chosen.",
            "Choose the vpc-peering part, or leave the peering details out.",
        ));
    }
    if let (true, Some(db)) = (parts.contains(&Part::SshBastion), database) {
        match crate::bastion_plan::steps(request, ctx, db, &names.long) {
            Ok(mut s) => steps.append(&mut s),
            Err(mut e) => errors.append(&mut e),
        }
    } else if request.bastion.is_some() && !parts.contains(&Part::SshBastion) {
        errors.push(FieldError::new(
            "parts",
            "Bastion details are given but the SSH-bastion part is not chosen.",
            "Choose the ssh-bastion part, or leave the bastion details out.",
        ));
    }
    if let (true, Some(db)) = (parts.contains(&Part::ResourceEndpoint), database) {
        match crate::resource_endpoint_plan::steps(request, ctx, db, (&names.short, &names.long), &mut warnings) {
            Ok(mut s) => steps.append(&mut s),
            Err(mut e) => errors.append(&mut e),
        }
    } else if request.resource_target.is_some() && !parts.contains(&Part::ResourceEndpoint) {
        errors.push(FieldError::new(
            "parts",
            "A resource target is given but the resource-endpoint part is not chosen.",
            "Choose the resource-endpoint part, or leave the resource target out.",
        ));
    }
    if let (true, Some(account)) = (parts.contains(&Part::DedicatedAccount), &request.new_account) {
        steps.extend(dedicated_account(request, account));
    }
    let mut external_id = None;
    let mut findings = Vec::new();
    if parts.contains(&Part::VendorRole) {
        match role_external_id(request, ctx) {
            Ok(id) => external_id = id,
            Err(e) => errors.push(e),
        }
        match vendor_role(request, ctx, external_id.as_deref(), expires_at.as_deref(), &names) {
            Ok(mut s) => steps.append(&mut s),
            Err(mut e) => errors.append(&mut e),
        }
        warnings.extend(role_warnings(request));
        for step in &steps {
            if let Action::PutRolePolicy { document, .. } = &step.action {
                findings.extend(policies::findings(document).into_iter().map(|finding| StepFinding { step: step.id.clone(), finding }));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut plan = Plan {
        grant_id: ctx.grant_id.clone(),
        created_at: ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        account_id: ctx.account_id.clone(),
        region: ctx.inventory.region.clone(),
        member_access: None,
        source: ctx.source.clone(),
        vendor_id: request.vendor.id.clone(),
        vendor_name: request.vendor.name.clone(),
        bastion_host: request.bastion.as_ref().and_then(|b| b.existing.clone()).filter(|_| parts.contains(&Part::SshBastion)),
        database: database.map(|db| DatabaseRef { id: db.id.clone(), engine: db.engine.clone(), endpoint: db.endpoint.clone(), port: db.port, vpc_id: db.vpc_id.clone() }),
        parts: parts.into_iter().collect(),
        external_id,
        expires: expires_at,
        warnings,
        findings,
        iam_actions: Vec::new(),
        steps,
        cost: None,
    };
    plan.iam_actions = crate::permissions::for_plan(&plan);
    plan.cost = Some(crate::cost::estimate(&plan));
    Ok(plan)
}

/// The ExternalId the role's trust requires: the one the vendor issued (given for this grant,
/// or in its profile); else one VendorLink makes, only when the vendor accepts customer-chosen
/// ids; else none when the vendor's profile says its trust needs none.
fn role_external_id(request: &GrantRequest, ctx: &PlanContext) -> Result<Option<String>, FieldError> {
    let vendor = &request.vendor;
    if let Some(given) = request.external_id.as_deref().or(vendor.external_id.as_deref()).map(str::trim).filter(|s| !s.is_empty()) {
        validate::external_id("externalId", given)?;
        return Ok(Some(given.to_owned()));
    }
    if !vendor.require_external_id {
        return Ok(None);
    }
    if vendor.accepts_customer_external_id {
        return Ok(Some(ctx.external_id.clone()));
    }
    Err(FieldError::new(
        "externalId",
        format!("{} issues the ExternalId its role must require, and none was given.", vendor.name),
        format!(
            "Ask {} for the ExternalId it issued to you (AWS: the third party issues it, one per customer), and give it with --external-id or in the Access step.",
            vendor.name
        ),
    ))
}

/// What broad access means, in the review and the summary: a revoke takes the role back, not
/// what the role made.
fn role_warnings(request: &GrantRequest) -> Vec<String> {
    let managed = match request.role_access {
        RoleAccess::PowerUser => POWER_USER,
        RoleAccess::Administrator => ADMINISTRATOR,
        RoleAccess::VendorPolicy => return Vec::new(),
    };
    broad_access_warning(managed, &request.vendor.name, request.parts.contains(&Part::DedicatedAccount)).into_iter().collect()
}

/// The warning for a role with PowerUserAccess or AdministratorAccess attached; `None` for others.
/// In a dedicated account the breadth stays inside it, so the warning says what is left instead.
pub fn broad_access_warning(policy_arn: &str, vendor: &str, dedicated: bool) -> Option<String> {
    if dedicated {
        let what = match policy_arn {
            POWER_USER => "almost everything except IAM and Organizations",
            ADMINISTRATOR => "anything (IAM included)",
            _ => return None,
        };
        let name = policy_arn.rsplit('/').next().unwrap_or(policy_arn);
        return Some(format!(
            "{name} lets {vendor} do {what} in the dedicated account, which holds nothing else of yours. Revoking takes the role back, not what it built there: closing the account does."
        ));
    }
    let lasting =
        "Revoking takes the role back, not what it created meanwhile (instances, functions, users of its own, data copies): give such access in a dedicated account only.";
    match policy_arn {
        POWER_USER => Some(format!("PowerUserAccess lets {vendor} create, change and delete almost everything in this account except IAM and Organizations. {lasting}")),
        ADMINISTRATOR => Some(format!("AdministratorAccess lets {vendor} do anything in this account, IAM included. {lasting}")),
        _ => None,
    }
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
        let hint = if known.is_empty() {
            format!("There are no RDS databases in {}; pick another region.", inventory.region)
        } else {
            format!("Databases in {}: {}.", inventory.region, known.join(", "))
        };
        return Err(vec![FieldError::new("database", format!("No RDS instance or Aurora cluster \"{}\" in {}.", request.database, inventory.region), hint)]);
    };
    let mut errors = Vec::new();
    if db.endpoint.is_empty() {
        errors.push(FieldError::new(
            "database",
            format!("{} has no endpoint yet (status: {}).", db.id, db.status),
            "Wait until RDS shows the database as available, then plan again.",
        ));
    }
    if let Err(e) = validate::port("database.port", i64::from(db.port)) {
        errors.push(e);
    }
    let Some(vpc) = inventory.vpc(&db.vpc_id) else {
        errors.push(FieldError::new(
            "database",
            format!("{} is not in a VPC VendorLink can see ({}).", db.id, if db.vpc_id.is_empty() { "none" } else { &db.vpc_id }),
            "A grant needs a database in a VPC of this account; check the DB subnet group.",
        ));
        return Err(errors);
    };
    if db.security_group_ids.is_empty() {
        errors.push(FieldError::new(
            "database.securityGroups",
            format!("{} has no VPC security group.", db.id),
            "Attach a security group to the database in RDS, then plan again.",
        ));
    }
    for group in &db.security_group_ids {
        match inventory.security_group(group) {
            Some(g) if g.vpc_id != vpc.id => errors.push(FieldError::new(
                "database.securityGroups",
                format!("Security group {group} is in {}, not in the database's VPC {}.", g.vpc_id, vpc.id),
                "Rules in another VPC's group cannot admit traffic to this database.",
            )),
            None => errors.push(FieldError::new(
                "database.securityGroups",
                format!("Security group {group} of {} was not found.", db.id),
                "It may have just been deleted; refresh and plan again.",
            )),
            Some(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(db)
    } else {
        Err(errors)
    }
}

/// `YYYY-MM-DD`, today or later: the vendor keeps access through that whole day (UTC), so the
/// grant ends at the midnight that ends it.
fn expiry(request: &GrantRequest, now: DateTime<Utc>) -> Result<Option<String>, FieldError> {
    let Some(text) = &request.expires else { return Ok(None) };
    let hint = "Give the day the access ends as YYYY-MM-DD, e.g. 2027-03-31.";
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| FieldError::new("expires", format!("\"{text}\" is not a date."), hint))?;
    let at =
        day.succ_opt().and_then(|next| next.and_hms_opt(0, 0, 0)).map(|t| t.and_utc()).ok_or_else(|| FieldError::new("expires", format!("\"{text}\" is not a date."), hint))?;
    if at <= now {
        return Err(FieldError::new("expires", format!("{text} is already over (UTC)."), "Access ends at the end of the day you give: choose today or a later day (UTC)."));
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
            "Ask the vendor for the account id or role ARN it connects from, and add it to the profile (on the command line: --vendor-account or --vendor-principal).",
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
    let supported_regions: Vec<String> = request.vendor.regions.iter().filter(|r| **r != inventory.region).cloned().collect();
    let step = |id: StepId, summary: String, action: Action| Step { id, part: Part::PrivateLink, summary, action, after: Vec::new() };
    let from = |step: StepId| Ref::Step { step };
    Ok(vec![
        step(
            StepId::NlbSecurityGroup,
            format!("Security group {}-nlb for the load balancer, in {}, with no inbound rule: hosts in the VPC cannot reach the database through the NLB", names.long, db.vpc_id),
            Action::CreateSecurityGroup {
                name: format!("{}-nlb", names.long),
                description: format!("VendorLink {}: NLB for {}", ctx.grant_id, request.vendor.name),
                vpc_id: db.vpc_id.clone(),
            },
        ),
        step(
            StepId::DbRuleFromNlb,
            format!("Let the NLB reach {} on port {} (rule on {db_group})", db.id, db.port),
            Action::AuthorizeIngress {
                group: Ref::Existing { id: db_group.to_owned() },
                port: db.port,
                sources: vec![IngressSource::Group { group: from(StepId::NlbSecurityGroup) }],
                description: format!("VendorLink {} {}: from NLB", ctx.grant_id, request.vendor.id),
            },
        ),
        step(
            StepId::TargetGroup,
            format!("TCP target group {} (type ip, port {})", names.short, db.port),
            Action::CreateTargetGroup { name: names.short.clone(), vpc_id: db.vpc_id.clone(), port: db.port },
        ),
        step(
            StepId::Targets,
            format!("Register {}'s addresses {} as targets", db.id, ips.join(", ")),
            Action::RegisterTargets { target_group: from(StepId::TargetGroup), ips, port: db.port },
        ),
        step(
            StepId::Nlb,
            format!("Internal network load balancer {} in {} subnets, wait until active", names.short, subnets.len()),
            Action::CreateLoadBalancer { name: names.short.clone(), subnet_ids: subnets, security_group: from(StepId::NlbSecurityGroup) },
        ),
        step(StepId::NlbCrossZone, "Turn on cross-zone load balancing".into(), Action::EnableCrossZone { load_balancer: from(StepId::Nlb) }),
        step(
            StepId::NlbPrivateLinkRules,
            "Let PrivateLink traffic past the NLB's group (EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic = off): with AWS's default, on, it would be checked against the vendor's client addresses and dropped".into(),
            Action::SetLoadBalancerSecurityGroups { load_balancer: from(StepId::Nlb), security_group: from(StepId::NlbSecurityGroup), enforce_on_private_link: false },
        ),
        step(
            StepId::Listener,
            format!("TCP listener on port {} forwarding to the target group", db.port),
            Action::CreateListener { load_balancer: from(StepId::Nlb), target_group: from(StepId::TargetGroup), port: db.port },
        ),
        Step {
            after: vec![StepId::NlbPrivateLinkRules],
            ..step(
            StepId::EndpointService,
            format!(
                "VPC endpoint service on the NLB (acceptance {}{}), wait until available",
                if request.acceptance_required { "required" } else { "not required" },
                if supported_regions.is_empty() { String::new() } else { format!(", also from {}", supported_regions.join(", ")) }
            ),
            Action::CreateEndpointService { load_balancer: from(StepId::Nlb), acceptance_required: request.acceptance_required, supported_regions },
        )
        },
        step(
            StepId::EndpointPrincipals,
            format!("Allow {} to connect", principals.iter().map(|p| principal_in_words(&request.vendor.name, p)).collect::<Vec<_>>().join(", ")),
            Action::AllowPrincipals { service: from(StepId::EndpointService), principals },
        ),
    ])
}

/// A principal as an admin checks it against what the vendor said: "Datafold's AWS account
/// (710753145501)", "Datafold's role ClickPipes (account 072088201116)"; other ARNs as they are.
fn principal_in_words(vendor: &str, arn: &str) -> String {
    let mut fields = arn.splitn(6, ':');
    let (Some("arn"), Some(_), Some("iam"), Some(_), Some(account), Some(resource)) = (fields.next(), fields.next(), fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return arn.to_owned();
    };
    match resource.split_once('/') {
        None if resource == "root" => format!("{vendor}'s AWS account ({account})"),
        Some((kind @ ("role" | "user"), path)) => format!("{vendor}'s {kind} {} (account {account})", path.rsplit('/').next().unwrap_or(path)),
        _ => arn.to_owned(),
    }
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
            errors.push(FieldError::new(
                &field,
                format!("Subnet {id} is in {}, not in the database's VPC {}.", subnet.vpc_id, db.vpc_id),
                "The load balancer must sit in the database's VPC.",
            ));
            continue;
        }
        if zones.contains(&subnet.availability_zone_id.as_str()) {
            if explicit {
                errors.push(FieldError::new(
                    &field,
                    format!("Subnet {id} is in {} ({}) like an earlier one.", subnet.availability_zone, subnet.availability_zone_id),
                    "Give one subnet per availability zone.",
                ));
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
            errors.push(FieldError::new(
                field,
                format!("{ip} is not inside the database's VPC ({cidrs})."),
                "Targets of type ip must be private addresses of the database in its VPC.",
            ));
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
        errors.push(FieldError::new(
            "vendor.ipRanges",
            format!("{} lists no addresses to allow.", request.vendor.name),
            "Add the vendor's published IP ranges to the profile, or choose private link instead.",
        ));
    }
    let vpc = vpc_ranges(inventory, &db.vpc_id);
    let private: [(Ipv4Addr, u8); 3] = [(Ipv4Addr::new(10, 0, 0, 0), 8), (Ipv4Addr::new(172, 16, 0, 0), 12), (Ipv4Addr::new(192, 168, 0, 0), 16)];
    for (i, range) in request.vendor.ip_ranges.iter().enumerate() {
        let field = format!("vendor.ipRanges[{i}]");
        let Ok(net) = validate::cidr(&field, range, request.allow_everyone) else { continue }; // reported by the profile check
        let existing = inventory.ingress_rules.iter().find(|r| r.group_id == db_group && r.admits_tcp(db.port) && r.cidr.as_deref() == Some(range.trim()));
        if let Some(rule) = existing {
            errors.push(FieldError::new(
                &field,
                format!(
                    "{range} is already allowed on port {} of {db_group} (rule {}{}).",
                    db.port,
                    rule.rule_id,
                    rule.description.as_deref().map(|d| format!(": \"{d}\"")).unwrap_or_default()
                ),
                "Another grant or a hand-made rule already opens it: revoke that one first, or leave the IP allowlist out of this grant.",
            ));
        } else if net.1 > 0 && vpc.iter().any(|v| validate::overlaps(*v, net)) {
            errors.push(FieldError::new(
                &field,
                format!("{range} overlaps the database's own VPC."),
                "A vendor's published addresses are public ones; this range would open the port to hosts inside your VPC.",
            ));
        } else if net.1 > 0 && private.iter().any(|p| validate::overlaps(*p, net)) {
            errors.push(FieldError::new(
                &field,
                format!("{range} is a private (RFC 1918) range, not a vendor's public address."),
                "Use the public addresses the vendor publishes; private networks are reached with private link or peering.",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Step {
        id: StepId::Allowlist,
        part: Part::IpAllowlist,
        summary: format!("Allow {} from {} on port {} (rules on {db_group})", request.vendor.name, request.vendor.ip_ranges.join(", "), db.port),
        action: Action::AuthorizeIngress {
            group: Ref::Existing { id: db_group.to_owned() },
            port: db.port,
            sources: request.vendor.ip_ranges.iter().map(|c| IngressSource::Cidr { cidr: c.trim().to_owned() }).collect(),
            description: format!("VendorLink {} {}: vendor addresses", ctx.grant_id, request.vendor.id),
        },
        after: Vec::new(),
    })
}

/// The role's inline policies with `iam:PassRole` as the admin chose: a policy that passes
/// every role is refused until it is scoped to named roles or dropped.
fn pass_role(request: &GrantRequest, inline: Vec<(String, String)>) -> Result<Vec<(String, String)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if let PassRole::Scoped { role_arns, services } = &request.pass_role {
        if role_arns.is_empty() {
            errors.push(FieldError::new("passRole.roleArns", "No role is named for iam:PassRole.", "Name the roles the vendor must pass, or drop iam:PassRole."));
        }
        for (i, arn) in role_arns.iter().enumerate() {
            let field = format!("passRole.roleArns[{i}]");
            match validate::arn(&field, arn) {
                Ok(parsed) if parsed.service == "iam" && parsed.resource.starts_with("role/") && !arn.contains(['*', '?']) => {}
                Ok(_) | Err(_) => errors.push(FieldError::new(
                    &field,
                    format!("\"{arn}\" is not the ARN of one IAM role."),
                    "Write a role ARN such as arn:aws:iam::123456789012:role/datafold-eks-nodes, without wildcards.",
                )),
            }
        }
        for (i, service) in services.iter().enumerate() {
            let ok = service.ends_with(".amazonaws.com")
                && service.len() > ".amazonaws.com".len()
                && service.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
            if !ok {
                errors.push(FieldError::new(
                    &format!("passRole.services[{i}]"),
                    format!("\"{service}\" is not an AWS service principal."),
                    "Write it as AWS does, e.g. ec2.amazonaws.com or eks.amazonaws.com.",
                ));
            }
        }
    }
    let mut out = Vec::new();
    for (name, document) in inline {
        if !policies::passes_any_role(&document) {
            out.push((name, document));
            continue;
        }
        match &request.pass_role {
            PassRole::AsWritten => errors.push(FieldError::new(
                "passRole",
                format!(
                    "{}'s policy allows iam:PassRole on every role: with it (and ec2:RunInstances) the role could give any role of this account to a machine it controls.",
                    request.vendor.name
                ),
                "Limit it to the roles the vendor needs (--pass-role-arn, optionally --pass-role-service), or take it out (--drop-pass-role).",
            )),
            choice => out.push((name, policies::scope_pass_role(&document, choice))),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The member account made for the vendor, and its move into the chosen unit. The role steps
/// wait for both: the unit's service control policies hold before the vendor can get in.
fn dedicated_account(request: &GrantRequest, account: &NewAccount) -> Vec<Step> {
    let access_role = request.access_role.clone().unwrap_or_else(|| ORGANIZATION_ACCESS_ROLE.into());
    let mut steps = vec![Step {
        id: StepId::Account,
        part: Part::DedicatedAccount,
        summary: format!(
            "Member account \"{}\" (owner {}) in your organization, holding only {}'s role; entered through {access_role}, which Organizations creates there for the management account",
            account.name, account.email, request.vendor.name
        ),
        action: Action::CreateAccount { name: account.name.clone(), email: account.email.clone(), access_role },
        after: Vec::new(),
    }];
    if let Some(unit) = &account.organizational_unit {
        steps.push(Step {
            id: StepId::AccountParent,
            part: Part::DedicatedAccount,
            summary: format!("Move the account into {unit}, so that unit's policies apply to it"),
            action: Action::MoveAccount { account: Ref::Step { step: StepId::Account }, organizational_unit: unit.clone() },
            after: Vec::new(),
        });
    }
    steps
}

/// The steps the role waits for when it goes into a dedicated account (its id is known only
/// once the first is done).
fn dedicated_steps(request: &GrantRequest) -> Vec<StepId> {
    match &request.new_account {
        Some(account) if request.parts.contains(&Part::DedicatedAccount) => {
            let mut after = vec![StepId::Account];
            after.extend(account.organizational_unit.as_ref().map(|_| StepId::AccountParent));
            after
        }
        _ => Vec::new(),
    }
}

fn vendor_role(request: &GrantRequest, ctx: &PlanContext, external_id: Option<&str>, expires_at: Option<&str>, names: &Names) -> Result<Vec<Step>, Vec<FieldError>> {
    let vendor = &request.vendor;
    let mut errors = Vec::new();
    if vendor.account_id.is_none() && vendor.principals.is_empty() {
        errors.push(FieldError::new(
            "vendor.accountId",
            format!("{} has no AWS account id to trust.", vendor.name),
            "Ask the vendor for the account id (or role ARN) that will assume the role.",
        ));
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
    let policies: Vec<(String, String)> = match pass_role(request, policies) {
        Ok(p) => p,
        Err(mut e) => {
            errors.append(&mut e);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let trust = policies::trust_policy(&principals(request), vendor.require_mfa, external_id, expires_at);
    let role = Ref::Step { step: StepId::Role };
    let mut steps = vec![Step {
        id: StepId::Role,
        part: Part::VendorRole,
        summary: format!(
            "IAM role {} that {} may assume{}{}",
            names.long,
            vendor.name,
            if vendor.require_mfa { " only when signed in with MFA (its staff can; its automation cannot answer MFA)" } else { " without MFA (for its automation)" },
            if external_id.is_some() { ", sending the ExternalId" } else { "" }
        ),
        action: Action::CreateRole {
            name: names.long.clone(),
            description: format!("VendorLink: {} access", vendor.name),
            trust_policy: trust,
            max_session_seconds: u32::from(request.max_session_hours) * 3600,
        },
        after: dedicated_steps(request),
    }];
    // Before any permission: the role cannot change itself or another VendorLink role.
    steps.push(Step {
        id: StepId::RoleGuard,
        part: Part::VendorRole,
        summary: format!("Inline policy {GUARD_POLICY}: the role may not change its own (or any VendorLink role's) policies, trust, boundary or tags, nor pass itself on"),
        action: Action::PutRolePolicy {
            role: role.clone(),
            name: GUARD_POLICY.into(),
            document: policies::guard_policy(if request.parts.contains(&Part::DedicatedAccount) { "*" } else { &ctx.account_id }),
        },
        after: Vec::new(),
    });
    let after_guard = vec![StepId::RoleGuard];
    for (name, document) in policies {
        steps.push(Step {
            id: StepId::RolePolicy(name.clone()),
            part: Part::VendorRole,
            summary: format!("Inline policy {name} on the role"),
            action: Action::PutRolePolicy { role: role.clone(), name, document },
            after: after_guard.clone(),
        });
    }
    for (i, arn) in managed.into_iter().enumerate() {
        steps.push(Step {
            id: StepId::RoleManaged(u32::try_from(i).unwrap_or(u32::MAX)),
            part: Part::VendorRole,
            summary: format!("Attach {arn}"),
            action: Action::AttachRolePolicy { role: role.clone(), policy_arn: arn },
            after: after_guard.clone(),
        });
    }
    if let Some(at) = expires_at {
        steps.push(Step {
            id: StepId::RoleExpiry,
            part: Part::VendorRole,
            summary: format!("Deny everything from {at}, when the last day of access ends (UTC)"),
            action: Action::PutRolePolicy { role, name: "vendorlink-expiry".into(), document: policies::expiry_policy(at) },
            after: Vec::new(),
        });
    }
    // IAM counts every inline policy of the role together, including the two a revoke adds
    // while the others are still there.
    let size = |d: &str| d.chars().filter(|c| !c.is_whitespace()).count();
    let revoke_time = size(&policies::revoke_sessions_policy("2026-01-01T00:00:00Z")) + size(&policies::deny_all_policy());
    let total: usize = steps.iter().filter_map(|s| if let Action::PutRolePolicy { document, .. } = &s.action { Some(size(document)) } else { None }).sum::<usize>() + revoke_time;
    if total > INLINE_POLICY_CHARS {
        return Err(vec![FieldError::new(
            "vendor.permissions.inlinePolicy",
            format!("The role's inline policies would hold {total} characters (with the two a revoke adds); IAM allows {INLINE_POLICY_CHARS} for all of a role's inline policies together."),
            "Shorten the vendor's policy (wildcards such as ec2:Describe*), or attach it as a managed policy instead.",
        )]);
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vendorlink_model::{CredentialSource, VpcFacts};
    use vendorlink_model::{DatabaseKind, IngressRule, SecurityGroup, Subnet, Vpc};

    fn subnet(id: &str, vpc: &str, cidr: &str, zone: &str, zone_id: &str) -> Subnet {
        Subnet { id: id.into(), vpc_id: vpc.into(), name: None, cidr: cidr.into(), availability_zone: zone.into(), availability_zone_id: zone_id.into(), available_ips: Some(250) }
    }

    fn group(id: &str, vpc: &str) -> SecurityGroup {
        SecurityGroup { id: id.into(), name: id.into(), vpc_id: vpc.into(), description: String::new() }
    }

    /// The sandbox's shape: a production VPC over three zones with PostgreSQL, and staging.
    fn inventory() -> Inventory {
        let orders = Database {
            id: "orders-db".into(),
            arn: "arn:aws:rds:us-east-1:123456789012:db:orders-db".into(),
            kind: DatabaseKind::Instance,
            engine: "postgres".into(),
            engine_version: "16.3".into(),
            status: "available".into(),
            endpoint: "orders-db.abc.us-east-1.rds.amazonaws.com".into(),
            reader_endpoint: None,
            port: 5432,
            vpc_id: "vpc-prod".into(),
            subnet_ids: vec!["subnet-a".into(), "subnet-b".into(), "subnet-c".into(), "subnet-a2".into()],
            security_group_ids: vec!["sg-db".into()],
            multi_az: true,
            publicly_accessible: false,
        };
        Inventory {
            region: "us-east-1".into(),
            vpcs: vec![
                Vpc { id: "vpc-prod".into(), name: Some("prod-data".into()), cidrs: vec!["10.20.0.0/16".into()], is_default: false },
                Vpc { id: "vpc-staging".into(), name: None, cidrs: vec!["10.40.0.0/16".into()], is_default: false },
            ],
            subnets: vec![
                subnet("subnet-a", "vpc-prod", "10.20.1.0/24", "us-east-1a", "use1-az6"),
                subnet("subnet-b", "vpc-prod", "10.20.2.0/24", "us-east-1b", "use1-az1"),
                subnet("subnet-c", "vpc-prod", "10.20.3.0/24", "us-east-1c", "use1-az2"),
                subnet("subnet-a2", "vpc-prod", "10.20.4.0/24", "us-east-1a", "use1-az6"),
                subnet("subnet-s", "vpc-staging", "10.40.1.0/24", "us-east-1a", "use1-az6"),
            ],
            security_groups: vec![group("sg-db", "vpc-prod"), group("sg-staging", "vpc-staging")],
            ingress_rules: vec![IngressRule {
                group_id: "sg-db".into(),
                rule_id: "sgr-app".into(),
                protocol: "tcp".into(),
                from_port: 5432,
                to_port: 5432,
                cidr: None,
                source_group: Some("sg-app".into()),
                description: Some("app servers".into()),
            }],
            databases: vec![orders],
            grant_resources: Vec::new(),
        }
    }

    const NODE_ROLE: &str = "arn:aws:iam::123456789012:role/datafold-eks-nodes";

    fn datafold() -> vendorlink_model::VendorProfile {
        crate::vendors::presets().into_iter().find(|p| p.id == "datafold").expect("datafold preset")
    }

    fn request() -> GrantRequest {
        GrantRequest {
            vendor: datafold(),
            database: "orders-db".into(),
            parts: vec![Part::PrivateLink, Part::VendorRole, Part::IpAllowlist],
            target_ips: vec!["10.20.1.15".into()],
            subnet_ids: Vec::new(),
            expires: Some("2027-03-31".into()),
            role_access: RoleAccess::VendorPolicy,
            max_session_hours: 1,
            acceptance_required: true,
            allow_everyone: false,
            external_id: None,
            pass_role: PassRole::Scoped { role_arns: vec![NODE_ROLE.into()], services: Vec::new() },
            account: None,
            access_role: None,
            new_account: None,
            peering: None,
            bastion: None,
            resource_target: None,
            sync_targets: false,
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-24T12:00:00Z".parse().expect("time")
    }

    fn plan_with(request: &GrantRequest, inventory: &Inventory, resolved: Result<Vec<Ipv4Addr>, String>) -> Result<Plan, Vec<FieldError>> {
        let ctx = PlanContext {
            grant_id: "g-0a1b2c3d".into(),
            external_id: "5f2b9c0e4d6a8b1c3e5f7a9b0c2d4e6f".into(),
            now: now(),
            account_id: "123456789012".into(),
            source: CredentialSource::Sandbox,
            inventory,
            resolved_ips: resolved,
            vpc: None,
        };
        build(request, &ctx)
    }

    #[test]
    fn a_full_grant_lays_out_every_resource_in_dependency_order() {
        let plan = plan_with(&request(), &inventory(), Err("unused".into())).expect("valid request");
        let ids: Vec<String> = plan.steps.iter().map(|s| s.id.to_string()).collect();
        assert_eq!(
            ids,
            [
                "nlb-sg",
                "db-sg-from-nlb",
                "target-group",
                "targets",
                "nlb",
                "nlb-cross-zone",
                "nlb-privatelink-rules",
                "listener",
                "endpoint-service",
                "endpoint-principals",
                "allowlist",
                "role",
                "role-guard",
                "role-policy-vendorlink-datafold",
                "role-expiry"
            ]
        );
        for (i, step) in plan.steps.iter().enumerate() {
            for reference in step.needs() {
                let at = ids.iter().position(|id| *id == reference.to_string()).unwrap_or_else(|| panic!("{} refers to unknown {reference}", step.id));
                assert!(at < i, "{} needs {reference}, which comes later", step.id);
            }
        }
        assert_eq!(plan.external_id, None, "Datafold's guide uses no ExternalId");
        assert_eq!(plan.expires.as_deref(), Some("2027-04-01T00:00:00Z"), "through the whole of 2027-03-31, UTC");
        assert!(plan.tags().contains(&("vendorlink:grant".into(), "g-0a1b2c3d".into())));
        assert!(plan.tags().contains(&("vendorlink:vendor".into(), "datafold".into())));
        let Some(Action::CreateLoadBalancer { name, subnet_ids, .. }) = plan.step(&StepId::Nlb).map(|s| &s.action) else { panic!("no nlb step") };
        assert_eq!(subnet_ids, &["subnet-a", "subnet-b", "subnet-c"], "one subnet per AZ");
        assert!(name.len() <= 32 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{name}");
        // docs/aws-rules.md R1: no inbound rule on the NLB's group at all, and its rules do not
        // apply to PrivateLink traffic, before the service is published.
        assert!(
            !plan.steps.iter().any(|s| matches!(&s.action, Action::AuthorizeIngress { group: Ref::Step { step }, .. } if *step == StepId::NlbSecurityGroup)),
            "nothing may enter the NLB's group from the VPC"
        );
        let Some(Action::SetLoadBalancerSecurityGroups { load_balancer, security_group, enforce_on_private_link }) = plan.step(&StepId::NlbPrivateLinkRules).map(|s| &s.action)
        else {
            panic!("no PrivateLink setting step")
        };
        assert_eq!((load_balancer, security_group, *enforce_on_private_link), (&Ref::Step { step: StepId::Nlb }, &Ref::Step { step: StepId::NlbSecurityGroup }, false));
        let Some(Action::AuthorizeIngress { sources, port, .. }) = plan.step(&StepId::DbRuleFromNlb).map(|s| &s.action) else { panic!() };
        assert_eq!(
            (sources.as_slice(), *port),
            (&[IngressSource::Group { group: Ref::Step { step: StepId::NlbSecurityGroup } }][..], 5432),
            "the DB admits the NLB's group on its port only"
        );
        let Some(Action::CreateEndpointService { supported_regions, acceptance_required, load_balancer }) = plan.step(&StepId::EndpointService).map(|s| &s.action) else {
            panic!()
        };
        assert_eq!(load_balancer, &Ref::Step { step: StepId::Nlb });
        assert_eq!(plan.step(&StepId::EndpointService).map(|s| s.after.as_slice()), Some(&[StepId::NlbPrivateLinkRules][..]), "published only after the setting");
        assert_eq!((supported_regions.as_slice(), *acceptance_required), (&["us-west-2".to_owned()][..], true));
        let Some(Action::AllowPrincipals { principals, .. }) = plan.step(&StepId::EndpointPrincipals).map(|s| &s.action) else { panic!() };
        assert_eq!(principals, &["arn:aws:iam::710753145501:root"]);
        assert_eq!(plan.vendor_accounts(), ["710753145501"], "the service's principal and the role's trust name one account");
        let Some(Action::CreateRole { trust_policy, max_session_seconds, name, .. }) = plan.step(&StepId::Role).map(|s| &s.action) else { panic!() };
        assert!(name.len() <= 64);
        assert_eq!(*max_session_seconds, 3600);
        let trust: serde_json::Value = serde_json::from_str(trust_policy).expect("trust is JSON");
        assert!(trust["Statement"][0]["Condition"].get("StringEquals").is_none(), "{trust}");
        // The guard is on before any permission; the vendor's policy passes only the named role.
        for step in plan.steps.iter().filter(|s| matches!(s.action, Action::AttachRolePolicy { .. }) || matches!(s.id, StepId::RolePolicy(_))) {
            assert_eq!(step.after, [StepId::RoleGuard], "{}", step.id);
        }
        let Some(Action::PutRolePolicy { document, .. }) = plan.step(&StepId::RolePolicy("vendorlink-datafold".into())).map(|s| &s.action) else { panic!() };
        assert!(!policies::passes_any_role(document) && document.contains(NODE_ROLE), "{document}");
        let names: Vec<&str> = plan.findings.iter().map(|f| f.finding.name.as_str()).collect();
        assert_eq!(names, ["CreateEC2WithExistingIP", "PermissionsManagement"], "what a linter finds is in the review");
        assert_eq!(trust["Statement"][0]["Condition"]["Bool"]["aws:MultiFactorAuthPresent"], "true");
        let Some(Action::AuthorizeIngress { sources, port, .. }) = plan.step(&StepId::Allowlist).map(|s| &s.action) else { panic!() };
        assert_eq!((sources.len(), *port), (6, 5432));
        assert_eq!(plan.warnings.len(), 1, "the database is private, so the allowlist is flagged: {:?}", plan.warnings);
    }

    #[test]
    fn the_vendors_az_ids_pick_the_subnets_and_resolved_addresses_become_targets() {
        let mut req = request();
        req.parts = vec![Part::PrivateLink];
        req.vendor.az_ids = vec!["use1-az1".into(), "use1-az2".into()];
        req.target_ips.clear();
        let plan = plan_with(&req, &inventory(), Ok(vec![Ipv4Addr::new(10, 20, 2, 40)])).expect("valid");
        let Some(Action::CreateLoadBalancer { subnet_ids, .. }) = plan.step(&StepId::Nlb).map(|s| &s.action) else { panic!() };
        assert_eq!(subnet_ids, &["subnet-b", "subnet-c"]);
        let Some(Action::RegisterTargets { ips, .. }) = plan.step(&StepId::Targets).map(|s| &s.action) else { panic!() };
        assert_eq!(ips, &["10.20.2.40"]);
    }

    #[test]
    fn the_plan_lists_its_iam_actions_and_the_preflight_for_its_parts_covers_them() {
        let mut req = request();
        for (parts, access) in [
            (vec![Part::PrivateLink, Part::VendorRole, Part::IpAllowlist], RoleAccess::VendorPolicy),
            (vec![Part::VendorRole], RoleAccess::PowerUser),
            (vec![Part::PrivateLink], RoleAccess::VendorPolicy),
        ] {
            req.parts = parts;
            req.role_access = access;
            let plan = plan_with(&req, &inventory(), Err(String::new())).expect("valid");
            assert_eq!(plan.iam_actions, crate::permissions::for_plan(&plan));
            for step in &plan.steps {
                assert!(plan.iam_actions.iter().any(|a| a == step.action.iam_action()), "{} calls {}", step.id, step.action.iam_action());
                assert!(plan.iam_actions.iter().any(|a| a == step.action.undo_iam_action()), "{} is undone by {}", step.id, step.action.undo_iam_action());
            }
            let preflight = crate::permissions::for_parts(&plan.parts);
            let unasked: Vec<&String> = plan.iam_actions.iter().filter(|a| !preflight.contains(a)).collect();
            assert!(unasked.is_empty(), "{:?}: the preflight would not ask about {unasked:?}", plan.parts);
        }
    }

    #[test]
    fn power_user_and_administrator_attach_the_aws_policies() {
        let mut req = request();
        req.parts = vec![Part::VendorRole];
        req.expires = None;
        req.role_access = RoleAccess::PowerUser;
        let plan = plan_with(&req, &inventory(), Err(String::new())).expect("valid");
        let ids: Vec<String> = plan.steps.iter().map(|s| s.id.to_string()).collect();
        assert_eq!(ids, ["role", "role-guard", "role-policy-vendorlink-datafold-iam", "role-managed-0"]);
        assert!(matches!(&plan.steps[3].action, Action::AttachRolePolicy { policy_arn, .. } if policy_arn == POWER_USER));
        assert!(plan.warnings.iter().any(|w| w.contains("PowerUserAccess") && w.contains("Revoking takes the role back, not what it created")), "{:?}", plan.warnings);
        req.role_access = RoleAccess::Administrator;
        let plan = plan_with(&req, &inventory(), Err(String::new())).expect("valid");
        assert!(matches!(&plan.steps[2].action, Action::AttachRolePolicy { policy_arn, .. } if policy_arn == ADMINISTRATOR));
        assert!(plan.warnings.iter().any(|w| w.contains("AdministratorAccess lets Datafold do anything")), "{:?}", plan.warnings);
    }

    fn dedicated() -> GrantRequest {
        let mut req = request();
        req.parts = vec![Part::DedicatedAccount, Part::VendorRole];
        req.database = String::new();
        req.target_ips = Vec::new();
        req.role_access = RoleAccess::Administrator;
        req.new_account = Some(NewAccount { name: "Datafold".into(), email: "aws+datafold@example.com".into(), organizational_unit: Some("ou-ab12-cdef3456".into()) });
        req
    }

    #[test]
    fn a_dedicated_account_is_made_and_placed_before_the_role_and_nothing_else_is_planned() {
        let plan = plan_with(&dedicated(), &Inventory::default(), Err(String::new())).expect("valid");
        let ids: Vec<String> = plan.steps.iter().map(|s| s.id.to_string()).collect();
        assert_eq!(ids, ["account", "account-ou", "role", "role-guard", "role-managed-0", "role-expiry"]);
        assert_eq!(plan.steps[2].needs(), [&StepId::Account, &StepId::AccountParent], "the role waits for the account and its unit");
        assert!(matches!(&plan.steps[0].action, Action::CreateAccount { access_role, .. } if access_role == ORGANIZATION_ACCESS_ROLE));
        assert_eq!(plan.database, None);
        assert_eq!(plan.dedicated_access_role(), Some(ORGANIZATION_ACCESS_ROLE));
        // The new account's id is not known when the guard is written: it names VendorLink's
        // roles in whatever account the role is in.
        let Action::PutRolePolicy { document, .. } = &plan.steps[3].action else { panic!("guard") };
        assert!(document.contains("arn:aws:iam::*:role/vendorlink/*"), "{document}");
        assert!(plan.iam_actions.contains(&"organizations:CreateAccount".to_owned()) && plan.iam_actions.contains(&"organizations:MoveAccount".to_owned()));
        assert!(plan.warnings.iter().any(|w| w.contains("in the dedicated account, which holds nothing else")), "{:?}", plan.warnings);
        let mut without_unit = dedicated();
        without_unit.new_account.as_mut().expect("account").organizational_unit = None;
        let plan = plan_with(&without_unit, &Inventory::default(), Err(String::new())).expect("valid");
        assert_eq!(plan.steps[1].needs(), [&StepId::Account]);
    }

    #[test]
    fn a_dedicated_account_is_refused_with_anything_it_cannot_hold_or_without_its_details() {
        type Change = fn(&mut GrantRequest);
        let cases: [(Change, &str); 6] = [
            (|r| r.parts = vec![Part::DedicatedAccount], "parts"),
            (|r| r.parts.push(Part::PrivateLink), "parts"),
            (|r| r.new_account = None, "newAccount"),
            (|r| r.parts = vec![Part::VendorRole], "parts"),
            (|r| r.account = Some("210987654321".into()), "account"),
            (|r| r.new_account.as_mut().expect("account").email = "datafold".into(), "newAccount.email"),
        ];
        for (change, field) in cases {
            let mut req = dedicated();
            change(&mut req);
            let errors = vendor_errors(&req);
            assert!(errors.iter().any(|e| e.field == field), "{field}: {errors:?}");
        }
        assert!(vendor_errors(&dedicated()).is_empty());
    }

    #[test]
    fn a_security_group_near_the_rule_limit_is_flagged() {
        let mut inv = inventory();
        let template = inv.ingress_rules[0].clone();
        for i in 0..55 {
            inv.ingress_rules.push(IngressRule { rule_id: format!("sgr-{i}"), cidr: Some(format!("198.51.100.{i}/32")), source_group: None, ..template.clone() });
        }
        let plan = plan_with(&request(), &inv, Err(String::new())).expect("valid");
        assert!(plan.warnings.iter().any(|w| w.contains("sg-db has 56 inbound rules and this grant adds 7")), "{:?}", plan.warnings);
    }

    #[test]
    fn the_external_id_is_the_vendors_and_generated_only_when_the_vendor_accepts_it() {
        let mut req = request();
        req.parts = vec![Part::VendorRole];
        req.vendor.require_external_id = true;
        let errors = plan_with(&req, &inventory(), Err(String::new())).expect_err("none given");
        assert!(errors.iter().any(|e| e.field == "externalId" && e.message.contains("Datafold issues the ExternalId")), "{errors:?}");
        req.external_id = Some("datafold-issued-7f3a".into());
        let plan = plan_with(&req, &inventory(), Err(String::new())).expect("given");
        assert_eq!(plan.external_id.as_deref(), Some("datafold-issued-7f3a"));
        let Some(Action::CreateRole { trust_policy, .. }) = plan.step(&StepId::Role).map(|s| &s.action) else { panic!() };
        assert!(trust_policy.contains("\"sts:ExternalId\":\"datafold-issued-7f3a\""), "{trust_policy}");
        req.external_id = None;
        req.vendor.accepts_customer_external_id = true;
        let plan = plan_with(&req, &inventory(), Err(String::new())).expect("generated");
        assert_eq!(plan.external_id.as_deref(), Some("5f2b9c0e4d6a8b1c3e5f7a9b0c2d4e6f"));
        req.vendor.require_mfa = false;
        let plan = plan_with(&req, &inventory(), Err(String::new())).expect("no MFA");
        assert!(plan.step(&StepId::Role).is_some_and(|s| s.summary.contains("without MFA (for its automation)")));
    }

    #[test]
    fn everyone_is_accepted_only_when_confirmed() {
        let mut req = request();
        req.parts = vec![Part::IpAllowlist];
        req.vendor.ip_ranges = vec!["0.0.0.0/0".into()];
        assert!(plan_with(&req, &inventory(), Err(String::new())).is_err());
        req.allow_everyone = true;
        assert!(plan_with(&req, &inventory(), Err(String::new())).is_ok());
    }

    type Mutation = fn(&mut GrantRequest, &mut Inventory, &mut Result<Vec<Ipv4Addr>, String>);

    /// Bad input at the plan level, each with the field it is reported on and its message.
    #[test]
    fn bad_requests_are_refused_naming_the_field_and_the_reason() {
        let table: Vec<(Mutation, &str, &str)> = vec![
            (|r, _, _| r.database = "nope".into(), "database", "No RDS instance or Aurora cluster \"nope\" in us-east-1."),
            (|r, _, _| r.parts.clear(), "parts", "No part of a grant is chosen."),
            (|r, _, _| r.parts.push(Part::PrivateLink), "parts", "A part is chosen twice."),
            (|_, i, _| i.databases[0].endpoint.clear(), "database", "orders-db has no endpoint yet (status: available)."),
            (|_, i, _| i.databases[0].security_group_ids.clear(), "database.securityGroups", "orders-db has no VPC security group."),
            (
                |_, i, _| i.databases[0].security_group_ids = vec!["sg-staging".into()],
                "database.securityGroups",
                "Security group sg-staging is in vpc-staging, not in the database's VPC vpc-prod.",
            ),
            (|_, i, _| i.databases[0].security_group_ids = vec!["sg-gone".into()], "database.securityGroups", "Security group sg-gone of orders-db was not found."),
            (|_, i, _| i.databases[0].vpc_id = "vpc-other".into(), "database", "orders-db is not in a VPC VendorLink can see (vpc-other)."),
            (|_, i, _| i.databases[0].port = 0, "database.port", "0 is not a TCP port"),
            (|r, _, _| r.target_ips = vec!["10.20.1".into()], "targetIps[0]", "\"10.20.1\" is not an IPv4 address."),
            (|r, _, _| r.target_ips = vec!["10.20.1.15/32".into()], "targetIps[0]", "\"10.20.1.15/32\" is not an IPv4 address."),
            (|r, _, _| r.target_ips = vec!["10.99.0.5".into()], "targetIps[0]", "10.99.0.5 is not inside the database's VPC (10.20.0.0/16)."),
            (|r, _, _| r.target_ips = vec!["10.20.1.15".into(), "10.20.1.15".into()], "targetIps[1]", "10.20.1.15 is listed twice."),
            (
                |r, _, x| {
                    r.target_ips.clear();
                    *x = Err("no such host".into())
                },
                "targetIps",
                "orders-db.abc.us-east-1.rds.amazonaws.com could not be resolved from here (no such host).",
            ),
            (
                |r, _, x| {
                    r.target_ips.clear();
                    *x = Ok(Vec::new())
                },
                "targetIps",
                "could not be resolved from here (no addresses).",
            ),
            (
                |r, _, x| {
                    r.target_ips.clear();
                    *x = Ok(vec![Ipv4Addr::new(203, 0, 113, 9)])
                },
                "targetIps",
                "203.0.113.9 is not inside the database's VPC",
            ),
            (|r, _, _| r.subnet_ids = vec!["subnet-x".into()], "subnetIds[0]", "Subnet subnet-x was not found in us-east-1."),
            (|r, _, _| r.subnet_ids = vec!["subnet-s".into()], "subnetIds[0]", "Subnet subnet-s is in vpc-staging, not in the database's VPC vpc-prod."),
            (|r, _, _| r.subnet_ids = vec!["subnet-a".into(), "subnet-a2".into()], "subnetIds[1]", "Subnet subnet-a2 is in us-east-1a (use1-az6) like an earlier one."),
            (|r, _, _| r.vendor.az_ids = vec!["usw2-az1".into()], "vendor.azIds", "No subnet of orders-db is in an availability zone Datafold can reach (usw2-az1)."),
            (
                |r, _, _| {
                    r.vendor.account_id = None;
                    r.vendor.principals.clear()
                },
                "vendor.principals",
                "Datafold has no AWS account or principal to allow on the endpoint service.",
            ),
            (
                |r, _, _| {
                    r.parts = vec![Part::VendorRole];
                    r.vendor.account_id = None;
                    r.vendor.principals.clear()
                },
                "vendor.accountId",
                "Datafold has no AWS account id to trust.",
            ),
            (|r, _, _| r.max_session_hours = 0, "maxSessionHours", "0 hours is not a session length IAM allows."),
            (|r, _, _| r.max_session_hours = 13, "maxSessionHours", "13 hours is not a session length IAM allows."),
            (|r, _, _| r.expires = Some("31/03/2027".into()), "expires", "\"31/03/2027\" is not a date."),
            (|r, _, _| r.expires = Some("2027-02-30".into()), "expires", "\"2027-02-30\" is not a date."),
            (|r, _, _| r.expires = Some("2020-01-01".into()), "expires", "2020-01-01 is already over (UTC)."),
            (|r, _, _| r.expires = Some("2026-11-23".into()), "expires", "2026-11-23 is already over (UTC)."),
            (|r, _, _| r.vendor.permissions = Default::default(), "vendor.permissions", "Datafold's profile asks for no permissions."),
            (|r, _, _| r.vendor.ip_ranges.clear(), "vendor.ipRanges", "Datafold lists no addresses to allow."),
            (|r, _, _| r.vendor.ip_ranges = vec!["0.0.0.0/0".into()], "vendor.ipRanges[0]", "0.0.0.0/0 opens the database port to the whole internet."),
            (|r, _, _| r.vendor.ip_ranges = vec!["10.20.5.0/24".into()], "vendor.ipRanges[0]", "10.20.5.0/24 overlaps the database's own VPC."),
            (|r, _, _| r.vendor.ip_ranges = vec!["192.168.1.0/24".into()], "vendor.ipRanges[0]", "192.168.1.0/24 is a private (RFC 1918) range"),
            (|r, _, _| r.vendor.ip_ranges = vec!["52.11.132.23/24".into()], "vendor.ipRanges[0]", "has host bits set"),
            (|r, _, _| r.vendor.ip_ranges = vec!["52.11.0.0/16".into(), "52.11.132.23/32".into()], "vendor.ipRanges[1]", "52.11.132.23/32 overlaps ipRanges[0]"),
            (
                |_, i, _| {
                    i.ingress_rules.push(IngressRule {
                        cidr: Some("54.71.177.163/32".into()),
                        source_group: None,
                        rule_id: "sgr-old".into(),
                        description: Some("by hand".into()),
                        ..i.ingress_rules[0].clone()
                    })
                },
                "vendor.ipRanges[3]",
                "54.71.177.163/32 is already allowed on port 5432 of sg-db (rule sgr-old: \"by hand\").",
            ),
            (|r, _, _| r.vendor.principals = vec!["*".into()], "vendor.principals[0]", "A wildcard principal would let every AWS account connect."),
            (
                |r, _, _| r.vendor.principals = vec!["arn:aws:iam::111122223333:root".into()],
                "vendor.principals[0]",
                "belongs to account 111122223333, not to the vendor's account 710753145501",
            ),
            (|r, _, _| r.vendor.account_id = Some("71075314550".into()), "vendor.accountId", "is not an AWS account id"),
            (|r, _, _| r.vendor.permissions.inline_policy = Some("{not json".into()), "vendor.permissions.inlinePolicy", "The policy is not valid JSON"),
            (|r, _, _| r.vendor.permissions.managed_policy_arns = vec!["arn:aws:s3:::bucket/policy".into()], "vendor.permissions.managedPolicyArns[0]", "is not an IAM policy ARN"),
            (|r, _, _| r.vendor.regions = vec!["us-west".into()], "vendor.regions[0]", "us-west"),
            (|r, _, _| r.vendor.az_ids = vec!["us-east-1a".into()], "vendor.azIds[0]", "\"us-east-1a\" is not an availability-zone ID."),
            (|r, _, _| r.vendor.id = "Datafold".into(), "vendor.id", "\"Datafold\" is not a vendor id"),
            (|r, _, _| r.pass_role = PassRole::AsWritten, "passRole", "Datafold's policy allows iam:PassRole on every role"),
            (
                |r, _, _| r.pass_role = PassRole::Scoped { role_arns: vec!["arn:aws:iam::123456789012:role/*".into()], services: Vec::new() },
                "passRole.roleArns[0]",
                "is not the ARN of one IAM role",
            ),
            (
                |r, _, _| r.pass_role = PassRole::Scoped { role_arns: vec![NODE_ROLE.into()], services: vec!["ec2".into()] },
                "passRole.services[0]",
                "\"ec2\" is not an AWS service principal",
            ),
            (
                |r, _, _| {
                    r.vendor.require_external_id = true;
                    r.external_id = Some("has spaces in it".into())
                },
                "externalId",
                "may only hold letters",
            ),
            (
                |r, _, _| {
                    r.vendor.permissions.inline_policy =
                        Some(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["{}"],"Resource":"*"}}]}}"#, vec!["s3:GetObject"; 800].join("\",\"")))
                },
                "vendor.permissions.inlinePolicy",
                "IAM allows 10240 for all of a role's inline policies together",
            ),
        ];
        assert!(table.len() >= 40);
        for (i, (mutate, field, message)) in table.into_iter().enumerate() {
            let (mut req, mut inv, mut resolved) = (request(), inventory(), Err::<Vec<Ipv4Addr>, String>("unused".into()));
            mutate(&mut req, &mut inv, &mut resolved);
            let errors = plan_with(&req, &inv, resolved).expect_err(&format!("row {i} ({field}) should be refused"));
            assert!(errors.iter().any(|e| e.field == field && e.message.contains(message) && !e.hint.is_empty()), "row {i}: expected {field}: {message:?}, got {errors:#?}");
        }
    }

    const VENDOR: &str = "710753145501";

    /// The production VPC's routing: subnets a and a2 in one table, b in its own (with a route
    /// to a transit gateway), c in the main table; Datafold's request from its VPC is pending.
    fn peering_facts() -> VpcFacts {
        use vendorlink_model::{PeerVpc, PeeringConnection, Route, RouteTable};
        let local = Route { destination: "10.20.0.0/16".into(), target: "local".into(), state: "active".into() };
        let table = |id: &str, main: bool, subnets: &[&str], extra: Vec<Route>| RouteTable {
            id: id.into(),
            vpc_id: "vpc-prod".into(),
            main,
            subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
            routes: std::iter::once(local.clone()).chain(extra).collect(),
        };
        VpcFacts {
            route_tables: vec![
                table("rtb-main", true, &[], Vec::new()),
                table("rtb-a", false, &["subnet-a", "subnet-a2"], Vec::new()),
                table(
                    "rtb-b",
                    false,
                    &["subnet-b"],
                    vec![
                        Route { destination: "172.16.0.0/12".into(), target: "tgw-0a1b2c3d".into(), state: "active".into() },
                        Route { destination: "172.31.8.0/24".into(), target: "nat-0a1b2c3d".into(), state: "active".into() },
                    ],
                ),
            ],
            connections: vec![PeeringConnection {
                id: "pcx-0a1b2c3d".into(),
                status: "pending-acceptance".into(),
                message: None,
                requester: PeerVpc {
                    account_id: VENDOR.into(),
                    vpc_id: "vpc-0f0e0d0c".into(),
                    region: "us-east-1".into(),
                    cidrs: vec!["172.31.0.0/16".into(), "100.64.0.0/20".into()],
                },
                accepter: PeerVpc { account_id: "123456789012".into(), vpc_id: "vpc-prod".into(), region: "us-east-1".into(), cidrs: vec!["10.20.0.0/16".into()] },
                grant_id: None,
            }],
            dns_hostnames: true,
            dns_support: true,
            instance_offers: vec![("us-east-1a".into(), "t4g.nano".into())],
        }
    }

    fn peering_request(peering: vendorlink_model::PeeringRequest) -> GrantRequest {
        GrantRequest { parts: vec![Part::VpcPeering], peering: Some(peering), target_ips: Vec::new(), ..request() }
    }

    fn plan_peering(request: &GrantRequest, facts: &VpcFacts) -> Result<Plan, Vec<FieldError>> {
        let inventory = inventory();
        let ctx = PlanContext {
            grant_id: "g-0a1b2c3d".into(),
            external_id: String::new(),
            now: now(),
            account_id: "123456789012".into(),
            source: CredentialSource::Sandbox,
            inventory: &inventory,
            resolved_ips: Err("not needed".into()),
            vpc: Some(facts),
        };
        build(request, &ctx)
    }

    #[test]
    fn the_vendors_pending_request_is_accepted_routed_in_the_database_subnets_tables_and_admitted_on_the_port_only() {
        let request = peering_request(vendorlink_model::PeeringRequest { dns_resolution: true, ..Default::default() });
        let plan = plan_peering(&request, &peering_facts()).expect("plan");
        let ids: Vec<String> = plan.steps.iter().map(|s| s.id.to_string()).collect();
        assert_eq!(ids, ["peering", "peering-dns", "peering-route-rtb-a", "peering-route-rtb-b", "peering-route-rtb-main", "db-sg-from-peer"]);
        assert_eq!(plan.steps[0].action, Action::AcceptPeering { connection_id: "pcx-0a1b2c3d".into() });
        let blocks = vec!["172.31.0.0/16".to_owned(), "100.64.0.0/20".to_owned()];
        assert_eq!(plan.steps[2].action, Action::CreatePeeringRoutes { route_table_id: "rtb-a".into(), cidrs: blocks.clone(), connection: Ref::Step { step: StepId::Peering } });
        let Action::AuthorizeIngress { group, port, sources, .. } = &plan.steps[5].action else { panic!("{:?}", plan.steps[5]) };
        assert_eq!((group, *port), (&Ref::Existing { id: "sg-db".into() }, 5432));
        assert_eq!(sources, &blocks.iter().map(|c| IngressSource::Cidr { cidr: c.clone() }).collect::<Vec<_>>());
        // The wider route to the transit gateway loses to the peering's; the narrower one wins.
        assert_eq!(plan.warnings, ["rtb-b routes 172.31.8.0/24 to nat-0a1b2c3d: that part of 172.31.0.0/16 goes there, not through the peering (the most specific route wins)."]);
        for action in ["ec2:AcceptVpcPeeringConnection", "ec2:CreateRoute", "ec2:DeleteRoute", "ec2:DeleteVpcPeeringConnection", "ec2:ModifyVpcPeeringConnectionOptions"] {
            assert!(plan.iam_actions.iter().any(|a| a == action), "{action}");
        }
    }

    #[test]
    fn without_a_pending_request_one_is_sent_to_the_vendors_vpc_with_the_blocks_given() {
        let mut facts = peering_facts();
        facts.connections.clear();
        let given =
            vendorlink_model::PeeringRequest { vpc_id: Some("vpc-0f0e0d0c".into()), region: Some("eu-west-1".into()), cidrs: vec!["172.31.0.0/16".into()], ..Default::default() };
        let plan = plan_peering(&peering_request(given), &facts).expect("plan");
        assert_eq!(
            plan.steps[0].action,
            Action::CreatePeering { vpc_id: "vpc-prod".into(), peer_vpc_id: "vpc-0f0e0d0c".into(), peer_account: VENDOR.into(), peer_region: Some("eu-west-1".into()) }
        );
        assert!(plan.step(&StepId::PeeringDns).is_none());
    }

    #[test]
    fn a_peering_that_cannot_work_is_refused_before_any_change_saying_why() {
        type Mutate = fn(&mut vendorlink_model::PeeringRequest, &mut VpcFacts);
        let table: Vec<(Mutate, &str, &str)> = vec![
            (|_, f| f.connections[0].requester.cidrs.push("10.20.128.0/17".into()), "peering.cidrs", "10.20.128.0/17 (vendor) with 10.20.0.0/16 (vpc-prod)"),
            (
                |_, f| f.route_tables[2].routes.push(vendorlink_model::Route { destination: "172.31.0.0/16".into(), target: "pcx-0e0e0e0e".into(), state: "active".into() }),
                "peering.cidrs",
                "rtb-b already routes 172.31.0.0/16 to pcx-0e0e0e0e",
            ),
            (|_, f| f.connections[0].requester.account_id = "999999999999".into(), "peering", "has sent no peering request"),
            (
                |p, f| {
                    p.connection_id = Some("pcx-0a1b2c3d".into());
                    f.connections[0].requester.account_id = "999999999999".into()
                },
                "peering.connectionId",
                "not from Datafold's account 710753145501",
            ),
            (|p, _| p.connection_id = Some("pcx-123".into()), "peering.connectionId", "is not a peering connection id"),
            (|p, _| p.connection_id = Some("pcx-0b0b0b0b".into()), "peering.connectionId", "No peering connection pcx-0b0b0b0b"),
            (
                |p, f| {
                    p.connection_id = Some("pcx-0a1b2c3d".into());
                    f.connections[0].status = "expired".into()
                },
                "peering.connectionId",
                "is expired",
            ),
            (
                |p, f| {
                    f.connections.clear();
                    p.vpc_id = Some("vpc-0f0e0d0c".into())
                },
                "peering.cidrs",
                "AWS does not show another account's VPC",
            ),
            (
                |p, f| {
                    f.connections.clear();
                    p.vpc_id = Some("vpc-0f0e0d0c".into());
                    p.cidrs = vec!["172.31.0.0/16".into()];
                    p.dns_resolution = true
                },
                "peering.dnsResolution",
                "only be allowed on an active connection",
            ),
            (|p, _| p.cidrs = vec!["172.0.0.0/8".into()], "peering.cidrs[0]", "AWS allows /16 to /28"),
            (|p, _| p.vpc_id = Some("vpc-9".into()), "peering.vpcId", "is not a VPC id"),
            (
                |p, f| {
                    p.dns_resolution = true;
                    f.dns_hostnames = false
                },
                "peering.dnsResolution",
                "vpc-prod has DNS hostnames off",
            ),
            (|p, _| p.cidrs = vec!["192.168.0.0/16".into()], "peering.cidrs", "not 192.168.0.0/16"),
        ];
        for (i, (mutate, field, message)) in table.into_iter().enumerate() {
            let (mut given, mut facts) = (vendorlink_model::PeeringRequest::default(), peering_facts());
            mutate(&mut given, &mut facts);
            let errors = plan_peering(&peering_request(given), &facts).expect_err(&format!("row {i} ({field}) should be refused"));
            assert!(errors.iter().any(|e| e.field == field && e.message.contains(message) && !e.hint.is_empty()), "row {i}: expected {field}: {message:?}, got {errors:#?}");
        }
    }

    fn clickhouse() -> vendorlink_model::VendorProfile {
        crate::vendors::presets().into_iter().find(|p| p.id == "clickhouse").expect("clickhouse preset")
    }

    #[test]
    fn a_resource_endpoint_shares_the_database_by_arn_through_a_gateway_in_one_subnet_per_zone() {
        let request = GrantRequest { vendor: clickhouse(), parts: vec![Part::ResourceEndpoint], target_ips: Vec::new(), expires: None, ..request() };
        let plan = plan_with(&request, &inventory(), Err("not resolved".into())).expect("plan");
        let ids: Vec<String> = plan.steps.iter().map(|s| s.id.to_string()).collect();
        assert_eq!(ids, ["gateway-sg", "db-sg-from-gateway", "resource-gateway", "resource-config", "resource-share"]);
        let Action::CreateResourceGateway { subnet_ids, vpc_id, .. } = &plan.steps[2].action else { panic!("gateway step") };
        // subnet-a2 shares use1-az6 with subnet-a: one subnet per zone.
        assert_eq!((subnet_ids.as_slice(), vpc_id.as_str()), (["subnet-a".to_owned(), "subnet-b".to_owned(), "subnet-c".to_owned()].as_slice(), "vpc-prod"));
        let Action::CreateResourceConfiguration { target, port, .. } = &plan.steps[3].action else { panic!("configuration step") };
        assert_eq!(target, &vendorlink_model::ResourceTarget::Arn { arn: "arn:aws:rds:us-east-1:123456789012:db:orders-db".into() });
        assert_eq!(*port, 5432);
        let Action::ShareResource { account_id, resource, .. } = &plan.steps[4].action else { panic!("share step") };
        assert_eq!((account_id.as_str(), resource), ("072088201116", &Ref::Step { step: StepId::ResourceConfiguration }));
        let Action::AuthorizeIngress { group, port, sources, .. } = &plan.steps[1].action else { panic!("rule step") };
        assert_eq!((group, *port), (&Ref::Existing { id: "sg-db".into() }, 5432));
        assert_eq!(sources, &[IngressSource::Group { group: Ref::Step { step: StepId::GatewaySecurityGroup } }]);
        assert!(plan.iam_actions.iter().any(|a| a == "ram:CreateResourceShare") && plan.iam_actions.iter().any(|a| a == "vpc-lattice:CreateResourceGateway"));
        // No load balancer, no addresses pinned: nothing here follows the database's IPs.
        assert!(!plan.steps.iter().any(|s| matches!(s.action, Action::RegisterTargets { .. } | Action::CreateLoadBalancer { .. })));
    }

    #[test]
    fn a_resource_endpoint_is_refused_before_any_call_for_what_aws_cannot_do() {
        let base = GrantRequest { vendor: clickhouse(), parts: vec![Part::ResourceEndpoint], target_ips: Vec::new(), expires: None, ..request() };
        type Mutate = fn(&mut GrantRequest, &mut Inventory);
        let table: Vec<(Mutate, &str, &str)> = vec![
            (|r, _| r.vendor.account_id = None, "vendor.accountId", "has none"),
            (|r, _| r.vendor.regions = vec!["eu-west-1".into()], "parts", "reached only from its own Region"),
            (|r, _| r.resource_target = Some(vendorlink_model::ResourceTargetKind::ReaderDns), "resourceTarget", "has no reader endpoint"),
            (|_, inv| inv.databases[0].arn.clear(), "resourceTarget", "did not give"),
            (
                |_, inv| {
                    for s in inv.subnets.iter_mut().filter(|s| s.availability_zone_id == "use1-az6") {
                        s.available_ips = Some(9);
                    }
                },
                "database.subnets",
                "subnet-a (9 free), subnet-a2 (9 free)",
            ),
            (
                |r, _| {
                    r.parts = vec![Part::VendorRole];
                    r.resource_target = Some(vendorlink_model::ResourceTargetKind::WriterDns)
                },
                "parts",
                "resource-endpoint part is not chosen",
            ),
        ];
        for (i, (mutate, field, message)) in table.into_iter().enumerate() {
            let (mut given, mut inv) = (base.clone(), inventory());
            mutate(&mut given, &mut inv);
            let errors = plan_with(&given, &inv, Err("not resolved".into())).expect_err(&format!("row {i} ({field}) should be refused"));
            assert!(errors.iter().any(|e| e.field == field && e.message.contains(message) && !e.hint.is_empty()), "row {i}: expected {field}: {message:?}, got {errors:#?}");
        }
        // One full subnet in a zone with another that has room is fine: the other is used.
        let mut inv = inventory();
        inv.subnets[0].available_ips = Some(3);
        let plan = plan_with(&base, &inv, Err("not resolved".into())).expect("plan");
        let Action::CreateResourceGateway { subnet_ids, .. } = &plan.steps[2].action else { panic!("gateway step") };
        assert_eq!(subnet_ids, &["subnet-a2".to_owned(), "subnet-b".to_owned(), "subnet-c".to_owned()]);
        // The writer endpoint by name instead of the ARN.
        let by_name = GrantRequest { resource_target: Some(vendorlink_model::ResourceTargetKind::WriterDns), ..base };
        let plan = plan_with(&by_name, &inventory(), Err("not resolved".into())).expect("plan");
        let Action::CreateResourceConfiguration { target, .. } = &plan.steps[3].action else { panic!("configuration step") };
        assert_eq!(target, &vendorlink_model::ResourceTarget::Dns { domain_name: "orders-db.abc.us-east-1.rds.amazonaws.com".into() });
    }

    #[test]
    fn targets_kept_in_sync_add_a_function_scoped_to_the_grants_target_group_and_are_refused_for_a_public_database() {
        let synced = GrantRequest { parts: vec![Part::PrivateLink], sync_targets: true, ..request() };
        let plan = plan_with(&synced, &inventory(), Err("not resolved".into())).expect("plan");
        let ids: Vec<String> = plan.steps.iter().map(|s| s.id.to_string()).collect();
        assert_eq!(&ids[ids.len() - 5..], ["sync-role", "sync-role-policy", "sync-function", "sync-events", "sync-schedule"]);
        let Some(Action::PutRolePolicy { document, .. }) = plan.step(&StepId::SyncRolePolicy).map(|s| &s.action) else { panic!("policy step") };
        let policy: serde_json::Value = serde_json::from_str(document).expect("json");
        assert_eq!(policy["Statement"][0]["Resource"], "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/vl-datafold-0a1b2c3d/*");
        assert!(plan.iam_actions.iter().any(|a| a == "iam:PassRole") && plan.iam_actions.iter().any(|a| a == "events:PutRule"));
        let mut public = inventory();
        public.databases[0].publicly_accessible = true;
        let errors = plan_with(&synced, &public, Err("not resolved".into())).expect_err("refused");
        assert!(errors.iter().any(|e| e.field == "syncTargets" && e.message.contains("publicly accessible")), "{errors:#?}");
        let without = GrantRequest { parts: vec![Part::VendorRole], sync_targets: true, ..request() };
        let errors = plan_with(&without, &inventory(), Err("not resolved".into())).expect_err("refused");
        assert!(errors.iter().any(|e| e.field == "syncTargets"), "{errors:#?}");
    }

    #[test]
    fn principals_read_as_the_vendors_account_or_role() {
        assert_eq!(principal_in_words("Datafold", "arn:aws:iam::710753145501:root"), "Datafold's AWS account (710753145501)");
        assert_eq!(principal_in_words("ClickHouse", "arn:aws:iam::072088201116:role/service/ClickPipes"), "ClickHouse's role ClickPipes (account 072088201116)");
        assert_eq!(principal_in_words("X", "arn:aws:iam::123456789012:user/bob"), "X's user bob (account 123456789012)");
        assert_eq!(principal_in_words("X", "*"), "*");
    }
}
