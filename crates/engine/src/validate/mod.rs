//! Checks on what a user types, run in Rust before any AWS call and shared by the window
//! (as-you-type) and the command line. Each failure names the field, says what is wrong and
//! how to fix it.

mod credentials;
mod identifiers;
mod network;
mod ssh_key;
mod web;

pub use credentials::{access_key_id, entry_name, keychain_entry, mfa_code, mfa_serial, profile_name, secret_access_key};
pub use identifiers::{account_email, account_id, account_name, ec2_id, external_id, organizational_unit, region, role_name};
pub use network::{arn, cidr, overlaps, port, principal, Arn};
pub use ssh_key::{ssh_public_key, SshKey};
pub use web::{client as http_client, https_url, is_public, Reach, ALLOW_LOOPBACK_ENV};

pub use vendorlink_model::FieldError;

/// Runs every check and keeps all failures, so a form can mark every bad field at once.
pub fn collect(checks: impl IntoIterator<Item = Result<(), FieldError>>) -> Result<(), Vec<FieldError>> {
    let errors: Vec<FieldError> = checks.into_iter().filter_map(Result::err).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
