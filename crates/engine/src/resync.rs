//! Points the load balancer at the database's current addresses again, after RDS moved them
//! (failover, maintenance): registers the new ones first, then deregisters the old, so there
//! is no moment without a target. Journaled like any run.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::progress::ProgressSink;
use super::run::Run;
use super::steps::WaitPolicy;
use super::{EngineError, Resolve};
use crate::journal::{step_states, Event, Failure, GrantStore, RunOutcome, StepState};
use crate::validate::FieldError;
use vendorlink_aws::Cloud;
use vendorlink_model::{Action, Output, StepId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResyncReport {
    pub grant_id: String,
    pub targets: Vec<String>,
    pub registered: Vec<String>,
    pub deregistered: Vec<String>,
}

/// The database's addresses now: typed by the admin, or resolved from its endpoint.
pub async fn current_addresses(plan: &vendorlink_model::Plan, typed: &[String], resolver: &dyn Resolve) -> Result<Vec<String>, EngineError> {
    if !typed.is_empty() {
        let bad: Vec<FieldError> = typed
            .iter()
            .enumerate()
            .filter(|(_, ip)| ip.parse::<Ipv4Addr>().is_err())
            .map(|(i, ip)| FieldError::new(&format!("targetIps[{i}]"), format!("\"{ip}\" is not an IPv4 address."), "Type the address alone, like 10.20.1.15."))
            .collect();
        return if bad.is_empty() { Ok(typed.to_vec()) } else { Err(EngineError::Invalid(bad)) };
    }
    let Some(db) = &plan.database else {
        return Err(EngineError::Invalid(vec![FieldError::new(
            "database",
            format!("Grant {} reaches no database.", plan.grant_id),
            "Only a grant with private link has targets to resync.",
        )]));
    };
    match resolver.resolve(&db.endpoint, db.port).await {
        Ok(ips) if !ips.is_empty() => Ok(ips.iter().map(Ipv4Addr::to_string).collect()),
        Ok(_) | Err(_) => Err(EngineError::Invalid(vec![FieldError::new(
            "targetIps",
            format!("{} could not be resolved from here.", db.endpoint),
            "Give the database's current private IPs with --target-ip (RDS console → the instance's network interface).",
        )])),
    }
}

pub async fn resync_targets(cloud: &Cloud, store: &GrantStore, grant_id: &str, current: Vec<String>, sink: ProgressSink, wait: WaitPolicy) -> Result<ResyncReport, EngineError> {
    let plan = store.plan(grant_id)?;
    let (lock, journal) = store.begin(grant_id, "resync-targets")?;
    let states = step_states(journal.records());
    let (Some(StepState::Exists(outputs)), Some(step)) = (states.get(&StepId::Targets), plan.step(&StepId::Targets)) else {
        return Err(EngineError::NotApplied { grant: grant_id.to_owned(), missing: "targets".into() });
    };
    let Action::RegisterTargets { port, .. } = step.action else { return Err(EngineError::Internal("the targets step registers no targets".into())) };
    let target_group = outputs.id().to_owned();
    let step = step.clone();
    let run = Run::start(cloud, plan, (lock, journal), "resync-targets", sink, wait).await?;
    let registered = run.cloud.elb.registered_targets(&target_group).await?;
    let added: Vec<String> = current.iter().filter(|ip| !registered.contains(ip)).cloned().collect();
    let removed: Vec<String> = registered.iter().filter(|ip| !current.contains(ip)).cloned().collect();
    if !added.is_empty() {
        run.record(Some(&step.id), Event::Calling { action: "elasticloadbalancing:RegisterTargets".into() })?;
        match run.cloud.elb.register_targets(&target_group, &added, port).await {
            Ok(created) => {
                let outputs = Output::Targets { target_group: target_group.clone(), ips: current.to_vec() };
                run.record(Some(&step.id), Event::Created { outputs, request_id: created.request_id })?;
            }
            Err(err) => {
                let err = EngineError::from(err);
                run.record(Some(&step.id), Event::Failed { error: Failure::from(&err) })?;
                return Err(err);
            }
        }
    }
    if !removed.is_empty() {
        let record_step = &StepId::TargetsDeregistered;
        run.record(Some(record_step), Event::Deleting { action: "elasticloadbalancing:DeregisterTargets".into() })?;
        match run.cloud.elb.deregister_targets(&target_group, &removed, port).await {
            Ok(request_id) => run.record(Some(record_step), Event::Deleted { request_id })?,
            Err(err) => {
                let err = EngineError::from(err);
                run.record(Some(record_step), Event::DeleteFailed { error: Failure::from(&err) })?;
                return Err(err);
            }
        }
        if added.is_empty() {
            // Only removals: the step's recorded targets still change.
            run.record(Some(&step.id), Event::Adopted { outputs: Output::Targets { target_group: target_group.clone(), ips: current.to_vec() } })?;
        }
    }
    run.record(None, Event::RunFinished { outcome: RunOutcome::Applied })?;
    Ok(ResyncReport { grant_id: grant_id.to_owned(), targets: current, registered: added, deregistered: removed })
}
