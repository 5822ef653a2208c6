//! The envgate command line: parses arguments, calls the library, prints, and maps
//! the outcome to an exit code in one place (0 clean, 1 findings at or above
//! `--fail-on`, 2 usage, config or policy errors).

// See lib.rs: the error type is large by design and only built on the way out.
#![allow(clippy::result_large_err)]

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use envgate::collect::{CollectOptions, collect};
use envgate::error::Error;
use envgate::host::{Host, ImageHost, LiveHost};
use envgate::policy::Severity;
use envgate::policy::engine::PolicySet;
use envgate::render::{self, HumanOptions, Symbols};
use envgate::report::Report;
use envgate::snapshot::Snapshot;

#[derive(Parser)]
#[command(
    name = "envgate",
    version,
    about = "Policy-as-code checks for developer environments"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check this machine and print a grouped checklist with fixes.
    Doctor(DoctorArgs),
    /// Check this machine, an image root or a saved snapshot: the gate form.
    Check(CheckArgs),
    /// Audit developer machine images that are not running, per user, in one report.
    Audit(AuditArgs),
    /// Print the snapshot the checks judge (secrets redacted).
    Snapshot(SnapshotArgs),
    /// Explain a rule: what it checks, why, and how to fix it.
    Explain(ExplainArgs),
    /// List the rules of every loaded pack.
    Policies(PoliciesArgs),
    /// Run the Rego unit tests (`test_*` rules) of policy packs.
    Verify(VerifyArgs),
}

#[derive(Args)]
struct PolicyArgs {
    /// Add a directory of policy packs (or one pack); repeatable.
    #[arg(long = "policy", value_name = "DIR")]
    policy_dirs: Vec<PathBuf>,
}

#[derive(Args)]
struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Plain ASCII output without colours (also when stdout is not a terminal or NO_COLOR is set).
    #[arg(long)]
    no_color: bool,
    /// Show the evidence behind each finding.
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Args)]
struct DoctorArgs {
    #[command(flatten)]
    policies: PolicyArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Run nothing, not even `go env`; everything is read from files.
    #[arg(long, conflicts_with = "probe")]
    no_exec: bool,
    /// Also check that the toolchain really works: build a hello-world module in a temp
    /// dir (cgo off, then on), offline and with GOTOOLCHAIN=local.
    #[arg(long)]
    probe: bool,
    /// Exit 1 when a finding is at or above this severity (default: the doctor always exits 0 after a diagnosis).
    #[arg(long, value_enum, default_value_t = FailOn::Never)]
    fail_on: FailOn,
    /// The project directory whose go.mod/go.work are checked (default: the current directory).
    #[arg(value_name = "PATH")]
    workspace: Option<PathBuf>,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    policies: PolicyArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Check an image root (a directory holding a root filesystem) instead of this machine.
    #[arg(long, value_name = "DIR", conflicts_with = "snapshot")]
    root: Option<PathBuf>,
    /// With --root: the account to check (default: the first regular user, else root).
    #[arg(long, value_name = "NAME", requires = "root")]
    user: Option<String>,
    /// Judge a snapshot saved by `envgate snapshot -o FILE`.
    #[arg(long, value_name = "FILE")]
    snapshot: Option<PathBuf>,
    /// Run nothing, not even `go env`.
    #[arg(long)]
    no_exec: bool,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Files and directories to check (`-` reads standard input); only the files are
    /// judged unless --machine is given. With --root: one PATH, the project directory
    /// inside the image whose go.mod/go.work are checked.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// With file PATHs: check this machine too (its go.mod/go.work from the first
    /// directory given, else the current directory).
    #[arg(long, conflicts_with_all = ["root", "snapshot"])]
    machine: bool,
    /// Walk directories without skipping what .gitignore ignores.
    #[arg(long)]
    no_ignore: bool,
    /// Skip files whose path or name matches GLOB (repeatable), e.g. `testdata/**`.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// How standard input (`-`) is parsed (default: JSON when it starts with `{` or `[`, else YAML).
    #[arg(long, value_name = "KIND", value_parser = clap::builder::PossibleValuesParser::new(envgate::files::detect::Syntax::NAMES))]
    parser: Option<String>,
    /// Exit 2 when any file cannot be parsed (default: only when no file could be judged).
    #[arg(long)]
    strict: bool,
}

#[derive(Args)]
struct AuditArgs {
    #[command(flatten)]
    policies: PolicyArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// An image root (a directory holding a root filesystem); repeatable.
    #[arg(
        long = "root",
        value_name = "DIR",
        required_unless_present = "roots_from"
    )]
    roots: Vec<PathBuf>,
    /// A file listing image roots, one per line (`#` comments).
    #[arg(long, value_name = "FILE")]
    roots_from: Option<PathBuf>,
    /// Audit exactly these accounts (repeatable); default: every regular user with a
    /// home directory and a login shell.
    #[arg(long = "user", value_name = "NAME")]
    users: Vec<String>,
    /// Also audit root.
    #[arg(long)]
    with_root: bool,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
}

