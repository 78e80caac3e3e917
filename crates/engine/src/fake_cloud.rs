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
use vendorlink_aws::{AwsError, Cloud, Created, StsApi, TaggedApi};
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
            elb: me.clone(),
            iam: me.clone(),
            rds: me.clone(),
            sts: me.clone(),
            tagged: me,
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

#[async_trait]
impl Ec2Api for FakeCloud {
    async fn create_security_group(&self, name: &str, _description: &str, vpc_id: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "ec2:CreateSecurityGroup";
            s.call(action, name)?;
            if s.groups.values().any(|g| g.vpc_id == vpc_id && g.name == name) {
                return Err(service_error(action, "InvalidGroup.Duplicate", format!("The security group '{name}' already exists for VPC '{vpc_id}'")));
            }
            let group_id = s.new_id("sg-");
            s.groups.insert(group_id.clone(), Group { vpc_id: vpc_id.to_owned(), name: name.to_owned(), tags: tags.to_vec() });
            Ok(Created { output: Output::SecurityGroup { group_id }, request_id: s.request_id() })
        })
    }

    async fn find_security_group(&self, vpc_id: &str, name: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeSecurityGroups", name)?;
            Ok(s.groups.iter().find(|(_, g)| g.vpc_id == vpc_id && g.name == name).map(|(id, _)| Output::SecurityGroup { group_id: id.clone() }))
        })
    }

    async fn delete_security_group(&self, group_id: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "ec2:DeleteSecurityGroup";
            s.call(action, group_id)?;
            if !s.groups.contains_key(group_id) {
                return Ok(None);
            }
            let used_by_balancer = s.balancers.values().any(|b| b.security_group == group_id);
            let referenced = s.rules.values().any(|r| r.group_id != group_id && r.source_group.as_deref() == Some(group_id));
            if used_by_balancer || referenced {
                return Err(service_error(action, "DependencyViolation", format!("resource {group_id} has a dependent object")));
            }
            s.groups.remove(group_id);
            s.rules.retain(|_, r| r.group_id != group_id);
            Ok(s.request_id())
        })
    }

    async fn authorize_ingress(&self, group_id: &str, port: u16, sources: &[Source], description: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "ec2:AuthorizeSecurityGroupIngress";
            s.call(action, description)?;
            if !s.groups.contains_key(group_id) {
                return Err(service_error(action, "InvalidGroup.NotFound", format!("The security group '{group_id}' does not exist")));
            }
            let wanted: Vec<(Option<String>, Option<String>)> = sources.iter().map(source_parts).collect();
            for (cidr, source_group) in &wanted {
                if let Some(source) = source_group {
                    if !s.groups.contains_key(source) {
                        return Err(service_error(action, "InvalidGroup.NotFound", format!("The security group '{source}' does not exist")));
                    }
                }
                if s.rules.values().any(|r| r.group_id == group_id && r.port == port && r.cidr == *cidr && r.source_group == *source_group) {
                    return Err(service_error(action, "InvalidPermission.Duplicate", format!("the specified rule already exists on {group_id}")));
                }
            }
            let mut rule_ids = Vec::new();
            for (cidr, source_group) in wanted {
                let id = s.new_id("sgr-");
                s.rules.insert(id.clone(), Rule { group_id: group_id.to_owned(), port, cidr, source_group, description: description.to_owned(), tags: tags.to_vec() });
                rule_ids.push(id);
            }
            Ok(Created { output: Output::IngressRules { group_id: group_id.to_owned(), rule_ids }, request_id: s.request_id() })
        })
    }

    async fn find_ingress(&self, group_id: &str, port: u16, sources: &[Source], grant_id: &str, description: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeSecurityGroupRules", group_id)?;
            let rule_ids: Vec<String> = s
                .rules
                .iter()
                .filter(|(_, r)| r.group_id == group_id && r.port == port)
                .filter(|(_, r)| sources.iter().map(source_parts).any(|(cidr, group)| r.cidr == cidr && r.source_group == group))
                .filter(|(_, r)| r.description == description || tag(&r.tags, GRANT_TAG).as_deref() == Some(grant_id))
                .map(|(id, _)| id.clone())
                .collect();
            Ok((!rule_ids.is_empty()).then(|| Output::IngressRules { group_id: group_id.to_owned(), rule_ids }))
        })
    }

    async fn revoke_ingress(&self, group_id: &str, rule_ids: &[String]) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("ec2:RevokeSecurityGroupIngress", group_id)?;
            let before = s.rules.len();
            s.rules.retain(|id, r| r.group_id != group_id || !rule_ids.contains(id));
            Ok(if s.rules.len() < before { s.request_id() } else { None })
        })
    }

    async fn create_endpoint_service(
        &self,
        load_balancer_arn: &str,
        acceptance_required: bool,
        supported_regions: &[String],
        client_token: &str,
        tags: &[(String, String)],
    ) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "ec2:CreateVpcEndpointServiceConfiguration";
            s.call(action, load_balancer_arn)?;
            // The client token makes a repeated call answer with the service it made.
            let existing = s.services.iter().find(|(_, svc)| svc.client_token == client_token).map(|(id, svc)| Output::EndpointService {
                service_id: id.clone(),
                service_name: svc.name.clone(),
                state: Some(svc.state.clone()),
            });
            if let Some(output) = existing {
                return Ok(Created { output, request_id: s.request_id() });
            }
            if !s.balancers.contains_key(load_balancer_arn) {
                return Err(service_error(action, "InvalidParameter", format!("Load balancer {load_balancer_arn} does not exist")));
            }
            let service_id = s.new_id("vpce-svc-");
            let service_name = format!("com.amazonaws.vpce.{REGION}.{service_id}");
            s.services.insert(
                service_id.clone(),
                Service {
                    load_balancer: load_balancer_arn.to_owned(),
                    name: service_name.clone(),
                    state: "Available".to_owned(),
                    acceptance_required,
                    supported_regions: supported_regions.to_vec(),
                    principals: Vec::new(),
                    connections: Vec::new(),
                    client_token: client_token.to_owned(),
                    tags: tags.to_vec(),
                },
            );
            Ok(Created { output: Output::EndpointService { service_id, service_name, state: Some("Available".to_owned()) }, request_id: s.request_id() })
        })
    }

    async fn find_endpoint_service(&self, grant_id: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeVpcEndpointServiceConfigurations", grant_id)?;
            Ok(s.services.iter().find(|(_, svc)| tag(&svc.tags, GRANT_TAG).as_deref() == Some(grant_id)).map(|(id, svc)| Output::EndpointService {
                service_id: id.clone(),
                service_name: svc.name.clone(),
                state: None,
            }))
        })
    }

    async fn endpoint_service_state(&self, service_id: &str) -> Result<String, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeVpcEndpointServiceConfigurations", service_id)?;
            Ok(s.services.get(service_id).map(|svc| svc.state.clone()).unwrap_or_else(|| "Deleted".to_owned()))
        })
    }

    async fn delete_endpoint_service(&self, service_id: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "ec2:DeleteVpcEndpointServiceConfigurations";
            s.call(action, service_id)?;
            let Some(service) = s.services.get(service_id) else { return Ok(None) };
            if service.connections.iter().any(|c| carries_traffic(&c.state)) {
                return Err(service_error(action, "ExistingVpcEndpointConnections", format!("Service {service_id} has existing endpoint connections")));
            }
            s.services.remove(service_id);
            Ok(s.request_id())
        })
    }

    async fn allow_principals(&self, service_id: &str, principals: &[String]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "ec2:ModifyVpcEndpointServicePermissions";
            s.call(action, service_id)?;
            let Some(service) = s.services.get_mut(service_id) else { return Err(service_not_found(action, service_id)) };
            for principal in principals {
                if !service.principals.contains(principal) {
                    service.principals.push(principal.clone());
                }
            }
            Ok(Created { output: Output::Principals { service_id: service_id.to_owned(), principals: principals.to_vec() }, request_id: s.request_id() })
        })
    }

    async fn allowed_principals(&self, service_id: &str) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            let action = "ec2:DescribeVpcEndpointServicePermissions";
            s.call(action, service_id)?;
            s.services.get(service_id).map(|svc| svc.principals.clone()).ok_or_else(|| service_not_found(action, service_id))
        })
    }

    async fn remove_principals(&self, service_id: &str, principals: &[String]) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("ec2:ModifyVpcEndpointServicePermissions", service_id)?;
            let Some(service) = s.services.get_mut(service_id) else { return Ok(None) };
            service.principals.retain(|p| !principals.contains(p));
            Ok(s.request_id())
        })
    }

    async fn endpoint_connections(&self, service_id: &str) -> Result<Vec<Connection>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeVpcEndpointConnections", service_id)?;
            Ok(s.services.get(service_id).map(|svc| svc.connections.clone()).unwrap_or_default())
        })
    }

    async fn accept_connections(&self, service_id: &str, endpoint_ids: &[String]) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "ec2:AcceptVpcEndpointConnections";
            s.call(action, service_id)?;
            let Some(service) = s.services.get_mut(service_id) else { return Err(service_not_found(action, service_id)) };
            for connection in service.connections.iter_mut().filter(|c| endpoint_ids.contains(&c.endpoint_id) && c.state == "pendingAcceptance") {
                connection.state = "available".to_owned();
            }
            Ok(s.request_id())
        })
    }

    async fn reject_connections(&self, service_id: &str, endpoint_ids: &[String]) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("ec2:RejectVpcEndpointConnections", service_id)?;
            let Some(service) = s.services.get_mut(service_id) else { return Ok(None) };
            for connection in service.connections.iter_mut().filter(|c| endpoint_ids.contains(&c.endpoint_id)) {
                connection.state = "rejected".to_owned();
            }
            Ok(s.request_id())
        })
    }

    async fn ingress_rules(&self, group_id: &str) -> Result<Option<Vec<IngressRule>>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeSecurityGroupRules", group_id)?;
            if !s.groups.contains_key(group_id) {
                return Ok(None);
            }
            Ok(Some(
                s.rules
                    .iter()
                    .filter(|(_, r)| r.group_id == group_id)
                    .map(|(id, r)| IngressRule {
                        group_id: group_id.to_owned(),
                        rule_id: id.clone(),
                        protocol: "tcp".to_owned(),
                        from_port: i32::from(r.port),
                        to_port: i32::from(r.port),
                        cidr: r.cidr.clone(),
                        source_group: r.source_group.clone(),
                        description: Some(r.description.clone()),
                    })
                    .collect(),
            ))
        })
    }

    async fn ingress_rule_ids(&self, group_id: &str) -> Result<Option<Vec<String>>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeSecurityGroupRules", group_id)?;
            if !s.groups.contains_key(group_id) {
                return Ok(None);
            }
            Ok(Some(s.rules.iter().filter(|(_, r)| r.group_id == group_id).map(|(id, _)| id.clone()).collect()))
        })
    }

    async fn endpoint_service(&self, service_id: &str) -> Result<Option<ServiceDetails>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeVpcEndpointServiceConfigurations", service_id)?;
            Ok(s.services.get(service_id).map(|svc| ServiceDetails {
                service_name: svc.name.clone(),
                supported_regions: svc.supported_regions.clone(),
                acceptance_required: svc.acceptance_required,
            }))
        })
    }

    async fn zone_ids(&self, names: &[String]) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeAvailabilityZones", &names.join(","))?;
            let mut ids: Vec<String> = names.iter().map(|name| format!("use1-az-{}", name.strip_prefix(REGION).unwrap_or(name))).collect();
            ids.sort();
            Ok(ids)
        })
    }

    async fn rule_cidrs(&self, rule_ids: &[String]) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            s.call("ec2:DescribeSecurityGroupRules", &rule_ids.join(","))?;
            Ok(rule_ids.iter().filter_map(|id| s.rules.get(id)).filter_map(|r| r.cidr.clone()).collect())
        })
    }
}

