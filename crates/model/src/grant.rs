use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{CredentialSource, StepId, VendorProfile};

/// The parts of a grant an admin can choose (seeds 000–003).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Part {
    /// Internal NLB + VPC endpoint service the vendor connects to over PrivateLink.
    PrivateLink,
    /// A cross-account IAM role the vendor assumes (MFA, ExternalId).
    VendorRole,
    /// Security-group rules for the vendor's published addresses.
    IpAllowlist,
    /// A new member account of the admin's organization that holds only the vendor's role
    /// (seed 003): whatever the role may do, it can do only there.
    DedicatedAccount,
    /// A peering connection between the database's VPC and the vendor's, routed and admitted on
    /// the database port only (seed 000, for vendors that cannot use PrivateLink).
    VpcPeering,
    /// An SSH host the vendor tunnels through to the database (seeds 000 and 002): launched for
    /// the grant, or one the admin runs already.
    SshBastion,
    /// A VPC Lattice resource gateway and a resource configuration naming the database, shared
    /// with the vendor's account through AWS RAM; the vendor connects through a `Resource`
    /// VPC endpoint (docs/aws-rules.md R21). No load balancer: a failover needs nothing.
    ResourceEndpoint,
}

/// What the vendor role may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RoleAccess {
    /// The profile's own permissions (managed policies and/or its minimal inline policy).
    #[default]
    VendorPolicy,
    /// `PowerUserAccess` plus only the `iam:` actions of the profile's policy (seed 003's
    /// "easier" option: PowerUser denies all of IAM).
    PowerUser,
    /// `AdministratorAccess`, for a dedicated account only.
    Administrator,
}

/// What the admin chose: everything a plan is made from, before any AWS call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GrantRequest {
    pub vendor: VendorProfile,
    /// RDS instance or Aurora cluster identifier, as discovered in the region.
    pub database: String,
    pub parts: Vec<Part>,
    /// Database IPs typed by the admin; when empty they are resolved from its endpoint.
    #[serde(default)]
    pub target_ips: Vec<String>,
    /// Subnets for the NLB, one per AZ; when empty, the database's own subnets are used.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// The grant ends at the start of this day (UTC, `YYYY-MM-DD`), enforced in the role's policies.
    #[serde(default)]
    pub expires: Option<String>,
    #[serde(default)]
    pub role_access: RoleAccess,
    /// Longest vendor role session, in hours (1–12).
    #[serde(default = "one_hour")]
    pub max_session_hours: u8,
    /// Endpoint connections wait for the admin's acceptance (the safe default).
    #[serde(default = "yes")]
    pub acceptance_required: bool,
    /// The admin confirmed that `0.0.0.0/0` in the vendor's ranges is meant.
    #[serde(default)]
    pub allow_everyone: bool,
    /// The ExternalId the vendor issued for this grant; overrides the profile's.
    #[serde(default)]
    pub external_id: Option<String>,
    /// What the role may do with `iam:PassRole` where the vendor's policy allows it on every role.
    #[serde(default)]
    pub pass_role: PassRole,
    /// The organization's member account the database is in, when it is not the credentials'
    /// own: plan and apply reach it through `access_role`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub account: Option<String>,
    /// The role assumed in `account`; `OrganizationAccountAccessRole` when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub access_role: Option<String>,
    /// The member account to create for the vendor (part `dedicatedAccount`); the role is put
    /// there, entered through `access_role`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub new_account: Option<NewAccount>,
    /// The vendor's side of a VPC peering (part `vpcPeering`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub peering: Option<PeeringRequest>,
    /// The SSH bastion (part `sshBastion`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub bastion: Option<BastionRequest>,
    /// What the resource configuration names (part `resourceEndpoint`); the database by its
    /// ARN when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub resource_target: Option<ResourceTargetKind>,
    /// Private link only: a function in the account moves the load balancer's targets to the
    /// database's addresses after a failover (RDS events) and every 5 minutes.
    #[serde(default)]
    pub sync_targets: bool,
}

