// Step 4: which parts to grant and the few values only the admin knows. Every field is checked
// by the same Rust code as the command line, as it is typed.
import { api } from "../api";
import type { ErrorPayload, FieldError, Part, RoleAccess } from "../api";
import { h, mount } from "../lib/dom";
import { emptyForm, errorsBySlot, toRequest, zoneCompatibility, type AccessForm } from "../lib/grant-form";
import { errorBox } from "../screens/credentials";
import type { Step } from "./shell";

const PARTS: { part: Part; label: string; help: string }[] = [
  { part: "privateLink", label: "Private link", help: "An internal load balancer and VPC endpoint service in front of the database: the vendor connects over AWS's network only." },
  { part: "vendorRole", label: "Vendor role", help: "An IAM role the vendor assumes (with MFA and the ExternalId it issues you, as its profile says), with only the permissions it asks for." },
  { part: "ipAllowlist", label: "IP allowlist", help: "Security-group rules opening the database port to the vendor's published addresses." },
];

export const accessStep: Step = {
  id: "access",
  title: "Access",
  nextLabel: "Review",
  render(body, ctx) {
    const { vendor, database, region } = ctx.state;
    if (!vendor || !database || !region) return;
    const form: AccessForm = ctx.state.form ?? emptyForm(vendor);
    ctx.state.form = form;
    let errors: FieldError[] = [];
    let planError: ErrorPayload | null = null;
    const slots = new Map<string, HTMLElement>();
    const slot = (name: string) => {
      const element = h("div", { class: "field-error", "data-testid": `error-${name}`, role: "status" });
      slots.set(name, element);
      return element;
    };
    const general = h("div");

    let ticket = 0;
    async function check(): Promise<void> {
      const mine = ++ticket;
      const found = await api.checkRequest(region as string, toRequest(vendor!, database!, form)).catch(() => []);
      if (mine !== ticket) return;
      errors = found;
      renderErrors();
    }

    function renderErrors(): void {
      const bySlot = errorsBySlot(errors);
      for (const [name, element] of slots) {
        const mine = bySlot.get(name) ?? [];
        mount(element, ...mine.map((e) => h("p", {}, `${e.message} ${e.hint}`)));
      }
      mount(general, planError ? errorBox(planError, "plan-error") : null,
        ...(bySlot.get("general") ?? []).map((e) => h("p", { class: "field-error", "data-testid": "error-general" }, `${e.field}: ${e.message} ${e.hint}`)));
      ctx.ready(errors.length === 0 && form.parts.length > 0);
    }

    const changed = () => { planError = null; void check(); };

    const partBoxes = PARTS.map(({ part, label, help }) => {
      const id = `part-${part}`;
      const box = h("input", {
        id, type: "checkbox", "data-testid": id, checked: form.parts.includes(part),
        onchange: () => { form.parts = PARTS.map((p) => p.part).filter((p) => (p === part ? box.checked : form.parts.includes(p))); changed(); },
      });
      return h("div", { class: "check" }, box, h("label", { for: id }, h("strong", {}, label), h("span", { class: "help" }, ` ${help}`)));
    });

    const text = (id: string, key: "targetIps" | "expires" | "maxSessionHours" | "vendorAccount" | "externalId" | "passRoleArns", label: string, help: string, attrs: Record<string, string> = {}) => {
      const input = h(key === "targetIps" || key === "passRoleArns" ? "textarea" : "input", {
        id, "data-testid": `field-${key}`, value: form[key], spellcheck: "false", "aria-describedby": `${id}-help`, ...attrs,
        oninput: () => { form[key] = input.value; changed(); },
      }) as HTMLInputElement | HTMLTextAreaElement;
      if (key === "targetIps" || key === "passRoleArns") input.value = form[key];
      const slotName = key === "passRoleArns" ? "passRole" : key;
      return h("div", { class: "field" }, h("label", { for: id }, label), input, h("p", { class: "help", id: `${id}-help` }, help), slot(slotName));
    };

    const roleAccess = h("select", { id: "role-access", "data-testid": "field-roleAccess", onchange: () => { form.roleAccess = roleAccess.value as RoleAccess; changed(); } },
      h("option", { value: "vendorPolicy" }, "The vendor's own minimal permissions"),
      h("option", { value: "powerUser" }, "PowerUserAccess plus the IAM actions it needs"),
      h("option", { value: "administrator" }, "AdministratorAccess (dedicated account only)"));
    roleAccess.value = form.roleAccess;
    const acceptance = h("input", { id: "acceptance", type: "checkbox", checked: form.acceptanceRequired, "data-testid": "field-acceptance", onchange: () => { form.acceptanceRequired = acceptance.checked; changed(); } });

    const dropPassRole = h("input", { id: "drop-pass-role", type: "checkbox", checked: form.dropPassRole, "data-testid": "field-dropPassRole", onchange: () => { form.dropPassRole = dropPassRole.checked; changed(); } });
    const needsExternalId = vendor.requireExternalId && !vendor.externalId && !vendor.acceptsCustomerExternalId;
    const passesRoles = vendor.permissions.inlinePolicy !== null && /iam:PassRole/i.test(vendor.permissions.inlinePolicy);
    const roleFields = h("div", {},
      needsExternalId ? text("external-id", "externalId", `ExternalId ${vendor.name} issued to you`, `AWS has the vendor issue it, one per customer, so no one else can make ${vendor.name} use your role.`) : null,
      passesRoles ? h("fieldset", { class: "card" }, h("legend", {}, "iam:PassRole in the vendor's policy"),
        h("p", { class: "help" }, `${vendor.name}'s policy may pass roles to AWS services. On every role that lets it hand any role of this account to a machine it controls; limit it to the roles it needs, or take it out.`),
        text("pass-role-arns", "passRoleArns", "Roles it may pass (ARNs, one per line)", "For example the node role of the cluster it deploys.", { rows: "2", placeholder: "arn:aws:iam::123456789012:role/datafold-eks-nodes" }),
        h("div", { class: "check" }, dropPassRole, h("label", { for: "drop-pass-role" }, "Take iam:PassRole out of its policy"))) : null);

    const subnets = ctx.state.discovery?.regions.find((r) => r.region === region)?.subnets ?? [];
    const zones = zoneCompatibility(vendor, database, subnets);

    mount(body,
      h("h2", {}, `Access for ${vendor.name} to ${database.id}`),
      h("fieldset", { class: "card" }, h("legend", {}, "What to grant"), ...partBoxes, slot("parts")),
      vendor.accountId ? null : text("vendor-account", "vendorAccount", `${vendor.name}'s AWS account id`, "The vendor gives it on request; its account is the only one allowed in.", { placeholder: "123456789012" }),
      h("section", { class: "card", "aria-label": "Availability zones" },
        h("h3", {}, "Availability zones"),
        h("table", { class: "zones", "data-testid": "zones" },
          h("thead", {}, h("tr", {}, h("th", {}, "Zone here"), h("th", {}, "Zone ID"), h("th", {}, `${vendor.name} can use it`))),
          h("tbody", {}, ...zones.map((z) => h("tr", {}, h("td", {}, z.zone), h("td", { class: "mono" }, z.zoneId), h("td", {}, z.reachable ? "yes" : "no")))))),
      text("target-ips", "targetIps", "Database IP addresses", `Leave empty to resolve ${database.endpoint} when planning; type them (one per line) when that name only resolves inside the VPC.`, { rows: "2", placeholder: "10.20.1.15" }),
      h("div", { class: "grid-2" },
        text("expires", "expires", "Last day of access (UTC)", "Optional; the role stops working when this day ends, midnight UTC. Format YYYY-MM-DD.", { placeholder: "2027-03-31" }),
        text("session", "maxSessionHours", "Longest role session (hours)", "1 to 12.", { inputmode: "numeric" })),
      roleFields,
      h("div", { class: "grid-2" },
        h("div", { class: "field" }, h("label", { for: "role-access" }, "Role permissions"), roleAccess),
        h("div", { class: "check" }, acceptance, h("label", { for: "acceptance" }, "Accept each endpoint connection by hand (recommended)"))),
      general);
    void check();
  },
  async leave(ctx) {
    const { vendor, database, region, form, source } = ctx.state;
    if (!vendor || !database || !region || !form || !source) return false;
    try {
      ctx.state.plan = await api.planGrant(source, region, toRequest(vendor, database, form));
      ctx.state.grantId = ctx.state.plan.grantId;
      return true;
    } catch (error) {
      showPlanError(error as ErrorPayload);
      return false;
    }
  },
};

/** Shows a refused plan under the form (field errors also go next to their inputs). */
function showPlanError(payload: ErrorPayload): void {
  const body = document.querySelector<HTMLElement>("[data-testid=step-access]");
  if (!body) return;
  body.querySelector("[data-testid=plan-error]")?.remove();
  body.append(errorBox(payload, "plan-error"));
  for (const field of payload.fields) {
    const target = body.querySelector<HTMLElement>(`[data-testid=error-${field.field.startsWith("targetIps") ? "targetIps" : field.field}]`);
    target?.append(h("p", {}, `${field.message} ${field.hint}`));
  }
}
