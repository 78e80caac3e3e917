// Step 4 drawn: the parts to grant and the few values only the admin knows. The form is made
// once from the values it starts with; afterwards only the errors beside its inputs are
// redrawn, so typing is never interrupted.
import type { Database, ErrorPayload, FieldError, PeeringConnection, ResourceTargetKind, RoleAccess, VendorProfile } from "../../api/bindings";
import { h, mount } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";
import { DEFAULT_DAYS, errorsBySlot, type AccessForm } from "../../lib/grant-form";
import { allowlistReason, documentedByVendor, PARTS, tradeoffLine, type PartInfo } from "./parts";

type TextKey = "targetIps" | "expires" | "maxSessionHours" | "vendorAccount" | "externalId" | "passRoleArns" | "newAccountName" | "newAccountEmail" | "newAccountOu" | "peerVpc" | "peerRegion" | "peerCidrs" | "bastionKey" | "bastionHost" | "bastionUser" | "bastionGroup";

/** The peering requests waiting in the database's VPC, as far as they could be read. */
export type PeeringRequests = { status: "reading" } | { status: "read"; requests: PeeringConnection[] } | { status: "failed"; error: ErrorPayload };

export interface AccessFacts {
  vendor: VendorProfile;
  /** Null for a dedicated account. */
  database: Database | null;
  /** The database's zones and whether the vendor can use each. */
  zones: { zone: string; zoneId: string; reachable: boolean }[];
}

export interface AccessErrors {
  /** The engine's check of the form as it stands. */
  errors: FieldError[];
  /** Why the last "Review" was refused; its field errors go beside their inputs too. */
  planError: ErrorPayload | null;
}

export interface AccessHandlers {
  edit<K extends keyof AccessForm>(key: K, value: AccessForm[K]): void;
}

/** The errors beside one input. */
function renderFieldErrors(errors: readonly FieldError[]): HTMLElement[] {
  return errors.map((e) => h("p", {}, `${e.message} ${e.hint}`));
}

/** Under the form: a refused plan, and errors that belong to no input. */
function renderGeneralErrors(planError: ErrorPayload | null, general: readonly FieldError[]): (HTMLElement | null)[] {
  return [
    planError ? errorBox(planError, "plan-error") : null,
    ...general.map((e) => h("p", { class: "field-error", "data-testid": "error-general" }, `${e.field}: ${e.message} ${e.hint}`)),
  ];
}

function renderZones(facts: AccessFacts): HTMLElement {
  return h("section", { class: "card", "aria-label": "Availability zones" },
    h("h3", {}, "Availability zones"),
    h("table", { class: "zones", "data-testid": "zones" },
      h("thead", {}, h("tr", {}, h("th", {}, "Zone here"), h("th", {}, "Zone ID"), h("th", {}, `${facts.vendor.name} can use it`))),
      h("tbody", {}, ...facts.zones.map((z) => h("tr", {}, h("td", {}, z.zone), h("td", { class: "mono" }, z.zoneId), h("td", {}, z.reachable ? "yes" : "no"))))));
}

/** One part's box: what it is, its trade-off, whether the vendor documents it, and for the
 * allowlist why it was or was not ticked. */
function renderPart({ part, label, help, tradeoff }: PartInfo, box: HTMLInputElement, vendor: VendorProfile, database: Database): HTMLElement {
  const documented = documentedByVendor(vendor, part);
  const mark = documented === null ? null
    : h("span", { class: documented ? "tag documented" : "tag undocumented", "data-testid": "part-documented", "data-documented": String(documented) },
      documented ? `${vendor.name} documents this` : `Not among ${vendor.name}'s documented paths`);
  return h("div", { class: "check part", "data-testid": "part", "data-part": part }, box,
    h("label", { for: `part-${part}` },
      h("strong", {}, label), " ", mark,
      h("span", { class: "help" }, ` ${help}`),
      h("span", { class: "tradeoff", "data-testid": "part-tradeoff" }, tradeoffLine(tradeoff)),
      part === "ipAllowlist" ? h("span", { class: "reason", "data-testid": "allowlist-reason" }, allowlistReason(vendor, database)) : null));
}

