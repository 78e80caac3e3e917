//! The fake's VPC Lattice, RAM, Lambda and EventBridge: nothing is shared from its account and
//! no function runs there, so the engine's resource-endpoint and target-sync logic is tested
//! against the emulator.

use super::*;
use vendorlink_aws::{ConfigurationInfo, EndpointAssociation, GatewayInfo, LatticeApi, ShareInfo, SharingApi};
use vendorlink_model::ResourceTarget;

#[async_trait]
impl LatticeApi for FakeCloud {
    async fn create_gateway(
        &self,
        name: &str,
        _vpc_id: &str,
        _subnet_ids: &[String],
        _security_group: &str,
        _client_token: &str,
        _tags: &[(String, String)],
    ) -> Result<Created, AwsError> {
        let action = "vpc-lattice:CreateResourceGateway";
        self.with(|s| s.call(action, name).and(Err(service_error(action, "AccessDeniedException", "VPC Lattice is not offered by this fake".to_owned()))))
    }

    async fn find_gateway(&self, name: &str) -> Result<Option<GatewayInfo>, AwsError> {
        self.with(|s| s.call("vpc-lattice:ListResourceGateways", name).map(|_| None))
    }

    async fn gateway(&self, id: &str) -> Result<Option<GatewayInfo>, AwsError> {
        self.with(|s| s.call("vpc-lattice:GetResourceGateway", id).map(|_| None))
    }

    async fn delete_gateway(&self, id: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| s.call("vpc-lattice:DeleteResourceGateway", id).map(|_| None))
    }

    async fn create_configuration(
        &self,
        name: &str,
        _gateway: &str,
        _target: &ResourceTarget,
        _port: u16,
        _client_token: &str,
        _tags: &[(String, String)],
    ) -> Result<Created, AwsError> {
        let action = "vpc-lattice:CreateResourceConfiguration";
        self.with(|s| s.call(action, name).and(Err(service_error(action, "AccessDeniedException", "VPC Lattice is not offered by this fake".to_owned()))))
    }

    async fn find_configuration(&self, gateway: &str, _name: &str) -> Result<Option<ConfigurationInfo>, AwsError> {
        self.with(|s| s.call("vpc-lattice:ListResourceConfigurations", gateway).map(|_| None))
    }

    async fn configuration(&self, id: &str) -> Result<Option<ConfigurationInfo>, AwsError> {
        self.with(|s| s.call("vpc-lattice:GetResourceConfiguration", id).map(|_| None))
    }

    async fn delete_configuration(&self, id: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| s.call("vpc-lattice:DeleteResourceConfiguration", id).map(|_| None))
    }

    async fn endpoint_associations(&self, configuration: &str) -> Result<Vec<EndpointAssociation>, AwsError> {
        self.with(|s| s.call("vpc-lattice:ListResourceEndpointAssociations", configuration).map(|_| Vec::new()))
    }

    async fn delete_endpoint_association(&self, id: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| s.call("vpc-lattice:DeleteResourceEndpointAssociation", id).map(|_| None))
    }
}

#[async_trait]
impl SharingApi for FakeCloud {
    async fn share(&self, name: &str, _resource_arn: &str, _account_id: &str, _client_token: &str, _tags: &[(String, String)]) -> Result<Created, AwsError> {
        let action = "ram:CreateResourceShare";
        self.with(|s| s.call(action, name).and(Err(service_error(action, "UnknownResourceException", "No resource configuration exists in this fake".to_owned()))))
    }

    async fn find_share(&self, name: &str, _grant_id: &str) -> Result<Option<ShareInfo>, AwsError> {
        self.with(|s| s.call("ram:GetResourceShares", name).map(|_| None))
    }

    async fn share_info(&self, arn: &str) -> Result<Option<ShareInfo>, AwsError> {
        self.with(|s| s.call("ram:GetResourceShares", arn).map(|_| None))
    }

    async fn delete_share(&self, arn: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| s.call("ram:DeleteResourceShare", arn).map(|_| None))
    }
}

#[async_trait]
impl vendorlink_aws::FunctionsApi for FakeCloud {
    async fn create_function(&self, spec: &vendorlink_aws::FunctionSpec<'_>, _tags: &[(String, String)]) -> Result<Created, AwsError> {
        let action = "lambda:CreateFunction";
        self.with(|s| s.call(action, spec.name).and(Err(service_error(action, "AccessDeniedException", "Lambda is not offered by this fake".to_owned()))))
    }

    async fn function(&self, name: &str) -> Result<Option<vendorlink_aws::FunctionInfo>, AwsError> {
        self.with(|s| s.call("lambda:GetFunction", name).map(|_| None))
    }

    async fn delete_function(&self, name: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| s.call("lambda:DeleteFunction", name).map(|_| None))
    }

    async fn delete_log_group(&self, name: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| s.call("logs:DeleteLogGroup", name).map(|_| None))
    }

    async fn create_rule(&self, name: &str, _event_pattern: Option<&str>, _schedule: Option<&str>, _function_arn: &str, _tags: &[(String, String)]) -> Result<Created, AwsError> {
        let action = "events:PutRule";
        self.with(|s| s.call(action, name).and(Err(service_error(action, "AccessDeniedException", "EventBridge is not offered by this fake".to_owned()))))
    }

    async fn rule(&self, name: &str) -> Result<Option<vendorlink_aws::RuleInfo>, AwsError> {
        self.with(|s| s.call("events:DescribeRule", name).map(|_| None))
    }

    async fn delete_rule(&self, name: &str, _function: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| s.call("events:DeleteRule", name).map(|_| None))
    }

    async fn last_log(&self, function: &str) -> Result<Option<(String, String)>, AwsError> {
        self.with(|s| s.call("logs:FilterLogEvents", function).map(|_| None))
    }
}
