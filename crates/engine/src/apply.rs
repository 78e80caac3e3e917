//! Runs a saved plan: independent steps at the same time, each mutating call journaled before
//! and after, waits on AWS states, and on a failure retries can't fix, removes everything the
//! grant made, in reverse order. Running it again after a crash (resume) picks up from the
//! journal: finished steps are skipped, interrupted ones are looked up before being redone.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;
use ts_rs::TS;

use super::progress::{Progress, ProgressSink};
use super::run::{Removal, Run};
use super::steps::{self, Known, WaitPolicy};
use super::EngineError;
use crate::journal::{step_states, Event, Failure, GrantStore, RunOutcome, StepState};
use vendorlink_aws::Cloud;
use vendorlink_model::{console_url, Output, Step, StepId};

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApplyReport {
    pub grant_id: String,
    /// Steps whose resource this run created.
    pub created: Vec<StepId>,
    /// Steps whose resource an interrupted run had created, found and kept.
    pub adopted: Vec<StepId>,
    /// Steps already done before this run.
    pub already_done: Vec<StepId>,
}

/// Applies (or resumes) the grant's plan. `command` names the run in the journal.
/// Setting `cancel` stops it from starting further steps; the steps already sent to AWS
/// finish, then everything the grant made is rolled back.
pub async fn apply(
    cloud: &Cloud,
    store: &GrantStore,
    grant_id: &str,
    command: &str,
    sink: ProgressSink,
    wait: WaitPolicy,
    cancel: &AtomicBool,
) -> Result<ApplyReport, EngineError> {
    let plan = store.plan(grant_id)?;
    let (lock, journal) = store.begin(grant_id, command)?;
    // Principle 8: whatever a revoke has touched stays revoked; the vendor already holds this
    // grant's role name and ExternalId, so access comes back only through a new plan.
    if journal.records().iter().any(|r| matches!(&r.event, Event::RunStarted { command, .. } if command == "revoke")) {
        return Err(EngineError::Revoked { grant: grant_id.to_owned() });
    }
    let states = step_states(journal.records());
    let done: Vec<StepId> = plan.steps.iter().filter(|s| matches!(states.get(&s.id), Some(StepState::Exists(_)))).map(|s| s.id.clone()).collect();
    // The last apply-like run finished (accepting a connection afterwards changes nothing).
    let finished = journal.records().iter().rev().find_map(|r| match r.event {
        Event::RunFinished { outcome } if outcome != RunOutcome::Decided => Some(outcome),
        _ => None,
    }) == Some(RunOutcome::Applied);
    if done.len() == plan.steps.len() && finished {
        // Nothing to do, so nothing is called: a second apply changes nothing in AWS.
        return Ok(ApplyReport { grant_id: plan.grant_id.clone(), created: Vec::new(), adopted: Vec::new(), already_done: done });
    }
    let run = Arc::new(Run::start(cloud, plan, (lock, journal), command, sink, wait).await?);
    (run.sink)(Progress::RunStarted { grant_id: run.plan.grant_id.clone(), total: run.plan.steps.len(), done: done.len() });

    let mut known: Known = states.iter().filter_map(|(id, s)| if let StepState::Exists(o) = s { Some((id.clone(), o.clone())) } else { None }).collect();
    let mut report = ApplyReport { grant_id: run.plan.grant_id.clone(), created: Vec::new(), adopted: Vec::new(), already_done: done };
    let mut started: BTreeSet<StepId> = known.keys().cloned().collect();
    let mut tasks: JoinSet<(StepId, Result<StepOutcome, EngineError>)> = JoinSet::new();
    let mut failure: Option<(StepId, EngineError)> = None;
    // A resource recorded before an interruption may still be on its way (a gateway still
    // CREATE_IN_PROGRESS): its dependents wait for it as they would have in one run.
    for step in run.plan.steps.iter().filter(|s| report.already_done.contains(&s.id)) {
        let Some(output) = known.get(&step.id) else { continue };
        let ready = match run.cloud_for(step, &known).await {
            Ok(cloud) => steps::wait_ready(cloud, step, output, run.wait, &run.sink).await,
            Err(err) => Err(err),
        };
        if let Err(err) = ready {
            (run.sink)(Progress::StepFailed { step: step.id.clone(), error: err.payload() });
            failure = Some((step.id.clone(), err));
            break;
        }
    }
    let mut cancelled = false;
    loop {
        if failure.is_none() && !cancelled && cancel.load(Ordering::SeqCst) {
            cancelled = true;
        }
        if failure.is_none() && !cancelled {
            for step in &run.plan.steps {
                if started.contains(&step.id) || !step.needs().iter().all(|r| known.contains_key(*r)) {
                    continue;
                }
                started.insert(step.id.clone());
                let uncertain = matches!(states.get(&step.id), Some(StepState::Uncertain));
                let (run, step, snapshot) = (Arc::clone(&run), step.clone(), known.clone());
                tasks.spawn(async move {
                    let id = step.id.clone();
                    (id, run_step(&run, &step, &snapshot, uncertain).await)
                });
            }
        }
        let Some(joined) = tasks.join_next().await else { break };
        let (step_id, result) = joined.map_err(|e| EngineError::Internal(format!("a step task stopped: {e}")))?;
        match result {
            Ok(StepOutcome { adopted, output }) => {
                if adopted { &mut report.adopted } else { &mut report.created }.push(step_id.clone());
                known.insert(step_id, output);
            }
            Err(err) => {
                (run.sink)(Progress::StepFailed { step: step_id.clone(), error: err.payload() });
                // Let the calls already in flight finish (their outcome gets journaled), start no more.
                failure.get_or_insert((step_id, err));
            }
        }
    }
    if cancelled && failure.is_none() {
        let leftovers = roll_back(&run).await?;
        let outcome = if leftovers.is_empty() { RunOutcome::RolledBack } else { RunOutcome::RollbackIncomplete };
        run.record(None, Event::RunFinished { outcome })?;
        return Err(EngineError::Cancelled { leftovers });
    }
    if let Some((step, cause)) = failure {
        let leftovers = roll_back(&run).await?;
        let outcome = if leftovers.is_empty() { RunOutcome::RolledBack } else { RunOutcome::RollbackIncomplete };
        run.record(None, Event::RunFinished { outcome })?;
        return Err(EngineError::StepFailed { step, cause: Box::new(cause), leftovers });
    }
    run.record(None, Event::RunFinished { outcome: RunOutcome::Applied })?;
    Ok(report)
}

