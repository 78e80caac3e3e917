//! IAM calls for the vendor role (seed 003): the role with its trust policy, inline policies
//! and attached managed policies. Roles live under the `/vendorlink/` path so they are easy to
//! list and to tell apart from the account's own.

use aws_sdk_iam::types::Tag;
use aws_types::request_id::RequestId;

use super::ec2::gone_is_done;
use super::{AwsError, AwsSession, Created};
use vendorlink_model::Outputs;

/// The IAM path of every role VendorLink creates.
pub const ROLE_PATH: &str = "/vendorlink/";

fn client(session: &AwsSession) -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&session.config)
}

fn role_outputs(name: &str, arn: &str) -> Outputs {
    Outputs::from([("id".to_owned(), name.to_owned()), ("arn".to_owned(), arn.to_owned())])
}

pub async fn create_role(
    session: &AwsSession,
    name: &str,
    description: &str,
    trust_policy: &str,
    max_session_seconds: u32,
    tags: &[(String, String)],
) -> Result<Created, AwsError> {
    let out = client(session)
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
        .map_err(|e| AwsError::from_sdk(e, "iam:CreateRole", session))?;
    let arn = out.role().map(|r| r.arn()).unwrap_or_default();
    Ok(Created { outputs: role_outputs(name, arn), request_id: out.request_id().map(str::to_owned) })
}

pub async fn find_role(session: &AwsSession, name: &str) -> Result<Option<Outputs>, AwsError> {
    match client(session).get_role().role_name(name).send().await {
        Ok(out) => Ok(out.role().map(|r| role_outputs(r.role_name(), r.arn()))),
        Err(e) => match AwsError::from_sdk(e, "iam:GetRole", session) {
            err if err.is_not_found() => Ok(None),
            err => Err(err),
        },
    }
}

pub async fn delete_role(session: &AwsSession, name: &str) -> Result<Option<String>, AwsError> {
    match client(session).delete_role().role_name(name).send().await {
        Ok(out) => Ok(out.request_id().map(str::to_owned)),
        Err(e) => gone_is_done(AwsError::from_sdk(e, "iam:DeleteRole", session)),
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

/// Replaces the role's trust policy. Returns AWS's request id and AWS's own time of the
/// change (the response's `Date`): sessions issued before it are the ones to revoke.
pub async fn update_trust(session: &AwsSession, role: &str, document: &str) -> Result<(Option<String>, Option<chrono::DateTime<chrono::Utc>>), AwsError> {
    let date = ResponseDate::default();
    let out = client(session)
        .update_assume_role_policy()
        .role_name(role)
        .policy_document(document)
        .customize()
        .interceptor(date.clone())
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "iam:UpdateAssumeRolePolicy", session))?;
    let at = date.0.lock().ok().and_then(|d| d.clone()).and_then(|d| chrono::DateTime::parse_from_rfc2822(&d).ok()).map(|d| d.with_timezone(&chrono::Utc));
    Ok((out.request_id().map(str::to_owned), at))
}

/// An inline policy's document (decoded); `None` when the role or the policy is gone.
pub async fn role_policy(session: &AwsSession, role: &str, name: &str) -> Result<Option<String>, AwsError> {
    match client(session).get_role_policy().role_name(role).policy_name(name).send().await {
        Ok(out) => Ok(Some(percent_encoding::percent_decode_str(out.policy_document()).decode_utf8_lossy().into_owned())),
        Err(e) => match AwsError::from_sdk(e, "iam:GetRolePolicy", session) {
            err if err.is_not_found() => Ok(None),
            err => Err(err),
        },
    }
}

/// Putting a policy with the same name replaces it: safe to repeat.
pub async fn put_role_policy(session: &AwsSession, role: &str, name: &str, document: &str) -> Result<Created, AwsError> {
    let out = client(session)
        .put_role_policy()
        .role_name(role)
        .policy_name(name)
        .policy_document(document)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(e, "iam:PutRolePolicy", session))?;
    Ok(Created { outputs: Outputs::from([("id".to_owned(), name.to_owned()), ("role".to_owned(), role.to_owned())]), request_id: out.request_id().map(str::to_owned) })
}

