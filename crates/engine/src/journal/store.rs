use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, Write};
use std::path::{Path, PathBuf};

use super::{Event, Record};
use vendorlink_model::{Plan, RevocationRecord, StepId};

/// Overrides where grants are kept (tests, portable installs); otherwise the platform data
/// directory (`$XDG_DATA_HOME/vendorlink`, `~/Library/Application Support/vendorlink`...).
pub const DATA_DIR_ENV: &str = "VENDORLINK_DATA_DIR";

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("No grant \"{0}\" is recorded on this machine.")]
    NotFound(String),
    #[error("Could not {what} {path}: {source}")]
    Io { what: &'static str, path: PathBuf, source: std::io::Error },
    #[error("{path} is damaged at line {line}: {detail}")]
    Corrupt { path: PathBuf, line: usize, detail: String },
    #[error("No data directory could be found for this user.")]
    NoDataDir,
    #[error("\"{0}\" is not a grant id.")]
    BadGrantId(String),
    #[error("Grant {grant} is being changed by another run ({holder}).")]
    Busy { grant: String, holder: String },
    #[error("This file is not a grant exported by VendorLink: {0}.")]
    NotAnArchive(String),
    #[error("This file holds grant {found}, not {expected}.")]
    OtherGrant { expected: String, found: String },
    #[error("Grant {0} is already recorded on this machine.")]
    AlreadyRecorded(String),
}

impl JournalError {
    pub fn hint(&self) -> String {
        match self {
            JournalError::NotFound(_) => "List recorded grants with `vendorlink status`; grants live in the data directory of the machine that planned them.".into(),
            JournalError::Io { .. } => "Check that the disk is not full and that the directory is writable.".into(),
            JournalError::Corrupt { .. } => "The journal was edited or damaged; keep a copy, and check the grant's resources by tag in the AWS console.".into(),
            JournalError::NoDataDir => format!("Set {DATA_DIR_ENV} to a writable directory."),
            JournalError::BadGrantId(_) => "A grant id is g- and 8 hexadecimal digits, as `vendorlink status` lists them (e.g. g-1a2b3c4d).".into(),
            JournalError::Busy { .. } => "Wait for it to finish (or stop it), then try again: two runs at once could create or remove the same resources twice.".into(),
            JournalError::NotAnArchive(_) => {
                "Export the grant on the machine that made it (`vendorlink export <grant> --out FILE`, or Export record… on its Grants screen) and choose that file.".into()
            }
            JournalError::OtherGrant { expected, .. } => format!("Choose the file exported for {expected}, or adopt this one from its own entry."),
            JournalError::AlreadyRecorded(grant) => format!("It is listed under Grants already (`vendorlink status {grant}`): nothing to adopt."),
        }
    }
}

fn io<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> JournalError + 'a {
    move |source| JournalError::Io { what, path: path.to_owned(), source }
}

/// All grants recorded on this machine.
#[derive(Debug, Clone)]
pub struct GrantStore {
    root: PathBuf,
}

impl GrantStore {
    pub fn new(root: PathBuf) -> Self {
        GrantStore { root }
    }

