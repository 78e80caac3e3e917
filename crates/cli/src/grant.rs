//! `discover`, `plan`, `apply`, `resume`, `status`: thin adapters over the engine.

use clap::{Args, ValueEnum};
use vendorlink_aws::Cloud;

use super::{print_json, SourceArgs};
use vendorlink_engine::journal::GrantStore;
use vendorlink_engine::sources::Sources;
use vendorlink_engine::Error;
use vendorlink_engine::{self as engine, ApplyReport, GrantStatus, SystemResolver, WaitPolicy};
use vendorlink_model::{Discovery, GrantRequest, Part, PassRole, Plan, RevokeScope, RoleAccess, StepId};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PartArg {
    PrivateLink,
    VendorRole,
    IpAllowlist,
    DedicatedAccount,
    VpcPeering,
    SshBastion,
    ResourceEndpoint,
}

/// What a resource configuration names (`--part resource-endpoint`).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ResourceTargetArg {
    /// The RDS instance or Aurora cluster by its ARN.
    DatabaseArn,
    /// The writer (or only) endpoint by its DNS name.
    WriterDns,
    /// An Aurora cluster's reader endpoint by its DNS name.
    ReaderDns,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AccessArg {
    VendorPolicy,
    PowerUser,
    Administrator,
}

#[derive(Debug, Args)]
pub struct PreflightArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// The parts to check for; repeat for several (default: all three).
    #[arg(long = "part", value_enum)]
    parts: Vec<PartArg>,
    /// Check the role a grant in this member account of the organization would use instead.
    #[arg(long)]
    account: Option<String>,
    /// The role assumed in --account.
    #[arg(long, default_value = vendorlink_model::ORGANIZATION_ACCESS_ROLE, requires = "account")]
    access_role: String,
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Every region enabled for the account, read at the same time.
    #[arg(long, conflicts_with_all = ["region", "regions"])]
    all_regions: bool,
    /// These regions, read at the same time (comma-separated).
    #[arg(long, value_delimiter = ',', conflicts_with = "region")]
    regions: Vec<String>,
    /// Every active account of the organization (from its management account or a delegated
    /// administrator), each entered through --access-role.
    #[arg(long, conflicts_with = "account", group = "entered")]
    organization: bool,
    /// One member account of the organization, entered through --access-role.
    #[arg(long, group = "entered")]
    account: Option<String>,
    /// The role assumed in member accounts.
    #[arg(long, default_value = vendorlink_model::ORGANIZATION_ACCESS_ROLE, requires = "entered")]
    access_role: String,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// A preset (datafold, airbyte, deepnote, custom), a .json/.toml profile, or an https:// URL.
    #[arg(long)]
    vendor: String,
    /// The RDS instance or Aurora cluster identifier (none for a role-only grant).
    #[arg(long, default_value = "")]
    database: String,
    /// What to grant; repeat for several.
    #[arg(long = "part", value_enum, required = true)]
    parts: Vec<PartArg>,
    /// The vendor's AWS account, when the profile has none (Airbyte gives it on request).
    #[arg(long)]
    vendor_account: Option<String>,
    /// A principal ARN to allow instead of the vendor account's root; repeat for several.
    #[arg(long = "vendor-principal")]
    vendor_principals: Vec<String>,
    /// The database's private IPs, when its hostname does not resolve from here; repeatable.
    #[arg(long = "target-ip")]
    target_ips: Vec<String>,
    /// Subnets for the load balancer, one per AZ (default: the database's); repeatable.
    #[arg(long = "subnet")]
    subnet_ids: Vec<String>,
    /// The vendor role's last day (YYYY-MM-DD): it stops working when that day ends, midnight UTC.
    #[arg(long)]
    expires: Option<String>,
    #[arg(long, value_enum, default_value = "vendor-policy")]
    role_access: AccessArg,
    #[arg(long, default_value_t = 1)]
    max_session_hours: u8,
    /// Let endpoint connections in without the admin accepting each.
    #[arg(long)]
    no_acceptance: bool,
    /// Confirms that 0.0.0.0/0 in the vendor's ranges is meant.
    #[arg(long)]
    allow_everyone: bool,
    /// The ExternalId the vendor issued to you, for the role's trust.
    #[arg(long)]
    external_id: Option<String>,
    /// Limit the vendor policy's iam:PassRole to this role ARN; repeat for several.
    #[arg(long = "pass-role-arn", conflicts_with = "drop_pass_role")]
    pass_role_arns: Vec<String>,
    /// ...and only to this service (e.g. eks.amazonaws.com); repeat for several.
    #[arg(long = "pass-role-service", requires = "pass_role_arns")]
    pass_role_services: Vec<String>,
    /// Take iam:PassRole out of the vendor's policy.
    #[arg(long)]
    drop_pass_role: bool,
    /// The organization's member account the database is in (12 digits), when the credentials
    /// are the management account's: everything is made there, through --access-role.
    #[arg(long)]
    account: Option<String>,
    /// The role to assume in --account, or to have Organizations create in the new account
    /// (default OrganizationAccountAccessRole).
    #[arg(long)]
    access_role: Option<String>,
    /// With `--part dedicated-account`: the new member account's name.
    #[arg(long, requires = "new_account_email", conflicts_with = "account")]
    new_account_name: Option<String>,
    /// Its owner's email address, used by no other AWS account.
    #[arg(long, requires = "new_account_name")]
    new_account_email: Option<String>,
    /// The organizational unit (ou-…) to put it in; it stays under the root otherwise.
    #[arg(long, requires = "new_account_name")]
    new_account_ou: Option<String>,
    /// With `--part vpc-peering`: the vendor's pending request to accept (pcx-…). Without it,
    /// the one request the vendor's account sent to the database's VPC is taken.
    #[arg(long, conflicts_with = "peer_vpc")]
    peering_connection: Option<String>,
    /// The vendor's VPC: its request is looked for, or, when there is none, one is sent to it.
    #[arg(long)]
    peer_vpc: Option<String>,
    /// The vendor VPC's region, when not the database's.
    #[arg(long)]
    peer_region: Option<String>,
    /// A CIDR block of the vendor's VPC; repeat for each (needed to send a request).
    #[arg(long = "peer-cidr")]
    peer_cidrs: Vec<String>,
    /// Let the vendor's VPC resolve the database's hostname to its private address.
    #[arg(long)]
    peering_dns: bool,
    /// With `--part ssh-bastion`: the vendor's SSH public key file (its .pub), for a bastion
    /// launched for the grant.
    #[arg(long, value_name = "FILE", conflicts_with = "bastion_host")]
    bastion_key_file: Option<std::path::PathBuf>,
    /// The public subnet to launch it in (default: the first public subnet of the database's VPC).
    #[arg(long, requires = "bastion_key_file")]
    bastion_subnet: Option<String>,
    /// Your own bastion instead: its public hostname or address…
    #[arg(long, requires_all = ["bastion_user", "bastion_group"])]
    bastion_host: Option<String>,
    /// …its SSH port…
    #[arg(long, default_value_t = 22)]
    bastion_port: u16,
    /// …the user the vendor's key is installed for…
    #[arg(long, requires = "bastion_host")]
    bastion_user: Option<String>,
    /// …and its security group, which the database's group will admit.
    #[arg(long, requires = "bastion_host")]
    bastion_group: Option<String>,
    /// With `--part resource-endpoint`: what the resource configuration names (default: the
    /// database by its ARN).
    #[arg(long, value_enum)]
    resource_target: Option<ResourceTargetArg>,
    /// With `--part private-link`: a function in your account moves the load balancer's targets
    /// to the database's addresses after a failover (RDS events) and every 5 minutes.
    #[arg(long)]
    sync_targets: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The grant id `plan` printed.
    grant: String,
    /// Credentials to use instead of the ones the grant was planned with.
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Cut the vendor but keep the load balancer and endpoint service for a later grant.
    #[arg(long)]
    access_only: bool,
    /// Also close the grant's dedicated account: give its id to confirm, or leave it out to be
    /// asked to type it. AWS closes only a few accounts a month, and keeps a closed one 90 days.
    #[arg(long, value_name = "ACCOUNT_ID", num_args = 0..=1, default_missing_value = "")]
    close_account: Option<String>,
    /// For a grant recorded nowhere on this machine: remove everything that carries its tag
    /// in the account and region of the credentials given, and prove nothing is left.
    #[arg(long, conflicts_with_all = ["access_only", "close_account"])]
    by_tag: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Markdown,
    Json,
    Html,
}

