//! The handoff summary of an applied grant, built from what AWS says now (describe calls on
//! the journal's resource ids), not from what was typed: the vendor gets names and ids that
//! exist. Nothing secret can reach it: there are no credentials in the journal or in AWS's
//! answers used here.

use crate::journal::{now, step_states, GrantStore, StepState};
use crate::EngineError;
use vendorlink_aws::Cloud;
use vendorlink_model::{
    Action, AllowlistHandoff, BastionHandoff, DatabaseAccess, DedicatedAccountHandoff, Hostname, Output, PeeringHandoff, Plan, PrivateLinkAccess, ResourceEndpointHandoff,
    RoleHandoff, StepId, Summary, SUMMARY_SCHEMA,
};

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
    let known: crate::steps::Known = states.iter().filter_map(|(id, s)| if let StepState::Exists(o) = s { Some((id.clone(), o.clone())) } else { None }).collect();
    let cloud = &cloud.in_region(&plan.region);
    // A dedicated account's role is read inside it, if it can still be entered.
    if let (Some(account), Some(_)) = (crate::dedicated::account_of(&known), crate::drift::account_drift(cloud, &known).await?) {
        return Err(EngineError::Gone { what: format!("open dedicated account {account}") });
    }
    let inside = crate::dedicated::resources(cloud, &plan, &known).await?.unwrap_or_else(|| cloud.clone());
    let cloud = &inside;

    let details = match &plan.database {
        Some(db) => Some(cloud.rds.database_details(&db.id).await?.ok_or_else(|| EngineError::Gone { what: format!("database {}", db.id) })?),
        None => None,
    };
    let database = match (&plan.database, &details) {
        (Some(db), Some(details)) => Some(DatabaseAccess {
            id: db.id.clone(),
            engine: details.engine.clone(),
            port: details.port,
            hostnames: details.hostnames.iter().map(|(role, host)| Hostname { role: role.clone(), host: host.clone() }).collect(),
            tls_required: details.tls.as_ref().map(|(_, value)| matches!(value.to_ascii_lowercase().as_str(), "1" | "on" | "true")),
            tls_setting: details.tls.as_ref().map(|(name, value)| format!("{name} = {value}")),
            ca_certificate: details.ca_certificate.clone(),
            ca_bundle_url: format!("https://truststore.pki.rds.amazonaws.com/{0}/{0}-bundle.pem", plan.region),
        }),
        _ => None,
    };
    let dedicated_account = match known.get(&StepId::Account) {
        Some(Output::Account { account_id, name, .. }) => Some(DedicatedAccountHandoff {
            account_id: account_id.clone(),
            name: name.clone(),
            organizational_unit: match known.get(&StepId::AccountParent) {
                Some(Output::AccountParent { parent_id, .. }) => Some(parent_id.clone()),
                _ => None,
            },
        }),
        _ => None,
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
                switch_role_url: switch_role_url(&arn, &plan.vendor_name),
                role_arn: arn,
                external_id: condition["StringEquals"]["sts:ExternalId"].as_str().map(str::to_owned),
                mfa_required: condition["Bool"]["aws:MultiFactorAuthPresent"] == "true",
                expires: condition["DateLessThan"]["aws:CurrentTime"].as_str().map(str::to_owned),
                max_session_hours: max_session / 3600,
                warning: plan.steps.iter().find_map(|s| match &s.action {
                    vendorlink_model::Action::AttachRolePolicy { policy_arn, .. } => {
                        crate::plan::broad_access_warning(policy_arn, &plan.vendor_name, plan.dedicated_access_role().is_some())
                    }
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
            Some(AllowlistHandoff { ranges, port: details.as_ref().map_or(0, |d| d.port) })
        }
        _ => None,
    };

    let peering = match id(StepId::Peering) {
        Some(connection_id) => Some(peering(cloud, &plan, &connection_id, details.as_ref().map_or(0, |d| d.port)).await?),
        None => None,
    };

    let bastion = match (&plan.database, plan.step(&StepId::DbRuleFromBastion)) {
        (Some(db), Some(_)) => Some(bastion(cloud, &plan, &known, &db.endpoint, db.port).await?),
        _ => None,
    };

    let resource_endpoint = match (id(StepId::ResourceConfiguration), id(StepId::ResourceShare), &plan.database) {
        (Some(configuration), Some(share), Some(db)) => Some(resource_endpoint(cloud, &plan, &configuration, &share, db).await?),
        _ => None,
    };

    let mut summary = Summary {
        schema: SUMMARY_SCHEMA.into(),
        grant_id: plan.grant_id.clone(),
        vendor_name: plan.vendor_name.clone(),
        generated_at: now(),
        account_id: dedicated_account.as_ref().map_or_else(|| plan.account_id.clone(), |a| a.account_id.clone()),
        region: plan.region.clone(),
        database,
        dedicated_account,
        private_link,
        role,
        ip_allowlist,
        peering,
        bastion,
        resource_endpoint,
        cost: plan.cost.clone(),
        next_steps: Vec::new(),
    };
    summary.next_steps = next_steps(&summary);
    Ok(summary)
}