/// How a resource configuration names the database (docs/aws-rules.md R21).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ResourceTargetKind {
    /// The RDS instance or Aurora cluster by its ARN: AWS follows the database itself.
    #[default]
    DatabaseArn,
    /// The writer (or only) endpoint's DNS name, resolved by Lattice on each new connection.
    WriterDns,
    /// An Aurora cluster's reader endpoint's DNS name.
    ReaderDns,
}

/// The database as a resource configuration's definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "kind")]
pub enum ResourceTarget {
    Arn { arn: String },
    Dns { domain_name: String },
}

/// The bastion: launched with the vendor's key, or the admin's own host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BastionRequest {
    /// The vendor's SSH public key, one line as `ssh-keygen` writes it, for a bastion VendorLink
    /// launches; it may only forward to the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub public_key: Option<String>,
    /// Where to launch it: a public subnet of the database's VPC, chosen when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub subnet_id: Option<String>,
    /// A host the admin already runs: only the database's group is opened to its group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub existing: Option<ExistingBastion>,
}

/// A bastion host the admin runs; the vendor's key is installed on it by the admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExistingBastion {
    /// Its public hostname or address.
    pub host: String,
    pub port: u16,
    pub user: String,
    /// Its security group, which the database's group will admit.
    pub security_group_id: String,
}

/// How the database's VPC is peered with the vendor's: the vendor's pending request accepted,
/// or a request made to the vendor's VPC for the vendor to accept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PeeringRequest {
    /// The vendor's pending request to accept (`pcx-…`). When neither this nor `vpcId` is
    /// given, the one pending request from the vendor's account is taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub connection_id: Option<String>,
    /// The vendor's VPC: to request peering with it, or to check the accepted request against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub vpc_id: Option<String>,
    /// The vendor VPC's region, when not the database's (inter-Region peering).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub region: Option<String>,
    /// The vendor VPC's IPv4 blocks. A request the vendor sent names them itself; one made
    /// here needs them (another account's VPC cannot be read).
    #[serde(default)]
    pub cidrs: Vec<String>,
    /// Let the vendor's VPC resolve the database's hostname to its private address.
    #[serde(default)]
    pub dns_resolution: bool,
}

/// A member account to create in the caller's organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewAccount {
    /// The account's name as the organization lists it.
    pub name: String,
    /// The owner's email address; no other AWS account may use it.
    pub email: String,
    /// The organizational unit (`ou-…`) to move it into; it stays under the root when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub organizational_unit: Option<String>,
}

/// The role Organizations creates in every account it creates, trusting the management account.
pub const ORGANIZATION_ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

/// How a grant in an organization's member account is reached: the credentials belong to
/// `from_account` (the management account, or one its member accounts trust), which assumes
/// `role_name` in the plan's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MemberAccess {
    pub from_account: String,
    pub role_name: String,
}

impl MemberAccess {
    /// The role's ARN in the member account `account`.
    pub fn role_arn(&self, account: &str) -> String {
        format!("arn:aws:iam::{account}:role/{}", self.role_name)
    }
}

/// `iam:PassRole` on every role is an escalation path: with it and `ec2:RunInstances` the role
/// hands any role of the account to a machine it controls (parliament's
/// `CreateEC2WithExistingIP`). A plan refuses it until the admin scopes it or drops it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum PassRole {
    /// As the vendor's policy writes it: refused when that is every role.
    #[default]
    AsWritten,
    /// Taken out of the vendor's policy.
    Drop,
    /// Only these roles, and, when services are named, only to those services
    /// (`iam:PassedToService`, e.g. `eks.amazonaws.com`).
    Scoped { role_arns: Vec<String>, services: Vec<String> },
}

fn one_hour() -> u8 {
    1
}

fn yes() -> bool {
    true
}

/// The database a plan points at, as discovery found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseRef {
    pub id: String,
    pub engine: String,
    pub endpoint: String,
    pub port: u16,
    pub vpc_id: String,
}

/// A resource id that is either known already or comes from an earlier step's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "from")]
pub enum Ref {
    /// Exists before the grant (the database's security group).
    Existing { id: String },
    /// Created by this step; its output's `id`.
    Step { step: StepId },
}

/// Where an ingress rule lets traffic in from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum IngressSource {
    Cidr { cidr: String },
    Group { group: Ref },
}