#[async_trait]
impl ElbApi for FakeCloud {
    async fn create_load_balancer(&self, name: &str, subnet_ids: &[String], security_group: &str, tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:CreateLoadBalancer";
            s.call(action, name)?;
            if s.balancers.values().any(|b| b.name == name) {
                return Err(service_error(action, "DuplicateLoadBalancerName", format!("A load balancer with the name '{name}' already exists")));
            }
            if !s.groups.contains_key(security_group) {
                return Err(service_error(action, "InvalidSecurityGroup", format!("Security group '{security_group}' does not exist")));
            }
            let n = s.new_id("");
            let arn = format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/net/{name}/{n}");
            let dns_name = format!("{name}-{n}.elb.{REGION}.amazonaws.com");
            let zones = (b'a'..=b'z').zip(subnet_ids).map(|(letter, _)| format!("{REGION}{}", char::from(letter))).collect();
            s.balancers.insert(
                arn.clone(),
                Balancer {
                    name: name.to_owned(),
                    dns_name: dns_name.clone(),
                    state: "provisioning".to_owned(),
                    security_group: security_group.to_owned(),
                    enforce_on_private_link: "on".to_owned(),
                    cross_zone: false,
                    zones,
                    tags: tags.to_vec(),
                },
            );
            Ok(Created { output: Output::LoadBalancer { arn, dns_name, state: Some("provisioning".to_owned()) }, request_id: s.request_id() })
        })
    }

    async fn find_load_balancer(&self, name: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DescribeLoadBalancers", name)?;
            Ok(s.balancers.iter().find(|(_, b)| b.name == name).map(|(arn, b)| Output::LoadBalancer { arn: arn.clone(), dns_name: b.dns_name.clone(), state: None }))
        })
    }

    async fn load_balancer_state(&self, arn: &str) -> Result<String, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DescribeLoadBalancers", arn)?;
            Ok(match s.balancers.get_mut(arn) {
                None => "deleted".to_owned(),
                Some(balancer) => {
                    // AWS takes minutes; the fake's first look finds it provisioned.
                    if balancer.state == "provisioning" {
                        balancer.state = "active".to_owned();
                    }
                    balancer.state.clone()
                }
            })
        })
    }

    async fn delete_load_balancer(&self, arn: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:DeleteLoadBalancer";
            s.call(action, arn)?;
            if !s.balancers.contains_key(arn) {
                return Ok(None);
            }
            if s.services.values().any(|svc| svc.load_balancer == arn) {
                return Err(service_error(action, "ResourceInUse", format!("Load balancer '{arn}' cannot be deleted because it is currently associated with another service")));
            }
            s.balancers.remove(arn);
            // Its listeners go with it.
            s.listeners.retain(|_, l| l.load_balancer != arn);
            Ok(s.request_id())
        })
    }

    async fn enable_cross_zone(&self, arn: &str) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:ModifyLoadBalancerAttributes";
            s.call(action, arn)?;
            let Some(balancer) = s.balancers.get_mut(arn) else { return Err(balancer_not_found(action, arn)) };
            balancer.cross_zone = true;
            Ok(Created { output: Output::LoadBalancerSetting { load_balancer: arn.to_owned() }, request_id: s.request_id() })
        })
    }

    async fn set_security_groups(&self, arn: &str, security_group: &str, enforce_on_private_link: bool) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:SetSecurityGroups";
            s.call(action, arn)?;
            if !s.groups.contains_key(security_group) {
                return Err(service_error(action, "InvalidSecurityGroup", format!("Security group '{security_group}' does not exist")));
            }
            let Some(balancer) = s.balancers.get_mut(arn) else { return Err(balancer_not_found(action, arn)) };
            balancer.security_group = security_group.to_owned();
            balancer.enforce_on_private_link = if enforce_on_private_link { "on" } else { "off" }.to_owned();
            Ok(Created { output: Output::LoadBalancerSetting { load_balancer: arn.to_owned() }, request_id: s.request_id() })
        })
    }

    async fn private_link_inbound_rules(&self, arn: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DescribeLoadBalancers", arn)?;
            Ok(s.balancers.get(arn).map(|b| b.enforce_on_private_link.clone()))
        })
    }

    async fn create_target_group(&self, name: &str, _vpc_id: &str, _port: u16, tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:CreateTargetGroup";
            s.call(action, name)?;
            if s.target_groups.values().any(|t| t.name == name) {
                return Err(service_error(action, "DuplicateTargetGroupName", format!("A target group with the name '{name}' already exists")));
            }
            let n = s.new_id("");
            let arn = format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{name}/{n}");
            s.target_groups.insert(arn.clone(), TargetGroup { name: name.to_owned(), targets: Vec::new(), tags: tags.to_vec() });
            Ok(Created { output: Output::TargetGroup { arn }, request_id: s.request_id() })
        })
    }

    async fn find_target_group(&self, name: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DescribeTargetGroups", name)?;
            Ok(s.target_groups.iter().find(|(_, t)| t.name == name).map(|(arn, _)| Output::TargetGroup { arn: arn.clone() }))
        })
    }

    async fn delete_target_group(&self, arn: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:DeleteTargetGroup";
            s.call(action, arn)?;
            if !s.target_groups.contains_key(arn) {
                return Ok(None);
            }
            if s.listeners.values().any(|l| l.target_group == arn) {
                return Err(service_error(action, "ResourceInUse", format!("Target group '{arn}' is currently in use by a listener or a rule")));
            }
            s.target_groups.remove(arn);
            Ok(s.request_id())
        })
    }

    async fn register_targets(&self, target_group: &str, ips: &[String], _port: u16) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:RegisterTargets";
            s.call(action, target_group)?;
            let Some(group) = s.target_groups.get_mut(target_group) else { return Err(target_group_not_found(action, target_group)) };
            for ip in ips {
                if !group.targets.contains(ip) {
                    group.targets.push(ip.clone());
                }
            }
            Ok(Created { output: Output::Targets { target_group: target_group.to_owned(), ips: ips.to_vec() }, request_id: s.request_id() })
        })
    }

    async fn deregister_targets(&self, target_group: &str, ips: &[String], _port: u16) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DeregisterTargets", target_group)?;
            let Some(group) = s.target_groups.get_mut(target_group) else { return Ok(None) };
            group.targets.retain(|ip| !ips.contains(ip));
            Ok(s.request_id())
        })
    }

    async fn registered_targets(&self, target_group: &str) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:DescribeTargetHealth";
            s.call(action, target_group)?;
            s.target_groups.get(target_group).map(|t| t.targets.clone()).ok_or_else(|| target_group_not_found(action, target_group))
        })
    }

    async fn create_listener(&self, load_balancer: &str, target_group: &str, port: u16, _tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:CreateListener";
            s.call(action, load_balancer)?;
            if !s.balancers.contains_key(load_balancer) {
                return Err(balancer_not_found(action, load_balancer));
            }
            if !s.target_groups.contains_key(target_group) {
                return Err(target_group_not_found(action, target_group));
            }
            if s.listeners.values().any(|l| l.load_balancer == load_balancer && l.port == port) {
                return Err(service_error(action, "DuplicateListener", format!("A listener already exists on port {port} of {load_balancer}")));
            }
            let n = s.new_id("");
            let arn = format!("{}/{n}", load_balancer.replacen(":loadbalancer/", ":listener/", 1));
            s.listeners.insert(arn.clone(), Listener { load_balancer: load_balancer.to_owned(), target_group: target_group.to_owned(), port });
            Ok(Created { output: Output::Listener { arn }, request_id: s.request_id() })
        })
    }

    async fn find_listener(&self, load_balancer: &str, port: u16) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DescribeListeners", load_balancer)?;
            Ok(s.listeners.iter().find(|(_, l)| l.load_balancer == load_balancer && l.port == port).map(|(arn, _)| Output::Listener { arn: arn.clone() }))
        })
    }

    async fn delete_listener(&self, arn: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("elasticloadbalancing:DeleteListener", arn)?;
            Ok(if s.listeners.remove(arn).is_some() { s.request_id() } else { None })
        })
    }

    async fn load_balancer_zones(&self, arn: &str) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            let action = "elasticloadbalancing:DescribeLoadBalancers";
            s.call(action, arn)?;
            s.balancers.get(arn).map(|b| b.zones.clone()).ok_or_else(|| balancer_not_found(action, arn))
        })
    }
}