#[derive(Debug, Args)]
pub struct ConnectionsArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Accept this endpoint (vpce-…); repeat for several.
    #[arg(long = "accept", conflicts_with = "reject")]
    accept: Vec<String>,
    /// Reject this endpoint (vpce-…); repeat for several.
    #[arg(long = "reject")]
    reject: Vec<String>,
    /// Accept endpoints of accounts other than the vendor's too.
    #[arg(long)]
    other_account: bool,
}

#[derive(Debug, Args)]
pub struct HandoffArgs {
    #[command(flatten)]
    run: RunArgs,
    #[arg(long, value_enum, default_value = "markdown")]
    format: FormatArg,
    /// Write it to this file instead of standard output.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
    /// Also POST the JSON summary to this https:// address the vendor gave (once, no retries).
    #[arg(long)]
    send: Option<String>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// A grant id; without one, every grant recorded on this machine is listed.
    grant: Option<String>,
    #[command(flatten)]
    source: SourceArgs,
    /// The database's current private IPs, to compare with the load balancer's targets.
    #[arg(long = "target-ip")]
    target_ips: Vec<String>,
    /// Every grant of this machine by account, and what VendorLink tagged in any account of the
    /// organization that no grant here knows (management account or delegated administrator).
    #[arg(long, conflicts_with = "grant")]
    all_accounts: bool,
    /// With --all-accounts: these regions (comma-separated; default every region enabled for
    /// the credentials' account).
    #[arg(long, value_delimiter = ',', requires = "all_accounts")]
    regions: Vec<String>,
    /// With --all-accounts: the role assumed in member accounts.
    #[arg(long, default_value = vendorlink_model::ORGANIZATION_ACCESS_ROLE, requires = "all_accounts")]
    access_role: String,
    /// For a grant recorded nowhere on this machine: what carries its tag in the account and
    /// region of the credentials given.
    #[arg(long, requires = "grant", conflicts_with = "target_ips")]
    by_tag: bool,
}

