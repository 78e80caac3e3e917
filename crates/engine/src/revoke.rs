//! Takes a grant back in the safe order (seed 003: access is revoked after the work), then
//! proves it with describe calls and writes a revocation record.
//!
//! Order: the vendor's principals off the endpoint service; every endpoint connection rejected
//! (removing a principal does not cut a connected endpoint, docs/aws-rules.md R4); the role's
//! trust closed, its sessions revoked by AWS's clock, its policies and the role (see
//! [`revoke_role`]); the allowlist rules; a peering's rule, routes and connection; a bastion's
//! rule, instance and group. With
//! [`RevokeScope::Everything`] then the network: DB rule, listener, endpoint service, NLB,
//! targets, target group, the NLB's group. Each removal is journaled like apply, so running
//! revoke again resumes it; a resource already gone counts as removed; one changed by hand
//! since the grant is reported and left.

use super::progress::{Progress, ProgressSink};
use super::proof;
use super::run::{Removal, Run};
use super::steps::WaitPolicy;
use super::{policies, EngineError};
use crate::journal::{last_outputs, now, step_states, Event, Failure, GrantStore, RunOutcome, StepState};
use chrono::{DateTime, SecondsFormat, Utc};
use vendorlink_aws::Cloud;
use vendorlink_model::{Action, Kept, OpenAccount, Output, Removed, RevocationRecord, RevokeScope, StepId};

/// How far past AWS's time of the trust change the session cut-off lies: IAM applies a
/// changed trust after a delay (docs/aws-rules.md R6), in which a session can still start.
const SESSION_MARGIN: chrono::Duration = chrono::Duration::minutes(5);
const SESSIONS_POLICY: &str = "vendorlink-revoke-sessions";
const DENY_ALL_POLICY: &str = "vendorlink-revoked";

/// A finished revoke: its record, and the file it was saved to (the proof an admin keeps or
/// hands to an auditor).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Revoked {
    pub record: RevocationRecord,
    pub proof_file: String,
}

/// `close_account`: the dedicated account's id as the admin typed it to confirm closing it
/// (docs/aws-rules.md R18); checked against the grant's account before anything is called.
pub async fn revoke(
    cloud: &Cloud,
    store: &GrantStore,
    grant_id: &str,
    scope: RevokeScope,
    close_account: Option<&str>,
    sink: ProgressSink,
    wait: WaitPolicy,
) -> Result<Revoked, EngineError> {
    let plan = store.plan(grant_id)?;
    let records = store.records(grant_id)?;
    // The dedicated account this grant made: open, or closed by an earlier revoke (its last id).
    let made = match last_outputs(&records).get(&StepId::Account) {
        Some(Output::Account { account_id, .. }) => Some(account_id.clone()),
        _ => None,
    };
    let settling = matches!(step_states(&records).get(&StepId::Account), Some(StepState::Uncertain));
    if let (Some(typed), false) = (close_account, settling) {
        confirm_closing(grant_id, made.as_deref(), typed)?;
    }
    let started_at = now();
    let run = Run::start(cloud, plan, store.begin(grant_id, "revoke")?, "revoke", sink, wait).await?;
    let mut outcome = Outcome::default();
    // An account whose creation was interrupted is looked up first, and journaled when found.
    let account = if settling { settle_account(&run, close_account, &mut outcome).await? } else { made };
    let account_state = match &account {
        Some(id) => Some(run.cloud.accounts.account(id).await?.map(|a| a.status)),
        None => None,
    };
    let mut checks = Vec::new();
    let mut open_account = None;
    match (&account, account_state) {
        // Closed or closing (by an earlier revoke or by hand), or gone from the organization:
        // nothing in it can be entered, and the vendor's role went with it.
        (Some(id), Some(state)) if state.as_deref() != Some("ACTIVE") => checks.push(proof::account_closed(&run.cloud, id).await),
        _ => {
            let keep_role = take_access_back(&run, scope, &mut outcome).await?;
            let last = last_outputs(&run.records()?);
            // Proved inside the account while it can still be entered.
            checks = proof::prove(run.resources().await?, &run.plan, &last, scope, keep_role).await;
            match (&account, close_account) {
                (Some(id), Some(typed)) if id == typed.trim() => {
                    close(&run, id, &mut outcome).await?;
                    checks.push(proof::account_closed(&run.cloud, id).await);
                }
                (Some(id), _) => open_account = Some(OpenAccount { account_id: id.clone(), close_with: format!("vendorlink revoke {grant_id} --close-account {id}") }),
                (None, _) => {}
            }
        }
    }
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
        open_account,
    };
    let finished = if !record.complete() {
        RunOutcome::RevokeIncomplete
    } else if scope == RevokeScope::Everything {
        RunOutcome::Revoked
    } else {
        RunOutcome::AccessRevoked
    };
    let proof_file = store.save_revocation(&record)?.display().to_string();
    run.record(None, Event::RunFinished { outcome: finished })?;
    Ok(Revoked { record, proof_file })
}

