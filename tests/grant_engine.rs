//! The grant engine through the command line, against the emulator's sample network: every
//! result is checked with the test's own describe calls, not with the engine's view.

mod support;

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Filter;
use serde_json::Value;
use support::bench::{grant_id, policy_json, Bench, DATAFOLD_ROOT, TARGET_IP};
use support::{text, Receiver};

fn expected_full() -> BTreeMap<&'static str, usize> {
    // rules: DB group ← NLB group, DB group ← Datafold's 6 addresses
    BTreeMap::from([("endpointService", 1), ("loadBalancer", 1), ("role", 1), ("rule", 7), ("securityGroup", 1), ("targetGroup", 1)])
}

#[test]
fn private_link_alone_builds_the_nlb_service_and_rules_as_the_guides_do() {
    let bench = Bench::new();
    let plan = bench.plan(&["private-link"], &[]);
    let grant = grant_id(&plan);
    let out = bench.apply(&grant);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));

    let lbs = bench.block_on(bench.elb().describe_load_balancers().names(format!("vl-datafold-{}", &grant[2..])).send()).expect("the NLB exists by its planned name");
    let lb = &lbs.load_balancers()[0];
    assert_eq!(lb.r#type().map(|t| t.as_str()), Some("network"));
    assert_eq!(lb.scheme().map(|s| s.as_str()), Some("internal"));
    let zones: Vec<&str> = lb.availability_zones().iter().filter_map(|z| z.zone_name()).collect();
    assert_eq!(zones.len(), 3, "one subnet per AZ: {zones:?}");
    let nlb_group = lb.security_groups()[0].to_owned();
    let lb_arn = lb.load_balancer_arn().expect("arn").to_owned();
    let attributes = bench.block_on(bench.elb().describe_load_balancer_attributes().load_balancer_arn(&lb_arn).send()).expect("attributes");
    assert!(attributes.attributes().iter().any(|a| a.key() == Some("load_balancing.cross_zone.enabled") && a.value() == Some("true")), "cross-zone on");

    let tgs = bench.block_on(bench.elb().describe_target_groups().load_balancer_arn(&lb_arn).send()).expect("target groups");
    let tg = &tgs.target_groups()[0];
    assert_eq!((tg.protocol().map(|p| p.as_str()), tg.port(), tg.target_type().map(|t| t.as_str())), (Some("TCP"), Some(5432), Some("ip")));
    let health = bench.block_on(bench.elb().describe_target_health().target_group_arn(tg.target_group_arn().unwrap_or_default()).send()).expect("targets");
    let targets: Vec<&str> = health.target_health_descriptions().iter().filter_map(|d| d.target().and_then(|t| t.id())).collect();
    assert_eq!(targets, [TARGET_IP]);
    let listeners = bench.block_on(bench.elb().describe_listeners().load_balancer_arn(&lb_arn).send()).expect("listeners");
    let listener = &listeners.listeners()[0];
    assert_eq!((listener.protocol().map(|p| p.as_str()), listener.port()), (Some("TCP"), Some(5432)));
    assert_eq!(listener.default_actions()[0].target_group_arn(), tg.target_group_arn());

    let services = bench.block_on(bench.ec2().describe_vpc_endpoint_service_configurations().send()).expect("services");
    let service = services.service_configurations().iter().find(|s| s.network_load_balancer_arns().contains(&lb_arn)).expect("an endpoint service on the NLB");
    assert_eq!(service.acceptance_required(), Some(true));
    assert_eq!(plan["steps"].as_array().map(Vec::len), Some(10));
    let permissions = bench.block_on(bench.ec2().describe_vpc_endpoint_service_permissions().service_id(service.service_id().unwrap_or_default()).send()).expect("permissions");
    let principals: Vec<&str> = permissions.allowed_principals().iter().filter_map(|p| p.principal()).collect();
    assert_eq!(principals, [DATAFOLD_ROOT]);

    // The database admits the NLB's group on its port only; the NLB's group admits nothing.
    let db_rules =
        bench.block_on(bench.ec2().describe_security_group_rules().filters(Filter::builder().name("group-id").values(bench.db_group()).build()).send()).expect("db rules");
    let from_nlb: Vec<_> = db_rules.security_group_rules().iter().filter(|r| r.referenced_group_info().and_then(|g| g.group_id()) == Some(nlb_group.as_str())).collect();
    assert_eq!(from_nlb.len(), 1);
    assert_eq!((from_nlb[0].from_port(), from_nlb[0].to_port(), from_nlb[0].ip_protocol()), (Some(5432), Some(5432), Some("tcp")));
    let nlb_rules = bench.block_on(bench.ec2().describe_security_group_rules().filters(Filter::builder().name("group-id").values(&nlb_group).build()).send()).expect("nlb rules");
    let ingress: Vec<_> = nlb_rules.security_group_rules().iter().filter(|r| r.is_egress() == Some(false)).collect();
    assert!(ingress.is_empty(), "no inbound rule on the NLB's group: {ingress:?}");

    // docs/aws-rules.md R1: PrivateLink traffic is not checked against the NLB's group.
    let described = bench.block_on(bench.elb().describe_load_balancers().load_balancer_arns(&lb_arn).send()).expect("describe");
    assert_eq!(described.load_balancers()[0].enforce_security_group_inbound_rules_on_private_link_traffic(), Some("off"));
    // R2: the health check gets out of the NLB's group and into the database's.
    let health = bench.block_on(bench.elb().describe_target_health().target_group_arn(tg.target_group_arn().unwrap_or_default()).send()).expect("health");
    let state = health.target_health_descriptions()[0].target_health().and_then(|h| h.state()).map(|s| s.as_str().to_owned());
    assert_eq!(state.as_deref(), Some("healthy"), "{health:?}");

    // The vendor connects from its own account; once the admin accepts, its client reaches the
    // database through the endpoint. A host in the VPC with no rule of its own does not get
    // through the load balancer.
    let (service_id, service_name) = bench.endpoint_service(&grant);
    let (_, endpoint) = bench.vendor_endpoint(&service_name);
    let pending = bench.vendor_reaches(&endpoint);
    assert_eq!(pending["reachable"], false, "{pending}");
    assert!(pending["blocked"].as_str().is_some_and(|b| b.contains("pendingAcceptance")), "{pending}");
    bench.block_on(bench.ec2().accept_vpc_endpoint_connections().service_id(&service_id).vpc_endpoint_ids(&endpoint).send()).expect("accept");
    let vendor = bench.vendor_reaches(&endpoint);
    assert_eq!(vendor["reachable"], true, "the vendor reaches the database: {vendor}");
    let insider = bench.emulator.reach(serde_json::json!({ "ip": "10.20.3.77", "groups": [], "load_balancer": lb_arn }), TARGET_IP, 5432);
    assert_eq!(insider["reachable"], false, "{insider}");
    assert!(insider["blocked"].as_str().is_some_and(|b| b.contains("load balancer's security groups do not admit 10.20.3.77")), "{insider}");

    let counts = bench.counts(&grant);
    assert_eq!(counts, BTreeMap::from([("endpointService", 1), ("loadBalancer", 1), ("role", 0), ("rule", 1), ("securityGroup", 1), ("targetGroup", 1)]));
}

