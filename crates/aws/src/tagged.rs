//! Finds what VendorLink made, by the `vendorlink:grant` tag, independently of any journal:
//! security groups and their rules, load balancers, target groups, endpoint services, peering
//! connections, instances (a bastion), resource gateways and configurations, resource shares, target-sync functions,
//! their log groups and EventBridge rules, and roles under `/vendorlink/`.

use async_trait::async_trait;
use aws_sdk_ec2::types::Filter;

use super::{iam::ROLE_PATH, AwsError, AwsSession};
use vendorlink_model::{TaggedResource, GRANT_TAG, VENDOR_TAG};

fn found(kind: &str, id: &str, grant_id: Option<String>, vendor_id: Option<String>) -> Option<TaggedResource> {
    Some(TaggedResource { kind: kind.into(), id: id.to_owned(), grant_id: grant_id?, vendor_id, within: None })
}

fn value<'a>(mut tags: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>, key: &str) -> Option<String> {
    tags.find(|(k, _)| *k == Some(key)).and_then(|(_, v)| v.map(str::to_owned))
}

/// Reads the grant tags of EC2, ELB and IAM resources, with one SDK client per service.
#[derive(Debug, Clone)]
pub struct Tagged {
    ec2: aws_sdk_ec2::Client,
    elb: aws_sdk_elasticloadbalancingv2::Client,
    iam: aws_sdk_iam::Client,
    lattice: aws_sdk_vpclattice::Client,
    ram: aws_sdk_ram::Client,
    lambda: aws_sdk_lambda::Client,
    events: aws_sdk_eventbridge::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    session: AwsSession,
}

impl Tagged {
    pub fn new(session: &AwsSession) -> Self {
        Tagged {
            ec2: aws_sdk_ec2::Client::new(&session.config),
            elb: aws_sdk_elasticloadbalancingv2::Client::new(&session.config),
            iam: aws_sdk_iam::Client::new(&session.config),
            lattice: aws_sdk_vpclattice::Client::new(&session.config),
            ram: aws_sdk_ram::Client::new(&session.config),
            lambda: aws_sdk_lambda::Client::new(&session.config),
            events: aws_sdk_eventbridge::Client::new(&session.config),
            logs: aws_sdk_cloudwatchlogs::Client::new(&session.config),
            session: session.clone(),
        }
    }
}

#[async_trait]
pub trait TaggedApi: Send + Sync {
    /// Every tagged resource in the session's region (and IAM), or only one grant's.
    async fn tagged_resources(&self, grant_id: Option<&str>) -> Result<Vec<TaggedResource>, AwsError>;
}

#[async_trait]
impl TaggedApi for Tagged {
    async fn tagged_resources(&self, grant_id: Option<&str>) -> Result<Vec<TaggedResource>, AwsError> {
        let (regional, roles) = tokio::try_join!(self.regional(), self.roles())?;
        let mut all: Vec<TaggedResource> = regional.into_iter().chain(roles).filter(|r| grant_id.is_none_or(|g| r.grant_id == g)).collect();
        all.sort_by(|a, b| (&a.grant_id, &a.kind, &a.id).cmp(&(&b.grant_id, &b.kind, &b.id)));
        Ok(all)
    }
}

impl Tagged {
    /// The region's own tagged resources (EC2, ELB), without IAM's: reading many regions of one
    /// account, IAM (global) is read once.
    pub async fn regional(&self) -> Result<Vec<TaggedResource>, AwsError> {
        let session = &self.session;
        let (ec2, elb, lattice, shares, functions, rules, logs) = tokio::try_join!(
            ec2_tagged(&self.ec2, session),
            elb_tagged(&self.elb, session),
            lattice_tagged(&self.lattice, session),
            shares_tagged(&self.ram, session),
            functions_tagged(&self.lambda, session),
            rules_tagged(&self.events, session),
            log_groups_tagged(&self.logs, session)
        )?;
        Ok(ec2.into_iter().chain(elb).chain(lattice).chain(shares).chain(functions).chain(rules).chain(logs).collect())
    }

