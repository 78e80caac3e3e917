//! The credential choices on this machine (sandbox, AWS profiles, keychain entries) and how
//! each becomes an AWS session. The window and the command line both go through here.

use crate::creds::{CredsError, Keychain, ProfileFiles};
use crate::validate;
use crate::Error;
use vendorlink_aws::{self as aws, AwsSession, SessionSource, StsApi};
use vendorlink_model::{CredentialSource, Identity, KeychainEntry, KeychainEntrySummary, SourceKind, SourceOption};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The environment variable through which the launcher hands the sandbox's address to the app.
pub const SANDBOX_ENV: &str = "VENDORLINK_SANDBOX_ENDPOINT";

/// Every credential choice, plus what could not be read (a locked keychain must not hide
/// the profiles).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourceList {
    pub sources: Vec<SourceOption>,
    pub problems: Vec<vendorlink_model::ErrorPayload>,
}

#[derive(Debug, Clone)]
pub struct Sources {
    pub files: ProfileFiles,
    pub keychain: Keychain,
    pub sandbox: Option<String>,
    /// Temporary credentials from an MFA code, by keychain entry, in memory only: a code is
    /// used once, and the session it opens serves every later call until it expires.
    mfa_sessions: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, aws_credential_types::Credentials>>>,
}

impl Sources {
    /// The standard profile files, the system keychain, and the sandbox if one was started.
    pub fn from_env() -> Self {
        Sources {
            files: ProfileFiles::from_env(),
            keychain: Keychain::system(),
            sandbox: std::env::var(SANDBOX_ENV).ok().filter(|s| !s.is_empty()),
            mfa_sessions: Default::default(),
        }
    }

    /// Everything: what [`Sources::local`] and [`Sources::keychain`] return, merged. Blocking.
    pub fn list(&self) -> SourceList {
        let mut list = self.local();
        let keychain = self.keychain();
        list.sources.extend(keychain.sources);
        list.problems.extend(keychain.problems);
        list
    }

    /// The sandbox and the AWS profiles: files only, answers at once. Blocking.
    pub fn local(&self) -> SourceList {
        let mut sources = Vec::new();
        let mut problems = Vec::new();
        if let Some(endpoint) = &self.sandbox {
            sources.push(SourceOption {
                source: CredentialSource::Sandbox,
                kind: SourceKind::Sandbox,
                label: "Sandbox (local AWS emulator)".into(),
                detail: format!("us-east-1 · {endpoint} · sample VPC and databases, no AWS account needed"),
                mfa: false,
            });
        }
        match self.files.list() {
            Ok(profiles) => sources.extend(profiles.into_iter().map(|p| SourceOption {
                detail: describe([p.region.clone(), p.sso.then(|| "SSO".into()), p.role_arn.clone().map(|r| format!("assumes {r}")), p.mfa_serial.clone().map(|_| "MFA".into())]),
                label: p.name.clone(),
                mfa: p.mfa_serial.is_some(),
                kind: SourceKind::Profile,
                source: CredentialSource::Profile { name: p.name },
            })),
            Err(err) => problems.push(Error::from(err).payload()),
        }
        SourceList { sources, problems }
    }

    /// Keychain entries. Kept apart from [`Sources::local`] because a locked keychain may
    /// wait on the user to unlock it, and that must not hide the other choices. Blocking.
    pub fn keychain(&self) -> SourceList {
        match self.keychain.list() {
            Ok(entries) => SourceList { sources: entries.into_iter().map(keychain_option).collect(), problems: Vec::new() },
            Err(err) => SourceList { sources: Vec::new(), problems: vec![Error::from(err).payload()] },
        }
    }

    /// Blocking: stores a key pair after validating it.
    pub fn save_key(&self, entry: &KeychainEntry) -> Result<SourceOption, Error> {
        Ok(keychain_option(self.keychain.save(entry)?))
    }

    /// Blocking.
    pub fn delete_key(&self, name: &str) -> Result<(), Error> {
        Ok(self.keychain.delete(name)?)
    }

