//! Shared fixtures for the integration and GUI tests: the local AWS emulator, the CLI binary,
//! and throwaway homes. Every process started here is killed when its fixture is dropped.
#![allow(dead_code)] // each test binary uses a different part of this module

pub mod bench;
pub mod gui;
pub mod iam;
pub mod target_sync;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The repository root (this package is its `tests` folder).
pub const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
/// The account moto answers as when no other is asked for.
pub const EMULATOR_ACCOUNT: &str = "123456789012";
/// AWS's documented example key pair: well-formed, belongs to nobody.
pub const EXAMPLE_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
pub const EXAMPLE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// moto's server with VendorLink's launcher, on a free loopback port.
pub struct Emulator {
    child: Child,
    pub endpoint: String,
}

impl Emulator {
    pub fn start() -> Self {
        Self::launch(&[])
    }

    /// With the sample customer network the sandbox shows.
    pub fn start_sandbox() -> Self {
        Self::launch(&["--seed", "sandbox"])
    }

    fn launch(extra: &[&str]) -> Self {
        let python = std::env::var("VENDORLINK_PYTHON").unwrap_or_else(|_| "python3".into());
        let mut child = Command::new(&python)
            .arg(Path::new(REPO).join("tests/emulator/launcher.py"))
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start the emulator with {python} (set VENDORLINK_PYTHON to the venv's python): {e}"));
        let stdout = child.stdout.take().expect("emulator stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read emulator banner");
        let endpoint = line.trim().strip_prefix("READY ").unwrap_or_else(|| panic!("emulator did not start: {line:?}")).to_owned();
        Emulator { child, endpoint }
    }

    fn post(&self, path: &str, body: &str) {
        let response = reqwest::blocking::Client::new()
            .post(format!("{}{path}", self.endpoint))
            .header("content-type", "text/plain")
            .body(body.to_owned())
            .send()
            .expect("emulator control call");
        assert!(response.status().is_success(), "{path}: {}", response.status());
    }

    /// The launcher's network model (tests/emulator/network_model.py): whether traffic from
    /// `from` gets to `ip:port`, and where it is blocked.
    pub fn reach(&self, from: serde_json::Value, ip: &str, port: u16) -> serde_json::Value {
        let body = serde_json::json!({ "from": from, "to": { "ip": ip, "port": port } });
        let response = reqwest::blocking::Client::new().post(format!("{}/_emulator/reachability", self.endpoint)).body(body.to_string()).send().expect("reachability query");
        assert!(response.status().is_success(), "reachability: {}", response.status());
        response.json().expect("reachability JSON")
    }

    /// Holds new load balancers in `provisioning` until released (a test presses Cancel first).
    pub fn hold_load_balancers(&self, hold: bool) {
        self.post("/_emulator/provisioning", &format!(r#"{{"hold":{hold}}}"#));
    }

    /// From now on moto checks every request's signature against its own IAM users, so
    /// made-up keys are refused the way AWS refuses them.
    pub fn require_real_credentials(&self) {
        self.post("/moto-api/reset-auth", "0");
    }

    /// Makes calls to `operation` fail: kind is throttle | http500 | drop | latency.
    pub fn fault(&self, operation: &str, kind: &str, times: u32) {
        self.post("/_emulator/faults", &format!(r#"{{"operation":"{operation}","kind":"{kind}","times":{times}}}"#));
    }

    /// Delays the next `times` calls to `operation` ("*" for any) by `ms` milliseconds.
    pub fn latency(&self, operation: &str, ms: u64, times: u32) {
        self.post("/_emulator/faults", &format!(r#"{{"operation":"{operation}","kind":"latency","latency_ms":{ms},"times":{times}}}"#));
    }

    /// The next accounts created stay IN_PROGRESS for this many describes of their request
    /// (docs/aws-rules.md R17), then refuse this many AssumeRole calls (R18.3).
    pub fn account_creation(&self, describes: u32, assume_denials: u32) {
        self.post("/_emulator/account-creation", &format!(r#"{{"describes":{describes},"assume_denials":{assume_denials}}}"#));
    }

    pub fn reset(&self) {
        self.post("/_emulator/reset", "");
    }

    /// Makes every call to `operation` whose request body contains `matching` fail with HTTP 500.
    pub fn fail_matching(&self, operation: &str, matching: &str) {
        let fault = serde_json::json!({ "operation": operation, "kind": "http500", "times": 1000, "match": matching });
        self.post("/_emulator/faults", &fault.to_string());
    }

    /// Makes every call to `operation` signed for `region` fail with HTTP 500.
    pub fn fail_in_region(&self, operation: &str, region: &str) {
        self.post("/_emulator/faults", &format!(r#"{{"operation":"{operation}","kind":"http500","times":1000,"region":"{region}"}}"#));
    }

    /// The next `describes` DescribeLoadBalancers calls still see new load balancers provisioning.
    pub fn slow_load_balancers(&self, describes: u32) {
        self.post("/_emulator/provisioning", &format!(r#"{{"describes":{describes}}}"#));
    }

    pub fn clear_faults(&self) {
        let response = reqwest::blocking::Client::new().delete(format!("{}/_emulator/faults", self.endpoint)).send().expect("emulator control call");
        assert!(response.status().is_success());
    }

    /// Every operation the emulator has answered, in order.
    pub fn calls(&self) -> Vec<String> {
        let body: serde_json::Value = reqwest::blocking::get(format!("{}/_emulator/calls", self.endpoint)).expect("calls").json().expect("calls json");
        body["calls"].as_array().into_iter().flatten().filter_map(|c| c.as_str().map(str::to_owned)).collect()
    }

    /// An SDK configuration for checking, from the test itself, what the app did.
    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(&self.endpoint)
            .credentials_provider(aws_credential_types::Credentials::new("test", "test", None, None, "test"))
            .load()
            .await
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A home directory of its own: AWS files, app data, nothing of the real user's.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Self {
        Home { dir: tempfile::tempdir().expect("temp home") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `~/.aws/config` and `~/.aws/credentials`.
    pub fn aws_files(&self, config: &str, credentials: &str) {
        let aws = self.path().join(".aws");
        std::fs::create_dir_all(&aws).expect("mkdir .aws");
        std::fs::write(aws.join("config"), config).expect("write config");
        std::fs::write(aws.join("credentials"), credentials).expect("write credentials");
    }

    /// The environment the app and CLI run with: this home, and no AWS settings inherited
    /// from whoever runs the tests.
    pub fn env(&self) -> Vec<(String, String)> {
        let home = self.path().display().to_string();
        vec![
            ("HOME".into(), home.clone()),
            ("XDG_DATA_HOME".into(), format!("{home}/.local/share")),
            ("XDG_CONFIG_HOME".into(), format!("{home}/.config")),
            ("XDG_CACHE_HOME".into(), format!("{home}/.cache")),
            ("XDG_STATE_HOME".into(), format!("{home}/.local/state")),
        ]
    }

    /// The diagnostic log both programs write (the platform's log folder, inside this home).
    pub fn log_file(&self) -> PathBuf {
        self.path().join(".local/state/vendorlink/vendorlink.log")
    }

    /// Every file under this home whose bytes contain `needle`.
    pub fn files_containing(&self, needle: &str) -> Vec<PathBuf> {
        fn walk(dir: &Path, needle: &[u8], out: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, needle, out);
                } else if std::fs::read(&path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle)) {
                    out.push(path);
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), needle.as_bytes(), &mut out);
        out
    }
}

/// AWS variables that would leak the tester's own account into a test.
pub const AWS_VARS: [&str; 10] = [
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
];

/// A binary of this workspace (`vendorlink`, `vendorlink-app`). `scripts/test` builds them with
/// the test hooks into the target folder this test runs from (`cargo build --bins --features
/// vendorlink-engine/test-hooks`): integration tests of one package cannot ask Cargo for another's.
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    // <target>/debug/deps/<test>-<hash>  →  <target>/debug/<name>
    let path = exe.parent().and_then(Path::parent).expect("the target folder").join(name);
    assert!(path.is_file(), "{} is not built: run scripts/test, or `cargo build --bins --features vendorlink-engine/test-hooks` first", path.display());
    path
}

/// The CLI, run in `home` with extra variables; stdin is given or empty.
pub fn cli(home: &Home, env: &[(&str, &str)], args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut command = Command::new(binary("vendorlink"));
    command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for var in AWS_VARS {
        command.env_remove(var);
    }
    command.env_remove("VENDORLINK_SANDBOX_ENDPOINT").env_remove("VENDORLINK_LOG_DIR");
    command.envs(home.env()).envs(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut child = command.spawn().expect("run vendorlink");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait for vendorlink")
}

/// Runs an independent checker (the IAM simulator, the policy linter): JSON in on stdin, JSON out.
pub fn ask_tool(program: &str, args: &[String], dir: &Path, input: &serde_json::Value) -> serde_json::Value {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {program} (scripts/setup installs it): {e}"));
    child.stdin.take().expect("stdin").write_all(input.to_string().as_bytes()).expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{program} failed: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{program} answered no JSON: {e}"))
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Polls `check` until it returns Some or `timeout` passes. For waiting on state, not timing.
pub fn wait_for<T>(timeout: Duration, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(start.elapsed() < timeout, "gave up waiting for {what} after {timeout:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A loopback port nothing listens on.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}

/// A loopback HTTP server that answers every request with `status` (and `answer` as the body)
/// and keeps the bodies it received: for what VendorLink sends (and that it sends it once),
/// and for what it fetches.
pub struct Receiver {
    pub url: String,
    bodies: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Receiver {
    pub fn start(status: u16) -> Self {
        Self::answering(status, "no")
    }

    pub fn answering(status: u16, answer: &str) -> Self {
        let answer = answer.to_owned();
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind receiver");
        let url = format!("http://{}/vendorlink", listener.local_addr().expect("address"));
        let bodies = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = std::sync::Arc::clone(&bodies);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut data = Vec::new();
                let mut buffer = [0u8; 8192];
                // Read the headers, then as much body as Content-Length says.
                let body = loop {
                    let Ok(n) = stream.read(&mut buffer) else { break None };
                    if n == 0 {
                        break None;
                    }
                    data.extend_from_slice(&buffer[..n]);
                    let text = String::from_utf8_lossy(&data).into_owned();
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let length = head.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0))).unwrap_or(0);
                        if body.len() >= length {
                            break Some(body.to_owned());
                        }
                    }
                };
                if let Some(body) = body {
                    kept.lock().expect("bodies").push(body);
                }
                let reason = if status < 300 { "OK" } else { "Internal Server Error" };
                let _ = write!(stream, "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}", answer.len());
            }
        });
        Receiver { url, bodies }
    }

    pub fn bodies(&self) -> Vec<String> {
        self.bodies.lock().expect("bodies").clone()
    }
}
