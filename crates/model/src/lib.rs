//! Plain data shared by the engine, the command line and the window: serde, no I/O.
//!
//! Every type the UI sees derives `TS`; `ui/src/api/bindings.ts` is generated from them and a
//! unit test fails when the checked-in file drifts.

mod console;
mod cost;
mod credentials;
mod error;
mod grant;
mod inventory;
mod output;
mod revocation;
mod step_id;
mod summary;
mod vendor;

pub use console::{console_url, is_console_url};
pub use cost::{CostEstimate, CostLine, Payer};
pub use credentials::{CredentialSource, Identity, KeychainEntry, KeychainEntrySummary, SourceKind, SourceOption};
pub use error::{ErrorKind, ErrorPayload, FieldError};
pub use grant::{
    Action, BastionRequest, DatabaseRef, ExistingBastion, GrantRequest, IngressSource, MemberAccess, NewAccount, Part, PassRole, PeeringRequest, Plan, PolicyFinding, Ref,
    ResourceTarget, ResourceTargetKind, RoleAccess, Step, StepFinding, GRANT_TAG, ORGANIZATION_ACCESS_ROLE, VENDOR_TAG,
};
pub use inventory::{
    peering_over, AccountDiscovery, AccountFailure, AccountResources, Database, DatabaseKind, Discovery, IngressRule, Inventory, OrgAccount, OrgDiscovery, OrgTagged, PeerVpc,
    PeeringConnection, RegionFailure, Route, RouteTable, SecurityGroup, Subnet, TaggedResource, Vpc, VpcFacts,
};
pub use output::Output;
pub use revocation::{Kept, OpenAccount, ProofCheck, Removed, RevocationRecord, RevokeScope};
pub use step_id::{StepId, UnknownStep};
pub use summary::{
    AllowlistHandoff, BastionHandoff, DatabaseAccess, DedicatedAccountHandoff, Hostname, PeeringHandoff, PrivateLinkAccess, ResourceEndpointHandoff, RoleHandoff, Summary,
    SUMMARY_SCHEMA,
};
pub use vendor::{VendorPermissions, VendorProfile, VendorVpc};
