//! Grants found in the account by their tag but recorded nowhere on this machine (made on
//! another machine, or their journal lost): what carries the tag, and taking it all back by
//! tag alone, with a proof like a revoke's.
//!
//! No plan says what each resource was for, so they are taken back by kind, in the order AWS
//! requires (docs/aws-rules.md R25): the vendor's way in first (the endpoint service, its
//! principals and connections cut before it goes; the resource share; the resource
//! configuration, its endpoints cut before it goes; the roles' policies and the roles; a
//! peering; a bastion; the rules), then the machinery (event rules, functions, log groups),
//! then the network (resource gateway, load balancer, target group, security groups last). A
//! resource VendorLink cannot remove by tag is kept and named. Refused while the grant's
//! resources sit in another region than the credentials': IAM is global, so a removal there
//! would take the role and leave the rest.

use std::collections::{BTreeMap, BTreeSet};

use super::progress::{Progress, ProgressSink};
use super::proof::connection_open;
use super::steps::{self, WaitPolicy};
use super::{EngineError, Revoked};
use crate::journal::{now, step_states, GrantArchive, GrantStore, JournalError, StepState};
use serde::Serialize;
use ts_rs::TS;
use vendorlink_aws::Cloud;
use vendorlink_model::{console_url, Kept, Output, Plan, ProofCheck, Removed, RevocationRecord, RevokeScope, StepId, TaggedResource};

/// The kinds in the order they are taken back; a kind not listed is kept and named.
const ORDER: [&str; 14] = [
    "endpointService",
    "resourceShare",
    "resourceConfiguration",
    "role",
    "peeringConnection",
    "instance",
    "securityGroupRule",
    "eventRule",
    "function",
    "logGroup",
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
    /// Other enabled regions holding resources of the grant: look, or remove, from there.
    pub elsewhere: Vec<String>,
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
    // Where else it is helps; not knowing (DescribeRegions refused) does not stop the answer.
    let elsewhere = other_regions(cloud, grant_id).await.map(|o| o.holding).unwrap_or_default();
    Ok(FoundGrant { grant_id: grant_id.to_owned(), vendor_id: tagged.iter().find_map(|r| r.vendor_id.clone()), resources, checked_at: now(), elsewhere })
}

/// The grant's regional resources in the account's other enabled regions.
struct OtherRegions {
    /// Regions where some are.
    holding: Vec<String>,
    /// Regions that could not be read, with why.
    unread: Vec<String>,
}

async fn other_regions(cloud: &Cloud, grant_id: &str) -> Result<OtherRegions, EngineError> {
    let Some(session) = &cloud.session else { return Ok(OtherRegions { holding: Vec::new(), unread: Vec::new() }) };
    let mut reads = tokio::task::JoinSet::new();
    for region in vendorlink_aws::enabled_regions(session).await?.into_iter().filter(|r| *r != cloud.region) {
        let tagged = vendorlink_aws::Tagged::new(&session.in_region(&region));
        reads.spawn(async move { (region, tagged.regional().await) });
    }
    let (mut holding, mut unread) = (Vec::new(), Vec::new());
    while let Some(read) = reads.join_next().await {
        match read {
            Ok((region, Ok(found))) if found.iter().any(|r| r.grant_id == grant_id) => holding.push(region),
            Ok((_, Ok(_))) => {}
            Ok((region, Err(err))) => unread.push(format!("{region} ({})", err.sentence())),
            Err(failed) => unread.push(format!("a region whose read stopped ({failed})")),
        }
    }
    holding.sort();
    unread.sort();
    Ok(OtherRegions { holding, unread })
}

