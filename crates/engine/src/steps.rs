//! Each plan action as AWS calls: create it, find what an interrupted run created, wait
//! until AWS says it is ready, and undo it.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::progress::{Progress, ProgressSink};
use super::EngineError;
use vendorlink_aws::ec2::Source;
use vendorlink_aws::{ec2, elb, iam, AwsError, AwsSession, Created};
use vendorlink_model::{Action, IngressSource, Outputs, Plan, Ref, Step};

/// Outputs of the steps that exist, by step id.
pub type Known = BTreeMap<String, Outputs>;

/// How long and how often to poll AWS for a state.
#[derive(Debug, Clone, Copy)]
pub struct WaitPolicy {
    /// Pause after the first poll; doubles up to `longest`.
    pub first: Duration,
    pub longest: Duration,
    pub timeout: Duration,
}

impl Default for WaitPolicy {
    fn default() -> Self {
        WaitPolicy { first: Duration::from_secs(2), longest: Duration::from_secs(15), timeout: Duration::from_secs(20 * 60) }
    }
}

pub fn resolve(reference: &Ref, known: &Known) -> Result<String, EngineError> {
    match reference {
        Ref::Existing { id } => Ok(id.clone()),
        Ref::Step { step } => known.get(step).and_then(|o| o.get("id")).cloned().ok_or_else(|| EngineError::Internal(format!("step {step} has no result yet"))),
    }
}

fn sources(sources: &[IngressSource], known: &Known) -> Result<Vec<Source>, EngineError> {
    sources
        .iter()
        .map(|s| match s {
            IngressSource::Cidr { cidr } => Ok(Source::Cidr(cidr.clone())),
            IngressSource::Group { group } => resolve(group, known).map(Source::Group),
        })
        .collect()
}

/// Makes the step's one mutating call.
pub async fn create(session: &AwsSession, plan: &Plan, step: &Step, known: &Known) -> Result<Created, EngineError> {
    let tags = plan.tags();
    let created = match &step.action {
        Action::CreateSecurityGroup { name, description, vpc_id } => ec2::create_security_group(session, name, description, vpc_id, &tags).await?,
        Action::AuthorizeIngress { group, port, sources: from, description } => {
            ec2::authorize_ingress(session, &resolve(group, known)?, *port, &sources(from, known)?, description, &tags).await?
        }
        Action::CreateLoadBalancer { name, subnet_ids, security_group } => elb::create_load_balancer(session, name, subnet_ids, &resolve(security_group, known)?, &tags).await?,
        Action::EnableCrossZone { load_balancer } => elb::enable_cross_zone(session, &resolve(load_balancer, known)?).await?,
        Action::SetLoadBalancerSecurityGroups { load_balancer, security_group, enforce_on_private_link } => {
            elb::set_security_groups(session, &resolve(load_balancer, known)?, &resolve(security_group, known)?, *enforce_on_private_link).await?
        }
        Action::CreateTargetGroup { name, vpc_id, port } => elb::create_target_group(session, name, vpc_id, *port, &tags).await?,
        Action::RegisterTargets { target_group, ips, port } => elb::register_targets(session, &resolve(target_group, known)?, ips, *port).await?,
        Action::CreateListener { load_balancer, target_group, port } => {
            elb::create_listener(session, &resolve(load_balancer, known)?, &resolve(target_group, known)?, *port, &tags).await?
        }
        Action::CreateEndpointService { load_balancer, acceptance_required, supported_regions } => {
            let token = format!("{}-{}", plan.grant_id, step.id);
            ec2::create_endpoint_service(session, &resolve(load_balancer, known)?, *acceptance_required, supported_regions, &token, &tags).await?
        }
        Action::AllowPrincipals { service, principals } => ec2::allow_principals(session, &resolve(service, known)?, principals).await?,
        Action::CreateRole { name, description, trust_policy, max_session_seconds } => {
            iam::create_role(session, name, description, trust_policy, *max_session_seconds, &tags).await?
        }
        Action::PutRolePolicy { role, name, document } => iam::put_role_policy(session, &resolve(role, known)?, name, document).await?,
        Action::AttachRolePolicy { role, policy_arn } => iam::attach_role_policy(session, &resolve(role, known)?, policy_arn).await?,
    };
    Ok(created)
}

