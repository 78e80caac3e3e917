//! Each plan action as AWS calls: create it, find what an interrupted run created, wait
//! until AWS says it is ready, and undo it.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::progress::{Progress, ProgressSink};
use super::EngineError;
use vendorlink_aws::ec2::Source;
use vendorlink_aws::{AwsError, Cloud, Created};
use vendorlink_model::{Action, IngressSource, Output, Plan, Ref, Step, StepId, GRANT_TAG};

/// What the steps that exist made, by step.
pub type Known = BTreeMap<StepId, Output>;

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
        Ref::Step { step } => known.get(step).map(|o| o.id().to_owned()).ok_or_else(|| EngineError::Internal(format!("step {step} has no result yet"))),
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

/// Makes the step's one mutating call. A new account is only usable once AWS has made it, and
/// its id comes only then, so creating one includes the wait (with progress).
pub async fn create(cloud: &Cloud, plan: &Plan, step: &Step, known: &Known, wait: WaitPolicy, sink: &ProgressSink) -> Result<Created, EngineError> {
    let tags = plan.tags();
    let created = match &step.action {
        Action::CreateSecurityGroup { name, description, vpc_id } => cloud.ec2.create_security_group(name, description, vpc_id, &tags).await?,
        Action::AuthorizeIngress { group, port, sources: from, description } => {
            cloud.ec2.authorize_ingress(&resolve(group, known)?, *port, &sources(from, known)?, description, &tags).await?
        }
        Action::CreateLoadBalancer { name, subnet_ids, security_group } => cloud.elb.create_load_balancer(name, subnet_ids, &resolve(security_group, known)?, &tags).await?,
        Action::EnableCrossZone { load_balancer } => cloud.elb.enable_cross_zone(&resolve(load_balancer, known)?).await?,
        Action::SetLoadBalancerSecurityGroups { load_balancer, security_group, enforce_on_private_link } => {
            cloud.elb.set_security_groups(&resolve(load_balancer, known)?, &resolve(security_group, known)?, *enforce_on_private_link).await?
        }
        Action::CreateTargetGroup { name, vpc_id, port } => cloud.elb.create_target_group(name, vpc_id, *port, &tags).await?,
        Action::RegisterTargets { target_group, ips, port } => cloud.elb.register_targets(&resolve(target_group, known)?, ips, *port).await?,
        Action::CreateListener { load_balancer, target_group, port } => {
            cloud.elb.create_listener(&resolve(load_balancer, known)?, &resolve(target_group, known)?, *port, &tags).await?
        }
        Action::CreateEndpointService { load_balancer, acceptance_required, supported_regions } => {
            let token = format!("{}-{}", plan.grant_id, step.id);
            cloud.ec2.create_endpoint_service(&resolve(load_balancer, known)?, *acceptance_required, supported_regions, &token, &tags).await?
        }
        Action::AllowPrincipals { service, principals } => cloud.ec2.allow_principals(&resolve(service, known)?, principals).await?,
        Action::CreateRole { name, description, trust_policy, max_session_seconds } => cloud.iam.create_role(name, description, trust_policy, *max_session_seconds, &tags).await?,
        Action::PutRolePolicy { role, name, document } => cloud.iam.put_role_policy(&resolve(role, known)?, name, document).await?,
        Action::AttachRolePolicy { role, policy_arn } => cloud.iam.attach_role_policy(&resolve(role, known)?, policy_arn).await?,
        Action::CreateAccount { name, email, access_role } => {
            let (request, request_id) = cloud.accounts.create_account(name, email, access_role, &tags).await?;
            Created { output: account_created(cloud, step, &request, name, email, wait, sink).await?, request_id }
        }
        Action::CreatePeering { vpc_id, peer_vpc_id, peer_account, peer_region } => cloud.peering.create(vpc_id, peer_vpc_id, peer_account, peer_region.as_deref(), &tags).await?,
        Action::AcceptPeering { connection_id } => cloud.peering.accept(connection_id, &tags).await?,
        Action::AllowPeeringDns { connection, as_requester } => {
            let connection = resolve(connection, known)?;
            // The option can be set only once the connection is active (R19).
            let awaited = Awaited { ready: &["active"], broken: PEERING_OVER };
            peering_poll(cloud, &step.id, &connection, None, wait, sink, awaited).await?;
            cloud.peering.allow_dns(&connection, *as_requester).await?
        }
        Action::CreatePeeringRoutes { route_table_id, cidrs, connection } => cloud.peering.create_routes(route_table_id, cidrs, &resolve(connection, known)?).await?,
        Action::LaunchBastion { subnet_id, security_group, instance_type, image_parameter, user_data, .. } => {
            // The latest image is read at launch (R20): the parameter moves with every release.
            let image_id = cloud.instances.latest_image(image_parameter).await?;
            let group = resolve(security_group, known)?;
            let token = format!("{}-{}", plan.grant_id, step.id);
            let launch = vendorlink_aws::Launch { subnet_id, security_group: &group, instance_type, image_id: &image_id, user_data, client_token: &token };
            cloud.instances.launch(&launch, &tags).await?
        }
        Action::CreateResourceGateway { name, vpc_id, subnet_ids, security_group } => {
            let token = format!("{}-{}", plan.grant_id, step.id);
            cloud.lattice.create_gateway(name, vpc_id, subnet_ids, &resolve(security_group, known)?, &token, &tags).await?
        }
        Action::CreateResourceConfiguration { name, gateway, target, port } => {
            let token = format!("{}-{}", plan.grant_id, step.id);
            cloud.lattice.create_configuration(name, &resolve(gateway, known)?, target, *port, &token, &tags).await?
        }
        Action::ShareResource { name, resource, account_id } => {
            let token = format!("{}-{}", plan.grant_id, step.id);
            cloud.sharing.share(name, &resolve(resource, known)?, account_id, &token, &tags).await?
        }
        Action::CreateSyncFunction { name, role, target_group, db_host, port, log_retention_days } => {
            let role_arn = match known.get(&role_step(role)?) {
                Some(Output::Role { arn, .. }) => arn.clone(),
                _ => return Err(EngineError::Internal(format!("step {} has no role yet", step.id))),
            };
            let package = crate::target_sync::package::package();
            let environment = [("TARGET_GROUP_ARN".to_owned(), resolve(target_group, known)?), ("DB_HOST".to_owned(), db_host.clone()), ("DB_PORT".to_owned(), port.to_string())];
            let spec = vendorlink_aws::FunctionSpec {
                name,
                role_arn: &role_arn,
                package: &package,
                handler: crate::target_sync::package::HANDLER,
                environment: &environment,
                log_retention_days: i32::from(*log_retention_days),
            };
            cloud.functions.create_function(&spec, &tags).await?
        }
        Action::CreateSyncRule { name, function, event_pattern, schedule } => {
            cloud.functions.create_rule(name, event_pattern.as_deref(), schedule.as_deref(), &resolve(function, known)?, &tags).await?
        }
        Action::MoveAccount { account, organizational_unit } => {
            let account = resolve(account, known)?;
            let from = cloud.accounts.parent(&account).await?;
            if &from == organizational_unit {
                Created { output: Output::AccountParent { account_id: account, parent_id: from }, request_id: None }
            } else {
                cloud.accounts.move_account(&account, &from, organizational_unit).await?
            }
        }
    };
    Ok(created)
}

