//! VPC Lattice from the resource owner's side (docs/aws-rules.md R21): the resource gateway in
//! the database's VPC, the resource configuration naming the database, and the vendor's
//! endpoints associated with it. Each create has its find and its undo; "already gone" is
//! success.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_vpclattice::types::{
    ArnResource, DnsResource, ProtocolType, ResourceConfigurationDefinition, ResourceConfigurationIpAddressType, ResourceConfigurationType, ResourceGatewayIpAddressType,
};
use aws_types::request_id::RequestId;

use super::{AwsError, AwsSession, Created};
use vendorlink_model::{Output, ResourceTarget};

/// A resource gateway as AWS describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayInfo {
    pub id: String,
    pub arn: String,
    pub name: String,
    /// `ACTIVE`, `CREATE_IN_PROGRESS`, `DELETE_IN_PROGRESS`…
    pub status: String,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
}

/// A resource configuration as AWS describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigurationInfo {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub status: String,
    pub gateway_id: String,
    pub port_ranges: Vec<String>,
    /// The ARN or DNS name it points at.
    pub target: Option<String>,
    /// Why AWS could not make it, when it could not.
    pub failure_reason: Option<String>,
}

/// A consumer's `Resource` VPC endpoint associated with a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointAssociation {
    pub id: String,
    pub vpc_endpoint_id: String,
    /// The account that owns the endpoint (the vendor's).
    pub owner: String,
}

/// VPC Lattice's calls, with one SDK client for the session.
#[derive(Debug, Clone)]
pub struct Lattice {
    client: aws_sdk_vpclattice::Client,
    session: AwsSession,
}

impl Lattice {
    pub fn new(session: &AwsSession) -> Self {
        Lattice { client: aws_sdk_vpclattice::Client::new(&session.config), session: session.clone() }
    }

    fn error<E>(&self, err: aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>, action: &str) -> AwsError
    where
        E: aws_sdk_vpclattice::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        AwsError::from_sdk(err, action, &self.session)
    }
}

fn tag_map(tags: &[(String, String)]) -> HashMap<String, String> {
    tags.iter().cloned().collect()
}

#[async_trait]
pub trait LatticeApi: Send + Sync {
    async fn create_gateway(
        &self,
        name: &str,
        vpc_id: &str,
        subnet_ids: &[String],
        security_group: &str,
        client_token: &str,
        tags: &[(String, String)],
    ) -> Result<Created, AwsError>;
    /// The gateway of this name (an interrupted create), unless it is being deleted.
    async fn find_gateway(&self, name: &str) -> Result<Option<GatewayInfo>, AwsError>;
    /// `None` once AWS no longer has it.
    async fn gateway(&self, id: &str) -> Result<Option<GatewayInfo>, AwsError>;
    async fn delete_gateway(&self, id: &str) -> Result<Option<String>, AwsError>;
    async fn create_configuration(&self, name: &str, gateway: &str, target: &ResourceTarget, port: u16, client_token: &str, tags: &[(String, String)])
        -> Result<Created, AwsError>;
    /// The gateway's configuration of this name (an interrupted create).
    async fn find_configuration(&self, gateway: &str, name: &str) -> Result<Option<ConfigurationInfo>, AwsError>;
    async fn configuration(&self, id: &str) -> Result<Option<ConfigurationInfo>, AwsError>;
    async fn delete_configuration(&self, id: &str) -> Result<Option<String>, AwsError>;
    /// The consumers' endpoints associated with the configuration.
    async fn endpoint_associations(&self, configuration: &str) -> Result<Vec<EndpointAssociation>, AwsError>;
    /// Cuts one consumer endpoint off the configuration; one already gone is success.
    async fn delete_endpoint_association(&self, id: &str) -> Result<Option<String>, AwsError>;
}

impl GatewayInfo {
    pub fn output(&self) -> Output {
        Output::ResourceGateway { gateway_id: self.id.clone(), arn: self.arn.clone(), status: Some(self.status.clone()) }
    }
}

impl ConfigurationInfo {
    pub fn output(&self) -> Output {
        Output::ResourceConfiguration { arn: self.arn.clone(), configuration_id: self.id.clone(), status: Some(self.status.clone()) }
    }
}

