//! One run over a grant (apply, resume, rollback, revoke): its session, plan and journal, and
//! removing a step's resource with the journal written around the call.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::progress::ProgressSink;
use super::steps::{self, Known, WaitPolicy};
use super::EngineError;
use crate::journal::{now, step_states, Event, Failure, GrantLock, Journal, StepState};
use vendorlink_aws::Cloud;
use vendorlink_model::{Plan, Step, StepId};

pub(super) struct Run {
    /// The services, their errors naming the caller by ARN.
    pub cloud: Cloud,
    /// The dedicated account's services, entered once (when the plan makes one).
    inside: tokio::sync::OnceCell<Cloud>,
    pub plan: Plan,
    pub id: String,
    /// The caller's ARN, as STS named it at the start of the run.
    pub caller: String,
    /// What the run is (`apply`, `resume`, `revoke`…).
    command: String,
    journal: Mutex<Journal>,
    /// Held for the run's life: no other run changes the grant meanwhile.
    _lock: GrantLock,
    pub sink: ProgressSink,
    pub wait: WaitPolicy,
}

/// What removing a step's resource came to.
pub(super) enum Removal {
    /// There was nothing (never created, or removed before).
    Absent,
    Removed {
        id: String,
        request_id: Option<String>,
        at: String,
    },
    Failed {
        id: String,
        error: EngineError,
    },
}

impl Run {
    /// Checks that the credentials are the plan's account and region, and journals the start.
    pub async fn start(cloud: &Cloud, plan: Plan, (lock, journal): (GrantLock, Journal), command: &str, sink: ProgressSink, wait: WaitPolicy) -> Result<Run, EngineError> {
        let identity = cloud.sts.caller_identity().await?;
        if identity.account != plan.account_id {
            return Err(EngineError::WrongAccount { expected: plan.account_id.clone(), actual: identity.account, who: cloud.label.clone() });
        }
        if cloud.region != plan.region {
            return Err(EngineError::WrongRegion { expected: plan.region.clone(), actual: cloud.region.clone() });
        }
        let run = Run {
            cloud: cloud.as_caller(&identity.arn),
            inside: tokio::sync::OnceCell::new(),
            plan,
            id: format!("r-{}", super::random_hex(6)),
            caller: identity.arn.clone(),
            command: command.to_owned(),
            journal: Mutex::new(journal),
            _lock: lock,
            sink,
            wait,
        };
        run.record(None, Event::RunStarted { command: command.into(), caller: identity.arn })?;
        Ok(run)
    }

    /// The services the step's resource is made and removed with: inside the dedicated account
    /// for a plan that makes one (entered when first needed), else the caller's.
    pub async fn cloud_for(&self, step: &Step, known: &Known) -> Result<&Cloud, EngineError> {
        if !super::dedicated::runs_inside(&self.plan, step) {
            return Ok(&self.cloud);
        }
        self.inside_account(known).await
    }

    /// The services inside the plan's dedicated account; an error before it exists.
    pub async fn inside_account(&self, known: &Known) -> Result<&Cloud, EngineError> {
        let account =
            super::dedicated::account_of(known).ok_or_else(|| EngineError::NotApplied { grant: self.plan.grant_id.clone(), missing: StepId::Account.to_string() })?.to_owned();
        self.inside
            .get_or_try_init(|| async {
                // Only a run that may just have made the account waits for it to be enterable.
                if matches!(self.command.as_str(), "apply" | "resume") {
                    super::dedicated::enter_when_ready(&self.cloud, &self.plan, &account, self.wait, &self.sink).await
                } else {
                    super::dedicated::enter(&self.cloud, &self.plan, &account).await
                }
            })
            .await
    }

    /// Where the grant's resources other than its account are (what revoke works on): inside
    /// the dedicated account once it exists; before, the grant has nothing else anywhere.
    pub async fn resources(&self) -> Result<&Cloud, EngineError> {
        let known = self.known()?;
        if self.plan.dedicated_access_role().is_none() || super::dedicated::account_of(&known).is_none() {
            return Ok(&self.cloud);
        }
        self.inside_account(&known).await
    }

