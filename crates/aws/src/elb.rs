//! Elastic Load Balancing v2 calls a grant makes: the internal NLB, its TCP target group of
//! type `ip`, the database's addresses as targets, and the listener. Names are unique per
//! account and region, so a name finds what an interrupted run created.

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum, IpAddressType, LoadBalancerAttribute, LoadBalancerSchemeEnum, LoadBalancerTypeEnum,
    ProtocolEnum, Tag, TargetDescription, TargetTypeEnum,
};
use aws_types::request_id::RequestId;

use super::ec2::gone_is_done;
use super::{AwsError, AwsSession, Created};
use vendorlink_model::Outputs;

fn client(session: &AwsSession) -> aws_sdk_elasticloadbalancingv2::Client {
    aws_sdk_elasticloadbalancingv2::Client::new(&session.config)
}

fn elb_tags(tags: &[(String, String)]) -> Option<Vec<Tag>> {
    Some(tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect())
}

fn id_output(id: &str) -> Outputs {
    Outputs::from([("id".to_owned(), id.to_owned())])
}

/// An internal network load balancer with its security group set now (AWS cannot add one to
/// an NLB created without).
pub async fn create_load_balancer(session: &AwsSession, name: &str, subnet_ids: &[String], security_group: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
    let out = client(session)
        .create_load_balancer()
        .name(name)
        .r#type(LoadBalancerTypeEnum::Network)
        .scheme(LoadBalancerSchemeEnum::Internal)
        .ip_address_type(IpAddressType::Ipv4)
        .set_subnets(Some(subnet_ids.to_vec()))
        .security_groups(security_group)
        .set_tags(elb_tags(tags))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:CreateLoadBalancer", session))?;
    let lb = out.load_balancers().first();
    let mut outputs = id_output(lb.and_then(|l| l.load_balancer_arn()).unwrap_or_default());
    outputs.insert("dnsName".into(), lb.and_then(|l| l.dns_name()).unwrap_or_default().to_owned());
    Ok(Created { outputs, request_id: out.request_id().map(str::to_owned) })
}

pub async fn find_load_balancer(session: &AwsSession, name: &str) -> Result<Option<Outputs>, AwsError> {
    match client(session).describe_load_balancers().names(name).send().await {
        Ok(out) => Ok(out.load_balancers().first().map(|lb| {
            let mut outputs = id_output(lb.load_balancer_arn().unwrap_or_default());
            outputs.insert("dnsName".into(), lb.dns_name().unwrap_or_default().to_owned());
            outputs
        })),
        Err(e) => not_found_is_none(AwsError::from_sdk(e, "elasticloadbalancing:DescribeLoadBalancers", session)),
    }
}

/// `provisioning`, `active`, `failed`... or `deleted` once it is gone.
pub async fn load_balancer_state(session: &AwsSession, arn: &str) -> Result<String, AwsError> {
    match client(session).describe_load_balancers().load_balancer_arns(arn).send().await {
        Ok(out) => Ok(out.load_balancers().first().and_then(|lb| lb.state()).and_then(|s| s.code()).map(|c| c.as_str().to_owned()).unwrap_or_else(|| "deleted".into())),
        Err(e) => match AwsError::from_sdk(e, "elasticloadbalancing:DescribeLoadBalancers", session) {
            err if err.is_not_found() => Ok("deleted".into()),
            err => Err(err),
        },
    }
}

pub async fn delete_load_balancer(session: &AwsSession, arn: &str) -> Result<Option<String>, AwsError> {
    match client(session).delete_load_balancer().load_balancer_arn(arn).send().await {
        Ok(out) => Ok(out.request_id().map(str::to_owned)),
        Err(e) => gone_is_done(AwsError::from_sdk(e, "elasticloadbalancing:DeleteLoadBalancer", session)),
    }
}

