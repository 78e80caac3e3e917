//! RDS reads for the handoff: a database's hostnames, port, certificate authority and whether
//! it refuses unencrypted connections.

use async_trait::async_trait;

use super::{AwsError, AwsSession};

/// What the vendor needs to know about the database itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatabaseDetails {
    pub engine: String,
    pub port: u16,
    /// (role, host): `instance` for a DB instance; `writer` and `reader` for a cluster.
    pub hostnames: Vec<(String, String)>,
    pub ca_certificate: Option<String>,
    /// (parameter, value) when the parameter group says it.
    pub tls: Option<(String, String)>,
}

/// The TLS switch of each engine family.
fn tls_parameter(engine: &str) -> &'static str {
    if engine.contains("postgres") {
        "rds.force_ssl"
    } else {
        "require_secure_transport"
    }
}

/// RDS with one SDK client for the session.
#[derive(Debug, Clone)]
pub struct Rds {
    client: aws_sdk_rds::Client,
    session: AwsSession,
}

impl Rds {
    pub fn new(session: &AwsSession) -> Self {
        Rds { client: aws_sdk_rds::Client::new(&session.config), session: session.clone() }
    }

    /// One parameter's value in a (cluster) parameter group, when the group lists it.
    async fn parameter(&self, group: &str, name: &str, cluster: bool) -> Result<Option<(String, String)>, AwsError> {
        let rds = &self.client;
        let parameters = if cluster {
            match rds.describe_db_cluster_parameters().db_cluster_parameter_group_name(group).send().await {
                Ok(out) => out.parameters().to_vec(),
                Err(e) => return not_readable(AwsError::from_sdk(e, "rds:DescribeDBClusterParameters", &self.session)),
            }
        } else {
            match rds.describe_db_parameters().db_parameter_group_name(group).into_paginator().items().send().collect::<Result<Vec<_>, _>>().await {
                Ok(parameters) => parameters,
                Err(e) => return not_readable(AwsError::from_sdk(e, "rds:DescribeDBParameters", &self.session)),
            }
        };
        Ok(parameters.iter().find(|p| p.parameter_name() == Some(name)).and_then(|p| p.parameter_value()).map(|v| (name.to_owned(), v.to_owned())))
    }
}

#[async_trait]
pub trait RdsApi: Send + Sync {
    /// An instance or, failing that, a cluster with this identifier; `None` when neither exists.
    async fn database_details(&self, id: &str) -> Result<Option<DatabaseDetails>, AwsError>;
}

#[async_trait]
impl RdsApi for Rds {
    async fn database_details(&self, id: &str) -> Result<Option<DatabaseDetails>, AwsError> {
        let rds = &self.client;
        match rds.describe_db_instances().db_instance_identifier(id).send().await {
            Ok(out) => {
                if let Some(instance) = out.db_instances().first() {
                    let engine = instance.engine().unwrap_or_default().to_owned();
                    let group = instance.db_parameter_groups().first().and_then(|g| g.db_parameter_group_name()).map(str::to_owned);
                    let tls = match group {
                        Some(group) => self.parameter(&group, tls_parameter(&engine), false).await?,
                        None => None,
                    };
                    return Ok(Some(DatabaseDetails {
                        port: instance.endpoint().and_then(|e| e.port()).and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
                        hostnames: instance.endpoint().and_then(|e| e.address()).map(|a| vec![("instance".to_owned(), a.to_owned())]).unwrap_or_default(),
                        ca_certificate: instance.ca_certificate_identifier().map(str::to_owned),
                        tls,
                        engine,
                    }));
                }
            }
            Err(e) => {
                let err = AwsError::from_sdk(e, "rds:DescribeDBInstances", &self.session);
                if !err.is_not_found() {
                    return Err(err);
                }
            }
        }
        let out = match rds.describe_db_clusters().db_cluster_identifier(id).send().await {
            Ok(out) => out,
            Err(e) => {
                return match AwsError::from_sdk(e, "rds:DescribeDBClusters", &self.session) {
                    err if err.is_not_found() => Ok(None),
                    err => Err(err),
                }
            }
        };
        let Some(cluster) = out.db_clusters().first() else { return Ok(None) };
        let engine = cluster.engine().unwrap_or_default().to_owned();
        let mut hostnames = Vec::new();
        hostnames.extend(cluster.endpoint().map(|h| ("writer".to_owned(), h.to_owned())));
        hostnames.extend(cluster.reader_endpoint().map(|h| ("reader".to_owned(), h.to_owned())));
        // A cluster's CA is its members'; the first member stands for them.
        let member = cluster.db_cluster_members().first().and_then(|m| m.db_instance_identifier()).map(str::to_owned);
        let ca_certificate = match member {
            Some(member) => match rds.describe_db_instances().db_instance_identifier(&member).send().await {
                Ok(out) => out.db_instances().first().and_then(|i| i.ca_certificate_identifier()).map(str::to_owned),
                Err(e) => return Err(AwsError::from_sdk(e, "rds:DescribeDBInstances", &self.session)),
            },
            None => None,
        };
        let tls = match cluster.db_cluster_parameter_group() {
            Some(group) => self.parameter(group, tls_parameter(&engine), true).await?,
            None => None,
        };
        Ok(Some(DatabaseDetails { port: cluster.port().and_then(|p| u16::try_from(p).ok()).unwrap_or_default(), hostnames, ca_certificate, tls, engine }))
    }
}

/// The TLS setting is a nicety of the summary: without permission to read it, it is unknown.
fn not_readable(err: AwsError) -> Result<Option<(String, String)>, AwsError> {
    match err {
        AwsError::AccessDenied { .. } => Ok(None),
        err if err.is_not_found() => Ok(None),
        err => Err(err),
    }
}
