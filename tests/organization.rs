//! Grants across an AWS Organization, from the management account's credentials, against the
//! sandbox's organization (tests/emulator/sandbox_seed.py: member accounts "analytics" with
//! events-db in eu-west-1, "payments" with ledger-db in us-west-2, and "legacy-invited", which
//! has no OrganizationAccountAccessRole, as an invited account would not). The emulator's
//! AssumeRole follows AWS's rule that the role must exist and trust the caller
//! (docs/aws-rules.md R15). Every resource is checked with the test's own calls, made in the
//! member account through the same role.

mod support;

use aws_sdk_ec2::types::Filter;
use serde_json::Value;
use support::bench::{grant_id, Bench, GRANT_TAG};
use support::text;

/// The management account: the sandbox's own.
const MANAGEMENT: &str = "123456789012";
/// events-db's address in the analytics account (its hostname does not resolve here).
const EVENTS_DB_IP: &str = "10.60.1.20";

fn tagged_load_balancers(bench: &Bench, config: &aws_config::SdkConfig, grant: &str) -> Vec<String> {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(config);
    let all = bench.block_on(elb.describe_load_balancers().send()).expect("load balancers");
    let arns: Vec<String> = all.load_balancers().iter().filter_map(|lb| lb.load_balancer_arn().map(str::to_owned)).collect();
    if arns.is_empty() {
        return arns;
    }
    let tags = bench.block_on(elb.describe_tags().set_resource_arns(Some(arns)).send()).expect("tags");
    tags.tag_descriptions()
        .iter()
        .filter(|d| d.tags().iter().any(|t| t.key() == Some(GRANT_TAG) && t.value() == Some(grant)))
        .filter_map(|d| d.resource_arn().map(str::to_owned))
        .collect()
}

fn role_exists(bench: &Bench, config: &aws_config::SdkConfig, grant: &str) -> bool {
    let iam = aws_sdk_iam::Client::new(config);
    bench.block_on(iam.get_role().role_name(format!("vendorlink-datafold-{}", &grant[2..])).send()).is_ok()
}

fn tagged_groups(bench: &Bench, config: &aws_config::SdkConfig, grant: &str) -> usize {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let out = bench.block_on(ec2.describe_security_groups().filters(Filter::builder().name(format!("tag:{GRANT_TAG}")).values(grant).build()).send()).expect("groups");
    out.security_groups().len()
}

