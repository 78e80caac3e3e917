use vendorlink_model::{CostEstimate, Payer, Summary};

/// The three ways a summary is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
    Html,
}

impl Format {
    /// By a file name's extension, as a save dialog gives it; Markdown unless it says otherwise.
    pub fn from_path(path: &std::path::Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("html" | "htm") => Format::Html,
            Some("json") => Format::Json,
            _ => Format::Markdown,
        }
    }

    pub fn render(self, summary: &Summary) -> String {
        match self {
            Format::Markdown => markdown(summary),
            Format::Json => json(summary),
            Format::Html => html(summary),
        }
    }
}

/// Pretty JSON with the schema id first, as the vendor's automation reads it.
pub fn json(summary: &Summary) -> String {
    let mut text = serde_json::to_string_pretty(summary).unwrap_or_default();
    text.push('\n');
    text
}

/// A value as the reader should see it: something to copy, plain words, or a link.
enum Value {
    Code(String),
    Text(String),
    Link(String),
}

use Value::{Code, Link, Text};

/// The summary's content as titled sections of (label, value) lines; both text formats are
/// drawn from this, so they cannot say different things.
fn sections(s: &Summary) -> Vec<(String, Vec<(String, Value)>)> {
    let mut sections = Vec::new();
    if let Some(account) = &s.dedicated_account {
        let mut lines = vec![("Account id".into(), Code(account.account_id.clone())), ("Name".into(), Text(account.name.clone()))];
        lines.extend(account.organizational_unit.iter().map(|u| ("Organizational unit".to_owned(), Code(u.clone()))));
        lines.push(("Holds".into(), Text("only the role below: nothing else of ours is in it".into())));
        sections.push(("Your dedicated account".into(), lines));
    }
    if let Some(db) = &s.database {
        let mut lines = vec![("Engine".into(), Code(db.engine.clone())), ("Port".into(), Code(db.port.to_string()))];
        lines.extend(db.hostnames.iter().map(|h| (format!("Hostname ({})", h.role), Code(h.host.clone()))));
        let tls = match (db.tls_required, &db.tls_setting) {
            (Some(true), Some(setting)) => format!("required ({setting})"),
            (Some(false), Some(setting)) => format!("not enforced ({setting}); use it anyway"),
            _ => "use it; the database's setting could not be read".into(),
        };
        lines.push(("TLS".into(), Text(tls)));
        lines.push(("CA to trust".into(), Code(db.ca_certificate.clone().unwrap_or_else(|| "the RDS CA".into()))));
        lines.push(("CA bundle".into(), Link(db.ca_bundle_url.clone())));
        sections.push((format!("Database {}", db.id), lines));
    }
    if let Some(link) = &s.private_link {
        sections.push((
            "PrivateLink".into(),
            vec![
                ("Endpoint service".into(), Code(link.service_name.clone())),
                ("Availability-zone IDs".into(), Code(link.availability_zone_ids.join(", "))),
                ("Regions".into(), Code(std::iter::once(s.region.clone()).chain(link.supported_regions.iter().cloned()).collect::<Vec<_>>().join(", "))),
                ("Allowed principals".into(), Code(link.allowed_principals.join(", "))),
                ("Connection requests".into(), Text(if link.acceptance_required { "accepted by us, one by one".into() } else { "accepted automatically".into() })),
            ],
        ));
    }
    if let Some(role) = &s.role {
        let mut lines = vec![("Role ARN".into(), Code(role.role_arn.clone()))];
        lines.extend(role.external_id.iter().map(|e| ("External ID".to_owned(), Code(e.clone()))));
        lines.push(("MFA required".into(), Text(if role.mfa_required { "yes".into() } else { "no".into() })));
        lines.push(("Longest session".into(), Text(format!("{} hour(s)", role.max_session_hours))));
        lines.push(("Expires".into(), role.expires.clone().map(Code).unwrap_or_else(|| Text("no expiry set; we revoke it when the work is done".into()))));
        lines.push(("Switch-role link".into(), Link(role.switch_role_url.clone())));
        lines.extend(role.warning.iter().map(|w| ("Note".to_owned(), Text(w.clone()))));
        sections.push((if s.dedicated_account.is_some() { "Role in your dedicated account" } else { "Role in our account" }.into(), lines));
    }
    if let Some(peering) = &s.peering {
        sections.push((
            "VPC peering".into(),
            vec![
                ("Peering connection".into(), Code(peering.connection_id.clone())),
                ("Status".into(), Code(peering.status.clone())),
                ("Route to (our VPC)".into(), Code(peering.customer_cidrs.join(", "))),
                ("Our region".into(), Code(peering.region.clone())),
                ("Admitted from (your VPC)".into(), Code(peering.vendor_cidrs.join(", "))),
                ("Port".into(), Code(peering.port.to_string())),
                (
                    "DNS resolution".into(),
                    Text(if peering.dns_resolution {
                        "allowed on our side: our hostname resolves to its private address".into()
                    } else {
                        "not allowed: use the private address".into()
                    }),
                ),
            ],
        ));
    }
    if let Some(resource) = &s.resource_endpoint {
        sections.push((
            "Resource endpoint (PrivateLink)".into(),
            vec![
                ("Resource configuration".into(), Code(resource.resource_configuration_arn.clone())),
                ("Resource share (AWS RAM)".into(), Code(resource.share_arn.clone())),
                ("Invitation".into(), Code(resource.invitation_status.clone())),
                ("Region".into(), Code(resource.region.clone())),
                ("Port".into(), Code(resource.port.to_string())),
                ("TLS hostname".into(), Code(resource.tls_hostname.clone())),
            ],
        ));
    }
    if let Some(bastion) = &s.bastion {
        let mut lines = vec![
            ("Host".into(), Code(bastion.host.clone())),
            ("Port".into(), Code(bastion.port.to_string())),
            ("User".into(), Code(bastion.user.clone())),
            ("Forward to".into(), Code(format!("{}:{}", bastion.forward_to_host, bastion.forward_to_port))),
        ];
        lines.extend(bastion.host_key_fingerprints.iter().map(|f| ("Host key".to_owned(), Code(f.clone()))));
        lines.extend(bastion.fingerprints_note.iter().map(|n| ("Host keys".to_owned(), Text(n.clone()))));
        sections.push(("SSH bastion".into(), lines));
    }
    if let Some(allowlist) = &s.ip_allowlist {
        sections.push(("IP allowlist".into(), vec![("Port".into(), Code(allowlist.port.to_string())), ("Open to".into(), Code(allowlist.ranges.join(", ")))]));
    }
    if let Some(cost) = &s.cost {
        sections.push((format!("What it costs (an estimate: {} prices of {})", cost.priced_region, cost.prices_as_of), cost_lines(cost)));
    }
    sections
}

