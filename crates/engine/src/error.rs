//! The one error the window and the command line see.
//!
//! It serialises to a small, stable object, `{kind, message, hint, fields}`:
//! - `kind` is a fixed camelCase word the UI may branch on (see [`ErrorKind`]);
//! - `message` says what is wrong, in a sentence, naming the thing concerned;
//! - `hint` says what to do about it;
//! - `fields` lists per-input problems for forms (empty otherwise).
//!
//! Secrets never appear in any of them. The unit tests below pin this contract.

use serde::Serialize;

use crate::creds::CredsError;
use crate::handoff::HandoffError;
use crate::EngineError;
use vendorlink_aws::AwsError;
use vendorlink_model::{ErrorKind, ErrorPayload, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Creds(#[from] CredsError),
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Handoff(#[from] HandoffError),
    #[error("The sandbox is not running in this session.")]
    SandboxUnavailable,
    #[error("The sandbox endpoint {0} is not on this machine.")]
    SandboxNotLocal(String),
    #[error("Internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Creds(CredsError::Invalid(_)) => ErrorKind::InvalidInput,
            Error::Creds(CredsError::ProfileNotFound { .. } | CredsError::EntryNotFound { .. }) => ErrorKind::NotFound,
            Error::Creds(CredsError::EntryExists { .. }) => ErrorKind::AlreadyExists,
            Error::Creds(CredsError::KeychainUnavailable { .. } | CredsError::EntryCorrupt { .. }) => ErrorKind::Keychain,
            Error::Creds(CredsError::ConfigUnreadable { .. }) => ErrorKind::Config,
            Error::Creds(CredsError::MfaRequired { .. }) => ErrorKind::MfaRequired,
            Error::Aws(err) => err.kind(),
            Error::Engine(err) => err.kind(),
            Error::Handoff(HandoffError::Invalid(_)) => ErrorKind::InvalidInput,
            Error::Handoff(HandoffError::Unreachable { .. }) => ErrorKind::Unreachable,
            Error::Handoff(HandoffError::Refused { .. }) => ErrorKind::Delivery,
            Error::SandboxUnavailable | Error::SandboxNotLocal(_) => ErrorKind::Sandbox,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    pub fn hint(&self) -> String {
        match self {
            Error::Creds(err) => err.hint(),
            Error::Aws(err) => err.hint(),
            Error::Engine(err) => err.hint(),
            Error::Handoff(err) => err.hint(),
            Error::SandboxUnavailable => "Use an AWS profile or a keychain key; the sandbox is offered only while VENDORLINK_SANDBOX_ENDPOINT names a local AWS emulator.".into(),
            Error::SandboxNotLocal(_) => "The sandbox only runs on loopback (127.0.0.1); check VENDORLINK_SANDBOX_ENDPOINT.".into(),
            Error::Internal(_) => "This is a bug in VendorLink; please report it with the app log.".into(),
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        let fields = match self {
            Error::Creds(CredsError::Invalid(fields)) => fields.clone(),
            Error::Engine(err) => err.fields(),
            Error::Handoff(HandoffError::Invalid(field)) => vec![field.clone()],
            _ => Vec::new(),
        };
        let (message, detail) = match self {
            Error::Aws(err) => (err.sentence(), err.detail()),
            Error::Engine(err) => (err.sentence(), err.detail()),
            _ => (self.to_string(), String::new()),
        };
        ErrorPayload { kind: self.kind(), message, hint: self.hint(), fields, detail }
    }

    /// Exit status for scripts: 2 bad input, 3 credentials, 4 unreachable, 5 denied, 6 AWS,
    /// 7 finished but incomplete (see the message), 130 cancelled (Ctrl-C), 1 other.
    pub fn exit_code(&self) -> u8 {
        match self.kind() {
            ErrorKind::InvalidInput | ErrorKind::NotFound | ErrorKind::AlreadyExists | ErrorKind::Config => 2,
            ErrorKind::InvalidCredentials | ErrorKind::NoCredentials | ErrorKind::Keychain | ErrorKind::MfaRequired => 3,
            ErrorKind::Journal => 1,
            ErrorKind::Incomplete => 7,
            ErrorKind::Revoked => 8,
            ErrorKind::Busy => 9,
            ErrorKind::Cancelled => 130,
            ErrorKind::Unreachable | ErrorKind::Sandbox => 4,
            ErrorKind::AccessDenied => 5,
            ErrorKind::Throttled | ErrorKind::Aws | ErrorKind::Delivery => 6,
            ErrorKind::Internal => 1,
        }
    }
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

impl From<Vec<FieldError>> for Error {
    fn from(fields: Vec<FieldError>) -> Self {
        Error::Creds(CredsError::Invalid(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_is_kind_message_hint_fields() {
        let err = Error::Creds(CredsError::ProfileNotFound { name: "prod".into(), available: vec!["dev".into()] });
        let json = serde_json::to_value(&err).expect("serialise");
        assert_eq!(
            json,
            serde_json::json!({
                "kind": "notFound",
                "message": "There is no AWS profile named \"prod\".",
                "hint": "Pick one of: dev.",
                "fields": [],
                "detail": ""
            })
        );
    }

    #[test]
    fn validation_failures_carry_every_field() {
        let err: Error = vec![FieldError::new("accessKeyId", "bad id", "fix id"), FieldError::new("region", "bad region", "fix region")].into();
        let payload = err.payload();
        assert_eq!(payload.kind, ErrorKind::InvalidInput);
        assert_eq!(payload.message, "2 fields need fixing: accessKeyId, region");
        assert_eq!(payload.hint, "fix id");
        assert_eq!(payload.fields.len(), 2);
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn access_denied_names_the_action_in_message_and_hint() {
        let err = Error::Aws(AwsError::AccessDenied {
            action: "ec2:CreateVpcEndpointServiceConfiguration".into(),
            who: "AWS profile \"ops\"".into(),
            detail: "User: arn:aws:iam::123456789012:user/ops is not authorized".into(),
            request_id: Some("8f7e-request".into()),
            resource: None,
        });
        assert!(err.to_string().starts_with("AWS denied ec2:CreateVpcEndpointServiceConfiguration to AWS profile \"ops\""));
        assert!(err.hint().contains("allow ec2:CreateVpcEndpointServiceConfiguration"));
        assert_eq!(err.exit_code(), 5);
        // The window gets one sentence, AWS's own words folded under it with the request id.
        let payload = err.payload();
        assert_eq!(payload.message, "AWS denied ec2:CreateVpcEndpointServiceConfiguration to AWS profile \"ops\".");
        assert_eq!(payload.detail, "User: arn:aws:iam::123456789012:user/ops is not authorized\nAWS request id: 8f7e-request");
    }

    #[test]
    fn a_refused_assume_role_names_the_role_in_its_sentence() {
        let denied = AwsError::AccessDenied { action: "sts:AssumeRole".into(), who: "the local sandbox".into(), detail: "not authorized".into(), request_id: None, resource: None };
        let payload = Error::Aws(denied.on("arn:aws:iam::222222222222:role/OrganizationAccountAccessRole")).payload();
        assert_eq!(payload.message, "AWS denied sts:AssumeRole on arn:aws:iam::222222222222:role/OrganizationAccountAccessRole to the local sandbox.");
        assert!(payload.hint.contains("invited into the organization"), "{}", payload.hint);
    }
}