/// The step a reference names (a sync function needs its role's ARN, not the name it resolves to).
fn role_step(reference: &Ref) -> Result<StepId, EngineError> {
    match reference {
        Ref::Step { step } => Ok(step.clone()),
        Ref::Existing { id } => Err(EngineError::Internal(format!("a sync function's role is made by its grant, not {id}"))),
    }
}

/// Follows an account's creation request until AWS has made the account (docs/aws-rules.md
/// R17): its id, or why AWS did not make it.
async fn account_created(cloud: &Cloud, step: &Step, request: &str, name: &str, email: &str, wait: WaitPolicy, sink: &ProgressSink) -> Result<Output, EngineError> {
    let start = Instant::now();
    let mut pause = wait.first;
    loop {
        let status = cloud.accounts.creation_status(request).await?;
        match (status.state.as_str(), status.account_id) {
            ("SUCCEEDED", Some(account_id)) => return Ok(Output::Account { account_id, name: name.to_owned(), email: email.to_owned() }),
            ("FAILED", _) => return Err(EngineError::AccountNotCreated { name: name.to_owned(), reason: status.failure.unwrap_or_else(|| "no reason given".into()) }),
            (state, _) => {
                sink(Progress::Waiting { step: step.id.clone(), resource: format!("account \"{name}\""), state: state.to_owned(), elapsed_secs: start.elapsed().as_secs() });
                if start.elapsed() >= wait.timeout {
                    return Err(EngineError::WaitTimeout { resource: format!("account \"{name}\" ({request})"), state: state.to_owned(), waited_secs: start.elapsed().as_secs() });
                }
            }
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(wait.longest);
    }
}

/// After an interrupted call: the resource it may have made, found by its name or grant tag.
/// `None` for actions that are safe to repeat (registering targets, putting a policy...):
/// those are simply made again. An account still being made is waited for.
pub async fn find(cloud: &Cloud, plan: &Plan, step: &Step, known: &Known, wait: WaitPolicy, sink: &ProgressSink) -> Result<Option<Output>, EngineError> {
    let found = match &step.action {
        Action::CreateSecurityGroup { name, vpc_id, .. } => cloud.ec2.find_security_group(vpc_id, name).await?,
        Action::AuthorizeIngress { group, port, description, sources: from } => match (resolve(group, known), sources(from, known)) {
            (Ok(group), Ok(from)) => cloud.ec2.find_ingress(&group, *port, &from, &plan.grant_id, description).await?,
            _ => None,
        },
        Action::CreateLoadBalancer { name, .. } => cloud.elb.find_load_balancer(name).await?,
        Action::CreateTargetGroup { name, .. } => cloud.elb.find_target_group(name).await?,
        Action::CreateListener { load_balancer, port, .. } => match resolve(load_balancer, known) {
            Ok(lb) => cloud.elb.find_listener(&lb, *port).await?,
            Err(_) => None,
        },
        Action::CreateEndpointService { .. } => cloud.ec2.find_endpoint_service(&plan.grant_id).await?,
        Action::CreateRole { name, .. } => cloud.iam.find_role(name).await?,
        Action::CreateAccount { name, email, .. } => find_account(cloud, plan, step, name, email, wait, sink).await?,
        Action::MoveAccount { account, organizational_unit } => match resolve(account, known) {
            Ok(account) if &cloud.accounts.parent(&account).await? == organizational_unit => {
                Some(Output::AccountParent { account_id: account, parent_id: organizational_unit.clone() })
            }
            _ => None,
        },
        Action::CreatePeering { .. } => cloud.peering.find_requested(&plan.grant_id).await?.map(|c| Output::Peering { connection_id: c.id, status: Some(c.status) }),
        // Accepted when it is no longer waiting for acceptance (and not over).
        Action::AcceptPeering { connection_id } => cloud
            .peering
            .connection(connection_id)
            .await?
            .filter(|c| !c.is_over() && c.status != "pending-acceptance")
            .map(|c| Output::Peering { connection_id: c.id, status: Some(c.status) }),
        Action::LaunchBastion { .. } => cloud.instances.find_launched(&plan.grant_id).await?.map(|i| i.output()),
        Action::CreateResourceGateway { name, .. } => cloud.lattice.find_gateway(name).await?.map(|g| g.output()),
        Action::CreateResourceConfiguration { name, gateway, .. } => match resolve(gateway, known) {
            Ok(gateway) => cloud.lattice.find_configuration(&gateway, name).await?.map(|c| c.output()),
            Err(_) => None,
        },
        Action::ShareResource { name, .. } => cloud.sharing.find_share(name, &plan.grant_id).await?.map(|s| Output::ResourceShare { arn: s.arn, status: Some(s.status) }),
        Action::CreateSyncFunction { name, .. } => cloud.functions.function(name).await?.map(|f| Output::Function { name: f.name, arn: f.arn }),
        // A rule made before its target was put is made again: PutRule and PutTargets repeat safely.
        Action::CreateSyncRule { name, function, .. } => match (cloud.functions.rule(name).await?, resolve(function, known)) {
            (Some(rule), Ok(function)) if rule.target_arns.contains(&function) => Some(Output::EventRule { name: rule.name, arn: rule.arn, function }),
            _ => None,
        },
        Action::EnableCrossZone { .. }
        | Action::AllowPeeringDns { .. }
        | Action::CreatePeeringRoutes { .. }
        | Action::SetLoadBalancerSecurityGroups { .. }
        | Action::RegisterTargets { .. }
        | Action::AllowPrincipals { .. }
        | Action::PutRolePolicy { .. }
        | Action::AttachRolePolicy { .. } => None,
    };
    Ok(found)
}

/// The account this grant's interrupted CreateAccount made, if any: only an account carrying the
/// grant's tag is this grant's (another grant may have used the email). One still being made is
/// listed only among the creation requests (docs/aws-rules.md R18.3, R18.4), so those are waited
/// for; the accounts are read again last, for a request that finished between the two reads.
async fn find_account(cloud: &Cloud, plan: &Plan, step: &Step, name: &str, email: &str, wait: WaitPolicy, sink: &ProgressSink) -> Result<Option<Output>, EngineError> {
    let wanted = email.to_lowercase();
    let ours = |tags: &[(String, String)]| tags.iter().any(|(k, v)| k == GRANT_TAG && *v == plan.grant_id);
    for pass in 0..2 {
        if let Some(account) = cloud.accounts.accounts().await?.into_iter().find(|a| a.email.to_lowercase() == wanted) {
            return Ok(ours(&cloud.accounts.account_tags(&account.id).await?).then_some(Output::Account { account_id: account.id, name: account.name, email: account.email }));
        }
        if pass == 1 {
            break;
        }
        for request in cloud.accounts.creations_in_progress(name).await? {
            match account_created(cloud, step, &request, name, email, wait, sink).await {
                Ok(Output::Account { account_id, name, email }) if ours(&cloud.accounts.account_tags(&account_id).await?) => {
                    return Ok(Some(Output::Account { account_id, name, email }))
                }
                // Someone else's request, or one that failed: not this grant's account.
                Ok(_) | Err(EngineError::AccountNotCreated { .. }) => {}
                Err(err) => return Err(err),
            }
        }
    }
    Ok(None)
}

/// For undoing a repeatable action whose outcome was never recorded: what it would have
/// produced, from its inputs. `None` when a resource it needs is itself gone or unknown.
pub fn implied_output(step: &Step, known: &Known) -> Option<Output> {
    let output = match &step.action {
        Action::RegisterTargets { target_group, ips, .. } => Output::Targets { target_group: resolve(target_group, known).ok()?, ips: ips.clone() },
        Action::AllowPrincipals { service, principals } => Output::Principals { service_id: resolve(service, known).ok()?, principals: principals.clone() },
        Action::PutRolePolicy { role, name, .. } => Output::InlinePolicy { role: resolve(role, known).ok()?, name: name.clone() },
        Action::AttachRolePolicy { role, policy_arn } => Output::ManagedPolicy { role: resolve(role, known).ok()?, policy_arn: policy_arn.clone() },
        Action::CreatePeeringRoutes { route_table_id, cidrs, connection } => {
            Output::Routes { route_table_id: route_table_id.clone(), connection_id: resolve(connection, known).ok()?, cidrs: cidrs.clone() }
        }
        Action::AllowPeeringDns { connection, .. } => Output::PeeringOption { connection_id: resolve(connection, known).ok()? },
        _ => return None,
    };
    Some(output)
}

/// Waits until AWS reports the resource usable (NLB `active`, endpoint service `Available`).
pub async fn wait_ready(cloud: &Cloud, step: &Step, output: &Output, wait: WaitPolicy, sink: &ProgressSink) -> Result<(), EngineError> {
    match output {
        Output::LoadBalancer { arn, state, .. } => {
            poll(&step.id, arn, state.as_deref(), wait, sink, Awaited { ready: &["active"], broken: &["failed", "deleted"] }, || cloud.elb.load_balancer_state(arn)).await
        }
        Output::EndpointService { service_id, state, .. } => {
            let awaited = Awaited { ready: &["Available"], broken: &["Failed", "Deleted", "Deleting"] };
            poll(&step.id, service_id, state.as_deref(), wait, sink, awaited, || cloud.ec2.endpoint_service_state(service_id)).await
        }
        // A request made here is ready once AWS has passed it to the vendor; an accepted one once
        // it is active (R19). A request AWS could not pass on ends `failed`, with its reason.
        Output::Peering { connection_id, status } => {
            let ready: &[&str] = if matches!(step.action, Action::CreatePeering { .. }) { &["pending-acceptance", "active"] } else { &["active"] };
            peering_poll(cloud, &step.id, connection_id, status.as_deref(), wait, sink, Awaited { ready, broken: PEERING_OVER }).await
        }
        Output::Instance { instance_id, state, .. } => {
            let awaited = Awaited { ready: &["running"], broken: &["shutting-down", "terminated", "stopping", "stopped"] };
            poll(&step.id, instance_id, state.as_deref(), wait, sink, awaited, || instance_state(cloud, instance_id)).await
        }
        Output::ResourceGateway { gateway_id, status, .. } => {
            let awaited = Awaited { ready: &["ACTIVE"], broken: LATTICE_BROKEN };
            poll(&step.id, gateway_id, status.as_deref(), wait, sink, awaited, || gateway_state(cloud, gateway_id)).await
        }
        Output::ResourceConfiguration { arn, configuration_id, status } => {
            let awaited = Awaited { ready: &["ACTIVE"], broken: LATTICE_BROKEN };
            match poll(&step.id, configuration_id, status.as_deref(), wait, sink, awaited, || configuration_state(cloud, arn)).await {
                // AWS says why it could not make it (an ARN it cannot reach, say).
                Err(EngineError::BadState { resource, state }) => {
                    let reason = cloud.lattice.configuration(arn).await.ok().flatten().and_then(|c| c.failure_reason);
                    Err(EngineError::BadState { resource, state: reason.map_or(state.clone(), |r| format!("{state}: {r}")) })
                }
                other => other,
            }
        }
        _ => Ok(()),
    }
}

/// An instance's state; one AWS no longer lists is terminated.
async fn instance_state(cloud: &Cloud, id: &str) -> Result<String, AwsError> {
    Ok(cloud.instances.instance(id).await?.map_or_else(|| "terminated".to_owned(), |i| i.state))
}

/// The Lattice states from which a gateway or configuration never becomes usable (R21).
const LATTICE_BROKEN: &[&str] = &["CREATE_FAILED", "DELETE_IN_PROGRESS", "DELETE_FAILED", "DELETED"];

/// A gateway's status; one AWS no longer has is deleted.
async fn gateway_state(cloud: &Cloud, id: &str) -> Result<String, AwsError> {
    Ok(cloud.lattice.gateway(id).await?.map_or_else(|| "DELETED".to_owned(), |g| g.status))
}

async fn configuration_state(cloud: &Cloud, id: &str) -> Result<String, AwsError> {
    Ok(cloud.lattice.configuration(id).await?.map_or_else(|| "DELETED".to_owned(), |c| c.status))
}

/// The peering states from which a connection never carries traffic (R19).
const PEERING_OVER: &[&str] = &["failed", "rejected", "expired", "deleting", "deleted"];

/// Waits for a peering connection; when it ends in a broken state, AWS's reason is given.
async fn peering_poll(cloud: &Cloud, step: &StepId, id: &str, reported: Option<&str>, wait: WaitPolicy, sink: &ProgressSink, awaited: Awaited<'_>) -> Result<(), EngineError> {
    let state = || async { Ok::<String, AwsError>(cloud.peering.connection(id).await?.map_or_else(|| "deleted".to_owned(), |c| c.status)) };
    match poll(step, id, reported, wait, sink, awaited, state).await {
        Err(EngineError::BadState { resource, state }) => {
            let reason = cloud.peering.connection(id).await.ok().flatten().and_then(|c| c.message);
            Err(EngineError::PeeringRefused { connection: resource, state, reason })
        }
        other => other,
    }
}

/// The states a resource is waited through: `ready` ends the wait, `broken` fails the step.
struct Awaited<'a> {
    ready: &'a [&'a str],
    broken: &'a [&'a str],
}

