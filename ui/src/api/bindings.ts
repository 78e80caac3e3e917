// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit by hand:
// run `VENDORLINK_WRITE_BINDINGS=1 cargo test --features vendorlink-engine/test-hooks --bins bindings` after changing them.

export type CredentialSource = { "type": "sandbox" } | { "type": "profile", name: string, } | { "type": "keychain", name: string, };

export type SourceKind = "sandbox" | "profile" | "keychain";

export type SourceOption = { source: CredentialSource, kind: SourceKind, label: string, 
/**
 * Region, masked key id, MFA device or endpoint: never a secret.
 */
detail: string, 
/**
 * A code from the admin's MFA device is needed before it can be used.
 */
mfa: boolean, };

export type SourceList = { sources: Array<SourceOption>, problems: Array<ErrorPayload>, };

export type Identity = { account: string, arn: string, userId: string, region: string, 
/**
 * The endpoint the SDK talked to when it is not AWS's own (sandbox, emulator).
 */
endpoint: string | null, };

export type KeychainEntry = { name: string, accessKeyId: string, secretAccessKey: string, region: string | null, mfaSerial: string | null, };

export type KeychainEntrySummary = { name: string, 
/**
 * `AKIA…WXYZ`: enough to tell keys apart, not enough to use one.
 */
accessKeyHint: string, region: string | null, mfaSerial: string | null, };

export type FieldError = { 
/**
 * The input's name as the UI and CLI call it (`accessKeyId`, `region`...).
 */
field: string, message: string, hint: string, };

export type ErrorKind = "invalidInput" | "notFound" | "alreadyExists" | "keychain" | "config" | "mfaRequired" | "journal" | "delivery" | "cancelled" | "incomplete" | "revoked" | "busy" | "unreachable" | "invalidCredentials" | "noCredentials" | "accessDenied" | "throttled" | "aws" | "sandbox" | "internal";

export type ErrorPayload = { kind: ErrorKind, 
/**
 * What happened, in one sentence.
 */
message: string, 
/**
 * What to do about it.
 */
hint: string, fields: Array<FieldError>, 
/**
 * What AWS or the system said, word for word, with AWS's request id: folded under the
 * sentence in the window, for whoever digs further or files a ticket. Empty when nothing
 * more was said.
 */
detail: string, };

export type VendorProfile = { 
/**
 * Short lowercase id used in tags and resource names (`datafold`).
 */
id: string, name: string, 
/**
 * One sentence on what the vendor does with the access, for the admin.
 */
description: string, 
/**
 * The vendor's AWS account; `None` when the vendor gives it on request.
 */
accountId: string | null, 
/**
 * ARNs to allow on the endpoint service and in the role's trust; empty means the account root.
 */
principals: Array<string>, 
/**
 * Addresses the vendor connects from, for an IP allowlist.
 */
ipRanges: Array<string>, 
/**
 * Regions the vendor reaches endpoint services from (cross-region PrivateLink).
 */
regions: Array<string>, 
/**
 * Availability-zone IDs the vendor can reach; empty means any.
 */
azIds: Array<string>, permissions: VendorPermissions, 
/**
 * The vendor role may be assumed only with MFA: right for the vendor's staff signing in
 * (Datafold's guide: "Require MFA"); the vendor's automation cannot answer MFA.
 */
requireMfa: boolean, 
/**
 * The vendor role's trust requires an `sts:ExternalId`.
 */
requireExternalId: boolean, 
/**
 * The ExternalId the vendor issued to this customer. AWS's confused-deputy guidance has
 * the vendor issue it, unique per customer (docs/aws-rules.md R9).
 */
externalId: string | null, 
/**
 * The vendor accepts an ExternalId chosen by the customer: only then does VendorLink make one.
 */
acceptsCustomerExternalId: boolean, 
/**
 * The VPC the vendor peers from, when it publishes it: a peering request is checked against it.
 */
vpc?: VendorVpc, 
/**
 * The network paths the vendor documents accepting (private link, resource endpoint,
 * peering, SSH, allowlist), best first; empty when its profile does not say.
 */
networkPaths: Array<Part>, };