#[derive(Debug, Args)]
pub struct ResyncArgs {
    #[command(flatten)]
    run: RunArgs,
    /// The database's current private IPs (default: resolved from its endpoint).
    #[arg(long = "target-ip")]
    target_ips: Vec<String>,
}

fn parts_of(args: &[PartArg]) -> Vec<Part> {
    let parts: Vec<Part> = args
        .iter()
        .map(|p| match p {
            PartArg::PrivateLink => Part::PrivateLink,
            PartArg::VendorRole => Part::VendorRole,
            PartArg::IpAllowlist => Part::IpAllowlist,
            PartArg::DedicatedAccount => Part::DedicatedAccount,
            PartArg::VpcPeering => Part::VpcPeering,
            PartArg::SshBastion => Part::SshBastion,
            PartArg::ResourceEndpoint => Part::ResourceEndpoint,
        })
        .collect();
    if parts.is_empty() {
        vec![Part::PrivateLink, Part::VendorRole, Part::IpAllowlist]
    } else {
        parts
    }
}

pub async fn preflight(sources: &Sources, args: PreflightArgs, json: bool) -> Result<(), Error> {
    args.source.unlock(sources).await?;
    let session = sources.open(&args.source.source(sources), args.source.region.clone()).await?;
    let session = match &args.account {
        Some(account) => engine::enter_account(&session, account, &args.access_role).await?,
        None => session,
    };
    let result = engine::preflight(&Cloud::new(&session), &parts_of(&args.parts)).await;
    if json {
        print_json(&result)?;
    } else {
        println!("{}", result.detail);
        for action in &result.missing {
            println!("  missing: {action}");
        }
    }
    if result.missing.is_empty() {
        return Ok(());
    }
    Err(vendorlink_aws::AwsError::AccessDenied {
        action: result.missing.join(", "),
        who: result.caller,
        detail: "IAM's policy simulator says these are not allowed".into(),
        request_id: None,
        resource: None,
    }
    .into())
}

/// A mistyped role name or region is reported before any AWS call.
fn checked_before_any_call(access_role: &str, regions: &[String]) -> Result<(), Error> {
    let errors: Vec<_> = std::iter::once(vendorlink_engine::validate::role_name("accessRole", access_role))
        .chain(regions.iter().map(|r| vendorlink_engine::validate::region("regions", r)))
        .filter_map(Result::err)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(engine::EngineError::Invalid(errors).into())
    }
}

pub async fn discover(sources: &Sources, args: DiscoverArgs, json: bool) -> Result<(), Error> {
    checked_before_any_call(&args.access_role, &args.regions)?;
    args.source.unlock(sources).await?;
    let session = sources.open(&args.source.source(sources), args.source.region.clone()).await?;
    let session = match &args.account {
        Some(account) => engine::enter_account(&session, account, &args.access_role).await?,
        None => session,
    };
    let regions = match (args.all_regions, args.regions.is_empty()) {
        (true, _) => vendorlink_aws::enabled_regions(&session).await?,
        (false, false) => args.regions.clone(),
        (false, true) => vec![session.region().to_owned()],
    };
    if args.organization {
        let found = vendorlink_aws::discover_organization(&session, &args.access_role, &regions).await?;
        if json {
            return print_json(&found);
        }
        for account in &found.accounts {
            println!("#### account {} {} ({})", account.account.id, account.account.name, account.account.email);
            print_discovery(&account.discovery);
        }
        for failure in &found.failures {
            eprintln!("warning: account {} ({}) could not be read: {}\n  hint: {}", failure.account.id, failure.account.name, failure.error.message, failure.error.hint);
        }
        return Ok(());
    }
    let discovery = if args.all_regions || !args.regions.is_empty() {
        vendorlink_aws::discover_regions(&session, &regions).await
    } else {
        Discovery { regions: vec![vendorlink_aws::discover(&session).await?], failures: Vec::new() }
    };
    if json {
        return print_json(&discovery);
    }
    print_discovery(&discovery);
    Ok(())
}