/// One AWS resource to create, with every input it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "type")]
pub enum Action {
    CreateSecurityGroup {
        name: String,
        description: String,
        vpc_id: String,
    },
    AuthorizeIngress {
        group: Ref,
        port: u16,
        sources: Vec<IngressSource>,
        description: String,
    },
    CreateLoadBalancer {
        name: String,
        subnet_ids: Vec<String>,
        security_group: Ref,
    },
    EnableCrossZone {
        load_balancer: Ref,
    },
    /// Re-sets the NLB's group to choose whether its inbound rules also filter PrivateLink
    /// traffic (`EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`, `on` by default: then
    /// the vendor's client addresses would have to be admitted, and no connection passes).
    SetLoadBalancerSecurityGroups {
        load_balancer: Ref,
        security_group: Ref,
        enforce_on_private_link: bool,
    },
    CreateTargetGroup {
        name: String,
        vpc_id: String,
        port: u16,
    },
    RegisterTargets {
        target_group: Ref,
        ips: Vec<String>,
        port: u16,
    },
    CreateListener {
        load_balancer: Ref,
        target_group: Ref,
        port: u16,
    },
    CreateEndpointService {
        load_balancer: Ref,
        acceptance_required: bool,
        supported_regions: Vec<String>,
    },
    AllowPrincipals {
        service: Ref,
        principals: Vec<String>,
    },
    CreateRole {
        name: String,
        description: String,
        trust_policy: String,
        max_session_seconds: u32,
    },
    PutRolePolicy {
        role: Ref,
        name: String,
        document: String,
    },
    AttachRolePolicy {
        role: Ref,
        policy_arn: String,
    },
    /// A member account of the caller's organization, with `access_role` trusting the
    /// management account; ready once AWS reports its creation `SUCCEEDED`.
    CreateAccount {
        name: String,
        email: String,
        access_role: String,
    },
    /// The account moved from the organization's root into an organizational unit.
    MoveAccount {
        account: Ref,
        organizational_unit: String,
    },
    /// A peering request from the database's VPC to the vendor's, for the vendor to accept.
    CreatePeering {
        vpc_id: String,
        peer_vpc_id: String,
        peer_account: String,
        /// Set for inter-Region peering.
        peer_region: Option<String>,
    },
    /// The vendor's pending request accepted (and tagged with the grant).
    AcceptPeering {
        connection_id: String,
    },
    /// `AllowDnsResolutionFromRemoteVpc` on the customer's side of an active connection.
    AllowPeeringDns {
        connection: Ref,
        /// The customer's VPC is the requester (else the accepter).
        as_requester: bool,
    },
    /// Routes to the vendor's blocks through the connection, in one route table.
    CreatePeeringRoutes {
        route_table_id: String,
        cidrs: Vec<String>,
        connection: Ref,
    },
    /// The bastion instance: the latest image named by `image_parameter` (AWS's public SSM
    /// parameter, read at apply), IMDSv2 only, no instance role, a public address, and
    /// `user_data` setting up the vendor's user (forwarding to the database only).
    LaunchBastion {
        subnet_id: String,
        security_group: Ref,
        instance_type: String,
        image_parameter: String,
        user: String,
        user_data: String,
    },
    /// A VPC Lattice resource gateway in the database's VPC, one subnet per zone the database
    /// uses; waited until `ACTIVE`.
    CreateResourceGateway {
        name: String,
        vpc_id: String,
        subnet_ids: Vec<String>,
        security_group: Ref,
    },
    /// A resource configuration naming the database, reached through the gateway on the
    /// database port; waited until `ACTIVE`.
    CreateResourceConfiguration {
        name: String,
        gateway: Ref,
        target: ResourceTarget,
        port: u16,
    },
    /// The target-sync function (its zipped handler is VendorLink's own, put in at apply), with
    /// its log group: it resolves `db_host` and moves the target group's targets.
    CreateSyncFunction {
        name: String,
        role: Ref,
        target_group: Ref,
        db_host: String,
        port: u16,
        log_retention_days: u16,
    },
    /// An EventBridge rule invoking the sync function: on the database's RDS events
    /// (`event_pattern`) or on a `schedule`; only this rule may invoke it.
    CreateSyncRule {
        name: String,
        function: Ref,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        event_pattern: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        schedule: Option<String>,
    },
    /// An AWS RAM share of the configuration with the vendor's account (an account outside the
    /// organization: external principals allowed; it gets an invitation).
    ShareResource {
        name: String,
        resource: Ref,
        account_id: String,
    },
}

