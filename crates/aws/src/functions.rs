//! The target-sync machinery in the customer's account (docs/aws-rules.md R22): a Lambda
//! function with its log group, and the EventBridge rules that invoke it (RDS events for one
//! database, and a schedule), each with the function's permission for that rule alone. Each
//! create has its find and its undo; "already gone" is success.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{Environment, FunctionCode, Runtime};
use aws_types::request_id::RequestId;

use super::{AwsError, AwsSession, Created};
use vendorlink_model::Output;

/// Everything a sync function is made from.
#[derive(Debug, Clone)]
pub struct FunctionSpec<'a> {
    pub name: &'a str,
    pub role_arn: &'a str,
    /// The zipped handler.
    pub package: &'a [u8],
    pub handler: &'a str,
    pub environment: &'a [(String, String)],
    pub log_retention_days: i32,
}

/// A function as Lambda describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionInfo {
    pub name: String,
    pub arn: String,
    pub role: String,
    /// `Active`, `Pending`, `Failed`…
    pub state: String,
    pub environment: Vec<(String, String)>,
}

/// An EventBridge rule with its targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    pub name: String,
    pub arn: String,
    /// `ENABLED` or `DISABLED`.
    pub state: String,
    pub event_pattern: Option<String>,
    pub schedule: Option<String>,
    pub target_arns: Vec<String>,
}

/// Lambda, EventBridge and CloudWatch Logs, with one SDK client each for the session.
#[derive(Debug, Clone)]
pub struct Functions {
    lambda: aws_sdk_lambda::Client,
    events: aws_sdk_eventbridge::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    session: AwsSession,
}

impl Functions {
    pub fn new(session: &AwsSession) -> Self {
        Functions {
            lambda: aws_sdk_lambda::Client::new(&session.config),
            events: aws_sdk_eventbridge::Client::new(&session.config),
            logs: aws_sdk_cloudwatchlogs::Client::new(&session.config),
            session: session.clone(),
        }
    }

    /// The function's log group, made first so that its retention and tags are VendorLink's
    /// (the runtime would make it untagged, kept forever).
    async fn log_group(&self, function: &str, retention_days: i32, tags: &[(String, String)]) -> Result<(), AwsError> {
        let name = log_group_name(function);
        let tags: HashMap<String, String> = tags.iter().cloned().collect();
        match self.logs.create_log_group().log_group_name(&name).set_tags(Some(tags)).send().await {
            Ok(_) => {}
            Err(e) => {
                let err = AwsError::from_sdk(e, "logs:CreateLogGroup", &self.session);
                if err.code() != Some("ResourceAlreadyExistsException") {
                    return Err(err);
                }
            }
        }
        self.logs
            .put_retention_policy()
            .log_group_name(&name)
            .retention_in_days(retention_days)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "logs:PutRetentionPolicy", &self.session))?;
        Ok(())
    }

    async fn targets(&self, rule: &str) -> Result<Vec<String>, AwsError> {
        let out = self.events.list_targets_by_rule().rule(rule).send().await.map_err(|e| AwsError::from_sdk(e, "events:ListTargetsByRule", &self.session))?;
        Ok(out.targets().iter().map(|t| t.arn().to_owned()).collect())
    }
}

/// Where Lambda's runtime writes a function's logs unless told otherwise (R22).
pub fn log_group_name(function: &str) -> String {
    format!("/aws/lambda/{function}")
}

/// How far back the last sync is looked for: the schedule runs the function every 5 minutes
/// and each run logs a line, so a silent day means it is not running.
pub const LAST_LOG_HOURS: i64 = 24;

/// The one target each sync rule has.
const TARGET_ID: &str = "vendorlink-target-sync";