#[test]
fn discovery_reads_every_account_of_the_organization_and_names_the_one_it_cannot_enter() {
    let bench = Bench::new();
    let out = bench.vl(&["--json", "discover", "--sandbox", "--organization", "--all-regions"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let found: Value = serde_json::from_slice(&out.stdout).expect("discovery JSON");
    assert_eq!(found["callerAccount"], MANAGEMENT);
    let ids = bench.organization_accounts();
    let databases = |name: &str| -> Vec<(String, String)> {
        let account = found["accounts"].as_array().into_iter().flatten().find(|a| a["account"]["id"] == ids[name].as_str()).unwrap_or_else(|| panic!("{name} not read: {found:#}"));
        let regions = account["discovery"]["regions"].as_array().into_iter().flatten();
        regions
            .flat_map(|r| {
                r["databases"].as_array().into_iter().flatten().map(|d| (r["region"].as_str().unwrap_or_default().to_owned(), d["id"].as_str().unwrap_or_default().to_owned()))
            })
            .collect()
    };
    assert!(databases("analytics").contains(&("eu-west-1".into(), "events-db".into())), "{:?}", databases("analytics"));
    assert!(databases("payments").contains(&("us-west-2".into(), "ledger-db".into())), "{:?}", databases("payments"));
    let own = databases(bench.organization_accounts().iter().find(|(_, id)| id.as_str() == MANAGEMENT).map(|(name, _)| name.clone()).expect("management account listed").as_str());
    assert!(own.contains(&("us-east-1".into(), "orders-db".into())), "the management account's own databases: {own:?}");
    // Databases of one account are not shown under another.
    assert!(!own.iter().any(|(_, db)| db == "events-db" || db == "ledger-db"), "{own:?}");

    // The preflight asks about the role a grant there would use.
    let out = bench.vl(&["--json", "preflight", "--sandbox", "--account", &ids["analytics"]]);
    let preflight: Value = serde_json::from_slice(&out.stdout).expect("preflight JSON");
    assert_eq!(preflight["caller"], format!("arn:aws:sts::{}:assumed-role/OrganizationAccountAccessRole/vendorlink-discovery", ids["analytics"]), "{preflight:#}");

    // One member account, read alone.
    let out = bench.vl(&["--json", "discover", "--sandbox", "--account", &ids["analytics"], "--region", "eu-west-1"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let alone: Value = serde_json::from_slice(&out.stdout).expect("discovery JSON");
    assert_eq!(alone["regions"][0]["databases"][0]["id"], "events-db", "{alone:#}");

    let failures = found["failures"].as_array().expect("failures");
    assert_eq!(failures.len(), 1, "only the invited account cannot be entered: {failures:#?}");
    assert_eq!(failures[0]["account"]["id"], ids["legacy-invited"].as_str());
    assert_eq!(failures[0]["error"]["kind"], "accessDenied");
    let hint = failures[0]["error"]["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("OrganizationAccountAccessRole") && hint.contains("invited"), "{hint}");
}

#[test]
fn a_grant_in_a_member_account_is_made_there_and_revoked_with_proof_from_the_management_account() {
    let bench = Bench::new();
    let analytics = bench.organization_accounts()["analytics"].clone();
    let vendor = bench.datafold_from("198.51.100.7");
    let args = [
        "--json",
        "plan",
        "--sandbox",
        "--region",
        "eu-west-1",
        "--account",
        &analytics,
        "--vendor",
        &vendor,
        "--database",
        "events-db",
        "--target-ip",
        EVENTS_DB_IP,
        "--expires",
        "2099-01-31",
        "--part",
        "private-link",
        "--part",
        "vendor-role",
        "--part",
        "ip-allowlist",
        "--drop-pass-role",
    ];
    let out = bench.vl(&args);
    assert!(out.status.success(), "plan: {}{}", text(&out.stdout), text(&out.stderr));
    let plan: Value = serde_json::from_slice(&out.stdout).expect("plan JSON");
    assert_eq!(plan["accountId"], analytics.as_str(), "the grant lives in the member account");
    assert_eq!(plan["memberAccess"]["fromAccount"], MANAGEMENT);
    assert_eq!(plan["memberAccess"]["roleName"], "OrganizationAccountAccessRole");
    let grant = grant_id(&plan);

    let out = bench.apply(&grant);
    assert!(out.status.success(), "apply: {}{}", text(&out.stdout), text(&out.stderr));
    let inside = bench.member_config(&analytics, "eu-west-1");
    let at_home = bench.config.to_builder().region(aws_config::Region::new("eu-west-1")).build();
    assert_eq!(tagged_load_balancers(&bench, &inside, &grant).len(), 1, "the load balancer is in the member account");
    assert!(role_exists(&bench, &inside, &grant), "the vendor role is in the member account");
    assert_eq!(tagged_groups(&bench, &inside, &grant), 1);
    assert!(
        tagged_load_balancers(&bench, &at_home, &grant).is_empty() && !role_exists(&bench, &at_home, &grant) && tagged_groups(&bench, &at_home, &grant) == 0,
        "nothing in the management account"
    );

    // Who did it, as the member account's CloudTrail would show: the access role, in a session
    // named after the grant.
    let audit = bench.vl(&["audit", &grant]);
    let runs: Vec<Value> = text(&audit.stdout).lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("audit line")).collect();
    let caller = runs.last().and_then(|r| r["caller"].as_str()).unwrap_or_default().to_owned();
    assert_eq!(caller, format!("arn:aws:sts::{analytics}:assumed-role/OrganizationAccountAccessRole/vendorlink-{grant}"));

    let out = bench.vl(&["handoff", &grant, "--format", "json"]);
    assert!(out.status.success(), "handoff: {}{}", text(&out.stdout), text(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("summary JSON");
    assert_eq!(summary["accountId"], analytics.as_str());
    assert!(summary["role"]["roleArn"].as_str().unwrap_or_default().starts_with(&format!("arn:aws:iam::{analytics}:role/")), "{summary:#}");

    let out = bench.vl(&["--json", "status", &grant]);
    assert!(out.status.success(), "status: {}{}", text(&out.stdout), text(&out.stderr));
    let status: Value = serde_json::from_slice(&out.stdout).expect("status JSON");
    assert_eq!(status["drift"], serde_json::json!([]), "status reads the member account: {status:#}");

    // An admin of the member account itself may act on the grant (the management account out of
    // reach); credentials of a third account are refused before anything is read.
    let payments = bench.organization_accounts()["payments"].clone();
    let (own, third) = (bench.member_credentials(&analytics), bench.member_credentials(&payments));
    let endpoint = &bench.emulator.endpoint;
    bench.home.aws_files(
        &format!("[profile member]\nregion = eu-west-1\nendpoint_url = {endpoint}\n\n[profile third]\nregion = eu-west-1\nendpoint_url = {endpoint}\n"),
        &format!(
            "[member]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\n\n[third]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\n",
            own.access_key_id(), own.secret_access_key(), own.session_token().unwrap_or_default(),
            third.access_key_id(), third.secret_access_key(), third.session_token().unwrap_or_default()
        ),
    );
    let out = bench.vl(&["--json", "status", &grant, "--profile", "member"]);
    assert!(out.status.success(), "the member account's own admin: {}{}", text(&out.stdout), text(&out.stderr));
    let out = bench.vl(&["--json", "status", &grant, "--profile", "third"]);
    assert_eq!(out.status.code(), Some(2), "{}{}", text(&out.stdout), text(&out.stderr));
    let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    assert!(error["error"]["message"].as_str().unwrap_or_default().contains(&format!("is account {payments}")), "{error:#}");

    let out = bench.vl(&["--json", "revoke", &grant]);
    assert!(out.status.success(), "revoke: {}{}", text(&out.stdout), text(&out.stderr));
    let record: Value = serde_json::from_slice(&out.stdout).expect("revocation record");
    let checks = record["checks"].as_array().expect("checks");
    assert!(checks.len() >= 5 && checks.iter().all(|c| c["passed"] == true), "{checks:#?}");
    assert!(tagged_load_balancers(&bench, &inside, &grant).is_empty(), "load balancer removed from the member account");
    assert!(!role_exists(&bench, &inside, &grant), "vendor role removed from the member account");
    assert_eq!(tagged_groups(&bench, &inside, &grant), 0);
}

#[test]
fn a_member_grant_with_bad_input_is_refused_before_any_call_and_an_account_without_the_role_is_named() {
    let bench = Bench::new();
    let ids = bench.organization_accounts();
    let base = ["--json", "plan", "--sandbox", "--vendor", "datafold", "--database", "orders-db", "--part", "vendor-role", "--drop-pass-role", "--expires", "2099-01-31"];
    let calls = bench.emulator.calls().len();
    for (extra, field) in [(vec!["--account", "12345"], "account"), (vec!["--account", &ids["payments"], "--access-role", "arn:aws:iam::1:role/x"], "accessRole")] {
        let args: Vec<&str> = base.iter().copied().chain(extra.iter().copied()).collect();
        let out = bench.vl(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", text(&out.stderr));
        let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
        assert!(error["error"]["fields"].as_array().into_iter().flatten().any(|f| f["field"] == field), "{error:#}");
    }
    for args in [
        vec!["--json", "discover", "--sandbox", "--organization", "--all-regions", "--access-role", "Organization Access"],
        vec!["--json", "discover", "--sandbox", "--account", "1234567890123"],
        vec!["--json", "status", "--sandbox", "--all-accounts", "--regions", "us-east-1,N. Virginia"],
    ] {
        let out = bench.vl(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
    }
    assert_eq!(bench.emulator.calls().len(), calls, "refused before any AWS call");

    let args: Vec<&str> = base.iter().copied().chain(["--account", &ids["legacy-invited"]]).collect();
    let out = bench.vl(&args);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    let error: Value = serde_json::from_slice(&out.stdout).expect("error JSON");
    let message = error["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("sts:AssumeRole") && message.contains(&format!("arn:aws:iam::{}:role/OrganizationAccountAccessRole", ids["legacy-invited"])), "{message}");
    assert!(error["error"]["hint"].as_str().unwrap_or_default().contains("invited"), "{error:#}");
}

#[test]
fn status_of_all_accounts_lists_grants_by_account_and_finds_what_another_machine_made() {
    let bench = Bench::new();
    let ids = bench.organization_accounts();
    let payments = ids["payments"].clone();
    let role_only = ["--part", "vendor-role", "--drop-pass-role", "--expires", "2099-01-31"];
    let plan = |home: &support::Home, extra: &[&str]| -> String {
        let args: Vec<&str> = ["--json", "plan", "--sandbox", "--vendor", "datafold"].iter().copied().chain(role_only).chain(extra.iter().copied()).collect();
        let out = support::cli(home, &bench.env(), &args, "");
        assert!(out.status.success(), "plan: {}{}", text(&out.stdout), text(&out.stderr));
        let grant = grant_id(&serde_json::from_slice(&out.stdout).expect("plan JSON"));
        let out = support::cli(home, &bench.env(), &["--json", "apply", &grant], "");
        assert!(out.status.success(), "apply: {}{}", text(&out.stdout), text(&out.stderr));
        grant
    };
    // This machine: a grant in the payments account. Another admin's machine: one in the
    // management account, which this machine has no record of.
    let mine = plan(&bench.home, &["--account", &payments, "--region", "us-west-2", "--database", "ledger-db", "--target-ip", "10.70.1.20"]);
    let elsewhere = support::Home::new();
    let theirs = plan(&elsewhere, &["--database", "orders-db", "--target-ip", support::bench::TARGET_IP]);

    let out = bench.vl(&["--json", "status", "--sandbox", "--all-accounts", "--regions", "us-east-1,us-west-2,eu-west-1"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let status: Value = serde_json::from_slice(&out.stdout).expect("status JSON");
    let grants = status["grants"].as_array().expect("grants");
    assert_eq!(grants.len(), 1, "{status:#}");
    assert_eq!(grants[0]["grantId"], mine.as_str());
    assert_eq!(grants[0]["accountId"], payments.as_str());
    assert!(grants[0]["tagged"].as_u64().unwrap_or_default() >= 1, "its role is found tagged in the member account: {status:#}");
    let unknown: Vec<(&str, &str)> = status["unknown"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| (u["account"]["id"].as_str().unwrap_or_default(), u["resource"]["grantId"].as_str().unwrap_or_default()))
        .collect();
    assert!(
        !unknown.is_empty() && unknown.iter().all(|(account, grant)| *account == MANAGEMENT && *grant == theirs),
        "only the other machine's grant is unknown here: {unknown:?}"
    );
    let failures: Vec<&str> = status["failures"].as_array().into_iter().flatten().filter_map(|f| f["account"]["id"].as_str()).collect();
    assert_eq!(failures, [ids["legacy-invited"].as_str()], "the account that cannot be entered is named, not skipped");
}
