//! The error vocabulary every layer shares with the UI and scripts: a fixed kind, and the
//! payload `{kind, message, hint, fields}` that crosses to the window and to `--json` output.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The stable error categories the UI and scripts can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    InvalidInput,
    NotFound,
    AlreadyExists,
    Keychain,
    Config,
    /// A code from the MFA device is needed first.
    MfaRequired,
    /// The local record of grants could not be read or written.
    Journal,
    /// The vendor's server refused a summary sent to it.
    Delivery,
    /// The admin stopped the work (and it was rolled back).
    Cancelled,
    /// The work ran but something needs a person (a revoke left a resource changed by hand).
    Incomplete,
    /// The grant was revoked: it is never applied again (plan a new one).
    Revoked,
    /// Another run is changing the grant right now.
    Busy,
    Unreachable,
    InvalidCredentials,
    NoCredentials,
    AccessDenied,
    Throttled,
    Aws,
    Sandbox,
    Internal,
}

/// What crosses to the UI (and `--json` output) for any failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorPayload {
    pub kind: ErrorKind,
    /// What happened, in one sentence.
    pub message: String,
    /// What to do about it.
    pub hint: String,
    pub fields: Vec<FieldError>,
    /// What AWS or the system said, word for word, with AWS's request id: folded under the
    /// sentence in the window, for whoever digs further or files a ticket. Empty when nothing
    /// more was said.
    #[serde(default)]
    pub detail: String,
}

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The input's name as the UI and CLI call it (`accessKeyId`, `region`...).
    pub field: String,
    pub message: String,
    pub hint: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>, hint: impl Into<String>) -> Self {
        FieldError { field: field.to_owned(), message: message.into(), hint: hint.into() }
    }
}
