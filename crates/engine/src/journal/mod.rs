//! The durable local record of every grant: its plan, and one line per event of every run
//! (before a mutating call, after it, each failure, each undo). Each line is written and
//! synced to disk before the engine goes on, so after a crash the journal says exactly which
//! calls may have happened. It never holds a secret: plans and outputs are ids and names.
//!
//! Layout: `<data dir>/vendorlink/grants/<grant id>/plan.json` and `journal.jsonl`.

mod archive;
mod audit;
mod legacy;
mod pause;
mod store;

pub use archive::{GrantArchive, ARCHIVE_FORMAT};
pub use audit::{audit, AuditCall, AuditEntry};
pub use store::{is_grant_id, now, GrantLock, GrantStore, Journal, JournalError, DATA_DIR_ENV};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use vendorlink_aws::AwsError;
use vendorlink_model::{ErrorKind, Output, StepId};

/// One journal line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    #[ts(type = "number")]
    pub seq: u64,
    /// RFC 3339, UTC.
    pub at: String,
    /// Which run wrote it (each apply, resume or rollback is one run).
    pub run: String,
    pub step: Option<StepId>,
    pub event: Event,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum Event {
    /// A run began: which command, and who the credentials belong to.
    RunStarted {
        command: String,
        caller: String,
    },
    /// About to make the step's mutating call; if no outcome follows, the call may or may not
    /// have reached AWS, and the next run looks the resource up before creating it again.
    Calling {
        action: String,
    },
    Created {
        outputs: Output,
        request_id: Option<String>,
    },
    /// Found by name or tag after an interrupted run: created then, adopted now.
    Adopted {
        outputs: Output,
    },
    Failed {
        error: Failure,
    },
    /// Looked up after an uncertain call: nothing had been created.
    NotFound,
    Deleting {
        action: String,
    },
    Deleted {
        request_id: Option<String>,
    },
    DeleteFailed {
        error: Failure,
    },
    RunFinished {
        outcome: RunOutcome,
    },
}

/// What the journal keeps of a failed call: what happened, for the audit and for the next run.
/// Not the window's error object: a hint or a form field is advice for that moment, and the
/// history must not change when the advice is reworded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
    /// AWS's request id of the failed call, when AWS answered.
    #[serde(default)]
    pub request_id: Option<String>,
}

impl From<&crate::EngineError> for Failure {
    fn from(err: &crate::EngineError) -> Self {
        Failure { kind: err.kind(), message: err.to_string(), request_id: err.request_id().map(str::to_owned) }
    }
}

