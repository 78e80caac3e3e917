//! The places the admin picks a file with the system's own dialog: a vendor profile to load,
//! where to save the vendor's summary, where to export a revoke's proof or a grant's record,
//! and an exported grant to adopt. The path comes from the dialog, never from
//! the page, so the page cannot make VendorLink read or write a file of its choosing.

use std::path::PathBuf;

use tauri::{State, WebviewWindow};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

use super::grant_commands::open_plan;
use vendorlink_engine::handoff::Format;
use vendorlink_engine::sources::Sources;
use vendorlink_engine::Error;
use vendorlink_model::VendorProfile;

/// Shows the dialog without blocking the window's thread; `None` when the admin cancels.
async fn ask(pick: impl FnOnce(Box<dyn FnOnce(Option<FilePath>) + Send>)) -> Result<Option<PathBuf>, Error> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    pick(Box::new(move |path| {
        let _ = tx.send(path);
    }));
    let chosen = rx.await.map_err(|_| Error::Internal("the file dialog closed without an answer".into()))?;
    chosen.map(|path| path.into_path().map_err(|e| Error::Internal(format!("the dialog returned a location that is not a file: {e}")))).transpose()
}

fn dialog(window: &WebviewWindow, title: &str) -> FileDialogBuilder<tauri::Wry> {
    window.dialog().file().set_parent(window).set_title(title)
}

/// A vendor profile (JSON or TOML) chosen in the system's open dialog and loaded here, by the
/// same loader as the command line's `--vendor FILE`; `None` when the admin cancels.
#[tauri::command]
pub async fn choose_vendor_file(window: WebviewWindow) -> Result<Option<VendorProfile>, Error> {
    let builder = dialog(&window, "Open a vendor profile").add_filter("Vendor profile", &["json", "toml"]);
    let Some(path) = ask(|done| builder.pick_file(done)).await? else { return Ok(None) };
    vendorlink_engine::vendors::load_file(&path).map(Some).map_err(|fields| vendorlink_engine::EngineError::Invalid(fields).into())
}

/// Saves the grant's summary where the admin says, as Markdown, HTML or JSON by the name's
/// extension; returns where it went, or `None` when the admin cancels.
#[tauri::command]
pub async fn save_summary_as(window: WebviewWindow, sources: State<'_, Sources>, grant_id: String) -> Result<Option<String>, Error> {
    let (store, plan, cloud) = open_plan(&sources, &grant_id).await?;
    let builder = dialog(&window, "Save the summary for the vendor")
        .set_file_name(format!("{}-{}.md", plan.vendor_id, plan.grant_id))
        .add_filter("Markdown", &["md"])
        .add_filter("Web page", &["html"])
        .add_filter("JSON", &["json"]);
    let Some(path) = ask(|done| builder.save_file(done)).await? else {
        return Ok(None);
    };
    let summary = vendorlink_engine::summary(&cloud, &store, &plan.grant_id).await?;
    let text = Format::from_path(&path).render(&summary);
    std::fs::write(&path, text).map_err(|e| Error::Internal(format!("could not save {}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Copies the grant's newest revoke proof where the admin says (JSON, as saved with the
/// grant); returns where it went, or `None` when the admin cancels.
#[tauri::command]
pub async fn export_proof(window: WebviewWindow, grant_id: String) -> Result<Option<String>, Error> {
    let store = super::grant_commands::store()?;
    let records = store.revocations(&grant_id).map_err(vendorlink_engine::EngineError::from)?;
    let Some(record) = records.last() else {
        return Err(Error::Internal(format!("grant {grant_id} has no revoke proof yet")));
    };
    let builder = dialog(&window, "Export the revoke proof").set_file_name(format!("{grant_id}-revoke-proof.json")).add_filter("JSON", &["json"]);
    let Some(path) = ask(|done| builder.save_file(done)).await? else {
        return Ok(None);
    };
    let text = serde_json::to_string_pretty(record).map_err(|e| Error::Internal(format!("the proof could not be written as JSON: {e}")))?;
    std::fs::write(&path, text).map_err(|e| Error::Internal(format!("could not save {}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Writes the grant's record (plan, journal, revoke proofs) where the admin says, for another
/// machine to adopt; returns where it went, or `None` when the admin cancels.
#[tauri::command]
pub async fn export_grant(window: WebviewWindow, grant_id: String) -> Result<Option<String>, Error> {
    let text = super::grant_commands::store()?.export(&grant_id).map_err(vendorlink_engine::EngineError::from)?;
    let builder = dialog(&window, "Export the grant's record").set_file_name(format!("{grant_id}.vendorlink-grant.json")).add_filter("JSON", &["json"]);
    let Some(path) = ask(|done| builder.save_file(done)).await? else {
        return Ok(None);
    };
    std::fs::write(&path, text + "\n").map_err(|e| Error::Internal(format!("could not save {}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Records here a grant exported on another machine, from the file the admin picks, once AWS
/// (through `source`) confirms its record; `expected`: the grant found by its tag that the
/// admin means. `None` when the admin cancels.
#[tauri::command]
pub async fn adopt_grant(
    window: WebviewWindow,
    sources: State<'_, Sources>,
    source: vendorlink_model::CredentialSource,
    expected: Option<String>,
) -> Result<Option<vendorlink_model::Plan>, Error> {
    let builder = dialog(&window, "Adopt a grant exported on another machine").add_filter("Exported grant", &["json"]);
    let Some(path) = ask(|done| builder.pick_file(done)).await? else { return Ok(None) };
    let not_readable = |e: std::io::Error| vendorlink_engine::journal::JournalError::NotAnArchive(format!("{} cannot be read: {e}", path.display()));
    let text = std::fs::read_to_string(&path).map_err(not_readable).map_err(vendorlink_engine::EngineError::from)?;
    let session = sources.open(&source, None).await?;
    let cloud = vendorlink_aws::Cloud::new(&session);
    Ok(Some(vendorlink_engine::adopt(&cloud, &super::grant_commands::store()?, &text, expected.as_deref()).await?))
}
