//! The SSH-bastion part of a plan (docs/aws-rules.md R20). Either the admin's own host, whose
//! security group the database's group then admits on the database port only; or a host
//! launched for the grant: its own group admitting port 22 from the vendor's published ranges
//! only, the smallest current instance type the subnet's zone offers, the latest Amazon Linux,
//! IMDSv2 only, no instance role, and the vendor's key for a user that may only forward to the
//! database's address and port. Pure: everything refused here is refused before any call.

use crate::plan_context::PlanContext;
use crate::validate::{self, FieldError};
use vendorlink_model::{Action, Database, ExistingBastion, GrantRequest, IngressSource, Part, Ref, Step, StepId};

/// The smallest current-generation types, Graviton first (R20).
pub const INSTANCE_TYPES: [&str; 2] = ["t4g.nano", "t3.nano"];
/// AWS's public parameters naming the latest Amazon Linux 2023 image, per architecture.
const IMAGE_ARM: &str = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
const IMAGE_X86: &str = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
/// EC2's limit on user data before encoding (R20).
const USER_DATA_BYTES: usize = 16 * 1024;
const SSH_PORT: u16 = 22;

/// The part's steps, or every reason it cannot be planned.
pub fn steps(request: &GrantRequest, ctx: &PlanContext, db: &Database, long_name: &str) -> Result<Vec<Step>, Vec<FieldError>> {
    let given = request.bastion.clone().unwrap_or_default();
    let db_group = db.security_group_ids.first().cloned().unwrap_or_default();
    let vendor = &request.vendor.name;
    let step = |id: StepId, summary: String, action: Action| Step { id, part: Part::SshBastion, summary, action, after: Vec::new() };
    let db_rule = |from: Ref, what: &str| {
        step(
            StepId::DbRuleFromBastion,
            format!("Let {what} reach {} on port {} only (rule on {db_group})", db.id, db.port),
            Action::AuthorizeIngress {
                group: Ref::Existing { id: db_group.clone() },
                port: db.port,
                sources: vec![IngressSource::Group { group: from }],
                description: format!("VendorLink {} {}: from the SSH bastion", ctx.grant_id, request.vendor.id),
            },
        )
    };
    if let Some(existing) = &given.existing {
        existing_errors(ctx, db, existing)?;
        return Ok(vec![db_rule(Ref::Existing { id: existing.security_group_id.clone() }, &format!("your bastion {} (group {})", existing.host, existing.security_group_id))]);
    }
    let mut errors = Vec::new();
    let key = match given.public_key.as_deref() {
        Some(line) => validate::ssh_public_key("bastion.publicKey", line).map_err(|e| errors.push(e)).ok(),
        None => {
            errors.push(FieldError::new(
                "bastion.publicKey",
                format!("A bastion launched for {vendor} needs {vendor}'s SSH public key."),
                format!("Ask {vendor} for the public key its tunnel uses (one line, like ssh-ed25519 AAAA… name), or give your own bastion host instead."),
            ));
            None
        }
    };
    if request.vendor.ip_ranges.is_empty() {
        errors.push(FieldError::new(
            "vendor.ipRanges",
            format!("{vendor} lists no addresses: the bastion admits SSH from the vendor's published addresses only."),
            "Add the vendor's published IP ranges to the profile.",
        ));
    }
    let subnet = match launch_subnet(ctx, db, given.subnet_id.as_deref()) {
        Ok(found) => Some(found),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(key), Some((subnet_id, instance_type))) = (key, subnet) else { return Err(errors) };
    let image_parameter = if instance_type.starts_with("t4g") { IMAGE_ARM } else { IMAGE_X86 };
    let user = user_name(&request.vendor.id);
    let user_data = user_data(&user, &key.line(), &db.endpoint, db.port);
    if user_data.len() > USER_DATA_BYTES {
        return Err(vec![FieldError::new("bastion.publicKey", "The key makes the instance's set-up longer than EC2's 16 KB of user data.", "Use a shorter key (ssh-ed25519).")]);
    }
    let from_group = || Ref::Step { step: StepId::BastionSecurityGroup };
    Ok(vec![
        step(
            StepId::BastionSecurityGroup,
            format!("Security group {long_name}-bastion for the bastion, in {}", db.vpc_id),
            Action::CreateSecurityGroup { name: format!("{long_name}-bastion"), description: format!("VendorLink {}: SSH bastion for {vendor}", ctx.grant_id), vpc_id: db.vpc_id.clone() },
        ),
        step(
            StepId::BastionSsh,
            format!("Admit SSH (port 22) to the bastion from {vendor}'s addresses {} only", request.vendor.ip_ranges.join(", ")),
            Action::AuthorizeIngress {
                group: from_group(),
                port: SSH_PORT,
                sources: request.vendor.ip_ranges.iter().map(|c| IngressSource::Cidr { cidr: c.trim().to_owned() }).collect(),
                description: format!("VendorLink {} {}: SSH from the vendor", ctx.grant_id, request.vendor.id),
            },
        ),
        step(
            StepId::Bastion,
            format!(
                "Launch a {instance_type} bastion in {subnet_id} (latest Amazon Linux 2023, IMDSv2 only, no instance role, a public address) with {vendor}'s {} key ({}) for user {user}, who may only forward to {}:{}; wait until it runs",
                key.kind,
                key.fingerprint(),
                db.endpoint,
                db.port
            ),
            Action::LaunchBastion { subnet_id, security_group: from_group(), instance_type, image_parameter: image_parameter.into(), user: user.clone(), user_data },
        ),
        db_rule(from_group(), "the bastion's group"),
    ])
}

