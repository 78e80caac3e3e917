//! The SSH public key a vendor sends for a bastion (docs/aws-rules.md R20): one line as
//! `ssh-keygen` writes it, `type base64 [comment]`. VendorLink writes the only options the key
//! gets (port forwarding to the database alone), so a line that brings options of its own, a
//! second line, a certificate, an outdated type or a short RSA key is refused.

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::FieldError;

/// Key types a current OpenSSH server accepts and that are strong enough (RSA from 3072 bits).
const TYPES: [&str; 6] = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"];
const RSA: &str = "ssh-rsa";
const RSA_BITS: u32 = 3072;
/// Longer than any real key line (a 16384-bit RSA key is about 2.8 KB).
const LONGEST: usize = 8192;

/// A checked key: its type, its wire-format blob and its comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshKey {
    pub kind: String,
    blob: Vec<u8>,
    pub comment: String,
}

impl SshKey {
    /// `SHA256:` and the unpadded base64 of the blob's digest, as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        format!("SHA256:{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(Sha256::digest(&self.blob)))
    }

    /// The key alone, as it goes after VendorLink's options in `authorized_keys`.
    pub fn line(&self) -> String {
        let key = format!("{} {}", self.kind, base64::engine::general_purpose::STANDARD.encode(&self.blob));
        if self.comment.is_empty() {
            key
        } else {
            format!("{key} {}", self.comment)
        }
    }
}

