//! The real app in a real window (Xvfb), driven over WebDriver as an admin would use it.
//! Screenshots of each step land in test-artifacts/gui/.
mod support;

use support::gui::Desktop;
use support::{closed_port, Emulator, Home, EMULATOR_ACCOUNT, EXAMPLE_KEY_ID, EXAMPLE_SECRET};

const SANDBOX: &str = "[data-testid=source][data-kind=sandbox] [data-testid=source-pick]";

fn profile(label: &str) -> String {
    format!("[data-testid=source][data-kind=profile][data-label='{label}'] [data-testid=source-pick]")
}

#[test]
fn picking_the_sandbox_shows_the_caller_identity() {
    let emulator = Emulator::start_sandbox();
    let home = Home::new();
    let offline = format!("http://127.0.0.1:{}", closed_port());
    home.aws_files(
        &format!("[profile emulated]\nregion = eu-west-2\nendpoint_url = {}\n\n[profile offline]\nregion = us-east-1\nendpoint_url = {offline}\n", emulator.endpoint),
        &format!("[emulated]\naws_access_key_id = {EXAMPLE_KEY_ID}\naws_secret_access_key = {EXAMPLE_SECRET}\n[offline]\naws_access_key_id = {EXAMPLE_KEY_ID}\naws_secret_access_key = {EXAMPLE_SECRET}\n"),
    );
    let desktop = Desktop::start("identity", &home, &[("VENDORLINK_SANDBOX_ENDPOINT", &emulator.endpoint)]);
    let window = desktop.open();
    window.to_credentials();
    window.wait_for(SANDBOX);
    window.screenshot("sources");

    window.click_css(SANDBOX);
    window.check_identity();
    assert_eq!(window.text_of("[data-testid=identity-account]"), EMULATOR_ACCOUNT);
    assert_eq!(window.text_of("[data-testid=identity-region]"), "us-east-1");
    assert_eq!(window.text_of("[data-testid=identity-endpoint]"), emulator.endpoint);
    assert!(window.text_of("[data-testid=identity-arn]").starts_with(&format!("arn:aws:sts::{EMULATOR_ACCOUNT}:")));
    window.screenshot("identity-sandbox");

    // Throttled past the SDK's three attempts: one sentence, and "Try again", which goes
    // through once AWS lets it.
    emulator.fault("GetCallerIdentity", "throttle", 3);
    window.check_identity();
    let error = window.text_of("[data-testid=identity-error]");
    assert!(error.starts_with("AWS kept throttling sts:GetCallerIdentity after the SDK's retries."), "{error}");
    window.screenshot("identity-throttled");
    window.click_css("[data-testid=identity-error] [data-testid=error-retry]");
    assert_eq!(window.text_of("[data-testid=identity-account]"), EMULATOR_ACCOUNT);

    // An AWS profile, reached through its endpoint_url.
    window.click_css(&profile("emulated"));
    window.wait_gone("[data-testid=identity]");
    window.check_identity();
    assert_eq!(window.text_of("[data-testid=identity-region]"), "eu-west-2");
    assert_eq!(window.text_of("[data-testid=identity-account]"), EMULATOR_ACCOUNT);
    window.screenshot("identity-profile");

    // A profile whose endpoint is down: the window says so, with what to do.
    window.click_css(&profile("offline"));
    window.check_identity();
    let error = window.text_of("[data-testid=identity-error]");
    assert!(error.contains(&format!("Could not reach AWS at {offline}")), "{error}");
    assert!(error.contains("emulator"), "{error}");
    // The system's own words are folded under the sentence, not in it.
    let sentence = window.text_of("[data-testid=identity-error] .error-message");
    assert_eq!(sentence, format!("Could not reach AWS at {offline}."));
    window.click_css("[data-testid=identity-error] [data-testid=error-detail] summary");
    let detail = window.text_of("[data-testid=identity-error] [data-testid=error-detail] pre");
    assert!(!detail.is_empty() && !sentence.contains(&detail), "{detail}");
    assert!(!window.find_all("[data-testid=identity-error] [data-testid=error-retry]").is_empty(), "the network may come back");
    window.screenshot("identity-unreachable");

    // From here on the emulator checks signatures as AWS does: made-up keys are refused.
    emulator.require_real_credentials();
    window.click_css(&profile("emulated"));
    window.check_identity();
    let error = window.text_of("[data-testid=identity-error]");
    assert!(error.contains("AWS rejected the credentials from AWS profile \"emulated\" (InvalidClientTokenId)"), "{error}");
    assert!(error.contains("IAM → Users → Security credentials"), "{error}");
    window.screenshot("identity-rejected");

    // About / diagnostics: the version and the log file, with what just failed and no secret.
    window.click_css("[data-testid=tab-about]");
    assert_eq!(window.text_of("[data-testid=version]"), env!("CARGO_PKG_VERSION"));
    assert_eq!(window.text_of("[data-testid=log-file]"), home.log_file().display().to_string());
    let tail = window.text_of("[data-testid=log-tail]");
    assert!(tail.contains("window ready after"), "{tail}");
    assert!(tail.contains("sts:GetCallerIdentity") && tail.contains("InvalidClientTokenId"), "the log shows the refused call: {tail}");
    assert!(!tail.contains(EXAMPLE_SECRET), "{tail}");
    window.screenshot("about-diagnostics");
    window.close();
}

