//! VPC peering with the vendor's VPC (seed 000, "for customers who cannot use PrivateLink";
//! docs/aws-rules.md R19), against the emulator: the vendor's pending request accepted, or one
//! sent to the vendor's VPC for it to accept; routes in the route tables of orders-db's subnets,
//! the database group's rule on port 5432 only; handed over, revoked with proof. The vendor's
//! side acts with the vendor's own credentials (its account 710753145501); every result is
//! checked with the test's own describe calls.

mod support;

use aws_sdk_ec2::types::Filter;
use serde_json::Value;
use support::bench::{grant_id, Bench};
use support::text;

/// The vendor's VPC: a primary and a secondary block, neither overlapping prod-data (10.20.0.0/16).
const VENDOR_BLOCKS: [&str; 2] = ["10.9.0.0/16", "10.10.0.0/16"];

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("JSON expected: {}{}", text(&out.stdout), text(&out.stderr)))
}

/// The connection's status code and its grant tag, as the customer sees it.
fn connection(bench: &Bench, id: &str) -> (String, Option<String>) {
    let out = bench.block_on(bench.ec2().describe_vpc_peering_connections().vpc_peering_connection_ids(id).send()).expect("describe peering");
    let c = &out.vpc_peering_connections()[0];
    let status = c.status().and_then(|s| s.code()).map(|c| c.as_str().to_owned()).unwrap_or_default();
    let tag = c.tags().iter().find(|t| t.key() == Some("vendorlink:grant")).and_then(|t| t.value()).map(str::to_owned);
    (status, tag)
}

/// Every route in prod-data's tables to one of `blocks`: (table, destination, target, state).
fn routes_to(bench: &Bench, vpc: &str, blocks: &[&str]) -> Vec<(String, String, String, String)> {
    let out = bench.block_on(bench.ec2().describe_route_tables().filters(Filter::builder().name("vpc-id").values(vpc).build()).send()).expect("route tables");
    let mut found = Vec::new();
    for table in out.route_tables() {
        for route in table.routes() {
            let destination = route.destination_cidr_block().unwrap_or_default();
            if blocks.contains(&destination) {
                found.push((
                    table.route_table_id().unwrap_or_default().to_owned(),
                    destination.to_owned(),
                    route.vpc_peering_connection_id().or(route.gateway_id()).unwrap_or_default().to_owned(),
                    route.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
                ));
            }
        }
    }
    found
}

/// The tables routing orders-db's subnets (their own, else the VPC's main one).
fn database_tables(bench: &Bench, vpc: &str) -> Vec<String> {
    let rds = aws_sdk_rds::Client::new(&bench.config);
    let out = bench.block_on(rds.describe_db_instances().db_instance_identifier("orders-db").send()).expect("describe orders-db");
    let subnets: Vec<String> =
        out.db_instances()[0].db_subnet_group().map(|g| g.subnets().iter().filter_map(|s| s.subnet_identifier().map(str::to_owned)).collect()).unwrap_or_default();
    let tables = bench.block_on(bench.ec2().describe_route_tables().filters(Filter::builder().name("vpc-id").values(vpc).build()).send()).expect("route tables");
    let main = tables.route_tables().iter().find(|t| t.associations().iter().any(|a| a.main() == Some(true))).and_then(|t| t.route_table_id()).map(str::to_owned);
    let mut wanted: Vec<String> = subnets
        .iter()
        .filter_map(|s| {
            tables
                .route_tables()
                .iter()
                .find(|t| t.associations().iter().any(|a| a.subnet_id() == Some(s.as_str())))
                .and_then(|t| t.route_table_id())
                .map(str::to_owned)
                .or(main.clone())
        })
        .collect();
    wanted.sort();
    wanted.dedup();
    wanted
}

/// The database group's inbound rules from any of `blocks`: (cidr, from port, to port).
fn db_rules_from(bench: &Bench, blocks: &[&str]) -> Vec<(String, i32, i32)> {
    let group = bench.db_group();
    let out = bench.block_on(bench.ec2().describe_security_group_rules().filters(Filter::builder().name("group-id").values(&group).build()).send()).expect("rules");
    out.security_group_rules()
        .iter()
        .filter(|r| r.is_egress() == Some(false) && r.cidr_ipv4().is_some_and(|c| blocks.contains(&c)))
        .map(|r| (r.cidr_ipv4().unwrap_or_default().to_owned(), r.from_port().unwrap_or_default(), r.to_port().unwrap_or_default()))
        .collect()
}

