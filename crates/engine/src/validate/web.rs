//! Addresses VendorLink fetches from (a vendor's published profile) or sends to (the summary):
//! HTTPS to a public address only. A profile URL or a `--send` address comes from outside (a
//! vendor, a pasted link): without these checks it could make the app reach this machine, the
//! local network or the cloud metadata service (169.254.169.254) on the admin's behalf.
//! Every address is checked after DNS resolution and again on every redirect.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use super::FieldError;

/// Which destinations outbound requests may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// Plain HTTP to this machine (127.0.0.0/8, ::1) is allowed: only the command line's tests
    /// set it, through [`Reach::from_env`]; the window never does.
    pub loopback: bool,
}

/// Set to `1` only by tests that serve a profile or receive a summary on loopback.
pub const ALLOW_LOOPBACK_ENV: &str = "VENDORLINK_TEST_ALLOW_LOOPBACK";

impl Reach {
    /// Public addresses only: what the window uses.
    pub const PUBLIC: Reach = Reach { loopback: false };

    /// The command line's setting: public only unless [`ALLOW_LOOPBACK_ENV`] is `1`.
    pub fn from_env() -> Reach {
        Reach { loopback: std::env::var(ALLOW_LOOPBACK_ENV).is_ok_and(|v| v == "1") }
    }

    fn allows(self, ip: IpAddr) -> bool {
        is_public(ip) || (self.loopback && ip.is_loopback())
    }
}

/// Whether an address is on the public internet: not loopback, private (RFC 1918, fc00::/7),
/// link-local (169.254.0.0/16 with the metadata service, fe80::/10), shared (100.64.0.0/10),
/// unspecified, broadcast, multicast or reserved; IPv4 inside IPv6 is judged as IPv4.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || (a == 198 && (b == 18 || b == 19))
        || (a == 192 && b == 88 && ip.octets()[2] == 99)
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    // Addresses that carry an IPv4 address (IPv4-compatible, NAT64) are judged by it.
    if s[..6] == [0, 0, 0, 0, 0, 0] || (s[0] == 0x64 && s[1] == 0xff9b) {
        let [a, b] = s[6].to_be_bytes();
        let [c, d] = s[7].to_be_bytes();
        return is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] & 0xffc0) == 0xfec0
        || s[0] == 0x2002
        || (s[0] == 0x2001 && (s[1] == 0 || s[1] == 0x0db8)))
}

/// The URL, if it is HTTPS (or plain HTTP to loopback when `reach` allows it) and its host,
/// when written as an address, may be reached. Names are checked once resolved, by [`client`].
pub fn https_url(field: &str, url: &str, reach: Reach) -> Result<url::Url, FieldError> {
    let hint = "Use the https:// address the vendor gave.";
    let parsed = url::Url::parse(url.trim()).map_err(|e| FieldError::new(field, format!("\"{url}\" is not a URL: {e}."), hint))?;
    let literal = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") => Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        _ => None,
    };
    if let Some(ip) = literal.filter(|ip| !reach.allows(*ip)) {
        return Err(FieldError::new(
            field,
            format!("{url} points at {ip}, which is not a public internet address."),
            "VendorLink only talks to the vendor's public HTTPS address, never to this machine, your network or the cloud metadata service.",
        ));
    }
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if reach.loopback && literal.is_some_and(|ip| ip.is_loopback()) => Ok(parsed),
        _ => Err(FieldError::new(field, format!("{url} is not HTTPS: it must not be readable or changeable on the way."), hint)),
    }
}

/// Resolves names, then refuses every answer that is not an allowed address.
struct CheckedResolver(Reach);

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let reach = self.0;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found.iter().copied().filter(|a| reach.allows(a.ip())).collect();
            if allowed.is_empty() || allowed.len() != found.len() {
                let shown: Vec<String> = found.iter().map(|a| a.ip().to_string()).collect();
                return Err(format!("{host} resolves to {}, which is not a public internet address", shown.join(", ")).into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

/// An HTTP client that reaches only allowed addresses: names checked once resolved, and every
/// redirect (at most `redirects`) checked like the first address.
pub fn client(reach: Reach, timeout: Duration, redirects: usize) -> Result<reqwest::Client, String> {
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > redirects {
            return attempt.error(format!("more than {redirects} redirects"));
        }
        match https_url("url", attempt.url().as_str(), reach) {
            Ok(_) => attempt.follow(),
            Err(e) => attempt.error(format!("redirected to a refused address: {}", e.message)),
        }
    });
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(policy)
        .https_only(!reach.loopback)
        // Through a proxy the proxy would resolve the name, past the check below.
        .no_proxy()
        .dns_resolver(Arc::new(CheckedResolver(reach)))
        .build()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TESTS: Reach = Reach { loopback: true };

    #[test]
    fn only_https_to_public_addresses_or_loopback_http_when_allowed() {
        assert!(https_url("u", "https://vendor.example/profile.json", Reach::PUBLIC).is_ok());
        assert!(https_url("u", "http://127.0.0.1:8080/p.json", TESTS).is_ok());
        assert!(https_url("u", "http://localhost/p.toml", TESTS).is_ok());
        assert!(https_url("u", "http://[::1]:9/p", TESTS).is_ok());
        assert!(https_url("u", "http://127.0.0.1:8080/p.json", Reach::PUBLIC).expect_err("loopback from the window").message.contains("not a public internet address"));
        assert!(https_url("u", "https://localhost/p.json", Reach::PUBLIC).is_err());
        assert!(https_url("u", "http://vendor.example/profile.json", TESTS).expect_err("plain http to a remote host").message.contains("is not HTTPS"));
        assert!(https_url("u", "http://127.0.0.1.evil.example/p", TESTS).is_err());
        assert!(https_url("u", "ftp://vendor.example/p.json", TESTS).is_err());
        assert!(https_url("u", "not a url", TESTS).expect_err("garbage").message.contains("is not a URL"));
    }

    #[test]
    fn private_link_local_metadata_and_reserved_addresses_are_refused_even_over_https() {
        for url in [
            "https://169.254.169.254/latest/meta-data/",
            "https://10.0.0.5/p.json",
            "https://172.16.3.4/p.json",
            "https://192.168.1.1/p.json",
            "https://100.64.0.1/p.json",
            "https://0.0.0.0/p.json",
            "https://[fd00::1]/p.json",
            "https://[fe80::1]/p.json",
            "https://[::ffff:10.0.0.1]/p.json",
            "https://[::ffff:169.254.169.254]/",
            "https://255.255.255.255/",
            "https://[64:ff9b::a9fe:a9fe]/",
            "https://[::a9fe:a9fe]/",
            "https://[2002:a9fe:a9fe::1]/",
            "https://[2001::1]/",
            "https://198.18.0.1/",
        ] {
            let err = https_url("u", url, TESTS).expect_err(url);
            assert!(err.message.contains("not a public internet address"), "{url}: {}", err.message);
        }
        assert!(https_url("u", "https://52.11.132.23/p.json", Reach::PUBLIC).is_ok());
        assert!(is_public("2600:1f18::1".parse().expect("ip")));
    }
}
