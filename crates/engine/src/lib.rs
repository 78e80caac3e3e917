//! The grant engine: discover → plan → apply (journal, resume, rollback) → status → revoke
//! with proof, and the handoff. Only this crate decides; only `vendorlink-aws` calls AWS. The
//! window and the command line are thin faces over it, and the tests drive it directly.

mod apply;
mod bastion_plan;
mod connections;
pub mod cost;
pub mod creds;
mod dedicated;
mod drift;
mod error;
#[cfg(test)]
mod fake_cloud;
mod found;
pub mod handoff;
pub mod journal;
pub mod logging;
mod org_status;
mod peering_plan;
mod permissions;
pub mod plan;
mod plan_context;
mod policies;
mod preflight;
mod progress;
mod proof;
mod resolve;
mod resource_endpoint_plan;
mod resync;
mod revoke;
mod run;
pub mod sources;
mod status;
mod steps;
mod target_sync;
pub mod validate;
pub mod vendors;

pub use apply::{apply, ApplyReport};
pub use connections::{connections, decide, ConnectionView, Decision};
pub use dedicated::account_in as dedicated_account;
pub use drift::{Drift, DriftKind};
pub use error::Error;
pub use found::{adopt, found_grant, revoke_found, FoundGrant, FoundResource};
pub use handoff::summary;
pub use org_status::{organization_status, KnownGrant, OrgStatus, UnknownResource};
pub use plan::PlanContext;
pub use preflight::{preflight, Preflight};
pub use progress::{Progress, ProgressSink};
pub use resolve::{Resolve, SystemResolver};
pub use resync::{current_addresses, resync_targets, ResyncReport};
pub use revoke::{revoke, Revoked};
pub use status::{local_state, status, GrantState, GrantStatus, LastSync, StepStatus};
pub use steps::WaitPolicy;

use crate::journal::{GrantStore, JournalError};
use crate::validate::FieldError;
use vendorlink_aws::{self as aws, AwsError, AwsSession, Cloud, InstancesApi, PeeringApi, StsApi};
use vendorlink_model::{CredentialSource, GrantRequest, MemberAccess, Part, Plan, StepId, ORGANIZATION_ACCESS_ROLE};
use vendorlink_model::{ErrorKind, ErrorPayload};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{}", crate::creds::CredsError::Invalid(.0.clone()))]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("This grant was planned for account {expected}, but {who} is account {actual}.")]
    WrongAccount { expected: String, actual: String, who: String },
    #[error("This grant was planned for region {expected}, not {actual}.")]
    WrongRegion { expected: String, actual: String },
    #[error("{resource} is {state} instead of becoming ready.")]
    BadState { resource: String, state: String },
    #[error("{resource} was still {state} after {waited_secs} s.")]
    WaitTimeout { resource: String, state: String, waited_secs: u64 },
    #[error("Step {step} failed: {}. {}", .cause.to_string().trim_end_matches('.'), rollback_summary(.leftovers))]
    StepFailed { step: StepId, cause: Box<EngineError>, leftovers: Vec<String> },
    #[error("Grant {grant} is not applied yet (missing: {missing}).")]
    NotApplied { grant: String, missing: String },
    #[error("The {what} of this grant no longer exists.")]
    Gone { what: String },
    #[error("The revoke of {grant} is not complete: {}", .problems.join("; "))]
    /// `by_tag`: a grant recorded nowhere here, removed by its tag.
    RevokeIncomplete { grant: String, problems: Vec<String>, by_tag: bool },
    #[error("Cancelled by the admin. {}", rollback_summary(.leftovers))]
    Cancelled { leftovers: Vec<String> },
    #[error("Grant {grant} has been revoked (or a revoke of it began): a revoked grant is never applied again.")]
    Revoked { grant: String },
    #[error("Grant {grant} has already run: what it made in AWS is taken back by a revoke, not discarded.")]
    AlreadyRan { grant: String },
    #[error("Grant {grant} is recorded on this machine: it is revoked from its record, which knows more than its tags.")]
    RecordedHere { grant: String },
    #[error("Nothing in account {account} ({region}) carries the tag of grant {grant}.")]
    NothingTagged { grant: String, account: String, region: String },
    #[error("Grant {grant}'s resources are in {}, not only in {region}: nothing was removed.", .regions.join(", "))]
    TaggedElsewhere { grant: String, region: String, regions: Vec<String> },
    #[error("Grant {grant} is not adopted: {reason}.")]
    CannotAdopt { grant: String, reason: String },
    #[error("VendorLink does not remove a {kind} by its tag ({id}).")]
    CannotRemoveByTag { kind: String, id: String },
    #[error("AWS did not create the account \"{name}\": {reason}")]
    AccountNotCreated { name: String, reason: String },
    #[error("Account {account} is kept: VendorLink closes an account only when asked to.")]
    AccountKept { account: String },
    #[error("Peering connection {connection} is {state}{}.", .reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default())]
    PeeringRefused { connection: String, state: String, reason: Option<String> },
    #[error("Internal error: {0}")]
    Internal(String),
}