#[test]
fn the_vendor_role_trusts_only_the_vendor_with_mfa_external_id_and_expiry() {
    let bench = Bench::new();
    let plan = bench.plan(&["vendor-role"], &["--max-session-hours", "2", "--external-id", "datafold-issued-7f3a", "--pass-role-arn", support::bench::NODE_ROLE]);
    let grant = grant_id(&plan);
    let out = bench.apply(&grant);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let external_id = plan["externalId"].as_str().expect("external id");
    assert_eq!(external_id, "datafold-issued-7f3a", "the one the vendor issued");

    let name = format!("vendorlink-datafold-{}", &grant[2..]);
    let role = bench.block_on(bench.iam().get_role().role_name(&name).send()).expect("role exists");
    let role = role.role().expect("role");
    assert_eq!(role.path(), "/vendorlink/");
    assert_eq!(role.max_session_duration(), Some(7200));
    let trust = policy_json(role.assume_role_policy_document().expect("trust"));
    let statement = &trust["Statement"][0];
    assert_eq!(statement["Principal"]["AWS"], serde_json::json!([DATAFOLD_ROOT]));
    assert_eq!(statement["Condition"]["Bool"]["aws:MultiFactorAuthPresent"], "true");
    assert_eq!(statement["Condition"]["StringEquals"]["sts:ExternalId"], external_id);
    assert_eq!(statement["Condition"]["DateLessThan"]["aws:CurrentTime"], "2099-02-01T00:00:00Z");

    let policies = bench.block_on(bench.iam().list_role_policies().role_name(&name).send()).expect("policies");
    let mut names: Vec<&str> = policies.policy_names().iter().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["vendorlink-datafold", "vendorlink-expiry", "vendorlink-guard"]);
    let minimal = bench.block_on(bench.iam().get_role_policy().role_name(&name).policy_name("vendorlink-datafold").send()).expect("minimal policy");
    let minimal = policy_json(minimal.policy_document());
    let seed: Value = serde_json::from_str(include_str!("../crates/engine/src/vendors/presets/datafold-minimal-policy.json")).expect("seed policy");
    // The vendor's minimal policy verbatim, but for iam:PassRole, which passes only the named role.
    let mut without_pass_role = seed.clone();
    without_pass_role["Statement"][0]["Action"] =
        Value::Array(seed["Statement"][0]["Action"].as_array().expect("actions").iter().filter(|a| *a != "iam:PassRole").cloned().collect());
    assert_eq!(minimal["Statement"][0], without_pass_role["Statement"][0]);
    assert_eq!(minimal["Statement"][1]["Action"], "iam:PassRole");
    assert_eq!(minimal["Statement"][1]["Resource"], serde_json::json!([support::bench::NODE_ROLE]));
    assert_eq!(minimal["Statement"].as_array().map(Vec::len), Some(2));
    let guard = bench.block_on(bench.iam().get_role_policy().role_name(&name).policy_name("vendorlink-guard").send()).expect("guard policy");
    let guard = policy_json(guard.policy_document());
    assert_eq!((guard["Statement"][0]["Effect"].as_str(), guard["Statement"][0]["Resource"].as_str()), (Some("Deny"), Some("arn:aws:iam::123456789012:role/vendorlink/*")));
    let expiry = bench.block_on(bench.iam().get_role_policy().role_name(&name).policy_name("vendorlink-expiry").send()).expect("expiry policy");
    let expiry = policy_json(expiry.policy_document());
    assert_eq!(expiry["Statement"][0]["Effect"], "Deny");
    assert_eq!(expiry["Statement"][0]["Condition"]["DateGreaterThan"]["aws:CurrentTime"], "2099-02-01T00:00:00Z");
    let tags = bench.block_on(bench.iam().list_role_tags().role_name(&name).send()).expect("tags");
    assert!(tags.tags().iter().any(|t| t.key() == "vendorlink:vendor" && t.value() == "datafold"));
}