/// After an interrupted call: the resource it may have made, found by its name or grant tag.
/// `None` for actions that are safe to repeat (registering targets, putting a policy...):
/// those are simply made again.
pub async fn find(session: &AwsSession, plan: &Plan, step: &Step, known: &Known) -> Result<Option<Outputs>, EngineError> {
    let found = match &step.action {
        Action::CreateSecurityGroup { name, vpc_id, .. } => ec2::find_security_group(session, vpc_id, name).await?,
        Action::AuthorizeIngress { group, port, description, sources: from } => match (resolve(group, known), sources(from, known)) {
            (Ok(group), Ok(from)) => ec2::find_ingress(session, &group, *port, &from, &plan.grant_id, description).await?,
            _ => None,
        },
        Action::CreateLoadBalancer { name, .. } => elb::find_load_balancer(session, name).await?,
        Action::CreateTargetGroup { name, .. } => elb::find_target_group(session, name).await?,
        Action::CreateListener { load_balancer, port, .. } => match resolve(load_balancer, known) {
            Ok(lb) => elb::find_listener(session, &lb, *port).await?,
            Err(_) => None,
        },
        Action::CreateEndpointService { .. } => ec2::find_endpoint_service(session, &plan.grant_id).await?,
        Action::CreateRole { name, .. } => iam::find_role(session, name).await?,
        Action::EnableCrossZone { .. }
        | Action::SetLoadBalancerSecurityGroups { .. }
        | Action::RegisterTargets { .. }
        | Action::AllowPrincipals { .. }
        | Action::PutRolePolicy { .. }
        | Action::AttachRolePolicy { .. } => None,
    };
    Ok(found)
}

/// For undoing a repeatable action whose outcome was never recorded: the ids it would have
/// produced, from its inputs. `None` when a resource it needs is itself gone or unknown.
pub fn implied_outputs(step: &Step, known: &Known) -> Option<Outputs> {
    let pair = |k: &str, v: String| (k.to_owned(), v);
    let outputs: Outputs = match &step.action {
        Action::RegisterTargets { target_group, ips, .. } => [pair("id", resolve(target_group, known).ok()?), pair("targets", ips.join(","))].into(),
        Action::AllowPrincipals { service, principals } => [pair("id", resolve(service, known).ok()?), pair("principals", principals.join(","))].into(),
        Action::PutRolePolicy { role, name, .. } => [pair("id", name.clone()), pair("role", resolve(role, known).ok()?)].into(),
        Action::AttachRolePolicy { role, policy_arn } => [pair("id", policy_arn.clone()), pair("role", resolve(role, known).ok()?)].into(),
        _ => return None,
    };
    Some(outputs)
}

/// Waits until AWS reports the resource usable (NLB `active`, endpoint service `Available`).
pub async fn wait_ready(session: &AwsSession, step: &Step, outputs: &Outputs, wait: WaitPolicy, sink: &ProgressSink) -> Result<(), EngineError> {
    let id = outputs.get("id").cloned().unwrap_or_default();
    let reported = outputs.get("state").map(String::as_str);
    match &step.action {
        Action::CreateLoadBalancer { .. } => {
            poll(step, &id, reported, wait, sink, Awaited { ready: &["active"], broken: &["failed", "deleted"] }, || elb::load_balancer_state(session, &id)).await
        }
        Action::CreateEndpointService { .. } => {
            poll(step, &id, reported, wait, sink, Awaited { ready: &["Available"], broken: &["Failed", "Deleted", "Deleting"] }, || ec2::endpoint_service_state(session, &id)).await
        }
        _ => Ok(()),
    }
}

/// The states a resource is waited through: `ready` ends the wait, `broken` fails the step.
struct Awaited<'a> {
    ready: &'a [&'a str],
    broken: &'a [&'a str],
}