#[derive(Args)]
struct SnapshotArgs {
    /// Snapshot an image root instead of this machine.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// With --root: the account to snapshot.
    #[arg(long, value_name = "NAME", requires = "root")]
    user: Option<String>,
    /// Run nothing, not even `go env`.
    #[arg(long, conflicts_with = "probe")]
    no_exec: bool,
    /// Record the outcome of building a hello-world module (as `doctor --probe`).
    #[arg(long, conflicts_with = "root")]
    probe: bool,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The project directory whose go.mod/go.work are recorded.
    #[arg(value_name = "PATH")]
    workspace: Option<PathBuf>,
}

#[derive(Args)]
struct ExplainArgs {
    #[command(flatten)]
    policies: PolicyArgs,
    /// A rule id such as GO013 (case does not matter).
    id: String,
}

#[derive(Args)]
struct PoliciesArgs {
    #[command(flatten)]
    policies: PolicyArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Args)]
struct VerifyArgs {
    /// Pack directories to test (default: the built-in packs).
    dirs: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// What a command achieved, before it becomes an exit code.
enum Outcome {
    Clean,
    FindingsAtThreshold,
    /// Files could not be parsed (`check --strict`, or nothing could be judged); the
    /// report says where.
    FileErrors,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Doctor(args) => doctor(args),
        Command::Check(args) => check(args),
        Command::Audit(args) => audit(args),
        Command::Snapshot(args) => snapshot(args),
        Command::Explain(args) => explain(args),
        Command::Policies(args) => policies(args),
        Command::Verify(args) => verify(args),
    };
    // The one place outcomes become exit codes.
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::FindingsAtThreshold) => ExitCode::from(1),
        Ok(Outcome::FileErrors) => ExitCode::from(2),
        Err(error) => {
            eprintln!("{:?}", miette::Report::new(error));
            ExitCode::from(2)
        }
    }
}

fn doctor(args: DoctorArgs) -> Result<Outcome, Error> {
    let policies = envgate::load_machine_policies(&args.policies.policy_dirs)?;
    let host = LiveHost::from_process(!args.no_exec);
    let workspace = args.workspace.or_else(|| std::env::current_dir().ok());
    let snapshot = collect(
        &host,
        &CollectOptions {
            workspace: workspace.map(absolute),
            user: None,
            probe: args.probe,
        },
    );
    let report = envgate::evaluate(&policies, &snapshot, Some(&host))?;
    emit(&report, &args.output)?;
    Ok(outcome(&report, args.fail_on))
}

fn check(args: CheckArgs) -> Result<Outcome, Error> {
    if args.root.is_none() && args.snapshot.is_none() && !args.paths.is_empty() {
        return check_files(args);
    }
    if args.paths.len() > 1 || (args.snapshot.is_some() && !args.paths.is_empty()) {
        return Err(Error::Usage(
            "with --root, PATH is one project directory inside the image; --snapshot takes no PATH (file checks are for files of this machine)".into(),
        ));
    }
    // No files to judge: packs that judge nothing but files are not even compiled.
    let policies = envgate::load_machine_policies(&args.policies.policy_dirs)?;
    let report = if let Some(file) = &args.snapshot {
        let snapshot = envgate::read_snapshot(file)?;
        envgate::evaluate(&policies, &snapshot, None)?
    } else {
        let host = open_host(args.root.as_deref(), args.no_exec)?;
        let workspace = match (&args.root, args.paths.into_iter().next()) {
            (Some(_), workspace) => workspace,
            (None, workspace) => workspace
                .or_else(|| std::env::current_dir().ok())
                .map(absolute),
        };
        let snapshot = collect(
            host.as_ref(),
            &CollectOptions {
                workspace,
                user: args.user,
                probe: false,
            },
        );
        require_user(&snapshot, args.root.as_deref())?;
        envgate::evaluate(&policies, &snapshot, Some(host.as_ref()))?
    };
    emit(&report, &args.output)?;
    Ok(outcome(&report, args.fail_on))
}