export type VendorPermissions = { 
/**
 * AWS-managed or customer policies to attach (`arn:aws:iam::aws:policy/PowerUserAccess`).
 */
managedPolicyArns: Array<string>, 
/**
 * An IAM policy document (JSON text) to put inline on the role.
 */
inlinePolicy: string | null, };

export type VendorVpc = { id?: string, region?: string, cidrs: Array<string>, };

export type Vpc = { id: string, name: string | null, 
/**
 * Every IPv4 block associated with the VPC (primary first).
 */
cidrs: Array<string>, isDefault: boolean, };

export type Subnet = { id: string, vpcId: string, name: string | null, cidr: string, 
/**
 * The zone's name in this account (`us-east-1a`): differs between accounts.
 */
availabilityZone: string, 
/**
 * The zone's ID (`use1-az6`): the same in every account, which is what a vendor needs.
 */
availabilityZoneId: string, 
/**
 * Free IPv4 addresses, as AWS counts them; `None` when not read.
 */
availableIps?: number, };

export type SecurityGroup = { id: string, name: string, vpcId: string, description: string, };

export type IngressRule = { groupId: string, ruleId: string, 
/**
 * `tcp`, `udp`, `icmp` or `-1` (everything).
 */
protocol: string, fromPort: number, toPort: number, cidr: string | null, sourceGroup: string | null, description: string | null, };

export type DatabaseKind = "instance" | "cluster";

export type Database = { id: string, 
/**
 * The instance's or cluster's ARN (a resource configuration names the database by it).
 */
arn: string, kind: DatabaseKind, engine: string, engineVersion: string, status: string, 
/**
 * The writer (or only) endpoint hostname; empty while RDS is still creating it.
 */
endpoint: string, readerEndpoint: string | null, port: number, vpcId: string, subnetIds: Array<string>, securityGroupIds: Array<string>, multiAz: boolean, publiclyAccessible: boolean, };

export type TaggedResource = { kind: string, id: string, grantId: string, vendorId: string | null, 
/**
 * What it lives in, when it cannot be removed without naming that (a rule's group).
 */
within?: string, };

export type Inventory = { region: string, vpcs: Array<Vpc>, subnets: Array<Subnet>, securityGroups: Array<SecurityGroup>, 
/**
 * Inbound rules of every security group, so a plan can see what is open already.
 */
ingressRules: Array<IngressRule>, databases: Array<Database>, 
/**
 * Resources earlier grants made here (found by the `vendorlink:grant` tag).
 */
grantResources: Array<TaggedResource>, };

export type RegionFailure = { region: string, error: ErrorPayload, };

export type Discovery = { regions: Array<Inventory>, failures: Array<RegionFailure>, };

export type OrgAccount = { id: string, name: string, email: string, 
/**
 * `ACTIVE`, `SUSPENDED` or `PENDING_CLOSURE`.
 */
status: string, };

export type AccountDiscovery = { account: OrgAccount, discovery: Discovery, };

export type AccountFailure = { account: OrgAccount, error: ErrorPayload, };

export type OrgDiscovery = { 
/**
 * The account whose credentials did the reading.
 */
callerAccount: string, 
/**
 * The role assumed in every other account.
 */
accessRole: string, accounts: Array<AccountDiscovery>, failures: Array<AccountFailure>, };

export type Part = "privateLink" | "vendorRole" | "ipAllowlist" | "dedicatedAccount" | "vpcPeering" | "sshBastion" | "resourceEndpoint";

export type Payer = "you" | "vendor";

export type CostLine = { part: Part, 
/**
 * "Network Load Balancer".
 */
item: string, 
/**
 * "$0.0225 per hour".
 */
rate: string, 
/**
 * What the charge comes to in a month when it does not depend on traffic.
 */
monthlyUsd: number | null, payer: Payer, 
/**
 * What it depends on, or why it is approximate.
 */
note: string, 
/**
 * The rate is quoted from AWS's own page; false when only AWS's price list as others
 * publish it (or no source) had it.
 */
checked: boolean, };

export type CostEstimate = { 
/**
 * The grant's region.
 */
region: string, 
/**
 * The region whose prices the table holds (other regions' are often a little higher).
 */
pricedRegion: string, 
/**
 * When the table's prices were read ("2026-09").
 */
pricesAsOf: string, lines: Array<CostLine>, 
/**
 * Your fixed monthly charges, before traffic.
 */
yourMonthlyUsd: number, 
/**
 * The vendor's fixed monthly charges, before traffic.
 */
vendorMonthlyUsd: number, };

