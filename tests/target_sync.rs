//! "Keep targets in sync" on the private-link part (docs/aws-rules.md R22), against the
//! emulator: the function, its role, its log group and the two rules that run it are made with
//! the documented scoping (checked by the test's own describe calls, and the role's policy by an
//! IAM evaluator no one here wrote); the handler VendorLink ships, run as Lambda would run it on
//! an RDS failover event, moves the targets from the old address to the new one; revoke removes
//! it all and proves it.

mod support;

use serde_json::{json, Value};
use support::bench::{grant_id, Bench};
use support::iam::{evaluate, read_role, Ask};
use support::target_sync::{failover_event, run_handler, targets, write_log};
use support::{text, EMULATOR_ACCOUNT};

const OLD_IP: &str = "10.20.1.15";
const NEW_IP: &str = "10.20.2.25";

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("JSON expected: {}{}", text(&out.stdout), text(&out.stderr)))
}

fn plan_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--json", "plan", "--sandbox", "--vendor", "datafold", "--database", "orders-db", "--part", "private-link", "--target-ip", OLD_IP, "--sync-targets"];
    args.extend(extra);
    args
}

/// The grant's sync function, found by its tag in Lambda's own listing.
fn sync_function(bench: &Bench, lambda: &aws_sdk_lambda::Client, grant: &str) -> String {
    let listed = bench.block_on(lambda.list_functions().send()).expect("functions");
    let ours: Vec<String> = listed
        .functions()
        .iter()
        .filter(|f| {
            let tags = bench.block_on(lambda.list_tags().resource(f.function_arn().unwrap_or_default()).send()).expect("tags");
            tags.tags().and_then(|t| t.get("vendorlink:grant")).map(String::as_str) == Some(grant)
        })
        .filter_map(|f| f.function_name().map(str::to_owned))
        .collect();
    assert_eq!(ours.len(), 1, "one sync function carries the grant's tag: {ours:?}");
    ours[0].clone()
}

/// Whether each event matches the pattern, by moto's implementation of EventBridge's matching.
fn matches(pattern: &Value, events: &[Value]) -> Vec<bool> {
    let python = std::env::var("VENDORLINK_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = "import json, sys\nfrom moto.events.models import EventPattern\ngiven = json.load(sys.stdin)\npattern = EventPattern.load(json.dumps(given['pattern']))\nprint(json.dumps([pattern.matches_event(e) for e in given['events']]))";
    let mut child = std::process::Command::new(python).args(["-c", script]).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn().expect("python");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), json!({ "pattern": pattern, "events": events }).to_string().as_bytes()).expect("write");
    let out = child.wait_with_output().expect("matcher");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("the matcher's answer: {}", text(&out.stdout)))
}