impl Action {
    /// The `service:Action` IAM name of the call that performs it.
    pub fn iam_action(&self) -> &'static str {
        match self {
            Action::CreateSecurityGroup { .. } => "ec2:CreateSecurityGroup",
            Action::AuthorizeIngress { .. } => "ec2:AuthorizeSecurityGroupIngress",
            Action::CreateLoadBalancer { .. } => "elasticloadbalancing:CreateLoadBalancer",
            Action::EnableCrossZone { .. } => "elasticloadbalancing:ModifyLoadBalancerAttributes",
            Action::SetLoadBalancerSecurityGroups { .. } => "elasticloadbalancing:SetSecurityGroups",
            Action::CreateTargetGroup { .. } => "elasticloadbalancing:CreateTargetGroup",
            Action::RegisterTargets { .. } => "elasticloadbalancing:RegisterTargets",
            Action::CreateListener { .. } => "elasticloadbalancing:CreateListener",
            Action::CreateEndpointService { .. } => "ec2:CreateVpcEndpointServiceConfiguration",
            Action::AllowPrincipals { .. } => "ec2:ModifyVpcEndpointServicePermissions",
            Action::CreateRole { .. } => "iam:CreateRole",
            Action::PutRolePolicy { .. } => "iam:PutRolePolicy",
            Action::AttachRolePolicy { .. } => "iam:AttachRolePolicy",
            Action::CreateAccount { .. } => "organizations:CreateAccount",
            Action::MoveAccount { .. } => "organizations:MoveAccount",
            Action::CreatePeering { .. } => "ec2:CreateVpcPeeringConnection",
            Action::AcceptPeering { .. } => "ec2:AcceptVpcPeeringConnection",
            Action::AllowPeeringDns { .. } => "ec2:ModifyVpcPeeringConnectionOptions",
            Action::CreatePeeringRoutes { .. } => "ec2:CreateRoute",
            Action::LaunchBastion { .. } => "ec2:RunInstances",
            Action::CreateResourceGateway { .. } => "vpc-lattice:CreateResourceGateway",
            Action::CreateResourceConfiguration { .. } => "vpc-lattice:CreateResourceConfiguration",
            Action::ShareResource { .. } => "ram:CreateResourceShare",
            Action::CreateSyncFunction { .. } => "lambda:CreateFunction",
            Action::CreateSyncRule { .. } => "events:PutRule",
        }
    }

    /// The call that undoes it (rollback, revoke).
    pub fn undo_iam_action(&self) -> &'static str {
        match self {
            Action::CreateSecurityGroup { .. } => "ec2:DeleteSecurityGroup",
            Action::AuthorizeIngress { .. } => "ec2:RevokeSecurityGroupIngress",
            // Its settings go with the load balancer.
            Action::CreateLoadBalancer { .. } | Action::EnableCrossZone { .. } | Action::SetLoadBalancerSecurityGroups { .. } => "elasticloadbalancing:DeleteLoadBalancer",
            Action::CreateTargetGroup { .. } => "elasticloadbalancing:DeleteTargetGroup",
            Action::RegisterTargets { .. } => "elasticloadbalancing:DeregisterTargets",
            Action::CreateListener { .. } => "elasticloadbalancing:DeleteListener",
            Action::CreateEndpointService { .. } => "ec2:DeleteVpcEndpointServiceConfigurations",
            Action::AllowPrincipals { .. } => "ec2:ModifyVpcEndpointServicePermissions",
            Action::CreateRole { .. } => "iam:DeleteRole",
            Action::PutRolePolicy { .. } => "iam:DeleteRolePolicy",
            Action::AttachRolePolicy { .. } => "iam:DetachRolePolicy",
            // Never automatic (docs/aws-rules.md R18): only `revoke --close-account` calls it.
            Action::CreateAccount { .. } => "organizations:CloseAccount",
            // The account stays where it was put until it is closed.
            Action::MoveAccount { .. } => "organizations:MoveAccount",
            // The option goes with the connection.
            Action::CreatePeering { .. } | Action::AcceptPeering { .. } | Action::AllowPeeringDns { .. } => "ec2:DeleteVpcPeeringConnection",
            Action::CreatePeeringRoutes { .. } => "ec2:DeleteRoute",
            Action::LaunchBastion { .. } => "ec2:TerminateInstances",
            Action::CreateResourceGateway { .. } => "vpc-lattice:DeleteResourceGateway",
            Action::CreateResourceConfiguration { .. } => "vpc-lattice:DeleteResourceConfiguration",
            Action::ShareResource { .. } => "ram:DeleteResourceShare",
            Action::CreateSyncFunction { .. } => "lambda:DeleteFunction",
            Action::CreateSyncRule { .. } => "events:DeleteRule",
        }
    }

    /// Steps this action needs first, from its references.
    pub fn references(&self) -> Vec<&StepId> {
        let refs: Vec<&Ref> = match self {
            Action::AuthorizeIngress { group, sources, .. } => {
                let mut refs = vec![group];
                refs.extend(sources.iter().filter_map(|s| match s {
                    IngressSource::Group { group } => Some(group),
                    IngressSource::Cidr { .. } => None,
                }));
                refs
            }
            Action::CreateLoadBalancer { security_group, .. } => vec![security_group],
            Action::EnableCrossZone { load_balancer } => vec![load_balancer],
            Action::SetLoadBalancerSecurityGroups { load_balancer, security_group, .. } => vec![load_balancer, security_group],
            Action::RegisterTargets { target_group, .. } => vec![target_group],
            Action::CreateListener { load_balancer, target_group, .. } => vec![load_balancer, target_group],
            Action::CreateEndpointService { load_balancer, .. } => vec![load_balancer],
            Action::AllowPrincipals { service, .. } => vec![service],
            Action::PutRolePolicy { role, .. } | Action::AttachRolePolicy { role, .. } => vec![role],
            Action::MoveAccount { account, .. } => vec![account],
            Action::AllowPeeringDns { connection, .. } | Action::CreatePeeringRoutes { connection, .. } => vec![connection],
            Action::LaunchBastion { security_group, .. } | Action::CreateResourceGateway { security_group, .. } => vec![security_group],
            Action::CreateResourceConfiguration { gateway, .. } => vec![gateway],
            Action::ShareResource { resource, .. } => vec![resource],
            Action::CreateSyncFunction { role, target_group, .. } => vec![role, target_group],
            Action::CreateSyncRule { function, .. } => vec![function],
            Action::CreateSecurityGroup { .. }
            | Action::CreateTargetGroup { .. }
            | Action::CreateRole { .. }
            | Action::CreateAccount { .. }
            | Action::CreatePeering { .. }
            | Action::AcceptPeering { .. } => Vec::new(),
        };
        refs.into_iter()
            .filter_map(|r| match r {
                Ref::Step { step } => Some(step),
                Ref::Existing { .. } => None,
            })
            .collect()
    }
}

