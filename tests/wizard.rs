//! The wizard in a real window (Xvfb + WebDriver) against the sandbox emulator, clicked
//! through as an admin would; what it created is checked with the test's own describe calls.
//! Screenshots of every step: test-artifacts/gui/wizard-*.png.

mod support;

use std::time::Duration;

use support::bench::{grant_id, Bench, NODE_ROLE, TARGET_IP};
use support::gui::{recording_browser, Desktop, Window, ENTER, ESCAPE, SPACE};
use support::target_sync::{failover_event, run_handler, targets, write_log};

const SANDBOX: &str = "[data-testid=source][data-kind=sandbox] [data-testid=source-pick]";
const NEXT: &str = "[data-testid=wizard-next]";

/// The vendor, then the sandbox's credentials, checked: the window stays on the credentials step.
fn signed_in(window: &Window, vendor: &str) {
    window.click_css(&format!("[data-testid=vendor][data-id={vendor}]"));
    window.screenshot("vendor");
    window.click_when_enabled(NEXT);
    // The list settles first: the keychain answers after the profiles and redraws it.
    window.wait_gone("[data-testid=keychain-loading]");
    window.click_css(SANDBOX);
    window.wait_for("[data-testid=source][data-kind=sandbox].selected");
    window.check_identity();
    window.wait_for("[data-testid=identity-account]");
}

/// Vendor → sandbox credentials → orders-db, leaving the window on the access step.
fn to_access(window: &Window, vendor: &str) {
    signed_in(window, vendor);
    // The emulator has no policy simulator: the window says it could not check, not "all fine".
    let preflight = window.text_of("[data-testid=preflight-detail]");
    assert!(preflight.starts_with("Could not check with IAM's policy simulator"), "{preflight}");
    assert_eq!(window.text_of("[data-testid=preflight-verdict]"), "? Could not check the permissions");
    assert_eq!(window.attribute(&window.wait_for("[data-testid=preflight]"), "data-result").as_deref(), Some("unchecked"));
    window.screenshot("credentials");
    window.click_when_enabled(NEXT);
    window.click_css("[data-testid=database][data-id=orders-db]");
    // The chosen card carries a tick, not only a thicker border.
    let tick = window.script("return getComputedStyle(document.querySelector('[data-testid=database][data-id=orders-db]'), '::after').content");
    assert_eq!(tick, serde_json::json!("\"✓\""));
    window.screenshot("database");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=step-access]");
    if vendor == "datafold" {
        // Its policy passes every role, which a plan refuses: limited to the one it needs.
        window.type_into("[data-testid=field-passRoleArns]", NODE_ROLE);
    }
}

/// Grants → the one applied grant → "Remove everything", confirmed: its id and the proof's checks.
fn remove_everything_from_the_grants_screen(window: &Window) -> (String, Vec<String>) {
    window.click_css("[data-testid=tab-grants]");
    window.wait_for("[data-testid=grant][data-state=applied]");
    let grant = window.find_all("[data-testid=grant]").first().and_then(|g| window.attribute(g, "data-id")).expect("the grant is listed");
    window.click_css(&format!("[data-testid=grant][data-id={grant}] [data-testid=grant-revoke-all]"));
    window.type_into("[data-testid=confirm-grant-name]", &grant);
    window.click_when_enabled("[data-testid=confirm-revoke]");
    window.wait_for("[data-testid=revocation]");
    let checks = window.find_all("[data-testid=proof-check]").iter().map(|c| window.text(c)).collect();
    (grant, checks)
}

/// The Grants screen lists the interrupted grant as incomplete; Resume finishes it.
fn resume_from_the_grants_screen(window: &Window, grant: &str) {
    window.click_css("[data-testid=tab-grants]");
    let row = format!("[data-testid=grant][data-id={grant}][data-state=incomplete]");
    window.wait_for(&row);
    window.screenshot("resume-offered");
    window.click_css(&format!("{row} [data-testid=grant-resume]"));
    window.wait_for("[data-testid=apply-done]");
}

/// The grant id shown on the review step.
fn review_grant(window: &Window) -> String {
    window.wait_for("[data-testid=plan-steps]");
    let lead = window.text_of("[data-testid=step-review] .lead");
    lead.split_whitespace().nth(1).map(|g| g.trim_end_matches(',').to_owned()).expect("grant id in the review")
}