#[test]
fn a_keychain_entry_survives_a_restart_and_can_be_deleted() {
    let emulator = Emulator::start();
    let home = Home::new();
    let name = format!("gui-key-{}", std::process::id());
    let entry = format!("[data-testid=source][data-kind=keychain][data-label='{name}']");
    let desktop = Desktop::start("keychain", &home, &[("AWS_ENDPOINT_URL", &emulator.endpoint)]);
    let window = desktop.open();
    window.to_credentials();

    // "Add an access key…" opens the form in a dialog of its own; bad input is marked as it
    // is typed and nothing is stored.
    window.click_css("[data-testid=add-key]");
    assert_eq!(window.script("return document.querySelector('[data-testid=keychain-dialog]').open"), serde_json::json!(true));
    window.type_into("[data-testid=field-name]", &name);
    window.type_into("[data-testid=field-accessKeyId]", "AKIA123");
    window.type_into("[data-testid=field-secretAccessKey]", EXAMPLE_SECRET);
    window.type_into("[data-testid=field-region]", "Frankfurt");
    let key_error = window.text_of("[data-testid=error-accessKeyId]");
    assert!(key_error.contains("is not an access key id"), "{key_error}");
    assert!(window.text_of("[data-testid=error-region]").contains("not an AWS region code"));
    window.click_css("[data-testid=save-entry]");
    // The button is disabled while the save is asked for; once enabled again the answer has
    // come back, and the form still holds what was typed (a stored entry clears it).
    window.wait_for("[data-testid=save-entry]:not([disabled])");
    assert_eq!(window.script("return document.querySelector('[data-testid=field-accessKeyId]').value"), "AKIA123");
    window.screenshot("bad-key");
    assert!(window.find_all(&entry).is_empty(), "an invalid entry was stored");

    window.clear("[data-testid=field-accessKeyId]");
    window.type_into("[data-testid=field-accessKeyId]", EXAMPLE_KEY_ID);
    window.clear("[data-testid=field-region]");
    window.type_into("[data-testid=field-region]", "eu-central-1");
    window.click_css("[data-testid=save-entry]");
    window.wait_for(&entry);
    assert_eq!(window.script("return document.querySelector('[data-testid=keychain-dialog]').open"), serde_json::json!(false), "the dialog goes once the key is stored");
    let detail = window.text_of(&format!("{entry} [data-testid=source-detail]"));
    assert!(detail.contains("AKIA…MPLE") && detail.contains("eu-central-1"), "{detail}");
    assert_eq!(window.script("return document.querySelector('[data-testid=field-secretAccessKey]').value"), "");
    assert!(!window.source().contains(EXAMPLE_SECRET), "the secret is still in the page");
    window.screenshot("stored");
    window.close();

    // A new start of the app still has it, masked, and can use it.
    let window = desktop.open();
    window.to_credentials();
    window.wait_for(&entry);
    assert!(!window.source().contains(EXAMPLE_SECRET) && !window.source().contains(EXAMPLE_KEY_ID));
    window.click_css(&format!("{entry} [data-testid=source-pick]"));
    window.check_identity();
    assert_eq!(window.text_of("[data-testid=identity-account]"), EMULATOR_ACCOUNT);
    assert_eq!(window.text_of("[data-testid=identity-region]"), "eu-central-1");
    window.screenshot("after-restart");

    window.click_css(&format!("{entry} [data-testid=delete-entry]"));
    window.screenshot("confirm-delete");
    window.click_css(&format!("{entry} [data-testid=confirm-delete]"));
    window.wait_gone(&entry);
    window.wait_gone("[data-testid=identity]");
    window.close();

    let window = desktop.open();
    window.to_credentials();
    // Once the keychain is read (other tests may have entries of their own in it), the
    // deleted entry is not among them.
    window.wait_for("[data-testid=source-list]");
    window.wait_gone("[data-testid=keychain-loading]");
    assert!(window.find_all(&entry).is_empty(), "the deleted entry came back after a restart");
    window.close();
    assert_eq!(home.files_containing(EXAMPLE_SECRET), Vec::<std::path::PathBuf>::new(), "the secret reached the disk");
    drop(desktop);
}