/// Everything that gives the vendor access, in the safe order, and with
/// [`RevokeScope::Everything`] the network too. Returns whether the role had to be kept.
async fn take_access_back(run: &Run, scope: RevokeScope, outcome: &mut Outcome) -> Result<bool, EngineError> {
    // The plan steps that give the vendor access directly; the rest of private link is network.
    remove(run, &StepId::EndpointPrincipals, outcome).await?;
    reject_connections(run, outcome).await?;
    // An AWS error about the role (a missing iam:GetRole, say) is reported, and the rest of the
    // vendor's access is still taken back.
    let keep_role = match revoke_role(run, outcome).await {
        Ok(kept) => kept,
        Err(EngineError::Aws(err)) => {
            outcome.kept.push(Kept { step: StepId::Role, id: String::new(), reason: format!("could not be revoked: {err}") });
            true
        }
        Err(err) => return Err(err),
    };
    remove(run, &StepId::Allowlist, outcome).await?;
    // A peering is access as a whole: the database group's rule, the routes, then the
    // connection itself (the reverse of the plan's order), whatever the scope.
    // A bastion too: the database's rule, the instance (waited until terminated), its SSH rule
    // and its group.
    // A resource endpoint too: the share first (the vendor's way in), then the configuration,
    // the gateway, the database's rule and the gateway's group.
    let direct = [vendorlink_model::Part::VpcPeering, vendorlink_model::Part::SshBastion, vendorlink_model::Part::ResourceEndpoint];
    let steps: Vec<StepId> = run.plan.steps.iter().rev().filter(|s| direct.contains(&s.part)).map(|s| s.id.clone()).collect();
    for step in steps {
        if step == StepId::ResourceConfiguration {
            cut_resource_endpoints(run, outcome).await?;
        }
        // A gateway that stays holds its group's interfaces: the group cannot go either.
        if step == StepId::GatewaySecurityGroup && outcome.kept.iter().any(|k| k.step == StepId::ResourceGateway) {
            let id = run.known()?.get(&step).map(|o| o.id().to_owned()).unwrap_or_default();
            outcome.kept.push(Kept { step, id, reason: "the resource gateway, whose network interfaces use it, is still there".into() });
            continue;
        }
        remove(run, &step, outcome).await?;
    }
    if scope == RevokeScope::Everything {
        let rest: Vec<StepId> = run
            .plan
            .steps
            .iter()
            .rev()
            .filter(|s| s.part == vendorlink_model::Part::PrivateLink && s.id != StepId::EndpointPrincipals && s.id != StepId::Allowlist)
            .map(|s| s.id.clone())
            .collect();
        for step in rest {
            if step == StepId::NlbSecurityGroup && changed_nlb_group(run, outcome).await? {
                continue;
            }
            remove(run, &step, outcome).await?;
        }
    }
    Ok(keep_role)
}

/// The account an interrupted CreateAccount may have made, looked up and journaled (or
/// journaled as not made). Closing it was asked for by its id, which could not be checked before:
/// a different id typed leaves it open, reported.
async fn settle_account(run: &Run, close_account: Option<&str>, outcome: &mut Outcome) -> Result<Option<String>, EngineError> {
    let Some(step) = run.plan.step(&StepId::Account) else { return Ok(None) };
    let found = match run.find(step, &run.known()?).await {
        Ok(found) => found,
        Err(err) => {
            outcome.kept.push(Kept { step: StepId::Account, id: String::new(), reason: format!("whether its creation made an account could not be checked: {err}") });
            return Ok(None);
        }
    };
    let Some(found) = found else {
        run.record(Some(&StepId::Account), Event::NotFound)?;
        return Ok(None);
    };
    run.record(Some(&StepId::Account), Event::Adopted { outputs: found.clone() })?;
    let id = found.id().to_owned();
    if let Some(typed) = close_account.filter(|typed| typed.trim() != id) {
        outcome.kept.push(Kept { step: StepId::Account, id: id.clone(), reason: format!("not closed: \"{typed}\" is not its id") });
    }
    Ok(Some(id))
}