fn print_discovery(discovery: &Discovery) {
    for inventory in &discovery.regions {
        println!("== {} ==", inventory.region);
        for vpc in &inventory.vpcs {
            println!("VPC {} {} {}", vpc.id, vpc.name.as_deref().unwrap_or("-"), vpc.cidrs.join(","));
            for subnet in inventory.subnets.iter().filter(|s| s.vpc_id == vpc.id) {
                println!("  subnet {} {} {} ({})", subnet.id, subnet.cidr, subnet.availability_zone, subnet.availability_zone_id);
            }
        }
        for db in &inventory.databases {
            println!(
                "database {} {:?} {} {}:{} in {} groups {}{}",
                db.id,
                db.kind,
                db.engine,
                if db.endpoint.is_empty() { "(no endpoint yet)" } else { &db.endpoint },
                db.port,
                db.vpc_id,
                db.security_group_ids.join(","),
                if db.multi_az { " multi-AZ" } else { "" }
            );
        }
        for resource in &inventory.grant_resources {
            println!("grant {} {} {}", resource.grant_id, resource.kind, resource.id);
        }
    }
    for failure in &discovery.failures {
        eprintln!("warning: {} could not be read: {}\n  hint: {}", failure.region, failure.error.message, failure.error.hint);
    }
}

pub async fn plan(sources: &Sources, args: PlanArgs, json: bool) -> Result<(), Error> {
    let mut vendor =
        vendorlink_engine::vendors::load(&args.vendor, vendorlink_engine::validate::Reach::from_env()).await.map_err(|f| Error::Engine(engine::EngineError::Invalid(f)))?;
    if let Some(account) = args.vendor_account {
        vendor.account_id = Some(account);
    }
    if !args.vendor_principals.is_empty() {
        vendor.principals = args.vendor_principals;
    }
    let request = GrantRequest {
        vendor,
        database: args.database,
        parts: parts_of(&args.parts),
        target_ips: args.target_ips,
        subnet_ids: args.subnet_ids,
        expires: args.expires,
        role_access: match args.role_access {
            AccessArg::VendorPolicy => RoleAccess::VendorPolicy,
            AccessArg::PowerUser => RoleAccess::PowerUser,
            AccessArg::Administrator => RoleAccess::Administrator,
        },
        max_session_hours: args.max_session_hours,
        acceptance_required: !args.no_acceptance,
        allow_everyone: args.allow_everyone,
        external_id: args.external_id,
        pass_role: if args.drop_pass_role {
            PassRole::Drop
        } else if args.pass_role_arns.is_empty() {
            PassRole::AsWritten
        } else {
            PassRole::Scoped { role_arns: args.pass_role_arns, services: args.pass_role_services }
        },
        account: args.account,
        access_role: args.access_role,
        new_account: args.new_account_name.map(|name| vendorlink_model::NewAccount {
            name,
            email: args.new_account_email.unwrap_or_default(),
            organizational_unit: args.new_account_ou,
        }),
        peering: {
            let given = vendorlink_model::PeeringRequest {
                connection_id: args.peering_connection,
                vpc_id: args.peer_vpc,
                region: args.peer_region,
                cidrs: args.peer_cidrs,
                dns_resolution: args.peering_dns,
            };
            (given != vendorlink_model::PeeringRequest::default()).then_some(given)
        },
        bastion: match (args.bastion_key_file, args.bastion_host) {
            (Some(path), _) => Some(vendorlink_model::BastionRequest {
                public_key: Some(std::fs::read_to_string(&path).map_err(|e| {
                    Error::Engine(engine::EngineError::Invalid(vec![engine::validate::FieldError::new(
                        "bastion.publicKey",
                        format!("{} could not be read: {e}.", path.display()),
                        "Give the path of the vendor's .pub file.",
                    )]))
                })?),
                subnet_id: args.bastion_subnet,
                existing: None,
            }),
            (None, Some(host)) => Some(vendorlink_model::BastionRequest {
                existing: Some(vendorlink_model::ExistingBastion {
                    host,
                    port: args.bastion_port,
                    user: args.bastion_user.unwrap_or_default(),
                    security_group_id: args.bastion_group.unwrap_or_default(),
                }),
                ..Default::default()
            }),
            (None, None) => None,
        },
        sync_targets: args.sync_targets,
        resource_target: args.resource_target.map(|t| match t {
            ResourceTargetArg::DatabaseArn => vendorlink_model::ResourceTargetKind::DatabaseArn,
            ResourceTargetArg::WriterDns => vendorlink_model::ResourceTargetKind::WriterDns,
            ResourceTargetArg::ReaderDns => vendorlink_model::ResourceTargetKind::ReaderDns,
        }),
    };
    args.source.unlock(sources).await?;
    let source = args.source.source(sources);
    let session = sources.open(&source, args.source.region.clone()).await?;
    let store = GrantStore::from_env().map_err(engine::EngineError::from)?;
    let plan = engine::prepare(&session, &store, source, &request, &SystemResolver).await?;
    if json {
        return print_json(&plan);
    }
    print_plan(&plan);
    println!("\nNothing has been changed yet. To create it: vendorlink apply {}", plan.grant_id);
    Ok(())
}

