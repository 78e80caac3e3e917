//! An in-process fake of the AWS services a grant uses, and the engine's ordering, rollback and
//! revoke logic tested against it.
//!
//! Why it exists: what is created after what, what goes back in which order when a step fails,
//! and how a role is taken apart without leaving the vendor a moment's way in are the engine's
//! own decisions; here they run in-process, with a fault put on any chosen call (which no
//! emulator offers). One shared state backs every service; each call is logged by its IAM
//! action name (as the real implementations name it to `AwsError::from_sdk`) and does to the
//! state what AWS does: names are unique, "in use" is refused, already gone is success.
//! Whether the SDK calls themselves behave like AWS stays with the behaviour tests, which run
//! the real services against the emulator.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use vendorlink_aws::ec2::{Connection, Ec2Api, ServiceDetails, Source};
use vendorlink_aws::elb::ElbApi;
use vendorlink_aws::iam::{IamApi, ROLE_PATH};
use vendorlink_aws::rds::{DatabaseDetails, RdsApi};
use vendorlink_aws::{AccountsApi, AwsError, Cloud, Created, CreationStatus, StsApi, TaggedApi};
use vendorlink_model::OrgAccount;
use vendorlink_model::{Identity, IngressRule, Output, TaggedResource, GRANT_TAG, VENDOR_TAG};

/// The account the fake's credentials belong to (a plan for it must name it).
const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
/// What exists before any grant: the database, its VPC and its security group with one rule.
const VPC: &str = "vpc-prod";
const DB_GROUP: &str = "sg-db";
const APP_RULE: &str = "sgr-app";
const DATABASE: &str = "orders-db";
const PORT: u16 = 5432;

struct Group {
    vpc_id: String,
    name: String,
    tags: Vec<(String, String)>,
}

/// One inbound TCP rule (a grant adds no other kind).
struct Rule {
    group_id: String,
    port: u16,
    cidr: Option<String>,
    source_group: Option<String>,
    description: String,
    tags: Vec<(String, String)>,
}

struct Balancer {
    name: String,
    dns_name: String,
    /// `provisioning` when created, `active` from the first look at it.
    state: String,
    security_group: String,
    /// `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`: `on` (AWS's default) or `off`.
    enforce_on_private_link: String,
    cross_zone: bool,
    zones: Vec<String>,
    tags: Vec<(String, String)>,
}

struct TargetGroup {
    name: String,
    targets: Vec<String>,
    tags: Vec<(String, String)>,
}

struct Listener {
    load_balancer: String,
    target_group: String,
    port: u16,
}

struct Service {
    load_balancer: String,
    name: String,
    state: String,
    acceptance_required: bool,
    supported_regions: Vec<String>,
    principals: Vec<String>,
    connections: Vec<Connection>,
    client_token: String,
    tags: Vec<(String, String)>,
}

struct Role {
    arn: String,
    trust: String,
    max_session_seconds: u32,
    /// Inline policies, name → document.
    inline: BTreeMap<String, String>,
    attached: Vec<String>,
    tags: Vec<(String, String)>,
}

/// Everything the fake account holds, by id (security groups, rules, services), ARN (load
/// balancers, target groups, listeners) or name (roles, databases).
#[derive(Default)]
struct State {
    /// The last number handed out, for ids and request ids.
    next: u32,
    groups: BTreeMap<String, Group>,
    rules: BTreeMap<String, Rule>,
    balancers: BTreeMap<String, Balancer>,
    target_groups: BTreeMap<String, TargetGroup>,
    listeners: BTreeMap<String, Listener>,
    services: BTreeMap<String, Service>,
    roles: BTreeMap<String, Role>,
    databases: BTreeMap<String, DatabaseDetails>,
    /// Every call, by IAM action name, in the order made.
    calls: Vec<String>,
    /// What each call of `calls` was about (same index): the name, id or ARN it was given.
    subjects: Vec<String>,
    /// (action, n): the n-th call (from 1) of that action fails with `InternalFailure` and
    /// changes nothing.
    fail: Vec<(String, usize)>,
    /// How often each action was called, faults included (clearing `calls` keeps it).
    seen: BTreeMap<String, usize>,
}

impl State {
    /// Logs the call, then fails it if the fault plan says so.
    fn call(&mut self, action: &str, subject: &str) -> Result<(), AwsError> {
        self.calls.push(action.to_owned());
        self.subjects.push(subject.to_owned());
        let seen = self.seen.entry(action.to_owned()).or_default();
        *seen += 1;
        let nth = *seen;
        if self.fail.iter().any(|(failing, n)| failing == action && *n == nth) {
            return Err(AwsError::Service {
                action: action.to_owned(),
                code: "InternalFailure".to_owned(),
                detail: format!("fault injected on call {nth} of {action}"),
                request_id: self.request_id(),
            });
        }
        Ok(())
    }

