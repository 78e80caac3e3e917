use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::CredsError;

/// A profile found in the AWS config or credentials file. Only the non-secret settings the
/// app shows are kept; the SDK reads the files itself when a session is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsProfile {
    pub name: String,
    pub region: Option<String>,
    pub sso: bool,
    pub role_arn: Option<String>,
    pub mfa_serial: Option<String>,
    /// The profile whose credentials assume `role_arn`.
    pub source_profile: Option<String>,
    pub endpoint_url: Option<String>,
}

/// The two files the AWS SDK and CLI read, at the paths they would use.
#[derive(Debug, Clone)]
pub struct ProfileFiles {
    pub config: PathBuf,
    pub credentials: PathBuf,
}

impl ProfileFiles {
    /// The standard locations, honouring `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`.
    pub fn from_env() -> Self {
        let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).map(PathBuf::from).unwrap_or_default();
        let pick = |var: &str, default: &str| match std::env::var(var) {
            Ok(path) if !path.is_empty() => expand_home(&path, &home),
            _ => home.join(".aws").join(default),
        };
        ProfileFiles { config: pick("AWS_CONFIG_FILE", "config"), credentials: pick("AWS_SHARED_CREDENTIALS_FILE", "credentials") }
    }

    /// Every profile in either file, sorted by name; a missing file is simply empty.
    pub fn list(&self) -> Result<Vec<AwsProfile>, CredsError> {
        let mut profiles: BTreeMap<String, AwsProfile> = BTreeMap::new();
        for (path, is_config) in [(&self.config, true), (&self.credentials, false)] {
            let Some(text) = read_optional(path)? else { continue };
            for (name, settings) in sections(&text, is_config) {
                let profile = profiles.entry(name.clone()).or_insert_with(|| AwsProfile {
                    name,
                    region: None,
                    sso: false,
                    role_arn: None,
                    mfa_serial: None,
                    source_profile: None,
                    endpoint_url: None,
                });
                for (key, value) in settings {
                    match key.as_str() {
                        "region" => profile.region = Some(value),
                        "sso_start_url" | "sso_session" => profile.sso = true,
                        "role_arn" => profile.role_arn = Some(value),
                        "mfa_serial" => profile.mfa_serial = Some(value),
                        "source_profile" => profile.source_profile = Some(value),
                        "endpoint_url" => profile.endpoint_url = Some(value),
                        _ => {}
                    }
                }
            }
        }
        Ok(profiles.into_values().collect())
    }

    /// The named profile, or an error listing the ones that exist.
    pub fn find(&self, name: &str) -> Result<AwsProfile, CredsError> {
        let profiles = self.list()?;
        let available = profiles.iter().map(|p| p.name.clone()).collect();
        profiles.into_iter().find(|p| p.name == name).ok_or(CredsError::ProfileNotFound { name: name.to_owned(), available })
    }
}

fn expand_home(path: &str, home: &Path) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => home.join(rest),
        None => PathBuf::from(path),
    }
}

fn read_optional(path: &Path) -> Result<Option<String>, CredsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(CredsError::ConfigUnreadable { path: path.display().to_string(), detail: err.to_string() }),
    }
}

/// Profile sections of an AWS INI file with their key/value pairs. In the config file a
/// profile is `[profile NAME]` (or `[default]`); in the credentials file it is `[NAME]`.
/// Other config sections (`[sso-session x]`, `[services x]`) are skipped. Values are kept
/// only for the keys the caller reads, so secrets are dropped here.
fn sections(text: &str, is_config: bool) -> Vec<(String, Vec<(String, String)>)> {
    const KEPT: [&str; 7] = ["region", "sso_start_url", "sso_session", "role_arn", "mfa_serial", "source_profile", "endpoint_url"];
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut in_profile = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let header = header.trim();
            let name = if !is_config {
                Some(header)
            } else if header == "default" {
                Some("default")
            } else {
                header.strip_prefix("profile").filter(|rest| rest.starts_with(char::is_whitespace)).map(str::trim)
            };
            in_profile = false;
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                out.push((name.to_owned(), Vec::new()));
                in_profile = true;
            }
            continue;
        }
        if !in_profile {
            continue;
        }
        if let (Some((key, value)), Some(section)) = (line.split_once('='), out.last_mut()) {
            let key = key.trim().to_ascii_lowercase();
            if KEPT.contains(&key.as_str()) {
                section.1.push((key, value.trim().to_owned()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(config: &str, credentials: &str) -> (tempfile::TempDir, ProfileFiles) {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = ProfileFiles { config: dir.path().join("config"), credentials: dir.path().join("credentials") };
        std::fs::write(&files.config, config).expect("write config");
        std::fs::write(&files.credentials, credentials).expect("write credentials");
        (dir, files)
    }

    #[test]
    fn profiles_from_both_files_are_merged_and_sorted() {
        let (_dir, files) = files(
            "[default]\nregion = us-east-1\n\n[profile prod]\nregion=eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n[profile sso-dev]\nsso_session = corp\n\
             [services local]\nec2 =\n  endpoint_url = http://127.0.0.1:5000\n",
            "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n[ci]\naws_access_key_id=x\n",
        );
        let profiles = files.list().expect("list");
        let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["ci", "default", "prod", "sso-dev"]);
        assert_eq!(profiles[1].region.as_deref(), Some("us-east-1"));
        assert_eq!(profiles[2].mfa_serial.as_deref(), Some("arn:aws:iam::123456789012:mfa/alice"));
        assert!(profiles[3].sso);
    }

    #[test]
    fn secrets_in_the_credentials_file_are_not_kept() {
        let (_dir, files) = files("", "[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
        let dump = format!("{:?}", files.list().expect("list"));
        assert!(!dump.contains("EXAMPLEKEY"), "{dump}");
    }

    #[test]
    fn a_missing_profile_names_the_ones_that_exist() {
        let (_dir, files) = files("[profile a]\n[profile b]\n", "");
        match files.find("c") {
            Err(err @ CredsError::ProfileNotFound { .. }) => assert_eq!(err.hint(), "Pick one of: a, b."),
            other => panic!("expected ProfileNotFound, got {other:?}"),
        }
    }

    #[test]
    fn missing_files_mean_no_profiles() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = ProfileFiles { config: dir.path().join("nope"), credentials: dir.path().join("nope2") };
        assert_eq!(files.list().expect("list"), vec![]);
        assert!(files.find("default").unwrap_err().hint().contains("aws configure"));
    }
}