#[async_trait]
impl IamApi for FakeCloud {
    async fn create_role(&self, name: &str, _description: &str, trust_policy: &str, max_session_seconds: u32, tags: &[(String, String)]) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "iam:CreateRole";
            s.call(action, name)?;
            if s.roles.contains_key(name) {
                return Err(service_error(action, "EntityAlreadyExists", format!("Role with name {name} already exists.")));
            }
            let arn = format!("arn:aws:iam::{ACCOUNT}:role{ROLE_PATH}{name}");
            s.roles.insert(
                name.to_owned(),
                Role { arn: arn.clone(), trust: trust_policy.to_owned(), max_session_seconds, inline: BTreeMap::new(), attached: Vec::new(), tags: tags.to_vec() },
            );
            Ok(Created { output: Output::Role { name: name.to_owned(), arn }, request_id: s.request_id() })
        })
    }

    async fn find_role(&self, name: &str) -> Result<Option<Output>, AwsError> {
        self.with(|s| {
            s.call("iam:GetRole", name)?;
            Ok(s.roles.get(name).map(|r| Output::Role { name: name.to_owned(), arn: r.arn.clone() }))
        })
    }

    async fn delete_role(&self, name: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            let action = "iam:DeleteRole";
            s.call(action, name)?;
            let Some(role) = s.roles.get(name) else { return Ok(None) };
            if !role.inline.is_empty() || !role.attached.is_empty() {
                return Err(service_error(action, "DeleteConflict", "Cannot delete entity, must delete policies first.".to_owned()));
            }
            s.roles.remove(name);
            Ok(s.request_id())
        })
    }

    async fn update_trust(&self, role: &str, document: &str) -> Result<(Option<String>, Option<chrono::DateTime<chrono::Utc>>), AwsError> {
        self.with(|s| {
            let action = "iam:UpdateAssumeRolePolicy";
            s.call(action, role)?;
            let Some(entry) = s.roles.get_mut(role) else { return Err(no_such_role(action, role)) };
            entry.trust = document.to_owned();
            Ok((s.request_id(), Some(chrono::Utc::now())))
        })
    }

    async fn role_policy(&self, role: &str, name: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("iam:GetRolePolicy", name)?;
            Ok(s.roles.get(role).and_then(|r| r.inline.get(name).cloned()))
        })
    }

    async fn put_role_policy(&self, role: &str, name: &str, document: &str) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "iam:PutRolePolicy";
            s.call(action, name)?;
            let Some(entry) = s.roles.get_mut(role) else { return Err(no_such_role(action, role)) };
            entry.inline.insert(name.to_owned(), document.to_owned());
            Ok(Created { output: Output::InlinePolicy { role: role.to_owned(), name: name.to_owned() }, request_id: s.request_id() })
        })
    }

    async fn delete_role_policy(&self, role: &str, name: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("iam:DeleteRolePolicy", name)?;
            let removed = s.roles.get_mut(role).and_then(|r| r.inline.remove(name));
            Ok(if removed.is_some() { s.request_id() } else { None })
        })
    }

    async fn attach_role_policy(&self, role: &str, policy_arn: &str) -> Result<Created, AwsError> {
        self.with(|s| {
            let action = "iam:AttachRolePolicy";
            s.call(action, policy_arn)?;
            let Some(entry) = s.roles.get_mut(role) else { return Err(no_such_role(action, role)) };
            if !entry.attached.iter().any(|a| a == policy_arn) {
                entry.attached.push(policy_arn.to_owned());
            }
            Ok(Created { output: Output::ManagedPolicy { role: role.to_owned(), policy_arn: policy_arn.to_owned() }, request_id: s.request_id() })
        })
    }

    async fn detach_role_policy(&self, role: &str, policy_arn: &str) -> Result<Option<String>, AwsError> {
        self.with(|s| {
            s.call("iam:DetachRolePolicy", policy_arn)?;
            let detached = match s.roles.get_mut(role) {
                Some(entry) => {
                    let before = entry.attached.len();
                    entry.attached.retain(|a| a != policy_arn);
                    entry.attached.len() < before
                }
                None => false,
            };
            Ok(if detached { s.request_id() } else { None })
        })
    }

    async fn role_policies(&self, role: &str) -> Result<Option<(Vec<String>, Vec<String>)>, AwsError> {
        self.with(|s| {
            s.call("iam:ListRolePolicies", role)?;
            if !s.roles.contains_key(role) {
                return Ok(None);
            }
            s.call("iam:ListAttachedRolePolicies", role)?;
            Ok(s.roles.get(role).map(|r| (r.inline.keys().cloned().collect(), r.attached.clone())))
        })
    }

    async fn role_details(&self, name: &str) -> Result<Option<(String, u32, String)>, AwsError> {
        self.with(|s| {
            s.call("iam:GetRole", name)?;
            Ok(s.roles.get(name).map(|r| (r.arn.clone(), r.max_session_seconds, r.trust.clone())))
        })
    }

    /// The fake's caller may do everything.
    async fn denied_actions(&self, principal_arn: &str, _actions: &[String]) -> Result<Vec<String>, AwsError> {
        self.with(|s| {
            s.call("iam:SimulatePrincipalPolicy", principal_arn)?;
            Ok(Vec::new())
        })
    }
}