/// The connection as AWS shows it now: its status, and the blocks of each side (the vendor's
/// as the database group admits them, from the plan's rule).
async fn peering(cloud: &Cloud, plan: &Plan, connection_id: &str, port: u16) -> Result<PeeringHandoff, EngineError> {
    let connection =
        cloud.peering.connection(connection_id).await?.filter(|c| !c.is_over()).ok_or_else(|| EngineError::Gone { what: format!("peering connection {connection_id}") })?;
    let vpc = plan.database.as_ref().map(|db| db.vpc_id.clone()).unwrap_or_default();
    let (ours, theirs) = if connection.requester.vpc_id == vpc { (&connection.requester, &connection.accepter) } else { (&connection.accepter, &connection.requester) };
    let vendor_cidrs = plan
        .steps
        .iter()
        .find_map(|s| match &s.action {
            Action::AuthorizeIngress { sources, .. } if s.id == StepId::DbRuleFromPeer => {
                Some(sources.iter().filter_map(|src| if let vendorlink_model::IngressSource::Cidr { cidr } = src { Some(cidr.clone()) } else { None }).collect())
            }
            _ => None,
        })
        .unwrap_or_else(|| theirs.cidrs.clone());
    Ok(PeeringHandoff {
        connection_id: connection.id.clone(),
        status: connection.status.clone(),
        customer_cidrs: ours.cidrs.clone(),
        vendor_cidrs,
        port,
        region: plan.region.clone(),
        dns_resolution: plan.step(&StepId::PeeringDns).is_some(),
    })
}

/// The shared configuration as AWS shows it now, and where the vendor stands with the share.
async fn resource_endpoint(cloud: &Cloud, plan: &Plan, configuration: &str, share: &str, db: &vendorlink_model::DatabaseRef) -> Result<ResourceEndpointHandoff, EngineError> {
    let config = cloud
        .lattice
        .configuration(configuration)
        .await?
        .filter(|c| c.status == "ACTIVE")
        .ok_or_else(|| EngineError::Gone { what: format!("resource configuration {configuration}") })?;
    let share = cloud.sharing.share_info(share).await?.filter(|s| !s.is_over()).ok_or_else(|| EngineError::Gone { what: format!("resource share {share}") })?;
    let account = plan.steps.iter().find_map(|s| if let Action::ShareResource { account_id, .. } = &s.action { Some(account_id.clone()) } else { None }).unwrap_or_default();
    let invitation_status = share.principal_status(&account).unwrap_or("not shared").to_owned();
    Ok(ResourceEndpointHandoff {
        resource_configuration_arn: config.arn,
        share_arn: share.arn,
        invitation_status,
        port: db.port,
        region: plan.region.clone(),
        tls_hostname: db.endpoint.clone(),
        target: config.target.unwrap_or_default(),
    })
}

