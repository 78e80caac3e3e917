//! `status --all-accounts`: the grants this machine knows, by account, beside what VendorLink
//! tagged in every account of the organization — so a grant made elsewhere (another admin's
//! machine, a lost laptop) is found and can be dealt with.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::status::{local_state, GrantState};
use super::EngineError;
use crate::journal::GrantStore;
use vendorlink_model::{AccountFailure, OrgAccount, OrgTagged, TaggedResource};

/// One grant this machine has a record of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KnownGrant {
    pub grant_id: String,
    pub account_id: String,
    pub region: String,
    pub vendor_id: String,
    pub database: String,
    pub state: GrantState,
    /// How many of its resources carry its tag in AWS now; `None` when its account (or its
    /// region) could not be read, or is not in the organization.
    pub tagged: Option<usize>,
}

/// A resource tagged by VendorLink for a grant no record on this machine knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnknownResource {
    pub account: OrgAccount,
    pub resource: TaggedResource,
}

/// The grants this machine knows beside what AWS holds tagged, across the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrgStatus {
    /// Sorted by account, then grant.
    pub grants: Vec<KnownGrant>,
    pub unknown: Vec<UnknownResource>,
    /// Grants whose local record could not be read, with why.
    pub unreadable: Vec<String>,
    /// Accounts that could not be read: their resources are neither known nor unknown.
    pub failures: Vec<AccountFailure>,
}

/// Compares the local grants with what AWS holds tagged, account by account.
pub fn organization_status(store: &GrantStore, tagged: OrgTagged) -> Result<OrgStatus, EngineError> {
    let (mut grants, mut unreadable) = (Vec::new(), Vec::new());
    for grant_id in store.list()? {
        let (plan, records) = match (store.plan(&grant_id), store.records(&grant_id)) {
            (Ok(plan), Ok(records)) => (plan, records),
            (Err(err), _) | (_, Err(err)) => {
                unreadable.push(format!("{grant_id}: {err}"));
                continue;
            }
        };
        let state = local_state(&plan, &records, store.running(&grant_id));
        // A dedicated account's grant lives in that account, once it exists.
        let account_id = crate::dedicated::account_in(&records).unwrap_or_else(|| plan.account_id.clone());
        let read =
            tagged.accounts.iter().find(|a| a.account.id == account_id).filter(|a| !a.failures.iter().any(|f| f.region == plan.region || f.region == vendorlink_aws::IAM_GLOBAL));
        let in_aws = read.map(|a| a.resources.iter().filter(|r| r.grant_id == grant_id).count());
        grants.push(KnownGrant { account_id, region: plan.region.clone(), vendor_id: plan.vendor_id.clone(), database: plan.target(), state, tagged: in_aws, grant_id });
    }
    grants.sort_by(|a, b| (&a.account_id, &a.grant_id).cmp(&(&b.account_id, &b.grant_id)));
    let known: BTreeSet<(&str, &str)> = grants.iter().map(|g| (g.account_id.as_str(), g.grant_id.as_str())).collect();
    let unknown = tagged
        .accounts
        .iter()
        .flat_map(|a| a.resources.iter().map(move |r| (a, r)))
        .filter(|(a, r)| !known.contains(&(a.account.id.as_str(), r.grant_id.as_str())))
        .map(|(a, r)| UnknownResource { account: a.account.clone(), resource: r.clone() })
        .collect();
    Ok(OrgStatus { grants, unknown, unreadable, failures: tagged.failures })
}
