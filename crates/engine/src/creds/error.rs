use crate::validate::FieldError;

/// What can go wrong finding or storing credentials, before AWS is asked anything.
#[derive(Debug, thiserror::Error)]
pub enum CredsError {
    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<FieldError>),
    #[error("There is no AWS profile named \"{name}\".")]
    ProfileNotFound { name: String, available: Vec<String> },
    #[error("There is no keychain entry named \"{name}\".")]
    EntryNotFound { name: String },
    #[error("A keychain entry named \"{name}\" already exists.")]
    EntryExists { name: String },
    #[error("The keychain entry \"{name}\" could not be read back (its stored data is not VendorLink's format).")]
    EntryCorrupt { name: String },
    #[error("The OS keychain is not available: {detail}")]
    KeychainUnavailable { detail: String },
    #[error("Could not read {path}: {detail}")]
    ConfigUnreadable { path: String, detail: String },
    /// `who` is the source as the admin knows it (`keychain entry "ci"`, `AWS profile "prod"`).
    #[error("The {who} needs a code from its MFA device.")]
    MfaRequired { who: String },
}

fn invalid_summary(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.message.clone(),
        many => format!("{} fields need fixing: {}", many.len(), many.iter().map(|e| e.field.as_str()).collect::<Vec<_>>().join(", ")),
    }
}

impl CredsError {
    /// What the admin can do about it.
    pub fn hint(&self) -> String {
        match self {
            CredsError::Invalid(errors) => errors.first().map(|e| e.hint.clone()).unwrap_or_default(),
            CredsError::ProfileNotFound { available, .. } if available.is_empty() => {
                "No profiles were found in ~/.aws/config or ~/.aws/credentials. Run `aws configure` (or `aws configure sso`), or store an access key in the keychain.".into()
            }
            CredsError::ProfileNotFound { available, .. } => format!("Pick one of: {}.", available.join(", ")),
            CredsError::EntryNotFound { .. } => "List the stored entries with `vendorlink keychain list`, or add one.".into(),
            CredsError::EntryExists { .. } => "Choose another name, or delete the existing entry first.".into(),
            CredsError::EntryCorrupt { .. } => "Delete the entry and store the key pair again.".into(),
            CredsError::KeychainUnavailable { .. } => {
                "Unlock your keyring, or start a Secret Service (GNOME Keyring or KWallet) in your desktop session. You can also use an AWS profile instead.".into()
            }
            CredsError::MfaRequired { .. } => "Type the 6-digit code your MFA device shows now (the window asks for it; on the command line pass --mfa-code).".into(),
            CredsError::ConfigUnreadable { .. } => "Check the file's permissions, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at a readable file.".into(),
        }
    }
}

impl From<keyring::Error> for CredsError {
    fn from(err: keyring::Error) -> Self {
        CredsError::KeychainUnavailable { detail: err.to_string() }
    }
}
