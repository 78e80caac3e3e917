//! What an account has in a region: VPCs, subnets with their AZ IDs, security groups, RDS
//! instances and Aurora clusters, and the resources earlier grants left tagged. Every list is
//! paginated; regions are read concurrently and one failing region does not hide the others.

use super::TaggedApi;
use std::collections::HashMap;

use aws_config::Region;
use tokio::task::JoinSet;

use super::{AwsError, AwsSession};
use vendorlink_model::{Database, DatabaseKind, Discovery, ErrorKind, ErrorPayload, IngressRule, Inventory, RegionFailure, SecurityGroup, Subnet, Vpc};

impl AwsSession {
    /// The same credentials pointed at another region.
    pub fn in_region(&self, region: &str) -> AwsSession {
        AwsSession { config: self.config.to_builder().region(Region::new(region.to_owned())).build(), label: self.label.clone() }
    }
}

/// The regions enabled for the account (opt-in regions only once opted in).
pub async fn enabled_regions(session: &AwsSession) -> Result<Vec<String>, AwsError> {
    let ec2 = aws_sdk_ec2::Client::new(&session.config);
    let out = ec2.describe_regions().send().await.map_err(|e| AwsError::from_sdk(e, "ec2:DescribeRegions", session))?;
    let mut regions: Vec<String> = out.regions().iter().filter_map(|r| r.region_name().map(str::to_owned)).collect();
    regions.sort();
    Ok(regions)
}

/// Reads each region concurrently: its databases, then, only where there is one, its network
/// and earlier grants (a region without a database has nothing to grant, and skipping it
/// keeps a search of every region to a few calls each). A region that fails (disabled,
/// AccessDenied...) is listed in `failures`; the rest still come back.
pub async fn discover_regions(session: &AwsSession, regions: &[String]) -> Discovery {
    let mut tasks = JoinSet::new();
    for region in regions {
        let regional = session.in_region(region);
        let region = region.clone();
        tasks.spawn(async move { (region, discover_where_databases(&regional).await) });
    }
    let mut discovery = Discovery::default();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((_, Ok(inventory))) => discovery.regions.push(inventory),
            Ok((region, Err(err))) => discovery.failures.push(RegionFailure { region, error: err.payload() }),
            Err(panic) => discovery.failures.push(RegionFailure {
                region: "?".into(),
                error: ErrorPayload {
                    kind: ErrorKind::Internal,
                    message: format!("Internal error: {panic}"),
                    hint: "This is a bug in VendorLink; please report it with the app log.".into(),
                    fields: Vec::new(),
                    detail: String::new(),
                },
            }),
        }
    }
    discovery.regions.sort_by(|a, b| a.region.cmp(&b.region));
    discovery.failures.sort_by(|a, b| a.region.cmp(&b.region));
    discovery
}

/// Everything a grant needs to know about the session's region.
pub async fn discover(session: &AwsSession) -> Result<Inventory, AwsError> {
    let tagged = super::tagged::Tagged::new(session);
    let (network, databases, grant_resources) = tokio::try_join!(network(session), databases(session), tagged.tagged_resources(None))?;
    Ok(assemble(session, network, databases, grant_resources))
}

type Network = (Vec<Vpc>, Vec<Subnet>, Vec<SecurityGroup>, Vec<IngressRule>);

fn assemble(session: &AwsSession, network: Network, databases: Vec<Database>, grant_resources: Vec<vendorlink_model::TaggedResource>) -> Inventory {
    let (vpcs, subnets, security_groups, ingress_rules) = network;
    Inventory { region: session.region().to_owned(), vpcs, subnets, security_groups, ingress_rules, databases, grant_resources }
}

async fn discover_where_databases(session: &AwsSession) -> Result<Inventory, AwsError> {
    let databases = databases(session).await?;
    if databases.is_empty() {
        return Ok(Inventory { region: session.region().to_owned(), databases, ..Inventory::default() });
    }
    let tagged = super::tagged::Tagged::new(session);
    let (network, grant_resources) = tokio::try_join!(network(session), tagged.tagged_resources(None))?;
    Ok(assemble(session, network, databases, grant_resources))
}

fn ec2_tag(tags: &[aws_sdk_ec2::types::Tag], key: &str) -> Option<String> {
    tags.iter().find(|t| t.key() == Some(key)).and_then(|t| t.value()).map(str::to_owned)
}

