//! A dedicated member account for the vendor (seed 003), made from the sandbox organization's
//! management account: created (the emulator keeps the request IN_PROGRESS for a few describes
//! and hides the account meanwhile, docs/aws-rules.md R17), moved into the "Workloads" unit,
//! given the vendor's role through the OrganizationAccountAccessRole Organizations makes there
//! (R15) once the new account lets it be assumed (R18.3: the emulator refuses the first calls),
//! handed over, revoked with proof, and closed only when asked with its id typed (R18).
//! Every result is checked with the test's own calls: Organizations from the management
//! account, IAM inside the new account.

mod support;

use serde_json::Value;
use support::bench::{grant_id, Bench};
use support::text;

const MANAGEMENT: &str = "123456789012";

/// The sandbox organization's "Workloads" unit.
fn workloads(bench: &Bench) -> String {
    let org = aws_sdk_organizations::Client::new(&bench.config);
    let roots = bench.block_on(org.list_roots().send()).expect("roots");
    let root = roots.roots()[0].id().expect("root id").to_owned();
    let units = bench.block_on(org.list_organizational_units_for_parent().parent_id(&root).send()).expect("units");
    units.organizational_units().iter().find(|u| u.name() == Some("Workloads")).and_then(|u| u.id()).expect("Workloads unit").to_owned()
}

/// The account Organizations lists with this email: (id, state, parent).
fn account_with_email(bench: &Bench, email: &str) -> Option<(String, String, String)> {
    let org = aws_sdk_organizations::Client::new(&bench.config);
    let accounts = bench.block_on(org.list_accounts().send()).expect("accounts");
    let account = accounts.accounts().iter().find(|a| a.email() == Some(email))?;
    let id = account.id().expect("id").to_owned();
    let state = account.state().map(|s| s.as_str().to_owned()).unwrap_or_default();
    let parents = bench.block_on(org.list_parents().child_id(&id).send()).expect("parents");
    Some((id, state, parents.parents()[0].id().expect("parent").to_owned()))
}

fn account_state(bench: &Bench, account: &str) -> String {
    let org = aws_sdk_organizations::Client::new(&bench.config);
    let out = bench.block_on(org.describe_account().account_id(account).send()).expect("describe account");
    out.account().and_then(|a| a.state()).map(|s| s.as_str().to_owned()).unwrap_or_default()
}

fn plan_args<'a>(email: &'a str, unit: Option<&'a str>, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "--json",
        "plan",
        "--sandbox",
        "--vendor",
        "datafold",
        "--part",
        "dedicated-account",
        "--part",
        "vendor-role",
        "--role-access",
        "administrator",
        "--new-account-name",
        "Datafold",
        "--new-account-email",
        email,
        "--expires",
        "2099-01-31",
    ];
    if let Some(unit) = unit {
        args.extend(["--new-account-ou", unit]);
    }
    args.extend(extra);
    args
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", text(&out.stdout), text(&out.stderr)))
}

