//! The wizard's commands: each a thin adapter over the engine. Long work (apply, revoke)
//! streams its progress events to the window over a Tauri channel.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use vendorlink_aws::Cloud;

use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use vendorlink_engine::journal::{audit, AuditEntry, GrantStore};
use vendorlink_engine::sources::Sources;
use vendorlink_engine::validate::FieldError;
use vendorlink_engine::Error;
use vendorlink_engine::{self as engine, ApplyReport, EngineError, GrantState, GrantStatus, OrgStatus, PlanContext, Progress, SystemResolver, WaitPolicy};
use vendorlink_model::{CredentialSource, Discovery, GrantRequest, Inventory, OrgDiscovery, Plan, RevokeScope, Summary, VendorProfile, ORGANIZATION_ACCESS_ROLE};

/// What discovery found, kept so that the access step's fields can be checked against it as
/// the admin types, without calling AWS on every key press. Keyed by [`inventory_key`].
#[derive(Default)]
pub struct Discovered(Mutex<BTreeMap<String, Inventory>>);

/// A region of the credentials' own account, or of a member account of the organization.
fn inventory_key(account: Option<&str>, region: &str) -> String {
    match account {
        Some(account) => format!("{account}/{region}"),
        None => region.to_owned(),
    }
}

pub(super) fn store() -> Result<GrantStore, Error> {
    Ok(GrantStore::from_env().map_err(EngineError::from)?)
}

#[tauri::command]
pub fn vendor_presets() -> Vec<VendorProfile> {
    vendorlink_engine::vendors::presets()
}

/// A profile from a `.json`/`.toml` file or an `https://` URL.
#[tauri::command]
pub async fn load_vendor(spec: String) -> Result<VendorProfile, Error> {
    // Files come only through the system's dialog (choose_vendor_file): the page names a
    // preset or an address, never a path on this machine.
    vendorlink_engine::vendors::load_preset_or_url(&spec, vendorlink_engine::validate::Reach::PUBLIC).await.map_err(|fields| EngineError::Invalid(fields).into())
}

/// The profile checks, for a Custom vendor being typed in.
#[tauri::command]
pub fn check_vendor(profile: VendorProfile) -> Vec<FieldError> {
    vendorlink_engine::vendors::check(&profile).err().unwrap_or_default()
}

/// Whether the caller may make every call a grant of these parts needs (IAM's simulator).
#[tauri::command]
pub async fn preflight(sources: State<'_, Sources>, source: CredentialSource, parts: Vec<vendorlink_model::Part>) -> Result<engine::Preflight, Error> {
    let session = sources.open(&source, None).await?;
    Ok(engine::preflight(&Cloud::new(&session), &parts).await)
}

/// Databases and networks in one region, or in every enabled region at once.
#[tauri::command]
pub async fn discover(
    sources: State<'_, Sources>,
    discovered: State<'_, Discovered>,
    source: CredentialSource,
    region: Option<String>,
    all_regions: bool,
) -> Result<Discovery, Error> {
    let session = sources.open(&source, region).await?;
    let discovery = if all_regions {
        let regions = vendorlink_aws::enabled_regions(&session).await?;
        vendorlink_aws::discover_regions(&session, &regions).await
    } else {
        Discovery { regions: vec![vendorlink_aws::discover(&session).await?], failures: Vec::new() }
    };
    if let Ok(mut cache) = discovered.0.lock() {
        for inventory in &discovery.regions {
            cache.insert(inventory.region.clone(), inventory.clone());
        }
    }
    Ok(discovery)
}

/// Databases and networks in every active account of the organization (the credentials being
/// its management account's), each member entered through OrganizationAccountAccessRole; in the
/// credentials' region, or in every region enabled for their account.
#[tauri::command]
/// `access_role`: the role member accounts are entered through (an IAM Identity Center
/// permission set's role, say); OrganizationAccountAccessRole when not given.
pub async fn discover_organization(
    sources: State<'_, Sources>,
    discovered: State<'_, Discovered>,
    source: CredentialSource,
    all_regions: bool,
    access_role: Option<String>,
) -> Result<OrgDiscovery, Error> {
    let access_role = access_role.unwrap_or_else(|| ORGANIZATION_ACCESS_ROLE.into());
    // A typo is reported before any call.
    engine::validate::role_name("accessRole", &access_role).map_err(|e| EngineError::Invalid(vec![e]))?;
    let session = sources.open(&source, None).await?;
    let regions = if all_regions { vendorlink_aws::enabled_regions(&session).await? } else { vec![session.region().to_owned()] };
    let found = vendorlink_aws::discover_organization(&session, &access_role, &regions).await?;
    if let Ok(mut cache) = discovered.0.lock() {
        for account in &found.accounts {
            let member = Some(account.account.id.as_str()).filter(|id| *id != found.caller_account);
            for inventory in &account.discovery.regions {
                cache.insert(inventory_key(member, &inventory.region), inventory.clone());
            }
        }
    }
    Ok(found)
}