/// Closing an account is asked for by typing its id: the grant must have made one, and it must
/// be the one typed.
fn confirm_closing(grant_id: &str, account: Option<&str>, typed: &str) -> Result<(), EngineError> {
    let error = |message: String, hint: &str| Err(EngineError::Invalid(vec![crate::validate::FieldError::new("closeAccount", message, hint)]));
    match account {
        None => error(format!("Grant {grant_id} made no account, so there is none to close."), "Leave out --close-account."),
        Some(account) if account != typed.trim() => error(
            format!("\"{typed}\" is not the grant's dedicated account ({account})."),
            "Type the account id exactly as `vendorlink status` shows it: closing an account is not undone lightly.",
        ),
        Some(_) => Ok(()),
    }
}

/// Closes the dedicated account with the caller's (management) credentials, journaled like
/// any removal; an account already closed counts as closed.
async fn close(run: &Run, account: &str, outcome: &mut Outcome) -> Result<(), EngineError> {
    let step = StepId::Account;
    (run.sink)(Progress::RollingBack { step: step.clone() });
    run.record(Some(&step), Event::Deleting { action: "organizations:CloseAccount".into() })?;
    match run.cloud.accounts.close_account(account).await {
        Ok(request_id) => {
            run.record(Some(&step), Event::Deleted { request_id: request_id.clone() })?;
            (run.sink)(Progress::RolledBack { step: step.clone() });
            outcome.removed.push(Removed { step, id: account.to_owned(), action: "organizations:CloseAccount".into(), request_id, at: now() });
        }
        Err(err) => {
            let err = EngineError::from(err);
            run.record(Some(&step), Event::DeleteFailed { error: Failure::from(&err) })?;
            (run.sink)(Progress::RollbackFailed { step: step.clone(), error: err.payload() });
            outcome.kept.push(Kept { step, id: account.to_owned(), reason: format!("could not be closed: {err}") });
        }
    }
    Ok(())
}

#[derive(Default)]
struct Outcome {
    removed: Vec<Removed>,
    kept: Vec<Kept>,
}

/// Removes one plan step's resource, if the plan has it, noting what happened.
async fn remove(run: &Run, step_id: &StepId, outcome: &mut Outcome) -> Result<(), EngineError> {
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
    let Some(service) = run.known()?.get(&StepId::EndpointService).map(|o| o.id().to_owned()) else { return Ok(()) };
    let action = "ec2:RejectVpcEndpointConnections";
    let open: Vec<String> = match run.resources().await?.ec2.endpoint_connections(&service).await {
        Ok(connections) => connections.into_iter().filter(|c| proof::connection_open(&c.state)).map(|c| c.endpoint_id).collect(),
        Err(err) => {
            outcome.kept.push(Kept { step: StepId::EndpointConnections, id: service, reason: format!("could not list the connections: {err}") });
            return Ok(());
        }
    };
    if open.is_empty() {
        return Ok(());
    }
    (run.sink)(Progress::RollingBack { step: StepId::EndpointConnections });
    run.record(Some(&StepId::EndpointConnections), Event::Deleting { action: action.into() })?;
    match run.resources().await?.ec2.reject_connections(&service, &open).await {
        Ok(request_id) => {
            run.record(Some(&StepId::EndpointConnections), Event::Deleted { request_id: request_id.clone() })?;
            outcome.removed.push(Removed { step: StepId::EndpointConnections, id: open.join(","), action: action.into(), request_id, at: now() });
        }
        Err(err) => {
            let err = EngineError::from(err);
            run.record(Some(&StepId::EndpointConnections), Event::DeleteFailed { error: Failure::from(&err) })?;
            outcome.kept.push(Kept { step: StepId::EndpointConnections, id: open.join(","), reason: err.to_string() });
        }
    }
    Ok(())
}

