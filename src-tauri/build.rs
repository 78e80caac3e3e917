fn main() {
    let commands = &["list_sources", "list_keychain_sources", "caller_identity", "validate_keychain_entry", "save_keychain_entry", "delete_keychain_entry"];
    let attributes = tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*").app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(err) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {err:#}");
    }
}
