//! An SSH bastion for the vendor's tunnel (seeds 000 and 002; docs/aws-rules.md R20), against
//! the emulator: launched in the sandbox's public subnet with the vendor's key (IMDSv2 only, no
//! role, SSH only from the vendor's addresses, the key limited to forwarding to the database),
//! its host key fingerprints handed over once its first boot printed them, revoked with proof;
//! or the admin's own host, opened to the database only. Every result is checked with the test's
//! own describe calls.

mod support;

use aws_sdk_ec2::types::Filter;
use base64::Engine as _;
use serde_json::Value;
use support::bench::{grant_id, Bench};
use support::text;

/// A real key from `ssh-keygen -t ed25519 -C datafold-tunnel`, and what `ssh-keygen -l` prints for it.
const VENDOR_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMNvlBVAhmhpWg68/TnXeblC+mt5eHV4dWlNzKBIzxa0 datafold-tunnel";
const VENDOR_KEY_FINGERPRINT: &str = "SHA256:0bw/DHCWjERvkjpZAlZ3/WWvxiII08lk52dW65XRrtI";
/// Datafold's published addresses (its preset), the only sources SSH is admitted from.
const DATAFOLD_RANGES: [&str; 6] = ["23.23.71.47/32", "35.166.223.86/32", "52.11.132.23/32", "54.71.177.163/32", "54.185.25.103/32", "54.210.34.216/32"];

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("JSON expected: {}{}", text(&out.stdout), text(&out.stderr)))
}

fn key_file(bench: &Bench, name: &str, line: &str) -> String {
    let path = bench.home.path().join(name);
    std::fs::write(&path, format!("{line}\n")).expect("key file");
    path.display().to_string()
}

fn plan_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--json", "plan", "--sandbox", "--vendor", "datafold", "--database", "orders-db", "--part", "ssh-bastion"];
    args.extend(extra);
    args
}

/// The grant's instances that are not terminated: (id, state).
fn instances(bench: &Bench, grant: &str) -> Vec<(String, String)> {
    let out = bench.block_on(bench.ec2().describe_instances().filters(Filter::builder().name("tag:vendorlink:grant").values(grant).build()).send()).expect("instances");
    out.reservations()
        .iter()
        .flat_map(|r| r.instances())
        .map(|i| (i.instance_id().unwrap_or_default().to_owned(), i.state().and_then(|s| s.name()).map(|n| n.as_str().to_owned()).unwrap_or_default()))
        .filter(|(_, state)| state != "terminated")
        .collect()
}

/// Inbound rules of a group: (port, cidr or source group).
fn rules_of(bench: &Bench, group: &str) -> Vec<(i32, String)> {
    let out = bench.block_on(bench.ec2().describe_security_group_rules().filters(Filter::builder().name("group-id").values(group).build()).send()).expect("rules");
    let mut rules: Vec<(i32, String)> = out
        .security_group_rules()
        .iter()
        .filter(|r| r.is_egress() == Some(false))
        .map(|r| {
            (
                r.from_port().unwrap_or_default(),
                r.cidr_ipv4().map(str::to_owned).or_else(|| r.referenced_group_info().and_then(|g| g.group_id()).map(str::to_owned)).unwrap_or_default(),
            )
        })
        .collect();
    rules.sort();
    rules
}