    fn new_id(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    fn request_id(&mut self) -> Option<String> {
        Some(self.new_id("req-"))
    }
}

fn service_error(action: &str, code: &str, detail: String) -> AwsError {
    AwsError::Service { action: action.to_owned(), code: code.to_owned(), detail, request_id: None }
}

fn balancer_not_found(action: &str, arn: &str) -> AwsError {
    service_error(action, "LoadBalancerNotFound", format!("Load balancer '{arn}' not found"))
}

fn target_group_not_found(action: &str, arn: &str) -> AwsError {
    service_error(action, "TargetGroupNotFound", format!("Target group '{arn}' not found"))
}

fn service_not_found(action: &str, id: &str) -> AwsError {
    service_error(action, "InvalidVpcEndpointServiceId.NotFound", format!("The Vpc Endpoint Service Id '{id}' does not exist"))
}

fn no_such_role(action: &str, name: &str) -> AwsError {
    service_error(action, "NoSuchEntity", format!("The role with name {name} cannot be found."))
}

fn tag(tags: &[(String, String)], key: &str) -> Option<String> {
    tags.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// A rule source as (cidr, group).
fn source_parts(source: &Source) -> (Option<String>, Option<String>) {
    match source {
        Source::Cidr(cidr) => (Some(cidr.clone()), None),
        Source::Group(group) => (None, Some(group.clone())),
    }
}

/// Connection states in which AWS refuses to delete the service.
fn carries_traffic(state: &str) -> bool {
    matches!(state, "pendingAcceptance" | "pending" | "available")
}

/// One AWS account and region, every service of a [`Cloud`] backed by the same state.
struct FakeCloud {
    shared: Mutex<State>,
}

impl FakeCloud {
    /// The account as a grant finds it: the database, in its VPC, with its security group
    /// holding one rule (from the application subnets).
    fn new() -> Arc<Self> {
        let mut state = State::default();
        state.groups.insert(DB_GROUP.to_owned(), Group { vpc_id: VPC.to_owned(), name: DATABASE.to_owned(), tags: Vec::new() });
        state.rules.insert(
            APP_RULE.to_owned(),
            Rule {
                group_id: DB_GROUP.to_owned(),
                port: PORT,
                cidr: Some("10.20.0.0/16".to_owned()),
                source_group: None,
                description: "application servers".to_owned(),
                tags: Vec::new(),
            },
        );
        state.databases.insert(
            DATABASE.to_owned(),
            DatabaseDetails {
                engine: "postgres".to_owned(),
                port: PORT,
                hostnames: vec![("instance".to_owned(), format!("{DATABASE}.abc.{REGION}.rds.amazonaws.com"))],
                ca_certificate: Some("rds-ca-rsa2048-g1".to_owned()),
                tls: Some(("rds.force_ssl".to_owned(), "1".to_owned())),
            },
        );
        Arc::new(FakeCloud { shared: Mutex::new(state) })
    }

    /// The services the engine is given, all of them this fake.
    fn cloud(self: &Arc<Self>) -> Cloud {
        let me: Arc<FakeCloud> = Arc::clone(self);
        Cloud {
            ec2: me.clone(),
            peering: me.clone(),
            instances: me.clone(),
            lattice: me.clone(),
            sharing: me.clone(),
            functions: me.clone(),
            elb: me.clone(),
            iam: me.clone(),
            rds: me.clone(),
            sts: me.clone(),
            tagged: me.clone(),
            accounts: me,
            label: "fake".to_owned(),
            region: REGION.to_owned(),
            session: None,
        }
    }

    /// The state, also after a test's panic elsewhere (the next assertion reports, not the lock).
    fn state(&self) -> MutexGuard<'_, State> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> Result<T, AwsError>) -> Result<T, AwsError> {
        f(&mut self.state())
    }

    fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.state())
    }

    /// Makes the `nth` call (from 1) of `action` fail.
    fn fail_on(&self, action: &str, nth: usize) {
        self.state().fail.push((action.to_owned(), nth));
    }

    fn clear_calls(&self) {
        let mut state = self.state();
        state.calls.clear();
        state.subjects.clear();
    }

    fn calls(&self) -> Vec<String> {
        self.read(|s| s.calls.clone())
    }

    /// (action, what it was about) of every call, in order.
    fn log(&self) -> Vec<(String, String)> {
        self.read(|s| s.calls.iter().cloned().zip(s.subjects.iter().cloned()).collect())
    }

    /// Everything in the account that was not there before the grant.
    fn made(&self) -> Vec<String> {
        let s = self.state();
        let mut made = Vec::new();
        made.extend(s.groups.keys().filter(|id| id.as_str() != DB_GROUP).map(|id| format!("security group {id}")));
        made.extend(s.rules.keys().filter(|id| id.as_str() != APP_RULE).map(|id| format!("rule {id}")));
        made.extend(s.balancers.values().map(|b| format!("load balancer {}", b.name)));
        made.extend(s.target_groups.values().map(|t| format!("target group {}", t.name)));
        made.extend(s.listeners.keys().map(|arn| format!("listener {arn}")));
        made.extend(s.services.keys().map(|id| format!("endpoint service {id}")));
        made.extend(s.roles.keys().map(|name| format!("role {name}")));
        made
    }
}

mod ec2;
mod elb;
mod iam;
mod identity;
mod lattice;
mod peering;
mod tests;
