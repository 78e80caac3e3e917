// The vendor role as the review explains it: who may assume it and on what conditions, what it
// may do (its policies, pretty-printed), and what requiring MFA means for the vendor's automation.
import type { Plan } from "../../api/bindings";
import { h } from "../../lib/dom";
import { localTime } from "../../lib/when";

/** What the plan's role steps say about the role. */
export interface RoleFacts {
  trustPolicy: string;
  maxSessionHours: number;
  mfa: boolean;
  externalId: boolean;
  /** The last moment the trust allows, when it has one. */
  endsAt: string | null;
  inline: { name: string; document: string }[];
  managed: string[];
}

type Json = Record<string, unknown>;

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The JSON as a person reads it: indented; the text unchanged when it is not JSON. */
export function pretty(text: string): string {
  const value = parse(text);
  return value === null ? text : JSON.stringify(value, null, 2);
}

function statements(policy: unknown): Json[] {
  const list = (policy as Json | null)?.Statement;
  return (Array.isArray(list) ? list : list ? [list] : []) as Json[];
}

/** The condition values under `operator` → `key` in any Allow statement of the trust. */
function conditionValues(policy: unknown, operator: string, key: string): unknown[] {
  return statements(policy)
    .filter((s) => s.Effect === "Allow")
    .flatMap((s) => {
      const byKey = ((s.Condition as Json | undefined)?.[operator] as Json | undefined) ?? {};
      const value = byKey[key];
      return value === undefined ? [] : Array.isArray(value) ? value : [value];
    });
}

export function roleFacts(plan: Plan): RoleFacts | null {
  const create = plan.steps.map((s) => s.action).find((a) => a.type === "createRole");
  if (!create || create.type !== "createRole") return null;
  const trust = parse(create.trustPolicy);
  return {
    trustPolicy: create.trustPolicy,
    maxSessionHours: create.maxSessionSeconds / 3600,
    mfa: conditionValues(trust, "Bool", "aws:MultiFactorAuthPresent").some((v) => String(v) === "true"),
    externalId: conditionValues(trust, "StringEquals", "sts:ExternalId").length > 0,
    endsAt: conditionValues(trust, "DateLessThan", "aws:CurrentTime").map(String)[0] ?? null,
    inline: plan.steps.flatMap((s) => (s.action.type === "putRolePolicy" ? [{ name: s.action.name, document: s.action.document }] : [])),
    managed: plan.steps.flatMap((s) => (s.action.type === "attachRolePolicy" ? [s.action.policyArn] : [])),
  };
}

/** The sentences an admin reads before trusting the role: what each condition means in practice. */
export function roleConditions(facts: RoleFacts, vendor: string): string[] {
  const lines: string[] = [];
  lines.push(facts.mfa
    ? `MFA required: a person at ${vendor} assumes the role with a code from their MFA device. ${vendor}'s unattended automation, signing with long-term access keys, cannot assume it (AWS sends no MFA key with such requests); if ${vendor} runs jobs against your account, ask how they sign in before you create the role.`
    : `No MFA required: ${vendor}'s automation can assume the role unattended, with its own keys; anyone holding those keys can too.`);
  if (facts.externalId) lines.push(`ExternalId required: ${vendor} must send the id agreed for you, so no other customer of ${vendor} can point it at your role.`);
  if (facts.endsAt) {
    const denies = facts.inline.some((p) => statements(parse(p.document)).some((s) => s.Effect === "Deny" && s.Sid === "GrantExpired"));
    lines.push(`Ends: from ${localTime(facts.endsAt)} no new session starts${denies ? ", and a deny policy stops the sessions still open" : ""}; the role itself stays until you revoke it.`);
  }
  lines.push(`Sessions last at most ${facts.maxSessionHours} hour${facts.maxSessionHours === 1 ? "" : "s"}.`);
  return lines;
}

function jsonBlock(testId: string, title: string, text: string): HTMLElement {
  return h("details", { class: "policy", "data-testid": testId },
    h("summary", {}, title),
    h("pre", { class: "mono json", tabindex: "0" }, pretty(text)));
}

/** The role's section of the review, or nothing when the plan makes no role. */
export function renderRole(plan: Plan): HTMLElement | null {
  const facts = roleFacts(plan);
  if (!facts) return null;
  return h("section", { class: "card", "data-testid": "role-policies", "aria-label": `The role ${plan.vendorName} assumes` },
    h("h3", {}, `The role ${plan.vendorName} assumes`),
    h("ul", { class: "conditions" }, ...roleConditions(facts, plan.vendorName).map((line) => h("li", { "data-testid": "role-condition" }, line))),
    jsonBlock("trust-policy", "Trust policy: who may assume it, and when", facts.trustPolicy),
    ...facts.inline.map((p) => jsonBlock("inline-policy", `Permissions: ${p.name}`, p.document)),
    ...facts.managed.map((arn) => h("p", { "data-testid": "managed-policy" }, "AWS managed policy attached: ", h("span", { class: "mono" }, arn))));
}
