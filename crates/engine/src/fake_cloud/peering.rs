//! The fake's VPC peering: its account has one VPC and no peer, so no connection exists and
//! none can be made; the engine's peering logic is tested against the emulator.

use super::*;
use vendorlink_aws::PeeringApi;
use vendorlink_model::{PeeringConnection, PeeringFacts, RouteTable};

#[async_trait]
impl PeeringApi for FakeCloud {
    async fn facts(&self, vpc_id: &str) -> Result<PeeringFacts, AwsError> {
        self.with(|s| s.call("ec2:DescribeVpcPeeringConnections", vpc_id).map(|_| PeeringFacts::default()))
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
