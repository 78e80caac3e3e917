//! The fake's load balancers, target groups, targets and listeners.

use super::*;

#[async_trait]
impl ElbApi for FakeCloud {
    async fn create_load_balancer(&self, name: &str, subnet_ids: &[String], security_group: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:CreateLoadBalancer";
            s.call(action, name)?;
            if s.balancers.values().any(|b| b.name == name) {
                return Err(service_error(action, "DuplicateLoadBalancerName", format!("A load balancer with the name '{name}' already exists")));
            }
            if !s.groups.contains_key(security_group) {
                return Err(service_error(action, "InvalidSecurityGroup", format!("Security group '{security_group}' does not exist")));
            }
            let n = s.new_id("");
            let arn = format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/net/{name}/{n}");
            let dns_name = format!("{name}-{n}.elb.{REGION}.amazonaws.com");
            let zones = (b'a'..=b'z').zip(subnet_ids).map(|(letter, _)| format!("{REGION}{}", char::from(letter))).collect();
            s.balancers.insert(
                arn.clone(),
                Balancer {
                    name: name.to_owned(),
                    dns_name: dns_name.clone(),
                    state: "provisioning".to_owned(),
                    security_group: security_group.to_owned(),
                    enforce_on_private_link: "on".to_owned(),
                    cross_zone: false,
                    zones,
                    tags: tags.to_vec(),
                },
            );
            Ok(Created { output: Output::LoadBalancer { arn, dns_name, state: Some("provisioning".to_owned()) }, request_id: s.request_id() })
        })
    }

    async fn find_load_balancer(&self, name: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DescribeLoadBalancers", name)?;
            Ok(s.balancers.iter().find(|(_, b)| b.name == name).map(|(arn, b)| Output::LoadBalancer { arn: arn.clone(), dns_name: b.dns_name.clone(), state: None }))
        })
    }

    async fn load_balancer_state(&self, arn: &str) -> Result<String, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DescribeLoadBalancers", arn)?;
            Ok(match s.balancers.get_mut(arn) {
                None => "deleted".to_owned(),
                Some(balancer) => {
                    // AWS takes minutes; the fake's first look finds it provisioned.
                    if balancer.state == "provisioning" {
                        balancer.state = "active".to_owned();
                    }
                    balancer.state.clone()
                }
            })
        })
    }

    async fn delete_load_balancer(&self, arn: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:DeleteLoadBalancer";
            s.call(action, arn)?;
            if !s.balancers.contains_key(arn) {
                return Ok(None);
            }
            if s.services.values().any(|svc| svc.load_balancer == arn) {
                return Err(service_error(action, "ResourceInUse", format!("Load balancer '{arn}' cannot be deleted because it is currently associated with another service")));
            }
            s.balancers.remove(arn);
            // Its listeners go with it.
            s.listeners.retain(|_, l| l.load_balancer != arn);
            Ok(s.request_id())
        })
    }

    async fn enable_cross_zone(&self, arn: &str) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:ModifyLoadBalancerAttributes";
            s.call(action, arn)?;
            let Some(balancer) = s.balancers.get_mut(arn) else { return Err(balancer_not_found(action, arn)) };
            balancer.cross_zone = true;
            Ok(Created { output: Output::LoadBalancerSetting { load_balancer: arn.to_owned() }, request_id: s.request_id() })
        })
    }

    async fn set_security_groups(&self, arn: &str, security_group: &str, enforce_on_private_link: bool) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:SetSecurityGroups";
            s.call(action, arn)?;
            if !s.groups.contains_key(security_group) {
                return Err(service_error(action, "InvalidSecurityGroup", format!("Security group '{security_group}' does not exist")));
            }
            let Some(balancer) = s.balancers.get_mut(arn) else { return Err(balancer_not_found(action, arn)) };
            balancer.security_group = security_group.to_owned();
            balancer.enforce_on_private_link = if enforce_on_private_link { "on" } else { "off" }.to_owned();
            Ok(Created { output: Output::LoadBalancerSetting { load_balancer: arn.to_owned() }, request_id: s.request_id() })
        })
    }

    async fn private_link_inbound_rules(&self, arn: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DescribeLoadBalancers", arn)?;
            Ok(s.balancers.get(arn).map(|b| b.enforce_on_private_link.clone()))
        })
    }

    async fn create_target_group(&self, name: &str, _vpc_id: &str, _port: u16, tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:CreateTargetGroup";
            s.call(action, name)?;
            if s.target_groups.values().any(|t| t.name == name) {
                return Err(service_error(action, "DuplicateTargetGroupName", format!("A target group with the name '{name}' already exists")));
            }
            let n = s.new_id("");
            let arn = format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{name}/{n}");
            s.target_groups.insert(arn.clone(), TargetGroup { name: name.to_owned(), targets: Vec::new(), tags: tags.to_vec() });
            Ok(Created { output: Output::TargetGroup { arn }, request_id: s.request_id() })
        })
    }

    async fn find_target_group(&self, name: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DescribeTargetGroups", name)?;
            Ok(s.target_groups.iter().find(|(_, t)| t.name == name).map(|(arn, _)| Output::TargetGroup { arn: arn.clone() }))
        })
    }

    async fn delete_target_group(&self, arn: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:DeleteTargetGroup";
            s.call(action, arn)?;
            if !s.target_groups.contains_key(arn) {
                return Ok(None);
            }
            if s.listeners.values().any(|l| l.target_group == arn) {
                return Err(service_error(action, "ResourceInUse", format!("Target group '{arn}' is currently in use by a listener or a rule")));
            }
            s.target_groups.remove(arn);
            Ok(s.request_id())
        })
    }

    async fn register_targets(&self, target_group: &str, ips: &[String], _port: u16) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:RegisterTargets";
            s.call(action, target_group)?;
            let Some(group) = s.target_groups.get_mut(target_group) else { return Err(target_group_not_found(action, target_group)) };
            for ip in ips {
                if !group.targets.contains(ip) {
                    group.targets.push(ip.clone());
                }
            }
            Ok(Created { output: Output::Targets { target_group: target_group.to_owned(), ips: ips.to_vec() }, request_id: s.request_id() })
        })
    }

    async fn deregister_targets(&self, target_group: &str, ips: &[String], _port: u16) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DeregisterTargets", target_group)?;
            let Some(group) = s.target_groups.get_mut(target_group) else { return Ok(None) };
            group.targets.retain(|ip| !ips.contains(ip));
            Ok(s.request_id())
        })
    }

    async fn registered_targets(&self, target_group: &str) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:DescribeTargetHealth";
            s.call(action, target_group)?;
            s.target_groups.get(target_group).map(|t| t.targets.clone()).ok_or_else(|| target_group_not_found(action, target_group))
        })
    }

    async fn create_listener(&self, load_balancer: &str, target_group: &str, port: u16, _tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:CreateListener";
            s.call(action, load_balancer)?;
            if !s.balancers.contains_key(load_balancer) {
                return Err(balancer_not_found(action, load_balancer));
            }
            if !s.target_groups.contains_key(target_group) {
                return Err(target_group_not_found(action, target_group));
            }
            if s.listeners.values().any(|l| l.load_balancer == load_balancer && l.port == port) {
                return Err(service_error(action, "DuplicateListener", format!("A listener already exists on port {port} of {load_balancer}")));
            }
            let n = s.new_id("");
            let arn = format!("{}/{n}", load_balancer.replacen(":loadbalancer/", ":listener/", 1));
            s.listeners.insert(arn.clone(), Listener { load_balancer: load_balancer.to_owned(), target_group: target_group.to_owned(), port });
            Ok(Created { output: Output::Listener { arn }, request_id: s.request_id() })
        })
    }

    async fn find_listener(&self, load_balancer: &str, port: u16) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DescribeListeners", load_balancer)?;
            Ok(s.listeners.iter().find(|(_, l)| l.load_balancer == load_balancer && l.port == port).map(|(arn, _)| Output::Listener { arn: arn.clone() }))
        })
    }

    async fn delete_listener(&self, arn: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DeleteListener", arn)?;
            Ok(if s.listeners.remove(arn).is_some() { s.request_id() } else { None })
        })
    }

    async fn load_balancer_zones(&self, arn: &str) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:DescribeLoadBalancers";
            s.call(action, arn)?;
            s.balancers.get(arn).map(|b| b.zones.clone()).ok_or_else(|| balancer_not_found(action, arn))
        })
    }
}