#[async_trait]
pub trait FunctionsApi: Send + Sync {
    /// The log group (with its retention), then the function. A role IAM has not yet made
    /// usable by Lambda is waited for (R22).
    async fn create_function(&self, spec: &FunctionSpec<'_>, tags: &[(String, String)]) -> Result<Created, AwsError>;
    /// `None` once Lambda no longer has it.
    async fn function(&self, name: &str) -> Result<Option<FunctionInfo>, AwsError>;
    /// The function, then its log group.
    async fn delete_function(&self, name: &str) -> Result<Option<String>, AwsError>;
    /// A log group alone (one whose function is gone); already gone is done.
    async fn delete_log_group(&self, name: &str) -> Result<Option<String>, AwsError>;
    /// The rule, the function's permission for that rule alone, and the rule's one target.
    async fn create_rule(&self, name: &str, event_pattern: Option<&str>, schedule: Option<&str>, function_arn: &str, tags: &[(String, String)]) -> Result<Created, AwsError>;
    async fn rule(&self, name: &str) -> Result<Option<RuleInfo>, AwsError>;
    /// The rule's target, the rule, then the function's permission for it.
    async fn delete_rule(&self, name: &str, function: &str) -> Result<Option<String>, AwsError>;
    /// The newest line the function itself logged (not the runtime's) in the last
    /// `LAST_LOG_HOURS`, with its time (RFC 3339).
    async fn last_log(&self, function: &str) -> Result<Option<(String, String)>, AwsError>;
}

#[async_trait]
impl FunctionsApi for Functions {
    async fn create_function(&self, spec: &FunctionSpec<'_>, tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.log_group(spec.name, spec.log_retention_days, tags).await?;
        let variables: HashMap<String, String> = spec.environment.iter().cloned().collect();
        let tag_map: HashMap<String, String> = tags.iter().cloned().collect();
        let mut attempts = 0;
        loop {
            let call = self
                .lambda
                .create_function()
                .function_name(spec.name)
                .runtime(Runtime::Python312)
                .role(spec.role_arn)
                .handler(spec.handler)
                .code(FunctionCode::builder().zip_file(Blob::new(spec.package.to_vec())).build())
                .timeout(30)
                .memory_size(128)
                .environment(Environment::builder().set_variables(Some(variables.clone())).build())
                .set_tags(Some(tag_map.clone()))
                .send()
                .await;
            match call {
                Ok(out) => {
                    let output = Output::Function { name: spec.name.to_owned(), arn: out.function_arn().unwrap_or_default().to_owned() };
                    return Ok(Created { output, request_id: out.request_id().map(str::to_owned) });
                }
                Err(e) => {
                    let err = AwsError::from_sdk(e, "lambda:CreateFunction", &self.session);
                    // A role made moments ago: IAM has not yet told Lambda it may assume it.
                    let role_not_ready = err.code() == Some("InvalidParameterValueException") && err.to_string().contains("cannot be assumed");
                    if role_not_ready && attempts < 12 {
                        attempts += 1;
                        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                        continue;
                    }
                    return Err(err);
                }
            }
        }
    }

    async fn function(&self, name: &str) -> Result<Option<FunctionInfo>, AwsError> {
        let out = match self.lambda.get_function().function_name(name).send().await {
            Ok(out) => out,
            Err(e) => {
                let err = AwsError::from_sdk(e, "lambda:GetFunction", &self.session);
                return if err.is_not_found() { Ok(None) } else { Err(err) };
            }
        };
        let Some(config) = out.configuration() else { return Ok(None) };
        let mut environment: Vec<(String, String)> =
            config.environment().and_then(|e| e.variables()).map(|v| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default();
        environment.sort();
        Ok(Some(FunctionInfo {
            name: config.function_name().unwrap_or(name).to_owned(),
            arn: config.function_arn().unwrap_or_default().to_owned(),
            role: config.role().unwrap_or_default().to_owned(),
            state: config.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
            environment,
        }))
    }

    async fn delete_function(&self, name: &str) -> Result<Option<String>, AwsError> {
        let request_id = match self.lambda.delete_function().function_name(name).send().await {
            Ok(out) => out.request_id().map(str::to_owned),
            Err(e) => {
                let err = AwsError::from_sdk(e, "lambda:DeleteFunction", &self.session);
                if !err.is_not_found() {
                    return Err(err);
                }
                None
            }
        };
        self.delete_log_group(&log_group_name(name)).await?;
        Ok(request_id)
    }

    async fn delete_log_group(&self, name: &str) -> Result<Option<String>, AwsError> {
        match self.logs.delete_log_group().log_group_name(name).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => super::ec2::gone_is_done(AwsError::from_sdk(e, "logs:DeleteLogGroup", &self.session)),
        }
    }

