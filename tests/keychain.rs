//! Key pairs in the real OS keychain (Secret Service; the test command runs gnome-keyring on
//! a private D-Bus session), through the CLI.
mod support;

use serde_json::Value;
use support::{cli, text, Emulator, Home, EMULATOR_ACCOUNT, EXAMPLE_KEY_ID, EXAMPLE_SECRET};

fn listed_names(home: &Home) -> Vec<String> {
    let out = cli(home, &[], &["keychain", "list", "--json"], "");
    assert!(out.status.success(), "keychain list failed (is a Secret Service running?): {}", text(&out.stderr));
    let entries: Value = serde_json::from_slice(&out.stdout).expect("json");
    entries.as_array().expect("array").iter().filter_map(|e| e["name"].as_str().map(str::to_owned)).collect()
}

#[test]
fn bad_key_pairs_are_refused_and_nothing_is_stored() {
    let home = Home::new();
    let name = format!("bad-{}", std::process::id());
    let cases: [(&str, &str, &str); 4] = [
        ("", EXAMPLE_SECRET, "accessKeyId: The access key id is empty."),
        ("AKIA123", EXAMPLE_SECRET, "it must be 20 upper-case letters or digits starting with AKIA (it has 7 characters)"),
        (EXAMPLE_KEY_ID, "", "secretAccessKey: The secret access key is empty."),
        (EXAMPLE_KEY_ID, "tooshort", "it must be 40 characters of letters, digits, / and + (it has 8)"),
    ];
    for (key_id, secret, expected) in cases {
        let out = cli(&home, &[], &["keychain", "add", &name, "--access-key-id", key_id], &format!("{secret}\n"));
        assert_eq!(out.status.code(), Some(2), "{key_id:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{key_id:?}/{secret:?}: {stderr}");
        assert!(secret.is_empty() || !stderr.contains(secret), "the secret was echoed: {stderr}");
    }
    assert!(!listed_names(&home).contains(&name));
}

#[test]
fn a_stored_key_pair_is_listed_masked_used_and_removed() {
    let emulator = Emulator::start();
    let home = Home::new();
    let name = format!("ci key {}", std::process::id());

    let out = cli(&home, &[], &["keychain", "add", &name, "--access-key-id", EXAMPLE_KEY_ID, "--region", "eu-central-1"], &format!("{EXAMPLE_SECRET}\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("AKIA…MPLE"), "{}", text(&out.stdout));

    let out = cli(&home, &[], &["keychain", "list"], "");
    let listing = text(&out.stdout);
    assert!(listing.contains(&name) && listing.contains("AKIA…MPLE") && listing.contains("eu-central-1"), "{listing}");
    assert!(!listing.contains(EXAMPLE_SECRET) && !listing.contains(EXAMPLE_KEY_ID), "{listing}");

    // The stored pair signs real requests.
    let out = cli(&home, &[("AWS_ENDPOINT_URL", &emulator.endpoint)], &["whoami", "--keychain", &name, "--json"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let identity: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(identity["account"], EMULATOR_ACCOUNT);
    assert_eq!(identity["region"], "eu-central-1");

    let out = cli(&home, &[], &["keychain", "add", &name, "--access-key-id", EXAMPLE_KEY_ID], &format!("{EXAMPLE_SECRET}\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("already exists"), "{}", text(&out.stderr));

    assert_eq!(home.files_containing(EXAMPLE_SECRET), Vec::<std::path::PathBuf>::new(), "the secret reached the disk");

    let out = cli(&home, &[], &["keychain", "remove", &name], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!listed_names(&home).contains(&name));
    let out = cli(&home, &[], &["keychain", "remove", &name], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(&format!("There is no keychain entry named \"{name}\"")));

    let out = cli(&home, &[], &["whoami", "--keychain", &name], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_key_with_an_mfa_device_needs_a_code_which_opens_a_session() {
    let emulator = Emulator::start();
    let home = Home::new();
    let name = format!("mfa-{}", std::process::id());
    let add = cli(
        &home,
        &[],
        &["keychain", "add", &name, "--access-key-id", EXAMPLE_KEY_ID, "--region", "us-east-1", "--mfa-serial", "arn:aws:iam::123456789012:mfa/alice"],
        &format!("{EXAMPLE_SECRET}\n"),
    );
    assert!(add.status.success(), "{}", text(&add.stderr));
    let env = [("AWS_ENDPOINT_URL", emulator.endpoint.as_str())];
    let out = cli(&home, &env, &["whoami", "--keychain", &name], "");
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains(&format!("The keychain entry \"{name}\" needs a code from its MFA device.")), "{}", text(&out.stderr));
    let out = cli(&home, &env, &["whoami", "--keychain", &name, "--mfa-code", "12345"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("An MFA code is 6 digits; this has 5 characters."), "{}", text(&out.stderr));
    let out = cli(&home, &env, &["--json", "whoami", "--keychain", &name, "--mfa-code", "123456"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let identity: Value = serde_json::from_slice(&out.stdout).expect("identity");
    assert_eq!(identity["account"], EMULATOR_ACCOUNT);
    assert!(emulator.calls().iter().any(|c| c == "GetSessionToken"), "the code was exchanged with STS");
    let _ = cli(&home, &[], &["keychain", "remove", &name], "");
}
