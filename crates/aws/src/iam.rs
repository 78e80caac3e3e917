//! IAM calls for the vendor role (seed 003): the role with its trust policy, inline policies
//! and attached managed policies. Roles live under the `/vendorlink/` path so they are easy to
//! list and to tell apart from the account's own.

use aws_sdk_iam::types::Tag;
use aws_types::request_id::RequestId;

use super::ec2::gone_is_done;
use super::{AwsError, AwsSession, Created};
use async_trait::async_trait;
use vendorlink_model::Output;

/// The IAM path of every role VendorLink creates.
pub const ROLE_PATH: &str = "/vendorlink/";

fn role_output(name: &str, arn: &str) -> Output {
    Output::Role { name: name.to_owned(), arn: arn.to_owned() }
}

/// IAM with one SDK client for the session.
#[derive(Debug, Clone)]
pub struct Iam {
    client: aws_sdk_iam::Client,
    session: AwsSession,
}

impl Iam {
    pub fn new(session: &AwsSession) -> Self {
        Iam { client: aws_sdk_iam::Client::new(&session.config), session: session.clone() }
    }
}

#[async_trait]
pub trait IamApi: Send + Sync {
    async fn create_role(&self, name: &str, description: &str, trust_policy: &str, max_session_seconds: u32, tags: &[(String, String)]) -> Result<Created, AwsError>;
    async fn find_role(&self, name: &str) -> Result<Option<Output>, AwsError>;
    async fn delete_role(&self, name: &str) -> Result<Option<String>, AwsError>;
    /// Replaces the role's trust policy. Returns AWS's request id and AWS's own time of the
    /// change (the response's `Date`): sessions issued before it are the ones to revoke.
    async fn update_trust(&self, role: &str, document: &str) -> Result<(Option<String>, Option<chrono::DateTime<chrono::Utc>>), AwsError>;
    /// An inline policy's document (decoded); `None` when the role or the policy is gone.
    async fn role_policy(&self, role: &str, name: &str) -> Result<Option<String>, AwsError>;
    /// Putting a policy with the same name replaces it: safe to repeat.
    async fn put_role_policy(&self, role: &str, name: &str, document: &str) -> Result<Created, AwsError>;
    async fn delete_role_policy(&self, role: &str, name: &str) -> Result<Option<String>, AwsError>;
    /// Attaching an attached policy is a no-op in IAM: safe to repeat.
    async fn attach_role_policy(&self, role: &str, policy_arn: &str) -> Result<Created, AwsError>;
    async fn detach_role_policy(&self, role: &str, policy_arn: &str) -> Result<Option<String>, AwsError>;
    /// The role's inline policy names and attached policy ARNs; `None` when the role is gone.
    async fn role_policies(&self, role: &str) -> Result<Option<(Vec<String>, Vec<String>)>, AwsError>;
    /// A role's ARN, longest session and trust policy (decoded: IAM returns it URL-encoded).
    async fn role_details(&self, name: &str) -> Result<Option<(String, u32, String)>, AwsError>;
    /// The actions of `actions` that IAM's policy simulator says the principal may not call.
    async fn denied_actions(&self, principal_arn: &str, actions: &[String]) -> Result<Vec<String>, AwsError>;
}

