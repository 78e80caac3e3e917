//! The IAM actions a grant calls, derived from what its plan does: each step's action brings
//! the calls that create it, wait on it, read it back (status, drift, handoff, proof) and
//! remove it (rollback, revoke). The preflight asks IAM about exactly this list, the review
//! shows it, and a test checks that every call `vendorlink-aws` makes is on it.

use vendorlink_model::{Action, Part, Plan};

/// Read-only calls every grant makes, whatever its parts: the regions, the network and the
/// databases, earlier grants by tag. (`sts:GetCallerIdentity` needs no permission: AWS answers
/// it for any caller, and the policy simulator would call it denied.)
const EVERY_GRANT: &[&str] = &[
    "ec2:DescribeRegions",
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSecurityGroupRules",
    "ec2:DescribeVpcEndpointServiceConfigurations",
    "ec2:DescribeVpcPeeringConnections",
    "ec2:DescribeInstances",
    "rds:DescribeDBInstances",
    "rds:DescribeDBClusters",
    "rds:DescribeDBSubnetGroups",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTags",
    "iam:ListRoles",
    "iam:ListRoleTags",
    "vpc-lattice:ListResourceGateways",
    "vpc-lattice:ListResourceConfigurations",
    "vpc-lattice:ListTagsForResource",
    "ram:GetResourceShares",
    "lambda:ListFunctions",
    "lambda:ListTags",
    "events:ListRules",
    "events:ListTagsForResource",
    "logs:DescribeLogGroups",
    "logs:ListTagsForResource",
];

const SECURITY_GROUP: &[&str] = &["ec2:CreateSecurityGroup", "ec2:CreateTags", "ec2:DeleteSecurityGroup"];
/// Revoke and proof read the group's rules back; a rule is tagged when it is made.
const INGRESS: &[&str] = &["ec2:AuthorizeSecurityGroupIngress", "ec2:CreateTags", "ec2:RevokeSecurityGroupIngress"];
/// The account's first load balancer makes ELB's service-linked role (AWS's own, created once).
const LOAD_BALANCER: &[&str] =
    &["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:AddTags", "elasticloadbalancing:DeleteLoadBalancer", "iam:CreateServiceLinkedRole"];
const CROSS_ZONE: &[&str] = &["elasticloadbalancing:ModifyLoadBalancerAttributes"];
const LOAD_BALANCER_GROUPS: &[&str] = &["elasticloadbalancing:SetSecurityGroups"];
const TARGET_GROUP: &[&str] = &["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:AddTags", "elasticloadbalancing:DeleteTargetGroup"];
/// Resync and status read the targets' health; resync and revoke deregister.
const TARGETS: &[&str] = &["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:DescribeTargetHealth"];
/// Resume and drift find a listener that a crash left unrecorded.
const LISTENER: &[&str] = &["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:DescribeListeners"];
/// The service's zones for the handoff; its endpoint connections listed, accepted or rejected
/// (the Connections panel, revoke and its proof).
const ENDPOINT_SERVICE: &[&str] = &[
    "ec2:CreateVpcEndpointServiceConfiguration",
    "ec2:CreateTags",
    "ec2:DeleteVpcEndpointServiceConfigurations",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeVpcEndpointConnections",
    "ec2:AcceptVpcEndpointConnections",
    "ec2:RejectVpcEndpointConnections",
];
const PRINCIPALS: &[&str] = &["ec2:ModifyVpcEndpointServicePermissions", "ec2:DescribeVpcEndpointServicePermissions"];
/// Revoke closes the trust first, puts a deny on old sessions (and a deny-all on a role it
/// keeps), lists what is left on the role, and deletes it.
const ROLE: &[&str] = &[
    "iam:CreateRole",
    "iam:TagRole",
    "iam:GetRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePolicy",
    "iam:GetRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:ListRolePolicies",
    "iam:ListAttachedRolePolicies",
    "iam:DeleteRole",
];
/// The proof reads each policy back by content.
const ROLE_POLICY: &[&str] = &["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"];
const MANAGED_POLICY: &[&str] = &["iam:AttachRolePolicy", "iam:DetachRolePolicy"];

