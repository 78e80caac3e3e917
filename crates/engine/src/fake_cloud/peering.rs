//! The fake's VPC peering and instances: its account has one VPC, no peer and no public
//! subnet, so no connection or bastion exists and none can be made; the engine's peering and
//! bastion logic is tested against the emulator.

use super::*;
use vendorlink_aws::{InstanceInfo, InstancesApi, Launch, PeeringApi};
use vendorlink_model::{PeeringConnection, RouteTable, VpcFacts};

#[async_trait]
impl PeeringApi for FakeCloud {
    async fn facts(&self, vpc_id: &str) -> Result<VpcFacts, AwsError> {
        self.with(|s| s.call("ec2:DescribeVpcPeeringConnections", vpc_id).map(|_| VpcFacts::default()))
    }

    async fn connection(&self, id: &str) -> Result<Option<PeeringConnection>, AwsError> {
        self.with(|s| s.call("ec2:DescribeVpcPeeringConnections", id).map(|_| None))
    }

    async fn find_requested(&self, grant_id: &str) -> Result<Option<PeeringConnection>, AwsError> {
        self.with(|s| s.call("ec2:DescribeVpcPeeringConnections", grant_id).map(|_| None))
    }

    async fn create(&self, _vpc_id: &str, peer_vpc_id: &str, _peer_account: &str, _peer_region: Option<&str>, _tags: &[(String, String)]) -> Result<Created, AwsError> {
        let action = "ec2:CreateVpcPeeringConnection";
        self.with(|s| s.call(action, peer_vpc_id).and(Err(service_error(action, "InvalidVpcID.NotFound", format!("The vpc ID '{peer_vpc_id}' does not exist")))))
    }

    async fn accept(&self, id: &str, _tags: &[(String, String)]) -> Result<Created, AwsError> {
        let action = "ec2:AcceptVpcPeeringConnection";
        self.with(|s| s.call(action, id).and(Err(service_error(action, "InvalidVpcPeeringConnectionID.NotFound", format!("The vpcPeeringConnection ID '{id}' does not exist")))))
    }

    async fn allow_dns(&self, id: &str, _as_requester: bool) -> Result<Created, AwsError> {
        let action = "ec2:ModifyVpcPeeringConnectionOptions";
        self.with(|s| s.call(action, id).and(Err(service_error(action, "InvalidVpcPeeringConnectionID.NotFound", format!("The vpcPeeringConnection ID '{id}' does not exist")))))
    }

    async fn delete(&self, id: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| s.call("ec2:DeleteVpcPeeringConnection", id).map(|_| None))
    }

    async fn route_table(&self, id: &str) -> Result<Option<RouteTable>, AwsError> {
        self.with(|s| s.call("ec2:DescribeRouteTables", id).map(|_| None))
    }

    async fn create_routes(&self, table: &str, _cidrs: &[String], _connection: &str) -> Result<Created, AwsError> {
        let action = "ec2:CreateRoute";
        self.with(|s| s.call(action, table).and(Err(service_error(action, "InvalidRouteTableID.NotFound", format!("The routeTable ID '{table}' does not exist")))))
    }

    async fn delete_routes(&self, table: &str, _cidrs: &[String], _connection: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| s.call("ec2:DeleteRoute", table).map(|_| None))
    }
}

#[async_trait]
impl InstancesApi for FakeCloud {
    async fn latest_image(&self, parameter: &str) -> Result<String, AwsError> {
        let action = "ssm:GetParameter";
        self.with(|s| s.call(action, parameter).and(Err(service_error(action, "ParameterNotFound", format!("Parameter {parameter} not found.")))))
    }

    async fn offered_types(&self, types: &[&str]) -> Result<Vec<(String, String)>, AwsError> {
        self.with(|s| s.call("ec2:DescribeInstanceTypeOfferings", &types.join(",")).map(|_| Vec::new()))
    }

    async fn launch(&self, launch: &Launch<'_>, _tags: &[(String, String)]) -> Result<Created, AwsError> {
        let action = "ec2:RunInstances";
        self.with(|s| s.call(action, launch.subnet_id).and(Err(service_error(action, "InvalidSubnetID.NotFound", format!("The subnet ID '{}' does not exist", launch.subnet_id)))))
    }

    async fn instance(&self, id: &str) -> Result<Option<InstanceInfo>, AwsError> {
        self.with(|s| s.call("ec2:DescribeInstances", id).map(|_| None))
    }

    async fn find_launched(&self, grant_id: &str) -> Result<Option<InstanceInfo>, AwsError> {
        self.with(|s| s.call("ec2:DescribeInstances", grant_id).map(|_| None))
    }

    async fn terminate(&self, id: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| s.call("ec2:TerminateInstances", id).map(|_| None))
    }

    async fn console_output(&self, id: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| s.call("ec2:GetConsoleOutput", id).map(|_| None))
    }
}