#[test]
fn without_a_keychain_the_sandbox_and_profiles_still_work() {
    let emulator = Emulator::start();
    let home = Home::new();
    // No Secret Service on this bus: the keychain is unavailable, as on a desktop without one.
    let desktop = Desktop::start("no-keychain", &home, &[("VENDORLINK_SANDBOX_ENDPOINT", &emulator.endpoint), ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")]);
    let window = desktop.open();
    window.to_credentials();
    let problem = window.text_of("[data-testid=source-problem]");
    assert!(problem.contains("The OS keychain is not available"), "{problem}");
    assert!(problem.contains("Unlock your keyring, or start a Secret Service"), "{problem}");
    window.click_css(SANDBOX);
    window.check_identity();
    assert_eq!(window.text_of("[data-testid=identity-account]"), EMULATOR_ACCOUNT);
    window.screenshot("sandbox-without-keychain");
    window.close();
}

#[test]
fn a_keychain_entry_with_mfa_asks_for_the_code() {
    let emulator = Emulator::start();
    let home = Home::new();
    let name = format!("gui-mfa-{}", std::process::id());
    let add = support::cli(
        &home,
        &[],
        &["keychain", "add", &name, "--access-key-id", EXAMPLE_KEY_ID, "--mfa-serial", "arn:aws:iam::123456789012:mfa/alice", "--region", "us-east-1"],
        &format!("{EXAMPLE_SECRET}\n"),
    );
    assert!(add.status.success(), "{}", support::text(&add.stderr));
    let entry = format!("[data-testid=source][data-kind=keychain][data-label='{name}'] [data-testid=source-pick]");
    let desktop = Desktop::start("mfa", &home, &[("AWS_ENDPOINT_URL", &emulator.endpoint)]);
    let window = desktop.open();
    window.to_credentials();
    window.click_css(&entry);
    window.wait_for("[data-testid=mfa-code]");
    window.check_identity();
    let error = window.text_of("[data-testid=identity-error]");
    assert!(error.contains("needs a code from its MFA device"), "{error}");
    window.type_into("[data-testid=mfa-code]", "123456");
    window.check_identity();
    assert_eq!(window.text_of("[data-testid=identity-account]"), EMULATOR_ACCOUNT);
    window.screenshot("mfa");
    window.close();
    let _ = support::cli(&home, &[], &["keychain", "remove", &name], "");
}