/// Each charge, in the summary's voice: "ours" is the customer's bill, "yours" the vendor's.
fn cost_lines(cost: &CostEstimate) -> Vec<(String, Value)> {
    cost.lines
        .iter()
        .map(|line| {
            let whose = match line.payer {
                Payer::You => "ours",
                Payer::Vendor => "yours",
            };
            let month = line.monthly_usd.filter(|m| *m > 0.0).map(|m| format!(", about ${m:.2} a month")).unwrap_or_default();
            let note = if line.note.is_empty() { String::new() } else { format!(" ({})", line.note) };
            (format!("{} ({whose})", line.item), Text(format!("{}{month}{note}", line.rate)))
        })
        .collect()
}

fn title(s: &Summary) -> String {
    match (&s.database, &s.dedicated_account) {
        (Some(db), _) => format!("{} access to {} in AWS account {}", s.vendor_name, db.id, s.account_id),
        (None, Some(account)) => format!("{}'s dedicated AWS account {}", s.vendor_name, account.account_id),
        (None, None) => format!("{} access to AWS account {}", s.vendor_name, s.account_id),
    }
}

fn subtitle(s: &Summary) -> String {
    format!("Region {} · grant {} · prepared {} · no secrets in this summary", s.region, s.grant_id, s.generated_at)
}

