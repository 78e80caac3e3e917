//! The handler's log lines (one JSON object each, `handler.py`'s `_log`) in words, for the
//! Grants screen and `status`: an admin asked "did the failover move the targets?" reads one
//! sentence, not the JSON.

use serde_json::Value;

/// What started the run, as the handler records it: an RDS event's ID, EventBridge's
/// `Scheduled Event`, or `direct`.
fn trigger(value: &Value) -> String {
    match value["trigger"].as_str() {
        Some("Scheduled Event") => "on its 5-minute schedule".into(),
        Some(id) if id.starts_with("RDS-EVENT-") => format!("after RDS event {id}"),
        _ => "when run by hand".into(),
    }
}

/// One sentence for a line the handler logged; a line in another shape is returned as it is.
pub fn describe(line: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(line) else { return line.to_owned() };
    let text = |key: &str| value[key].as_str().unwrap_or("?").to_owned();
    let target = || format!("{}:{}", text("ip"), value["port"]);
    let when = trigger(&value);
    match value["action"].as_str() {
        Some("register") => format!("Registered {} as a target {when}.", target()),
        Some("deregister") => format!("Deregistered {} {when}: the database no longer answers there.", target()),
        Some("unchanged") => {
            let ips: Vec<&str> = value["ips"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            format!("Checked {when}: the targets already are {}; nothing changed.", ips.join(", "))
        }
        Some("resolve-failed") => format!("Could not resolve {} {when} ({}); the targets were left as they were.", text("db_host"), text("error")),
        _ => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn each_line_the_handler_logs_reads_as_one_sentence() {
        let group = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/vl-x/1";
        let register = format!(
            r#"{{"action": "register", "db_host": "orders-db.x.rds.amazonaws.com", "ip": "10.20.2.25", "port": 5432, "target_group": "{group}", "trigger": "RDS-EVENT-0049"}}"#
        );
        assert_eq!(describe(&register), "Registered 10.20.2.25:5432 as a target after RDS event RDS-EVENT-0049.");
        let deregister = register.replace("\"register\"", "\"deregister\"").replace("10.20.2.25", "10.20.1.15");
        assert_eq!(describe(&deregister), "Deregistered 10.20.1.15:5432 after RDS event RDS-EVENT-0049: the database no longer answers there.");
        let unchanged = r#"{"action": "unchanged", "ips": ["10.20.2.25"], "port": 5432, "trigger": "Scheduled Event"}"#;
        assert_eq!(describe(unchanged), "Checked on its 5-minute schedule: the targets already are 10.20.2.25; nothing changed.");
        let failed = r#"{"action": "resolve-failed", "db_host": "orders-db.x", "error": "Name or service not known", "trigger": "direct"}"#;
        assert_eq!(describe(failed), "Could not resolve orders-db.x when run by hand (Name or service not known); the targets were left as they were.");
        assert_eq!(describe("REPORT RequestId: 1"), "REPORT RequestId: 1");
    }
}
