//! The cost estimate shown before "Create" and repeated in the vendor's summary: what each
//! resource a plan makes costs per hour or per GB, and whose bill it lands on, from a price
//! table shipped here and dated (docs/aws-rules.md R23). An estimate, never a quote: traffic
//! charges are named with their rate, not guessed.

use vendorlink_model::{Action, CostEstimate, CostLine, Part, Payer, Plan, StepId};

/// When the table's prices were read from AWS's price list.
pub const PRICES_AS_OF: &str = "2026-09";
/// The region the table prices.
pub const PRICED_REGION: &str = "us-east-1";
const HOURS_PER_MONTH: f64 = 730.0;

/// One row of the price table: USD, and whether AWS's own page quotes the rate.
struct Price {
    usd: f64,
    checked: bool,
}

const NLB_HOUR: Price = Price { usd: 0.0225, checked: false };
const NLCU_HOUR: Price = Price { usd: 0.006, checked: true };
const INTER_AZ_GB: Price = Price { usd: 0.01, checked: true };
const ENDPOINT_AZ_HOUR: Price = Price { usd: 0.01, checked: true };
const ENDPOINT_GB: Price = Price { usd: 0.01, checked: true };
const RESOURCE_ENDPOINT_HOUR: Price = Price { usd: 0.02, checked: false };
const RESOURCE_ENDPOINT_GB: Price = Price { usd: 0.01, checked: true };
const PUBLIC_IPV4_HOUR: Price = Price { usd: 0.005, checked: true };
/// On-demand Linux, by the instance types a bastion may have.
const INSTANCE_HOUR: [(&str, Price); 2] = [("t4g.nano", Price { usd: 0.0042, checked: false }), ("t3.nano", Price { usd: 0.0052, checked: false })];
/// Lambda (x86, 128 MB, about a second a run) and CloudWatch Logs for 8,640 runs a month (every
/// 5 minutes): $0.20 per million requests, $0.0000166667 per GB-second, $0.50 per GB logged,
/// about 5 MB a month; all inside Lambda's monthly free tier for most accounts.
const SYNC_MONTH: Price = Price { usd: 0.03, checked: true };

/// Dollars as price lists write them: cents for a dollar or more, up to four decimals below.
fn money(usd: f64) -> String {
    if usd >= 1.0 {
        return format!("${usd:.2}");
    }
    let text = format!("{usd:.4}");
    let trimmed = text.trim_end_matches('0');
    let digits = trimmed.split('.').nth(1).map_or(0, str::len);
    if digits < 2 {
        format!("${usd:.2}")
    } else {
        format!("${trimmed}")
    }
}

fn hourly(part: Part, item: &str, price: &Price, count: usize, payer: Payer, note: &str) -> CostLine {
    let per = if count > 1 { format!("{} per hour × {count}", money(price.usd)) } else { format!("{} per hour", money(price.usd)) };
    CostLine { part, item: item.into(), rate: per, monthly_usd: Some(price.usd * count as f64 * HOURS_PER_MONTH), payer, note: note.into(), checked: price.checked }
}

fn by_traffic(part: Part, item: &str, rate: String, checked: bool, payer: Payer, note: &str) -> CostLine {
    CostLine { part, item: item.into(), rate, monthly_usd: None, payer, note: note.into(), checked }
}

