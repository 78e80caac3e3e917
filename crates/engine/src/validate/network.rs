use std::net::Ipv4Addr;

use super::{identifiers, FieldError};

/// An IPv4 CIDR block, as AWS security groups take it: the address must be the network
/// address of its prefix (AWS refuses `10.0.0.5/24`). `0.0.0.0/0` (the whole internet) is
/// refused unless `allow_everyone` says the admin confirmed it.
pub fn cidr(field: &str, value: &str, allow_everyone: bool) -> Result<(Ipv4Addr, u8), FieldError> {
    let hint = "Write an IPv4 range like 203.0.113.0/24, or a single address as 203.0.113.7/32.";
    let value = value.trim();
    let (address, prefix) = value.split_once('/').ok_or_else(|| FieldError::new(field, format!("\"{value}\" has no prefix length (the /NN part)."), hint))?;
    let address: Ipv4Addr = address.parse().map_err(|_| FieldError::new(field, format!("\"{address}\" in \"{value}\" is not an IPv4 address."), hint))?;
    let prefix: u8 =
        prefix.parse().ok().filter(|p| *p <= 32).ok_or_else(|| FieldError::new(field, format!("\"/{prefix}\" in \"{value}\" is not a prefix length from /0 to /32."), hint))?;
    let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
    let network = Ipv4Addr::from(u32::from(address) & mask);
    if network != address {
        return Err(FieldError::new(
            field,
            format!("\"{value}\" has host bits set: the network address of that range is {network}/{prefix}."),
            format!("Use {network}/{prefix}, or {address}/32 for that single address."),
        ));
    }
    if prefix == 0 && !allow_everyone {
        return Err(FieldError::new(
            field,
            "0.0.0.0/0 opens the database port to the whole internet.",
            "Use the vendor's published addresses instead; if you really mean everyone, confirm it explicitly.",
        ));
    }
    Ok((network, prefix))
}

/// Whether two CIDR blocks share any address.
pub fn overlaps(a: (Ipv4Addr, u8), b: (Ipv4Addr, u8)) -> bool {
    let shorter = a.1.min(b.1);
    let mask = if shorter == 0 { 0 } else { u32::MAX << (32 - shorter) };
    u32::from(a.0) & mask == u32::from(b.0) & mask
}

/// A TCP port for a database listener.
pub fn port(field: &str, value: i64) -> Result<u16, FieldError> {
    u16::try_from(value).ok().filter(|p| *p > 0).ok_or_else(|| {
        FieldError::new(field, format!("{value} is not a TCP port: ports run from 1 to 65535."), "Use the database's port as RDS shows it (5432 for PostgreSQL, 3306 for MySQL).")
    })
}

/// An ARN's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// Any ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
pub fn arn<'a>(field: &str, value: &'a str) -> Result<Arn<'a>, FieldError> {
    let hint = "An ARN looks like arn:aws:iam::123456789012:role/name; copy it from the AWS console.";
    let parts: Vec<&str> = value.trim().splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts.as_slice() else {
        return Err(FieldError::new(field, format!("\"{value}\" is not an ARN: it needs six parts separated by colons."), hint));
    };
    if *prefix != "arn" {
        return Err(FieldError::new(field, format!("\"{value}\" is not an ARN: it must start with \"arn:\"."), hint));
    }
    if !matches!(*partition, "aws" | "aws-cn" | "aws-us-gov" | "aws-iso" | "aws-iso-b") {
        return Err(FieldError::new(field, format!("\"{partition}\" in \"{value}\" is not an AWS partition."), "Commercial AWS ARNs start with arn:aws:."));
    }
    if service.is_empty() || !service.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(FieldError::new(field, format!("\"{value}\" has no valid service name."), hint));
    }
    // "aws" stands in the account position of AWS-managed policies.
    if !account.is_empty() && *account != "aws" {
        identifiers::account_id(field, account)?;
    }
    if resource.is_empty() {
        return Err(FieldError::new(field, format!("\"{value}\" names no resource after the account."), hint));
    }
    Ok(Arn { partition, service, region, account, resource })
}

/// An allowed principal for an endpoint service or a role trust: an account root, an IAM
/// role or an IAM user. Never `*`: that would let every AWS account in.
pub fn principal(field: &str, value: &str) -> Result<(), FieldError> {
    let hint = "Use the ARN the vendor gave you, e.g. arn:aws:iam::710753145501:root or arn:aws:iam::710753145501:role/vendor.";
    if value.trim() == "*" || value.contains('*') {
        return Err(FieldError::new(field, "A wildcard principal would let every AWS account connect.", hint));
    }
    let parsed = arn(field, value)?;
    if parsed.service != "iam" || !parsed.region.is_empty() || parsed.account.len() != 12 {
        return Err(FieldError::new(field, format!("\"{value}\" is not an IAM principal (account root, role or user)."), hint));
    }
    let kind = parsed.resource.split('/').next().unwrap_or_default();
    if parsed.resource == "root" || (matches!(kind, "role" | "user") && parsed.resource.len() > kind.len() + 1) {
        Ok(())
    } else {
        Err(FieldError::new(field, format!("\"{value}\" names neither an account root, a role nor a user."), hint))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_cidrs_parse_to_their_network() {
        assert_eq!(cidr("ip", "23.23.71.47/32", false), Ok((Ipv4Addr::new(23, 23, 71, 47), 32)));
        assert_eq!(cidr("ip", " 10.20.0.0/16 ", false), Ok((Ipv4Addr::new(10, 20, 0, 0), 16)));
        assert_eq!(cidr("ip", "0.0.0.0/0", true), Ok((Ipv4Addr::UNSPECIFIED, 0)));
    }

    #[test]
    fn overlapping_ranges_are_found() {
        let net = |s: &str| cidr("ip", s, true).expect("cidr");
        assert!(overlaps(net("10.0.0.0/16"), net("10.0.5.0/24")));
        assert!(overlaps(net("10.0.5.0/24"), net("10.0.0.0/16")));
        assert!(!overlaps(net("10.0.0.0/16"), net("10.1.0.0/16")));
        assert!(overlaps(net("0.0.0.0/0"), net("192.168.1.1/32")));
    }

    #[test]
    fn principals_are_iam_roots_roles_or_users() {
        for ok in ["arn:aws:iam::710753145501:root", "arn:aws:iam::710753145501:role/datafold", "arn:aws:iam::710753145501:user/deploy", "arn:aws:iam::710753145501:role/path/to/r"]
        {
            assert_eq!(principal("p", ok), Ok(()), "{ok}");
        }
    }
}
