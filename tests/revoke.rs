//! Revoke through the command line, against the emulator, with a vendor endpoint really
//! connected from the vendor's own account. Every point of the proof is checked again by the
//! test's own describe calls.

mod support;

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_ec2::types::Filter;
use serde_json::Value;
use support::bench::{grant_id, Bench};
use support::text;

const VENDOR_ACCOUNT: &str = "710753145501";
const FULL: [&str; 3] = ["private-link", "vendor-role", "ip-allowlist"];

/// A grant of all three parts, applied, with the vendor's endpoint connected and accepted.
/// Returns the grant id, the service id and the vendor's endpoint client and id.
fn connected_grant(bench: &Bench, vendor_file: &str, database: &str) -> (String, String, aws_sdk_ec2::Client, String) {
    let grant = grant_id(&bench.plan_on(database, vendor_file, &FULL, &[]));
    let out = bench.apply(&grant);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let status: Value = serde_json::from_slice(&bench.vl(&["--json", "status", &grant]).stdout).expect("status");
    let service = status["steps"].as_array().into_iter().flatten().find(|s| s["id"] == "endpoint-service").expect("service step");
    let (service_id, service_name) = (service["outputs"]["id"].as_str().expect("id").to_owned(), service["outputs"]["serviceName"].as_str().expect("name").to_owned());

    // The vendor connects from its own account (credentials from assume-role).
    let sts = aws_sdk_sts::Client::new(&bench.config);
    let assumed = bench
        .block_on(sts.assume_role().role_arn(format!("arn:aws:iam::{VENDOR_ACCOUNT}:role/connector")).role_session_name("vendor").send())
        .expect("assume role")
        .credentials
        .expect("credentials");
    let credentials = Credentials::new(assumed.access_key_id, assumed.secret_access_key, Some(assumed.session_token), None, "vendor");
    let config = bench
        .block_on(aws_config::defaults(BehaviorVersion::latest()).endpoint_url(&bench.emulator.endpoint).region(Region::new("us-east-1")).credentials_provider(credentials).load());
    let vendor = aws_sdk_ec2::Client::new(&config);
    let vpc = bench.block_on(vendor.create_vpc().cidr_block("10.9.0.0/16").send()).expect("vendor vpc").vpc.and_then(|v| v.vpc_id).expect("vpc id");
    let endpoint = bench
        .block_on(vendor.create_vpc_endpoint().vpc_id(&vpc).service_name(&service_name).vpc_endpoint_type(aws_sdk_ec2::types::VpcEndpointType::Interface).send())
        .expect("vendor endpoint")
        .vpc_endpoint
        .and_then(|e| e.vpc_endpoint_id)
        .expect("endpoint id");
    bench.block_on(bench.ec2().accept_vpc_endpoint_connections().service_id(&service_id).vpc_endpoint_ids(&endpoint).send()).expect("the admin accepts");
    assert_eq!(vendor_endpoint_state(bench, &vendor, &endpoint), "available");
    (grant, service_id, vendor, endpoint)
}

fn vendor_endpoint_state(bench: &Bench, vendor: &aws_sdk_ec2::Client, endpoint: &str) -> String {
    let out = bench.block_on(vendor.describe_vpc_endpoints().vpc_endpoint_ids(endpoint).send()).expect("vendor's endpoint");
    out.vpc_endpoints()[0].state().map(|s| s.as_str().to_owned()).unwrap_or_default()
}

fn role_exists(bench: &Bench, grant: &str) -> bool {
    bench.block_on(bench.iam().get_role().role_name(format!("vendorlink-datafold-{}", &grant[2..])).send()).is_ok()
}

fn grant_rules_on_db(bench: &Bench, grant: &str) -> Vec<String> {
    let rules = bench.block_on(bench.ec2().describe_security_group_rules().filters(Filter::builder().name("group-id").values(bench.db_group()).build()).send()).expect("rules");
    rules.security_group_rules().iter().filter(|r| r.tags().iter().any(|t| t.value() == Some(grant))).filter_map(|r| r.security_group_rule_id().map(str::to_owned)).collect()
}

