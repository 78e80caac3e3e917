//! `status` reports what changed behind VendorLink's back, and `resync-targets` follows the
//! database to its new address; changes are made by the test with its own SDK calls.

mod support;

use aws_sdk_ec2::types::{IpPermission, IpRange};
use aws_sdk_elasticloadbalancingv2::types::{EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum, TargetDescription};
use serde_json::Value;
use support::bench::{grant_id, Bench, TARGET_IP};
use support::text;

const FULL: [&str; 3] = ["private-link", "vendor-role", "ip-allowlist"];

fn status(bench: &Bench, grant: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--json", "status", grant];
    args.extend(extra);
    let out = bench.vl(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("status JSON")
}

/// The one resource of `kind` carrying the grant's tag, found with the test's own calls.
fn tagged_one(bench: &Bench, grant: &str, kind: &str) -> String {
    let tagged = bench.tagged(grant);
    match tagged.get(kind).map(Vec::as_slice) {
        Some([one]) => one.clone(),
        other => panic!("expected one {kind} tagged {grant}, found {other:?}"),
    }
}

fn drift_of(status: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> =
        status["drift"].as_array().into_iter().flatten().map(|d| (d["kind"].as_str().unwrap_or("").to_owned(), d["step"].as_str().unwrap_or("").to_owned())).collect();
    found.sort();
    found
}

#[test]
fn changes_made_by_hand_are_each_reported() {
    let bench = Bench::new();
    let vendor = bench.datafold_from("198.51.100.20");
    let grant = grant_id(&bench.plan_for(&vendor, &FULL, &[]));
    assert!(bench.apply(&grant).status.success());
    let before = status(&bench, &grant, &[]);
    assert_eq!(drift_of(&before), Vec::<(String, String)>::new(), "nothing changed yet");

    let (elb, ec2, iam) = (bench.elb(), bench.ec2(), bench.iam());
    let target_group = tagged_one(&bench, &grant, "targetGroup");
    let load_balancer = tagged_one(&bench, &grant, "loadBalancer");
    bench
        .block_on(elb.register_targets().target_group_arn(&target_group).targets(TargetDescription::builder().id("10.20.1.99").port(5432).build()).send())
        .expect("register by hand");
    bench
        .block_on(elb.deregister_targets().target_group_arn(&target_group).targets(TargetDescription::builder().id(TARGET_IP).port(5432).build()).send())
        .expect("deregister by hand");
    let nlb_group = tagged_one(&bench, &grant, "securityGroup");
    let ssh = IpPermission::builder().ip_protocol("tcp").from_port(22).to_port(22).ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build()).build();
    bench.block_on(ec2.authorize_security_group_ingress().group_id(&nlb_group).ip_permissions(ssh).send()).expect("rule by hand");
    bench
        .block_on(
            elb.set_security_groups()
                .load_balancer_arn(&load_balancer)
                .security_groups(&nlb_group)
                .enforce_security_group_inbound_rules_on_private_link_traffic(EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum::On)
                .send(),
        )
        .expect("PrivateLink rules back on by hand");
    let listeners = bench.block_on(elb.describe_listeners().load_balancer_arn(&load_balancer).send()).expect("listeners");
    bench.block_on(elb.delete_listener().listener_arn(listeners.listeners()[0].listener_arn().unwrap_or_default()).send()).expect("delete by hand");
    bench
        .block_on(
            ec2.modify_vpc_endpoint_service_permissions().service_id(tagged_one(&bench, &grant, "endpointService")).add_allowed_principals("arn:aws:iam::111122223333:root").send(),
        )
        .expect("principal by hand");
    bench.block_on(iam.attach_role_policy().role_name(tagged_one(&bench, &grant, "role")).policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess").send()).expect("policy by hand");

    let after = status(&bench, &grant, &[]);
    assert_eq!(
        drift_of(&after),
        [
            ("addedByHand", "endpoint-principals"),
            ("addedByHand", "nlb-sg"),
            ("addedByHand", "role"),
            ("missing", "listener"),
            ("setting", "nlb-privatelink-rules"),
            ("targets", "targets")
        ]
        .map(|(k, s)| (k.to_owned(), s.to_owned()))
    );
    let details: Vec<&str> = after["drift"].as_array().into_iter().flatten().filter_map(|d| d["detail"].as_str()).collect();
    assert!(details.iter().any(|d| d.contains("10.20.1.99") && d.contains(TARGET_IP)), "{details:?}");
    assert!(details.iter().any(|d| d.contains("arn:aws:iam::111122223333:root")), "{details:?}");
    assert!(details.iter().any(|d| d.contains("ReadOnlyAccess")), "{details:?}");
    assert!(details.iter().any(|d| d.contains("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is on")), "{details:?}");
    let plain = text(&bench.vl(&["status", &grant]).stdout);
    assert!(plain.contains("DRIFT Missing listener") && plain.contains("what to do:"), "{plain}");
}

#[test]
fn after_the_database_moves_resync_follows_it_and_the_drift_is_gone() {
    let bench = Bench::new();
    let vendor = bench.datafold_from("198.51.100.21");
    let grant = grant_id(&bench.plan_for(&vendor, &["private-link"], &[]));
    assert!(bench.apply(&grant).status.success());
    let moved = "10.20.2.30";
    let before = status(&bench, &grant, &["--target-ip", moved]);
    assert_eq!(drift_of(&before), [("targets".to_owned(), "targets".to_owned())]);

    let out = bench.vl(&["--json", "resync-targets", &grant, "--target-ip", moved]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("report");
    assert_eq!((report["registered"].clone(), report["deregistered"].clone()), (serde_json::json!([moved]), serde_json::json!([TARGET_IP])));
    let target_group = tagged_one(&bench, &grant, "targetGroup");
    let health = bench.block_on(bench.elb().describe_target_health().target_group_arn(&target_group).send()).expect("targets");
    let targets: Vec<&str> = health.target_health_descriptions().iter().filter_map(|d| d.target().and_then(|t| t.id())).collect();
    assert_eq!(targets, [moved]);
    assert_eq!(drift_of(&status(&bench, &grant, &["--target-ip", moved])), Vec::<(String, String)>::new());
    assert_eq!(drift_of(&status(&bench, &grant, &[])), Vec::<(String, String)>::new(), "the journal now records the new targets");
    let audit = text(&bench.vl(&["audit", &grant]).stdout);
    assert!(audit.lines().any(|l| l.contains("\"command\":\"resync-targets\"") && l.contains("RegisterTargets") && l.contains("DeregisterTargets")), "{audit}");

    let out = bench.vl(&["resync-targets", &grant, "--target-ip", "10.20.2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("\"10.20.2\" is not an IPv4 address."), "{}", text(&out.stderr));
}
