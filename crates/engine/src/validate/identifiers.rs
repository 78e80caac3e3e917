use super::FieldError;

/// A 12-digit AWS account id.
pub fn account_id(field: &str, value: &str) -> Result<(), FieldError> {
    let value = value.trim();
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    Err(FieldError::new(
        field,
        format!("\"{value}\" is not an AWS account id: it must be exactly 12 digits (it has {} characters, {digits} of them digits).", value.chars().count()),
        "Copy the account id from the AWS console's account menu or from `aws sts get-caller-identity`; keep leading zeros.",
    ))
}

/// An `sts:ExternalId`: 2 to 1224 characters of letters, digits and `+=,.@:/-_` (IAM's rule).
pub fn external_id(field: &str, value: &str) -> Result<(), FieldError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "+=,.@:/-_".contains(c);
    let count = value.chars().count();
    if (2..=1224).contains(&count) && value.chars().all(ok_char) {
        return Ok(());
    }
    let message = if !(2..=1224).contains(&count) {
        format!("An ExternalId has 2 to 1224 characters; this one has {count}.")
    } else {
        "An ExternalId may only hold letters, digits and + = , . @ : / - _.".to_owned()
    };
    Err(FieldError::new(field, message, "Copy the ExternalId exactly as the vendor issued it to you."))
}

/// An IAM role name: 1 to 64 of letters, digits and `+=,.@_-` (IAM's rule; no path).
pub fn role_name(field: &str, value: &str) -> Result<(), FieldError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
    let count = value.chars().count();
    if (1..=64).contains(&count) && value.chars().all(ok_char) {
        return Ok(());
    }
    Err(FieldError::new(
        field,
        format!("\"{value}\" is not an IAM role name: 1 to 64 letters, digits and + = , . @ _ -."),
        "Give the role's name only (OrganizationAccountAccessRole), not its ARN or path.",
    ))
}

/// A region code such as `us-east-1` or `ap-southeast-2` (shape only: new regions appear).
pub fn region(field: &str, value: &str) -> Result<(), FieldError> {
    let parts: Vec<&str> = value.split('-').collect();
    let shaped = parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().take(parts.len() - 1).all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts.last().is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if shaped {
        Ok(())
    } else {
        Err(FieldError::new(field, format!("\"{value}\" is not an AWS region code."), "Use a region code such as us-east-1 or eu-west-2, not a display name like \"N. Virginia\"."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_follow_iam() {
        assert!(role_name("accessRole", "OrganizationAccountAccessRole").is_ok());
        assert!(role_name("accessRole", "ops+read=1,a.b@c_d-e").is_ok());
        assert!(role_name("accessRole", "").is_err());
        assert!(role_name("accessRole", "arn:aws:iam::123456789012:role/X").is_err());
        assert!(role_name("accessRole", &"r".repeat(65)).is_err());
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(account_id("account", "710753145501").is_ok());
        assert!(account_id("account", "012345678901").is_ok());
        let short = account_id("account", "71075314550").unwrap_err();
        assert!(short.message.contains("exactly 12 digits"), "{short:?}");
        assert!(account_id("account", "7107-5314-5501").is_err());
        assert!(account_id("account", "").is_err());
    }

    #[test]
    fn regions_are_codes_not_names() {
        for ok in ["us-east-1", "eu-west-2", "ap-southeast-2", "us-gov-west-1"] {
            assert!(region("region", ok).is_ok(), "{ok}");
        }
        for bad in ["", "us-east", "US-EAST-1", "N. Virginia", "us-east-1a", "useast1"] {
            let err = region("region", bad).unwrap_err();
            assert!(err.hint.contains("us-east-1"), "{bad}: {err:?}");
        }
    }
}