/// A not-found answer as "gone"; anything else stays an error.
fn gone<T>(result: Result<T, AwsError>) -> Result<Option<T>, AwsError> {
    match result {
        Ok(found) => Ok(Some(found)),
        Err(err) if err.is_not_found() => Ok(None),
        Err(err) => Err(err),
    }
}

#[async_trait]
impl LatticeApi for Lattice {
    async fn create_gateway(
        &self,
        name: &str,
        vpc_id: &str,
        subnet_ids: &[String],
        security_group: &str,
        client_token: &str,
        tags: &[(String, String)],
    ) -> Result<Created, AwsError> {
        let out = self
            .client
            .create_resource_gateway()
            .name(name)
            .vpc_identifier(vpc_id)
            .set_subnet_ids(Some(subnet_ids.to_vec()))
            .security_group_ids(security_group)
            .ip_address_type(ResourceGatewayIpAddressType::Ipv4)
            .client_token(client_token)
            .set_tags(Some(tag_map(tags)))
            .send()
            .await
            .map_err(|e| self.error(e, "vpc-lattice:CreateResourceGateway"))?;
        let output = Output::ResourceGateway {
            gateway_id: out.id().unwrap_or_default().to_owned(),
            arn: out.arn().unwrap_or_default().to_owned(),
            status: out.status().map(|s| s.as_str().to_owned()),
        };
        Ok(Created { output, request_id: out.request_id().map(str::to_owned) })
    }

