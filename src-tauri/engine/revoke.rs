//! Takes a grant back in the safe order (seed 003: access is revoked after the work), then
//! proves it with describe calls and writes a revocation record.
//!
//! Order: the vendor's principals off the endpoint service; every endpoint connection rejected
//! (removing a principal does not cut a connected endpoint); the role's active sessions
//! revoked; the role's policies and the role; the allowlist rules. With
//! [`RevokeScope::Everything`] then the network: DB rule, listener, endpoint service, NLB,
//! targets, target group, the NLB's group. Each removal is journaled like apply, so running
//! revoke again resumes it; a resource already gone counts as removed; one changed by hand
//! since the grant is reported and left.

use super::progress::{Progress, ProgressSink};
use super::proof;
use super::run::{Removal, Run};
use super::steps::WaitPolicy;
use super::{policies, EngineError};
use crate::aws::{ec2, iam, AwsSession};
use crate::journal::{last_outputs, now, Event, GrantStore, RunOutcome, StepState};
use crate::model::{Action, Kept, Removed, RevocationRecord, RevokeScope};

/// Step ids of what only a revoke does, in the journal next to the plan's steps.
const CONNECTIONS: &str = "endpoint-connections";
const SESSIONS: &str = "revoke-sessions";
const DENY_ALL: &str = "revoke-deny-all";
const SESSIONS_POLICY: &str = "vendorlink-revoke-sessions";
const DENY_ALL_POLICY: &str = "vendorlink-revoked";

/// The plan steps that give the vendor access directly; the rest of private link is network.
const PRINCIPALS: &str = "endpoint-principals";
const ALLOWLIST: &str = "allowlist";

pub async fn revoke(session: &AwsSession, store: &GrantStore, grant_id: &str, scope: RevokeScope, sink: ProgressSink, wait: WaitPolicy) -> Result<RevocationRecord, EngineError> {
    let plan = store.plan(grant_id)?;
    let journal = store.journal(grant_id)?;
    let started_at = now();
    let run = Run::start(session, plan, journal, "revoke", sink, wait).await?;
    let mut outcome = Outcome::default();

    remove(&run, PRINCIPALS, &mut outcome).await?;
    reject_connections(&run, &mut outcome).await?;
    let keep_role = revoke_role(&run, &mut outcome).await?;
    remove(&run, ALLOWLIST, &mut outcome).await?;
    if scope == RevokeScope::Everything {
        let rest: Vec<String> =
            run.plan.steps.iter().rev().filter(|s| s.part == crate::model::Part::PrivateLink && s.id != PRINCIPALS && s.id != ALLOWLIST).map(|s| s.id.clone()).collect();
        for step in rest {
            if step == "nlb-sg" && changed_nlb_group(&run, &mut outcome).await? {
                continue;
            }
            remove(&run, &step, &mut outcome).await?;
        }
    }

    let last = last_outputs(&run.records()?);
    let checks = proof::prove(&run.session, &run.plan, &last, scope, keep_role).await;
    let record = RevocationRecord {
        grant_id: run.plan.grant_id.clone(),
        vendor_name: run.plan.vendor_name.clone(),
        scope,
        caller: run.caller.clone(),
        started_at,
        finished_at: now(),
        removed: outcome.removed,
        kept: outcome.kept,
        checks,
    };
    let finished = if !record.complete() {
        RunOutcome::RevokeIncomplete
    } else if scope == RevokeScope::Everything {
        RunOutcome::Revoked
    } else {
        RunOutcome::AccessRevoked
    };
    store.save_revocation(&record)?;
    run.record(None, Event::RunFinished { outcome: finished })?;
    Ok(record)
}

#[derive(Default)]
struct Outcome {
    removed: Vec<Removed>,
    kept: Vec<Kept>,
}

