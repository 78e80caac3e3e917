//! Working inside another account of the organization: a role there, assumed from the caller's
//! credentials, renewed before it expires (a grant's apply may wait longer than a session lasts).

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::{self, future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;

use super::{AwsError, AwsSession};

/// `sts:AssumeRole` into `role_arn` (an organization's member account, through
/// `OrganizationAccountAccessRole` or another role that trusts the caller's account).
/// `session_name` is what the member account's CloudTrail shows (2–64 of `[\w+=,.@-]`).
pub async fn assume_role(session: &AwsSession, role_arn: &str, session_name: &str) -> Result<AwsSession, AwsError> {
    let renewer = Renewer { caller: session.clone(), role_arn: role_arn.to_owned(), session_name: session_name.to_owned(), current: Arc::new(Mutex::new(None)) };
    renewer.keep(renewer.assume().await?);
    let label = format!("{} as {role_arn}", session.label);
    let config = session.config.to_builder().credentials_provider(SharedCredentialsProvider::new(renewer)).build();
    Ok(AwsSession { config, label })
}

/// Hands out the assumed role's credentials, assuming it again when they are about to expire.
#[derive(Debug, Clone)]
struct Renewer {
    caller: AwsSession,
    role_arn: String,
    session_name: String,
    current: Arc<Mutex<Option<Credentials>>>,
}

/// Treated as expired this long before AWS's expiry (the SDK's own cache asks again shortly
/// before it too), so no call is signed with credentials about to lapse.
const RENEW_BEFORE: Duration = Duration::from_secs(5 * 60);
/// AWS's default session length, assumed when its answer's expiry cannot be read.
const DEFAULT_SESSION: Duration = Duration::from_secs(3600);

impl Renewer {
    async fn assume(&self) -> Result<Credentials, AwsError> {
        let client = aws_sdk_sts::Client::new(&self.caller.config);
        let out = client
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(&self.session_name)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "sts:AssumeRole", &self.caller).on(&self.role_arn))?;
        let c = out.credentials.ok_or_else(|| AwsError::BadResponse { action: "sts:AssumeRole".into(), detail: "no credentials in the answer".into() })?;
        let expiry = SystemTime::try_from(c.expiration).unwrap_or_else(|_| SystemTime::now() + DEFAULT_SESSION);
        Ok(Credentials::new(c.access_key_id, c.secret_access_key, Some(c.session_token), Some(expiry), "vendorlink-assumed-role"))
    }

    fn keep(&self, credentials: Credentials) {
        if let Ok(mut current) = self.current.lock() {
            *current = Some(credentials);
        }
    }

    fn fresh(&self) -> Option<Credentials> {
        let current = self.current.lock().ok()?.clone()?;
        match current.expiry() {
            Some(expiry) if expiry <= SystemTime::now() + RENEW_BEFORE => None,
            _ => Some(current),
        }
    }
}

impl ProvideCredentials for Renewer {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            if let Some(credentials) = self.fresh() {
                return Ok(credentials);
            }
            let credentials = self.assume().await.map_err(provider::error::CredentialsError::provider_error)?;
            self.keep(credentials.clone());
            Ok(credentials)
        })
    }
}
