fn main() {
    let commands = &[
        "ui_ready",
        "list_sources",
        "list_keychain_sources",
        "caller_identity",
        "validate_keychain_entry",
        "save_keychain_entry",
        "delete_keychain_entry",
        "vendor_presets",
        "load_vendor",
        "check_vendor",
        "discover",
        "discover_organization",
        "check_request",
        "peering_requests",
        "plan_grant",
        "apply_grant",
        "cancel_apply",
        "grant_summary",
        "send_summary",
        "list_grants",
        "grant_status",
        "revoke_grant",
        "grant_history",
        "discard_grant",
        "resync_grant",
        "preflight",
        "account_grants",
        "organization_grants",
        "choose_vendor_file",
        "open_in_console",
        "save_summary_as",
        "export_proof",
        "grant_connections",
        "decide_connections",
        "diagnostics",
    ];
    let attributes = tauri_build::Attributes::new().capabilities_path_pattern("./capabilities/**/*").app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(err) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {err:#}");
    }
}