/// One length-prefixed field of the SSH wire format, and the rest.
fn field(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = data.split_first_chunk::<4>()?;
    let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// The bit length of an SSH `mpint` (big-endian, a leading zero byte when the top bit is set).
fn bits(mpint: &[u8]) -> u32 {
    let digits: Vec<u8> = mpint.iter().copied().skip_while(|b| *b == 0).collect();
    match digits.first() {
        Some(top) => u32::try_from(digits.len() * 8).unwrap_or(u32::MAX) - top.leading_zeros(),
        None => 0,
    }
}

pub fn ssh_public_key(field_name: &str, value: &str) -> Result<SshKey, FieldError> {
    let refuse = |message: String, hint: &str| Err(FieldError::new(field_name, message, hint));
    let how = "Paste the vendor's public key as one line, like `ssh-ed25519 AAAAC3Nza… datafold`, the way `ssh-keygen` writes it in the .pub file.";
    let line = value.trim();
    if line.is_empty() {
        return refuse("No SSH public key is given.".into(), how);
    }
    if line.len() > LONGEST {
        return refuse(format!("The key is {} characters long; no public key is longer than {LONGEST}.", line.len()), how);
    }
    if line.chars().any(char::is_control) {
        return refuse("The key holds more than one line (or other control characters): a second line would be a second key, with no restrictions.".into(), how);
    }
    let mut parts = line.splitn(3, ' ');
    let kind = parts.next().unwrap_or_default();
    let encoded = parts.next().unwrap_or_default();
    let comment = parts.next().unwrap_or_default().trim().to_owned();
    if kind.ends_with("-cert-v01@openssh.com") {
        return refuse(format!("{kind} is a certificate, not a public key."), "Ask the vendor for the plain public key.");
    }
    if kind == "ssh-dss" {
        return refuse("ssh-dss (DSA) keys are no longer accepted by OpenSSH.".into(), "Ask the vendor for an ssh-ed25519 key.");
    }
    if kind != RSA && !TYPES.contains(&kind) {
        if TYPES.iter().chain([&RSA]).any(|t| line.contains(&format!(" {t} ")) || line.contains(&format!(",{t} "))) || kind.contains('=') || kind.contains(',') {
            return refuse(
                format!("The line starts with options ({kind}…) before the key. VendorLink gives the key its only options: port forwarding to the database, nothing else."),
                "Paste the key without anything before its type.",
            );
        }
        return refuse(format!("\"{kind}\" is not an SSH public key type VendorLink accepts."), "Use ssh-ed25519 (or ECDSA, or RSA of 3072 bits and more).");
    }
    let Ok(blob) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
        return refuse("The key's data is not base64: it may have been cut or wrapped when copied.".into(), how);
    };
    let Some((inner, rest)) = field(&blob) else {
        return refuse("The key's data is cut short.".into(), how);
    };
    if inner != kind.as_bytes() {
        return refuse(format!("The key says it is {kind} but its data is {}.", String::from_utf8_lossy(inner)), how);
    }
    if kind == "ssh-ed25519" && field(rest).is_none_or(|(key, tail)| key.len() != 32 || !tail.is_empty()) {
        return refuse("The ed25519 key's data is not a 32-byte key.".into(), how);
    }
    if kind == RSA {
        let size = field(rest).and_then(|(_exponent, tail)| field(tail)).map_or(0, |(modulus, _)| bits(modulus));
        if size < RSA_BITS {
            return refuse(
                format!("The RSA key has {size} bits; VendorLink accepts RSA keys of {RSA_BITS} bits and more."),
                "Ask the vendor for an ssh-ed25519 key, or an RSA key of 3072 bits or more.",
            );
        }
    }
    Ok(SshKey { kind: kind.to_owned(), blob, comment })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real ed25519 key (from `ssh-keygen -t ed25519`), and its fingerprint as `ssh-keygen -l` prints it.
    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMNvlBVAhmhpWg68/TnXeblC+mt5eHV4dWlNzKBIzxa0 datafold-tunnel";
    const ED25519_FINGERPRINT: &str = "SHA256:0bw/DHCWjERvkjpZAlZ3/WWvxiII08lk52dW65XRrtI";

    fn rsa(bits: usize) -> String {
        let mut blob = Vec::new();
        for part in [b"ssh-rsa".to_vec(), vec![1, 0, 1], std::iter::once(0).chain(std::iter::repeat_n(0xC5, bits / 8)).collect()] {
            blob.extend(u32::try_from(part.len()).expect("len").to_be_bytes());
            blob.extend(part);
        }
        format!("ssh-rsa {}", base64::engine::general_purpose::STANDARD.encode(blob))
    }

    #[test]
    fn a_key_line_is_read_with_its_fingerprint_and_given_back_without_options() {
        let key = ssh_public_key("key", &format!("  {ED25519}\n")).expect("key");
        assert_eq!(key.kind, "ssh-ed25519");
        assert_eq!(key.comment, "datafold-tunnel");
        assert_eq!(key.line(), ED25519);
        assert_eq!(key.fingerprint(), ED25519_FINGERPRINT);
        assert_eq!(ssh_public_key("key", &rsa(4096)).expect("rsa").kind, "ssh-rsa");
    }

    #[test]
    fn keys_that_would_open_more_or_are_weak_or_malformed_are_refused_saying_why() {
        let body = ED25519.split(' ').nth(1).expect("blob");
        let table = [
            (format!("command=\"/bin/sh\",no-pty {ED25519}"), "starts with options"),
            (format!("permitlisten=\"0.0.0.0:80\" {ED25519}"), "starts with options"),
            (format!("{ED25519}\nssh-ed25519 {body} second"), "more than one line"),
            (format!("ssh-rsa {body}"), "says it is ssh-rsa but its data is ssh-ed25519"),
            (rsa(2048), "has 2048 bits"),
            (format!("ssh-dss {body}"), "no longer accepted"),
            (format!("ssh-ed25519-cert-v01@openssh.com {body}"), "is a certificate"),
            ("ssh-ed25519 AAAA!!!".to_owned(), "not base64"),
            ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMNvlBVA".to_owned(), "not a 32-byte key"),
            (String::new(), "No SSH public key"),
            (format!("{ED25519} {}", "x".repeat(LONGEST)), "characters long"),
        ];
        for (line, why) in table {
            let error = ssh_public_key("key", &line).expect_err(&line);
            assert!(error.message.contains(why) && !error.hint.is_empty(), "{line}: {error:?}");
        }
    }
}
