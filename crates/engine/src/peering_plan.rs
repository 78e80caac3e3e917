//! The VPC-peering part of a plan (docs/aws-rules.md R19): which connection (the vendor's
//! pending request, or one requested here), the routes in the route tables of the database's
//! subnets, the database group's rule for the vendor's blocks, and, on request, DNS resolution
//! on the customer's side. Pure, like the rest of planning: everything refused here is refused
//! before any change.

use std::net::Ipv4Addr;

use crate::plan_context::PlanContext;
use crate::validate::{self, FieldError};
use vendorlink_model::{Action, Database, GrantRequest, IngressSource, Part, PeeringConnection, Ref, Step, StepId, VpcFacts};

/// AWS's bounds on a VPC's IPv4 blocks (R19): a vendor "VPC" outside them is a typo.
const SMALLEST_BLOCK: u8 = 28;
const LARGEST_BLOCK: u8 = 16;

/// Which connection the grant uses.
enum Connection<'a> {
    /// The vendor's pending request, accepted by this grant.
    Accept(&'a PeeringConnection),
    /// A request to the vendor's VPC, made by this grant.
    Request { vpc_id: String, region: Option<String> },
}

/// The part's steps, or every reason it cannot be planned.
pub fn steps(request: &GrantRequest, ctx: &PlanContext, db: &Database, warnings: &mut Vec<String>) -> Result<Vec<Step>, Vec<FieldError>> {
    let given = request.peering.clone().unwrap_or_default();
    let profile = request.vendor.vpc.clone().unwrap_or_default();
    let vendor = &request.vendor.name;
    let mut errors = Vec::new();
    if let Some(id) = &given.connection_id {
        errors.extend(validate::ec2_id("peering.connectionId", id.trim(), "pcx", "a peering connection").err());
    }
    let vendor_vpc = given.vpc_id.clone().or(profile.id.clone()).map(|v| v.trim().to_owned());
    if let Some(vpc) = &vendor_vpc {
        errors.extend(validate::ec2_id("peering.vpcId", vpc, "vpc", "a VPC").err());
    }
    let region = given.region.clone().or(profile.region.clone()).map(|r| r.trim().to_owned()).filter(|r| *r != ctx.inventory.region);
    if let Some(region) = &region {
        errors.extend(validate::region("peering.region", region).err());
    }
    let typed: Vec<String> = if given.cidrs.is_empty() { profile.cidrs.clone() } else { given.cidrs.clone() };
    for (i, cidr) in typed.iter().enumerate() {
        errors.extend(vpc_block(&format!("peering.cidrs[{i}]"), cidr).err());
    }
    let Some(vendor_account) = request.vendor.account_id.clone() else {
        errors.push(FieldError::new(
            "vendor.accountId",
            format!("Peering needs {vendor}'s AWS account id: a request is matched to it, or sent to it."),
            "Add the vendor's account id to the profile (on the command line: --vendor-account).",
        ));
        return Err(errors);
    };
    let Some(facts) = ctx.vpc else {
        errors.push(FieldError::new("peering.facts", "The database VPC's route tables and peering connections have not been read.", "They are read when the grant is planned."));
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let connection = choose(request, db, facts, &vendor_account, vendor_vpc.as_deref(), region)?;
    let vendor_cidrs: Vec<String> = match &connection {
        Connection::Accept(c) => {
            let missing: Vec<&String> = typed.iter().filter(|t| !c.requester.cidrs.contains(&t.trim().to_owned())).collect();
            if !missing.is_empty() {
                errors.push(FieldError::new(
                    "peering.cidrs",
                    format!("{} comes from a VPC with {}, not {}.", c.id, c.requester.cidrs.join(", "), missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")),
                    format!("Ask {vendor} which VPC it peers from; accept only a request from that VPC."),
                ));
            }
            c.requester.cidrs.clone()
        }
        Connection::Request { .. } if typed.is_empty() => {
            errors.push(FieldError::new(
                "peering.cidrs",
                format!("{vendor}'s VPC blocks are needed: AWS does not show another account's VPC, so they cannot be read from here."),
                format!("Give the CIDR blocks {vendor} told you it uses (all of them, secondary ones too)."),
            ));
            Vec::new()
        }
        Connection::Request { .. } => typed.iter().map(|c| c.trim().to_owned()).collect(),
    };
    if given.dns_resolution && matches!(connection, Connection::Request { .. }) {
        errors.push(FieldError::new(
            "peering.dnsResolution",
            "DNS resolution can only be allowed on an active connection, and a request made here stays pending until the vendor accepts it.",
            format!("Plan without DNS resolution ({vendor} then connects by the database's private address), or ask {vendor} to send the request so it is accepted here and DNS allowed at once."),
        ));
    }
    if given.dns_resolution && !(facts.dns_hostnames && facts.dns_support) {
        errors.push(FieldError::new(
            "peering.dnsResolution",
            format!(
                "DNS resolution over a peering needs DNS hostnames and DNS resolution turned on in both VPCs, and {} has {} off.",
                db.vpc_id,
                if facts.dns_support { "DNS hostnames" } else { "DNS resolution" }
            ),
            format!("Turn both on for {} (VPC → Actions → Edit VPC settings), or plan without DNS resolution.", db.vpc_id),
        ));
    }
    errors.extend(overlaps(ctx, db, &vendor_cidrs));
    let tables = match route_tables(facts, db) {
        Ok(tables) => tables,
        Err(mut e) => {
            errors.append(&mut e);
            Vec::new()
        }
    };
    let db_group = db.security_group_ids.first().cloned().unwrap_or_default();
    for table in &tables {
        let Some(routes) = facts.route_tables.iter().find(|t| &t.id == table).map(|t| &t.routes) else { continue };
        for cidr in &vendor_cidrs {
            let Ok(wanted) = validate::cidr("peering", cidr, true) else { continue };
            for route in routes.iter().filter(|r| r.target != "local") {
                let Ok(existing) = validate::cidr("route", &route.destination, true) else { continue };
                if &route.destination == cidr {
                    errors.push(FieldError::new(
                        "peering.cidrs",
                        format!("{table} already routes {cidr} to {} ({}).", route.target, route.state),
                        "Two routes to the same block cannot both be in one table: remove or change that route first, or peer with a VPC whose blocks are not routed elsewhere.",
                    ));
                } else if validate::overlaps(wanted, existing) && existing.1 > wanted.1 {
                    // The most specific route wins: a wider one (0.0.0.0/0, a /12 to a transit
                    // gateway) loses to the peering's; a narrower one takes its part away.
                    warnings.push(format!(
                        "{table} routes {} to {}: that part of {cidr} goes there, not through the peering (the most specific route wins).",
                        route.destination, route.target
                    ));
                }
            }
        }
    }
    for cidr in &vendor_cidrs {
        let open = ctx.inventory.ingress_rules.iter().find(|r| r.group_id == db_group && r.admits_tcp(db.port) && r.cidr.as_deref() == Some(cidr.as_str()));
        if let Some(rule) = open {
            errors.push(FieldError::new(
                "peering.cidrs",
                format!("{cidr} is already allowed on port {} of {db_group} (rule {}).", db.port, rule.rule_id),
                "Another grant or a hand-made rule already admits it: revoke that one first.",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let step = |id: StepId, summary: String, action: Action, after: Vec<StepId>| Step { id, part: Part::VpcPeering, summary, action, after };
    let from_peering = || Ref::Step { step: StepId::Peering };
    let mut steps = vec![match &connection {
        Connection::Accept(c) => step(
            StepId::Peering,
            format!(
                "Accept {vendor}'s peering request {} from {} ({}, account {}), and tag it with the grant",
                c.id,
                c.requester.vpc_id,
                c.requester.cidrs.join(", "),
                c.requester.account_id
            ),
            Action::AcceptPeering { connection_id: c.id.clone() },
            Vec::new(),
        ),
        Connection::Request { vpc_id, region } => step(
            StepId::Peering,
            format!(
                "Request peering from {} to {vendor}'s {vpc_id} (account {vendor_account}{}); {vendor} accepts it on its side",
                db.vpc_id,
                region.as_ref().map(|r| format!(", {r}")).unwrap_or_default()
            ),
            Action::CreatePeering { vpc_id: db.vpc_id.clone(), peer_vpc_id: vpc_id.clone(), peer_account: vendor_account.clone(), peer_region: region.clone() },
            Vec::new(),
        ),
    }];
    if given.dns_resolution {
        steps.push(step(
            StepId::PeeringDns,
            format!("Let {vendor}'s VPC resolve {}'s hostname to its private address over the peering", db.id),
            Action::AllowPeeringDns { connection: from_peering(), as_requester: false },
            Vec::new(),
        ));
    }
    for table in tables {
        steps.push(step(
            StepId::PeeringRoute(table.clone()),
            format!("Route {} through the peering in {table} (the table of {}'s subnets)", vendor_cidrs.join(", "), db.id),
            Action::CreatePeeringRoutes { route_table_id: table, cidrs: vendor_cidrs.clone(), connection: from_peering() },
            Vec::new(),
        ));
    }
    steps.push(step(
        StepId::DbRuleFromPeer,
        format!("Let {vendor}'s VPC ({}) reach {} on port {} only (rule on {db_group})", vendor_cidrs.join(", "), db.id, db.port),
        Action::AuthorizeIngress {
            group: Ref::Existing { id: db_group },
            port: db.port,
            sources: vendor_cidrs.iter().map(|c| IngressSource::Cidr { cidr: c.clone() }).collect(),
            description: format!("VendorLink {} {}: peered VPC", ctx.grant_id, request.vendor.id),
        },
        vec![StepId::Peering],
    ));
    Ok(steps)
}

/// A block a VPC can have: a network address, /16 to /28.
fn vpc_block(field: &str, value: &str) -> Result<(Ipv4Addr, u8), FieldError> {
    let block = validate::cidr(field, value, false)?;
    if !(LARGEST_BLOCK..=SMALLEST_BLOCK).contains(&block.1) {
        return Err(FieldError::new(
            field,
            format!("{} cannot be a VPC's block: AWS allows /16 to /28.", value.trim()),
            "Give the vendor VPC's CIDR blocks exactly as the vendor sent them.",
        ));
    }
    Ok(block)
}

/// The connection: the one named; else a pending request from the vendor (from its VPC when
/// that is known) to the database's VPC; else, with the vendor's VPC known, a new request.
fn choose<'a>(
    request: &GrantRequest,
    db: &Database,
    facts: &'a VpcFacts,
    vendor_account: &str,
    vendor_vpc: Option<&str>,
    region: Option<String>,
) -> Result<Connection<'a>, Vec<FieldError>> {
    let vendor = &request.vendor.name;
    let given = request.peering.clone().unwrap_or_default();
    let error = |field: &str, message: String, hint: String| Err(vec![FieldError::new(field, message, hint)]);
    if let Some(id) = given.connection_id.as_deref().map(str::trim) {
        let Some(c) = facts.connection(id) else {
            return error(
                "peering.connectionId",
                format!("No peering connection {id} involves {} (the database's VPC).", db.vpc_id),
                format!("Copy the id of {vendor}'s request from VPC → Peering connections in this region."),
            );
        };
        return accepted(c, db, vendor, vendor_account, vendor_vpc).map(Connection::Accept);
    }
    let pending: Vec<&PeeringConnection> = facts
        .connections
        .iter()
        .filter(|c| c.status == "pending-acceptance" && c.accepter.vpc_id == db.vpc_id && c.requester.account_id == vendor_account)
        .filter(|c| vendor_vpc.is_none_or(|v| c.requester.vpc_id == v))
        .collect();
    match (pending.as_slice(), vendor_vpc) {
        ([one], _) => accepted(one, db, vendor, vendor_account, vendor_vpc).map(Connection::Accept),
        ([], Some(vpc)) => {
            let live = facts
                .connections
                .iter()
                .find(|c| !c.is_over() && [&c.requester.vpc_id, &c.accepter.vpc_id].contains(&&vpc.to_owned()) && [&c.requester.vpc_id, &c.accepter.vpc_id].contains(&&db.vpc_id));
            if let Some(c) = live {
                return error(
                    "peering.vpcId",
                    format!("{} and {vpc} are already peered by {} ({}).", db.vpc_id, c.id, c.status),
                    "AWS allows one peering connection between two VPCs at a time: revoke or delete that one first.".into(),
                );
            }
            Ok(Connection::Request { vpc_id: vpc.to_owned(), region })
        }
        ([], None) => error(
            "peering",
            format!("{vendor} (account {vendor_account}) has sent no peering request to {} that is waiting for acceptance.", db.vpc_id),
            format!("Ask {vendor} to send one (give it the VPC id {} and its blocks), or give {vendor}'s VPC id and blocks to send the request from here.", db.vpc_id),
        ),
        (several, _) => error(
            "peering.connectionId",
            format!(
                "{vendor} has sent several requests to {}: {}.",
                db.vpc_id,
                several.iter().map(|c| format!("{} from {}", c.id, c.requester.vpc_id)).collect::<Vec<_>>().join(", ")
            ),
            "Name the one to accept.".into(),
        ),
    }
}

/// A request the grant may accept: pending, to the database's VPC, from the vendor.
fn accepted<'a>(c: &'a PeeringConnection, db: &Database, vendor: &str, vendor_account: &str, vendor_vpc: Option<&str>) -> Result<&'a PeeringConnection, Vec<FieldError>> {
    let field = "peering.connectionId";
    let refuse = |message: String, hint: &str| Err(vec![FieldError::new(field, message, hint)]);
    if c.requester.vpc_id == db.vpc_id {
        return refuse(format!("{} was requested from {} itself: the other side accepts it, not this one.", c.id, db.vpc_id), "Accept only a request the vendor sent.");
    }
    if c.accepter.vpc_id != db.vpc_id {
        return refuse(
            format!("{} is a request to {}, not to {} (the database's VPC).", c.id, c.accepter.vpc_id, db.vpc_id),
            "Ask the vendor to send the request to the database's VPC.",
        );
    }
    if c.status != "pending-acceptance" {
        let why = c.message.as_ref().map(|m| format!(": {m}")).unwrap_or_default();
        return refuse(format!("{} is {}{why}; only a request waiting for acceptance can be accepted.", c.id, c.status), "Ask the vendor to send a new request.");
    }
    if c.requester.account_id != vendor_account {
        return refuse(
            format!("{} comes from account {}, not from {vendor}'s account {vendor_account}.", c.id, c.requester.account_id),
            "Accept only the vendor's own request: anyone can send one.",
        );
    }
    if let Some(vpc) = vendor_vpc.filter(|v| *v != c.requester.vpc_id) {
        return refuse(format!("{} comes from {}, not from {vendor}'s VPC {vpc}.", c.id, c.requester.vpc_id), "Ask the vendor which VPC it peers from.");
    }
    Ok(c)
}

/// Any vendor block sharing an address with any of the database VPC's blocks (secondary ones
/// too): AWS refuses such a peering (R19), and routing would be ambiguous.
fn overlaps(ctx: &PlanContext, db: &Database, vendor_cidrs: &[String]) -> Vec<FieldError> {
    let ours: Vec<(&String, (Ipv4Addr, u8))> =
        ctx.inventory.vpc(&db.vpc_id).map(|v| v.cidrs.iter().filter_map(|c| validate::cidr("vpc", c, true).ok().map(|b| (c, b))).collect()).unwrap_or_default();
    let mut clashes = Vec::new();
    for theirs in vendor_cidrs {
        let Ok(block) = validate::cidr("peering", theirs, true) else { continue };
        clashes.extend(ours.iter().filter(|(_, b)| validate::overlaps(*b, block)).map(|(c, _)| format!("{theirs} (vendor) with {c} ({})", db.vpc_id)));
    }
    if clashes.is_empty() {
        return Vec::new();
    }
    vec![FieldError::new(
        "peering.cidrs",
        format!("The VPCs' address ranges overlap: {}. AWS does not peer overlapping VPCs.", clashes.join("; ")),
        "Peer with a vendor VPC whose blocks do not overlap yours (ask the vendor for another), or use private link, which has no such limit.",
    )]
}

/// The tables that route the database's subnets (the main table for subnets with none of their own).
fn route_tables(facts: &VpcFacts, db: &Database) -> Result<Vec<String>, Vec<FieldError>> {
    let mut tables: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for subnet in &db.subnet_ids {
        match facts.table_of(subnet) {
            Some(t) if !tables.contains(&t.id) => tables.push(t.id.clone()),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "database.subnets",
                format!("No route table routes {subnet} (one of {}'s subnets).", db.id),
                "Check the VPC's route tables: every VPC has a main one.",
            )),
        }
    }
    if errors.is_empty() {
        Ok(tables)
    } else {
        Err(errors)
    }
}