#[test]
fn a_datafold_grant_by_clicks_then_revoked_from_the_grants_screen() {
    let bench = Bench::new();
    let (path, opened) = recording_browser(&bench.home);
    let desktop = Desktop::start("wizard", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint), ("PATH", &path)]);
    let window = desktop.open();
    to_access(&window, "datafold");
    // orders-db is private: the private link and the role are ticked, the allowlist is not, and
    // says why; each part carries its trade-off and whether Datafold documents it.
    let ticked: Vec<String> = window.find_all("[data-testid=part] input:checked").iter().map(|b| window.attribute(b, "id").unwrap_or_default()).collect();
    assert_eq!(ticked, ["part-privateLink", "part-vendorRole"]);
    let reason = window.text_of("[data-testid=allowlist-reason]");
    assert!(reason.starts_with("Not suggested: orders-db is not publicly accessible, so Datafold cannot reach it from its 6 published addresses."), "{reason}");
    let private_link = window.text_of("[data-testid=part][data-part=privateLink]");
    assert!(
        private_link.contains("Datafold documents this") && private_link.contains("Costs: load balancer hours (yours)") && private_link.contains("On failover:"),
        "{private_link}"
    );
    assert!(window.text_of("[data-testid=part][data-part=resourceEndpoint]").contains("Not among Datafold's documented paths"));
    assert_eq!(window.find_all("[data-testid=part-tradeoff]").len(), 6);
    // Placeholders say what goes there in words; none is shaped like a value to copy.
    let placeholders = window.script("return [...document.querySelectorAll('[placeholder]')].map((e) => e.placeholder)");
    let placeholders: Vec<String> = serde_json::from_value(placeholders).expect("strings");
    assert!(!placeholders.is_empty() && placeholders.iter().all(|p| p.contains(' ') && !p.chars().any(|c| c.is_ascii_digit())), "{placeholders:?}");
    window.script("document.querySelector('[data-testid=allowlist-reason]').scrollIntoView({ block: 'center' })");
    window.screenshot("access-parts");
    // The values typed for a Datafold grant: the role its policy may pass (above) and the
    // database's address. The role ends 90 days from today unless the admin says otherwise.
    window.type_into("[data-testid=field-targetIps]", TARGET_IP);
    let in_90_days = (chrono::Utc::now() + chrono::Duration::days(90)).format("%Y-%m-%d").to_string();
    assert_eq!(window.script("return document.querySelector('[data-testid=field-expires]').value"), serde_json::json!(in_90_days));
    assert_eq!(window.text_of("label[for=expires]"), "Role stops working on (UTC)");
    assert!(window.text_of("#expires-help").contains("The network parts stay open after it, until you revoke."));
    // "No end date" is a choice of its own, with its warning; undone here.
    assert!(window.find_all("[data-testid=no-end-date-warning]:not([hidden])").is_empty());
    window.click_css("[data-testid=field-noEndDate]");
    assert!(window.text_of("[data-testid=no-end-date-warning]").contains("keeps working until you revoke it"));
    assert!(window.is_disabled("[data-testid=field-expires]"));
    window.screenshot("access-no-end-date");
    window.click_css("[data-testid=field-noEndDate]");
    window.screenshot("access");
    window.click_when_enabled(NEXT);
    let grant = review_grant(&window);
    assert!(grant.starts_with("g-"), "{grant}");
    assert_eq!(window.find_all("[data-testid=plan-step]").len(), 14);
    // Where it acts stays in view, and the button says what it will change, and where.
    assert_eq!(window.text_of("[data-testid=account-source]"), "Sandbox (local emulator)");
    assert_eq!(window.text_of("[data-testid=account-id]"), "123456789012");
    assert_eq!(window.text_of("[data-testid=account-region]"), "us-east-1");
    assert_eq!(window.attribute(&window.wait_for("[data-testid=account-bar]"), "data-source").as_deref(), Some("sandbox"));
    assert_eq!(window.text_of(NEXT), "Create 14 resources in 123456789012 · us-east-1");
    // What it will cost, before anything is made: the load balancer is the admin's, the
    // endpoint's hours the vendor's; traffic charges are named, not guessed.
    let total = window.text_of("[data-testid=cost-total]");
    assert!(total.starts_with("About $16.43 a month for you and $") && total.ends_with(" for Datafold, plus traffic."), "{total}");
    let estimate = window.text_of("[data-testid=cost-estimate]");
    assert!(estimate.contains("us-east-1 prices as of 2026-09") && estimate.contains("Interface endpoint in the vendor's VPC"), "{estimate}");
    window.script("document.querySelector('[data-testid=cost-estimate]').scrollIntoView({ block: 'start' })");
    window.screenshot("review-cost");
    // The review names the NLB setting PrivateLink traffic needs and what the role's policies allow.
    let privatelink = window.text_of("[data-testid=plan-step][data-id=nlb-privatelink-rules]");
    assert!(privatelink.contains("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic = off"), "{privatelink}");
    // The role, explained: MFA's meaning for the vendor's automation, and its policies as JSON.
    let conditions: Vec<String> = window.find_all("[data-testid=role-condition]").iter().map(|c| window.text(c)).collect();
    assert!(conditions[0].starts_with("MFA required") && conditions[0].contains("unattended automation"), "{conditions:?}");
    assert!(conditions.iter().any(|c| c.starts_with("Ends: from ") && c.contains("a deny policy stops the sessions still open")), "{conditions:?}");
    window.click_css("[data-testid=trust-policy] summary");
    let trust: serde_json::Value = serde_json::from_str(&window.text_of("[data-testid=trust-policy] pre")).expect("the trust policy shown is JSON");
    assert_eq!(trust["Statement"][0]["Condition"]["Bool"]["aws:MultiFactorAuthPresent"], "true");
    assert_eq!(trust["Statement"][0]["Principal"]["AWS"][0], "arn:aws:iam::710753145501:root");
    window.script("document.querySelector('[data-testid=role-policies]').scrollIntoView({ block: 'start' })");
    window.screenshot("review-role");
    let findings: Vec<String> = window.find_all("[data-testid=policy-finding]").iter().map(|f| window.attribute(f, "data-name").unwrap_or_default()).collect();
    assert_eq!(findings, ["CreateEC2WithExistingIP", "PermissionsManagement"]);
    // The IAM actions the grant calls over its life, the preflight's list, open on request.
    window.click_css("[data-testid=iam-actions] summary");
    let actions: Vec<String> = window.find_all("[data-testid=iam-action]").iter().map(|a| window.text(a)).collect();
    for needed in ["elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:DescribeListeners", "iam:UpdateAssumeRolePolicy", "ec2:RejectVpcEndpointConnections"] {
        assert!(actions.iter().any(|a| a == needed), "{needed} is not among {actions:?}");
    }
    assert!(window.text_of("[data-testid=iam-actions] summary").contains(&format!("The {} IAM actions", actions.len())));
    window.wait_for("[data-testid=diagram]");
    window.screenshot("review");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=apply-done]");
    assert_eq!(window.find_all("[data-testid=progress-step][data-state=done]").len(), 14);
    // The count the Create button named, said again by the apply, Status and the revoke.
    assert!(window.text_of("[data-testid=apply-done]").starts_with("Done: all 14 resources of the plan in place (14 created now"));
    // Each row keeps the plan's words, with what AWS made beside them; the heading says the outcome.
    let row = window.text_of("[data-testid=progress-step][data-id=nlb-sg]");
    assert!(row.contains("for the load balancer") && row.contains("sg-"), "{row}");
    assert_eq!(window.text_of("[data-testid=step-apply] h2"), format!("Grant {grant} created"));
    window.screenshot("applied");
    // The group's console page opens in the system's browser; the window opens nothing else.
    let link_css = "[data-testid=progress-step][data-id=nlb-sg] [data-testid=console-link]";
    let link = window.attribute(&window.wait_for(link_css), "href").expect("href");
    assert!(link.starts_with("https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#SecurityGroup:groupId=sg-"), "{link}");
    window.click_css(link_css);
    let handed = support::wait_for(Duration::from_secs(10), "the browser to be handed the page", || std::fs::read_to_string(&opened).ok().filter(|t| !t.is_empty()));
    assert_eq!(handed.trim(), link);
    window.script("window.__refused = null; window.__TAURI_INTERNALS__.invoke('open_in_console', { url: 'https://example.com/' }).then(() => { window.__refused = 'opened'; }, (e) => { window.__refused = e.kind; })");
    let refused = support::wait_for(Duration::from_secs(10), "the refusal", || window.script("return window.__refused").as_str().map(str::to_owned));
    assert_eq!(refused, "invalidInput");
    assert_eq!(std::fs::read_to_string(&opened).expect("opened").lines().count(), 1, "nothing else reached the browser");
    window.click_when_enabled(NEXT);
    let service = window.text_of("[data-testid=handoff-service]");
    let zones = window.text_of("[data-testid=handoff-azs]");
    let saved = window.text_of("[data-testid=handoff-saved]");
    let reminder = window.text_of("[data-testid=accept-reminder]");
    assert!(reminder.contains("accept it under Grants → Connections"), "{reminder}");
    window.click_css("[data-testid=copy-summary]");
    assert_eq!(window.text_of("[data-testid=copy-status]"), "Copied as Markdown.");
    let pasted = window.clipboard();
    assert!(pasted.starts_with("# Datafold access to orders-db") && pasted.contains(&service), "the clipboard holds: {pasted}");
    window.screenshot("handoff");
    // "Save as…": the system's save dialog, answered with a name ending in .html.
    let page = bench.home.path().join("for-datafold.html");
    window.click_css("[data-testid=save-summary-as]");
    window.answer_file_dialog("Save the summary for the vendor", &page, true);
    assert_eq!(window.text_of("[data-testid=save-as-done]"), format!("Saved to {}.", page.display()));
    let html = std::fs::read_to_string(&page).expect("saved page");
    assert!(html.starts_with("<!doctype html>") && html.contains(&service) && zones.split(", ").all(|z| html.contains(z)), "{html}");

    // Checked with the test's own calls: everything exists, and the saved summary is real.
    let counts = bench.counts(&grant);
    assert_eq!(counts.values().filter(|n| **n > 0).count(), 6, "{counts:?}");
    let services = bench.block_on(bench.ec2().describe_vpc_endpoint_service_configurations().send()).expect("services");
    assert!(services.service_configurations().iter().any(|s| s.service_name() == Some(service.as_str())), "{service}");
    let summary = std::fs::read_to_string(&saved).expect("saved summary");
    assert!(summary.contains(&service) && summary.contains(&zones), "{summary}");
    assert!(summary.contains("## What it costs (an estimate: us-east-1 prices of 2026-09)") && summary.contains("Network Load Balancer (ours)"), "{summary}");
    assert!(zones.split(", ").all(|z| z.starts_with("use1-az")), "{zones}");

    // Revoke from the Grants screen.
    window.click_css("[data-testid=tab-grants]");
    let row = format!("[data-testid=grant][data-id={grant}]");
    window.wait_for(&format!("{row}[data-state=applied]"));
    let ends = window.text_of(&format!("{row} [data-testid=grant-expiry]"));
    assert!(ends.starts_with("role ends in 90 days"), "{ends}");
    assert_eq!(window.text_of(&format!("{row} [data-testid=grant-vendor-account]")), "Datafold's AWS account 710753145501");
    // Compared with AWS as the screen opened, with the time it was.
    let check = window.text(&window.wait_for(&format!("{row} [data-testid=grant-check][data-result=matches]")));
    assert!(check.starts_with("Checked ") && check.ends_with(": AWS matches the grant."), "{check}");
    window.screenshot("grants");
    window.assert_contrast("grants, light");
    window.click_css(&format!("{row} [data-testid=grant-status]"));
    let counted = window.text_of("[data-testid=status-counts]");
    assert!(counted.starts_with("14 of the plan's 14 resources exist; 6 of them carry the grant's tag: AWS gives listeners, targets"), "{counted}");
    // Revoking sits in the grant's danger zone, which says what each way keeps and removes; the
    // confirmation takes the grant's name, typed.
    let danger = window.text_of(&format!("{row} [data-testid=danger-zone]"));
    assert!(danger.contains("The load balancer and endpoint service stay") && danger.contains("every resource this grant made is deleted"), "{danger}");
    window.click_css(&format!("{row} [data-testid=grant-revoke-all]"));
    assert!(window.is_disabled("[data-testid=confirm-revoke]"), "nothing is removed before the name is typed");
    window.type_into("[data-testid=confirm-grant-name]", "g-00000000");
    assert!(window.is_disabled("[data-testid=confirm-revoke]"), "another grant's name does not confirm");
    window.screenshot("confirm-remove-everything");
    window.assert_contrast("confirm revoke, light");
    window.clear("[data-testid=confirm-grant-name]");
    window.type_into("[data-testid=confirm-grant-name]", &grant);
    window.click_when_enabled("[data-testid=confirm-revoke]");
    window.wait_for("[data-testid=revocation]");
    let checks = window.find_all("[data-testid=proof-check]");
    assert!(checks.len() >= 5);
    assert!(window.find_all("[data-testid=proof-check][data-passed=false]").is_empty());
    let counted = window.text_of("[data-testid=revoke-counts]");
    assert!(counted.starts_with("14 of the grant's 14 resources removed by this revoke, and "), "{counted}");
    assert!(counted.contains("role's trust closed") && counted.contains("role's open sessions revoked"), "{counted}");
    // Where the proof is kept, and a copy exported through the system's save dialog.
    let proof_file = window.text_of("[data-testid=proof-file]");
    let kept: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&proof_file).expect("the proof file named on screen")).expect("JSON");
    assert_eq!(kept["grantId"], grant.as_str());
    assert!(kept["checks"].as_array().is_some_and(|c| c.len() == checks.len()), "{kept:#}");
    let export = bench.home.path().join("proof-for-audit.json");
    window.click_css("[data-testid=export-proof]");
    window.answer_file_dialog("Export the revoke proof", &export, true);
    assert_eq!(window.text_of("[data-testid=proof-exported]"), format!("Exported to {}", export.display()));
    let exported: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&export).expect("exported proof")).expect("JSON");
    assert_eq!(exported, kept, "the export is the proof kept with the grant");
    window.screenshot("revoked");
    window.assert_contrast("revoked, light");
    let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
    assert!(left.is_empty(), "{left:?}");
    window.wait_for(&format!("{row}[data-state=revoked]"));
    // The grant's history, read back in the window.
    window.click_css(&format!("{row} [data-testid=grant-history]"));
    let history = window.text_of("[data-testid=history]");
    assert!(history.contains("apply by arn:aws:sts::123456789012:user/moto: applied, 14 AWS calls"), "{history}");
    assert!(history.contains("revoke by arn:aws:sts::123456789012:user/moto: revoked"), "{history}");
    window.screenshot("history");
    window.close();
}

