//! VPC peering from the customer's side (docs/aws-rules.md R19): the connection (requested or
//! accepted), its DNS option, and routes through it. Each create has its find and its undo, and
//! "already gone" (a connection deleted, rejected, failed or expired) is success.

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, PeeringConnectionOptionsRequest, ResourceType, Tag, TagSpecification, VpcAttributeName, VpcPeeringConnection, VpcPeeringConnectionVpcInfo};
use aws_types::request_id::RequestId;

use super::{AwsError, AwsSession, Created};
use vendorlink_model::{Output, PeerVpc, PeeringConnection, Route, RouteTable, VpcFacts, GRANT_TAG};

/// EC2's peering and routing calls, with one SDK client for the session.
#[derive(Debug, Clone)]
pub struct Peering {
    client: aws_sdk_ec2::Client,
    session: AwsSession,
}

impl Peering {
    pub fn new(session: &AwsSession) -> Self {
        Peering { client: aws_sdk_ec2::Client::new(&session.config), session: session.clone() }
    }

    async fn connections(&self, filters: Vec<Filter>, ids: Vec<String>) -> Result<Vec<PeeringConnection>, AwsError> {
        let found = self
            .client
            .describe_vpc_peering_connections()
            .set_filters((!filters.is_empty()).then_some(filters))
            .set_vpc_peering_connection_ids((!ids.is_empty()).then_some(ids))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcPeeringConnections", &self.session))?;
        Ok(found.iter().map(connection).collect())
    }

    async fn vpc_attribute(&self, vpc_id: &str, name: VpcAttributeName) -> Result<bool, AwsError> {
        let out = self
            .client
            .describe_vpc_attribute()
            .vpc_id(vpc_id)
            .attribute(name.clone())
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeVpcAttribute", &self.session))?;
        let value = match name {
            VpcAttributeName::EnableDnsHostnames => out.enable_dns_hostnames(),
            _ => out.enable_dns_support(),
        };
        Ok(value.and_then(|v| v.value()).unwrap_or(false))
    }

    async fn tables(&self, filter: Filter) -> Result<Vec<RouteTable>, AwsError> {
        let tables = self
            .client
            .describe_route_tables()
            .filters(filter)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeRouteTables", &self.session))?;
        Ok(tables.iter().map(route_table).collect())
    }
}

#[async_trait]
pub trait PeeringApi: Send + Sync {
    /// The VPC's route tables and every peering connection it is a side of.
    async fn facts(&self, vpc_id: &str) -> Result<VpcFacts, AwsError>;
    /// One connection, in whatever state; `None` when AWS no longer lists it.
    async fn connection(&self, id: &str) -> Result<Option<PeeringConnection>, AwsError>;
    /// The connection this grant requested, unless it is over (an interrupted create).
    async fn find_requested(&self, grant_id: &str) -> Result<Option<PeeringConnection>, AwsError>;
    async fn create(&self, vpc_id: &str, peer_vpc_id: &str, peer_account: &str, peer_region: Option<&str>, tags: &[(String, String)]) -> Result<Created, AwsError>;
    /// Accepts the vendor's request, then tags it as the grant's (tags are the accepter's own).
    async fn accept(&self, id: &str, tags: &[(String, String)]) -> Result<Created, AwsError>;
    /// Lets the other VPC resolve this side's hostnames to private addresses (active connections only).
    async fn allow_dns(&self, id: &str, as_requester: bool) -> Result<Created, AwsError>;
    /// Deletes the connection; one already over is left as it is.
    async fn delete(&self, id: &str) -> Result<Option<String>, AwsError>;
    /// A route table; `None` when it is gone.
    async fn route_table(&self, id: &str) -> Result<Option<RouteTable>, AwsError>;
    /// Routes each block through the connection. A route already there through the same
    /// connection (a repeated call) is kept; one through anything else is refused by AWS.
    async fn create_routes(&self, table: &str, cidrs: &[String], connection: &str) -> Result<Created, AwsError>;
    /// Deletes the routes to these blocks that go through the connection, and no other.
    async fn delete_routes(&self, table: &str, cidrs: &[String], connection: &str) -> Result<Option<String>, AwsError>;
}