fn print_plan(plan: &Plan) {
    match &plan.database {
        Some(db) => println!("Grant {} for {} on {} ({}:{}), account {} in {}", plan.grant_id, plan.vendor_name, db.id, db.endpoint, db.port, plan.account_id, plan.region),
        None => println!("Grant {} for {} on {}, from account {} in {}", plan.grant_id, plan.vendor_name, plan.target(), plan.account_id, plan.region),
    }
    if let Some(access) = &plan.member_access {
        println!("Member account {} of the organization, entered from account {} through role {}", plan.account_id, access.from_account, access.role_name);
    }
    if let Some(external_id) = &plan.external_id {
        println!("External id: {external_id}");
    }
    if let Some(expires) = &plan.expires {
        println!("Expires: {expires}");
    }
    println!("\n  #  {:<24} {:<48} what", "step", "AWS call");
    for (i, step) in plan.steps.iter().enumerate() {
        println!("{:>3}  {:<24} {:<48} {}", i + 1, step.id, step.action.iam_action(), step.summary);
    }
    println!("\nIAM actions this grant calls, from creating it to revoking it ({}; `vendorlink preflight` asks IAM about them):", plan.iam_actions.len());
    println!("  {}", plan.iam_actions.join(" "));
    for warning in &plan.warnings {
        println!("\nwarning: {warning}");
    }
}

/// The grant's store, plan and a session: the plan's credentials unless others are named.
async fn open_grant(sources: &Sources, args: &RunArgs) -> Result<(GrantStore, Plan, Cloud), Error> {
    args.source.unlock(sources).await?;
    let store = GrantStore::from_env().map_err(engine::EngineError::from)?;
    let plan = store.plan(&args.grant).map_err(engine::EngineError::from)?;
    let source = args.source.explicit().unwrap_or_else(|| plan.source.clone());
    let session = sources.open(&source, Some(args.source.region.clone().unwrap_or_else(|| plan.region.clone()))).await?;
    let cloud = engine::grant_cloud(&Cloud::new(&session), &plan).await?;
    Ok((store, plan, cloud))
}

/// The credentials named on the command line, for a grant recorded nowhere here.
async fn open_source(sources: &Sources, source: &SourceArgs) -> Result<(GrantStore, Cloud), Error> {
    source.unlock(sources).await?;
    let store = GrantStore::from_env().map_err(engine::EngineError::from)?;
    let session = sources.open(&source.source(sources), source.region.clone()).await?;
    Ok((store, Cloud::new(&session)))
}

pub async fn revoke(sources: &Sources, args: RevokeArgs, json: bool) -> Result<(), Error> {
    let close_account = match args.close_account.as_deref() {
        Some("") => Some(typed_account(&args.run.grant)?),
        other => other.map(str::to_owned),
    };
    let engine::Revoked { record, proof_file } = if args.by_tag {
        let (store, cloud) = open_source(sources, &args.run.source).await?;
        engine::revoke_found(&cloud, &store, &args.run.grant, super::progress::sink(), WaitPolicy::default()).await?
    } else {
        let (store, plan, cloud) = open_grant(sources, &args.run).await?;
        let scope = if args.access_only { RevokeScope::AccessOnly } else { RevokeScope::Everything };
        engine::revoke(&cloud, &store, &plan.grant_id, scope, close_account.as_deref(), super::progress::sink(), WaitPolicy::default()).await?
    };
    if json {
        print_json(&record)?;
    } else {
        println!("Revoke of grant {} for {} ({:?}) by {}", record.grant_id, record.vendor_name, record.scope, record.caller);
        for removed in &record.removed {
            println!("  removed  {:<28} {} ({}, request {})", removed.step, removed.id, removed.action, removed.request_id.as_deref().unwrap_or("-"));
        }
        for kept in &record.kept {
            println!("  KEPT     {:<28} {}: {}", kept.step, kept.id, kept.reason);
        }
        println!("Proof:");
        for check in &record.checks {
            println!("  [{}] {}: {}", if check.passed { "ok" } else { "FAILED" }, check.check, check.detail);
        }
        if let Some(open) = &record.open_account {
            println!("The dedicated account {} stays open and holds nothing of the grant. To close it: {}", open.account_id, open.close_with);
        }
        println!("Proof saved to {proof_file}");
    }
    if record.complete() {
        return Ok(());
    }
    let problems = record
        .kept
        .iter()
        .map(|k| format!("{} {} kept: {}", k.step, k.id, k.reason))
        .chain(record.checks.iter().filter(|c| !c.passed).map(|c| format!("check failed: {}: {}", c.check, c.detail)))
        .collect();
    Err(engine::EngineError::RevokeIncomplete { grant: record.grant_id, problems, by_tag: args.by_tag }.into())
}