export type RoleAccess = "vendorPolicy" | "powerUser" | "administrator";

export type PassRole = { "type": "asWritten" } | { "type": "drop" } | { "type": "scoped", roleArns: Array<string>, services: Array<string>, };

export type PeeringRequest = { 
/**
 * The vendor's pending request to accept (`pcx-…`). When neither this nor `vpcId` is
 * given, the one pending request from the vendor's account is taken.
 */
connectionId?: string, 
/**
 * The vendor's VPC: to request peering with it, or to check the accepted request against.
 */
vpcId?: string, 
/**
 * The vendor VPC's region, when not the database's (inter-Region peering).
 */
region?: string, 
/**
 * The vendor VPC's IPv4 blocks. A request the vendor sent names them itself; one made
 * here needs them (another account's VPC cannot be read).
 */
cidrs: Array<string>, 
/**
 * Let the vendor's VPC resolve the database's hostname to its private address.
 */
dnsResolution: boolean, };

export type ResourceTargetKind = "databaseArn" | "writerDns" | "readerDns";

export type ResourceTarget = { "kind": "arn", arn: string, } | { "kind": "dns", domainName: string, };

export type BastionRequest = { 
/**
 * The vendor's SSH public key, one line as `ssh-keygen` writes it, for a bastion VendorLink
 * launches; it may only forward to the database.
 */
publicKey?: string, 
/**
 * Where to launch it: a public subnet of the database's VPC, chosen when not given.
 */
subnetId?: string, 
/**
 * A host the admin already runs: only the database's group is opened to its group.
 */
existing?: ExistingBastion, };

export type ExistingBastion = { 
/**
 * Its public hostname or address.
 */
host: string, port: number, user: string, 
/**
 * Its security group, which the database's group will admit.
 */
securityGroupId: string, };

export type GrantRequest = { vendor: VendorProfile, 
/**
 * RDS instance or Aurora cluster identifier, as discovered in the region.
 */
database: string, parts: Array<Part>, 
/**
 * Database IPs typed by the admin; when empty they are resolved from its endpoint.
 */
targetIps: Array<string>, 
/**
 * Subnets for the NLB, one per AZ; when empty, the database's own subnets are used.
 */
subnetIds: Array<string>, 
/**
 * The grant ends at the start of this day (UTC, `YYYY-MM-DD`), enforced in the role's policies.
 */
expires: string | null, roleAccess: RoleAccess, 
/**
 * Longest vendor role session, in hours (1–12).
 */
maxSessionHours: number, 
/**
 * Endpoint connections wait for the admin's acceptance (the safe default).
 */
acceptanceRequired: boolean, 
/**
 * The admin confirmed that `0.0.0.0/0` in the vendor's ranges is meant.
 */
allowEveryone: boolean, 
/**
 * The ExternalId the vendor issued for this grant; overrides the profile's.
 */
externalId: string | null, 
/**
 * What the role may do with `iam:PassRole` where the vendor's policy allows it on every role.
 */
passRole: PassRole, 
/**
 * The organization's member account the database is in, when it is not the credentials'
 * own: plan and apply reach it through `access_role`.
 */
account?: string, 
/**
 * The role assumed in `account`; `OrganizationAccountAccessRole` when not given.
 */
accessRole?: string, 
/**
 * The member account to create for the vendor (part `dedicatedAccount`); the role is put
 * there, entered through `access_role`.
 */
newAccount?: NewAccount, 
/**
 * The vendor's side of a VPC peering (part `vpcPeering`).
 */
peering?: PeeringRequest, 
/**
 * The SSH bastion (part `sshBastion`).
 */
bastion?: BastionRequest, 
/**
 * What the resource configuration names (part `resourceEndpoint`); the database by its
 * ARN when not given.
 */
resourceTarget?: ResourceTargetKind, 
/**
 * Private link only: a function in the account moves the load balancer's targets to the
 * database's addresses after a failover (RDS events) and every 5 minutes.
 */
syncTargets: boolean, };

export type PeerVpc = { accountId: string, vpcId: string, region: string, 
/**
 * Every IPv4 block of the VPC (primary and secondary).
 */
cidrs: Array<string>, };