#[async_trait]
impl PeeringApi for Peering {
    async fn facts(&self, vpc_id: &str) -> Result<VpcFacts, AwsError> {
        let by = |name: &str| Filter::builder().name(name).values(vpc_id).build();
        let (tables, accepting, requesting, dns_hostnames, dns_support) = tokio::try_join!(
            self.tables(by("vpc-id")),
            self.connections(vec![by("accepter-vpc-info.vpc-id")], Vec::new()),
            self.connections(vec![by("requester-vpc-info.vpc-id")], Vec::new()),
            self.vpc_attribute(vpc_id, VpcAttributeName::EnableDnsHostnames),
            self.vpc_attribute(vpc_id, VpcAttributeName::EnableDnsSupport),
        )?;
        let mut connections = accepting;
        connections.extend(requesting.into_iter().filter(|c| c.accepter.vpc_id != vpc_id));
        // Filters are checked here too: not every implementation honours them.
        connections.retain(|c| c.accepter.vpc_id == vpc_id || c.requester.vpc_id == vpc_id);
        Ok(VpcFacts { route_tables: tables.into_iter().filter(|t| t.vpc_id == vpc_id).collect(), connections, dns_hostnames, dns_support, instance_offers: Vec::new() })
    }

    async fn connection(&self, id: &str) -> Result<Option<PeeringConnection>, AwsError> {
        match self.connections(Vec::new(), vec![id.to_owned()]).await {
            Ok(found) => Ok(found.into_iter().find(|c| c.id == id)),
            Err(err) if err.is_not_found() => Ok(None),
            Err(err) => Err(err),
        }
    }

    async fn find_requested(&self, grant_id: &str) -> Result<Option<PeeringConnection>, AwsError> {
        let tagged = self.connections(vec![Filter::builder().name(format!("tag:{GRANT_TAG}")).values(grant_id).build()], Vec::new()).await?;
        Ok(tagged.into_iter().find(|c| c.grant_id.as_deref() == Some(grant_id) && !c.is_over()))
    }

    async fn create(&self, vpc_id: &str, peer_vpc_id: &str, peer_account: &str, peer_region: Option<&str>, tags: &[(String, String)]) -> Result<Created, AwsError> {
        let out = self
            .client
            .create_vpc_peering_connection()
            .vpc_id(vpc_id)
            .peer_vpc_id(peer_vpc_id)
            .peer_owner_id(peer_account)
            .set_peer_region(peer_region.map(str::to_owned))
            .tag_specifications(
                TagSpecification::builder()
                    .resource_type(ResourceType::VpcPeeringConnection)
                    .set_tags(Some(tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect()))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:CreateVpcPeeringConnection", &self.session))?;
        let made = out.vpc_peering_connection().map(connection).unwrap_or_else(|| connection(&VpcPeeringConnection::builder().build()));
        Ok(Created { output: Output::Peering { connection_id: made.id, status: Some(made.status) }, request_id: out.request_id().map(str::to_owned) })
    }

    async fn accept(&self, id: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        let out = self
            .client
            .accept_vpc_peering_connection()
            .vpc_peering_connection_id(id)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:AcceptVpcPeeringConnection", &self.session))?;
        self.client
            .create_tags()
            .resources(id)
            .set_tags(Some(tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect()))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:CreateTags", &self.session))?;
        let status = out.vpc_peering_connection().map(connection).map(|c| c.status);
        Ok(Created { output: Output::Peering { connection_id: id.to_owned(), status }, request_id: out.request_id().map(str::to_owned) })
    }

    async fn allow_dns(&self, id: &str, as_requester: bool) -> Result<Created, AwsError> {
        let option = PeeringConnectionOptionsRequest::builder().allow_dns_resolution_from_remote_vpc(true).build();
        let call = self.client.modify_vpc_peering_connection_options().vpc_peering_connection_id(id);
        let call = if as_requester { call.requester_peering_connection_options(option) } else { call.accepter_peering_connection_options(option) };
        let out = call.send().await.map_err(|e| AwsError::from_sdk(e, "ec2:ModifyVpcPeeringConnectionOptions", &self.session))?;
        Ok(Created { output: Output::PeeringOption { connection_id: id.to_owned() }, request_id: out.request_id().map(str::to_owned) })
    }

    async fn delete(&self, id: &str) -> Result<Option<String>, AwsError> {
        match self.connection(id).await? {
            None => return Ok(None),
            Some(c) if c.is_over() => return Ok(None),
            Some(_) => {}
        }
        match self.client.delete_vpc_peering_connection().vpc_peering_connection_id(id).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => super::ec2::gone_is_done(AwsError::from_sdk(e, "ec2:DeleteVpcPeeringConnection", &self.session)),
        }
    }