/// Every plan-level check on the request, against what discovery found in `region`: the same
/// checks `plan` runs, for marking fields as the admin types. No AWS call.
#[tauri::command]
pub fn check_request(discovered: State<'_, Discovered>, region: String, request: GrantRequest) -> Vec<FieldError> {
    let Ok(cache) = discovered.0.lock() else { return Vec::new() };
    // A new account holds nothing to discover.
    let empty = vendorlink_model::Inventory { region: region.clone(), ..Default::default() };
    let inventory = match cache.get(&inventory_key(request.account.as_deref(), &region)) {
        Some(inventory) => inventory,
        None if request.new_account.is_some() => &empty,
        None => return vec![FieldError { field: "database".into(), message: format!("Nothing was discovered in {region} yet."), hint: "Go back to the database step.".into() }],
    };
    let ctx = PlanContext {
        grant_id: "g-00000000".into(),
        external_id: String::new(),
        now: chrono::Utc::now(),
        account_id: String::new(),
        source: CredentialSource::Sandbox,
        inventory,
        resolved_ips: Err("not resolved while typing".into()),
        vpc: None,
    };
    // An empty address list is resolved, and the VPC's routing read (peering, bastion), at
    // planning time: neither is a typing error.
    engine::plan::build(&request, &ctx)
        .err()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| !(e.field == "targetIps" && request.target_ips.is_empty()) && e.field != "peering.facts" && e.field != "bastion.facts")
        .collect()
}

/// The peering requests waiting for acceptance in the database's VPC (in `account`, entered
/// through `access_role`, when it is a member account), for the Access step to offer.
#[tauri::command]
pub async fn peering_requests(
    sources: State<'_, Sources>,
    source: CredentialSource,
    region: String,
    account: Option<String>,
    access_role: Option<String>,
    vpc_id: String,
) -> Result<Vec<vendorlink_model::PeeringConnection>, Error> {
    let session = sources.open(&source, Some(region)).await?;
    let session = match account {
        Some(account) => engine::enter_account(&session, &account, access_role.as_deref().unwrap_or(vendorlink_model::ORGANIZATION_ACCESS_ROLE)).await?,
        None => session,
    };
    Ok(engine::peering_requests(&session, &vpc_id).await?)
}

/// Discovers, checks and records the grant; nothing in AWS changes.
#[tauri::command]
pub async fn plan_grant(sources: State<'_, Sources>, source: CredentialSource, region: String, request: GrantRequest) -> Result<Plan, Error> {
    let session = sources.open(&source, Some(region)).await?;
    Ok(engine::prepare(&session, &store()?, source, &request, &SystemResolver).await?)
}

pub(super) async fn open_plan(sources: &Sources, grant_id: &str) -> Result<(GrantStore, Plan, Cloud), Error> {
    let store = store()?;
    let plan = store.plan(grant_id).map_err(EngineError::from)?;
    let session = sources.open(&plan.source, Some(plan.region.clone())).await?;
    let cloud = engine::grant_cloud(&Cloud::new(&session), &plan).await?;
    Ok((store, plan, cloud))
}

fn forward(channel: Channel<Progress>) -> engine::ProgressSink {
    let channel = Mutex::new(channel);
    Arc::new(move |event| {
        if let Ok(channel) = channel.lock() {
            // A closed window stops listening; the run goes on and is journaled regardless.
            let _ = channel.send(event);
        }
    })
}

/// Cancel switches of the applies running in this window, by grant id.
#[derive(Default)]
pub struct Running(Mutex<BTreeMap<String, Arc<AtomicBool>>>);

/// Applies or resumes a planned grant, streaming progress.
#[tauri::command]
pub async fn apply_grant(sources: State<'_, Sources>, running: State<'_, Running>, grant_id: String, on_progress: Channel<Progress>) -> Result<ApplyReport, Error> {
    let (store, plan, cloud) = open_plan(&sources, &grant_id).await?;
    let cancel = Arc::new(AtomicBool::new(false));
    if let Ok(mut map) = running.0.lock() {
        map.insert(grant_id.clone(), Arc::clone(&cancel));
    }
    let result = engine::apply(&cloud, &store, &plan.grant_id, "apply", forward(on_progress), WaitPolicy::default(), &cancel).await;
    if let Ok(mut map) = running.0.lock() {
        map.remove(&grant_id);
    }
    Ok(result?)
}

