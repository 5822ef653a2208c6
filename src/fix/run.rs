//! The `fix` command's orchestration, callable without the CLI: check (a machine, an
//! image or files), plan the fixes, and with `apply` write them and re-check the same
//! way.

use std::path::PathBuf;

use super::{Applied, Plan, Scope};
use crate::collect::{CollectOptions, collect};
use crate::error::Error;
use crate::policy::engine::PolicySet;
use crate::report::Report;

/// What is fixed.
#[derive(Debug, Clone)]
pub enum Target {
    /// This machine (`root: None`) or an image, for `user`, with a project directory.
    Machine {
        root: Option<PathBuf>,
        user: Option<String>,
        workspace: Option<PathBuf>,
        no_exec: bool,
    },
    /// Manifests and repository files, less those `exclude` (globs, as `--exclude` and
    /// the configuration's `exclude:`) leaves out.
    Files {
        paths: Vec<PathBuf>,
        exclude: Vec<String>,
    },
}

#[derive(Debug, Clone)]
pub struct Options {
    pub apply: bool,
    pub allow_unsafe: bool,
    /// Where backup sets go (`backup::default_dir()`).
    pub backups: PathBuf,
}

/// A fix run: the check it started from, its plan, and what applying did.
#[derive(Debug, Clone)]
pub struct FixRun {
    pub before: Report,
    pub plan: Plan,
    pub applied: Option<Applied>,
}

/// Checks the target as `envgate check` does; the home directory is where fixes may
/// write on a machine.
pub fn check(policies: &PolicySet, target: &Target) -> Result<(Report, Option<String>), Error> {
    match target {
        Target::Machine {
            root,
            user,
            workspace,
            no_exec,
        } => {
            // A Windows volume's files (the `go env -w` file, VS Code's settings) are
            // edited like any image's; its registry values are read, never written,
            // and their findings keep their PowerShell commands.
            let host = crate::commands::open_host(root.as_deref(), *no_exec)?;
            if let Some(dir) = workspace {
                crate::require_project_dir(host.as_ref(), dir)?;
            }
            let snapshot = collect(
                host.as_ref(),
                &CollectOptions {
                    workspace: workspace.clone(),
                    user: user.clone(),
                    ..CollectOptions::default()
                },
            )?;
            crate::require_image_user(host.as_ref(), &snapshot, user.as_deref())?;
            let home = snapshot.host.home.clone();
            let report = crate::evaluate(policies, &snapshot, Some(host.as_ref()))?;
            Ok((report, home))
        }
        Target::Files { paths, exclude } => {
            let options = crate::files::CheckOptions {
                exclude: exclude.clone(),
                ..crate::files::CheckOptions::default()
            };
            let files = crate::files::check(paths, &options)?;
            if files.summary.not_read() > 0 {
                return Err(Error::Usage(
                    "some files could not be read; envgate fix edits only what it could check (run envgate check on them)".into(),
                ));
            }
            Ok((
                crate::files::evaluate::evaluate_files(policies, files)?,
                None,
            ))
        }
    }
}

/// Checks, plans, and with `options.apply` applies and re-checks.
pub fn run(policies: &PolicySet, target: &Target, options: &Options) -> Result<FixRun, Error> {
    run_configured(policies, target, options, &|_| {})
}

/// As [`run`], with `configure` applied to the report of the check and of the re-check
/// (the CLI applies `.envgate.yaml` there: a finding its waivers cover is not fixed).
pub fn run_configured(
    policies: &PolicySet,
    target: &Target,
    options: &Options,
    configure: &dyn Fn(&mut Report),
) -> Result<FixRun, Error> {
    let check = |target: &Target| {
        check(policies, target).map(|(mut report, home)| {
            configure(&mut report);
            (report, home)
        })
    };
    let (before, home) = check(target)?;
    let root = match target {
        Target::Machine { root, .. } => root.clone(),
        Target::Files { .. } => None,
    };
    let plan = super::plan::plan(
        &before,
        &Scope {
            root: root.as_deref(),
            home: match target {
                Target::Machine { .. } => Some(home.as_deref().unwrap_or("")),
                Target::Files { .. } => None,
            },
            allow_unsafe: options.allow_unsafe,
            files_given: match target {
                Target::Files { paths, .. } => paths.iter().any(|p| !p.is_dir()),
                Target::Machine { .. } => false,
            },
        },
    );
    let applied = if options.apply && plan.writes_anything() {
        Some(super::apply(
            &plan,
            &before,
            &options.backups,
            root.as_deref(),
            || check(target).map(|(report, _)| report),
        )?)
    } else {
        None
    };
    Ok(FixRun {
        before,
        plan,
        applied,
    })
}
