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
use async_trait::async_trait;
use vendorlink_model::Output;

fn elb_tags(tags: &[(String, String)]) -> Option<Vec<Tag>> {
    Some(tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect())
}

/// Elastic Load Balancing v2 with one SDK client for the session.
#[derive(Debug, Clone)]
pub struct Elb {
    client: aws_sdk_elasticloadbalancingv2::Client,
    session: AwsSession,
}

impl Elb {
    pub fn new(session: &AwsSession) -> Self {
        Elb { client: aws_sdk_elasticloadbalancingv2::Client::new(&session.config), session: session.clone() }
    }
}

#[async_trait]
pub trait ElbApi: Send + Sync {
    /// An internal network load balancer with its security group set now (AWS cannot add one to
    /// an NLB created without).
    async fn create_load_balancer(&self, name: &str, subnet_ids: &[String], security_group: &str, tags: &[(String, String)]) -> Result<Created, AwsError>;
    async fn find_load_balancer(&self, name: &str) -> Result<Option<Output>, AwsError>;
    /// `provisioning`, `active`, `failed`... or `deleted` once it is gone.
    async fn load_balancer_state(&self, arn: &str) -> Result<String, AwsError>;
    async fn delete_load_balancer(&self, arn: &str) -> Result<Option<String>, AwsError>;
    /// Cross-zone load balancing, so every zone's endpoint reaches the database wherever it runs.
    async fn enable_cross_zone(&self, arn: &str) -> Result<Created, AwsError>;
    /// Sets the NLB's one security group and whether its inbound rules apply to PrivateLink
    /// traffic (docs/aws-rules.md R1): `on`, AWS's default, checks PrivateLink traffic by the
    /// client's address in the vendor's VPC. Setting the same values again changes nothing.
    async fn set_security_groups(&self, arn: &str, security_group: &str, enforce_on_private_link: bool) -> Result<Created, AwsError>;
    /// The NLB's `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic` (`on` / `off`); `None`
    /// when the load balancer is gone or has no security group.
    async fn private_link_inbound_rules(&self, arn: &str) -> Result<Option<String>, AwsError>;
    async fn create_target_group(&self, name: &str, vpc_id: &str, port: u16, tags: &[(String, String)]) -> Result<Created, AwsError>;
    async fn find_target_group(&self, name: &str) -> Result<Option<Output>, AwsError>;
    async fn delete_target_group(&self, arn: &str) -> Result<Option<String>, AwsError>;
    /// Registering a target twice is a no-op in ELB, so this is safe to repeat.
    async fn register_targets(&self, target_group: &str, ips: &[String], port: u16) -> Result<Created, AwsError>;
    async fn deregister_targets(&self, target_group: &str, ips: &[String], port: u16) -> Result<Option<String>, AwsError>;
    /// The IPs registered in a target group.
    async fn registered_targets(&self, target_group: &str) -> Result<Vec<String>, AwsError>;
    async fn create_listener(&self, load_balancer: &str, target_group: &str, port: u16, tags: &[(String, String)]) -> Result<Created, AwsError>;
    /// A load balancer has at most one listener per port.
    async fn find_listener(&self, load_balancer: &str, port: u16) -> Result<Option<Output>, AwsError>;
    async fn delete_listener(&self, arn: &str) -> Result<Option<String>, AwsError>;
    /// The AZ names a load balancer has a node in.
    async fn load_balancer_zones(&self, arn: &str) -> Result<Vec<String>, AwsError>;
}

