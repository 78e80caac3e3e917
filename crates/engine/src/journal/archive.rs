//! A grant's record carried to another machine: its plan, journal and revoke proofs in one
//! file. Adopted there, the grant is managed as if made there (status and drift, connections,
//! handoff, a revoke with its full proof), which its tags alone cannot give.

use serde::{Deserialize, Serialize};

use super::{GrantStore, JournalError, Record};
use vendorlink_model::{Plan, RevocationRecord};

/// What such a file says it is: a file of another kind is refused by this, not half read.
pub const ARCHIVE_FORMAT: &str = "vendorlink-grant/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantArchive {
    pub format: String,
    pub plan: Plan,
    pub journal: Vec<Record>,
    #[serde(default)]
    pub revocations: Vec<RevocationRecord>,
}

impl GrantStore {
    /// The grant's record as one file's content (pretty JSON; ids and names only, no secret).
    pub fn export(&self, grant_id: &str) -> Result<String, JournalError> {
        let archive = GrantArchive { format: ARCHIVE_FORMAT.into(), plan: self.plan(grant_id)?, journal: self.records(grant_id)?, revocations: self.revocations(grant_id)? };
        serde_json::to_string_pretty(&archive).map_err(|e| JournalError::Corrupt { path: self.dir(grant_id).unwrap_or_default(), line: 0, detail: e.to_string() })
    }

    /// Records an exported grant here, checked by [`GrantArchive::read`] and, by the caller,
    /// against AWS. The plan is written last: a grant appears in the list only once its
    /// journal is complete on disk.
    pub fn adopt(&self, archive: &GrantArchive) -> Result<(), JournalError> {
        let dir = self.dir(&archive.plan.grant_id)?;
        if dir.join("plan.json").exists() {
            return Err(JournalError::AlreadyRecorded(archive.plan.grant_id.clone()));
        }
        std::fs::create_dir_all(&dir).map_err(|source| JournalError::Io { what: "create", path: dir.clone(), source })?;
        let mut lines = String::new();
        for record in &archive.journal {
            lines.push_str(&serde_json::to_string(record).map_err(|e| JournalError::NotAnArchive(e.to_string()))?);
            lines.push('\n');
        }
        super::store::write_durably(&dir, &dir.join("journal.jsonl"), &lines)?;
        for record in &archive.revocations {
            self.save_revocation(record)?;
        }
        self.write_plan(&archive.plan)?;
        Ok(())
    }
}

impl GrantArchive {
    /// Reads an exported grant, refusing a file of another kind, of another grant than
    /// `expected` (the one the admin means), with a journal that skips or repeats a line, with
    /// another grant's proof, or of a grant recorded here already.
    pub fn read(store: &GrantStore, text: &str, expected: Option<&str>) -> Result<GrantArchive, JournalError> {
        let archive: GrantArchive = serde_json::from_str(text).map_err(|e| JournalError::NotAnArchive(e.to_string()))?;
        if archive.format != ARCHIVE_FORMAT {
            return Err(JournalError::NotAnArchive(format!("it says it is \"{}\", not {ARCHIVE_FORMAT}", archive.format.chars().take(40).collect::<String>())));
        }
        let grant_id = archive.plan.grant_id.clone();
        let dir = store.dir(&grant_id)?;
        if let Some(other) = expected.filter(|e| *e != grant_id) {
            return Err(JournalError::OtherGrant { expected: other.to_owned(), found: grant_id });
        }
        if dir.join("plan.json").exists() {
            return Err(JournalError::AlreadyRecorded(grant_id));
        }
        if let Some((i, _)) = archive.journal.iter().enumerate().find(|(i, r)| r.seq != *i as u64 + 1) {
            return Err(JournalError::NotAnArchive(format!("its journal skips or repeats a line at record {}", i + 1)));
        }
        if let Some(other) = archive.revocations.iter().find(|r| r.grant_id != grant_id) {
            return Err(JournalError::NotAnArchive(format!("it holds a revoke proof of another grant, {}", other.grant_id)));
        }
        Ok(archive)
    }
}
