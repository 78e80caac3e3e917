use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The schema id of the JSON handoff; bumped when a field changes meaning or goes away.
pub const SUMMARY_SCHEMA: &str = "vendorlink.handoff/1";

/// What the vendor needs to connect, and nothing secret: built from the journal and describe
/// calls, not from what was typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub schema: String,
    pub grant_id: String,
    pub vendor_name: String,
    /// RFC 3339, UTC.
    pub generated_at: String,
    pub account_id: String,
    pub region: String,
    /// None for a role-only grant (a dedicated account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub database: Option<DatabaseAccess>,
    /// The member account made for the vendor, when the grant made one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dedicated_account: Option<DedicatedAccountHandoff>,
    pub private_link: Option<PrivateLinkAccess>,
    pub role: Option<RoleHandoff>,
    pub ip_allowlist: Option<AllowlistHandoff>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub peering: Option<PeeringHandoff>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub bastion: Option<BastionHandoff>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub resource_endpoint: Option<ResourceEndpointHandoff>,
    /// The estimate shown before the grant was made: both sides' charges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cost: Option<super::CostEstimate>,
    /// What the vendor does next, in plain words, in order.
    pub next_steps: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Hostname {
    /// `writer`, `reader` or `instance`.
    pub role: String,
    pub host: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseAccess {
    pub id: String,
    pub engine: String,
    pub port: u16,
    /// For TLS verification and for the vendor's connection settings.
    pub hostnames: Vec<Hostname>,
    /// Whether the database refuses unencrypted connections; `None` when it could not be read.
    pub tls_required: Option<bool>,
    /// The parameter that says so (`rds.force_ssl`, `require_secure_transport`).
    pub tls_setting: Option<String>,
    /// The certificate authority the vendor should trust (`rds-ca-rsa2048-g1`).
    pub ca_certificate: Option<String>,
    /// Where AWS publishes that CA bundle for the region.
    pub ca_bundle_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrivateLinkAccess {
    pub service_name: String,
    /// AZ IDs (not names: names differ between accounts) where the load balancer runs.
    pub availability_zone_ids: Vec<String>,
    pub supported_regions: Vec<String>,
    pub allowed_principals: Vec<String>,
    pub acceptance_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoleHandoff {
    pub role_arn: String,
    pub external_id: Option<String>,
    pub switch_role_url: String,
    pub mfa_required: bool,
    /// RFC 3339; the role stops working then.
    pub expires: Option<String>,
    pub max_session_hours: u32,
    /// For PowerUserAccess or AdministratorAccess: what a revoke cannot take back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AllowlistHandoff {
    pub ranges: Vec<String>,
    pub port: u16,
}

/// The vendor's own member account: what it is and that it holds nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DedicatedAccountHandoff {
    pub account_id: String,
    pub name: String,
    /// The organizational unit it was put in (its service control policies apply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub organizational_unit: Option<String>,
}

/// The peering connection as the vendor needs it: what to accept or find, what to route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PeeringHandoff {
    pub connection_id: String,
    /// Its status when the summary was made (`pending-acceptance` until the vendor accepts one
    /// made here).
    pub status: String,
    /// The customer's VPC blocks the vendor routes through the connection.
    pub customer_cidrs: Vec<String>,
    /// The vendor's blocks the database admits, on `port` only.
    pub vendor_cidrs: Vec<String>,
    pub port: u16,
    /// The region of the customer's VPC (the vendor's may differ).
    pub region: String,
    /// The database's hostname resolves to its private address from the vendor's VPC.
    pub dns_resolution: bool,
}

/// The shared resource configuration as the vendor needs it: what to accept, what to make its
/// `Resource` endpoint for, and which name its TLS check must expect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResourceEndpointHandoff {
    pub resource_configuration_arn: String,
    pub share_arn: String,
    /// The share's status for the vendor's account as AWS reports it to the owner
    /// (`ASSOCIATING` until the vendor accepts the invitation, then `ASSOCIATED`).
    pub invitation_status: String,
    pub port: u16,
    /// The region the vendor's endpoint must be in (resource endpoints are not cross-Region).
    pub region: String,
    /// The name the database's certificate carries, which the vendor's client must verify
    /// against whatever address its endpoint gives it.
    pub tls_hostname: String,
    /// What the configuration names: the database's ARN, or the endpoint's DNS name.
    pub target: String,
}

/// The SSH bastion as the vendor configures its tunnel: where to connect, as whom, what to
/// forward to, and the host's key fingerprints to check the first connection against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BastionHandoff {
    pub host: String,
    pub port: u16,
    pub user: String,
    /// The host's key fingerprints (`SHA256:…` with the key type), read from its first boot's
    /// console output; empty while the instance has not printed them yet.
    pub host_key_fingerprints: Vec<String>,
    /// Why there are none, when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fingerprints_note: Option<String>,
    /// The database address and port the tunnel forwards to (the only one it may).
    pub forward_to_host: String,
    pub forward_to_port: u16,
    /// The instance VendorLink launched; none for the admin's own host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub instance_id: Option<String>,
}