    /// Journals the event (synced before returning) and logs it: the log carries what the
    /// journal does, which holds no secret.
    pub fn record(&self, step: Option<&StepId>, event: Event) -> Result<(), EngineError> {
        let mut journal = self.journal.lock().map_err(|_| EngineError::Internal("journal lock poisoned".into()))?;
        let record = journal.append(&self.id, step, event)?;
        let (grant, step, event) =
            (&self.plan.grant_id, record.step.as_ref().map_or_else(|| "-".to_owned(), StepId::to_string), serde_json::to_string(&record.event).unwrap_or_default());
        match record.event {
            Event::Failed { .. } | Event::DeleteFailed { .. } => tracing::warn!(grant = %grant, run = %self.id, seq = record.seq, step, event = %event, "journal"),
            _ => tracing::info!(grant = %grant, run = %self.id, seq = record.seq, step, event = %event, "journal"),
        }
        Ok(())
    }

    pub fn states(&self) -> Result<BTreeMap<StepId, StepState>, EngineError> {
        let journal = self.journal.lock().map_err(|_| EngineError::Internal("journal lock poisoned".into()))?;
        Ok(step_states(journal.records()))
    }

    pub fn records(&self) -> Result<Vec<crate::journal::Record>, EngineError> {
        let journal = self.journal.lock().map_err(|_| EngineError::Internal("journal lock poisoned".into()))?;
        Ok(journal.records().to_vec())
    }

    /// The output of every step that exists, by step.
    pub fn known(&self) -> Result<Known, EngineError> {
        Ok(self.states()?.into_iter().filter_map(|(id, s)| if let StepState::Exists(o) = s { Some((id, o)) } else { None }).collect())
    }

    /// What an interrupted call on the step may have made (see [`steps::find`]).
    pub async fn find(&self, step: &Step, known: &Known) -> Result<Option<vendorlink_model::Output>, EngineError> {
        let cloud = self.cloud_for(step, known).await?;
        steps::find(cloud, &self.plan, step, known, self.wait, &self.sink).await
    }

    /// Removes the step's resource if it exists (looking it up first when an earlier call's
    /// outcome is unknown), journaled before and after; "already gone" counts as removed.
    pub async fn remove_step(&self, step: &Step) -> Result<Removal, EngineError> {
        let known = self.known()?;
        let output = match self.states()?.get(&step.id) {
            Some(StepState::Exists(output)) => output.clone(),
            Some(StepState::Uncertain) => match self.find(step, &known).await {
                Ok(Some(found)) => {
                    // Its id is journaled before anything else: should the removal fail, the
                    // grant still knows what it made.
                    self.record(Some(&step.id), Event::Adopted { outputs: found.clone() })?;
                    found
                }
                Ok(None) => match steps::implied_output(step, &known) {
                    Some(output) => output,
                    None => {
                        self.record(Some(&step.id), Event::NotFound)?;
                        return Ok(Removal::Absent);
                    }
                },
                Err(error) => return Ok(Removal::Failed { id: String::new(), error }),
            },
            Some(StepState::Absent) | None => return Ok(Removal::Absent),
        };
        let id = output.label();
        self.record(Some(&step.id), Event::Deleting { action: step.action.undo_iam_action().into() })?;
        let undone = match self.cloud_for(step, &known).await {
            Ok(cloud) => steps::undo(cloud, step, &output, self.wait, &self.sink).await,
            Err(error) => Err(error),
        };
        match undone {
            Ok(request_id) => {
                self.record(Some(&step.id), Event::Deleted { request_id: request_id.clone() })?;
                Ok(Removal::Removed { id, request_id, at: now() })
            }
            Err(error) => {
                self.record(Some(&step.id), Event::DeleteFailed { error: Failure::from(&error) })?;
                Ok(Removal::Failed { id, error })
            }
        }
    }
}
