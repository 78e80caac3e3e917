//! Journals written before outputs were typed hold each step's outputs as a flat map of
//! strings (`{"id": "sgr-1,sgr-2", "groupId": "sg-db"}`). A line is upgraded as it is read,
//! by its step; the file itself is never rewritten.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Record;
use vendorlink_model::{Output, StepId};

/// Decodes one journal line, written in the current or the earlier form.
pub fn parse_record(line: &str) -> Result<Record, serde_json::Error> {
    let mut value: Value = serde_json::from_str(line)?;
    upgrade(&mut value);
    serde_json::from_value(value)
}

fn upgrade(record: &mut Value) {
    let Some(step) = record.get("step").and_then(Value::as_str).and_then(|s| s.parse::<StepId>().ok()) else { return };
    let Some(outputs) = record.get_mut("event").and_then(|e| e.get_mut("outputs")) else { return };
    if outputs.get("kind").is_some() {
        return;
    }
    let Ok(flat) = serde_json::from_value::<BTreeMap<String, String>>(outputs.clone()) else { return };
    // A map that does not convert is left as it is: decoding then reports the line.
    if let Some(typed) = Output::from_legacy(&step, &flat).and_then(|o| serde_json::to_value(o).ok()) {
        *outputs = typed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Event;

    #[test]
    fn a_line_of_an_older_journal_reads_as_the_typed_record() {
        let old = r#"{"seq":3,"at":"2026-11-20T10:00:00Z","run":"r-1","step":"db-sg-from-nlb","event":{"type":"created","outputs":{"groupId":"sg-db","id":"sgr-1,sgr-2"},"requestId":"req-9"}}"#;
        let record = parse_record(old).expect("an older journal still reads");
        assert_eq!(record.step, Some(StepId::DbRuleFromNlb));
        assert_eq!(
            record.event,
            Event::Created { outputs: Output::IngressRules { group_id: "sg-db".into(), rule_ids: vec!["sgr-1".into(), "sgr-2".into()] }, request_id: Some("req-9".into()) }
        );
        let current = serde_json::to_string(&record).expect("serialise");
        assert_eq!(parse_record(&current).expect("the current form reads"), record);
    }

    #[test]
    fn an_old_line_that_cannot_be_upgraded_is_reported_not_guessed() {
        let broken = r#"{"seq":4,"at":"2026-11-20T10:00:00Z","run":"r-1","step":"role-guard","event":{"type":"created","outputs":{"id":"vendorlink-guard"},"requestId":null}}"#;
        assert!(parse_record(broken).is_err());
    }
}
