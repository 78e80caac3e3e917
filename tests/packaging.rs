//! The two programs as a server admin and a desktop user meet them: the command line runs
//! without any GUI library (so it installs on a headless machine), and hands over to the window
//! when it is asked to open it.
mod support;

use std::process::Command;

use support::{binary, text};

/// The shared libraries `ldd` says a binary loads, by file name.
fn shared_libraries(program: &str) -> Vec<String> {
    let out = Command::new("ldd").arg(binary(program)).output().expect("run ldd");
    assert!(out.status.success(), "ldd {program}: {}", text(&out.stderr));
    text(&out.stdout).lines().filter_map(|line| line.split_whitespace().next()).map(str::to_owned).collect()
}

fn is_gui_library(name: &str) -> bool {
    ["libgtk", "libgdk", "libwebkit", "libjavascriptcore", "libsoup"].iter().any(|prefix| name.starts_with(prefix))
}

#[test]
fn the_command_line_links_no_gui_library_while_the_window_does() {
    let cli = shared_libraries("vendorlink");
    let gui: Vec<&String> = cli.iter().filter(|lib| is_gui_library(lib)).collect();
    assert!(gui.is_empty(), "vendorlink loads GUI libraries: {gui:?}");
    assert!(cli.iter().any(|lib| lib.starts_with("libc.so")), "ldd listed no libc, so it was not read right: {cli:?}");
    let app = shared_libraries("vendorlink-app");
    assert!(app.iter().any(|lib| lib.starts_with("libwebkit2gtk")), "the window should load WebKitGTK: {app:?}");
    assert!(cli.len() * 3 < app.len(), "the command line loads {} libraries, the window {}", cli.len(), app.len());
}

#[test]
fn the_command_line_runs_without_a_display_and_hands_over_to_the_window() {
    let headless = |args: &[&str]| Command::new(binary("vendorlink")).args(args).env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY").output().expect("run vendorlink");
    let version = headless(&["--version"]);
    assert!(version.status.success(), "{}", text(&version.stderr));
    assert_eq!(text(&version.stdout).trim(), format!("vendorlink {}", env!("CARGO_PKG_VERSION")));

    // With no subcommand it starts the window beside it, which says why it cannot open here.
    for args in [&[][..], &["gui"][..]] {
        let out = headless(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("no graphical display is available"), "{args:?}: {}", text(&out.stderr));
    }
}