/// Asks a running apply to stop and roll back; false when none is running for the grant.
#[tauri::command]
pub fn cancel_apply(running: State<'_, Running>, grant_id: String) -> bool {
    running.0.lock().ok().and_then(|map| map.get(&grant_id).map(|flag| flag.store(true, Ordering::SeqCst))).is_some()
}

/// The summary, with its Markdown and HTML renderings for showing, copying and printing.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HandoffView {
    pub summary: Summary,
    pub markdown: String,
    pub html: String,
    /// Where the Markdown was saved next to the grant's journal.
    pub saved_to: String,
}

#[tauri::command]
pub async fn grant_summary(sources: State<'_, Sources>, grant_id: String) -> Result<HandoffView, Error> {
    let (store, plan, cloud) = open_plan(&sources, &grant_id).await?;
    let summary = engine::summary(&cloud, &store, &plan.grant_id).await?;
    let markdown = vendorlink_engine::handoff::markdown(&summary);
    let path = store.dir(&plan.grant_id).map_err(EngineError::from)?.join("summary.md");
    std::fs::write(&path, &markdown).map_err(|e| Error::Internal(format!("could not save {}: {e}", path.display())))?;
    Ok(HandoffView { html: vendorlink_engine::handoff::html(&summary), markdown, summary, saved_to: path.display().to_string() })
}

#[tauri::command]
pub async fn send_summary(sources: State<'_, Sources>, grant_id: String, url: String) -> Result<u16, Error> {
    vendorlink_engine::validate::https_url("sendTo", &url, vendorlink_engine::validate::Reach::PUBLIC)
        .map_err(|e| Error::Handoff(vendorlink_engine::handoff::HandoffError::Invalid(e)))?;
    let (store, plan, cloud) = open_plan(&sources, &grant_id).await?;
    let summary = engine::summary(&cloud, &store, &plan.grant_id).await?;
    Ok(vendorlink_engine::handoff::send(&url, &summary, vendorlink_engine::validate::Reach::PUBLIC).await?)
}

/// A grant as the Grants screen lists it: from the journal, no AWS call.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GrantListItem {
    pub plan: Plan,
    pub state: GrantState,
    /// The grant's dedicated account while it is open (the revoke dialog offers to close it).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedicated_account: Option<String>,
    /// The vendor's AWS accounts the grant lets in (see `Plan::vendor_accounts`).
    pub vendor_accounts: Vec<String>,
}

#[tauri::command]
pub async fn list_grants() -> Result<Vec<GrantListItem>, Error> {
    let store = store()?;
    let mut items = Vec::new();
    for grant in store.list().map_err(EngineError::from)? {
        // Asked first: a run that ends meanwhile then shows as it ended, not as interrupted.
        let running = store.running(&grant);
        let (Ok(plan), Ok(records)) = (store.plan(&grant), store.records(&grant)) else { continue };
        items.push(GrantListItem {
            state: engine::local_state(&plan, &records, running),
            dedicated_account: engine::dedicated_account(&records),
            vendor_accounts: plan.vendor_accounts(),
            plan,
        });
    }
    items.reverse(); // newest first
    Ok(items)
}

#[tauri::command]
pub async fn grant_status(sources: State<'_, Sources>, grant_id: String) -> Result<GrantStatus, Error> {
    let (store, plan, cloud) = open_plan(&sources, &grant_id).await?;
    Ok(engine::status(&cloud, &store, &plan.grant_id, None).await?)
}

#[tauri::command]
/// `close_account`: the dedicated account's id as the admin typed it, to close that account too.
pub async fn revoke_grant(
    sources: State<'_, Sources>,
    grant_id: String,
    access_only: bool,
    close_account: Option<String>,
    on_progress: Channel<Progress>,
) -> Result<engine::Revoked, Error> {
    let (store, plan, cloud) = open_plan(&sources, &grant_id).await?;
    let scope = if access_only { RevokeScope::AccessOnly } else { RevokeScope::Everything };
    Ok(engine::revoke(&cloud, &store, &plan.grant_id, scope, close_account.as_deref(), forward(on_progress), WaitPolicy::default()).await?)
}

/// Every endpoint connection to the grant's service, flagged when not the vendor's.
#[tauri::command]
pub async fn grant_connections(sources: State<'_, Sources>, grant_id: String) -> Result<Vec<engine::ConnectionView>, Error> {
    let (store, plan, cloud) = open_plan(&sources, &grant_id).await?;
    Ok(engine::connections(&cloud, &store, &plan.grant_id).await?)
}

