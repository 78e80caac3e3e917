// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { CredentialSource, SourceOption } from "../../api/bindings";
import { byTestId, failure, visibleText } from "../../testing/fixtures";
import { createKeychainForm } from "./keychain-form-view";
import { initialForm, initialSources, type SourcesState } from "./state";
import { mountCredentialsView, type SourceHandlers } from "./view";

const SANDBOX: SourceOption = { source: { type: "sandbox" }, kind: "sandbox", label: "Sandbox", detail: "emulator at http://127.0.0.1:5000", mfa: false };
const PROFILE: SourceOption = { source: { type: "profile", name: "prod" }, kind: "profile", label: "prod", detail: "eu-west-2", mfa: false };
const KEY: SourceOption = { source: { type: "keychain", name: "admin-key" }, kind: "keychain", label: "admin-key", detail: "AKIA…MPLE, eu-central-1", mfa: true };

function sources(overrides: Partial<SourcesState>): SourcesState {
  return { ...initialSources(), local: { sources: [SANDBOX, PROFILE], problems: [] }, ...overrides };
}

function screen(handlers: Partial<SourceHandlers> = {}) {
  const root = document.createElement("div");
  const ignore = () => undefined;
  const view = mountCredentialsView(root, { pick: ignore, pickAndCheck: ignore, checkIdentity: ignore, askDelete: ignore, cancelDelete: ignore, confirmDelete: ignore, ...handlers },
    document.createElement("form"), null);
  const show = (state: SourcesState) => {
    view.showSources(state);
    view.showIdentity(state);
  };
  const checkButton = () => byTestId(root, "use-source")[0] as HTMLButtonElement;
  const rows = () => byTestId(root, "source").map((row) => `${row.dataset.kind}: ${row.dataset.label}`);
  return { root, show, checkButton, rows };
}

describe("the credentials list", () => {
  it("shows the profiles while the keychain is read, and nothing to check yet", () => {
    const { root, show, checkButton, rows } = screen();
    show(sources({ keychainLoading: true }));
    expect(rows()).toEqual(["sandbox: Sandbox", "profile: prod"]);
    expect(visibleText(byTestId(root, "keychain-loading")[0])).toBe("Reading the OS keychain… your system may ask you to unlock it.");
    expect(checkButton().disabled).toBe(true);
    expect(checkButton().textContent).toBe("Check identity");
    expect(byTestId(root, "identity-area")[0].children).toHaveLength(0);
  });

  it("keeps a line where the loading notice was when the keychain has nothing", () => {
    const { root, show } = screen();
    show(sources({ keychainLoading: false }));
    expect(byTestId(root, "keychain-loading")).toHaveLength(0);
    expect(visibleText(byTestId(root, "keychain-empty")[0])).toBe("No access key stored in the OS keychain; “Add an access key…” stores one.");
  });

  it("lists keychain entries after the profiles, each with its own delete", () => {
    const { root, show, rows } = screen();
    show(sources({ keychainLoading: false, keychain: { sources: [KEY], problems: [] } }));
    expect(rows()).toEqual(["sandbox: Sandbox", "profile: prod", "keychain: admin-key"]);
    expect(byTestId(root, "keychain-empty")).toHaveLength(0);
    expect(byTestId(root, "delete-entry").map((b) => b.getAttribute("aria-label"))).toEqual(["Delete keychain entry admin-key"]);
    expect(visibleText(byTestId(root, "source-detail")[2])).toBe("AKIA…MPLE, eu-central-1");
  });

  it("asks before deleting a keychain entry", () => {
    const { root, show } = screen();
    show(sources({ keychainLoading: false, keychain: { sources: [KEY], problems: [] }, confirmingDelete: "admin-key" }));
    expect(byTestId(root, "delete-entry")).toHaveLength(0);
    expect(visibleText(root.querySelector("[role=group]")!)).toBe("Delete from the keychain? Delete Cancel");
  });

  it("says so when there are no credentials at all, and shows the keychain's problem", () => {
    const { root, show } = screen();
    show(sources({ local: { sources: [], problems: [] }, keychainLoading: false, keychain: { sources: [], problems: [failure("The OS keychain is not available.", "keychain", "Unlock your keyring.")] } }));
    expect(byTestId(root, "source")).toHaveLength(0);
    expect(visibleText(byTestId(root, "no-sources")[0])).toContain("No credentials found.");
    expect(visibleText(byTestId(root, "source-problem")[0])).toBe("The OS keychain is not available. Unlock your keyring.");
  });

  it("marks the picked source and lets it be checked; asks for an MFA code only where needed", () => {
    const { root, show, checkButton } = screen();
    const mfaField = () => byTestId(root, "mfa-code")[0].parentElement!;
    show(sources({ keychainLoading: false, selected: { type: "profile", name: "prod" } }));
    expect(byTestId(root, "source-pick").map((b) => b.getAttribute("aria-checked"))).toEqual(["false", "true"]);
    expect(checkButton().disabled).toBe(false);
    expect(mfaField().hidden).toBe(true);
    show(sources({ keychainLoading: false, keychain: { sources: [KEY], problems: [] }, selected: KEY.source }));
    expect(mfaField().hidden).toBe(false);
  });

  it("says it is asking while the check runs", () => {
    const { root, show, checkButton } = screen();
    show(sources({ keychainLoading: false, selected: SANDBOX.source, checking: true }));
    expect(checkButton().disabled).toBe(true);
    expect(checkButton().textContent).toBe("Checking…");
    expect(visibleText(byTestId(root, "identity-checking")[0])).toBe("Asking AWS STS who these credentials are…");
  });

  it("shows who the credentials are", () => {
    const { root, show } = screen();
    show(sources({
      keychainLoading: false, selected: SANDBOX.source,
      identity: { account: "123456789012", arn: "arn:aws:sts::123456789012:user/moto", userId: "AIDA1", region: "us-east-1", endpoint: "http://127.0.0.1:5000" },
    }));
    const text = (id: string) => visibleText(byTestId(root, id)[0]);
    expect(text("identity-account")).toBe("123456789012");
    expect(text("identity-arn")).toBe("arn:aws:sts::123456789012:user/moto");
    expect(text("identity-region")).toBe("us-east-1");
    expect(text("identity-endpoint")).toBe("http://127.0.0.1:5000");
    show(sources({ keychainLoading: false, selected: SANDBOX.source, identity: { account: "1", arn: "a", userId: "u", region: "r", endpoint: null } }));
    expect(byTestId(root, "identity-endpoint")).toHaveLength(0);
  });

  it("shows why the check failed and what to do", () => {
    const { root, show } = screen();
    show(sources({ keychainLoading: false, selected: PROFILE.source, identityError: failure("Could not reach AWS at http://127.0.0.1:9.", "unreachable", "Is the emulator running?") }));
    const error = byTestId(root, "identity-error")[0];
    expect(error.dataset.kind).toBe("unreachable");
    expect(error.getAttribute("role")).toBe("alert");
    expect(visibleText(error)).toBe("Could not reach AWS at http://127.0.0.1:9. Is the emulator running? Try again");
    expect(byTestId(root, "identity")).toHaveLength(0);
  });

  it("keeps the same Check identity button through redraws, so the keyboard focus stays on it", () => {
    const { show, checkButton } = screen();
    show(sources({ keychainLoading: true }));
    const button = checkButton();
    show(sources({ keychainLoading: false, selected: SANDBOX.source, checking: true }));
    expect(checkButton()).toBe(button);
  });

  it("hands a click and a double click on a row to the controller", () => {
    const picked: string[] = [];
    const { root, show } = screen({ pick: (s: CredentialSource) => picked.push(`pick ${s.type}`), pickAndCheck: (s: CredentialSource) => picked.push(`check ${s.type}`) });
    show(sources({ keychainLoading: false }));
    const sandbox = byTestId(root, "source-pick")[0];
    sandbox.click();
    sandbox.dispatchEvent(new MouseEvent("dblclick"));
    expect(picked).toEqual(["pick sandbox", "check sandbox"]);
  });
});