    async fn find_gateway(&self, name: &str) -> Result<Option<GatewayInfo>, AwsError> {
        let found = self
            .client
            .list_resource_gateways()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| self.error(e, "vpc-lattice:ListResourceGateways"))?;
        let Some(id) = found.iter().find(|g| g.name() == Some(name)).and_then(|g| g.id()) else { return Ok(None) };
        Ok(self.gateway(id).await?.filter(|g| !g.status.starts_with("DELETE")))
    }

    async fn gateway(&self, id: &str) -> Result<Option<GatewayInfo>, AwsError> {
        let out = gone(self.client.get_resource_gateway().resource_gateway_identifier(id).send().await.map_err(|e| self.error(e, "vpc-lattice:GetResourceGateway")))?;
        Ok(out.map(|g| GatewayInfo {
            id: g.id().unwrap_or_default().to_owned(),
            arn: g.arn().unwrap_or_default().to_owned(),
            name: g.name().unwrap_or_default().to_owned(),
            status: g.status().map(|s| s.as_str().to_owned()).unwrap_or_default(),
            vpc_id: g.vpc_id().unwrap_or_default().to_owned(),
            subnet_ids: g.subnet_ids().to_vec(),
            security_group_ids: g.security_group_ids().to_vec(),
        }))
    }

    async fn delete_gateway(&self, id: &str) -> Result<Option<String>, AwsError> {
        let out = gone(self.client.delete_resource_gateway().resource_gateway_identifier(id).send().await.map_err(|e| self.error(e, "vpc-lattice:DeleteResourceGateway")))?;
        Ok(out.and_then(|o| o.request_id().map(str::to_owned)))
    }

    async fn create_configuration(
        &self,
        name: &str,
        gateway: &str,
        target: &ResourceTarget,
        port: u16,
        client_token: &str,
        tags: &[(String, String)],
    ) -> Result<Created, AwsError> {
        // Shared with the vendor's account only: never through a service network (R21.7).
        let call = self
            .client
            .create_resource_configuration()
            .name(name)
            .resource_gateway_identifier(gateway)
            .allow_association_to_shareable_service_network(false)
            .client_token(client_token)
            .set_tags(Some(tag_map(tags)));
        // An ARN configuration takes its port and protocol from the resource itself (R21).
        let call = match target {
            ResourceTarget::Arn { arn } => {
                call.r#type(ResourceConfigurationType::Arn).resource_configuration_definition(ResourceConfigurationDefinition::ArnResource(ArnResource::builder().arn(arn).build()))
            }
            ResourceTarget::Dns { domain_name } => {
                call.r#type(ResourceConfigurationType::Single).protocol(ProtocolType::Tcp).port_ranges(port.to_string()).resource_configuration_definition(
                    ResourceConfigurationDefinition::DnsResource(DnsResource::builder().domain_name(domain_name).ip_address_type(ResourceConfigurationIpAddressType::Ipv4).build()),
                )
            }
        };
        let out = call.send().await.map_err(|e| self.error(e, "vpc-lattice:CreateResourceConfiguration"))?;
        let output = Output::ResourceConfiguration {
            arn: out.arn().unwrap_or_default().to_owned(),
            configuration_id: out.id().unwrap_or_default().to_owned(),
            status: out.status().map(|s| s.as_str().to_owned()),
        };
        Ok(Created { output, request_id: out.request_id().map(str::to_owned) })
    }

    async fn find_configuration(&self, gateway: &str, name: &str) -> Result<Option<ConfigurationInfo>, AwsError> {
        let found = gone(
            self.client
                .list_resource_configurations()
                .resource_gateway_identifier(gateway)
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
                .map_err(|e| self.error(e, "vpc-lattice:ListResourceConfigurations")),
        )?
        .unwrap_or_default();
        let Some(id) = found.iter().find(|c| c.name() == Some(name)).and_then(|c| c.id()) else { return Ok(None) };
        Ok(self.configuration(id).await?.filter(|c| !c.status.starts_with("DELETE")))
    }

    async fn configuration(&self, id: &str) -> Result<Option<ConfigurationInfo>, AwsError> {
        let out =
            gone(self.client.get_resource_configuration().resource_configuration_identifier(id).send().await.map_err(|e| self.error(e, "vpc-lattice:GetResourceConfiguration")))?;
        Ok(out.map(|c| ConfigurationInfo {
            id: c.id().unwrap_or_default().to_owned(),
            arn: c.arn().unwrap_or_default().to_owned(),
            name: c.name().unwrap_or_default().to_owned(),
            status: c.status().map(|s| s.as_str().to_owned()).unwrap_or_default(),
            gateway_id: c.resource_gateway_id().unwrap_or_default().to_owned(),
            port_ranges: c.port_ranges().to_vec(),
            target: c.resource_configuration_definition().and_then(|d| match d {
                ResourceConfigurationDefinition::ArnResource(a) => a.arn().map(str::to_owned),
                ResourceConfigurationDefinition::DnsResource(d) => d.domain_name().map(str::to_owned),
                _ => None,
            }),
            failure_reason: c.failure_reason().map(str::to_owned),
        }))
    }

    async fn delete_configuration(&self, id: &str) -> Result<Option<String>, AwsError> {
        let out = gone(
            self.client.delete_resource_configuration().resource_configuration_identifier(id).send().await.map_err(|e| self.error(e, "vpc-lattice:DeleteResourceConfiguration")),
        )?;
        Ok(out.and_then(|o| o.request_id().map(str::to_owned)))
    }

    async fn endpoint_associations(&self, configuration: &str) -> Result<Vec<EndpointAssociation>, AwsError> {
        let found = gone(
            self.client
                .list_resource_endpoint_associations()
                .resource_configuration_identifier(configuration)
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
                .map_err(|e| self.error(e, "vpc-lattice:ListResourceEndpointAssociations")),
        )?
        .unwrap_or_default();
        Ok(found
            .iter()
            .map(|a| EndpointAssociation {
                id: a.id().unwrap_or_default().to_owned(),
                vpc_endpoint_id: a.vpc_endpoint_id().unwrap_or_default().to_owned(),
                owner: a.vpc_endpoint_owner().unwrap_or_default().to_owned(),
            })
            .collect())
    }

    async fn delete_endpoint_association(&self, id: &str) -> Result<Option<String>, AwsError> {
        let out = gone(
            self.client
                .delete_resource_endpoint_association()
                .resource_endpoint_association_identifier(id)
                .send()
                .await
                .map_err(|e| self.error(e, "vpc-lattice:DeleteResourceEndpointAssociation")),
        )?;
        Ok(out.and_then(|o| o.request_id().map(str::to_owned)))
    }
}
