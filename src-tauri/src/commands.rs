use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use vendorlink_engine::sources::{SourceList, Sources};
use vendorlink_engine::validate::{self, FieldError};
use vendorlink_engine::Error;
use vendorlink_model::{CredentialSource, Identity, KeychainEntry, SourceOption};

/// Runs blocking keychain or file work off the UI's async runtime.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, Error> + Send + 'static) -> Result<T, Error> {
    tauri::async_runtime::spawn_blocking(work).await.map_err(|e| Error::Internal(e.to_string()))?
}

/// When the window was asked for, to say how long it took to become usable.
pub struct Started(pub std::time::Instant);

/// The first screen can be used: logged for whoever reads the log, and read by the start-up
/// benchmark (`scripts/bench`).
#[tauri::command]
pub fn ui_ready(started: State<'_, Started>) {
    tracing::info!("window ready after {} ms", started.0.elapsed().as_millis());
}

/// The log file this process writes, if it could be opened.
pub struct LogFile(pub Option<PathBuf>);

/// What "About / diagnostics" shows: enough for an admin to attach to a report.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostics {
    pub version: String,
    /// `None` when the log folder could not be written.
    pub log_file: Option<String>,
    /// The log's last lines, oldest first.
    pub log_tail: Vec<String>,
}

/// Lines of the log the window shows.
const TAIL_LINES: usize = 200;

#[tauri::command]
pub async fn diagnostics(log: State<'_, LogFile>) -> Result<Diagnostics, Error> {
    let path = log.0.clone();
    blocking(move || {
        let log_tail = match &path {
            Some(path) => vendorlink_engine::logging::tail(path, TAIL_LINES).map_err(|e| Error::Internal(format!("could not read {}: {e}", path.display())))?,
            None => Vec::new(),
        };
        Ok(Diagnostics { version: env!("CARGO_PKG_VERSION").to_owned(), log_file: path.map(|p| p.display().to_string()), log_tail })
    })
    .await
}

/// The sandbox and AWS profiles.
#[tauri::command]
pub async fn list_sources(sources: State<'_, Sources>) -> Result<SourceList, Error> {
    let sources = sources.inner().clone();
    blocking(move || Ok(sources.local())).await
}

/// Keychain entries: separate, as the OS may first ask the user to unlock the keychain.
#[tauri::command]
pub async fn list_keychain_sources(sources: State<'_, Sources>) -> Result<SourceList, Error> {
    let sources = sources.inner().clone();
    blocking(move || Ok(sources.keychain())).await
}

/// `mfa_code`, for a source with an MFA device, opens its session first.
#[tauri::command]
pub async fn caller_identity(sources: State<'_, Sources>, source: CredentialSource, region: Option<String>, mfa_code: Option<String>) -> Result<Identity, Error> {
    if let Some(code) = mfa_code.filter(|c| !c.trim().is_empty()) {
        sources.unlock_mfa(&source, &code, region.clone()).await?;
    }
    sources.identify(&source, region).await
}

/// The same checks `save_keychain_entry` runs, for marking fields as the admin types.
#[tauri::command]
pub fn validate_keychain_entry(entry: KeychainEntry) -> Vec<FieldError> {
    validate::keychain_entry(&entry).err().unwrap_or_default()
}

#[tauri::command]
pub async fn save_keychain_entry(sources: State<'_, Sources>, entry: KeychainEntry) -> Result<SourceOption, Error> {
    let sources = sources.inner().clone();
    blocking(move || sources.save_key(&entry)).await
}

#[tauri::command]
pub async fn delete_keychain_entry(sources: State<'_, Sources>, name: String) -> Result<(), Error> {
    let sources = sources.inner().clone();
    blocking(move || sources.delete_key(&name)).await
}
