//! A grant bench for the engine tests: the emulator with the sandbox's network, a home for
//! the journal, the CLI, and the test's own SDK clients to check results with.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Filter;
use serde_json::Value;

use super::{cli, text, Emulator, Home};

pub const TARGET_IP: &str = "10.20.1.15";
/// The one role the tests let Datafold's policy pass (`--pass-role-arn`).
pub const NODE_ROLE: &str = "arn:aws:iam::123456789012:role/datafold-eks-nodes";
pub const DATAFOLD_ROOT: &str = "arn:aws:iam::710753145501:root";
pub const GRANT_TAG: &str = "vendorlink:grant";
/// Datafold's account in its preset, where the vendor's endpoint is made.
pub const VENDOR_ACCOUNT: &str = "710753145501";
/// A client of the vendor's, in the vendor's VPC (10.9.0.0/16).
pub const VENDOR_CLIENT_IP: &str = "10.9.1.10";

/// The emulator with the sandbox's network, a home for the journal, and an SDK to check with.
pub struct Bench {
    pub emulator: Emulator,
    pub home: Home,
    runtime: tokio::runtime::Runtime,
    pub config: aws_config::SdkConfig,
}

impl Bench {
    pub fn new() -> Self {
        let emulator = Emulator::start_sandbox();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let config = runtime.block_on(emulator.sdk_config());
        Bench { emulator, home: Home::new(), runtime, config }
    }

    /// The sandbox, and loopback HTTP allowed for the profiles and summaries the tests serve
    /// and receive on this machine (the window never allows it).
    pub fn env(&self) -> [(&str, &str); 2] {
        [("VENDORLINK_SANDBOX_ENDPOINT", self.emulator.endpoint.as_str()), ("VENDORLINK_TEST_ALLOW_LOOPBACK", "1")]
    }

    pub fn vl(&self, args: &[&str]) -> std::process::Output {
        cli(&self.home, &self.env(), args, "")
    }

    /// Plans a Datafold grant on orders-db with these parts; returns the plan as JSON.
    pub fn plan(&self, parts: &[&str], extra: &[&str]) -> Value {
        self.plan_for("datafold", parts, extra)
    }

    /// Datafold's profile as a file, with one address of its own: grants on the same database
    /// may not open the same address twice.
    pub fn datafold_from(&self, address: &str) -> String {
        let mut profile = vendorlink_engine::vendors::presets().into_iter().find(|p| p.id == "datafold").expect("datafold preset");
        profile.ip_ranges = vec![format!("{address}/32")];
        let path = self.home.path().join(format!("datafold-{address}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&profile).expect("profile JSON")).expect("write profile");
        path.display().to_string()
    }

    pub fn plan_for(&self, vendor: &str, parts: &[&str], extra: &[&str]) -> Value {
        self.plan_on("orders-db", vendor, parts, extra)
    }

    pub fn plan_on(&self, database: &str, vendor: &str, parts: &[&str], extra: &[&str]) -> Value {
        let mut args = vec!["--json", "plan", "--sandbox", "--vendor", vendor, "--database", database, "--target-ip", TARGET_IP, "--expires", "2099-01-31"];
        for part in parts {
            args.extend(["--part", part]);
        }
        // Datafold's policy passes every role, which a plan refuses: scoped to one node role
        // unless the test chooses.
        if parts.contains(&"vendor-role") && !extra.iter().any(|a| a.contains("pass-role")) {
            args.extend(["--pass-role-arn", NODE_ROLE]);
        }
        args.extend(extra);
        let out = self.vl(&args);
        assert!(out.status.success(), "plan failed: {}{}", text(&out.stdout), text(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("plan JSON")
    }

    pub fn apply(&self, grant: &str) -> std::process::Output {
        self.vl(&["--json", "apply", grant])
    }

    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    pub fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.config)
    }

    pub fn elb(&self) -> aws_sdk_elasticloadbalancingv2::Client {
        aws_sdk_elasticloadbalancingv2::Client::new(&self.config)
    }

    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.config)
    }

    /// The sandbox organization's account ids by name, from Organizations.
    pub fn organization_accounts(&self) -> BTreeMap<String, String> {
        let org = aws_sdk_organizations::Client::new(&self.config);
        let out = self.block_on(org.list_accounts().send()).expect("list accounts");
        out.accounts().iter().map(|a| (a.name().unwrap_or_default().to_owned(), a.id().unwrap_or_default().to_owned())).collect()
    }