/// Removes one plan step's resource, if the plan has it, noting what happened.
async fn remove(run: &Run, step_id: &str, outcome: &mut Outcome) -> Result<(), EngineError> {
    let Some(step) = run.plan.step(step_id) else { return Ok(()) };
    (run.sink)(Progress::RollingBack { step: step.id.clone() });
    match run.remove_step(step).await? {
        Removal::Absent => {}
        Removal::Removed { id, request_id, at } => {
            (run.sink)(Progress::RolledBack { step: step.id.clone() });
            outcome.removed.push(Removed { step: step.id.clone(), id, action: step.action.undo_iam_action().into(), request_id, at });
        }
        Removal::Failed { id, error } => {
            (run.sink)(Progress::RollbackFailed { step: step.id.clone(), error: error.payload() });
            outcome.kept.push(Kept { step: step.id.clone(), id, reason: error.to_string() });
        }
    }
    Ok(())
}

/// Rejects every endpoint connection that is not rejected yet.
async fn reject_connections(run: &Run, outcome: &mut Outcome) -> Result<(), EngineError> {
    let Some(service) = run.known()?.get("endpoint-service").and_then(|o| o.get("id")).cloned() else { return Ok(()) };
    let action = "ec2:RejectVpcEndpointConnections";
    let open: Vec<String> = match ec2::endpoint_connections(&run.session, &service).await {
        Ok(connections) => {
            connections.into_iter().filter(|c| !matches!(c.state.to_ascii_lowercase().as_str(), "rejected" | "deleted" | "deleting" | "failed")).map(|c| c.endpoint_id).collect()
        }
        Err(err) => {
            outcome.kept.push(Kept { step: CONNECTIONS.into(), id: service, reason: format!("could not list the connections: {err}") });
            return Ok(());
        }
    };
    if open.is_empty() {
        return Ok(());
    }
    (run.sink)(Progress::RollingBack { step: CONNECTIONS.into() });
    run.record(Some(CONNECTIONS), Event::Deleting { action: action.into() })?;
    match ec2::reject_connections(&run.session, &service, &open).await {
        Ok(request_id) => {
            run.record(Some(CONNECTIONS), Event::Deleted { request_id: request_id.clone() })?;
            outcome.removed.push(Removed { step: CONNECTIONS.into(), id: open.join(","), action: action.into(), request_id, at: now() });
        }
        Err(err) => {
            let err = EngineError::from(err);
            run.record(Some(CONNECTIONS), Event::DeleteFailed { error: err.payload() })?;
            outcome.kept.push(Kept { step: CONNECTIONS.into(), id: open.join(","), reason: err.to_string() });
        }
    }
    Ok(())
}

/// Puts an inline policy on the role (journaled as a created resource of the revoke).
async fn put_policy(run: &Run, step: &str, role: &str, name: &str, document: &str, outcome: &mut Outcome) -> Result<bool, EngineError> {
    if matches!(run.states()?.get(step), Some(StepState::Exists(_))) {
        return Ok(true);
    }
    run.record(Some(step), Event::Calling { action: "iam:PutRolePolicy".into() })?;
    match iam::put_role_policy(&run.session, role, name, document).await {
        Ok(created) => {
            run.record(Some(step), Event::Created { outputs: created.outputs, request_id: created.request_id.clone() })?;
            outcome.removed.push(Removed { step: step.into(), id: format!("{role}/{name}"), action: "iam:PutRolePolicy".into(), request_id: created.request_id, at: now() });
            Ok(true)
        }
        Err(err) => {
            let err = EngineError::from(err);
            run.record(Some(step), Event::Failed { error: err.payload() })?;
            outcome.kept.push(Kept { step: step.into(), id: role.into(), reason: err.to_string() });
            Ok(false)
        }
    }
}