describe("the keychain form", () => {
  const form = (typed: string[] = []) => {
    const view = createKeychainForm({ type: (key, value) => typed.push(`${key}=${value}`), leave: () => undefined, save: () => undefined });
    return { view, field: (key: string) => byTestId(view.element, `field-${key}`)[0] as HTMLInputElement, error: (key: string) => byTestId(view.element, `error-${key}`)[0] };
  };

  it("shows an error only beside a field the admin touched", () => {
    const { view, field, error } = form();
    const state = initialForm();
    state.fieldErrors = [
      { field: "accessKeyId", message: "\"AKIA123\" is not an access key id.", hint: "It has 20 characters." },
      { field: "name", message: "A name is needed.", hint: "" },
    ];
    state.touched.add("accessKeyId");
    view.show(state);
    expect(error("accessKeyId").textContent).toBe("\"AKIA123\" is not an access key id. It has 20 characters.");
    expect(field("accessKeyId").getAttribute("aria-invalid")).toBe("true");
    expect(error("name").textContent).toBe("");
    expect(field("name").getAttribute("aria-invalid")).toBe("false");
  });

  it("keeps what is typed while errors are redrawn, disables Save while saving and shows a refusal", () => {
    const typed: string[] = [];
    const { view, field } = form(typed);
    const input = field("name");
    input.value = "prod-admin";
    input.dispatchEvent(new Event("input"));
    const state = initialForm();
    state.saving = true;
    view.show(state);
    expect(field("name")).toBe(input);
    expect(input.value).toBe("prod-admin");
    expect(typed).toEqual(["name=prod-admin"]);
    const save = byTestId(view.element, "save-entry")[0] as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    view.show({ ...state, saving: false, saveError: failure("The keychain refused the entry.", "keychain") });
    expect(save.disabled).toBe(false);
    expect(visibleText(byTestId(view.element, "save-error")[0])).toBe("The keychain refused the entry.");
    view.clear();
    expect(input.value).toBe("");
  });
});
