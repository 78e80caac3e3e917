//! Credentials through the whole stack: the CLI binary, the SDK, and the emulator on loopback.
mod support;

use serde_json::Value;
use support::{cli, closed_port, text, Emulator, Home, EMULATOR_ACCOUNT, EXAMPLE_KEY_ID, EXAMPLE_SECRET};

fn profile_home(endpoint: &str) -> Home {
    let home = Home::new();
    home.aws_files(
        &format!("[profile emulated]\nregion = eu-west-2\nendpoint_url = {endpoint}\n\n[default]\nregion = us-east-1\n"),
        &format!("[emulated]\naws_access_key_id = {EXAMPLE_KEY_ID}\naws_secret_access_key = {EXAMPLE_SECRET}\n[default]\naws_access_key_id = {EXAMPLE_KEY_ID}\naws_secret_access_key = {EXAMPLE_SECRET}\n"),
    );
    home
}

fn calls_seen(emulator: &Emulator) -> Vec<String> {
    let body: Value = reqwest::blocking::get(format!("{}/_emulator/calls", emulator.endpoint)).expect("calls").json().expect("json");
    body["calls"].as_array().expect("calls array").iter().filter_map(|c| c.as_str().map(str::to_owned)).collect()
}

#[test]
fn whoami_in_the_sandbox_shows_the_emulator_account() {
    let emulator = Emulator::start();
    let home = Home::new();
    let out = cli(&home, &[("VENDORLINK_SANDBOX_ENDPOINT", &emulator.endpoint)], &["whoami", "--sandbox", "--json"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let identity: Value = serde_json::from_slice(&out.stdout).expect("json identity");
    assert_eq!(identity["account"], EMULATOR_ACCOUNT);
    assert_eq!(identity["region"], "us-east-1");
    assert_eq!(identity["endpoint"], emulator.endpoint.as_str());
    assert!(identity["arn"].as_str().is_some_and(|arn| arn.starts_with(&format!("arn:aws:sts::{EMULATOR_ACCOUNT}:"))), "{identity}");
    assert_eq!(calls_seen(&emulator), ["GetCallerIdentity"]);
}

#[test]
fn a_profile_reaches_the_emulator_through_its_endpoint_url() {
    let emulator = Emulator::start();
    let home = profile_home(&emulator.endpoint);
    let out = cli(&home, &[], &["whoami", "--profile", "emulated"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains(&format!("Account:  {EMULATOR_ACCOUNT}")), "{stdout}");
    assert!(stdout.contains("Region:   eu-west-2"), "{stdout}");

    // The standard AWS_ENDPOINT_URL override works the same way for the default profile.
    let out = cli(&home, &[("AWS_ENDPOINT_URL", &emulator.endpoint)], &["whoami", "--json"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let identity: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(identity["region"], "us-east-1");
    assert_eq!(calls_seen(&emulator).len(), 2);
}

#[test]
fn sources_lists_the_sandbox_and_every_profile() {
    let emulator = Emulator::start();
    let home = profile_home(&emulator.endpoint);
    let out = cli(&home, &[("VENDORLINK_SANDBOX_ENDPOINT", &emulator.endpoint)], &["sources", "--json"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    let labels: Vec<&str> = list["sources"].as_array().expect("sources").iter().filter(|s| s["kind"] != "keychain").filter_map(|s| s["label"].as_str()).collect();
    assert_eq!(labels, ["Sandbox (local AWS emulator)", "default", "emulated"]);
    assert!(!text(&out.stdout).contains(EXAMPLE_SECRET));
}

#[test]
fn a_missing_profile_is_refused_before_any_aws_call() {
    let emulator = Emulator::start();
    let home = profile_home(&emulator.endpoint);
    let out = cli(&home, &[("AWS_ENDPOINT_URL", &emulator.endpoint)], &["whoami", "--profile", "prodd"], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error: There is no AWS profile named \"prodd\"."), "{stderr}");
    assert!(stderr.contains("hint: Pick one of: default, emulated."), "{stderr}");
    assert_eq!(calls_seen(&emulator), Vec::<String>::new());
}

#[test]
fn an_unreachable_endpoint_is_reported_with_its_address() {
    let home = profile_home("http://127.0.0.1:9");
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let out = cli(&home, &[("AWS_ENDPOINT_URL", &endpoint)], &["whoami", "--json"], "");
    assert_eq!(out.status.code(), Some(4));
    let body: Value = serde_json::from_slice(&out.stdout).expect("json error");
    assert_eq!(body["error"]["kind"], "unreachable");
    let message = body["error"]["message"].as_str().expect("message");
    assert!(message.starts_with(&format!("Could not reach AWS at {endpoint}")), "{message}");
    assert!(body["error"]["hint"].as_str().expect("hint").contains("emulator"), "{body}");
}

#[test]
fn wrong_credentials_are_reported_as_such() {
    let emulator = Emulator::start();
    emulator.require_real_credentials();
    let home = profile_home(&emulator.endpoint);
    let out = cli(&home, &[], &["whoami", "--profile", "emulated"], "");
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("AWS rejected the credentials from AWS profile \"emulated\" (InvalidClientTokenId)"), "{stderr}");
    assert!(stderr.contains("hint: The access key is wrong, deactivated or deleted"), "{stderr}");
    assert!(!stderr.contains(EXAMPLE_SECRET));
}

#[test]
fn throttling_is_retried_by_the_sdk_then_reported() {
    let emulator = Emulator::start();
    let home = Home::new();
    let sandbox = [("VENDORLINK_SANDBOX_ENDPOINT", emulator.endpoint.as_str())];

    emulator.fault("GetCallerIdentity", "throttle", 1);
    let out = cli(&home, &sandbox, &["whoami", "--sandbox"], "");
    assert!(out.status.success(), "one throttle must be absorbed by retries: {}", text(&out.stderr));

    emulator.fault("GetCallerIdentity", "throttle", 10);
    let out = cli(&home, &sandbox, &["whoami", "--sandbox"], "");
    assert_eq!(out.status.code(), Some(6));
    assert!(text(&out.stderr).contains("AWS kept throttling sts:GetCallerIdentity after the SDK's retries."), "{}", text(&out.stderr));
}

#[test]
fn the_sandbox_must_be_running_and_local() {
    let home = Home::new();
    let out = cli(&home, &[], &["whoami", "--sandbox"], "");
    assert_eq!(out.status.code(), Some(4));
    assert!(text(&out.stderr).contains("The sandbox is not running"), "{}", text(&out.stderr));
    // An installed command line gives no advice that needs a source checkout.
    assert!(!text(&out.stderr).contains("scripts/"), "{}", text(&out.stderr));

    let out = cli(&home, &[("VENDORLINK_SANDBOX_ENDPOINT", "http://10.1.2.3:5000")], &["whoami", "--sandbox"], "");
    assert_eq!(out.status.code(), Some(4));
    assert!(text(&out.stderr).contains("is not on this machine"), "{}", text(&out.stderr));
}

#[test]
fn a_profile_that_assumes_a_role_with_mfa_asks_for_the_code_and_assumes_it() {
    let emulator = Emulator::start();
    let home = Home::new();
    home.aws_files(
        "[profile base]\nregion = us-east-1\n\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = us-east-1\n",
        &format!("[base]\naws_access_key_id = {EXAMPLE_KEY_ID}\naws_secret_access_key = {EXAMPLE_SECRET}\n"),
    );
    let env = [("AWS_ENDPOINT_URL", emulator.endpoint.as_str())];
    let listed: Value = serde_json::from_slice(&cli(&home, &env, &["--json", "sources"], "").stdout).expect("sources");
    let admin = listed["sources"].as_array().into_iter().flatten().find(|s| s["label"] == "admin").expect("admin profile");
    assert_eq!(admin["mfa"], true, "the window knows to ask for a code");
    let out = cli(&home, &env, &["whoami", "--profile", "admin"], "");
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("The AWS profile \"admin\" needs a code from its MFA device."), "{}", text(&out.stderr));
    let out = cli(&home, &env, &["--json", "whoami", "--profile", "admin", "--mfa-code", "123456"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let identity: Value = serde_json::from_slice(&out.stdout).expect("identity");
    assert!(identity["arn"].as_str().is_some_and(|a| a.contains(":assumed-role/admin/vendorlink")), "{identity}");
    assert!(emulator.calls().iter().any(|c| c == "AssumeRole"), "the role was assumed with the code");
}
