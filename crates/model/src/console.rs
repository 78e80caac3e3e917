//! Where a resource a grant made opens in the AWS console, and which addresses count as the
//! console: the window opens nothing else (docs/aws-rules.md R24).

use crate::Output;

/// The console page of what a step made, in its region; `None` for what has no page of its
/// own (a listener, a setting, a decision, an account's place in the organization).
pub fn console_url(output: &Output, region: &str) -> Option<String> {
    let regional = |service: &str, fragment: String| format!("https://{region}.console.aws.amazon.com/{service}/home?region={region}#{fragment}");
    let iam_role = |role: &str| format!("https://console.aws.amazon.com/iam/home#/roles/details/{role}");
    Some(match output {
        Output::SecurityGroup { group_id } | Output::IngressRules { group_id, .. } => regional("ec2", format!("SecurityGroup:groupId={group_id}")),
        Output::LoadBalancer { arn, .. } | Output::LoadBalancerSetting { load_balancer: arn } => regional("ec2", format!("LoadBalancer:loadBalancerArn={arn}")),
        Output::TargetGroup { arn } | Output::Targets { target_group: arn, .. } => regional("ec2", format!("TargetGroup:targetGroupArn={arn}")),
        Output::EndpointService { service_id, .. } | Output::Principals { service_id, .. } => {
            regional("vpcconsole", format!("EndpointServiceDetails:endpointServiceId={service_id}"))
        }
        Output::Role { name, .. } => iam_role(name),
        Output::InlinePolicy { role, .. } | Output::ManagedPolicy { role, .. } | Output::TrustClosed { role, .. } | Output::SessionsDenied { role, .. } => iam_role(role),
        Output::Peering { connection_id, .. } | Output::PeeringOption { connection_id } => {
            regional("vpcconsole", format!("PeeringConnectionDetails:VpcPeeringConnectionId={connection_id}"))
        }
        Output::Routes { route_table_id, .. } => regional("vpcconsole", format!("RouteTableDetails:RouteTableId={route_table_id}")),
        Output::Instance { instance_id, .. } => regional("ec2", format!("InstanceDetails:instanceId={instance_id}")),
        Output::Function { name, .. } => regional("lambda", format!("/functions/{name}")),
        Output::EventRule { name, .. } => regional("events", format!("/eventbus/default/rules/{name}")),
        Output::Account { account_id, .. } => format!("https://console.aws.amazon.com/organizations/v2/home/accounts/{account_id}"),
        Output::Listener { .. }
        | Output::Decision { .. }
        | Output::AccountParent { .. }
        | Output::ResourceGateway { .. }
        | Output::ResourceConfiguration { .. }
        | Output::ResourceShare { .. } => return None,
    })
}

/// Whether `url` is a page of the AWS console: https, on `console.aws.amazon.com` or one of
/// its regional hosts, with no user, password or port that could send it elsewhere.
pub fn is_console_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.contains(['@', ':']) {
        return false;
    }
    let Some(prefix) = host.strip_suffix("console.aws.amazon.com") else { return false };
    prefix.is_empty() || (prefix.ends_with('.') && prefix[..prefix.len() - 1].chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') && prefix.len() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_opens_in_its_console_and_region() {
        let group = Output::SecurityGroup { group_id: "sg-0abc".into() };
        assert_eq!(console_url(&group, "eu-west-1").as_deref(), Some("https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#SecurityGroup:groupId=sg-0abc"));
        let role = Output::Role { name: "vendorlink-datafold".into(), arn: "arn:aws:iam::1:role/vendorlink-datafold".into() };
        assert_eq!(console_url(&role, "us-east-1").as_deref(), Some("https://console.aws.amazon.com/iam/home#/roles/details/vendorlink-datafold"));
        let service = Output::EndpointService { service_id: "vpce-svc-1".into(), service_name: String::new(), state: None };
        assert!(console_url(&service, "us-east-1").is_some_and(|u| u.contains("/vpcconsole/") && u.ends_with("endpointServiceId=vpce-svc-1")));
        assert_eq!(console_url(&Output::Listener { arn: "arn:l".into() }, "us-east-1"), None);
        for output in [group, role, service] {
            assert!(console_url(&output, "ap-southeast-2").is_some_and(|u| is_console_url(&u)));
        }
    }

    #[test]
    fn only_the_consoles_own_hosts_count() {
        assert!(is_console_url("https://console.aws.amazon.com/iam/home"));
        assert!(is_console_url("https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#X"));
        for other in [
            "http://console.aws.amazon.com/",
            "https://example.com/",
            "https://evilconsole.aws.amazon.com/",
            "https://console.aws.amazon.com.evil.example/",
            "https://user@console.aws.amazon.com/",
            "https://console.aws.amazon.com:8443/",
            "https://.console.aws.amazon.com/",
            "https://a.b.console.aws.amazon.com/",
            "file:///etc/passwd",
        ] {
            assert!(!is_console_url(other), "{other}");
        }
    }
}
