use std::time::Duration;

use crate::validate::{self, FieldError, Reach};
use vendorlink_model::Summary;

#[derive(Debug, thiserror::Error)]
pub enum HandoffError {
    #[error("{0}")]
    Invalid(FieldError),
    #[error("Could not deliver the summary to {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("{url} refused the summary with HTTP {status}: {body}")]
    Refused { url: String, status: u16, body: String },
}

impl HandoffError {
    pub fn hint(&self) -> String {
        match self {
            HandoffError::Invalid(field) => field.hint.clone(),
            HandoffError::Unreachable { .. } => "Check the address with the vendor; the summary was not sent. You can still save it and send it by email.".into(),
            HandoffError::Refused { .. } => "The vendor's server did not take it; nothing was retried. Check the address, or send the Markdown by email.".into(),
        }
    }
}

/// POSTs the JSON summary once (no retries: a vendor's endpoint that failed should be looked
/// at, not hammered) and returns the HTTP status. HTTPS to a public address only (see
/// [`validate::https_url`]); no redirect is followed.
pub async fn send(url: &str, summary: &Summary, reach: Reach) -> Result<u16, HandoffError> {
    let parsed = validate::https_url("sendTo", url, reach).map_err(HandoffError::Invalid)?;
    let client = validate::http_client(reach, Duration::from_secs(20), 0).map_err(|detail| HandoffError::Unreachable { url: url.into(), detail })?;
    let response = client
        .post(parsed)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(super::json(summary))
        .send()
        .await
        .map_err(|e| HandoffError::Unreachable { url: url.into(), detail: vendorlink_aws::root_cause(&e) })?;
    let status = response.status();
    if status.is_success() {
        return Ok(status.as_u16());
    }
    let body: String = response.text().await.unwrap_or_default().chars().take(300).collect();
    Err(HandoffError::Refused { url: url.into(), status: status.as_u16(), body })
}
