use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where the AWS credentials for a session come from.
///
/// Keychain entries are named, never carried around: the secret stays in the OS keychain and
/// is read only when a session is built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CredentialSource {
    /// The local emulator the app was started with (`--sandbox`).
    Sandbox,
    /// A profile of `~/.aws/config` / `~/.aws/credentials` (including SSO profiles).
    Profile { name: String },
    /// An access key pair stored by VendorLink in the OS keychain.
    Keychain { name: String },
}

impl std::fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialSource::Sandbox => write!(f, "the local sandbox"),
            CredentialSource::Profile { name } => write!(f, "AWS profile \"{name}\""),
            CredentialSource::Keychain { name } => write!(f, "keychain entry \"{name}\""),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SourceKind {
    Sandbox,
    Profile,
    Keychain,
}

/// One choice in the credentials list, with what the admin needs to recognise it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourceOption {
    pub source: CredentialSource,
    pub kind: SourceKind,
    pub label: String,
    /// Region, masked key id, MFA device or endpoint: never a secret.
    pub detail: String,
    /// A code from the admin's MFA device is needed before it can be used.
    pub mfa: bool,
}

/// Who the chosen credentials are, as AWS STS sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
    pub region: String,
    /// The endpoint the SDK talked to when it is not AWS's own (sandbox, emulator).
    pub endpoint: Option<String>,
}

/// An access key pair: what the admin types, and what the keychain holds. Carries the secret:
/// it is serialised only into the OS keychain, never sent back to the UI or logged, and its
/// `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeychainEntry {
    pub name: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub region: Option<String>,
    pub mfa_serial: Option<String>,
}

impl std::fmt::Debug for KeychainEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeychainEntry")
            .field("name", &self.name)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<hidden>")
            .field("region", &self.region)
            .field("mfa_serial", &self.mfa_serial)
            .finish()
    }
}

/// A stored keychain entry as it may be shown: the key id masked, no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeychainEntrySummary {
    pub name: String,
    /// `AKIA…WXYZ`: enough to tell keys apart, not enough to use one.
    pub access_key_hint: String,
    pub region: Option<String>,
    pub mfa_serial: Option<String>,
}
