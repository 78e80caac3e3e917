//! Grants found in the account by their tag but recorded nowhere on this machine (made on
//! another machine, or their journal lost): what carries the tag, and taking it all back by
//! tag alone, with a proof like a revoke's.
//!
//! No plan says what each resource was for, so they are taken back by kind, in the order AWS
//! requires (docs/aws-rules.md R25): the vendor's way in first (the endpoint service's
//! principals and connections, the resource share, the roles' policies and the roles, a
//! peering, a bastion, the rules), then the machinery (event rules, functions, log groups), then the
//! network (endpoint service, resource configuration and gateway, load balancer, target
//! group, security groups last). A resource VendorLink cannot remove by tag is kept and named.

use std::collections::BTreeMap;

use super::progress::{Progress, ProgressSink};
use super::proof::connection_open;
use super::steps::{self, WaitPolicy};
use super::{EngineError, Revoked};
use crate::journal::{now, GrantStore, JournalError};
use serde::Serialize;
use ts_rs::TS;
use vendorlink_aws::Cloud;
use vendorlink_model::{console_url, Kept, Output, ProofCheck, Removed, RevocationRecord, RevokeScope, StepId, TaggedResource};

/// The kinds in the order they are taken back; a kind not listed is kept and named.
const ORDER: [&str; 14] = [
    "endpointService",
    "resourceShare",
    "role",
    "peeringConnection",
    "instance",
    "securityGroupRule",
    "eventRule",
    "function",
    "logGroup",
    "resourceConfiguration",
    "resourceGateway",
    "loadBalancer",
    "targetGroup",
    "securityGroup",
];

/// A grant recorded nowhere here, as its tags show it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FoundGrant {
    pub grant_id: String,
    pub vendor_id: Option<String>,
    pub resources: Vec<FoundResource>,
    /// When the tags were read (RFC 3339, UTC).
    pub checked_at: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FoundResource {
    pub kind: String,
    pub id: String,
    /// Its page in the AWS console, when it has one.
    pub console_url: Option<String>,
}

/// What carries the grant's tag in the session's account and region (and IAM), read now.
/// Refused for a grant recorded here: its journal knows more than its tags.
pub async fn found_grant(cloud: &Cloud, store: &GrantStore, grant_id: &str) -> Result<FoundGrant, EngineError> {
    not_recorded_here(store, grant_id)?;
    let tagged = cloud.tagged.tagged_resources(Some(grant_id)).await?;
    let resources =
        tagged.iter().map(|r| FoundResource { kind: r.kind.clone(), id: r.id.clone(), console_url: output_of(r, None).and_then(|o| console_url(&o, &cloud.region)) }).collect();
    Ok(FoundGrant { grant_id: grant_id.to_owned(), vendor_id: tagged.iter().find_map(|r| r.vendor_id.clone()), resources, checked_at: now() })
}

/// Takes back everything that carries the grant's tag, then looks for the tag again, and
/// saves the record like a revoke's (`<data>/grants/<id>/revocation-….json`).
pub async fn revoke_found(cloud: &Cloud, store: &GrantStore, grant_id: &str, sink: ProgressSink, wait: WaitPolicy) -> Result<Revoked, EngineError> {
    not_recorded_here(store, grant_id)?;
    let identity = cloud.sts.caller_identity().await?;
    let cloud = cloud.as_caller(&identity.arn);
    let found = cloud.tagged.tagged_resources(Some(grant_id)).await?;
    if found.is_empty() {
        return Err(EngineError::NothingTagged { grant: grant_id.to_owned(), account: identity.account, region: cloud.region.clone() });
    }
    let started_at = now();
    sink(Progress::RunStarted { grant_id: grant_id.to_owned(), total: found.len(), done: 0 });
    let mut removed = Vec::new();
    let mut kept = Vec::new();
    // The target-sync function a rule invokes: its permission for the rule goes with the rule,
    // and its log group with the function.
    let function = found.iter().find(|r| r.kind == "function").map(|r| r.id.clone());
    let goes_with_function = |r: &TaggedResource| r.kind == "logGroup" && function.as_ref().is_some_and(|f| r.id == format!("/aws/lambda/{f}"));
    let mut ordered: Vec<&TaggedResource> = found.iter().filter(|r| !goes_with_function(r)).collect();
    ordered.sort_by_key(|r| ORDER.iter().position(|k| *k == r.kind).unwrap_or(ORDER.len()));
    for resource in ordered {
        let step = StepId::Tagged(resource.kind.clone());
        sink(Progress::RollingBack { step: step.clone() });
        match take_back(&cloud, resource, function.as_deref(), wait, &sink).await {
            Ok(done) => {
                sink(Progress::RolledBack { step: step.clone() });
                removed.extend(done);
            }
            Err(error) => {
                sink(Progress::RollbackFailed { step: step.clone(), error: error.payload() });
                kept.push(Kept { step, id: resource.id.clone(), reason: error.to_string() });
            }
        }
    }
    let record = RevocationRecord {
        grant_id: grant_id.to_owned(),
        vendor_name: found.iter().find_map(|r| r.vendor_id.clone()).unwrap_or_else(|| "an unnamed vendor".into()),
        scope: RevokeScope::Everything,
        caller: identity.arn,
        started_at,
        finished_at: String::new(),
        removed,
        kept,
        checks: vec![nothing_tagged(&cloud, grant_id, &identity.account).await],
        open_account: None,
    };
    let record = RevocationRecord { finished_at: now(), ..record };
    let proof_file = store.save_revocation(&record)?.display().to_string();
    Ok(Revoked { record, proof_file })
}

