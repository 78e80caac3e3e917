//! EC2 calls a grant makes: security groups and their rules, VPC endpoint services and their
//! allowed principals. Each create has a matching find (to adopt what a crashed run made) and
//! delete (for rollback and revoke), where "already gone" is success.

use aws_sdk_ec2::types::{Filter, IpPermission, IpRange, ResourceType, ServiceState, Tag, TagSpecification, UserIdGroupPair};
use aws_types::request_id::RequestId;

use super::{AwsError, AwsSession, Created};
use async_trait::async_trait;
use vendorlink_model::{IngressRule, Output, GRANT_TAG};

fn tag_spec(kind: ResourceType, tags: &[(String, String)]) -> TagSpecification {
    TagSpecification::builder().resource_type(kind).set_tags(Some(tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect())).build()
}

/// EC2 with one SDK client for the session.
#[derive(Debug, Clone)]
pub struct Ec2 {
    client: aws_sdk_ec2::Client,
    session: AwsSession,
}

impl Ec2 {
    pub fn new(session: &AwsSession) -> Self {
        Ec2 { client: aws_sdk_ec2::Client::new(&session.config), session: session.clone() }
    }

    /// Every rule (inbound and outbound) of a group.
    async fn group_rules(&self, group_id: &str) -> Result<Vec<aws_sdk_ec2::types::SecurityGroupRule>, AwsError> {
        self.client
            .describe_security_group_rules()
            .filters(Filter::builder().name("group-id").values(group_id).build())
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeSecurityGroupRules", &self.session))
    }
}

#[async_trait]
pub trait Ec2Api: Send + Sync {
    async fn create_security_group(&self, name: &str, description: &str, vpc_id: &str, tags: &[(String, String)]) -> Result<Created, AwsError>;
    /// Group names are unique per VPC, so the name finds what an interrupted run created.
    async fn find_security_group(&self, vpc_id: &str, name: &str) -> Result<Option<Output>, AwsError>;
    async fn delete_security_group(&self, group_id: &str) -> Result<Option<String>, AwsError>;
    /// One TCP port from each source, as one call: AWS adds all the rules or none.
    async fn authorize_ingress(&self, group_id: &str, port: u16, sources: &[Source], description: &str, tags: &[(String, String)]) -> Result<Created, AwsError>;
    /// The ingress rules a grant's step made on `group_id`: same port, one of the step's sources,
    /// and the grant's tag or the step's description (some implementations drop descriptions of
    /// group-referencing rules; the tag is set atomically with the rule).
    async fn find_ingress(&self, group_id: &str, port: u16, sources: &[Source], grant_id: &str, description: &str) -> Result<Option<Output>, AwsError>;
    async fn revoke_ingress(&self, group_id: &str, rule_ids: &[String]) -> Result<Option<String>, AwsError>;
    /// Publishes the NLB as an endpoint service. `client_token` makes a retried call return the
    /// same service instead of a second one.
    async fn create_endpoint_service(
        &self,
        load_balancer_arn: &str,
        acceptance_required: bool,
        supported_regions: &[String],
        client_token: &str,
        tags: &[(String, String)],
    ) -> Result<Created, AwsError>;
    /// The endpoint service tagged with this grant, if any. (Filters are applied here: not every
    /// implementation honours them server-side.)
    async fn find_endpoint_service(&self, grant_id: &str) -> Result<Option<Output>, AwsError>;
    /// The service's state (`Available`, `Pending`, `Failed`...).
    async fn endpoint_service_state(&self, service_id: &str) -> Result<String, AwsError>;
    async fn delete_endpoint_service(&self, service_id: &str) -> Result<Option<String>, AwsError>;
    /// Allows the principals. Adding one that is allowed already is harmless, so a resumed run
    /// repeats this one call rather than listing first (a call more on every fresh grant).
    async fn allow_principals(&self, service_id: &str, principals: &[String]) -> Result<Created, AwsError>;
    async fn allowed_principals(&self, service_id: &str) -> Result<Vec<String>, AwsError>;
    async fn remove_principals(&self, service_id: &str, principals: &[String]) -> Result<Option<String>, AwsError>;
    async fn endpoint_connections(&self, service_id: &str) -> Result<Vec<Connection>, AwsError>;
    /// Accepts connections waiting for the service owner (state `pendingAcceptance`).
    async fn accept_connections(&self, service_id: &str, endpoint_ids: &[String]) -> Result<Option<String>, AwsError>;
    /// Rejects connections: removing a principal does not cut an endpoint already connected.
    async fn reject_connections(&self, service_id: &str, endpoint_ids: &[String]) -> Result<Option<String>, AwsError>;
    /// The inbound rules of a group, `None` when the group is gone.
    async fn ingress_rules(&self, group_id: &str) -> Result<Option<Vec<IngressRule>>, AwsError>;
    /// The ids of the inbound rules of a group, `None` when the group is gone.
    async fn ingress_rule_ids(&self, group_id: &str) -> Result<Option<Vec<String>>, AwsError>;
    async fn endpoint_service(&self, service_id: &str) -> Result<Option<ServiceDetails>, AwsError>;
    /// AZ IDs (`use1-az6`) of AZ names (`us-east-1a`) in this account.
    async fn zone_ids(&self, names: &[String]) -> Result<Vec<String>, AwsError>;
    /// The CIDR sources of some of a group's rules.
    async fn rule_cidrs(&self, rule_ids: &[String]) -> Result<Vec<String>, AwsError>;
}

