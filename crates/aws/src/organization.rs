//! The caller's AWS Organization: its accounts, and discovery across all of them, each member
//! account read through a role assumed in it.

use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{assume_role, discover_regions, AwsError, AwsSession, Sts, StsApi};
use vendorlink_model::{AccountDiscovery, AccountFailure, ErrorKind, ErrorPayload, OrgAccount, OrgDiscovery};

/// Accounts read at the same time. AWS's request quotas are per account and region, so reading
/// accounts side by side does not crowd any one of them; the bound keeps a large organization
/// from opening hundreds of connections at once.
pub const ACCOUNTS_AT_ONCE: usize = 32;

/// Every account of the caller's organization. `organizations:ListAccounts` answers only the
/// management account or a delegated administrator (docs/aws-rules.md R16).
pub async fn organization_accounts(session: &AwsSession) -> Result<Vec<OrgAccount>, AwsError> {
    let client = aws_sdk_organizations::Client::new(&session.config);
    let pages = client.list_accounts().into_paginator().send().collect::<Result<Vec<_>, _>>().await.map_err(|e| AwsError::from_sdk(e, "organizations:ListAccounts", session))?;
    let mut accounts: Vec<OrgAccount> = pages
        .into_iter()
        .flat_map(|page| page.accounts.unwrap_or_default())
        .map(|a| OrgAccount {
            id: a.id.unwrap_or_default(),
            name: a.name.unwrap_or_default(),
            email: a.email.unwrap_or_default(),
            status: a.status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        })
        .collect();
    accounts.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    Ok(accounts)
}

/// Reads `regions` in every active account of the organization: the caller's own account with
/// its credentials, every other one through `access_role` assumed there. Accounts are read
/// concurrently (at most [`ACCOUNTS_AT_ONCE`]), each one's regions concurrently too; an account
/// that cannot be entered is listed in `failures` and the others still come back.
pub async fn discover_organization(session: &AwsSession, access_role: &str, regions: &[String]) -> Result<OrgDiscovery, AwsError> {
    let sts = Sts::new(session);
    let (caller, accounts) = tokio::try_join!(sts.caller_identity(), organization_accounts(session))?;
    let gate = Arc::new(Semaphore::new(ACCOUNTS_AT_ONCE));
    let mut tasks = JoinSet::new();
    for account in accounts.into_iter().filter(|a| a.status == "ACTIVE") {
        let (session, gate, regions, caller_account) = (session.clone(), Arc::clone(&gate), regions.to_vec(), caller.account.clone());
        let role_arn = format!("arn:aws:iam::{}:role/{access_role}", account.id);
        tasks.spawn(async move {
            let _turn = gate.acquire_owned().await;
            let entered = if account.id == caller_account { Ok(session) } else { assume_role(&session, &role_arn, "vendorlink-discovery").await.map(|a| a.session) };
            match entered {
                Ok(session) => Ok(AccountDiscovery { discovery: discover_regions(&session, &regions).await, account }),
                Err(err) => Err(AccountFailure { account, error: err.payload() }),
            }
        });
    }
    let mut found = OrgDiscovery { caller_account: caller.account, access_role: access_role.to_owned(), ..OrgDiscovery::default() };
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(Ok(account)) => found.accounts.push(account),
            Ok(Err(failure)) => found.failures.push(failure),
            Err(panic) => found.failures.push(AccountFailure {
                account: OrgAccount { id: "?".into(), name: "?".into(), email: String::new(), status: String::new() },
                error: ErrorPayload {
                    kind: ErrorKind::Internal,
                    message: format!("Internal error: {panic}"),
                    hint: "This is a bug in VendorLink; please report it with the app log.".into(),
                    fields: Vec::new(),
                },
            }),
        }
    }
    found.accounts.sort_by(|a, b| a.account.name.cmp(&b.account.name));
    found.failures.sort_by(|a, b| a.account.name.cmp(&b.account.name));
    Ok(found)
}
