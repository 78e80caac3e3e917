//! The bastion's EC2 instance (docs/aws-rules.md R20): the latest Amazon Linux image from AWS's
//! public SSM parameter, the instance types offered per zone, launch (IMDSv2 only, no instance
//! role, one public interface that goes with the instance), lookups by id and by grant tag,
//! the first boot's console output, and termination. A terminated instance counts as gone.

use async_trait::async_trait;
use aws_sdk_ec2::types::{
    Filter, HttpTokensState, InstanceMetadataEndpointState, InstanceMetadataOptionsRequest, InstanceNetworkInterfaceSpecification, InstanceType, LocationType, ResourceType, Tag,
    TagSpecification,
};
use aws_types::request_id::RequestId;
use base64::Engine as _;

use super::{AwsError, AwsSession, Created};
use vendorlink_model::{Output, GRANT_TAG};

/// EC2 and SSM clients for the session.
#[derive(Debug, Clone)]
pub struct Instances {
    ec2: aws_sdk_ec2::Client,
    ssm: aws_sdk_ssm::Client,
    session: AwsSession,
}

impl Instances {
    pub fn new(session: &AwsSession) -> Self {
        Instances { ec2: aws_sdk_ec2::Client::new(&session.config), ssm: aws_sdk_ssm::Client::new(&session.config), session: session.clone() }
    }
}

/// What a launch needs, resolved (the image id read from its parameter).
#[derive(Debug, Clone)]
pub struct Launch<'a> {
    pub subnet_id: &'a str,
    pub security_group: &'a str,
    pub instance_type: &'a str,
    pub image_id: &'a str,
    /// Plain text; encoded here.
    pub user_data: &'a str,
    /// Makes a retried launch return the same instance.
    pub client_token: &'a str,
}

/// An instance as the engine reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceInfo {
    pub id: String,
    /// `pending`, `running`, `shutting-down`, `terminated`, `stopping`, `stopped`.
    pub state: String,
    pub image_id: String,
    pub public_ip: Option<String>,
    pub public_dns: Option<String>,
    pub security_groups: Vec<String>,
    /// `required` when only IMDSv2 answers.
    pub http_tokens: Option<String>,
    pub has_role: bool,
}

impl InstanceInfo {
    pub fn output(&self) -> Output {
        Output::Instance {
            instance_id: self.id.clone(),
            image_id: self.image_id.clone(),
            public_ip: self.public_ip.clone(),
            public_dns: self.public_dns.clone(),
            state: Some(self.state.clone()),
        }
    }
}

#[async_trait]
pub trait InstancesApi: Send + Sync {
    /// The image id AWS's public parameter names now.
    async fn latest_image(&self, parameter: &str) -> Result<String, AwsError>;
    /// Which of `types` each zone (by name) offers: (zone, type) pairs.
    async fn offered_types(&self, types: &[&str]) -> Result<Vec<(String, String)>, AwsError>;
    async fn launch(&self, launch: &Launch<'_>, tags: &[(String, String)]) -> Result<Created, AwsError>;
    /// An instance by id, in any state; `None` when AWS no longer lists it.
    async fn instance(&self, id: &str) -> Result<Option<InstanceInfo>, AwsError>;
    /// The grant's instance that is not terminated (an interrupted launch).
    async fn find_launched(&self, grant_id: &str) -> Result<Option<InstanceInfo>, AwsError>;
    /// Terminates it; one already terminated (or gone) is left as it is.
    async fn terminate(&self, id: &str) -> Result<Option<String>, AwsError>;
    /// The latest console output, decoded; `None` while the instance has printed nothing yet.
    async fn console_output(&self, id: &str) -> Result<Option<String>, AwsError>;
}

fn tags_for(kind: ResourceType, tags: &[(String, String)]) -> TagSpecification {
    TagSpecification::builder().resource_type(kind).set_tags(Some(tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect())).build()
}

fn info(i: &aws_sdk_ec2::types::Instance) -> InstanceInfo {
    InstanceInfo {
        id: i.instance_id().unwrap_or_default().to_owned(),
        state: i.state().and_then(|s| s.name()).map(|n| n.as_str().to_owned()).unwrap_or_default(),
        image_id: i.image_id().unwrap_or_default().to_owned(),
        public_ip: i.public_ip_address().map(str::to_owned),
        public_dns: i.public_dns_name().filter(|d| !d.is_empty()).map(str::to_owned),
        security_groups: i.security_groups().iter().filter_map(|g| g.group_id().map(str::to_owned)).collect(),
        http_tokens: i.metadata_options().and_then(|m| m.http_tokens()).map(|t| t.as_str().to_owned()),
        has_role: i.iam_instance_profile().is_some(),
    }
}

#[async_trait]
impl InstancesApi for Instances {
    async fn latest_image(&self, parameter: &str) -> Result<String, AwsError> {
        let out = self.ssm.get_parameter().name(parameter).send().await.map_err(|e| AwsError::from_sdk(e, "ssm:GetParameter", &self.session))?;
        Ok(out.parameter().and_then(|p| p.value()).unwrap_or_default().to_owned())
    }