#[async_trait]
impl RdsApi for FakeCloud {
    async fn database_details(&self, id: &str) -> Result<Option<DatabaseDetails>, AwsError> {
        self.with(|s| {
            s.call("rds:DescribeDBInstances", id)?;
            Ok(s.databases.get(id).cloned())
        })
    }
}

#[async_trait]
impl StsApi for FakeCloud {
    async fn caller_identity(&self) -> Result<Identity, AwsError> {
        self.with(|s| {
            s.call("sts:GetCallerIdentity", "")?;
            Ok(Identity {
                account: ACCOUNT.to_owned(),
                arn: format!("arn:aws:iam::{ACCOUNT}:user/admin"),
                user_id: "AIDAFAKEADMIN".to_owned(),
                region: REGION.to_owned(),
                endpoint: None,
            })
        })
    }
}

#[async_trait]
impl TaggedApi for FakeCloud {
    async fn tagged_resources(&self, grant_id: Option<&str>) -> Result<Vec<TaggedResource>, AwsError> {
        self.with(|s| {
            let actions = [
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSecurityGroupRules",
                "ec2:DescribeVpcEndpointServiceConfigurations",
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTags",
                "iam:ListRoles",
            ];
            for action in actions {
                s.call(action, grant_id.unwrap_or("*"))?;
            }
            let mut found = Vec::new();
            let mut add = |kind: &str, id: &str, tags: &[(String, String)]| {
                if let Some(grant) = tag(tags, GRANT_TAG) {
                    found.push(TaggedResource { kind: kind.to_owned(), id: id.to_owned(), grant_id: grant, vendor_id: tag(tags, VENDOR_TAG) });
                }
            };
            for (id, group) in &s.groups {
                add("securityGroup", id.as_str(), &group.tags);
            }
            for (id, rule) in &s.rules {
                add("securityGroupRule", id.as_str(), &rule.tags);
            }
            for (id, service) in &s.services {
                add("endpointService", id.as_str(), &service.tags);
            }
            for (arn, balancer) in &s.balancers {
                add("loadBalancer", arn.as_str(), &balancer.tags);
            }
            for (arn, group) in &s.target_groups {
                add("targetGroup", arn.as_str(), &group.tags);
            }
            for (name, role) in &s.roles {
                add("role", name.as_str(), &role.tags);
            }
            found.retain(|r| grant_id.is_none_or(|g| r.grant_id == g));
            found.sort_by(|a, b| (&a.grant_id, &a.kind, &a.id).cmp(&(&b.grant_id, &b.kind, &b.id)));
            Ok(found)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::atomic::AtomicBool;
    use std::time::Duration;

    use super::*;
    use crate::journal::{Event, GrantStore, RunOutcome};
    use crate::policies;
    use crate::{ApplyReport, EngineError, Progress, ProgressSink, WaitPolicy};
    use vendorlink_model::{Action, CredentialSource, DatabaseRef, IngressSource, Part, Plan, Ref, RevocationRecord, RevokeScope, Step, StepId};

    const GRANT: &str = "g-1a2b3c4d";
    const ROLE_NAME: &str = "vendorlink-datafold-1a2b3c4d";
    const BALANCER_NAME: &str = "vl-datafold-1a2b3c4d";
    const VENDOR: &str = "arn:aws:iam::999999999999:root";
    const VENDOR_RANGE: &str = "203.0.113.0/24";
    const TARGETS: [&str; 2] = ["10.20.1.15", "10.20.2.15"];
    const EXTERNAL_ID: &str = "3f9c0e4a1b7d2c6e8f0a1b2c3d4e5f60";
    const GUARD_POLICY: &str = "vendorlink-guard";
    const VENDOR_POLICY: &str = "vendorlink-datafold";
    const VENDOR_POLICY_DOCUMENT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["rds:Describe*","cloudwatch:GetMetricData"],"Resource":"*"}]}"#;
    const MANAGED: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    const SESSIONS_POLICY: &str = "vendorlink-revoke-sessions";
    const DENY_ALL_POLICY: &str = "vendorlink-revoked";
    /// The calls that take the network down.
    const NETWORK_DELETES: [&str; 6] = [
        "ec2:DeleteVpcEndpointServiceConfigurations",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:DeregisterTargets",
        "elasticloadbalancing:DeleteTargetGroup",
        "ec2:DeleteSecurityGroup",
    ];