/// One step of a plan: one resource, created once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Stable within the plan: the journal refers to steps by it.
    pub id: StepId,
    pub part: Part,
    /// One line for the admin: what this creates and why.
    pub summary: String,
    pub action: Action,
    /// Steps that must be done first although none of their results is an input here (the
    /// role's self-protection before any permission; the NLB's PrivateLink setting before the
    /// service is published).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<StepId>,
}

impl Step {
    /// Every step that must be done before this one: its action's references and `after`.
    pub fn needs(&self) -> Vec<&StepId> {
        let mut needs = self.action.references();
        needs.extend(self.after.iter());
        needs
    }
}

/// What an independent linter would flag in a policy the plan puts on the role, shown to the
/// admin in the review (parliament's issue names, so tests can compare with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PolicyFinding {
    /// `PRIVILEGE_ESCALATION` or `PERMISSIONS_MANAGEMENT_ACTIONS`.
    pub issue: String,
    /// The escalation method (`CreateEC2WithExistingIP`), or `PermissionsManagement`.
    pub name: String,
    /// The actions that make it possible (lowercase, as IAM compares them).
    pub actions: Vec<String>,
}

/// A policy finding, with the step whose policy it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepFinding {
    pub step: StepId,
    pub finding: PolicyFinding,
}

/// What a request becomes: every resource, in order, shown before anything changes. Apply,
/// resume and status all read the plan saved with the grant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub grant_id: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The account and region everything is created in; apply refuses other credentials.
    pub account_id: String,
    pub region: String,
    /// Set when `account_id` is an organization's member account that the credentials reach
    /// by assuming a role there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub member_access: Option<MemberAccess>,
    /// How the credentials were chosen (never the keys themselves), for resume.
    pub source: CredentialSource,
    pub vendor_id: String,
    pub vendor_name: String,
    /// The database the grant reaches; none for a role-only grant (a dedicated account, a
    /// member account's role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub database: Option<DatabaseRef>,
    /// The admin's own bastion host the grant opens the database to, for the handoff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub bastion_host: Option<ExistingBastion>,
    pub parts: Vec<Part>,
    /// The `sts:ExternalId` the vendor must send; not a secret, but unguessable.
    pub external_id: Option<String>,
    pub expires: Option<String>,
    /// What the admin should know but does not stop the plan (an unreachable allowlist...).
    pub warnings: Vec<String>,
    /// What a policy linter finds in the role's policies: escalation paths, permission changes.
    #[serde(default)]
    pub findings: Vec<StepFinding>,
    /// Every IAM action the grant calls over its life (create, check, revoke), shown in the
    /// review; the preflight asks IAM about the same list.
    #[serde(default)]
    pub iam_actions: Vec<String>,
    pub steps: Vec<Step>,
    /// What the plan's resources will cost, shown before "Create" and repeated in the summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cost: Option<super::CostEstimate>,
}

