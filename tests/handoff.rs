//! The handoff summary, its delivery and the audit record, through the command line against
//! the emulator; every field is checked against the test's own describe calls.

mod support;

use serde_json::Value;
use support::bench::{grant_id, Bench, DATAFOLD_ROOT};
use support::{cli, text, Receiver};

const FULL: [&str; 3] = ["private-link", "vendor-role", "ip-allowlist"];

fn applied(bench: &Bench, database: &str, address: &str) -> (String, Value) {
    let vendor = bench.datafold_from(address);
    let plan = bench.plan_on(database, &vendor, &FULL, &[]);
    let grant = grant_id(&plan);
    let out = bench.apply(&grant);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (grant, plan)
}

/// The one resource of `kind` carrying the grant's tag, found with the test's own calls (not
/// from VendorLink's journal, which could hold a wrong id).
fn tagged_one(bench: &Bench, grant: &str, kind: &str) -> String {
    match bench.tagged(grant).get(kind).map(Vec::as_slice) {
        Some([one]) => one.clone(),
        other => panic!("expected one {kind} tagged {grant}, found {other:?}"),
    }
}

#[test]
fn the_summary_says_what_aws_says_in_three_formats() {
    let bench = Bench::new();
    let (grant, plan) = applied(&bench, "analytics", "198.51.100.7");
    let out = bench.vl(&["handoff", &grant, "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("summary JSON");
    assert_eq!(summary["schema"], "vendorlink.handoff/1");

    // PrivateLink, against describe calls.
    let service_id = tagged_one(&bench, &grant, "endpointService");
    let services = bench.block_on(bench.ec2().describe_vpc_endpoint_service_configurations().service_ids(&service_id).send()).expect("service");
    let service = &services.service_configurations()[0];
    assert_eq!(summary["privateLink"]["serviceName"].as_str(), service.service_name());
    let regions: Vec<&str> = service.supported_regions().iter().filter_map(|r| r.region()).collect();
    assert_eq!(summary["privateLink"]["supportedRegions"], serde_json::json!(regions));
    assert_eq!(summary["privateLink"]["acceptanceRequired"], true);
    assert_eq!(summary["privateLink"]["allowedPrincipals"], serde_json::json!([DATAFOLD_ROOT]));
    let nlb = tagged_one(&bench, &grant, "loadBalancer");
    let lbs = bench.block_on(bench.elb().describe_load_balancers().load_balancer_arns(&nlb).send()).expect("nlb");
    let zone_names: Vec<String> = lbs.load_balancers()[0].availability_zones().iter().filter_map(|z| z.zone_name().map(str::to_owned)).collect();
    let zones = bench.block_on(bench.ec2().describe_availability_zones().set_zone_names(Some(zone_names)).send()).expect("zones");
    let mut zone_ids: Vec<&str> = zones.availability_zones().iter().filter_map(|z| z.zone_id()).collect();
    zone_ids.sort();
    assert_eq!(summary["privateLink"]["availabilityZoneIds"], serde_json::json!(zone_ids), "AZ IDs, not names");
    assert!(zone_ids.iter().all(|z| z.starts_with("use1-az")));

    // The Aurora cluster's writer and reader endpoints.
    let rds = aws_sdk_rds::Client::new(&bench.config);
    let clusters = bench.block_on(rds.describe_db_clusters().db_cluster_identifier("analytics").send()).expect("cluster");
    let cluster = &clusters.db_clusters()[0];
    assert_eq!(summary["database"]["hostnames"], serde_json::json!([{"role": "writer", "host": cluster.endpoint()}, {"role": "reader", "host": cluster.reader_endpoint()}]));
    assert_eq!(summary["database"]["port"], 5432);

    // The role, from IAM.
    let role_name = tagged_one(&bench, &grant, "role");
    let role = bench.block_on(bench.iam().get_role().role_name(&role_name).send()).expect("role");
    assert_eq!(summary["role"]["roleArn"].as_str(), role.role().map(|r| r.arn()));
    assert_eq!(summary["role"]["externalId"], plan["externalId"]);
    assert_eq!(summary["role"]["mfaRequired"], true);
    assert_eq!(summary["role"]["expires"], "2099-02-01T00:00:00Z");
    assert_eq!(
        summary["role"]["switchRoleUrl"].as_str().unwrap_or_default(),
        format!("https://signin.aws.amazon.com/switchrole?account=123456789012&roleName=vendorlink%2F{role_name}&displayName=Datafold+%40+123456789012")
    );
    assert_eq!(summary["ipAllowlist"], serde_json::json!({"ranges": ["198.51.100.7/32"], "port": 5432}));
    assert!(summary["nextSteps"].as_array().is_some_and(|s| s.len() >= 4));

    // The same content as Markdown in a file, and as a printable page.
    let path = bench.home.path().join("for-datafold.md");
    let out = bench.vl(&["handoff", &grant, "--out", &path.display().to_string()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let markdown = std::fs::read_to_string(&path).expect("markdown file");
    assert!(markdown.starts_with("# Datafold access to analytics in AWS account 123456789012"), "{markdown}");
    assert!(markdown.contains(summary["privateLink"]["serviceName"].as_str().unwrap_or("?")));
    assert!(markdown.contains(plan["externalId"].as_str().unwrap_or("?")));
    let html = text(&bench.vl(&["handoff", &grant, "--format", "html"]).stdout);
    assert!(html.starts_with("<!doctype html>") && html.contains(&role_name), "{html}");
}

#[test]
fn the_summary_is_sent_once_and_a_refusal_is_reported_without_retrying() {
    let bench = Bench::new();
    let (grant, _) = applied(&bench, "orders-db", "198.51.100.8");
    let good = Receiver::start(200);
    let out = bench.vl(&["handoff", &grant, "--send", &good.url]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("(HTTP 200)"), "{}", text(&out.stderr));
    let bodies = good.bodies();
    assert_eq!(bodies.len(), 1);
    let sent: Value = serde_json::from_str(&bodies[0]).expect("sent JSON");
    assert_eq!(sent["schema"], "vendorlink.handoff/1");
    assert_eq!(sent["grantId"], grant.as_str());

    let bad = Receiver::start(500);
    let out = bench.vl(&["--json", "handoff", &grant, "--format", "json", "--send", &bad.url]);
    assert_eq!(out.status.code(), Some(6));
    // One JSON document on stdout (the summary, printed before sending); the refusal on stderr.
    let summary: Value = serde_json::from_slice(&out.stdout).expect("exactly one JSON document");
    assert_eq!(summary["grantId"], grant.as_str());
    assert!(text(&out.stderr).contains("refused the summary with HTTP 500"), "{}", text(&out.stderr));
    assert_eq!(bad.bodies().len(), 1, "no retry storm");

    let before = bench.emulator.calls().len();
    let out = bench.vl(&["handoff", &grant, "--send", "http://vendor.example/hook"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not HTTPS"), "{}", text(&out.stderr));
    assert_eq!(bench.emulator.calls().len(), before, "refused before any AWS call");
}

#[test]
fn the_audit_record_lists_each_run_with_who_when_and_request_ids() {
    let bench = Bench::new();
    let (grant, _) = applied(&bench, "orders-db", "198.51.100.9");
    assert!(bench.vl(&["revoke", &grant]).status.success());
    let out = bench.vl(&["audit", &grant]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let entries: Vec<Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(entries.len(), 2);
    assert_eq!((entries[0]["command"].as_str(), entries[0]["outcome"].as_str()), (Some("apply"), Some("applied")));
    assert_eq!((entries[1]["command"].as_str(), entries[1]["outcome"].as_str()), (Some("revoke"), Some("revoked")));
    for entry in &entries {
        assert!(entry["caller"].as_str().is_some_and(|c| c.starts_with("arn:aws:")), "{entry}");
        assert!(entry["startedAt"].as_str().is_some_and(|t| t.ends_with('Z')) && entry["finishedAt"].as_str().is_some());
    }
    let calls = entries[0]["calls"].as_array().expect("calls");
    assert_eq!(calls.len(), 15);
    assert!(
        calls.iter().all(|c| c["result"] == "created" && c["requestId"].as_str().is_some_and(|r| !r.is_empty()) && c["action"].as_str().is_some_and(|a| a.contains(':'))),
        "{calls:#?}"
    );
    assert!(entries[1]["calls"].as_array().is_some_and(|c| c.iter().any(|c| c["action"] == "iam:DeleteRole" && c["result"] == "deleted")));
}

/// A canary secret in the keychain and in the environment reaches no file, output or message.
#[test]
fn no_secret_reaches_a_journal_summary_record_or_output() {
    let bench = Bench::new();
    let canary_secret = "CANARYcanary0123456789CANARYcanary012345";
    let canary_token = "CANARYsessiontoken0123456789";
    let name = format!("canary-{}", std::process::id());
    let add = cli(&bench.home, &[], &["keychain", "add", &name, "--access-key-id", "AKIACANARY0000000001", "--region", "us-east-1"], &format!("{canary_secret}\n"));
    assert!(add.status.success(), "keychain add (is a Secret Service running?): {}", text(&add.stderr));
    let env = [
        ("AWS_ENDPOINT_URL", bench.emulator.endpoint.as_str()),
        ("AWS_SECRET_ACCESS_KEY", canary_secret),
        ("AWS_SESSION_TOKEN", canary_token),
        ("VENDORLINK_TEST_ALLOW_LOOPBACK", "1"),
    ];
    let vendor = bench.datafold_from("198.51.100.10");
    let receiver = Receiver::start(200);
    let summary_file = bench.home.path().join("summary.html");
    let mut outputs = Vec::new();
    let mut run = |args: &[&str]| {
        let out = cli(&bench.home, &env, args, "");
        assert!(out.status.success(), "{args:?}: {}{}", text(&out.stdout), text(&out.stderr));
        outputs.push(format!("{}{}", text(&out.stdout), text(&out.stderr)));
        out
    };
    let plan = run(&[
        "--json",
        "plan",
        "--keychain",
        &name,
        "--vendor",
        &vendor,
        "--database",
        "orders-db",
        "--part",
        "private-link",
        "--part",
        "vendor-role",
        "--part",
        "ip-allowlist",
        "--target-ip",
        "10.20.1.15",
        "--drop-pass-role",
    ]);
    let grant = grant_id(&serde_json::from_slice(&plan.stdout).expect("plan"));
    // Apply with every debug event on standard error, the AWS SDK's included.
    let apply = cli(&bench.home, &[env[0], env[1], env[2], env[3], ("RUST_LOG", "debug")], &["apply", &grant], "");
    assert!(apply.status.success(), "{}", text(&apply.stderr));
    assert!(text(&apply.stderr).contains("DEBUG"), "RUST_LOG=debug printed no debug event");
    let debug_output = format!("{}{}", text(&apply.stdout), text(&apply.stderr));
    run(&["handoff", &grant, "--format", "html", "--out", &summary_file.display().to_string(), "--send", &receiver.url]);
    run(&["handoff", &grant, "--format", "markdown"]);
    run(&["status", &grant]);
    run(&["audit", &grant]);
    run(&["revoke", &grant]);
    // One run signs its calls with environment credentials that carry the canaries: a profile
    // with a region only, so the SDK's own chain takes key id, secret and session token from
    // the environment.
    bench.home.aws_files("[default]\nregion = us-east-1\n", "");
    let env_run = cli(&bench.home, &[("AWS_ACCESS_KEY_ID", "AKIACANARY0000000002"), env[0], env[1], env[2]], &["--json", "whoami", "--profile", "default"], "");
    assert!(env_run.status.success(), "{}", text(&env_run.stderr));
    let who: Value = serde_json::from_slice(&env_run.stdout).expect("identity");
    assert_eq!(who["account"], "123456789012", "the environment's credentials were used: {who}");
    outputs.push(format!("{}{}", text(&env_run.stdout), text(&env_run.stderr)));
    for canary in [canary_secret, canary_token] {
        assert_eq!(bench.home.files_containing(canary), Vec::<std::path::PathBuf>::new(), "a file holds the canary");
        assert!(outputs.iter().all(|o| !o.contains(canary)), "an output holds the canary");
        assert!(!debug_output.contains(canary), "RUST_LOG=debug output holds the canary");
        assert!(receiver.bodies().iter().all(|b| !b.contains(canary)), "the sent summary holds the canary");
    }
    assert!(bench.home.files_containing(&grant).len() >= 4, "the scan did look at the journal, plan, summary and log");
    let log = std::fs::read_to_string(bench.home.log_file()).expect("the diagnostic log");
    assert!(log.contains(&grant) && log.contains("iam:CreateRole"), "the log records the runs' journal events:\n{log}");
    let _ = cli(&bench.home, &[], &["keychain", "remove", &name], "");
}