    /// A plan with all three parts, its steps, ids, references and `after` as `plan::build`
    /// lays them out (no expiry).
    fn plan() -> Plan {
        let from = |step: StepId| Ref::Step { step };
        let db_group = || Ref::Existing { id: DB_GROUP.to_owned() };
        let step = |id: StepId, part: Part, action: Action, after: Vec<StepId>| Step { summary: format!("{id} (test plan)"), id, part, action, after };
        let steps = vec![
            step(
                StepId::NlbSecurityGroup,
                Part::PrivateLink,
                Action::CreateSecurityGroup { name: format!("{ROLE_NAME}-nlb"), description: format!("VendorLink {GRANT}: NLB for Datafold"), vpc_id: VPC.to_owned() },
                Vec::new(),
            ),
            step(
                StepId::DbRuleFromNlb,
                Part::PrivateLink,
                Action::AuthorizeIngress {
                    group: db_group(),
                    port: PORT,
                    sources: vec![IngressSource::Group { group: from(StepId::NlbSecurityGroup) }],
                    description: format!("VendorLink {GRANT} datafold: from NLB"),
                },
                Vec::new(),
            ),
            step(StepId::TargetGroup, Part::PrivateLink, Action::CreateTargetGroup { name: BALANCER_NAME.to_owned(), vpc_id: VPC.to_owned(), port: PORT }, Vec::new()),
            step(
                StepId::Targets,
                Part::PrivateLink,
                Action::RegisterTargets { target_group: from(StepId::TargetGroup), ips: TARGETS.iter().map(|ip| (*ip).to_owned()).collect(), port: PORT },
                Vec::new(),
            ),
            step(
                StepId::Nlb,
                Part::PrivateLink,
                Action::CreateLoadBalancer {
                    name: BALANCER_NAME.to_owned(),
                    subnet_ids: vec!["subnet-a".to_owned(), "subnet-b".to_owned()],
                    security_group: from(StepId::NlbSecurityGroup),
                },
                Vec::new(),
            ),
            step(StepId::NlbCrossZone, Part::PrivateLink, Action::EnableCrossZone { load_balancer: from(StepId::Nlb) }, Vec::new()),
            step(
                StepId::NlbPrivateLinkRules,
                Part::PrivateLink,
                Action::SetLoadBalancerSecurityGroups { load_balancer: from(StepId::Nlb), security_group: from(StepId::NlbSecurityGroup), enforce_on_private_link: false },
                Vec::new(),
            ),
            step(StepId::Listener, Part::PrivateLink, Action::CreateListener { load_balancer: from(StepId::Nlb), target_group: from(StepId::TargetGroup), port: PORT }, Vec::new()),
            step(
                StepId::EndpointService,
                Part::PrivateLink,
                Action::CreateEndpointService { load_balancer: from(StepId::Nlb), acceptance_required: true, supported_regions: Vec::new() },
                vec![StepId::NlbPrivateLinkRules],
            ),
            step(
                StepId::EndpointPrincipals,
                Part::PrivateLink,
                Action::AllowPrincipals { service: from(StepId::EndpointService), principals: vec![VENDOR.to_owned()] },
                Vec::new(),
            ),
            step(
                StepId::Allowlist,
                Part::IpAllowlist,
                Action::AuthorizeIngress {
                    group: db_group(),
                    port: PORT,
                    sources: vec![IngressSource::Cidr { cidr: VENDOR_RANGE.to_owned() }],
                    description: format!("VendorLink {GRANT} datafold: vendor addresses"),
                },
                Vec::new(),
            ),
            step(
                StepId::Role,
                Part::VendorRole,
                Action::CreateRole {
                    name: ROLE_NAME.to_owned(),
                    description: "VendorLink: Datafold access".to_owned(),
                    trust_policy: policies::trust_policy(&[VENDOR.to_owned()], true, Some(EXTERNAL_ID), None),
                    max_session_seconds: 3600,
                },
                Vec::new(),
            ),
            step(
                StepId::RoleGuard,
                Part::VendorRole,
                Action::PutRolePolicy { role: from(StepId::Role), name: GUARD_POLICY.to_owned(), document: policies::guard_policy(ACCOUNT) },
                Vec::new(),
            ),
            step(
                StepId::RolePolicy(VENDOR_POLICY.to_owned()),
                Part::VendorRole,
                Action::PutRolePolicy { role: from(StepId::Role), name: VENDOR_POLICY.to_owned(), document: VENDOR_POLICY_DOCUMENT.to_owned() },
                vec![StepId::RoleGuard],
            ),
            step(StepId::RoleManaged(0), Part::VendorRole, Action::AttachRolePolicy { role: from(StepId::Role), policy_arn: MANAGED.to_owned() }, vec![StepId::RoleGuard]),
        ];
        Plan {
            grant_id: GRANT.to_owned(),
            created_at: "2026-01-05T09:00:00Z".to_owned(),
            account_id: ACCOUNT.to_owned(),
            region: REGION.to_owned(),
            source: CredentialSource::Profile { name: "ops".to_owned() },
            vendor_id: "datafold".to_owned(),
            vendor_name: "Datafold".to_owned(),
            database: DatabaseRef {
                id: DATABASE.to_owned(),
                engine: "postgres".to_owned(),
                endpoint: format!("{DATABASE}.abc.{REGION}.rds.amazonaws.com"),
                port: PORT,
                vpc_id: VPC.to_owned(),
            },
            parts: vec![Part::PrivateLink, Part::VendorRole, Part::IpAllowlist],
            external_id: Some(EXTERNAL_ID.to_owned()),
            expires: None,
            warnings: Vec::new(),
            findings: Vec::new(),
            iam_actions: Vec::new(),
            steps,
        }
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(future)
    }