    async fn create_rule(&self, name: &str, event_pattern: Option<&str>, schedule: Option<&str>, function_arn: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        let out = self
            .events
            .put_rule()
            .name(name)
            .set_event_pattern(event_pattern.map(str::to_owned))
            .set_schedule_expression(schedule.map(str::to_owned))
            .state(aws_sdk_eventbridge::types::RuleState::Enabled)
            .description("VendorLink: keeps the grant's load balancer targets on the database's addresses")
            .set_tags(Some(
                tags.iter()
                    .map(|(k, v)| aws_sdk_eventbridge::types::Tag::builder().key(k).value(v).build())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| AwsError::BadResponse { action: "events:PutRule".into(), detail: e.to_string() })?,
            ))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "events:PutRule", &self.session))?;
        let rule_arn = out.rule_arn().unwrap_or_default().to_owned();
        // Only this rule may invoke the function (R22).
        match self
            .lambda
            .add_permission()
            .function_name(function_arn)
            .statement_id(name)
            .action("lambda:InvokeFunction")
            .principal("events.amazonaws.com")
            .source_arn(&rule_arn)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) => {
                let err = AwsError::from_sdk(e, "lambda:AddPermission", &self.session);
                // The same statement from an interrupted run.
                if err.code() != Some("ResourceConflictException") {
                    return Err(err);
                }
            }
        }
        let target = aws_sdk_eventbridge::types::Target::builder()
            .id(TARGET_ID)
            .arn(function_arn)
            .build()
            .map_err(|e| AwsError::BadResponse { action: "events:PutTargets".into(), detail: e.to_string() })?;
        let put = self.events.put_targets().rule(name).targets(target).send().await.map_err(|e| AwsError::from_sdk(e, "events:PutTargets", &self.session))?;
        if put.failed_entry_count() > 0 {
            let why = put.failed_entries().iter().filter_map(|f| f.error_message()).collect::<Vec<_>>().join("; ");
            return Err(AwsError::BadResponse { action: "events:PutTargets".into(), detail: why });
        }
        Ok(Created { output: Output::EventRule { name: name.to_owned(), arn: rule_arn, function: function_arn.to_owned() }, request_id: out.request_id().map(str::to_owned) })
    }

    async fn rule(&self, name: &str) -> Result<Option<RuleInfo>, AwsError> {
        let out = match self.events.describe_rule().name(name).send().await {
            Ok(out) => out,
            Err(e) => {
                let err = AwsError::from_sdk(e, "events:DescribeRule", &self.session);
                return if err.is_not_found() { Ok(None) } else { Err(err) };
            }
        };
        Ok(Some(RuleInfo {
            name: name.to_owned(),
            arn: out.arn().unwrap_or_default().to_owned(),
            state: out.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
            event_pattern: out.event_pattern().map(str::to_owned),
            schedule: out.schedule_expression().map(str::to_owned),
            target_arns: self.targets(name).await?,
        }))
    }

    async fn delete_rule(&self, name: &str, function: &str) -> Result<Option<String>, AwsError> {
        let mut request_id = None;
        if self.rule(name).await?.is_some() {
            self.events.remove_targets().rule(name).ids(TARGET_ID).send().await.map_err(|e| AwsError::from_sdk(e, "events:RemoveTargets", &self.session))?;
            match self.events.delete_rule().name(name).send().await {
                Ok(out) => request_id = out.request_id().map(str::to_owned),
                Err(e) => {
                    let err = AwsError::from_sdk(e, "events:DeleteRule", &self.session);
                    if !err.is_not_found() {
                        return Err(err);
                    }
                }
            }
        }
        if let Err(e) = self.lambda.remove_permission().function_name(function).statement_id(name).send().await {
            let err = AwsError::from_sdk(e, "lambda:RemovePermission", &self.session);
            if !err.is_not_found() {
                return Err(err);
            }
        }
        Ok(request_id)
    }

    async fn last_log(&self, function: &str) -> Result<Option<(String, String)>, AwsError> {
        // The last day's lines that may be the function's (Lambda's runtime writes its own
        // START/END/REPORT lines around them), across streams: a stream's lastEventTimestamp
        // can lag by an hour, so "newest stream first" is not reliable (R22).
        let since = chrono::Utc::now() - chrono::Duration::hours(LAST_LOG_HOURS);
        let pages = self
            .logs
            .filter_log_events()
            .log_group_name(log_group_name(function))
            .start_time(since.timestamp_millis())
            .filter_pattern("action")
            .into_paginator()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await;
        let pages = match pages {
            Ok(pages) => pages,
            Err(e) => {
                let err = AwsError::from_sdk(e, "logs:FilterLogEvents", &self.session);
                return if err.is_not_found() { Ok(None) } else { Err(err) };
            }
        };
        let handler_line = |m: &str| serde_json::from_str::<serde_json::Value>(m.trim()).is_ok_and(|v| v.get("action").is_some());
        // The last of equal times is the later line.
        let newest = pages.iter().flat_map(|p| p.events()).filter_map(|e| Some((e.timestamp()?, e.message()?))).filter(|(_, m)| handler_line(m)).max_by_key(|(t, _)| *t);
        Ok(newest.and_then(|(t, m)| chrono::DateTime::from_timestamp_millis(t).map(|at| (m.trim().to_owned(), at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))))
    }
}