/// Takes back everything that carries the grant's tag, then looks for the tag again, and
/// saves the record like a revoke's (`<data>/grants/<id>/revocation-….json`).
pub async fn revoke_found(cloud: &Cloud, store: &GrantStore, grant_id: &str, sink: ProgressSink, wait: WaitPolicy) -> Result<Revoked, EngineError> {
    not_recorded_here(store, grant_id)?;
    let identity = cloud.sts.caller_identity().await?;
    let cloud = cloud.as_caller(&identity.arn);
    let found = cloud.tagged.tagged_resources(Some(grant_id)).await?;
    // Only the role here (IAM answers in every region) while the rest is elsewhere: wrong region.
    let elsewhere = other_regions(&cloud, grant_id).await?.holding;
    if !elsewhere.is_empty() && found.iter().all(|r| r.kind == "role") {
        return Err(EngineError::TaggedElsewhere { grant: grant_id.to_owned(), region: cloud.region.clone(), regions: elsewhere });
    }
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
        match take_back(&cloud, resource, function.as_deref(), wait, &sink, &mut removed).await {
            Ok(()) => sink(Progress::RolledBack { step: step.clone() }),
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
        checks: vec![nothing_tagged(&cloud, grant_id, &identity.account).await, nothing_elsewhere(&cloud, grant_id, &identity.account).await],
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

fn record(step: StepId, id: &str, action: &str, request_id: Option<String>) -> Removed {
    Removed { step, id: id.to_owned(), action: action.into(), request_id, at: now() }
}

/// Takes back one tagged resource, adding to `removed` each thing removed as it goes: a
/// failure half-way keeps what was done before it on the record.
async fn take_back(cloud: &Cloud, resource: &TaggedResource, function: Option<&str>, wait: WaitPolicy, sink: &ProgressSink, removed: &mut Vec<Removed>) -> Result<(), EngineError> {
    let step = StepId::Tagged(resource.kind.clone());
    let id = resource.id.as_str();
    match resource.kind.as_str() {
        "endpointService" => {
            // Cut first: a principal removed leaves a connected endpoint connected (R4.3), and
            // the service is not deleted while a connection is open (R25.2).
            let principals = cloud.ec2.allowed_principals(id).await?;
            if !principals.is_empty() {
                let request_id = cloud.ec2.remove_principals(id, &principals).await?;
                removed.push(record(StepId::EndpointPrincipals, &principals.join(","), "ec2:ModifyVpcEndpointServicePermissions", request_id));
            }
            let open: Vec<String> = cloud.ec2.endpoint_connections(id).await?.into_iter().filter(|c| connection_open(&c.state)).map(|c| c.endpoint_id).collect();
            if !open.is_empty() {
                let request_id = cloud.ec2.reject_connections(id, &open).await?;
                removed.push(record(StepId::EndpointConnections, &open.join(","), "ec2:RejectVpcEndpointConnections", request_id));
            }
        }
        "resourceConfiguration" => {
            // A share taken back leaves the vendor's endpoints connected (R21.12), and the
            // configuration is not deleted while one is.
            for association in cloud.lattice.endpoint_associations(id).await? {
                let request_id = cloud.lattice.delete_endpoint_association(&association.id).await?;
                let what = format!("{} ({}, account {})", association.id, association.vpc_endpoint_id, association.owner);
                removed.push(record(StepId::ResourceEndpoints, &what, "vpc-lattice:DeleteResourceEndpointAssociation", request_id));
            }
        }
        "role" => {
            // Every policy first (DeleteRole refuses a role that has any, R7.2); with none
            // left, the role's sessions can do nothing (R25.1).
            if let Some((inline, managed)) = cloud.iam.role_policies(id).await? {
                for name in inline {
                    let request_id = cloud.iam.delete_role_policy(id, &name).await?;
                    removed.push(record(StepId::Tagged("rolePolicy".into()), &format!("{id}/{name}"), "iam:DeleteRolePolicy", request_id));
                }
                for arn in managed {
                    let request_id = cloud.iam.detach_role_policy(id, &arn).await?;
                    removed.push(record(StepId::Tagged("managedPolicy".into()), &format!("{id}/{arn}"), "iam:DetachRolePolicy", request_id));
                }
            }
        }
        // A log group left alone: only the group, never a function of that name.
        "logGroup" => {
            let request_id = cloud.functions.delete_log_group(id).await?;
            removed.push(record(step, id, "logs:DeleteLogGroup", request_id));
            return Ok(());
        }
        _ => {}
    }
    let output = output_of(resource, function).ok_or_else(|| EngineError::CannotRemoveByTag { kind: resource.kind.clone(), id: id.to_owned() })?;
    let request_id = steps::remove(cloud, &step, &output, wait, sink).await?;
    removed.push(record(step, id, undo_action(&resource.kind), request_id));
    Ok(())
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
        "eventRule" => "events:DeleteRule",
        "function" => "lambda:DeleteFunction",
        "resourceConfiguration" => "vpc-lattice:DeleteResourceConfiguration",
        "resourceGateway" => "vpc-lattice:DeleteResourceGateway",
        "endpointService" => "ec2:DeleteVpcEndpointServiceConfigurations",
        "role" => "iam:DeleteRole",
        "instance" => "ec2:TerminateInstances",
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

/// The proof's second half: no other enabled region that could be read holds a resource of
/// the grant. A region that refuses the reads (a region-deny policy, a service not offered
/// there) is named in the detail rather than failing the proof for ever.
async fn nothing_elsewhere(cloud: &Cloud, grant_id: &str, account: &str) -> ProofCheck {
    let check = format!("No other enabled region of account {account} that could be read holds a resource tagged vendorlink:grant={grant_id}");
    match other_regions(cloud, grant_id).await {
        Ok(OtherRegions { holding, .. }) if !holding.is_empty() => ProofCheck { check, passed: false, detail: format!("still tagged in {}", holding.join(", ")) },
        Ok(_) if cloud.session.is_none() => ProofCheck { check, passed: true, detail: "these services know one region only".into() },
        Ok(OtherRegions { unread, .. }) if unread.is_empty() => ProofCheck { check, passed: true, detail: "every other enabled region was read".into() },
        Ok(OtherRegions { unread, .. }) => ProofCheck { check, passed: true, detail: format!("none in the regions read; not readable: {}", unread.join("; ")) },
        Err(err) => ProofCheck { check, passed: false, detail: format!("could not be checked: {err}") },
    }
}

/// Records here a grant exported on its machine, once AWS confirms the record: it is for the
/// credentials' account, and every resource it says exists carries the grant's tag. A record
/// edited or mixed up could otherwise make a later revoke remove what is not the grant's.
pub async fn adopt(cloud: &Cloud, store: &GrantStore, text: &str, expected: Option<&str>) -> Result<Plan, EngineError> {
    let archive = GrantArchive::read(store, text, expected)?;
    let plan = &archive.plan;
    let refuse = |reason: String| EngineError::CannotAdopt { grant: plan.grant_id.clone(), reason };
    if plan.dedicated_access_role().is_some() {
        return Err(refuse("its resources live in the dedicated account it made, which adopting cannot check yet".into()));
    }
    let cloud = super::grant_cloud(&cloud.in_region(&plan.region), plan).await?;
    let identity = cloud.sts.caller_identity().await?;
    if identity.account != plan.account_id {
        return Err(EngineError::WrongAccount { expected: plan.account_id.clone(), actual: identity.account, who: cloud.label.clone() });
    }
    let tagged: BTreeSet<String> = cloud.tagged.tagged_resources(Some(&plan.grant_id)).await?.into_iter().map(|r| r.id).collect();
    let states = step_states(&archive.journal);
    let mut untagged: Vec<String> =
        states.values().filter_map(|s| if let StepState::Exists(output) = s { Some(output) } else { None }).flat_map(tagged_ids).filter(|id| !tagged.contains(id)).collect();
    untagged.sort();
    untagged.dedup();
    if !untagged.is_empty() {
        // A tag scan cannot tell a resource gone (deleted by hand, expired, terminated) from one
        // that is not the grant's: refused either way, since a revoke would act on each id.
        return Err(refuse(format!(
            "its record names {} that carr{} no tag vendorlink:grant={} in account {} ({}): deleted or expired since, or not the grant's",
            untagged.join(", "),
            if untagged.len() == 1 { "ies" } else { "y" },
            plan.grant_id,
            plan.account_id,
            plan.region
        )));
    }
    store.adopt(&archive)?;
    Ok(archive.plan)
}

/// The ids under which what the output names, or the resource it acts on, carries the tag
/// (see `vendorlink_aws::Tagged`): a revoke acts on each. A listener is checked by its load
/// balancer; route tables, the database's group and the account steps are not the grant's.
fn tagged_ids(output: &Output) -> Vec<String> {
    let listener_balancer = |arn: &str| arn.replacen(":listener/", ":loadbalancer/", 1).rsplit_once('/').map(|(balancer, _)| balancer.to_owned());
    match output {
        Output::SecurityGroup { group_id } => vec![group_id.clone()],
        // The group is often the database's own, never tagged; a rule id names one rule of one
        // group, so a revoke with another group's id removes nothing.
        Output::IngressRules { rule_ids, .. } => rule_ids.clone(),
        Output::LoadBalancer { arn, .. } | Output::TargetGroup { arn } | Output::LoadBalancerSetting { load_balancer: arn } | Output::Targets { target_group: arn, .. } => {
            vec![arn.clone()]
        }
        Output::Listener { arn } => listener_balancer(arn).into_iter().collect(),
        Output::EndpointService { service_id, .. } | Output::Principals { service_id, .. } => vec![service_id.clone()],
        Output::Role { name, .. } | Output::Function { name, .. } | Output::EventRule { name, .. } => vec![name.clone()],
        Output::InlinePolicy { role, .. } | Output::ManagedPolicy { role, .. } | Output::SessionsDenied { role, .. } | Output::TrustClosed { role, .. } => vec![role.clone()],
        Output::Peering { connection_id, .. } | Output::PeeringOption { connection_id } | Output::Routes { connection_id, .. } => vec![connection_id.clone()],
        Output::Instance { instance_id, .. } => vec![instance_id.clone()],
        Output::ResourceGateway { arn, .. } | Output::ResourceConfiguration { arn, .. } | Output::ResourceShare { arn, .. } => vec![arn.clone()],
        Output::Decision { .. } | Output::Account { .. } | Output::AccountParent { .. } => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_checked_by_every_id_a_revoke_would_act_on() {
        let listener = Output::Listener { arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/vl-df-1/50dc6c495c0c9188/f2f7dc8efc522ab2".into() };
        assert_eq!(tagged_ids(&listener), ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/vl-df-1/50dc6c495c0c9188"]);
        let policy = Output::InlinePolicy { role: "vendorlink-datafold-1".into(), name: "vendorlink-datafold".into() };
        assert_eq!(tagged_ids(&policy), ["vendorlink-datafold-1"], "the role the policy is deleted from");
        let rules = Output::IngressRules { group_id: "sg-db".into(), rule_ids: vec!["sgr-1".into(), "sgr-2".into()] };
        assert_eq!(tagged_ids(&rules), ["sgr-1", "sgr-2"], "the database's own group carries no tag");
        assert!(tagged_ids(&Output::Decision { endpoint_ids: vec!["vpce-1".into()], decision: "accept".into() }).is_empty());
    }
}
