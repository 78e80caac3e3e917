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

/// A member account's name: 1 to 50 printable ASCII characters (Organizations' rule,
/// docs/aws-rules.md R18).
pub fn account_name(field: &str, value: &str) -> Result<(), FieldError> {
    let count = value.chars().count();
    if (1..=50).contains(&count) && value.chars().all(|c| (' '..='~').contains(&c)) && !value.trim().is_empty() {
        return Ok(());
    }
    Err(FieldError::new(
        field,
        format!("\"{value}\" is not an account name Organizations accepts: 1 to 50 printable ASCII characters."),
        "Name the account after the vendor, e.g. \"Datafold\".",
    ))
}

/// An account owner's email: 6 to 64 characters of 7-bit ASCII, one `@`, a local part without
/// `" ' ( ) < > [ ] : ; , \ | % &` or a leading dot, a domain with a dot (Organizations' rule,
/// docs/aws-rules.md R18.1).
pub fn account_email(field: &str, value: &str) -> Result<(), FieldError> {
    let count = value.chars().count();
    let shaped = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !local.starts_with('.')
                && !local.chars().any(|c| "\"'()<>[]:;,\\|%&".contains(c))
                && !domain.contains('@')
                && domain.split_once('.').is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty() && !tld.starts_with('.') && !domain.ends_with('.'))
        }
        None => false,
    };
    if (6..=64).contains(&count) && shaped && value.is_ascii() && !value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Ok(());
    }
    Err(FieldError::new(
        field,
        format!("\"{value}\" is not an email address Organizations accepts (6 to 64 characters, name@domain.tld)."),
        "Use a mailbox your team reads; every AWS account needs its own.",
    ))
}

/// An organizational unit id (`ou-` + 4–32 + `-` + 8–32 lowercase letters or digits) or a root
/// id (`r-` + 4–32), Organizations' patterns.
pub fn organizational_unit(field: &str, value: &str) -> Result<(), FieldError> {
    let part = |p: &str, range: std::ops::RangeInclusive<usize>| range.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let shaped = match (value.strip_prefix("ou-"), value.strip_prefix("r-")) {
        (Some(rest), _) => rest.split_once('-').is_some_and(|(root, unit)| part(root, 4..=32) && part(unit, 8..=32)),
        (_, Some(root)) => part(root, 4..=32),
        _ => false,
    };
    if shaped {
        return Ok(());
    }
    Err(FieldError::new(
        field,
        format!("\"{value}\" is not an organizational unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)."),
        "Copy the id from AWS Organizations → AWS accounts, not the unit's name.",
    ))
}

/// An EC2 id of the given kind: `prefix-` and 8 or 17 lowercase hex digits (`vpc-0a1b2c3d`).
pub fn ec2_id(field: &str, value: &str, prefix: &str, what: &str) -> Result<(), FieldError> {
    let hex = value.strip_prefix(prefix).and_then(|rest| rest.strip_prefix('-'));
    if hex.is_some_and(|h| matches!(h.len(), 8 | 17) && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))) {
        return Ok(());
    }
    Err(FieldError::new(
        field,
        format!("\"{value}\" is not {what} id ({prefix}- and 8 or 17 hex digits)."),
        format!("Copy the {what} id as the AWS console shows it, like {prefix}-0a1b2c3d4e5f60718."),
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
    fn ec2_ids_have_their_prefix_and_8_or_17_hex_digits() {
        assert!(ec2_id("f", "vpc-0a1b2c3d", "vpc", "a VPC").is_ok());
        assert!(ec2_id("f", "pcx-0a1b2c3d4e5f60718", "pcx", "a peering connection").is_ok());
        for bad in ["vpc-0A1B2C3D", "vpc-0a1b2c", "pcx-0a1b2c3d", "vpc0a1b2c3d", "vpc-0a1b2c3g"] {
            assert!(ec2_id("f", bad, "vpc", "a VPC").is_err(), "{bad}");
        }
    }

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

    #[test]
    fn new_accounts_follow_organizations_input_rules() {
        assert!(account_name("n", "Datafold").is_ok());
        assert!(account_name("n", "").is_err());
        assert!(account_name("n", "   ").is_err());
        assert!(account_name("n", &"x".repeat(51)).is_err());
        assert!(account_name("n", "Datafold\u{e9}").is_err(), "printable ASCII only");
        assert!(account_email("e", "aws+datafold@example.com").is_ok());
        for bad in [
            "a@b.c",
            "datafold.example.com",
            ".aws@example.com",
            "aws(x)@example.com",
            "aws%x@example.com",
            "aws\u{e9}@example.com",
            "a b@example.com",
            "a@@example.com",
            "a@example",
            "a@example.",
            &format!("{}@example.com", "x".repeat(60)),
        ] {
            assert!(account_email("e", bad).is_err(), "{bad} accepted");
        }
        assert!(organizational_unit("o", "ou-ab12-cdef3456").is_ok());
        assert!(organizational_unit("o", "r-ab12").is_ok());
        for bad in ["Workloads", "ou-ab12", "ou-AB12-cdef3456", "r-a", "ou-ab12-cdef"] {
            assert!(organizational_unit("o", bad).is_err(), "{bad} accepted");
        }
    }
}