/// The estimate for what `plan` creates.
pub fn estimate(plan: &Plan) -> CostEstimate {
    let has = |id: StepId| plan.steps.iter().any(|s| s.id == id);
    let zones = plan.steps.iter().find_map(|s| if let Action::CreateLoadBalancer { subnet_ids, .. } = &s.action { Some(subnet_ids.len()) } else { None }).unwrap_or(0);
    let mut lines = Vec::new();
    if plan.parts.contains(&Part::PrivateLink) {
        let part = Part::PrivateLink;
        lines.push(hourly(part, "Network Load Balancer", &NLB_HOUR, 1, Payer::You, "internal, in front of the database"));
        lines.push(by_traffic(
            part,
            "Load balancer capacity units (NLCU)",
            format!("{} per NLCU-hour", money(NLCU_HOUR.usd)),
            NLCU_HOUR.checked,
            Payer::You,
            "one NLCU is 1 GB an hour, 800 new connections a second or 100,000 open connections (TCP)",
        ));
        if has(StepId::NlbCrossZone) {
            lines.push(by_traffic(
                part,
                "Traffic between zones",
                format!("{} per GB each way", money(INTER_AZ_GB.usd)),
                INTER_AZ_GB.checked,
                Payer::You,
                "cross-zone load balancing sends some traffic to the database's zone",
            ));
        }
        lines.push(hourly(
            part,
            "Interface endpoint in the vendor's VPC",
            &ENDPOINT_AZ_HOUR,
            zones.max(1),
            Payer::Vendor,
            "one per zone it uses; the endpoint service itself costs you nothing",
        ));
        lines.push(by_traffic(part, "Endpoint data", format!("{} per GB", money(ENDPOINT_GB.usd)), ENDPOINT_GB.checked, Payer::Vendor, ""));
        if has(StepId::SyncFunction) {
            lines.push(CostLine {
                part,
                item: "Target sync (Lambda, its log, two rules)".into(),
                rate: "about 8,640 short runs a month".into(),
                monthly_usd: Some(SYNC_MONTH.usd),
                payer: Payer::You,
                note: "usually inside Lambda's free tier; EventBridge delivers RDS events and schedules at no charge".into(),
                checked: SYNC_MONTH.checked,
            });
        }
    }
    if plan.parts.contains(&Part::ResourceEndpoint) {
        let part = Part::ResourceEndpoint;
        lines.push(by_traffic(
            part,
            "Resource gateway and configuration",
            "no hourly charge".into(),
            false,
            Payer::You,
            "data through the gateway is charged per GB; its rate is not in the shipped table",
        ));
        lines.push(hourly(part, "Resource endpoint in the vendor's VPC", &RESOURCE_ENDPOINT_HOUR, 1, Payer::Vendor, "the vendor's"));
        lines.push(by_traffic(part, "Resource endpoint data", format!("{} per GB", money(RESOURCE_ENDPOINT_GB.usd)), RESOURCE_ENDPOINT_GB.checked, Payer::Vendor, ""));
    }
    if plan.parts.contains(&Part::SshBastion) {
        let part = Part::SshBastion;
        if let Some(kind) = plan.steps.iter().find_map(|s| if let Action::LaunchBastion { instance_type, .. } = &s.action { Some(instance_type.as_str()) } else { None }) {
            if let Some((_, price)) = INSTANCE_HOUR.iter().find(|(k, _)| *k == kind) {
                lines.push(hourly(part, &format!("Bastion instance ({kind})"), price, 1, Payer::You, "on demand, Linux"));
            }
            lines.push(hourly(part, "Its public IPv4 address", &PUBLIC_IPV4_HOUR, 1, Payer::You, "AWS charges every public IPv4 address"));
        }
    }
    if plan.parts.contains(&Part::VpcPeering) {
        lines.push(by_traffic(
            Part::VpcPeering,
            "Peering traffic",
            format!("{} per GB each way across zones", money(INTER_AZ_GB.usd)),
            INTER_AZ_GB.checked,
            Payer::You,
            "no hourly charge; free within one zone",
        ));
    }
    for (part, item) in [(Part::VendorRole, "IAM role"), (Part::IpAllowlist, "Security group rules"), (Part::DedicatedAccount, "Dedicated account")] {
        if plan.parts.contains(&part) {
            lines.push(CostLine { part, item: item.into(), rate: "no charge".into(), monthly_usd: Some(0.0), payer: Payer::You, note: String::new(), checked: true });
        }
    }
    let total = |payer: Payer| lines.iter().filter(|l| l.payer == payer).filter_map(|l| l.monthly_usd).sum::<f64>();
    CostEstimate {
        region: plan.region.clone(),
        priced_region: PRICED_REGION.into(),
        prices_as_of: PRICES_AS_OF.into(),
        your_monthly_usd: total(Payer::You),
        vendor_monthly_usd: total(Payer::Vendor),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vendorlink_model::{CredentialSource, Ref, Step};

    fn plan(parts: Vec<Part>, steps: Vec<Step>) -> Plan {
        Plan {
            grant_id: "g-1".into(),
            created_at: "2026-11-27T00:00:00Z".into(),
            account_id: "123456789012".into(),
            region: "eu-west-1".into(),
            member_access: None,
            source: CredentialSource::Sandbox,
            vendor_id: "datafold".into(),
            vendor_name: "Datafold".into(),
            database: None,
            bastion_host: None,
            parts,
            external_id: None,
            expires: None,
            warnings: vec![],
            findings: vec![],
            iam_actions: vec![],
            steps,
            cost: None,
        }
    }

    fn step(id: StepId, part: Part, action: Action) -> Step {
        Step { id, part, summary: String::new(), action, after: vec![] }
    }

    #[test]
    fn private_link_costs_you_the_load_balancer_and_the_vendor_an_endpoint_per_zone() {
        let nlb = step(
            StepId::Nlb,
            Part::PrivateLink,
            Action::CreateLoadBalancer { name: "vl".into(), subnet_ids: vec!["a".into(), "b".into()], security_group: Ref::Existing { id: "sg-1".into() } },
        );
        let cross = step(StepId::NlbCrossZone, Part::PrivateLink, Action::EnableCrossZone { load_balancer: Ref::Step { step: StepId::Nlb } });
        let estimate = estimate(&plan(vec![Part::PrivateLink, Part::VendorRole], vec![nlb, cross]));
        assert_eq!((estimate.region.as_str(), estimate.priced_region.as_str(), estimate.prices_as_of.as_str()), ("eu-west-1", "us-east-1", "2026-09"));
        let items: Vec<(&str, &str, Payer)> = estimate.lines.iter().map(|l| (l.item.as_str(), l.rate.as_str(), l.payer)).collect();
        assert_eq!(
            items,
            [
                ("Network Load Balancer", "$0.0225 per hour", Payer::You),
                ("Load balancer capacity units (NLCU)", "$0.006 per NLCU-hour", Payer::You),
                ("Traffic between zones", "$0.01 per GB each way", Payer::You),
                ("Interface endpoint in the vendor's VPC", "$0.01 per hour × 2", Payer::Vendor),
                ("Endpoint data", "$0.01 per GB", Payer::Vendor),
                ("IAM role", "no charge", Payer::You),
            ]
        );
        // 0.0225 × 730 and 0.01 × 2 × 730.
        assert!((estimate.your_monthly_usd - 16.425).abs() < 1e-9, "{}", estimate.your_monthly_usd);
        assert!((estimate.vendor_monthly_usd - 14.6).abs() < 1e-9, "{}", estimate.vendor_monthly_usd);
    }

    #[test]
    fn a_launched_bastion_costs_its_instance_and_its_public_address() {
        let bastion = step(
            StepId::Bastion,
            Part::SshBastion,
            Action::LaunchBastion {
                subnet_id: "s".into(),
                security_group: Ref::Existing { id: "sg".into() },
                instance_type: "t4g.nano".into(),
                image_parameter: String::new(),
                user: "ec2-user".into(),
                user_data: String::new(),
            },
        );
        let estimate = estimate(&plan(vec![Part::SshBastion], vec![bastion]));
        let monthly: Vec<(String, Option<f64>)> = estimate.lines.iter().map(|l| (l.item.clone(), l.monthly_usd)).collect();
        assert_eq!(monthly.len(), 2);
        assert_eq!(monthly[0].0, "Bastion instance (t4g.nano)");
        assert!((estimate.your_monthly_usd - (0.0042 + 0.005) * 730.0).abs() < 1e-9);
        assert_eq!(estimate.vendor_monthly_usd, 0.0);
    }

    #[test]
    fn small_rates_keep_their_digits() {
        assert_eq!(money(0.0225), "$0.0225");
        assert_eq!(money(0.006), "$0.006");
        assert_eq!(money(0.0042), "$0.0042");
        assert_eq!(money(0.01), "$0.01");
        assert_eq!(money(0.5), "$0.50");
        assert_eq!(money(14.6), "$14.60");
    }
}