#[test]
fn bad_input_is_shown_at_its_field_and_blocks_next() {
    let bench = Bench::new();
    let desktop = Desktop::start("wizard-bad-input", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    // Vendor: a Custom vendor with a malformed account.
    window.click_css("[data-testid=vendor][data-id=custom]");
    window.type_into("[data-testid=custom-account]", "12345");
    let error = window.text_of("[data-testid=vendor-errors]");
    assert!(error.contains("accountId") && error.contains("is not an AWS account id"), "{error}");
    assert!(window.is_disabled(NEXT));
    window.screenshot("bad-vendor");
    // A profile from an address that is not HTTPS.
    window.type_into("[data-testid=vendor-spec]", "http://vendor.example/profile.json");
    window.click_css("[data-testid=vendor-load]");
    assert!(window.text_of("[data-testid=vendor-load-error]").contains("is not HTTPS"));
    // The page cannot make the app read a file by naming it: files come only from the dialog.
    window.clear("[data-testid=vendor-spec]");
    window.type_into("[data-testid=vendor-spec]", "/etc/passwd");
    window.click_css("[data-testid=vendor-load]");
    // The earlier refusal stays on screen until this one's answer replaces it.
    support::wait_for(Duration::from_secs(10), "the refusal of /etc/passwd", || {
        Some(window.text_of("[data-testid=vendor-load-error]")).filter(|refused| refused.contains("\"/etc/passwd\" is neither a preset nor an https:// address"))
    });
    // A profile file picked in the system's open dialog; a broken one is refused by field.
    let profile = bench.home.path().join("acme.json");
    std::fs::write(&profile, r#"{"id": "acme-etl", "name": "Acme ETL", "accountId": "111122223333", "ipRanges": ["198.51.100.7/32", "10.0.0.1/8"]}"#).expect("profile");
    window.click_css("[data-testid=vendor-choose-file]");
    window.answer_file_dialog("Open a vendor profile", &profile, false);
    let error = window.text_of("[data-testid=vendor-load-error]");
    assert!(error.contains("\"10.0.0.1/8\" has host bits set"), "{error}");
    std::fs::write(&profile, r#"{"id": "acme-etl", "name": "Acme ETL", "accountId": "111122223333", "ipRanges": ["198.51.100.7/32"]}"#).expect("profile");
    window.click_css("[data-testid=vendor-choose-file]");
    window.answer_file_dialog("Open a vendor profile", &profile, false);
    window.wait_for("[data-testid=vendor][data-id=acme-etl][aria-checked=true]");
    assert!(window.text_of("[data-testid=vendor-detail]").contains("What Acme ETL will get"));
    window.screenshot("profile-from-file");

    // Credentials: nothing checked yet, Next waits.
    window.click_css("[data-testid=vendor][data-id=datafold]");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=credentials-screen]");
    assert!(window.is_disabled(NEXT));
    window.click_css(SANDBOX);
    window.check_identity();
    window.click_when_enabled(NEXT);
    // Database: nothing picked, Next waits, and says why.
    window.wait_for("[data-testid=database][data-id=orders-db]");
    assert!(window.is_disabled(NEXT));
    assert_eq!(window.text_of("[data-testid=next-why]"), "Pick a database to go on.");
    window.click_css("[data-testid=database][data-id=orders-db]");
    window.click_when_enabled(NEXT);

    // Access: an address outside the VPC, an end date in the past, a session IAM refuses.
    window.type_into("[data-testid=field-targetIps]", "10.99.0.5");
    window.clear("[data-testid=field-expires]");
    window.type_into("[data-testid=field-expires]", "2020-01-01");
    window.clear("[data-testid=field-maxSessionHours]");
    window.type_into("[data-testid=field-maxSessionHours]", "13");
    assert!(window.text_of("[data-testid=error-targetIps]").contains("10.99.0.5 is not inside the database's VPC (10.20.0.0/16)."));
    // The input itself is marked, not only the text under it.
    assert_eq!(window.attribute(&window.wait_for("[data-testid=field-targetIps]"), "aria-invalid").as_deref(), Some("true"));
    assert!(window.text_of("[data-testid=error-expires]").contains("2020-01-01 is already over (UTC)."));
    // Datafold's policy passes every role until the admin limits it.
    let pass_role = window.text_of("[data-testid=error-passRole]");
    assert!(pass_role.contains("Datafold's policy allows iam:PassRole on every role"), "{pass_role}");
    assert!(window.text_of("[data-testid=error-maxSessionHours]").contains("13 hours is not a session length IAM allows."));
    assert!(window.is_disabled(NEXT));
    // No part chosen at all.
    for part in ["privateLink", "vendorRole"] {
        window.click_css(&format!("[data-testid=part-{part}]"));
    }
    assert!(window.text_of("[data-testid=error-parts]").contains("No part of a grant is chosen."));
    window.screenshot("bad-access");
    assert!(window.is_disabled(NEXT));
    assert!(bench.vl(&["status"]).stdout.starts_with(b"No grants recorded"), "nothing was planned");
    window.close();
}

#[test]
fn a_failure_during_apply_is_shown_and_rolled_back() {
    let bench = Bench::new();
    let desktop = Desktop::start("wizard-failure", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    to_access(&window, "datafold");
    window.type_into("[data-testid=field-targetIps]", TARGET_IP);
    window.click_when_enabled(NEXT);
    let grant = review_grant(&window);
    bench.emulator.fail_matching("CreateListener", "Port");
    window.click_when_enabled(NEXT);
    let error = window.text_of("[data-testid=apply-error]");
    assert!(error.contains("Step listener failed") && error.contains("Everything this grant had created was removed again."), "{error}");
    window.wait_for("[data-testid=progress-step][data-id=nlb][data-state=removed]");
    window.screenshot("rolled-back");
    bench.emulator.clear_faults();
    let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
    assert!(left.is_empty(), "{left:?}");
    window.close();
}

#[test]
fn an_apply_cut_short_by_closing_the_app_is_resumed_after_a_restart() {
    let bench = Bench::new();
    let grant;
    {
        // This launch stops before its 8th journal record, as if the machine died there.
        let desktop = Desktop::start("wizard-crash", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint), ("VENDORLINK_TEST_PAUSE_BEFORE_RECORD", "8")]);
        let window = desktop.open();
        to_access(&window, "datafold");
        // The allowlist, opted into, adds six rules a resume must not make twice.
        window.click_css("[data-testid=part-ipAllowlist]");
        window.type_into("[data-testid=field-targetIps]", TARGET_IP);
        window.click_when_enabled(NEXT);
        grant = review_grant(&window);
        window.click_when_enabled(NEXT);
        window.wait_for("[data-testid=progress-step][data-state=done]");
        window.screenshot("interrupted");
        window.close(); // the app is killed with its session
    }
    let desktop = Desktop::start("wizard-resume", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    resume_from_the_grants_screen(&window, &grant);
    window.screenshot("resumed");
    let counts = bench.counts(&grant);
    assert_eq!(counts.values().filter(|n| **n > 0).count(), 6, "{counts:?}");
    assert_eq!(counts["rule"], 7, "no duplicate rule after the resume: {counts:?}");
    window.close();
}

#[test]
fn cancelling_an_apply_rolls_back_what_it_made() {
    let bench = Bench::new();
    let desktop = Desktop::start("wizard-cancel", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    to_access(&window, "datafold");
    window.type_into("[data-testid=field-targetIps]", TARGET_IP);
    window.click_when_enabled(NEXT);
    let grant = review_grant(&window);
    // The load balancer stays "provisioning" until the test has pressed Cancel, however slow
    // the machine: steps are still to come when the admin cancels.
    bench.emulator.hold_load_balancers(true);
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=progress-step][data-id=nlb][data-state=waiting]");
    window.click_css("[data-testid=cancel-apply]");
    bench.emulator.hold_load_balancers(false);
    let error = window.text_of("[data-testid=apply-error]");
    assert!(error.contains("Cancelled by the admin. Everything this grant had created was removed again."), "{error}");
    assert_eq!(window.text_of("[data-testid=step-apply] h2"), format!("Grant {grant} cancelled"));
    window.screenshot("cancelled");
    let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
    assert!(left.is_empty(), "{left:?}");
    window.close();
}

#[test]
fn drift_is_shown_and_targets_resynced_from_the_grants_screen() {
    let bench = Bench::new();
    let vendor = bench.datafold_from("198.51.100.60");
    let grant = support::bench::grant_id(&bench.plan_for(&vendor, &["private-link"], &[]));
    assert!(bench.apply(&grant).status.success());
    // RDS moved the database: the old address is gone from the target group.
    // The grant's target group, found by its tag with the test's own calls.
    let target_group = match bench.tagged(&grant).remove("targetGroup").unwrap_or_default().as_slice() {
        [one] => one.clone(),
        other => panic!("expected one tagged target group: {other:?}"),
    };
    let old = aws_sdk_elasticloadbalancingv2::types::TargetDescription::builder().id(TARGET_IP).port(5432).build();
    bench.block_on(bench.elb().deregister_targets().target_group_arn(&target_group).targets(old).send()).expect("deregister");

    let desktop = Desktop::start("wizard-drift", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    window.click_css("[data-testid=tab-grants]");
    // The screen found the drift by itself as it opened.
    let check = window.text(&window.wait_for(&format!("[data-testid=grant][data-id={grant}] [data-testid=grant-check][data-result=drift]")));
    assert!(check.contains(" from the grant: open Status and drift."), "{check}");
    window.click_css(&format!("[data-testid=grant][data-id={grant}] [data-testid=grant-status]"));
    let drift = window.text_of("[data-testid=drift][data-kind=targets]");
    assert!(drift.contains("sends to nothing"), "{drift}");
    window.screenshot("drift");
    window.type_into("[data-testid=resync-ips]", "10.20.2.30");
    window.click_css("[data-testid=resync]");
    window.wait_for("[data-testid=no-drift]");
    window.screenshot("resynced");
    let health = bench.block_on(bench.elb().describe_target_health().target_group_arn(&target_group).send()).expect("targets");
    let targets: Vec<&str> = health.target_health_descriptions().iter().filter_map(|d| d.target().and_then(|t| t.id())).collect();
    assert_eq!(targets, ["10.20.2.30"]);
    window.close();
}

#[test]
fn every_step_fits_1024_by_700_and_labels_every_input() {
    let bench = Bench::new();
    let desktop = Desktop::start("wizard-small", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    window.set_size(1024, 700);
    let unlabelled = |window: &Window| {
        window.script(
            "return [...document.querySelectorAll('input, select, textarea')].filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.dataset.testid || e.id || e.outerHTML)",
        )
    };
    let too_wide = |window: &Window| window.script("return document.documentElement.scrollWidth > window.innerWidth");
    let check = |window: &Window, step: &str| {
        assert_eq!(unlabelled(window), serde_json::json!([]), "inputs without a label on {step}");
        assert_eq!(too_wide(window), serde_json::json!(false), "{step} scrolls sideways at 1024 px");
        window.screenshot(step);
    };
    check(&window, "vendor");
    window.click_css("[data-testid=vendor][data-id=datafold]");
    window.click_when_enabled(NEXT);
    window.click_css(SANDBOX);
    window.check_identity();
    window.wait_for("[data-testid=identity-account]");
    check(&window, "credentials");
    window.click_when_enabled(NEXT);
    window.click_css("[data-testid=database][data-id=orders-db]");
    check(&window, "database");
    window.click_when_enabled(NEXT);
    window.type_into("[data-testid=field-targetIps]", TARGET_IP);
    window.type_into("[data-testid=field-passRoleArns]", NODE_ROLE);
    check(&window, "access");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=plan-steps]");
    check(&window, "review");
    window.click_css("[data-testid=tab-grants]");
    window.wait_for("[data-testid=grant-list]");
    check(&window, "grants");
    window.close();
}

#[test]
fn grants_made_elsewhere_are_found_adopted_and_removed_by_tag_in_the_light_theme() {
    grants_made_elsewhere("light");
}

#[test]
fn grants_made_elsewhere_are_found_adopted_and_removed_by_tag_in_the_dark_theme() {
    grants_made_elsewhere("dark");
}

/// Two grants made on another machine, found by their tags: one adopted from its exported
/// record, the other looked at and removed by its tag; each screen checked for contrast.
fn grants_made_elsewhere(theme: &str) {
    let bench = Bench::new();
    // A grant made from another machine: another home, same account.
    let elsewhere = support::Home::new();
    let vendor = bench.datafold_from("198.51.100.70");
    let plan = support::cli(
        &elsewhere,
        &bench.env(),
        &[
            "--json",
            "plan",
            "--sandbox",
            "--vendor",
            &vendor,
            "--database",
            "orders-db",
            "--target-ip",
            support::bench::TARGET_IP,
            "--part",
            "private-link",
            "--part",
            "vendor-role",
            "--drop-pass-role",
        ],
        "",
    );
    let grant = support::bench::grant_id(&serde_json::from_slice(&plan.stdout).expect("plan"));
    assert!(support::cli(&elsewhere, &bench.env(), &["apply", &grant], "").status.success());
    // A second one, whose record the colleague exports for this machine to adopt.
    let plan =
        support::cli(&elsewhere, &bench.env(), &["--json", "plan", "--sandbox", "--vendor", &vendor, "--database", "orders-db", "--part", "vendor-role", "--drop-pass-role"], "");
    let adopted = support::bench::grant_id(&serde_json::from_slice(&plan.stdout).expect("plan"));
    assert!(support::cli(&elsewhere, &bench.env(), &["apply", &adopted], "").status.success());
    let record = bench.home.path().join(format!("{adopted}.vendorlink-grant.json"));
    assert!(support::cli(&elsewhere, &bench.env(), &["export", &adopted, "--out", &record.display().to_string()], "").status.success());

    let dark = [("GTK_THEME", "Adwaita:dark")];
    let env = [&[("VENDORLINK_SANDBOX_ENDPOINT", bench.emulator.endpoint.as_str())][..], if theme == "dark" { &dark[..] } else { &[] }].concat();
    let desktop = Desktop::start(&format!("wizard-account-grants-{theme}"), &bench.home, &env);
    let window = desktop.open();
    assert_eq!(background_is_dark(&window), theme == "dark");
    signed_in(&window, "datafold");
    window.click_css("[data-testid=tab-grants]");
    window.wait_for("[data-testid=no-grants]");
    window.click_css("[data-testid=look-in-account]");
    let found = window.text_of(&format!("[data-testid=account-grant][data-id={grant}]"));
    assert!(found.contains("role vendorlink-datafold-") && found.contains("(datafold)"), "{found}");
    window.screenshot("account-grants");
    window.assert_contrast(&format!("account grants, {theme}"));
    // Adopting asks for the exported record; another grant's file is refused by name.
    window.click_css(&format!("[data-testid=account-grant][data-id={grant}] [data-testid=found-adopt]"));
    window.answer_file_dialog("Adopt a grant exported on another machine", &record, false);
    let refused = window.text_of("[data-testid=adopt-error]");
    assert!(refused.starts_with(&format!("This file holds grant {adopted}, not {grant}.")) && refused.contains("Choose the file exported for"), "{refused}");
    window.screenshot("adopt-refused");
    window.assert_contrast(&format!("adopt refused, {theme}"));
    window.click_css(&format!("[data-testid=account-grant][data-id={adopted}] [data-testid=found-adopt]"));
    window.answer_file_dialog("Adopt a grant exported on another machine", &record, false);
    assert!(window.text_of("[data-testid=grant-adopted]").starts_with(&format!("Adopted {adopted}")));
    let adopted_row = format!("[data-testid=grant][data-id={adopted}]");
    window.wait_for(&format!("{adopted_row}[data-state=applied] [data-testid=grant-check][data-result=matches]"));
    window.wait_gone(&format!("[data-testid=account-grant][data-id={adopted}]"));
    window.screenshot("grant-adopted");
    window.assert_contrast(&format!("grant adopted, {theme}"));
    // Its record exported again from here is the one adopted.
    let again = bench.home.path().join("again.json");
    window.click_css(&format!("{adopted_row} [data-testid=grant-export]"));
    window.answer_file_dialog("Export the grant's record", &again, true);
    assert!(window.text_of("[data-testid=grant-exported]").starts_with(&format!("Exported {adopted}'s record to {}", again.display())));
    let read = |path: &std::path::Path| serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(path).expect("record")).expect("JSON");
    assert_eq!(read(&again), read(&record), "plan, journal and proofs travel unchanged");
    // Status reads the tags again, each resource linked to its console page.
    let card = format!("[data-testid=account-grant][data-id={grant}]");
    let listed = window.text_of(&format!("{card} [data-testid=found-resources]")).split_whitespace().next().unwrap_or_default().to_owned();
    window.click_css(&format!("{card} [data-testid=found-status]"));
    window.wait_for("[data-testid=found-grant]");
    let kinds: Vec<String> = window.find_all("[data-testid=found-resource]").iter().filter_map(|r| window.attribute(r, "data-kind")).collect();
    for kind in ["endpointService", "loadBalancer", "securityGroup", "role"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} listed: {kinds:?}");
    }
    assert!(!window.find_all("[data-testid=found-grant] [data-testid=console-link]").is_empty(), "linked to the console");
    assert!(window.text_of("[data-testid=found-checked]").starts_with("Read "));
    window.screenshot("found-grant-status");
    window.assert_contrast(&format!("found grant status, {theme}"));
    // Removing it asks for its name, then proves nothing carries its tag any more.
    window.click_css(&format!("{card} [data-testid=found-revoke]"));
    assert!(window.text_of(".confirm-revoke").contains("Remove everything that carries this grant's tag"));
    window.type_into("[data-testid=confirm-grant-name]", &grant);
    window.screenshot("found-grant-confirm");
    window.assert_contrast(&format!("found grant confirm, {theme}"));
    window.click_when_enabled("[data-testid=confirm-revoke]");
    window.wait_for("[data-testid=revocation]");
    let checks: Vec<String> = window.find_all("[data-testid=proof-check]").iter().map(|c| window.text(c)).collect();
    assert!(checks.iter().any(|c| c.contains(&format!("carries the tag vendorlink:grant={grant}"))), "{checks:?}");
    assert!(window.find_all("[data-testid=proof-check][data-passed=false]").is_empty(), "{checks:?}");
    // The count its card showed is the count removed.
    let counted = window.text_of("[data-testid=revoke-counts]");
    assert!(counted.starts_with(&format!("{listed} resources that carried the grant's tag removed, and ")), "{counted} / {found}");
    window.wait_for("[data-testid=no-account-grants]");
    window.screenshot("found-grant-revoked");
    window.assert_contrast(&format!("found grant revoked, {theme}"));
    let left: Vec<_> = bench.tagged(&grant).into_iter().filter(|(_, ids)| !ids.is_empty()).collect();
    assert!(left.is_empty(), "nothing tagged is left: {left:?}");
    window.close();
}

/// Light or dark, as the page's own colours say (the background is painted on the root).
fn background_is_dark(window: &Window) -> bool {
    let rgba = window.script("return getComputedStyle(document.documentElement).backgroundColor.match(/[\\d.]+/g).map(Number)");
    let channels: Vec<f64> = rgba.as_array().expect("rgba").iter().filter_map(serde_json::Value::as_f64).collect();
    assert!(channels.len() == 3 || channels.get(3) == Some(&1.0), "the page paints no opaque background: {rgba}");
    channels[..3].iter().sum::<f64>() / 3.0 < 100.0
}

#[test]
fn every_step_by_keyboard_alone_with_visible_focus_and_aa_contrast_in_the_light_theme() {
    let bench = Bench::new();
    let desktop = Desktop::start("wizard-keyboard", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    assert!(!background_is_dark(&window), "the default system theme is light");
    // Each move is Tab until the control has the focus (its ring checked on the way), then
    // Space or Enter, or typing: no click from here on.
    window.tab_to("[data-testid=vendor][data-id=datafold]");
    window.press(SPACE);
    window.tab_to(&format!("{NEXT}:not([disabled])"));
    window.screenshot("vendor");
    window.assert_contrast("vendor, light");
    window.press(ENTER);
    window.tab_to(SANDBOX);
    window.press(ENTER);
    window.tab_to("[data-testid=use-source]");
    window.press(ENTER);
    window.wait_for("[data-testid=identity-account]");
    window.wait_for(&format!("{NEXT}:not([disabled])"));
    window.tab_to(NEXT);
    window.screenshot("credentials");
    window.assert_contrast("credentials, light");
    window.press(ENTER);
    window.wait_for("[data-testid=database][data-id=orders-db]");
    window.tab_to("[data-testid=database][data-id=orders-db]");
    window.press(SPACE);
    window.tab_to(&format!("{NEXT}:not([disabled])"));
    window.screenshot("database");
    window.assert_contrast("database, light");
    window.press(ENTER);
    window.wait_for("[data-testid=step-access]");
    window.tab_to("[data-testid=field-targetIps]");
    window.press(TARGET_IP);
    window.tab_to("[data-testid=field-passRoleArns]");
    window.press(NODE_ROLE);
    window.wait_for(&format!("{NEXT}:not([disabled])"));
    window.tab_to(NEXT);
    window.screenshot("access");
    window.assert_contrast("access, light");
    window.press(ENTER);
    let grant = review_grant(&window);
    window.wait_for(&format!("{NEXT}:not([disabled])"));
    window.tab_to(NEXT);
    window.screenshot("review");
    window.assert_contrast("review, light");
    window.press(ENTER);
    window.wait_for("[data-testid=apply-done]");
    window.tab_to(&format!("{NEXT}:not([disabled])"));
    window.press(ENTER);
    window.tab_to("[data-testid=copy-summary]");
    window.press(ENTER);
    assert_eq!(window.text_of("[data-testid=copy-status]"), "Copied as Markdown.");
    window.screenshot("handoff");
    window.assert_contrast("handoff, light");
    let counts = bench.counts(&grant);
    assert_eq!(counts.values().filter(|n| **n > 0).count(), 6, "all three parts were created: {counts:?}");
    window.close();
}

#[test]
fn a_dark_system_theme_gives_a_dark_window_with_aa_contrast_on_every_screen() {
    let bench = Bench::new();
    let desktop = Desktop::start("wizard-dark", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint), ("GTK_THEME", "Adwaita:dark")]);
    let window = desktop.open();
    assert_eq!(window.script("return matchMedia('(prefers-color-scheme: dark)').matches"), serde_json::json!(true));
    assert!(background_is_dark(&window), "the page keeps a light background under a dark theme");
    window.screenshot("vendor");
    window.assert_contrast("vendor, dark");
    signed_in(&window, "datafold");
    window.assert_contrast("credentials, dark");
    // An error's sentence, with what AWS said folded under it, opened; then checked again.
    bench.emulator.fault("GetCallerIdentity", "deny", 1);
    window.check_identity();
    window.click_css("[data-testid=identity-error] [data-testid=error-detail] summary");
    assert!(!window.text_of("[data-testid=identity-error] [data-testid=error-detail] pre").is_empty());
    window.screenshot("error-detail");
    window.assert_contrast("error with its detail, dark");
    window.check_identity();
    window.wait_for("[data-testid=identity-account]");
    // The keychain's form, in its dialog over the step.
    window.click_css("[data-testid=add-key]");
    window.wait_for("[data-testid=keychain-dialog][open] [data-testid=keychain-form]");
    window.screenshot("key-dialog");
    window.assert_contrast("key dialog, dark");
    window.press(ESCAPE);
    window.wait_gone("[data-testid=keychain-dialog][open]");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=database][data-id=orders-db]");
    window.click_css("[data-testid=database][data-id=orders-db]");
    // The chosen card carries a tick, not only a thicker border.
    let tick = window.script("return getComputedStyle(document.querySelector('[data-testid=database][data-id=orders-db]'), '::after').content");
    assert_eq!(tick, serde_json::json!("\"✓\""));
    window.screenshot("database");
    window.assert_contrast("database, dark");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=step-access]");
    window.type_into("[data-testid=field-targetIps]", "10.99.0.5");
    window.text_of("[data-testid=error-targetIps]");
    window.screenshot("access-error");
    window.assert_contrast("access with errors, dark");
    window.clear("[data-testid=field-targetIps]");
    window.type_into("[data-testid=field-targetIps]", TARGET_IP);
    window.type_into("[data-testid=field-passRoleArns]", NODE_ROLE);
    window.click_when_enabled(NEXT);
    let grant = review_grant(&window);
    window.screenshot("review");
    window.assert_contrast("review, dark");
    // The role's trust policy, unfolded as JSON.
    window.click_css("[data-testid=trust-policy] summary");
    assert!(window.text_of("[data-testid=trust-policy] pre").contains("aws:MultiFactorAuthPresent"));
    window.screenshot("review-role-json");
    window.assert_contrast("review with the role's JSON, dark");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=apply-done]");
    assert!(window.text_of("[data-testid=apply-done]").starts_with("Done: all 14 resources of the plan in place"));
    assert!(!window.find_all("[data-testid=console-link]").is_empty(), "each row links to its console page");
    window.screenshot("applied");
    window.assert_contrast("apply, dark");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=copy-summary]");
    window.screenshot("handoff");
    window.assert_contrast("handoff, dark");
    window.click_css("[data-testid=tab-grants]");
    let row = format!("[data-testid=grant][data-id={grant}]");
    window.wait_for(&format!("{row}[data-state=applied]"));
    window.click_css(&format!("{row} [data-testid=grant-status]"));
    window.wait_for("[data-testid=status]");
    window.screenshot("grants");
    window.assert_contrast("grants, dark");
    window.click_css(&format!("{row} [data-testid=grant-revoke-all]"));
    window.type_into("[data-testid=confirm-grant-name]", &grant);
    window.screenshot("confirm-revoke");
    window.assert_contrast("confirm revoke, dark");
    window.click_when_enabled("[data-testid=confirm-revoke]");
    window.wait_for("[data-testid=revocation]");
    assert!(window.text_of("[data-testid=revoke-counts]").starts_with("14 of the grant's 14 resources removed by this revoke"));
    window.screenshot("revoked");
    window.assert_contrast("revoked, dark");
    window.close();
}