#[test]
fn a_dedicated_account_is_created_given_the_vendor_role_handed_over_revoked_with_proof_and_closed_on_request() {
    let bench = Bench::new();
    bench.emulator.account_creation(2, 2);
    let unit = workloads(&bench);
    let email = "datafold-aws@example.com";
    let out = bench.vl(&plan_args(email, Some(&unit), &[]));
    assert!(out.status.success(), "plan: {}{}", text(&out.stdout), text(&out.stderr));
    let plan = json(&out);
    let grant = grant_id(&plan);
    let steps: Vec<&str> = plan["steps"].as_array().expect("steps").iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(&steps[..3], ["account", "account-ou", "role"], "the account is made and placed before the role: {steps:?}");
    assert!(plan.get("database").is_none(), "a dedicated account reaches no database: {plan:#}");
    assert_eq!(plan["accountId"], MANAGEMENT, "planned from the management account");
    assert!(account_with_email(&bench, email).is_none(), "a plan creates nothing");

    let out = bench.vl(&["apply", &grant]);
    assert!(out.status.success(), "apply: {}{}", text(&out.stdout), text(&out.stderr));
    let progress = text(&out.stderr) + &text(&out.stdout);
    assert!(progress.contains("IN_PROGRESS"), "the wait on the account's creation is shown: {progress}");
    assert!(progress.contains("not yet accepting its access role"), "the wait until the new account can be entered is shown: {progress}");
    let (account, state, parent) = account_with_email(&bench, email).expect("the account exists");
    assert_eq!((state.as_str(), parent.as_str()), ("ACTIVE", unit.as_str()), "active, in the chosen unit");

    // Inside the new account: the vendor's role, trusting Datafold with MFA, AdministratorAccess.
    let inside = aws_sdk_iam::Client::new(&bench.member_config(&account, "us-east-1"));
    let role_name = format!("vendorlink-datafold-{}", &grant[2..]);
    let role = bench.block_on(inside.get_role().role_name(&role_name).send()).expect("the role is in the new account");
    let role = role.role().expect("role");
    assert!(role.arn().starts_with(&format!("arn:aws:iam::{account}:role/")), "{}", role.arn());
    let trust = support::bench::policy_json(role.assume_role_policy_document().unwrap_or_default());
    assert_eq!(trust["Statement"][0]["Principal"]["AWS"], serde_json::json!(["arn:aws:iam::710753145501:root"]), "{trust:#}");
    assert_eq!(trust["Statement"][0]["Condition"]["Bool"]["aws:MultiFactorAuthPresent"], "true", "{trust:#}");
    let attached = bench.block_on(inside.list_attached_role_policies().role_name(&role_name).send()).expect("attached");
    assert!(attached.attached_policies().iter().any(|p| p.policy_name() == Some("AdministratorAccess")));
    let own = aws_sdk_iam::Client::new(&bench.config);
    assert!(bench.block_on(own.get_role().role_name(&role_name).send()).is_err(), "nothing is made in the management account");

    // The handoff: the account, the role and the switch link into that account.
    let out = bench.vl(&["--json", "handoff", &grant]);
    assert!(out.status.success(), "handoff: {}{}", text(&out.stdout), text(&out.stderr));
    let summary = json(&out);
    assert_eq!(summary["accountId"], account.as_str());
    assert_eq!(summary["dedicatedAccount"]["accountId"], account.as_str());
    assert_eq!(summary["dedicatedAccount"]["organizationalUnit"], unit.as_str());
    let link = summary["role"]["switchRoleUrl"].as_str().unwrap_or_default();
    assert!(link.starts_with("https://signin.aws.amazon.com/switchrole?") && link.contains(&format!("account={account}")), "{link}");
    assert!(summary["role"]["warning"].as_str().is_some_and(|w| w.contains("AdministratorAccess")), "what the vendor may do there is said: {summary:#}");
    let markdown = text(&bench.vl(&["handoff", &grant]).stdout);
    assert!(markdown.contains("dedicated AWS account") && markdown.contains(&account), "{markdown}");

    let status = json(&bench.vl(&["--json", "status", &grant]));
    assert_eq!(status["state"], "applied", "{status:#}");
    assert_eq!(status["drift"], serde_json::json!([]), "{status:#}");
    assert_eq!(status["tagged"].as_array().map(Vec::len), Some(1), "the role, found by tag inside the account: {status:#}");

    // Revoke: the role goes, the account stays open and the record says how to close it.
    let out = bench.vl(&["--json", "revoke", &grant]);
    assert!(out.status.success(), "revoke: {}{}", text(&out.stdout), text(&out.stderr));
    let record = json(&out);
    assert!(record["checks"].as_array().expect("checks").iter().all(|c| c["passed"] == true), "{record:#}");
    assert_eq!(record["openAccount"]["accountId"], account.as_str(), "{record:#}");
    assert!(record["openAccount"]["closeWith"].as_str().unwrap_or_default().contains("--close-account"));
    assert!(bench.block_on(inside.get_role().role_name(&role_name).send()).is_err(), "the role is gone");
    assert_eq!(account_state(&bench, &account), "ACTIVE", "closing is never automatic");
    let status = json(&bench.vl(&["--json", "status", &grant]));
    assert_eq!(status["state"], "revoked", "the vendor's access is gone; the open account is not part of it: {status:#}");
    let listed = text(&bench.vl(&["status"]).stdout);
    assert!(listed.lines().any(|l| l.starts_with(&grant) && l.contains("a dedicated account") && l.ends_with("Revoked")), "{listed}");

    // Closing needs the account's id, typed exactly; a wrong one changes nothing.
    let out = bench.vl(&["--json", "revoke", &grant, "--close-account", "999999999999"]);
    assert!(!out.status.success());
    let error = json(&out)["error"].clone();
    assert_eq!(error["kind"], "invalidInput", "{error:#}");
    assert!(error["message"].as_str().unwrap_or_default().contains(&account), "{error:#}");
    assert_eq!(account_state(&bench, &account), "ACTIVE");
    let out = bench.vl(&["revoke", &grant, "--close-account"]);
    assert!(!out.status.success(), "with no terminal to type at, nothing is closed");
    assert_eq!(account_state(&bench, &account), "ACTIVE");

    let out = bench.vl(&["--json", "revoke", &grant, "--close-account", &account]);
    assert!(out.status.success(), "revoke --close-account: {}{}", text(&out.stdout), text(&out.stderr));
    let record = json(&out);
    let closed = record["checks"].as_array().expect("checks").iter().find(|c| c["check"].as_str().is_some_and(|t| t.contains("closed or closing"))).expect("a closure check");
    assert_eq!(closed["passed"], true, "{record:#}");
    assert!(record["removed"].as_array().expect("removed").iter().any(|r| r["action"] == "organizations:CloseAccount" && r["id"] == account.as_str()), "{record:#}");
    assert!(["PENDING_CLOSURE", "SUSPENDED"].contains(&account_state(&bench, &account).as_str()));
    assert!(record.get("openAccount").is_none());
    // Asked again (after an interrupted run, say), the closure is checked again, not refused.
    let out = bench.vl(&["--json", "revoke", &grant, "--close-account", &account]);
    assert!(out.status.success(), "revoke --close-account again: {}{}", text(&out.stdout), text(&out.stderr));
    let again = json(&out);
    assert_eq!(again["checks"].as_array().map(Vec::len), Some(1), "{again:#}");
    assert_eq!(again["checks"][0]["passed"], true, "{again:#}");
    let status = json(&bench.vl(&["--json", "status", &grant]));
    assert_eq!(status["state"], "revoked", "{status:#}");

    let again = bench.vl(&["--json", "apply", &grant]);
    assert!(!again.status.success(), "a revoked grant is never applied again");
}

