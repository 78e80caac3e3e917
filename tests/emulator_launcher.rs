//! The emulator's additions, checked through the real AWS SDK: endpoint connections between
//! two accounts, and each kind of injected fault.
mod support;

use std::time::{Duration, Instant};

use aws_config::{retry::RetryConfig, BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_sdk_ec2::types::Filter;
use aws_sdk_elasticloadbalancingv2::types::{LoadBalancerSchemeEnum, LoadBalancerTypeEnum};
use support::Emulator;

const VENDOR_ACCOUNT: &str = "710753145501";

async fn config(emulator: &Emulator, credentials: Credentials, attempts: u32) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&emulator.endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials)
        .retry_config(RetryConfig::standard().with_max_attempts(attempts))
        .load()
        .await
}

fn owner_credentials() -> Credentials {
    Credentials::new("AKIAOWNEREXAMPLE0001", "owner-secret", None, None, "test")
}

#[tokio::test]
async fn endpoint_connections_can_be_listed_accepted_and_rejected() {
    let emulator = Emulator::start();
    let owner = config(&emulator, owner_credentials(), 1).await;
    let ec2 = aws_sdk_ec2::Client::new(&owner);
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&owner);

    let vpc = ec2.create_vpc().cidr_block("10.0.0.0/16").send().await.expect("vpc").vpc.and_then(|v| v.vpc_id).expect("vpc id");
    let subnet = ec2
        .create_subnet()
        .vpc_id(&vpc)
        .cidr_block("10.0.1.0/24")
        .availability_zone("us-east-1a")
        .send()
        .await
        .expect("subnet")
        .subnet
        .and_then(|s| s.subnet_id)
        .expect("subnet id");
    let nlb = elb
        .create_load_balancer()
        .name("db")
        .r#type(LoadBalancerTypeEnum::Network)
        .scheme(LoadBalancerSchemeEnum::Internal)
        .subnets(&subnet)
        .send()
        .await
        .expect("nlb")
        .load_balancers
        .and_then(|l| l.into_iter().next())
        .and_then(|l| l.load_balancer_arn)
        .expect("nlb arn");
    let service = ec2
        .create_vpc_endpoint_service_configuration()
        .network_load_balancer_arns(&nlb)
        .acceptance_required(true)
        .send()
        .await
        .expect("service")
        .service_configuration
        .expect("configuration");
    let (service_id, service_name) = (service.service_id.expect("id"), service.service_name.expect("name"));

    // The vendor works in its own account, with credentials from assume-role.
    let sts = aws_sdk_sts::Client::new(&owner);
    let assumed = sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{VENDOR_ACCOUNT}:role/vendor"))
        .role_session_name("vendor")
        .send()
        .await
        .expect("assume role")
        .credentials
        .expect("credentials");
    let vendor_credentials = Credentials::new(assumed.access_key_id, assumed.secret_access_key, Some(assumed.session_token), None, "vendor");
    let vendor = aws_sdk_ec2::Client::new(&config(&emulator, vendor_credentials, 1).await);
    let vendor_vpc = vendor.create_vpc().cidr_block("10.9.0.0/16").send().await.expect("vendor vpc").vpc.and_then(|v| v.vpc_id).expect("id");
    let connect = || vendor.create_vpc_endpoint().vpc_id(&vendor_vpc).service_name(&service_name).vpc_endpoint_type(aws_sdk_ec2::types::VpcEndpointType::Interface).send();
    // Until the owner allows the vendor's account, the service does not exist for it (R4).
    let refused = connect().await.expect_err("an account not allowed cannot connect");
    assert_eq!(refused.as_service_error().and_then(aws_sdk_ec2::error::ProvideErrorMetadata::code), Some("InvalidServiceName"));
    ec2.modify_vpc_endpoint_service_permissions()
        .service_id(&service_id)
        .add_allowed_principals(format!("arn:aws:iam::{VENDOR_ACCOUNT}:root"))
        .send()
        .await
        .expect("allow the vendor");
    let endpoint = connect().await.expect("endpoint").vpc_endpoint.and_then(|e| e.vpc_endpoint_id).expect("endpoint id");

    let connections = || async {
        ec2.describe_vpc_endpoint_connections()
            .filters(Filter::builder().name("service-id").values(&service_id).build())
            .send()
            .await
            .expect("describe connections")
            .vpc_endpoint_connections
            .unwrap_or_default()
    };
    let listed = connections().await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].vpc_endpoint_id.as_deref(), Some(endpoint.as_str()));
    assert_eq!(listed[0].vpc_endpoint_owner.as_deref(), Some(VENDOR_ACCOUNT));
    assert_eq!(listed[0].vpc_endpoint_state.as_ref().map(|s| s.as_str()), Some("pendingAcceptance"));

    let vendor_state =
        || async { vendor.describe_vpc_endpoints().send().await.expect("vendor describe").vpc_endpoints.unwrap_or_default()[0].state.as_ref().map(|s| s.as_str().to_owned()) };
    let accepted = ec2.accept_vpc_endpoint_connections().service_id(&service_id).vpc_endpoint_ids(&endpoint).send().await.expect("accept");
    assert!(accepted.unsuccessful.unwrap_or_default().is_empty());
    assert_eq!(connections().await[0].vpc_endpoint_state.as_ref().map(|s| s.as_str()), Some("available"));
    assert_eq!(vendor_state().await.as_deref(), Some("available"));

    let rejected =
        ec2.reject_vpc_endpoint_connections().service_id(&service_id).vpc_endpoint_ids(&endpoint).vpc_endpoint_ids("vpce-0000000000000000").send().await.expect("reject");
    let unsuccessful = rejected.unsuccessful.unwrap_or_default();
    assert_eq!(unsuccessful.len(), 1, "the unknown endpoint is reported");
    assert_eq!(unsuccessful[0].resource_id.as_deref(), Some("vpce-0000000000000000"));
    assert_eq!(connections().await[0].vpc_endpoint_state.as_ref().map(|s| s.as_str()), Some("rejected"));
    assert_eq!(vendor_state().await.as_deref(), Some("rejected"));
}