/** One pending request, in words an admin checks against what the vendor said. */
function describeRequest(c: PeeringConnection): string {
  return `${c.id} from ${c.requester.vpcId} (${c.requester.cidrs.join(", ")}) · account ${c.requester.accountId} · ${c.requester.region}`;
}

export interface AccessView {
  showErrors(state: AccessErrors): void;
  showPeeringRequests(requests: PeeringRequests): void;
}

export function mountAccessView(body: HTMLElement, facts: AccessFacts, form: Readonly<AccessForm>, handlers: AccessHandlers): AccessView {
  const { vendor, database } = facts;
  const slots = new Map<string, HTMLElement>();
  const slot = (name: string) => {
    const element = h("div", { class: "field-error", "data-testid": `error-${name}`, role: "status" });
    slots.set(name, element);
    return element;
  };
  const general = h("div");

  const partBoxes: HTMLInputElement[] = PARTS.map(({ part }) => h("input", {
    id: `part-${part}`, type: "checkbox", "data-testid": `part-${part}`, checked: form.parts.includes(part),
    onchange: () => {
      handlers.edit("parts", PARTS.filter((_, i) => partBoxes[i].checked).map((p) => p.part));
      peering.hidden = !partBoxes[PARTS.findIndex((p) => p.part === "vpcPeering")].checked;
      bastion.hidden = !partBoxes[PARTS.findIndex((p) => p.part === "sshBastion")].checked;
      resource.hidden = !partBoxes[PARTS.findIndex((p) => p.part === "resourceEndpoint")].checked;
    },
  }));

  const text = (id: string, key: TextKey, label: string, help: string, attrs: Record<string, string> = {}) => {
    const input = h(key === "targetIps" || key === "passRoleArns" || key === "peerCidrs" || key === "bastionKey" ? "textarea" : "input", {
      id, "data-testid": `field-${key}`, value: form[key], spellcheck: "false", "aria-describedby": `${id}-help`, ...attrs,
      oninput: () => handlers.edit(key, input.value),
    }) as HTMLInputElement | HTMLTextAreaElement;
    const own = key === "passRoleArns" ? "passRole" : ["peerVpc", "peerRegion", "peerCidrs", "bastionKey", "bastionHost", "bastionUser", "bastionGroup"].includes(key) ? null : key;
    return h("div", { class: "field" }, h("label", { for: id }, label), input, h("p", { class: "help", id: `${id}-help` }, help), own ? slot(own) : null);
  };

  const roleAccess = h("select", { id: "role-access", "data-testid": "field-roleAccess", onchange: () => handlers.edit("roleAccess", roleAccess.value as RoleAccess) },
    h("option", { value: "vendorPolicy" }, "The vendor's own minimal permissions"),
    h("option", { value: "powerUser" }, "PowerUserAccess plus the IAM actions it needs"),
    h("option", { value: "administrator" }, "AdministratorAccess (dedicated account only)"));
  roleAccess.value = form.roleAccess;
  const acceptance = h("input", { id: "acceptance", type: "checkbox", checked: form.acceptanceRequired, "data-testid": "field-acceptance", onchange: () => handlers.edit("acceptanceRequired", acceptance.checked) });

  const syncTargets = h("input", { id: "sync-targets", type: "checkbox", checked: form.syncTargets, "data-testid": "field-syncTargets", onchange: () => handlers.edit("syncTargets", syncTargets.checked) });
  // "No end date" is a choice of its own, with what it means beside it.
  const noEndDateWarning = h("p", { class: "warning", "data-testid": "no-end-date-warning", hidden: !form.noEndDate },
    "The role keeps working until you revoke it: put the revoke in your calendar.");
  const noEndDate = h("input", {
    id: "no-end-date", type: "checkbox", checked: form.noEndDate, "data-testid": "field-noEndDate",
    onchange: () => {
      handlers.edit("noEndDate", noEndDate.checked);
      noEndDateWarning.hidden = !noEndDate.checked;
      const field = body.querySelector<HTMLInputElement>("[data-testid=field-expires]");
      if (field) field.disabled = noEndDate.checked;
    },
  });
  const dropPassRole = h("input", { id: "drop-pass-role", type: "checkbox", checked: form.dropPassRole, "data-testid": "field-dropPassRole", onchange: () => handlers.edit("dropPassRole", dropPassRole.checked) });
  const needsExternalId = vendor.requireExternalId && !vendor.externalId && !vendor.acceptsCustomerExternalId;
  const passesRoles = vendor.permissions.inlinePolicy !== null && /iam:PassRole/i.test(vendor.permissions.inlinePolicy);
  const roleFields = h("div", {},
    needsExternalId ? text("external-id", "externalId", `ExternalId ${vendor.name} issued to you`, `AWS has the vendor issue it, one per customer, so no one else can make ${vendor.name} use your role.`) : null,
    passesRoles ? h("fieldset", { class: "card" }, h("legend", {}, "iam:PassRole in the vendor's policy"),
      h("p", { class: "help" }, `${vendor.name}'s policy may pass roles to AWS services. On every role that lets it hand any role of this account to a machine it controls; limit it to the roles it needs, or take it out.`),
      text("pass-role-arns", "passRoleArns", "Roles it may pass (ARNs, one per line)", "For example the node role of the cluster it deploys.", { rows: "2", placeholder: "Role ARNs, one per line" }),
      h("div", { class: "check" }, dropPassRole, h("label", { for: "drop-pass-role" }, "Take iam:PassRole out of its policy"))) : null);

  // VPC peering: the vendor's pending request (read from the VPC), or a request sent from here.
  const requestList = h("div", { "data-testid": "peering-requests", role: "status" }, h("p", { class: "muted" }, "Reading the peering requests waiting in the database's VPC…"));
  const choose = (id: string) => h("input", {
    type: "radio", name: "peering-choice", id: `peering-${id || "send"}`, value: id, "data-testid": id ? "peering-request" : "peering-send", checked: form.peeringConnection === id,
    onchange: () => handlers.edit("peeringConnection", id),
  });
  const dns = h("input", { id: "peering-dns", type: "checkbox", checked: form.peeringDns, "data-testid": "field-peeringDns", onchange: () => handlers.edit("peeringDns", dns.checked) });
  const peering = h("fieldset", { class: "card", "data-testid": "peering" }, h("legend", {}, "VPC peering"),
    h("p", { class: "help" }, `Accept the request ${vendor.name} sent to ${database?.vpcId ?? "the database's VPC"}, or send one to ${vendor.name}'s VPC for it to accept. Either way, only the database's port is opened to the vendor's ranges.`),
    requestList,
    h("div", { class: "grid-2" },
      text("peer-vpc", "peerVpc", `${vendor.name}'s VPC id (to send a request)`, "As the vendor told you; its pending request is looked for first.", { placeholder: "Its VPC id" }),
      text("peer-region", "peerRegion", "Its region (when not the database's)", "Peering across regions is allowed.", { placeholder: "Same as the database's" })),
    text("peer-cidrs", "peerCidrs", "Its address ranges (CIDR, one per line)", "AWS does not show another account's VPC: give every range the vendor uses; a request it sent names them itself.", { rows: "2", placeholder: "Its ranges, one per line" }),
    h("div", { class: "check" }, dns, h("label", { for: "peering-dns" }, `Let ${vendor.name}'s VPC resolve the database's hostname to its private address (needs an accepted request)`)),
    slot("peering"));
  peering.hidden = !form.parts.includes("vpcPeering") || !database;

  // SSH bastion: launched with the vendor's key, or the admin's own host.
  const mode = (value: "launch" | "own", label: string) => {
    const radio = h("input", { type: "radio", name: "bastion-mode", id: `bastion-${value}`, value, "data-testid": `bastion-${value}`, checked: form.bastionMode === value,
      onchange: () => { handlers.edit("bastionMode", value); launchFields.hidden = value !== "launch"; ownFields.hidden = value !== "own"; } });
    return h("div", { class: "check" }, radio, h("label", { for: `bastion-${value}` }, label));
  };
  const launchFields = h("div", {},
    text("bastion-key", "bastionKey", `${vendor.name}'s SSH public key`, "One line, as the vendor sent it (ssh-ed25519 AAAA… name). It may only forward to the database: options of its own are refused.", { rows: "3", placeholder: "The key line the vendor sent" }));
  const ownFields = h("div", { class: "grid-2" },
    text("bastion-host", "bastionHost", "Your bastion's public name or address", "Where the vendor connects (port 22).", { placeholder: "Host name or address" }),
    text("bastion-user", "bastionUser", "Its user for the vendor", "You install the vendor's key for this user.", { placeholder: "User name" }),
    text("bastion-group", "bastionGroup", "Its security group", "The database's group will admit this group on the database port.", { placeholder: "Security group id" }));
  launchFields.hidden = form.bastionMode !== "launch";
  ownFields.hidden = form.bastionMode !== "own";
  const bastion = h("fieldset", { class: "card", "data-testid": "bastion" }, h("legend", {}, "SSH bastion"),
    mode("launch", `Launch one for ${vendor.name} (t4g.nano, latest Amazon Linux, in a public subnet of the database's VPC)`),
    mode("own", "Use my own bastion host"),
    launchFields, ownFields, slot("bastion"));
  bastion.hidden = !form.parts.includes("sshBastion") || !database;

  // Resource endpoint: what its configuration names.
  const target = (value: ResourceTargetKind, label: string, enabled: boolean) => {
    const radio = h("input", { type: "radio", name: "resource-target", id: `resource-${value}`, value, "data-testid": `resource-${value}`, checked: form.resourceTarget === value, disabled: !enabled,
      onchange: () => handlers.edit("resourceTarget", value) });
    return h("div", { class: "check" }, radio, h("label", { for: `resource-${value}` }, label));
  };
  const hasReader = Boolean(database?.readerEndpoint);
  const resource = h("fieldset", { class: "card", "data-testid": "resource-endpoint" }, h("legend", {}, "Resource endpoint"),
    h("p", { class: "help" }, `${vendor.name} accepts the share in its account and creates a VPC endpoint of type Resource for it, in this region. Its certificate check must expect ${database?.endpoint ?? "the database's hostname"}, not the endpoint's name.`),
    target("databaseArn", `The database itself, by its ARN (AWS follows ${database?.id ?? "it"} through a failover)`, true),
    target("writerDns", `Its endpoint by name (${database?.endpoint ?? "writer"})`, true),
    target("readerDns", hasReader ? `Its reader endpoint by name (${database?.readerEndpoint ?? ""})` : "Its reader endpoint by name (Aurora clusters only)", hasReader),
    slot("resourceEndpoint"));
  resource.hidden = !form.parts.includes("resourceEndpoint") || !database;

  const what = database
    ? h("fieldset", { class: "card" }, h("legend", {}, "What to grant"),
      ...PARTS.map((info, i) => renderPart(info, partBoxes[i], vendor, database)),
      slot("parts"))
    : h("fieldset", { class: "card", "data-testid": "new-account" }, h("legend", {}, "The vendor's own account"),
      h("p", { class: "help" }, `Created in your organization from the management account, then entered through OrganizationAccountAccessRole (which AWS makes there) to put ${vendor.name}'s role in it. Revoking takes the role back; closing the account is a separate, typed decision.`),
      text("new-account-name", "newAccountName", "Account name", "As the organization will list it.", { placeholder: "Name in the organization" }),
      text("new-account-email", "newAccountEmail", "Owner email", "No other AWS account may use it: a mailbox your team reads, e.g. aws+vendor@your-domain.", { placeholder: "A mailbox your team reads", type: "email" }),
      text("new-account-ou", "newAccountOu", "Organizational unit (optional)", "Its id (ou-…), so that unit's policies apply; it stays under the root otherwise.", { placeholder: "Empty: under the root" }),
      slot("parts"));
  mount(body,
    h("h2", {}, database ? `Access for ${vendor.name} to ${database.id}` : `A dedicated account for ${vendor.name}`),
    what,
    vendor.accountId ? null : text("vendor-account", "vendorAccount", `${vendor.name}'s AWS account id`, "The vendor gives it on request; its account is the only one allowed in.", { placeholder: "Twelve digits" }),
    database ? resource : null,
    database ? peering : null,
    database ? bastion : null,
    database ? renderZones(facts) : null,
    database ? text("target-ips", "targetIps", "Database IP addresses", `Leave empty to resolve ${database.endpoint} when planning; type them (one per line) when that name only resolves inside the VPC.`, { rows: "2", placeholder: "Empty: resolved from the endpoint" }) : null,
    h("div", { class: "grid-2" },
      h("div", {},
        text("expires", "expires", "Role stops working on (UTC)", `At the end of this day, midnight UTC; ${DEFAULT_DAYS} days from today unless you change it (YYYY-MM-DD). The network parts stay open after it, until you revoke.`, form.noEndDate ? { disabled: "" } : {}),
        h("div", { class: "check" }, noEndDate, h("label", { for: "no-end-date" }, "No end date")),
        noEndDateWarning),
      text("session", "maxSessionHours", "Longest role session (hours)", "1 to 12.", { inputmode: "numeric" })),
    roleFields,
    h("div", { class: "grid-2" },
      h("div", { class: "field" }, h("label", { for: "role-access" }, "Role permissions"), roleAccess),
      database ? h("div", { class: "check" }, acceptance, h("label", { for: "acceptance" }, "Accept each endpoint connection by hand (recommended)")) : null),
    database ? h("div", { class: "check" }, syncTargets, h("label", { for: "sync-targets" },
      h("strong", {}, "Keep targets in sync"),
      h("span", { class: "help" }, ` Private link only: a small function in your account (Lambda, run on ${database.id}'s failover and maintenance events and every 5 minutes) moves the load balancer's targets to the database's new addresses. It may move targets in this grant's target group only.`))) : null,
    general);

  return {
    showErrors({ errors, planError }) {
      const bySlot = errorsBySlot([...errors, ...(planError?.fields ?? [])]);
      for (const [name, element] of slots) {
        const found = bySlot.get(name) ?? [];
        mount(element, ...renderFieldErrors(found));
        // The field itself is marked too, not only the text under it.
        const holder = element.parentElement;
        holder?.classList.toggle("has-error", found.length > 0);
        if (holder?.classList.contains("field")) {
          holder.querySelectorAll("input, textarea").forEach((input) => input.setAttribute("aria-invalid", found.length > 0 ? "true" : "false"));
        }
      }
      mount(general, ...renderGeneralErrors(planError, bySlot.get("general") ?? []));
    },
    showPeeringRequests(requests) {
      if (requests.status === "reading") return;
      if (requests.status === "failed") {
        mount(requestList, errorBox(requests.error, "peering-requests-error"));
        return;
      }
      mount(requestList,
        requests.requests.length === 0
          ? h("p", { class: "muted", "data-testid": "peering-none" }, `No peering request is waiting in ${database?.vpcId ?? "the VPC"}: ask ${vendor.name} to send one, or send one to its VPC below.`)
          : h("p", { class: "muted" }, "Requests waiting for your acceptance:"),
        ...requests.requests.map((c) => h("div", { class: "check" }, choose(c.id), h("label", { for: `peering-${c.id}`, class: "mono" }, describeRequest(c)))),
        h("div", { class: "check" }, choose(""), h("label", { for: "peering-send" }, `Send a request to ${vendor.name}'s VPC instead`)));
    },
  };
}
