use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ErrorPayload;

/// What discovery found in one region: the networks and databases a grant can use, and what
/// VendorLink made there before.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    pub region: String,
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub security_groups: Vec<SecurityGroup>,
    /// Inbound rules of every security group, so a plan can see what is open already.
    pub ingress_rules: Vec<IngressRule>,
    pub databases: Vec<Database>,
    /// Resources earlier grants made here (found by the `vendorlink:grant` tag).
    pub grant_resources: Vec<TaggedResource>,
}

impl Inventory {
    pub fn vpc(&self, id: &str) -> Option<&Vpc> {
        self.vpcs.iter().find(|v| v.id == id)
    }

    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.id == id)
    }

    pub fn security_group(&self, id: &str) -> Option<&SecurityGroup> {
        self.security_groups.iter().find(|g| g.id == id)
    }

    pub fn database(&self, id: &str) -> Option<&Database> {
        self.databases.iter().find(|d| d.id == id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Vpc {
    pub id: String,
    pub name: Option<String>,
    /// Every IPv4 block associated with the VPC (primary first).
    pub cidrs: Vec<String>,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub name: Option<String>,
    pub cidr: String,
    /// The zone's name in this account (`us-east-1a`): differs between accounts.
    pub availability_zone: String,
    /// The zone's ID (`use1-az6`): the same in every account, which is what a vendor needs.
    pub availability_zone_id: String,
    /// Free IPv4 addresses, as AWS counts them; `None` when not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub available_ips: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub vpc_id: String,
    pub description: String,
}

/// One inbound security-group rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IngressRule {
    pub group_id: String,
    pub rule_id: String,
    /// `tcp`, `udp`, `icmp` or `-1` (everything).
    pub protocol: String,
    pub from_port: i32,
    pub to_port: i32,
    pub cidr: Option<String>,
    pub source_group: Option<String>,
    pub description: Option<String>,
}

impl IngressRule {
    /// Whether it admits TCP traffic to `port`.
    pub fn admits_tcp(&self, port: u16) -> bool {
        self.protocol == "-1" || (self.protocol == "tcp" && self.from_port <= i32::from(port) && i32::from(port) <= self.to_port)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DatabaseKind {
    /// An RDS DB instance that is not part of a cluster.
    Instance,
    /// An Aurora (or Multi-AZ DB) cluster, reached through its writer/reader endpoints.
    Cluster,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Database {
    pub id: String,
    /// The instance's or cluster's ARN (a resource configuration names the database by it).
    #[serde(default)]
    pub arn: String,
    pub kind: DatabaseKind,
    pub engine: String,
    pub engine_version: String,
    pub status: String,
    /// The writer (or only) endpoint hostname; empty while RDS is still creating it.
    pub endpoint: String,
    pub reader_endpoint: Option<String>,
    pub port: u16,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    pub multi_az: bool,
    pub publicly_accessible: bool,
}

/// A resource found by the grant tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaggedResource {
    pub kind: String,
    pub id: String,
    pub grant_id: String,
    pub vendor_id: Option<String>,
    /// What it lives in, when it cannot be removed without naming that (a rule's group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub within: Option<String>,
}

/// A region discovery could not read, and why; the other regions still come back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionFailure {
    pub region: String,
    pub error: ErrorPayload,
}

/// An account of the organization, as `organizations:ListAccounts` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrgAccount {
    pub id: String,
    pub name: String,
    pub email: String,
    /// `ACTIVE`, `SUSPENDED` or `PENDING_CLOSURE`.
    pub status: String,
}

/// What one account of the organization holds, region by region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountDiscovery {
    pub account: OrgAccount,
    pub discovery: Discovery,
}

/// An account that could not be read (its access role missing or not trusting the caller...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountFailure {
    pub account: OrgAccount,
    pub error: ErrorPayload,
}

/// Discovery across every active account of an organization; one failing account does not
/// hide the others.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrgDiscovery {
    /// The account whose credentials did the reading.
    pub caller_account: String,
    /// The role assumed in every other account.
    pub access_role: String,
    pub accounts: Vec<AccountDiscovery>,
    pub failures: Vec<AccountFailure>,
}