/// `envgate check PATH…`: the files alone (the pre-commit case: no machine collector
/// runs), or with `--machine` the files and this machine together.
fn check_files(args: CheckArgs) -> Result<Outcome, Error> {
    // Alone, the files need only the packs that judge files.
    let policies = if args.machine {
        envgate::load_policies(&args.policies.policy_dirs)?
    } else {
        envgate::load_policies_where(
            &args.policies.policy_dirs,
            envgate::policy::engine::sources_read_files,
        )?
    };
    let options = envgate::files::CheckOptions {
        no_ignore: args.no_ignore,
        exclude: args.exclude,
        stdin_syntax: args
            .parser
            .as_deref()
            .and_then(envgate::files::detect::Syntax::from_name),
        // Alone, the files go straight to the engine; with --machine they join the
        // snapshot, content and all.
        engine_input: (!args.machine).then(|| envgate::files::EngineInput {
            positions: policies.file_rules_read_positions(),
        }),
    };
    let files = envgate::files::check(&args.paths, &options)?;
    let unjudged = files.summary.errors > 0
        && (args.strict || files.documents.iter().all(|d| d.error.is_some()));
    let report = if args.machine {
        let host = LiveHost::from_process(!args.no_exec);
        let workspace = args
            .paths
            .iter()
            .find(|p| p.is_dir())
            .cloned()
            .or_else(|| std::env::current_dir().ok())
            .map(absolute);
        let snapshot = collect(
            &host,
            &CollectOptions {
                workspace,
                user: None,
                probe: false,
            },
        );
        envgate::files::evaluate::evaluate_with_machine(&policies, snapshot, Some(&host), files)?
    } else {
        envgate::files::evaluate::evaluate_files(&policies, files)?
    };
    emit(&report, &args.output)?;
    Ok(if unjudged {
        Outcome::FileErrors
    } else {
        outcome(&report, args.fail_on)
    })
}

fn audit(args: AuditArgs) -> Result<Outcome, Error> {
    let policies = envgate::load_machine_policies(&args.policies.policy_dirs)?;
    let mut roots = args.roots;
    if let Some(file) = &args.roots_from {
        roots.extend(envgate::audit::read_roots_file(file)?);
    }
    if roots.is_empty() {
        return Err(Error::Usage(
            "no image roots to audit (give --root DIR or --roots-from FILE)".into(),
        ));
    }
    let selection = envgate::audit::UserSelection {
        names: args.users,
        include_root: args.with_root,
    };
    let report = envgate::audit::audit(&policies, &roots, &selection)?;
    let text = match args.output.format {
        Format::Json => {
            let mut text =
                serde_json::to_string_pretty(&report).expect("an audit report serializes");
            text.push('\n');
            text
        }
        Format::Human => render::audit::render(&report, &human_options(&args.output)),
    };
    write_or_print(&text, args.output.output.as_deref())?;
    if report.summary.images_failed > 0 {
        return Err(Error::BadInput {
            message: format!(
                "{} of {} images could not be audited (see the report)",
                report.summary.images_failed, report.summary.images
            ),
            help: Some(
                "check that each --root is a readable root filesystem with an /etc/passwd".into(),
            ),
            src: None,
            span: None,
        });
    }
    let findings = report
        .images
        .iter()
        .flat_map(|i| &i.users)
        .flat_map(|r| &r.findings);
    Ok(match args.fail_on.threshold() {
        Some(threshold) if findings.clone().any(|f| f.severity >= threshold) => {
            Outcome::FindingsAtThreshold
        }
        _ => Outcome::Clean,
    })
}

fn snapshot(args: SnapshotArgs) -> Result<Outcome, Error> {
    let host = open_host(args.root.as_deref(), args.no_exec)?;
    let workspace = match &args.root {
        Some(_) => args.workspace,
        None => args
            .workspace
            .or_else(|| std::env::current_dir().ok())
            .map(absolute),
    };
    let snapshot = collect(
        host.as_ref(),
        &CollectOptions {
            workspace,
            user: args.user,
            probe: args.probe,
        },
    );
    require_user(&snapshot, args.root.as_deref())?;
    let mut text = serde_json::to_string_pretty(&snapshot).expect("a snapshot always serializes");
    text.push('\n');
    write_or_print(&text, args.output.as_deref())?;
    Ok(Outcome::Clean)
}

fn explain(args: ExplainArgs) -> Result<Outcome, Error> {
    let policies = envgate::load_policies(&args.policies.policy_dirs)?;
    let wanted = args.id.to_ascii_uppercase();
    let rule = policies
        .rules()
        .find(|r| r.id.eq_ignore_ascii_case(&wanted) || r.name == args.id)
        .ok_or_else(|| {
            Error::Usage(format!(
                "no rule {} (see `envgate policies` for the list)",
                args.id
            ))
        })?;
    let version = policies
        .packs
        .iter()
        .find(|p| p.name == rule.pack)
        .map(|p| p.version.as_str())
        .unwrap_or("?");
    let mut out = format!(
        "{} ({}): {}\n\nSeverity: {}\nCategory: {}\nPack: {} {} (since {})\nSource: {}:{}\n\n{}\n\nFix (template):\n",
        rule.id,
        rule.name,
        rule.title,
        rule.severity.as_str(),
        rule.category,
        rule.pack,
        version,
        rule.since,
        rule.file,
        rule.line,
        rule.description
    );
    for line in rule.remediation.trim_end().lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    if !rule.related.is_empty() {
        out.push_str("\nReferences:\n");
        for reference in &rule.related {
            out.push_str(&format!("  - {reference}\n"));
        }
    }
    print!("{out}");
    Ok(Outcome::Clean)
}