fn not_recorded_here(store: &GrantStore, grant_id: &str) -> Result<(), EngineError> {
    match store.plan(grant_id) {
        Ok(_) => Err(EngineError::RecordedHere { grant: grant_id.to_owned() }),
        Err(JournalError::NotFound(_)) => Ok(()),
        Err(err) => Err(err.into()),
    }
}

fn removed(step: StepId, id: &str, action: &str, request_id: Option<String>) -> Removed {
    Removed { step, id: id.to_owned(), action: action.into(), request_id, at: now() }
}

/// Takes back one tagged resource; what was removed, as the record lists it.
async fn take_back(cloud: &Cloud, resource: &TaggedResource, function: Option<&str>, wait: WaitPolicy, sink: &ProgressSink) -> Result<Vec<Removed>, EngineError> {
    let step = StepId::Tagged(resource.kind.clone());
    let id = resource.id.as_str();
    let gone = |output: Output, action: &'static str| async move {
        let request_id = steps::remove(cloud, &step, &output, wait, sink).await?;
        Ok::<_, EngineError>(vec![removed(step.clone(), id, action, request_id)])
    };
    match resource.kind.as_str() {
        "endpointService" => {
            // Cut first: a principal removed leaves a connected endpoint connected (R4.3), and
            // the service cannot be deleted while a connection is open.
            let mut done = Vec::new();
            let principals = cloud.ec2.allowed_principals(id).await?;
            if !principals.is_empty() {
                let request_id = cloud.ec2.remove_principals(id, &principals).await?;
                done.push(removed(StepId::EndpointPrincipals, &principals.join(","), "ec2:ModifyVpcEndpointServicePermissions", request_id));
            }
            let open: Vec<String> = cloud.ec2.endpoint_connections(id).await?.into_iter().filter(|c| connection_open(&c.state)).map(|c| c.endpoint_id).collect();
            if !open.is_empty() {
                let request_id = cloud.ec2.reject_connections(id, &open).await?;
                done.push(removed(StepId::EndpointConnections, &open.join(","), "ec2:RejectVpcEndpointConnections", request_id));
            }
            let output = Output::EndpointService { service_id: id.to_owned(), service_name: String::new(), state: None };
            done.extend(gone(output, "ec2:DeleteVpcEndpointServiceConfigurations").await?);
            Ok(done)
        }
        "role" => {
            // Every policy first (DeleteRole refuses a role that has any, R7.2); with none
            // left, the role's sessions can do nothing (R25).
            let mut done = Vec::new();
            if let Some((inline, managed)) = cloud.iam.role_policies(id).await? {
                for name in inline {
                    let request_id = cloud.iam.delete_role_policy(id, &name).await?;
                    done.push(removed(StepId::Tagged("rolePolicy".into()), &format!("{id}/{name}"), "iam:DeleteRolePolicy", request_id));
                }
                for arn in managed {
                    let request_id = cloud.iam.detach_role_policy(id, &arn).await?;
                    done.push(removed(StepId::Tagged("managedPolicy".into()), &format!("{id}/{arn}"), "iam:DetachRolePolicy", request_id));
                }
            }
            done.extend(gone(Output::Role { name: id.to_owned(), arn: String::new() }, "iam:DeleteRole").await?);
            Ok(done)
        }
        _ => match output_of(resource, function) {
            Some(output) => {
                let action = undo_action(&resource.kind);
                gone(output, action).await
            }
            None => Err(EngineError::Internal(format!("VendorLink does not remove a {} by its tag: remove it in the AWS console", resource.kind))),
        },
    }
}