#[test]
fn a_bastion_is_launched_locked_down_handed_over_with_its_host_keys_and_revoked_with_proof() {
    let bench = Bench::new();
    let key = key_file(&bench, "datafold.pub", VENDOR_KEY);
    let plan = json(&bench.vl(&plan_args(&["--bastion-key-file", &key])));
    let grant = grant_id(&plan);
    let steps: Vec<&str> = plan["steps"].as_array().expect("steps").iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(steps, ["bastion-sg", "bastion-ssh", "bastion", "db-sg-from-bastion"]);
    let summary = plan["steps"][2]["summary"].as_str().unwrap_or_default();
    assert!(summary.contains(VENDOR_KEY_FINGERPRINT), "the review names the key by its fingerprint: {summary}");

    let out = bench.apply(&grant);
    assert!(out.status.success(), "apply: {}{}", text(&out.stdout), text(&out.stderr));
    let running = instances(&bench, &grant);
    assert_eq!(running.len(), 1, "{running:?}");
    let (id, state) = &running[0];
    assert_eq!(state, "running");
    let described = bench.block_on(bench.ec2().describe_instances().instance_ids(id).send()).expect("describe");
    let instance = &described.reservations()[0].instances()[0];
    assert_eq!(instance.metadata_options().and_then(|m| m.http_tokens()).map(|t| t.as_str()), Some("required"), "IMDSv2 only");
    assert!(instance.iam_instance_profile().is_none(), "no instance role");
    assert!(instance.public_ip_address().is_some(), "reachable from the vendor");
    let kind = instance.instance_type().map(|t| t.as_str().to_owned()).unwrap_or_default();
    assert!(["t4g.nano", "t3.nano"].contains(&kind.as_str()), "{kind}");
    // The image is the latest Amazon Linux 2023 of the type's architecture, as AWS's public parameter names it.
    let arch = if kind.starts_with("t4g") { "arm64" } else { "x86_64" };
    let ssm = aws_sdk_ssm::Client::new(&bench.config);
    let latest = bench.block_on(ssm.get_parameter().name(format!("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{arch}")).send()).expect("parameter");
    assert_eq!(instance.image_id(), latest.parameter().and_then(|p| p.value()));
    // In the public subnet, with only its own group.
    let subnets = bench.block_on(bench.ec2().describe_subnets().filters(Filter::builder().name("tag:Name").values("prod-data-public-a").build()).send()).expect("subnets");
    assert_eq!(instance.subnet_id(), subnets.subnets()[0].subnet_id());
    let groups: Vec<String> = instance.security_groups().iter().filter_map(|g| g.group_id().map(str::to_owned)).collect();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let bastion_group = groups[0].clone();
    let mut ssh: Vec<(i32, String)> = DATAFOLD_RANGES.iter().map(|r| (22, r.to_string())).collect();
    ssh.sort();
    assert_eq!(rules_of(&bench, &bastion_group), ssh, "SSH only, from the vendor's addresses only");
    assert!(rules_of(&bench, &bench.db_group()).contains(&(5432, bastion_group.clone())), "the database admits the bastion's group on its port");
    // The first boot's script: the vendor's key may only forward to the database.
    let attribute =
        bench.block_on(bench.ec2().describe_instance_attribute().instance_id(id).attribute(aws_sdk_ec2::types::InstanceAttributeName::UserData).send()).expect("user data");
    let script = attribute
        .user_data()
        .and_then(|u| u.value())
        .map(|v| String::from_utf8(base64::engine::general_purpose::STANDARD.decode(v).expect("base64")).expect("utf-8"))
        .unwrap_or_default();
    assert!(script.contains(&format!("restrict,port-forwarding,permitopen=\"orders-db.aaaaaaaaaa.us-east-1.rds.amazonaws.com:5432\" {VENDOR_KEY}")), "{script}");
    assert!(script.contains("PermitListen none") && script.contains("ForceCommand /sbin/nologin"), "{script}");

    // The host keys: not printed yet while the instance boots (its console is empty), then read.
    let console = |settings: Value| {
        let answer = reqwest::blocking::Client::new().post(format!("{}/_emulator/console-output", bench.emulator.endpoint)).json(&settings).send().expect("control");
        assert!(answer.status().is_success());
    };
    console(serde_json::json!({"instance": id, "empty_calls": 100}));
    let first = json(&bench.vl(&["--json", "handoff", &grant]));
    assert_eq!(first["bastion"]["hostKeyFingerprints"], serde_json::json!([]), "{first:#}");
    assert!(first["bastion"]["fingerprintsNote"].as_str().is_some_and(|n| n.contains("Not available yet")), "{first:#}");
    console(serde_json::json!({"instance": id, "empty_calls": 0}));
    let summary = json(&bench.vl(&["--json", "handoff", &grant]));
    let host_keys: Value = reqwest::blocking::get(format!("{}/_emulator/host-keys?instance={id}", bench.emulator.endpoint)).expect("host keys").json().expect("json");
    let expected: Vec<String> = host_keys["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| format!("{} ({})", k["fingerprint"].as_str().unwrap_or_default(), k["label"].as_str().unwrap_or_default()))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(summary["bastion"]["hostKeyFingerprints"], serde_json::json!(expected), "{summary:#}");
    assert_eq!(summary["bastion"]["user"], "vl-datafold");
    assert_eq!(summary["bastion"]["port"], 22);
    assert_eq!(summary["bastion"]["forwardToPort"], 5432);
    assert_eq!(summary["bastion"]["host"].as_str(), instance.public_dns_name().filter(|d| !d.is_empty()).or(instance.public_ip_address()));

    // IMDSv1 turned back on by hand shows as drift.
    let status = json(&bench.vl(&["--json", "status", &grant]));
    assert_eq!(status["drift"], serde_json::json!([]), "{status:#}");
    bench.block_on(bench.ec2().modify_instance_metadata_options().instance_id(id).http_tokens(aws_sdk_ec2::types::HttpTokensState::Optional).send()).expect("IMDSv1 on");
    let status = json(&bench.vl(&["--json", "status", &grant]));
    assert!(
        status["drift"].as_array().expect("drift").iter().any(|d| d["step"] == "bastion" && d["kind"] == "setting" && d["detail"].as_str().is_some_and(|t| t.contains("IMDSv1"))),
        "{status:#}"
    );

    let out = bench.vl(&["--json", "revoke", &grant, "--access-only"]);
    assert!(out.status.success(), "revoke: {}{}", text(&out.stdout), text(&out.stderr));
    let record = json(&out);
    let checks = record["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["passed"] == true), "{record:#}");
    for claim in [format!("Bastion instance {id} is terminated"), format!("security group {bastion_group} no longer exists"), format!("admits the bastion's group {bastion_group}")]
    {
        assert!(checks.iter().any(|c| c["check"].as_str().is_some_and(|t| t.contains(&claim))), "{claim} in {record:#}");
    }
    assert_eq!(instances(&bench, &grant), [], "terminated, even when only access is revoked: it is the access");
    assert!(!rules_of(&bench, &bench.db_group()).iter().any(|(_, from)| *from == bastion_group));
}

#[test]
fn a_bastion_that_would_open_more_is_refused_before_any_change() {
    let bench = Bench::new();
    let before = bench.emulator.calls().len();
    let options = key_file(&bench, "options.pub", &format!("command=\"/bin/sh\" {VENDOR_KEY}"));
    bench.refused(&plan_args(&["--bastion-key-file", &options]), "bastion.publicKey", "starts with options");
    let two = key_file(&bench, "two.pub", &format!("{VENDOR_KEY}\n{VENDOR_KEY}"));
    bench.refused(&plan_args(&["--bastion-key-file", &two]), "bastion.publicKey", "more than one line");
    let private = bench.block_on(bench.ec2().describe_subnets().filters(Filter::builder().name("tag:Name").values("prod-data-private-a").build()).send()).expect("subnets");
    let private = private.subnets()[0].subnet_id().expect("subnet").to_owned();
    let key = key_file(&bench, "datafold.pub", VENDOR_KEY);
    bench.refused(&plan_args(&["--bastion-key-file", &key, "--bastion-subnet", &private]), "bastion.subnetId", "is not public");
    let unknown_group = plan_args(&["--bastion-host", "bastion.example.com", "--bastion-user", "datafold", "--bastion-group", "sg-0000000a"]);
    bench.refused(&unknown_group, "bastion.existing.securityGroupId", "No security group sg-0000000a");
    bench.refused(
        &plan_args(&["--bastion-host", "bastion example", "--bastion-user", "Data Fold", "--bastion-group", "sg-0000000a"]),
        "bastion.existing.user",
        "is not a Linux user name",
    );
    let changed: Vec<String> =
        bench.emulator.calls()[before..].iter().filter(|c| ["RunInstances", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress"].contains(&c.as_str())).cloned().collect();
    assert_eq!(changed, Vec::<String>::new(), "every refusal came before any change");

    // A launch AWS refuses rolls back the group and its rule.
    let grant = grant_id(&json(&bench.vl(&plan_args(&["--bastion-key-file", &key]))));
    bench.emulator.fault("RunInstances", "http500", 10);
    let out = bench.apply(&grant);
    bench.emulator.clear_faults();
    assert!(!out.status.success(), "apply must fail: {}", text(&out.stdout));
    let groups = bench.block_on(bench.ec2().describe_security_groups().filters(Filter::builder().name("tag:vendorlink:grant").values(&grant).build()).send()).expect("groups");
    assert_eq!(groups.security_groups().len(), 0, "the bastion's group is removed again");
    assert_eq!(instances(&bench, &grant), []);
}

#[test]
fn an_apply_killed_at_every_journal_boundary_resumes_to_one_bastion() {
    let bench = Bench::new();
    let key = key_file(&bench, "datafold.pub", VENDOR_KEY);
    // RunStarted, then Calling + Created for the group, its SSH rule, the instance and the database's rule.
    for n in 1..=9 {
        let grant = grant_id(&json(&bench.vl(&plan_args(&["--bastion-key-file", &key]))));
        assert!(bench.kill_at(&["apply", &grant], n), "apply finished before journal record {n}");
        let resumed = bench.vl(&["resume", &grant]);
        assert!(resumed.status.success(), "resume after a kill before record {n}: {}{}", text(&resumed.stdout), text(&resumed.stderr));
        let running = instances(&bench, &grant);
        assert_eq!(running.len(), 1, "one bastion after a kill before record {n}: {running:?}");
        let out = bench.vl(&["--json", "revoke", &grant]);
        assert!(out.status.success() && json(&out)["checks"].as_array().expect("checks").iter().all(|c| c["passed"] == true), "revoke after record {n}: {}", text(&out.stdout));
        assert_eq!(instances(&bench, &grant), [], "after record {n}");
    }
}

#[test]
fn the_admins_own_bastion_is_opened_to_the_database_only_and_handed_over() {
    let bench = Bench::new();
    let vpc = bench.prod_vpc();
    let group = bench.block_on(bench.ec2().create_security_group().group_name("ops-bastion").description("Our bastion").vpc_id(&vpc).send()).expect("group").group_id.expect("id");
    let grant = grant_id(&json(&bench.vl(&plan_args(&["--bastion-host", "bastion.example.com", "--bastion-user", "datafold", "--bastion-group", &group]))));
    let out = bench.apply(&grant);
    assert!(out.status.success(), "apply: {}{}", text(&out.stdout), text(&out.stderr));
    assert!(rules_of(&bench, &bench.db_group()).contains(&(5432, group.clone())));
    assert_eq!(instances(&bench, &grant), [], "nothing launched");
    let summary = json(&bench.vl(&["--json", "handoff", &grant]));
    assert_eq!(summary["bastion"]["host"], "bastion.example.com");
    assert_eq!(summary["bastion"]["user"], "datafold");
    assert!(summary["bastion"]["fingerprintsNote"].as_str().is_some_and(|n| n.contains("Your own host")), "{summary:#}");
    let out = bench.vl(&["--json", "revoke", &grant]);
    assert!(out.status.success() && json(&out)["checks"].as_array().expect("checks").iter().all(|c| c["passed"] == true), "{}", text(&out.stdout));
    assert!(!rules_of(&bench, &bench.db_group()).iter().any(|(_, from)| *from == group));
    assert_eq!(rules_of(&bench, &group), [], "the admin's own group is left as it was");
}
