//! The envgate command line: parses arguments, calls the library, prints, and maps
//! the outcome to an exit code in one place (0 clean, 1 findings at or above
//! `--fail-on`, 2 usage, config or policy errors).

// See lib.rs: the error type is large by design and only built on the way out.
#![allow(clippy::result_large_err)]

mod cli_args;
mod conftest_commands;
mod policy_commands;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use envgate::collect::{CollectOptions, collect};
use envgate::commands::{self, MachineSource, absolute, open_host};
use envgate::config::{self, RunConfig};
use envgate::error::Error;
use envgate::host::LiveHost;
use envgate::policy::engine::PolicySet;
use envgate::render::{self, HumanOptions, Symbols};
use envgate::report::Report;

use cli_args::*;

/// What a command achieved, before it becomes an exit code.
enum Outcome {
    Clean,
    FindingsAtThreshold,
    /// Files could not be parsed (`check --strict`), or no document was judged
    /// (without `--allow-empty`); the report says which.
    FileErrors,
    /// `envgate test` / conftest-mode `verify`: conftest's exit code, decided by the
    /// library (0 pass, 1 failures, 2 failures with --fail-on-warn, 1 or 3 errors).
    Code(u8),
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    envgate::timings::begin();
    let cli = Cli::parse_from(cli_args::bare_probe_before_path(std::env::args_os()));
    let result = match cli.command {
        Command::Doctor(args) => doctor(args),
        Command::Check(args) => check(args),
        Command::Audit(args) => audit(args),
        Command::Snapshot(args) => snapshot(args),
        Command::Explain(args) => policy_commands::explain(args),
        Command::Policies(args) => policy_commands::policies(args),
        Command::Fix(args) => fix(args),
        Command::Verify(args) => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            if conftest_commands::verify_is_conftest(&args, &cwd) {
                conftest_commands::verify(args)
            } else {
                policy_commands::verify(args)
            }
        }
        Command::Test(args) => conftest_commands::test(args),
    };
    envgate::timings::mark("free memory");
    // The one place outcomes become exit codes.
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::FindingsAtThreshold) => ExitCode::from(1),
        Ok(Outcome::FileErrors) => ExitCode::from(2),
        Ok(Outcome::Code(code)) => ExitCode::from(code),
        Err(error) => {
            // Diagnostics quote input files: they leave redacted, control characters
            // escaped.
            eprintln!("{:?}", envgate::error::printable(&error.redacted()));
            ExitCode::from(2)
        }
    }
}

/// `--probe net` names the hosts it will contact before it contacts any.
fn announce(text: &str) {
    eprintln!("{}", envgate::escape::lines(text));
}