#[test]
fn a_running_apply_shows_as_running_and_an_interrupted_revoke_offers_revoke_never_resume_in_the_light_theme() {
    grants_in_every_state("light");
}

#[test]
fn a_running_apply_shows_as_running_and_an_interrupted_revoke_offers_revoke_never_resume_in_the_dark_theme() {
    grants_in_every_state("dark");
}

/// A running apply, an interrupted revoke and two planned grants (one discarded, one applied
/// from the list), seen on the Grants screen; each screen checked for contrast.
fn grants_in_every_state(theme: &str) {
    let bench = Bench::new();
    // One grant whose apply is still running (paused mid-way by the test), one whose revoke
    // was killed half-way: both made on the command line, seen in the window.
    let running = grant_id(&bench.plan_on("orders-db", &bench.datafold_from("198.51.100.80"), &["private-link", "vendor-role", "ip-allowlist"], &[]));
    let mut apply = bench.pause_at(&["apply", &running], 6).expect("the apply pauses");
    let revoking = grant_id(&bench.plan_on("analytics", &bench.datafold_from("198.51.100.81"), &["private-link", "vendor-role", "ip-allowlist"], &[]));
    assert!(bench.apply(&revoking).status.success());
    let applied = bench.journal(&revoking).len();
    assert!(bench.kill_at(&["revoke", &revoking], applied + 6), "the revoke was killed half-way");
    // Two grants only planned: one is discarded, the other applied from the list.
    let dropped = grant_id(&bench.plan_on("orders-db", &bench.datafold_from("198.51.100.82"), &["vendor-role"], &[]));
    let planned = grant_id(&bench.plan_on("orders-db", &bench.datafold_from("198.51.100.83"), &["vendor-role"], &[]));

    let dark = [("GTK_THEME", "Adwaita:dark")];
    let env = [&[("VENDORLINK_SANDBOX_ENDPOINT", bench.emulator.endpoint.as_str())][..], if theme == "dark" { &dark[..] } else { &[] }].concat();
    let desktop = Desktop::start(&format!("wizard-states-{theme}"), &bench.home, &env);
    let window = desktop.open();
    assert_eq!(background_is_dark(&window), theme == "dark");
    window.click_css("[data-testid=tab-grants]");
    let running_row = format!("[data-testid=grant][data-id={running}]");
    window.wait_for(&format!("{running_row}[data-state=running]"));
    assert_eq!(window.text_of(&format!("{running_row} [data-testid=grant-state]")), "running now");
    assert!(window.find_all(&format!("{running_row} [data-testid=grant-resume]")).is_empty(), "a running apply is not offered for resuming");
    let revoking_row = format!("[data-testid=grant][data-id={revoking}]");
    window.wait_for(&format!("{revoking_row}[data-state=revokeIncomplete]"));
    assert_eq!(window.text_of(&format!("{revoking_row} [data-testid=grant-state]")), "Revoke incomplete — retry revoke");
    assert!(window.find_all(&format!("{revoking_row} [data-testid=grant-resume]")).is_empty(), "an interrupted revoke is never resumed as an apply");
    let dropped_row = format!("[data-testid=grant][data-id={dropped}]");
    let planned_row = format!("[data-testid=grant][data-id={planned}]");
    window.wait_for(&format!("{planned_row}[data-state=planned]"));
    assert!(window.find_all(&format!("{planned_row} [data-testid=danger-zone]")).is_empty(), "nothing to revoke in a planned grant");
    window.screenshot("states");
    window.assert_contrast(&format!("running, interrupted and planned grants, {theme}"));
    window.click_css(&format!("{dropped_row} [data-testid=grant-discard]"));
    assert!(window.text_of("[data-testid=grant-discarded]").contains("nothing in AWS changed"));
    window.wait_gone(&dropped_row);
    assert!(!bench.home.path().join(".local/share/vendorlink/grants").join(&dropped).exists(), "the discarded grant is gone from disk");
    window.screenshot("planned-discarded");
    window.assert_contrast(&format!("a planned grant discarded, {theme}"));
    // Retrying the revoke finishes it.
    window.click_css(&format!("{revoking_row} [data-testid=grant-revoke-all]"));
    window.type_into("[data-testid=confirm-grant-name]", &revoking);
    window.click_when_enabled("[data-testid=confirm-revoke]");
    window.wait_for("[data-testid=revocation]");
    assert!(window.find_all("[data-testid=proof-check][data-passed=false]").is_empty());
    window.wait_for(&format!("{revoking_row}[data-state=revoked]"));
    window.screenshot("revoke-retried");
    window.assert_contrast(&format!("an interrupted revoke finished, {theme}"));
    // Apply, offered for the planned grant, runs it in the wizard's progress view.
    window.click_css(&format!("{planned_row} [data-testid=grant-apply]"));
    window.wait_for("[data-testid=apply-done]");
    assert_eq!(bench.tagged(&planned).get("role").map(Vec::len), Some(1), "the planned grant's role exists now");
    apply.kill().expect("kill the paused apply");
    apply.wait().expect("reap");
    window.close();
}

