use super::FieldError;

/// An address VendorLink fetches from or sends to: HTTPS, or plain HTTP to this machine only
/// (for trying things out), since what travels decides who gets access.
pub fn https_url(field: &str, url: &str) -> Result<url::Url, FieldError> {
    let hint = "Use the https:// address the vendor gave.";
    let parsed = url::Url::parse(url.trim()).map_err(|e| FieldError::new(field, format!("\"{url}\" is not a URL: {e}."), hint))?;
    let loopback = match parsed.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if loopback => Ok(parsed),
        _ => Err(FieldError::new(field, format!("{url} is not HTTPS: it must not be readable or changeable on the way."), hint)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_is_used() {
        assert!(https_url("u", "https://vendor.example/profile.json").is_ok());
        assert!(https_url("u", "http://127.0.0.1:8080/p.json").is_ok());
        assert!(https_url("u", "http://localhost/p.toml").is_ok());
        assert!(https_url("u", "http://[::1]:9/p").is_ok());
        assert!(https_url("u", "http://vendor.example/profile.json").expect_err("plain http to a remote host").message.contains("is not HTTPS"));
        assert!(https_url("u", "http://127.0.0.1.evil.example/p").is_err());
        assert!(https_url("u", "ftp://vendor.example/p.json").is_err());
        assert!(https_url("u", "not a url").expect_err("garbage").message.contains("is not a URL"));
    }
}