fn doctor(args: DoctorArgs) -> Result<Outcome, Error> {
    if !args.modules.is_empty() && args.probe != Some(ProbeKind::Net) {
        return Err(Error::Usage("--module is for --probe net".into()));
    }
    let workspace = args.workspace.or_else(|| std::env::current_dir().ok());
    let config = args.config.load(
        workspace.as_deref().unwrap_or(Path::new(".")),
        &args.policies.policy_dirs,
    )?;
    let host = LiveHost::from_process(!args.no_exec);
    let options = CollectOptions {
        workspace: workspace.map(absolute),
        user: None,
        probe: args.probe == Some(ProbeKind::Build),
        net: (args.probe == Some(ProbeKind::Net)).then(|| envgate::collect::net::NetOptions {
            modules: args.modules.clone(),
            timeout: std::time::Duration::from_secs(args.probe_timeout),
            announce: Some(announce),
        }),
    };
    let judged = commands::doctor(&host, &options, &args.policies.policy_dirs, config.as_ref())?;
    emit(&judged.report, &judged.policies, &args.output)?;
    let verdict = commands::verdict(
        &judged.report,
        fail_on(args.fail_on, config.as_ref(), config::FailOn::Never),
    );
    // The process ends now: freeing the packs, the snapshot and the report piece by
    // piece is a twentieth of a doctor run spent on nothing.
    std::mem::forget(judged);
    Ok(verdict.into())
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
    let dirs = &args.policies.policy_dirs;
    let judged = if let Some(file) = &args.snapshot {
        commands::check_machine(MachineSource::Snapshot(file), dirs, config.as_ref())?
    } else {
        let host = open_host(args.root.as_deref(), args.no_exec)?;
        let workspace = match (&args.root, args.paths.into_iter().next()) {
            (Some(_), workspace) => workspace,
            (None, workspace) => workspace
                .or_else(|| std::env::current_dir().ok())
                .map(absolute),
        };
        let source = MachineSource::Host {
            host: host.as_ref(),
            workspace,
            user: args.user.clone(),
        };
        commands::check_machine(source, dirs, config.as_ref())?
    };
    emit(&judged.report, &judged.policies, &args.output)?;
    let (verdict, notice) = commands::machine_verdict(
        &judged.report,
        config::run_config::allows_unread(args.allow_unread, config.as_ref()),
        fail_on(args.fail_on, config.as_ref(), config::FailOn::Error),
    );
    if let Some(notice) = notice {
        eprintln!("{notice}");
    }
    Ok(verdict.into())
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
    let request = commands::FilesRequest {
        paths: args.paths,
        machine: args.machine,
        no_exec: args.no_exec,
        kubernetes_version: args.kubernetes_version,
        exclude: args.exclude,
        no_ignore: args.no_ignore,
        parser: args.parser,
        allow_unparsed: args.allow_unparsed,
        allow_empty: args.allow_empty,
        partial: args.partial,
        strict: args.strict,
    };
    let run = commands::check_files(request, &args.policies.policy_dirs, config.as_ref())?;
    emit(&run.judged.report, &run.judged.policies, &args.output)?;
    for notice in &run.notices {
        eprintln!("{notice}");
    }
    let result = run
        .verdict(fail_on(
            args.fail_on,
            config.as_ref(),
            config::FailOn::Error,
        ))
        .into();
    // The process ends now: freeing 45,000 findings one by one would add a tenth of a
    // second to a large check for nothing.
    std::mem::forget(run);
    Ok(result)
}