pub fn markdown(s: &Summary) -> String {
    let mut out = format!("# {}\n\n{}\n", title(s), subtitle(s));
    for (heading, lines) in sections(s) {
        out.push_str(&format!("\n## {heading}\n\n"));
        for (label, value) in lines {
            let value = match value {
                Code(v) => format!("`{v}`"),
                Text(v) => v,
                Link(v) => format!("<{v}>"),
            };
            out.push_str(&format!("- **{label}:** {value}\n"));
        }
    }
    out.push_str("\n## Next steps\n\n");
    for (i, step) in s.next_steps.iter().enumerate() {
        out.push_str(&format!("{}. {step}\n", i + 1));
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// A self-contained page (no scripts, no remote content) that prints on one or two sheets.
pub fn html(s: &Summary) -> String {
    let mut out = String::from("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&title(s))));
    out.push_str(
        "<style>\nbody{font:14px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;color:#111}\nh1{font-size:1.4rem}h2{font-size:1.1rem;border-bottom:1px solid #ccc;margin-top:1.6rem}\n\
         dl{display:grid;grid-template-columns:14rem 1fr;gap:.2rem 1rem}dt{color:#555}dd{margin:0;word-break:break-all}code{font-family:ui-monospace,monospace}\n\
         .meta{color:#555}@media print{body{margin:0;max-width:none}}\n</style>\n</head>\n<body>\n",
    );
    out.push_str(&format!("<h1>{}</h1>\n<p class=\"meta\">{}</p>\n", escape(&title(s)), escape(&subtitle(s))));
    for (heading, lines) in sections(s) {
        out.push_str(&format!("<h2>{}</h2>\n<dl>\n", escape(&heading)));
        for (label, value) in lines {
            let value = match value {
                Code(v) => format!("<code>{}</code>", escape(&v)),
                Text(v) => escape(&v),
                Link(v) => format!("<a href=\"{0}\">{0}</a>", escape(&v)),
            };
            out.push_str(&format!("<dt>{}</dt><dd>{value}</dd>\n", escape(&label)));
        }
        out.push_str("</dl>\n");
    }
    out.push_str("<h2>Next steps</h2>\n<ol>\n");
    for step in &s.next_steps {
        out.push_str(&format!("<li>{}</li>\n", escape(step)));
    }
    out.push_str("</ol>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use vendorlink_model::{AllowlistHandoff, DatabaseAccess, Hostname, PrivateLinkAccess, RoleHandoff, SUMMARY_SCHEMA};

    #[test]
    fn a_saved_file_is_written_in_the_format_its_name_says() {
        let format = |name: &str| Format::from_path(std::path::Path::new(name));
        assert_eq!(format("/tmp/datafold.html"), Format::Html);
        assert_eq!(format("/tmp/datafold.HTM"), Format::Html);
        assert_eq!(format("/tmp/datafold.json"), Format::Json);
        assert_eq!(format("/tmp/datafold.md"), Format::Markdown);
        assert_eq!(format("/tmp/datafold"), Format::Markdown);
    }

    /// A summary with every part, as a Datafold grant on an Aurora cluster produces it.
    fn summary() -> Summary {
        Summary {
            schema: SUMMARY_SCHEMA.into(),
            grant_id: "g-0a1b2c3d".into(),
            vendor_name: "Datafold".into(),
            generated_at: "2026-11-24T12:00:00.000Z".into(),
            account_id: "123456789012".into(),
            region: "us-east-1".into(),
            database: Some(DatabaseAccess {
                id: "analytics".into(),
                engine: "aurora-postgresql".into(),
                port: 5432,
                hostnames: vec![
                    Hostname { role: "writer".into(), host: "analytics.cluster-abc.us-east-1.rds.amazonaws.com".into() },
                    Hostname { role: "reader".into(), host: "analytics.cluster-ro-abc.us-east-1.rds.amazonaws.com".into() },
                ],
                tls_required: Some(true),
                tls_setting: Some("rds.force_ssl = 1".into()),
                ca_certificate: Some("rds-ca-rsa2048-g1".into()),
                ca_bundle_url: "https://truststore.pki.rds.amazonaws.com/us-east-1/us-east-1-bundle.pem".into(),
            }),
            dedicated_account: None,
            private_link: Some(PrivateLinkAccess {
                service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0".into(),
                availability_zone_ids: vec!["use1-az1".into(), "use1-az2".into(), "use1-az6".into()],
                supported_regions: vec!["us-west-2".into()],
                allowed_principals: vec!["arn:aws:iam::710753145501:root".into()],
                acceptance_required: true,
            }),
            role: Some(RoleHandoff {
                role_arn: "arn:aws:iam::123456789012:role/vendorlink/vendorlink-datafold-0a1b2c3d".into(),
                external_id: Some("5f2b9c0e4d6a8b1c3e5f7a9b0c2d4e6f".into()),
                switch_role_url:
                    "https://signin.aws.amazon.com/switchrole?account=123456789012&roleName=vendorlink%2Fvendorlink-datafold-0a1b2c3d&displayName=Datafold+%40+123456789012".into(),
                mfa_required: true,
                expires: Some("2027-03-31T00:00:00Z".into()),
                max_session_hours: 1,
                warning: None,
            }),
            ip_allowlist: Some(AllowlistHandoff { ranges: vec!["23.23.71.47/32".into(), "35.166.223.86/32".into()], port: 5432 }),
            peering: None,
            bastion: None,
            resource_endpoint: None,
            cost: Some(CostEstimate {
                region: "us-east-1".into(),
                priced_region: "us-east-1".into(),
                prices_as_of: "2026-09".into(),
                lines: vec![
                    vendorlink_model::CostLine {
                        part: vendorlink_model::Part::PrivateLink,
                        item: "Network Load Balancer".into(),
                        rate: "$0.0225 per hour".into(),
                        monthly_usd: Some(16.425),
                        payer: Payer::You,
                        note: "internal, in front of the database".into(),
                        checked: false,
                    },
                    vendorlink_model::CostLine {
                        part: vendorlink_model::Part::PrivateLink,
                        item: "Interface endpoint in the vendor's VPC".into(),
                        rate: "$0.01 per hour × 2".into(),
                        monthly_usd: Some(14.6),
                        payer: Payer::Vendor,
                        note: String::new(),
                        checked: true,
                    },
                ],
                your_monthly_usd: 16.425,
                vendor_monthly_usd: 14.6,
            }),
            next_steps: vec!["Create an interface VPC endpoint <to the service> & connect.".into(), "Use TLS.".into()],
        }
    }

    /// Golden files: `VENDORLINK_WRITE_GOLDEN=1 cargo test --features vendorlink-engine/test-hooks --lib handoff` rewrites them.
    fn golden(name: &str, actual: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/handoff/golden").join(name);
        if std::env::var_os("VENDORLINK_WRITE_GOLDEN").is_some() {
            std::fs::write(&path, actual).expect("write golden file");
            return;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            expected == actual,
            "{} differs from the rendering; if the change is wanted, run VENDORLINK_WRITE_GOLDEN=1 cargo test --features vendorlink-engine/test-hooks --lib handoff\n--- rendered:\n{actual}",
            path.display()
        );
    }

    #[test]
    fn markdown_matches_its_golden_file() {
        golden("summary.md", &markdown(&summary()));
    }

    #[test]
    fn json_matches_its_golden_file_and_reads_back() {
        let text = json(&summary());
        golden("summary.json", &text);
        let back: Summary = serde_json::from_str(&text).expect("the JSON reads back");
        assert_eq!(back, summary());
    }

    #[test]
    fn html_matches_its_golden_file_and_escapes_what_it_shows() {
        let page = html(&summary());
        golden("summary.html", &page);
        assert!(page.contains("Create an interface VPC endpoint &lt;to the service&gt; &amp; connect."));
        assert!(!page.contains("<script") && !page.contains("http://"), "self-contained, nothing remote but the links shown");
    }
}
