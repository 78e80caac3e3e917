use super::{AwsError, AwsSession};
use crate::model::Identity;

/// Who the session's credentials belong to. Needs no permission, so it is the first call
/// made with any new credentials and proves they work.
pub async fn caller_identity(session: &AwsSession) -> Result<Identity, AwsError> {
    let client = aws_sdk_sts::Client::new(&session.config);
    let out = client.get_caller_identity().send().await.map_err(|e| AwsError::from_sdk(e, "sts:GetCallerIdentity", session))?;
    Ok(Identity {
        account: out.account.unwrap_or_default(),
        arn: out.arn.unwrap_or_default(),
        user_id: out.user_id.unwrap_or_default(),
        region: session.region().to_owned(),
        endpoint: session.endpoint().map(str::to_owned),
    })
}
