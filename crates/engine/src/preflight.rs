//! Before anything changes: does the caller have every permission a grant needs? Asked of
//! IAM's policy simulator; where it does not answer (no permission to simulate, an emulator),
//! the result says it could not check rather than guessing.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use vendorlink_aws::{caller_identity, iam, AwsSession};
use vendorlink_model::Part;

const DISCOVERY: [&str; 15] = [
    "sts:GetCallerIdentity",
    "ec2:DescribeRegions",
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSecurityGroupRules",
    "ec2:DescribeVpcEndpointServiceConfigurations",
    "rds:DescribeDBInstances",
    "rds:DescribeDBClusters",
    "rds:DescribeDBSubnetGroups",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTags",
    "iam:ListRoles",
    "iam:ListRoleTags",
];
const PRIVATE_LINK: [&str; 23] = [
    "ec2:CreateSecurityGroup",
    "ec2:DeleteSecurityGroup",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:RevokeSecurityGroupIngress",
    "ec2:CreateTags",
    "ec2:DescribeAvailabilityZones",
    "ec2:CreateVpcEndpointServiceConfiguration",
    "ec2:DeleteVpcEndpointServiceConfigurations",
    "ec2:ModifyVpcEndpointServicePermissions",
    "ec2:DescribeVpcEndpointServicePermissions",
    "ec2:DescribeVpcEndpointConnections",
    "ec2:RejectVpcEndpointConnections",
    "elasticloadbalancing:CreateLoadBalancer",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:ModifyLoadBalancerAttributes",
    "elasticloadbalancing:CreateTargetGroup",
    "elasticloadbalancing:DeleteTargetGroup",
    "elasticloadbalancing:RegisterTargets",
    "elasticloadbalancing:DeregisterTargets",
    "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:CreateListener",
    "elasticloadbalancing:DeleteListener",
    "elasticloadbalancing:AddTags",
];
const VENDOR_ROLE: [&str; 10] = [
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:GetRole",
    "iam:TagRole",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:ListRolePolicies",
    "iam:ListAttachedRolePolicies",
];
const IP_ALLOWLIST: [&str; 3] = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:CreateTags"];

/// Every IAM action a grant of these parts calls, to create it and to revoke it.
pub fn needed_actions(parts: &[Part]) -> Vec<String> {
    let mut actions: Vec<String> = DISCOVERY.iter().map(|a| a.to_string()).collect();
    for part in parts {
        let more: &[&str] = match part {
            Part::PrivateLink => &PRIVATE_LINK,
            Part::VendorRole => &VENDOR_ROLE,
            Part::IpAllowlist => &IP_ALLOWLIST,
        };
        actions.extend(more.iter().map(|a| a.to_string()));
    }
    actions.sort();
    actions.dedup();
    actions
}

/// The IAM principal the simulator can evaluate for a caller ARN: a user as it is, an
/// assumed role as its role. `None` for the root user (who may do everything).
pub fn principal_of(caller_arn: &str) -> Option<String> {
    let parts: Vec<&str> = caller_arn.splitn(6, ':').collect();
    let [_, partition, service, _, account, resource] = parts.as_slice() else { return Some(caller_arn.to_owned()) };
    match (*service, resource.split('/').collect::<Vec<_>>().as_slice()) {
        ("iam", ["root"]) => None,
        ("sts", ["assumed-role", role, ..]) => Some(format!("arn:{partition}:iam::{account}:role/{role}")),
        _ => Some(caller_arn.to_owned()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Preflight {
    /// False when IAM could not be asked; `missing` is then empty and means nothing.
    pub checked: bool,
    pub caller: String,
    pub needed: Vec<String>,
    pub missing: Vec<String>,
    pub detail: String,
}

pub async fn preflight(session: &AwsSession, parts: &[Part]) -> Preflight {
    let needed = needed_actions(parts);
    let caller = match caller_identity(session).await {
        Ok(identity) => identity.arn,
        Err(err) => return Preflight { checked: false, caller: String::new(), needed, missing: Vec::new(), detail: format!("Could not check: {err}") },
    };
    let Some(principal) = principal_of(&caller) else {
        return Preflight { checked: true, caller, needed, missing: Vec::new(), detail: "The account's root user may call everything (an IAM user or role is safer).".into() };
    };
    match iam::denied_actions(session, &principal, &needed).await {
        Ok(missing) => {
            let detail = if missing.is_empty() { format!("All {} actions a grant needs are allowed.", needed.len()) } else { format!("{} of {} needed actions are not allowed.", missing.len(), needed.len()) };
            Preflight { checked: true, caller, needed, missing, detail }
        }
        Err(err) => Preflight { checked: false, caller, needed, missing: Vec::new(), detail: format!("Could not check with IAM's policy simulator ({err}); a missing permission will show when the step that needs it runs, and everything made before it is rolled back.") },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_adds_the_calls_it_makes_and_the_ones_that_revoke_it() {
        let role = needed_actions(&[Part::VendorRole]);
        assert!(role.contains(&"iam:CreateRole".to_owned()) && role.contains(&"iam:DeleteRole".to_owned()));
        assert!(!role.contains(&"elasticloadbalancing:CreateLoadBalancer".to_owned()));
        let all = needed_actions(&[Part::PrivateLink, Part::VendorRole, Part::IpAllowlist]);
        assert!(all.contains(&"ec2:RejectVpcEndpointConnections".to_owned()));
        assert_eq!(all.iter().filter(|a| *a == "ec2:AuthorizeSecurityGroupIngress").count(), 1, "no duplicates");
    }

    #[test]
    fn the_simulated_principal_is_the_user_or_the_role_behind_a_session() {
        assert_eq!(principal_of("arn:aws:iam::123456789012:user/ops").as_deref(), Some("arn:aws:iam::123456789012:user/ops"));
        assert_eq!(principal_of("arn:aws:sts::123456789012:assumed-role/Admin/alice").as_deref(), Some("arn:aws:iam::123456789012:role/Admin"));
        assert_eq!(principal_of("arn:aws:iam::123456789012:root"), None);
    }
}