/// The dedicated account: created (tagged as it is made), waited on, found again after a
/// crash, looked up by status and proof, closed on request; its email checked against the
/// organization's accounts first; entered through its access role (docs/aws-rules.md R18).
const ACCOUNT: &[&str] = &[
    "organizations:CreateAccount",
    "organizations:TagResource",
    "organizations:DescribeCreateAccountStatus",
    "organizations:ListCreateAccountStatus",
    "organizations:ListTagsForResource",
    "organizations:ListAccounts",
    "organizations:DescribeAccount",
    "organizations:CloseAccount",
    "sts:AssumeRole",
];
/// Its move into an organizational unit, checked to exist before the plan is saved.
const ACCOUNT_MOVE: &[&str] = &["organizations:MoveAccount", "organizations:ListParents", "organizations:DescribeOrganizationalUnit", "organizations:ListRoots"];

/// A peering connection requested or accepted (and tagged), read back by status, drift,
/// handoff and proof, deleted by revoke; the plan reads the VPC's route tables and DNS settings first.
const PEERING: &[&str] = &[
    "ec2:CreateVpcPeeringConnection",
    "ec2:AcceptVpcPeeringConnection",
    "ec2:CreateTags",
    "ec2:DeleteVpcPeeringConnection",
    "ec2:DescribeRouteTables",
    "ec2:DescribeVpcAttribute",
];
const PEERING_DNS: &[&str] = &["ec2:ModifyVpcPeeringConnectionOptions"];
const PEERING_ROUTES: &[&str] = &["ec2:CreateRoute", "ec2:DeleteRoute", "ec2:DescribeRouteTables"];

/// The bastion: its image read from AWS's public parameter, the zones' instance types, launch
/// (tagged: instance, volume, interface), waiting, the first boot's console output for the
/// handoff, termination.
const BASTION: &[&str] = &[
    "ssm:GetParameter",
    "ec2:DescribeInstanceTypeOfferings",
    "ec2:RunInstances",
    "ec2:CreateTags",
    "ec2:DescribeInstances",
    "ec2:GetConsoleOutput",
    "ec2:TerminateInstances",
    "ec2:DescribeRouteTables",
    "ec2:DescribeVpcAttribute",
];

/// The resource gateway: Lattice makes its network interfaces in the subnets with the caller's
/// EC2 permissions, and its service-linked role on first use (docs/aws-rules.md R21).
const RESOURCE_GATEWAY: &[&str] = &[
    "vpc-lattice:CreateResourceGateway",
    "vpc-lattice:GetResourceGateway",
    "vpc-lattice:ListResourceGateways",
    "vpc-lattice:DeleteResourceGateway",
    "vpc-lattice:TagResource",
    "iam:CreateServiceLinkedRole",
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
];
/// The configuration, and the vendor's endpoints on it (listed by status and proof, cut by revoke).
const RESOURCE_CONFIGURATION: &[&str] = &[
    "vpc-lattice:CreateResourceConfiguration",
    "vpc-lattice:GetResourceConfiguration",
    "vpc-lattice:ListResourceConfigurations",
    "vpc-lattice:DeleteResourceConfiguration",
    "vpc-lattice:ListResourceEndpointAssociations",
    "vpc-lattice:DeleteResourceEndpointAssociation",
    "vpc-lattice:TagResource",
];
/// The share: RAM sets the configuration's resource policy on the owner's behalf.
const RESOURCE_SHARE: &[&str] = &[
    "ram:CreateResourceShare",
    "ram:TagResource",
    "ram:GetResourceShares",
    "ram:GetResourceShareAssociations",
    "ram:DisassociateResourceShare",
    "ram:DeleteResourceShare",
    "vpc-lattice:PutResourcePolicy",
    "vpc-lattice:GetResourcePolicy",
    "vpc-lattice:DeleteResourcePolicy",
];

/// The sync function: passing it its role, its log group (made first, with retention), reading
/// it back (status, drift, the last sync from its log), deleting both.
const SYNC_FUNCTION: &[&str] = &[
    "iam:PassRole",
    "lambda:CreateFunction",
    "lambda:TagResource",
    "lambda:GetFunction",
    "lambda:DeleteFunction",
    "logs:CreateLogGroup",
    "logs:TagResource",
    "logs:PutRetentionPolicy",
    "logs:FilterLogEvents",
    "logs:DeleteLogGroup",
];
/// A rule running it: the rule, its target, and the function's permission for that rule.
const SYNC_RULE: &[&str] = &[
    "events:PutRule",
    "events:TagResource",
    "events:PutTargets",
    "events:DescribeRule",
    "events:ListTargetsByRule",
    "events:RemoveTargets",
    "events:DeleteRule",
    "lambda:AddPermission",
    "lambda:RemovePermission",
];

