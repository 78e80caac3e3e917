//! Runs a saved plan: independent steps at the same time, each mutating call journaled before
//! and after, waits on AWS states, and on a failure retries can't fix, removes everything the
//! grant made, in reverse order. Running it again after a crash (resume) picks up from the
//! journal: finished steps are skipped, interrupted ones are looked up before being redone.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;
use ts_rs::TS;

use super::progress::{Progress, ProgressSink};
use super::steps::{self, Known, WaitPolicy};
use super::EngineError;
use crate::aws::{caller_identity, AwsSession};
use crate::journal::{step_states, Event, GrantStore, Journal, RunOutcome, StepState};
use crate::model::{Outputs, Plan, Step};

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApplyReport {
    pub grant_id: String,
    /// Steps whose resource this run created.
    pub created: Vec<String>,
    /// Steps whose resource an interrupted run had created, found and kept.
    pub adopted: Vec<String>,
    /// Steps already done before this run.
    pub already_done: Vec<String>,
}

/// Shared by a run's tasks.
struct Run {
    session: AwsSession,
    plan: Plan,
    id: String,
    journal: Mutex<Journal>,
    sink: ProgressSink,
    wait: WaitPolicy,
}

impl Run {
    fn record(&self, step: Option<&str>, event: Event) -> Result<(), EngineError> {
        let mut journal = self.journal.lock().map_err(|_| EngineError::Internal("journal lock poisoned".into()))?;
        journal.append(&self.id, step, event)?;
        Ok(())
    }

    fn states(&self) -> Result<std::collections::BTreeMap<String, StepState>, EngineError> {
        let journal = self.journal.lock().map_err(|_| EngineError::Internal("journal lock poisoned".into()))?;
        Ok(step_states(journal.records()))
    }
}