    /// Credentials inside a member account of the sandbox organization, got as an admin would,
    /// through OrganizationAccountAccessRole.
    pub fn member_credentials(&self, account: &str) -> aws_credential_types::Credentials {
        let sts = aws_sdk_sts::Client::new(&self.config);
        let role_arn = format!("arn:aws:iam::{account}:role/OrganizationAccountAccessRole");
        let out = self.block_on(sts.assume_role().role_arn(&role_arn).role_session_name("test-checks").send()).expect("the test enters the member account");
        let c = out.credentials().expect("credentials");
        aws_credential_types::Credentials::new(c.access_key_id(), c.secret_access_key(), Some(c.session_token().to_owned()), None, "test")
    }

    /// The test's own SDK configuration inside a member account (see `member_credentials`).
    pub fn member_config(&self, account: &str, region: &str) -> aws_config::SdkConfig {
        let credentials = self.member_credentials(account);
        self.config
            .to_builder()
            .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(credentials))
            .region(aws_config::Region::new(region.to_owned()))
            .build()
    }

    /// orders-db's security group, as RDS reports it.
    pub fn db_group(&self) -> String {
        let rds = aws_sdk_rds::Client::new(&self.config);
        let out = self.block_on(rds.describe_db_instances().db_instance_identifier("orders-db").send()).expect("describe orders-db");
        out.db_instances()[0].vpc_security_groups()[0].vpc_security_group_id().expect("group").to_owned()
    }

    /// Everything carrying the grant's tag, by kind, found with the test's own calls.
    pub fn tagged(&self, grant: &str) -> BTreeMap<&'static str, Vec<String>> {
        let mut found: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let by_grant = || Filter::builder().name(format!("tag:{GRANT_TAG}")).values(grant).build();
        let groups = self.block_on(self.ec2().describe_security_groups().filters(by_grant()).send()).expect("groups");
        found.insert("securityGroup", groups.security_groups().iter().filter_map(|g| g.group_id().map(str::to_owned)).collect());
        let rules = self.block_on(self.ec2().describe_security_group_rules().filters(by_grant()).send()).expect("rules");
        found.insert("rule", rules.security_group_rules().iter().filter_map(|r| r.security_group_rule_id().map(str::to_owned)).collect());
        let services = self.block_on(self.ec2().describe_vpc_endpoint_service_configurations().send()).expect("services");
        found.insert(
            "endpointService",
            services
                .service_configurations()
                .iter()
                .filter(|s| s.tags().iter().any(|t| t.key() == Some(GRANT_TAG) && t.value() == Some(grant)))
                .filter_map(|s| s.service_id().map(str::to_owned))
                .collect(),
        );
        let lbs = self.block_on(self.elb().describe_load_balancers().send()).expect("lbs");
        let tgs = self.block_on(self.elb().describe_target_groups().send()).expect("tgs");
        let arns: Vec<String> = lbs
            .load_balancers()
            .iter()
            .filter_map(|l| l.load_balancer_arn().map(str::to_owned))
            .chain(tgs.target_groups().iter().filter_map(|t| t.target_group_arn().map(str::to_owned)))
            .collect();
        let mut lb_found = Vec::new();
        let mut tg_found = Vec::new();
        for chunk in arns.chunks(20) {
            let tags = self.block_on(self.elb().describe_tags().set_resource_arns(Some(chunk.to_vec())).send()).expect("tags");
            for description in tags.tag_descriptions() {
                if description.tags().iter().any(|t| t.key() == Some(GRANT_TAG) && t.value() == Some(grant)) {
                    let arn = description.resource_arn().unwrap_or_default().to_owned();
                    if arn.contains(":targetgroup/") { &mut tg_found } else { &mut lb_found }.push(arn);
                }
            }
        }
        found.insert("loadBalancer", lb_found);
        found.insert("targetGroup", tg_found);
        let roles = self.block_on(self.iam().list_roles().send()).expect("roles");
        let mut role_found = Vec::new();
        for role in roles.roles() {
            let tags = self.block_on(self.iam().list_role_tags().role_name(role.role_name()).send()).expect("role tags");
            if tags.tags().iter().any(|t| t.key() == GRANT_TAG && t.value() == grant) {
                role_found.push(role.role_name().to_owned());
            }
        }
        found.insert("role", role_found);
        found
    }

    /// The grant's endpoint service (id, name), found by its tag with the test's own calls.
    pub fn endpoint_service(&self, grant: &str) -> (String, String) {
        let services = self.block_on(self.ec2().describe_vpc_endpoint_service_configurations().send()).expect("services");
        let service = services
            .service_configurations()
            .iter()
            .find(|s| s.tags().iter().any(|t| t.key() == Some(GRANT_TAG) && t.value() == Some(grant)))
            .unwrap_or_else(|| panic!("no endpoint service tagged {grant}"));
        (service.service_id().unwrap_or_default().to_owned(), service.service_name().unwrap_or_default().to_owned())
    }

    /// The vendor's side: a VPC and an interface endpoint to `service_name` in the vendor's
    /// own account (credentials from assume-role, as a second account). Returns its EC2
    /// client and the endpoint's id.
    pub fn vendor_endpoint(&self, service_name: &str) -> (aws_sdk_ec2::Client, String) {
        self.endpoint_from(VENDOR_ACCOUNT, service_name)
    }

    /// The SDK as `account` sees it in `region`, entered through its `connector` role.
    pub fn config_of(&self, account: &str, region: &str) -> aws_config::SdkConfig {
        let sts = aws_sdk_sts::Client::new(&self.config);
        let assumed = self
            .block_on(sts.assume_role().role_arn(format!("arn:aws:iam::{account}:role/connector")).role_session_name("vendor").send())
            .expect("assume role")
            .credentials
            .expect("credentials");
        let credentials = aws_credential_types::Credentials::new(assumed.access_key_id, assumed.secret_access_key, Some(assumed.session_token), None, "vendor");
        self.block_on(
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .endpoint_url(&self.emulator.endpoint)
                .region(aws_config::Region::new(region.to_owned()))
                .credentials_provider(credentials)
                .load(),
        )
    }

    /// EC2 as `account` sees it in `region`.
    pub fn ec2_of(&self, account: &str, region: &str) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.config_of(account, region))
    }

    /// EC2 as the vendor (Datafold's account) sees it.
    pub fn vendor_ec2(&self, region: &str) -> aws_sdk_ec2::Client {
        self.ec2_of(VENDOR_ACCOUNT, region)
    }

    /// Runs `args` (a `--json plan`) and checks it is refused with `words` in the message of `field`.
    pub fn refused(&self, args: &[&str], field: &str, words: &str) {
        let out = self.vl(args);
        assert!(!out.status.success(), "refused: {}", text(&out.stdout));
        let answer: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("JSON expected: {}{}", text(&out.stdout), text(&out.stderr)));
        let fields = answer["error"]["fields"].as_array().cloned().unwrap_or_default();
        assert!(fields.iter().any(|f| f["field"] == field && f["message"].as_str().is_some_and(|m| m.contains(words))), "{field}: {words:?} in {answer:#}");
    }

    /// orders-db's VPC, as RDS reports it.
    pub fn prod_vpc(&self) -> String {
        let rds = aws_sdk_rds::Client::new(&self.config);
        let out = self.block_on(rds.describe_db_instances().db_instance_identifier("orders-db").send()).expect("describe orders-db");
        out.db_instances()[0].db_subnet_group().and_then(|g| g.vpc_id()).expect("vpc").to_owned()
    }

    /// A VPC in the vendor's account with `blocks` (the first primary, the rest secondary), with
    /// DNS hostnames on as the vendor's side of DNS resolution over a peering needs (R19).
    pub fn vendor_vpc(&self, vendor: &aws_sdk_ec2::Client, blocks: &[&str]) -> String {
        let vpc = self.block_on(vendor.create_vpc().cidr_block(blocks[0]).send()).expect("vendor vpc").vpc.and_then(|v| v.vpc_id).expect("vpc id");
        let on = aws_sdk_ec2::types::AttributeBooleanValue::builder().value(true).build();
        self.block_on(vendor.modify_vpc_attribute().vpc_id(&vpc).enable_dns_hostnames(on).send()).expect("DNS hostnames");
        for block in &blocks[1..] {
            self.block_on(vendor.associate_vpc_cidr_block().vpc_id(&vpc).cidr_block(*block).send()).expect("secondary block");
        }
        vpc
    }

    /// The vendor's peering request from its VPC `from` to the customer's VPC `to`.
    pub fn vendor_peering_request(&self, vendor: &aws_sdk_ec2::Client, from: &str, to: &str) -> String {
        let out = self.block_on(vendor.create_vpc_peering_connection().vpc_id(from).peer_vpc_id(to).peer_owner_id("123456789012").send()).expect("the vendor's request");
        out.vpc_peering_connection().and_then(|c| c.vpc_peering_connection_id()).expect("pcx id").to_owned()
    }

    /// A peering connection's status code, as the customer sees it.
    pub fn peering_status(&self, id: &str) -> String {
        let out = self.block_on(self.ec2().describe_vpc_peering_connections().vpc_peering_connection_ids(id).send()).expect("describe peering");
        out.vpc_peering_connections()[0].status().and_then(|s| s.code()).map(|c| c.as_str().to_owned()).unwrap_or_default()
    }

    /// An interface endpoint to `service_name` made in `account`'s own VPC.
    pub fn endpoint_from(&self, account: &str, service_name: &str) -> (aws_sdk_ec2::Client, String) {
        let vendor = self.ec2_of(account, "us-east-1");
        let vpc = self.block_on(vendor.create_vpc().cidr_block("10.9.0.0/16").send()).expect("vendor vpc").vpc.and_then(|v| v.vpc_id).expect("vpc id");
        let endpoint = self
            .block_on(vendor.create_vpc_endpoint().vpc_id(&vpc).service_name(service_name).vpc_endpoint_type(aws_sdk_ec2::types::VpcEndpointType::Interface).send())
            .expect("vendor endpoint")
            .vpc_endpoint
            .and_then(|e| e.vpc_endpoint_id)
            .expect("endpoint id");
        (vendor, endpoint)
    }

    /// The vendor's endpoint, and one of another account (111122223333) that someone allowed on
    /// the service by hand: only an allowed principal can create an endpoint to a service.
    /// Returns the service id and both endpoint ids.
    pub fn vendor_and_stranger_endpoints(&self, grant: &str) -> (String, String, String) {
        let (service_id, service_name) = self.endpoint_service(grant);
        let (_, vendor) = self.vendor_endpoint(&service_name);
        self.block_on(self.ec2().modify_vpc_endpoint_service_permissions().service_id(&service_id).add_allowed_principals("arn:aws:iam::111122223333:root").send())
            .expect("principal by hand");
        let (_, stranger) = self.endpoint_from("111122223333", &service_name);
        (service_id, vendor, stranger)
    }

    /// Whether the vendor's client, through its endpoint, reaches orders-db (network model).
    pub fn vendor_reaches(&self, endpoint: &str) -> serde_json::Value {
        self.emulator.reach(serde_json::json!({ "endpoint": endpoint, "client_ip": VENDOR_CLIENT_IP }), TARGET_IP, 5432)
    }

    pub fn counts(&self, grant: &str) -> BTreeMap<&'static str, usize> {
        self.tagged(grant).into_iter().map(|(k, v)| (k, v.len())).collect()
    }

    /// Runs the CLI until it stops before journal record `n` and returns it, still running
    /// (its stderr already read up to the pause); `None` when it finished before reaching it.
    pub fn pause_at(&self, args: &[&str], n: usize) -> Option<std::process::Child> {
        self.paused(args, ("VENDORLINK_TEST_PAUSE_BEFORE_RECORD", &n.to_string()), &format!("paused before journal record {n}\n"))
    }

    fn paused(&self, args: &[&str], pause: (&str, &str), marker: &str) -> Option<std::process::Child> {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};
        let mut command = Command::new(super::binary("vendorlink"));
        command.args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
        for var in super::AWS_VARS {
            command.env_remove(var);
        }
        command.envs(self.home.env()).envs(self.env()).env(pause.0, pause.1);
        let mut child = command.spawn().expect("spawn vendorlink");
        let stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let paused = stderr.lines().map_while(Result::ok).any(|line| format!("{line}\n").contains(marker));
        if paused {
            Some(child)
        } else {
            child.wait().expect("reap");
            None
        }
    }

    /// Runs the CLI until it stops before journal record `n`, then kills it with SIGKILL (no
    /// destructor, no flush: like a crash). False when it finished before reaching record `n`.
    pub fn kill_at(&self, args: &[&str], n: usize) -> bool {
        let Some(mut child) = self.pause_at(args, n) else { return false };
        child.kill().expect("kill -9");
        child.wait().expect("reap");
        true
    }

    /// Like `kill_at`, before one step's record of one kind (`sync-function:created`): stays on
    /// that boundary when independent steps run side by side.
    pub fn kill_before(&self, args: &[&str], step_record: &str) -> bool {
        let Some(mut child) = self.paused(args, ("VENDORLINK_TEST_PAUSE_BEFORE_STEP_RECORD", step_record), "paused before journal record ") else { return false };
        child.kill().expect("kill -9");
        child.wait().expect("reap");
        true
    }

    pub fn journal(&self, grant: &str) -> Vec<Value> {
        let path = self.home.path().join(".local/share/vendorlink/grants").join(grant).join("journal.jsonl");
        std::fs::read_to_string(&path).unwrap_or_default().lines().map(|l| serde_json::from_str(l).expect("journal line is JSON")).collect()
    }
}

pub fn grant_id(plan: &Value) -> String {
    plan["grantId"].as_str().expect("grantId").to_owned()
}

/// IAM returns policy documents URL-encoded.
pub fn policy_json(document: &str) -> Value {
    serde_json::from_str(document).unwrap_or_else(|_| {
        let decoded: String = url::form_urlencoded::parse(format!("d={}", document.replace('+', "%2B")).as_bytes()).map(|(_, v)| v.into_owned()).collect();
        serde_json::from_str(&decoded).expect("policy document is JSON")
    })
}
