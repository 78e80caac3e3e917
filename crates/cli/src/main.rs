//! `vendorlink`, the command line: the same engine as the window, for scripts and automation.
//! It links no GUI library, so it installs on a server; with no subcommand (or `gui`) it hands
//! over to the window, `vendorlink-app`, when that is installed beside it.

mod grant;
mod progress;
mod window;

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use vendorlink_engine::sources::{Sources, SANDBOX_ENV};
use vendorlink_engine::Error;
use vendorlink_model::{CredentialSource, KeychainEntry};

#[derive(Debug, Parser)]
#[command(name = "vendorlink", version, about = "Grant a SaaS vendor private access to a database in your AWS account, and take it back.")]
struct Cli {
    /// Print machine-readable JSON instead of text (errors too, as {"error": {...}}).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the window (the default with no subcommand).
    Gui,
    /// List the credentials VendorLink can use: sandbox, AWS profiles, keychain entries.
    Sources,
    /// Show who the chosen credentials are (STS GetCallerIdentity).
    Whoami(SourceArgs),
    /// Store, list or remove access key pairs in the OS keychain.
    #[command(subcommand)]
    Keychain(KeychainCommand),
    /// Check, before any change, that the credentials may make every call a grant needs.
    Preflight(grant::PreflightArgs),
    /// List VPCs, subnets (with AZ IDs), databases and earlier grants in a region, or all.
    Discover(grant::DiscoverArgs),
    /// Work out what a grant would create and record it; changes nothing in AWS.
    Plan(Box<grant::PlanArgs>),
    /// Create a planned grant's resources.
    Apply(grant::RunArgs),
    /// Forget a planned grant that never ran; a grant that ran is taken back by `revoke` instead.
    Discard {
        /// The grant id.
        grant: String,
    },
    /// Write a grant's record (plan, journal, revoke proofs; no secret) to a file, for another
    /// machine to `adopt`.
    Export {
        /// The grant id.
        grant: String,
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Record here a grant exported on another machine, to manage it from here; AWS is asked
    /// first whether every resource its record names carries the grant's tag.
    Adopt {
        /// The file `vendorlink export` wrote.
        file: std::path::PathBuf,
        /// The credentials to check it with (the grant's own are on the other machine).
        #[command(flatten)]
        source: SourceArgs,
    },
    /// Finish a grant whose apply was interrupted (same as apply; the journal says where to pick up).
    Resume(grant::RunArgs),
    /// What exists for a grant, by its journal and by tag; without an id, list grants.
    Status(grant::StatusArgs),
    /// Take a grant back and prove it: principals, connections, role sessions, role, rules, then
    /// (unless --access-only) the network. Safe to run again after an interruption.
    Revoke(grant::RevokeArgs),
    /// Register the database's current IPs on the load balancer and deregister old ones.
    ResyncTargets(grant::ResyncArgs),
    /// The summary to send the vendor (Markdown, JSON or printable HTML), from what exists now.
    Handoff(grant::HandoffArgs),
    /// The endpoint connections to a grant's service, flagged when not the vendor's; accept or reject them.
    Connections(grant::ConnectionsArgs),
    /// A grant's history as JSON Lines: one line per run, with who, when and every AWS request id.
    Audit {
        /// The grant id.
        grant: String,
    },
    /// Writes the manual pages (`vendorlink.1` and one per subcommand) into a folder; the
    /// release packaging calls it, so the pages always match these definitions.
    #[command(hide = true)]
    Man {
        /// The folder to write them to.
        out_dir: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum KeychainCommand {
    /// Store a key pair. The secret access key is read from standard input, never from arguments.
    Add {
        /// A name to pick it by later.
        name: String,
        #[arg(long)]
        access_key_id: String,
        #[arg(long)]
        region: Option<String>,
        /// The MFA device ARN of the key's user, when its policies require MFA.
        #[arg(long)]
        mfa_serial: Option<String>,
    },
    /// List stored entries (key ids masked, no secrets).
    List,
    /// Delete a stored entry.
    Remove { name: String },
}

/// Which credentials to use: one of these, else the sandbox when it runs, else `AWS_PROFILE` or "default".
#[derive(Debug, Args)]
pub(crate) struct SourceArgs {
    /// An AWS profile from ~/.aws/config or ~/.aws/credentials.
    #[arg(long, env = "AWS_PROFILE", conflicts_with_all = ["keychain", "sandbox"])]
    profile: Option<String>,
    /// A key pair stored with `vendorlink keychain add`.
    #[arg(long, conflicts_with = "sandbox")]
    keychain: Option<String>,
    /// The sandbox: the local AWS emulator that VENDORLINK_SANDBOX_ENDPOINT names.
    #[arg(long)]
    sandbox: bool,
    /// Override the region.
    #[arg(long)]
    region: Option<String>,
    /// The code from the MFA device, for a keychain entry or profile that has one.
    #[arg(long)]
    mfa_code: Option<String>,
}

impl SourceArgs {
    /// The source named on the command line, if any.
    fn explicit(&self) -> Option<CredentialSource> {
        if self.sandbox {
            Some(CredentialSource::Sandbox)
        } else if let Some(name) = &self.keychain {
            Some(CredentialSource::Keychain { name: name.clone() })
        } else {
            self.profile.as_ref().map(|name| CredentialSource::Profile { name: name.clone() })
        }
    }

    /// Exchanges the MFA code, when one was given, for this process's session.
    async fn unlock(&self, sources: &Sources) -> Result<(), Error> {
        if let Some(code) = &self.mfa_code {
            sources.unlock_mfa(&self.source(sources), code, self.region.clone()).await?;
        }
        Ok(())
    }

    fn source(&self, sources: &Sources) -> CredentialSource {
        if let Some(source) = self.explicit() {
            source
        } else if sources.sandbox.is_some() {
            CredentialSource::Sandbox
        } else {
            CredentialSource::Profile { name: "default".into() }
        }
    }
}

/// Parses the arguments and runs; the exit code says how it went (see [`Error::exit_code`]).
fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    let command = match cli.command {
        None | Some(Command::Gui) => return window::open(),
        Some(Command::Man { out_dir }) => return write_manual(&out_dir),
        Some(command) => command,
    };
    // The log file always (what the journal holds, no secret); standard error only with RUST_LOG.
    vendorlink_engine::logging::init(None);
    let result =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| Error::Internal(e.to_string())).and_then(|runtime| runtime.block_on(execute(command, json)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report_error(&err, json);
            ExitCode::from(err.exit_code())
        }
    }
}

async fn execute(command: Command, json: bool) -> Result<(), Error> {
    let sources = Sources::from_env();
    match command {
        Command::Gui | Command::Man { .. } => unreachable!("handled before the runtime starts"),
        Command::Sources => {
            let list = sources.list();
            for problem in &list.problems {
                eprintln!("warning: {}\n  hint: {}", problem.message, problem.hint);
            }
            if json {
                return print_json(&list);
            }
            if list.sources.is_empty() {
                println!("No credentials found. Run `aws configure`, or store a key with `vendorlink keychain add`.");
            }
            for option in &list.sources {
                println!("{:<9} {:<24} {}", format!("{:?}", option.kind).to_lowercase(), option.label, option.detail);
            }
            Ok(())
        }
        Command::Whoami(args) => {
            args.unlock(&sources).await?;
            let source = args.source(&sources);
            let identity = sources.identify(&source, args.region.clone()).await?;
            if json {
                return print_json(&identity);
            }
            println!("Source:   {source}");
            println!("Account:  {}", identity.account);
            println!("ARN:      {}", identity.arn);
            println!("Region:   {}", identity.region);
            if let Some(endpoint) = &identity.endpoint {
                println!("Endpoint: {endpoint}");
            }
            Ok(())
        }
        Command::Keychain(KeychainCommand::Add { name, access_key_id, region, mfa_serial }) => {
            let secret_access_key = read_secret()?;
            let entry = KeychainEntry { name, access_key_id, secret_access_key, region, mfa_serial };
            let option = sources.save_key(&entry)?;
            if json {
                return print_json(&option);
            }
            println!("Stored \"{}\" in the OS keychain ({}).", option.label, option.detail);
            Ok(())
        }
        Command::Keychain(KeychainCommand::List) => {
            let entries = sources.keychain.list()?;
            if json {
                return print_json(&entries);
            }
            if entries.is_empty() {
                println!("No key pairs stored.");
            }
            for entry in entries {
                println!("{:<24} {} {}", entry.name, entry.access_key_hint, entry.region.unwrap_or_default());
            }
            Ok(())
        }
        Command::Preflight(args) => grant::preflight(&sources, args, json).await,
        Command::Discover(args) => grant::discover(&sources, args, json).await,
        Command::Plan(args) => grant::plan(&sources, *args, json).await,
        Command::Apply(args) => grant::apply(&sources, args, "apply", json).await,
        Command::Resume(args) => grant::apply(&sources, args, "resume", json).await,
        Command::Status(args) => grant::status(&sources, args, json).await,
        Command::Revoke(args) => grant::revoke(&sources, args, json).await,
        Command::ResyncTargets(args) => grant::resync(&sources, args, json).await,
        Command::Handoff(args) => grant::handoff(&sources, args, json).await,
        Command::Connections(args) => grant::connections(&sources, args, json).await,
        Command::Audit { grant } => grant::audit(&grant),
        Command::Discard { grant } => grant::discard(&grant, json),
        Command::Export { grant, out } => grant::export(&grant, out.as_deref()),
        Command::Adopt { file, source } => grant::adopt(&sources, &file, &source, json).await,

        Command::Keychain(KeychainCommand::Remove { name }) => {
            sources.delete_key(&name)?;
            if json {
                return print_json(&serde_json::json!({ "removed": name }));
            }
            println!("Removed \"{name}\" from the OS keychain.");
            Ok(())
        }
    }
}

/// The manual pages, for the package: no log, no runtime, no credentials.
fn write_manual(out_dir: &std::path::Path) -> ExitCode {
    use clap::CommandFactory;
    match clap_mangen::generate_to(Cli::command(), out_dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: could not write the manual pages to {}: {err}", out_dir.display());
            ExitCode::FAILURE
        }
    }
}

