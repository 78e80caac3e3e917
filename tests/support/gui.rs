//! The real app in a real window: Xvfb, tauri-driver (over WebKitWebDriver), and a minimal
//! W3C WebDriver client. Screenshots and the app's log go to `test-artifacts/gui/`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};

use super::{wait_for, Home, REPO};

/// One window at a time: tauri-driver, WebKitWebDriver and Xvfb are shared per test.
static WINDOW: Mutex<()> = Mutex::new(());

pub fn artifacts() -> PathBuf {
    let dir = PathBuf::from(REPO).join("test-artifacts/gui");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        // tauri-driver's WebKitWebDriver (and the app under it) would outlive a bare kill.
        let _ = Command::new("pkill").args(["-KILL", "-P", &self.0.id().to_string()]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An X server on a free display. One that exits or is not listening within 20 s (a display
/// taken meanwhile by another program, a loaded machine) is replaced by one on the next display.
fn start_xvfb() -> (Killed, String) {
    let mut tried = Vec::new();
    for _ in 0..3 {
        let number = (90..200).find(|n| !tried.contains(n) && display_free(*n)).expect("a free X display");
        tried.push(number);
        let display = format!(":{number}");
        let child = Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb (apt-get install xvfb)");
        let mut xvfb = Killed(child);
        let socket = format!("/tmp/.X11-unix/X{number}");
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if std::path::Path::new(&socket).exists() {
                return (xvfb, display);
            }
            if matches!(xvfb.0.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        eprintln!("Xvfb on {display} did not come up; trying another display");
    }
    panic!("Xvfb did not start on any of the displays {tried:?}");
}

/// Whether display `n` is free; a lock left by an X server that no longer runs is cleared.
fn display_free(n: u32) -> bool {
    let lock = format!("/tmp/.X{n}-lock");
    let socket = format!("/tmp/.X11-unix/X{n}");
    match std::fs::read_to_string(&lock) {
        Ok(pid) if std::path::Path::new(&format!("/proc/{}", pid.trim())).exists() => false,
        Ok(_) => {
            let _ = std::fs::remove_file(&lock);
            let _ = std::fs::remove_file(&socket);
            true
        }
        Err(_) => !std::path::Path::new(&socket).exists(),
    }
}

/// An X server of its own, and tauri-driver on free ports, for one test.
pub struct Desktop {
    _xvfb: Killed,
    _driver: Killed,
    display: String,
    port: u16,
    pub name: String,
    shots: Arc<AtomicU32>,
    _lock: MutexGuard<'static, ()>,
}

/// A stand-in for the system's browser: an `xdg-open` first on the app's PATH that writes each
/// address it is handed to a file, so a test reads what the app asked the system to open.
/// Returns the PATH to start the app with and the file.
pub fn recording_browser(home: &Home) -> (String, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let bin = home.path().join("recording-browser");
    std::fs::create_dir_all(&bin).expect("browser folder");
    let opened = home.path().join("opened-in-browser.txt");
    let script = bin.join("xdg-open");
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", opened.display())).expect("xdg-open");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    (format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()), opened)
}

impl Desktop {
    /// `env` is what the app starts with (tauri-driver passes its environment down).
    pub fn start(name: &str, home: &Home, env: &[(&str, &str)]) -> Self {
        let lock = WINDOW.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (xvfb, display) = start_xvfb();

        let mut app_env: Vec<(String, String)> = home.env();
        app_env.push(("DISPLAY".into(), display.clone()));
        app_env.push(("WEBKIT_DISABLE_DMABUF_RENDERER".into(), "1".into()));
        app_env.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));

        let port = super::closed_port();
        let native_port = super::closed_port();
        let log = std::fs::File::create(artifacts().join(format!("{name}.app.log"))).expect("log file");
        let mut command = Command::new(driver_path());
        command.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()]).stdout(log.try_clone().expect("log")).stderr(log);
        for var in super::AWS_VARS {
            command.env_remove(var);
        }
        command.env_remove("VENDORLINK_SANDBOX_ENDPOINT");
        command.envs(app_env.iter().cloned());
        let driver = Killed(command.spawn().expect("start tauri-driver (cargo install tauri-driver --locked)"));
        // tauri-driver forwards to WebKitWebDriver, which it starts: a session asked for before
        // that one listens fails with a closed connection (seen on a loaded machine).
        wait_for(Duration::from_secs(15), "tauri-driver", || std::net::TcpStream::connect(("127.0.0.1", port)).ok());
        wait_for(Duration::from_secs(15), "WebKitWebDriver", || std::net::TcpStream::connect(("127.0.0.1", native_port)).ok());
        Desktop { _xvfb: xvfb, _driver: driver, display, port, name: name.into(), shots: Arc::default(), _lock: lock }
    }

    /// Launches the app and waits for its first screen.
    pub fn open(&self) -> Window {
        let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(60)).build().expect("http client");
        let base = format!("http://127.0.0.1:{}", self.port);
        let app = super::binary("vendorlink-app");
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": app}}}});
        let response: Value = client.post(format!("{base}/session")).json(&caps).send().expect("new session").json().expect("session json");
        let session = response["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {response}")).to_owned();
        let window = Window { client, url: format!("{base}/session/{session}"), name: self.name.clone(), shots: self.shots.clone(), display: self.display.clone() };
        window.wait_for("#app[data-ready] [data-testid=wizard]");
        window
    }
}

