//! A resource endpoint for the vendor (docs/aws-rules.md R21), against the emulator: a VPC
//! Lattice resource gateway in orders-db's VPC, a resource configuration naming the database
//! by its ARN, shared with ClickHouse ClickPipes' account through AWS RAM; the vendor accepts
//! the invitation, makes its `Resource` endpoint and reaches the database, until the revoke
//! takes the share back, cuts its endpoint off and proves it. Every result is checked with the
//! test's own calls, as the customer and as the vendor.

mod support;

use serde_json::Value;
use support::bench::{grant_id, Bench};
use support::text;

/// ClickHouse ClickPipes' account (its preset, from its PrivateLink guide).
const CLICKPIPES: &str = "072088201116";

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("JSON expected: {}{}", text(&out.stdout), text(&out.stderr)))
}

fn plan_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--json", "plan", "--sandbox", "--vendor", "clickhouse", "--database", "orders-db", "--part", "resource-endpoint"];
    args.extend(extra);
    args
}

fn lattice(bench: &Bench) -> aws_sdk_vpclattice::Client {
    aws_sdk_vpclattice::Client::new(&bench.config)
}

/// The emulator's answer to a control call.
fn control(bench: &Bench, path: &str, body: Value) -> Value {
    let answer = reqwest::blocking::Client::new().post(format!("{}/_emulator/{path}", bench.emulator.endpoint)).json(&body).send().expect("control");
    assert!(answer.status().is_success(), "{path}: {}", answer.status());
    answer.json().expect("json")
}

/// The grant's gateways and configurations that exist (ARNs), by the grant tag.
fn lattice_resources(bench: &Bench, grant: &str) -> (Vec<String>, Vec<String>) {
    let client = lattice(bench);
    let tagged = |arn: &str| {
        bench.block_on(client.list_tags_for_resource().resource_arn(arn).send()).ok().and_then(|t| t.tags().and_then(|m| m.get("vendorlink:grant").cloned())).as_deref()
            == Some(grant)
    };
    let gateways = bench.block_on(client.list_resource_gateways().send()).expect("gateways");
    let configurations = bench.block_on(client.list_resource_configurations().send()).expect("configurations");
    (
        gateways.items().iter().filter_map(|g| g.arn()).filter(|a| tagged(a)).map(str::to_owned).collect(),
        configurations.items().iter().filter_map(|c| c.arn()).filter(|a| tagged(a)).map(str::to_owned).collect(),
    )
}

/// The grant's resource shares that are not deleted.
fn shares(bench: &Bench, grant: &str) -> Vec<String> {
    let ram = aws_sdk_ram::Client::new(&bench.config);
    let filter = aws_sdk_ram::types::TagFilter::builder().tag_key("vendorlink:grant").tag_values(grant).build();
    let out = bench.block_on(ram.get_resource_shares().resource_owner(aws_sdk_ram::types::ResourceOwner::SelfValue).tag_filters(filter).send()).expect("shares");
    out.resource_shares().iter().filter(|s| s.status().map(|s| s.as_str()) != Some("DELETED")).filter_map(|s| s.resource_share_arn().map(str::to_owned)).collect()
}

/// Inbound rules of a group: (port, cidr or source group).
fn rules_of(bench: &Bench, group: &str) -> Vec<(i32, String)> {
    let filter = aws_sdk_ec2::types::Filter::builder().name("group-id").values(group).build();
    let out = bench.block_on(bench.ec2().describe_security_group_rules().filters(filter).send()).expect("rules");
    out.security_group_rules()
        .iter()
        .filter(|r| r.is_egress() == Some(false))
        .map(|r| {
            (
                r.from_port().unwrap_or_default(),
                r.cidr_ipv4().map(str::to_owned).or_else(|| r.referenced_group_info().and_then(|g| g.group_id()).map(str::to_owned)).unwrap_or_default(),
            )
        })
        .collect()
}

