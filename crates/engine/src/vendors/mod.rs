//! Vendor profiles: the presets built from the vendors' own guides, loading one from a file,
//! and the checks a profile must pass before anything is planned from it.

mod load;
mod presets;
mod profile_check;

pub use load::{load, load_file, load_preset_or_url};
pub use presets::presets;
pub use profile_check::{check, check_ranges};

use crate::validate::FieldError;
use vendorlink_model::VendorProfile;

/// Parses a profile from JSON or TOML text (`format` is the file extension) and checks it.
/// Every problem names its field (`ipRanges[2]`) and the reason.
pub fn parse(text: &str, format: &str) -> Result<VendorProfile, Vec<FieldError>> {
    let hint = "Compare the file with a preset: `id`, `name`, `accountId`, `principals`, `ipRanges`, `regions`, `azIds`, `permissions`, `requireMfa`, `requireExternalId`, `externalId`, `acceptsCustomerExternalId`.";
    let profile: VendorProfile = match format {
        "json" => serde_json::from_str(text).map_err(|e| vec![FieldError::new("profile", format!("The JSON is not a vendor profile: {e}"), hint)])?,
        "toml" => toml::from_str(text).map_err(|e| vec![FieldError::new("profile", format!("The TOML is not a vendor profile: {}", e.message()), hint)])?,
        other => return Err(vec![FieldError::new("profile", format!("\"{other}\" files are not read: vendor profiles are .json or .toml."), "Save the profile as JSON or TOML.")]),
    };
    check(&profile)?;
    Ok(profile)
}