#[async_trait]
impl Ec2Api for Ec2 {
    async fn create_security_group(&self, name: &str, description: &str, vpc_id: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        let out = self
            .client
            .create_security_group()
            .group_name(name)
            .description(description)
            .vpc_id(vpc_id)
            .tag_specifications(tag_spec(ResourceType::SecurityGroup, tags))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:CreateSecurityGroup", &self.session))?;
        Ok(Created { output: Output::SecurityGroup { group_id: out.group_id().unwrap_or_default().to_owned() }, request_id: out.request_id().map(str::to_owned) })
    }
    async fn find_security_group(&self, vpc_id: &str, name: &str) -> Result<Option<Output>, AwsError> {
        let out = self
            .client
            .describe_security_groups()
            .filters(Filter::builder().name("vpc-id").values(vpc_id).build())
            .filters(Filter::builder().name("group-name").values(name).build())
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeSecurityGroups", &self.session))?;
        Ok(out.security_groups().first().and_then(|g| g.group_id()).map(|id| Output::SecurityGroup { group_id: id.to_owned() }))
    }
    async fn delete_security_group(&self, group_id: &str) -> Result<Option<String>, AwsError> {
        match self.client.delete_security_group().group_id(group_id).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => gone_is_done(AwsError::from_sdk(e, "ec2:DeleteSecurityGroup", &self.session)),
        }
    }
    async fn authorize_ingress(&self, group_id: &str, port: u16, sources: &[Source], description: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        let mut permission = IpPermission::builder().ip_protocol("tcp").from_port(i32::from(port)).to_port(i32::from(port));
        for source in sources {
            permission = match source {
                Source::Cidr(cidr) => permission.ip_ranges(IpRange::builder().cidr_ip(cidr).description(description).build()),
                Source::Group(group) => permission.user_id_group_pairs(UserIdGroupPair::builder().group_id(group).description(description).build()),
            };
        }
        let out = self
            .client
            .authorize_security_group_ingress()
            .group_id(group_id)
            .ip_permissions(permission.build())
            .tag_specifications(tag_spec(ResourceType::SecurityGroupRule, tags))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:AuthorizeSecurityGroupIngress", &self.session))?;
        let rule_ids = out.security_group_rules().iter().filter_map(|r| r.security_group_rule_id().map(str::to_owned)).collect();
        Ok(Created { output: Output::IngressRules { group_id: group_id.to_owned(), rule_ids }, request_id: out.request_id().map(str::to_owned) })
    }
    async fn find_ingress(&self, group_id: &str, port: u16, sources: &[Source], grant_id: &str, description: &str) -> Result<Option<Output>, AwsError> {
        let rules = self.group_rules(group_id).await?;
        let from_source = |rule: &aws_sdk_ec2::types::SecurityGroupRule| {
            sources.iter().any(|s| match s {
                Source::Cidr(cidr) => rule.cidr_ipv4() == Some(cidr.as_str()),
                Source::Group(group) => rule.referenced_group_info().and_then(|g| g.group_id()) == Some(group.as_str()),
            })
        };
        let ours = |rule: &aws_sdk_ec2::types::SecurityGroupRule| {
            rule.description() == Some(description) || rule.tags().iter().any(|t| t.key() == Some(GRANT_TAG) && t.value() == Some(grant_id))
        };
        let rule_ids: Vec<String> = rules
            .iter()
            .filter(|r| r.is_egress() == Some(false) && r.group_id() == Some(group_id) && r.from_port() == Some(i32::from(port)) && from_source(r) && ours(r))
            .filter_map(|r| r.security_group_rule_id().map(str::to_owned))
            .collect();
        Ok((!rule_ids.is_empty()).then(|| Output::IngressRules { group_id: group_id.to_owned(), rule_ids }))
    }
    async fn revoke_ingress(&self, group_id: &str, rule_ids: &[String]) -> Result<Option<String>, AwsError> {
        match self.client.revoke_security_group_ingress().group_id(group_id).set_security_group_rule_ids(Some(rule_ids.to_vec())).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => gone_is_done(AwsError::from_sdk(e, "ec2:RevokeSecurityGroupIngress", &self.session)),
        }
    }
    async fn create_endpoint_service(
        &self,
        load_balancer_arn: &str,
        acceptance_required: bool,
        supported_regions: &[String],
        client_token: &str,
        tags: &[(String, String)],
    ) -> Result<Created, AwsError> {
        let out = self
            .client
            .create_vpc_endpoint_service_configuration()
            .network_load_balancer_arns(load_balancer_arn)
            .acceptance_required(acceptance_required)
            .set_supported_regions((!supported_regions.is_empty()).then(|| supported_regions.to_vec()))
            .client_token(client_token)
            .tag_specifications(tag_spec(ResourceType::VpcEndpointService, tags))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:CreateVpcEndpointServiceConfiguration", &self.session))?;
        let config = out.service_configuration();
        let service_id = config.and_then(|c| c.service_id()).unwrap_or_default().to_owned();
        let service_name = config.and_then(|c| c.service_name()).unwrap_or_default().to_owned();
        // The state at creation: when it is already usable, nothing needs to be waited for.
        let state = config.and_then(|c| c.service_state()).map(|s| s.as_str().to_owned());
        Ok(Created { output: Output::EndpointService { service_id, service_name, state }, request_id: out.request_id().map(str::to_owned) })
    }
    async fn find_endpoint_service(&self, grant_id: &str) -> Result<Option<Output>, AwsError> {
        let services = self
            .client
            .describe_vpc_endpoint_service_configurations()
            .filters(Filter::builder().name(format!("tag:{GRANT_TAG}")).values(grant_id).build())
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcEndpointServiceConfigurations", &self.session))?;
        Ok(services.iter().find(|s| s.tags().iter().any(|t| t.key() == Some(GRANT_TAG) && t.value() == Some(grant_id))).map(|s| Output::EndpointService {
            service_id: s.service_id().unwrap_or_default().to_owned(),
            service_name: s.service_name().unwrap_or_default().to_owned(),
            state: None,
        }))
    }
    async fn endpoint_service_state(&self, service_id: &str) -> Result<String, AwsError> {
        let out = self
            .client
            .describe_vpc_endpoint_service_configurations()
            .service_ids(service_id)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcEndpointServiceConfigurations", &self.session))?;
        Ok(out.service_configurations().first().and_then(|c| c.service_state()).map(ServiceState::as_str).unwrap_or("Deleted").to_owned())
    }
    async fn delete_endpoint_service(&self, service_id: &str) -> Result<Option<String>, AwsError> {
        let action = "ec2:DeleteVpcEndpointServiceConfigurations";
        match self.client.delete_vpc_endpoint_service_configurations().service_ids(service_id).send().await {
            Ok(out) => batch_outcome(action, out.unsuccessful(), out.request_id()),
            Err(e) => gone_is_done(AwsError::from_sdk(e, action, &self.session)),
        }
    }
    async fn allow_principals(&self, service_id: &str, principals: &[String]) -> Result<Created, AwsError> {
        let out = self
            .client
            .modify_vpc_endpoint_service_permissions()
            .service_id(service_id)
            .set_add_allowed_principals(Some(principals.to_vec()))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:ModifyVpcEndpointServicePermissions", &self.session))?;
        Ok(Created { output: Output::Principals { service_id: service_id.to_owned(), principals: principals.to_vec() }, request_id: out.request_id().map(str::to_owned) })
    }
    async fn allowed_principals(&self, service_id: &str) -> Result<Vec<String>, AwsError> {
        let out = self
            .client
            .describe_vpc_endpoint_service_permissions()
            .service_id(service_id)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcEndpointServicePermissions", &self.session))?;
        Ok(out.allowed_principals().iter().filter_map(|p| p.principal().map(str::to_owned)).collect())
    }
    async fn remove_principals(&self, service_id: &str, principals: &[String]) -> Result<Option<String>, AwsError> {
        match self.client.modify_vpc_endpoint_service_permissions().service_id(service_id).set_remove_allowed_principals(Some(principals.to_vec())).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => gone_is_done(AwsError::from_sdk(e, "ec2:ModifyVpcEndpointServicePermissions", &self.session)),
        }
    }
    async fn endpoint_connections(&self, service_id: &str) -> Result<Vec<Connection>, AwsError> {
        let connections = self
            .client
            .describe_vpc_endpoint_connections()
            .filters(Filter::builder().name("service-id").values(service_id).build())
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcEndpointConnections", &self.session))?;
        Ok(connections
            .iter()
            .filter(|c| c.service_id().is_none_or(|s| s == service_id))
            .map(|c| Connection {
                endpoint_id: c.vpc_endpoint_id().unwrap_or_default().to_owned(),
                owner: c.vpc_endpoint_owner().unwrap_or_default().to_owned(),
                state: c.vpc_endpoint_state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
            })
            .collect())
    }
    async fn accept_connections(&self, service_id: &str, endpoint_ids: &[String]) -> Result<Option<String>, AwsError> {
        let action = "ec2:AcceptVpcEndpointConnections";
        match self.client.accept_vpc_endpoint_connections().service_id(service_id).set_vpc_endpoint_ids(Some(endpoint_ids.to_vec())).send().await {
            Ok(out) => batch_outcome(action, out.unsuccessful(), out.request_id()),
            Err(e) => Err(AwsError::from_sdk(e, action, &self.session)),
        }
    }
    async fn reject_connections(&self, service_id: &str, endpoint_ids: &[String]) -> Result<Option<String>, AwsError> {
        let action = "ec2:RejectVpcEndpointConnections";
        match self.client.reject_vpc_endpoint_connections().service_id(service_id).set_vpc_endpoint_ids(Some(endpoint_ids.to_vec())).send().await {
            Ok(out) => batch_outcome(action, out.unsuccessful(), out.request_id()),
            Err(e) => gone_is_done(AwsError::from_sdk(e, action, &self.session)),
        }
    }
    async fn ingress_rules(&self, group_id: &str) -> Result<Option<Vec<IngressRule>>, AwsError> {
        match self.group_rules(group_id).await {
            Ok(rules) => Ok(Some(rules.iter().filter(|r| r.is_egress() == Some(false)).map(ingress_rule).collect())),
            Err(err) if err.is_not_found() => Ok(None),
            Err(err) => Err(err),
        }
    }
    async fn ingress_rule_ids(&self, group_id: &str) -> Result<Option<Vec<String>>, AwsError> {
        match self.group_rules(group_id).await {
            Ok(rules) => Ok(Some(rules.iter().filter(|r| r.is_egress() == Some(false)).filter_map(|r| r.security_group_rule_id().map(str::to_owned)).collect())),
            Err(err) if err.is_not_found() => Ok(None),
            Err(err) => Err(err),
        }
    }
    async fn endpoint_service(&self, service_id: &str) -> Result<Option<ServiceDetails>, AwsError> {
        match self.client.describe_vpc_endpoint_service_configurations().service_ids(service_id).send().await {
            Ok(out) => Ok(out.service_configurations().first().map(|c| ServiceDetails {
                service_name: c.service_name().unwrap_or_default().to_owned(),
                supported_regions: c.supported_regions().iter().filter_map(|r| r.region().map(str::to_owned)).collect(),
                acceptance_required: c.acceptance_required().unwrap_or(true),
            })),
            Err(e) => match AwsError::from_sdk(e, "ec2:DescribeVpcEndpointServiceConfigurations", &self.session) {
                err if err.is_not_found() => Ok(None),
                err => Err(err),
            },
        }
    }
    async fn zone_ids(&self, names: &[String]) -> Result<Vec<String>, AwsError> {
        let out = self
            .client
            .describe_availability_zones()
            .set_zone_names(Some(names.to_vec()))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeAvailabilityZones", &self.session))?;
        let mut ids: Vec<String> = out.availability_zones().iter().filter_map(|z| z.zone_id().map(str::to_owned)).collect();
        ids.sort();
        Ok(ids)
    }
    async fn rule_cidrs(&self, rule_ids: &[String]) -> Result<Vec<String>, AwsError> {
        let out = self
            .client
            .describe_security_group_rules()
            .set_security_group_rule_ids(Some(rule_ids.to_vec()))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeSecurityGroupRules", &self.session))?;
        Ok(out.security_group_rules().iter().filter_map(|r| r.cidr_ipv4().map(str::to_owned)).collect())
    }
}