/// The call that removes a resource of this kind, as the record names it.
fn undo_action(kind: &str) -> &'static str {
    match kind {
        "securityGroup" => "ec2:DeleteSecurityGroup",
        "securityGroupRule" => "ec2:RevokeSecurityGroupIngress",
        "loadBalancer" => "elasticloadbalancing:DeleteLoadBalancer",
        "targetGroup" => "elasticloadbalancing:DeleteTargetGroup",
        "resourceShare" => "ram:DeleteResourceShare",
        "peeringConnection" => "ec2:DeleteVpcPeeringConnection",
        "instance" => "ec2:TerminateInstances",
        "eventRule" => "events:DeleteRule",
        "function" => "lambda:DeleteFunction",
        "logGroup" => "logs:DeleteLogGroup",
        "resourceConfiguration" => "vpc-lattice:DeleteResourceConfiguration",
        "resourceGateway" => "vpc-lattice:DeleteResourceGateway",
        _ => "",
    }
}

/// What AWS would have answered when the resource was made, as far as its tag tells: enough
/// to remove it, and to link to it. `function`: the grant's target-sync function.
fn output_of(resource: &TaggedResource, function: Option<&str>) -> Option<Output> {
    let id = resource.id.clone();
    let last = |arn: &str| arn.rsplit('/').next().unwrap_or(arn).to_owned();
    Some(match resource.kind.as_str() {
        "securityGroup" => Output::SecurityGroup { group_id: id },
        "securityGroupRule" => Output::IngressRules { group_id: resource.within.clone()?, rule_ids: vec![id] },
        "loadBalancer" => Output::LoadBalancer { arn: id, dns_name: String::new(), state: None },
        "targetGroup" => Output::TargetGroup { arn: id },
        "endpointService" => Output::EndpointService { service_id: id, service_name: String::new(), state: None },
        "role" => Output::Role { name: id, arn: String::new() },
        "resourceShare" => Output::ResourceShare { arn: id, status: None },
        "peeringConnection" => Output::Peering { connection_id: id, status: None },
        "instance" => Output::Instance { instance_id: id, image_id: String::new(), public_ip: None, public_dns: None, state: None },
        // Without the grant's function, the rule's permission went with the function.
        "eventRule" => Output::EventRule { function: function.unwrap_or(&id).to_owned(), name: id, arn: String::new() },
        "function" => Output::Function { name: id, arn: String::new() },
        // A log group left alone goes the way its function's does.
        "logGroup" => Output::Function { name: id.strip_prefix("/aws/lambda/").unwrap_or(&id).to_owned(), arn: String::new() },
        "resourceConfiguration" => Output::ResourceConfiguration { configuration_id: last(&id), arn: id, status: None },
        "resourceGateway" => Output::ResourceGateway { gateway_id: last(&id), arn: id, status: None },
        _ => return None,
    })
}

/// The proof: the tag looked for again, in every kind VendorLink tags.
async fn nothing_tagged(cloud: &Cloud, grant_id: &str, account: &str) -> ProofCheck {
    let check = format!("Nothing in account {account} ({}) carries the tag vendorlink:grant={grant_id}", cloud.region);
    match cloud.tagged.tagged_resources(Some(grant_id)).await {
        Ok(left) if left.is_empty() => ProofCheck { check, passed: true, detail: "no resource of any kind VendorLink tags was found".into() },
        Ok(left) => {
            let mut by_kind: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for resource in &left {
                by_kind.entry(resource.kind.as_str()).or_default().push(resource.id.as_str());
            }
            let detail = by_kind.iter().map(|(kind, ids)| format!("{kind}: {}", ids.join(", "))).collect::<Vec<_>>().join("; ");
            ProofCheck { check, passed: false, detail: format!("still tagged: {detail}") }
        }
        Err(err) => ProofCheck { check, passed: false, detail: format!("could not be checked: {err}") },
    }
}