/// `reported`: the state the create call answered with; already ready means no call at all.
async fn poll<F, Fut>(step: &StepId, resource: &str, reported: Option<&str>, wait: WaitPolicy, sink: &ProgressSink, awaited: Awaited<'_>, state: F) -> Result<(), EngineError>
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
        sink(Progress::Waiting { step: step.clone(), resource: resource.to_owned(), state: current.clone(), elapsed_secs: start.elapsed().as_secs() });
        if start.elapsed() >= wait.timeout {
            return Err(EngineError::WaitTimeout { resource: resource.to_owned(), state: current, waited_secs: start.elapsed().as_secs() });
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(wait.longest);
    }
}

/// Removes what the step made. Already gone is success; AWS's request id when a call was made.
pub async fn undo(cloud: &Cloud, step: &Step, output: &Output, wait: WaitPolicy, sink: &ProgressSink) -> Result<Option<String>, EngineError> {
    match (output, &step.action) {
        (Output::Targets { target_group, ips }, Action::RegisterTargets { port, .. }) => Ok(cloud.elb.deregister_targets(target_group, ips, *port).await?),
        (Output::Targets { .. }, other) => Err(EngineError::Internal(format!("step {} registered targets but is {}", step.id, other.iam_action()))),
        _ => remove(cloud, &step.id, output, wait, sink).await,
    }
}

