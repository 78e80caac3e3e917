// The parts of a grant as the access step offers them: what each is, its trade-off in one line,
// whether the vendor documents it, and why the IP allowlist is or is not suggested.
import type { Database, Part, VendorProfile } from "../../api/bindings";

/** What choosing a part costs, needs from the vendor and does on a failover. */
export interface Tradeoff {
  cost: string;
  needs: string;
  failover: string;
}

export interface PartInfo {
  part: Part;
  label: string;
  help: string;
  tradeoff: Tradeoff;
}

/** The parts offered for a database, in the order they are shown. */
export const PARTS: readonly PartInfo[] = [
  {
    part: "privateLink", label: "Private link (endpoint service)",
    help: "An internal load balancer and VPC endpoint service in front of the database: the vendor connects over AWS's network only, from this region or others.",
    tradeoff: { cost: "load balancer hours (yours), endpoint hours (the vendor's)", needs: "its AWS account", failover: "targets move by hand, or kept in sync below" },
  },
  {
    part: "resourceEndpoint", label: "Resource endpoint",
    help: "A VPC Lattice resource gateway and a resource configuration for the database, shared with the vendor's account through AWS RAM: no load balancer.",
    tradeoff: { cost: "no hourly charge for you, endpoint hours (the vendor's)", needs: "its AWS account, connecting from this region", failover: "nothing to do" },
  },
  {
    part: "vendorRole", label: "Vendor role",
    help: "An IAM role the vendor assumes (with MFA and the ExternalId it issues you, as its profile says), with only the permissions it asks for.",
    tradeoff: { cost: "no charge", needs: "its AWS account", failover: "not affected" },
  },
  {
    part: "ipAllowlist", label: "IP allowlist",
    help: "Security-group rules opening the database port to the vendor's published addresses.",
    tradeoff: { cost: "no charge", needs: "a database reachable from the internet", failover: "nothing to do" },
  },
  {
    part: "sshBastion", label: "SSH bastion",
    help: "A small host in a public subnet the vendor tunnels through, or your own bastion, opened to the database.",
    tradeoff: { cost: "a t4g.nano and its public address (yours)", needs: "its SSH public key", failover: "nothing to do (it connects by name)" },
  },
  {
    part: "vpcPeering", label: "VPC peering",
    help: "Joins the database's VPC with the vendor's: routes to its ranges and one rule on the database port; for vendors that cannot use private link.",
    tradeoff: { cost: "traffic across zones only", needs: "its VPC, with ranges that do not overlap yours", failover: "nothing to do" },
  },
];

/** The trade-off as the one line shown under a part. */
export function tradeoffLine(t: Tradeoff): string {
  return `Costs: ${t.cost} · Needs: ${t.needs} · On failover: ${t.failover}`;
}

/** Whether the vendor's profile lists the part among the paths it documents: null when the
 * profile lists none, so nothing can be said. The role is documented by the permissions it asks. */
export function documentedByVendor(vendor: VendorProfile, part: Part): boolean | null {
  if (part === "vendorRole") return vendor.permissions.inlinePolicy !== null || vendor.permissions.managedPolicyArns.length > 0;
  if (vendor.networkPaths.length === 0) return null;
  return vendor.networkPaths.includes(part);
}

/** Why the allowlist is ticked or not when the step opens: it only helps a database the vendor
 * can reach from its published addresses, so a private one gets the private path instead. */
export function allowlistReason(vendor: VendorProfile, database: Database): string {
  if (vendor.ipRanges.length === 0) return `Not suggested: ${vendor.name}'s profile publishes no addresses to open.`;
  const addresses = vendor.ipRanges.length === 1 ? "its published address" : `its ${vendor.ipRanges.length} published addresses`;
  if (!database.publiclyAccessible) {
    return `Not suggested: ${database.id} is not publicly accessible, so ${vendor.name} cannot reach it from ${addresses}. Tick it only if you make it reachable.`;
  }
  return `Suggested: ${database.id} is publicly accessible, and the rules let only ${addresses} in.`;
}