export type PeeringConnection = { id: string, 
/**
 * `initiating-request`, `pending-acceptance`, `provisioning`, `active`, `failed`,
 * `rejected`, `expired`, `deleting` or `deleted`.
 */
status: string, 
/**
 * AWS's words on the status (why a request failed).
 */
message?: string, requester: PeerVpc, accepter: PeerVpc, 
/**
 * The `vendorlink:grant` tag, when VendorLink made or accepted it.
 */
grantId?: string, };

export type DatabaseRef = { id: string, engine: string, endpoint: string, port: number, vpcId: string, };

export type MemberAccess = { fromAccount: string, roleName: string, };

export type NewAccount = { 
/**
 * The account's name as the organization lists it.
 */
name: string, 
/**
 * The owner's email address; no other AWS account may use it.
 */
email: string, 
/**
 * The organizational unit (`ou-…`) to move it into; it stays under the root when not given.
 */
organizationalUnit?: string, };

export type StepId = "account" | "account-ou" | "nlb-sg" | "db-sg-from-nlb" | "target-group" | "targets" | "nlb" | "nlb-cross-zone" | "nlb-privatelink-rules" | "listener" | "endpoint-service" | "endpoint-principals" | "allowlist" | "role" | "role-guard" | `role-policy-${string}` | `role-managed-${number}` | "role-expiry" | "endpoint-connections" | "revoke-trust" | "revoke-sessions" | "revoke-deny-all" | "targets-deregistered" | `connections-${string}` | "peering" | "peering-dns" | `peering-route-${string}` | "db-sg-from-peer" | "bastion-sg" | "bastion-ssh" | "bastion" | "db-sg-from-bastion" | "gateway-sg" | "db-sg-from-gateway" | "resource-gateway" | "resource-config" | "resource-share" | "resource-endpoints" | "sync-role" | "sync-role-policy" | "sync-function" | "sync-events" | "sync-schedule" | `tagged-${string}`;

export type Output = { "kind": "securityGroup", groupId: string, } | { "kind": "ingressRules", groupId: string, ruleIds: Array<string>, } | { "kind": "loadBalancer", arn: string, dnsName: string, 
/**
 * The state the create call answered with (`provisioning`), when it said.
 */
state?: string | null, } | { "kind": "loadBalancerSetting", loadBalancer: string, } | { "kind": "targetGroup", arn: string, } | { "kind": "targets", targetGroup: string, ips: Array<string>, } | { "kind": "listener", arn: string, } | { "kind": "endpointService", serviceId: string, serviceName: string, state?: string | null, } | { "kind": "principals", serviceId: string, principals: Array<string>, } | { "kind": "role", name: string, arn: string, } | { "kind": "inlinePolicy", role: string, name: string, } | { "kind": "managedPolicy", role: string, policyArn: string, } | { "kind": "trustClosed", role: string, awsTime: string, } | { "kind": "decision", endpointIds: Array<string>, 
/**
 * `accept` or `reject`.
 */
decision: string, } | { "kind": "sessionsDenied", role: string, name: string, issuedBefore: string, } | { "kind": "account", accountId: string, name: string, email: string, } | { "kind": "accountParent", accountId: string, parentId: string, } | { "kind": "peering", connectionId: string, status?: string | null, } | { "kind": "peeringOption", connectionId: string, } | { "kind": "routes", routeTableId: string, connectionId: string, cidrs: Array<string>, } | { "kind": "instance", instanceId: string, imageId: string, publicIp?: string | null, publicDns?: string | null, state?: string | null, } | { "kind": "resourceGateway", gatewayId: string, arn: string, status?: string | null, } | { "kind": "resourceConfiguration", arn: string, configurationId: string, status?: string | null, } | { "kind": "function", name: string, arn: string, } | { "kind": "eventRule", name: string, arn: string, function: string, } | { "kind": "resourceShare", arn: string, status?: string | null, };

export type Ref = { "from": "existing", id: string, } | { "from": "step", step: StepId, };

export type IngressSource = { "type": "cidr", cidr: string, } | { "type": "group", group: Ref, };