#[test]
fn the_ip_allowlist_opens_the_database_port_to_the_vendors_addresses_only() {
    let bench = Bench::new();
    let plan = bench.plan(&["ip-allowlist"], &[]);
    let grant = grant_id(&plan);
    let out = bench.apply(&grant);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let rules = bench.block_on(bench.ec2().describe_security_group_rules().filters(Filter::builder().name("group-id").values(bench.db_group()).build()).send()).expect("rules");
    let mut vendor: Vec<&str> = rules.security_group_rules().iter().filter(|r| r.description().is_some_and(|d| d.contains(&grant))).filter_map(|r| r.cidr_ipv4()).collect();
    vendor.sort();
    assert_eq!(vendor, ["23.23.71.47/32", "35.166.223.86/32", "52.11.132.23/32", "54.185.25.103/32", "54.210.34.216/32", "54.71.177.163/32"]);
    assert!(rules
        .security_group_rules()
        .iter()
        .filter(|r| r.description().is_some_and(|d| d.contains(&grant)))
        .all(|r| r.from_port() == Some(5432) && r.to_port() == Some(5432) && r.ip_protocol() == Some("tcp")));
}

#[test]
fn a_full_grant_applies_once_and_a_second_apply_calls_nothing_that_changes() {
    let bench = Bench::new();
    let plan = bench.plan(&["private-link", "vendor-role", "ip-allowlist"], &[]);
    let grant = grant_id(&plan);
    let before = bench.emulator.calls().len();
    let out = bench.apply(&grant);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("report");
    assert_eq!(report["created"].as_array().map(Vec::len), Some(15));
    // One call per step, and besides them only who is calling and the load balancer's wait
    // (the endpoint service's create answer already says it is available).
    let first = bench.emulator.calls()[before..].to_vec();
    let reads: Vec<&str> = first.iter().map(String::as_str).filter(|c| c.starts_with("Describe") || c.starts_with("List") || c.starts_with("Get")).collect();
    assert_eq!(reads, ["GetCallerIdentity", "DescribeLoadBalancers"], "{first:?}");
    assert_eq!(first.len(), 17, "{first:?}");
    assert_eq!(bench.counts(&grant), expected_full());

    let before = bench.emulator.calls().len();
    let again = bench.apply(&grant);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let second: Vec<String> = bench.emulator.calls()[before..].to_vec();
    let mutating: Vec<&String> = second.iter().filter(|c| !c.starts_with("Describe") && !c.starts_with("List") && !c.starts_with("Get")).collect();
    assert!(mutating.is_empty(), "second apply changed things: {mutating:?}");
    assert_eq!(bench.counts(&grant), expected_full());

    let status = bench.vl(&["--json", "status", &grant]);
    let status: Value = serde_json::from_slice(&status.stdout).expect("status JSON");
    assert_eq!(status["state"], "applied");
    assert_eq!(status["untracked"], serde_json::json!([]));
}