impl From<&AwsError> for Failure {
    fn from(err: &AwsError) -> Self {
        Failure { kind: err.kind(), message: err.to_string(), request_id: err.request_id().map(str::to_owned) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RunOutcome {
    /// Every step is done.
    Applied,
    /// A step failed and everything the grant had created was removed.
    RolledBack,
    /// A step failed and some resources could not be removed (listed in the journal).
    RollbackIncomplete,
    /// The vendor's access was cut; the network resources were kept.
    AccessRevoked,
    /// Every resource of the grant was removed.
    Revoked,
    /// A revoke left something in place (changed by hand, or a failed call) or a proof check failed.
    RevokeIncomplete,
    /// A run that created or removed none of the plan's resources finished (endpoint
    /// connections accepted or rejected): it does not change the grant's state.
    Decided,
}

/// Where a step stands according to the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepState {
    /// Never started, or removed again.
    Absent,
    /// A call was sent and no outcome recorded: the resource may exist.
    Uncertain,
    /// Exists, with these ids.
    Exists(Output),
}

/// Replays the records into each step's state. A failed call leaves the step uncertain: a
/// timeout or a dropped connection may hide a call that AWS did carry out.
pub fn step_states(records: &[Record]) -> std::collections::BTreeMap<StepId, StepState> {
    let mut states = std::collections::BTreeMap::new();
    for record in records {
        let Some(step) = &record.step else { continue };
        let previous = states.get(step).cloned().unwrap_or(StepState::Absent);
        let next = match &record.event {
            Event::Calling { .. } => match previous {
                StepState::Exists(outputs) => StepState::Exists(outputs),
                _ => StepState::Uncertain,
            },
            Event::Created { outputs, .. } | Event::Adopted { outputs } => StepState::Exists(outputs.clone()),
            Event::Deleted { .. } | Event::NotFound => StepState::Absent,
            Event::Failed { .. } | Event::Deleting { .. } | Event::DeleteFailed { .. } | Event::RunStarted { .. } | Event::RunFinished { .. } => previous,
        };
        states.insert(step.clone(), next);
    }
    states
}

/// The last ids each step's resource had, even if it was removed since (for proving a revoke).
pub fn last_outputs(records: &[Record]) -> std::collections::BTreeMap<StepId, Output> {
    let mut last = std::collections::BTreeMap::new();
    for record in records {
        if let (Some(step), Event::Created { outputs, .. } | Event::Adopted { outputs }) = (&record.step, &record.event) {
            last.insert(step.clone(), outputs.clone());
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    const SG: StepId = StepId::NlbSecurityGroup;

    fn record(seq: u64, run: &str, step: StepId, event: Event) -> Record {
        Record { seq, at: String::new(), run: run.into(), step: Some(step), event }
    }

    fn created(id: &str) -> Event {
        Event::Created { outputs: Output::SecurityGroup { group_id: id.into() }, request_id: None }
    }

    fn calling() -> Event {
        Event::Calling { action: "ec2:CreateSecurityGroup".into() }
    }

    fn failed() -> Event {
        Event::Failed { error: Failure::from(&crate::EngineError::Internal("x".into())) }
    }

    #[test]
    fn a_failure_keeps_what_happened_and_reads_records_written_with_the_windows_error_object() {
        let denied = AwsError::AccessDenied { action: "iam:CreateRole".into(), who: "profile ops".into(), detail: "no".into(), request_id: Some("req-1".into()), resource: None };
        let line = serde_json::to_value(Event::Failed { error: Failure::from(&crate::EngineError::Aws(denied)) }).expect("serialise");
        assert_eq!(line["error"]["kind"], "accessDenied");
        assert_eq!(line["error"]["requestId"], "req-1");
        assert!(line["error"].get("hint").is_none(), "advice is not history: {line}");
        // Journals written before this record kept the window's {kind, message, hint, fields}.
        let old = r#"{"seq":6,"at":"2026-11-20T10:00:00Z","run":"a","step":"nlb","event":{"type":"failed","error":{"kind":"aws","message":"boom","hint":"retry","fields":[]}}}"#;
        let record: Record = serde_json::from_str(old).expect("an older journal still reads");
        assert_eq!(record.event, Event::Failed { error: Failure { kind: ErrorKind::Aws, message: "boom".into(), request_id: None } });
    }

    #[test]
    fn a_call_without_an_outcome_is_uncertain_until_resolved() {
        let mut records = vec![record(1, "a", SG, calling())];
        assert_eq!(step_states(&records)[&SG], StepState::Uncertain);
        records.push(record(2, "b", SG, Event::Adopted { outputs: Output::SecurityGroup { group_id: "sg-1".into() } }));
        assert!(matches!(&step_states(&records)[&SG], StepState::Exists(o) if o.id() == "sg-1"));
    }

    #[test]
    fn created_then_deleted_is_absent_and_a_failed_call_stays_uncertain() {
        let records = vec![
            record(1, "a", SG, calling()),
            record(2, "a", SG, created("sg-1")),
            record(3, "a", SG, Event::Deleting { action: "ec2:DeleteSecurityGroup".into() }),
            record(4, "a", SG, Event::Deleted { request_id: None }),
            record(5, "a", StepId::Nlb, calling()),
            record(6, "a", StepId::Nlb, failed()),
        ];
        let states = step_states(&records);
        assert_eq!(states[&SG], StepState::Absent);
        assert_eq!(states[&StepId::Nlb], StepState::Uncertain);
    }

    #[test]
    fn a_failed_delete_leaves_the_resource_existing() {
        let records = vec![
            record(1, "a", SG, created("sg-1")),
            record(2, "a", SG, Event::Deleting { action: "ec2:DeleteSecurityGroup".into() }),
            record(3, "a", SG, Event::DeleteFailed { error: Failure::from(&crate::EngineError::Internal("x".into())) }),
        ];
        assert!(matches!(step_states(&records)[&SG], StepState::Exists(_)));
    }
}
