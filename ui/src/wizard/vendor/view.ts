// Step 1 drawn: the vendors to pick from, a profile to load, what the picked vendor gets, and
// for Custom, its fields.
import type { ErrorPayload, FieldError, VendorProfile } from "../../api/bindings";
import { h, mount } from "../../lib/dom";
import { errorBox } from "../../lib/error-box";
import { describeAccess } from "../../lib/grant-form";

export type CustomField = "name" | "accountId" | "ipRanges";

export interface VendorHandlers {
  pick(vendor: VendorProfile): void;
  /** A double click: picked, then on to the next step. */
  pickAndGoOn(vendor: VendorProfile): void;
  load(spec: string): void;
  chooseFile(): void;
  editCustom(field: CustomField, text: string): void;
}

export interface VendorView {
  showList(vendors: readonly VendorProfile[], selected: VendorProfile | null): void;
  showDetail(vendor: VendorProfile | null): void;
  showCustomErrors(errors: readonly FieldError[]): void;
  showLoadError(error: ErrorPayload | null): void;
}

function renderVendorList(vendors: readonly VendorProfile[], selected: VendorProfile | null, handlers: VendorHandlers): HTMLElement[] {
  return vendors.map((v) => {
    const isSelected = selected?.id === v.id;
    return h("button", {
      type: "button", role: "radio", "aria-checked": isSelected ? "true" : "false", class: `choice${isSelected ? " selected" : ""}`,
      "data-testid": "vendor", "data-id": v.id, onclick: () => handlers.pick(v), ondblclick: () => handlers.pickAndGoOn(v),
    }, h("span", { class: "choice-title" }, v.name), h("span", { class: "choice-detail" }, v.description));
  });
}

/** `vendorErrors`: the Custom vendor's check results, one element kept across redraws (see mountVendorView). */
function renderVendorDetail(vendor: VendorProfile | null, handlers: VendorHandlers, vendorErrors: HTMLElement): HTMLElement[] {
  if (!vendor) return [];
  return [
    h("section", { class: "card", "data-testid": "vendor-detail" },
      h("h3", {}, `What ${vendor.name} will get`),
      h("ul", {}, ...describeAccess(vendor).map((line) => h("li", {}, line))),
      vendor.regions.length > 0 ? h("p", { class: "muted" }, `Connects from ${vendor.regions.join(", ")}.`) : null),
    ...(vendor.id === "custom" ? [renderCustomFields(vendor, handlers, vendorErrors)] : []),
  ];
}

function renderCustomFields(vendor: VendorProfile, handlers: VendorHandlers, vendorErrors: HTMLElement): HTMLElement {
  const input = (id: string, field: CustomField, label: string, value: string, help: string) => {
    const element = h("input", { id, value, "data-testid": id, spellcheck: "false", oninput: () => handlers.editCustom(field, element.value) });
    return h("div", { class: "field" }, h("label", { for: id }, label), element, h("p", { class: "help" }, help));
  };
  return h("div", { class: "card" },
    h("h3", {}, "Custom vendor"),
    input("custom-name", "name", "Name", vendor.name === "Custom" ? "" : vendor.name, "As it should appear in resource names' descriptions and the summary."),
    input("custom-account", "accountId", "AWS account id", vendor.accountId ?? "", "12 digits, from the vendor's documentation."),
    input("custom-ranges", "ipRanges", "IP ranges it connects from", vendor.ipRanges.join(", "), "Optional: CIDR blocks such as 203.0.113.7/32, for an IP allowlist."),
    vendorErrors);
}

function renderCustomErrors(errors: readonly FieldError[]): HTMLElement[] {
  return errors.map((e) => h("p", { class: "field-error" }, `${e.field}: ${e.message} ${e.hint}`));
}

export function mountVendorView(body: HTMLElement, handlers: VendorHandlers): VendorView {
  const list = h("div", { class: "choice-list", role: "radiogroup", "aria-label": "Vendor" });
  const detail = h("div");
  const spec = h("input", { id: "vendor-spec", type: "text", placeholder: "https://vendor.example/vendorlink.json or /path/to/profile.toml", "data-testid": "vendor-spec", spellcheck: "false" });
  const loadArea = h("div");
  // Kept across redraws of the detail so that typing is never interrupted by a check's answer.
  const vendorErrors = h("div", { "data-testid": "vendor-errors", role: "status" });
  mount(body,
    h("h2", {}, "Who needs access?"),
    h("p", { class: "lead" }, "Pick the vendor. Presets come from each vendor's own setup guide; a vendor can also publish its profile at an address."),
    list,
    h("div", { class: "inline-form" },
      h("label", { for: "vendor-spec" }, "Profile address (https://) or preset"),
      spec,
      h("button", { type: "button", "data-testid": "vendor-load", onclick: () => handlers.load(spec.value) }, "Load"),
      h("button", { type: "button", "data-testid": "vendor-choose-file", onclick: handlers.chooseFile }, "Choose file…")),
    loadArea,
    detail);
  return {
    showList: (vendors, selected) => mount(list, ...renderVendorList(vendors, selected, handlers)),
    showDetail: (vendor) => mount(detail, ...renderVendorDetail(vendor, handlers, vendorErrors)),
    showCustomErrors: (errors) => mount(vendorErrors, ...renderCustomErrors(errors)),
    showLoadError: (error) => mount(loadArea, error ? errorBox(error, "vendor-load-error") : null),
  };
}