/// Cuts every resource endpoint off the configuration: the share taken back stops new ones,
/// not the ones already made (docs/aws-rules.md R21.12).
async fn cut_resource_endpoints(run: &Run, outcome: &mut Outcome) -> Result<(), EngineError> {
    let Some(configuration) = run.known()?.get(&StepId::ResourceConfiguration).map(|o| o.id().to_owned()) else { return Ok(()) };
    let step = StepId::ResourceEndpoints;
    let action = "vpc-lattice:DeleteResourceEndpointAssociation";
    let cloud = run.resources().await?;
    let associations = match cloud.lattice.endpoint_associations(&configuration).await {
        Ok(found) => found,
        Err(err) => {
            outcome.kept.push(Kept { step, id: configuration, reason: format!("could not list the endpoints associated with it: {err}") });
            return Ok(());
        }
    };
    for association in associations {
        (run.sink)(Progress::RollingBack { step: step.clone() });
        run.record(Some(&step), Event::Deleting { action: action.into() })?;
        let id = format!("{} ({}, account {})", association.id, association.vpc_endpoint_id, association.owner);
        match cloud.lattice.delete_endpoint_association(&association.id).await {
            Ok(request_id) => {
                run.record(Some(&step), Event::Deleted { request_id: request_id.clone() })?;
                outcome.removed.push(Removed { step: step.clone(), id, action: action.into(), request_id, at: now() });
            }
            Err(err) => {
                let err = EngineError::from(err);
                run.record(Some(&step), Event::DeleteFailed { error: Failure::from(&err) })?;
                outcome.kept.push(Kept { step: step.clone(), id, reason: err.to_string() });
            }
        }
    }
    Ok(())
}

/// Puts an inline policy on the role, journaled as a resource of the revoke; a session deny
/// keeps its cut-off with it, so the same policy can be put back.
async fn put_policy(run: &Run, step: &StepId, role: &str, name: &str, document: &str, issued_before: Option<&str>, outcome: &mut Outcome) -> Result<bool, EngineError> {
    run.record(Some(step), Event::Calling { action: "iam:PutRolePolicy".into() })?;
    match run.resources().await?.iam.put_role_policy(role, name, document).await {
        Ok(created) => {
            let outputs = match issued_before {
                Some(at) => Output::SessionsDenied { role: role.to_owned(), name: name.to_owned(), issued_before: at.to_owned() },
                None => created.output,
            };
            run.record(Some(step), Event::Created { outputs, request_id: created.request_id.clone() })?;
            outcome.removed.push(Removed { step: step.clone(), id: format!("{role}/{name}"), action: "iam:PutRolePolicy".into(), request_id: created.request_id, at: now() });
            Ok(true)
        }
        Err(err) => {
            let err = EngineError::from(err);
            run.record(Some(step), Event::Failed { error: Failure::from(&err) })?;
            outcome.kept.push(Kept { step: step.clone(), id: role.into(), reason: err.to_string() });
            Ok(false)
        }
    }
}

/// Replaces the role's trust with one that lets nobody in, journaled. Returns AWS's time of
/// the change (the response's `Date`), `None` when the call failed (then reported as kept).
async fn close_trust(run: &Run, role: &str, outcome: &mut Outcome) -> Result<Option<DateTime<Utc>>, EngineError> {
    let action = "iam:UpdateAssumeRolePolicy";
    run.record(Some(&StepId::RevokeTrust), Event::Calling { action: action.into() })?;
    let failure = match run.resources().await?.iam.update_trust(role, &policies::deny_all_trust_policy()).await {
        Ok((request_id, Some(at))) => {
            let outputs = Output::TrustClosed { role: role.to_owned(), aws_time: at.to_rfc3339_opts(SecondsFormat::Secs, true) };
            run.record(Some(&StepId::RevokeTrust), Event::Created { outputs, request_id: request_id.clone() })?;
            outcome.removed.push(Removed { step: StepId::RevokeTrust, id: role.into(), action: action.into(), request_id, at: now() });
            return Ok(Some(at));
        }
        // The trust did change; without AWS's time the session cut-off cannot be set.
        Ok((_, None)) => EngineError::Internal("AWS's answer to UpdateAssumeRolePolicy carried no Date header".into()),
        Err(err) => EngineError::from(err),
    };
    run.record(Some(&StepId::RevokeTrust), Event::Failed { error: Failure::from(&failure) })?;
    outcome.kept.push(Kept { step: StepId::RevokeTrust, id: role.into(), reason: failure.to_string() });
    Ok(None)
}

