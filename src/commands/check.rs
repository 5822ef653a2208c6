//! `envgate check`: a machine (this one, an image root or a saved snapshot), or files
//! (manifests and repository files, alone or with this machine).

use std::path::{Path, PathBuf};

use super::{Judged, Verdict, absolute, load_configured};
use crate::collect::{CollectOptions, collect};
use crate::config::{FailOn, KubernetesVersion, RunConfig};
use crate::error::Error;
use crate::host::{Host, LiveHost};
use crate::report::Report;

/// What a machine check judges.
pub enum MachineSource<'a> {
    /// A saved snapshot (`--snapshot FILE`).
    Snapshot(&'a Path),
    /// A host (this machine, or an image root): the project directory inside it (it
    /// must exist), and for an image the account judged.
    Host {
        host: &'a dyn Host,
        workspace: Option<PathBuf>,
        user: Option<String>,
    },
}

/// Judges a machine; only the packs that judge machines load (no files to judge).
pub fn check_machine(
    source: MachineSource<'_>,
    policy_dirs: &[PathBuf],
    config: Option<&RunConfig>,
) -> Result<Judged, Error> {
    let load = || load_configured(policy_dirs, crate::keeps_machine_pack, config, None);
    let (mut report, policies, snapshot) = match source {
        MachineSource::Snapshot(file) => {
            let (policies, snapshot) =
                crate::load_while_collecting(load, || crate::read_snapshot(file))?;
            let report = crate::evaluate(&policies, &snapshot, None)?;
            (report, policies, snapshot)
        }
        MachineSource::Host {
            host,
            workspace,
            user,
        } => {
            let (policies, snapshot) = crate::load_while_collecting(load, || {
                if let Some(dir) = &workspace {
                    crate::require_project_dir(host, dir)?;
                }
                collect(
                    host,
                    &CollectOptions {
                        workspace: workspace.clone(),
                        user: user.clone(),
                        probe: false,
                        net: None,
                    },
                )
            })?;
            crate::require_image_user(host, &snapshot, user.as_deref())?;
            let report = crate::evaluate(&policies, &snapshot, Some(host))?;
            (report, policies, snapshot)
        }
    };
    crate::config::run_config::apply(&mut report, config)?;
    Ok(Judged {
        report,
        policies,
        snapshot: Some(snapshot),
    })
}

/// A check of files: the paths and the flags that decide how they are read and when
/// the check fails.
#[derive(Debug, Clone, Default)]
pub struct FilesRequest {
    /// Files and directories (`-`: standard input).
    pub paths: Vec<PathBuf>,
    /// `--machine`: this machine is judged with the files, in one input.
    pub machine: bool,
    /// With `machine`: run nothing, not even `go env`.
    pub no_exec: bool,
    pub kubernetes_version: Option<KubernetesVersion>,
    /// `--exclude` globs (the configuration's `exclude:` is added).
    pub exclude: Vec<String>,
    pub no_ignore: bool,
    /// `--parser`: the syntax of standard input.
    pub parser: Option<String>,
    pub allow_unparsed: bool,
    pub allow_empty: bool,
    /// `--partial`: part of a repository; rules that compare files are skipped.
    pub partial: bool,
    /// `--strict`: a file that cannot be parsed fails the check.
    pub strict: bool,
}

/// A judged check of files.
pub struct FilesRun {
    pub judged: Judged,
    /// Files were not read whole, could not be parsed under `--strict`, or nothing
    /// was judged (without `--allow-empty`): the gate fails whatever the findings.
    pub not_judged: bool,
    /// What the user must be told beside the report (why the gate fails or what was
    /// accepted), one line each.
    pub notices: Vec<String>,
}

