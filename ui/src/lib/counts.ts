// The counts an admin compares between the Review ("Create 14 resources"), the apply, Status
// and the revoke, all in the plan's own unit, with the reason wherever two of them differ.
import type { ApplyReport, GrantStatus, RevocationRecord } from "../api/bindings";

/** A revoke's own actions, recorded beside the plan's resources it removes. */
const REVOKE_ACTIONS: Record<string, string> = {
  "endpoint-connections": "endpoint connections rejected",
  "revoke-trust": "role's trust closed",
  "revoke-sessions": "role's open sessions revoked",
  "revoke-deny-all": "deny-all put on a role that had to stay",
  "resource-endpoints": "the vendor's resource endpoints cut off",
};

/** Taking back a grant by its tag: what happens to its tagged resources before they go. */
const BY_TAG_ACTIONS: Record<string, string> = {
  "endpoint-principals": "allowed principals removed",
  "tagged-rolePolicy": "the role's policies deleted",
  "tagged-managedPolicy": "managed policies detached",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** After an apply: the same number the Create button named, split by how each got there. */
export function appliedLine({ created, adopted, alreadyDone }: ApplyReport): string {
  const total = created.length + adopted.length + alreadyDone.length;
  return `Done: all ${plural(total, "resource")} of the plan in place (${created.length} created now, ${adopted.length} found from an interrupted run, ${alreadyDone.length} already there).`;
}

/** Status: how many of the plan's resources exist, and why fewer carry the tag. */
export function statusLine({ steps, tagged, untracked }: GrantStatus): string {
  const exist = steps.filter((s) => s.journal === "exists").length;
  const parts = [`${exist} of the plan's ${plural(steps.length, "resource")} exist`];
  if (tagged.length > 0) {
    parts.push(`${tagged.length} of them ${tagged.length === 1 ? "carries" : "carry"} the grant's tag: AWS gives listeners, targets, load balancer settings, allowed principals and a role's policies no tag of their own`);
  }
  if (untracked.length > 0) parts.push(`${plural(untracked.length, "tagged resource")} no step recorded (left by an interrupted run: a revoke removes them too)`);
  return `${parts.join("; ")}.`;
}

/** What a revoke's count is out of: the plan's resources (`total`, when the list had the plan),
 * or the resources that carried the tag of a grant recorded nowhere here. */
export type RevokedOf = { byTag: false; total: number | null } | { byTag: true };

/** A revoke: the resources it removed, told apart from its own actions. */
export function revokedLine(record: RevocationRecord, of: RevokedOf): string {
  const words = of.byTag ? { ...REVOKE_ACTIONS, ...BY_TAG_ACTIONS } : REVOKE_ACTIONS;
  const actions = record.removed.filter((r) => r.step in words);
  const resources = record.removed.length - actions.length;
  const named = [...new Set(actions.map((a) => words[a.step]))];
  const removed = of.byTag
    ? `${plural(resources, "resource")} that carried the grant's tag removed`
    : of.total === null ? `${plural(resources, "resource")} of the grant removed by this revoke` : `${resources} of the grant's ${plural(of.total, "resource")} removed by this revoke`;
  const kept = record.scope === "accessOnly" ? " (the vendor's access; the network stays for a later grant)" : "";
  const also = named.length > 0 ? `, and ${plural(actions.length, "revoke action")}: ${named.join(", ")}` : "";
  return `${removed}${kept}${also}.`;
}
