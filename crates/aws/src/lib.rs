//! The only code that talks to AWS: session set-up, discovery, one file per service, error mapping.
//!
//! Each service is a struct holding its SDK client, built once per session, behind a trait
//! ([`Cloud`] bundles them): the engine depends on the traits, so its ordering, rollback and
//! revoke logic is tested in-process with fakes, while behaviour tests use these structs
//! against the emulator.
//!
//! Endpoints come from the SDK's standard override (`AWS_ENDPOINT_URL`, a profile's
//! `endpoint_url`) or, for the sandbox, from the emulator's address: there is no test-only path.

mod accounts;
mod assume;
mod cloud;
mod discovery;
pub mod ec2;
pub mod elb;
mod error;
pub mod functions;
pub mod iam;
pub mod instances;
pub mod lattice;
mod organization;
pub mod peering;
pub mod rds;
mod session;
pub mod sharing;
mod sts;
mod tagged;

pub use accounts::{Accounts, AccountsApi, CreationStatus};
pub use assume::assume_role;
pub use cloud::Cloud;

pub use discovery::{discover, discover_regions, enabled_regions};
pub use error::root_cause;
pub use error::AwsError;
pub use functions::{log_group_name, FunctionInfo, FunctionSpec, Functions, FunctionsApi, RuleInfo};
pub use instances::{InstanceInfo, Instances, InstancesApi, Launch};
pub use lattice::{ConfigurationInfo, EndpointAssociation, GatewayInfo, Lattice, LatticeApi};
pub use organization::{discover_organization, tagged_in_organization, IAM_GLOBAL};
pub use peering::{Peering, PeeringApi};
pub use session::{connect, AwsSession, SessionSource};
pub use sharing::{ShareInfo, Sharing, SharingApi};
pub use sts::{assume_role_with_mfa, session_token, Sts, StsApi};
pub use tagged::{Tagged, TaggedApi};

/// What a creating call returned: the resource's ids, and AWS's request id for the record.
#[derive(Debug, Clone)]
pub struct Created {
    pub output: vendorlink_model::Output,
    pub request_id: Option<String>,
}
