//! Revoke through the command line, against the emulator, with a vendor endpoint really
//! connected from the vendor's own account. Every point of the proof is checked again by the
//! test's own describe calls.

mod support;

use aws_sdk_ec2::types::Filter;
use serde_json::Value;
use support::bench::{grant_id, Bench, TARGET_IP};
use support::text;

const FULL: [&str; 3] = ["private-link", "vendor-role", "ip-allowlist"];

/// A grant of all three parts, applied, with the vendor's endpoint connected and accepted.
/// Returns the grant id, the service id and the vendor's endpoint client and id; every id is
/// found with the test's own calls (by the grant's tag), not from VendorLink's records.
fn connected_grant(bench: &Bench, vendor_file: &str, database: &str) -> (String, String, aws_sdk_ec2::Client, String) {
    let grant = grant_id(&bench.plan_on(database, vendor_file, &FULL, &[]));
    let out = bench.apply(&grant);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (service_id, service_name) = bench.endpoint_service(&grant);
    let (vendor, endpoint) = bench.vendor_endpoint(&service_name);
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
    let reached = bench.vendor_reaches(&endpoint);
    assert_eq!(reached["reachable"], true, "before the revoke the vendor gets through: {reached}");
    let allowlisted = bench.emulator.reach(serde_json::json!({ "ip": "198.51.100.1", "groups": [] }), TARGET_IP, 5432);
    assert_eq!(allowlisted["reachable"], true, "{allowlisted}");

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
    assert!(position("endpoint-connections") < position("revoke-trust"));
    assert!(position("revoke-trust") < position("revoke-sessions"), "nobody new gets in before the sessions are cut");
    assert!(position("revoke-sessions") < position("role"));
    assert!(position("role") < position("allowlist"));
    assert!(position("allowlist") < position("endpoint-service") && position("endpoint-service") < position("nlb") && position("nlb") < position("nlb-sg"));
    assert!(record["removed"].as_array().into_iter().flatten().all(|r| r["at"].as_str().is_some_and(|t| t.ends_with('Z'))));
    assert!(record["caller"].as_str().is_some_and(|c| c.starts_with("arn:aws:")));

    // The test's own proof: nobody reaches the database through what the grant opened.
    assert_eq!(vendor_endpoint_state(&bench, &vendor, &endpoint), "rejected", "the vendor's endpoint is cut");
    let after = bench.vendor_reaches(&endpoint);
    assert_eq!(after["reachable"], false, "{after}");
    let allowlisted = bench.emulator.reach(serde_json::json!({ "ip": "198.51.100.1", "groups": [] }), TARGET_IP, 5432);
    assert_eq!(allowlisted["reachable"], false, "{allowlisted}");
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

    // Revoked is final: neither apply nor resume brings anything back.
    let calls_before = bench.emulator.calls().len();
    for command in ["apply", "resume"] {
        let out = bench.vl(&["--json", command, &grant]);
        assert_eq!(out.status.code(), Some(8), "{command}: {}{}", text(&out.stdout), text(&out.stderr));
        let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
        assert_eq!(error["error"]["kind"], "revoked");
        assert!(error["error"]["hint"].as_str().is_some_and(|h| h.contains("Plan a new grant")), "{error}");
    }
    assert_eq!(bench.emulator.calls().len(), calls_before, "refused before any AWS call");
    assert!(!role_exists(&bench, &grant));
    // Granting again is a new plan: new id, role name and ExternalId.
    let first: Value =
        serde_json::from_str(&std::fs::read_to_string(bench.home.path().join(".local/share/vendorlink/grants").join(&grant).join("plan.json")).expect("plan")).expect("plan JSON");
    let again = bench.plan_on("orders-db", &vendor_file, &FULL, &[]);
    assert_ne!(grant_id(&again), grant);
    assert!(first["externalId"].is_null() || first["externalId"] != again["externalId"], "a new ExternalId: {} {}", first["externalId"], again["externalId"]);
    let role_names = |plan: &Value| {
        plan["steps"].as_array().into_iter().flatten().filter_map(|s| s["action"]["name"].as_str().filter(|n| n.starts_with("vendorlink-")).map(str::to_owned)).collect::<Vec<_>>()
    };
    assert!(role_names(&again).iter().all(|n| !n.contains(&grant[2..])), "{:?}", role_names(&again));
}