fn driver_path() -> PathBuf {
    if let Ok(path) = std::env::var("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let cargo_bin = PathBuf::from(std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default()))).join("bin/tauri-driver");
    if cargo_bin.exists() {
        cargo_bin
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// One running app window, driven like a person would: find, click, type, read.
pub struct Window {
    client: reqwest::blocking::Client,
    url: String,
    name: String,
    /// Shared by every launch in one test, so screenshots sort in the order they were taken.
    shots: Arc<AtomicU32>,
    display: String,
}

pub type Element = String;
/// WebDriver's codes for keys that are not text.
pub const TAB: &str = "\u{E004}";
pub const ENTER: &str = "\u{E007}";
pub const SPACE: &str = " ";
pub const ESCAPE: &str = "\u{E00C}";
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Window {
    fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.client.request(method, format!("{}{path}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let value: Value = request.send().expect("webdriver call").json().expect("webdriver json");
        value["value"].clone()
    }

    fn ok(value: &Value) -> bool {
        value.get("error").is_none()
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let value = self.call(reqwest::Method::POST, "/elements", Some(json!({"using": "css selector", "value": css})));
        value.as_array().map(|items| items.iter().filter_map(|e| e[ELEMENT_KEY].as_str().map(str::to_owned)).collect()).unwrap_or_default()
    }

    /// The first element matching `css`, waiting for it to appear.
    /// Waits until `css` matches; on giving up, the screen and the page are kept as artifacts
    /// (`…-timeout.png`, `…-timeout.html`) so a failure far away can be looked at.
    pub fn wait_for(&self, css: &str) -> Element {
        let start = std::time::Instant::now();
        loop {
            if let Some(element) = self.find_all(css).into_iter().next() {
                return element;
            }
            if start.elapsed() >= Duration::from_secs(20) {
                let shot = self.screenshot("timeout");
                let _ = std::fs::write(shot.with_extension("html"), self.source());
                panic!("gave up waiting for {css} after 20s (screen: {})", shot.display());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Presses "Check identity" once the list of credentials has settled: the keychain answers
    /// after the profiles, and the button moves when it does (a click aimed at where it was
    /// would miss it).
    pub fn check_identity(&self) {
        self.wait_gone("[data-testid=keychain-loading]");
        self.click_when_enabled("[data-testid=use-source]");
    }

    /// Waits until nothing matches `css`.
    pub fn wait_gone(&self, css: &str) {
        wait_for(Duration::from_secs(20), &format!("{css} to disappear"), || self.find_all(css).is_empty().then_some(()));
    }

    /// Brings the element to the middle of its scrolling area, as a person scrolls to what they
    /// are about to use: WebKit's driver does not scroll a step's own scrolling area for a click.
    fn scroll_to(&self, element: &Element) {
        let reference = json!({ "element-6066-11e4-a52e-4f735466cecf": element });
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({"script": "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' })", "args": [reference]})));
    }

    pub fn click(&self, element: &Element) {
        self.scroll_to(element);
        let value = self.call(reqwest::Method::POST, &format!("/element/{element}/click"), Some(json!({})));
        assert!(Self::ok(&value), "click failed: {value}");
    }

    /// Clicks the first match. A list re-rendered between finding and clicking (the keychain
    /// answering after the profiles, say) leaves a stale element: it is found again.
    pub fn click_css(&self, css: &str) {
        for _ in 0..5 {
            let element = self.wait_for(css);
            self.scroll_to(&element);
            let value = self.call(reqwest::Method::POST, &format!("/element/{element}/click"), Some(json!({})));
            if Self::ok(&value) {
                return;
            }
            assert!(value["error"] == "stale element reference", "click on {css} failed: {value}");
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("{css} kept being replaced while clicking it");
    }

    pub fn type_into(&self, css: &str, text: &str) {
        for _ in 0..5 {
            let element = self.wait_for(css);
            self.scroll_to(&element);
            let value = self.call(reqwest::Method::POST, &format!("/element/{element}/value"), Some(json!({"text": text})));
            if Self::ok(&value) {
                return;
            }
            assert!(value["error"] == "stale element reference", "typing into {css} failed: {value}");
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("{css} kept being replaced while typing into it");
    }

    pub fn clear(&self, css: &str) {
        let element = self.wait_for(css);
        let value = self.call(reqwest::Method::POST, &format!("/element/{element}/clear"), Some(json!({})));
        assert!(Self::ok(&value), "clearing {css} failed: {value}");
    }

    pub fn text(&self, element: &Element) -> String {
        self.call(reqwest::Method::GET, &format!("/element/{element}/text"), None).as_str().unwrap_or_default().to_owned()
    }

    /// The text of the first match, once it is non-empty.
    pub fn text_of(&self, css: &str) -> String {
        wait_for(Duration::from_secs(20), &format!("text in {css}"), || self.find_all(css).first().map(|e| self.text(e)).filter(|t| !t.is_empty()))
    }

    pub fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        self.call(reqwest::Method::GET, &format!("/element/{element}/attribute/{name}"), None).as_str().map(str::to_owned)
    }

    /// From the wizard's first step to the credentials step, with Datafold as the vendor.
    pub fn to_credentials(&self) {
        self.click_css("[data-testid=vendor][data-id=datafold]");
        self.click_when_enabled("[data-testid=wizard-next]");
        self.wait_for("[data-testid=credentials-screen]");
    }

    /// Resizes the window (outer size, as a desktop would).
    pub fn set_size(&self, width: u32, height: u32) {
        let value = self.call(reqwest::Method::POST, "/window/rect", Some(json!({"width": width, "height": height})));
        assert!(Self::ok(&value), "resize failed: {value}");
    }

    /// Whether the first match is disabled (a blocked "Next").
    pub fn is_disabled(&self, css: &str) -> bool {
        let element = self.wait_for(css);
        self.call(reqwest::Method::GET, &format!("/element/{element}/enabled"), None).as_bool() == Some(false)
    }

    /// Clicks the first match once it is enabled (a "Next" waits for its step's checks).
    pub fn click_when_enabled(&self, css: &str) {
        wait_for(Duration::from_secs(20), &format!("{css} to be enabled"), || (!self.is_disabled(css)).then_some(()));
        self.click_css(css);
    }

    /// The page as the webview has it now (DOM serialised).
    pub fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", None).as_str().unwrap_or_default().to_owned()
    }

    /// Runs a script in the page; for reading input values and focus, never for clicking.
    pub fn script(&self, script: &str) -> Value {
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    /// Text and controls on screen whose contrast is below WCAG AA, as axe-core (Deque's
    /// checker, `ui/node_modules/axe-core`) judges them: "selector: why", one per element.
    pub fn contrast_violations(&self) -> Vec<String> {
        if self.script("return typeof window.axe") != json!("object") {
            let source = std::fs::read_to_string(PathBuf::from(REPO).join("ui/node_modules/axe-core/axe.min.js")).expect("axe-core (npm ci in ui/)");
            self.script(&format!("{source}\nreturn null;"));
        }
        self.script(
            "window.__contrast = null;
             axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] } }).then((r) => {
               window.__contrast = r.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.any.map((c) => c.message).join('; ')}`));
             }, (e) => { window.__contrast = [`axe failed: ${e}`]; });
             return null;",
        );
        wait_for(Duration::from_secs(30), "axe-core's contrast check", || {
            let answer = self.script("return window.__contrast");
            answer.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect::<Vec<String>>())
        })
    }

    /// Fails the test with every element below WCAG AA contrast on this screen.
    pub fn assert_contrast(&self, screen: &str) {
        let violations = self.contrast_violations();
        assert!(violations.is_empty(), "{screen}: contrast below WCAG AA (axe-core):\n{}", violations.join("\n"));
    }

    /// Presses keys on the keyboard (W3C key actions): text, or keys such as [`TAB`], [`ENTER`].
    pub fn press(&self, keys: &str) {
        let mut actions = Vec::new();
        for key in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": key.to_string()}));
            actions.push(json!({"type": "keyUp", "value": key.to_string()}));
        }
        let value = self.call(reqwest::Method::POST, "/actions", Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})));
        assert!(Self::ok(&value), "key presses failed: {value}");
        let _ = self.call(reqwest::Method::DELETE, "/actions", None);
    }

    /// Presses Tab until the focused element matches `css`, as a keyboard user would; each
    /// element reached on the way must show that it has the focus.
    pub fn tab_to(&self, css: &str) {
        let selector = serde_json::to_string(css).expect("selector");
        for _ in 0..80 {
            let focus = self.script(&format!(
                "const e = document.activeElement; if (!e || e === document.body) return null; \
                 const s = getComputedStyle(e); \
                 return {{matches: e.matches({selector}), visible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, what: e.outerHTML.slice(0, 120)}};"
            ));
            if !focus.is_null() {
                assert!(focus["visible"] == true, "the focused element shows no focus ring: {}", focus["what"]);
                if focus["matches"] == true {
                    return;
                }
            }
            self.press(TAB);
        }
        panic!("Tab never reached {css}");
    }

    /// Answers the system's file dialog titled `title` as a person does with the keyboard: the
    /// whole path typed (into the name field when saving, the location field when opening),
    /// then Enter. WebDriver cannot reach native dialogs; xdotool types into the X window.
    pub fn answer_file_dialog(&self, title: &str, path: &std::path::Path, saving: bool) {
        let xdotool = |args: &[&str]| -> String {
            let out = Command::new("xdotool").env("DISPLAY", &self.display).args(args).output().expect("run xdotool (apt-get install xdotool)");
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let dialog = wait_for(Duration::from_secs(20), &format!("the dialog \"{title}\""), || {
            xdotool(&["search", "--onlyvisible", "--name", &format!("^{title}$")]).lines().last().map(str::to_owned)
        });
        xdotool(&["windowfocus", "--sync", &dialog]);
        std::thread::sleep(Duration::from_millis(300));
        self.screenshot("file-dialog");
        xdotool(&["key", "--clearmodifiers", if saving { "ctrl+a" } else { "ctrl+l" }]);
        xdotool(&["type", "--delay", "15", &path.display().to_string()]);
        std::thread::sleep(Duration::from_millis(300));
        xdotool(&["key", "Return"]);
        wait_for(Duration::from_secs(20), "the dialog to close", || xdotool(&["search", "--onlyvisible", "--name", &format!("^{title}$")]).trim().is_empty().then_some(()));
    }

    /// What the system clipboard holds now, as another program would paste it.
    pub fn clipboard(&self) -> String {
        let out = Command::new("xclip").env("DISPLAY", &self.display).args(["-o", "-selection", "clipboard"]).output().expect("run xclip (apt-get install xclip)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Saves the whole X screen (window chrome included) as `<test>-<n>-<label>.png`.
    pub fn screenshot(&self, label: &str) -> PathBuf {
        let number = self.shots.fetch_add(1, Ordering::SeqCst) + 1;
        let path = artifacts().join(format!("{}-{number:02}-{label}.png", self.name));
        let status = Command::new("import").args(["-display", &self.display, "-window", "root"]).arg(&path).status();
        if !status.is_ok_and(|s| s.success()) {
            // Without imagemagick, the webview's own screenshot.
            let data = self.call(reqwest::Method::GET, "/screenshot", None);
            let png = base64::engine::general_purpose::STANDARD.decode(data.as_str().unwrap_or_default()).expect("screenshot base64");
            std::fs::write(&path, png).expect("write screenshot");
        }
        path
    }

    /// Closes the app (the session's end quits it).
    pub fn close(mut self) {
        self.end();
    }

    fn end(&mut self) {
        if !self.url.is_empty() {
            let _ = self.client.delete(&self.url).send();
            self.url.clear();
        }
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        if std::thread::panicking() && !self.url.is_empty() {
            self.screenshot("failure");
        }
        self.end();
    }
}