    pub fn from_env() -> Result<Self, JournalError> {
        let base = match std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => dirs::data_dir().ok_or(JournalError::NoDataDir)?.join("vendorlink"),
        };
        Ok(GrantStore::new(base.join("grants")))
    }

    /// The grant's directory. The id is checked first, so no path is ever built from a
    /// string that could climb out of the store (`..`, `/`).
    pub fn dir(&self, grant_id: &str) -> Result<PathBuf, JournalError> {
        if !is_grant_id(grant_id) {
            return Err(JournalError::BadGrantId(grant_id.chars().take(80).collect()));
        }
        Ok(self.root.join(grant_id))
    }

    /// Records a new grant: its plan, durably, and an empty journal.
    pub fn create(&self, plan: &Plan) -> Result<Journal, JournalError> {
        let dir = self.write_plan(plan)?;
        Journal::open(dir.join("journal.jsonl"))
    }

    /// Writes the plan, durably; its presence is what makes a directory a recorded grant.
    pub(super) fn write_plan(&self, plan: &Plan) -> Result<PathBuf, JournalError> {
        let dir = self.dir(&plan.grant_id)?;
        std::fs::create_dir_all(&dir).map_err(io("create", &dir))?;
        let text = serde_json::to_string_pretty(plan).map_err(|e| JournalError::Corrupt { path: dir.clone(), line: 0, detail: e.to_string() })?;
        write_durably(&dir, &dir.join("plan.json"), &text)?;
        if let Some(parent) = dir.parent() {
            sync_dir(parent)?;
        }
        Ok(dir)
    }

    /// Writes a revocation record next to the journal, durably; one file per revoke run.
    pub fn save_revocation(&self, record: &RevocationRecord) -> Result<PathBuf, JournalError> {
        let dir = self.dir(&record.grant_id)?;
        // A grant revoked by its tag alone has no directory here yet.
        std::fs::create_dir_all(&dir).map_err(io("create", &dir))?;
        let stamp: String = record.finished_at.chars().filter(char::is_ascii_digit).collect();
        let path = dir.join(format!("revocation-{stamp}.json"));
        let text = serde_json::to_string_pretty(record).map_err(|e| JournalError::Corrupt { path: path.clone(), line: 0, detail: e.to_string() })?;
        write_durably(&dir, &path, &text)?;
        Ok(path)
    }

    /// The revocation records of a grant, oldest first.
    pub fn revocations(&self, grant_id: &str) -> Result<Vec<RevocationRecord>, JournalError> {
        let dir = self.dir(grant_id)?;
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(io("read", &dir))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("revocation-") && n.ends_with(".json")))
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).map_err(io("read", &path))?;
                serde_json::from_str(&text).map_err(|e| JournalError::Corrupt { path: path.clone(), line: e.line(), detail: e.to_string() })
            })
            .collect()
    }

    pub fn plan(&self, grant_id: &str) -> Result<Plan, JournalError> {
        let path = self.dir(grant_id)?.join("plan.json");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(JournalError::NotFound(grant_id.to_owned())),
            Err(e) => return Err(io("read", &path)(e)),
        };
        serde_json::from_str(&text).map_err(|e| JournalError::Corrupt { path, line: e.line(), detail: e.to_string() })
    }

    /// Takes the grant's run lock, then opens its journal for appending. Only one run
    /// (apply, resume, revoke, resync) changes a grant at a time; a second is refused with
    /// who holds it. The OS releases the lock when the run ends, also by a crash or a kill.
    pub fn begin(&self, grant_id: &str, command: &str) -> Result<(GrantLock, Journal), JournalError> {
        let dir = self.dir(grant_id)?;
        if !dir.join("plan.json").exists() {
            return Err(JournalError::NotFound(grant_id.to_owned()));
        }
        let path = dir.join("run.lock");
        let mut file = OpenOptions::new().create(true).truncate(false).read(true).write(true).open(&path).map_err(io("open", &path))?;
        // A reader asking whether a run holds it ([`GrantStore::running`]) holds it for an instant.
        let mut attempt = file.try_lock();
        for _ in 0..10 {
            if !matches!(attempt, Err(std::fs::TryLockError::WouldBlock)) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
            attempt = file.try_lock();
        }
        match attempt {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = std::io::Read::read_to_string(&mut file, &mut holder);
                let holder = holder.trim();
                return Err(JournalError::Busy { grant: grant_id.to_owned(), holder: if holder.is_empty() { "a run that is starting".into() } else { holder.to_owned() } });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io("lock", &path)(e)),
        }
        // Who holds it, for the message a second run gets: a process id and a command, no secret.
        file.set_len(0).map_err(io("write", &path))?;
        write!(file, "{command} by process {} since {}", std::process::id(), now()).map_err(io("write", &path))?;
        let journal = Journal::open(dir.join("journal.jsonl"))?;
        Ok((GrantLock { _file: file }, journal))
    }

    /// Forgets a grant that never ran: its directory goes, under the run lock so no apply
    /// can start meanwhile. Returns `false`, and keeps everything, when the journal holds any
    /// record: then AWS may hold what the grant made, and only a revoke takes that back.
    pub fn discard_planned(&self, grant_id: &str) -> Result<bool, JournalError> {
        let dir = self.dir(grant_id)?;
        let (lock, journal) = self.begin(grant_id, "discard")?;
        if !journal.records().is_empty() {
            return Ok(false);
        }
        drop(journal);
        // The plan goes first: a crash halfway leaves no directory that `list` shows as a grant.
        let plan = dir.join("plan.json");
        std::fs::remove_file(&plan).map_err(io("remove", &plan))?;
        sync_dir(&dir)?;
        std::fs::remove_dir_all(&dir).map_err(io("remove", &dir))?;
        drop(lock);
        if let Some(parent) = dir.parent() {
            sync_dir(parent)?;
        }
        Ok(true)
    }

    /// Whether a run holds the grant's lock right now (in this process or another).
    pub fn running(&self, grant_id: &str) -> bool {
        let Ok(dir) = self.dir(grant_id) else { return false };
        let Ok(file) = File::open(dir.join("run.lock")) else { return false };
        matches!(file.try_lock_shared(), Err(std::fs::TryLockError::WouldBlock))
    }

    /// The journal's records, read only: the file is neither locked, created nor truncated
    /// (a torn last line, left by a run that is still writing or that crashed, is skipped).
    pub fn records(&self, grant_id: &str) -> Result<Vec<Record>, JournalError> {
        let dir = self.dir(grant_id)?;
        if !dir.join("plan.json").exists() {
            return Err(JournalError::NotFound(grant_id.to_owned()));
        }
        let path = dir.join("journal.jsonl");
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io("read", &path)(e)),
        };
        // Cut before decoding: a torn write may end inside a multi-byte character.
        let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(&bytes[..0], |end| &bytes[..end]);
        let text = String::from_utf8_lossy(complete);
        text.lines()
            .enumerate()
            .map(|(i, line)| super::legacy::parse_record(line).map_err(|e| JournalError::Corrupt { path: path.clone(), line: i + 1, detail: e.to_string() }))
            .collect()
    }

    /// Grant ids, oldest first.
    pub fn list(&self) -> Result<Vec<String>, JournalError> {
        let entries = match std::fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io("read", &self.root)(e)),
        };
        let mut grants: Vec<(std::time::SystemTime, String)> = entries
            .flatten()
            .filter(|e| e.file_name().to_str().is_some_and(is_grant_id) && e.path().join("plan.json").exists())
            .map(|e| (e.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH), e.file_name().to_string_lossy().into_owned()))
            .collect();
        grants.sort();
        Ok(grants.into_iter().map(|(_, id)| id).collect())
    }
}

