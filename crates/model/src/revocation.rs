use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::StepId;

/// How much of a grant to take back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RevokeScope {
    /// Cut the vendor (principals, connections, role, sessions, allowlist) but keep the
    /// network (NLB, endpoint service) for a later grant.
    AccessOnly,
    /// Remove every resource of the grant.
    Everything,
}

/// A resource a revoke removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Removed {
    pub step: StepId,
    pub id: String,
    pub action: String,
    pub request_id: Option<String>,
    /// RFC 3339, UTC.
    pub at: String,
}

/// A resource a revoke left in place, and why (changed by hand, a failed call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Kept {
    pub step: StepId,
    pub id: String,
    pub reason: String,
}

/// One point of the proof, checked with a describe call after the revoke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProofCheck {
    pub check: String,
    pub passed: bool,
    pub detail: String,
}

/// What a revoke did and the proof that the vendor's access is gone; kept next to the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevocationRecord {
    pub grant_id: String,
    pub vendor_name: String,
    pub scope: RevokeScope,
    /// Who revoked (the caller's ARN).
    pub caller: String,
    pub started_at: String,
    pub finished_at: String,
    pub removed: Vec<Removed>,
    pub kept: Vec<Kept>,
    pub checks: Vec<ProofCheck>,
    /// The grant's dedicated account, left open as asked (closing is never automatic), and how
    /// to close it; it holds nothing of the grant's any more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub open_account: Option<OpenAccount>,
}

/// A dedicated account a revoke did not close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenAccount {
    pub account_id: String,
    /// The command that closes it.
    pub close_with: String,
}

impl RevocationRecord {
    /// Everything asked for was removed and every check passed.
    pub fn complete(&self) -> bool {
        self.kept.is_empty() && self.checks.iter().all(|c| c.passed)
    }
}