#[test]
fn the_vendors_endpoint_is_accepted_from_the_grants_screen_and_another_accounts_is_flagged() {
    let bench = Bench::new();
    let grant = grant_id(&bench.plan(&["private-link"], &[]));
    assert!(bench.apply(&grant).status.success());
    let (_, vendor, stranger) = bench.vendor_and_stranger_endpoints(&grant);

    let desktop = Desktop::start("wizard-connections", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    window.click_css("[data-testid=tab-grants]");
    // Checked as the screen opens: the stranger's account, allowed on the service by hand so it
    // could connect, is the one difference; both endpoints wait, one of them the stranger's.
    let check = window.wait_for(&format!("[data-testid=grant][data-id={grant}] [data-testid=grant-check][data-result=drift]"));
    let said = window.text(&check);
    assert!(
        said.starts_with("Checked ")
            && said.ends_with(": 1 difference from the grant: open Status and drift; 2 endpoint connections wait for your acceptance; 1 from another account than the vendor's."),
        "{said}"
    );
    window.click_css(&format!("[data-testid=grant][data-id={grant}] [data-testid=grant-connections]"));
    let vendor_row = format!("[data-testid=connection][data-id={vendor}]");
    let stranger_row = format!("[data-testid=connection][data-id={stranger}]");
    window.wait_for(&format!("{vendor_row}[data-state=pendingAcceptance][data-vendor=true]"));
    window.wait_for(&format!("{stranger_row}[data-vendor=false] [data-testid=connection-foreign]"));
    assert!(window.text_of(&format!("{stranger_row} [data-testid=connection-accept]")).contains("Accept anyway (account 111122223333)"));
    window.screenshot("connections");
    window.click_css(&format!("{vendor_row} [data-testid=connection-accept]"));
    window.wait_for(&format!("{vendor_row}[data-state=available]"));
    window.click_css(&format!("{stranger_row} [data-testid=connection-reject]"));
    window.wait_for(&format!("{stranger_row}[data-state=rejected]"));
    window.screenshot("connections-decided");
    // The test's own check: the vendor's client reaches the database now.
    assert_eq!(bench.vendor_reaches(&vendor)["reachable"], true);
    window.close();
}

#[test]
fn a_vendor_that_issues_its_external_id_gets_a_field_for_it_checked_as_typed() {
    let bench = Bench::new();
    let desktop = Desktop::start("wizard-external-id", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    // Custom: the vendor issues the ExternalId (no profile value, customer-chosen ids not accepted).
    window.click_css("[data-testid=vendor][data-id=custom]");
    window.type_into("[data-testid=custom-account]", "111122223333");
    window.click_when_enabled(NEXT);
    window.click_css(SANDBOX);
    window.check_identity();
    window.click_when_enabled(NEXT);
    window.click_css("[data-testid=database][data-id=orders-db]");
    window.click_when_enabled(NEXT);
    window.click_css("[data-testid=part-vendorRole]");
    window.wait_for("[data-testid=field-externalId]");
    window.type_into("[data-testid=field-externalId]", "has spaces");
    let error = window.text_of("[data-testid=error-externalId]");
    assert!(error.contains("An ExternalId may only hold letters, digits"), "{error}");
    window.screenshot("bad-external-id");
    window.clear("[data-testid=field-externalId]");
    window.type_into("[data-testid=field-externalId]", "custom-issued-7f3a");
    window.wait_gone("[data-testid=error-externalId] p");
    window.close();
}

#[test]
fn a_database_in_a_member_account_is_found_across_the_organization_and_granted_there() {
    let bench = Bench::new();
    let analytics = bench.organization_accounts()["analytics"].clone();
    let legacy = bench.organization_accounts()["legacy-invited"].clone();
    let desktop = Desktop::start("wizard-organization", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    signed_in(&window, "datafold");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=database][data-id=orders-db]");
    assert!(window.find_all("[data-testid=database][data-id=events-db]").is_empty(), "the account alone shows only its own databases");
    window.click_css("[data-testid=db-organization]");
    window.wait_for(&format!("[data-testid=database][data-id=events-db][data-account='{analytics}']"));
    let detail = window.text_of("[data-testid=database][data-id=events-db] [data-testid=database-account]");
    assert!(detail.contains(&format!("account analytics ({analytics})")), "{detail}");
    // The account that cannot be entered is named, with what to do about it.
    let failure = window.text_of(&format!("[data-testid=account-failure][data-account='{legacy}']"));
    assert!(failure.contains("legacy-invited") && failure.contains("OrganizationAccountAccessRole") && failure.contains("invited"), "{failure}");
    window.screenshot("organization");
    // Another role to enter member accounts: where it does not exist, every member account is
    // named as not entered (the credentials' own account is still read); back to the default,
    // they are read again.
    window.clear("[data-testid=db-access-role]");
    window.type_into("[data-testid=db-access-role]", "VendorLinkReader");
    window.click_css("[data-testid=db-search]");
    window.wait_for(&format!("[data-testid=account-failure][data-account='{analytics}']"));
    assert!(window.find_all("[data-testid=database][data-id=events-db]").is_empty());
    assert!(!window.find_all("[data-testid=database][data-id=orders-db]").is_empty(), "the management account's own databases are still listed");
    assert!(window.text_of(&format!("[data-testid=account-failure][data-account='{analytics}']")).contains("VendorLinkReader"));
    window.clear("[data-testid=db-access-role]");
    window.type_into("[data-testid=db-access-role]", "OrganizationAccountAccessRole");
    window.click_css("[data-testid=db-search]");
    window.wait_for(&format!("[data-testid=database][data-id=events-db][data-account='{analytics}']"));
    window.click_css("[data-testid=database][data-id=events-db]");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=step-access]");
    window.type_into("[data-testid=field-passRoleArns]", NODE_ROLE);
    window.type_into("[data-testid=field-targetIps]", "10.60.1.20");
    window.click_when_enabled(NEXT);
    let grant = review_grant(&window);
    let lead = window.text_of("[data-testid=step-review] .lead");
    assert!(lead.contains(&format!("in account {analytics}, eu-west-1")), "{lead}");
    let member = window.text_of("[data-testid=member-access]");
    assert!(member.contains("from account 123456789012 through the role OrganizationAccountAccessRole"), "{member}");
    window.screenshot("organization-review");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=apply-done]");
    window.click_when_enabled(NEXT);
    let service = window.text_of("[data-testid=handoff-service]");
    window.screenshot("organization-handoff");
    // The Grants screen says which account the grant is in and how it is entered.
    window.click_css("[data-testid=tab-grants]");
    let account = window.text_of(&format!("[data-testid=grant][data-id={grant}] [data-testid=grant-account]"));
    assert_eq!(account, format!("member account {analytics}, entered through OrganizationAccountAccessRole"));
    // Across the organization: this grant under its account, a grant made on another machine
    // (found only by its tag), and the account that cannot be entered.
    let payments = bench.organization_accounts()["payments"].clone();
    let elsewhere = aws_sdk_iam::Client::new(&bench.member_config(&payments, "us-west-2"));
    let tag = aws_sdk_iam::types::Tag::builder().key("vendorlink:grant").value("g-e15e3b4e").build().expect("tag");
    bench
        .block_on(
            elsewhere
                .create_role()
                .role_name("vendorlink-airbyte-e15e3b4e")
                .path("/vendorlink/")
                .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[]}"#)
                .tags(tag)
                .send(),
        )
        .expect("a role made elsewhere");
    let started = std::time::Instant::now();
    window.click_css("[data-testid=look-in-organization]");
    while window.find_all("[data-testid=org-grants], [data-testid=org-grants-error]").is_empty() {
        assert!(started.elapsed() < std::time::Duration::from_secs(120), "the organization was not read in 2 minutes");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    eprintln!("organization read in the window in {:?}", started.elapsed());
    let listed = window.find_all(&format!("[data-testid=org-grant][data-id={grant}][data-account='{analytics}']"));
    assert_eq!(listed.len(), 1, "{}", window.text_of("[data-testid=grant-list] ~ div"));
    let unknown: Vec<String> = window.find_all(&format!("[data-testid=org-unknown][data-account='{payments}']")).iter().map(|u| window.text(u)).collect();
    assert!(unknown.iter().any(|u| u.contains("g-e15e3b4e") && u.contains("vendorlink-airbyte-e15e3b4e")), "{unknown:?}");
    assert_eq!(window.find_all(&format!("[data-testid=org-failure][data-account='{legacy}']")).len(), 1);
    window.screenshot("organization-grants");
    window.close();

    // Checked with the test's own calls: the service is in the member account, not at home.
    let inside = aws_sdk_ec2::Client::new(&bench.member_config(&analytics, "eu-west-1"));
    let services = bench.block_on(inside.describe_vpc_endpoint_service_configurations().send()).expect("services");
    assert!(services.service_configurations().iter().any(|s| s.service_name() == Some(service.as_str())), "{service} not in the member account");
    let home = aws_sdk_ec2::Client::new(&bench.config.to_builder().region(aws_config::Region::new("eu-west-1")).build());
    let services = bench.block_on(home.describe_vpc_endpoint_service_configurations().send()).expect("services");
    assert!(services.service_configurations().is_empty(), "nothing in the management account");
    assert!(grant.starts_with("g-"));
}

