//! A bare Tauri v2 window, built with VendorLink's profile and toolchain, so that the
//! benchmarks can say how much VendorLink's own code adds to start-up time and memory.

use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// The same start-up marker VendorLink logs when its first screen is interactive.
#[tauri::command]
fn ui_ready() {
    let elapsed = STARTED.get().map(Instant::elapsed).unwrap_or_default();
    eprintln!("vendorlink: window ready after {} ms", elapsed.as_millis());
}

fn main() {
    STARTED.get_or_init(Instant::now);
    if let Err(err) = tauri::Builder::default().invoke_handler(tauri::generate_handler![ui_ready]).run(tauri::generate_context!()) {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}
