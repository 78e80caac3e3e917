use std::sync::Arc;

use super::accounts::{Accounts, AccountsApi};
use super::ec2::{Ec2, Ec2Api};
use super::elb::{Elb, ElbApi};
use super::functions::{Functions, FunctionsApi};
use super::iam::{Iam, IamApi};
use super::instances::{Instances, InstancesApi};
use super::lattice::{Lattice, LatticeApi};
use super::peering::{Peering, PeeringApi};
use super::rds::{Rds, RdsApi};
use super::sharing::{Sharing, SharingApi};
use super::{AwsSession, Sts, StsApi, Tagged, TaggedApi};

/// Every service a grant uses, for one session: what the engine is given instead of a session.
#[derive(Clone)]
pub struct Cloud {
    pub ec2: Arc<dyn Ec2Api>,
    /// VPC peering connections and the routes through them.
    pub peering: Arc<dyn PeeringApi>,
    /// The bastion's instance and its image.
    pub instances: Arc<dyn InstancesApi>,
    /// The resource gateway and configuration of a resource endpoint.
    pub lattice: Arc<dyn LatticeApi>,
    /// The RAM share that gives the vendor's account the configuration.
    pub sharing: Arc<dyn SharingApi>,
    /// The target-sync function and the rules that run it.
    pub functions: Arc<dyn FunctionsApi>,
    pub elb: Arc<dyn ElbApi>,
    pub iam: Arc<dyn IamApi>,
    pub rds: Arc<dyn RdsApi>,
    pub sts: Arc<dyn StsApi>,
    pub tagged: Arc<dyn TaggedApi>,
    /// The caller's organization (a dedicated account is created and closed from here).
    pub accounts: Arc<dyn AccountsApi>,
    /// Where the calls go, for messages ("AWS profile \"prod\"").
    pub label: String,
    pub region: String,
    /// The SDK session the services were built from; `None` for services made otherwise
    /// (the engine's in-process fakes).
    pub session: Option<AwsSession>,
}

impl Cloud {
    /// The SDK clients, built once here and shared by every call of the session.
    pub fn new(session: &AwsSession) -> Self {
        Cloud {
            ec2: Arc::new(Ec2::new(session)),
            peering: Arc::new(Peering::new(session)),
            instances: Arc::new(Instances::new(session)),
            lattice: Arc::new(Lattice::new(session)),
            sharing: Arc::new(Sharing::new(session)),
            functions: Arc::new(Functions::new(session)),
            elb: Arc::new(Elb::new(session)),
            iam: Arc::new(Iam::new(session)),
            rds: Arc::new(Rds::new(session)),
            sts: Arc::new(Sts::new(session)),
            tagged: Arc::new(Tagged::new(session)),
            accounts: Arc::new(Accounts::new(session)),
            label: session.label.clone(),
            region: session.region().to_owned(),
            session: Some(session.clone()),
        }
    }

    /// The same services in another region (a grant's own, whatever the credentials' default).
    pub fn in_region(&self, region: &str) -> Cloud {
        match &self.session {
            Some(session) => Cloud::new(&session.in_region(region)),
            None => Cloud { region: region.to_owned(), ..self.clone() },
        }
    }

    /// The same services, their errors naming the caller by ARN too ("AWS denied iam:CreateRole
    /// to AWS profile \"ops\" (arn:aws:iam::…:user/ops)"): what an admin grants permissions to.
    pub fn as_caller(&self, arn: &str) -> Cloud {
        match &self.session {
            Some(session) => Cloud::new(&AwsSession { config: session.config.clone(), label: format!("{} ({arn})", session.label) }),
            None => Cloud { label: format!("{} ({arn})", self.label), ..self.clone() },
        }
    }
}

impl std::fmt::Debug for Cloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cloud").field("label", &self.label).field("region", &self.region).finish_non_exhaustive()
    }
}
