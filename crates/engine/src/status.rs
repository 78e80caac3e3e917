//! What exists for a grant: the journal's account of each step, and what AWS has with the
//! grant's tag, including tagged resources the journal does not know (left by a crash that
//! happened before a resource's id could be written down, or made by hand).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::EngineError;
use crate::journal::{step_states, Event, GrantStore, Record, RunOutcome, StepState};
use vendorlink_aws::Cloud;
use vendorlink_model::{Output, Part, Plan, StepId, TaggedResource};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum GrantState {
    /// Planned; nothing created yet.
    Planned,
    /// Some steps done, no run finished them: resume it.
    Incomplete,
    Applied,
    RolledBack,
    /// The vendor's access was revoked; the network resources remain.
    AccessRevoked,
    /// Everything was removed by a revoke.
    Revoked,
    /// A revoke began and did not finish (interrupted, or it left something): only revoke
    /// may run again, never apply or resume.
    RevokeIncomplete,
    /// A run (apply, resume, revoke, resync) is changing the grant right now.
    Running,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepStatus {
    pub id: StepId,
    pub summary: String,
    /// `exists`, `absent` or `uncertain` (a call was made and its outcome never recorded).
    pub journal: String,
    /// What the step made, while it exists.
    pub output: Option<Output>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GrantStatus {
    pub plan: Plan,
    pub state: GrantState,
    pub steps: Vec<StepStatus>,
    /// Everything in AWS with this grant's tag.
    pub tagged: Vec<TaggedResource>,
    /// Tagged resources whose ids appear in no step's outputs.
    pub untracked: Vec<TaggedResource>,
    /// What changed since the grant was applied.
    pub drift: Vec<super::Drift>,
    /// Endpoints connected or asking to connect to the grant's service (pending ones wait for
    /// the admin's acceptance).
    pub connections: Vec<super::ConnectionView>,
    /// The target-sync function's newest log line and its time (RFC 3339), when the grant has
    /// one and it has run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_sync: Option<LastSync>,
}

/// What the target sync last did, from its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LastSync {
    pub at: String,
    /// The line as the function logged it.
    pub line: String,
    /// The same, in one sentence.
    pub summary: String,
}

/// The grant's state from its journal alone (no AWS call), as lists show it. `running`: a run
/// holds the grant's lock right now, so missing steps are in progress, not interrupted.
pub fn local_state(plan: &Plan, records: &[Record], running: bool) -> GrantState {
    let states = step_states(records);
    let exists = |id: &StepId| matches!(states.get(id), Some(StepState::Exists(_)));
    let present = |id: &StepId| matches!(states.get(id), Some(StepState::Exists(_) | StepState::Uncertain));
    let last_outcome = records.iter().rev().find_map(|r| match r.event {
        Event::RunFinished { outcome } if outcome != RunOutcome::Decided => Some(outcome),
        _ => None,
    });
    let last_revoke = records.iter().rposition(|r| matches!(&r.event, Event::RunStarted { command, .. } if command == "revoke"));
    let revoke_began = last_revoke.is_some();
    // The latest revoke run, not an earlier one, says how far the revoke got.
    let revoke_finished = last_revoke.is_some_and(|i| records[i + 1..].iter().any(|r| r.run == records[i].run && matches!(r.event, Event::RunFinished { .. })));
    let existing = plan.steps.iter().filter(|s| present(&s.id)).count();
    // A dedicated account stays open after a revoke unless closing it was asked for; what a
    // revoke takes back is everything in it.
    let existing_besides_account = plan.steps.iter().filter(|s| s.part != Part::DedicatedAccount && present(&s.id)).count();
    if running {
        GrantState::Running
    } else if revoke_began {
        // Terminal: only revoke may run again.
        match last_outcome.filter(|_| revoke_finished) {
            Some(RunOutcome::Revoked) if existing_besides_account == 0 => GrantState::Revoked,
            Some(RunOutcome::AccessRevoked) => GrantState::AccessRevoked,
            _ => GrantState::RevokeIncomplete,
        }
    } else if plan.steps.iter().all(|s| exists(&s.id)) {
        GrantState::Applied
    } else if existing > 0 {
        GrantState::Incomplete
    } else if records.is_empty() {
        GrantState::Planned
    } else if last_outcome == Some(RunOutcome::RolledBack) {
        GrantState::RolledBack
    } else {
        // A run started and stopped before its first call went out.
        GrantState::Incomplete
    }
}

/// The grant's state from its journal, checked against AWS by tag and resource by resource.
/// `current_ips` are the database's addresses now, when the caller knows them.
pub async fn status(cloud: &Cloud, store: &GrantStore, grant_id: &str, current_ips: Option<&[String]>) -> Result<GrantStatus, EngineError> {
    let plan = store.plan(grant_id)?;
    let running = store.running(grant_id);
    let records = store.records(grant_id)?;
    let states = step_states(&records);
    let steps: Vec<StepStatus> = plan
        .steps
        .iter()
        .map(|s| {
            let (journal, output) = match states.get(&s.id) {
                Some(StepState::Exists(output)) => ("exists", Some(output.clone())),
                Some(StepState::Uncertain) => ("uncertain", None),
                Some(StepState::Absent) | None => ("absent", None),
            };
            StepStatus { id: s.id.clone(), summary: s.summary.clone(), journal: journal.into(), output }
        })
        .collect();
    let state = local_state(&plan, &records, running);
    let caller = &cloud.in_region(&plan.region);
    let existing: std::collections::BTreeMap<StepId, Output> = steps.iter().filter_map(|s| Some((s.id.clone(), s.output.clone()?))).collect();
    // A dedicated account is read first: one closed or gone cannot be entered, and what was in
    // it went with it. Its resources are read inside it (none exist before it does).
    let account_drift = super::drift::account_drift(caller, &existing).await?;
    let (tagged, drift) = match account_drift {
        Some(gone) => (Vec::new(), vec![gone]),
        None => {
            let inside = super::dedicated::resources(caller, &plan, &existing).await?;
            let cloud = inside.as_ref().unwrap_or(caller);
            (cloud.tagged.tagged_resources(Some(grant_id)).await?, super::drift::detect(cloud, &plan, &existing, current_ips).await?)
        }
    };
    let cloud = caller;
    let known_ids: Vec<&str> = steps.iter().filter_map(|s| s.output.as_ref()).flat_map(Output::resource_ids).collect();
    // A function's log group is made with it, under the name Lambda's runtime writes to.
    let log_groups: Vec<String> = existing.values().filter_map(|o| if let Output::Function { name, .. } = o { Some(vendorlink_aws::log_group_name(name)) } else { None }).collect();
    let untracked = tagged.iter().filter(|r| !known_ids.contains(&r.id.as_str()) && !log_groups.contains(&r.id)).cloned().collect();
    let connections = if steps.iter().any(|s| s.id == StepId::EndpointService && s.journal == "exists") { super::connections(cloud, store, grant_id).await? } else { Vec::new() };
    let last_sync = match existing.get(&StepId::SyncFunction) {
        Some(Output::Function { name, .. }) => {
            cloud.functions.last_log(name).await?.map(|(line, at)| LastSync { at, summary: crate::target_sync::log_line::describe(&line), line })
        }
        _ => None,
    };
    Ok(GrantStatus { plan, state, steps, tagged, untracked, drift, connections, last_sync })
}