fn plan_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--json", "plan", "--sandbox", "--vendor", "datafold", "--database", "orders-db", "--part", "vpc-peering"];
    args.extend(extra);
    args
}

#[test]
fn the_vendors_request_is_accepted_routed_admitted_handed_over_and_revoked_with_proof() {
    let bench = Bench::new();
    let vpc = bench.prod_vpc();
    let vendor = bench.vendor_ec2("us-east-1");
    let theirs = bench.vendor_vpc(&vendor, &VENDOR_BLOCKS);
    let request = bench.vendor_peering_request(&vendor, &theirs, &vpc);
    assert_eq!(connection(&bench, &request).0, "pending-acceptance", "the customer sees the vendor's request waiting (R19)");

    // The one request from Datafold's account is found; both of its blocks come from it.
    let plan = json(&bench.vl(&plan_args(&["--peering-dns"])));
    let grant = grant_id(&plan);
    let steps: Vec<&str> = plan["steps"].as_array().expect("steps").iter().filter_map(|s| s["id"].as_str()).collect();
    let tables = database_tables(&bench, &vpc);
    assert_eq!(steps[..2], ["peering", "peering-dns"], "{steps:?}");
    assert_eq!(steps.len(), 3 + tables.len(), "one route step per table of orders-db's subnets ({tables:?}): {steps:?}");
    assert_eq!(plan["steps"][0]["action"]["connectionId"], request.as_str());

    let out = bench.apply(&grant);
    assert!(out.status.success(), "apply: {}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(connection(&bench, &request), ("active".to_owned(), Some(grant.clone())), "accepted and tagged with the grant");
    let peering = bench.block_on(bench.ec2().describe_vpc_peering_connections().vpc_peering_connection_ids(&request).send()).expect("describe");
    let options = peering.vpc_peering_connections()[0].accepter_vpc_info().and_then(|i| i.peering_options()).expect("the customer's side has options");
    assert_eq!(options.allow_dns_resolution_from_remote_vpc(), Some(true), "DNS resolution on the customer's (accepter's) side");
    let mut routed = routes_to(&bench, &vpc, &VENDOR_BLOCKS);
    routed.sort();
    let mut expected: Vec<(String, String, String, String)> =
        tables.iter().flat_map(|t| VENDOR_BLOCKS.iter().map(|b| (t.clone(), b.to_string(), request.clone(), "active".to_owned()))).collect();
    expected.sort();
    assert_eq!(routed, expected, "both blocks routed through the connection in exactly the database subnets' tables");
    let mut rules = db_rules_from(&bench, &VENDOR_BLOCKS);
    rules.sort();
    assert_eq!(rules, [("10.10.0.0/16".to_owned(), 5432, 5432), ("10.9.0.0/16".to_owned(), 5432, 5432)], "port 5432 only");

    // Applied again: nothing is called that changes anything.
    let out = bench.apply(&grant);
    assert!(out.status.success(), "second apply: {}", text(&out.stderr));
    assert_eq!(routes_to(&bench, &vpc, &VENDOR_BLOCKS).len(), expected.len());

    let out = bench.vl(&["--json", "handoff", &grant]);
    assert!(out.status.success(), "handoff: {}{}", text(&out.stdout), text(&out.stderr));
    let summary = json(&out);
    assert_eq!(summary["peering"]["connectionId"], request.as_str(), "{summary:#}");
    assert_eq!(summary["peering"]["status"], "active");
    assert_eq!(summary["peering"]["customerCidrs"], serde_json::json!(["10.20.0.0/16"]));
    assert_eq!(summary["peering"]["vendorCidrs"], serde_json::json!(VENDOR_BLOCKS));
    assert_eq!(summary["peering"]["dnsResolution"], true);
    let next = summary["nextSteps"].as_array().expect("next steps").iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n");
    assert!(next.contains(&format!("Route 10.20.0.0/16 (us-east-1) through {request}")) && !next.contains("Accept the peering request"), "{next}");

    let status = json(&bench.vl(&["--json", "status", &grant]));
    assert_eq!(status["state"], "applied", "{status:#}");
    assert_eq!(status["drift"], serde_json::json!([]), "{status:#}");

    let out = bench.vl(&["--json", "revoke", &grant, "--access-only"]);
    assert!(out.status.success(), "revoke: {}{}", text(&out.stdout), text(&out.stderr));
    let record = json(&out);
    let checks = record["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["passed"] == true), "{record:#}");
    assert!(checks.iter().any(|c| c["check"].as_str().is_some_and(|t| t.contains(&format!("Peering connection {request} is deleted")))), "{record:#}");
    assert_eq!(checks.iter().filter(|c| c["check"].as_str().is_some_and(|t| t.starts_with("No route in"))).count(), tables.len(), "{record:#}");
    assert_eq!(connection(&bench, &request).0, "deleted", "the connection is gone even when only access is revoked: it is the access");
    assert_eq!(routes_to(&bench, &vpc, &VENDOR_BLOCKS), [], "no route left, not even a blackhole");
    assert_eq!(db_rules_from(&bench, &VENDOR_BLOCKS), [], "no rule left");
    let out = bench.apply(&grant);
    assert!(!out.status.success(), "a revoked grant is never applied again");
}

#[test]
fn a_request_sent_to_the_vendors_vpc_in_another_region_is_routed_once_it_accepts_and_its_handoff_says_to_accept() {
    let bench = Bench::new();
    let vpc = bench.prod_vpc();
    // The vendor's VPC is in us-west-2: inter-Region peering, accepted in the vendor's Region (R19.5).
    let vendor = bench.vendor_ec2("us-west-2");
    let theirs = bench.vendor_vpc(&vendor, &VENDOR_BLOCKS[..1]);
    let plan = json(&bench.vl(&plan_args(&["--peer-vpc", &theirs, "--peer-region", "us-west-2", "--peer-cidr", VENDOR_BLOCKS[0]])));
    let grant = grant_id(&plan);
    assert_eq!(plan["steps"][0]["action"]["type"], "createPeering", "{plan:#}");
    assert_eq!(plan["steps"][0]["action"]["peerRegion"], "us-west-2", "{plan:#}");
    let out = bench.apply(&grant);
    assert!(out.status.success(), "apply: {}{}", text(&out.stdout), text(&out.stderr));
    let listed =
        bench.block_on(bench.ec2().describe_vpc_peering_connections().filters(Filter::builder().name("tag:vendorlink:grant").values(&grant).build()).send()).expect("describe");
    let made: Vec<String> = listed.vpc_peering_connections().iter().filter_map(|c| c.vpc_peering_connection_id().map(str::to_owned)).collect();
    assert_eq!(made.len(), 1, "one request, tagged with the grant: {made:?}");
    let request = made[0].clone();
    assert_eq!(connection(&bench, &request).0, "pending-acceptance");
    assert!(routes_to(&bench, &vpc, &VENDOR_BLOCKS[..1]).iter().all(|r| r.2 == request && r.3 == "blackhole"), "routes lead nowhere until the vendor accepts (R19)");
    let summary = json(&bench.vl(&["--json", "handoff", &grant]));
    let next = summary["nextSteps"].as_array().expect("next steps").iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n");
    assert!(next.contains(&format!("Accept the peering request {request}")), "{next}");

    bench.block_on(vendor.accept_vpc_peering_connection().vpc_peering_connection_id(&request).send()).expect("the vendor accepts");
    assert_eq!(connection(&bench, &request).0, "active");
    assert!(routes_to(&bench, &vpc, &VENDOR_BLOCKS[..1]).iter().all(|r| r.3 == "active"), "{:?}", routes_to(&bench, &vpc, &VENDOR_BLOCKS[..1]));

    let out = bench.vl(&["--json", "revoke", &grant]);
    assert!(out.status.success(), "revoke: {}{}", text(&out.stdout), text(&out.stderr));
    assert!(json(&out)["checks"].as_array().expect("checks").iter().all(|c| c["passed"] == true));
    assert_eq!(connection(&bench, &request).0, "deleted");
    assert_eq!(routes_to(&bench, &vpc, &VENDOR_BLOCKS), []);
}

#[test]
fn peering_that_cannot_work_is_refused_with_its_reason_and_leaves_nothing() {
    let bench = Bench::new();
    let vpc = bench.prod_vpc();
    let vendor = bench.vendor_ec2("us-east-1");
    let calls_before = bench.emulator.calls().len();
    // Overlapping: a vendor VPC with a secondary block inside prod-data's. (A request the
    // vendor sends from such a VPC fails on AWS's side and never reaches the customer, R19.2.)
    bench.refused(
        &plan_args(&["--peer-vpc", "vpc-0000000a", "--peer-cidr", "10.9.0.0/16", "--peer-cidr", "10.20.128.0/17"]),
        "peering.cidrs",
        "10.20.128.0/17 (vendor) with 10.20.0.0/16",
    );
    // A request from an account that is not the vendor's; a request to send without the blocks.
    let theirs = bench.vendor_vpc(&vendor, &VENDOR_BLOCKS[..1]);
    let request = bench.vendor_peering_request(&vendor, &theirs, &vpc);
    let stranger = ["--vendor-account", "111122223333", "--vendor-principal", "arn:aws:iam::111122223333:root"];
    bench.refused(&plan_args(&[&["--peering-connection", request.as_str()][..], &stranger].concat()), "peering.connectionId", "not from Datafold's account 111122223333");
    bench.refused(&plan_args(&stranger), "peering", "has sent no peering request");
    bench.refused(&plan_args(&["--peer-vpc", "vpc-0000000a"]), "peering.cidrs", "AWS does not show another account's VPC");
    // Malformed input, and DNS on a request the vendor has yet to accept.
    bench.refused(&plan_args(&["--peer-vpc", "vpc-9", "--peer-cidr", "10.9.0.0/16"]), "peering.vpcId", "is not a VPC id");
    bench.refused(&plan_args(&["--peer-vpc", "vpc-0000000b", "--peer-cidr", "10.0.0.0/8"]), "peering.cidrs[0]", "AWS allows /16 to /28");
    bench.refused(&plan_args(&["--peer-vpc", "vpc-0000000b", "--peer-cidr", "10.77.0.0/16", "--peering-dns"]), "peering.dnsResolution", "active connection");
    // A route to the vendor's block already in a table of the database's subnets, elsewhere.
    let table = database_tables(&bench, &vpc)[0].clone();
    let gateways = bench.block_on(bench.ec2().describe_internet_gateways().filters(Filter::builder().name("attachment.vpc-id").values(&vpc).build()).send()).expect("igw");
    let gateway = gateways.internet_gateways()[0].internet_gateway_id().expect("the VPC's internet gateway").to_owned();
    bench.block_on(bench.ec2().create_route().route_table_id(&table).destination_cidr_block("10.77.0.0/16").gateway_id(&gateway).send()).expect("route");
    bench.refused(&plan_args(&["--peer-vpc", "vpc-0000000b", "--peer-cidr", "10.77.0.0/16"]), "peering.cidrs", &format!("{table} already routes 10.77.0.0/16 to {gateway}"));
    let changed: Vec<String> = bench.emulator.calls()[calls_before..]
        .iter()
        .filter(|c| ["AcceptVpcPeeringConnection", "CreateRoute", "AuthorizeSecurityGroupIngress", "ModifyVpcPeeringConnectionOptions"].contains(&c.as_str()))
        .cloned()
        .collect();
    assert_eq!(changed, ["CreateRoute"], "only the test's own route: every refusal came before any change");

    // A vendor VPC that does not exist: only AWS can say so, after the request (R19): the step
    // fails with AWS's reason, and nothing else was made.
    let plan = json(&bench.vl(&plan_args(&["--peer-vpc", "vpc-0000000c", "--peer-cidr", "10.78.0.0/16"])));
    let grant = grant_id(&plan);
    let out = bench.apply(&grant);
    assert!(!out.status.success(), "apply must fail: {}", text(&out.stdout));
    let error = json(&out)["error"].clone();
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("Step peering failed") && message.contains("is failed: Failed due to incorrect VPC-ID"), "AWS's reason is given: {error:#}");
    assert!(error["hint"].as_str().is_some_and(|h| h.contains("does not exist")), "{error:#}");
    assert_eq!(routes_to(&bench, &vpc, &["10.78.0.0/16"]), []);
    assert_eq!(db_rules_from(&bench, &["10.78.0.0/16"]), []);
}

#[test]
fn an_accepting_apply_killed_at_every_journal_boundary_resumes_to_one_connection_its_routes_and_rule() {
    let bench = Bench::new();
    let vpc = bench.prod_vpc();
    let vendor = bench.vendor_ec2("us-east-1");
    let tables = database_tables(&bench, &vpc).len();
    // RunStarted, then Calling + Created for the connection, each route table and the rule.
    let records = 1 + 2 * (2 + tables);
    for n in 1..=records {
        let block = format!("10.{}.0.0/16", 100 + n);
        let theirs = bench.vendor_vpc(&vendor, &[&block]);
        let request = bench.vendor_peering_request(&vendor, &theirs, &vpc);
        let grant = grant_id(&json(&bench.vl(&plan_args(&["--peering-connection", &request]))));
        assert!(bench.kill_at(&["apply", &grant], n), "apply finished before journal record {n}");
        let resumed = bench.vl(&["resume", &grant]);
        assert!(resumed.status.success(), "resume after a kill before record {n}: {}{}", text(&resumed.stdout), text(&resumed.stderr));
        assert_eq!(connection(&bench, &request), ("active".to_owned(), Some(grant.clone())), "after a kill before record {n}");
        assert_eq!(routes_to(&bench, &vpc, &[&block]).len(), tables, "one route per table after a kill before record {n}");
        assert_eq!(db_rules_from(&bench, &[&block]), [(block.clone(), 5432, 5432)], "one rule after a kill before record {n}");
        let out = bench.vl(&["--json", "revoke", &grant]);
        assert!(out.status.success() && json(&out)["checks"].as_array().expect("checks").iter().all(|c| c["passed"] == true), "revoke after record {n}: {}", text(&out.stdout));
    }
}

#[test]
fn a_route_that_fails_rolls_the_peering_back_and_a_refused_connection_shows_as_drift() {
    let bench = Bench::new();
    let vpc = bench.prod_vpc();
    let vendor = bench.vendor_ec2("us-east-1");
    let theirs = bench.vendor_vpc(&vendor, &VENDOR_BLOCKS[..1]);
    let request = bench.vendor_peering_request(&vendor, &theirs, &vpc);
    let grant = grant_id(&json(&bench.vl(&plan_args(&[]))));
    bench.emulator.fault("CreateRoute", "http500", 10);
    let out = bench.apply(&grant);
    bench.emulator.clear_faults();
    assert!(!out.status.success(), "apply must fail: {}", text(&out.stdout));
    assert_eq!(connection(&bench, &request).0, "deleted", "the accepted connection is removed again");
    assert_eq!(routes_to(&bench, &vpc, &VENDOR_BLOCKS[..1]), []);
    assert_eq!(db_rules_from(&bench, &VENDOR_BLOCKS[..1]), []);

    // A grant whose connection the vendor deletes shows it as drift.
    let request = bench.vendor_peering_request(&vendor, &theirs, &vpc);
    let grant = grant_id(&json(&bench.vl(&plan_args(&["--peering-connection", &request]))));
    assert!(bench.apply(&grant).status.success());
    bench.block_on(vendor.delete_vpc_peering_connection().vpc_peering_connection_id(&request).send()).expect("the vendor deletes it");
    let status = json(&bench.vl(&["--json", "status", &grant]));
    let drift = status["drift"].as_array().expect("drift");
    assert!(drift.iter().any(|d| d["step"] == "peering" && d["detail"].as_str().is_some_and(|t| t.contains("is deleted"))), "{status:#}");
    let out = bench.vl(&["--json", "revoke", &grant]);
    assert!(out.status.success(), "revoke: {}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(routes_to(&bench, &vpc, &VENDOR_BLOCKS[..1]), [], "the blackhole routes the vendor's delete left are removed");
}