/// Revokes the role's sessions, then removes its policies and the role, unless it was changed
/// by hand: then it stays, with a deny-all in force. Returns whether the role was kept.
async fn revoke_role(run: &Run, outcome: &mut Outcome) -> Result<bool, EngineError> {
    let role = run.known()?.get("role").and_then(|o| o.get("id")).cloned();
    let exists = match &role {
        Some(name) => iam::find_role(&run.session, name).await.map_err(EngineError::from)?.is_some(),
        None => false,
    };
    let Some(role) = role.filter(|_| exists) else {
        // Never created, or deleted by an interrupted revoke: the journal is brought up to
        // date (each removal finds the resource gone) and nothing is called for the sessions.
        for step in run.plan.steps.iter().rev().filter(|s| s.part == crate::model::Part::VendorRole) {
            remove(run, &step.id, outcome).await?;
        }
        return Ok(false);
    };
    put_policy(run, SESSIONS, &role, SESSIONS_POLICY, &policies::revoke_sessions_policy(&now_seconds()), outcome).await?;
    let mut inline: Vec<String> = vec![SESSIONS_POLICY.into(), DENY_ALL_POLICY.into()];
    let mut attached: Vec<String> = Vec::new();
    for step in &run.plan.steps {
        match &step.action {
            Action::PutRolePolicy { name, .. } => inline.push(name.clone()),
            Action::AttachRolePolicy { policy_arn, .. } => attached.push(policy_arn.clone()),
            _ => {}
        }
    }
    let hand_made: Vec<String> = match iam::role_policies(&run.session, &role).await {
        Ok(Some((names, arns))) => names.into_iter().filter(|n| !inline.contains(n)).chain(arns.into_iter().filter(|a| !attached.contains(a))).collect(),
        Ok(None) => Vec::new(),
        Err(err) => vec![format!("(could not list its policies: {err})")],
    };
    for step in run.plan.steps.iter().rev().filter(|s| s.part == crate::model::Part::VendorRole && s.id != "role") {
        remove(run, &step.id, outcome).await?;
    }
    if !hand_made.is_empty() {
        put_policy(run, DENY_ALL, &role, DENY_ALL_POLICY, &policies::deny_all_policy(), outcome).await?;
        outcome.kept.push(Kept {
            step: "role".into(),
            id: role,
            reason: format!("changed by hand since the grant ({}); left in place with a deny-all policy in force", hand_made.join(", ")),
        });
        return Ok(true);
    }
    // Our own revoke-time policies go with the role.
    for (step, name) in [(SESSIONS, SESSIONS_POLICY), (DENY_ALL, DENY_ALL_POLICY)] {
        if matches!(run.states()?.get(step), Some(StepState::Exists(_))) {
            run.record(Some(step), Event::Deleting { action: "iam:DeleteRolePolicy".into() })?;
            match iam::delete_role_policy(&run.session, &role, name).await {
                Ok(request_id) => run.record(Some(step), Event::Deleted { request_id })?,
                Err(err) => {
                    let err = EngineError::from(err);
                    run.record(Some(step), Event::DeleteFailed { error: err.payload() })?;
                    outcome.kept.push(Kept { step: "role".into(), id: role, reason: format!("its policy {name} could not be removed: {err}") });
                    return Ok(true);
                }
            }
        }
    }
    remove(run, "role", outcome).await?;
    Ok(false)
}

/// Whether the NLB's security group has rules the grant did not add (then it is kept).
async fn changed_nlb_group(run: &Run, outcome: &mut Outcome) -> Result<bool, EngineError> {
    let known = run.known()?;
    let Some(group) = known.get("nlb-sg").and_then(|o| o.get("id")).cloned() else { return Ok(false) };
    let ours: Vec<String> = known.get("nlb-sg-ingress").and_then(|o| o.get("id")).map(|ids| ids.split(',').map(str::to_owned).collect()).unwrap_or_default();
    let extra: Vec<String> = match ec2::ingress_rule_ids(&run.session, &group).await.map_err(EngineError::from)? {
        Some(rules) => rules.into_iter().filter(|r| !ours.contains(r)).collect(),
        None => return Ok(false),
    };
    if extra.is_empty() {
        return Ok(false);
    }
    outcome.kept.push(Kept { step: "nlb-sg".into(), id: group, reason: format!("changed by hand since the grant: rules {} were added; not deleted", extra.join(", ")) });
    Ok(true)
}

/// IAM compares `aws:TokenIssueTime` to the second.
fn now_seconds() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