export type Action = { "type": "createSecurityGroup", name: string, description: string, vpcId: string, } | { "type": "authorizeIngress", group: Ref, port: number, sources: Array<IngressSource>, description: string, } | { "type": "createLoadBalancer", name: string, subnetIds: Array<string>, securityGroup: Ref, } | { "type": "enableCrossZone", loadBalancer: Ref, } | { "type": "setLoadBalancerSecurityGroups", loadBalancer: Ref, securityGroup: Ref, enforceOnPrivateLink: boolean, } | { "type": "createTargetGroup", name: string, vpcId: string, port: number, } | { "type": "registerTargets", targetGroup: Ref, ips: Array<string>, port: number, } | { "type": "createListener", loadBalancer: Ref, targetGroup: Ref, port: number, } | { "type": "createEndpointService", loadBalancer: Ref, acceptanceRequired: boolean, supportedRegions: Array<string>, } | { "type": "allowPrincipals", service: Ref, principals: Array<string>, } | { "type": "createRole", name: string, description: string, trustPolicy: string, maxSessionSeconds: number, } | { "type": "putRolePolicy", role: Ref, name: string, document: string, } | { "type": "attachRolePolicy", role: Ref, policyArn: string, } | { "type": "createAccount", name: string, email: string, accessRole: string, } | { "type": "moveAccount", account: Ref, organizationalUnit: string, } | { "type": "createPeering", vpcId: string, peerVpcId: string, peerAccount: string, 
/**
 * Set for inter-Region peering.
 */
peerRegion: string | null, } | { "type": "acceptPeering", connectionId: string, } | { "type": "allowPeeringDns", connection: Ref, 
/**
 * The customer's VPC is the requester (else the accepter).
 */
asRequester: boolean, } | { "type": "createPeeringRoutes", routeTableId: string, cidrs: Array<string>, connection: Ref, } | { "type": "launchBastion", subnetId: string, securityGroup: Ref, instanceType: string, imageParameter: string, user: string, userData: string, } | { "type": "createResourceGateway", name: string, vpcId: string, subnetIds: Array<string>, securityGroup: Ref, } | { "type": "createResourceConfiguration", name: string, gateway: Ref, target: ResourceTarget, port: number, } | { "type": "createSyncFunction", name: string, role: Ref, targetGroup: Ref, dbHost: string, port: number, logRetentionDays: number, } | { "type": "createSyncRule", name: string, function: Ref, eventPattern?: string, schedule?: string, } | { "type": "shareResource", name: string, resource: Ref, accountId: string, };

export type Step = { 
/**
 * Stable within the plan: the journal refers to steps by it.
 */
id: StepId, part: Part, 
/**
 * One line for the admin: what this creates and why.
 */
summary: string, action: Action, 
/**
 * Steps that must be done first although none of their results is an input here (the
 * role's self-protection before any permission; the NLB's PrivateLink setting before the
 * service is published).
 */
after?: Array<StepId>, };

export type PolicyFinding = { 
/**
 * `PRIVILEGE_ESCALATION` or `PERMISSIONS_MANAGEMENT_ACTIONS`.
 */
issue: string, 
/**
 * The escalation method (`CreateEC2WithExistingIP`), or `PermissionsManagement`.
 */
name: string, 
/**
 * The actions that make it possible (lowercase, as IAM compares them).
 */
actions: Array<string>, };

export type StepFinding = { step: StepId, finding: PolicyFinding, };

export type Plan = { grantId: string, 
/**
 * RFC 3339, UTC.
 */
createdAt: string, 
/**
 * The account and region everything is created in; apply refuses other credentials.
 */
accountId: string, region: string, 
/**
 * Set when `account_id` is an organization's member account that the credentials reach
 * by assuming a role there.
 */
memberAccess?: MemberAccess, 
/**
 * How the credentials were chosen (never the keys themselves), for resume.
 */
source: CredentialSource, vendorId: string, vendorName: string, 
/**
 * The database the grant reaches; none for a role-only grant (a dedicated account, a
 * member account's role).
 */
database?: DatabaseRef, 
/**
 * The admin's own bastion host the grant opens the database to, for the handoff.
 */
bastionHost?: ExistingBastion, parts: Array<Part>, 
/**
 * The `sts:ExternalId` the vendor must send; not a secret, but unguessable.
 */
externalId: string | null, expires: string | null, 
/**
 * What the admin should know but does not stop the plan (an unreachable allowlist...).
 */
warnings: Array<string>, 
/**
 * What a policy linter finds in the role's policies: escalation paths, permission changes.
 */
findings: Array<StepFinding>, 
/**
 * Every IAM action the grant calls over its life (create, check, revoke), shown in the
 * review; the preflight asks IAM about the same list.
 */
iamActions: Array<string>, steps: Array<Step>, 
/**
 * What the plan's resources will cost, shown before "Create" and repeated in the summary.
 */
cost?: CostEstimate, };

