use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

/// Names one step of a plan. Plans, journals, revoke, proof, drift and the window refer to
/// steps by it; its text form (`nlb-sg`, `role-policy-vendorlink-datafold`) is what journals
/// written before this type already hold, so it is kept as the serialised form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, TS)]
#[ts(
    type = "\"account\" | \"account-ou\" | \"nlb-sg\" | \"db-sg-from-nlb\" | \"target-group\" | \"targets\" | \"nlb\" | \"nlb-cross-zone\" | \"nlb-privatelink-rules\" | \"listener\" | \"endpoint-service\" | \"endpoint-principals\" | \"allowlist\" | \"role\" | \"role-guard\" | `role-policy-${string}` | `role-managed-${number}` | \"role-expiry\" | \"endpoint-connections\" | \"revoke-trust\" | \"revoke-sessions\" | \"revoke-deny-all\" | \"targets-deregistered\" | `connections-${string}` | \"peering\" | \"peering-dns\" | `peering-route-${string}` | \"db-sg-from-peer\" | \"bastion-sg\" | \"bastion-ssh\" | \"bastion\" | \"db-sg-from-bastion\" | \"gateway-sg\" | \"db-sg-from-gateway\" | \"resource-gateway\" | \"resource-config\" | \"resource-share\" | \"resource-endpoints\" | \"sync-role\" | \"sync-role-policy\" | \"sync-function\" | \"sync-events\" | \"sync-schedule\" | `tagged-${string}`"
)]
pub enum StepId {
    /// The dedicated member account, and its move into an organizational unit.
    Account,
    AccountParent,
    /// The load balancer's security group.
    NlbSecurityGroup,
    /// The database group's rule admitting the load balancer's group.
    DbRuleFromNlb,
    TargetGroup,
    /// The database's addresses registered in the target group.
    Targets,
    Nlb,
    NlbCrossZone,
    /// The NLB's group re-set with PrivateLink traffic exempt from its inbound rules.
    NlbPrivateLinkRules,
    Listener,
    EndpointService,
    EndpointPrincipals,
    /// The database group's rules for the vendor's published addresses.
    Allowlist,
    Role,
    /// The role's self-protection policy, before any permission.
    RoleGuard,
    /// One of the vendor's inline policies on the role, by policy name.
    RolePolicy(String),
    /// The n-th managed policy attached to the role.
    RoleManaged(u32),
    /// The deny-all from the end of the grant's last day.
    RoleExpiry,
    /// A revoke's own steps, journaled beside the plan's: the vendor's endpoint connections
    /// rejected, the role's trust closed, its earlier sessions denied, a deny-all on a role
    /// that has to stay.
    EndpointConnections,
    RevokeTrust,
    RevokeSessions,
    RevokeDenyAll,
    /// Targets a resync took out of the target group.
    TargetsDeregistered,
    /// The admin's accept or reject of these endpoint connections (ids joined by `+`).
    Decision(String),
    /// The VPC peering connection, its DNS option, the routes in one route table (by its id),
    /// and the database group's rule for the vendor's VPC.
    Peering,
    PeeringDns,
    PeeringRoute(String),
    DbRuleFromPeer,
    /// The bastion's security group, its SSH rule for the vendor's addresses, the instance, and
    /// the database group's rule admitting the bastion's group.
    BastionSecurityGroup,
    BastionSsh,
    Bastion,
    DbRuleFromBastion,
    /// The resource gateway's security group, the database group's rule admitting it, the
    /// gateway, the resource configuration and its RAM share with the vendor.
    GatewaySecurityGroup,
    DbRuleFromGateway,
    ResourceGateway,
    ResourceConfiguration,
    ResourceShare,
    /// A revoke's own step: the vendor's resource endpoints cut off the configuration (a share
    /// taken back leaves them connected, docs/aws-rules.md R21.12).
    ResourceEndpoints,
    /// The target-sync machinery of private link: its function's role and the role's policy,
    /// the function, and the rules invoking it on the database's events and on a schedule.
    SyncRole,
    SyncRolePolicy,
    SyncFunction,
    SyncEvents,
    SyncSchedule,
    /// A resource of a grant recorded nowhere here, found by its tag and taken back by kind
    /// (`securityGroup`, `role`…): no plan says which step made it.
    Tagged(String),
}