/// Deletes one of the revoke's own inline policies, journaled.
async fn delete_policy(run: &Run, step: &StepId, role: &str, name: &str) -> Result<Result<(), EngineError>, EngineError> {
    run.record(Some(step), Event::Deleting { action: "iam:DeleteRolePolicy".into() })?;
    match run.resources().await?.iam.delete_role_policy(role, name).await {
        Ok(request_id) => {
            run.record(Some(step), Event::Deleted { request_id })?;
            Ok(Ok(()))
        }
        Err(err) => {
            let err = EngineError::from(err);
            run.record(Some(step), Event::DeleteFailed { error: Failure::from(&err) })?;
            Ok(Err(err))
        }
    }
}

/// Takes the role apart so that no moment leaves the vendor a way in (docs/aws-rules.md R6,
/// R7): the trust first lets nobody in; then every session issued before AWS's time of that
/// change (plus the propagation margin) is denied everything; then the permissions go; the
/// session deny goes last, right before `DeleteRole`, and is put back if that fails. A role
/// changed by hand stays, with the closed trust, the session deny and a deny-all. Returns
/// whether the role was kept.
async fn revoke_role(run: &Run, outcome: &mut Outcome) -> Result<bool, EngineError> {
    let role = run.known()?.get(&StepId::Role).map(|o| o.id().to_owned());
    let exists = match &role {
        Some(name) => run.resources().await?.iam.find_role(name).await.map_err(EngineError::from)?.is_some(),
        None => false,
    };
    let Some(role) = role.filter(|_| exists) else {
        // Never created, or deleted by an interrupted revoke: the journal is brought up to
        // date (each removal finds the resource gone) and nothing is called for the sessions.
        for step in run.plan.steps.iter().rev().filter(|s| s.part == vendorlink_model::Part::VendorRole) {
            remove(run, &step.id, outcome).await?;
        }
        return Ok(false);
    };
    let states = run.states()?;
    let sessions_policy = match states.get(&StepId::RevokeSessions) {
        Some(StepState::Exists(Output::SessionsDenied { issued_before, .. })) => Some(policies::revoke_sessions_policy(issued_before)),
        _ => None,
    };
    let sessions_policy = match sessions_policy {
        Some(document) => Some(document),
        // Also after a resume whose trust change is journaled: calling it again (same
        // document) is harmless and gives AWS's time anew.
        None => match close_trust(run, &role, outcome).await? {
            Some(at) => {
                let cutoff = (at + SESSION_MARGIN).to_rfc3339_opts(SecondsFormat::Secs, true);
                let document = policies::revoke_sessions_policy(&cutoff);
                put_policy(run, &StepId::RevokeSessions, &role, SESSIONS_POLICY, &document, Some(&cutoff), outcome).await?.then_some(document)
            }
            None => None,
        },
    };
    let mut inline: Vec<String> = vec![SESSIONS_POLICY.into(), DENY_ALL_POLICY.into()];
    let mut attached: Vec<String> = Vec::new();
    for step in &run.plan.steps {
        match &step.action {
            Action::PutRolePolicy { name, .. } => inline.push(name.clone()),
            Action::AttachRolePolicy { policy_arn, .. } => attached.push(policy_arn.clone()),
            _ => {}
        }
    }
    let hand_made: Vec<String> = match run.resources().await?.iam.role_policies(&role).await {
        Ok(Some((names, arns))) => names.into_iter().filter(|n| !inline.contains(n)).chain(arns.into_iter().filter(|a| !attached.contains(a))).collect(),
        Ok(None) => Vec::new(),
        Err(err) => vec![format!("(could not list its policies: {err})")],
    };
    let kept_before = outcome.kept.len();
    for step in run.plan.steps.iter().rev().filter(|s| s.part == vendorlink_model::Part::VendorRole && s.id != StepId::Role) {
        remove(run, &step.id, outcome).await?;
    }
    if outcome.kept.len() > kept_before {
        // A permission is still on the role: the session deny must stay to hold it off.
        outcome.kept.push(Kept { step: StepId::Role, id: role, reason: "not deleted: a policy of it could not be removed (see above); its session deny stays in force".into() });
        return Ok(true);
    }
    if !hand_made.is_empty() {
        let deny_all = matches!(run.states()?.get(&StepId::RevokeDenyAll), Some(StepState::Exists(_)))
            || put_policy(run, &StepId::RevokeDenyAll, &role, DENY_ALL_POLICY, &policies::deny_all_policy(), None, outcome).await?;
        let mut in_force = Vec::new();
        if matches!(run.states()?.get(&StepId::RevokeTrust), Some(StepState::Exists(_))) {
            in_force.push("a trust that lets nobody in");
        }
        if sessions_policy.is_some() {
            in_force.push("its earlier sessions denied");
        }
        if deny_all {
            in_force.push("a deny-all policy");
        }
        outcome.kept.push(Kept {
            step: StepId::Role,
            id: role,
            reason: format!(
                "changed by hand since the grant ({}); left in place with {}",
                hand_made.join(", "),
                if in_force.is_empty() { "nothing of the revoke in force (see above)".to_owned() } else { in_force.join(", ") }
            ),
        });
        return Ok(true);
    }
    // Without a closed trust and a session deny, deleting the policies would open a window.
    let Some(sessions_policy) = sessions_policy else {
        outcome.kept.push(Kept { step: StepId::Role, id: role, reason: "not deleted: its trust could not be closed or its sessions revoked first (see above)".into() });
        return Ok(true);
    };
    // Also when its put was never confirmed: IAM deletes no role that still has it.
    if matches!(run.states()?.get(&StepId::RevokeDenyAll), Some(StepState::Exists(_) | StepState::Uncertain)) {
        if let Err(err) = delete_policy(run, &StepId::RevokeDenyAll, &role, DENY_ALL_POLICY).await? {
            outcome.kept.push(Kept { step: StepId::Role, id: role, reason: format!("its policy {DENY_ALL_POLICY} could not be removed: {err}") });
            return Ok(true);
        }
    }
    // IAM deletes no role that still has a policy, so the session deny goes right before it.
    if let Err(err) = delete_policy(run, &StepId::RevokeSessions, &role, SESSIONS_POLICY).await? {
        outcome.kept.push(Kept { step: StepId::Role, id: role, reason: format!("its policy {SESSIONS_POLICY} could not be removed: {err}") });
        return Ok(true);
    }
    let kept_before = outcome.kept.len();
    remove(run, &StepId::Role, outcome).await?;
    if outcome.kept.len() > kept_before {
        // DeleteRole failed: the role stays, so its old sessions are denied again.
        let cutoff = serde_json::from_str::<serde_json::Value>(&sessions_policy)
            .ok()
            .and_then(|p| p["Statement"][0]["Condition"]["DateLessThan"]["aws:TokenIssueTime"].as_str().map(str::to_owned))
            .unwrap_or_default();
        put_policy(run, &StepId::RevokeSessions, &role, SESSIONS_POLICY, &sessions_policy, Some(&cutoff), outcome).await?;
        return Ok(true);
    }
    Ok(false)
}

/// Whether the NLB's security group has inbound rules (the grant adds none), then it is kept.
async fn changed_nlb_group(run: &Run, outcome: &mut Outcome) -> Result<bool, EngineError> {
    let known = run.known()?;
    let Some(group) = known.get(&StepId::NlbSecurityGroup).map(|o| o.id().to_owned()) else { return Ok(false) };
    let extra: Vec<String> = match run.resources().await?.ec2.ingress_rule_ids(&group).await.map_err(EngineError::from)? {
        Some(rules) => rules,
        None => return Ok(false),
    };
    if extra.is_empty() {
        return Ok(false);
    }
    outcome.kept.push(Kept { step: StepId::NlbSecurityGroup, id: group, reason: format!("changed by hand since the grant: rules {} were added; not deleted", extra.join(", ")) });
    Ok(true)
}