#[test]
fn killed_at_every_journal_boundary_resume_reaches_the_same_grant_with_no_duplicate() {
    let bench = Bench::new();
    let mut boundaries = 0;
    let expected = BTreeMap::from([("endpointService", 1), ("loadBalancer", 1), ("role", 1), ("rule", 2), ("securityGroup", 1), ("targetGroup", 1)]);
    for n in 1.. {
        let vendor = bench.datafold_from(&format!("198.51.100.{n}"));
        // Alternating between the PostgreSQL instance and the Aurora cluster keeps each
        // database's security group under AWS's 60-rule limit.
        let database = if n % 2 == 0 { "orders-db" } else { "analytics" };
        let grant = grant_id(&bench.plan_on(database, &vendor, &["private-link", "vendor-role", "ip-allowlist"], &[]));
        if !bench.kill_at(&["apply", &grant], n) {
            break;
        }
        boundaries += 1;
        let resumed = bench.vl(&["resume", &grant]);
        assert!(resumed.status.success(), "resume after a kill before record {n}: {}", text(&resumed.stderr));
        assert_eq!(bench.counts(&grant), expected, "after a kill before record {n}");
        let journal = bench.journal(&grant);
        assert_eq!(journal.last().map(|r| r["event"]["type"].clone()), Some(Value::from("runFinished")));
        let status: Value = serde_json::from_slice(&bench.vl(&["--json", "status", &grant]).stdout).expect("status");
        assert_eq!(status["state"], "applied", "after a kill before record {n}");
        assert_eq!(status["untracked"], serde_json::json!([]), "after a kill before record {n}");
    }
    eprintln!("kill points tested: before journal records 1..={boundaries}");
    // RunStarted + (Calling, Created) for each of 15 steps + RunFinished.
    assert_eq!(boundaries, 32);
}

