use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::StepId;

/// What a step made, as AWS named it: what later steps refer to, what the summary shows, and
/// what undoing it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "kind")]
pub enum Output {
    SecurityGroup {
        group_id: String,
    },
    /// Rules added to a group by one call.
    IngressRules {
        group_id: String,
        rule_ids: Vec<String>,
    },
    LoadBalancer {
        arn: String,
        dns_name: String,
        /// The state the create call answered with (`provisioning`), when it said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state: Option<String>,
    },
    /// A setting of the load balancer (cross-zone, its group); it goes with the load balancer.
    LoadBalancerSetting {
        load_balancer: String,
    },
    TargetGroup {
        arn: String,
    },
    Targets {
        target_group: String,
        ips: Vec<String>,
    },
    Listener {
        arn: String,
    },
    EndpointService {
        service_id: String,
        service_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state: Option<String>,
    },
    /// Principals allowed on an endpoint service.
    Principals {
        service_id: String,
        principals: Vec<String>,
    },
    Role {
        name: String,
        arn: String,
    },
    InlinePolicy {
        role: String,
        name: String,
    },
    ManagedPolicy {
        role: String,
        policy_arn: String,
    },
    /// A revoke replaced the role's trust with one that lets nobody in, at AWS's time.
    TrustClosed {
        role: String,
        aws_time: String,
    },
    /// The admin accepted or rejected endpoint connections.
    Decision {
        endpoint_ids: Vec<String>,
        /// `accept` or `reject`.
        decision: String,
    },
    /// A revoke's policy denying every session issued before the cut-off.
    SessionsDenied {
        role: String,
        name: String,
        issued_before: String,
    },
    /// A member account created in the organization.
    Account {
        account_id: String,
        name: String,
        email: String,
    },
    /// The account's place in the organization after a move.
    AccountParent {
        account_id: String,
        parent_id: String,
    },
    /// A VPC peering connection, with the status AWS answered (`pending-acceptance`, `active`…).
    Peering {
        connection_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
    },
    /// An option of the peering connection; it goes with the connection.
    PeeringOption {
        connection_id: String,
    },
    /// Routes to the vendor's blocks through the connection, in one table.
    Routes {
        route_table_id: String,
        connection_id: String,
        cidrs: Vec<String>,
    },
    /// An EC2 instance (the bastion) and where it is reached.
    Instance {
        instance_id: String,
        image_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        public_ip: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        public_dns: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state: Option<String>,
    },
    /// A VPC Lattice resource gateway, with the status AWS answered (`CREATE_IN_PROGRESS`…).
    ResourceGateway {
        gateway_id: String,
        arn: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
    },
    /// A resource configuration; later steps refer to it by ARN (RAM shares ARNs).
    ResourceConfiguration {
        arn: String,
        configuration_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
    },
    /// A Lambda function (the target sync), with its log group.
    Function {
        name: String,
        arn: String,
    },
    /// An EventBridge rule, its target and the permission `function` gives it.
    EventRule {
        name: String,
        arn: String,
        function: String,
    },
    /// An AWS RAM resource share.
    ResourceShare {
        arn: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
    },
}

impl Output {
    /// The id a later step's reference resolves to (group id, ARN, service id, role name; for
    /// a decision, which one it was).
    pub fn id(&self) -> &str {
        match self {
            Output::SecurityGroup { group_id } => group_id,
            Output::IngressRules { group_id, .. } => group_id,
            Output::LoadBalancer { arn, .. } | Output::TargetGroup { arn } | Output::Listener { arn } => arn,
            Output::LoadBalancerSetting { load_balancer } => load_balancer,
            Output::Targets { target_group, .. } => target_group,
            Output::EndpointService { service_id, .. } | Output::Principals { service_id, .. } => service_id,
            Output::Role { name, .. } | Output::TrustClosed { role: name, .. } => name,
            Output::InlinePolicy { name, .. } | Output::SessionsDenied { name, .. } => name,
            Output::Decision { decision, .. } => decision,
            Output::ManagedPolicy { policy_arn, .. } => policy_arn,
            Output::Account { account_id, .. } | Output::AccountParent { account_id, .. } => account_id,
            Output::Peering { connection_id, .. } | Output::PeeringOption { connection_id } => connection_id,
            Output::Routes { route_table_id, .. } => route_table_id,
            Output::Instance { instance_id, .. } => instance_id,
            Output::ResourceGateway { gateway_id, .. } => gateway_id,
            Output::Function { arn, .. } | Output::EventRule { arn, .. } => arn,
            Output::ResourceConfiguration { arn, .. } | Output::ResourceShare { arn, .. } => arn,
        }
    }

    /// The id progress, status and the revoke record show for the step: the resource's own,
    /// or the rules' ids for rules.
    pub fn label(&self) -> String {
        match self {
            Output::IngressRules { rule_ids: ids, .. } | Output::Decision { endpoint_ids: ids, .. } => ids.join(","),
            other => other.id().to_owned(),
        }
    }

    /// Every AWS id or ARN it names: a tagged resource none of a grant's outputs names was
    /// made by a run this machine has no record of.
    pub fn resource_ids(&self) -> Vec<&str> {
        match self {
            Output::IngressRules { group_id, rule_ids } => std::iter::once(group_id.as_str()).chain(rule_ids.iter().map(String::as_str)).collect(),
            Output::Role { name, arn } => vec![name, arn],
            Output::InlinePolicy { role, .. } | Output::SessionsDenied { role, .. } | Output::TrustClosed { role, .. } => vec![role],
            Output::ManagedPolicy { role, policy_arn } => vec![role, policy_arn],
            Output::Decision { endpoint_ids, .. } => endpoint_ids.iter().map(String::as_str).collect(),
            Output::Routes { route_table_id, connection_id, .. } => vec![route_table_id, connection_id],
            Output::ResourceGateway { gateway_id, arn, .. } => vec![gateway_id, arn],
            Output::ResourceConfiguration { arn, configuration_id, .. } => vec![arn, configuration_id],
            Output::Function { name, arn } | Output::EventRule { name, arn, .. } => vec![name, arn],
            other => vec![other.id()],
        }
    }

