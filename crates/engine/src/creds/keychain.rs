use super::CredsError;
use crate::validate;
use vendorlink_model::{KeychainEntry, KeychainEntrySummary};

/// Access key pairs in the OS keychain (Secret Service on Linux, Keychain on macOS,
/// Credential Manager on Windows).
///
/// The keychain has no portable "list" call, so the names are kept in an index entry of their
/// own, also in the keychain: nothing about the keys, not even their names, goes to disk.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

const INDEX_USER: &str = "index";

impl Keychain {
    /// The app's own keychain service name.
    pub fn system() -> Self {
        Keychain { service: "dev.vendorlink.credentials".into() }
    }

    fn secret_entry(&self, name: &str) -> Result<keyring::Entry, CredsError> {
        Ok(keyring::Entry::new(&self.service, name)?)
    }

    fn index_entry(&self) -> Result<keyring::Entry, CredsError> {
        Ok(keyring::Entry::new(&format!("{}.index", self.service), INDEX_USER)?)
    }

    fn read_index(&self) -> Result<Vec<String>, CredsError> {
        match self.index_entry()?.get_password() {
            // An unreadable index must not pass for an empty one: the next save would drop every name.
            Ok(json) => serde_json::from_str(&json).map_err(|_| CredsError::EntryCorrupt { name: "VendorLink's list of entries".into() }),
            Err(keyring::Error::NoEntry) => Ok(Vec::new()),
            Err(err) => Err(err.into()),
        }
    }

    /// Serialises read-modify-write of the name index between VendorLink processes (two
    /// saving at once would otherwise lose a name): an exclusive lock on a file in the
    /// user's runtime directory, released when the guard is dropped.
    fn lock_index(&self) -> Result<std::fs::File, CredsError> {
        let dir = dirs::runtime_dir().unwrap_or_else(std::env::temp_dir);
        let path = dir.join(format!("{}.lock", self.service));
        let unavailable = |e: std::io::Error| CredsError::KeychainUnavailable { detail: format!("could not lock {}: {e}", path.display()) };
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(unavailable)?;
        file.lock().map_err(unavailable)?;
        Ok(file)
    }

    fn write_index(&self, names: &[String]) -> Result<(), CredsError> {
        let json = serde_json::to_string(names).map_err(|e| CredsError::KeychainUnavailable { detail: e.to_string() })?;
        Ok(self.index_entry()?.set_password(&json)?)
    }

    /// Stored entries, without secrets. Index names whose secret is gone are skipped.
    pub fn list(&self) -> Result<Vec<KeychainEntrySummary>, CredsError> {
        let mut out = Vec::new();
        for name in self.read_index()? {
            match self.load(&name) {
                Ok(key) => out.push(summary(&key)),
                Err(CredsError::EntryNotFound { .. } | CredsError::EntryCorrupt { .. }) => continue,
                Err(err) => return Err(err),
            }
        }
        Ok(out)
    }

    /// Validates, then stores a new key pair. Nothing is stored when any field is invalid.
    pub fn save(&self, entry: &KeychainEntry) -> Result<KeychainEntrySummary, CredsError> {
        validate::keychain_entry(entry).map_err(CredsError::Invalid)?;
        let _lock = self.lock_index()?;
        let mut names = self.read_index()?;
        if names.iter().any(|n| n == &entry.name) {
            return Err(CredsError::EntryExists { name: entry.name.clone() });
        }
        let tidy = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let key = KeychainEntry {
            name: entry.name.clone(),
            access_key_id: entry.access_key_id.trim().to_owned(),
            secret_access_key: entry.secret_access_key.clone(),
            region: tidy(&entry.region),
            mfa_serial: tidy(&entry.mfa_serial),
        };
        let json = serde_json::to_string(&key).map_err(|e| CredsError::KeychainUnavailable { detail: e.to_string() })?;
        self.secret_entry(&entry.name)?.set_password(&json)?;
        names.push(entry.name.clone());
        if let Err(err) = self.write_index(&names) {
            // Without the index the secret would be invisible: take it back out.
            let _ = self.secret_entry(&entry.name).and_then(|e| e.delete_credential().map_err(CredsError::from));
            return Err(err);
        }
        Ok(summary(&key))
    }

    /// The key pair, secret included, for building a session.
    pub fn load(&self, name: &str) -> Result<KeychainEntry, CredsError> {
        match self.secret_entry(name)?.get_password() {
            Ok(json) => serde_json::from_str(&json).map_err(|_| CredsError::EntryCorrupt { name: name.to_owned() }),
            Err(keyring::Error::NoEntry) => Err(CredsError::EntryNotFound { name: name.to_owned() }),
            Err(err) => Err(err.into()),
        }
    }

    /// Removes the key pair and its name. Deleting what is not there is an error the admin sees.
    pub fn delete(&self, name: &str) -> Result<(), CredsError> {
        let _lock = self.lock_index()?;
        let mut names = self.read_index()?;
        let listed = names.iter().any(|n| n == name);
        let removed = match self.secret_entry(name)?.delete_credential() {
            Ok(()) => true,
            Err(keyring::Error::NoEntry) => false,
            Err(err) => return Err(err.into()),
        };
        if listed {
            names.retain(|n| n != name);
            self.write_index(&names)?;
        }
        if listed || removed {
            Ok(())
        } else {
            Err(CredsError::EntryNotFound { name: name.to_owned() })
        }
    }
}

fn summary(key: &KeychainEntry) -> KeychainEntrySummary {
    KeychainEntrySummary { name: key.name.clone(), access_key_hint: mask_key_id(&key.access_key_id), region: key.region.clone(), mfa_serial: key.mfa_serial.clone() }
}

/// `AKIAIOSFODNN7EXAMPLE` → `AKIA…MPLE`.
fn mask_key_id(key_id: &str) -> String {
    let chars: Vec<char> = key_id.chars().collect();
    if chars.len() <= 8 {
        return "…".into();
    }
    format!("{}…{}", chars[..4].iter().collect::<String>(), chars[chars.len() - 4..].iter().collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_masked_to_prefix_and_last_four() {
        assert_eq!(mask_key_id("AKIAIOSFODNN7EXAMPLE"), "AKIA…MPLE");
        assert_eq!(mask_key_id("short"), "…");
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let key = KeychainEntry {
            name: "n".into(),
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            region: None,
            mfa_serial: None,
        };
        assert!(!format!("{key:?}").contains("EXAMPLEKEY"));
    }
}