#[test]
fn a_full_revoke_cuts_a_connected_vendor_and_proves_it() {
    let bench = Bench::new();
    let vendor_file = bench.datafold_from("198.51.100.1");
    let (grant, _service, vendor, endpoint) = connected_grant(&bench, &vendor_file, "orders-db");

    let out = bench.vl(&["--json", "revoke", &grant]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let record: Value = serde_json::from_slice(&out.stdout).expect("revocation record");
    let checks = record["checks"].as_array().expect("checks");
    assert!(checks.len() >= 5 && checks.iter().all(|c| c["passed"] == true), "{checks:#?}");
    assert_eq!(record["kept"], serde_json::json!([]));
    let removed: Vec<&str> = record["removed"].as_array().into_iter().flatten().filter_map(|r| r["step"].as_str()).collect();
    let position = |step: &str| removed.iter().position(|s| *s == step).unwrap_or_else(|| panic!("{step} not removed: {removed:?}"));
    // The safe order: principals, connections, sessions, role, allowlist, then the network.
    assert!(position("endpoint-principals") < position("endpoint-connections"));
    assert!(position("endpoint-connections") < position("revoke-sessions"));
    assert!(position("revoke-sessions") < position("role"));
    assert!(position("role") < position("allowlist"));
    assert!(position("allowlist") < position("endpoint-service") && position("endpoint-service") < position("nlb") && position("nlb") < position("nlb-sg"));
    assert!(record["removed"].as_array().into_iter().flatten().all(|r| r["at"].as_str().is_some_and(|t| t.ends_with('Z'))));
    assert!(record["caller"].as_str().is_some_and(|c| c.starts_with("arn:aws:")));

    // The test's own proof.
    assert_eq!(vendor_endpoint_state(&bench, &vendor, &endpoint), "rejected", "the vendor's endpoint is cut");
    assert!(!role_exists(&bench, &grant), "the role is gone");
    assert!(grant_rules_on_db(&bench, &grant).is_empty(), "no rule of the grant on the database's group");
    let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
    assert!(left.is_empty(), "nothing tagged is left: {left:?}");
    let status: Value = serde_json::from_slice(&bench.vl(&["--json", "status", &grant]).stdout).expect("status");
    assert_eq!(status["state"], "revoked");
    let records: Vec<_> = std::fs::read_dir(bench.home.path().join(".local/share/vendorlink/grants").join(&grant))
        .expect("grant dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("revocation-"))
        .collect();
    assert_eq!(records.len(), 1, "the revocation record is kept next to the journal");
    // Running it again finds nothing to do and still proves it.
    let again = bench.vl(&["--json", "revoke", &grant]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let record: Value = serde_json::from_slice(&again.stdout).expect("record");
    assert_eq!(record["removed"], serde_json::json!([]));
}

#[test]
fn revoking_access_only_keeps_the_network_and_a_full_revoke_takes_it_later() {
    let bench = Bench::new();
    let vendor_file = bench.datafold_from("198.51.100.2");
    let (grant, service, vendor, endpoint) = connected_grant(&bench, &vendor_file, "orders-db");
    let out = bench.vl(&["revoke", "--access-only", &grant]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("[ok] No vendor principal is allowed on"), "{}", text(&out.stdout));

    let permissions = bench.block_on(bench.ec2().describe_vpc_endpoint_service_permissions().service_id(&service).send()).expect("permissions");
    assert!(permissions.allowed_principals().is_empty());
    assert_eq!(vendor_endpoint_state(&bench, &vendor, &endpoint), "rejected");
    assert!(!role_exists(&bench, &grant));
    let counts = bench.counts(&grant);
    assert_eq!((counts["loadBalancer"], counts["endpointService"], counts["targetGroup"], counts["securityGroup"]), (1, 1, 1, 1), "the network stays: {counts:?}");
    assert_eq!(grant_rules_on_db(&bench, &grant).len(), 1, "only the NLB's rule stays on the database's group, the vendor's addresses are gone");
    let status: Value = serde_json::from_slice(&bench.vl(&["--json", "status", &grant]).stdout).expect("status");
    assert_eq!(status["state"], "accessRevoked");

    let out = bench.vl(&["revoke", &grant]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn resources_changed_by_hand_are_reported_and_left_with_access_cut() {
    let bench = Bench::new();
    let vendor_file = bench.datafold_from("198.51.100.3");
    let grant = grant_id(&bench.plan_on("orders-db", &vendor_file, &FULL, &[]));
    assert!(bench.apply(&grant).status.success());
    let role = format!("vendorlink-datafold-{}", &grant[2..]);
    bench.block_on(bench.iam().attach_role_policy().role_name(&role).policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess").send()).expect("attach by hand");

    let out = bench.vl(&["--json", "revoke", &grant]);
    assert_eq!(out.status.code(), Some(7), "{}{}", text(&out.stdout), text(&out.stderr));
    let stdout = text(&out.stdout);
    let record: Value = serde_json::Deserializer::from_str(&stdout).into_iter::<Value>().next().and_then(Result::ok).expect("record first");
    let kept = record["kept"].as_array().expect("kept");
    assert_eq!(kept.len(), 1, "{kept:#?}");
    assert_eq!(kept[0]["step"], "role");
    assert!(kept[0]["reason"].as_str().is_some_and(|r| r.contains("changed by hand") && r.contains("ReadOnlyAccess")), "{}", kept[0]["reason"]);
    // Kept, but with a deny-all in force and none of the grant's permissions.
    let inline = bench.block_on(bench.iam().list_role_policies().role_name(&role).send()).expect("policies");
    let mut names: Vec<&str> = inline.policy_names().iter().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["vendorlink-revoke-sessions", "vendorlink-revoked"]);
    let deny = bench.block_on(bench.iam().get_role_policy().role_name(&role).policy_name("vendorlink-revoked").send()).expect("deny-all");
    let deny = support::bench::policy_json(deny.policy_document());
    assert_eq!((deny["Statement"][0]["Effect"].as_str(), deny["Statement"][0]["Action"].as_str()), (Some("Deny"), Some("*")));
    // Everything else is gone.
    let counts = bench.counts(&grant);
    assert_eq!(counts.iter().filter(|(kind, n)| **kind != "role" && **n > 0).count(), 0, "{counts:?}");
    let error: Value =
        serde_json::Deserializer::from_str(&stdout).into_iter::<Value>().filter_map(Result::ok).find(|v| v.get("error").is_some()).expect("error JSON after the record");
    assert_eq!(error["error"]["kind"], "incomplete");
    assert!(error["error"]["message"].as_str().is_some_and(|m| m.contains("role vendorlink-datafold-") && m.contains("changed by hand")), "{error}");
}

#[test]
fn a_revoke_killed_at_every_journal_boundary_finishes_when_run_again() {
    let bench = Bench::new();
    let mut boundaries = 0;
    for n in 1.. {
        let vendor_file = bench.datafold_from(&format!("198.51.100.{}", 100 + n));
        let database = if n % 2 == 0 { "orders-db" } else { "analytics" };
        let grant = grant_id(&bench.plan_on(database, &vendor_file, &FULL, &[]));
        assert!(bench.apply(&grant).status.success());
        let applied = bench.journal(&grant).len();
        if !bench.kill_at(&["revoke", &grant], applied + n) {
            break;
        }
        boundaries += 1;
        let out = bench.vl(&["--json", "revoke", &grant]);
        assert!(out.status.success(), "revoke again after a kill before revoke record {n}: {}{}", text(&out.stdout), text(&out.stderr));
        let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
        assert!(left.is_empty(), "after a kill before revoke record {n}: {left:?}");
        assert!(!role_exists(&bench, &grant));
    }
    eprintln!("revoke kill points tested: {boundaries}");
    assert!(boundaries >= 30, "a full revoke has more journal records than {boundaries}");
}

#[test]
fn each_part_alone_is_revoked_completely() {
    let bench = Bench::new();
    for (i, part) in ["private-link", "vendor-role", "ip-allowlist"].into_iter().enumerate() {
        let vendor_file = bench.datafold_from(&format!("198.51.100.{}", 40 + i));
        let grant = grant_id(&bench.plan_on("orders-db", &vendor_file, &[part], &[]));
        assert!(bench.apply(&grant).status.success(), "{part}");
        assert!(bench.counts(&grant).values().sum::<usize>() > 0, "{part} made something");
        let out = bench.vl(&["--json", "revoke", &grant]);
        assert!(out.status.success(), "{part}: {}{}", text(&out.stdout), text(&out.stderr));
        let record: Value = serde_json::from_slice(&out.stdout).expect("record");
        assert!(record["checks"].as_array().is_some_and(|c| !c.is_empty() && c.iter().all(|c| c["passed"] == true)), "{part}: {record:#}");
        let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
        assert!(left.is_empty(), "{part} left {left:?}");
        assert!(!role_exists(&bench, &grant), "{part}");
        assert!(grant_rules_on_db(&bench, &grant).is_empty(), "{part}");
    }
}
