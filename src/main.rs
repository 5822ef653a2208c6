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
use envgate::config::redirects::Redirects;
use envgate::config::{self, LoadedConfig};
use envgate::error::Error;
use envgate::host::{Host, ImageHost, LiveHost};
use envgate::policy::Severity;
use envgate::policy::diff::{Version, in_version};
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
    /// List the rules of every loaded pack; `lint` and `diff` check and compare packs.
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
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
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
    #[command(flatten)]
    config: ConfigArgs,
    /// Run nothing, not even `go env`; everything is read from files.
    #[arg(long, conflicts_with = "probe")]
    no_exec: bool,
    /// Also check that the toolchain really works: build a hello-world module in a temp
    /// dir (cgo off, then on), offline and with GOTOOLCHAIN=local.
    #[arg(long)]
    probe: bool,
    /// Exit 1 when a finding is at or above this severity (default: `fail-on` of
    /// .envgate.yaml, else never: the doctor exits 0 after a diagnosis).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
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
    #[command(flatten)]
    config: ConfigArgs,
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
    /// Exit 1 when a finding is at or above this severity (default: `fail-on` of
    /// .envgate.yaml, else error).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
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
    #[command(flatten)]
    config: ConfigArgs,
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
    /// Exit 1 when a finding is at or above this severity (default: `fail-on` of
    /// .envgate.yaml, else error).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
}

/// The configuration file of doctor, check and audit.
#[derive(Args)]
struct ConfigArgs {
    /// Use this configuration file instead of the .envgate.yaml (or .envgate.yml) found
    /// walking up from the checked path (for --root, --snapshot and audit: from the
    /// current directory).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
}

/// A run's configuration file, with the table of renamed rule ids its ids go through.
struct RunConfig {
    file: LoadedConfig,
    redirects: Redirects,
}

impl ConfigArgs {
    /// `--config FILE`, else the file found from `start` (a path being checked).
    /// `policy_dirs` (`--policy`) may hold user packs with their own renames.
    fn load(&self, start: &Path, policy_dirs: &[PathBuf]) -> Result<Option<RunConfig>, Error> {
        if self.no_config {
            return Ok(None);
        }
        let path = match &self.config {
            Some(path) => path.clone(),
            None => match config::discover(&LoadedConfig::search_start(start)) {
                Some(found) => found,
                None => return Ok(None),
            },
        };
        let file = config::load(&path)?;
        let mut dirs = policy_dirs.to_vec();
        dirs.extend(file.policy_dirs());
        let redirects = Redirects::load(&dirs)?;
        Ok(Some(RunConfig { file, redirects }))
    }
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
#[command(args_conflicts_with_subcommands = true)]
struct PoliciesArgs {
    #[command(subcommand)]
    command: Option<PoliciesCommand>,
    #[command(flatten)]
    policies: PolicyArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Only the rules of this pack.
    #[arg(long, value_name = "NAME")]
    pack: Option<String>,
    /// Only the rules baseline VERSION contains: those whose `since` is not newer
    /// (`1.0` means `1.0.0`).
    #[arg(long, value_name = "VERSION")]
    since: Option<String>,
}

#[derive(Subcommand)]
enum PoliciesCommand {
    /// Check policy packs: complete METADATA, unique ids, a valid manifest, rules their
    /// tests make fire, remediations that render, no unknown functions.
    Lint(LintArgs),
    /// What changed from one baseline version to another: the rules each pack added.
    Diff(DiffArgs),
}

#[derive(Args)]
struct LintArgs {
    /// Pack directories to lint (default: the built-in packs).
    dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Args)]
struct DiffArgs {
    #[command(flatten)]
    policies: PolicyArgs,
    /// The baseline version to compare from, e.g. 1.0.
    old: String,
    /// The baseline version to compare to, e.g. 1.1.
    new: String,
    /// Only this pack.
    #[arg(long, value_name = "NAME")]
    pack: Option<String>,
}