export type Progress = { "type": "runStarted", grantId: string, total: number, done: number, } | { "type": "stepStarted", step: StepId, summary: string, } | { "type": "waiting", step: StepId, resource: string, state: string, elapsedSecs: number, } | { "type": "stepDone", step: StepId, 
/**
 * The id of what it made (the rules' ids for rules).
 */
resource: string, adopted: boolean, 
/**
 * Its page in the AWS console, when it has one.
 */
consoleUrl: string | null, } | { "type": "stepFailed", step: StepId, error: ErrorPayload, } | { "type": "rollingBack", step: StepId, } | { "type": "rolledBack", step: StepId, } | { "type": "rollbackFailed", step: StepId, error: ErrorPayload, };

export type ApplyReport = { grantId: string, 
/**
 * Steps whose resource this run created.
 */
created: Array<StepId>, 
/**
 * Steps whose resource an interrupted run had created, found and kept.
 */
adopted: Array<StepId>, 
/**
 * Steps already done before this run.
 */
alreadyDone: Array<StepId>, };

export type DriftKind = "missing" | "addedByHand" | "targets" | "expired" | "setting";

export type ConnectionView = { endpointId: string, 
/**
 * The AWS account the endpoint belongs to.
 */
owner: string, 
/**
 * As AWS reports it: `pendingAcceptance`, `available`, `rejected`...
 */
state: string, 
/**
 * The owner is the vendor's account (or the account of one of its principals); an
 * endpoint from any other account is flagged and never accepted without saying so.
 */
fromVendor: boolean, };

export type Decision = "accept" | "reject";

export type Drift = { kind: DriftKind, step: StepId, detail: string, 
/**
 * What to do about it.
 */
remedy: string, };

export type ResyncReport = { grantId: string, targets: Array<string>, registered: Array<string>, deregistered: Array<string>, };

export type GrantState = "planned" | "incomplete" | "applied" | "rolledBack" | "accessRevoked" | "revoked" | "revokeIncomplete" | "running";

export type StepStatus = { id: StepId, summary: string, 
/**
 * `exists`, `absent` or `uncertain` (a call was made and its outcome never recorded).
 */
journal: string, 
/**
 * What the step made, while it exists.
 */
output: Output | null, };

export type KnownGrant = { grantId: string, accountId: string, region: string, vendorId: string, database: string, state: GrantState, 
/**
 * How many of its resources carry its tag in AWS now; `None` when its account (or its
 * region) could not be read, or is not in the organization.
 */
tagged: number | null, };

export type UnknownResource = { account: OrgAccount, resource: TaggedResource, };

export type OrgStatus = { 
/**
 * Sorted by account, then grant.
 */
grants: Array<KnownGrant>, unknown: Array<UnknownResource>, 
/**
 * Grants whose local record could not be read, with why.
 */
unreadable: Array<string>, 
/**
 * Accounts that could not be read: their resources are neither known nor unknown.
 */
failures: Array<AccountFailure>, };

export type LastSync = { at: string, 
/**
 * The line as the function logged it.
 */
line: string, 
/**
 * The same, in one sentence.
 */
summary: string, };

export type GrantStatus = { plan: Plan, state: GrantState, steps: Array<StepStatus>, 
/**
 * Everything in AWS with this grant's tag.
 */
tagged: Array<TaggedResource>, 
/**
 * Tagged resources whose ids appear in no step's outputs.
 */
untracked: Array<TaggedResource>, 
/**
 * What changed since the grant was applied.
 */
drift: Array<Drift>, 
/**
 * Endpoints connected or asking to connect to the grant's service (pending ones wait for
 * the admin's acceptance).
 */
connections: Array<ConnectionView>, 
/**
 * The target-sync function's newest log line and its time (RFC 3339), when the grant has
 * one and it has run.
 */
lastSync?: LastSync, };