const FIXED: [(StepId, &str); 39] = [
    (StepId::Account, "account"),
    (StepId::AccountParent, "account-ou"),
    (StepId::NlbSecurityGroup, "nlb-sg"),
    (StepId::DbRuleFromNlb, "db-sg-from-nlb"),
    (StepId::TargetGroup, "target-group"),
    (StepId::Targets, "targets"),
    (StepId::Nlb, "nlb"),
    (StepId::NlbCrossZone, "nlb-cross-zone"),
    (StepId::NlbPrivateLinkRules, "nlb-privatelink-rules"),
    (StepId::Listener, "listener"),
    (StepId::EndpointService, "endpoint-service"),
    (StepId::EndpointPrincipals, "endpoint-principals"),
    (StepId::Allowlist, "allowlist"),
    (StepId::Role, "role"),
    (StepId::RoleGuard, "role-guard"),
    (StepId::RoleExpiry, "role-expiry"),
    (StepId::EndpointConnections, "endpoint-connections"),
    (StepId::RevokeTrust, "revoke-trust"),
    (StepId::RevokeSessions, "revoke-sessions"),
    (StepId::RevokeDenyAll, "revoke-deny-all"),
    (StepId::TargetsDeregistered, "targets-deregistered"),
    (StepId::Peering, "peering"),
    (StepId::PeeringDns, "peering-dns"),
    (StepId::DbRuleFromPeer, "db-sg-from-peer"),
    (StepId::BastionSecurityGroup, "bastion-sg"),
    (StepId::GatewaySecurityGroup, "gateway-sg"),
    (StepId::DbRuleFromGateway, "db-sg-from-gateway"),
    (StepId::ResourceGateway, "resource-gateway"),
    (StepId::ResourceConfiguration, "resource-config"),
    (StepId::ResourceShare, "resource-share"),
    (StepId::ResourceEndpoints, "resource-endpoints"),
    (StepId::SyncRole, "sync-role"),
    (StepId::SyncRolePolicy, "sync-role-policy"),
    (StepId::SyncFunction, "sync-function"),
    (StepId::SyncEvents, "sync-events"),
    (StepId::SyncSchedule, "sync-schedule"),
    (StepId::BastionSsh, "bastion-ssh"),
    (StepId::Bastion, "bastion"),
    (StepId::DbRuleFromBastion, "db-sg-from-bastion"),
];
const ROLE_POLICY: &str = "role-policy-";
const DECISION: &str = "connections-";
const ROLE_MANAGED: &str = "role-managed-";
const PEERING_ROUTE: &str = "peering-route-";
const TAGGED: &str = "tagged-";

impl fmt::Display for StepId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepId::RolePolicy(name) => write!(f, "{ROLE_POLICY}{name}"),
            StepId::RoleManaged(index) => write!(f, "{ROLE_MANAGED}{index}"),
            StepId::Decision(endpoints) => write!(f, "{DECISION}{endpoints}"),
            StepId::PeeringRoute(table) => write!(f, "{PEERING_ROUTE}{table}"),
            StepId::Tagged(kind) => write!(f, "{TAGGED}{kind}"),
            fixed => f.write_str(FIXED.iter().find(|(id, _)| id == fixed).map_or("", |(_, text)| text)),
        }
    }
}

/// A text that names no step of any plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a step of a VendorLink plan")]
pub struct UnknownStep(pub String);

impl FromStr for StepId {
    type Err = UnknownStep;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some((id, _)) = FIXED.iter().find(|(_, t)| *t == text) {
            return Ok(id.clone());
        }
        if let Some(name) = text.strip_prefix(ROLE_POLICY).filter(|n| !n.is_empty()) {
            return Ok(StepId::RolePolicy(name.to_owned()));
        }
        if let Some(index) = text.strip_prefix(ROLE_MANAGED).and_then(|i| i.parse().ok()) {
            return Ok(StepId::RoleManaged(index));
        }
        if let Some(table) = text.strip_prefix(PEERING_ROUTE).filter(|t| !t.is_empty()) {
            return Ok(StepId::PeeringRoute(table.to_owned()));
        }
        if let Some(kind) = text.strip_prefix(TAGGED).filter(|k| !k.is_empty()) {
            return Ok(StepId::Tagged(kind.to_owned()));
        }
        if let Some(endpoints) = text.strip_prefix(DECISION).filter(|e| !e.is_empty()) {
            return Ok(StepId::Decision(endpoints.to_owned()));
        }
        Err(UnknownStep(text.to_owned()))
    }
}

impl Serialize for StepId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for StepId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_id_reads_back_from_its_text_as_journals_hold_it() {
        let mut all: Vec<StepId> = FIXED.iter().map(|(id, _)| id.clone()).collect();
        all.extend([
            StepId::RolePolicy("vendorlink-datafold".into()),
            StepId::RoleManaged(2),
            StepId::Decision("vpce-1+vpce-2".into()),
            StepId::PeeringRoute("rtb-0a1".into()),
            StepId::Tagged("securityGroup".into()),
        ]);
        for id in all {
            let text = id.to_string();
            assert!(!text.is_empty(), "{id:?} has no text");
            assert_eq!(text.parse::<StepId>(), Ok(id.clone()));
            assert_eq!(serde_json::to_value(&id).expect("serialise"), serde_json::Value::String(text));
        }
        assert_eq!("role-policy-vendorlink-datafold".parse(), Ok(StepId::RolePolicy("vendorlink-datafold".into())));
        assert!("role-policy-".parse::<StepId>().is_err());
        assert!("role-managed-x".parse::<StepId>().is_err());
        assert!(serde_json::from_str::<StepId>("\"nlb-security-group\"").is_err());
    }
}