#[test]
fn a_failure_at_any_mutating_call_rolls_back_everything_the_grant_made() {
    let bench = Bench::new();
    // Each mutating call of a full grant, singled out by what its request says, so that the
    // rollback's own calls (deletes, removals) still work.
    let faults: [(&str, &str); 14] = [
        ("CreateSecurityGroup", "GroupName"),
        ("AuthorizeSecurityGroupIngress", "from NLB"),
        ("AuthorizeSecurityGroupIngress", "vendor addresses"),
        ("CreateTargetGroup", "Name"),
        ("RegisterTargets", "Targets"),
        ("CreateLoadBalancer", "Name"),
        ("ModifyLoadBalancerAttributes", "cross_zone"),
        ("SetSecurityGroups", "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"),
        ("CreateListener", "Port"),
        ("CreateVpcEndpointServiceConfiguration", "NetworkLoadBalancerArn"),
        ("ModifyVpcEndpointServicePermissions", "AddAllowedPrincipals"),
        ("CreateRole", "RoleName"),
        ("PutRolePolicy", "vendorlink-guard"),
        ("PutRolePolicy", "vendorlink-expiry"),
    ];
    for (operation, matching) in faults {
        let grant = grant_id(&bench.plan(&["private-link", "vendor-role", "ip-allowlist"], &[]));
        bench.emulator.fail_matching(operation, matching);
        let out = bench.apply(&grant);
        bench.emulator.clear_faults();
        assert_eq!(out.status.code(), Some(6), "{operation}/{matching}: {}{}", text(&out.stdout), text(&out.stderr));
        let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
        let message = error["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("Everything this grant had created was removed again."), "{operation}/{matching}: {message}");
        let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
        assert!(left.is_empty(), "{operation}/{matching} left {left:?}");
        let status: Value = serde_json::from_slice(&bench.vl(&["--json", "status", &grant]).stdout).expect("status");
        assert_eq!(status["state"], "rolledBack", "{operation}/{matching}");
    }
    // Nothing of any grant is left either: the database's group has only its seeded rule.
    let rules = bench.block_on(bench.ec2().describe_security_group_rules().filters(Filter::builder().name("group-id").values(bench.db_group()).build()).send()).expect("rules");
    assert_eq!(rules.security_group_rules().iter().filter(|r| r.is_egress() == Some(false)).count(), 1);
    let roles = bench.block_on(bench.iam().list_roles().path_prefix("/vendorlink/").send()).expect("roles");
    assert!(roles.roles().is_empty());
}

#[test]
fn a_rollback_that_cannot_remove_something_says_so_and_resume_finishes_the_grant() {
    let bench = Bench::new();
    let grant = grant_id(&bench.plan(&["private-link"], &[]));
    bench.emulator.fail_matching("CreateListener", "Port");
    bench.emulator.fail_matching("DeleteTargetGroup", "TargetGroupArn");
    let out = bench.vl(&["apply", &grant]);
    bench.emulator.clear_faults();
    assert_eq!(out.status.code(), Some(6));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Rolling back could not remove: target-group"), "{stderr}");
    assert!(stderr.contains("vendorlink resume"), "{stderr}");
    assert_eq!(bench.counts(&grant)["targetGroup"], 1, "the target group stays, and is reported");
    let resumed = bench.vl(&["resume", &grant]);
    assert!(resumed.status.success(), "{}", text(&resumed.stderr));
    assert_eq!(bench.counts(&grant), BTreeMap::from([("endpointService", 1), ("loadBalancer", 1), ("role", 0), ("rule", 1), ("securityGroup", 1), ("targetGroup", 1)]));
}

#[test]
fn discovery_reads_every_region_and_reports_the_database_with_az_ids() {
    let bench = Bench::new();
    let out = bench.vl(&["--json", "discover", "--sandbox", "--all-regions"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let discovery: Value = serde_json::from_slice(&out.stdout).expect("discovery JSON");
    let regions = discovery["regions"].as_array().expect("regions");
    assert!(regions.len() > 10, "every enabled region: {}", regions.len());
    let east = regions.iter().find(|r| r["region"] == "us-east-1").expect("us-east-1");
    let orders = east["databases"].as_array().into_iter().flatten().find(|d| d["id"] == "orders-db").expect("orders-db");
    assert_eq!((orders["engine"].as_str(), orders["port"].as_u64(), orders["multiAz"].as_bool()), (Some("postgres"), Some(5432), Some(true)));
    let analytics = east["databases"].as_array().into_iter().flatten().find(|d| d["id"] == "analytics").expect("the Aurora cluster");
    assert_eq!(analytics["kind"], "cluster");
    assert!(analytics["readerEndpoint"].as_str().is_some_and(|e| !e.is_empty()));
    let subnets = east["subnets"].as_array().expect("subnets");
    assert!(subnets.iter().all(|s| s["availabilityZoneId"].as_str().is_some_and(|z| z.starts_with("use1-az"))), "every subnet has its AZ ID");
    // Networks are read only where there is a database to grant on.
    let with_databases = regions.iter().filter(|r| r["databases"].as_array().is_some_and(|d| !d.is_empty())).count();
    assert_eq!(bench.emulator.calls().iter().filter(|c| *c == "DescribeVpcs").count(), with_databases);
    assert!(regions.iter().filter(|r| r["databases"].as_array().is_some_and(|d| d.is_empty())).all(|r| r["vpcs"].as_array().is_some_and(|v| v.is_empty())));

    // One failing region is reported; the others still come back.
    bench.emulator.fail_in_region("DescribeDBInstances", "eu-west-1");
    let out = bench.vl(&["--json", "discover", "--sandbox", "--all-regions"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let discovery: Value = serde_json::from_slice(&out.stdout).expect("discovery JSON");
    assert_eq!(discovery["failures"].as_array().map(Vec::len), Some(1), "{}", discovery["failures"]);
    assert_eq!(discovery["failures"][0]["region"], "eu-west-1");
    assert!(discovery["failures"][0]["error"]["message"].as_str().is_some_and(|m| m.contains("rds:DescribeDBInstances")), "{}", discovery["failures"]);
    assert_eq!(discovery["regions"].as_array().map(Vec::len), Some(regions.len() - 1));
}

#[test]
fn bad_input_is_refused_before_any_call_that_changes_something() {
    let bench = Bench::new();
    let before = bench.emulator.calls().len();
    let out = bench.vl(&["plan", "--sandbox", "--vendor", "datafold", "--database", "orders-db", "--part", "private-link", "--target-ip", "10.99.0.5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("10.99.0.5 is not inside the database's VPC (10.20.0.0/16)"), "{}", text(&out.stderr));
    let out = bench.vl(&["plan", "--sandbox", "--vendor", "custom", "--database", "orders-db", "--part", "vendor-role", "--vendor-account", "12345"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("vendor.accountId"), "{}", text(&out.stderr));
    let calls = &bench.emulator.calls()[before..];
    // Reads only (the tag scan's GetResourceShares and GetCallerIdentity are reads too).
    assert!(calls.iter().all(|c| c.starts_with("Describe") || c.starts_with("List") || c.starts_with("Get")), "{calls:?}");
    assert!(bench.vl(&["status"]).stdout.starts_with(b"No grants recorded"), "a refused plan records no grant");
}

#[test]
fn a_vendor_profile_loads_from_a_url_and_a_bad_one_is_refused_with_its_field() {
    let bench = Bench::new();
    let mut profile = vendorlink_engine::vendors::presets().into_iter().find(|p| p.id == "custom").expect("custom preset");
    profile.id = "acme".into();
    profile.name = "Acme ELT".into();
    profile.account_id = Some("111122223333".into());
    let good = Receiver::answering(200, &serde_json::to_string(&profile).expect("json")).url;
    let plan = bench.plan_for(&format!("{good}/acme.json"), &["private-link"], &[]);
    assert_eq!(plan["vendorName"], "Acme ELT");
    assert!(plan["steps"].as_array().into_iter().flatten().any(|s| s["action"]["principals"] == serde_json::json!(["arn:aws:iam::111122223333:root"])));

    profile.ip_ranges = vec!["0.0.0.0/0".into()];
    let bad = Receiver::answering(200, &serde_json::to_string(&profile).expect("json")).url;
    let out = bench.vl(&["--json", "plan", "--sandbox", "--vendor", &format!("{bad}/acme.json"), "--database", "orders-db", "--part", "ip-allowlist"]);
    assert_eq!(out.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    assert_eq!(error["error"]["fields"][0]["field"], "ipRanges[0]");
    assert_eq!(error["error"]["fields"][0]["message"], "0.0.0.0/0 opens the database port to the whole internet.");

    let out = bench.vl(&["plan", "--sandbox", "--vendor", "http://vendor.example/acme.json", "--database", "orders-db", "--part", "private-link"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not HTTPS"), "{}", text(&out.stderr));
}

#[test]
fn a_load_balancer_still_provisioning_is_waited_for_with_progress() {
    let bench = Bench::new();
    let grant = grant_id(&bench.plan(&["private-link"], &[]));
    bench.emulator.slow_load_balancers(2);
    let out = bench.vl(&["apply", &grant]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let waits: Vec<&str> = stderr.lines().filter(|l| l.starts_with("waiting  nlb:") && l.contains("is provisioning")).collect();
    assert_eq!(waits.len(), 2, "one progress line per poll that found it provisioning:\n{stderr}");
    // The endpoint service is created only once the load balancer is active.
    let nlb_done = stderr.lines().position(|l| l.starts_with("done     nlb:")).expect("nlb done");
    let service_start = stderr.lines().position(|l| l.starts_with("start    endpoint-service:")).expect("service started");
    assert!(nlb_done < service_start, "{stderr}");
}

/// (moto can check IAM policies, but it re-signs request bodies its own way and then refuses
/// the SDK's correct signatures on calls with tags, so the denial comes from the launcher, in
/// AWS's wire format.)
#[test]
fn access_denied_names_the_action_and_the_identity_and_nothing_is_left() {
    let bench = Bench::new();
    let grant = grant_id(&bench.plan(&["private-link", "vendor-role"], &[]));
    bench.emulator.fault("CreateLoadBalancer", "deny", 1000);
    let out = bench.vl(&["--json", "apply", &grant]);
    bench.emulator.clear_faults();
    assert_eq!(out.status.code(), Some(5), "{}{}", text(&out.stdout), text(&out.stderr));
    let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    assert_eq!(error["error"]["kind"], "accessDenied");
    let message = error["error"]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("Step nlb failed: AWS denied elasticloadbalancing:CreateLoadBalancer to the local sandbox (arn:aws:sts::123456789012:user/moto)"), "{message}");
    assert!(message.contains("Everything this grant had created was removed again."), "{message}");
    assert_eq!(error["error"]["hint"], "Ask your AWS administrator to allow elasticloadbalancing:CreateLoadBalancer for this identity, or pick credentials that have it.");
    let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
    assert!(left.is_empty(), "left {left:?}");
}

#[test]
fn throttling_that_outlasts_the_retries_is_reported_and_rolled_back() {
    let bench = Bench::new();
    let grant = grant_id(&bench.plan(&["private-link", "vendor-role"], &[]));
    bench.emulator.fault("CreateRole", "throttle", 1000);
    let out = bench.vl(&["--json", "apply", &grant]);
    bench.emulator.clear_faults();
    assert_eq!(out.status.code(), Some(6), "{}", text(&out.stderr));
    let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    assert_eq!(error["error"]["kind"], "throttled");
    assert!(error["error"]["message"].as_str().is_some_and(|m| m.contains("AWS kept throttling iam:CreateRole after the SDK's retries")), "{}", error["error"]["message"]);
    let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
    assert!(left.is_empty(), "left {left:?}");
}

#[test]
fn preflight_says_when_it_could_not_ask_iam_instead_of_guessing() {
    let bench = Bench::new();
    let out = bench.vl(&["--json", "preflight", "--sandbox", "--part", "vendor-role"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let result: Value = serde_json::from_slice(&out.stdout).expect("preflight JSON");
    assert_eq!(result["checked"], false, "the emulator has no policy simulator");
    assert!(result["detail"].as_str().is_some_and(|d| d.starts_with("Could not check with IAM's policy simulator")), "{result}");
    let needed: Vec<&str> = result["needed"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    assert!(needed.contains(&"iam:CreateRole") && !needed.contains(&"elasticloadbalancing:CreateLoadBalancer"), "{needed:?}");
}

#[test]
fn a_second_run_on_a_grant_is_refused_while_the_first_runs_and_readers_see_it_running() {
    let bench = Bench::new();
    let grant = grant_id(&bench.plan(&["private-link", "vendor-role", "ip-allowlist"], &[]));
    let mut apply = bench.pause_at(&["apply", &grant], 5).expect("the apply pauses mid-way");
    let journal_before = std::fs::read(bench.home.path().join(".local/share/vendorlink/grants").join(&grant).join("journal.jsonl")).expect("journal");
    for command in [["revoke", grant.as_str()], ["resume", grant.as_str()], ["apply", grant.as_str()]] {
        let out = bench.vl(&["--json", command[0], command[1]]);
        assert_eq!(out.status.code(), Some(9), "{command:?}: {}{}", text(&out.stdout), text(&out.stderr));
        let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
        assert_eq!(error["error"]["kind"], "busy");
        assert!(error["error"]["message"].as_str().is_some_and(|m| m.contains("is being changed by another run (apply by process")), "{error}");
    }
    // Listing, status and the audit read the journal without changing it, and call the grant running.
    let listed = text(&bench.vl(&["status"]).stdout);
    assert!(listed.lines().any(|l| l.starts_with(&grant) && l.ends_with("Running")), "{listed}");
    assert!(bench.vl(&["audit", &grant]).status.success());
    let journal_after = std::fs::read(bench.home.path().join(".local/share/vendorlink/grants").join(&grant).join("journal.jsonl")).expect("journal");
    assert_eq!(journal_before, journal_after, "readers leave the journal as the running apply wrote it");
    apply.kill().expect("kill");
    apply.wait().expect("reap");
    let listed = text(&bench.vl(&["status"]).stdout);
    assert!(listed.lines().any(|l| l.starts_with(&grant) && l.ends_with("Incomplete")), "a killed apply is interrupted, not running: {listed}");
    assert!(bench.vl(&["resume", &grant]).status.success(), "the lock went with the killed process");
}

#[test]
fn a_planned_grant_is_discarded_and_one_that_ran_is_left_to_revoke() {
    let bench = Bench::new();
    let planned = grant_id(&bench.plan(&["vendor-role"], &[]));
    let applied = grant_id(&bench.plan(&["vendor-role"], &[]));
    assert!(bench.apply(&applied).status.success());

    let out = bench.vl(&["discard", &planned]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("nothing in AWS changed"), "{}", text(&out.stdout));
    let out = bench.vl(&["--json", "discard", &applied]);
    assert_eq!(out.status.code(), Some(2), "{}{}", text(&out.stdout), text(&out.stderr));
    let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    assert_eq!(error["error"]["kind"], "invalidInput");
    assert!(error["error"]["hint"].as_str().is_some_and(|h| h.contains(&format!("vendorlink revoke {applied}"))), "{error}");

    let listed = text(&bench.vl(&["status"]).stdout);
    assert!(!listed.contains(&planned), "the discarded grant is no longer listed: {listed}");
    assert!(listed.lines().any(|l| l.starts_with(&applied)), "the applied grant stays: {listed}");
    assert_eq!(bench.tagged(&applied).get("role").map(Vec::len), Some(1), "its role stays in AWS until revoked");
    let out = bench.vl(&["--json", "apply", &planned]);
    assert_eq!(out.status.code(), Some(2), "a discarded grant cannot be applied: {}", text(&out.stdout));
    assert!(text(&out.stdout).contains("\"notFound\""), "{}", text(&out.stdout));
}

#[test]
fn an_exported_grant_is_adopted_elsewhere_only_when_aws_holds_what_its_record_names() {
    let bench = Bench::new();
    let grant = grant_id(&bench.plan(&["vendor-role", "ip-allowlist"], &[]));
    assert!(bench.apply(&grant).status.success());
    let file = bench.home.path().join("grant.json");
    let out = bench.vl(&["export", &grant, "--out", &file.display().to_string()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let exported = std::fs::read_to_string(&file).expect("exported");
    assert!(!exported.contains("SecretAccessKey") && !exported.contains("aws_secret"), "no secret in a record");

    // A record whose journal names a rule the grant never made is refused, and nothing is recorded.
    let start = exported.find("sgr-").expect("a rule id in the journal");
    let rule: String = exported[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let tampered = bench.home.path().join("tampered.json");
    std::fs::write(&tampered, exported.replace(&rule, "sgr-0123456789abcdef0")).expect("write");
    let elsewhere = support::Home::new();
    let out = support::cli(&elsewhere, &bench.env(), &["--json", "adopt", &tampered.display().to_string(), "--sandbox"], "");
    assert_eq!(out.status.code(), Some(2), "{}{}", text(&out.stdout), text(&out.stderr));
    let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    assert!(error["error"]["message"].as_str().is_some_and(|m| m.contains("sgr-0123456789abcdef0") && m.contains("is not adopted")), "{error}");
    assert!(text(&support::cli(&elsewhere, &bench.env(), &["status"], "").stdout).contains("No grants recorded"));

    // The record as exported is adopted, and the grant is managed from there.
    let out = support::cli(&elsewhere, &bench.env(), &["--json", "adopt", &file.display().to_string(), "--sandbox"], "");
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let status: Value = serde_json::from_slice(&support::cli(&elsewhere, &bench.env(), &["--json", "status", &grant], "").stdout).expect("status");
    assert_eq!(status["state"], "applied");
    assert_eq!(status["drift"], serde_json::json!([]), "{status:#}");
    let again = support::cli(&elsewhere, &bench.env(), &["--json", "adopt", &file.display().to_string(), "--sandbox"], "");
    assert_eq!(again.status.code(), Some(2), "adopted once: {}", text(&again.stdout));
}

#[test]
fn grant_ids_that_are_not_ids_are_refused_before_any_file_is_touched() {
    let bench = Bench::new();
    for bad in ["../../etc", "g-12345678/../../x", "G-ABCDEF12", "g-1234"] {
        for command in ["apply", "status", "revoke", "audit", "handoff", "discard"] {
            let out = bench.vl(&["--json", command, bad]);
            assert_eq!(out.status.code(), Some(2), "{command} {bad}: {}{}", text(&out.stdout), text(&out.stderr));
            assert!(text(&out.stdout).contains("is not a grant id"), "{command} {bad}: {}", text(&out.stdout));
        }
    }
}

#[test]
fn the_vendors_endpoint_waits_for_the_admin_who_accepts_it_and_another_accounts_is_flagged() {
    let bench = Bench::new();
    let grant = grant_id(&bench.plan(&["private-link"], &[]));
    assert!(bench.apply(&grant).status.success());
    let (service_id, vendor, stranger) = bench.vendor_and_stranger_endpoints(&grant);

    let status: Value = serde_json::from_slice(&bench.vl(&["--json", "status", &grant]).stdout).expect("status");
    let listed: Vec<(String, String, bool)> = status["connections"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| (c["endpointId"].as_str().unwrap_or("").to_owned(), c["state"].as_str().unwrap_or("").to_owned(), c["fromVendor"] == true))
        .collect();
    assert!(listed.contains(&(vendor.clone(), "pendingAcceptance".into(), true)) && listed.contains(&(stranger.clone(), "pendingAcceptance".into(), false)), "{listed:?}");
    let plain = text(&bench.vl(&["status", &grant]).stdout);
    assert!(plain.contains(&format!("CONNECTION {vendor} from account 710753145501 (the vendor's) pendingAcceptance: waiting for you")), "{plain}");
    assert_eq!(bench.vendor_reaches(&vendor)["reachable"], false);

    // Accepting another account's endpoint needs saying so; the vendor's is accepted.
    let out = bench.vl(&["--json", "connections", &grant, "--accept", &stranger]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("belongs to account 111122223333, not to Datafold"), "{}", text(&out.stdout));
    let out = bench.vl(&["--json", "connections", &grant, "--accept", &vendor]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = bench.vl(&["--json", "connections", &grant, "--reject", &stranger]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The test's own look at AWS, and the network model: the vendor gets through now.
    let described =
        bench.block_on(bench.ec2().describe_vpc_endpoint_connections().filters(Filter::builder().name("service-id").values(&service_id).build()).send()).expect("connections");
    let states: BTreeMap<String, String> = described
        .vpc_endpoint_connections()
        .iter()
        .map(|c| (c.vpc_endpoint_id().unwrap_or("").to_owned(), c.vpc_endpoint_state().map(|s| s.as_str().to_owned()).unwrap_or_default()))
        .collect();
    assert_eq!((states[&vendor].as_str(), states[&stranger].as_str()), ("available", "rejected"));
    assert_eq!(bench.vendor_reaches(&vendor)["reachable"], true);
    // Each decision is in the audit record, with AWS's request id.
    let audit = text(&bench.vl(&["audit", &grant]).stdout);
    let entries: Vec<Value> = audit.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    let decided: Vec<(&str, &str)> = entries
        .iter()
        .filter_map(|e| e["calls"].as_array().and_then(|c| c.first()).map(|c| (e["command"].as_str().unwrap_or(""), c["action"].as_str().unwrap_or(""))))
        .filter(|(command, _)| command.ends_with("-connections"))
        .collect();
    assert_eq!(decided, [("accept-connections", "ec2:AcceptVpcEndpointConnections"), ("reject-connections", "ec2:RejectVpcEndpointConnections")], "{audit}");
    assert!(entries
        .iter()
        .filter(|e| e["command"].as_str().is_some_and(|c| c.ends_with("-connections")))
        .all(|e| e["calls"][0]["requestId"].as_str().is_some_and(|r| !r.is_empty())));
    let status: Value = serde_json::from_slice(&bench.vl(&["--json", "status", &grant]).stdout).expect("status");
    assert_eq!(status["state"], "applied", "deciding on connections does not change the grant's state");
}
