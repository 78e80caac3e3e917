//! A vendor profile chosen by the admin: a preset's id, a file, or an HTTPS address the vendor
//! publishes it at.

use std::time::Duration;

use crate::model::VendorProfile;
use crate::validate::FieldError;

/// Profiles are small; anything bigger is not one.
const MAX_BYTES: usize = 256 * 1024;

fn problem(message: String, hint: &str) -> Vec<FieldError> {
    vec![FieldError::new("vendor", message, hint)]
}

/// `spec` is a preset id (`datafold`), a path to a `.json`/`.toml` file, or an `https://` URL.
pub async fn load(spec: &str) -> Result<VendorProfile, Vec<FieldError>> {
    let spec = spec.trim();
    if spec.starts_with("https://") || spec.starts_with("http://") {
        return fetch(spec).await;
    }
    if let Some(preset) = super::presets().into_iter().find(|p| p.id == spec) {
        return Ok(preset);
    }
    let path = std::path::Path::new(spec);
    let Some(format) = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase) else {
        let ids: Vec<String> = super::presets().into_iter().map(|p| p.id).collect();
        return Err(problem(
            format!("\"{spec}\" is neither a preset nor a .json/.toml file."),
            &format!("Presets: {}; or give a profile file or an https:// URL.", ids.join(", ")),
        ));
    };
    let text = std::fs::read_to_string(path).map_err(|e| problem(format!("Could not read {spec}: {e}."), "Check the path."))?;
    super::parse(&text, &format)
}

async fn fetch(url: &str) -> Result<VendorProfile, Vec<FieldError>> {
    let parsed = crate::validate::https_url("vendor", url).map_err(|e| vec![e])?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::limited(3))
        .https_only(parsed.scheme() == "https")
        .build()
        .map_err(|e| problem(format!("Could not set up HTTPS: {e}."), "This is a bug in VendorLink."))?;
    let response =
        client.get(parsed.clone()).send().await.map_err(|e| problem(format!("Could not fetch {url}: {}.", crate::aws::root_cause(&e)), "Check the address and your network."))?;
    let status = response.status();
    if !status.is_success() {
        return Err(problem(format!("{url} answered {status}."), "Check the address with the vendor."));
    }
    let content_type = response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
    if response.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
        return Err(problem(format!("{url} is larger than a vendor profile can be ({MAX_BYTES} bytes)."), "Check the address with the vendor."));
    }
    let bytes = response.bytes().await.map_err(|e| problem(format!("Could not read {url}: {}.", crate::aws::root_cause(&e)), "Try again."))?;
    if bytes.len() > MAX_BYTES {
        return Err(problem(format!("{url} is larger than a vendor profile can be ({MAX_BYTES} bytes)."), "Check the address with the vendor."));
    }
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| problem(format!("{url} is not text."), "A profile is a JSON or TOML file."))?;
    let path = parsed.path().to_ascii_lowercase();
    let format = if path.ends_with(".toml") || content_type.contains("toml") { "toml" } else { "json" };
    super::parse(&text, format)
}