/// The vendor's side: accepts the pending invitation, then makes a `Resource` endpoint for the
/// configuration in a VPC of its own (subnets in us-east-1a and -b, where the gateway is too).
fn vendor_connects(bench: &Bench, configuration: &str) -> (aws_sdk_ec2::Client, String) {
    let config = bench.config_of(CLICKPIPES, "us-east-1");
    let ram = aws_sdk_ram::Client::new(&config);
    let invitations = bench.block_on(ram.get_resource_share_invitations().send()).expect("invitations");
    let pending: Vec<&str> =
        invitations.resource_share_invitations().iter().filter(|i| i.status().map(|s| s.as_str()) == Some("PENDING")).filter_map(|i| i.resource_share_invitation_arn()).collect();
    assert_eq!(pending.len(), 1, "one invitation waits for the vendor: {invitations:?}");
    bench.block_on(ram.accept_resource_share_invitation().resource_share_invitation_arn(pending[0]).send()).expect("accept");
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let vpc = bench.vendor_vpc(&ec2, &["10.9.0.0/16"]);
    let subnet = |cidr: &str, zone: &str| {
        bench.block_on(ec2.create_subnet().vpc_id(&vpc).cidr_block(cidr).availability_zone(zone).send()).expect("subnet").subnet.and_then(|s| s.subnet_id).expect("subnet id")
    };
    let subnets = [subnet("10.9.1.0/24", "us-east-1a"), subnet("10.9.2.0/24", "us-east-1b")];
    let endpoint = bench
        .block_on(
            ec2.create_vpc_endpoint()
                .vpc_endpoint_type(aws_sdk_ec2::types::VpcEndpointType::Resource)
                .vpc_id(&vpc)
                .set_subnet_ids(Some(subnets.to_vec()))
                .resource_configuration_arn(configuration)
                .send(),
        )
        .expect("the vendor's Resource endpoint")
        .vpc_endpoint
        .and_then(|e| e.vpc_endpoint_id)
        .expect("endpoint id");
    (ec2, endpoint)
}

