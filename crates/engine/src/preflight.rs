//! Before anything changes: does the caller have every permission a grant needs? Asked of
//! IAM's policy simulator; where it does not answer (no permission to simulate, an emulator),
//! the result says it could not check rather than guessing.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use vendorlink_aws::Cloud;
use vendorlink_model::Part;

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

/// Asks IAM whether the caller may make every call a grant of these parts needs.
pub async fn preflight(cloud: &Cloud, parts: &[Part]) -> Preflight {
    let needed = crate::permissions::for_parts(parts);
    let caller = match cloud.sts.caller_identity().await {
        Ok(identity) => identity.arn,
        Err(err) => return Preflight { checked: false, caller: String::new(), needed, missing: Vec::new(), detail: format!("Could not check: {err}") },
    };
    let Some(principal) = principal_of(&caller) else {
        return Preflight { checked: true, caller, needed, missing: Vec::new(), detail: "The account's root user may call everything (an IAM user or role is safer).".into() };
    };
    match cloud.iam.denied_actions(&principal, &needed).await {
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
    fn the_simulated_principal_is_the_user_or_the_role_behind_a_session() {
        assert_eq!(principal_of("arn:aws:iam::123456789012:user/ops").as_deref(), Some("arn:aws:iam::123456789012:user/ops"));
        assert_eq!(principal_of("arn:aws:sts::123456789012:assumed-role/Admin/alice").as_deref(), Some("arn:aws:iam::123456789012:role/Admin"));
        assert_eq!(principal_of("arn:aws:iam::123456789012:root"), None);
    }
}