export type RunOutcome = "applied" | "rolledBack" | "rollbackIncomplete" | "accessRevoked" | "revoked" | "revokeIncomplete" | "decided";

export type Failure = { kind: ErrorKind, message: string, 
/**
 * AWS's request id of the failed call, when AWS answered.
 */
requestId: string | null, };

export type Diagnostics = { version: string, 
/**
 * `None` when the log folder could not be written.
 */
logFile: string | null, 
/**
 * The log's last lines, oldest first.
 */
logTail: Array<string>, };

export type Event = { "type": "runStarted", command: string, caller: string, } | { "type": "calling", action: string, } | { "type": "created", outputs: Output, requestId: string | null, } | { "type": "adopted", outputs: Output, } | { "type": "failed", error: Failure, } | { "type": "notFound" } | { "type": "deleting", action: string, } | { "type": "deleted", requestId: string | null, } | { "type": "deleteFailed", error: Failure, } | { "type": "runFinished", outcome: RunOutcome, };

export type Record = { seq: number, 
/**
 * RFC 3339, UTC.
 */
at: string, 
/**
 * Which run wrote it (each apply, resume or rollback is one run).
 */
run: string, step: StepId | null, event: Event, };

export type RevokeScope = "accessOnly" | "everything";

export type Removed = { step: StepId, id: string, action: string, requestId: string | null, 
/**
 * RFC 3339, UTC.
 */
at: string, };

export type Kept = { step: StepId, id: string, reason: string, };

export type OpenAccount = { accountId: string, 
/**
 * The command that closes it.
 */
closeWith: string, };

export type ProofCheck = { check: string, passed: boolean, detail: string, };

export type RevocationRecord = { grantId: string, vendorName: string, scope: RevokeScope, 
/**
 * Who revoked (the caller's ARN).
 */
caller: string, startedAt: string, finishedAt: string, removed: Array<Removed>, kept: Array<Kept>, checks: Array<ProofCheck>, 
/**
 * The grant's dedicated account, left open as asked (closing is never automatic), and how
 * to close it; it holds nothing of the grant's any more.
 */
openAccount?: OpenAccount, };

export type Revoked = { record: RevocationRecord, proofFile: string, };

export type Hostname = { 
/**
 * `writer`, `reader` or `instance`.
 */
role: string, host: string, };

export type DatabaseAccess = { id: string, engine: string, port: number, 
/**
 * For TLS verification and for the vendor's connection settings.
 */
hostnames: Array<Hostname>, 
/**
 * Whether the database refuses unencrypted connections; `None` when it could not be read.
 */
tlsRequired: boolean | null, 
/**
 * The parameter that says so (`rds.force_ssl`, `require_secure_transport`).
 */
tlsSetting: string | null, 
/**
 * The certificate authority the vendor should trust (`rds-ca-rsa2048-g1`).
 */
caCertificate: string | null, 
/**
 * Where AWS publishes that CA bundle for the region.
 */
caBundleUrl: string, };

export type PrivateLinkAccess = { serviceName: string, 
/**
 * AZ IDs (not names: names differ between accounts) where the load balancer runs.
 */
availabilityZoneIds: Array<string>, supportedRegions: Array<string>, allowedPrincipals: Array<string>, acceptanceRequired: boolean, };

export type RoleHandoff = { roleArn: string, externalId: string | null, switchRoleUrl: string, mfaRequired: boolean, 
/**
 * RFC 3339; the role stops working then.
 */
expires: string | null, maxSessionHours: number, 
/**
 * For PowerUserAccess or AdministratorAccess: what a revoke cannot take back.
 */
warning?: string | null, };

export type AllowlistHandoff = { ranges: Array<string>, port: number, };

export type PeeringHandoff = { connectionId: string, 
/**
 * Its status when the summary was made (`pending-acceptance` until the vendor accepts one
 * made here).
 */
status: string, 
/**
 * The customer's VPC blocks the vendor routes through the connection.
 */
customerCidrs: Array<string>, 
/**
 * The vendor's blocks the database admits, on `port` only.
 */
vendorCidrs: Array<string>, port: number, 
/**
 * The region of the customer's VPC (the vendor's may differ).
 */
region: string, 
/**
 * The database's hostname resolves to its private address from the vendor's VPC.
 */
dnsResolution: boolean, };

