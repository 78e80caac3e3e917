//! The handoff summary of an applied grant, built from what AWS says now (describe calls on
//! the journal's resource ids), not from what was typed: the vendor gets names and ids that
//! exist. Nothing secret can reach it: there are no credentials in the journal or in AWS's
//! answers used here.

use crate::journal::{now, step_states, GrantStore, StepState};
use crate::EngineError;
use vendorlink_aws::Cloud;
use vendorlink_model::{AllowlistHandoff, DatabaseAccess, Hostname, Output, PrivateLinkAccess, RoleHandoff, StepId, Summary, SUMMARY_SCHEMA};

pub async fn summary(cloud: &Cloud, store: &GrantStore, grant_id: &str) -> Result<Summary, EngineError> {
    let plan = store.plan(grant_id)?;
    let states = step_states(&store.records(grant_id)?);
    let missing: Vec<String> = plan.steps.iter().filter(|s| !matches!(states.get(&s.id), Some(StepState::Exists(_)))).map(|s| s.id.to_string()).collect();
    if !missing.is_empty() {
        return Err(EngineError::NotApplied { grant: grant_id.to_owned(), missing: missing.join(", ") });
    }
    let id = |step: StepId| match states.get(&step) {
        Some(StepState::Exists(output)) => Some(output.id().to_owned()),
        _ => None,
    };
    let cloud = &cloud.in_region(&plan.region);

    let details = cloud.rds.database_details(&plan.database.id).await?.ok_or_else(|| EngineError::Gone { what: format!("database {}", plan.database.id) })?;
    let tls_required = details.tls.as_ref().map(|(_, value)| matches!(value.to_ascii_lowercase().as_str(), "1" | "on" | "true"));
    let database = DatabaseAccess {
        id: plan.database.id.clone(),
        engine: details.engine.clone(),
        port: details.port,
        hostnames: details.hostnames.iter().map(|(role, host)| Hostname { role: role.clone(), host: host.clone() }).collect(),
        tls_required,
        tls_setting: details.tls.as_ref().map(|(name, value)| format!("{name} = {value}")),
        ca_certificate: details.ca_certificate.clone(),
        ca_bundle_url: format!("https://truststore.pki.rds.amazonaws.com/{0}/{0}-bundle.pem", plan.region),
    };

    let private_link = match (id(StepId::EndpointService), id(StepId::Nlb)) {
        (Some(service_id), Some(nlb)) => {
            let service = cloud.ec2.endpoint_service(&service_id).await?.ok_or_else(|| EngineError::Gone { what: format!("endpoint service {service_id}") })?;
            let zones = cloud.elb.load_balancer_zones(&nlb).await?;
            Some(PrivateLinkAccess {
                service_name: service.service_name,
                availability_zone_ids: cloud.ec2.zone_ids(&zones).await?,
                supported_regions: service.supported_regions,
                allowed_principals: cloud.ec2.allowed_principals(&service_id).await?,
                acceptance_required: service.acceptance_required,
            })
        }
        _ => None,
    };

    let role = match id(StepId::Role) {
        Some(name) => {
            let (arn, max_session, trust) = cloud.iam.role_details(&name).await?.ok_or_else(|| EngineError::Gone { what: format!("role {name}") })?;
            let trust: serde_json::Value = serde_json::from_str(&trust).unwrap_or_default();
            let condition = &trust["Statement"][0]["Condition"];
            Some(RoleHandoff {
                switch_role_url: switch_role_url(&plan.account_id, &arn, &plan.vendor_name),
                role_arn: arn,
                external_id: condition["StringEquals"]["sts:ExternalId"].as_str().map(str::to_owned),
                mfa_required: condition["Bool"]["aws:MultiFactorAuthPresent"] == "true",
                expires: condition["DateLessThan"]["aws:CurrentTime"].as_str().map(str::to_owned),
                max_session_hours: max_session / 3600,
                warning: plan.steps.iter().find_map(|s| match &s.action {
                    vendorlink_model::Action::AttachRolePolicy { policy_arn, .. } => crate::plan::broad_access_warning(policy_arn, &plan.vendor_name),
                    _ => None,
                }),
            })
        }
        None => None,
    };

    let ip_allowlist = match states.get(&StepId::Allowlist) {
        Some(StepState::Exists(Output::IngressRules { rule_ids, .. })) => {
            let mut ranges = cloud.ec2.rule_cidrs(rule_ids).await?;
            ranges.sort();
            Some(AllowlistHandoff { ranges, port: details.port })
        }
        _ => None,
    };

    let mut summary = Summary {
        schema: SUMMARY_SCHEMA.into(),
        grant_id: plan.grant_id.clone(),
        vendor_name: plan.vendor_name.clone(),
        generated_at: now(),
        account_id: plan.account_id.clone(),
        region: plan.region.clone(),
        database,
        private_link,
        role,
        ip_allowlist,
        next_steps: Vec::new(),
    };
    summary.next_steps = next_steps(&summary);
    Ok(summary)
}

/// The console's switch-role link. Roles under a path need it in `roleName`.
fn switch_role_url(account: &str, role_arn: &str, vendor: &str) -> String {
    let role_name = role_arn.split_once(":role/").map(|(_, name)| name).unwrap_or(role_arn);
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("account", account)
        .append_pair("roleName", role_name)
        .append_pair("displayName", &format!("{vendor} @ {account}"))
        .finish();
    format!("https://signin.aws.amazon.com/switchrole?{query}")
}

/// What the vendor does, in order, in plain words.
fn next_steps(summary: &Summary) -> Vec<String> {
    let mut steps = Vec::new();
    let host = summary.database.hostnames.first().map(|h| h.host.as_str()).unwrap_or(&summary.database.id);
    if let Some(link) = &summary.private_link {
        let from = if link.supported_regions.is_empty() { summary.region.clone() } else { format!("{} or {}", summary.region, link.supported_regions.join(", ")) };
        steps.push(format!(
            "Create an interface VPC endpoint to {} in {from}, with subnets in the availability zones {}.",
            link.service_name,
            link.availability_zone_ids.join(", ")
        ));
        if link.acceptance_required {
            steps.push("Send us the endpoint's id (vpce-…): we accept the connection on our side.".into());
        }
        steps.push(format!("Connect through the endpoint's DNS name on port {}; verify TLS against the hostname {host}.", summary.database.port));
    }
    if let Some(allowlist) = &summary.ip_allowlist {
        steps.push(format!("Connect to {host} on port {} from your published addresses ({}).", allowlist.port, allowlist.ranges.join(", ")));
    }
    if let Some(role) = &summary.role {
        let mfa = if role.mfa_required { " signed in with MFA," } else { "" };
        let external = role.external_id.as_ref().map(|e| format!(" with the external id {e}")).unwrap_or_default();
        steps.push(format!("Assume {}{mfa}{external} (console: the switch-role link); sessions last up to {} hour(s).", role.role_arn, role.max_session_hours));
        if let Some(expires) = &role.expires {
            steps.push(format!("The role stops working at {expires}."));
        }
    }
    let tls = match summary.database.tls_required {
        Some(true) => "The database requires TLS",
        Some(false) => "The database does not enforce TLS, but use it",
        None => "Use TLS",
    };
    steps.push(format!(
        "{tls}: trust the RDS CA{} from {}.",
        summary.database.ca_certificate.as_ref().map(|c| format!(" {c}")).unwrap_or_default(),
        summary.database.ca_bundle_url
    ));
    steps
}