    /// The account's tagged roles (IAM is global).
    pub async fn roles(&self) -> Result<Vec<TaggedResource>, AwsError> {
        roles_tagged(&self.iam, &self.session).await
    }
}

async fn ec2_tagged(ec2: &aws_sdk_ec2::Client, session: &AwsSession) -> Result<Vec<TaggedResource>, AwsError> {
    let by_tag = || Filter::builder().name("tag-key").values(GRANT_TAG).build();
    let groups = ec2.describe_security_groups().filters(by_tag()).into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let rules = ec2.describe_security_group_rules().filters(by_tag()).into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let services = ec2.describe_vpc_endpoint_service_configurations().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let peerings = ec2.describe_vpc_peering_connections().filters(by_tag()).into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    // A terminated instance stays listed for a while but holds nothing.
    let alive = Filter::builder().name("instance-state-name").values("pending").values("running").values("stopping").values("stopped").build();
    let instances = ec2.describe_instances().filters(by_tag()).filters(alive).into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let (groups, rules, services, peerings, instances) = tokio::join!(groups, rules, services, peerings, instances);
    let groups = groups.map_err(|e| AwsError::from_sdk(e, "ec2:DescribeSecurityGroups", session))?;
    let rules = rules.map_err(|e| AwsError::from_sdk(e, "ec2:DescribeSecurityGroupRules", session))?;
    let services = services.map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcEndpointServiceConfigurations", session))?;
    let peerings = peerings.map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcPeeringConnections", session))?;
    let instances = instances.map_err(|e| AwsError::from_sdk(e, "ec2:DescribeInstances", session))?;
    let tags = |t: &[aws_sdk_ec2::types::Tag], key: &str| value(t.iter().map(|t| (t.key(), t.value())), key);
    let mut out: Vec<TaggedResource> = groups.iter().filter_map(|g| found("securityGroup", g.group_id()?, tags(g.tags(), GRANT_TAG), tags(g.tags(), VENDOR_TAG))).collect();
    out.extend(rules.iter().filter_map(|r| {
        let rule = found("securityGroupRule", r.security_group_rule_id()?, tags(r.tags(), GRANT_TAG), tags(r.tags(), VENDOR_TAG))?;
        Some(TaggedResource { within: r.group_id().map(str::to_owned), ..rule })
    }));
    // Filtered here: not every implementation honours filters on this call.
    // A service being deleted (or deleted, or failed) may stay listed a while; it holds nothing.
    let gone = |s: &&aws_sdk_ec2::types::ServiceConfiguration| s.service_state().is_some_and(|st| matches!(st.as_str(), "Deleting" | "Deleted" | "Failed"));
    out.extend(services.iter().filter(|s| !gone(s)).filter_map(|s| found("endpointService", s.service_id()?, tags(s.tags(), GRANT_TAG), tags(s.tags(), VENDOR_TAG))));
    // A deleted (or failed, rejected, expired) connection stays listed for a while (R19) but
    // carries nothing: it is not something left behind.
    let live = |p: &&aws_sdk_ec2::types::VpcPeeringConnection| !p.status().and_then(|s| s.code()).is_some_and(|c| vendorlink_model::peering_over(c.as_str()));
    out.extend(peerings.iter().filter(live).filter_map(|p| found("peeringConnection", p.vpc_peering_connection_id()?, tags(p.tags(), GRANT_TAG), tags(p.tags(), VENDOR_TAG))));
    let running = instances.iter().flat_map(|r| r.instances()).filter(|i| !i.state().and_then(|s| s.name()).is_some_and(|n| matches!(n.as_str(), "terminated" | "shutting-down")));
    out.extend(running.filter_map(|i| found("instance", i.instance_id()?, tags(i.tags(), GRANT_TAG), tags(i.tags(), VENDOR_TAG))));
    Ok(out)
}

