// Step 1: who gets access. A preset from the vendors' guides, a profile file or URL, or Custom.
import { api } from "../../api";
import type { ErrorPayload, FieldError, VendorProfile } from "../../api";
import { splitList } from "../../lib/grant-form";
import { Latest } from "../../lib/latest";
import type { Step } from "../shell";
import { mountVendorView, type CustomField } from "./view";

/** The start-up benchmark reads when the first screen became usable: said once per run. */
let announced = false;

const EDIT_CUSTOM: Record<CustomField, (vendor: VendorProfile, text: string) => void> = {
  name: (vendor, text) => { vendor.name = text.trim() || "Custom"; },
  accountId: (vendor, text) => { vendor.accountId = text.trim() === "" ? null : text.trim(); },
  ipRanges: (vendor, text) => { vendor.ipRanges = splitList(text); },
};

export const vendorStep: Step = {
  id: "vendor",
  title: "Vendor",
  waitingFor: "Pick a vendor (or fill in Custom) to go on.",
  start(body, ctx) {
    let vendors: VendorProfile[] = [];
    let customErrors: FieldError[] = [];
    // The Custom vendor is checked as it is typed: only the answer for the latest text counts.
    const customCheck = new Latest();
    const view = mountVendorView(body, {
      pick,
      pickAndGoOn: (vendor) => {
        pick(vendor);
        ctx.next();
      },
      load: (spec) => void load(spec),
      chooseFile: () => void chooseFile(),
      editCustom: (field, text) => {
        if (ctx.state.vendor) EDIT_CUSTOM[field](ctx.state.vendor, text);
        void checkCustom();
      },
    });

    const valid = () => ctx.state.vendor !== null && (ctx.state.vendor.id !== "custom" || customErrors.length === 0);

    function pick(vendor: VendorProfile): void {
      ctx.state.vendor = vendor;
      ctx.state.form = null; // the access defaults follow the vendor
      customErrors = [];
      view.showList(vendors, vendor);
      view.showDetail(vendor);
      if (vendor.id === "custom") void checkCustom();
      ctx.ready(valid());
    }

    function add(vendor: VendorProfile): void {
      vendors = [...vendors.filter((v) => v.id !== vendor.id), vendor];
      pick(vendor);
    }

    async function checkCustom(): Promise<void> {
      const vendor = ctx.state.vendor;
      if (!vendor) return;
      const ask = customCheck.begin();
      const errors = await api.checkVendor(vendor);
      if (!ask.isCurrent()) return;
      customErrors = errors;
      view.showCustomErrors(errors);
      ctx.ready(valid());
    }

    async function load(spec: string): Promise<void> {
      let loadError: ErrorPayload | null = null;
      try {
        add(await api.loadVendor(spec));
      } catch (error) {
        loadError = error as ErrorPayload;
      }
      view.showLoadError(loadError);
    }

    async function chooseFile(): Promise<void> {
      try {
        const vendor = await api.chooseVendorFile();
        view.showLoadError(null);
        if (vendor !== null) add(vendor);
      } catch (error) {
        view.showLoadError(error as ErrorPayload);
      }
    }

    void api.vendorPresets().then((presets) => {
      vendors = presets;
      view.showList(vendors, ctx.state.vendor);
      view.showDetail(ctx.state.vendor);
      ctx.ready(valid());
      if (!announced) {
        announced = true;
        void api.uiReady();
      }
    });
  },
};