#[test]
fn killed_at_every_journal_boundary_of_the_account_steps_resume_makes_one_account_and_one_role() {
    let bench = Bench::new();
    let unit = workloads(&bench);
    let mut boundaries = 0;
    // RunStarted, then Calling + Created for the account, its move and the role: the account
    // steps and the role's creation are where a crash can leave an account behind twice.
    for n in 1..=7 {
        let email = format!("datafold-kill-{n}@example.com");
        let plan = json(&bench.vl(&plan_args(&email, Some(&unit), &[])));
        let grant = grant_id(&plan);
        bench.emulator.account_creation(1, 0);
        assert!(bench.kill_at(&["apply", &grant], n), "apply finished before journal record {n}");
        boundaries += 1;
        let resumed = bench.vl(&["resume", &grant]);
        assert!(resumed.status.success(), "resume after a kill before record {n}: {}{}", text(&resumed.stdout), text(&resumed.stderr));
        let org = aws_sdk_organizations::Client::new(&bench.config);
        let accounts = bench.block_on(org.list_accounts().send()).expect("accounts");
        let made: Vec<&str> = accounts.accounts().iter().filter(|a| a.email() == Some(email.as_str())).filter_map(|a| a.id()).collect();
        assert_eq!(made.len(), 1, "one account after a kill before record {n}: {made:?}");
        let (_, _, parent) = account_with_email(&bench, &email).expect("account");
        assert_eq!(parent, unit, "in its unit after a kill before record {n}");
        let status = json(&bench.vl(&["--json", "status", &grant]));
        assert_eq!(status["state"], "applied", "after a kill before record {n}: {status:#}");
        assert_eq!(status["untracked"], serde_json::json!([]), "after a kill before record {n}");
        let inside = aws_sdk_iam::Client::new(&bench.member_config(made[0], "us-east-1"));
        let roles = bench.block_on(inside.list_roles().path_prefix("/vendorlink/").send()).expect("roles");
        assert_eq!(roles.roles().len(), 1, "one vendor role after a kill before record {n}");
    }
    eprintln!("kill points tested: before journal records 1..={boundaries}");
}

