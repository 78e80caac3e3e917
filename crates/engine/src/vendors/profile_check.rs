use crate::validate::{self, FieldError};
use vendorlink_model::VendorProfile;

/// IAM's limit on a role's inline policies, in characters.
const INLINE_POLICY_LIMIT: usize = 10_240;

/// Every check on a vendor profile; all failures at once, each naming its field.
pub fn check(profile: &VendorProfile) -> Result<(), Vec<FieldError>> {
    check_ranges(profile, false)
}

/// [`check`], with `0.0.0.0/0` in `ipRanges` accepted when the admin confirmed it.
pub fn check_ranges(profile: &VendorProfile, allow_everyone: bool) -> Result<(), Vec<FieldError>> {
    let mut checks = vec![id(&profile.id), name(&profile.name)];
    if let Some(account) = &profile.account_id {
        checks.push(validate::account_id("accountId", account));
    }
    if let Some(external_id) = &profile.external_id {
        checks.push(validate::external_id("externalId", external_id));
    }
    for (i, principal) in profile.principals.iter().enumerate() {
        let field = format!("principals[{i}]");
        checks.push(validate::principal(&field, principal).and_then(|()| same_account(&field, principal, profile.account_id.as_deref())));
    }
    let mut ranges = Vec::new();
    for (i, range) in profile.ip_ranges.iter().enumerate() {
        let field = format!("ipRanges[{i}]");
        match validate::cidr(&field, range, allow_everyone) {
            Ok(net) => match ranges.iter().position(|other| validate::overlaps(*other, net)) {
                Some(j) => checks.push(Err(FieldError::new(&field, format!("{range} overlaps ipRanges[{j}] ({}).", profile.ip_ranges[j]), "Keep one of the two ranges."))),
                None => ranges.push(net),
            },
            Err(err) => checks.push(Err(err)),
        }
    }
    for (i, region) in profile.regions.iter().enumerate() {
        checks.push(validate::region(&format!("regions[{i}]"), region));
    }
    for (i, az) in profile.az_ids.iter().enumerate() {
        checks.push(az_id(&format!("azIds[{i}]"), az));
    }
    for (i, arn) in profile.permissions.managed_policy_arns.iter().enumerate() {
        checks.push(policy_arn(&format!("permissions.managedPolicyArns[{i}]"), arn));
    }
    if let Some(policy) = &profile.permissions.inline_policy {
        checks.push(policy_document("permissions.inlinePolicy", policy));
    }
    validate::collect(checks)
}

fn id(value: &str) -> Result<(), FieldError> {
    let ok =
        (1..=32).contains(&value.len()) && value.starts_with(|c: char| c.is_ascii_lowercase()) && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "id",
            format!("\"{value}\" is not a vendor id: use 1 to 32 lowercase letters, digits or dashes, starting with a letter."),
            "The id goes into resource names and tags, e.g. \"datafold\".",
        ))
    }
}

fn name(value: &str) -> Result<(), FieldError> {
    if value.trim().is_empty() || value.chars().count() > 64 {
        Err(FieldError::new("name", "The vendor name must be 1 to 64 characters.", "Use the vendor's product name, e.g. \"Datafold\"."))
    } else {
        Ok(())
    }
}

fn same_account(field: &str, principal: &str, account: Option<&str>) -> Result<(), FieldError> {
    let principal_account = principal.split(':').nth(4).unwrap_or_default();
    match account {
        Some(account) if account != principal_account => Err(FieldError::new(
            field,
            format!("{principal} belongs to account {principal_account}, not to the vendor's account {account}."),
            "Check both with the vendor: a principal from another account would get the access.",
        )),
        _ => Ok(()),
    }
}

/// `use1-az6`, `usw2-az3`, `apse2-az1`: a region code without dashes, then `-az` and a number.
fn az_id(field: &str, value: &str) -> Result<(), FieldError> {
    let ok = value.split_once("-az").is_some_and(|(region, number)| {
        let letters = region.trim_end_matches(|c: char| c.is_ascii_digit());
        (2..=5).contains(&letters.len())
            && letters.bytes().all(|b| b.is_ascii_lowercase())
            && letters.len() < region.len()
            && !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("\"{value}\" is not an availability-zone ID."),
            "AZ IDs look like use1-az6; names like us-east-1a differ between accounts, so vendors give IDs.",
        ))
    }
}

fn policy_arn(field: &str, value: &str) -> Result<(), FieldError> {
    let arn = validate::arn(field, value)?;
    if arn.service == "iam" && arn.resource.starts_with("policy/") && (arn.account == "aws" || arn.account.len() == 12) {
        Ok(())
    } else {
        Err(FieldError::new(field, format!("\"{value}\" is not an IAM policy ARN."), "Managed policies look like arn:aws:iam::aws:policy/PowerUserAccess."))
    }
}