/// The account id typed at the terminal to confirm closing it (nothing is called before).
fn typed_account(grant: &str) -> Result<String, Error> {
    use std::io::{BufRead, IsTerminal, Write};
    let invalid = |message: String| {
        Error::Engine(engine::EngineError::Invalid(vec![vendorlink_engine::validate::FieldError::new(
            "closeAccount",
            message,
            "Pass the account id: --close-account 123456789012.",
        )]))
    };
    if !std::io::stdin().is_terminal() {
        return Err(invalid(format!("Closing grant {grant}'s account needs its id typed, and there is no terminal to type it at.")));
    }
    eprint!("Closing an AWS account cannot be undone after 90 days. Type the dedicated account's id to close it: ");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| invalid(format!("Could not read the account id: {e}.")))?;
    Ok(line.trim().to_owned())
}

pub async fn handoff(sources: &Sources, args: HandoffArgs, json: bool) -> Result<(), Error> {
    if let Some(url) = &args.send {
        // A bad address is refused before any AWS call.
        vendorlink_engine::validate::https_url("send", url, vendorlink_engine::validate::Reach::from_env())
            .map_err(|e| Error::Handoff(vendorlink_engine::handoff::HandoffError::Invalid(e)))?;
    }
    let (store, plan, cloud) = open_grant(sources, &args.run).await?;
    let summary = engine::summary(&cloud, &store, &plan.grant_id).await?;
    let format = if json {
        vendorlink_engine::handoff::Format::Json
    } else {
        match args.format {
            FormatArg::Markdown => vendorlink_engine::handoff::Format::Markdown,
            FormatArg::Json => vendorlink_engine::handoff::Format::Json,
            FormatArg::Html => vendorlink_engine::handoff::Format::Html,
        }
    };
    let text = format.render(&summary);
    match &args.out {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| Error::Internal(format!("could not write {}: {e}", path.display())))?;
            eprintln!("Summary written to {}.", path.display());
        }
        None => {
            print!("{text}");
            if format == vendorlink_engine::handoff::Format::Json {
                super::document_printed();
            }
        }
    }
    if let Some(url) = &args.send {
        let status = vendorlink_engine::handoff::send(url, &summary, vendorlink_engine::validate::Reach::from_env()).await?;
        eprintln!("Summary sent to {url} (HTTP {status}).");
    }
    if summary.private_link.as_ref().is_some_and(|l| l.acceptance_required) {
        eprintln!(
            "Next, for you: once {} has created its endpoint, accept it with `vendorlink connections {}` (or Grants → Connections); until then it cannot connect.",
            summary.vendor_name, summary.grant_id
        );
    }
    Ok(())
}

pub async fn connections(sources: &Sources, args: ConnectionsArgs, json: bool) -> Result<(), Error> {
    let (store, plan, cloud) = open_grant(sources, &args.run).await?;
    let list = match (args.accept.is_empty(), args.reject.is_empty()) {
        (true, true) => engine::connections(&cloud, &store, &plan.grant_id).await?,
        (false, _) => engine::decide(&cloud, &store, &plan.grant_id, &args.accept, engine::Decision::Accept, args.other_account, super::progress::sink()).await?,
        (true, false) => engine::decide(&cloud, &store, &plan.grant_id, &args.reject, engine::Decision::Reject, false, super::progress::sink()).await?,
    };
    if json {
        return print_json(&list);
    }
    if list.is_empty() {
        println!("No endpoint has connected to grant {}'s service yet.", plan.grant_id);
    }
    for c in &list {
        let whose = if c.from_vendor { format!("{}'s account {}", plan.vendor_name, c.owner) } else { format!("NOT {}: account {}", plan.vendor_name, c.owner) };
        println!("{}  {:<18} {whose}", c.endpoint_id, c.state);
    }
    if list.iter().any(|c| c.state.eq_ignore_ascii_case("pendingAcceptance")) {
        println!("Accept with: vendorlink connections {} --accept vpce-…", plan.grant_id);
    }
    Ok(())
}