    fn sink() -> ProgressSink {
        Arc::new(|_: Progress| {})
    }

    fn wait() -> WaitPolicy {
        WaitPolicy { first: Duration::from_millis(1), longest: Duration::from_millis(2), timeout: Duration::from_secs(5) }
    }

    /// The grant recorded in a store of its own, and the fake account.
    struct Harness {
        fake: Arc<FakeCloud>,
        store: GrantStore,
        _dir: tempfile::TempDir,
    }

    impl Harness {
        fn new() -> Self {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let store = GrantStore::new(dir.path().join("grants"));
            drop(store.create(&plan()).expect("the plan is recorded"));
            Harness { fake: FakeCloud::new(), store, _dir: dir }
        }

        fn apply(&self) -> Result<ApplyReport, EngineError> {
            let cancel = AtomicBool::new(false);
            block_on(crate::apply::apply(&self.fake.cloud(), &self.store, GRANT, "apply", sink(), wait(), &cancel))
        }

        fn revoke(&self, scope: RevokeScope) -> Result<RevocationRecord, EngineError> {
            block_on(crate::revoke::revoke(&self.fake.cloud(), &self.store, GRANT, scope, sink(), wait()))
        }

        /// How the journal says the last run ended.
        fn last_outcome(&self) -> Option<RunOutcome> {
            self.store.records(GRANT).expect("the journal reads").iter().rev().find_map(|r| match &r.event {
                Event::RunFinished { outcome } => Some(*outcome),
                _ => None,
            })
        }
    }

    /// Whether a call changes something (reads and STS do not).
    fn mutating(action: &str) -> bool {
        let (service, name) = action.split_once(':').unwrap_or(("", action));
        service != "sts" && !["Describe", "Get", "List", "Simulate"].into_iter().any(|read| name.starts_with(read))
    }

    fn changes(log: &[(String, String)]) -> Vec<(String, String)> {
        log.iter().filter(|(action, _)| mutating(action)).cloned().collect()
    }

    fn first(log: &[(String, String)], action: &str) -> usize {
        log.iter().position(|(a, _)| a == action).unwrap_or_else(|| panic!("no {action} in {log:?}"))
    }

    fn last(log: &[(String, String)], action: &str) -> usize {
        log.iter().rposition(|(a, _)| a == action).unwrap_or_else(|| panic!("no {action} in {log:?}"))
    }