fn policy_document(field: &str, text: &str) -> Result<(), FieldError> {
    let hint = "Paste the vendor's IAM policy document: {\"Version\": \"2012-10-17\", \"Statement\": [...]}.";
    if text.len() > INLINE_POLICY_LIMIT {
        return Err(FieldError::new(
            field,
            format!("The policy is {} characters; IAM allows {INLINE_POLICY_LIMIT} for a role's inline policies.", text.len()),
            "Attach it as a managed policy instead, or ask the vendor for a shorter one.",
        ));
    }
    let document: serde_json::Value = serde_json::from_str(text).map_err(|e| FieldError::new(field, format!("The policy is not valid JSON: {e}."), hint))?;
    if document["Version"] != "2012-10-17" {
        return Err(FieldError::new(field, "The policy's Version must be \"2012-10-17\".", hint));
    }
    let statements = match &document["Statement"] {
        serde_json::Value::Array(items) if !items.is_empty() => items.clone(),
        serde_json::Value::Object(_) => vec![document["Statement"].clone()],
        _ => return Err(FieldError::new(field, "The policy has no Statement.", hint)),
    };
    for (i, statement) in statements.iter().enumerate() {
        if !matches!(statement["Effect"].as_str(), Some("Allow" | "Deny")) {
            return Err(FieldError::new(field, format!("Statement {i} has no Effect of Allow or Deny."), hint));
        }
        if statement.get("Action").is_none() && statement.get("NotAction").is_none() {
            return Err(FieldError::new(field, format!("Statement {i} names no Action."), hint));
        }
        if statement.get("Principal").is_some() {
            return Err(FieldError::new(field, format!("Statement {i} has a Principal: that belongs in a trust or resource policy, not in the role's permissions."), hint));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::{parse, presets};

    fn base() -> VendorProfile {
        presets().into_iter().next().expect("datafold preset")
    }

    /// Each bad profile, the field it names, and the start of the message it gets.
    #[test]
    fn bad_profiles_name_the_field_and_the_reason() {
        type Edit = fn(&mut VendorProfile);
        let cases: Vec<(Edit, &str, &str)> = vec![
            (|p| p.id = "".into(), "id", "\"\" is not a vendor id"),
            (|p| p.id = "Datafold".into(), "id", "\"Datafold\" is not a vendor id"),
            (|p| p.id = "9lives".into(), "id", "\"9lives\" is not a vendor id"),
            (|p| p.id = "data_fold".into(), "id", "\"data_fold\" is not a vendor id"),
            (|p| p.name = "  ".into(), "name", "The vendor name must be 1 to 64 characters."),
            (|p| p.account_id = Some("71075314550".into()), "accountId", "\"71075314550\" is not an AWS account id"),
            (|p| p.account_id = Some("7107531455O1".into()), "accountId", "\"7107531455O1\" is not an AWS account id"),
            (|p| p.principals = vec!["*".into()], "principals[0]", "A wildcard principal would let every AWS account connect."),
            (|p| p.principals = vec!["arn:aws:iam::710753145501:*".into()], "principals[0]", "A wildcard principal"),
            (|p| p.principals = vec!["710753145501".into()], "principals[0]", "\"710753145501\" is not an ARN"),
            (|p| p.principals = vec!["arn:aws:s3:::bucket".into()], "principals[0]", "\"arn:aws:s3:::bucket\" is not an IAM principal"),
            (|p| p.principals = vec!["arn:aws:iam::710753145501:group/admins".into()], "principals[0]", "\"arn:aws:iam::710753145501:group/admins\" names neither"),
            (|p| p.principals = vec!["arn:aws:iam::710753145501:role/".into()], "principals[0]", "\"arn:aws:iam::710753145501:role/\" names neither"),
            (
                |p| p.principals = vec!["arn:aws:iam::123456789012:root".into()],
                "principals[0]",
                "arn:aws:iam::123456789012:root belongs to account 123456789012, not to the vendor's account 710753145501.",
            ),
            (|p| p.principals = vec!["arn:azure:iam::710753145501:root".into()], "principals[0]", "\"azure\" in \"arn:azure:iam::710753145501:root\" is not an AWS partition."),
            (|p| p.ip_ranges = vec!["0.0.0.0/0".into()], "ipRanges[0]", "0.0.0.0/0 opens the database port to the whole internet."),
            (|p| p.ip_ranges = vec!["23.23.71.47".into()], "ipRanges[0]", "\"23.23.71.47\" has no prefix length"),
            (|p| p.ip_ranges = vec!["23.23.71.0/33".into()], "ipRanges[0]", "\"/33\" in \"23.23.71.0/33\" is not a prefix length"),
            (|p| p.ip_ranges = vec!["23.23.71.47/24".into()], "ipRanges[0]", "\"23.23.71.47/24\" has host bits set: the network address of that range is 23.23.71.0/24."),
            (|p| p.ip_ranges = vec!["300.1.1.1/32".into()], "ipRanges[0]", "\"300.1.1.1\" in \"300.1.1.1/32\" is not an IPv4 address."),
            (|p| p.ip_ranges = vec!["10.0.0.0/16".into(), "10.0.4.0/24".into()], "ipRanges[1]", "10.0.4.0/24 overlaps ipRanges[0] (10.0.0.0/16)."),
            (|p| p.ip_ranges = vec!["54.71.177.163/32".into(), "54.71.177.163/32".into()], "ipRanges[1]", "54.71.177.163/32 overlaps ipRanges[0]"),
            (|p| p.regions = vec!["Oregon".into()], "regions[0]", "\"Oregon\" is not an AWS region code."),
            (|p| p.regions = vec!["us-west-2a".into()], "regions[0]", "\"us-west-2a\" is not an AWS region code."),
            (|p| p.az_ids = vec!["us-east-1a".into()], "azIds[0]", "\"us-east-1a\" is not an availability-zone ID."),
            (|p| p.az_ids = vec!["use1-az".into()], "azIds[0]", "\"use1-az\" is not an availability-zone ID."),
            (|p| p.permissions.managed_policy_arns = vec!["PowerUserAccess".into()], "permissions.managedPolicyArns[0]", "\"PowerUserAccess\" is not an ARN"),
            (
                |p| p.permissions.managed_policy_arns = vec!["arn:aws:iam::aws:role/PowerUserAccess".into()],
                "permissions.managedPolicyArns[0]",
                "\"arn:aws:iam::aws:role/PowerUserAccess\" is not an IAM policy ARN.",
            ),
            (|p| p.permissions.inline_policy = Some("{not json".into()), "permissions.inlinePolicy", "The policy is not valid JSON"),
            (
                |p| p.permissions.inline_policy = Some(r#"{"Version":"2008-10-17","Statement":[]}"#.into()),
                "permissions.inlinePolicy",
                "The policy's Version must be \"2012-10-17\".",
            ),
            (|p| p.permissions.inline_policy = Some(r#"{"Version":"2012-10-17","Statement":[]}"#.into()), "permissions.inlinePolicy", "The policy has no Statement."),
            (
                |p| p.permissions.inline_policy = Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*"}]}"#.into()),
                "permissions.inlinePolicy",
                "Statement 0 has no Effect of Allow or Deny.",
            ),
            (
                |p| p.permissions.inline_policy = Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}"#.into()),
                "permissions.inlinePolicy",
                "Statement 0 names no Action.",
            ),
            (
                |p| p.permissions.inline_policy = Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Principal":"*"}]}"#.into()),
                "permissions.inlinePolicy",
                "Statement 0 has a Principal",
            ),
            (
                |p| {
                    p.permissions.inline_policy = Some(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["{}"]}}]}}"#, "s3:GetObject\",\"".repeat(800)))
                },
                "permissions.inlinePolicy",
                "The policy is ",
            ),
        ];
        for (edit, field, expected) in &cases {
            let mut profile = base();
            edit(&mut profile);
            let errors = check(&profile).expect_err(expected);
            let error = errors.iter().find(|e| e.field == *field).unwrap_or_else(|| panic!("no error on {field} for {expected:?}: {errors:?}"));
            assert!(error.message.starts_with(expected), "{field}: expected {expected:?}, got {:?}", error.message);
            assert!(!error.hint.is_empty(), "{field} has no hint");
        }
    }

    #[test]
    fn a_profile_file_is_read_from_toml_or_json() {
        let toml = r#"
            id = "acme"
            name = "Acme Analytics"
            accountId = "111122223333"
            principals = ["arn:aws:iam::111122223333:role/acme-connector"]
            ipRanges = ["198.51.100.0/28"]
            azIds = ["use1-az6", "use1-az4"]
            [permissions]
            managedPolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        "#;
        let profile = parse(toml, "toml").expect("valid toml profile");
        assert_eq!(profile.account_id.as_deref(), Some("111122223333"));
        assert!(profile.require_mfa && profile.require_external_id, "MFA and ExternalId default to on");
        let json = serde_json::to_string(&profile).expect("json");
        assert_eq!(parse(&json, "json").expect("valid json profile"), profile);
    }

    #[test]
    fn a_bad_profile_file_says_which_field() {
        let unknown = parse(r#"{"id":"x","name":"X","ipRange":["1.2.3.4/32"]}"#, "json").expect_err("unknown field");
        assert!(unknown[0].message.contains("unknown field `ipRange`"), "{unknown:?}");
        let bad_range = parse("id = \"x\"\nname = \"X\"\nipRanges = [\"1.2.3.4/16\"]\n", "toml").expect_err("bad range");
        assert_eq!(bad_range[0].field, "ipRanges[0]");
        assert!(parse("", "yaml").expect_err("yaml")[0].message.contains("are .json or .toml"));
    }
}