/// What one step calls, from creating it to removing it.
pub fn for_action(action: &Action) -> &'static [&'static str] {
    match action {
        Action::CreateSecurityGroup { .. } => SECURITY_GROUP,
        Action::AuthorizeIngress { .. } => INGRESS,
        Action::CreateLoadBalancer { .. } => LOAD_BALANCER,
        Action::EnableCrossZone { .. } => CROSS_ZONE,
        Action::SetLoadBalancerSecurityGroups { .. } => LOAD_BALANCER_GROUPS,
        Action::CreateTargetGroup { .. } => TARGET_GROUP,
        Action::RegisterTargets { .. } => TARGETS,
        Action::CreateListener { .. } => LISTENER,
        Action::CreateEndpointService { .. } => ENDPOINT_SERVICE,
        Action::AllowPrincipals { .. } => PRINCIPALS,
        Action::CreateRole { .. } => ROLE,
        Action::PutRolePolicy { .. } => ROLE_POLICY,
        Action::AttachRolePolicy { .. } => MANAGED_POLICY,
        Action::CreateAccount { .. } => ACCOUNT,
        Action::MoveAccount { .. } => ACCOUNT_MOVE,
        Action::CreatePeering { .. } | Action::AcceptPeering { .. } => PEERING,
        Action::AllowPeeringDns { .. } => PEERING_DNS,
        Action::CreatePeeringRoutes { .. } => PEERING_ROUTES,
        Action::LaunchBastion { .. } => BASTION,
        Action::CreateResourceGateway { .. } => RESOURCE_GATEWAY,
        Action::CreateResourceConfiguration { .. } => RESOURCE_CONFIGURATION,
        Action::ShareResource { .. } => RESOURCE_SHARE,
        Action::CreateSyncFunction { .. } => SYNC_FUNCTION,
        Action::CreateSyncRule { .. } => SYNC_RULE,
    }
}

/// Every action a plan calls over its life, sorted.
pub fn for_plan(plan: &Plan) -> Vec<String> {
    collect(plan.steps.iter().map(|step| for_action(&step.action)))
}

/// The same list before a plan exists (the credentials step's preflight): the steps the planner
/// makes for each part, at their most (a managed policy as well as inline ones). A test checks
/// it against real plans.
pub fn for_parts(parts: &[Part]) -> Vec<String> {
    collect(
        parts
            .iter()
            .flat_map(|part| -> &[&[&str]] {
                match part {
                    // Without the target sync, an option the plan's own list brings when chosen.
                    Part::PrivateLink => &[SECURITY_GROUP, INGRESS, LOAD_BALANCER, CROSS_ZONE, LOAD_BALANCER_GROUPS, TARGET_GROUP, TARGETS, LISTENER, ENDPOINT_SERVICE, PRINCIPALS],
                    Part::VendorRole => &[ROLE, ROLE_POLICY, MANAGED_POLICY],
                    Part::IpAllowlist => &[INGRESS],
                    Part::DedicatedAccount => &[ACCOUNT, ACCOUNT_MOVE],
                    Part::VpcPeering => &[PEERING, PEERING_DNS, PEERING_ROUTES, INGRESS],
                    Part::SshBastion => &[SECURITY_GROUP, INGRESS, BASTION],
                    Part::ResourceEndpoint => &[SECURITY_GROUP, INGRESS, RESOURCE_GATEWAY, RESOURCE_CONFIGURATION, RESOURCE_SHARE],
                }
            })
            .copied(),
    )
}