pub async fn delete_role_policy(session: &AwsSession, role: &str, name: &str) -> Result<Option<String>, AwsError> {
    match client(session).delete_role_policy().role_name(role).policy_name(name).send().await {
        Ok(out) => Ok(out.request_id().map(str::to_owned)),
        Err(e) => gone_is_done(AwsError::from_sdk(e, "iam:DeleteRolePolicy", session)),
    }
}

/// Attaching an attached policy is a no-op in IAM: safe to repeat.
pub async fn attach_role_policy(session: &AwsSession, role: &str, policy_arn: &str) -> Result<Created, AwsError> {
    let out = client(session).attach_role_policy().role_name(role).policy_arn(policy_arn).send().await.map_err(|e| AwsError::from_sdk(e, "iam:AttachRolePolicy", session))?;
    Ok(Created { outputs: Outputs::from([("id".to_owned(), policy_arn.to_owned()), ("role".to_owned(), role.to_owned())]), request_id: out.request_id().map(str::to_owned) })
}

pub async fn detach_role_policy(session: &AwsSession, role: &str, policy_arn: &str) -> Result<Option<String>, AwsError> {
    match client(session).detach_role_policy().role_name(role).policy_arn(policy_arn).send().await {
        Ok(out) => Ok(out.request_id().map(str::to_owned)),
        Err(e) => gone_is_done(AwsError::from_sdk(e, "iam:DetachRolePolicy", session)),
    }
}

/// The role's inline policy names and attached policy ARNs; `None` when the role is gone.
pub async fn role_policies(session: &AwsSession, role: &str) -> Result<Option<(Vec<String>, Vec<String>)>, AwsError> {
    let iam = client(session);
    let inline = match iam.list_role_policies().role_name(role).into_paginator().items().send().collect::<Result<Vec<_>, _>>().await {
        Ok(names) => names,
        Err(e) => {
            return match AwsError::from_sdk(e, "iam:ListRolePolicies", session) {
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
        .map_err(|e| AwsError::from_sdk(e, "iam:ListAttachedRolePolicies", session))?;
    Ok(Some((inline, attached.iter().filter_map(|p| p.policy_arn().map(str::to_owned)).collect())))
}

/// A role's ARN, longest session and trust policy (decoded: IAM returns it URL-encoded).
pub async fn role_details(session: &AwsSession, name: &str) -> Result<Option<(String, u32, String)>, AwsError> {
    match client(session).get_role().role_name(name).send().await {
        Ok(out) => Ok(out.role().map(|r| {
            let trust = r.assume_role_policy_document().unwrap_or_default();
            let trust = percent_encoding::percent_decode_str(trust).decode_utf8_lossy().into_owned();
            (r.arn().to_owned(), r.max_session_duration().and_then(|s| u32::try_from(s).ok()).unwrap_or(3600), trust)
        })),
        Err(e) => match AwsError::from_sdk(e, "iam:GetRole", session) {
            err if err.is_not_found() => Ok(None),
            err => Err(err),
        },
    }
}

/// The actions of `actions` that IAM's policy simulator says the principal may not call.
pub async fn denied_actions(session: &AwsSession, principal_arn: &str, actions: &[String]) -> Result<Vec<String>, AwsError> {
    let results = client(session)
        .simulate_principal_policy()
        .policy_source_arn(principal_arn)
        .set_action_names(Some(actions.to_vec()))
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| AwsError::from_sdk(e, "iam:SimulatePrincipalPolicy", session))?;
    Ok(results.iter().filter(|r| r.eval_decision().as_str() != "allowed").map(|r| r.eval_action_name().to_owned()).collect())
}
