//! The fake's IAM roles and their policies.

use super::*;

#[async_trait]
impl IamApi for FakeCloud {
    async fn create_role(&self, name: &str, _description: &str, trust_policy: &str, max_session_seconds: u32, tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "iam:CreateRole";
            s.call(action, name)?;
            if s.roles.contains_key(name) {
                return Err(service_error(action, "EntityAlreadyExists", format!("Role with name {name} already exists.")));
            }
            let arn = format!("arn:aws:iam::{ACCOUNT}:role{ROLE_PATH}{name}");
            s.roles.insert(
                name.to_owned(),
                Role { arn: arn.clone(), trust: trust_policy.to_owned(), max_session_seconds, inline: BTreeMap::new(), attached: Vec::new(), tags: tags.to_vec() },
            );
            Ok(Created { output: Output::Role { name: name.to_owned(), arn }, request_id: s.request_id() })
        })
    }

    async fn find_role(&self, name: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("iam:GetRole", name)?;
            Ok(s.roles.get(name).map(|r| Output::Role { name: name.to_owned(), arn: r.arn.clone() }))
        })
    }

    async fn delete_role(&self, name: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "iam:DeleteRole";
            s.call(action, name)?;
            let Some(role) = s.roles.get(name) else { return Ok(None) };
            if !role.inline.is_empty() || !role.attached.is_empty() {
                return Err(service_error(action, "DeleteConflict", "Cannot delete entity, must delete policies first.".to_owned()));
            }
            s.roles.remove(name);
            Ok(s.request_id())
        })
    }

    async fn update_trust(&self, role: &str, document: &str) -> Result<(Option<String>, Option<chrono::DateTime<chrono::Utc>>), AwsError> {
        self.with(|s| {
            let action = "iam:UpdateAssumeRolePolicy";
            s.call(action, role)?;
            let Some(entry) = s.roles.get_mut(role) else { return Err(no_such_role(action, role)) };
            entry.trust = document.to_owned();
            Ok((s.request_id(), Some(chrono::Utc::now())))
        })
    }

    async fn role_policy(&self, role: &str, name: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("iam:GetRolePolicy", name)?;
            Ok(s.roles.get(role).and_then(|r| r.inline.get(name).cloned()))
        })
    }

    async fn put_role_policy(&self, role: &str, name: &str, document: &str) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "iam:PutRolePolicy";
            s.call(action, name)?;
            let Some(entry) = s.roles.get_mut(role) else { return Err(no_such_role(action, role)) };
            entry.inline.insert(name.to_owned(), document.to_owned());
            Ok(Created { output: Output::InlinePolicy { role: role.to_owned(), name: name.to_owned() }, request_id: s.request_id() })
        })
    }

    async fn delete_role_policy(&self, role: &str, name: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("iam:DeleteRolePolicy", name)?;
            let removed = s.roles.get_mut(role).and_then(|r| r.inline.remove(name));
            Ok(if removed.is_some() { s.request_id() } else { None })
        })
    }

    async fn attach_role_policy(&self, role: &str, policy_arn: &str) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "iam:AttachRolePolicy";
            s.call(action, policy_arn)?;
            let Some(entry) = s.roles.get_mut(role) else { return Err(no_such_role(action, role)) };
            if !entry.attached.iter().any(|a| a == policy_arn) {
                entry.attached.push(policy_arn.to_owned());
            }
            Ok(Created { output: Output::ManagedPolicy { role: role.to_owned(), policy_arn: policy_arn.to_owned() }, request_id: s.request_id() })
        })
    }

    async fn detach_role_policy(&self, role: &str, policy_arn: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("iam:DetachRolePolicy", policy_arn)?;
            let detached = match s.roles.get_mut(role) {
                Some(entry) => {
                    let before = entry.attached.len();
                    entry.attached.retain(|a| a != policy_arn);
                    entry.attached.len() < before
                }
                None => false,
            };
            Ok(if detached { s.request_id() } else { None })
        })
    }

    async fn role_policies(&self, role: &str) -> Result<Option<(Vec<String>, Vec<String>)>, AwsError> {
        self.with(|s| {
            s.call("iam:ListRolePolicies", role)?;
            if !s.roles.contains_key(role) {
                return Ok(None);
            }
            s.call("iam:ListAttachedRolePolicies", role)?;
            Ok(s.roles.get(role).map(|r| (r.inline.keys().cloned().collect(), r.attached.clone())))
        })
    }

    async fn role_details(&self, name: &str) -> Result<Option<(String, u32, String)>, AwsError> {
        self.with(|s| {
            s.call("iam:GetRole", name)?;
            Ok(s.roles.get(name).map(|r| (r.arn.clone(), r.max_session_seconds, r.trust.clone())))
        })
    }

    /// The fake's caller may do everything.
    async fn denied_actions(&self, principal_arn: &str, _actions: &[String]) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            s.call("iam:SimulatePrincipalPolicy", principal_arn)?;
            Ok(Vec::new())
        })
    }
}
