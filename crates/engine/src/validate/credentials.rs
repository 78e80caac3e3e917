use super::{collect, identifiers, FieldError};
use vendorlink_model::KeychainEntry;

/// Entry names become keychain account names and list labels.
pub fn entry_name(value: &str) -> Result<(), FieldError> {
    let hint = "Use 1 to 64 letters, digits, spaces, dots, dashes or underscores, e.g. \"prod-admin\".";
    if value.trim().is_empty() {
        return Err(FieldError::new("name", "Give this key pair a name so you can pick it later.", hint));
    }
    if value.chars().count() > 64 {
        return Err(FieldError::new("name", "The name is longer than 64 characters.", hint));
    }
    if let Some(bad) = value.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_'))) {
        return Err(FieldError::new("name", format!("The name contains \"{bad}\", which is not allowed."), hint));
    }
    if value != value.trim() {
        return Err(FieldError::new("name", "The name starts or ends with a space.", hint));
    }
    Ok(())
}

/// Long-term access key ids: `AKIA` + 16 upper-case letters or digits.
pub fn access_key_id(value: &str) -> Result<(), FieldError> {
    let field = "accessKeyId";
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, "The access key id is empty.", "Paste the access key id (it starts with AKIA) from the IAM console or the .csv AWS gave you."));
    }
    if value.starts_with("ASIA") {
        return Err(FieldError::new(
            field,
            "This is a temporary key (it starts with ASIA): it stops working within hours and needs a session token.",
            "Store a long-term access key (AKIA…), or use an AWS profile (SSO or credential_process) for temporary credentials.",
        ));
    }
    let shaped = value.len() == 20 && value.starts_with("AKIA") && value.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !shaped {
        return Err(FieldError::new(
            field,
            format!("\"{value}\" is not an access key id: it must be 20 upper-case letters or digits starting with AKIA (it has {} characters).", value.chars().count()),
            "Check that you pasted the access key id, not the secret access key or the user name.",
        ));
    }
    Ok(())
}

/// Secret access keys: 40 characters of base64 (`A-Z a-z 0-9 / +`).
pub fn secret_access_key(value: &str) -> Result<(), FieldError> {
    let field = "secretAccessKey";
    if value.trim().is_empty() {
        return Err(FieldError::new(
            field,
            "The secret access key is empty.",
            "Paste the secret access key shown once when the key was created; if it is lost, create a new key in the IAM console.",
        ));
    }
    if value != value.trim() {
        return Err(FieldError::new(field, "The secret access key has spaces or a line break around it.", "Paste it again without surrounding spaces."));
    }
    let shaped = value.len() == 40 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+');
    if !shaped {
        // Never echo the secret back: only its length.
        return Err(FieldError::new(
            field,
            format!("This is not a secret access key: it must be 40 characters of letters, digits, / and + (it has {}).", value.chars().count()),
            "Check that you pasted the secret access key, not the access key id.",
        ));
    }
    Ok(())
}

/// A virtual or hardware MFA device: `arn:aws:iam::<account>:mfa/<name>` (or a hardware serial).
/// The code an MFA device shows: six digits.
pub fn mfa_code(value: &str) -> Result<(), FieldError> {
    let value = value.trim();
    if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(FieldError::new(
            "mfaCode",
            format!("An MFA code is 6 digits; this has {} characters.", value.chars().count()),
            "Type the code your authenticator app or key shows now.",
        ))
    }
}

pub fn mfa_serial(value: &str) -> Result<(), FieldError> {
    let field = "mfaSerial";
    let hint = "Copy the device's identifier from IAM → Users → Security credentials, e.g. arn:aws:iam::123456789012:mfa/alice.";
    let value = value.trim();
    if let Some(rest) = value.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        let [partition, service, region, account, resource] = parts.as_slice() else {
            return Err(FieldError::new(field, format!("\"{value}\" is not a complete ARN."), hint));
        };
        if !matches!(*partition, "aws" | "aws-us-gov" | "aws-cn") || *service != "iam" || !region.is_empty() {
            return Err(FieldError::new(field, format!("\"{value}\" is not an IAM MFA device ARN."), hint));
        }
        identifiers::account_id(field, account)?;
        match resource.strip_prefix("mfa/") {
            Some(name) if !name.is_empty() => Ok(()),
            _ => Err(FieldError::new(field, format!("\"{value}\" does not name an MFA device (the part after the account must be mfa/<device-name>)."), hint)),
        }
    } else if (9..=256).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // Hardware tokens are identified by their serial number.
        Ok(())
    } else {
        Err(FieldError::new(field, format!("\"{value}\" is neither an MFA device ARN nor a hardware token serial."), hint))
    }
}