/// `g-` and 8 lowercase hexadecimal digits, as [`crate::prepare`] makes them.
pub fn is_grant_id(text: &str) -> bool {
    text.strip_prefix("g-").is_some_and(|hex| hex.len() == 8 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// Held while a run changes a grant; the lock goes with the file when it is dropped.
#[derive(Debug)]
pub struct GrantLock {
    _file: File,
}

/// Writes a whole file or nothing: a temporary file, synced, renamed over, directory synced.
pub(super) fn write_durably(dir: &Path, path: &Path, text: &str) -> Result<(), JournalError> {
    let tmp = path.with_extension("tmp");
    let mut file = File::create(&tmp).map_err(io("create", &tmp))?;
    file.write_all(text.as_bytes()).map_err(io("write", &tmp))?;
    file.sync_all().map_err(io("sync", &tmp))?;
    std::fs::rename(&tmp, path).map_err(io("rename", path))?;
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> Result<(), JournalError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io("sync", dir))
}

/// One grant's append-only journal.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    records: Vec<Record>,
}

impl Journal {
    /// Opens (or creates) the journal. A last line cut short by a crash is dropped: the event
    /// it began was never acknowledged, which the engine treats like any interrupted call.
    fn open(path: PathBuf) -> Result<Self, JournalError> {
        let mut file = OpenOptions::new().create(true).read(true).append(true).open(&path).map_err(io("open", &path))?;
        let mut records = Vec::new();
        let mut good_len = 0u64;
        let mut reader = BufReader::new(&file);
        let mut line = String::new();
        let mut number = 0;
        loop {
            line.clear();
            let read = reader.read_line(&mut line).map_err(io("read", &path))?;
            if read == 0 {
                break;
            }
            number += 1;
            if !line.ends_with('\n') {
                break; // torn final write
            }
            let record = super::legacy::parse_record(line.trim_end()).map_err(|e| JournalError::Corrupt { path: path.clone(), line: number, detail: e.to_string() })?;
            records.push(record);
            good_len += read as u64;
        }
        if file.metadata().map_err(io("read", &path))?.len() != good_len {
            file.set_len(good_len).map_err(io("truncate", &path))?;
            file.sync_all().map_err(io("sync", &path))?;
        }
        file.seek(std::io::SeekFrom::End(0)).map_err(io("seek", &path))?;
        Ok(Journal { path, file, records })
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record and syncs it to disk before returning.
    pub fn append(&mut self, run: &str, step: Option<&StepId>, event: Event) -> Result<Record, JournalError> {
        let seq = self.records.last().map_or(1, |r| r.seq + 1);
        super::pause::before_record(seq, step, &event);
        let record = Record { seq, at: now(), run: run.to_owned(), step: step.cloned(), event };
        let mut line = serde_json::to_string(&record).map_err(|e| JournalError::Corrupt { path: self.path.clone(), line: 0, detail: e.to_string() })?;
        line.push('\n');
        self.file.write_all(line.as_bytes()).map_err(io("write", &self.path))?;
        self.file.sync_data().map_err(io("sync", &self.path))?;
        self.records.push(record.clone());
        Ok(record)
    }
}

/// The current time as RFC 3339 UTC, to the millisecond.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_last_line_is_dropped_and_appending_continues_after_the_good_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("journal.jsonl");
        {
            let mut journal = Journal::open(path.clone()).expect("open");
            journal.append("r1", None, Event::RunStarted { command: "apply".into(), caller: "arn".into() }).expect("append");
        }
        let mut file = OpenOptions::new().append(true).open(&path).expect("open raw");
        file.write_all(b"{\"seq\":2,\"at\":\"2026").expect("torn write");
        drop(file);
        let mut journal = Journal::open(path.clone()).expect("reopen");
        assert_eq!(journal.records().len(), 1);
        let record = journal.append("r2", Some(&StepId::NlbSecurityGroup), Event::Calling { action: "ec2:CreateSecurityGroup".into() }).expect("append");
        assert_eq!(record.seq, 2);
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.lines().all(|l| serde_json::from_str::<Record>(l).is_ok()), "{text}");
    }

    fn plan(grant_id: &str) -> Plan {
        Plan {
            grant_id: grant_id.into(),
            created_at: String::new(),
            account_id: "123456789012".into(),
            region: "us-east-1".into(),
            member_access: None,
            source: vendorlink_model::CredentialSource::Sandbox,
            vendor_id: "datafold".into(),
            vendor_name: "Datafold".into(),
            bastion_host: None,
            database: Some(vendorlink_model::DatabaseRef { id: "db".into(), engine: "postgres".into(), endpoint: "db.example".into(), port: 5432, vpc_id: "vpc-1".into() }),
            parts: Vec::new(),
            external_id: None,
            expires: None,
            warnings: Vec::new(),
            findings: Vec::new(),
            iam_actions: Vec::new(),
            steps: Vec::new(),
            cost: None,
        }
    }

    #[test]
    fn grant_ids_that_could_name_another_path_are_refused_before_any_path_is_built() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = GrantStore::new(dir.path().join("grants"));
        for bad in ["../../etc", "g-1234567", "g-123456789", "g-ABCDEF12", "g-1234/678", "/tmp/x", "", "g-12345678/.."] {
            assert!(matches!(store.plan(bad), Err(JournalError::BadGrantId(_))), "{bad:?}");
            assert!(matches!(store.records(bad), Err(JournalError::BadGrantId(_))), "{bad:?}");
            assert!(matches!(store.begin(bad, "apply"), Err(JournalError::BadGrantId(_))), "{bad:?}");
            assert!(matches!(store.create(&plan(bad)), Err(JournalError::BadGrantId(_))), "{bad:?}");
        }
        assert!(!dir.path().join("grants").exists(), "nothing was created for a bad id");
        assert!(matches!(store.plan("g-0a1b2c3d"), Err(JournalError::NotFound(_))));
    }

    #[test]
    fn a_second_run_is_refused_naming_the_first_and_readers_never_change_the_journal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = GrantStore::new(dir.path().join("grants"));
        store.create(&plan("g-0a1b2c3d")).expect("create");
        let (lock, mut journal) = store.begin("g-0a1b2c3d", "apply").expect("first run");
        assert!(store.running("g-0a1b2c3d"));
        match store.begin("g-0a1b2c3d", "revoke") {
            Err(JournalError::Busy { holder, .. }) => assert!(holder.starts_with("apply by process "), "{holder}"),
            other => panic!("expected busy, got {other:?}"),
        }
        journal.append("r1", None, Event::RunStarted { command: "apply".into(), caller: "arn".into() }).expect("append");
        // A line half written by the running apply: a reader skips it and leaves it alone.
        let path = journal.path().to_owned();
        OpenOptions::new().append(true).open(&path).and_then(|mut f| f.write_all(b"{\"seq\":2")).expect("torn");
        assert_eq!(store.records("g-0a1b2c3d").expect("read").len(), 1);
        assert!(std::fs::read_to_string(&path).expect("read").ends_with("{\"seq\":2"), "the reader did not truncate");
        drop((lock, journal));
        assert!(!store.running("g-0a1b2c3d"));
        assert!(store.begin("g-0a1b2c3d", "revoke").is_ok(), "free again once the first run ended");
    }

    #[test]
    fn only_a_grant_that_never_ran_is_discarded_and_never_while_a_run_holds_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = GrantStore::new(dir.path().join("grants"));
        store.create(&plan("g-0a1b2c3d")).expect("create planned");
        store.create(&plan("g-1a1b2c3d")).expect("create ran");
        let (lock, journal) = store.begin("g-0a1b2c3d", "apply").expect("a run starts");
        assert!(matches!(store.discard_planned("g-0a1b2c3d"), Err(JournalError::Busy { .. })), "not while a run holds it");
        drop((lock, journal));
        let (_lock, mut journal) = store.begin("g-1a1b2c3d", "apply").expect("run");
        journal.append("r1", None, Event::RunStarted { command: "apply".into(), caller: "arn".into() }).expect("append");
        drop((_lock, journal));

        assert!(store.discard_planned("g-0a1b2c3d").expect("discard planned"));
        assert!(!store.discard_planned("g-1a1b2c3d").expect("discard ran"), "a grant that ran is kept");
        assert_eq!(store.list().expect("list"), vec!["g-1a1b2c3d".to_owned()]);
        assert!(!dir.path().join("grants/g-0a1b2c3d").exists(), "the planned grant's directory is gone");
        assert_eq!(store.records("g-1a1b2c3d").expect("records").len(), 1, "the journal that ran is untouched");
        assert!(matches!(store.discard_planned("g-0a1b2c3d"), Err(JournalError::NotFound(_))));
    }

    #[test]
    fn an_exported_grant_is_adopted_whole_once_and_a_wrong_file_is_refused_by_name() {
        let made_here = tempfile::tempdir().expect("tempdir");
        let there = GrantStore::new(made_here.path().join("grants"));
        let (_lock, mut journal) = {
            there.create(&plan("g-0a1b2c3d")).expect("create");
            there.begin("g-0a1b2c3d", "apply").expect("run")
        };
        journal.append("r1", None, Event::RunStarted { command: "apply".into(), caller: "arn".into() }).expect("append");
        journal.append("r1", Some(&StepId::Role), Event::Calling { action: "iam:CreateRole".into() }).expect("append");
        let exported = there.export("g-0a1b2c3d").expect("export");

        let elsewhere = tempfile::tempdir().expect("tempdir");
        let here = GrantStore::new(elsewhere.path().join("grants"));
        let read = |text: &str, expected| super::super::GrantArchive::read(&here, text, expected);
        assert!(matches!(read("{}", None), Err(JournalError::NotAnArchive(_))));
        let renamed = exported.replace("vendorlink-grant/1", "vendorlink-grant/9");
        assert!(matches!(read(&renamed, None), Err(JournalError::NotAnArchive(_))));
        let skipped = exported.replace("\"seq\": 2", "\"seq\": 3");
        assert!(matches!(read(&skipped, None), Err(JournalError::NotAnArchive(_))));
        match read(&exported, Some("g-99999999")) {
            Err(JournalError::OtherGrant { expected, found }) => assert_eq!((expected.as_str(), found.as_str()), ("g-99999999", "g-0a1b2c3d")),
            other => panic!("expected another grant, got {other:?}"),
        }
        assert!(here.list().expect("list").is_empty(), "nothing is recorded from a refused file");

        let archive = read(&exported, Some("g-0a1b2c3d")).expect("read");
        here.adopt(&archive).expect("adopt");
        assert_eq!(here.plan("g-0a1b2c3d").expect("plan"), there.plan("g-0a1b2c3d").expect("plan"));
        assert_eq!(here.records("g-0a1b2c3d").expect("records"), there.records("g-0a1b2c3d").expect("records"));
        assert!(matches!(read(&exported, None), Err(JournalError::AlreadyRecorded(_))));
        assert!(matches!(here.adopt(&archive), Err(JournalError::AlreadyRecorded(_))));
        let (_lock, mut journal) = here.begin("g-0a1b2c3d", "resume").expect("the adopted grant runs here");
        assert_eq!(journal.append("r2", None, Event::RunStarted { command: "resume".into(), caller: "arn".into() }).expect("append").seq, 3);
    }

    #[test]
    fn a_damaged_line_in_the_middle_is_an_error_naming_the_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("journal.jsonl");
        std::fs::write(&path, "not json\n{}\n").expect("write");
        match Journal::open(path) {
            Err(JournalError::Corrupt { line, .. }) => assert_eq!(line, 1),
            other => panic!("expected a corrupt journal, got {other:?}"),
        }
    }
}
