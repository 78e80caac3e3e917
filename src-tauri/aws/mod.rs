//! The only code that talks to AWS: session set-up, one file per service, error mapping.
//!
//! Endpoints come from the SDK's standard override (`AWS_ENDPOINT_URL`, a profile's
//! `endpoint_url`) or, for the sandbox, from the emulator's address: there is no test-only path.

mod error;
mod session;
mod sts;

pub use error::AwsError;
pub use session::{connect, AwsSession, SessionSource};
pub use sts::caller_identity;
