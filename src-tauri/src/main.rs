//! `vendorlink-app`, the window: Tauri set-up and the `#[tauri::command]`s, each a thin adapter
//! over `vendorlink-engine`.

#[cfg(test)]
mod bindings;
mod commands;
mod console_commands;
mod file_commands;
mod grant_commands;

use std::process::ExitCode;
use std::time::Instant;

use vendorlink_engine::sources::Sources;

/// Opens the window; returns when it is closed.
fn main() -> ExitCode {
    let started = commands::Started(Instant::now());
    let log_file = vendorlink_engine::logging::init(Some("warn,vendorlink_app=info"));
    if let Some(problem) = display_problem() {
        eprintln!("error: {problem}");
        eprintln!("  hint: run VendorLink from a desktop session, or use the command line (`vendorlink --help`); for a headless test run, start Xvfb and set DISPLAY.");
        return ExitCode::from(2);
    }
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(started)
        .manage(commands::LogFile(log_file))
        .manage(Sources::from_env())
        .manage(grant_commands::Discovered::default())
        .manage(grant_commands::Running::default())
        .invoke_handler(tauri::generate_handler![
            console_commands::open_in_console,
            commands::ui_ready,
            commands::list_sources,
            commands::list_keychain_sources,
            commands::caller_identity,
            commands::validate_keychain_entry,
            commands::save_keychain_entry,
            commands::delete_keychain_entry,
            grant_commands::vendor_presets,
            grant_commands::load_vendor,
            grant_commands::check_vendor,
            grant_commands::discover,
            grant_commands::discover_organization,
            grant_commands::check_request,
            grant_commands::plan_grant,
            grant_commands::apply_grant,
            grant_commands::cancel_apply,
            grant_commands::grant_summary,
            grant_commands::send_summary,
            grant_commands::list_grants,
            grant_commands::grant_status,
            grant_commands::revoke_grant,
            grant_commands::grant_history,
            grant_commands::discard_grant,
            grant_commands::found_grant_status,
            file_commands::export_grant,
            file_commands::adopt_grant,
            grant_commands::revoke_found_grant,
            grant_commands::resync_grant,
            grant_commands::preflight,
            grant_commands::account_grants,
            grant_commands::organization_grants,
            grant_commands::peering_requests,
            grant_commands::grant_connections,
            grant_commands::decide_connections,
            commands::diagnostics,
            file_commands::choose_vendor_file,
            file_commands::save_summary_as,
            file_commands::export_proof,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("the window could not be opened: {err}");
            eprintln!("error: the window could not be opened: {err}");
            ExitCode::FAILURE
        }
    }
}

/// On Linux, GTK aborts without a display; say so instead.
fn display_problem() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    if set("DISPLAY") || set("WAYLAND_DISPLAY") {
        None
    } else {
        Some("no graphical display is available (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open.".into())
    }
}
