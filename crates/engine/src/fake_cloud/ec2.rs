//! The fake's EC2: security groups and rules, endpoint services, principals, connections.

use super::*;

#[async_trait]
impl Ec2Api for FakeCloud {
    async fn create_security_group(&self, name: &str, _description: &str, vpc_id: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "ec2:CreateSecurityGroup";
            s.call(action, name)?;
            if s.groups.values().any(|g| g.vpc_id == vpc_id && g.name == name) {
                return Err(service_error(action, "InvalidGroup.Duplicate", format!("The security group '{name}' already exists for VPC '{vpc_id}'")));
            }
            let group_id = s.new_id("sg-");
            s.groups.insert(group_id.clone(), Group { vpc_id: vpc_id.to_owned(), name: name.to_owned(), tags: tags.to_vec() });
            Ok(Created { output: Output::SecurityGroup { group_id }, request_id: s.request_id() })
        })
    }

    async fn find_security_group(&self, vpc_id: &str, name: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeSecurityGroups", name)?;
            Ok(s.groups.iter().find(|(_, g)| g.vpc_id == vpc_id && g.name == name).map(|(id, _)| Output::SecurityGroup { group_id: id.clone() }))
        })
    }

    async fn delete_security_group(&self, group_id: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "ec2:DeleteSecurityGroup";
            s.call(action, group_id)?;
            if !s.groups.contains_key(group_id) {
                return Ok(None);
            }
            let used_by_balancer = s.balancers.values().any(|b| b.security_group == group_id);
            let referenced = s.rules.values().any(|r| r.group_id != group_id && r.source_group.as_deref() == Some(group_id));
            if used_by_balancer || referenced {
                return Err(service_error(action, "DependencyViolation", format!("resource {group_id} has a dependent object")));
            }
            s.groups.remove(group_id);
            s.rules.retain(|_, r| r.group_id != group_id);
            Ok(s.request_id())
        })
    }

    async fn authorize_ingress(&self, group_id: &str, port: u16, sources: &[Source], description: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "ec2:AuthorizeSecurityGroupIngress";
            s.call(action, description)?;
            if !s.groups.contains_key(group_id) {
                return Err(service_error(action, "InvalidGroup.NotFound", format!("The security group '{group_id}' does not exist")));
            }
            let wanted: Vec<(Option<String>, Option<String>)> = sources.iter().map(source_parts).collect();
            for (cidr, source_group) in &wanted {
                if let Some(source) = source_group {
                    if !s.groups.contains_key(source) {
                        return Err(service_error(action, "InvalidGroup.NotFound", format!("The security group '{source}' does not exist")));
                    }
                }
                if s.rules.values().any(|r| r.group_id == group_id && r.port == port && r.cidr == *cidr && r.source_group == *source_group) {
                    return Err(service_error(action, "InvalidPermission.Duplicate", format!("the specified rule already exists on {group_id}")));
                }
            }
            let mut rule_ids = Vec::new();
            for (cidr, source_group) in wanted {
                let id = s.new_id("sgr-");
                s.rules.insert(id.clone(), Rule { group_id: group_id.to_owned(), port, cidr, source_group, description: description.to_owned(), tags: tags.to_vec() });
                rule_ids.push(id);
            }
            Ok(Created { output: Output::IngressRules { group_id: group_id.to_owned(), rule_ids }, request_id: s.request_id() })
        })
    }

    async fn find_ingress(&self, group_id: &str, port: u16, sources: &[Source], grant_id: &str, description: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeSecurityGroupRules", group_id)?;
            let rule_ids: Vec<String> = s
                .rules
                .iter()
                .filter(|(_, r)| r.group_id == group_id && r.port == port)
                .filter(|(_, r)| sources.iter().map(source_parts).any(|(cidr, group)| r.cidr == cidr && r.source_group == group))
                .filter(|(_, r)| r.description == description || tag(&r.tags, GRANT_TAG).as_deref() == Some(grant_id))
                .map(|(id, _)| id.clone())
                .collect();
            Ok((!rule_ids.is_empty()).then(|| Output::IngressRules { group_id: group_id.to_owned(), rule_ids }))
        })
    }

    async fn revoke_ingress(&self, group_id: &str, rule_ids: &[String]) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("ec2:RevokeSecurityGroupIngress", group_id)?;
            let before = s.rules.len();
            s.rules.retain(|id, r| r.group_id != group_id || !rule_ids.contains(id));
            Ok(if s.rules.len() < before { s.request_id() } else { None })
        })
    }

    async fn create_endpoint_service(
        &self,
        load_balancer_arn: &str,
        acceptance_required: bool,
        supported_regions: &[String],
        client_token: &str,
        tags: &[(String, String)],
    ) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "ec2:CreateVpcEndpointServiceConfiguration";
            s.call(action, load_balancer_arn)?;
            // The client token makes a repeated call answer with the service it made.
            let existing = s.services.iter().find(|(_, svc)| svc.client_token == client_token).map(|(id, svc)| Output::EndpointService {
                service_id: id.clone(),
                service_name: svc.name.clone(),
                state: Some(svc.state.clone()),
            });
            if let Some(output) = existing {
                return Ok(Created { output, request_id: s.request_id() });
            }
            if !s.balancers.contains_key(load_balancer_arn) {
                return Err(service_error(action, "InvalidParameter", format!("Load balancer {load_balancer_arn} does not exist")));
            }
            let service_id = s.new_id("vpce-svc-");
            let service_name = format!("com.amazonaws.vpce.{REGION}.{service_id}");
            s.services.insert(
                service_id.clone(),
                Service {
                    load_balancer: load_balancer_arn.to_owned(),
                    name: service_name.clone(),
                    state: "Available".to_owned(),
                    acceptance_required,
                    supported_regions: supported_regions.to_vec(),
                    principals: Vec::new(),
                    connections: Vec::new(),
                    client_token: client_token.to_owned(),
                    tags: tags.to_vec(),
                },
            );
            Ok(Created { output: Output::EndpointService { service_id, service_name, state: Some("Available".to_owned()) }, request_id: s.request_id() })
        })
    }

    async fn find_endpoint_service(&self, grant_id: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeVpcEndpointServiceConfigurations", grant_id)?;
            Ok(s.services.iter().find(|(_, svc)| tag(&svc.tags, GRANT_TAG).as_deref() == Some(grant_id)).map(|(id, svc)| Output::EndpointService {
                service_id: id.clone(),
                service_name: svc.name.clone(),
                state: None,
            }))
        })
    }

    async fn endpoint_service_state(&self, service_id: &str) -> Result<String, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeVpcEndpointServiceConfigurations", service_id)?;
            Ok(s.services.get(service_id).map(|svc| svc.state.clone()).unwrap_or_else(|| "Deleted".to_owned()))
        })
    }

    async fn delete_endpoint_service(&self, service_id: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "ec2:DeleteVpcEndpointServiceConfigurations";
            s.call(action, service_id)?;
            let Some(service) = s.services.get(service_id) else { return Ok(None) };
            if service.connections.iter().any(|c| carries_traffic(&c.state)) {
                return Err(service_error(action, "ExistingVpcEndpointConnections", format!("Service {service_id} has existing endpoint connections")));
            }
            s.services.remove(service_id);
            Ok(s.request_id())
        })
    }

    async fn allow_principals(&self, service_id: &str, principals: &[String]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "ec2:ModifyVpcEndpointServicePermissions";
            s.call(action, service_id)?;
            let Some(service) = s.services.get_mut(service_id) else { return Err(service_not_found(action, service_id)) };
            for principal in principals {
                if !service.principals.contains(principal) {
                    service.principals.push(principal.clone());
                }
            }
            Ok(Created { output: Output::Principals { service_id: service_id.to_owned(), principals: principals.to_vec() }, request_id: s.request_id() })
        })
    }

    async fn allowed_principals(&self, service_id: &str) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            let action = "ec2:DescribeVpcEndpointServicePermissions";
            s.call(action, service_id)?;
            s.services.get(service_id).map(|svc| svc.principals.clone()).ok_or_else(|| service_not_found(action, service_id))
        })
    }

    async fn remove_principals(&self, service_id: &str, principals: &[String]) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("ec2:ModifyVpcEndpointServicePermissions", service_id)?;
            let Some(service) = s.services.get_mut(service_id) else { return Ok(None) };
            service.principals.retain(|p| !principals.contains(p));
            Ok(s.request_id())
        })
    }

    async fn endpoint_connections(&self, service_id: &str) -> Result<Vec<Connection>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeVpcEndpointConnections", service_id)?;
            Ok(s.services.get(service_id).map(|svc| svc.connections.clone()).unwrap_or_default())
        })
    }

    async fn accept_connections(&self, service_id: &str, endpoint_ids: &[String]) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "ec2:AcceptVpcEndpointConnections";
            s.call(action, service_id)?;
            let Some(service) = s.services.get_mut(service_id) else { return Err(service_not_found(action, service_id)) };
            for connection in service.connections.iter_mut().filter(|c| endpoint_ids.contains(&c.endpoint_id) && c.state == "pendingAcceptance") {
                connection.state = "available".to_owned();
            }
            Ok(s.request_id())
        })
    }

    async fn reject_connections(&self, service_id: &str, endpoint_ids: &[String]) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("ec2:RejectVpcEndpointConnections", service_id)?;
            let Some(service) = s.services.get_mut(service_id) else { return Ok(None) };
            for connection in service.connections.iter_mut().filter(|c| endpoint_ids.contains(&c.endpoint_id)) {
                connection.state = "rejected".to_owned();
            }
            Ok(s.request_id())
        })
    }

    async fn ingress_rules(&self, group_id: &str) -> Result<Option<Vec<IngressRule>>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeSecurityGroupRules", group_id)?;
            if !s.groups.contains_key(group_id) {
                return Ok(None);
            }
            Ok(Some(
                s.rules
                    .iter()
                    .filter(|(_, r)| r.group_id == group_id)
                    .map(|(id, r)| IngressRule {
                        group_id: group_id.to_owned(),
                        rule_id: id.clone(),
                        protocol: "tcp".to_owned(),
                        from_port: i32::from(r.port),
                        to_port: i32::from(r.port),
                        cidr: r.cidr.clone(),
                        source_group: r.source_group.clone(),
                        description: Some(r.description.clone()),
                    })
                    .collect(),
            ))
        })
    }

    async fn ingress_rule_ids(&self, group_id: &str) -> Result<Option<Vec<String>>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeSecurityGroupRules", group_id)?;
            if !s.groups.contains_key(group_id) {
                return Ok(None);
            }
            Ok(Some(s.rules.iter().filter(|(_, r)| r.group_id == group_id).map(|(id, _)| id.clone()).collect()))
        })
    }

    async fn endpoint_service(&self, service_id: &str) -> Result<Option<ServiceDetails>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeVpcEndpointServiceConfigurations", service_id)?;
            Ok(s.services.get(service_id).map(|svc| ServiceDetails {
                service_name: svc.name.clone(),
                supported_regions: svc.supported_regions.clone(),
                acceptance_required: svc.acceptance_required,
            }))
        })
    }

    async fn zone_ids(&self, names: &[String]) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeAvailabilityZones", &names.join(","))?;
            let mut ids: Vec<String> = names.iter().map(|name| format!("use1-az-{}", name.strip_prefix(REGION).unwrap_or(name))).collect();
            ids.sort();
            Ok(ids)
        })
    }

    async fn rule_cidrs(&self, rule_ids: &[String]) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeSecurityGroupRules", &rule_ids.join(","))?;
            Ok(rule_ids.iter().filter_map(|id| s.rules.get(id)).filter_map(|r| r.cidr.clone()).collect())
        })
    }
}