/// Applies (or resumes) the grant's plan. `command` names the run in the journal.
pub async fn apply(session: &AwsSession, store: &GrantStore, grant_id: &str, command: &str, sink: ProgressSink, wait: WaitPolicy) -> Result<ApplyReport, EngineError> {
    let plan = store.plan(grant_id)?;
    let journal = store.journal(grant_id)?;
    let states = step_states(journal.records());
    let done: Vec<String> = plan.steps.iter().filter(|s| matches!(states.get(&s.id), Some(StepState::Exists(_)))).map(|s| s.id.clone()).collect();
    let finished = matches!(journal.records().last().map(|r| &r.event), Some(Event::RunFinished { outcome: RunOutcome::Applied }));
    if done.len() == plan.steps.len() && finished {
        // Nothing to do, so nothing is called: a second apply changes nothing in AWS.
        return Ok(ApplyReport { grant_id: plan.grant_id.clone(), created: Vec::new(), adopted: Vec::new(), already_done: done });
    }
    let caller = check_account(session, &plan).await?;
    // Errors then name the identity by its ARN ("AWS denied iam:CreateRole to AWS profile
    // \"ops\" (arn:aws:iam::…:user/ops)"), which is what an admin must grant permissions to.
    let session = AwsSession { config: session.config.clone(), label: format!("{} ({caller})", session.label) };
    let run = Arc::new(Run { session, plan, id: run_id(), journal: Mutex::new(journal), sink, wait });
    run.record(None, Event::RunStarted { command: command.into(), caller })?;
    (run.sink)(Progress::RunStarted { grant_id: run.plan.grant_id.clone(), total: run.plan.steps.len(), done: done.len() });

    let mut known: Known = states.iter().filter_map(|(id, s)| if let StepState::Exists(o) = s { Some((id.clone(), o.clone())) } else { None }).collect();
    let mut report = ApplyReport { grant_id: run.plan.grant_id.clone(), created: Vec::new(), adopted: Vec::new(), already_done: done };
    let mut started: BTreeSet<String> = known.keys().cloned().collect();
    let mut tasks: JoinSet<(String, Result<StepOutcome, EngineError>)> = JoinSet::new();
    let mut failure: Option<(String, EngineError)> = None;
    loop {
        if failure.is_none() {
            for step in &run.plan.steps {
                if started.contains(&step.id) || !step.action.references().iter().all(|r| known.contains_key(*r)) {
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
            Ok(StepOutcome { adopted, outputs }) => {
                if adopted { &mut report.adopted } else { &mut report.created }.push(step_id.clone());
                known.insert(step_id, outputs);
            }
            Err(err) => {
                (run.sink)(Progress::StepFailed { step: step_id.clone(), error: err.payload() });
                // Let the calls already in flight finish (their outcome gets journaled), start no more.
                failure.get_or_insert((step_id, err));
            }
        }
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
    outputs: Outputs,
}

/// The step's one call, journaled on both sides, then the wait for its resource to be ready.
async fn run_step(run: &Run, step: &Step, known: &Known, uncertain: bool) -> Result<StepOutcome, EngineError> {
    (run.sink)(Progress::StepStarted { step: step.id.clone(), summary: step.summary.clone() });
    if uncertain {
        if let Some(outputs) = steps::find(&run.session, &run.plan, step, known).await? {
            run.record(Some(&step.id), Event::Adopted { outputs: outputs.clone() })?;
            steps::wait_ready(&run.session, step, &outputs, run.wait, &run.sink).await?;
            (run.sink)(Progress::StepDone { step: step.id.clone(), outputs: outputs.clone(), adopted: true });
            return Ok(StepOutcome { adopted: true, outputs });
        }
    }
    run.record(Some(&step.id), Event::Calling { action: step.action.iam_action().into() })?;
    let created = match steps::create(&run.session, &run.plan, step, known).await {
        Ok(created) => created,
        Err(err) => {
            run.record(Some(&step.id), Event::Failed { error: err.payload() })?;
            return Err(err);
        }
    };
    run.record(Some(&step.id), Event::Created { outputs: created.outputs.clone(), request_id: created.request_id })?;
    steps::wait_ready(&run.session, step, &created.outputs, run.wait, &run.sink).await?;
    (run.sink)(Progress::StepDone { step: step.id.clone(), outputs: created.outputs.clone(), adopted: false });
    Ok(StepOutcome { adopted: false, outputs: created.outputs })
}

/// Removes everything the grant has made, newest first, journaling each removal. Returns what
/// could not be removed ("step: reason").
async fn roll_back(run: &Run) -> Result<Vec<String>, EngineError> {
    let mut leftovers = Vec::new();
    for step in run.plan.steps.iter().rev() {
        let states = run.states()?;
        let known: Known = states.iter().filter_map(|(id, s)| if let StepState::Exists(o) = s { Some((id.clone(), o.clone())) } else { None }).collect();
        let outputs = match states.get(&step.id) {
            Some(StepState::Exists(outputs)) => outputs.clone(),
            Some(StepState::Uncertain) => {
                let found = match steps::find(&run.session, &run.plan, step, &known).await {
                    Ok(found) => found.or_else(|| steps::implied_outputs(step, &known)),
                    Err(err) => {
                        leftovers.push(format!("{}: could not check whether it exists: {err}", step.id));
                        continue;
                    }
                };
                match found {
                    Some(outputs) => outputs,
                    None => {
                        run.record(Some(&step.id), Event::NotFound)?;
                        continue;
                    }
                }
            }
            Some(StepState::Absent) | None => continue,
        };
        (run.sink)(Progress::RollingBack { step: step.id.clone() });
        run.record(Some(&step.id), Event::Deleting { action: step.action.iam_action().into() })?;
        match steps::undo(&run.session, step, &outputs, run.wait, &run.sink).await {
            Ok(request_id) => {
                run.record(Some(&step.id), Event::Deleted { request_id })?;
                (run.sink)(Progress::RolledBack { step: step.id.clone() });
            }
            Err(err) => {
                let payload = err.payload();
                run.record(Some(&step.id), Event::DeleteFailed { error: payload.clone() })?;
                (run.sink)(Progress::RollbackFailed { step: step.id.clone(), error: payload });
                leftovers.push(format!("{} ({}): {err}", step.id, outputs.get("id").map_or("", String::as_str)));
            }
        }
    }
    Ok(leftovers)
}

/// The plan was made for one account; credentials for another would create the grant in the
/// wrong place.
async fn check_account(session: &AwsSession, plan: &Plan) -> Result<String, EngineError> {
    let identity = caller_identity(session).await?;
    if identity.account != plan.account_id {
        return Err(EngineError::WrongAccount { expected: plan.account_id.clone(), actual: identity.account, who: session.label.clone() });
    }
    if session.region() != plan.region {
        return Err(EngineError::WrongRegion { expected: plan.region.clone(), actual: session.region().to_owned() });
    }
    Ok(identity.arn)
}

fn run_id() -> String {
    format!("r-{}", super::random_hex(6))
}