/// Cross-zone load balancing, so every zone's endpoint reaches the database wherever it runs.
pub async fn enable_cross_zone(session: &AwsSession, arn: &str) -> Result<Created, AwsError> {
    let out = client(session)
        .modify_load_balancer_attributes()
        .load_balancer_arn(arn)
        .attributes(LoadBalancerAttribute::builder().key("load_balancing.cross_zone.enabled").value("true").build())
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:ModifyLoadBalancerAttributes", session))?;
    Ok(Created { outputs: id_output(arn), request_id: out.request_id().map(str::to_owned) })
}

/// Sets the NLB's one security group and whether its inbound rules apply to PrivateLink
/// traffic (docs/aws-rules.md R1): `on`, AWS's default, checks PrivateLink traffic by the
/// client's address in the vendor's VPC. Setting the same values again changes nothing.
pub async fn set_security_groups(session: &AwsSession, arn: &str, security_group: &str, enforce_on_private_link: bool) -> Result<Created, AwsError> {
    let setting =
        if enforce_on_private_link { EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum::On } else { EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum::Off };
    let out = client(session)
        .set_security_groups()
        .load_balancer_arn(arn)
        .security_groups(security_group)
        .enforce_security_group_inbound_rules_on_private_link_traffic(setting)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:SetSecurityGroups", session))?;
    let mut outputs = id_output(arn);
    outputs.insert(PRIVATE_LINK_INBOUND_RULES.into(), out.enforce_security_group_inbound_rules_on_private_link_traffic().map(|e| e.as_str().to_owned()).unwrap_or_default());
    Ok(Created { outputs, request_id: out.request_id().map(str::to_owned) })
}

/// The output key holding `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic` as AWS reported it.
pub const PRIVATE_LINK_INBOUND_RULES: &str = "privateLinkInboundRules";

/// The NLB's `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic` (`on` / `off`); `None`
/// when the load balancer is gone or has no security group.
pub async fn private_link_inbound_rules(session: &AwsSession, arn: &str) -> Result<Option<String>, AwsError> {
    match client(session).describe_load_balancers().load_balancer_arns(arn).send().await {
        Ok(out) => Ok(out.load_balancers().first().and_then(|lb| lb.enforce_security_group_inbound_rules_on_private_link_traffic()).map(str::to_owned)),
        Err(e) => not_found_is_none(AwsError::from_sdk(e, "elasticloadbalancing:DescribeLoadBalancers", session)),
    }
}

pub async fn create_target_group(session: &AwsSession, name: &str, vpc_id: &str, port: u16, tags: &[(String, String)]) -> Result<Created, AwsError> {
    let out = client(session)
        .create_target_group()
        .name(name)
        .protocol(ProtocolEnum::Tcp)
        .port(i32::from(port))
        .vpc_id(vpc_id)
        .target_type(TargetTypeEnum::Ip)
        .health_check_protocol(ProtocolEnum::Tcp)
        .set_tags(elb_tags(tags))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:CreateTargetGroup", session))?;
    let arn = out.target_groups().first().and_then(|t| t.target_group_arn()).unwrap_or_default();
    Ok(Created { outputs: id_output(arn), request_id: out.request_id().map(str::to_owned) })
}

pub async fn find_target_group(session: &AwsSession, name: &str) -> Result<Option<Outputs>, AwsError> {
    match client(session).describe_target_groups().names(name).send().await {
        Ok(out) => Ok(out.target_groups().first().and_then(|t| t.target_group_arn()).map(id_output)),
        Err(e) => not_found_is_none(AwsError::from_sdk(e, "elasticloadbalancing:DescribeTargetGroups", session)),
    }
}

pub async fn delete_target_group(session: &AwsSession, arn: &str) -> Result<Option<String>, AwsError> {
    match client(session).delete_target_group().target_group_arn(arn).send().await {
        Ok(out) => Ok(out.request_id().map(str::to_owned)),
        Err(e) => gone_is_done(AwsError::from_sdk(e, "elasticloadbalancing:DeleteTargetGroup", session)),
    }
}

fn targets(ips: &[String], port: u16) -> Option<Vec<TargetDescription>> {
    Some(ips.iter().map(|ip| TargetDescription::builder().id(ip).port(i32::from(port)).build()).collect())
}