/// One line from standard input, prompting without echo on a terminal.
fn read_secret() -> Result<String, Error> {
    let stdin = std::io::stdin();
    let secret = if stdin.is_terminal() {
        rpassword::prompt_password("Secret access key: ").map_err(|e| Error::Internal(format!("could not read the secret: {e}")))?
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| Error::Internal(format!("could not read the secret from standard input: {e}")))?;
        line
    };
    Ok(secret.trim_end_matches(['\r', '\n']).to_owned())
}

/// Set once a command has printed its JSON document: `--json` output is exactly one document,
/// so an error that follows (an incomplete revoke after its record) goes to stderr as text.
static DOCUMENT_PRINTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn print_json<T: Serialize>(value: &T) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| Error::Internal(e.to_string()))?;
    DOCUMENT_PRINTED.store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}

/// For a command that printed its JSON document itself (`handoff --format json`).
fn document_printed() {
    DOCUMENT_PRINTED.store(true, std::sync::atomic::Ordering::SeqCst);
}

fn report_error(err: &Error, json: bool) {
    if json && !DOCUMENT_PRINTED.load(std::sync::atomic::Ordering::SeqCst) {
        let text = serde_json::to_string_pretty(&serde_json::json!({ "error": err.payload() })).unwrap_or_default();
        println!("{text}");
        return;
    }
    eprintln!("error: {err}");
    for field in err.payload().fields {
        eprintln!("  {}: {}", field.field, field.message);
    }
    eprintln!("  hint: {}", err.hint());
    if matches!(err, Error::SandboxUnavailable) {
        eprintln!("  ({SANDBOX_ENV} is not set in this environment.)");
    }
}