/// What VendorLink tagged in one account of the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountResources {
    pub account: OrgAccount,
    pub resources: Vec<TaggedResource>,
    /// Regions of this account that could not be read: what is there is neither known nor unknown.
    pub failures: Vec<RegionFailure>,
}

/// VendorLink's tagged resources across the organization's accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrgTagged {
    pub caller_account: String,
    pub access_role: String,
    pub accounts: Vec<AccountResources>,
    pub failures: Vec<AccountFailure>,
}

/// Discovery across one or more regions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Discovery {
    pub regions: Vec<Inventory>,
    pub failures: Vec<RegionFailure>,
}

/// What a peering or bastion plan needs to know about the database's VPC (docs/aws-rules.md
/// R19, R20): its route tables with their routes, the peering connections either side of it,
/// its DNS settings, and the bastion's instance types each zone offers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VpcFacts {
    pub route_tables: Vec<RouteTable>,
    pub connections: Vec<PeeringConnection>,
    /// The VPC's DNS hostnames and DNS support: DNS resolution over a peering needs both (R19).
    #[serde(default)]
    pub dns_hostnames: bool,
    #[serde(default)]
    pub dns_support: bool,
    /// (zone name, instance type) for the bastion's candidate types; read only for a bastion.
    #[serde(default)]
    pub instance_offers: Vec<(String, String)>,
}

impl VpcFacts {
    /// The table that routes a subnet's traffic: the one associated with it, else the VPC's main table.
    pub fn table_of(&self, subnet_id: &str) -> Option<&RouteTable> {
        self.route_tables.iter().find(|t| t.subnet_ids.iter().any(|s| s == subnet_id)).or_else(|| self.route_tables.iter().find(|t| t.main))
    }

    pub fn connection(&self, id: &str) -> Option<&PeeringConnection> {
        self.connections.iter().find(|c| c.id == id)
    }

    /// Whether the subnet's table sends `0.0.0.0/0` to an internet gateway (AWS's public subnet).
    pub fn is_public(&self, subnet_id: &str) -> bool {
        self.table_of(subnet_id).is_some_and(|t| t.routes.iter().any(|r| r.destination == "0.0.0.0/0" && r.target.starts_with("igw-") && r.state == "active"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    /// The VPC's main table: it routes every subnet no other table is associated with.
    pub main: bool,
    /// Subnets explicitly associated with it.
    pub subnet_ids: Vec<String>,
    pub routes: Vec<Route>,
}

/// One IPv4 route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    pub destination: String,
    /// What it sends the traffic to (`local`, `igw-…`, `pcx-…`, `tgw-…`, `nat-…`…).
    pub target: String,
    /// `active`, or `blackhole` when the target is gone or not usable (yet).
    pub state: String,
}

/// A VPC peering connection as DescribeVpcPeeringConnections shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PeeringConnection {
    pub id: String,
    /// `initiating-request`, `pending-acceptance`, `provisioning`, `active`, `failed`,
    /// `rejected`, `expired`, `deleting` or `deleted`.
    pub status: String,
    /// AWS's words on the status (why a request failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub message: Option<String>,
    pub requester: PeerVpc,
    pub accepter: PeerVpc,
    /// The `vendorlink:grant` tag, when VendorLink made or accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub grant_id: Option<String>,
}

impl PeeringConnection {
    /// A connection in one of these states carries no traffic and never will again (R19).
    pub fn is_over(&self) -> bool {
        peering_over(&self.status)
    }
}

/// Whether a peering status is final: nothing can flow, and nothing needs removing.
pub fn peering_over(status: &str) -> bool {
    matches!(status, "deleted" | "deleting" | "rejected" | "failed" | "expired")
}

/// One side of a peering connection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PeerVpc {
    pub account_id: String,
    pub vpc_id: String,
    pub region: String,
    /// Every IPv4 block of the VPC (primary and secondary).
    pub cidrs: Vec<String>,
}