/// Where an ingress rule admits traffic from.
#[derive(Debug, Clone)]
pub enum Source {
    Cidr(String),
    Group(String),
}

/// EC2's batch calls report failures inside a successful answer; the first one counts
/// ("already gone" still being success).
fn batch_outcome(action: &str, unsuccessful: &[aws_sdk_ec2::types::UnsuccessfulItem], request_id: Option<&str>) -> Result<Option<String>, AwsError> {
    match unsuccessful.first().and_then(|u| u.error()) {
        Some(err) => gone_is_done(AwsError::Service {
            action: action.into(),
            code: err.code().unwrap_or("Unknown").into(),
            detail: err.message().unwrap_or_default().into(),
            request_id: request_id.map(str::to_owned),
        }),
        None => Ok(request_id.map(str::to_owned)),
    }
}

/// For deletes: a resource that is already gone is the outcome wanted.
pub(super) fn gone_is_done(err: AwsError) -> Result<Option<String>, AwsError> {
    if err.is_not_found() {
        Ok(None)
    } else {
        Err(err)
    }
}

/// A vendor's interface endpoint connected (or asking to connect) to an endpoint service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub endpoint_id: String,
    pub owner: String,
    /// `pendingAcceptance`, `available`, `rejected`...
    pub state: String,
}

/// One inbound rule as the engine reads it.
pub fn ingress_rule(r: &aws_sdk_ec2::types::SecurityGroupRule) -> IngressRule {
    IngressRule {
        group_id: r.group_id().unwrap_or_default().to_owned(),
        rule_id: r.security_group_rule_id().unwrap_or_default().to_owned(),
        protocol: r.ip_protocol().unwrap_or("-1").to_owned(),
        from_port: r.from_port().unwrap_or(-1),
        to_port: r.to_port().unwrap_or(-1),
        cidr: r.cidr_ipv4().map(str::to_owned),
        source_group: r.referenced_group_info().and_then(|g| g.group_id()).map(str::to_owned),
        description: r.description().map(str::to_owned),
    }
}

/// An endpoint service as the vendor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDetails {
    pub service_name: String,
    pub supported_regions: Vec<String>,
    pub acceptance_required: bool,
}