/// Accepts or rejects one endpoint; `other_account` confirms accepting one that is not the vendor's.
#[tauri::command]
pub async fn decide_connections(
    sources: State<'_, Sources>,
    grant_id: String,
    endpoint_id: String,
    decision: engine::Decision,
    other_account: bool,
) -> Result<Vec<engine::ConnectionView>, Error> {
    let (store, plan, cloud) = open_plan(&sources, &grant_id).await?;
    Ok(engine::decide(&cloud, &store, &plan.grant_id, &[endpoint_id], decision, other_account, Arc::new(|_| {})).await?)
}

/// Points the load balancer at the database's current addresses (typed, or resolved).
#[tauri::command]
pub async fn resync_grant(sources: State<'_, Sources>, grant_id: String, target_ips: Vec<String>) -> Result<engine::ResyncReport, Error> {
    let (store, plan, cloud) = open_plan(&sources, &grant_id).await?;
    let current = engine::current_addresses(&plan, &target_ips, &SystemResolver).await?;
    Ok(engine::resync_targets(&cloud, &store, &plan.grant_id, current, Arc::new(|_| {}), WaitPolicy::default()).await?)
}

/// A grant found in the account by its tag but not recorded on this machine (made elsewhere,
/// or its journal lost): what carries its tag, so the admin can find and remove it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ForeignGrant {
    pub grant_id: String,
    pub vendor_id: Option<String>,
    pub resources: Vec<vendorlink_model::TaggedResource>,
}

#[tauri::command]
pub async fn account_grants(sources: State<'_, Sources>, source: CredentialSource) -> Result<Vec<ForeignGrant>, Error> {
    let session = sources.open(&source, None).await?;
    let known = store()?.list().map_err(EngineError::from)?;
    let mut found: BTreeMap<String, ForeignGrant> = BTreeMap::new();
    for resource in Cloud::new(&session).tagged.tagged_resources(None).await? {
        if known.contains(&resource.grant_id) {
            continue;
        }
        let entry = found.entry(resource.grant_id.clone()).or_insert_with(|| ForeignGrant {
            grant_id: resource.grant_id.clone(),
            vendor_id: resource.vendor_id.clone(),
            resources: Vec::new(),
        });
        entry.resources.push(resource);
    }
    Ok(found.into_values().collect())
}

/// One grant found by its tag, read again now (its Status on the Grants screen).
#[tauri::command]
pub async fn found_grant_status(sources: State<'_, Sources>, source: CredentialSource, grant_id: String) -> Result<engine::FoundGrant, Error> {
    let session = sources.open(&source, None).await?;
    Ok(engine::found_grant(&Cloud::new(&session), &store()?, &grant_id).await?)
}

/// Removes everything that carries the tag of a grant recorded nowhere here, with its proof.
#[tauri::command]
pub async fn revoke_found_grant(sources: State<'_, Sources>, source: CredentialSource, grant_id: String, on_progress: Channel<Progress>) -> Result<engine::Revoked, Error> {
    let session = sources.open(&source, None).await?;
    Ok(engine::revoke_found(&Cloud::new(&session), &store()?, &grant_id, forward(on_progress), WaitPolicy::default()).await?)
}

/// Every grant this machine knows, by account, beside what VendorLink tagged in every account
/// of the organization (each entered through OrganizationAccountAccessRole) and every enabled
/// region: what `vendorlink status --all-accounts` prints.
#[tauri::command]
pub async fn organization_grants(sources: State<'_, Sources>, source: CredentialSource) -> Result<OrgStatus, Error> {
    let session = sources.open(&source, None).await?;
    let regions = vendorlink_aws::enabled_regions(&session).await?;
    let tagged = vendorlink_aws::tagged_in_organization(&session, vendorlink_model::ORGANIZATION_ACCESS_ROLE, &regions).await?;
    Ok(engine::organization_status(&store()?, tagged)?)
}

/// Forgets a planned grant that never ran (a grant that ran is refused: revoke it instead).
#[tauri::command]
pub async fn discard_grant(grant_id: String) -> Result<(), Error> {
    Ok(engine::discard(&store()?, &grant_id)?)
}

/// The grant's history, one entry per run.
#[tauri::command]
pub async fn grant_history(grant_id: String) -> Result<Vec<AuditEntry>, Error> {
    let records = store()?.records(&grant_id).map_err(EngineError::from)?;
    Ok(audit(&records))
}
