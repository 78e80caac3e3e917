use std::process::ExitCode;

fn main() -> ExitCode {
    vendorlink::cli::run()
}