fn collect<'a>(lists: impl Iterator<Item = &'a [&'static str]>) -> Vec<String> {
    let mut actions: Vec<String> = EVERY_GRANT.iter().copied().chain(lists.flatten().copied()).map(str::to_owned).collect();
    actions.sort();
    actions.dedup();
    actions
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Calls `vendorlink-aws` makes that are not a grant's to ask for: the admin's own MFA
    /// session (before any grant), the preflight's question to IAM itself, who the caller is
    /// (allowed to everyone), and the database's TLS parameters (read when allowed; the summary
    /// says "unknown" otherwise), and the action a sync rule's permission on the function names
    /// (EventBridge calls it, not VendorLink).
    const NOT_ASKED: [&str; 6] =
        ["sts:GetSessionToken", "iam:SimulatePrincipalPolicy", "sts:GetCallerIdentity", "rds:DescribeDBParameters", "rds:DescribeDBClusterParameters", "lambda:InvokeFunction"];
    /// Permissions AWS checks on a call without being a call of their own: tagging on create,
    /// the service-linked role on the first load balancer.
    const AUTHORISATION_ONLY: [&str; 19] = [
        "iam:PassRole",
        "lambda:TagResource",
        "events:TagResource",
        "logs:TagResource",
        "ec2:CreateTags",
        "elasticloadbalancing:AddTags",
        "iam:TagRole",
        "iam:CreateServiceLinkedRole",
        "organizations:TagResource",
        "vpc-lattice:TagResource",
        "ram:TagResource",
        "vpc-lattice:PutResourcePolicy",
        "vpc-lattice:GetResourcePolicy",
        "vpc-lattice:DeleteResourcePolicy",
        "ec2:CreateNetworkInterface",
        "ec2:CreateNetworkInterfacePermission",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
    ];

    /// Every `"service:Action"` name in the aws crate's sources: each call passes its IAM
    /// action to the error mapping, so this is every call it can make.
    fn aws_crate_calls() -> BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../aws/src");
        let mut calls = BTreeSet::new();
        for entry in std::fs::read_dir(&dir).expect("the aws crate's sources") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("source");
            for quoted in text.split('"').skip(1).step_by(2) {
                let Some((service, action)) = quoted.split_once(':') else { continue };
                let known = ["ec2", "elasticloadbalancing", "iam", "sts", "rds", "organizations", "ssm", "vpc-lattice", "ram", "lambda", "events", "logs"].contains(&service);
                if known && action.starts_with(|c: char| c.is_ascii_uppercase()) && action.chars().all(|c| c.is_ascii_alphanumeric()) {
                    calls.insert(quoted.to_owned());
                }
            }
        }
        calls
    }

    #[test]
    fn every_call_the_aws_crate_makes_is_on_the_list() {
        let calls = aws_crate_calls();
        assert!(calls.len() > 40, "the scan found too few calls to be reading the sources right: {calls:?}");
        let mut listed: BTreeSet<String> =
            for_parts(&[Part::PrivateLink, Part::VendorRole, Part::IpAllowlist, Part::DedicatedAccount, Part::VpcPeering, Part::SshBastion, Part::ResourceEndpoint])
                .into_iter()
                .collect();
        listed.extend(SYNC_FUNCTION.iter().chain(SYNC_RULE).map(|a| (*a).to_owned()));
        let missing: Vec<&String> = calls.iter().filter(|c| !listed.contains(*c) && !NOT_ASKED.contains(&c.as_str())).collect();
        assert!(missing.is_empty(), "calls the preflight would not ask IAM about: {missing:?}");
        let unused: Vec<&String> = listed.iter().filter(|a| !calls.contains(*a) && !AUTHORISATION_ONLY.contains(&a.as_str())).collect();
        assert!(unused.is_empty(), "listed actions that no call makes: {unused:?}");
    }

    #[test]
    fn a_part_brings_only_its_own_calls() {
        let role = for_parts(&[Part::VendorRole]);
        assert!(role.contains(&"iam:UpdateAssumeRolePolicy".to_owned()), "revoke closes the trust first");
        assert!(!role.iter().any(|a| a.starts_with("elasticloadbalancing:Create")), "{role:?}");
        let link = for_parts(&[Part::PrivateLink]);
        assert!(link.contains(&"elasticloadbalancing:SetSecurityGroups".to_owned()));
        assert!(link.contains(&"elasticloadbalancing:DescribeListeners".to_owned()));
        assert!(!link.iter().any(|a| a == "iam:CreateRole" || a == "iam:PutRolePolicy"), "{link:?}");
        let all = for_parts(&[Part::PrivateLink, Part::VendorRole, Part::IpAllowlist]);
        assert_eq!(all.iter().filter(|a| *a == "ec2:AuthorizeSecurityGroupIngress").count(), 1, "no duplicates");
    }
}