#[test]
fn the_sync_is_deployed_scoped_to_its_target_group_moves_targets_on_a_failover_and_goes_with_the_grant() {
    let bench = Bench::new();
    let plan = json(&bench.vl(&plan_args(&[])));
    let grant = grant_id(&plan);
    let steps: Vec<&str> = plan["steps"].as_array().expect("steps").iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(&steps[steps.len() - 5..], ["sync-role", "sync-role-policy", "sync-function", "sync-events", "sync-schedule"]);
    let out = bench.apply(&grant);
    assert!(out.status.success(), "apply: {}{}", text(&out.stdout), text(&out.stderr));
    let target_group = bench.tagged(&grant)["targetGroup"].first().cloned().expect("the grant's target group, by its tag");
    assert_eq!(targets(&bench, &target_group), [OLD_IP]);

    // The function, as Lambda describes it: VendorLink's handler, its own role, the grant's target group.
    let lambda = aws_sdk_lambda::Client::new(&bench.config);
    let function = sync_function(&bench, &lambda, &grant);
    let got = bench.block_on(lambda.get_function().function_name(&function).send()).expect("function");
    let config = got.configuration().expect("configuration");
    assert_eq!(config.handler(), Some("handler.handler"));
    assert!(config.runtime().is_some_and(|r| r.as_str().starts_with("python3")), "{config:?}");
    let environment: Value = serde_json::to_value(config.environment().and_then(|e| e.variables()).cloned().unwrap_or_default()).expect("variables");
    assert_eq!(environment, json!({ "TARGET_GROUP_ARN": target_group, "DB_HOST": "orders-db.aaaaaaaaaa.us-east-1.rds.amazonaws.com", "DB_PORT": "5432" }));
    let role_name = config.role().and_then(|r| r.rsplit('/').next()).expect("role").to_owned();
    assert_eq!(got.tags().and_then(|t| t.get("vendorlink:grant")).map(String::as_str), Some(grant.as_str()));

    // Its rules: the database's own RDS events, and a 5-minute schedule, each invoking it.
    let events = aws_sdk_eventbridge::Client::new(&bench.config);
    let rules = bench.block_on(events.list_rules().name_prefix(function.trim_end_matches("-sync")).send()).expect("rules");
    let mut rule_arns = Vec::new();
    let (mut pattern, mut schedule) = (None, None);
    for rule in rules.rules() {
        let name = rule.name().expect("name");
        let targets = bench.block_on(events.list_targets_by_rule().rule(name).send()).expect("targets");
        assert_eq!(targets.targets().iter().map(|t| t.arn()).collect::<Vec<_>>(), [config.function_arn().expect("arn")], "{name}");
        assert_eq!(rule.state().map(|s| s.as_str()), Some("ENABLED"));
        rule_arns.push(rule.arn().expect("arn").to_owned());
        pattern = pattern.or(rule.event_pattern().map(|p| serde_json::from_str::<Value>(p).expect("pattern")));
        schedule = schedule.or(rule.schedule_expression().map(str::to_owned));
    }
    assert_eq!(rule_arns.len(), 2, "{rules:?}");
    let pattern = pattern.expect("an event rule");
    assert_eq!(pattern["source"], json!(["aws.rds"]));
    assert_eq!(pattern["detail"]["SourceArn"], json!([format!("arn:aws:rds:us-east-1:{EMULATOR_ACCOUNT}:db:orders-db")]), "this database's events only");
    assert!(pattern["detail"]["EventCategories"].as_array().expect("categories").contains(&json!("failover")));
    assert_eq!(schedule.as_deref(), Some("rate(5 minutes)"));
    // Judged by EventBridge's pattern matching as moto implements it: RDS's failover event for
    // orders-db matches; the same event of another database does not.
    let mut other = failover_event();
    other["detail"]["SourceArn"] = json!(format!("arn:aws:rds:us-east-1:{EMULATOR_ACCOUNT}:db:staging-mysql"));
    other["detail"]["SourceIdentifier"] = json!("staging-mysql");
    assert_eq!(matches(&pattern, &[failover_event(), other]), [true, false]);
    // Only those two rules may invoke it.
    let policy = bench.block_on(lambda.get_policy().function_name(&function).send()).expect("function policy");
    let policy: Value = serde_json::from_str(policy.policy().expect("policy")).expect("json");
    let mut sources: Vec<String> = policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| {
            assert_eq!(s["Principal"]["Service"], "events.amazonaws.com", "{s}");
            s["Condition"]["ArnLike"]["AWS:SourceArn"].as_str().expect("source arn").to_owned()
        })
        .collect();
    sources.sort();
    rule_arns.sort();
    assert_eq!(sources, rule_arns);

    // The role, as IAM would judge it: Lambda alone assumes it; it moves targets of the grant's
    // target group only and writes its own log only.
    let (role_arn, trust, policies) = read_role(&bench, &role_name);
    assert_eq!(trust["Statement"][0]["Principal"], json!({ "Service": "lambda.amazonaws.com" }));
    let other_group = format!("arn:aws:elasticloadbalancing:us-east-1:{EMULATOR_ACCOUNT}:targetgroup/someone-elses/0123456789abcdef");
    let own_log = format!("arn:aws:logs:us-east-1:{EMULATOR_ACCOUNT}:log-group:/aws/lambda/{function}:log-stream:2026/11/27/abc");
    let other_log = format!("arn:aws:logs:us-east-1:{EMULATOR_ACCOUNT}:log-group:/aws/lambda/payments:log-stream:x");
    let ask = |action: &'static str, resource: &str| Ask {
        principal: format!("arn:aws:sts::{EMULATOR_ACCOUNT}:assumed-role/{role_name}/{function}"),
        action,
        resource: resource.into(),
        context: json!({}),
        identity: policies.clone(),
        resource_policy: None,
    };
    let answers = evaluate(&[
        ask("elasticloadbalancing:RegisterTargets", &target_group),
        ask("elasticloadbalancing:DeregisterTargets", &target_group),
        ask("elasticloadbalancing:RegisterTargets", &other_group),
        ask("elasticloadbalancing:DeleteTargetGroup", &target_group),
        ask("logs:PutLogEvents", &own_log),
        ask("logs:PutLogEvents", &other_log),
        ask("ec2:RunInstances", "*"),
        ask("iam:PassRole", &role_arn),
    ]);
    assert_eq!(answers, ["Allowed", "Allowed", "ImplicitlyDenied", "ImplicitlyDenied", "Allowed", "ImplicitlyDenied", "ImplicitlyDenied", "ImplicitlyDenied"]);

    // A failover: the name now answers another address. The shipped handler moves the targets.
    let variables = json!({ "TARGET_GROUP_ARN": target_group, "DB_HOST": "orders-db.aaaaaaaaaa.us-east-1.rds.amazonaws.com", "DB_PORT": "5432" });
    let failed = run_handler(&bench, &variables, &failover_event(), None);
    assert!(failed.is_err(), "a failed lookup fails the run: {failed:?}");
    assert_eq!(targets(&bench, &target_group), [OLD_IP], "and moves nothing");
    let (moved, logged) = run_handler(&bench, &variables, &failover_event(), Some(NEW_IP)).expect("the handler");
    assert_eq!(moved, json!({ "resolved": [NEW_IP], "registered": [NEW_IP], "deregistered": [OLD_IP] }));
    assert_eq!(logged.len(), 2, "one log line per change: {logged:?}");
    assert_eq!(targets(&bench, &target_group), [NEW_IP]);
    let calls = bench.emulator.calls();
    let register = calls.iter().rposition(|c| c == "RegisterTargets").expect("registered");
    let deregister = calls.iter().rposition(|c| c == "DeregisterTargets").expect("deregistered");
    assert!(register < deregister, "the new address is registered before the old one goes");
    let (again, checked) = run_handler(&bench, &variables, &json!({ "detail-type": "Scheduled Event", "source": "aws.events" }), Some(NEW_IP)).expect("the handler");
    assert_eq!(again["registered"], json!([]), "a scheduled run with nothing to do changes nothing");
    assert_eq!(checked.len(), 1, "and says so in one line: {checked:?}");
    // Lambda's runtime writes what the function prints to its log group, between its own
    // START/END/REPORT lines; status shows the function's newest line, in words.
    let logs = aws_sdk_cloudwatchlogs::Client::new(&bench.config);
    let runtime = |lines: &[String]| -> Vec<String> {
        let mut all = vec!["START RequestId: 8f5a Version: $LATEST".to_owned()];
        all.extend_from_slice(lines);
        all.extend(["END RequestId: 8f5a".to_owned(), "REPORT RequestId: 8f5a\tDuration: 412.03 ms".to_owned()]);
        all
    };
    let group = write_log(&bench, &function, &runtime(&logged));
    let status = json(&bench.vl(&["--json", "status", &grant, "--target-ip", NEW_IP]));
    assert!(!status["drift"].as_array().expect("drift").iter().any(|d| d["kind"] == "targets"), "{status:#}");
    assert_eq!(status["lastSync"]["summary"], format!("Deregistered {OLD_IP}:5432 after RDS event RDS-EVENT-0049: the database no longer answers there."), "{status:#}");
    std::thread::sleep(std::time::Duration::from_millis(5));
    write_log(&bench, &function, &runtime(&checked));
    let status = json(&bench.vl(&["--json", "status", &grant, "--target-ip", NEW_IP]));
    assert_eq!(status["lastSync"]["summary"], format!("Checked on its 5-minute schedule: the targets already are {NEW_IP}; nothing changed."), "{status:#}");
    // The tag scan (status, the org view, the revoke proof) sees the function, its log group and
    // both rules by their tags, and knows each as the grant's own.
    let tagged = status["tagged"].as_array().expect("tagged");
    let ids = |kind: &str| -> Vec<&str> { tagged.iter().filter(|r| r["kind"] == kind).filter_map(|r| r["id"].as_str()).collect() };
    assert_eq!(ids("function"), [function.as_str()], "{status:#}");
    assert_eq!(ids("logGroup"), [group.as_str()], "{status:#}");
    assert_eq!(ids("eventRule").len(), 2, "{status:#}");
    assert!(ids("role").contains(&role_name.as_str()), "{status:#}");
    assert_eq!(status["untracked"], json!([]), "{status:#}");
    // Without the database's address at hand, status does not expect the journal's old one:
    // the function owns the targets now.
    let status = json(&bench.vl(&["--json", "status", &grant]));
    assert!(!status["drift"].as_array().expect("drift").iter().any(|d| d["kind"] == "targets"), "{status:#}");

    // A rule disabled by hand is drift.
    bench.block_on(events.disable_rule().name(function.replace("-sync", "-schedule")).send()).expect("disable");
    let status = json(&bench.vl(&["--json", "status", &grant, "--target-ip", NEW_IP]));
    assert!(status["drift"].as_array().expect("drift").iter().any(|d| d["step"] == "sync-schedule" && d["detail"].as_str().is_some_and(|t| t.contains("DISABLED"))), "{status:#}");

    let out = bench.vl(&["--json", "revoke", &grant]);
    assert!(out.status.success(), "revoke: {}{}", text(&out.stdout), text(&out.stderr));
    let record = json(&out);
    let checks = record["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["passed"] == true), "{record:#}");
    for claim in [
        format!("Function {function} no longer exists"),
        "EventBridge rule".to_owned(),
        format!("role {role_name} no longer exists"),
        "functions, their log groups, event rules".to_owned(),
    ] {
        assert!(checks.iter().any(|c| c["check"].as_str().is_some_and(|t| t.contains(&claim))), "{claim} in {record:#}");
    }
    assert!(bench.block_on(lambda.get_function().function_name(&function).send()).is_err(), "the test's own call: the function is gone");
    assert!(bench.block_on(events.list_rules().name_prefix(function.trim_end_matches("-sync")).send()).expect("rules").rules().is_empty());
    let groups = bench.block_on(logs.describe_log_groups().log_group_name_prefix(format!("/aws/lambda/{function}")).send()).expect("log groups");
    assert!(groups.log_groups().is_empty(), "{groups:?}");
}

#[test]
fn an_apply_killed_at_each_sync_boundary_resumes_to_one_function_and_two_rules() {
    let bench = Bench::new();
    let lambda = aws_sdk_lambda::Client::new(&bench.config);
    let events = aws_sdk_eventbridge::Client::new(&bench.config);
    // Each of the sync's 5 steps is killed before its "calling" and before its "created"
    // record: by step, since the sync runs beside the load balancer's steps.
    let boundaries = ["sync-role", "sync-role-policy", "sync-function", "sync-events", "sync-schedule"].into_iter().flat_map(|s| [format!("{s}:calling"), format!("{s}:created")]);
    for n in boundaries {
        let grant = grant_id(&json(&bench.vl(&plan_args(&[]))));
        assert!(bench.kill_before(&["apply", &grant], &n), "apply finished before {n}");
        let resumed = bench.vl(&["resume", &grant]);
        assert!(resumed.status.success(), "resume after a kill before record {n}: {}{}", text(&resumed.stdout), text(&resumed.stderr));
        let function = sync_function(&bench, &lambda, &grant);
        let rules = bench.block_on(events.list_rules().name_prefix(function.trim_end_matches("-sync")).send()).expect("rules");
        assert_eq!(rules.rules().len(), 2, "after record {n}");
        for rule in rules.rules() {
            let targets = bench.block_on(events.list_targets_by_rule().rule(rule.name().expect("name")).send()).expect("targets");
            assert_eq!(targets.targets().len(), 1, "after record {n}");
        }
        let out = bench.vl(&["--json", "revoke", &grant]);
        assert!(out.status.success() && json(&out)["checks"].as_array().expect("checks").iter().all(|c| c["passed"] == true), "revoke after record {n}: {}", text(&out.stdout));
    }
}
