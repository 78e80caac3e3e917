//! Where credentials come from: AWS profile files and the OS keychain.
//!
//! Secrets are read from the keychain only to build a session and are never written to a file,
//! a log or anything the UI can read back.

mod error;
mod keychain;
mod profiles;

pub use error::CredsError;
pub use keychain::Keychain;
pub use profiles::{AwsProfile, ProfileFiles};