async fn elb_tagged(elb: &aws_sdk_elasticloadbalancingv2::Client, session: &AwsSession) -> Result<Vec<TaggedResource>, AwsError> {
    let balancers = elb.describe_load_balancers().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let groups = elb.describe_target_groups().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let (balancers, groups) = tokio::join!(balancers, groups);
    let balancers = balancers.map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:DescribeLoadBalancers", session))?;
    let groups = groups.map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:DescribeTargetGroups", session))?;
    let mut arns: Vec<(&str, String)> = balancers.iter().filter_map(|b| Some(("loadBalancer", b.load_balancer_arn()?.to_owned()))).collect();
    arns.extend(groups.iter().filter_map(|g| Some(("targetGroup", g.target_group_arn()?.to_owned()))));
    let mut out = Vec::new();
    // DescribeTags takes at most 20 ARNs per call.
    for chunk in arns.chunks(20) {
        let described = elb
            .describe_tags()
            .set_resource_arns(Some(chunk.iter().map(|(_, arn)| arn.clone()).collect()))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "elasticloadbalancing:DescribeTags", session))?;
        for description in described.tag_descriptions() {
            let Some(arn) = description.resource_arn() else { continue };
            let kind = chunk.iter().find(|(_, a)| a == arn).map_or("loadBalancer", |(k, _)| *k);
            let tags = || description.tags().iter().map(|t| (t.key(), t.value()));
            out.extend(found(kind, arn, value(tags(), GRANT_TAG), value(tags(), VENDOR_TAG)));
        }
    }
    Ok(out)
}

/// Resource gateways and configurations: their lists carry no tags, so each is asked.
async fn lattice_tagged(lattice: &aws_sdk_vpclattice::Client, session: &AwsSession) -> Result<Vec<TaggedResource>, AwsError> {
    let gateways = lattice.list_resource_gateways().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let configurations = lattice.list_resource_configurations().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let (gateways, configurations) = tokio::join!(gateways, configurations);
    let gateways = gateways.map_err(|e| AwsError::from_sdk(e, "vpc-lattice:ListResourceGateways", session))?;
    let configurations = configurations.map_err(|e| AwsError::from_sdk(e, "vpc-lattice:ListResourceConfigurations", session))?;
    let mut arns: Vec<(&str, String)> = gateways.iter().filter_map(|g| Some(("resourceGateway", g.arn()?.to_owned()))).collect();
    arns.extend(configurations.iter().filter_map(|c| Some(("resourceConfiguration", c.arn()?.to_owned()))));
    let mut out = Vec::new();
    for (kind, arn) in arns {
        let tags = match lattice.list_tags_for_resource().resource_arn(&arn).send().await {
            Ok(t) => t,
            Err(e) => {
                let err = AwsError::from_sdk(e, "vpc-lattice:ListTagsForResource", session);
                // Deleted between the list and this call.
                if err.is_not_found() {
                    continue;
                }
                return Err(err);
            }
        };
        let map = tags.tags();
        let get = |key: &str| map.and_then(|m| m.get(key)).cloned();
        out.extend(found(kind, &arn, get(GRANT_TAG), get(VENDOR_TAG)));
    }
    Ok(out)
}

/// The account's own resource shares that are not over.
async fn shares_tagged(ram: &aws_sdk_ram::Client, session: &AwsSession) -> Result<Vec<TaggedResource>, AwsError> {
    let pages = ram
        .get_resource_shares()
        .resource_owner(aws_sdk_ram::types::ResourceOwner::SelfValue)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| AwsError::from_sdk(e, "ram:GetResourceShares", session))?;
    let live = |s: &&aws_sdk_ram::types::ResourceShare| !matches!(s.status().map(|s| s.as_str()), Some("DELETING" | "DELETED" | "FAILED"));
    Ok(pages
        .iter()
        .flat_map(|p| p.resource_shares())
        .filter(live)
        .filter_map(|s| {
            let tags = || s.tags().iter().map(|t| (t.key(), t.value()));
            found("resourceShare", s.resource_share_arn()?, value(tags(), GRANT_TAG), value(tags(), VENDOR_TAG))
        })
        .collect())
}

