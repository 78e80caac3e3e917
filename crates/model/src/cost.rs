use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Part;

/// Whose AWS bill a charge lands on: PrivateLink's endpoint hours are the endpoint owner's
/// (the vendor's) by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Payer {
    You,
    Vendor,
}

/// One charge of what a plan creates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CostLine {
    pub part: Part,
    /// "Network Load Balancer".
    pub item: String,
    /// "$0.0225 per hour".
    pub rate: String,
    /// What the charge comes to in a month when it does not depend on traffic.
    pub monthly_usd: Option<f64>,
    pub payer: Payer,
    /// What it depends on, or why it is approximate.
    pub note: String,
    /// The rate is quoted from AWS's own page; false when only AWS's price list as others
    /// publish it (or no source) had it.
    pub checked: bool,
}

/// An estimate, never a quote: from the price table shipped with VendorLink, dated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CostEstimate {
    /// The grant's region.
    pub region: String,
    /// The region whose prices the table holds (other regions' are often a little higher).
    pub priced_region: String,
    /// When the table's prices were read ("2026-09").
    pub prices_as_of: String,
    pub lines: Vec<CostLine>,
    /// Your fixed monthly charges, before traffic.
    pub your_monthly_usd: f64,
    /// The vendor's fixed monthly charges, before traffic.
    pub vendor_monthly_usd: f64,
}
