use async_trait::async_trait;

use super::{AwsError, AwsSession};
use vendorlink_model::Identity;

/// STS with one SDK client for the session.
#[derive(Debug, Clone)]
pub struct Sts {
    client: aws_sdk_sts::Client,
    session: AwsSession,
}

impl Sts {
    pub fn new(session: &AwsSession) -> Self {
        Sts { client: aws_sdk_sts::Client::new(&session.config), session: session.clone() }
    }
}

#[async_trait]
pub trait StsApi: Send + Sync {
    /// Who the session's credentials belong to. Needs no permission, so it is the first call
    /// made with any new credentials and proves they work.
    async fn caller_identity(&self) -> Result<Identity, AwsError>;
}

#[async_trait]
impl StsApi for Sts {
    async fn caller_identity(&self) -> Result<Identity, AwsError> {
        let out = self.client.get_caller_identity().send().await.map_err(|e| AwsError::from_sdk(e, "sts:GetCallerIdentity", &self.session))?;
        Ok(Identity {
            account: out.account.unwrap_or_default(),
            arn: out.arn.unwrap_or_default(),
            user_id: out.user_id.unwrap_or_default(),
            region: self.session.region().to_owned(),
            endpoint: self.session.endpoint().map(str::to_owned),
        })
    }
}

/// Temporary credentials for an MFA-protected key (STS GetSessionToken), valid 12 hours.
pub async fn session_token(session: &AwsSession, serial: &str, code: &str) -> Result<aws_credential_types::Credentials, AwsError> {
    let client = aws_sdk_sts::Client::new(&session.config);
    let out = client
        .get_session_token()
        .serial_number(serial)
        .token_code(code)
        .duration_seconds(12 * 3600)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "sts:GetSessionToken", session))?;
    let c = out.credentials.ok_or_else(|| AwsError::BadResponse { action: "sts:GetSessionToken".into(), detail: "no credentials in the answer".into() })?;
    let expiry = std::time::SystemTime::try_from(c.expiration).ok();
    Ok(aws_credential_types::Credentials::new(c.access_key_id, c.secret_access_key, Some(c.session_token), expiry, "vendorlink-mfa"))
}

/// Assumes a profile's role with an MFA code, as the AWS CLI does for `mfa_serial` profiles.
pub async fn assume_role_with_mfa(session: &AwsSession, role_arn: &str, serial: &str, code: &str) -> Result<aws_credential_types::Credentials, AwsError> {
    let client = aws_sdk_sts::Client::new(&session.config);
    let out = client
        .assume_role()
        .role_arn(role_arn)
        .role_session_name("vendorlink")
        .serial_number(serial)
        .token_code(code)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "sts:AssumeRole", session).on(role_arn))?;
    let c = out.credentials.ok_or_else(|| AwsError::BadResponse { action: "sts:AssumeRole".into(), detail: "no credentials in the answer".into() })?;
    let expiry = std::time::SystemTime::try_from(c.expiration).ok();
    Ok(aws_credential_types::Credentials::new(c.access_key_id, c.secret_access_key, Some(c.session_token), expiry, "vendorlink-mfa"))
}
