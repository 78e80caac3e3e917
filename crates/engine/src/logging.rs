//! The diagnostic log both faces write: one file in the platform's log folder, so that a
//! window's "About / diagnostics" can show it and an admin can attach it to a report; and, on
//! request (`RUST_LOG`), the same events on standard error.
//!
//! What is logged is what the journal records (runs, steps, resource ids, AWS request ids,
//! failures) and what the faces do; never a credential: no event carries a key, a secret, a
//! session token or an MFA code, and other crates' events (the AWS SDK's) stay out of the file
//! below `warn`. The canary test reads the file.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Where the file goes instead of the platform's folder (tests, packaged installs with policy).
pub const LOG_DIR_ENV: &str = "VENDORLINK_LOG_DIR";
/// The file is started afresh (the old one kept as `.1`) when it grows past this.
const ROTATE_BYTES: u64 = 5 * 1024 * 1024;
/// VendorLink's own events at `info`, everything else only from `warn`.
const FILE_FILTER: &str = "warn,vendorlink_engine=info,vendorlink_aws=info,vendorlink=info,vendorlink_app=info";

/// The log file: `$VENDORLINK_LOG_DIR/vendorlink.log`, else the platform's state/log folder
/// (`~/.local/state/vendorlink` on Linux, `~/Library/Logs/VendorLink` on macOS).
pub fn log_file() -> Option<PathBuf> {
    let dir = match std::env::var_os(LOG_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None if cfg!(target_os = "macos") => dirs::home_dir()?.join("Library/Logs/VendorLink"),
        None => dirs::state_dir().or_else(dirs::data_local_dir)?.join("vendorlink"),
    };
    Some(dir.join("vendorlink.log"))
}

/// Sets up logging for this process: the file (when it can be opened; a read-only home must not
/// stop the program), and standard error with `RUST_LOG`'s filter, or `stderr_default` when
/// `RUST_LOG` is unset (`None`: nothing on standard error). Returns the file's path.
pub fn init(stderr_default: Option<&str>) -> Option<PathBuf> {
    let path = log_file();
    let file = path.as_ref().and_then(|path| open(path).ok());
    let file_layer = file.map(|file| tracing_subscriber::fmt::layer().with_writer(Mutex::new(file)).with_ansi(false).with_filter(EnvFilter::new(FILE_FILTER)));
    let stderr_filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.trim().is_empty() => Some(EnvFilter::new(directives)),
        _ => stderr_default.map(EnvFilter::new),
    };
    let stderr_layer = stderr_filter.map(|filter| tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_filter(filter));
    let opened = file_layer.is_some();
    // A second call (a test harness) keeps the first set-up.
    let _ = tracing_subscriber::registry().with(file_layer).with(stderr_layer).try_init();
    tracing::info!(version = env!("CARGO_PKG_VERSION"), program = %std::env::args().next().unwrap_or_default(), "started");
    path.filter(|_| opened)
}

fn open(path: &std::path::Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() > ROTATE_BYTES) {
        std::fs::rename(path, path.with_extension("log.1"))?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    // Only its owner reads it: it names the account's resources and the admin's identity.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// The last `lines` lines of the log, for the window's diagnostics.
pub fn tail(path: &std::path::Path, lines: usize) -> std::io::Result<Vec<String>> {
    let mut text = String::new();
    File::open(path)?.read_to_string(&mut text)?;
    let all: Vec<&str> = text.lines().collect();
    Ok(all[all.len().saturating_sub(lines)..].iter().map(|l| (*l).to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_is_the_last_lines_in_order() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("vendorlink.log");
        std::fs::write(&path, "one\ntwo\nthree\n").expect("write");
        assert_eq!(tail(&path, 2).expect("tail"), ["two", "three"]);
        assert_eq!(tail(&path, 10).expect("tail"), ["one", "two", "three"]);
    }

    #[test]
    fn a_large_log_is_started_afresh_and_the_old_one_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("logs/vendorlink.log");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(&path, vec![b'x'; ROTATE_BYTES as usize + 1]).expect("write");
        drop(open(&path).expect("open"));
        assert_eq!(std::fs::metadata(&path).expect("new file").len(), 0);
        assert_eq!(std::fs::metadata(path.with_extension("log.1")).expect("kept").len(), ROTATE_BYTES + 1);
    }
}
