//! The fake's RDS database, caller identity and tag scan.

use super::*;

#[async_trait]
impl RdsApi for FakeCloud {
    async fn database_details(&self, id: &str) -> Result<Option<DatabaseDetails>, AwsError> {
        self.with(|s| {
            s.call("rds:DescribeDBInstances", id)?;
            Ok(s.databases.get(id).cloned())
        })
    }
}

#[async_trait]
impl StsApi for FakeCloud {
    async fn caller_identity(&self) -> Result<Identity, AwsError> {
        self.with(|s| {
            s.call("sts:GetCallerIdentity", "")?;
            Ok(Identity {
                account: ACCOUNT.to_owned(),
                arn: format!("arn:aws:iam::{ACCOUNT}:user/admin"),
                user_id: "AIDAFAKEADMIN".to_owned(),
                region: REGION.to_owned(),
                endpoint: None,
            })
        })
    }
}

#[async_trait]
impl TaggedApi for FakeCloud {
    async fn tagged_resources(&self, grant_id: Option<&str>) -> Result<Vec<TaggedResource>, AwsError> {
        self.with(|s| {
            let actions = [
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSecurityGroupRules",
                "ec2:DescribeVpcEndpointServiceConfigurations",
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTags",
                "iam:ListRoles",
            ];
            for action in actions {
                s.call(action, grant_id.unwrap_or("*"))?;
            }
            let mut found = Vec::new();
            let mut add = |kind: &str, id: &str, tags: &[(String, String)]| {
                if let Some(grant) = tag(tags, GRANT_TAG) {
                    found.push(TaggedResource { kind: kind.to_owned(), id: id.to_owned(), grant_id: grant, vendor_id: tag(tags, VENDOR_TAG), within: None });
                }
            };
            for (id, group) in &s.groups {
                add("securityGroup", id.as_str(), &group.tags);
            }
            for (id, rule) in &s.rules {
                add("securityGroupRule", id.as_str(), &rule.tags);
            }
            for (id, service) in &s.services {
                add("endpointService", id.as_str(), &service.tags);
            }
            for (arn, balancer) in &s.balancers {
                add("loadBalancer", arn.as_str(), &balancer.tags);
            }
            for (arn, group) in &s.target_groups {
                add("targetGroup", arn.as_str(), &group.tags);
            }
            for (name, role) in &s.roles {
                add("role", name.as_str(), &role.tags);
            }
            found.retain(|r| grant_id.is_none_or(|g| r.grant_id == g));
            found.sort_by(|a, b| (&a.grant_id, &a.kind, &a.id).cmp(&(&b.grant_id, &b.kind, &b.id)));
            Ok(found)
        })
    }
}

/// The fake account belongs to no organization: every Organizations call answers as AWS does
/// then. Dedicated accounts are tested against the emulator's organization.
#[async_trait]
impl AccountsApi for FakeCloud {
    async fn create_account(&self, _name: &str, _email: &str, _access_role: &str, _tags: &[(String, String)]) -> Result<(String, Option<String>), AwsError> {
        Err(not_in_organization("organizations:CreateAccount"))
    }
    async fn creation_status(&self, _request: &str) -> Result<CreationStatus, AwsError> {
        Err(not_in_organization("organizations:DescribeCreateAccountStatus"))
    }
    async fn creations_in_progress(&self, _name: &str) -> Result<Vec<String>, AwsError> {
        Err(not_in_organization("organizations:ListCreateAccountStatus"))
    }
    async fn account_tags(&self, _account_id: &str) -> Result<Vec<(String, String)>, AwsError> {
        Err(not_in_organization("organizations:ListTagsForResource"))
    }
    async fn accounts(&self) -> Result<Vec<OrgAccount>, AwsError> {
        Err(not_in_organization("organizations:ListAccounts"))
    }
    async fn account(&self, _account_id: &str) -> Result<Option<OrgAccount>, AwsError> {
        Err(not_in_organization("organizations:DescribeAccount"))
    }
    async fn parent(&self, _account_id: &str) -> Result<String, AwsError> {
        Err(not_in_organization("organizations:ListParents"))
    }
    async fn unit_exists(&self, _unit: &str) -> Result<bool, AwsError> {
        Err(not_in_organization("organizations:DescribeOrganizationalUnit"))
    }
    async fn move_account(&self, _account_id: &str, _from: &str, _to: &str) -> Result<Created, AwsError> {
        Err(not_in_organization("organizations:MoveAccount"))
    }
    async fn close_account(&self, _account_id: &str) -> Result<Option<String>, AwsError> {
        Err(not_in_organization("organizations:CloseAccount"))
    }
}

fn not_in_organization(action: &str) -> AwsError {
    service_error(action, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.".into())
}