fn rollback_summary(leftovers: &[String]) -> String {
    if leftovers.is_empty() {
        "Everything this grant had created was removed again.".into()
    } else {
        format!("Rolling back could not remove: {}.", leftovers.join("; "))
    }
}

impl EngineError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            EngineError::Invalid(_) => ErrorKind::InvalidInput,
            EngineError::Aws(err) => err.kind(),
            EngineError::Journal(JournalError::NotFound(_)) => ErrorKind::NotFound,
            EngineError::Journal(JournalError::BadGrantId(_)) => ErrorKind::InvalidInput,
            EngineError::Journal(JournalError::Busy { .. }) => ErrorKind::Busy,
            EngineError::Journal(JournalError::NotAnArchive(_) | JournalError::OtherGrant { .. }) => ErrorKind::InvalidInput,
            EngineError::Journal(JournalError::AlreadyRecorded(_)) => ErrorKind::AlreadyExists,
            EngineError::Revoked { .. } => ErrorKind::Revoked,
            EngineError::Journal(_) => ErrorKind::Journal,
            EngineError::WrongAccount { .. } | EngineError::WrongRegion { .. } => ErrorKind::InvalidInput,
            EngineError::BadState { .. } | EngineError::WaitTimeout { .. } => ErrorKind::Aws,
            EngineError::StepFailed { cause, .. } => cause.kind(),
            EngineError::RevokeIncomplete { .. } => ErrorKind::Incomplete,
            EngineError::Cancelled { .. } => ErrorKind::Cancelled,
            EngineError::NotApplied { .. } | EngineError::AlreadyRan { .. } | EngineError::RecordedHere { .. } => ErrorKind::InvalidInput,
            EngineError::NothingTagged { .. } => ErrorKind::NotFound,
            EngineError::TaggedElsewhere { .. } | EngineError::CannotAdopt { .. } => ErrorKind::InvalidInput,
            EngineError::CannotRemoveByTag { .. } => ErrorKind::Incomplete,
            EngineError::Gone { .. } => ErrorKind::NotFound,
            EngineError::AccountNotCreated { .. } => ErrorKind::Aws,
            EngineError::AccountKept { .. } => ErrorKind::Incomplete,
            EngineError::PeeringRefused { .. } => ErrorKind::Aws,
            EngineError::Internal(_) => ErrorKind::Internal,
        }
    }

    pub fn hint(&self) -> String {
        match self {
            EngineError::Invalid(fields) => fields.first().map(|f| f.hint.clone()).unwrap_or_default(),
            EngineError::Aws(err) => err.hint(),
            EngineError::Journal(err) => err.hint(),
            EngineError::WrongAccount { expected, .. } => format!("Use credentials for account {expected}, or plan the grant again with these."),
            EngineError::WrongRegion { expected, .. } => format!("Pass --region {expected}."),
            EngineError::BadState { .. } => "Look at the resource in the AWS console for the reason; the grant was rolled back, so it can be planned again.".into(),
            EngineError::WaitTimeout { .. } => "AWS is slower than usual; run `vendorlink resume` to keep waiting.".into(),
            EngineError::StepFailed { cause, leftovers, .. } if leftovers.is_empty() => cause.hint(),
            EngineError::StepFailed { cause, .. } => format!("{} Then run `vendorlink resume` to finish, or remove the resources listed by hand.", cause.hint()),
            EngineError::Cancelled { leftovers } if leftovers.is_empty() => "Nothing of the grant is left; plan it again when you are ready.".into(),
            EngineError::Cancelled { .. } => "Remove what is listed by hand, or run `vendorlink resume` to finish the grant after all.".into(),
            EngineError::NotApplied { grant, .. } => format!("Run `vendorlink apply {grant}` (or `resume`) first: the summary describes what exists."),
            EngineError::AlreadyRan { grant } => format!("Run `vendorlink revoke {grant}`: it removes what the grant made and proves it."),
            EngineError::RecordedHere { grant } => format!("Run `vendorlink revoke {grant}` (or Revoke on the Grants screen) without --by-tag."),
            EngineError::TaggedElsewhere { regions, .. } => format!(
                "Remove it with credentials in {} (--region {}): the role is global, so removing it from here would leave the rest there.",
                regions.join(", "),
                regions.first().map_or("", String::as_str)
            ),
            EngineError::CannotAdopt { grant, .. } => format!(
                "Keep managing it from the machine that made it, or remove it by its tag here (`vendorlink revoke {grant} --by-tag`, or Remove everything… beside it under Grants)."
            ),
            EngineError::CannotRemoveByTag { .. } => "Remove it in the AWS console, then remove the grant by its tag again to prove nothing is left.".into(),
            EngineError::NothingTagged { .. } => "It was removed already, or lives in another account or region: pass the credentials and --region it was made with.".into(),
            EngineError::Gone { .. } => "It was deleted outside VendorLink; `vendorlink status` shows what is left of the grant.".into(),
            EngineError::RevokeIncomplete { grant, by_tag, .. } => format!(
                "Fix what is listed (or remove it by hand), then run `vendorlink revoke {grant}{}` again: it picks up where it stopped and checks everything again.",
                if *by_tag { " --by-tag" } else { "" }
            ),
            EngineError::Revoked { .. } => {
                "Plan a new grant for the vendor: it gets a new id, role name and ExternalId, so nothing the vendor kept from this one works again. To finish an incomplete revoke, run `vendorlink revoke` again.".into()
            }
            EngineError::AccountNotCreated { reason, .. } if reason == "EMAIL_ALREADY_EXISTS" => {
                "Another AWS account already uses that owner email (no two accounts may share one): plan again with an address of its own, e.g. aws+vendor@your-domain.".into()
            }
            EngineError::AccountNotCreated { reason, .. } if reason == "ACCOUNT_LIMIT_EXCEEDED" => "The organization has as many accounts as its quota allows: ask AWS Support to raise it, or close an unused account.".into(),
            EngineError::AccountNotCreated { .. } => "AWS Organizations → AWS accounts shows the request; fix what it names and plan the grant again.".into(),
            EngineError::AccountKept { account } => format!(
                "Closing an AWS account is slow and limited (AWS allows a few per month), so the grant keeps it: `vendorlink resume` uses it again, and `vendorlink revoke <grant> --close-account` closes it after the vendor's access is taken back. Account {account} holds nothing else."
            ),
            EngineError::PeeringRefused { state, .. } if state == "failed" => {
                "AWS refused the request (a vendor VPC that does not exist in that account and region, or overlapping blocks): check the VPC id, account, region and blocks with the vendor, then plan again. AWS removes a failed request by itself.".into()
            }
            EngineError::PeeringRefused { .. } => "The vendor (or someone) rejected or deleted the connection, or it expired: agree with the vendor, then plan a new grant.".into(),
            EngineError::Internal(_) => "This is a bug in VendorLink; please report it with the journal.".into(),
        }
    }

    /// AWS's request id of the call that failed, when AWS answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            EngineError::Aws(err) => err.request_id(),
            EngineError::StepFailed { cause, .. } => cause.request_id(),
            _ => None,
        }
    }

    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            EngineError::Invalid(fields) => fields.clone(),
            _ => Vec::new(),
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload { kind: self.kind(), message: self.sentence(), hint: self.hint(), fields: self.fields(), detail: self.detail() }
    }

    /// The failure in one sentence, AWS's own words left to [`EngineError::detail`].
    pub fn sentence(&self) -> String {
        match self {
            EngineError::Aws(err) => err.sentence(),
            EngineError::StepFailed { step, cause, leftovers } => format!("Step {step} failed: {}. {}", cause.sentence().trim_end_matches('.'), rollback_summary(leftovers)),
            _ => self.to_string(),
        }
    }

    /// What AWS said about the failure, word for word; empty when AWS was not the cause.
    pub fn detail(&self) -> String {
        match self {
            EngineError::Aws(err) => err.detail(),
            EngineError::StepFailed { cause, .. } => cause.detail(),
            _ => String::new(),
        }
    }
}