#[test]
fn a_resource_endpoint_lets_the_vendor_reach_the_database_until_the_revoke_cuts_it_off_with_proof() {
    let bench = Bench::new();
    let plan = json(&bench.vl(&plan_args(&[])));
    let grant = grant_id(&plan);
    let steps: Vec<&str> = plan["steps"].as_array().expect("steps").iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(steps, ["gateway-sg", "db-sg-from-gateway", "resource-gateway", "resource-config", "resource-share"]);
    assert!(plan["iamActions"].as_array().expect("actions").iter().any(|a| a == "ram:CreateResourceShare"), "{plan:#}");

    let out = bench.apply(&grant);
    assert!(out.status.success(), "apply: {}{}", text(&out.stdout), text(&out.stderr));
    let (gateways, configurations) = lattice_resources(&bench, &grant);
    assert_eq!((gateways.len(), configurations.len()), (1, 1), "{gateways:?} {configurations:?}");
    let client = lattice(&bench);
    let gateway = bench.block_on(client.get_resource_gateway().resource_gateway_identifier(&gateways[0]).send()).expect("gateway");
    assert_eq!(gateway.status().map(|s| s.as_str()), Some("ACTIVE"));
    assert_eq!(gateway.vpc_id(), Some(bench.prod_vpc().as_str()));
    assert_eq!(gateway.subnet_ids().len(), 3, "one subnet in each of orders-db's three zones");
    let gateway_group = gateway.security_group_ids().first().cloned().expect("the gateway's group");
    assert!(rules_of(&bench, &gateway_group).is_empty(), "nothing may connect to the gateway's interfaces");
    let db_rules = rules_of(&bench, &bench.db_group());
    assert!(db_rules.contains(&(5432, gateway_group.clone())), "the database admits the gateway's group on its port: {db_rules:?}");
    let configuration = bench.block_on(client.get_resource_configuration().resource_configuration_identifier(&configurations[0]).send()).expect("configuration");
    assert_eq!(configuration.status().map(|s| s.as_str()), Some("ACTIVE"));
    let rds = aws_sdk_rds::Client::new(&bench.config);
    let orders = bench.block_on(rds.describe_db_instances().db_instance_identifier("orders-db").send()).expect("orders-db");
    let db_arn = orders.db_instances()[0].db_instance_arn().expect("arn").to_owned();
    match configuration.resource_configuration_definition() {
        Some(aws_sdk_vpclattice::types::ResourceConfigurationDefinition::ArnResource(a)) => assert_eq!(a.arn(), Some(db_arn.as_str())),
        other => panic!("the database by its ARN, not {other:?}"),
    }
    assert_eq!(configuration.allow_association_to_shareable_service_network(), Some(false), "shared with the vendor only");
    let shared = shares(&bench, &grant);
    assert_eq!(shared.len(), 1, "{shared:?}");

    // Handed over while the vendor has not accepted yet.
    let summary = json(&bench.vl(&["--json", "handoff", &grant]));
    let resource = &summary["resourceEndpoint"];
    assert_eq!(resource["resourceConfigurationArn"], configurations[0].as_str(), "{summary:#}");
    assert_eq!(resource["shareArn"], shared[0].as_str());
    assert_eq!(resource["invitationStatus"], "ASSOCIATING", "an account outside the organization has an invitation to accept");
    assert_eq!(resource["port"], 5432);
    assert_eq!(resource["tlsHostname"], orders.db_instances()[0].endpoint().and_then(|e| e.address()).expect("host"));
    let next = summary["nextSteps"].as_array().expect("next steps");
    assert!(next.iter().any(|s| s.as_str().is_some_and(|t| t.contains("Accept the resource share"))), "{summary:#}");
    assert!(next.iter().any(|s| s.as_str().is_some_and(|t| t.contains("VPC endpoint of type Resource"))), "{summary:#}");
    let rendered = text(&bench.vl(&["handoff", &grant]).stdout);
    assert!(rendered.contains(&configurations[0]) && !rendered.contains("SecretAccessKey"), "{rendered}");

    // The vendor accepts, makes its endpoint and reaches the database through it.
    let (vendor, endpoint) = vendor_connects(&bench, &configurations[0]);
    let reach = control(&bench, "lattice/access", serde_json::json!({ "endpoint": endpoint }));
    assert_eq!(reach["connected"], true, "{reach:#}");
    let summary = json(&bench.vl(&["--json", "handoff", &grant]));
    assert_eq!(summary["resourceEndpoint"]["invitationStatus"], "ASSOCIATED", "{summary:#}");
    assert!(!summary["nextSteps"].as_array().expect("next steps").iter().any(|s| s.as_str().is_some_and(|t| t.contains("Accept the resource share"))));

    // Shared with another account by hand: drift.
    let status = json(&bench.vl(&["--json", "status", &grant]));
    assert_eq!(status["drift"], serde_json::json!([]), "{status:#}");
    let ram = aws_sdk_ram::Client::new(&bench.config);
    bench.block_on(ram.associate_resource_share().resource_share_arn(&shared[0]).principals("111122223333").send()).expect("a principal by hand");
    let status = json(&bench.vl(&["--json", "status", &grant]));
    assert!(
        status["drift"]
            .as_array()
            .expect("drift")
            .iter()
            .any(|d| d["step"] == "resource-share" && d["kind"] == "addedByHand" && d["detail"].as_str().is_some_and(|t| t.contains("111122223333"))),
        "{status:#}"
    );

    let out = bench.vl(&["--json", "revoke", &grant, "--access-only"]);
    assert!(out.status.success(), "revoke: {}{}", text(&out.stdout), text(&out.stderr));
    let record = json(&out);
    let checks = record["checks"].as_array().expect("checks");
    assert!(checks.iter().all(|c| c["passed"] == true), "{record:#}");
    for claim in [
        format!("Account {CLICKPIPES} no longer has resource share {}", shared[0]),
        "No VPC endpoint is associated with resource configuration".to_owned(),
        "Resource configuration".to_owned(),
        "Resource gateway".to_owned(),
    ] {
        assert!(checks.iter().any(|c| c["check"].as_str().is_some_and(|t| t.contains(&claim))), "{claim} in {record:#}");
    }
    let removed: Vec<&str> = record["removed"].as_array().expect("removed").iter().filter_map(|r| r["step"].as_str()).collect();
    assert_eq!(removed, ["resource-share", "resource-endpoints", "resource-config", "resource-gateway", "db-sg-from-gateway", "gateway-sg"], "{record:#}");
    // The vendor's own view: its endpoint reaches nothing, and no new one can be made.
    let reach = control(&bench, "lattice/access", serde_json::json!({ "endpoint": endpoint }));
    assert_eq!(reach["connected"], false, "{reach:#}");
    let again = bench.block_on(
        vendor.create_vpc_endpoint().vpc_endpoint_type(aws_sdk_ec2::types::VpcEndpointType::Resource).vpc_id("vpc-unused").resource_configuration_arn(&configurations[0]).send(),
    );
    assert!(again.is_err(), "the vendor cannot make a new endpoint: {again:?}");
    assert_eq!(lattice_resources(&bench, &grant), (Vec::new(), Vec::new()));
    assert_eq!(shares(&bench, &grant), Vec::<String>::new());
    assert!(!rules_of(&bench, &bench.db_group()).iter().any(|(_, from)| *from == gateway_group));
}

