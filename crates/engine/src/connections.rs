//! The vendor's endpoint connections to a grant's service. An endpoint service requires
//! acceptance by default (docs/aws-rules.md R4), so a grant is unusable until the admin
//! accepts the vendor's endpoint: listed here with who owns it, accepted or rejected with the
//! journal written around the call (so the audit record shows who decided, and AWS's request id).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::progress::ProgressSink;
use super::run::Run;
use super::steps::WaitPolicy;
use super::EngineError;
use crate::journal::{step_states, Event, Failure, GrantStore, RunOutcome, StepState};
use vendorlink_aws::Cloud;
use vendorlink_model::{Action, Output, Plan, StepId};

/// One endpoint connected, or asking to connect, to the grant's service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    pub endpoint_id: String,
    /// The AWS account the endpoint belongs to.
    pub owner: String,
    /// As AWS reports it: `pendingAcceptance`, `available`, `rejected`...
    pub state: String,
    /// The owner is the vendor's account (or the account of one of its principals); an
    /// endpoint from any other account is flagged and never accepted without saying so.
    pub from_vendor: bool,
}

/// Accept or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Decision {
    Accept,
    Reject,
}

/// The accounts the grant lets in: the account part of each allowed principal.
fn vendor_accounts(plan: &Plan) -> Vec<String> {
    plan.steps
        .iter()
        .filter_map(|s| if let Action::AllowPrincipals { principals, .. } = &s.action { Some(principals) } else { None })
        .flatten()
        .filter_map(|p| p.split(':').nth(4).map(str::to_owned))
        .collect()
}

fn service_id(store: &GrantStore, grant_id: &str) -> Result<String, EngineError> {
    match step_states(&store.records(grant_id)?).get(&StepId::EndpointService) {
        Some(StepState::Exists(output)) => Ok(output.id().to_owned()),
        _ => Err(EngineError::NotApplied { grant: grant_id.to_owned(), missing: "endpoint-service".into() }),
    }
}

/// Every connection to the grant's endpoint service, in every state.
pub async fn connections(cloud: &Cloud, store: &GrantStore, grant_id: &str) -> Result<Vec<ConnectionView>, EngineError> {
    let plan = store.plan(grant_id)?;
    let service = service_id(store, grant_id)?;
    let cloud = &cloud.in_region(&plan.region);
    let vendors = vendor_accounts(&plan);
    Ok(cloud
        .ec2
        .endpoint_connections(&service)
        .await?
        .into_iter()
        .map(|c| ConnectionView { from_vendor: vendors.contains(&c.owner), endpoint_id: c.endpoint_id, owner: c.owner, state: c.state })
        .collect())
}

/// Accepts or rejects endpoints of the grant's service. Accepting an endpoint of another
/// account than the vendor's needs `other_accounts`; a revoked grant accepts nothing.
pub async fn decide(
    cloud: &Cloud,
    store: &GrantStore,
    grant_id: &str,
    endpoint_ids: &[String],
    decision: Decision,
    other_accounts: bool,
    sink: ProgressSink,
) -> Result<Vec<ConnectionView>, EngineError> {
    if endpoint_ids.is_empty() {
        return Err(EngineError::Invalid(vec![crate::validate::FieldError::new(
            "endpointIds",
            "No endpoint is named.",
            "Name the vpce-… ids that `vendorlink connections` lists.",
        )]));
    }
    let plan = store.plan(grant_id)?;
    let service = service_id(store, grant_id)?;
    if decision == Decision::Accept && store.records(grant_id)?.iter().any(|r| matches!(&r.event, Event::RunStarted { command, .. } if command == "revoke")) {
        return Err(EngineError::Revoked { grant: grant_id.to_owned() });
    }
    // Checked before the run starts: a refused request leaves no trace in the journal.
    let known = connections(cloud, store, grant_id).await?;
    let mut problems = Vec::new();
    for id in endpoint_ids {
        match known.iter().find(|c| &c.endpoint_id == id) {
            None => {
                problems.push(crate::validate::FieldError::new("endpointIds", format!("{id} is not connected to {service}."), "Use an id that `vendorlink connections` lists."))
            }
            Some(c) if decision == Decision::Accept && !c.from_vendor && !other_accounts => problems.push(crate::validate::FieldError::new(
                "endpointIds",
                format!("{id} belongs to account {}, not to {}.", c.owner, plan.vendor_name),
                "Reject it, or accept it knowingly (--other-account in the command line).",
            )),
            Some(_) => {}
        }
    }
    if !problems.is_empty() {
        return Err(EngineError::Invalid(problems));
    }
    let command = match decision {
        Decision::Accept => "accept-connections",
        Decision::Reject => "reject-connections",
    };
    let run = Run::start(cloud, plan, store.begin(grant_id, command)?, command, sink, WaitPolicy::default()).await?;
    // Again under the lock: a revoke may have begun since the check above.
    if decision == Decision::Accept && run.records()?.iter().any(|r| matches!(&r.event, Event::RunStarted { command, .. } if command == "revoke")) {
        return Err(EngineError::Revoked { grant: grant_id.to_owned() });
    }
    let step = StepId::Decision(endpoint_ids.join("+"));
    let action = match decision {
        Decision::Accept => "ec2:AcceptVpcEndpointConnections",
        Decision::Reject => "ec2:RejectVpcEndpointConnections",
    };
    run.record(Some(&step), Event::Calling { action: action.into() })?;
    let outcome = match decision {
        Decision::Accept => run.cloud.ec2.accept_connections(&service, endpoint_ids).await,
        Decision::Reject => run.cloud.ec2.reject_connections(&service, endpoint_ids).await,
    };
    match outcome {
        Ok(request_id) => {
            let outputs = Output::Decision { endpoint_ids: endpoint_ids.to_vec(), decision: format!("{decision:?}").to_ascii_lowercase() };
            run.record(Some(&step), Event::Created { outputs, request_id })?;
            run.record(None, Event::RunFinished { outcome: RunOutcome::Decided })?;
        }
        Err(err) => {
            let err = EngineError::from(err);
            run.record(Some(&step), Event::Failed { error: Failure::from(&err) })?;
            return Err(err);
        }
    }
    connections(&run.cloud, store, grant_id).await
}
