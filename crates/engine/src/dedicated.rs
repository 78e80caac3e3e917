//! A grant's dedicated account: its steps run with the caller's credentials (the management
//! account's), every other step inside the new account, entered through the access role
//! Organizations made there (docs/aws-rules.md R15, R18).

use std::time::{Duration, Instant};

use super::progress::{Progress, ProgressSink};
use super::steps::{Known, WaitPolicy};
use super::EngineError;
use crate::journal::{step_states, Record, StepState};
use vendorlink_aws::{self as aws, Cloud};
use vendorlink_model::{ErrorKind, Output, Part, Plan, Step, StepId};

/// The dedicated account's id, once the journal has it.
pub fn account_of(known: &Known) -> Option<&str> {
    match known.get(&StepId::Account) {
        Some(Output::Account { account_id, .. }) => Some(account_id),
        _ => None,
    }
}

/// The dedicated account a grant's journal says exists (not yet closed).
pub fn account_in(records: &[Record]) -> Option<String> {
    match step_states(records).remove(&StepId::Account) {
        Some(StepState::Exists(Output::Account { account_id, .. })) => Some(account_id),
        _ => None,
    }
}

/// Whether the step runs in the dedicated account rather than with the caller's credentials.
pub fn runs_inside(plan: &Plan, step: &Step) -> bool {
    plan.dedicated_access_role().is_some() && step.part != Part::DedicatedAccount
}

/// The services inside the plan's dedicated account `account`, in the plan's region.
pub async fn enter(cloud: &Cloud, plan: &Plan, account: &str) -> Result<Cloud, EngineError> {
    let role = plan.dedicated_access_role().ok_or_else(|| EngineError::Internal(format!("grant {} has no dedicated account", plan.grant_id)))?;
    let session = cloud.session.as_ref().ok_or_else(|| EngineError::Internal("a dedicated account is entered only with SDK credentials".into()))?;
    let member = aws::assume_role(&session.in_region(&plan.region), &format!("arn:aws:iam::{account}:role/{role}"), &format!("vendorlink-{}", plan.grant_id)).await?;
    Ok(Cloud::new(&member))
}

/// How long apply waits for a new account to let its access role be assumed: AWS says "a few
/// minutes" after the creation succeeded (docs/aws-rules.md R18.3).
const ENTERABLE_WITHIN: Duration = Duration::from_secs(10 * 60);

/// [`enter`], for an account apply has just made: STS refusing the access role is waited out
/// (with progress) for a few minutes before it counts.
pub async fn enter_when_ready(cloud: &Cloud, plan: &Plan, account: &str, wait: WaitPolicy, sink: &ProgressSink) -> Result<Cloud, EngineError> {
    let start = Instant::now();
    let mut pause = wait.first;
    loop {
        match enter(cloud, plan, account).await {
            Err(EngineError::Aws(err)) if err.kind() == ErrorKind::AccessDenied && start.elapsed() < ENTERABLE_WITHIN.min(wait.timeout) => {
                sink(Progress::Waiting {
                    step: StepId::Account,
                    resource: format!("account {account}"),
                    state: "not yet accepting its access role".into(),
                    elapsed_secs: start.elapsed().as_secs(),
                });
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(wait.longest);
            }
            other => return other,
        }
    }
}

/// Where the grant's resources other than the account are: inside the dedicated account once
/// it exists (`None` before), else `cloud` itself.
pub async fn resources(cloud: &Cloud, plan: &Plan, known: &Known) -> Result<Option<Cloud>, EngineError> {
    if plan.dedicated_access_role().is_none() {
        return Ok(Some(cloud.clone()));
    }
    match account_of(known) {
        Some(account) => Ok(Some(enter(cloud, plan, account).await?)),
        None => Ok(None),
    }
}