    /// Where the log has the call that performs the step. One action serves several steps
    /// (two rules, several inline policies): those are told apart by what the call was about.
    fn calls_of(log: &[(String, String)], step: &Step) -> Vec<usize> {
        let about = match &step.action {
            Action::AuthorizeIngress { description, .. } => Some(description.as_str()),
            Action::PutRolePolicy { name, .. } => Some(name.as_str()),
            _ => None,
        };
        log.iter().enumerate().filter(|(_, (action, subject))| action == step.action.iam_action() && about.is_none_or(|a| a == subject)).map(|(i, _)| i).collect()
    }

    fn journaled(records: &[crate::journal::Record], deleting: bool) -> Vec<StepId> {
        records
            .iter()
            .filter_map(|r| match (&r.step, &r.event) {
                (Some(step), Event::Deleting { .. }) if deleting => Some(step.clone()),
                (Some(step), Event::Created { .. }) if !deleting => Some(step.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn apply_creates_each_step_after_what_it_needs_and_once() {
        let h = Harness::new();
        let plan = plan();
        let report = h.apply().expect("the grant applies");
        assert_eq!(report.created.len(), plan.steps.len(), "{report:?}");
        assert!(report.adopted.is_empty() && report.already_done.is_empty(), "{report:?}");

        let log = h.fake.log();
        let at = |step: &Step| -> usize {
            let found = calls_of(&log, step);
            assert_eq!(found.len(), 1, "{} was created {} times: {log:?}", step.id, found.len());
            found[0]
        };
        for step in &plan.steps {
            for need in step.needs() {
                let needed = plan.step(need).expect("a needed step is in the plan");
                assert!(at(needed) < at(step), "{} was created before {need}, which it needs: {log:?}", step.id);
            }
        }
        // The same, as an admin would put it.
        assert!(first(&log, "ec2:CreateSecurityGroup") < first(&log, "elasticloadbalancing:CreateLoadBalancer"));
        assert!(first(&log, "elasticloadbalancing:SetSecurityGroups") < first(&log, "ec2:CreateVpcEndpointServiceConfiguration"));
        let guard = calls_of(&log, plan.step(&StepId::RoleGuard).expect("the guard step"))[0];
        for (i, (action, subject)) in log.iter().enumerate() {
            if (action == "iam:PutRolePolicy" && subject != GUARD_POLICY) || action == "iam:AttachRolePolicy" {
                assert!(guard < i, "{action} {subject} came before the role's guard: {log:?}");
            }
        }

        {
            let s = h.fake.state();
            let (nlb_arn, nlb) = s.balancers.iter().next().expect("the load balancer");
            assert_eq!((nlb.state.as_str(), nlb.cross_zone, nlb.enforce_on_private_link.as_str()), ("active", true, "off"));
            assert!(!s.rules.values().any(|r| r.group_id == nlb.security_group), "the NLB's group admits something");
            let service = s.services.values().next().expect("the endpoint service");
            assert_eq!(&service.load_balancer, nlb_arn);
            assert_eq!(service.principals, [VENDOR]);
            assert!(service.acceptance_required);
            let targets = s.target_groups.values().next().expect("the target group");
            assert_eq!(targets.targets, TARGETS);
            let db_rules: Vec<(Option<&str>, Option<&str>)> = s.rules.values().filter(|r| r.group_id == DB_GROUP).map(|r| (r.cidr.as_deref(), r.source_group.as_deref())).collect();
            assert_eq!(db_rules.len(), 3, "the app rule, the NLB's and the vendor's: {db_rules:?}");
            assert!(db_rules.contains(&(Some(VENDOR_RANGE), None)) && db_rules.contains(&(None, Some(nlb.security_group.as_str()))), "{db_rules:?}");
            let role = s.roles.get(ROLE_NAME).expect("the vendor role");
            assert_eq!(role.inline.keys().map(String::as_str).collect::<Vec<_>>(), [VENDOR_POLICY, GUARD_POLICY]);
            assert_eq!(role.attached, [MANAGED]);
            assert!(!policies::trusts_nobody(&role.trust) && role.trust.contains(EXTERNAL_ID), "{}", role.trust);
        }

        h.fake.clear_calls();
        let again = h.apply().expect("a second apply succeeds");
        assert!(again.created.is_empty() && again.adopted.is_empty(), "{again:?}");
        assert_eq!(again.already_done.len(), plan.steps.len());
        assert!(h.fake.calls().is_empty(), "a second apply called AWS: {:?}", h.fake.calls());
        assert_eq!(h.last_outcome(), Some(RunOutcome::Applied));
    }

    #[test]
    fn a_failed_step_rolls_back_everything_in_reverse_and_leaves_nothing() {
        let h = Harness::new();
        h.fake.fail_on("ec2:CreateVpcEndpointServiceConfiguration", 1);
        let err = h.apply().expect_err("the endpoint service cannot be created");
        match &err {
            EngineError::StepFailed { step, cause, leftovers } => {
                assert_eq!(*step, StepId::EndpointService);
                assert!(cause.to_string().contains("InternalFailure"), "{cause}");
                assert!(leftovers.is_empty(), "{leftovers:?}");
            }
            other => panic!("expected the step's failure, got: {other}"),
        }
        let made = h.fake.made();
        assert!(made.is_empty(), "the rollback left {made:?}");
        assert_eq!(h.fake.state().rules.keys().map(String::as_str).collect::<Vec<_>>(), [APP_RULE], "the database's own rule is untouched");

        let log = h.fake.log();
        assert!(first(&log, "elasticloadbalancing:DeleteListener") < first(&log, "elasticloadbalancing:DeleteLoadBalancer"), "{log:?}");
        assert!(first(&log, "elasticloadbalancing:DeleteLoadBalancer") < first(&log, "ec2:DeleteSecurityGroup"), "{log:?}");
        assert!(first(&log, "elasticloadbalancing:DeleteListener") < first(&log, "elasticloadbalancing:DeleteTargetGroup"), "{log:?}");
        assert!(first(&log, "elasticloadbalancing:DeregisterTargets") < first(&log, "elasticloadbalancing:DeleteTargetGroup"), "{log:?}");
        assert!(last(&log, "ec2:RevokeSecurityGroupIngress") < first(&log, "ec2:DeleteSecurityGroup"), "{log:?}");
        assert!(last(&log, "iam:DeleteRolePolicy") < first(&log, "iam:DeleteRole"), "{log:?}");
        assert!(last(&log, "iam:DetachRolePolicy") < first(&log, "iam:DeleteRole"), "{log:?}");
        let (_, deleted_group) = &log[first(&log, "ec2:DeleteSecurityGroup")];
        assert_ne!(deleted_group, DB_GROUP, "the database's group was deleted");

        // Newest first: nothing is undone after what it depends on.
        let records = h.store.records(GRANT).expect("the journal reads");
        let undone = journaled(&records, true);
        let created: BTreeSet<StepId> = journaled(&records, false).into_iter().collect();
        assert_eq!(undone.iter().cloned().collect::<BTreeSet<_>>(), created, "everything made is undone, and only that");
        let plan = plan();
        for step in &plan.steps {
            for need in step.needs() {
                let (Some(mine), Some(needed)) = (undone.iter().position(|s| s == &step.id), undone.iter().position(|s| s == need)) else { continue };
                assert!(mine < needed, "{} was undone after {need}, which it needs: {undone:?}", step.id);
            }
        }
        assert_eq!(h.last_outcome(), Some(RunOutcome::RolledBack));
    }

    #[test]
    fn a_failed_rollback_is_reported_with_what_was_left() {
        let h = Harness::new();
        h.fake.fail_on("ec2:CreateVpcEndpointServiceConfiguration", 1);
        h.fake.fail_on("elasticloadbalancing:DeleteTargetGroup", 1);
        let err = h.apply().expect_err("the endpoint service cannot be created");
        let EngineError::StepFailed { leftovers, .. } = &err else { panic!("expected the step's failure, got: {err}") };
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
        assert!(leftovers[0].starts_with("target-group (arn:aws:elasticloadbalancing:") && leftovers[0].contains("InternalFailure"), "{leftovers:?}");
        assert!(err.to_string().contains("Rolling back could not remove: target-group"), "{err}");
        assert_eq!(h.fake.made(), [format!("target group {BALANCER_NAME}")], "only the target group is left");
        assert_eq!(h.last_outcome(), Some(RunOutcome::RollbackIncomplete));
    }

    #[test]
    fn revoke_closes_the_trust_before_any_permission_goes_and_deletes_the_role_last() {
        let h = Harness::new();
        h.apply().expect("the grant applies");
        let service = {
            let mut s = h.fake.state();
            let (id, service) = s.services.iter_mut().next().expect("the endpoint service");
            service.connections.push(Connection { endpoint_id: "vpce-0vendor1".to_owned(), owner: "999999999999".to_owned(), state: "available".to_owned() });
            id.clone()
        };
        h.fake.clear_calls();
        let record = h.revoke(RevokeScope::Everything).expect("the revoke runs");
        assert!(record.complete(), "{record:#?}");

        let m = changes(&h.fake.log());
        let at = |action: &str| first(&m, action);
        let trust = at("iam:UpdateAssumeRolePolicy");
        assert_eq!(m[trust + 1], ("iam:PutRolePolicy".to_owned(), SESSIONS_POLICY.to_owned()), "the session deny comes right after the trust: {m:?}");
        let first_permission = m.iter().position(|(a, _)| a == "iam:DeleteRolePolicy" || a == "iam:DetachRolePolicy").expect("permissions removed");
        assert!(trust < first_permission, "a permission went before the trust was closed: {m:?}");
        let last_iam = m.iter().rposition(|(a, _)| a.starts_with("iam:")).expect("IAM calls");
        assert_eq!(m[last_iam].0, "iam:DeleteRole", "{m:?}");
        assert_eq!(m[last_iam - 1], ("iam:DeleteRolePolicy".to_owned(), SESSIONS_POLICY.to_owned()), "the session deny goes right before the role: {m:?}");
        let principals = at("ec2:ModifyVpcEndpointServicePermissions");
        let reject = at("ec2:RejectVpcEndpointConnections");
        assert_eq!(m[reject].1, service);
        for network in NETWORK_DELETES {
            let i = at(network);
            assert!(principals < i && reject < i, "{network} came before the vendor was cut off: {m:?}");
        }

        let made = h.fake.made();
        assert!(made.is_empty(), "the revoke left {made:?}");
        assert_eq!(h.fake.state().rules.keys().map(String::as_str).collect::<Vec<_>>(), [APP_RULE], "the database's own rule is untouched");
        assert_eq!(h.last_outcome(), Some(RunOutcome::Revoked));
    }

    #[test]
    fn a_role_changed_by_hand_is_kept_closed() {
        let h = Harness::new();
        h.apply().expect("the grant applies");
        h.fake
            .state()
            .roles
            .get_mut(ROLE_NAME)
            .expect("the vendor role")
            .inline
            .insert("hand-made".to_owned(), r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.to_owned());
        let record = h.revoke(RevokeScope::AccessOnly).expect("the revoke runs");
        assert!(record.kept.iter().any(|k| k.step == StepId::Role && k.id == ROLE_NAME), "{:#?}", record.kept);
        assert!(!record.complete());

        {
            let s = h.fake.state();
            let role = s.roles.get(ROLE_NAME).expect("the role changed by hand is kept");
            assert_eq!(role.trust, policies::deny_all_trust_policy());
            for name in [SESSIONS_POLICY, DENY_ALL_POLICY, "hand-made"] {
                assert!(role.inline.contains_key(name), "{name} missing: {:?}", role.inline.keys().collect::<Vec<_>>());
            }
            assert!(policies::denies_everything(&role.inline[DENY_ALL_POLICY]));
            assert!(!role.inline.contains_key(VENDOR_POLICY) && role.attached.is_empty(), "the grant's permissions are still on the role");
            let service = s.services.values().next().expect("an access-only revoke keeps the endpoint service");
            assert!(service.principals.is_empty(), "still allowed: {:?}", service.principals);
            assert!(!s.rules.values().any(|r| r.cidr.as_deref() == Some(VENDOR_RANGE)), "the vendor's range is still admitted");
        }
        assert_eq!(h.last_outcome(), Some(RunOutcome::RevokeIncomplete));
    }

    #[test]
    fn apply_refuses_a_revoked_grant_before_any_call() {
        let h = Harness::new();
        h.apply().expect("the grant applies");
        h.revoke(RevokeScope::Everything).expect("the revoke runs");
        h.fake.clear_calls();
        let err = h.apply().expect_err("a revoked grant is not applied again");
        assert!(matches!(&err, EngineError::Revoked { grant } if grant == GRANT), "{err}");
        assert!(h.fake.calls().is_empty(), "AWS was called: {:?}", h.fake.calls());
        assert!(h.fake.made().is_empty());
    }
}