#[test]
fn revoking_access_only_keeps_the_network_and_a_full_revoke_takes_it_later() {
    let bench = Bench::new();
    let vendor_file = bench.datafold_from("198.51.100.2");
    let (grant, service, vendor, endpoint) = connected_grant(&bench, &vendor_file, "orders-db");
    let out = bench.vl(&["revoke", "--access-only", &grant]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("[ok] No principal at all is allowed on"), "{}", text(&out.stdout));

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
    // One JSON document on stdout (the record); the error follows as text on stderr.
    let record: Value = serde_json::from_slice(&out.stdout).expect("exactly one JSON document");
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
    // Its trust lets nobody in, and sessions issued until AWS's time of the revoke are denied.
    let kept_role = bench.block_on(bench.iam().get_role().role_name(&role).send()).expect("kept role");
    let trust = support::bench::policy_json(kept_role.role().and_then(|r| r.assume_role_policy_document()).expect("trust"));
    let statements = trust["Statement"].as_array().expect("statements");
    assert!(!statements.is_empty() && statements.iter().all(|s| s["Effect"] == "Deny"), "{trust}");
    let sessions = bench.block_on(bench.iam().get_role_policy().role_name(&role).policy_name("vendorlink-revoke-sessions").send()).expect("session deny");
    let sessions = support::bench::policy_json(sessions.policy_document());
    let cutoff = sessions["Statement"][0]["Condition"]["DateLessThan"]["aws:TokenIssueTime"].as_str().expect("cut-off").to_owned();
    let cutoff: chrono::DateTime<chrono::Utc> = cutoff.parse().expect("RFC 3339");
    assert!(cutoff > chrono::Utc::now(), "the cut-off lies past the revoke (AWS's time plus the propagation margin): {cutoff}");
    // Everything else is gone.
    let counts = bench.counts(&grant);
    assert_eq!(counts.iter().filter(|(kind, n)| **kind != "role" && **n > 0).count(), 0, "{counts:?}");
    let error = text(&out.stderr);
    assert!(error.contains("error: The revoke of") && error.contains("role vendorlink-datafold-") && error.contains("changed by hand"), "{error}");
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
        // Once its first record is written, an interrupted revoke is never resumed as an apply.
        if n > 1 {
            let listed = text(&bench.vl(&["status"]).stdout);
            assert!(listed.lines().any(|l| l.starts_with(&grant) && l.ends_with("RevokeIncomplete")), "{listed}");
            let out = bench.vl(&["apply", &grant]);
            assert_eq!(out.status.code(), Some(8), "apply after a revoke killed before record {n}: {}", text(&out.stderr));
        }
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

#[test]
fn a_grant_recorded_nowhere_here_is_revoked_by_its_tag_and_proved() {
    let bench = Bench::new();
    let vendor_file = bench.datafold_from("198.51.100.2");
    let (grant, service, vendor, endpoint) = connected_grant(&bench, &vendor_file, "orders-db");
    let kept = grant_id(&bench.plan_on("orders-db", &vendor_file, &["vendor-role"], &[]));
    assert!(bench.apply(&kept).status.success());
    // The journal is lost (or the grant was made on another machine): only the tags remain.
    std::fs::remove_dir_all(bench.home.path().join(".local/share/vendorlink/grants").join(&grant)).expect("forget the grant");

    let calls_before = bench.emulator.calls().len();
    let out = bench.vl(&["--json", "revoke", &kept, "--by-tag", "--sandbox"]);
    assert_eq!(out.status.code(), Some(2), "a grant recorded here is revoked from its record: {}", text(&out.stdout));
    assert!(text(&out.stdout).contains(&format!("vendorlink revoke {kept}")), "{}", text(&out.stdout));
    assert_eq!(bench.emulator.calls().len(), calls_before, "refused before any AWS call");

    let out = bench.vl(&["--json", "status", &grant, "--by-tag", "--sandbox"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let found: Value = serde_json::from_slice(&out.stdout).expect("found grant");
    let kinds: Vec<&str> = found["resources"].as_array().into_iter().flatten().filter_map(|r| r["kind"].as_str()).collect();
    for kind in ["endpointService", "loadBalancer", "targetGroup", "securityGroup", "securityGroupRule", "role"] {
        assert!(kinds.contains(&kind), "{kind} is found by its tag: {kinds:?}");
    }
    assert_eq!(found["vendorId"], "datafold");
    assert!(found["resources"].as_array().into_iter().flatten().any(|r| r["consoleUrl"].as_str().is_some_and(|u| u.contains(&service))), "{found}");

    // From another region only the role (IAM is global) would go: refused, nothing removed.
    let calls_before = bench.emulator.calls().len();
    let out = bench.vl(&["--json", "revoke", &grant, "--by-tag", "--sandbox", "--region", "eu-west-1"]);
    assert_eq!(out.status.code(), Some(2), "{}{}", text(&out.stdout), text(&out.stderr));
    let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    assert!(error["error"]["message"].as_str().is_some_and(|m| m.contains("are in us-east-1, not only in eu-west-1")), "{error}");
    assert!(role_exists(&bench, &grant), "nothing was removed");
    let mutating =
        bench.emulator.calls()[calls_before..].iter().filter(|c| !c.starts_with("Describe") && !c.starts_with("List") && !c.starts_with("Get")).cloned().collect::<Vec<_>>();
    assert!(mutating.is_empty(), "only reads: {mutating:?}");

    let out = bench.vl(&["--json", "revoke", &grant, "--by-tag", "--sandbox"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let record: Value = serde_json::from_slice(&out.stdout).expect("revocation record");
    assert_eq!(record["kept"], serde_json::json!([]));
    let checks = record["checks"].as_array().expect("checks");
    assert!(!checks.is_empty() && checks.iter().all(|c| c["passed"] == true), "{checks:#?}");
    let removed: Vec<&str> = record["removed"].as_array().into_iter().flatten().filter_map(|r| r["step"].as_str()).collect();
    let first = |step: &str| removed.iter().position(|s| *s == step).unwrap_or_else(|| panic!("{step} not removed: {removed:?}"));
    let last = |step: &str| removed.iter().rposition(|s| *s == step).unwrap_or_else(|| panic!("{step} not removed: {removed:?}"));
    // The vendor's way in first, the network last; a group goes after what uses it.
    assert!(first("endpoint-principals") < first("endpoint-connections"));
    assert!(first("endpoint-connections") < first("tagged-role"));
    assert!(last("tagged-role") < first("tagged-securityGroupRule"));
    assert!(last("tagged-securityGroupRule") < first("tagged-loadBalancer"));
    assert!(first("tagged-loadBalancer") < first("tagged-targetGroup") && first("tagged-targetGroup") < first("tagged-securityGroup"));

    // The test's own proof, by its own calls.
    assert_eq!(vendor_endpoint_state(&bench, &vendor, &endpoint), "rejected", "the vendor's endpoint is cut");
    assert_eq!(bench.vendor_reaches(&endpoint)["reachable"], false);
    let allowlisted = bench.emulator.reach(serde_json::json!({ "ip": "198.51.100.2", "groups": [] }), TARGET_IP, 5432);
    assert_eq!(allowlisted["reachable"], false, "{allowlisted}");
    assert!(!role_exists(&bench, &grant), "the role is gone");
    let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
    assert!(left.is_empty(), "nothing tagged is left: {left:?}");
    assert!(role_exists(&bench, &kept), "another grant's role is untouched");
    let proof = std::fs::read_dir(bench.home.path().join(".local/share/vendorlink/grants").join(&grant)).expect("proof dir").flatten().count();
    assert_eq!(proof, 1, "the proof is kept on this machine");
    assert!(!text(&bench.vl(&["status"]).stdout).contains(&grant), "a proof alone does not make a recorded grant");

    let again = bench.vl(&["--json", "revoke", &grant, "--by-tag", "--sandbox"]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again.stdout));
    let error: Value = serde_json::from_slice(&again.stdout).expect("error JSON");
    assert_eq!(error["error"]["kind"], "notFound");
}