/// `envgate fix`: exits 1 when a dry run has something to apply or an applied fix
/// failed its re-check (and was rolled back), 0 otherwise.
fn fix(args: FixArgs) -> Result<Outcome, Error> {
    use envgate::fix::{backup, run};
    let backups = backup::default_dir()?;
    if let Some(id) = &args.undo {
        let (id, restored) = envgate::fix::undo(&backups, (!id.is_empty()).then_some(id.as_str()))?;
        if matches!(args.format, Format::Json) {
            envgate::output::print(&envgate::fix::output::undo_json(&id, &restored))?;
            return Ok(Outcome::Clean);
        }
        let mut text = format!("envgate fix: undid backup set {id}\n");
        for entry in restored {
            let line = match entry {
                backup::Restored::Restored(file) => format!("  restored {file}"),
                backup::Restored::Removed(file) => format!("  removed {file} (the fix created it)"),
            };
            text.push_str(&envgate::escape::line(&line));
            text.push('\n');
        }
        envgate::output::print(&text)?;
        return Ok(Outcome::Clean);
    }
    let target = if args.root.is_none() && !args.paths.is_empty() {
        run::Target::Files {
            paths: args.paths,
            exclude: Vec::new(),
        }
    } else {
        if args.paths.len() > 1 {
            return Err(Error::Usage(
                "with --root, PATH is one project directory inside the image".into(),
            ));
        }
        let workspace = match &args.root {
            Some(_) => args.paths.into_iter().next(),
            None => std::env::current_dir().ok().map(absolute),
        };
        run::Target::Machine {
            root: args.root,
            user: args.user,
            workspace,
            no_exec: args.no_exec,
        }
    };
    let options = run::Options {
        apply: args.apply,
        allow_unsafe: args.allow_unsafe,
        backups,
    };
    let choice = args.config.choice();
    let outcome = commands::fix(target, &options, &args.policies.policy_dirs, &choice)?;
    envgate::output::print(&match args.format {
        Format::Human => envgate::fix::render::render(&outcome, args.apply),
        Format::Json => envgate::fix::output::json(&outcome, args.apply, args.allow_unsafe),
    })?;
    Ok(commands::fix_verdict(&outcome, args.apply).into())
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
    let policies = commands::load_configured(
        &args.policies.policy_dirs,
        envgate::keeps_machine_pack,
        config.as_ref(),
        None,
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
            .apply_to_audit(&mut report, config::run_config::today()?, &config.redirects);
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
    // As `check --root`: an image judged without some of its inputs fails the gate.
    let (fails, notice) = commands::unread_inputs(
        report.summary.inputs_not_read,
        " of the images",
        config::run_config::allows_unread(args.allow_unread, config.as_ref()),
    );
    if let Some(notice) = notice {
        eprintln!("{notice}");
    }
    if fails {
        return Ok(Outcome::FileErrors);
    }
    let findings = report
        .images
        .iter()
        .flat_map(|i| &i.users)
        .flat_map(|r| r.findings.iter().map(|f| &**f));
    Ok(commands::verdict_of(
        findings,
        fail_on(args.fail_on, config.as_ref(), config::FailOn::Error),
    )
    .into())
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
    if let Some(dir) = &workspace {
        envgate::require_project_dir(host.as_ref(), dir)?;
    }
    let snapshot = collect(
        host.as_ref(),
        &CollectOptions {
            workspace,
            user: args.user.clone(),
            probe: args.probe,
            net: None,
        },
    )?;
    envgate::require_image_user(host.as_ref(), &snapshot, args.user.as_deref())?;
    let mut text = serde_json::to_string_pretty(&snapshot).expect("a snapshot always serializes");
    text.push('\n');
    write_or_print(&text, args.output.as_deref())?;
    Ok(Outcome::Clean)
}

fn emit(report: &Report, policies: &PolicySet, output: &OutputArgs) -> Result<(), Error> {
    envgate::timings::mark("resolve report");
    let options = human_options(output);
    // Every format but the workflow commands is streamed: a large check's report is
    // tens of megabytes of text.
    let write = |out: &mut dyn std::io::Write| -> std::io::Result<()> {
        let workspace = || render::ci::Workspace::detect();
        match output.format {
            ReportFormat::Json => render::write_json(report, out),
            ReportFormat::Human => render::human::write(report, &options, out),
            ReportFormat::Sarif => {
                render::sarif::write(report, policies.rules(), &workspace(), out)
            }
            ReportFormat::Junit => render::junit::write(report, &workspace(), out),
            ReportFormat::Github => {
                out.write_all(render::github::render(report, &workspace()).as_bytes())
            }
        }
    };
    let written = match output.output.as_deref() {
        Some(path) => envgate::output::write_atomically_with(path, write),
        None => envgate::output::print_with(write),
    };
    envgate::timings::mark("render and write");
    written
}

/// Plain ASCII without colour for files, pipes, `--no-color` and `NO_COLOR`, unless
/// `--color always`.
fn human_options(output: &OutputArgs) -> HumanOptions {
    let plain = output.no_color
        || match output.color {
            ColorChoice::Never => true,
            ColorChoice::Always => false,
            ColorChoice::Auto => {
                output.output.is_some()
                    || std::env::var_os("NO_COLOR").is_some()
                    || !std::io::stdout().is_terminal()
            }
        };
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
        None => envgate::output::print(text),
    }
}

/// The gate's threshold: `--fail-on`, else the config's `fail-on:`, else `default`.
fn fail_on(
    flag: Option<FailOn>,
    config: Option<&RunConfig>,
    default: config::FailOn,
) -> config::FailOn {
    config::run_config::fail_on(flag.map(Into::into), config, default)
}

impl From<commands::Verdict> for Outcome {
    fn from(verdict: commands::Verdict) -> Self {
        match verdict {
            commands::Verdict::Clean => Outcome::Clean,
            commands::Verdict::FindingsAtThreshold => Outcome::FindingsAtThreshold,
            commands::Verdict::NotJudged => Outcome::FileErrors,
        }
    }
}