/// `reported`: the state the create call answered with; already ready means no call at all.
async fn poll<F, Fut>(step: &Step, resource: &str, reported: Option<&str>, wait: WaitPolicy, sink: &ProgressSink, awaited: Awaited<'_>, state: F) -> Result<(), EngineError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<String, AwsError>>,
{
    let Awaited { ready, broken } = awaited;
    if reported.is_some_and(|s| ready.contains(&s)) {
        return Ok(());
    }
    let start = Instant::now();
    let mut pause = wait.first;
    loop {
        let current = state().await?;
        if ready.contains(&current.as_str()) {
            return Ok(());
        }
        if broken.contains(&current.as_str()) {
            return Err(EngineError::BadState { resource: resource.to_owned(), state: current });
        }
        sink(Progress::Waiting { step: step.id.clone(), resource: resource.to_owned(), state: current.clone(), elapsed_secs: start.elapsed().as_secs() });
        if start.elapsed() >= wait.timeout {
            return Err(EngineError::WaitTimeout { resource: resource.to_owned(), state: current, waited_secs: start.elapsed().as_secs() });
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(wait.longest);
    }
}

/// Removes what the step made. Already gone is success; AWS's request id when a call was made.
pub async fn undo(session: &AwsSession, step: &Step, outputs: &Outputs, wait: WaitPolicy, sink: &ProgressSink) -> Result<Option<String>, EngineError> {
    let id = outputs.get("id").cloned().unwrap_or_default();
    let list = |key: &str| -> Vec<String> { outputs.get(key).map(|v| v.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()).unwrap_or_default() };
    let request_id = match &step.action {
        Action::CreateSecurityGroup { .. } => {
            // AWS keeps a deleted NLB's network interfaces for a while; the group cannot go
            // until they have.
            retry_while_in_use(step, &id, wait, sink, || ec2::delete_security_group(session, &id)).await?
        }
        Action::AuthorizeIngress { .. } => ec2::revoke_ingress(session, outputs.get("groupId").map_or("", String::as_str), &list("id")).await?,
        Action::CreateLoadBalancer { .. } => {
            let request_id = elb::delete_load_balancer(session, &id).await?;
            poll(step, &id, None, wait, sink, Awaited { ready: &["deleted"], broken: &[] }, || elb::load_balancer_state(session, &id)).await?;
            request_id
        }
        Action::EnableCrossZone { .. } | Action::SetLoadBalancerSecurityGroups { .. } => None, // goes with the load balancer
        Action::CreateTargetGroup { .. } => retry_while_in_use(step, &id, wait, sink, || elb::delete_target_group(session, &id)).await?,
        Action::RegisterTargets { port, .. } => elb::deregister_targets(session, &id, &list("targets"), *port).await?,
        Action::CreateListener { .. } => elb::delete_listener(session, &id).await?,
        Action::CreateEndpointService { .. } => ec2::delete_endpoint_service(session, &id).await?,
        Action::AllowPrincipals { .. } => ec2::remove_principals(session, &id, &list("principals")).await?,
        Action::CreateRole { .. } => iam::delete_role(session, &id).await?,
        Action::PutRolePolicy { .. } => iam::delete_role_policy(session, outputs.get("role").map_or("", String::as_str), &id).await?,
        Action::AttachRolePolicy { .. } => iam::detach_role_policy(session, outputs.get("role").map_or("", String::as_str), &id).await?,
    };
    Ok(request_id)
}

async fn retry_while_in_use<F, Fut>(step: &Step, resource: &str, wait: WaitPolicy, sink: &ProgressSink, call: F) -> Result<Option<String>, EngineError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>, AwsError>>,
{
    let start = Instant::now();
    let mut pause = wait.first;
    loop {
        match call().await {
            Err(err) if matches!(err.code(), Some("DependencyViolation" | "ResourceInUse")) && start.elapsed() < wait.timeout => {
                sink(Progress::Waiting { step: step.id.clone(), resource: resource.to_owned(), state: "in use".into(), elapsed_secs: start.elapsed().as_secs() });
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(wait.longest);
            }
            other => return Ok(other?),
        }
    }
}