/// Forgets a planned grant that never ran. Nothing in AWS changes; a grant that ran, even
/// partly, is refused, since only a revoke removes what it made and proves it.
pub fn discard(store: &GrantStore, grant_id: &str) -> Result<(), EngineError> {
    if store.discard_planned(grant_id)? {
        Ok(())
    } else {
        Err(EngineError::AlreadyRan { grant: grant_id.to_owned() })
    }
}

/// Random lowercase hex from the OS's generator.
pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    // The OS generator failing is not something to continue from with weaker ids.
    getrandom::fill(&mut buffer).unwrap_or_else(|e| panic!("the OS random generator failed: {e}"));
    buffer.iter().map(|b| format!("{b:02x}")).collect()
}

/// Discovers the session's region, resolves the database's addresses if none were typed,
/// builds the plan and records it as a new grant. Nothing in AWS changes.
pub async fn prepare(session: &AwsSession, store: &GrantStore, source: CredentialSource, request: &GrantRequest, resolver: &dyn Resolve) -> Result<Plan, EngineError> {
    // Input that needs no AWS answer is checked before the first call.
    let vendor = plan::vendor_errors(request);
    if !vendor.is_empty() {
        return Err(EngineError::Invalid(vendor));
    }
    let caller = aws::Sts::new(session).caller_identity().await?;
    let grant_id = format!("g-{}", random_hex(4));
    let (member_access, member) = match request.account.as_deref().filter(|account| **account != caller.account) {
        Some(account) => {
            let access = MemberAccess { from_account: caller.account.clone(), role_name: request.access_role.clone().unwrap_or_else(|| ORGANIZATION_ACCESS_ROLE.into()) };
            let member = aws::assume_role(session, &access.role_arn(account), &format!("vendorlink-{grant_id}")).await?;
            (Some(access), Some(member))
        }
        None => (None, None),
    };
    let session = member.as_ref().unwrap_or(session);
    let identity = aws::Sts::new(session).caller_identity().await?;
    // A new account holds nothing yet to discover; what is checked is the organization.
    let inventory = match &request.new_account {
        Some(account) => {
            check_new_account(&aws::Accounts::new(session), account).await?;
            vendorlink_model::Inventory { region: session.region().to_owned(), ..Default::default() }
        }
        None => aws::discover(session).await?,
    };
    let resolved_ips = match (request.target_ips.is_empty(), inventory.database(&request.database)) {
        (true, Some(db)) if !db.endpoint.is_empty() => resolver.resolve(&db.endpoint, db.port).await,
        _ => Ok(Vec::new()),
    };
    // Peering reads the database VPC's route tables and peering connections (R19).
    // Peering and a bastion read the database VPC's routing (R19, R20); a bastion, the instance
    // types its zones offer.
    let parts = &request.parts;
    let vpc_facts = match (parts.contains(&Part::VpcPeering) || parts.contains(&Part::SshBastion), inventory.database(&request.database)) {
        (true, Some(db)) => {
            let mut facts = aws::Peering::new(session).facts(&db.vpc_id).await?;
            if parts.contains(&Part::SshBastion) {
                facts.instance_offers = aws::Instances::new(session).offered_types(&bastion_plan::INSTANCE_TYPES).await?;
            }
            facts
        }
        _ => vendorlink_model::VpcFacts::default(),
    };
    let ctx = PlanContext {
        grant_id,
        external_id: random_hex(16),
        now: chrono::Utc::now(),
        account_id: identity.account,
        source,
        inventory: &inventory,
        resolved_ips,
        vpc: Some(&vpc_facts),
    };
    let plan = Plan { member_access, ..plan::build(request, &ctx).map_err(EngineError::Invalid)? };
    store.create(&plan)?;
    Ok(plan)
}