async fn network(session: &AwsSession) -> Result<Network, AwsError> {
    let ec2 = aws_sdk_ec2::Client::new(&session.config);
    let vpcs = ec2.describe_vpcs().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let subnets = ec2.describe_subnets().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let groups = ec2.describe_security_groups().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let rules = ec2.describe_security_group_rules().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let (vpcs, subnets, groups, rules) = tokio::join!(vpcs, subnets, groups, rules);
    let rules = rules.map_err(|e| AwsError::from_sdk(e, "ec2:DescribeSecurityGroupRules", session))?;
    let vpcs = vpcs.map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcs", session))?;
    let subnets = subnets.map_err(|e| AwsError::from_sdk(e, "ec2:DescribeSubnets", session))?;
    let groups = groups.map_err(|e| AwsError::from_sdk(e, "ec2:DescribeSecurityGroups", session))?;
    let vpcs = vpcs
        .into_iter()
        .map(|v| {
            let mut cidrs: Vec<String> = v.cidr_block().map(str::to_owned).into_iter().collect();
            for assoc in v.cidr_block_association_set() {
                let associated = assoc.cidr_block_state().and_then(|s| s.state()).is_none_or(|s| s.as_str() == "associated");
                if let Some(block) = assoc.cidr_block().filter(|b| associated && !cidrs.iter().any(|c| c == b)) {
                    cidrs.push(block.to_owned());
                }
            }
            Vpc { id: v.vpc_id().unwrap_or_default().to_owned(), name: ec2_tag(v.tags(), "Name"), cidrs, is_default: v.is_default().unwrap_or(false) }
        })
        .collect();
    let subnets = subnets
        .into_iter()
        .map(|s| Subnet {
            id: s.subnet_id().unwrap_or_default().to_owned(),
            vpc_id: s.vpc_id().unwrap_or_default().to_owned(),
            name: ec2_tag(s.tags(), "Name"),
            cidr: s.cidr_block().unwrap_or_default().to_owned(),
            availability_zone: s.availability_zone().unwrap_or_default().to_owned(),
            availability_zone_id: s.availability_zone_id().unwrap_or_default().to_owned(),
            available_ips: s.available_ip_address_count().and_then(|n| u32::try_from(n).ok()),
        })
        .collect();
    let groups = groups
        .into_iter()
        .map(|g| SecurityGroup {
            id: g.group_id().unwrap_or_default().to_owned(),
            name: g.group_name().unwrap_or_default().to_owned(),
            vpc_id: g.vpc_id().unwrap_or_default().to_owned(),
            description: g.description().unwrap_or_default().to_owned(),
        })
        .collect();
    let rules = rules.iter().filter(|r| r.is_egress() == Some(false)).map(super::ec2::ingress_rule).collect();
    Ok((vpcs, subnets, groups, rules))
}

async fn databases(session: &AwsSession) -> Result<Vec<Database>, AwsError> {
    let rds = aws_sdk_rds::Client::new(&session.config);
    let instances = rds.describe_db_instances().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let clusters = rds.describe_db_clusters().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let subnet_groups = rds.describe_db_subnet_groups().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let (instances, clusters, subnet_groups) = tokio::join!(instances, clusters, subnet_groups);
    let instances = instances.map_err(|e| AwsError::from_sdk(e, "rds:DescribeDBInstances", session))?;
    let clusters = clusters.map_err(|e| AwsError::from_sdk(e, "rds:DescribeDBClusters", session))?;
    let subnet_groups = subnet_groups.map_err(|e| AwsError::from_sdk(e, "rds:DescribeDBSubnetGroups", session))?;
    let groups: HashMap<&str, (String, Vec<String>)> = subnet_groups
        .iter()
        .filter_map(|g| {
            let subnets = g.subnets().iter().filter_map(|s| s.subnet_identifier().map(str::to_owned)).collect();
            Some((g.db_subnet_group_name()?, (g.vpc_id().unwrap_or_default().to_owned(), subnets)))
        })
        .collect();
    let port = |p: Option<i32>| p.and_then(|p| u16::try_from(p).ok()).unwrap_or_default();
    let mut databases = Vec::new();
    for i in instances.iter().filter(|i| i.db_cluster_identifier().is_none()) {
        let group = i.db_subnet_group();
        let (vpc_id, subnet_ids) = match group {
            Some(g) => (g.vpc_id().unwrap_or_default().to_owned(), g.subnets().iter().filter_map(|s| s.subnet_identifier().map(str::to_owned)).collect()),
            None => Default::default(),
        };
        databases.push(Database {
            id: i.db_instance_identifier().unwrap_or_default().to_owned(),
            arn: i.db_instance_arn().unwrap_or_default().to_owned(),
            kind: DatabaseKind::Instance,
            engine: i.engine().unwrap_or_default().to_owned(),
            engine_version: i.engine_version().unwrap_or_default().to_owned(),
            status: i.db_instance_status().unwrap_or_default().to_owned(),
            endpoint: i.endpoint().and_then(|e| e.address()).unwrap_or_default().to_owned(),
            reader_endpoint: None,
            port: port(i.endpoint().and_then(|e| e.port()).or(i.db_instance_port())),
            vpc_id,
            subnet_ids,
            security_group_ids: i.vpc_security_groups().iter().filter_map(|g| g.vpc_security_group_id().map(str::to_owned)).collect(),
            multi_az: i.multi_az().unwrap_or(false),
            publicly_accessible: i.publicly_accessible().unwrap_or(false),
        });
    }
    for c in &clusters {
        let (vpc_id, subnet_ids) = c.db_subnet_group().and_then(|name| groups.get(name)).cloned().unwrap_or_default();
        databases.push(Database {
            id: c.db_cluster_identifier().unwrap_or_default().to_owned(),
            arn: c.db_cluster_arn().unwrap_or_default().to_owned(),
            kind: DatabaseKind::Cluster,
            engine: c.engine().unwrap_or_default().to_owned(),
            engine_version: c.engine_version().unwrap_or_default().to_owned(),
            status: c.status().unwrap_or_default().to_owned(),
            endpoint: c.endpoint().unwrap_or_default().to_owned(),
            reader_endpoint: c.reader_endpoint().map(str::to_owned),
            port: port(c.port()),
            vpc_id,
            subnet_ids,
            security_group_ids: c.vpc_security_groups().iter().filter_map(|g| g.vpc_security_group_id().map(str::to_owned)).collect(),
            multi_az: c.multi_az().unwrap_or(false),
            publicly_accessible: c.publicly_accessible().unwrap_or(false),
        });
    }
    databases.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(databases)
}