    /// Reads what journals written before typed outputs hold: a flat map whose `id` and other
    /// keys depended on the step (comma-joined lists for rules, targets and principals).
    pub fn from_legacy(step: &StepId, fields: &BTreeMap<String, String>) -> Option<Output> {
        let get = |key: &str| fields.get(key).cloned();
        let list = |key: &str| -> Vec<String> { fields.get(key).map(|v| v.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()).unwrap_or_default() };
        let id = get("id")?;
        Some(match step {
            StepId::NlbSecurityGroup => Output::SecurityGroup { group_id: id },
            StepId::DbRuleFromNlb | StepId::Allowlist => Output::IngressRules { group_id: get("groupId")?, rule_ids: list("id") },
            StepId::Nlb => Output::LoadBalancer { arn: id, dns_name: get("dnsName").unwrap_or_default(), state: get("state") },
            StepId::NlbCrossZone | StepId::NlbPrivateLinkRules => Output::LoadBalancerSetting { load_balancer: id },
            StepId::TargetGroup => Output::TargetGroup { arn: id },
            StepId::Targets => Output::Targets { target_group: id, ips: list("targets") },
            StepId::Listener => Output::Listener { arn: id },
            StepId::EndpointService => Output::EndpointService { service_id: id, service_name: get("serviceName").unwrap_or_default(), state: get("state") },
            StepId::EndpointPrincipals => Output::Principals { service_id: id, principals: list("principals") },
            StepId::Role => Output::Role { arn: get("arn").unwrap_or_default(), name: id },
            StepId::RoleGuard | StepId::RolePolicy(_) | StepId::RoleExpiry | StepId::RevokeDenyAll => Output::InlinePolicy { role: get("role")?, name: id },
            StepId::RoleManaged(_) => Output::ManagedPolicy { role: get("role")?, policy_arn: id },
            StepId::RevokeTrust => Output::TrustClosed { role: id, aws_time: get("awsTime")? },
            StepId::RevokeSessions => Output::SessionsDenied { role: get("role")?, name: id, issued_before: get("issuedBefore")? },
            StepId::Decision(_) => Output::Decision { endpoint_ids: list("id"), decision: get("decision")? },
            StepId::TargetsDeregistered => Output::Targets { target_group: id, ips: list("targets") },
            // Rejecting connections records no outputs; accounts came after typed outputs.
            StepId::EndpointConnections | StepId::Account | StepId::AccountParent => return None,
            StepId::Peering | StepId::PeeringDns | StepId::PeeringRoute(_) | StepId::DbRuleFromPeer => return None,
            StepId::BastionSecurityGroup | StepId::BastionSsh | StepId::Bastion | StepId::DbRuleFromBastion => return None,
            StepId::GatewaySecurityGroup
            | StepId::DbRuleFromGateway
            | StepId::ResourceGateway
            | StepId::ResourceConfiguration
            | StepId::ResourceShare
            | StepId::ResourceEndpoints => return None,
            StepId::SyncRole | StepId::SyncRolePolicy | StepId::SyncFunction | StepId::SyncEvents | StepId::SyncSchedule | StepId::Tagged(_) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_flat_outputs_of_older_journals_read_as_typed_ones() {
        let rules = Output::from_legacy(&StepId::Allowlist, &map(&[("id", "sgr-1,sgr-2"), ("groupId", "sg-db")]));
        assert_eq!(rules.as_ref().map(Output::label), Some("sgr-1,sgr-2".to_owned()));
        assert_eq!(rules, Some(Output::IngressRules { group_id: "sg-db".into(), rule_ids: vec!["sgr-1".into(), "sgr-2".into()] }));
        let targets = Output::from_legacy(&StepId::Targets, &map(&[("id", "arn:tg"), ("targets", "10.0.1.5,10.0.2.5")]));
        assert_eq!(targets, Some(Output::Targets { target_group: "arn:tg".into(), ips: vec!["10.0.1.5".into(), "10.0.2.5".into()] }));
        let role = Output::from_legacy(&StepId::Role, &map(&[("id", "vendorlink-x"), ("arn", "arn:aws:iam::1:role/vendorlink/vendorlink-x")]));
        assert_eq!(role.as_ref().map(Output::id), Some("vendorlink-x"));
        let policy = Output::from_legacy(&StepId::RolePolicy("p".into()), &map(&[("id", "p"), ("role", "vendorlink-x")]));
        assert_eq!(policy, Some(Output::InlinePolicy { role: "vendorlink-x".into(), name: "p".into() }));
        assert_eq!(Output::from_legacy(&StepId::RoleGuard, &map(&[("id", "vendorlink-guard")])), None, "a policy without its role cannot be undone");
    }

    #[test]
    fn typed_outputs_name_their_kind_and_fields() {
        let value = serde_json::to_value(Output::Principals { service_id: "vpce-svc-1".into(), principals: vec!["arn:aws:iam::1:root".into()] }).expect("serialise");
        assert_eq!(value, serde_json::json!({"kind": "principals", "serviceId": "vpce-svc-1", "principals": ["arn:aws:iam::1:root"]}));
    }
}
