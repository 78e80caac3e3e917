// The access step's form, as plain data: what the admin typed becomes a GrantRequest, and
// the engine's field errors are placed next to the inputs they concern.
import type { Database, FieldError, GrantRequest, Part, ResourceTargetKind, RoleAccess, Subnet, VendorProfile } from "../api/bindings";

export interface AccessForm {
  parts: Part[];
  /** Addresses, one per line or comma-separated; empty means "resolve the endpoint". */
  targetIps: string;
  /** The role's last day (UTC), 90 days ahead unless changed… */
  expires: string;
  /** …or none, chosen explicitly. */
  noEndDate: boolean;
  roleAccess: RoleAccess;
  maxSessionHours: string;
  acceptanceRequired: boolean;
  /** For vendors that give their account on request (Airbyte). */
  vendorAccount: string;
  /** The ExternalId the vendor issued, when its profile has none. */
  externalId: string;
  /** iam:PassRole in the vendor's policy: limit it to these role ARNs (one per line)… */
  passRoleArns: string;
  /** …or take it out. */
  dropPassRole: boolean;
  /** The dedicated account to create (part dedicatedAccount): its name, owner email, unit. */
  newAccountName: string;
  newAccountEmail: string;
  newAccountOu: string;
  /** VPC peering (part vpcPeering): the vendor's pending request to accept ("" when a request
   * is sent from here instead)… */
  peeringConnection: string;
  /** …or the vendor's VPC, its region when not the database's, and its blocks. */
  peerVpc: string;
  peerRegion: string;
  peerCidrs: string;
  peeringDns: boolean;
  /** SSH bastion (part sshBastion): launched with the vendor's public key… */
  bastionKey: string;
  /** …or the admin's own host ("own"), with its address, user and security group. */
  bastionMode: "launch" | "own";
  bastionHost: string;
  bastionUser: string;
  bastionGroup: string;
  /** Resource endpoint (part resourceEndpoint): what its configuration names. */
  resourceTarget: ResourceTargetKind;
  /** Private link: a function in the account keeps the load balancer's targets on the
   * database's addresses. */
  syncTargets: boolean;
}

/** The private network path to propose: a resource endpoint when the vendor accepts one and
 * connects from the database's region (it is not offered across regions), else an endpoint
 * service when the vendor takes one (or its profile does not say). */
export function networkPath(vendor: VendorProfile, region: string | null): Part | null {
  const sameRegion = vendor.regions.length === 0 || region === null || vendor.regions.includes(region);
  if (vendor.networkPaths.includes("resourceEndpoint") && sameRegion) return "resourceEndpoint";
  if (vendor.networkPaths.length === 0 || vendor.networkPaths.includes("privateLink")) return "privateLink";
  return null;
}

/** What the vendor's profile and the database suggest: each part the profile has the facts for,
 * except an IP allowlist in front of a database that is not publicly accessible (it only helps
 * one the vendor can reach from its addresses); such a database gets the vendor's private path,
 * its SSH bastion when it documents no other. Without a database (the credentials' preflight)
 * every part the profile could use. */
export function defaultParts(vendor: VendorProfile, region: string | null = null, database: Database | null = null): Part[] {
  const parts: Part[] = [];
  const path = networkPath(vendor, region);
  const documents = (part: Part) => vendor.networkPaths.length === 0 || vendor.networkPaths.includes(part);
  const reachable = database === null || database.publiclyAccessible;
  if (path === "resourceEndpoint") parts.push(path);
  else if (path === "privateLink" && (vendor.accountId || vendor.principals.length > 0 || vendor.ipRanges.length === 0)) parts.push(path);
  else if (path === null && !reachable && vendor.networkPaths.includes("sshBastion")) parts.push("sshBastion");
  if (vendor.permissions.inlinePolicy || vendor.permissions.managedPolicyArns.length > 0) parts.push("vendorRole");
  if (vendor.ipRanges.length > 0 && reachable && documents("ipAllowlist")) parts.push("ipAllowlist");
  return parts;
}