/// The emulator's control calls are blocking HTTP: keep them off the async workers.
fn control(call: impl FnOnce()) {
    tokio::task::block_in_place(call);
}

#[tokio::test(flavor = "multi_thread")]
async fn faults_fail_calls_the_way_aws_does() {
    use aws_sdk_ec2::error::ProvideErrorMetadata;
    let emulator = Emulator::start();
    let once = aws_sdk_ec2::Client::new(&config(&emulator, owner_credentials(), 1).await);
    let retrying = aws_sdk_ec2::Client::new(&config(&emulator, owner_credentials(), 3).await);

    control(|| emulator.fault("DescribeVpcs", "throttle", 1));
    let err = once.describe_vpcs().send().await.expect_err("throttled");
    assert_eq!(err.code(), Some("RequestLimitExceeded"));

    control(|| emulator.fault("DescribeVpcs", "http500", 1));
    let err = once.describe_vpcs().send().await.expect_err("500");
    assert_eq!(err.code(), Some("InternalError"));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(500));

    control(|| emulator.fault("DescribeVpcs", "http500", 2));
    retrying.describe_vpcs().send().await.expect("two 500s are absorbed by three attempts");

    control(|| emulator.fault("DescribeVpcs", "drop", 1));
    let err = once.describe_vpcs().send().await.expect_err("dropped");
    assert!(matches!(err, aws_sdk_ec2::error::SdkError::DispatchFailure(_) | aws_sdk_ec2::error::SdkError::ResponseError(_)), "{err:?}");

    // Faults are per operation: others are untouched.
    control(|| emulator.fault("DescribeSubnets", "http500", 5));
    once.describe_vpcs().send().await.expect("DescribeVpcs is not faulted");

    // The delay is a floor the emulator sleeps before answering, not a speed measurement.
    control(|| emulator.latency("*", 400, 1));
    let start = Instant::now();
    once.describe_security_groups().send().await.expect("delayed call still answers");
    assert!(start.elapsed() >= Duration::from_millis(400), "no latency was injected: {:?}", start.elapsed());

    let calls: serde_json::Value = reqwest::get(format!("{}/_emulator/calls", emulator.endpoint)).await.expect("calls").json().await.expect("json");
    let calls: Vec<&str> = calls["calls"].as_array().expect("array").iter().filter_map(|c| c.as_str()).collect();
    assert_eq!(calls.iter().filter(|c| **c == "DescribeVpcs").count(), 7, "{calls:?}");
    assert_eq!(calls.last(), Some(&"DescribeSecurityGroups"));
}

/// The Lattice and RAM model's own walk through R21 (gateway, configuration, share, the
/// vendor's invitation and Resource endpoint, each refusal), with boto3: a second client that
/// no Rust code of VendorLink shares.
#[test]
fn the_lattice_and_ram_model_follows_its_rules() {
    let python = std::env::var("VENDORLINK_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("emulator/check_lattice_model.py");
    let out = std::process::Command::new(&python).arg(&script).output().unwrap_or_else(|e| panic!("could not run {} with {python}: {e}", script.display()));
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
