//! `ui/src/api/bindings.ts` is generated from the Rust types the UI sees. This test fails when
//! the checked-in file drifts; `VENDORLINK_WRITE_BINDINGS=1 cargo test --features vendorlink-engine/test-hooks --bins bindings` rewrites it.

use ts_rs::{Config, TS};

use crate::commands::Diagnostics;
use crate::grant_commands::{ForeignGrant, GrantListItem, HandoffView};
use vendorlink_engine::journal::{AuditCall, AuditEntry, Event, Failure, Record, RunOutcome};
use vendorlink_engine::sources::SourceList;
use vendorlink_engine::{
    ApplyReport, ConnectionView, Decision, Drift, DriftKind, FoundGrant, FoundResource, GrantState, GrantStatus, KnownGrant, LastSync, OrgStatus, Preflight, Progress,
    ResyncReport, Revoked, StepStatus, UnknownResource,
};
use vendorlink_model::FieldError;
use vendorlink_model::{
    AccountDiscovery, AccountFailure, Action, AllowlistHandoff, BastionHandoff, BastionRequest, CostEstimate, CostLine, CredentialSource, Database, DatabaseAccess, DatabaseKind,
    DatabaseRef, DedicatedAccountHandoff, Discovery, ExistingBastion, GrantRequest, Hostname, Identity, IngressRule, IngressSource, Inventory, Kept, KeychainEntry,
    KeychainEntrySummary, MemberAccess, NewAccount, OpenAccount, OrgAccount, OrgDiscovery, Output, Part, PassRole, Payer, PeerVpc, PeeringConnection, PeeringHandoff,
    PeeringRequest, Plan, PolicyFinding, PrivateLinkAccess, ProofCheck, Ref, RegionFailure, Removed, ResourceEndpointHandoff, ResourceTarget, ResourceTargetKind, RevocationRecord,
    RevokeScope, RoleAccess, RoleHandoff, SecurityGroup, SourceKind, SourceOption, Step, StepFinding, StepId, Subnet, Summary, TaggedResource, VendorPermissions, VendorProfile,
    VendorVpc, Vpc,
};
use vendorlink_model::{ErrorKind, ErrorPayload};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/api/bindings.ts");

fn decl<T: TS>(cfg: &Config) -> String {
    format!("export {}\n", T::decl(cfg))
}

fn render() -> String {
    let cfg = Config::default();
    let decls = [
        decl::<CredentialSource>(&cfg),
        decl::<SourceKind>(&cfg),
        decl::<SourceOption>(&cfg),
        decl::<SourceList>(&cfg),
        decl::<Identity>(&cfg),
        decl::<KeychainEntry>(&cfg),
        decl::<KeychainEntrySummary>(&cfg),
        decl::<FieldError>(&cfg),
        decl::<ErrorKind>(&cfg),
        decl::<ErrorPayload>(&cfg),
        decl::<VendorProfile>(&cfg),
        decl::<VendorPermissions>(&cfg),
        decl::<VendorVpc>(&cfg),
        decl::<Vpc>(&cfg),
        decl::<Subnet>(&cfg),
        decl::<SecurityGroup>(&cfg),
        decl::<IngressRule>(&cfg),
        decl::<DatabaseKind>(&cfg),
        decl::<Database>(&cfg),
        decl::<TaggedResource>(&cfg),
        decl::<Inventory>(&cfg),
        decl::<RegionFailure>(&cfg),
        decl::<Discovery>(&cfg),
        decl::<OrgAccount>(&cfg),
        decl::<AccountDiscovery>(&cfg),
        decl::<AccountFailure>(&cfg),
        decl::<OrgDiscovery>(&cfg),
        decl::<Part>(&cfg),
        decl::<Payer>(&cfg),
        decl::<CostLine>(&cfg),
        decl::<CostEstimate>(&cfg),
        decl::<RoleAccess>(&cfg),
        decl::<PassRole>(&cfg),
        decl::<PeeringRequest>(&cfg),
        decl::<ResourceTargetKind>(&cfg),
        decl::<ResourceTarget>(&cfg),
        decl::<BastionRequest>(&cfg),
        decl::<ExistingBastion>(&cfg),
        decl::<GrantRequest>(&cfg),
        decl::<PeerVpc>(&cfg),
        decl::<PeeringConnection>(&cfg),
        decl::<DatabaseRef>(&cfg),
        decl::<MemberAccess>(&cfg),
        decl::<NewAccount>(&cfg),
        decl::<StepId>(&cfg),
        decl::<Output>(&cfg),
        decl::<Ref>(&cfg),
        decl::<IngressSource>(&cfg),
        decl::<Action>(&cfg),
        decl::<Step>(&cfg),
        decl::<PolicyFinding>(&cfg),
        decl::<StepFinding>(&cfg),
        decl::<Plan>(&cfg),
        decl::<Progress>(&cfg),
        decl::<ApplyReport>(&cfg),
        decl::<DriftKind>(&cfg),
        decl::<ConnectionView>(&cfg),
        decl::<Decision>(&cfg),
        decl::<Drift>(&cfg),
        decl::<ResyncReport>(&cfg),
        decl::<GrantState>(&cfg),
        decl::<StepStatus>(&cfg),
        decl::<KnownGrant>(&cfg),
        decl::<UnknownResource>(&cfg),
        decl::<OrgStatus>(&cfg),
        decl::<LastSync>(&cfg),
        decl::<GrantStatus>(&cfg),
        decl::<RunOutcome>(&cfg),
        decl::<Failure>(&cfg),
        decl::<Diagnostics>(&cfg),
        decl::<Event>(&cfg),
        decl::<Record>(&cfg),
        decl::<RevokeScope>(&cfg),
        decl::<Removed>(&cfg),
        decl::<Kept>(&cfg),
        decl::<OpenAccount>(&cfg),
        decl::<ProofCheck>(&cfg),
        decl::<RevocationRecord>(&cfg),
        decl::<Revoked>(&cfg),
        decl::<Hostname>(&cfg),
        decl::<DatabaseAccess>(&cfg),
        decl::<PrivateLinkAccess>(&cfg),
        decl::<RoleHandoff>(&cfg),
        decl::<AllowlistHandoff>(&cfg),
        decl::<PeeringHandoff>(&cfg),
        decl::<BastionHandoff>(&cfg),
        decl::<ResourceEndpointHandoff>(&cfg),
        decl::<Summary>(&cfg),
        decl::<DedicatedAccountHandoff>(&cfg),
        decl::<AuditCall>(&cfg),
        decl::<AuditEntry>(&cfg),
        decl::<HandoffView>(&cfg),
        decl::<GrantListItem>(&cfg),
        decl::<Preflight>(&cfg),
        decl::<ForeignGrant>(&cfg),
        decl::<FoundResource>(&cfg),
        decl::<FoundGrant>(&cfg),
    ];
    format!(
        "// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit by hand:\n// run `VENDORLINK_WRITE_BINDINGS=1 cargo test --features vendorlink-engine/test-hooks --bins bindings` after changing them.\n\n{}",
        decls.join("\n")
    )
}

#[test]
fn checked_in_bindings_match_the_rust_types() {
    let expected = render();
    if std::env::var_os("VENDORLINK_WRITE_BINDINGS").is_some() {
        std::fs::write(PATH, &expected).expect("write bindings");
        return;
    }
    let actual = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        actual == expected,
        "{PATH} is out of date with the Rust types: run `VENDORLINK_WRITE_BINDINGS=1 cargo test --features vendorlink-engine/test-hooks --bins bindings` and commit the result."
    );
}
