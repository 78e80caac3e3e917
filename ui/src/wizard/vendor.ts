// Step 1: who gets access. A preset from the vendors' guides, a profile file or URL, or Custom.
import { api } from "../api";
import type { ErrorPayload, VendorProfile } from "../api";
import { h, mount } from "../lib/dom";
import { describeAccess, splitList } from "../lib/grant-form";
import { errorBox } from "../screens/credentials";
import type { Step } from "./shell";

let announced = false;

export const vendorStep: Step = {
  id: "vendor",
  title: "Vendor",
  render(body, ctx) {
    let vendors: VendorProfile[] = [];
    let loadError: ErrorPayload | null = null;
    let customErrors: { field: string; message: string; hint: string }[] = [];
    const list = h("div", { class: "choice-list", role: "radiogroup", "aria-label": "Vendor" });
    const detail = h("div");
    const spec = h("input", { id: "vendor-spec", type: "text", placeholder: "https://vendor.example/vendorlink.json or /path/to/profile.toml", "data-testid": "vendor-spec", spellcheck: "false" });
    const loadArea = h("div");
    // Kept across re-renders so that typing is never interrupted by a check's answer.
    const vendorErrors = h("div", { "data-testid": "vendor-errors", role: "status" });

    const valid = () => ctx.state.vendor !== null && (ctx.state.vendor.id !== "custom" || customErrors.length === 0);

    function pick(vendor: VendorProfile): void {
      ctx.state.vendor = vendor;
      ctx.state.form = null; // the access defaults follow the vendor
      customErrors = [];
      renderList();
      renderDetail();
      if (vendor.id === "custom") void checkCustom();
      ctx.ready(valid());
    }

    function renderList(): void {
      mount(list, ...vendors.map((v) => {
        const selected = ctx.state.vendor?.id === v.id;
        return h("button", {
          type: "button", role: "radio", "aria-checked": selected ? "true" : "false", class: `choice${selected ? " selected" : ""}`,
          "data-testid": "vendor", "data-id": v.id, onclick: () => pick(v), ondblclick: () => { pick(v); ctx.next(); },
        }, h("span", { class: "choice-title" }, v.name), h("span", { class: "choice-detail" }, v.description));
      }));
    }

    async function checkCustom(): Promise<void> {
      const vendor = ctx.state.vendor;
      if (!vendor) return;
      customErrors = await api.checkVendor(vendor);
      mount(vendorErrors, ...customErrors.map((e) => h("p", { class: "field-error" }, `${e.field}: ${e.message} ${e.hint}`)));
      ctx.ready(valid());
    }

    function customFields(vendor: VendorProfile): HTMLElement {
      const input = (id: string, label: string, value: string, apply: (text: string) => void, help: string) => {
        const element = h("input", {
          id, value, "data-testid": id, spellcheck: "false",
          oninput: () => { apply(element.value); void checkCustom(); },
        });
        return h("div", { class: "field" }, h("label", { for: id }, label), element, h("p", { class: "help" }, help));
      };
      return h("div", { class: "card" },
        h("h3", {}, "Custom vendor"),
        input("custom-name", "Name", vendor.name === "Custom" ? "" : vendor.name, (t) => { vendor.name = t.trim() || "Custom"; }, "As it should appear in resource names' descriptions and the summary."),
        input("custom-account", "AWS account id", vendor.accountId ?? "", (t) => { vendor.accountId = t.trim() === "" ? null : t.trim(); }, "12 digits, from the vendor's documentation."),
        input("custom-ranges", "IP ranges it connects from", vendor.ipRanges.join(", "), (t) => { vendor.ipRanges = splitList(t); }, "Optional: CIDR blocks such as 203.0.113.7/32, for an IP allowlist."),
        vendorErrors);
    }

    function renderDetail(): void {
      const vendor = ctx.state.vendor;
      if (!vendor) {
        mount(detail);
        return;
      }
      mount(detail,
        h("section", { class: "card", "data-testid": "vendor-detail" },
          h("h3", {}, `What ${vendor.name} will get`),
          h("ul", {}, ...describeAccess(vendor).map((line) => h("li", {}, line))),
          vendor.regions.length > 0 ? h("p", { class: "muted" }, `Connects from ${vendor.regions.join(", ")}.`) : null),
        vendor.id === "custom" ? customFields(vendor) : null);
    }

    async function load(): Promise<void> {
      loadError = null;
      try {
        const vendor = await api.loadVendor(spec.value);
        vendors = [...vendors.filter((v) => v.id !== vendor.id), vendor];
        pick(vendor);
      } catch (error) {
        loadError = error as ErrorPayload;
      }
      mount(loadArea, loadError ? errorBox(loadError, "vendor-load-error") : null);
    }

    async function choose(): Promise<void> {
      try {
        loadError = null;
        const vendor = await api.chooseVendorFile();
        mount(loadArea);
        if (vendor === null) return;
        vendors = [...vendors.filter((v) => v.id !== vendor.id), vendor];
        pick(vendor);
      } catch (error) {
        mount(loadArea, errorBox(error as ErrorPayload, "vendor-load-error"));
      }
    }

    mount(body,
      h("h2", {}, "Who needs access?"),
      h("p", { class: "lead" }, "Pick the vendor. Presets come from each vendor's own setup guide; a vendor can also publish its profile at an address."),
      list,
      h("div", { class: "inline-form" },
        h("label", { for: "vendor-spec" }, "Profile address (https://) or preset"),
        spec,
        h("button", { type: "button", "data-testid": "vendor-load", onclick: () => void load() }, "Load"),
        h("button", { type: "button", "data-testid": "vendor-choose-file", onclick: () => void choose() }, "Choose file…")),
      loadArea,
      detail);
    void api.vendorPresets().then((presets) => {
      vendors = presets;
      renderList();
      renderDetail();
      ctx.ready(valid());
      if (!announced) {
        announced = true;
        void api.uiReady();
      }
    });
  },
};