#[test]
fn what_a_resource_endpoint_cannot_do_is_refused_before_any_change_and_a_failed_apply_leaves_nothing() {
    let bench = Bench::new();
    let before = bench.emulator.calls().len();
    // orders-db is an instance: it has no reader endpoint.
    bench.refused(&plan_args(&["--resource-target", "reader-dns"]), "resourceTarget", "has no reader endpoint");
    // Datafold connects from us-west-2 only: a resource endpoint is not offered across Regions.
    bench.refused(&["--json", "plan", "--sandbox", "--vendor", "datafold", "--database", "orders-db", "--part", "resource-endpoint"], "parts", "reached only from its own Region");
    // A zone of orders-db whose only subnet has no room for the gateway's 16 addresses.
    let filter = aws_sdk_ec2::types::Filter::builder().name("tag:Name").values("prod-data-private-c").build();
    let subnet_c = bench.block_on(bench.ec2().describe_subnets().filters(filter).send()).expect("subnets").subnets()[0].subnet_id().expect("id").to_owned();
    let filled = control(&bench, "lattice/fill-subnet", serde_json::json!({ "subnet": subnet_c, "free": 5 }));
    bench.refused(&plan_args(&[]), "database.subnets", &format!("{subnet_c} (5 free)"));
    let changed: Vec<String> = bench.emulator.calls()[before..]
        .iter()
        .filter(|c| ["CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "CreateResourceGateway", "CreateResourceConfiguration", "CreateResourceShare"].contains(&c.as_str()))
        .cloned()
        .collect();
    assert_eq!(changed, Vec::<String>::new(), "every refusal came before any change");
    bench.block_on(bench.ec2().delete_network_interface().network_interface_id(filled["eni"].as_str().expect("eni")).send()).expect("room again");

    // A configuration AWS refuses rolls the gateway, its group and the database's rule back.
    let grant = grant_id(&json(&bench.vl(&plan_args(&["--resource-target", "writer-dns"]))));
    let rules_before = rules_of(&bench, &bench.db_group());
    bench.emulator.fault("CreateResourceConfiguration", "http500", 10);
    let out = bench.apply(&grant);
    bench.emulator.clear_faults();
    assert!(!out.status.success(), "apply must fail: {}", text(&out.stdout));
    assert_eq!(lattice_resources(&bench, &grant), (Vec::new(), Vec::new()), "the gateway is removed again");
    let filter = aws_sdk_ec2::types::Filter::builder().name("tag:vendorlink:grant").values(&grant).build();
    let groups = bench.block_on(bench.ec2().describe_security_groups().filters(filter).send()).expect("groups");
    assert_eq!(groups.security_groups().len(), 0, "the gateway's group is removed again");
    assert_eq!(rules_of(&bench, &bench.db_group()), rules_before, "the database's rule is removed again");
}

#[test]
fn an_apply_killed_at_every_journal_boundary_resumes_to_one_gateway_configuration_and_share() {
    let bench = Bench::new();
    // RunStarted, then Calling + Created for the group, the database's rule, the gateway, the configuration and the share.
    for n in 1..=11 {
        let grant = grant_id(&json(&bench.vl(&plan_args(&[]))));
        assert!(bench.kill_at(&["apply", &grant], n), "apply finished before journal record {n}");
        let resumed = bench.vl(&["resume", &grant]);
        assert!(resumed.status.success(), "resume after a kill before record {n}: {}{}", text(&resumed.stdout), text(&resumed.stderr));
        let (gateways, configurations) = lattice_resources(&bench, &grant);
        assert_eq!((gateways.len(), configurations.len(), shares(&bench, &grant).len()), (1, 1, 1), "after a kill before record {n}");
        let out = bench.vl(&["--json", "revoke", &grant]);
        assert!(out.status.success() && json(&out)["checks"].as_array().expect("checks").iter().all(|c| c["passed"] == true), "revoke after record {n}: {}", text(&out.stdout));
        assert_eq!(lattice_resources(&bench, &grant), (Vec::new(), Vec::new()), "after record {n}");
        assert_eq!(shares(&bench, &grant), Vec::<String>::new(), "after record {n}");
    }
}

#[test]
fn a_connected_resource_endpoint_recorded_nowhere_here_is_cut_and_removed_by_its_tag() {
    let bench = Bench::new();
    let grant = grant_id(&json(&bench.vl(&plan_args(&[]))));
    assert!(bench.apply(&grant).status.success());
    let (_, configurations) = lattice_resources(&bench, &grant);
    let (_, endpoint) = vendor_connects(&bench, &configurations[0]);
    assert_eq!(control(&bench, "lattice/access", serde_json::json!({ "endpoint": endpoint }))["connected"], true);
    std::fs::remove_dir_all(bench.home.path().join(".local/share/vendorlink/grants").join(&grant)).expect("the record is lost");

    let out = bench.vl(&["--json", "revoke", &grant, "--by-tag", "--sandbox"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let record = json(&out);
    assert!(record["checks"].as_array().expect("checks").iter().all(|c| c["passed"] == true), "{record:#}");
    let removed: Vec<&str> = record["removed"].as_array().expect("removed").iter().filter_map(|r| r["step"].as_str()).collect();
    let at = |step: &str| removed.iter().position(|s| *s == step).unwrap_or_else(|| panic!("{step} not removed: {removed:?}"));
    // The share, then the vendor's endpoint cut, then the configuration: a share taken back
    // leaves a connected endpoint connected (R21.12).
    assert!(at("tagged-resourceShare") < at("resource-endpoints") && at("resource-endpoints") < at("tagged-resourceConfiguration"), "{removed:?}");
    assert!(at("tagged-resourceConfiguration") < at("tagged-resourceGateway") && at("tagged-resourceGateway") < at("tagged-securityGroup"), "{removed:?}");
    assert_eq!(control(&bench, "lattice/access", serde_json::json!({ "endpoint": endpoint }))["connected"], false, "the vendor is cut off");
    assert_eq!(lattice_resources(&bench, &grant), (Vec::new(), Vec::new()));
    assert_eq!(shares(&bench, &grant), Vec::<String>::new());
}