/// Registering a target twice is a no-op in ELB, so this is safe to repeat.
pub async fn register_targets(session: &AwsSession, target_group: &str, ips: &[String], port: u16) -> Result<Created, AwsError> {
    let out = client(session)
        .register_targets()
        .target_group_arn(target_group)
        .set_targets(targets(ips, port))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:RegisterTargets", session))?;
    let mut outputs = id_output(target_group);
    outputs.insert("targets".into(), ips.join(","));
    Ok(Created { outputs, request_id: out.request_id().map(str::to_owned) })
}

pub async fn deregister_targets(session: &AwsSession, target_group: &str, ips: &[String], port: u16) -> Result<Option<String>, AwsError> {
    match client(session).deregister_targets().target_group_arn(target_group).set_targets(targets(ips, port)).send().await {
        Ok(out) => Ok(out.request_id().map(str::to_owned)),
        // A target that was never registered (the register call failed) is as good as removed.
        Err(e) => match AwsError::from_sdk(e, "elasticloadbalancing:DeregisterTargets", session) {
            err if err.code() == Some("InvalidTarget") => Ok(None),
            err => gone_is_done(err),
        },
    }
}

/// The IPs registered in a target group.
pub async fn registered_targets(session: &AwsSession, target_group: &str) -> Result<Vec<String>, AwsError> {
    let out = client(session)
        .describe_target_health()
        .target_group_arn(target_group)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:DescribeTargetHealth", session))?;
    Ok(out.target_health_descriptions().iter().filter_map(|d| d.target().and_then(|t| t.id()).map(str::to_owned)).collect())
}

pub async fn create_listener(session: &AwsSession, load_balancer: &str, target_group: &str, port: u16, tags: &[(String, String)]) -> Result<Created, AwsError> {
    let out = client(session)
        .create_listener()
        .load_balancer_arn(load_balancer)
        .protocol(ProtocolEnum::Tcp)
        .port(i32::from(port))
        .default_actions(Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(target_group).build())
        .set_tags(elb_tags(tags))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:CreateListener", session))?;
    let arn = out.listeners().first().and_then(|l| l.listener_arn()).unwrap_or_default();
    Ok(Created { outputs: id_output(arn), request_id: out.request_id().map(str::to_owned) })
}

/// A load balancer has at most one listener per port.
pub async fn find_listener(session: &AwsSession, load_balancer: &str, port: u16) -> Result<Option<Outputs>, AwsError> {
    match client(session).describe_listeners().load_balancer_arn(load_balancer).send().await {
        Ok(out) => Ok(out.listeners().iter().find(|l| l.port() == Some(i32::from(port))).and_then(|l| l.listener_arn()).map(id_output)),
        Err(e) => not_found_is_none(AwsError::from_sdk(e, "elasticloadbalancing:DescribeListeners", session)),
    }
}

pub async fn delete_listener(session: &AwsSession, arn: &str) -> Result<Option<String>, AwsError> {
    match client(session).delete_listener().listener_arn(arn).send().await {
        Ok(out) => Ok(out.request_id().map(str::to_owned)),
        Err(e) => gone_is_done(AwsError::from_sdk(e, "elasticloadbalancing:DeleteListener", session)),
    }
}

/// For lookups: "not found" means there is nothing to adopt.
fn not_found_is_none<T>(err: AwsError) -> Result<Option<T>, AwsError> {
    if err.is_not_found() {
        Ok(None)
    } else {
        Err(err)
    }
}

/// The AZ names a load balancer has a node in.
pub async fn load_balancer_zones(session: &AwsSession, arn: &str) -> Result<Vec<String>, AwsError> {
    let out =
        client(session).describe_load_balancers().load_balancer_arns(arn).send().await.map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:DescribeLoadBalancers", session))?;
    Ok(out.load_balancers().iter().flat_map(|lb| lb.availability_zones()).filter_map(|z| z.zone_name().map(str::to_owned)).collect())
}