/// A finished step's resource ids, and whether an interrupted run had made it.
struct StepOutcome {
    adopted: bool,
    output: Output,
}

/// The step's one call, journaled on both sides, then the wait for its resource to be ready.
async fn run_step(run: &Run, step: &Step, known: &Known, uncertain: bool) -> Result<StepOutcome, EngineError> {
    (run.sink)(Progress::StepStarted { step: step.id.clone(), summary: step.summary.clone() });
    if uncertain {
        let cloud = run.cloud_for(step, known).await?;
        if let Some(output) = steps::find(cloud, &run.plan, step, known, run.wait, &run.sink).await? {
            run.record(Some(&step.id), Event::Adopted { outputs: output.clone() })?;
            steps::wait_ready(cloud, step, &output, run.wait, &run.sink).await?;
            (run.sink)(Progress::StepDone { step: step.id.clone(), resource: output.label(), adopted: true, console_url: console_url(&output, &run.plan.region) });
            return Ok(StepOutcome { adopted: true, output });
        }
    }
    let cloud = run.cloud_for(step, known).await?;
    run.record(Some(&step.id), Event::Calling { action: step.action.iam_action().into() })?;
    let created = match steps::create(cloud, &run.plan, step, known, run.wait, &run.sink).await {
        Ok(created) => created,
        Err(err) => {
            run.record(Some(&step.id), Event::Failed { error: Failure::from(&err) })?;
            if matches!(err, EngineError::AccountNotCreated { .. }) && !uncertain {
                // AWS's final word on this run's request: it made no account. (After an
                // interrupted call the earlier request may have made one: that stays uncertain.)
                run.record(Some(&step.id), Event::NotFound)?;
            }
            return Err(err);
        }
    };
    run.record(Some(&step.id), Event::Created { outputs: created.output.clone(), request_id: created.request_id })?;
    steps::wait_ready(cloud, step, &created.output, run.wait, &run.sink).await?;
    (run.sink)(Progress::StepDone { step: step.id.clone(), resource: created.output.label(), adopted: false, console_url: console_url(&created.output, &run.plan.region) });
    Ok(StepOutcome { adopted: false, output: created.output })
}

/// Removes everything the grant has made, newest first, journaling each removal. Returns what
/// could not be removed ("step (id): reason").
async fn roll_back(run: &Run) -> Result<Vec<String>, EngineError> {
    let mut leftovers = Vec::new();
    // An account stays where it was put (only the account itself is reported as kept).
    for step in run.plan.steps.iter().rev().filter(|s| !matches!(s.action, vendorlink_model::Action::MoveAccount { .. })) {
        (run.sink)(Progress::RollingBack { step: step.id.clone() });
        match run.remove_step(step).await? {
            Removal::Absent => {}
            Removal::Removed { .. } => (run.sink)(Progress::RolledBack { step: step.id.clone() }),
            Removal::Failed { id, error } => {
                (run.sink)(Progress::RollbackFailed { step: step.id.clone(), error: error.payload() });
                leftovers.push(format!("{} ({id}): {error}", step.id));
            }
        }
    }
    Ok(leftovers)
}
