//! Plain data shared by the engine, the command line and the window: serde, no I/O.
//!
//! Every type the UI sees derives `TS`; `ui/src/api/bindings.ts` is generated from them and a
//! unit test fails when the checked-in file drifts.

mod credentials;
mod vendor;

pub use credentials::{CredentialSource, Identity, KeychainEntry, KeychainEntrySummary, SourceKind, SourceOption};
pub use vendor::{VendorPermissions, VendorProfile};