/** How long a grant lasts unless the admin says otherwise. */
export const DEFAULT_DAYS = 90;

/** The role's default last day: `DEFAULT_DAYS` after `today`, as the UTC date the engine takes. */
export function defaultExpiry(today: Date = new Date()): string {
  return new Date(today.getTime() + DEFAULT_DAYS * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** `dedicated`: the grant makes the vendor an account of its own, holding only its role, where
 * AdministratorAccess is what vendors of that kind document. */
export function emptyForm(vendor: VendorProfile, dedicated = false, region: string | null = null, database: Database | null = null): AccessForm {
  return {
    parts: dedicated ? ["dedicatedAccount", "vendorRole"] : defaultParts(vendor, region, database), targetIps: "", expires: defaultExpiry(), noEndDate: false, roleAccess: dedicated ? "administrator" : "vendorPolicy",
    maxSessionHours: "1", acceptanceRequired: true, vendorAccount: vendor.accountId ?? "", externalId: "", passRoleArns: "", dropPassRole: false,
    newAccountName: dedicated ? vendor.name : "", newAccountEmail: "", newAccountOu: "",
    peeringConnection: "", peerVpc: vendor.vpc?.id ?? "", peerRegion: vendor.vpc?.region ?? "", peerCidrs: (vendor.vpc?.cidrs ?? []).join("\n"), peeringDns: false,
    bastionKey: "", bastionMode: "launch", bastionHost: "", bastionUser: "", bastionGroup: "", resourceTarget: "databaseArn",
    syncTargets: false,
  };
}

export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** `database`: null for a dedicated account. `member`: the organization's member account the
 * database is in (null: the credentials' own). */
export function toRequest(vendor: VendorProfile, database: Database | null, form: AccessForm, member: string | null = null, accessRole: string | null = null): GrantRequest {
  const ou = form.newAccountOu.trim();
  const newAccount = form.parts.includes("dedicatedAccount")
    ? { newAccount: { name: form.newAccountName.trim(), email: form.newAccountEmail.trim(), ...(ou === "" ? {} : { organizationalUnit: ou }) } }
    : {};
  const peerVpc = form.peerVpc.trim();
  const peerRegion = form.peerRegion.trim();
  const peering = form.parts.includes("vpcPeering")
    ? {
      peering: form.peeringConnection !== ""
        ? { connectionId: form.peeringConnection, cidrs: [], dnsResolution: form.peeringDns }
        : {
          ...(peerVpc === "" ? {} : { vpcId: peerVpc }),
          ...(peerRegion === "" ? {} : { region: peerRegion }),
          cidrs: splitList(form.peerCidrs),
          dnsResolution: form.peeringDns,
        },
    }
    : {};
  const bastion = form.parts.includes("sshBastion")
    ? {
      bastion: form.bastionMode === "own"
        ? { existing: { host: form.bastionHost.trim(), port: 22, user: form.bastionUser.trim(), securityGroupId: form.bastionGroup.trim() } }
        : { publicKey: form.bastionKey },
    }
    : {};
  const account = form.vendorAccount.trim();
  const hours = Number.parseInt(form.maxSessionHours, 10);
  return {
    vendor: { ...vendor, accountId: account === "" ? null : account },
    database: database?.id ?? "",
    parts: form.parts,
    targetIps: splitList(form.targetIps),
    subnetIds: [],
    expires: form.noEndDate || form.expires.trim() === "" ? null : form.expires.trim(),
    roleAccess: form.roleAccess,
    // Out-of-range numbers go to Rust as they are, to get its message.
    maxSessionHours: Number.isFinite(hours) ? Math.max(0, Math.min(255, hours)) : 0,
    acceptanceRequired: form.acceptanceRequired,
    allowEveryone: false,
    externalId: form.externalId.trim() === "" ? null : form.externalId.trim(),
    passRole: form.dropPassRole ? { type: "drop" } : splitList(form.passRoleArns).length > 0 ? { type: "scoped", roleArns: splitList(form.passRoleArns), services: [] } : { type: "asWritten" },
    ...(member === null ? {} : { account: member }),
    ...(member === null || accessRole === null ? {} : { accessRole }),
    ...newAccount,
    ...peering,
    ...bastion,
    ...(form.parts.includes("resourceEndpoint") ? { resourceTarget: form.resourceTarget } : {}),
    syncTargets: form.parts.includes("privateLink") && form.syncTargets,
  };
}

/** Which input an engine field error belongs to; `general` for the rest. */
export function slotOf(field: string): "targetIps" | "expires" | "maxSessionHours" | "vendorAccount" | "externalId" | "passRole" | "parts" | "newAccountName" | "newAccountEmail" | "newAccountOu" | "peering" | "bastion" | "resourceEndpoint" | "general" {
  if (field === "peering" || field.startsWith("peering.")) return "peering";
  if (field === "resourceTarget" || field === "database.subnets") return "resourceEndpoint";
  if (field === "syncTargets") return "parts";
  if (field.startsWith("bastion.") || field === "vendor.ipRanges") return "bastion";
  if (field === "newAccount.name" || field === "newAccount") return "newAccountName";
  if (field === "newAccount.email") return "newAccountEmail";
  if (field === "newAccount.organizationalUnit") return "newAccountOu";
  if (field.startsWith("targetIps")) return "targetIps";
  if (field === "expires") return "expires";
  if (field === "maxSessionHours") return "maxSessionHours";
  if (field === "vendor.accountId" || field === "vendor.principals") return "vendorAccount";
  if (field === "parts") return "parts";
  if (field === "externalId") return "externalId";
  if (field.startsWith("passRole")) return "passRole";
  return "general";
}

export function errorsBySlot(errors: FieldError[]): Map<string, FieldError[]> {
  const slots = new Map<string, FieldError[]>();
  for (const error of errors) {
    const slot = slotOf(error.field);
    slots.set(slot, [...(slots.get(slot) ?? []), error]);
  }
  return slots;
}

/** The database's subnets with whether the vendor can reach their zone (by AZ ID). */
export function zoneCompatibility(vendor: VendorProfile, database: Database, subnets: Subnet[]): { zone: string; zoneId: string; reachable: boolean }[] {
  const seen = new Set<string>();
  return database.subnetIds
    .map((id) => subnets.find((s) => s.id === id))
    .filter((s): s is Subnet => s !== undefined)
    .filter((s) => (seen.has(s.availabilityZoneId) ? false : (seen.add(s.availabilityZoneId), true)))
    .map((s) => ({ zone: s.availabilityZone, zoneId: s.availabilityZoneId, reachable: vendor.azIds.length === 0 || vendor.azIds.includes(s.availabilityZoneId) }));
}

/** What the vendor gets, in plain words, for the vendor step. */
export function describeAccess(vendor: VendorProfile): string[] {
  const lines: string[] = [];
  const who = vendor.accountId ? `AWS account ${vendor.accountId}` : "an AWS account it gives you on request";
  lines.push(`Private network path (PrivateLink) to your database, usable only from ${who}.`);
  if (vendor.permissions.inlinePolicy || vendor.permissions.managedPolicyArns.length > 0) {
    lines.push(`A role in your account it may assume${vendor.requireMfa ? " with MFA (its staff, not its automation)" : ""}${vendor.requireExternalId ? " and the ExternalId it issues you" : ""}, limited to the permissions it asks for.`);
  }
  const ranges = vendor.ipRanges.length;
  if (ranges > 0) lines.push(`Your database port opened to its ${ranges === 1 ? "published address" : `${ranges} published addresses`}.`);
  return lines;
}