pub async fn resync(sources: &Sources, args: ResyncArgs, json: bool) -> Result<(), Error> {
    let (store, plan, cloud) = open_grant(sources, &args.run).await?;
    let current = engine::current_addresses(&plan, &args.target_ips, &SystemResolver).await?;
    let report = engine::resync_targets(&cloud, &store, &plan.grant_id, current, super::progress::sink(), WaitPolicy::default()).await?;
    if json {
        return print_json(&report);
    }
    println!(
        "Targets of grant {} are now {} (registered {}, deregistered {}).",
        report.grant_id,
        report.targets.join(", "),
        if report.registered.is_empty() { "none".into() } else { report.registered.join(", ") },
        if report.deregistered.is_empty() { "none".into() } else { report.deregistered.join(", ") }
    );
    Ok(())
}

pub fn audit(grant: &str) -> Result<(), Error> {
    let store = GrantStore::from_env().map_err(engine::EngineError::from)?;
    let records = store.records(grant).map_err(engine::EngineError::from)?;
    for entry in vendorlink_engine::journal::audit(&records) {
        println!("{}", serde_json::to_string(&entry).map_err(|e| Error::Internal(e.to_string()))?);
    }
    Ok(())
}

pub fn discard(grant: &str, json: bool) -> Result<(), Error> {
    let store = GrantStore::from_env().map_err(engine::EngineError::from)?;
    engine::discard(&store, grant)?;
    if json {
        return print_json(&serde_json::json!({ "discarded": grant }));
    }
    println!("Discarded {grant}: it was only planned, so nothing in AWS changed.");
    Ok(())
}

pub fn export(grant: &str, out: Option<&std::path::Path>) -> Result<(), Error> {
    let store = GrantStore::from_env().map_err(engine::EngineError::from)?;
    let text = store.export(grant).map_err(engine::EngineError::from)?;
    match out {
        Some(path) => {
            std::fs::write(path, text + "\n").map_err(|e| Error::Internal(format!("could not write {}: {e}", path.display())))?;
            eprintln!("Grant {grant} exported to {}: `vendorlink adopt` records it on another machine.", path.display());
        }
        None => println!("{text}"),
    }
    Ok(())
}

pub async fn adopt(sources: &Sources, file: &std::path::Path, source: &SourceArgs, json: bool) -> Result<(), Error> {
    let text =
        std::fs::read_to_string(file).map_err(|e| engine::EngineError::from(engine::journal::JournalError::NotAnArchive(format!("{} cannot be read: {e}", file.display()))))?;
    let (store, cloud) = open_source(sources, source).await?;
    let plan = engine::adopt(&cloud, &store, &text, None).await?;
    if json {
        return print_json(&plan);
    }
    println!("Adopted grant {} ({} → {}): `vendorlink status {}` compares it with AWS.", plan.grant_id, plan.vendor_name, plan.target(), plan.grant_id);
    Ok(())
}

/// `apply` and `resume` are the same run: the journal says where to pick up.
pub async fn apply(sources: &Sources, args: RunArgs, command: &str, json: bool) -> Result<(), Error> {
    let (store, plan, cloud) = open_grant(sources, &args).await?;
    // Ctrl-C cancels: no new step starts, the ones in flight finish, then it all rolls back.
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&cancel);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("Cancelling: no new step starts; what was created is being removed…");
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let report = engine::apply(&cloud, &store, &plan.grant_id, command, super::progress::sink(), WaitPolicy::default(), &cancel).await?;
    if json {
        return print_json(&report);
    }
    print_report(&report);
    Ok(())
}

fn print_report(report: &ApplyReport) {
    if report.created.is_empty() && report.adopted.is_empty() {
        println!("Grant {} is already applied; nothing was changed.", report.grant_id);
        return;
    }
    println!(
        "Grant {} applied: {} created, {} found from an interrupted run, {} already done.",
        report.grant_id,
        report.created.len(),
        report.adopted.len(),
        report.already_done.len()
    );
}