    /// Resolves a choice into an SDK session. Checks what can be checked locally first, so
    /// a missing profile or entry never reaches AWS.
    pub async fn open(&self, source: &CredentialSource, region: Option<String>) -> Result<AwsSession, Error> {
        if let Some(region) = region.as_deref() {
            validate::region("region", region).map_err(|e| Error::from(vec![e]))?;
        }
        let label = source.to_string();
        let session_source = match source {
            CredentialSource::Sandbox => {
                let endpoint = self.sandbox.clone().ok_or(Error::SandboxUnavailable)?;
                if !is_loopback(&endpoint) {
                    return Err(Error::SandboxNotLocal(endpoint));
                }
                SessionSource::Sandbox { endpoint }
            }
            CredentialSource::Profile { name } => {
                validate::profile_name(name).map_err(|e| Error::from(vec![e]))?;
                let profile = self.files.find(name)?;
                if profile.mfa_serial.is_some() {
                    match self.mfa_session(source) {
                        Some(credentials) => SessionSource::Temporary { credentials, region: profile.region.clone() },
                        None => return Err(CredsError::MfaRequired { who: label }.into()),
                    }
                } else {
                    SessionSource::Profile { name: name.clone() }
                }
            }
            CredentialSource::Keychain { name } => {
                let keychain = self.keychain.clone();
                let name = name.clone();
                let key = tokio::task::spawn_blocking(move || keychain.load(&name)).await.map_err(|e| Error::Internal(e.to_string()))??;
                if key.mfa_serial.is_some() {
                    match self.mfa_session(source) {
                        Some(credentials) => SessionSource::Temporary { credentials, region: key.region.clone() },
                        None => return Err(CredsError::MfaRequired { who: label }.into()),
                    }
                } else {
                    SessionSource::StaticKey { key }
                }
            }
        };
        Ok(aws::connect(session_source, region, label).await?)
    }

    /// The session an MFA code opened for this source, while it is valid.
    fn mfa_session(&self, source: &CredentialSource) -> Option<aws_credential_types::Credentials> {
        let sessions = self.mfa_sessions.lock().ok()?;
        sessions.get(&source.to_string()).cloned().filter(|c| c.expiry().is_none_or(|at| at > std::time::SystemTime::now()))
    }

    /// Exchanges a code from the source's MFA device for temporary credentials, kept in memory
    /// for later calls: a keychain key gets a session token; a profile that assumes a role
    /// assumes it with the code (the SDK's own profile chain cannot prompt for one).
    pub async fn unlock_mfa(&self, source: &CredentialSource, code: &str, region: Option<String>) -> Result<(), Error> {
        validate::mfa_code(code).map_err(|e| Error::from(vec![e]))?;
        let label = source.to_string();
        let credentials = match source {
            CredentialSource::Keychain { name } => {
                let keychain = self.keychain.clone();
                let entry = name.clone();
                let key = tokio::task::spawn_blocking(move || keychain.load(&entry)).await.map_err(|e| Error::Internal(e.to_string()))??;
                let Some(serial) = key.mfa_serial.clone() else { return Ok(()) };
                let session = aws::connect(SessionSource::StaticKey { key }, region, label.clone()).await?;
                aws::session_token(&session, &serial, code.trim()).await?
            }
            CredentialSource::Profile { name } => {
                let profile = self.files.find(name)?;
                let Some(serial) = profile.mfa_serial.clone() else { return Ok(()) };
                let region = region.or(profile.region.clone());
                match (&profile.role_arn, &profile.source_profile) {
                    (Some(role), Some(base)) => {
                        let session = aws::connect(SessionSource::Profile { name: base.clone() }, region, label.clone()).await?;
                        aws::assume_role_with_mfa(&session, role, &serial, code.trim()).await?
                    }
                    _ => {
                        let session = aws::connect(SessionSource::Profile { name: name.clone() }, region, label.clone()).await?;
                        aws::session_token(&session, &serial, code.trim()).await?
                    }
                }
            }
            CredentialSource::Sandbox => return Ok(()),
        };
        if let Ok(mut sessions) = self.mfa_sessions.lock() {
            sessions.insert(label, credentials);
        }
        Ok(())
    }

    /// Opens the source and asks STS who it is.
    pub async fn identify(&self, source: &CredentialSource, region: Option<String>) -> Result<Identity, Error> {
        let session = self.open(source, region).await?;
        Ok(aws::Sts::new(&session).caller_identity().await?)
    }
}

fn keychain_option(entry: KeychainEntrySummary) -> SourceOption {
    SourceOption {
        mfa: entry.mfa_serial.is_some(),
        detail: describe([Some(entry.access_key_hint), entry.region, entry.mfa_serial.map(|_| "MFA".into())]),
        label: entry.name.clone(),
        kind: SourceKind::Keychain,
        source: CredentialSource::Keychain { name: entry.name },
    }
}

fn describe<const N: usize>(parts: [Option<String>; N]) -> String {
    parts.into_iter().flatten().collect::<Vec<_>>().join(" · ")
}

fn is_loopback(endpoint: &str) -> bool {
    let rest = endpoint.strip_prefix("http://").or_else(|| endpoint.strip_prefix("https://")).unwrap_or("");
    if rest.starts_with("[::1]") {
        return true;
    }
    let host = rest.split(['/', ':']).next().unwrap_or("");
    host == "localhost" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_endpoints_count_as_a_sandbox() {
        assert!(is_loopback("http://127.0.0.1:5000"));
        assert!(is_loopback("http://localhost:5000/"));
        assert!(is_loopback("http://[::1]:5000"));
        assert!(!is_loopback("http://10.0.0.5:5000"));
        assert!(!is_loopback("https://ec2.us-east-1.amazonaws.com"));
        assert!(!is_loopback("http://127.0.0.1.evil.com"));
    }
}