    async fn route_table(&self, id: &str) -> Result<Option<RouteTable>, AwsError> {
        match self.tables(Filter::builder().name("route-table-id").values(id).build()).await {
            Ok(tables) => Ok(tables.into_iter().find(|t| t.id == id)),
            Err(err) if err.is_not_found() => Ok(None),
            Err(err) => Err(err),
        }
    }

    async fn create_routes(&self, table: &str, cidrs: &[String], connection: &str) -> Result<Created, AwsError> {
        let present = self.route_table(table).await?.map(|t| t.routes).unwrap_or_default();
        let mut request_id = None;
        for cidr in cidrs {
            if present.iter().any(|r| &r.destination == cidr && r.target == connection) {
                continue;
            }
            let out = self
                .client
                .create_route()
                .route_table_id(table)
                .destination_cidr_block(cidr)
                .vpc_peering_connection_id(connection)
                .send()
                .await
                .map_err(|e| AwsError::from_sdk(e, "ec2:CreateRoute", &self.session))?;
            request_id = out.request_id().map(str::to_owned);
        }
        Ok(Created { output: Output::Routes { route_table_id: table.to_owned(), connection_id: connection.to_owned(), cidrs: cidrs.to_vec() }, request_id })
    }

    async fn delete_routes(&self, table: &str, cidrs: &[String], connection: &str) -> Result<Option<String>, AwsError> {
        let Some(present) = self.route_table(table).await? else { return Ok(None) };
        let mut request_id = None;
        for route in present.routes.iter().filter(|r| r.target == connection && cidrs.contains(&r.destination)) {
            match self.client.delete_route().route_table_id(table).destination_cidr_block(&route.destination).send().await {
                Ok(out) => request_id = out.request_id().map(str::to_owned),
                Err(e) => {
                    super::ec2::gone_is_done(AwsError::from_sdk(e, "ec2:DeleteRoute", &self.session))?;
                }
            }
        }
        Ok(request_id)
    }
}

fn side(info: Option<&VpcPeeringConnectionVpcInfo>) -> PeerVpc {
    let Some(info) = info else { return PeerVpc::default() };
    let mut cidrs: Vec<String> = info.cidr_block().map(str::to_owned).into_iter().collect();
    for block in info.cidr_block_set() {
        if let Some(b) = block.cidr_block().filter(|b| !cidrs.iter().any(|c| c == b)) {
            cidrs.push(b.to_owned());
        }
    }
    PeerVpc {
        account_id: info.owner_id().unwrap_or_default().to_owned(),
        vpc_id: info.vpc_id().unwrap_or_default().to_owned(),
        region: info.region().unwrap_or_default().to_owned(),
        cidrs,
    }
}

fn connection(c: &VpcPeeringConnection) -> PeeringConnection {
    let status = c.status();
    PeeringConnection {
        id: c.vpc_peering_connection_id().unwrap_or_default().to_owned(),
        status: status.and_then(|s| s.code()).map(|code| code.as_str().to_owned()).unwrap_or_default(),
        message: status.and_then(|s| s.message()).filter(|m| !m.is_empty()).map(str::to_owned),
        requester: side(c.requester_vpc_info()),
        accepter: side(c.accepter_vpc_info()),
        grant_id: c.tags().iter().find(|t| t.key() == Some(GRANT_TAG)).and_then(|t| t.value()).map(str::to_owned),
    }
}

fn route_table(t: &aws_sdk_ec2::types::RouteTable) -> RouteTable {
    let associations = t.associations();
    RouteTable {
        id: t.route_table_id().unwrap_or_default().to_owned(),
        vpc_id: t.vpc_id().unwrap_or_default().to_owned(),
        main: associations.iter().any(|a| a.main() == Some(true)),
        subnet_ids: associations.iter().filter_map(|a| a.subnet_id().map(str::to_owned)).collect(),
        routes: t
            .routes()
            .iter()
            .filter_map(|r| {
                let destination = r.destination_cidr_block()?.to_owned();
                let target = [r.vpc_peering_connection_id(), r.gateway_id(), r.nat_gateway_id(), r.transit_gateway_id(), r.network_interface_id(), r.instance_id()]
                    .into_iter()
                    .flatten()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                Some(Route { destination, target, state: r.state().map(|s| s.as_str().to_owned()).unwrap_or_default() })
            })
            .collect(),
    }
}