fn policies(args: PoliciesArgs) -> Result<Outcome, Error> {
    let policies = envgate::load_policies(&args.policies.policy_dirs)?;
    match args.format {
        Format::Json => {
            let rules: Vec<_> = policies.rules().collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&rules).expect("rules serialize")
            );
        }
        Format::Human => {
            for pack in &policies.packs {
                println!(
                    "{} {} ({}): {}",
                    pack.name, pack.version, pack.origin, pack.title
                );
                for rule in &pack.rules {
                    println!(
                        "  {:<7} {:<8} {:<20} {}",
                        rule.id,
                        rule.severity.as_str(),
                        rule.category,
                        rule.title
                    );
                }
            }
        }
    }
    Ok(Outcome::Clean)
}

fn verify(args: VerifyArgs) -> Result<Outcome, Error> {
    let packs = if args.dirs.is_empty() {
        envgate::policy::builtin_packs()?
    } else {
        let mut packs = Vec::new();
        for dir in &args.dirs {
            packs.extend(envgate::policy::load_dir(dir)?);
        }
        packs
    };
    // Compile first so syntax errors surface as diagnostics, not failed tests.
    let set = PolicySet::compile(packs)?;
    let results = envgate::policy::testing::run_tests(&set.packs)?;
    let failed = results.iter().filter(|r| !r.passed).count();
    for result in &results {
        let status = if result.passed { "PASS" } else { "FAIL" };
        println!("{status} {}:{} {}", result.file, result.line, result.name);
        if let Some(detail) = &result.detail {
            println!("     {detail}");
        }
    }
    println!("{} passed, {} failed", results.len() - failed, failed);
    Ok(if failed > 0 {
        Outcome::FindingsAtThreshold
    } else {
        Outcome::Clean
    })
}

fn open_host(root: Option<&Path>, no_exec: bool) -> Result<Box<dyn Host>, Error> {
    Ok(match root {
        Some(root) => Box::new(ImageHost::new(root).map_err(|e| Error::BadInput {
            message: format!("cannot use {} as an image root: {e}", root.display()),
            help: Some(
                "--root takes a directory holding a root filesystem (with etc/, usr/ …)".into(),
            ),
            src: None,
            span: None,
        })?),
        None => Box::new(LiveHost::from_process(!no_exec)),
    })
}

/// `--user NAME` that the image does not have is a usage error, not an empty check.
fn require_user(snapshot: &Snapshot, root: Option<&Path>) -> Result<(), Error> {
    if root.is_some() && snapshot.host.user.is_none() {
        return Err(Error::BadInput {
            message: "no such user in the image's /etc/passwd".into(),
            help: Some("name an account listed in <root>/etc/passwd with --user".into()),
            src: None,
            span: None,
        });
    }
    Ok(())
}

fn emit(report: &Report, output: &OutputArgs) -> Result<(), Error> {
    let text = match output.format {
        Format::Json => render::json(report),
        Format::Human => render::human::render(report, &human_options(output)),
    };
    write_or_print(&text, output.output.as_deref())
}

/// Plain ASCII without colour for files, pipes, `--no-color` and `NO_COLOR`.
fn human_options(output: &OutputArgs) -> HumanOptions {
    let plain = output.no_color
        || output.output.is_some()
        || std::env::var_os("NO_COLOR").is_some()
        || !std::io::stdout().is_terminal();
    HumanOptions {
        symbols: if plain {
            Symbols::Ascii
        } else {
            Symbols::Unicode
        },
        color: !plain,
        verbose: output.verbose,
        width: 100,
    }
}

fn write_or_print(text: &str, output: Option<&Path>) -> Result<(), Error> {
    match output {
        Some(path) => envgate::output::write_atomically(path, text),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn outcome(report: &Report, fail_on: FailOn) -> Outcome {
    match fail_on.threshold() {
        Some(threshold) if report.findings.iter().any(|f| f.severity >= threshold) => {
            Outcome::FindingsAtThreshold
        }
        _ => Outcome::Clean,
    }
}

fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}