/// Where the vendor's tunnel goes: the launched instance as AWS shows it now, with the host key
/// fingerprints its first boot printed (R20), or the admin's own host.
async fn bastion(cloud: &Cloud, plan: &Plan, known: &crate::steps::Known, db_host: &str, db_port: u16) -> Result<BastionHandoff, EngineError> {
    let forward = |host: String, port: u16, user: String, host_key_fingerprints: Vec<String>, fingerprints_note: Option<String>, instance_id: Option<String>| BastionHandoff {
        host,
        port,
        user,
        host_key_fingerprints,
        fingerprints_note,
        forward_to_host: db_host.to_owned(),
        forward_to_port: db_port,
        instance_id,
    };
    if let Some(own) = &plan.bastion_host {
        let note = "Your own host: give the vendor its host key fingerprints (ssh-keygen -lf on its /etc/ssh/ssh_host_*_key.pub).".to_owned();
        return Ok(forward(own.host.clone(), own.port, own.user.clone(), Vec::new(), Some(note), None));
    }
    let user = plan.steps.iter().find_map(|s| if let Action::LaunchBastion { user, .. } = &s.action { Some(user.clone()) } else { None }).unwrap_or_default();
    let id = known.get(&StepId::Bastion).map(|o| o.id().to_owned()).ok_or_else(|| EngineError::Gone { what: "bastion instance".into() })?;
    let instance = cloud.instances.instance(&id).await?.filter(|i| i.state == "running").ok_or_else(|| EngineError::Gone { what: format!("running bastion {id}") })?;
    let host = instance.public_dns.clone().or(instance.public_ip.clone()).unwrap_or_default();
    let console = cloud.instances.console_output(&id).await?;
    let fingerprints = console.as_deref().map(host_key_fingerprints).unwrap_or_default();
    let note = match (&console, fingerprints.is_empty()) {
        (None, _) => Some("Not available yet: the instance prints them at the end of its first boot, a few minutes after launch. Make the summary again then.".to_owned()),
        (Some(_), true) => Some("The instance's console output has no host key fingerprints: compare with `ssh-keygen -lf` on the host before trusting it.".to_owned()),
        (Some(_), false) => None,
    };
    Ok(forward(host, 22, user, fingerprints, note, Some(id)))
}

/// The fingerprints in cloud-init's block of a console output, as `SHA256:… (ED25519)`; the lines
/// may carry a prefix (`ec2: `, a timestamp).
pub fn host_key_fingerprints(console: &str) -> Vec<String> {
    const BEGIN: &str = "-----BEGIN SSH HOST KEY FINGERPRINTS-----";
    const END: &str = "-----END SSH HOST KEY FINGERPRINTS-----";
    let Some(start) = console.find(BEGIN) else { return Vec::new() };
    let block = &console[start + BEGIN.len()..];
    let block = &block[..block.find(END).unwrap_or(block.len())];
    block
        .lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let hash = words.iter().find(|w| w.starts_with("SHA256:") && w.len() > "SHA256:".len())?;
            let kind = words.last().filter(|w| w.starts_with('(') && w.ends_with(')'))?;
            Some(format!("{hash} {kind}"))
        })
        .collect()
}