#[test]
fn a_dedicated_account_is_created_for_the_vendor_by_clicks_and_closed_from_the_grants_screen_with_its_id_typed() {
    let bench = Bench::new();
    let desktop = Desktop::start("wizard-dedicated", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    signed_in(&window, "datafold");
    window.click_when_enabled(NEXT);
    window.click_css("[data-testid=target-dedicated]");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=new-account]");
    // The permissions a dedicated account needs (Organizations, STS) are asked of IAM here.
    let permissions = window.wait_for("[data-testid=step-access] [data-testid=preflight-detail]");
    assert!(!window.text(&permissions).is_empty());
    window.wait_for("[data-testid=field-newAccountName]");
    assert_eq!(window.script("return document.querySelector('[data-testid=field-newAccountName]').value"), "Datafold", "named after the vendor");
    // An email another account already uses is named beside its input when planning.
    window.type_into("[data-testid=field-newAccountEmail]", "analytics@example.com");
    window.click_when_enabled(NEXT);
    let taken = window.text_of("[data-testid=error-newAccountEmail]");
    assert!(taken.contains("already the owner email"), "{taken}");
    window.clear("[data-testid=field-newAccountEmail]");
    window.type_into("[data-testid=field-newAccountEmail]", "aws+datafold@example.com");
    window.click_when_enabled(NEXT);
    let grant = review_grant(&window);
    let steps: Vec<String> = window.find_all("[data-testid=plan-steps] li").iter().map(|s| window.text(s)).collect();
    assert!(steps[0].contains("Member account \"Datafold\""), "{steps:?}");
    window.screenshot("dedicated-review");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=apply-done]");
    window.click_when_enabled(NEXT);
    let account = window.text_of("[data-testid=handoff-account]");
    let account = account.split_whitespace().next().unwrap_or_default().to_owned();
    assert_eq!(account.len(), 12, "{account}");
    let link = window.text_of("[data-testid=handoff-switch-role]");
    assert!(link.contains(&format!("account={account}")), "{link}");
    window.screenshot("dedicated-handoff");

    // Revoke, typing the account's id to close it too.
    window.click_css("[data-testid=tab-grants]");
    let row = format!("[data-testid=grant][data-id={grant}]");
    let listed = window.text_of(&format!("{row} [data-testid=grant-dedicated-account]"));
    assert!(listed.contains(&account), "{listed}");
    window.click_css(&format!("{row} [data-testid=grant-revoke-all]"));
    window.type_into("[data-testid=close-account]", &account);
    window.type_into("[data-testid=confirm-grant-name]", &grant);
    window.screenshot("dedicated-close");
    window.click_when_enabled("[data-testid=confirm-revoke]");
    window.wait_for("[data-testid=revocation]");
    assert!(window.find_all("[data-testid=proof-check][data-passed=false]").is_empty());
    let closed: Vec<String> = window.find_all("[data-testid=proof-check]").iter().map(|c| window.text(c)).filter(|t| t.contains("closed or closing")).collect();
    assert_eq!(closed.len(), 1, "{closed:?}");
    window.screenshot("dedicated-closed");
    window.wait_for(&format!("{row}[data-state=revoked]"));
    assert!(window.find_all(&format!("{row} [data-testid=grant-dedicated-account]")).is_empty(), "a closed account is not offered again");
    window.close();

    let org = aws_sdk_organizations::Client::new(&bench.config);
    let described = bench.block_on(org.describe_account().account_id(&account).send()).expect("describe");
    let state = described.account().and_then(|a| a.state()).map(|s| s.as_str().to_owned()).unwrap_or_default();
    assert!(["PENDING_CLOSURE", "SUSPENDED"].contains(&state.as_str()), "{state}");
}

