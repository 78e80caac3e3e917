//! What a plan is made from besides the request: where, who, and the facts discovery found
//! (shared by the planner and its part modules).

use std::net::Ipv4Addr;

use chrono::{DateTime, Utc};
use vendorlink_model::{CredentialSource, Inventory, VpcFacts};

/// Everything a plan needs besides the request: where, who, and the facts discovery found.
#[derive(Debug, Clone)]
pub struct PlanContext<'a> {
    pub grant_id: String,
    pub external_id: String,
    pub now: DateTime<Utc>,
    pub account_id: String,
    pub source: CredentialSource,
    pub inventory: &'a Inventory,
    /// The database endpoint's addresses as the resolver found them (used when the request
    /// names no target IPs); `Err` holds why resolution failed.
    pub resolved_ips: Result<Vec<Ipv4Addr>, String>,
    /// The database VPC's routing, peering connections and (for a bastion) its zones' instance
    /// types, read for the peering and bastion parts; `None` while the admin is still typing
    /// (those checks wait for the plan).
    pub vpc: Option<&'a VpcFacts>,
}