/// Removes a resource by what AWS answered when it was made; `step` names it in progress.
pub async fn remove(cloud: &Cloud, step: &StepId, output: &Output, wait: WaitPolicy, sink: &ProgressSink) -> Result<Option<String>, EngineError> {
    let request_id = match output {
        Output::SecurityGroup { group_id } => {
            // AWS keeps a deleted NLB's network interfaces for a while; the group cannot go
            // until they have.
            retry_while_in_use(step, group_id, wait, sink, || cloud.ec2.delete_security_group(group_id)).await?
        }
        Output::IngressRules { group_id, rule_ids } => cloud.ec2.revoke_ingress(group_id, rule_ids).await?,
        Output::LoadBalancer { arn, .. } => {
            let request_id = cloud.elb.delete_load_balancer(arn).await?;
            poll(step, arn, None, wait, sink, Awaited { ready: &["deleted"], broken: &[] }, || cloud.elb.load_balancer_state(arn)).await?;
            request_id
        }
        Output::LoadBalancerSetting { .. } => None, // goes with the load balancer
        Output::TargetGroup { arn } => retry_while_in_use(step, arn, wait, sink, || cloud.elb.delete_target_group(arn)).await?,
        // Deregistering needs the port, which only the plan knows.
        Output::Targets { .. } => return Err(EngineError::Internal(format!("step {step}'s targets are removed with their plan step"))),
        Output::Listener { arn } => cloud.elb.delete_listener(arn).await?,
        Output::EndpointService { service_id, .. } => cloud.ec2.delete_endpoint_service(service_id).await?,
        Output::Principals { service_id, principals } => cloud.ec2.remove_principals(service_id, principals).await?,
        Output::Role { name, .. } => cloud.iam.delete_role(name).await?,
        Output::InlinePolicy { role, name } => cloud.iam.delete_role_policy(role, name).await?,
        Output::ManagedPolicy { role, policy_arn } => cloud.iam.detach_role_policy(role, policy_arn).await?,
        Output::SessionsDenied { role, name, .. } => cloud.iam.delete_role_policy(role, name).await?,
        Output::Peering { connection_id, .. } => cloud.peering.delete(connection_id).await?,
        Output::Routes { route_table_id, connection_id, cidrs } => cloud.peering.delete_routes(route_table_id, cidrs, connection_id).await?,
        // Goes with the connection.
        Output::PeeringOption { .. } => None,
        // Waited for: its group cannot go while its interface holds it (R20).
        Output::Instance { instance_id, .. } => {
            let request_id = cloud.instances.terminate(instance_id).await?;
            poll(step, instance_id, None, wait, sink, Awaited { ready: &["terminated"], broken: &[] }, || instance_state(cloud, instance_id)).await?;
            request_id
        }
        // Waited until gone: the gateway cannot go while a configuration uses it (R21). Not
        // retried: what holds a configuration is a consumer's endpoint, which a revoke cuts first.
        Output::ResourceConfiguration { arn, configuration_id, .. } => {
            let request_id = cloud.lattice.delete_configuration(arn).await?;
            poll(step, configuration_id, None, wait, sink, Awaited { ready: &["DELETED"], broken: &[] }, || configuration_state(cloud, arn)).await?;
            request_id
        }
        // Waited until gone: its group cannot go while its interfaces hold it. A configuration
        // still using it (one made by hand) does not go by waiting: the error says which.
        Output::ResourceGateway { gateway_id, .. } => {
            let request_id = cloud.lattice.delete_gateway(gateway_id).await?;
            poll(step, gateway_id, None, wait, sink, Awaited { ready: &["DELETED"], broken: &[] }, || gateway_state(cloud, gateway_id)).await?;
            request_id
        }
        Output::ResourceShare { arn, .. } => cloud.sharing.delete_share(arn).await?,
        Output::Function { name, .. } => cloud.functions.delete_function(name).await?,
        Output::EventRule { name, function, .. } => cloud.functions.delete_rule(name, function).await?,
        // A closed trust is not undone: the role it closed goes, or stays closed. A decision
        // on connections is not a resource. An account stays where it was put.
        Output::TrustClosed { .. } | Output::Decision { .. } | Output::AccountParent { .. } => None,
        // Never closed on the way (docs/aws-rules.md R18): only `revoke --close-account` does.
        Output::Account { account_id, .. } => return Err(EngineError::AccountKept { account: account_id.clone() }),
    };
    Ok(request_id)
}

async fn retry_while_in_use<F, Fut>(step: &StepId, resource: &str, wait: WaitPolicy, sink: &ProgressSink, call: F) -> Result<Option<String>, EngineError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>, AwsError>>,
{
    let start = Instant::now();
    let mut pause = wait.first;
    loop {
        match call().await {
            Err(err) if matches!(err.code(), Some("DependencyViolation" | "ResourceInUse")) && start.elapsed() < wait.timeout => {
                sink(Progress::Waiting { step: step.clone(), resource: resource.to_owned(), state: "in use".into(), elapsed_secs: start.elapsed().as_secs() });
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(wait.longest);
            }
            other => return Ok(other?),
        }
    }
}