/// Judges files: alone (the pre-commit case: no machine collector runs), or with
/// `request.machine` the files and this machine together.
pub fn check_files(
    request: FilesRequest,
    policy_dirs: &[PathBuf],
    config: Option<&RunConfig>,
) -> Result<FilesRun, Error> {
    // Alone, the files need only the packs that judge files.
    let version = request.kubernetes_version.as_ref();
    let policies = if request.machine {
        load_configured(policy_dirs, |_| true, config, version)?
    } else {
        load_configured(policy_dirs, crate::keeps_file_pack, config, version)?
    };
    let mut exclude = request.exclude;
    exclude.extend(
        config
            .iter()
            .flat_map(|c| c.file.config.exclude.iter().cloned()),
    );
    let options = crate::files::CheckOptions {
        no_ignore: request.no_ignore,
        exclude,
        stdin_syntax: request
            .parser
            .as_deref()
            .and_then(crate::files::detect::Syntax::from_name),
        // Alone, the files go straight to the engine; with --machine they join the
        // snapshot, content and all.
        engine_input: (!request.machine).then(|| crate::files::EngineInput {
            positions: policies.file_rules_read_positions(),
        }),
        allow_unparsed: request.allow_unparsed
            || config.is_some_and(|c| c.file.config.allow_unparsed),
        partial: request.partial,
    };
    let allow_empty = request.allow_empty || config.is_some_and(|c| c.file.config.allow_empty);
    crate::timings::mark("load packs");
    let candidates = crate::files::find(&request.paths, &options)?;
    let batched = crate::files::batches::check_in_batches(&policies, &candidates, &options);
    let mut report = match batched {
        Some(report) => report?,
        None => {
            let files = crate::files::parse_candidates(&candidates, &options, true);
            crate::timings::mark("read and parse files");
            if request.machine {
                let host = LiveHost::from_process(!request.no_exec);
                let workspace = request
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
                        ..CollectOptions::default()
                    },
                )?;
                crate::files::evaluate::evaluate_with_machine(
                    &policies,
                    snapshot,
                    Some(&host),
                    files,
                )?
            } else {
                crate::files::evaluate::evaluate_files(&policies, files)?
            }
        }
    };
    // Judged before the conftest policies add their results, as they stand for files.
    let (not_judged, notices) = file_gate(&report, request.strict, request.partial, allow_empty);
    if let Some(loaded) = config.filter(|c| !c.file.config.conftest.is_empty()) {
        add_conftest_results(&mut report, loaded, &candidates)?;
    }
    crate::config::run_config::apply(&mut report, config)?;
    Ok(FilesRun {
        judged: Judged {
            report,
            policies,
            snapshot: None,
        },
        not_judged,
        notices,
    })
}

/// Whether a check of files fails whatever its findings, and what to tell the user.
/// Syntax errors fail it with `--strict`; a check that judged no document fails unless
/// `--allow-empty` (then the report's summary warns). A file not read whole
/// (unreadable, too large to judge) fails it whatever `--allow-unparsed` says: nothing
/// in it was judged, and it is not a syntax error. No rule judged anything either when
/// every rule that ran was skipped (all of them compare files, and the check is of part
/// of a repository): never a pass.
fn file_gate(
    report: &Report,
    strict: bool,
    partial: bool,
    allow_empty: bool,
) -> (bool, Vec<String>) {
    let Some(files) = report.files.as_ref() else {
        return (false, Vec::new());
    };
    let no_rule_judged = partial && report.summary.rules_run == 0;
    let judged_nothing = files.judged_total() == 0;
    let not_judged = (files.errors > 0 && strict)
        || ((judged_nothing || no_rule_judged) && !allow_empty)
        || files.not_read() > 0;
    let mut notices = Vec::new();
    if files.not_read() > 0 {
        notices.push(format!(
            "envgate: {} file(s) could not be read and {} too large to judge (K8S000 names each); exiting 2",
            files.unreadable, files.too_large
        ));
    }
    let accepted = if allow_empty {
        "; accepted (--allow-empty)"
    } else {
        "; exiting 2 (--allow-empty accepts this)"
    };
    if judged_nothing {
        notices.push(format!(
            "envgate: no document was judged (no file of a kind envgate knows, only empty or unparsable files, templates or patches){accepted}"
        ));
    } else if no_rule_judged {
        notices.push(format!(
            "envgate: no rule judged anything: every rule that reads these files compares files and needs the whole repository (--partial){accepted}"
        ));
    }
    (not_judged, notices)
}

/// The configuration's `conftest:` policies judge the same files; each result joins
/// the report as a finding.
fn add_conftest_results(
    report: &mut Report,
    config: &RunConfig,
    candidates: &[crate::files::discover::Candidate],
) -> Result<(), Error> {
    use crate::files::discover::Source;
    let files: Vec<crate::conftest::gate::CheckedFile> = candidates
        .iter()
        .map(|c| crate::conftest::gate::CheckedFile {
            shown: c.shown.clone(),
            path: match &c.source {
                Source::File(path) => Some(path.to_string_lossy().into_owned()),
                Source::Pipe(_) | Source::Stdin => None,
            },
        })
        .collect();
    crate::conftest::gate::judge_into(
        report,
        &config.file.config.conftest,
        &config.file.dir,
        &files,
    )
}

impl FilesRun {
    /// The gate: files not judged fail it whatever the findings.
    pub fn verdict(&self, fail_on: FailOn) -> Verdict {
        if self.not_judged {
            Verdict::NotJudged
        } else {
            super::verdict(&self.judged.report, fail_on)
        }
    }
}

/// The gate on a machine check: inputs not read whole fail it unless `allow_unread`
/// (the notice says which way, for standard error), then the findings at `fail_on`.
pub fn machine_verdict(
    report: &Report,
    allow_unread: bool,
    fail_on: FailOn,
) -> (Verdict, Option<String>) {
    let (fails, notice) = super::unread_inputs(report.inputs_not_read.len(), "", allow_unread);
    if fails {
        return (Verdict::NotJudged, notice);
    }
    (super::verdict(report, fail_on), notice)
}
