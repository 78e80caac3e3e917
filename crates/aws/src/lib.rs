//! The only code that talks to AWS: session set-up, discovery, one file per service, error mapping.
//!
//! Endpoints come from the SDK's standard override (`AWS_ENDPOINT_URL`, a profile's
//! `endpoint_url`) or, for the sandbox, from the emulator's address: there is no test-only path.

mod discovery;
pub mod ec2;
pub mod elb;
mod error;
pub mod iam;
pub mod rds;
mod session;
mod sts;
mod tagged;

pub use discovery::{discover, discover_regions, enabled_regions};
pub use error::root_cause;
pub use error::AwsError;
pub use session::{connect, AwsSession, SessionSource};
pub use sts::{assume_role_with_mfa, caller_identity, session_token};
pub use tagged::tagged_resources;

/// What a creating call returned: the resource's ids, and AWS's request id for the record.
#[derive(Debug, Clone)]
pub struct Created {
    pub outputs: vendorlink_model::Outputs,
    pub request_id: Option<String>,
}
