use std::time::Duration;

use aws_config::{timeout::TimeoutConfig, BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

use super::AwsError;
use vendorlink_model::KeychainEntry;

/// Credentials resolved far enough to build an SDK configuration.
#[derive(Debug, Clone)]
pub enum SessionSource {
    /// A named profile: the SDK reads the files, SSO caches, credential_process and so on.
    Profile { name: String },
    /// A key pair from the keychain.
    StaticKey { key: KeychainEntry },
    /// The local emulator: fixed dummy credentials, the emulator's address as the endpoint.
    Sandbox { endpoint: String },
    /// Temporary credentials (from an MFA code), held in memory only.
    Temporary { credentials: Credentials, region: Option<String> },
}

/// An SDK configuration plus what the admin should be told about where it points.
#[derive(Debug, Clone)]
pub struct AwsSession {
    pub config: SdkConfig,
    /// How the credentials were chosen, for messages ("AWS profile \"prod\"").
    pub label: String,
}

impl AwsSession {
    pub fn region(&self) -> &str {
        self.config.region().map(Region::as_ref).unwrap_or_default()
    }

    /// The endpoint override in force, if any; `None` means AWS's own endpoints.
    pub fn endpoint(&self) -> Option<&str> {
        self.config.endpoint_url()
    }
}

/// Builds the SDK configuration. `region` overrides whatever the source would pick.
pub async fn connect(source: SessionSource, region: Option<String>, label: String) -> Result<AwsSession, AwsError> {
    // Short connect timeout: an unreachable endpoint should be reported in seconds, not minutes.
    let timeouts = TimeoutConfig::builder().connect_timeout(Duration::from_secs(5)).operation_attempt_timeout(Duration::from_secs(30)).build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(timeouts);
    let mut region = region;
    match source {
        SessionSource::Profile { name } => loader = loader.profile_name(name),
        SessionSource::StaticKey { key, .. } => {
            region = region.or(key.region);
            loader = loader.credentials_provider(Credentials::new(key.access_key_id, key.secret_access_key, None, None, "vendorlink-keychain"));
        }
        SessionSource::Temporary { credentials, region: own } => {
            region = region.or(own);
            loader = loader.credentials_provider(credentials);
        }
        SessionSource::Sandbox { endpoint } => {
            region = region.or_else(|| Some("us-east-1".into()));
            loader = loader.endpoint_url(endpoint).credentials_provider(Credentials::new("sandbox", "sandbox", None, None, "vendorlink-sandbox"));
        }
    }
    if let Some(region) = region {
        loader = loader.region(Region::new(region));
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return Err(AwsError::NoRegion { who: label });
    }
    Ok(AwsSession { config, label })
}
