use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_types::request_id::RequestId;

use super::AwsSession;
use vendorlink_model::{ErrorKind, ErrorPayload};

/// An AWS call that failed, in terms an admin can act on.
#[derive(Debug, thiserror::Error)]
pub enum AwsError {
    #[error("Could not reach AWS at {endpoint}: {detail}")]
    Unreachable { endpoint: String, detail: String },
    #[error("AWS rejected the credentials from {who} ({code}): {detail}")]
    InvalidCredentials { who: String, code: String, detail: String },
    #[error("No usable credentials were found for {who}: {detail}")]
    NoCredentials { who: String, detail: String },
    #[error("No region is set for {who}.")]
    NoRegion { who: String },
    #[error("AWS denied {action} to {who}: {detail}")]
    AccessDenied { action: String, who: String, detail: String, request_id: Option<String>, resource: Option<Box<str>> },
    #[error("AWS kept throttling {action} after the SDK's retries.")]
    Throttled { action: String, request_id: Option<String> },
    #[error("{action} failed with {code}: {detail}")]
    Service { action: String, code: String, detail: String, request_id: Option<String> },
    #[error("{action} got an answer that is not AWS's: {detail}")]
    BadResponse { action: String, detail: String },
}

const THROTTLING: [&str; 7] = ["Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled", "SlowDown"];
const BAD_CREDENTIALS: [&str; 8] =
    ["InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException", "AuthFailure", "InvalidAccessKeyId", "ExpiredToken", "ExpiredTokenException", "InvalidToken"];
const DENIED: [&str; 4] = ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess"];

