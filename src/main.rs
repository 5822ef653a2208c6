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
use envgate::config;
use envgate::error::Error;
use envgate::host::{Host, LiveHost};
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
    let workspace = workspace.map(absolute);
    let load = || {
        load_configured(
            &args.policies.policy_dirs,
            envgate::keeps_machine_pack,
            config.as_ref(),
        )
    };
    let collect_machine = || {
        if let Some(dir) = &workspace {
            envgate::require_project_dir(&host, dir)?;
        }
        collect(
            &host,
            &CollectOptions {
                workspace: workspace.clone(),
                user: None,
                probe: args.probe == Some(ProbeKind::Build),
                net: (args.probe == Some(ProbeKind::Net)).then(|| {
                    envgate::collect::net::NetOptions {
                        modules: args.modules.clone(),
                        timeout: std::time::Duration::from_secs(args.probe_timeout),
                        announce: Some(announce),
                    }
                }),
            },
        )
    };
    // A probe builds or goes on the network for seconds: a pack that does not load
    // stops the run before it, as it always did.
    let (policies, snapshot) = if args.probe.is_some() {
        let policies = load()?;
        (policies, collect_machine()?)
    } else {
        envgate::load_while_collecting(load, collect_machine)?
    };
    envgate::timings::mark("load packs and collect");
    let mut report = envgate::evaluate(&policies, &snapshot, Some(&host))?;
    apply_config(&mut report, config.as_ref())?;
    emit(&report, &policies, &args.output)?;
    let result = outcome(
        &report,
        fail_on(args.fail_on, config.as_ref(), FailOn::Never),
    );
    // The process ends now: freeing the packs, the snapshot and the report piece by
    // piece is a twentieth of a doctor run spent on nothing.
    std::mem::forget((report, policies, snapshot));
    Ok(result)
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
    let load = || {
        load_configured(
            &args.policies.policy_dirs,
            envgate::keeps_machine_pack,
            config.as_ref(),
        )
    };
    let (mut report, policies) = if let Some(file) = &args.snapshot {
        let (policies, snapshot) =
            envgate::load_while_collecting(load, || envgate::read_snapshot(file))?;
        (envgate::evaluate(&policies, &snapshot, None)?, policies)
    } else {
        let host = open_host(args.root.as_deref(), args.no_exec)?;
        let workspace = match (&args.root, args.paths.into_iter().next()) {
            (Some(_), workspace) => workspace,
            (None, workspace) => workspace
                .or_else(|| std::env::current_dir().ok())
                .map(absolute),
        };
        let (policies, snapshot) = envgate::load_while_collecting(load, || {
            if let Some(dir) = &workspace {
                envgate::require_project_dir(host.as_ref(), dir)?;
            }
            collect(
                host.as_ref(),
                &CollectOptions {
                    workspace: workspace.clone(),
                    user: args.user.clone(),
                    probe: false,
                    net: None,
                },
            )
        })?;
        envgate::require_image_user(host.as_ref(), &snapshot, args.user.as_deref())?;
        let report = envgate::evaluate(&policies, &snapshot, Some(host.as_ref()))?;
        (report, policies)
    };
    apply_config(&mut report, config.as_ref())?;
    emit(&report, &policies, &args.output)?;
    let unread = report.inputs_not_read.len();
    if fails_on_unread(unread, "", args.allow_unread, config.as_ref()) {
        return Ok(Outcome::FileErrors);
    }
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
    let version = args.kubernetes_version.as_ref();
    let policies = if args.machine {
        load_configured_for(
            &args.policies.policy_dirs,
            |_| true,
            config.as_ref(),
            version,
        )?
    } else {
        load_configured_for(
            &args.policies.policy_dirs,
            envgate::policy::engine::sources_read_files,
            config.as_ref(),
            version,
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
        allow_unparsed: args.allow_unparsed
            || config
                .as_ref()
                .is_some_and(|c| c.file.config.allow_unparsed),
        partial: args.partial,
    };
    let allow_empty =
        args.allow_empty || config.as_ref().is_some_and(|c| c.file.config.allow_empty);
    envgate::timings::mark("load packs");
    let candidates = envgate::files::find(&args.paths, &options)?;
    let batched = envgate::files::batches::check_in_batches(&policies, &candidates, &options);
    let mut report = match batched {
        Some(report) => report?,
        None => {
            let files = envgate::files::parse_candidates(&candidates, &options, true);
            envgate::timings::mark("read and parse files");
            if args.machine {
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
                        net: None,
                    },
                )?;
                envgate::files::evaluate::evaluate_with_machine(
                    &policies,
                    snapshot,
                    Some(&host),
                    files,
                )?
            } else {
                envgate::files::evaluate::evaluate_files(&policies, files)?
            }
        }
    };
    // Syntax errors fail the check with --strict; a check that judged no document
    // fails unless --allow-empty (then the report's summary warns).
    // A file not read whole (unreadable, too large to judge) fails it whatever
    // --allow-unparsed says: nothing in it was judged, and it is not a syntax error.
    // No rule judged anything either when every rule that ran was skipped (all of
    // them compare files, and the check is of part of a repository): never a pass.
    let no_rule_judged = args.partial && report.summary.rules_run == 0;
    let unjudged = report.files.as_ref().is_some_and(|files| {
        (files.errors > 0 && args.strict)
            || ((files.judged_total() == 0 || no_rule_judged) && !allow_empty)
            || files.not_read() > 0
    });
    if let Some(files) = report.files.as_ref().filter(|f| f.not_read() > 0) {
        eprintln!(
            "envgate: {} file(s) could not be read and {} too large to judge (K8S000 names each); exiting 2",
            files.unreadable, files.too_large
        );
    }
    let judged_nothing = report
        .files
        .as_ref()
        .is_some_and(|files| files.judged_total() == 0);
    if let Some(loaded) = config
        .as_ref()
        .filter(|c| !c.file.config.conftest.is_empty())
    {
        use envgate::files::discover::Source;
        let files: Vec<envgate::conftest::gate::CheckedFile> = candidates
            .iter()
            .map(|c| envgate::conftest::gate::CheckedFile {
                shown: c.shown.clone(),
                path: match &c.source {
                    Source::File(path) => Some(path.to_string_lossy().into_owned()),
                    Source::Pipe(_) | Source::Stdin => None,
                },
            })
            .collect();
        envgate::conftest::gate::judge_into(
            &mut report,
            &loaded.file.config.conftest,
            &loaded.file.dir,
            &files,
        )?;
    }
    apply_config(&mut report, config.as_ref())?;
    emit(&report, &policies, &args.output)?;
    let accepted = if allow_empty {
        "; accepted (--allow-empty)"
    } else {
        "; exiting 2 (--allow-empty accepts this)"
    };
    if judged_nothing {
        eprintln!(
            "envgate: no document was judged (no file of a kind envgate knows, only empty or unparsable files, templates or patches){accepted}"
        );
    } else if no_rule_judged {
        eprintln!(
            "envgate: no rule judged anything: every rule that reads these files compares files and needs the whole repository (--partial){accepted}"
        );
    }
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
    let mut target = if args.root.is_none() && !args.paths.is_empty() {
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
    // The rules `envgate check` runs, with the same configuration: its packs, pins and
    // severities decide which rules run (an opt-in rule without a severity is not
    // fixed), and a finding one of its waivers covers is left alone.
    let config = match &target {
        run::Target::Files { paths, .. } => args.config.load(
            paths.first().map_or(Path::new("."), |p| p.as_path()),
            &args.policies.policy_dirs,
        )?,
        run::Target::Machine {
            root, workspace, ..
        } => args.config.load(
            match (root, workspace) {
                (None, Some(dir)) => dir.as_path(),
                // The config belongs to the host's working tree, never to the image.
                _ => Path::new("."),
            },
            &args.policies.policy_dirs,
        )?,
    };
    if let (run::Target::Files { exclude, .. }, Some(config)) = (&mut target, &config) {
        exclude.extend(config.file.config.exclude.iter().cloned());
    }
    let policies = match target {
        run::Target::Files { .. } => load_configured(
            &args.policies.policy_dirs,
            envgate::policy::engine::sources_read_files,
            config.as_ref(),
        )?,
        run::Target::Machine { .. } => load_configured(
            &args.policies.policy_dirs,
            envgate::keeps_machine_pack,
            config.as_ref(),
        )?,
    };
    let options = run::Options {
        apply: args.apply,
        allow_unsafe: args.allow_unsafe,
        backups,
    };
    let today = today()?;
    let configure = |report: &mut Report| {
        if let Some(config) = &config {
            config.file.apply(report, today, &config.redirects);
        }
    };
    let outcome = run::run_configured(&policies, &target, &options, &configure)?;
    envgate::output::print(&match args.format {
        Format::Human => envgate::fix::render::render(&outcome, args.apply),
        Format::Json => envgate::fix::output::json(&outcome, args.apply, args.allow_unsafe),
    })?;
    let failed = match &outcome.applied {
        Some(applied) => applied.rolled_back,
        None => !args.apply && outcome.plan.writes_anything(),
    };
    Ok(if failed {
        Outcome::FindingsAtThreshold
    } else {
        Outcome::Clean
    })
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
    // As `check --root`: an image judged without some of its inputs fails the gate.
    let unread = report.summary.inputs_not_read;
    if fails_on_unread(unread, " of the images", args.allow_unread, config.as_ref()) {
        return Ok(Outcome::FileErrors);
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

fn open_host(root: Option<&Path>, no_exec: bool) -> Result<Box<dyn Host>, Error> {
    Ok(match root {
        Some(root) => envgate::host::open_image(root).map_err(|e| Error::BadInput {
            message: format!("cannot use {} as an image root: {e}", root.display()),
            help: Some(
                "--root takes a directory holding a root filesystem (with etc/, usr/ …)".into(),
            ),
            src: None,
            span: None,
        })?,
        None => Box::new(LiveHost::from_process(!no_exec)),
    })
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

/// Waived findings never fail the gate; waiver notices never change the exit code.
/// A gate never passes on inputs it could not read: the checks judged without them.
/// Says so on stderr, and whether `--allow-unread` (or `allow-unread: true`) accepted it.
fn fails_on_unread(unread: usize, whose: &str, flag: bool, config: Option<&RunConfig>) -> bool {
    if unread == 0 {
        return false;
    }
    let allow = flag || config.is_some_and(|c| c.file.config.allow_unread);
    eprintln!(
        "envgate: {unread} input(s){whose} not read whole (listed in the report){}",
        if allow {
            "; accepted (--allow-unread)"
        } else {
            "; exiting 2 (--allow-unread accepts this)"
        }
    );
    !allow
}

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
    load_configured_for(cli_dirs, keep, config, None)
}

/// As [`load_configured`], with the Kubernetes release of `--kubernetes-version`.
fn load_configured_for(
    cli_dirs: &[PathBuf],
    keep: impl Fn(&[&str]) -> bool,
    config: Option<&RunConfig>,
    kubernetes_version: Option<&config::KubernetesVersion>,
) -> Result<PolicySet, Error> {
    let mut dirs = cli_dirs.to_vec();
    dirs.extend(config.iter().flat_map(|c| c.file.policy_dirs()));
    envgate::load_policies_configured(
        &dirs,
        keep,
        config.map(|c| (&c.file, &c.redirects)),
        kubernetes_version,
    )
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