/// The peering requests waiting in `vpc_id` for its owner to accept them (the vendor's, maybe).
pub async fn peering_requests(session: &AwsSession, vpc_id: &str) -> Result<Vec<vendorlink_model::PeeringConnection>, EngineError> {
    let facts = aws::Peering::new(session).facts(vpc_id).await?;
    Ok(facts.connections.into_iter().filter(|c| c.status == "pending-acceptance" && c.accepter.vpc_id == vpc_id).collect())
}

/// What only the organization can answer about a new account, asked before the plan is saved:
/// the caller may create accounts (the management account), no account has the owner email
/// (docs/aws-rules.md R17), and the organizational unit exists.
async fn check_new_account(accounts: &dyn aws::AccountsApi, account: &vendorlink_model::NewAccount) -> Result<(), EngineError> {
    let mut errors = Vec::new();
    let wanted = account.email.trim().to_lowercase();
    if let Some(taken) = accounts.accounts().await?.into_iter().find(|a| a.email.to_lowercase() == wanted) {
        errors.push(FieldError::new(
            "newAccount.email",
            format!("{} is already the owner email of account {} (\"{}\"); AWS accounts never share one.", account.email, taken.id, taken.name),
            "Use an address of its own, e.g. aws+vendor@your-domain (a mailbox your team reads).",
        ));
    }
    if let Some(unit) = &account.organizational_unit {
        if !accounts.unit_exists(unit).await? {
            errors.push(FieldError::new(
                "newAccount.organizationalUnit",
                format!("The organization has no organizational unit {unit}."),
                "Copy the unit's id from AWS Organizations → AWS accounts, or leave it out to keep the account under the root.",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(EngineError::Invalid(errors))
    }
}

/// A session inside the organization's member account `account`, through `access_role`
/// (checked first: a typo is reported before any call).
pub async fn enter_account(session: &AwsSession, account: &str, access_role: &str) -> Result<AwsSession, EngineError> {
    let errors: Vec<FieldError> = [validate::account_id("account", account).err(), validate::role_name("accessRole", access_role).err()].into_iter().flatten().collect();
    if !errors.is_empty() {
        return Err(EngineError::Invalid(errors));
    }
    Ok(aws::assume_role(session, &format!("arn:aws:iam::{account}:role/{access_role}"), "vendorlink-discovery").await?)
}

/// The services where a grant's resources are: the caller's own account, or the member account
/// its plan was made for, entered through the plan's access role (docs/aws-rules.md R15).
/// Every command on an existing grant starts here. Credentials of the member account itself
/// (an admin there revoking when the management account is out of reach) are used as they are;
/// credentials of a third account are refused before any change.
pub async fn grant_cloud(cloud: &Cloud, plan: &Plan) -> Result<Cloud, EngineError> {
    let Some(access) = &plan.member_access else { return Ok(cloud.clone()) };
    let caller = cloud.sts.caller_identity().await?;
    if caller.account == plan.account_id {
        return Ok(cloud.clone());
    }
    if caller.account != access.from_account {
        return Err(EngineError::WrongAccount {
            expected: format!("{} (or {}, the member account itself)", access.from_account, plan.account_id),
            actual: caller.account,
            who: cloud.label.clone(),
        });
    }
    let session = cloud.session.as_ref().ok_or_else(|| EngineError::Internal("a member account is reached only with SDK credentials".into()))?;
    let member = aws::assume_role(&session.in_region(&plan.region), &access.role_arn(&plan.account_id), &format!("vendorlink-{}", plan.grant_id)).await?;
    Ok(Cloud::new(&member))
}