    async fn offered_types(&self, types: &[&str]) -> Result<Vec<(String, String)>, AwsError> {
        let offers = self
            .ec2
            .describe_instance_type_offerings()
            .location_type(LocationType::AvailabilityZone)
            .filters(Filter::builder().name("instance-type").set_values(Some(types.iter().map(|t| (*t).to_owned()).collect())).build())
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeInstanceTypeOfferings", &self.session))?;
        Ok(offers.iter().filter_map(|o| Some((o.location()?.to_owned(), o.instance_type()?.as_str().to_owned()))).filter(|(_, t)| types.contains(&t.as_str())).collect())
    }

    async fn launch(&self, launch: &Launch<'_>, tags: &[(String, String)]) -> Result<Created, AwsError> {
        let out = self
            .ec2
            .run_instances()
            .image_id(launch.image_id)
            .instance_type(InstanceType::from(launch.instance_type))
            .min_count(1)
            .max_count(1)
            .metadata_options(InstanceMetadataOptionsRequest::builder().http_tokens(HttpTokensState::Required).http_endpoint(InstanceMetadataEndpointState::Enabled).build())
            .network_interfaces(
                InstanceNetworkInterfaceSpecification::builder()
                    .device_index(0)
                    .subnet_id(launch.subnet_id)
                    .groups(launch.security_group)
                    .associate_public_ip_address(true)
                    .delete_on_termination(true)
                    .build(),
            )
            .user_data(base64::engine::general_purpose::STANDARD.encode(launch.user_data))
            .client_token(launch.client_token)
            .tag_specifications(tags_for(ResourceType::Instance, tags))
            .tag_specifications(tags_for(ResourceType::Volume, tags))
            .tag_specifications(tags_for(ResourceType::NetworkInterface, tags))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:RunInstances", &self.session))?;
        let made = out.instances().first().map(info).ok_or_else(|| AwsError::BadResponse { action: "ec2:RunInstances".into(), detail: "no instance in the answer".into() })?;
        Ok(Created { output: made.output(), request_id: out.request_id().map(str::to_owned) })
    }

    async fn instance(&self, id: &str) -> Result<Option<InstanceInfo>, AwsError> {
        match self.ec2.describe_instances().instance_ids(id).send().await {
            Ok(out) => Ok(out.reservations().iter().flat_map(|r| r.instances()).map(info).find(|i| i.id == id)),
            Err(e) => match AwsError::from_sdk(e, "ec2:DescribeInstances", &self.session) {
                err if err.is_not_found() => Ok(None),
                err => Err(err),
            },
        }
    }

    async fn find_launched(&self, grant_id: &str) -> Result<Option<InstanceInfo>, AwsError> {
        let out = self
            .ec2
            .describe_instances()
            .filters(Filter::builder().name(format!("tag:{GRANT_TAG}")).values(grant_id).build())
            .filters(Filter::builder().name("instance-state-name").values("pending").values("running").values("stopping").values("stopped").build())
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(e, "ec2:DescribeInstances", &self.session))?;
        let ours = |i: &&aws_sdk_ec2::types::Instance| i.tags().iter().any(|t| t.key() == Some(GRANT_TAG) && t.value() == Some(grant_id));
        Ok(out.reservations().iter().flat_map(|r| r.instances()).filter(ours).map(info).find(|i| !matches!(i.state.as_str(), "terminated" | "shutting-down")))
    }

    async fn terminate(&self, id: &str) -> Result<Option<String>, AwsError> {
        match self.instance(id).await? {
            None => return Ok(None),
            Some(i) if i.state == "terminated" => return Ok(None),
            Some(_) => {}
        }
        match self.ec2.terminate_instances().instance_ids(id).send().await {
            Ok(out) => Ok(out.request_id().map(str::to_owned)),
            Err(e) => super::ec2::gone_is_done(AwsError::from_sdk(e, "ec2:TerminateInstances", &self.session)),
        }
    }

    async fn console_output(&self, id: &str) -> Result<Option<String>, AwsError> {
        let out = self.ec2.get_console_output().instance_id(id).latest(true).send().await.map_err(|e| AwsError::from_sdk(e, "ec2:GetConsoleOutput", &self.session))?;
        let text = out.output().and_then(|o| base64::engine::general_purpose::STANDARD.decode(o.trim()).ok()).map(|b| String::from_utf8_lossy(&b).into_owned());
        Ok(text.filter(|t| !t.trim().is_empty()))
    }
}
