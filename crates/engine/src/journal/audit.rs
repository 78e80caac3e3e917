//! The audit view of a journal: one entry per run (apply, resume, revoke...), saying who ran
//! it, when, and every call it made with AWS's request id. Derived, never stored apart, so it
//! cannot disagree with the journal.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Event, Record, RunOutcome};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditCall {
    pub step: String,
    /// The IAM action (`ec2:CreateSecurityGroup`).
    pub action: String,
    pub at: String,
    pub request_id: Option<String>,
    /// `created`, `adopted`, `deleted`, `notFound`, or `failed: <message>`.
    pub result: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub run: String,
    pub command: String,
    /// The caller's ARN.
    pub caller: String,
    pub started_at: String,
    /// `None` while running, or when the run was killed.
    pub finished_at: Option<String>,
    pub outcome: Option<RunOutcome>,
    pub calls: Vec<AuditCall>,
}

pub fn audit(records: &[Record]) -> Vec<AuditEntry> {
    let mut entries: Vec<AuditEntry> = Vec::new();
    for record in records {
        if let Event::RunStarted { command, caller } = &record.event {
            entries.push(AuditEntry {
                run: record.run.clone(),
                command: command.clone(),
                caller: caller.clone(),
                started_at: record.at.clone(),
                finished_at: None,
                outcome: None,
                calls: Vec::new(),
            });
            continue;
        }
        let Some(entry) = entries.iter_mut().rev().find(|e| e.run == record.run) else { continue };
        let step = record.step.as_ref().map(ToString::to_string).unwrap_or_default();
        let pending = || {
            records.iter().filter(|r| r.run == record.run && r.seq < record.seq && r.step == record.step).rev().find_map(|r| match &r.event {
                Event::Calling { action } | Event::Deleting { action } => Some(action.clone()),
                _ => None,
            })
        };
        let call = |result: String, request_id: Option<String>| AuditCall { step: step.clone(), action: pending().unwrap_or_default(), at: record.at.clone(), request_id, result };
        match &record.event {
            Event::Created { request_id, .. } => entry.calls.push(call("created".into(), request_id.clone())),
            Event::Deleted { request_id } => entry.calls.push(call("deleted".into(), request_id.clone())),
            Event::Adopted { .. } => entry.calls.push(call("adopted".into(), None)),
            Event::NotFound => entry.calls.push(call("notFound".into(), None)),
            Event::Failed { error } | Event::DeleteFailed { error } => entry.calls.push(call(format!("failed: {}", error.message), None)),
            Event::RunFinished { outcome } => {
                entry.finished_at = Some(record.at.clone());
                entry.outcome = Some(*outcome);
            }
            Event::RunStarted { .. } | Event::Calling { .. } | Event::Deleting { .. } => {}
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use vendorlink_model::{Output, StepId};

    fn record(seq: u64, run: &str, step: Option<&str>, event: Event) -> Record {
        Record { seq, at: format!("t{seq}"), run: run.into(), step: step.map(|s| s.parse::<StepId>().expect("a step id")), event }
    }

    #[test]
    fn each_run_lists_who_when_and_every_call_with_its_request_id() {
        let records = vec![
            record(1, "r1", None, Event::RunStarted { command: "apply".into(), caller: "arn:aws:iam::123456789012:user/ops".into() }),
            record(2, "r1", Some("nlb-sg"), Event::Calling { action: "ec2:CreateSecurityGroup".into() }),
            record(3, "r1", Some("nlb-sg"), Event::Created { outputs: Output::SecurityGroup { group_id: "sg-1".into() }, request_id: Some("req-1".into()) }),
            record(4, "r1", None, Event::RunFinished { outcome: RunOutcome::Applied }),
            record(5, "r2", None, Event::RunStarted { command: "revoke".into(), caller: "arn:aws:iam::123456789012:user/sec".into() }),
            record(6, "r2", Some("nlb-sg"), Event::Deleting { action: "ec2:DeleteSecurityGroup".into() }),
        ];
        let entries = audit(&records);
        assert_eq!(entries.len(), 2);
        assert_eq!((entries[0].command.as_str(), entries[0].caller.as_str(), entries[0].outcome), ("apply", "arn:aws:iam::123456789012:user/ops", Some(RunOutcome::Applied)));
        assert_eq!(
            entries[0].calls,
            vec![AuditCall { step: "nlb-sg".into(), action: "ec2:CreateSecurityGroup".into(), at: "t3".into(), request_id: Some("req-1".into()), result: "created".into() }]
        );
        assert_eq!((entries[1].finished_at.as_deref(), entries[1].calls.len()), (None, 0), "a killed run shows as unfinished");
    }
}