#[test]
fn the_vendors_peering_request_is_picked_in_the_access_step_accepted_handed_over_and_revoked() {
    let bench = Bench::new();
    let vendor = bench.vendor_ec2("us-east-1");
    let theirs = bench.vendor_vpc(&vendor, &["10.9.0.0/16"]);
    let request = bench.vendor_peering_request(&vendor, &theirs, &bench.prod_vpc());
    let desktop = Desktop::start("wizard-peering", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    to_access(&window, "datafold");
    // Peering alone: the vendor's suggested parts unticked, peering ticked.
    for part in ["privateLink", "vendorRole"] {
        window.click_css(&format!("[data-testid=part-{part}]"));
    }
    window.click_css("[data-testid=part-vpcPeering]");
    // The vendor's request, read from the VPC, is offered and chosen (it is the one from its account).
    let offered = window.text_of("[data-testid=peering-requests]");
    assert!(offered.contains(&format!("{request} from {theirs} (10.9.0.0/16) · account 710753145501")), "{offered}");
    window.wait_for(&format!("[data-testid=peering-request][value={request}]"));
    assert_eq!(window.script(&format!("return document.querySelector('[data-testid=peering-request][value={request}]').checked")), serde_json::json!(true));
    window.click_css("[data-testid=field-peeringDns]");
    window.screenshot("access-peering");
    window.click_when_enabled(NEXT);
    review_grant(&window);
    let steps: Vec<String> = window.find_all("[data-testid=plan-step]").iter().map(|s| window.attribute(s, "data-id").unwrap_or_default()).collect();
    assert_eq!(steps.first().map(String::as_str), Some("peering"), "{steps:?}");
    assert!(steps.iter().any(|s| s == "db-sg-from-peer") && steps.iter().any(|s| s.starts_with("peering-route-")), "{steps:?}");
    let diagram = window.text_of("[data-testid=diagram]");
    assert!(diagram.contains("VPC peering") && diagram.contains(&format!("accepts {request}")) && diagram.contains("10.9.0.0/16"), "{diagram}");
    window.screenshot("review-peering");
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=apply-done]");
    assert_eq!(window.find_all("[data-testid=progress-step][data-state=done]").len(), steps.len());
    window.click_when_enabled(NEXT);
    let handed = window.text_of("[data-testid=handoff-peering]");
    assert_eq!(handed, format!("{request} (active)"));
    assert_eq!(window.text_of("[data-testid=handoff-peering-cidrs]"), "10.20.0.0/16");
    assert!(window.find_all("[data-testid=peering-reminder]").is_empty(), "an accepted request needs nothing more from the vendor's side but routes");
    window.screenshot("handoff-peering");
    assert_eq!(bench.peering_status(&request), "active", "the test's own describe call");

    let (_, checks) = remove_everything_from_the_grants_screen(&window);
    assert!(checks.iter().any(|c| c.contains(&format!("Peering connection {request} is deleted"))), "{checks:?}");
    assert!(window.find_all("[data-testid=proof-check][data-passed=false]").is_empty(), "{checks:?}");
    window.screenshot("revoked-peering");
    assert_eq!(bench.peering_status(&request), "deleted");
    window.close();
}

#[test]
fn a_bastion_is_launched_from_the_access_step_with_the_vendors_key_and_its_host_keys_handed_over() {
    let bench = Bench::new();
    let desktop = Desktop::start("wizard-bastion", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    to_access(&window, "datafold");
    for part in ["privateLink", "vendorRole"] {
        window.click_css(&format!("[data-testid=part-{part}]"));
    }
    window.click_css("[data-testid=part-sshBastion]");
    // A key with options of its own is refused at its field, as typed.
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMNvlBVAhmhpWg68/TnXeblC+mt5eHV4dWlNzKBIzxa0 datafold-tunnel";
    window.type_into("[data-testid=field-bastionKey]", &format!("command=\"/bin/sh\" {key}"));
    let refused = window.wait_for("[data-testid=error-bastion] p");
    assert!(window.text(&refused).contains("starts with options"), "{}", window.text(&refused));
    assert!(window.is_disabled(NEXT), "Next waits for a key that only forwards");
    window.screenshot("access-bastion-refused");
    window.clear("[data-testid=field-bastionKey]");
    window.type_into("[data-testid=field-bastionKey]", key);
    window.screenshot("access-bastion");
    window.click_when_enabled(NEXT);
    review_grant(&window);
    let diagram = window.text_of("[data-testid=diagram]");
    assert!(diagram.contains("SSH bastion") && diagram.contains("forwards to :5432 only"), "{diagram}");
    let launch = window.text_of("[data-testid=plan-step][data-id=bastion]");
    assert!(launch.contains("SHA256:0bw/DHCWjERvkjpZAlZ3/WWvxiII08lk52dW65XRrtI") && launch.contains("IMDSv2 only, no instance role"), "{launch}");
    window.screenshot("review-bastion");
    // The instance launched next stays booting: its console prints no host keys yet (R20.6).
    let booting = reqwest::blocking::Client::new()
        .post(format!("{}/_emulator/console-output", bench.emulator.endpoint))
        .json(&serde_json::json!({"empty_calls": 100}))
        .send()
        .expect("control");
    assert!(booting.status().is_success());
    window.click_when_enabled(NEXT);
    window.wait_for("[data-testid=apply-done]");
    window.click_when_enabled(NEXT);
    let bastion = window.text_of("[data-testid=handoff-bastion]");
    assert!(bastion.starts_with("vl-datafold@ec2-") && bastion.ends_with(":22 → orders-db.aaaaaaaaaa.us-east-1.rds.amazonaws.com:5432"), "{bastion}");
    let keys = window.text_of("[data-testid=handoff-host-keys]");
    assert!(keys.starts_with("Not available yet"), "{keys}");
    window.screenshot("handoff-bastion");

    let (grant, checks) = remove_everything_from_the_grants_screen(&window);
    assert!(checks.iter().any(|c| c.contains("is terminated")), "{checks:?}");
    assert!(window.find_all("[data-testid=proof-check][data-passed=false]").is_empty(), "{checks:?}");
    window.screenshot("revoked-bastion");
    let left = bench
        .block_on(bench.ec2().describe_instances().filters(aws_sdk_ec2::types::Filter::builder().name("tag:vendorlink:grant").values(&grant).build()).send())
        .expect("instances");
    assert!(
        left.reservations().iter().flat_map(|r| r.instances()).all(|i| i.state().and_then(|s| s.name()).map(|n| n.as_str()) == Some("terminated")),
        "the test's own describe call"
    );
    window.close();
}

#[test]
fn a_resource_endpoint_is_proposed_for_clickpipes_survives_a_crash_and_is_shared_handed_over_and_revoked_from_the_grants_screen() {
    let bench = Bench::new();
    // The first launch stops once CreateResourceConfiguration has answered, before the journal
    // records it: the resume must find the configuration by its name.
    let grant;
    {
        let desktop = Desktop::start(
            "wizard-resource-endpoint",
            &bench.home,
            &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint), ("VENDORLINK_TEST_PAUSE_BEFORE_STEP_RECORD", "resource-config:created")],
        );
        let window = desktop.open();
        grant = choose_and_review_a_resource_endpoint(&window);
        window.click_when_enabled(NEXT);
        window.wait_for("[data-testid=progress-step][data-id=resource-gateway][data-state=done]");
        let lattice = aws_sdk_vpclattice::Client::new(&bench.config);
        let made = (0..80).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(250));
            !bench.block_on(lattice.list_resource_configurations().send()).expect("configurations").items().is_empty()
        });
        assert!(made, "CreateResourceConfiguration was called before the crash");
        window.close(); // the app is killed with its session
    }
    let desktop = Desktop::start("wizard-resource-endpoint-resume", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    resume_from_the_grants_screen(&window, &grant);
    let lattice = aws_sdk_vpclattice::Client::new(&bench.config);
    let configurations = bench.block_on(lattice.list_resource_configurations().send()).expect("configurations");
    assert_eq!(configurations.items().len(), 1, "the resume adopted the configuration: {configurations:?}");
    let adopted: Vec<_> = bench.journal(&grant).into_iter().filter(|r| r["event"]["type"] == "adopted").map(|r| r["step"].clone()).collect();
    assert!(adopted.contains(&serde_json::json!("resource-config")), "the crash came between the call and its record: {adopted:?}");
    window.click_when_enabled(NEXT);
    let configuration = window.text_of("[data-testid=handoff-resource-config]");
    assert!(configuration.starts_with("arn:aws:vpc-lattice:us-east-1:123456789012:resourceconfiguration/rcfg-"), "{configuration}");
    assert!(window.text_of("[data-testid=handoff-resource-share]").ends_with("(ASSOCIATING)"));
    assert_eq!(window.text_of("[data-testid=handoff-tls-hostname]"), "orders-db.aaaaaaaaaa.us-east-1.rds.amazonaws.com");
    assert!(window.text_of("[data-testid=share-reminder]").contains("accept the resource share"));
    window.screenshot("handoff-resource-endpoint");

    let (revoked, checks) = remove_everything_from_the_grants_screen(&window);
    assert_eq!(revoked, grant);
    assert!(checks.iter().any(|c| c.contains("no longer has resource share")) && checks.iter().any(|c| c.contains("Resource gateway")), "{checks:?}");
    assert!(window.find_all("[data-testid=proof-check][data-passed=false]").is_empty(), "{checks:?}");
    window.screenshot("revoked-resource-endpoint");
    let gateways = bench.block_on(lattice.list_resource_gateways().send()).expect("gateways");
    assert!(gateways.items().iter().all(|g| !g.name().is_some_and(|n| n.ends_with(grant.trim_start_matches("g-")))), "the test's own list call: {gateways:?}");
    window.close();
}