#[async_trait]
impl ElbApi for Elb {
    async fn create_load_balancer(&self, name: &str, subnet_ids: &[String], security_group: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        let out = self
            .client
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
            .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:CreateLoadBalancer", &self.session))?;
        let lb = out.load_balancers().first();
        let output = Output::LoadBalancer {
            arn: lb.and_then(|l| l.load_balancer_arn()).unwrap_or_default().to_owned(),
            dns_name: lb.and_then(|l| l.dns_name()).unwrap_or_default().to_owned(),
            state: lb.and_then(|l| l.state()).and_then(|s| s.code()).map(|c| c.as_str().to_owned()),
        };
        Ok(Created { output, request_id: out.request_id().map(str::to_owned) })
    }
    async fn find_load_balancer(&self, name: &str) -> Result<Option<Output>, AwsError> {
        match self.client.describe_load_balancers().names(name).send().await {
            Ok(out) => Ok(out.load_balancers().first().map(|lb| Output::LoadBalancer {
                arn: lb.load_balancer_arn().unwrap_or_default().to_owned(),
                dns_name: lb.dns_name().unwrap_or_default().to_owned(),
                state: None,
            })),
            Err(e) => not_found_is_none(AwsError::from_sdk(e, "elasticloadbalancing:DescribeLoadBalancers", &self.session)),
        }
    }
    async fn load_balancer_state(&self, arn: &str) -> Result<String, AwsError> {
        match self.client.describe_load_balancers().load_balancer_arns(arn).send().await {
            Ok(out) => Ok(out.load_balancers().first().and_then(|lb| lb.state()).and_then(|s| s.code()).map(|c| c.as_str().to_owned()).unwrap_or_else(|| "deleted".into())),
            Err(e) => match AwsError::from_sdk(e, "elasticloadbalancing:DescribeLoadBalancers", &self.session) {
                err if err.is_not_found() => Ok("deleted".into()),
                err => Err(err),
            },
        }
    }
    async fn delete_load_balancer(&self, arn: &str) -> Result<Option<String>, AwsError> {
        match self.client.delete_load_balancer().load_balancer_arn(arn).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => gone_is_done(AwsError::from_sdk(e, "elasticloadbalancing:DeleteLoadBalancer", &self.session)),
        }
    }
    async fn enable_cross_zone(&self, arn: &str) -> Result<Created, AwsError> {
        let out = self
            .client
            .modify_load_balancer_attributes()
            .load_balancer_arn(arn)
            .attributes(LoadBalancerAttribute::builder().key("load_balancing.cross_zone.enabled").value("true").build())
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:ModifyLoadBalancerAttributes", &self.session))?;
        Ok(Created { output: Output::LoadBalancerSetting { load_balancer: arn.to_owned() }, request_id: out.request_id().map(str::to_owned) })
    }
    async fn set_security_groups(&self, arn: &str, security_group: &str, enforce_on_private_link: bool) -> Result<Created, AwsError> {
        let setting =
            if enforce_on_private_link { EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum::On } else { EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum::Off };
        let out = self
            .client
            .set_security_groups()
            .load_balancer_arn(arn)
            .security_groups(security_group)
            .enforce_security_group_inbound_rules_on_private_link_traffic(setting)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:SetSecurityGroups", &self.session))?;
        Ok(Created { output: Output::LoadBalancerSetting { load_balancer: arn.to_owned() }, request_id: out.request_id().map(str::to_owned) })
    }
    async fn private_link_inbound_rules(&self, arn: &str) -> Result<Option<String>, AwsError> {
        match self.client.describe_load_balancers().load_balancer_arns(arn).send().await {
            Ok(out) => Ok(out.load_balancers().first().and_then(|lb| lb.enforce_security_group_inbound_rules_on_private_link_traffic()).map(str::to_owned)),
            Err(e) => not_found_is_none(AwsError::from_sdk(e, "elasticloadbalancing:DescribeLoadBalancers", &self.session)),
        }
    }
    async fn create_target_group(&self, name: &str, vpc_id: &str, port: u16, tags: &[(String, String)]) -> Result<Created, AwsError> {
        let out = self
            .client
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
            .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:CreateTargetGroup", &self.session))?;
        let arn = out.target_groups().first().and_then(|t| t.target_group_arn()).unwrap_or_default().to_owned();
        Ok(Created { output: Output::TargetGroup { arn }, request_id: out.request_id().map(str::to_owned) })
    }
    async fn find_target_group(&self, name: &str) -> Result<Option<Output>, AwsError> {
        match self.client.describe_target_groups().names(name).send().await {
            Ok(out) => Ok(out.target_groups().first().and_then(|t| t.target_group_arn()).map(|arn| Output::TargetGroup { arn: arn.to_owned() })),
            Err(e) => not_found_is_none(AwsError::from_sdk(e, "elasticloadbalancing:DescribeTargetGroups", &self.session)),
        }
    }
    async fn delete_target_group(&self, arn: &str) -> Result<Option<String>, AwsError> {
        match self.client.delete_target_group().target_group_arn(arn).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => gone_is_done(AwsError::from_sdk(e, "elasticloadbalancing:DeleteTargetGroup", &self.session)),
        }
    }
    async fn register_targets(&self, target_group: &str, ips: &[String], port: u16) -> Result<Created, AwsError> {
        let out = self
            .client
            .register_targets()
            .target_group_arn(target_group)
            .set_targets(targets(ips, port))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:RegisterTargets", &self.session))?;
        Ok(Created { output: Output::Targets { target_group: target_group.to_owned(), ips: ips.to_vec() }, request_id: out.request_id().map(str::to_owned) })
    }
    async fn deregister_targets(&self, target_group: &str, ips: &[String], port: u16) -> Result<Option<String>, AwsError> {
        match self.client.deregister_targets().target_group_arn(target_group).set_targets(targets(ips, port)).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            // A target that was never registered (the register call failed) is as good as removed.
            Err(e) => match AwsError::from_sdk(e, "elasticloadbalancing:DeregisterTargets", &self.session) {
                err if err.code() == Some("InvalidTarget") => Ok(None),
                err => gone_is_done(err),
            },
        }
    }
    async fn registered_targets(&self, target_group: &str) -> Result<Vec<String>, AwsError> {
        let out = self
            .client
            .describe_target_health()
            .target_group_arn(target_group)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:DescribeTargetHealth", &self.session))?;
        Ok(out.target_health_descriptions().iter().filter_map(|d| d.target().and_then(|t| t.id()).map(str::to_owned)).collect())
    }
    async fn create_listener(&self, load_balancer: &str, target_group: &str, port: u16, tags: &[(String, String)]) -> Result<Created, AwsError> {
        let out = self
            .client
            .create_listener()
            .load_balancer_arn(load_balancer)
            .protocol(ProtocolEnum::Tcp)
            .port(i32::from(port))
            .default_actions(Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(target_group).build())
            .set_tags(elb_tags(tags))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:CreateListener", &self.session))?;
        let arn = out.listeners().first().and_then(|l| l.listener_arn()).unwrap_or_default().to_owned();
        Ok(Created { output: Output::Listener { arn }, request_id: out.request_id().map(str::to_owned) })
    }
    async fn find_listener(&self, load_balancer: &str, port: u16) -> Result<Option<Output>, AwsError> {
        match self.client.describe_listeners().load_balancer_arn(load_balancer).send().await {
            Ok(out) => Ok(out.listeners().iter().find(|l| l.port() == Some(i32::from(port))).and_then(|l| l.listener_arn()).map(|arn| Output::Listener { arn: arn.to_owned() })),
            Err(e) => not_found_is_none(AwsError::from_sdk(e, "elasticloadbalancing:DescribeListeners", &self.session)),
        }
    }
    async fn delete_listener(&self, arn: &str) -> Result<Option<String>, AwsError> {
        match self.client.delete_listener().listener_arn(arn).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => gone_is_done(AwsError::from_sdk(e, "elasticloadbalancing:DeleteListener", &self.session)),
        }
    }
    async fn load_balancer_zones(&self, arn: &str) -> Result<Vec<String>, AwsError> {
        let out = self
            .client
            .describe_load_balancers()
            .load_balancer_arns(arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:DescribeLoadBalancers", &self.session))?;
        Ok(out.load_balancers().iter().flat_map(|lb| lb.availability_zones()).filter_map(|z| z.zone_name().map(str::to_owned)).collect())
    }
}

fn targets(ips: &[String], port: u16) -> Option<Vec<TargetDescription>> {
    Some(ips.iter().map(|ip| TargetDescription::builder().id(ip).port(i32::from(port)).build()).collect())
}

/// For lookups: "not found" means there is nothing to adopt.
fn not_found_is_none<T>(err: AwsError) -> Result<Option<T>, AwsError> {
    if err.is_not_found() {
        Ok(None)
    } else {
        Err(err)
    }
}