/// Starts `apply` and kills it (SIGKILL) as soon as AWS has the account's creation request,
/// while apply is still waiting on it: no journal record holds the request.
fn kill_while_the_account_is_created(bench: &Bench, grant: &str) {
    let mut apply = std::process::Command::new(support::binary("vendorlink"));
    apply.args(["apply", grant]).stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    for var in support::AWS_VARS {
        apply.env_remove(var);
    }
    let mut apply = apply.envs(bench.home.env()).envs(bench.env()).spawn().expect("spawn apply");
    let org = aws_sdk_organizations::Client::new(&bench.config);
    let asked = std::time::Instant::now();
    loop {
        let requests = bench.block_on(org.list_create_account_status().states(aws_sdk_organizations::types::CreateAccountState::InProgress).send()).expect("requests");
        if requests.create_account_statuses().iter().any(|s| s.account_name() == Some("Datafold")) {
            break;
        }
        assert!(asked.elapsed() < std::time::Duration::from_secs(60), "apply never asked for the account");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    apply.kill().expect("kill -9");
    apply.wait().expect("reap");
}

#[test]
fn killed_while_aws_makes_the_account_resume_adopts_it_and_a_revoke_finds_it() {
    let bench = Bench::new();
    // Resumed: the request still in progress is found among the creation requests, waited for,
    // and the account it made (with this grant's tag) is adopted, not made twice.
    bench.emulator.account_creation(2, 0);
    let email = "datafold-resumed@example.com";
    let grant = grant_id(&json(&bench.vl(&plan_args(email, None, &[]))));
    kill_while_the_account_is_created(&bench, &grant);
    assert!(account_with_email(&bench, email).is_none(), "still being made, so not listed yet");
    let out = bench.vl(&["--json", "resume", &grant]);
    assert!(out.status.success(), "resume: {}{}", text(&out.stdout), text(&out.stderr));
    let report = json(&out);
    assert_eq!(report["adopted"], serde_json::json!(["account"]), "{report:#}");
    let org = aws_sdk_organizations::Client::new(&bench.config);
    let accounts = bench.block_on(org.list_accounts().send()).expect("accounts");
    assert_eq!(accounts.accounts().iter().filter(|a| a.email() == Some(email)).count(), 1, "one account");
    assert_eq!(json(&bench.vl(&["--json", "status", &grant]))["state"], "applied");

    // Revoked instead of resumed: the revoke looks the account up first, journals it, and says
    // it stays open (its role was never made).
    bench.emulator.account_creation(2, 0);
    let email = "datafold-revoked@example.com";
    let grant = grant_id(&json(&bench.vl(&plan_args(email, None, &[]))));
    kill_while_the_account_is_created(&bench, &grant);
    let out = bench.vl(&["--json", "revoke", &grant]);
    assert!(out.status.success(), "revoke: {}{}", text(&out.stdout), text(&out.stderr));
    let record = json(&out);
    let (account, _, _) = account_with_email(&bench, email).expect("the account was made");
    assert_eq!(record["openAccount"]["accountId"], account.as_str(), "{record:#}");
    assert!(bench.journal(&grant).iter().any(|r| r["step"] == "account" && r["event"]["type"] == "adopted"), "the account's id is journaled");
    let out = bench.vl(&["--json", "revoke", &grant, "--close-account", &account]);
    assert!(out.status.success(), "close: {}{}", text(&out.stdout), text(&out.stderr));
    assert!(["PENDING_CLOSURE", "SUSPENDED"].contains(&account_state(&bench, &account).as_str()));
}

#[test]
fn bad_input_is_refused_before_anything_is_made() {
    let bench = Bench::new();
    let before = bench.organization_accounts().len();
    let field_error = |args: &[&str]| -> (String, String) {
        let out = bench.vl(args);
        assert!(!out.status.success(), "accepted: {args:?}");
        let error = json(&out)["error"].clone();
        let field = &error["fields"][0];
        (field["field"].as_str().unwrap_or_default().to_owned(), field["message"].as_str().unwrap_or_default().to_owned())
    };

    // An email another account of the organization uses (AWS would fail the request later).
    let (field, message) = field_error(&plan_args("analytics@example.com", None, &[]));
    assert_eq!(field, "newAccount.email");
    assert!(message.contains("already the owner email"), "{message}");
    // The same, in other letter case: AWS compares emails without case.
    let (field, _) = field_error(&plan_args("Analytics@Example.com", None, &[]));
    assert_eq!(field, "newAccount.email");
    // A unit the organization does not have.
    let (field, message) = field_error(&plan_args("new-vendor@example.com", Some("ou-zzzz-zzzzzzzz"), &[]));
    assert_eq!(field, "newAccount.organizationalUnit");
    assert!(message.contains("no organizational unit"), "{message}");
    // Shapes that need no AWS answer.
    assert_eq!(field_error(&plan_args("not-an-email", None, &[])).0, "newAccount.email");
    assert_eq!(field_error(&plan_args("new-vendor@example.com", Some("Workloads"), &[])).0, "newAccount.organizationalUnit");
    assert_eq!(field_error(&plan_args("new-vendor@example.com", None, &["--access-role", "Org Access!"])).0, "accessRole");
    assert_eq!(field_error(&plan_args("new-vendor@example.com", None, &["--part", "private-link"])).0, "parts");

    // From a member account's credentials: Organizations answers the management account only.
    let member = bench.organization_accounts()["analytics"].clone();
    let credentials = bench.member_credentials(&member);
    use aws_credential_types::provider::ProvideCredentials;
    let credentials = bench.block_on(credentials.provide_credentials()).expect("credentials");
    bench.home.aws_files(
        &format!("[profile member]\nregion = us-east-1\nendpoint_url = {}\n", bench.emulator.endpoint),
        &format!(
            "[member]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\n",
            credentials.access_key_id(),
            credentials.secret_access_key(),
            credentials.session_token().unwrap_or_default()
        ),
    );
    let mut args = plan_args("new-vendor@example.com", None, &["--profile", "member"]);
    args.retain(|a| *a != "--sandbox");
    let out = bench.vl(&args);
    assert!(!out.status.success());
    let error = json(&out)["error"].clone();
    assert_eq!(error["kind"], "accessDenied", "{error:#}");
    assert!(error["hint"].as_str().unwrap_or_default().contains("management account"), "{error:#}");

    assert_eq!(bench.organization_accounts().len(), before, "no account was made");
}

#[test]
fn an_account_aws_fails_to_create_fails_the_step_and_leaves_nothing() {
    let bench = Bench::new();
    // Taken after the plan was checked: AWS's own answer is a FAILED request (R17).
    let email = "late-taken@example.com";
    let plan = json(&bench.vl(&plan_args(email, None, &[])));
    let grant = grant_id(&plan);
    let org = aws_sdk_organizations::Client::new(&bench.config);
    bench.block_on(org.create_account().email(email).account_name("someone else").send()).expect("another account takes the email");
    let out = bench.vl(&["--json", "apply", &grant]);
    assert!(!out.status.success());
    let error = json(&out)["error"].clone();
    assert!(error["message"].as_str().unwrap_or_default().contains("EMAIL_ALREADY_EXISTS"), "{error:#}");
    assert!(error["hint"].as_str().unwrap_or_default().contains("owner email"), "{error:#}");
    let status = json(&bench.vl(&["--json", "status", &grant]));
    assert_eq!(status["state"], "rolledBack", "{status:#}");
}

#[test]
fn an_existing_member_account_gets_the_vendor_role_alone_without_a_database() {
    let bench = Bench::new();
    let payments = bench.organization_accounts()["payments"].clone();
    let args = [
        "--json",
        "plan",
        "--sandbox",
        "--region",
        "us-west-2",
        "--account",
        &payments,
        "--vendor",
        "datafold",
        "--part",
        "vendor-role",
        "--role-access",
        "administrator",
        "--expires",
        "2099-01-31",
    ];
    let out = bench.vl(&args);
    assert!(out.status.success(), "plan: {}{}", text(&out.stdout), text(&out.stderr));
    let plan = json(&out);
    let grant = grant_id(&plan);
    assert!(plan.get("database").is_none(), "{plan:#}");
    assert_eq!(plan["accountId"], payments.as_str());
    assert_eq!(plan["memberAccess"]["fromAccount"], MANAGEMENT);
    let out = bench.vl(&["apply", &grant]);
    assert!(out.status.success(), "apply: {}{}", text(&out.stdout), text(&out.stderr));

    let inside = aws_sdk_iam::Client::new(&bench.member_config(&payments, "us-west-2"));
    let role_name = format!("vendorlink-datafold-{}", &grant[2..]);
    let guard = bench.block_on(inside.get_role_policy().role_name(&role_name).policy_name("vendorlink-guard").send()).expect("the guard is on the role in the member account");
    let guard = support::bench::policy_json(guard.policy_document());
    assert!(guard.to_string().contains(&format!("arn:aws:iam::{payments}:role/vendorlink/*")), "{guard:#}");

    let summary = json(&bench.vl(&["--json", "handoff", &grant]));
    assert_eq!(summary["accountId"], payments.as_str());
    assert!(summary.get("database").is_none() && summary.get("dedicatedAccount").is_none(), "{summary:#}");
    assert!(summary["role"]["switchRoleUrl"].as_str().unwrap_or_default().contains(&format!("account={payments}")), "{summary:#}");

    let out = bench.vl(&["--json", "revoke", &grant]);
    assert!(out.status.success(), "revoke: {}{}", text(&out.stdout), text(&out.stderr));
    let record = json(&out);
    assert!(record["checks"].as_array().expect("checks").iter().all(|c| c["passed"] == true), "{record:#}");
    assert!(record.get("openAccount").is_none(), "an existing account is not the grant's to close");
    assert!(bench.block_on(inside.get_role().role_name(&role_name).send()).is_err(), "the role is gone");
}