/// ClickPipes in the Access step: the resource endpoint is proposed, explained and reviewed;
/// returns the grant id.
fn choose_and_review_a_resource_endpoint(window: &Window) -> String {
    to_access(window, "clickhouse");
    // ClickPipes takes a resource endpoint in the database's region: proposed instead of an
    // endpoint service, with the database named by its ARN.
    let checked = |part: &str| window.script(&format!("return document.querySelector('[data-testid=part-{part}]').checked")) == serde_json::json!(true);
    assert!(checked("resourceEndpoint") && !checked("privateLink"), "the better path is proposed");
    assert!(window.script("return document.querySelector('[data-testid=resource-endpoint]').hidden") == serde_json::json!(false));
    assert!(window.script("return document.querySelector('[data-testid=resource-databaseArn]').checked") == serde_json::json!(true));
    // orders-db is an instance: no reader endpoint to name.
    assert!(window.is_disabled("[data-testid=resource-readerDns]"));
    let help = window.text_of("label[for=part-resourceEndpoint]");
    assert!(help.contains("ClickHouse ClickPipes documents this") && help.contains("On failover: nothing to do") && help.contains("from this region"), "{help}");
    window.screenshot("access-resource-endpoint");
    window.click_when_enabled(NEXT);
    let grant = review_grant(window);
    let diagram = window.text_of("[data-testid=diagram]");
    assert!(diagram.contains("Resource gateway") && diagram.contains("shared through AWS RAM") && !diagram.contains("Load balancer"), "{diagram}");
    let share = window.text_of("[data-testid=plan-step][data-id=resource-share]");
    assert!(share.contains("072088201116"), "{share}");
    window.screenshot("review-resource-endpoint");
    grant
}

/// Where orders-db answers after its failover, in the target-sync test.
const FAILED_OVER_IP: &str = "10.20.2.25";

#[test]
fn targets_kept_in_sync_are_chosen_in_the_access_step_survive_a_crash_follow_a_failover_on_the_grants_screen_and_go_with_everything() {
    let bench = Bench::new();
    // The first launch stops once CreateFunction has answered, before the journal records it:
    // the resume must find the function by its name instead of making a second one.
    let pause = "sync-function:created";
    let lambda = aws_sdk_lambda::Client::new(&bench.config);
    let grant;
    {
        let desktop =
            Desktop::start("wizard-target-sync", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint), ("VENDORLINK_TEST_PAUSE_BEFORE_STEP_RECORD", pause)]);
        let window = desktop.open();
        to_access(&window, "datafold");
        window.click_css("[data-testid=part-vendorRole]");
        window.type_into("[data-testid=field-targetIps]", TARGET_IP);
        window.click_css("[data-testid=field-syncTargets]");
        let help = window.text_of("label[for=sync-targets]");
        assert!(help.contains("every 5 minutes") && help.contains("this grant's target group only"), "{help}");
        window.screenshot("access-target-sync");
        window.click_when_enabled(NEXT);
        grant = review_grant(&window);
        let diagram = window.text_of("[data-testid=diagram]");
        assert!(diagram.contains("Target sync"), "{diagram}");
        let function = window.text_of("[data-testid=plan-step][data-id=sync-function]");
        assert!(function.contains("new ones first"), "{function}");
        window.screenshot("review-target-sync");
        window.click_when_enabled(NEXT);
        window.wait_for("[data-testid=progress-step][data-id=sync-role-policy][data-state=done]");
        // The run stops once CreateFunction has answered, before the journal says so.
        let made = (0..80).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(250));
            !bench.block_on(lambda.list_functions().send()).expect("functions").functions().is_empty()
        });
        assert!(made, "CreateFunction was called before the crash");
        window.screenshot("target-sync-interrupted");
        window.close(); // the app is killed with its session
    }
    let desktop = Desktop::start("wizard-target-sync-resume", &bench.home, &[("VENDORLINK_SANDBOX_ENDPOINT", &bench.emulator.endpoint)]);
    let window = desktop.open();
    resume_from_the_grants_screen(&window, &grant);
    let functions = bench.block_on(lambda.list_functions().send()).expect("functions");
    assert_eq!(functions.functions().len(), 1, "the resume adopted the function instead of making another: {functions:?}");
    let adopted: Vec<_> = bench.journal(&grant).into_iter().filter(|r| r["event"]["type"] == "adopted").map(|r| r["step"].clone()).collect();
    assert!(adopted.contains(&serde_json::json!("sync-function")), "the crash came between CreateFunction and its record: {adopted:?}");
    let events = aws_sdk_eventbridge::Client::new(&bench.config);
    let rules = bench.block_on(events.list_rules().send()).expect("rules");
    assert_eq!(rules.rules().len(), 2, "{rules:?}");
    window.click_css("[data-testid=tab-grants]");
    window.wait_for("[data-testid=grant][data-state=applied]");
    window.click_css(&format!("[data-testid=grant][data-id={grant}] [data-testid=grant-status]"));
    let last = window.text_of("[data-testid=last-sync]");
    assert!(last.contains("has logged nothing in the last 24 hours"), "{last}");
    window.screenshot("grants-target-sync");

    // A failover: the database's name now answers another address. The shipped handler, run as
    // Lambda would run it with the deployed function's own environment, moves the targets; the
    // Grants screen shows its log line and no drift (the journal's address is not expected
    // any more: the function owns the targets).
    let lambda = aws_sdk_lambda::Client::new(&bench.config);
    let function =
        bench.block_on(lambda.list_functions().send()).expect("functions").functions().first().and_then(|f| f.function_name().map(str::to_owned)).expect("the sync function");
    let config = bench.block_on(lambda.get_function_configuration().function_name(&function).send()).expect("configuration");
    let environment = serde_json::to_value(config.environment().and_then(|e| e.variables()).expect("its environment")).expect("json");
    let target_group = bench.tagged(&grant)["targetGroup"].first().cloned().expect("the grant's target group, by its tag");
    assert_eq!(environment["TARGET_GROUP_ARN"], target_group.as_str());
    let (_, logged) = run_handler(&bench, &environment, &failover_event(), Some(FAILED_OVER_IP)).expect("the handler");
    assert_eq!(targets(&bench, &target_group), [FAILED_OVER_IP]);
    write_log(&bench, &function, &logged);
    window.click_css(&format!("[data-testid=grant][data-id={grant}] [data-testid=grant-status]"));
    // The newest line: the old address deregistered, after the new one was registered.
    let newest = logged.last().expect("the handler logged its changes");
    assert!(newest.contains("deregister") && newest.contains(TARGET_IP), "{logged:?}");
    window.wait_for("[data-testid=last-sync-summary]");
    let said = window.text_of("[data-testid=last-sync-summary]");
    assert_eq!(said, format!("Deregistered {TARGET_IP}:5432 after RDS event RDS-EVENT-0049: the database no longer answers there."));
    assert_eq!(window.script("return document.querySelector('[data-testid=last-sync-line]').textContent"), serde_json::json!(newest), "the raw line is kept, folded");
    assert!(window.find_all("[data-testid=drift]").is_empty(), "{}", window.text_of("[data-testid=status]"));
    window.wait_for("[data-testid=no-drift]");
    window.screenshot("grants-target-sync-after-failover");

    let (_, checks) = remove_everything_from_the_grants_screen(&window);
    assert!(checks.iter().any(|c| c.contains("-sync no longer exists")) && checks.iter().any(|c| c.contains("EventBridge rule")), "{checks:?}");
    assert!(window.find_all("[data-testid=proof-check][data-passed=false]").is_empty(), "{checks:?}");
    window.screenshot("revoked-target-sync");
    let functions = bench.block_on(lambda.list_functions().send()).expect("functions");
    assert!(functions.functions().is_empty(), "the test's own list call: {functions:?}");
    window.close();
}
