//! "Keep targets in sync" for the private-link part (docs/aws-rules.md R22): a small function
//! in the customer's account, invoked by the database's RDS events (failover, failure, reboot,
//! configuration change) and every 5 minutes, resolves the database's endpoint and moves the
//! load balancer's targets to its addresses, new ones registered before old ones go. Its role
//! may move targets in that one target group and write its own log group, nothing else. Pure:
//! the steps and documents are made here, the calls by `steps`.

pub mod log_line;
pub mod package;

use serde_json::json;
use vendorlink_model::{Action, Database, DatabaseKind, Part, Ref, Step, StepId};

use crate::plan_context::PlanContext;

/// How often the schedule runs the function, besides the events.
pub const SCHEDULE: &str = "rate(5 minutes)";
/// How long the function's log lines are kept.
pub const LOG_RETENTION_DAYS: u16 = 30;
/// The inline policy's name on the function's role.
const POLICY_NAME: &str = "target-sync";

/// The function's trust: Lambda alone may assume its role.
pub fn trust_policy() -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }]
    })
    .to_string()
}

/// What the function may do: move targets in the grant's target group (by name: its ARN ends in
/// an id AWS picks), read target health (which IAM does not scope to a resource), write its log.
pub fn role_policy(region: &str, account: &str, target_group: &str, function: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "MoveTargetsOfTheGrantsTargetGroup",
                "Effect": "Allow",
                "Action": ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                "Resource": format!("arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{target_group}/*")
            },
            { "Sid": "ReadTargetHealth", "Effect": "Allow", "Action": "elasticloadbalancing:DescribeTargetHealth", "Resource": "*" },
            {
                "Sid": "WriteItsOwnLog",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": format!("arn:aws:logs:{region}:{account}:log-group:/aws/lambda/{function}:*")
            }
        ]
    })
    .to_string()
}

/// The RDS events of this one database that may move its address (R22: matched by its ARN,
/// since AWS's own example gives `SourceIdentifier` as `rds:<id>`; reboots are `availability`).
pub fn event_pattern(db: &Database) -> String {
    let (detail_type, categories) = match db.kind {
        DatabaseKind::Cluster => ("RDS DB Cluster Event", vec!["failover", "global failover", "failure", "availability", "configuration change"]),
        DatabaseKind::Instance => ("RDS DB Instance Event", vec!["failover", "failure", "availability", "configuration change"]),
    };
    json!({
        "source": ["aws.rds"],
        "detail-type": [detail_type],
        "detail": { "SourceArn": [db.arn], "EventCategories": categories }
    })
    .to_string()
}

/// The sync steps, after the target group they move targets in.
pub fn steps(ctx: &PlanContext, db: &Database, target_group_name: &str, short_name: &str) -> Vec<Step> {
    let function = format!("{short_name}-sync");
    let step = |id: StepId, summary: String, action: Action| Step { id, part: Part::PrivateLink, summary, action, after: Vec::new() };
    let from = |step: StepId| Ref::Step { step };
    vec![
        step(
            StepId::SyncRole,
            format!("Role {function} for the target-sync function: only Lambda may assume it"),
            Action::CreateRole {
                name: function.clone(),
                description: format!("VendorLink {}: keeps {target_group_name}'s targets on {}'s addresses", ctx.grant_id, db.id),
                trust_policy: trust_policy(),
                max_session_seconds: 3600,
            },
        ),
        step(
            StepId::SyncRolePolicy,
            format!("Let it move the targets of {target_group_name} (and read their health) and write its own log, nothing else"),
            Action::PutRolePolicy {
                role: from(StepId::SyncRole),
                name: POLICY_NAME.into(),
                document: role_policy(&ctx.inventory.region, &ctx.account_id, target_group_name, &function),
            },
        ),
        Step {
            after: vec![StepId::SyncRolePolicy],
            ..step(
                StepId::SyncFunction,
                format!(
                    "Function {function} (Python, VendorLink's own, logs kept {LOG_RETENTION_DAYS} days): resolves {} and moves the targets to its addresses, new ones first",
                    db.endpoint
                ),
                Action::CreateSyncFunction {
                    name: function.clone(),
                    role: from(StepId::SyncRole),
                    target_group: from(StepId::TargetGroup),
                    db_host: db.endpoint.clone(),
                    port: db.port,
                    log_retention_days: LOG_RETENTION_DAYS,
                },
            )
        },
        step(
            StepId::SyncEvents,
            format!("Run it on {}'s RDS failover, failure, availability (reboot) and configuration-change events", db.id),
            Action::CreateSyncRule { name: format!("{short_name}-rds-events"), function: from(StepId::SyncFunction), event_pattern: Some(event_pattern(db)), schedule: None },
        ),
        step(
            StepId::SyncSchedule,
            "Run it every 5 minutes too, for what no event announces".into(),
            Action::CreateSyncRule { name: format!("{short_name}-schedule"), function: from(StepId::SyncFunction), event_pattern: None, schedule: Some(SCHEDULE.into()) },
        ),
    ]
}