/// The console's switch-role link into the role's own account (docs/aws-rules.md R18). Roles
/// under a path need it in `roleName`.
fn switch_role_url(role_arn: &str, vendor: &str) -> String {
    let (head, role_name) = role_arn.split_once(":role/").unwrap_or(("", role_arn));
    let account = head.rsplit(':').next().unwrap_or_default();
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
    let host = summary.database.as_ref().map(|db| db.hostnames.first().map_or(db.id.as_str(), |h| h.host.as_str())).unwrap_or_default();
    let port = summary.database.as_ref().map_or(0, |db| db.port);
    if let Some(account) = &summary.dedicated_account {
        steps.push(format!(
            "Account {} (\"{}\") is yours alone: it holds nothing of ours, and reaches nothing of ours unless we connect it later.",
            account.account_id, account.name
        ));
    }
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
        steps.push(format!("Connect through the endpoint's DNS name on port {port}; verify TLS against the hostname {host}."));
    }
    if let Some(peering) = &summary.peering {
        if peering.status == "pending-acceptance" {
            steps.push(format!("Accept the peering request {} (VPC → Peering connections, in your VPC's region).", peering.connection_id));
        }
        steps.push(format!(
            "Route {} ({}) through {} in the route tables of the subnets you connect from, and let those hosts send to port {} there.",
            peering.customer_cidrs.join(", "),
            peering.region,
            peering.connection_id,
            peering.port
        ));
        let resolve = if peering.dns_resolution {
            format!("{host} resolves to the database's private address from your VPC once you also allow DNS resolution on your side of {}", peering.connection_id)
        } else {
            format!("{host} may resolve to a public address outside our VPC: connect to the address it has inside our VPC, or ask us to allow DNS resolution over the peering")
        };
        steps.push(format!("Connect from {} on port {}; {resolve}. Verify TLS against {host}.", peering.vendor_cidrs.join(", "), peering.port));
    }
    if let Some(resource) = &summary.resource_endpoint {
        if resource.invitation_status != "ASSOCIATED" {
            steps.push(format!(
                "Accept the resource share {} from account {} (AWS RAM → Shared with me → Resource shares, in {}).",
                resource.share_arn, summary.account_id, resource.region
            ));
        }
        steps.push(format!("Create a VPC endpoint of type Resource for {} in {}, in subnets of the VPC you connect from.", resource.resource_configuration_arn, resource.region));
        steps.push(format!(
            "Connect through the endpoint's DNS name on port {}. The database's certificate names {}, not the endpoint: verify TLS against {} (e.g. libpq's host={} with hostaddr set to the endpoint's address), or resolve {} to the endpoint in your VPC.",
            resource.port, resource.tls_hostname, resource.tls_hostname, resource.tls_hostname, resource.tls_hostname
        ));
    }
    if let Some(bastion) = &summary.bastion {
        steps.push(format!(
            "Tunnel through {}@{} (port {}) to {}:{}, the only destination the bastion forwards to, e.g. `ssh -N -L {}:{}:{} -p {} {}@{}`.",
            bastion.user,
            bastion.host,
            bastion.port,
            bastion.forward_to_host,
            bastion.forward_to_port,
            bastion.forward_to_port,
            bastion.forward_to_host,
            bastion.forward_to_port,
            bastion.port,
            bastion.user,
            bastion.host
        ));
        steps.push(if bastion.host_key_fingerprints.is_empty() {
            "Check the bastion's host key on the first connection against fingerprints we send you separately.".to_owned()
        } else {
            format!("On the first connection, accept the host key only if its fingerprint is one of: {}.", bastion.host_key_fingerprints.join(", "))
        });
        steps.push(format!("Verify TLS against {} through the tunnel (the certificate names it, not localhost).", bastion.forward_to_host));
    }
    if let Some(allowlist) = &summary.ip_allowlist {
        steps.push(format!("Connect to {host} on port {} from your published addresses ({}).", allowlist.port, allowlist.ranges.join(", ")));
    }
    if let Some(role) = &summary.role {
        let mfa = if role.mfa_required { " signed in with MFA," } else { "" };
        let external = role.external_id.as_ref().map(|e| format!(" with the external id {e}")).unwrap_or_default();
        let how = if role.external_id.is_some() {
            "with the AWS CLI or an SDK: the console's switch-role link cannot send the external id"
        } else {
            "in the console through the switch-role link, or with the AWS CLI"
        };
        steps.push(format!("Assume {}{mfa}{external} ({how}); sessions last up to {} hour(s).", role.role_arn, role.max_session_hours));
        if let Some(expires) = &role.expires {
            steps.push(format!("The role stops working at {expires}."));
        }
    }
    if let Some(db) = &summary.database {
        let tls = match db.tls_required {
            Some(true) => "The database requires TLS",
            Some(false) => "The database does not enforce TLS, but use it",
            None => "Use TLS",
        };
        steps.push(format!("{tls}: trust the RDS CA{} from {}.", db.ca_certificate.as_ref().map(|c| format!(" {c}")).unwrap_or_default(), db.ca_bundle_url));
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::host_key_fingerprints;

    #[test]
    fn the_first_boots_fingerprints_are_read_from_the_console_with_any_prefix() {
        let console = "[   12.3] cloud-init[1234]: Cloud-init v. 22.2.2 finished\n\
            ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----\n\
            ec2: 256 SHA256:0bw/DHCWjERvkjpZAlZ3/WWvxiII08lk52dW65XRrtI no comment (ECDSA)\n\
            <14>Nov 27 01:02:03 ec2: 256 SHA256:IRbXnQ0n/C2RwU1GhGvYz3OY3d5ucNmf6aKGvyCYc5s no comment (ED25519)\n\
            ec2: -----END SSH HOST KEY FINGERPRINTS-----\n\
            ec2: 256 SHA256:notInTheBlock no comment (RSA)\n";
        assert_eq!(host_key_fingerprints(console), ["SHA256:0bw/DHCWjERvkjpZAlZ3/WWvxiII08lk52dW65XRrtI (ECDSA)", "SHA256:IRbXnQ0n/C2RwU1GhGvYz3OY3d5ucNmf6aKGvyCYc5s (ED25519)"]);
        assert!(host_key_fingerprints("booting…").is_empty());
    }
}
