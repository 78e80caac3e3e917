//! `vendorlink` without a subcommand opens the window: a separate program, so that this one
//! needs no GUI library.

use std::path::PathBuf;
use std::process::ExitCode;

/// The window's program name, installed beside `vendorlink` (the `.deb` ships both).
const APP: &str = "vendorlink-app";

/// Replaces this process with the window; returns only when it cannot be started.
pub fn open() -> ExitCode {
    let Some(app) = locate() else {
        eprintln!("error: the window ({APP}) is not installed beside this command line.");
        eprintln!("  hint: install the VendorLink desktop package, or use the subcommands (`vendorlink --help`).");
        return ExitCode::from(2);
    };
    let mut command = std::process::Command::new(&app);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let err = command.exec();
        eprintln!("error: could not start {}: {err}", app.display());
        ExitCode::FAILURE
    }
    #[cfg(not(unix))]
    match command.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: could not start {}: {err}", app.display());
            ExitCode::FAILURE
        }
    }
}

/// Beside this binary first (an install or a build folder), then on `PATH`.
fn locate() -> Option<PathBuf> {
    let file = format!("{APP}{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join(&file)));
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>()).map(|dir| dir.join(&file));
    beside.into_iter().chain(on_path).find(|path| path.is_file())
}