#[derive(Args)]
struct VerifyArgs {
    /// Pack directories to test (default: the built-in packs).
    dirs: Vec<PathBuf>,
    /// Also report the lines of rule and library files that no test evaluated.
    #[arg(long)]
    coverage: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// The formats of a check's report. Apart from `Format` because only reports have
/// machine formats: `policies --format sarif` would mean nothing.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// The grouped checklist, with the offending lines and the fixes.
    Human,
    /// The report as `schemas/report.schema.json` describes it.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning (`upload-sarif`) and other SARIF viewers.
    Sarif,
    /// JUnit XML for GitLab, Jenkins and Azure DevOps test reports.
    Junit,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
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
    envgate::timings::begin();
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
    envgate::timings::mark("free memory");
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
    let workspace = args.workspace.or_else(|| std::env::current_dir().ok());
    let config = args.config.load(
        workspace.as_deref().unwrap_or(Path::new(".")),
        &args.policies.policy_dirs,
    )?;
    let policies = load_configured(
        &args.policies.policy_dirs,
        envgate::keeps_machine_pack,
        config.as_ref(),
    )?;
    envgate::timings::mark("load packs");
    let host = LiveHost::from_process(!args.no_exec);
    let snapshot = collect(
        &host,
        &CollectOptions {
            workspace: workspace.map(absolute),
            user: None,
            probe: args.probe,
        },
    );
    envgate::timings::mark("collect");
    let mut report = envgate::evaluate(&policies, &snapshot, Some(&host))?;
    apply_config(&mut report, config.as_ref())?;
    emit(&report, &policies, &args.output)?;
    Ok(outcome(
        &report,
        fail_on(args.fail_on, config.as_ref(), FailOn::Never),
    ))
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
    // The config belongs to the host's working tree, never to the image checked.
    let config = match (&args.root, &args.snapshot, args.paths.first()) {
        (None, None, Some(workspace)) => args.config.load(workspace, &args.policies.policy_dirs)?,
        _ => args
            .config
            .load(Path::new("."), &args.policies.policy_dirs)?,
    };
    // No files to judge: packs that judge nothing but files are not even compiled.
    let policies = load_configured(
        &args.policies.policy_dirs,
        envgate::keeps_machine_pack,
        config.as_ref(),
    )?;
    let mut report = if let Some(file) = &args.snapshot {
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
    apply_config(&mut report, config.as_ref())?;
    emit(&report, &policies, &args.output)?;
    Ok(outcome(
        &report,
        fail_on(args.fail_on, config.as_ref(), FailOn::Error),
    ))
}

/// `envgate check PATH…`: the files alone (the pre-commit case: no machine collector
/// runs), or with `--machine` the files and this machine together.
fn check_files(args: CheckArgs) -> Result<Outcome, Error> {
    // `-` (standard input) has no place: the config is looked for from here.
    let first = args.paths.first().filter(|p| p.as_os_str() != "-");
    let config = args.config.load(
        first.map_or(Path::new("."), |p| p.as_path()),
        &args.policies.policy_dirs,
    )?;
    // Alone, the files need only the packs that judge files.
    let policies = if args.machine {
        load_configured(&args.policies.policy_dirs, |_| true, config.as_ref())?
    } else {
        load_configured(
            &args.policies.policy_dirs,
            envgate::policy::engine::sources_read_files,
            config.as_ref(),
        )?
    };
    let mut exclude = args.exclude;
    exclude.extend(
        config
            .iter()
            .flat_map(|c| c.file.config.exclude.iter().cloned()),
    );
    let options = envgate::files::CheckOptions {
        no_ignore: args.no_ignore,
        exclude,
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
    envgate::timings::mark("load packs");
    let files = envgate::files::check(&args.paths, &options)?;
    envgate::timings::mark("read and parse files");
    let unjudged = files.summary.errors > 0
        && (args.strict || files.documents.iter().all(|d| d.error.is_some()));
    let mut report = if args.machine {
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
    apply_config(&mut report, config.as_ref())?;
    emit(&report, &policies, &args.output)?;
    let result = if unjudged {
        Outcome::FileErrors
    } else {
        outcome(
            &report,
            fail_on(args.fail_on, config.as_ref(), FailOn::Error),
        )
    };
    // The process ends now: freeing 45,000 findings one by one would add a tenth of a
    // second to a large check for nothing.
    std::mem::forget(report);
    Ok(result)
}

fn audit(args: AuditArgs) -> Result<Outcome, Error> {
    // An audit is many reports (image × user); the CI formats describe one check.
    if !matches!(args.output.format, ReportFormat::Human | ReportFormat::Json) {
        return Err(Error::Usage(
            "audit writes human or json; for sarif, junit or github check each image with `envgate check --root DIR --user NAME --format FORMAT`".into(),
        ));
    }
    // Images are audited from the host: the config is looked for from here.
    let config = args
        .config
        .load(Path::new("."), &args.policies.policy_dirs)?;
    let policies = load_configured(
        &args.policies.policy_dirs,
        envgate::keeps_machine_pack,
        config.as_ref(),
    )?;
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
    envgate::timings::mark("load packs");
    let mut report = envgate::audit::audit(&policies, &roots, &selection)?;
    envgate::timings::mark("audit images");
    if let Some(config) = &config {
        config
            .file
            .apply_to_audit(&mut report, today()?, &config.redirects);
    }
    let text = match args.output.format {
        ReportFormat::Json => {
            let mut text =
                serde_json::to_string_pretty(&report).expect("an audit report serializes");
            text.push('\n');
            text
        }
        _ => render::audit::render(&report, &human_options(&args.output)),
    };
    envgate::timings::mark("render");
    write_or_print(&text, args.output.output.as_deref())?;
    if report.summary.images_failed > 0 {
        return Err(Error::BadInput {
            message: format!(
                "{} of {} images could not be audited (see the report)",
                report.summary.images_failed, report.summary.images
            ),
            help: Some(
                "the report says why for each one: a root that is not a readable root filesystem with an /etc/passwd, or a --user it does not have".into(),
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
    let threshold = fail_on(args.fail_on, config.as_ref(), FailOn::Error).threshold();
    Ok(match threshold {
        Some(threshold)
            if findings
                .clone()
                .any(|f| f.waiver.is_none() && f.severity >= threshold) =>
        {
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
    match args.command {
        Some(PoliciesCommand::Lint(lint)) => return policies_lint(lint),
        Some(PoliciesCommand::Diff(diff)) => return policies_diff(diff),
        None => {}
    }
    let policies = envgate::load_policies(&args.policies.policy_dirs)?;
    let since = args
        .since
        .as_deref()
        .map(|v| Version::parse_arg(v, "--since"))
        .transpose()?;
    let packs = select_packs(&policies.packs, args.pack.as_deref())?;
    let in_baseline = |rule: &&envgate::policy::Rule| since.is_none_or(|v| in_version(rule, v));
    match args.format {
        Format::Json => {
            let rules: Vec<_> = packs
                .iter()
                .flat_map(|p| &p.rules)
                .filter(in_baseline)
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&rules).expect("rules serialize")
            );
        }
        Format::Human => {
            for pack in packs {
                let rules: Vec<_> = pack.rules.iter().filter(in_baseline).collect();
                let baseline = since.map_or(String::new(), |v| {
                    format!(
                        " [baseline {v}: {} of {} rules]",
                        rules.len(),
                        pack.rules.len()
                    )
                });
                println!(
                    "{} {} ({}): {}{baseline}",
                    pack.name, pack.version, pack.origin, pack.title
                );
                for rule in rules {
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

/// The packs named by `--pack` (all when not given); an unknown name is a usage error.
fn select_packs<'a>(
    packs: &'a [envgate::policy::Pack],
    name: Option<&str>,
) -> Result<Vec<&'a envgate::policy::Pack>, Error> {
    let Some(name) = name else {
        return Ok(packs.iter().collect());
    };
    let selected: Vec<_> = packs.iter().filter(|p| p.name == name).collect();
    if selected.is_empty() {
        let names: Vec<&str> = packs.iter().map(|p| p.name.as_str()).collect();
        return Err(Error::Usage(format!(
            "no pack {name:?} (loaded: {}; add yours with --policy DIR)",
            names.join(", ")
        )));
    }
    Ok(selected)
}

fn policies_lint(args: LintArgs) -> Result<Outcome, Error> {
    let report = envgate::policy::lint::lint(&args.dirs)?;
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("a lint report serializes")
        ),
        Format::Human => print!("{}", report.render()),
    }
    Ok(if report.problems.is_empty() {
        Outcome::Clean
    } else {
        Outcome::FindingsAtThreshold
    })
}

fn policies_diff(args: DiffArgs) -> Result<Outcome, Error> {
    let old = Version::parse_arg(&args.old, "OLD")?;
    let new = Version::parse_arg(&args.new, "NEW")?;
    if old > new {
        return Err(Error::Usage(format!(
            "OLD ({old}) is newer than NEW ({new}); give the older version first"
        )));
    }
    let policies = envgate::load_policies(&args.policies.policy_dirs)?;
    let packs: Vec<envgate::policy::Pack> = select_packs(&policies.packs, args.pack.as_deref())?
        .into_iter()
        .cloned()
        .collect();
    let changes = envgate::policy::diff::changes(&packs, old, new);
    print!(
        "{}",
        envgate::policy::diff::render_changes(&changes, old, new)
    );
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
    let (results, coverage) = if args.coverage {
        let (results, coverage) = envgate::policy::testing::run_tests_with_coverage(&set.packs)?;
        (results, Some(coverage))
    } else {
        (envgate::policy::testing::run_tests(&set.packs)?, None)
    };
    let failed = results.iter().filter(|r| !r.passed).count();
    match args.format {
        Format::Json => {
            let json = serde_json::json!({
                "tests": results,
                "passed": results.len() - failed,
                "failed": failed,
                "coverage": coverage,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&json).expect("test results serialize")
            );
        }
        Format::Human => {
            for result in &results {
                let status = if result.passed { "PASS" } else { "FAIL" };
                println!("{status} {}:{} {}", result.file, result.line, result.name);
                if let Some(detail) = &result.detail {
                    println!("     {detail}");
                }
            }
            println!("{} passed, {} failed", results.len() - failed, failed);
            if let Some(coverage) = &coverage {
                print!("{}", coverage.render());
            }
        }
    }
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

fn emit(report: &Report, policies: &PolicySet, output: &OutputArgs) -> Result<(), Error> {
    envgate::timings::mark("resolve report");
    let text = match output.format {
        ReportFormat::Json => render::json(report),
        ReportFormat::Human => render::human::render(report, &human_options(output)),
        ReportFormat::Sarif => {
            render::sarif::render(report, policies.rules(), &render::ci::Workspace::detect())
        }
        ReportFormat::Junit => render::junit::render(report, &render::ci::Workspace::detect()),
        ReportFormat::Github => render::github::render(report, &render::ci::Workspace::detect()),
    };
    envgate::timings::mark("render");
    let written = write_or_print(&text, output.output.as_deref());
    envgate::timings::mark("write");
    written
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

/// Waived findings never fail the gate; waiver notices never change the exit code.
fn outcome(report: &Report, fail_on: FailOn) -> Outcome {
    match fail_on.threshold() {
        Some(threshold)
            if report
                .findings
                .iter()
                .any(|f| f.waiver.is_none() && f.severity >= threshold) =>
        {
            Outcome::FindingsAtThreshold
        }
        _ => Outcome::Clean,
    }
}

/// The policies of a run: `--policy` directories, then the config's own, narrowed by
/// the config's packs, pins and severities.
fn load_configured(
    cli_dirs: &[PathBuf],
    keep: impl Fn(&[&str]) -> bool,
    config: Option<&RunConfig>,
) -> Result<PolicySet, Error> {
    let mut dirs = cli_dirs.to_vec();
    dirs.extend(config.iter().flat_map(|c| c.file.policy_dirs()));
    envgate::load_policies_configured(&dirs, keep, config.map(|c| (&c.file, &c.redirects)))
}

fn apply_config(report: &mut Report, config: Option<&RunConfig>) -> Result<(), Error> {
    if let Some(config) = config {
        config.file.apply(report, today()?, &config.redirects);
    }
    Ok(())
}

/// Today, for waiver expiry (`ENVGATE_TODAY` pins it for tests and re-runs).
fn today() -> Result<config::IsoDate, Error> {
    config::IsoDate::today().map_err(Error::Usage)
}

/// Flags win over the config file, which wins over the command's default.
fn fail_on(flag: Option<FailOn>, config: Option<&RunConfig>, default: FailOn) -> FailOn {
    flag.or_else(|| {
        config.and_then(|c| c.file.config.fail_on).map(|f| match f {
            config::FailOn::Error => FailOn::Error,
            config::FailOn::Warning => FailOn::Warning,
            config::FailOn::Info => FailOn::Info,
            config::FailOn::Never => FailOn::Never,
        })
    })
    .unwrap_or(default)
}

fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}
