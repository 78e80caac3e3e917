//! The caller's AWS Organization: its accounts, and discovery across all of them, each member
//! account read through a role assumed in it.

use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{assume_role, discover_regions, Accounts, AccountsApi, AwsError, AwsSession, Sts, StsApi, Tagged};
use vendorlink_model::{AccountDiscovery, AccountFailure, AccountResources, ErrorKind, ErrorPayload, OrgAccount, OrgDiscovery, OrgTagged, RegionFailure, TaggedResource};

/// Accounts read at the same time. AWS's request quotas are per account and region, so reading
/// accounts side by side does not crowd any one of them; the bound keeps a large organization
/// from opening hundreds of connections at once.
const ACCOUNTS_AT_ONCE: usize = 32;

/// The "region" an account's IAM read failed in: its roles are in no region and in all of them.
pub const IAM_GLOBAL: &str = "IAM (global)";

/// Every account of the caller's organization. `organizations:ListAccounts` answers only the
/// management account or a delegated administrator (docs/aws-rules.md R16).
async fn organization_accounts(session: &AwsSession) -> Result<Vec<OrgAccount>, AwsError> {
    Accounts::new(session).accounts().await
}

fn internal(detail: &str) -> ErrorPayload {
    ErrorPayload {
        kind: ErrorKind::Internal,
        message: format!("Internal error: {detail}"),
        hint: "This is a bug in VendorLink; please report it with the app log.".into(),
        fields: Vec::new(),
        detail: String::new(),
    }
}

/// What reading every account came to: each account's result, and the accounts that could
/// not be entered.
struct AcrossAccounts<T> {
    caller_account: String,
    read: Vec<(OrgAccount, T)>,
    failures: Vec<AccountFailure>,
}

/// Runs `read` in every active account of the organization: the caller's own account with its
/// credentials, every other one through `access_role` assumed there. Accounts are read
/// concurrently, at most [`ACCOUNTS_AT_ONCE`] at a time; an account that cannot be entered is
/// listed in `failures` and the others still come back.
async fn across_accounts<T, F, Fut>(session: &AwsSession, access_role: &str, read: F) -> Result<AcrossAccounts<T>, AwsError>
where
    T: Send + 'static,
    F: Fn(AwsSession) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = T> + Send,
{
    let sts = Sts::new(session);
    let (caller, accounts) = tokio::try_join!(sts.caller_identity(), organization_accounts(session))?;
    let gate = Arc::new(Semaphore::new(ACCOUNTS_AT_ONCE));
    let mut tasks = JoinSet::new();
    for account in accounts.into_iter().filter(|a| a.status == "ACTIVE") {
        let (session, gate, read, caller_account) = (session.clone(), Arc::clone(&gate), read.clone(), caller.account.clone());
        let role_arn = format!("arn:aws:iam::{}:role/{access_role}", account.id);
        tasks.spawn(async move {
            let _turn = gate.acquire_owned().await;
            let entered = if account.id == caller_account { Ok(session) } else { assume_role(&session, &role_arn, "vendorlink-discovery").await };
            match entered {
                // Read in a task of its own, so that even a panic is reported against this account.
                Ok(session) => match tokio::spawn(async move { read(session).await }).await {
                    Ok(read) => Ok((account, read)),
                    Err(panic) => Err(AccountFailure { account, error: internal(&panic.to_string()) }),
                },
                Err(err) => Err(AccountFailure { account, error: err.payload() }),
            }
        });
    }
    let mut all = AcrossAccounts { caller_account: caller.account, read: Vec::new(), failures: Vec::new() };
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(Ok(read)) => all.read.push(read),
            Ok(Err(failure)) => all.failures.push(failure),
            // Only the gate or the assume call could get here; their account is unknown.
            Err(panic) => all.failures.push(AccountFailure {
                account: OrgAccount { id: "?".into(), name: "?".into(), email: String::new(), status: String::new() },
                error: internal(&panic.to_string()),
            }),
        }
    }
    all.read.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    all.failures.sort_by(|a, b| a.account.name.cmp(&b.account.name));
    Ok(all)
}

/// Reads `regions` in every active account of the organization (see [`across_accounts`]), each
/// account's regions concurrently too.
pub async fn discover_organization(session: &AwsSession, access_role: &str, regions: &[String]) -> Result<OrgDiscovery, AwsError> {
    let regions = regions.to_vec();
    let all = across_accounts(session, access_role, move |session| {
        let regions = regions.clone();
        async move { discover_regions(&session, &regions).await }
    })
    .await?;
    Ok(OrgDiscovery {
        caller_account: all.caller_account,
        access_role: access_role.to_owned(),
        accounts: all.read.into_iter().map(|(account, discovery)| AccountDiscovery { account, discovery }).collect(),
        failures: all.failures,
    })
}

/// Everything VendorLink tagged, in every active account of the organization and each of
/// `regions` (IAM roles once per account): what `status --all-accounts` compares with the grants
/// this machine knows.
pub async fn tagged_in_organization(session: &AwsSession, access_role: &str, regions: &[String]) -> Result<OrgTagged, AwsError> {
    let regions = regions.to_vec();
    let all = across_accounts(session, access_role, move |session| {
        let regions = regions.clone();
        async move { tagged_in_regions(&session, &regions).await }
    })
    .await?;
    Ok(OrgTagged {
        caller_account: all.caller_account,
        access_role: access_role.to_owned(),
        accounts: all.read.into_iter().map(|(account, (resources, failures))| AccountResources { account, resources, failures }).collect(),
        failures: all.failures,
    })
}

/// One account's tagged resources, region by region (IAM's roles once: IAM is global); a region
/// that cannot be read (not opted in there, throttled...) is listed and the others still count.
async fn tagged_in_regions(session: &AwsSession, regions: &[String]) -> (Vec<TaggedResource>, Vec<RegionFailure>) {
    let mut tasks = JoinSet::new();
    for region in regions {
        let (regional, region) = (session.in_region(region), region.clone());
        tasks.spawn(async move { (region.clone(), Tagged::new(&regional).regional().await) });
    }
    let (mut all, mut failures) = (Vec::new(), Vec::new());
    match Tagged::new(session).roles().await {
        Ok(roles) => all.extend(roles),
        Err(err) => failures.push(RegionFailure { region: IAM_GLOBAL.into(), error: err.payload() }),
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((_, Ok(resources))) => all.extend(resources),
            Ok((region, Err(err))) => failures.push(RegionFailure { region, error: err.payload() }),
            Err(panic) => failures.push(RegionFailure { region: "?".into(), error: internal(&panic.to_string()) }),
        }
    }
    all.sort_by(|a, b| (&a.grant_id, &a.kind, &a.id).cmp(&(&b.grant_id, &b.kind, &b.id)));
    failures.sort_by(|a, b| a.region.cmp(&b.region));
    (all, failures)
}