pub async fn status(sources: &Sources, args: StatusArgs, json: bool) -> Result<(), Error> {
    let store = GrantStore::from_env().map_err(engine::EngineError::from)?;
    if args.all_accounts {
        return all_accounts(sources, &store, &args, json).await;
    }
    if let (true, Some(grant)) = (args.by_tag, &args.grant) {
        let (store, cloud) = open_source(sources, &args.source).await?;
        let found = engine::found_grant(&cloud, &store, grant).await?;
        if json {
            return print_json(&found);
        }
        if found.resources.is_empty() {
            println!("Nothing in {} carries the tag of grant {grant}.", cloud.region);
        }
        for resource in &found.resources {
            println!("  {:<22} {}", resource.kind, resource.id);
        }
        return Ok(());
    }
    let Some(grant) = args.grant else {
        let grants = store.list().map_err(engine::EngineError::from)?;
        let plans: Vec<Plan> = grants.iter().filter_map(|g| store.plan(g).ok()).collect();
        if json {
            return print_json(&plans);
        }
        if plans.is_empty() {
            println!("No grants recorded on this machine.");
        }
        for plan in plans {
            let running = store.running(&plan.grant_id);
            let state = store.records(&plan.grant_id).map(|records| format!("{:?}", engine::local_state(&plan, &records, running))).unwrap_or_default();
            println!("{}  {:<12} {:<20} {} {} {state}", plan.grant_id, plan.vendor_id, plan.target(), plan.region, plan.created_at);
        }
        return Ok(());
    };
    let plan = store.plan(&grant).map_err(engine::EngineError::from)?;
    args.source.unlock(sources).await?;
    let source = args.source.explicit().unwrap_or_else(|| plan.source.clone());
    let session = sources.open(&source, Some(plan.region.clone())).await?;
    let current = if args.target_ips.is_empty() { None } else { Some(engine::current_addresses(&plan, &args.target_ips, &SystemResolver).await?) };
    let cloud = engine::grant_cloud(&Cloud::new(&session), &plan).await?;
    let status = engine::status(&cloud, &store, &grant, current.as_deref()).await?;
    if json {
        return print_json(&status);
    }
    print_status(&status);
    Ok(())
}

async fn all_accounts(sources: &Sources, store: &GrantStore, args: &StatusArgs, json: bool) -> Result<(), Error> {
    checked_before_any_call(&args.access_role, &args.regions)?;
    args.source.unlock(sources).await?;
    let session = sources.open(&args.source.source(sources), args.source.region.clone()).await?;
    let regions = if args.regions.is_empty() { vendorlink_aws::enabled_regions(&session).await? } else { args.regions.clone() };
    let tagged = vendorlink_aws::tagged_in_organization(&session, &args.access_role, &regions).await?;
    let status = engine::organization_status(store, tagged)?;
    if json {
        return print_json(&status);
    }
    let mut account = "";
    for grant in &status.grants {
        if grant.account_id != account {
            account = &grant.account_id;
            println!("== account {account} ==");
        }
        let tagged = grant.tagged.map_or_else(|| "its account or region could not be read".to_owned(), |n| format!("{n} tagged in AWS"));
        println!("  {}  {:<12} {:<20} {} {:?}, {tagged}", grant.grant_id, grant.vendor_id, grant.database, grant.region, grant.state);
    }
    if status.unknown.is_empty() {
        println!("Nothing tagged by VendorLink that this machine does not know.");
    }
    for unknown in &status.unknown {
        println!("NOT KNOWN HERE: account {} ({}) grant {} {} {}", unknown.account.id, unknown.account.name, unknown.resource.grant_id, unknown.resource.kind, unknown.resource.id);
    }
    for failure in &status.failures {
        eprintln!("warning: account {} ({}) could not be read: {}\n  hint: {}", failure.account.id, failure.account.name, failure.error.message, failure.error.hint);
    }
    for grant in &status.unreadable {
        eprintln!("warning: the record of grant {grant}");
    }
    Ok(())
}

fn print_status(status: &GrantStatus) {
    println!("Grant {} for {} on {}: {:?}", status.plan.grant_id, status.plan.vendor_name, status.plan.target(), status.state);
    for step in &status.steps {
        println!("  {:<24} {:<9} {}", step.id.to_string(), step.journal, step.output.as_ref().map(|o| o.label()).unwrap_or_default());
    }
    println!("Tagged in AWS: {}", status.tagged.len());
    for resource in &status.untracked {
        println!("  not in the journal: {} {}", resource.kind, resource.id);
    }
    if status.drift.is_empty() {
        println!("No drift: AWS matches the grant.");
    }
    for drift in &status.drift {
        println!("DRIFT {:?} {}: {}\n  what to do: {}", drift.kind, drift.step, drift.detail, drift.remedy);
    }
    if let Some(sync) = &status.last_sync {
        println!("Target sync last logged at {}: {}\n  {}", sync.at, sync.summary, sync.line);
    } else if status.plan.steps.iter().any(|s| s.id == StepId::SyncFunction) {
        println!("Target sync has logged nothing in the last {} hours (it logs every run, every 5 minutes).", vendorlink_aws::functions::LAST_LOG_HOURS);
    }
    for c in &status.connections {
        let pending = if c.state.eq_ignore_ascii_case("pendingAcceptance") {
            format!(": waiting for you (vendorlink connections {} --accept {})", status.plan.grant_id, c.endpoint_id)
        } else {
            String::new()
        };
        let whose = if c.from_vendor { "the vendor's" } else { "NOT the vendor's" };
        println!("CONNECTION {} from account {} ({whose}) {}{pending}", c.endpoint_id, c.owner, c.state);
    }
}