fn existing_errors(ctx: &PlanContext, db: &Database, existing: &ExistingBastion) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let host = existing.host.trim();
    if host.is_empty() || host.len() > 253 || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':') {
        errors.push(FieldError::new(
            "bastion.existing.host",
            format!("\"{host}\" is not a hostname or address."),
            "Give the bastion's public DNS name or IP address, like bastion.example.com.",
        ));
    }
    if existing.port == 0 {
        errors.push(FieldError::new("bastion.existing.port", "Port 0 is not an SSH port.", "SSH listens on 22 unless the bastion was set up otherwise."));
    }
    let user = existing.user.trim();
    if user.is_empty() || user.len() > 32 || !user.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-') || user.starts_with('-') {
        errors.push(FieldError::new("bastion.existing.user", format!("\"{user}\" is not a Linux user name."), "Give the user the vendor's key is installed for, like datafold."));
    }
    match validate::ec2_id("bastion.existing.securityGroupId", &existing.security_group_id, "sg", "a security group") {
        Err(e) => errors.push(e),
        Ok(()) => match ctx.inventory.security_group(&existing.security_group_id) {
            None => errors.push(FieldError::new(
                "bastion.existing.securityGroupId",
                format!("No security group {} in {}.", existing.security_group_id, ctx.inventory.region),
                "Give the group your bastion instance uses (EC2 → the instance → Security).",
            )),
            Some(group) if group.vpc_id != db.vpc_id => errors.push(FieldError::new(
                "bastion.existing.securityGroupId",
                format!("{} is in {}, not in the database's VPC {}.", group.id, group.vpc_id, db.vpc_id),
                "A bastion reaches the database only from inside its VPC (or a peered one, by address).",
            )),
            Some(_) => {}
        },
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A public subnet of the database's VPC (its table routes 0.0.0.0/0 to an internet gateway)
/// and the smallest type its zone offers: the one given, else the first that fits.
fn launch_subnet(ctx: &PlanContext, db: &Database, given: Option<&str>) -> Result<(String, String), FieldError> {
    let field = "bastion.subnetId";
    let Some(facts) = ctx.vpc else {
        return Err(FieldError::new("bastion.facts", "The database VPC's route tables have not been read.", "They are read when the grant is planned."));
    };
    let offered = |zone: &str| INSTANCE_TYPES.iter().find(|t| facts.instance_offers.iter().any(|(z, o)| z == zone && o == *t)).map(|t| (*t).to_owned());
    if let Some(id) = given {
        validate::ec2_id(field, id, "subnet", "a subnet")?;
        let Some(subnet) = ctx.inventory.subnet(id).filter(|s| s.vpc_id == db.vpc_id) else {
            return Err(FieldError::new(field, format!("Subnet {id} is not in the database's VPC {}.", db.vpc_id), "Pick a public subnet of the database's VPC."));
        };
        if !facts.is_public(id) {
            return Err(FieldError::new(
                field,
                format!("{id} is not public: its route table sends nothing to an internet gateway."),
                "Pick a subnet whose route table has 0.0.0.0/0 → igw-….",
            ));
        }
        let kind = offered(&subnet.availability_zone).ok_or_else(|| {
            FieldError::new(field, format!("{} offers neither {}.", subnet.availability_zone, INSTANCE_TYPES.join(" nor ")), "Pick a public subnet in another zone.")
        })?;
        return Ok((id.to_owned(), kind));
    }
    ctx.inventory
        .subnets
        .iter()
        .filter(|s| s.vpc_id == db.vpc_id && facts.is_public(&s.id))
        .find_map(|s| offered(&s.availability_zone).map(|kind| (s.id.clone(), kind)))
        .ok_or_else(|| {
            FieldError::new(
                field,
                format!("{} has no public subnet (one whose route table sends 0.0.0.0/0 to an internet gateway) in a zone offering {}.", db.vpc_id, INSTANCE_TYPES.join(" or ")),
                "Add a public subnet to the database's VPC, or give your own bastion host instead.",
            )
        })
}

/// The Linux user the vendor's key belongs to (32 characters at most).
fn user_name(vendor_id: &str) -> String {
    let clean: String = vendor_id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("vl-{clean}").chars().take(32).collect()
}

/// The instance's first-boot script: a user without a shell whose only key may only forward to
/// the database (`restrict` turns everything off, `port-forwarding` and `permitopen` give back
/// that one target), and sshd told the same for that user (R20).
fn user_data(user: &str, key: &str, host: &str, port: u16) -> String {
    format!(
        r#"#!/bin/bash
# VendorLink: an SSH bastion whose one user may only forward to {host}:{port}.
set -euo pipefail
useradd --create-home --shell /sbin/nologin {user}
install -d -m 700 -o {user} -g {user} /home/{user}/.ssh
cat > /home/{user}/.ssh/authorized_keys <<'KEY'
restrict,port-forwarding,permitopen="{host}:{port}" {key}
KEY
chown {user}:{user} /home/{user}/.ssh/authorized_keys
chmod 600 /home/{user}/.ssh/authorized_keys
cat > /etc/ssh/sshd_config.d/60-vendorlink.conf <<'CONF'
Match User {user}
    AllowTcpForwarding local
    PermitOpen {host}:{port}
    PermitListen none
    PermitTTY no
    X11Forwarding no
    AllowAgentForwarding no
    ForceCommand /sbin/nologin
CONF
systemctl reload sshd
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_boot_script_lets_the_vendors_key_forward_to_the_database_only() {
        let script = user_data("vl-datafold", "ssh-ed25519 AAAA x", "orders-db.x.rds.amazonaws.com", 5432);
        assert!(script.contains("restrict,port-forwarding,permitopen=\"orders-db.x.rds.amazonaws.com:5432\" ssh-ed25519 AAAA x\n"), "{script}");
        for line in ["AllowTcpForwarding local", "PermitOpen orders-db.x.rds.amazonaws.com:5432", "PermitListen none", "PermitTTY no", "ForceCommand /sbin/nologin"] {
            assert!(script.contains(line), "{line}");
        }
        assert!(script.contains("--shell /sbin/nologin vl-datafold"));
        assert_eq!(user_name("Data Fold!"), "vl-data-fold-");
    }
}
