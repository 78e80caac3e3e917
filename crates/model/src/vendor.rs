use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a vendor needs from a grant: who it is in AWS, where it connects from, what it may do.
/// Data, not code: presets ship with the app, others load from a JSON or TOML file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VendorProfile {
    /// Short lowercase id used in tags and resource names (`datafold`).
    pub id: String,
    pub name: String,
    /// One sentence on what the vendor does with the access, for the admin.
    #[serde(default)]
    pub description: String,
    /// The vendor's AWS account; `None` when the vendor gives it on request.
    #[serde(default)]
    pub account_id: Option<String>,
    /// ARNs to allow on the endpoint service and in the role's trust; empty means the account root.
    #[serde(default)]
    pub principals: Vec<String>,
    /// Addresses the vendor connects from, for an IP allowlist.
    #[serde(default)]
    pub ip_ranges: Vec<String>,
    /// Regions the vendor reaches endpoint services from (cross-region PrivateLink).
    #[serde(default)]
    pub regions: Vec<String>,
    /// Availability-zone IDs the vendor can reach; empty means any.
    #[serde(default)]
    pub az_ids: Vec<String>,
    #[serde(default)]
    pub permissions: VendorPermissions,
    /// The vendor role may be assumed only with MFA: right for the vendor's staff signing in
    /// (Datafold's guide: "Require MFA"); the vendor's automation cannot answer MFA.
    #[serde(default = "yes")]
    pub require_mfa: bool,
    /// The vendor role's trust requires an `sts:ExternalId`.
    #[serde(default = "yes")]
    pub require_external_id: bool,
    /// The ExternalId the vendor issued to this customer. AWS's confused-deputy guidance has
    /// the vendor issue it, unique per customer (docs/aws-rules.md R9).
    #[serde(default)]
    pub external_id: Option<String>,
    /// The vendor accepts an ExternalId chosen by the customer: only then does VendorLink make one.
    #[serde(default)]
    pub accepts_customer_external_id: bool,
    /// The VPC the vendor peers from, when it publishes it: a peering request is checked against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub vpc: Option<VendorVpc>,
    /// The network paths the vendor documents accepting (private link, resource endpoint,
    /// peering, SSH, allowlist), best first; empty when its profile does not say.
    #[serde(default)]
    pub network_paths: Vec<crate::Part>,
}

/// A vendor's own VPC, as it tells its customers for peering.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VendorVpc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub region: Option<String>,
    #[serde(default)]
    pub cidrs: Vec<String>,
}

fn yes() -> bool {
    true
}

/// What the vendor role may do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VendorPermissions {
    /// AWS-managed or customer policies to attach (`arn:aws:iam::aws:policy/PowerUserAccess`).
    #[serde(default)]
    pub managed_policy_arns: Vec<String>,
    /// An IAM policy document (JSON text) to put inline on the role.
    #[serde(default)]
    pub inline_policy: Option<String>,
}
