//! A vendor profile chosen by the admin: a preset's id, a file, or an HTTPS address the vendor
//! publishes it at.

use std::time::Duration;

use crate::validate::{FieldError, Reach};
use vendorlink_model::VendorProfile;

/// Profiles are small; anything bigger is not one.
const MAX_BYTES: usize = 256 * 1024;

fn problem(message: String, hint: &str) -> Vec<FieldError> {
    vec![FieldError::new("vendor", message, hint)]
}

/// `spec` is a preset id (`datafold`), a path to a `.json`/`.toml` file, or an `https://` URL
/// (the command line's `--vendor`).
pub async fn load(spec: &str, reach: Reach) -> Result<VendorProfile, Vec<FieldError>> {
    let spec = spec.trim();
    if is_url(spec) || is_preset(spec) {
        return load_preset_or_url(spec, reach).await;
    }
    load_file(std::path::Path::new(spec))
}

/// A preset id or an `https://` URL, never a file: what the window's page may ask for.
pub async fn load_preset_or_url(spec: &str, reach: Reach) -> Result<VendorProfile, Vec<FieldError>> {
    let spec = spec.trim();
    if is_url(spec) {
        return fetch(spec, reach).await;
    }
    if let Some(preset) = super::presets().into_iter().find(|p| p.id == spec) {
        return Ok(preset);
    }
    let ids: Vec<String> = super::presets().into_iter().map(|p| p.id).collect();
    Err(problem(
        format!("\"{spec}\" is neither a preset nor an https:// address."),
        &format!("Presets: {}; or choose a profile file, or give the https:// address the vendor publishes it at.", ids.join(", ")),
    ))
}

/// A `.json` or `.toml` profile file.
pub fn load_file(path: &std::path::Path) -> Result<VendorProfile, Vec<FieldError>> {
    let shown = path.display();
    let Some(format) = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).filter(|f| f == "json" || f == "toml") else {
        let ids: Vec<String> = super::presets().into_iter().map(|p| p.id).collect();
        return Err(problem(
            format!("\"{shown}\" is neither a preset nor a .json/.toml file."),
            &format!("Presets: {}; or give a profile file or an https:// URL.", ids.join(", ")),
        ));
    };
    let text = std::fs::read_to_string(path).map_err(|e| problem(format!("Could not read {shown}: {e}."), "Check the path."))?;
    super::parse(&text, &format)
}

fn is_url(spec: &str) -> bool {
    spec.starts_with("https://") || spec.starts_with("http://")
}

fn is_preset(spec: &str) -> bool {
    super::presets().iter().any(|p| p.id == spec)
}

async fn fetch(url: &str, reach: Reach) -> Result<VendorProfile, Vec<FieldError>> {
    let parsed = crate::validate::https_url("vendor", url, reach).map_err(|e| vec![e])?;
    let client = crate::validate::http_client(reach, Duration::from_secs(15), 3).map_err(|e| problem(format!("Could not set up HTTPS: {e}."), "This is a bug in VendorLink."))?;
    let response = client
        .get(parsed.clone())
        .send()
        .await
        .map_err(|e| problem(format!("Could not fetch {url}: {}.", vendorlink_aws::root_cause(&e)), "Check the address and your network."))?;
    let status = response.status();
    if !status.is_success() {
        return Err(problem(format!("{url} answered {status}."), "Check the address with the vendor."));
    }
    let content_type = response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
    if response.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
        return Err(problem(format!("{url} is larger than a vendor profile can be ({MAX_BYTES} bytes)."), "Check the address with the vendor."));
    }
    let bytes = response.bytes().await.map_err(|e| problem(format!("Could not read {url}: {}.", vendorlink_aws::root_cause(&e)), "Try again."))?;
    if bytes.len() > MAX_BYTES {
        return Err(problem(format!("{url} is larger than a vendor profile can be ({MAX_BYTES} bytes)."), "Check the address with the vendor."));
    }
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| problem(format!("{url} is not text."), "A profile is a JSON or TOML file."))?;
    let path = parsed.path().to_ascii_lowercase();
    let format = if path.ends_with(".toml") || content_type.contains("toml") { "toml" } else { "json" };
    super::parse(&text, format)
}
