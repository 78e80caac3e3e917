use vendorlink_model::{Part, VendorPermissions, VendorProfile};

/// Datafold's minimal role policy and its deployment-time IAM extras, verbatim from its guide.
const DATAFOLD_MINIMAL_POLICY: &str = include_str!("presets/datafold-minimal-policy.json");

/// The vendors VendorLink knows, from the public facts in their setup guides, plus Custom.
pub fn presets() -> Vec<VendorProfile> {
    vec![
        VendorProfile {
            account_id: Some("710753145501".into()),
            principals: vec!["arn:aws:iam::710753145501:root".into()],
            ip_ranges: host_ranges(&["23.23.71.47", "35.166.223.86", "52.11.132.23", "54.71.177.163", "54.185.25.103", "54.210.34.216"]),
            regions: vec!["us-west-2".into()],
            permissions: VendorPermissions { managed_policy_arns: Vec::new(), inline_policy: Some(DATAFOLD_MINIMAL_POLICY.trim().to_owned()) },
            // Its guide: "Another AWS Account" with "Require MFA", and no external id.
            require_external_id: false,
            // Its guides: PrivateLink (cross-region for North America), peering or an SSH
            // tunnel for those that cannot, fixed IPs for public databases.
            network_paths: vec![Part::PrivateLink, Part::VpcPeering, Part::SshBastion, Part::IpAllowlist],
            ..blank(
                "datafold",
                "Datafold",
                "Data diffing and monitoring. Connects from its SaaS VPC in us-west-2 over PrivateLink (cross-region for North America), or from fixed IPs; a dedicated deployment also needs a role in your account.",
            )
        },
        VendorProfile {
            network_paths: vec![Part::PrivateLink],
            ..blank("airbyte", "Airbyte", "Data movement (ELT). Connects over PrivateLink; Airbyte gives you its AWS account id on request, to allow on your endpoint service.")
        },
        VendorProfile {
            // clickhouse.com/docs/integrations/clickpipes/aws-privatelink: "ClickPipes account ID
            // 072088201116"; a "VPC resource" only in the same region ("Cross-region isn't
            // supported"), an endpoint service also across regions.
            account_id: Some("072088201116".into()),
            principals: vec!["arn:aws:iam::072088201116:root".into()],
            network_paths: vec![Part::ResourceEndpoint, Part::PrivateLink],
            ..blank(
                "clickhouse",
                "ClickHouse ClickPipes",
                "Ingests from your database into ClickHouse Cloud. Connects through a resource endpoint (a VPC resource shared with its account, same region) or an endpoint service (also across regions).",
            )
        },
        VendorProfile {
            network_paths: vec![Part::ResourceEndpoint, Part::PrivateLink],
            ..blank(
                "polytomic",
                "Polytomic",
                "Syncs data between your database and other tools. Connects through a resource endpoint (VPC Lattice) or an endpoint service; its account id comes from its solutions engineer.",
            )
        },
        VendorProfile {
            ip_ranges: host_ranges(&[
                "107.22.50.0", "18.214.47.38", "3.217.84.43", "3.229.1.246", "3.230.201.213", "44.216.70.44", "52.21.216.28", "52.55.205.54", "54.144.37.244", "54.165.20.26",
                "54.235.42.8", "54.242.142.100",
            ]),
            network_paths: vec![Part::IpAllowlist, Part::SshBastion],
            ..blank("deepnote", "Deepnote", "Data notebooks. Connects from fixed IP addresses (Team and Enterprise plans), so it needs an IP allowlist on the database port.")
        },
        blank("custom", "Custom", "Any other vendor: fill in its account, principals and addresses from its documentation."),
    ]
}

/// A profile with nothing granted yet; MFA and a vendor-issued ExternalId required unless its
/// guide says otherwise.
fn blank(id: &str, name: &str, description: &str) -> VendorProfile {
    VendorProfile {
        id: id.into(),
        name: name.into(),
        description: description.into(),
        account_id: None,
        principals: Vec::new(),
        ip_ranges: Vec::new(),
        regions: Vec::new(),
        az_ids: Vec::new(),
        permissions: VendorPermissions::default(),
        require_mfa: true,
        require_external_id: true,
        external_id: None,
        accepts_customer_external_id: false,
        vpc: None,
        network_paths: Vec::new(),
    }
}

/// Single addresses as the /32 ranges security groups take.
fn host_ranges(addresses: &[&str]) -> Vec<String> {
    addresses.iter().map(|ip| format!("{ip}/32")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_passes_the_profile_checks() {
        for preset in presets() {
            assert_eq!(crate::vendors::check(&preset), Ok(()), "{}", preset.id);
        }
    }

    #[test]
    fn presets_carry_the_guides_facts() {
        let all = presets();
        let datafold = &all[0];
        assert_eq!(datafold.account_id.as_deref(), Some("710753145501"));
        assert_eq!(datafold.ip_ranges.len(), 6);
        let policy: serde_json::Value = serde_json::from_str(datafold.permissions.inline_policy.as_deref().expect("policy")).expect("policy json");
        assert!(policy["Statement"][0]["Action"].as_array().expect("actions").iter().any(|a| a == "rds:*"));
        let deepnote = all.iter().find(|v| v.id == "deepnote").expect("deepnote");
        assert_eq!(deepnote.ip_ranges.len(), 12);
        let clickhouse = all.iter().find(|v| v.id == "clickhouse").expect("clickhouse");
        assert_eq!(clickhouse.account_id.as_deref(), Some("072088201116"));
        assert_eq!(clickhouse.network_paths.first(), Some(&Part::ResourceEndpoint));
        assert!(deepnote.ip_ranges.contains(&"54.242.142.100/32".to_owned()));
        assert_eq!(all.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["datafold", "airbyte", "clickhouse", "polytomic", "deepnote", "custom"]);
    }
}
