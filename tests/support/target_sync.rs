//! The target-sync function's side of a failover, for the tests: the handler VendorLink ships,
//! run as Lambda would run it against the emulator, and the log lines Lambda's runtime would
//! keep.

use serde_json::{json, Value};

use super::bench::Bench;
use super::{text, EMULATOR_ACCOUNT, REPO};

/// The target group's registered addresses.
pub fn targets(bench: &Bench, target_group: &str) -> Vec<String> {
    let out = bench.block_on(bench.elb().describe_target_health().target_group_arn(target_group).send()).expect("target health");
    let mut ips: Vec<String> = out
        .target_health_descriptions()
        .iter()
        .filter(|d| d.target_health().and_then(|h| h.state()).map(|s| s.as_str()) != Some("draining"))
        .filter_map(|d| d.target().and_then(|t| t.id()).map(str::to_owned))
        .collect();
    ips.sort();
    ips
}

/// Runs the shipped handler as Lambda would, against the emulator, with `event`; the database's
/// name answers `resolved_to` (None: the lookup fails). Returns its result and the lines it
/// logged, or its error text.
pub fn run_handler(bench: &Bench, environment: &Value, event: &Value, resolved_to: Option<&str>) -> Result<(Value, Vec<String>), String> {
    let python = std::env::var("VENDORLINK_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = r#"
import importlib.util, json, socket, sys
given = json.load(sys.stdin)
answer, database, real = given["resolved_to"], given["db_host"], socket.getaddrinfo
def getaddrinfo(host, port, *args, **kwargs):
    # Only the database's name answers as after the failover; the emulator's stays real.
    if host != database:
        return real(host, port, *args, **kwargs)
    if answer is None:
        raise socket.gaierror(f"{host}: Name or service not known")
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, port))]
socket.getaddrinfo = getaddrinfo
spec = importlib.util.spec_from_file_location("handler", given["handler"])
handler = importlib.util.module_from_spec(spec)
spec.loader.exec_module(handler)
print(json.dumps(handler.handler(given["event"], None)))
"#;
    let mut command = std::process::Command::new(python);
    command
        .args(["-c", script])
        .env("AWS_ENDPOINT_URL", &bench.emulator.endpoint)
        .env("AWS_ACCESS_KEY_ID", "sandbox")
        .env("AWS_SECRET_ACCESS_KEY", "sandbox")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (key, value) in environment.as_object().expect("variables") {
        command.env(key, value.as_str().expect("text"));
    }
    let mut child = command.spawn().expect("python");
    let input = json!({ "handler": format!("{REPO}/crates/engine/src/target_sync/handler.py"), "event": event, "resolved_to": resolved_to, "db_host": environment["DB_HOST"] });
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input.to_string().as_bytes()).expect("write");
    let out = child.wait_with_output().expect("handler");
    if out.status.success() {
        let mut lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
        let last = lines.pop().unwrap_or_default();
        Ok((serde_json::from_str(&last).unwrap_or_else(|_| panic!("the handler's result: {}", text(&out.stdout))), lines))
    } else {
        Err(format!("{}{}", text(&out.stdout), text(&out.stderr)))
    }
}

/// RDS's event for a completed Multi-AZ failover of orders-db, as EventBridge delivers it (R22).
pub fn failover_event() -> Value {
    json!({
        "version": "0", "id": "68f6e973-1a0c-d37b-f2f2-94a7f62ffd4e", "detail-type": "RDS DB Instance Event", "source": "aws.rds",
        "account": EMULATOR_ACCOUNT, "time": "2026-11-27T05:00:00Z", "region": "us-east-1",
        "resources": [format!("arn:aws:rds:us-east-1:{EMULATOR_ACCOUNT}:db:orders-db")],
        "detail": {
            "EventCategories": ["failover"], "SourceType": "DB_INSTANCE", "SourceArn": format!("arn:aws:rds:us-east-1:{EMULATOR_ACCOUNT}:db:orders-db"),
            "Date": "2026-11-27T05:00:00.000Z", "Message": "A Multi-AZ failover has completed.", "SourceIdentifier": "orders-db", "EventID": "RDS-EVENT-0049"
        }
    })
}

/// Writes the lines the handler printed to the function's log group, as Lambda's runtime does;
/// returns the group's name.
pub fn write_log(bench: &Bench, function: &str, lines: &[String]) -> String {
    let logs = aws_sdk_cloudwatchlogs::Client::new(&bench.config);
    let group = format!("/aws/lambda/{function}");
    let stream = "2026/11/27/[$LATEST]abc";
    if bench.block_on(logs.describe_log_streams().log_group_name(&group).log_stream_name_prefix(stream).send()).expect("streams").log_streams().is_empty() {
        bench.block_on(logs.create_log_stream().log_group_name(&group).log_stream_name(stream).send()).expect("stream");
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("time").as_millis() as i64;
    let events: Vec<_> = lines.iter().map(|l| aws_sdk_cloudwatchlogs::types::InputLogEvent::builder().timestamp(now).message(l).build().expect("event")).collect();
    bench.block_on(logs.put_log_events().log_group_name(&group).log_stream_name(stream).set_log_events(Some(events)).send()).expect("log");
    group
}
