// The page is interactive: tell the process, exactly as VendorLink's UI does.
window.__TAURI_INTERNALS__.invoke("ui_ready");