/// Lambda functions: their list carries no tags, so each is asked.
async fn functions_tagged(lambda: &aws_sdk_lambda::Client, session: &AwsSession) -> Result<Vec<TaggedResource>, AwsError> {
    let functions =
        lambda.list_functions().into_paginator().items().send().collect::<Result<Vec<_>, _>>().await.map_err(|e| AwsError::from_sdk(e, "lambda:ListFunctions", session))?;
    let mut out = Vec::new();
    for function in &functions {
        let (Some(arn), Some(name)) = (function.function_arn(), function.function_name()) else { continue };
        match lambda.list_tags().resource(arn).send().await {
            Ok(tags) => {
                let get = |key: &str| tags.tags().and_then(|m| m.get(key)).cloned();
                out.extend(found("function", name, get(GRANT_TAG), get(VENDOR_TAG)));
            }
            Err(e) => {
                let err = AwsError::from_sdk(e, "lambda:ListTags", session);
                if !err.is_not_found() {
                    return Err(err);
                }
            }
        }
    }
    Ok(out)
}

/// Rules on the default event bus (the only bus VendorLink uses); each is asked for its tags.
async fn rules_tagged(events: &aws_sdk_eventbridge::Client, session: &AwsSession) -> Result<Vec<TaggedResource>, AwsError> {
    let mut rules = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let page = events.list_rules().set_next_token(next.take()).send().await.map_err(|e| AwsError::from_sdk(e, "events:ListRules", session))?;
        rules.extend(page.rules().iter().filter_map(|r| Some((r.name()?.to_owned(), r.arn()?.to_owned()))));
        match page.next_token() {
            Some(token) if !token.is_empty() => next = Some(token.to_owned()),
            _ => break,
        }
    }
    let mut out = Vec::new();
    for (name, arn) in rules {
        match events.list_tags_for_resource().resource_arn(&arn).send().await {
            Ok(tags) => {
                let pairs = || tags.tags().iter().map(|t| (Some(t.key()), Some(t.value())));
                out.extend(found("eventRule", &name, value(pairs(), GRANT_TAG), value(pairs(), VENDOR_TAG)));
            }
            Err(e) => {
                let err = AwsError::from_sdk(e, "events:ListTagsForResource", session);
                if !err.is_not_found() {
                    return Err(err);
                }
            }
        }
    }
    Ok(out)
}

/// Log groups of Lambda functions (VendorLink makes its function's group itself, tagged, before
/// the function: the runtime's own would be untagged).
async fn log_groups_tagged(logs: &aws_sdk_cloudwatchlogs::Client, session: &AwsSession) -> Result<Vec<TaggedResource>, AwsError> {
    let groups = logs
        .describe_log_groups()
        .log_group_name_prefix("/aws/lambda/")
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| AwsError::from_sdk(e, "logs:DescribeLogGroups", session))?;
    let mut out = Vec::new();
    for group in &groups {
        let (Some(arn), Some(name)) = (group.log_group_arn(), group.log_group_name()) else { continue };
        match logs.list_tags_for_resource().resource_arn(arn).send().await {
            Ok(tags) => {
                let get = |key: &str| tags.tags().and_then(|m| m.get(key)).cloned();
                out.extend(found("logGroup", name, get(GRANT_TAG), get(VENDOR_TAG)));
            }
            Err(e) => {
                let err = AwsError::from_sdk(e, "logs:ListTagsForResource", session);
                if !err.is_not_found() {
                    return Err(err);
                }
            }
        }
    }
    Ok(out)
}

async fn roles_tagged(iam: &aws_sdk_iam::Client, session: &AwsSession) -> Result<Vec<TaggedResource>, AwsError> {
    let roles = iam
        .list_roles()
        .path_prefix(ROLE_PATH)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| AwsError::from_sdk(e, "iam:ListRoles", session))?;
    let mut out = Vec::new();
    for role in &roles {
        let tags = iam.list_role_tags().role_name(role.role_name()).send().await.map_err(|e| AwsError::from_sdk(e, "iam:ListRoleTags", session))?;
        let pairs = || tags.tags().iter().map(|t| (Some(t.key()), Some(t.value())));
        out.extend(found("role", role.role_name(), value(pairs(), GRANT_TAG), value(pairs(), VENDOR_TAG)));
    }
    Ok(out)
}