export type BastionHandoff = { host: string, port: number, user: string, 
/**
 * The host's key fingerprints (`SHA256:…` with the key type), read from its first boot's
 * console output; empty while the instance has not printed them yet.
 */
hostKeyFingerprints: Array<string>, 
/**
 * Why there are none, when there are none.
 */
fingerprintsNote?: string, 
/**
 * The database address and port the tunnel forwards to (the only one it may).
 */
forwardToHost: string, forwardToPort: number, 
/**
 * The instance VendorLink launched; none for the admin's own host.
 */
instanceId?: string, };

export type ResourceEndpointHandoff = { resourceConfigurationArn: string, shareArn: string, 
/**
 * The share's status for the vendor's account as AWS reports it to the owner
 * (`ASSOCIATING` until the vendor accepts the invitation, then `ASSOCIATED`).
 */
invitationStatus: string, port: number, 
/**
 * The region the vendor's endpoint must be in (resource endpoints are not cross-Region).
 */
region: string, 
/**
 * The name the database's certificate carries, which the vendor's client must verify
 * against whatever address its endpoint gives it.
 */
tlsHostname: string, 
/**
 * What the configuration names: the database's ARN, or the endpoint's DNS name.
 */
target: string, };

export type Summary = { schema: string, grantId: string, vendorName: string, 
/**
 * RFC 3339, UTC.
 */
generatedAt: string, accountId: string, region: string, 
/**
 * None for a role-only grant (a dedicated account).
 */
database?: DatabaseAccess, 
/**
 * The member account made for the vendor, when the grant made one.
 */
dedicatedAccount?: DedicatedAccountHandoff, privateLink: PrivateLinkAccess | null, role: RoleHandoff | null, ipAllowlist: AllowlistHandoff | null, peering?: PeeringHandoff, bastion?: BastionHandoff, resourceEndpoint?: ResourceEndpointHandoff, 
/**
 * The estimate shown before the grant was made: both sides' charges.
 */
cost?: CostEstimate, 
/**
 * What the vendor does next, in plain words, in order.
 */
nextSteps: Array<string>, };

export type DedicatedAccountHandoff = { accountId: string, name: string, 
/**
 * The organizational unit it was put in (its service control policies apply).
 */
organizationalUnit?: string, };

export type AuditCall = { step: string, 
/**
 * The IAM action (`ec2:CreateSecurityGroup`).
 */
action: string, at: string, requestId: string | null, 
/**
 * `created`, `adopted`, `deleted`, `notFound`, or `failed: <message>`.
 */
result: string, };

export type AuditEntry = { run: string, command: string, 
/**
 * The caller's ARN.
 */
caller: string, startedAt: string, 
/**
 * `None` while running, or when the run was killed.
 */
finishedAt: string | null, outcome: RunOutcome | null, calls: Array<AuditCall>, };

export type HandoffView = { summary: Summary, markdown: string, html: string, 
/**
 * Where the Markdown was saved next to the grant's journal.
 */
savedTo: string, };

export type GrantListItem = { plan: Plan, state: GrantState, 
/**
 * The grant's dedicated account while it is open (the revoke dialog offers to close it).
 */
dedicatedAccount?: string, 
/**
 * The vendor's AWS accounts the grant lets in (see `Plan::vendor_accounts`).
 */
vendorAccounts: Array<string>, };

export type Preflight = { 
/**
 * False when IAM could not be asked; `missing` is then empty and means nothing.
 */
checked: boolean, caller: string, needed: Array<string>, missing: Array<string>, detail: string, };

export type ForeignGrant = { grantId: string, vendorId: string | null, resources: Array<TaggedResource>, };

export type FoundResource = { kind: string, id: string, 
/**
 * Its page in the AWS console, when it has one.
 */
consoleUrl: string | null, };

export type FoundGrant = { grantId: string, vendorId: string | null, resources: Array<FoundResource>, 
/**
 * When the tags were read (RFC 3339, UTC).
 */
checkedAt: string, 
/**
 * Other enabled regions holding resources of the grant: look, or remove, from there.
 */
elsewhere: Array<string>, };