impl AwsError {
    /// The category the UI and scripts branch on.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AwsError::Unreachable { .. } => ErrorKind::Unreachable,
            AwsError::InvalidCredentials { .. } => ErrorKind::InvalidCredentials,
            AwsError::NoCredentials { .. } => ErrorKind::NoCredentials,
            AwsError::NoRegion { .. } => ErrorKind::Config,
            AwsError::AccessDenied { .. } => ErrorKind::AccessDenied,
            AwsError::Throttled { .. } => ErrorKind::Throttled,
            AwsError::Service { .. } | AwsError::BadResponse { .. } => ErrorKind::Aws,
        }
    }

    /// Maps any SDK error; `action` is the IAM action name (`ec2:CreateVpcEndpointServiceConfiguration`).
    pub fn from_sdk<E>(err: SdkError<E, HttpResponse>, action: &str, session: &AwsSession) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mapped = Self::map_sdk(err, action, session);
        // Not-found answers are how deletes and lookups learn that something is gone.
        if mapped.is_not_found() {
            tracing::debug!(action, region = session.region(), "AWS: not found");
        } else {
            // The kind and AWS's code, not the message: a credential process's or parser's text
            // could carry what it was given.
            tracing::info!(action, region = session.region(), request_id = mapped.request_id(), kind = ?mapped.kind(), code = mapped.code(), "AWS call failed");
        }
        mapped
    }

    fn map_sdk<E>(err: SdkError<E, HttpResponse>, action: &str, session: &AwsSession) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let who = session.label.clone();
        let endpoint = session.endpoint().map(str::to_owned).unwrap_or_else(|| format!("AWS {}", session.region()));
        let action = action.to_owned();
        match &err {
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                let detail = root_cause(&err);
                if detail.contains("credentials") || detail.contains("Credentials") {
                    AwsError::NoCredentials { who, detail }
                } else {
                    AwsError::Unreachable { endpoint, detail }
                }
            }
            SdkError::ConstructionFailure(_) => AwsError::NoCredentials { who, detail: root_cause(&err) },
            SdkError::ResponseError(_) => AwsError::BadResponse { action, detail: root_cause(&err) },
            _ => {
                let code = err.code().unwrap_or("Unknown").to_owned();
                let detail = err.message().unwrap_or("no message").to_owned();
                let request_id = err.request_id().map(str::to_owned);
                if BAD_CREDENTIALS.contains(&code.as_str()) {
                    AwsError::InvalidCredentials { who, code, detail }
                } else if DENIED.contains(&code.as_str()) {
                    AwsError::AccessDenied { action, who, detail, request_id, resource: None }
                } else if THROTTLING.contains(&code.as_str()) {
                    AwsError::Throttled { action, request_id }
                } else {
                    AwsError::Service { action, code, detail, request_id }
                }
            }
        }
    }

    /// AWS's error code, when AWS answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            AwsError::Service { code, .. } | AwsError::InvalidCredentials { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Whether AWS said the resource does not exist, which for a delete means it is already done.
    pub fn is_not_found(&self) -> bool {
        self.code().is_some_and(|code| code.contains("NotFound") || code == "NoSuchEntity")
    }

    /// The request id AWS gave the failed call, for the journal and support tickets.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            AwsError::AccessDenied { request_id, .. } | AwsError::Throttled { request_id, .. } | AwsError::Service { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// What crosses to the UI for this failure.
    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload { kind: self.kind(), message: self.sentence(), hint: self.hint(), fields: Vec::new(), detail: self.detail() }
    }

    /// Names what a refused call was about (the role an AssumeRole asked for): AWS says it
    /// only in its own words, which the window folds away.
    pub fn on(self, what: &str) -> Self {
        match self {
            AwsError::AccessDenied { action, who, detail, request_id, .. } => AwsError::AccessDenied { action, who, detail, request_id, resource: Some(what.into()) },
            other => other,
        }
    }

    /// The failure in one sentence, without AWS's own words (those are [`AwsError::detail`]);
    /// the command line's text (`Display`) keeps both on one line.
    pub fn sentence(&self) -> String {
        match self {
            AwsError::Unreachable { endpoint, .. } => format!("Could not reach AWS at {endpoint}."),
            AwsError::InvalidCredentials { who, code, .. } => format!("AWS rejected the credentials from {who} ({code})."),
            AwsError::NoCredentials { who, .. } => format!("No usable credentials were found for {who}."),
            AwsError::AccessDenied { action, who, resource: Some(resource), .. } => format!("AWS denied {action} on {resource} to {who}."),
            AwsError::AccessDenied { action, who, .. } => format!("AWS denied {action} to {who}."),
            AwsError::Service { action, code, .. } => format!("{action} failed with {code}."),
            AwsError::BadResponse { action, .. } => format!("{action} got an answer that is not AWS's."),
            AwsError::NoRegion { .. } | AwsError::Throttled { .. } => self.to_string(),
        }
    }

    /// What AWS or the system said, word for word, and AWS's request id when it gave one.
    pub fn detail(&self) -> String {
        let (said, request_id) = match self {
            AwsError::Unreachable { detail, .. } | AwsError::InvalidCredentials { detail, .. } | AwsError::NoCredentials { detail, .. } | AwsError::BadResponse { detail, .. } => {
                (Some(detail.as_str()), None)
            }
            AwsError::AccessDenied { detail, request_id, .. } | AwsError::Service { detail, request_id, .. } => (Some(detail.as_str()), request_id.as_deref()),
            AwsError::Throttled { request_id, .. } => (None, request_id.as_deref()),
            AwsError::NoRegion { .. } => (None, None),
        };
        let request = request_id.map(|id| format!("AWS request id: {id}"));
        [said.map(str::to_owned), request].into_iter().flatten().collect::<Vec<_>>().join("\n")
    }

    /// What the admin can do about it.
    pub fn hint(&self) -> String {
        match self {
            AwsError::Unreachable { endpoint, .. } if endpoint.starts_with("http://127.") || endpoint.starts_with("http://localhost") => {
                "Nothing answers at this address on this machine: start the local AWS emulator it names, or unset AWS_ENDPOINT_URL (or the profile's endpoint_url) to use AWS itself.".into()
            }
            AwsError::Unreachable { .. } => "Check your network or proxy, and the endpoint_url / AWS_ENDPOINT_URL setting if you use one.".into(),
            AwsError::InvalidCredentials { .. } => {
                "The access key is wrong, deactivated or deleted, or the session has expired. Check it in IAM → Users → Security credentials, or sign in again (aws sso login)."
                    .into()
            }
            AwsError::NoCredentials { .. } => "Run `aws configure` or `aws sso login` for this profile, or store an access key in the keychain.".into(),
            AwsError::NoRegion { .. } => "Set a region on the profile (region = us-east-1), on the keychain entry, or pass --region.".into(),
            // docs/aws-rules.md R15: the role must exist there and trust the caller's account.
            AwsError::AccessDenied { action, .. } if action == "sts:AssumeRole" => "The role must exist in that account and trust this account. Organizations creates OrganizationAccountAccessRole only in the accounts it creates: an account invited into the organization needs it made by hand, or name another role (--access-role).".into(),
            AwsError::AccessDenied { action, .. } if action.starts_with("organizations:") => format!(
                "Only the organization's management account (or a delegated administrator) may call {action}: sign in with credentials of the management account, or ask its administrator to allow {action} for this identity."
            ),
            AwsError::AccessDenied { action, .. } => format!("Ask your AWS administrator to allow {action} for this identity, or pick credentials that have it."),
            AwsError::Throttled { .. } => "Wait a minute and try again; other tools in this account may be using the API heavily.".into(),
            AwsError::Service { code, .. } if code.contains("LimitExceeded") || code.starts_with("TooMany") => {
                "An account quota is reached: delete unused resources of this kind or ask AWS Support (Service Quotas) for a higher limit, then resume.".into()
            }
            AwsError::Service { code, .. } if code == "DependencyViolation" || code == "ResourceInUse" || code == "DeleteConflict" => {
                "Something else still uses this resource; VendorLink removes resources in dependency order, so wait a minute and resume, or check what else refers to it.".into()
            }
            AwsError::Service { code, .. } if code.contains("NotFound") || code == "NoSuchEntity" => {
                "It no longer exists in this account and region; it may have been deleted by hand.".into()
            }
            // docs/aws-rules.md R19: both VPCs need DNS hostnames and DNS resolution; the plan
            // checked this side, so it is the vendor's.
            AwsError::Service { code, .. } if code == "InvalidVpcPeeringConnectionState.DnsHostnamesDisabled" => {
                "Ask the vendor to turn on DNS hostnames and DNS resolution in its VPC, then plan the grant again; or plan without DNS resolution and connect by address.".into()
            }
            AwsError::Service { .. } => "AWS's own words are in the detail; the action can be retried once the cause is fixed.".into(),
            AwsError::BadResponse { .. } => "Something between you and AWS (a proxy or an emulator) answered instead of AWS. Check endpoint settings.".into(),
        }
    }
}

/// The innermost message of an error chain, which is the one that says what happened.
pub fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    let text = current.to_string();
    if text.is_empty() {
        DisplayErrorContext(err).to_string()
    } else {
        text
    }
}