impl Plan {
    pub fn step(&self, id: &StepId) -> Option<&Step> {
        self.steps.iter().find(|s| &s.id == id)
    }

    /// The vendor's AWS accounts the grant lets in (the endpoint service's principals, the
    /// role's trust, a peering, a share), sorted: what an admin is asked about a grant.
    pub fn vendor_accounts(&self) -> Vec<String> {
        let account = |text: &str| Some(text).filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())).map(str::to_owned);
        let mut accounts = std::collections::BTreeSet::new();
        for step in &self.steps {
            match &step.action {
                Action::AllowPrincipals { principals, .. } => accounts.extend(principals.iter().filter_map(|p| p.split(':').nth(4).and_then(account))),
                // The trust policy names its principals by ARN (a service principal has none).
                Action::CreateRole { trust_policy, .. } => accounts.extend(trust_policy.split("arn:aws:iam::").skip(1).filter_map(|rest| rest.get(..12).and_then(account))),
                Action::CreatePeering { peer_account, .. } => accounts.extend(account(peer_account)),
                Action::ShareResource { account_id, .. } => accounts.extend(account(account_id)),
                _ => {}
            }
        }
        accounts.into_iter().collect()
    }

    /// The role through which the dedicated account this plan creates is entered, when it
    /// creates one.
    pub fn dedicated_access_role(&self) -> Option<&str> {
        self.steps.iter().find_map(|s| match &s.action {
            Action::CreateAccount { access_role, .. } => Some(access_role.as_str()),
            _ => None,
        })
    }

    /// What the grant is for, in a few words: its database, or the account it creates.
    pub fn target(&self) -> String {
        match (&self.database, self.parts.contains(&Part::DedicatedAccount)) {
            (Some(db), _) => db.id.clone(),
            (None, true) => "a dedicated account".into(),
            (None, false) => format!("account {}", self.account_id),
        }
    }

    /// The tags every resource of this grant carries.
    pub fn tags(&self) -> Vec<(String, String)> {
        vec![(GRANT_TAG.into(), self.grant_id.clone()), (VENDOR_TAG.into(), self.vendor_id.clone()), ("Name".into(), format!("vendorlink-{}-{}", self.vendor_id, self.grant_id))]
    }
}

/// Tag key holding the grant id on every resource VendorLink creates.
pub const GRANT_TAG: &str = "vendorlink:grant";
/// Tag key holding the vendor id.
pub const VENDOR_TAG: &str = "vendorlink:vendor";
