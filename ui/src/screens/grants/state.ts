// What the grants screen shows, as plain data.
import type { RevokedOf } from "../../lib/counts";
import type { AuditEntry, ConnectionView, ErrorPayload, ForeignGrant, FoundGrant, GrantListItem, GrantStatus, OrgStatus, Progress, Revoked } from "../../api/bindings";

export type GrantList = { status: "read"; items: GrantListItem[] } | { status: "failed"; error: ErrorPayload };

/** The detail pane: one grant's one view at a time. */
export type Detail =
  | { pane: "empty" }
  | { pane: "reading"; message: string }
  | { pane: "failed"; error: ErrorPayload; testId: string }
  | { pane: "status"; grantId: string; status: GrantStatus }
  | { pane: "connections"; grantId: string; connections: ConnectionView[]; problem: ErrorPayload | null }
  | { pane: "history"; grantId: string; entries: AuditEntry[] }
  /** `dedicatedAccount`: the grant's open dedicated account, which the admin may close too;
   * `byTag`: a grant recorded nowhere here, taken back by its tag. */
  | { pane: "confirmRevoke"; grantId: string; accessOnly: boolean; dedicatedAccount: string | null; byTag: boolean }
  /** A grant recorded nowhere here, as its tags show it. */
  | { pane: "found"; found: FoundGrant }
  | { pane: "revoking"; events: Progress[] }
  /** A finished action's one-line outcome (a discard, an export, an adoption). */
  | { pane: "done"; testId: string; message: string }
  /** `of`: what the count of resources removed is out of. */
  | { pane: "revoked"; grantId: string; revoked: Revoked | null; failure: ErrorPayload | null; exported: Exported; of: RevokedOf };

/** The proof's copy, exported through the system's save dialog. */
export type Exported = { status: "none" } | { status: "exported"; path: string } | { status: "failed"; error: ErrorPayload };

/** What a resync of the targets answered, shown under its form. */
export type ResyncOutcome = { status: "done"; targets: string[] } | { status: "failed"; error: ErrorPayload };

/** The grants known here by account, beside what is tagged across the organization. */
export type OrgGrants = { status: "looking" } | { status: "found"; found: OrgStatus } | { status: "failed"; error: ErrorPayload };

/** Grants found in the account by their tag (made on other machines). */
export type AccountGrants = { status: "looking" } | { status: "found"; grants: ForeignGrant[] } | { status: "failed"; error: ErrorPayload };

/** What the screen found when it compared a grant with AWS as it opened. */
export type GrantCheck =
  | { status: "checked"; at: string; drift: number; pending: number; foreign: number }
  | { status: "failed"; at: string; error: ErrorPayload };
