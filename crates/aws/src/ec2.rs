//! EC2 calls a grant makes: security groups and their rules, VPC endpoint services and their
//! allowed principals. Each create has a matching find (to adopt what a crashed run made) and
//! delete (for rollback and revoke), where "already gone" is success.

use aws_sdk_ec2::types::{Filter, IpPermission, IpRange, ResourceType, ServiceState, Tag, TagSpecification, UserIdGroupPair};
use aws_types::request_id::RequestId;

use super::{AwsError, AwsSession, Created};
use vendorlink_model::{IngressRule, Outputs, GRANT_TAG};

fn client(session: &AwsSession) -> aws_sdk_ec2::Client {
    aws_sdk_ec2::Client::new(&session.config)
}

fn tag_spec(kind: ResourceType, tags: &[(String, String)]) -> TagSpecification {
    TagSpecification::builder().resource_type(kind).set_tags(Some(tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect())).build()
}

fn outputs(pairs: &[(&str, &str)]) -> Outputs {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub async fn create_security_group(session: &AwsSession, name: &str, description: &str, vpc_id: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
    let out = client(session)
        .create_security_group()
        .group_name(name)
        .description(description)
        .vpc_id(vpc_id)
        .tag_specifications(tag_spec(ResourceType::SecurityGroup, tags))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:CreateSecurityGroup", session))?;
    Ok(Created { outputs: outputs(&[("id", out.group_id().unwrap_or_default())]), request_id: out.request_id().map(str::to_owned) })
}

/// Group names are unique per VPC, so the name finds what an interrupted run created.
pub async fn find_security_group(session: &AwsSession, vpc_id: &str, name: &str) -> Result<Option<Outputs>, AwsError> {
    let out = client(session)
        .describe_security_groups()
        .filters(Filter::builder().name("vpc-id").values(vpc_id).build())
        .filters(Filter::builder().name("group-name").values(name).build())
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeSecurityGroups", session))?;
    Ok(out.security_groups().first().and_then(|g| g.group_id()).map(|id| outputs(&[("id", id)])))
}

pub async fn delete_security_group(session: &AwsSession, group_id: &str) -> Result<Option<String>, AwsError> {
    match client(session).delete_security_group().group_id(group_id).send().await {
        Ok(out) => Ok(out.request_id().map(str::to_owned)),
        Err(e) => gone_is_done(AwsError::from_sdk(e, "ec2:DeleteSecurityGroup", session)),
    }
}

/// Where an ingress rule admits traffic from.
#[derive(Debug, Clone)]
pub enum Source {
    Cidr(String),
    Group(String),
}

/// One TCP port from each source, as one call: AWS adds all the rules or none.
pub async fn authorize_ingress(session: &AwsSession, group_id: &str, port: u16, sources: &[Source], description: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
    let mut permission = IpPermission::builder().ip_protocol("tcp").from_port(i32::from(port)).to_port(i32::from(port));
    for source in sources {
        permission = match source {
            Source::Cidr(cidr) => permission.ip_ranges(IpRange::builder().cidr_ip(cidr).description(description).build()),
            Source::Group(group) => permission.user_id_group_pairs(UserIdGroupPair::builder().group_id(group).description(description).build()),
        };
    }
    let out = client(session)
        .authorize_security_group_ingress()
        .group_id(group_id)
        .ip_permissions(permission.build())
        .tag_specifications(tag_spec(ResourceType::SecurityGroupRule, tags))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:AuthorizeSecurityGroupIngress", session))?;
    let ids: Vec<&str> = out.security_group_rules().iter().filter_map(|r| r.security_group_rule_id()).collect();
    Ok(Created { outputs: outputs(&[("id", &ids.join(",")), ("groupId", group_id)]), request_id: out.request_id().map(str::to_owned) })
}

/// The ingress rules a grant's step made on `group_id`: same port, one of the step's sources,
/// and the grant's tag or the step's description (some implementations drop descriptions of
/// group-referencing rules; the tag is set atomically with the rule).
pub async fn find_ingress(session: &AwsSession, group_id: &str, port: u16, sources: &[Source], grant_id: &str, description: &str) -> Result<Option<Outputs>, AwsError> {
    let rules = group_rules(session, group_id).await?;
    let from_source = |rule: &aws_sdk_ec2::types::SecurityGroupRule| {
        sources.iter().any(|s| match s {
            Source::Cidr(cidr) => rule.cidr_ipv4() == Some(cidr.as_str()),
            Source::Group(group) => rule.referenced_group_info().and_then(|g| g.group_id()) == Some(group.as_str()),
        })
    };
    let ours = |rule: &aws_sdk_ec2::types::SecurityGroupRule| {
        rule.description() == Some(description) || rule.tags().iter().any(|t| t.key() == Some(GRANT_TAG) && t.value() == Some(grant_id))
    };
    let ids: Vec<&str> = rules
        .iter()
        .filter(|r| r.is_egress() == Some(false) && r.group_id() == Some(group_id) && r.from_port() == Some(i32::from(port)) && from_source(r) && ours(r))
        .filter_map(|r| r.security_group_rule_id())
        .collect();
    Ok((!ids.is_empty()).then(|| outputs(&[("id", &ids.join(",")), ("groupId", group_id)])))
}

pub async fn revoke_ingress(session: &AwsSession, group_id: &str, rule_ids: &[String]) -> Result<Option<String>, AwsError> {
    match client(session).revoke_security_group_ingress().group_id(group_id).set_security_group_rule_ids(Some(rule_ids.to_vec())).send().await {
        Ok(out) => Ok(out.request_id().map(str::to_owned)),
        Err(e) => gone_is_done(AwsError::from_sdk(e, "ec2:RevokeSecurityGroupIngress", session)),
    }
}

/// Publishes the NLB as an endpoint service. `client_token` makes a retried call return the
/// same service instead of a second one.
pub async fn create_endpoint_service(
    session: &AwsSession,
    load_balancer_arn: &str,
    acceptance_required: bool,
    supported_regions: &[String],
    client_token: &str,
    tags: &[(String, String)],
) -> Result<Created, AwsError> {
    let out = client(session)
        .create_vpc_endpoint_service_configuration()
        .network_load_balancer_arns(load_balancer_arn)
        .acceptance_required(acceptance_required)
        .set_supported_regions((!supported_regions.is_empty()).then(|| supported_regions.to_vec()))
        .client_token(client_token)
        .tag_specifications(tag_spec(ResourceType::VpcEndpointService, tags))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:CreateVpcEndpointServiceConfiguration", session))?;
    let config = out.service_configuration();
    let id = config.and_then(|c| c.service_id()).unwrap_or_default();
    let name = config.and_then(|c| c.service_name()).unwrap_or_default();
    // The state at creation: when it is already usable, nothing needs to be waited for.
    let state = config.and_then(|c| c.service_state()).map(|s| s.as_str()).unwrap_or_default();
    Ok(Created { outputs: outputs(&[("id", id), ("serviceName", name), ("state", state)]), request_id: out.request_id().map(str::to_owned) })
}

/// The endpoint service tagged with this grant, if any. (Filters are applied here: not every
/// implementation honours them server-side.)
pub async fn find_endpoint_service(session: &AwsSession, grant_id: &str) -> Result<Option<Outputs>, AwsError> {
    let services = client(session)
        .describe_vpc_endpoint_service_configurations()
        .filters(Filter::builder().name(format!("tag:{GRANT_TAG}")).values(grant_id).build())
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcEndpointServiceConfigurations", session))?;
    Ok(services
        .iter()
        .find(|s| s.tags().iter().any(|t| t.key() == Some(GRANT_TAG) && t.value() == Some(grant_id)))
        .map(|s| outputs(&[("id", s.service_id().unwrap_or_default()), ("serviceName", s.service_name().unwrap_or_default())])))
}

/// The service's state (`Available`, `Pending`, `Failed`...).
pub async fn endpoint_service_state(session: &AwsSession, service_id: &str) -> Result<String, AwsError> {
    let out = client(session)
        .describe_vpc_endpoint_service_configurations()
        .service_ids(service_id)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcEndpointServiceConfigurations", session))?;
    Ok(out.service_configurations().first().and_then(|c| c.service_state()).map(ServiceState::as_str).unwrap_or("Deleted").to_owned())
}

pub async fn delete_endpoint_service(session: &AwsSession, service_id: &str) -> Result<Option<String>, AwsError> {
    let action = "ec2:DeleteVpcEndpointServiceConfigurations";
    match client(session).delete_vpc_endpoint_service_configurations().service_ids(service_id).send().await {
        Ok(out) => batch_outcome(action, out.unsuccessful(), out.request_id()),
        Err(e) => gone_is_done(AwsError::from_sdk(e, action, session)),
    }
}

/// Allows the principals. Adding one that is allowed already is harmless, so a resumed run
/// repeats this one call rather than listing first (a call more on every fresh grant).
pub async fn allow_principals(session: &AwsSession, service_id: &str, principals: &[String]) -> Result<Created, AwsError> {
    let out = client(session)
        .modify_vpc_endpoint_service_permissions()
        .service_id(service_id)
        .set_add_allowed_principals(Some(principals.to_vec()))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:ModifyVpcEndpointServicePermissions", session))?;
    Ok(Created { outputs: outputs(&[("id", service_id), ("principals", &principals.join(","))]), request_id: out.request_id().map(str::to_owned) })
}

pub async fn allowed_principals(session: &AwsSession, service_id: &str) -> Result<Vec<String>, AwsError> {
    let out = client(session)
        .describe_vpc_endpoint_service_permissions()
        .service_id(service_id)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcEndpointServicePermissions", session))?;
    Ok(out.allowed_principals().iter().filter_map(|p| p.principal().map(str::to_owned)).collect())
}

pub async fn remove_principals(session: &AwsSession, service_id: &str, principals: &[String]) -> Result<Option<String>, AwsError> {
    match client(session).modify_vpc_endpoint_service_permissions().service_id(service_id).set_remove_allowed_principals(Some(principals.to_vec())).send().await {
        Ok(out) => Ok(out.request_id().map(str::to_owned)),
        Err(e) => gone_is_done(AwsError::from_sdk(e, "ec2:ModifyVpcEndpointServicePermissions", session)),
    }
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

pub async fn endpoint_connections(session: &AwsSession, service_id: &str) -> Result<Vec<Connection>, AwsError> {
    let connections = client(session)
        .describe_vpc_endpoint_connections()
        .filters(Filter::builder().name("service-id").values(service_id).build())
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcEndpointConnections", session))?;
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

/// Accepts connections waiting for the service owner (state `pendingAcceptance`).
pub async fn accept_connections(session: &AwsSession, service_id: &str, endpoint_ids: &[String]) -> Result<Option<String>, AwsError> {
    let action = "ec2:AcceptVpcEndpointConnections";
    match client(session).accept_vpc_endpoint_connections().service_id(service_id).set_vpc_endpoint_ids(Some(endpoint_ids.to_vec())).send().await {
        Ok(out) => batch_outcome(action, out.unsuccessful(), out.request_id()),
        Err(e) => Err(AwsError::from_sdk(e, action, session)),
    }
}

/// Rejects connections: removing a principal does not cut an endpoint already connected.
pub async fn reject_connections(session: &AwsSession, service_id: &str, endpoint_ids: &[String]) -> Result<Option<String>, AwsError> {
    let action = "ec2:RejectVpcEndpointConnections";
    match client(session).reject_vpc_endpoint_connections().service_id(service_id).set_vpc_endpoint_ids(Some(endpoint_ids.to_vec())).send().await {
        Ok(out) => batch_outcome(action, out.unsuccessful(), out.request_id()),
        Err(e) => gone_is_done(AwsError::from_sdk(e, action, session)),
    }
}

/// Every rule (inbound and outbound) of a group.
async fn group_rules(session: &AwsSession, group_id: &str) -> Result<Vec<aws_sdk_ec2::types::SecurityGroupRule>, AwsError> {
    client(session)
        .describe_security_group_rules()
        .filters(Filter::builder().name("group-id").values(group_id).build())
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeSecurityGroupRules", session))
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

/// The inbound rules of a group, `None` when the group is gone.
pub async fn ingress_rules(session: &AwsSession, group_id: &str) -> Result<Option<Vec<IngressRule>>, AwsError> {
    match group_rules(session, group_id).await {
        Ok(rules) => Ok(Some(rules.iter().filter(|r| r.is_egress() == Some(false)).map(ingress_rule).collect())),
        Err(err) if err.is_not_found() => Ok(None),
        Err(err) => Err(err),
    }
}

/// The ids of the inbound rules of a group, `None` when the group is gone.
pub async fn ingress_rule_ids(session: &AwsSession, group_id: &str) -> Result<Option<Vec<String>>, AwsError> {
    match group_rules(session, group_id).await {
        Ok(rules) => Ok(Some(rules.iter().filter(|r| r.is_egress() == Some(false)).filter_map(|r| r.security_group_rule_id().map(str::to_owned)).collect())),
        Err(err) if err.is_not_found() => Ok(None),
        Err(err) => Err(err),
    }
}

/// An endpoint service as the vendor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDetails {
    pub service_name: String,
    pub supported_regions: Vec<String>,
    pub acceptance_required: bool,
}

pub async fn endpoint_service(session: &AwsSession, service_id: &str) -> Result<Option<ServiceDetails>, AwsError> {
    match client(session).describe_vpc_endpoint_service_configurations().service_ids(service_id).send().await {
        Ok(out) => Ok(out.service_configurations().first().map(|c| ServiceDetails {
            service_name: c.service_name().unwrap_or_default().to_owned(),
            supported_regions: c.supported_regions().iter().filter_map(|r| r.region().map(str::to_owned)).collect(),
            acceptance_required: c.acceptance_required().unwrap_or(true),
        })),
        Err(e) => match AwsError::from_sdk(e, "ec2:DescribeVpcEndpointServiceConfigurations", session) {
            err if err.is_not_found() => Ok(None),
            err => Err(err),
        },
    }
}

/// AZ IDs (`use1-az6`) of AZ names (`us-east-1a`) in this account.
pub async fn zone_ids(session: &AwsSession, names: &[String]) -> Result<Vec<String>, AwsError> {
    let out = client(session)
        .describe_availability_zones()
        .set_zone_names(Some(names.to_vec()))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeAvailabilityZones", session))?;
    let mut ids: Vec<String> = out.availability_zones().iter().filter_map(|z| z.zone_id().map(str::to_owned)).collect();
    ids.sort();
    Ok(ids)
}

/// The CIDR sources of some of a group's rules.
pub async fn rule_cidrs(session: &AwsSession, rule_ids: &[String]) -> Result<Vec<String>, AwsError> {
    let out = client(session)
        .describe_security_group_rules()
        .set_security_group_rule_ids(Some(rule_ids.to_vec()))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeSecurityGroupRules", session))?;
    Ok(out.security_group_rules().iter().filter_map(|r| r.cidr_ipv4().map(str::to_owned)).collect())
}