#[async_trait]
impl IamApi for Iam {
    async fn create_role(&self, name: &str, description: &str, trust_policy: &str, max_session_seconds: u32, tags: &[(String, String)]) -> Result<Created, AwsError> {
        let out = self
            .client
            .create_role()
            .role_name(name)
            .path(ROLE_PATH)
            .description(description)
            .assume_role_policy_document(trust_policy)
            .max_session_duration(i32::try_from(max_session_seconds).unwrap_or(3600))
            .set_tags(Some(
                tags.iter()
                    .map(|(k, v)| Tag::builder().key(k).value(v).build())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| AwsError::BadResponse { action: "iam:CreateRole".into(), detail: e.to_string() })?,
            ))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "iam:CreateRole", &self.session))?;
        let arn = out.role().map(|r| r.arn()).unwrap_or_default();
        Ok(Created { output: role_output(name, arn), request_id: out.request_id().map(str::to_owned) })
    }
    async fn find_role(&self, name: &str) -> Result<Option<Output>, AwsError> {
        match self.client.get_role().role_name(name).send().await {
            Ok(out) => Ok(out.role().map(|r| role_output(r.role_name(), r.arn()))),
            Err(e) => match AwsError::from_sdk(e, "iam:GetRole", &self.session) {
                err if err.is_not_found() => Ok(None),
                err => Err(err),
            },
        }
    }
    async fn delete_role(&self, name: &str) -> Result<Option<String>, AwsError> {
        match self.client.delete_role().role_name(name).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => gone_is_done(AwsError::from_sdk(e, "iam:DeleteRole", &self.session)),
        }
    }
    async fn update_trust(&self, role: &str, document: &str) -> Result<(Option<String>, Option<chrono::DateTime<chrono::Utc>>), AwsError> {
        let date = ResponseDate::default();
        let out = self
            .client
            .update_assume_role_policy()
            .role_name(role)
            .policy_document(document)
            .customize()
            .interceptor(date.clone())
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "iam:UpdateAssumeRolePolicy", &self.session))?;
        let at = date.0.lock().ok().and_then(|d| d.clone()).and_then(|d| chrono::DateTime::parse_from_rfc2822(&d).ok()).map(|d| d.with_timezone(&chrono::Utc));
        Ok((out.request_id().map(str::to_owned), at))
    }
    async fn role_policy(&self, role: &str, name: &str) -> Result<Option<String>, AwsError> {
        match self.client.get_role_policy().role_name(role).policy_name(name).send().await {
            Ok(out) => Ok(Some(percent_encoding::percent_decode_str(out.policy_document()).decode_utf8_lossy().into_owned())),
            Err(e) => match AwsError::from_sdk(e, "iam:GetRolePolicy", &self.session) {
                err if err.is_not_found() => Ok(None),
                err => Err(err),
            },
        }
    }
    async fn put_role_policy(&self, role: &str, name: &str, document: &str) -> Result<Created, AwsError> {
        let out = self
            .client
            .put_role_policy()
            .role_name(role)
            .policy_name(name)
            .policy_document(document)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "iam:PutRolePolicy", &self.session))?;
        Ok(Created { output: Output::InlinePolicy { role: role.to_owned(), name: name.to_owned() }, request_id: out.request_id().map(str::to_owned) })
    }
    async fn delete_role_policy(&self, role: &str, name: &str) -> Result<Option<String>, AwsError> {
        match self.client.delete_role_policy().role_name(role).policy_name(name).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => gone_is_done(AwsError::from_sdk(e, "iam:DeleteRolePolicy", &self.session)),
        }
    }
    async fn attach_role_policy(&self, role: &str, policy_arn: &str) -> Result<Created, AwsError> {
        let out = self.client.attach_role_policy().role_name(role).policy_arn(policy_arn).send().await.map_err(|e| AwsError::from_sdk(e, "iam:AttachRolePolicy", &self.session))?;
        Ok(Created { output: Output::ManagedPolicy { role: role.to_owned(), policy_arn: policy_arn.to_owned() }, request_id: out.request_id().map(str::to_owned) })
    }
    async fn detach_role_policy(&self, role: &str, policy_arn: &str) -> Result<Option<String>, AwsError> {
        match self.client.detach_role_policy().role_name(role).policy_arn(policy_arn).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => gone_is_done(AwsError::from_sdk(e, "iam:DetachRolePolicy", &self.session)),
        }
    }
    async fn role_policies(&self, role: &str) -> Result<Option<(Vec<String>, Vec<String>)>, AwsError> {
        let iam = &self.client;
        let inline = match iam.list_role_policies().role_name(role).into_paginator().items().send().collect::<Result<Vec<_>, _>>().await {
            Ok(names) => names,
            Err(e) => {
                return match AwsError::from_sdk(e, "iam:ListRolePolicies", &self.session) {
                    err if err.is_not_found() => Ok(None),
                    err => Err(err),
                }
            }
        };
        let attached = iam
            .list_attached_role_policies()
            .role_name(role)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "iam:ListAttachedRolePolicies", &self.session))?;
        Ok(Some((inline, attached.iter().filter_map(|p| p.policy_arn().map(str::to_owned)).collect())))
    }
    async fn role_details(&self, name: &str) -> Result<Option<(String, u32, String)>, AwsError> {
        match self.client.get_role().role_name(name).send().await {
            Ok(out) => Ok(out.role().map(|r| {
                let trust = r.assume_role_policy_document().unwrap_or_default();
                let trust = percent_encoding::percent_decode_str(trust).decode_utf8_lossy().into_owned();
                (r.arn().to_owned(), r.max_session_duration().and_then(|s| u32::try_from(s).ok()).unwrap_or(3600), trust)
            })),
            Err(e) => match AwsError::from_sdk(e, "iam:GetRole", &self.session) {
                err if err.is_not_found() => Ok(None),
                err => Err(err),
            },
        }
    }
    async fn denied_actions(&self, principal_arn: &str, actions: &[String]) -> Result<Vec<String>, AwsError> {
        let results = self
            .client
            .simulate_principal_policy()
            .policy_source_arn(principal_arn)
            .set_action_names(Some(actions.to_vec()))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "iam:SimulatePrincipalPolicy", &self.session))?;
        Ok(results.iter().filter(|r| r.eval_decision().as_str() != "allowed").map(|r| r.eval_action_name().to_owned()).collect())
    }
}

/// Records the `Date` header of the response it sees: AWS's clock at the moment it answered.
#[derive(Debug, Clone, Default)]
struct ResponseDate(std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl aws_sdk_iam::config::Intercept for ResponseDate {
    fn name(&self) -> &'static str {
        "ResponseDate"
    }

    fn read_before_deserialization(
        &self,
        context: &aws_sdk_iam::config::interceptors::BeforeDeserializationInterceptorContextRef<'_>,
        _components: &aws_sdk_iam::config::RuntimeComponents,
        _cfg: &mut aws_sdk_iam::config::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        if let (Some(date), Ok(mut kept)) = (context.response().headers().get("date"), self.0.lock()) {
            *kept = Some(date.to_owned());
        }
        Ok(())
    }
}
