// Times as an admin reads them: local, with the zone; and how long a grant's role has left.

/** An RFC 3339 time in the machine's local time, with its zone ("Nov 27, 2026, 09:12 CET"). */
export function localTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return at.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
}

const DAY = 24 * 3600 * 1000;

/** When the role stops: `expires` is the moment (as plans record it), or a last day (UTC) that
 * ends at the next midnight UTC. */
function endOf(expires: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? Date.parse(`${expires}T00:00:00Z`) + DAY : Date.parse(expires);
}

/** The role's end in words. */
export function roleEnds(expires: string | null, now: Date = new Date()): string {
  if (expires === null) return "role has no end date";
  const end = endOf(expires);
  if (Number.isNaN(end)) return `role ends ${expires}`;
  const when = localTime(new Date(end).toISOString());
  const left = end - now.getTime();
  if (left <= 0) return `role ended ${when}`;
  const days = Math.floor(left / DAY);
  if (days === 0) return `role ends today, ${when}`;
  return `role ends in ${days} day${days === 1 ? "" : "s"}, ${when}`;
}