/// A profile name as it appears in `[profile NAME]`.
pub fn profile_name(value: &str) -> Result<(), FieldError> {
    if value.trim().is_empty() || value.chars().any(|c| c.is_whitespace() || c == ']' || c == '[') {
        return Err(FieldError::new("profile", format!("\"{value}\" is not a valid profile name."), "Use a name from `aws configure list-profiles`."));
    }
    Ok(())
}

/// Every check on a key pair to store, all failures at once.
pub fn keychain_entry(entry: &KeychainEntry) -> Result<(), Vec<FieldError>> {
    collect([
        entry_name(&entry.name),
        access_key_id(&entry.access_key_id),
        secret_access_key(&entry.secret_access_key),
        entry.region.as_deref().filter(|r| !r.is_empty()).map_or(Ok(()), |r| identifiers::region("region", r)),
        entry.mfa_serial.as_deref().filter(|m| !m.is_empty()).map_or(Ok(()), mfa_serial),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    fn entry() -> KeychainEntry {
        KeychainEntry {
            name: "prod-admin".into(),
            access_key_id: KEY_ID.into(),
            secret_access_key: SECRET.into(),
            region: Some("eu-west-1".into()),
            mfa_serial: Some("arn:aws:iam::123456789012:mfa/alice".into()),
        }
    }

    #[test]
    fn a_well_formed_entry_passes() {
        assert_eq!(keychain_entry(&entry()), Ok(()));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad =
            KeychainEntry { name: String::new(), access_key_id: "akia".into(), secret_access_key: "short".into(), region: Some("Ireland".into()), mfa_serial: Some("bob".into()) };
        let fields: Vec<String> = keychain_entry(&bad).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "accessKeyId", "secretAccessKey", "region", "mfaSerial"]);
    }

    #[test]
    fn bad_key_ids_say_what_is_wrong() {
        let cases = [
            ("", "empty"),
            ("ASIAIOSFODNN7EXAMPLE", "temporary key"),
            ("AKIAIOSFODNN7EXAMPL", "has 19 characters"),
            ("akiaiosfodnn7example", "must be 20 upper-case"),
            (SECRET, "has 40 characters"),
        ];
        for (input, expected) in cases {
            let err = access_key_id(input).unwrap_err();
            assert!(err.message.contains(expected), "{input:?} gave {:?}", err.message);
        }
    }

    #[test]
    fn a_bad_secret_is_never_echoed() {
        let almost = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE!";
        let err = secret_access_key(almost).unwrap_err();
        assert!(!err.message.contains(almost) && !err.hint.contains(almost));
        assert!(err.message.contains("it has 40"), "{err:?}");
        assert!(secret_access_key(&format!("{SECRET}\n")).unwrap_err().message.contains("line break"));
        assert!(secret_access_key(KEY_ID).unwrap_err().hint.contains("not the access key id"));
    }

    #[test]
    fn entry_names_are_labels() {
        assert!(entry_name("prod admin_2.x-y").is_ok());
        assert!(entry_name("").unwrap_err().message.contains("Give this key pair a name"));
        assert!(entry_name("a/b").unwrap_err().message.contains("\"/\""));
        assert!(entry_name(&"x".repeat(65)).unwrap_err().message.contains("64"));
        assert!(entry_name(" lead").unwrap_err().message.contains("space"));
    }

    #[test]
    fn mfa_devices_are_iam_arns_or_serials() {
        assert!(mfa_serial("arn:aws:iam::123456789012:mfa/alice").is_ok());
        assert!(mfa_serial("GAHT12345678").is_ok());
        assert!(mfa_serial("arn:aws:iam::12345:mfa/alice").unwrap_err().message.contains("12 digits"));
        assert!(mfa_serial("arn:aws:sts::123456789012:mfa/alice").unwrap_err().message.contains("not an IAM MFA"));
        assert!(mfa_serial("arn:aws:iam::123456789012:user/alice").unwrap_err().message.contains("mfa/<device-name>"));
        assert!(mfa_serial("arn:aws:iam").unwrap_err().message.contains("not a complete ARN"));
    }
}
