//! `envgate fix`: the configuration and packs `check` would use for the target, then
//! the fix run (plan, apply, re-check) of `fix::run`.

use std::path::{Path, PathBuf};

use super::{Verdict, load_configured};
use crate::config::{ConfigChoice, RunConfig, run_config};
use crate::error::Error;
use crate::fix::run::{self, FixRun, Options, Target};
use crate::report::Report;

/// Fixes `target` with the rules `envgate check` runs on it, under the same
/// configuration: its packs, pins and severities decide which rules run (an opt-in
/// rule without a severity is not fixed), its excludes which files are read, and a
/// finding one of its waivers covers is left alone.
pub fn fix(
    mut target: Target,
    options: &Options,
    policy_dirs: &[PathBuf],
    choice: &ConfigChoice,
) -> Result<FixRun, Error> {
    let start = match &target {
        Target::Files { paths, .. } => paths.first().map_or(Path::new("."), |p| p.as_path()),
        Target::Machine {
            root: None,
            workspace: Some(dir),
            ..
        } => dir.as_path(),
        // An image's config belongs to the host's working tree, never to the image.
        Target::Machine { .. } => Path::new("."),
    };
    let config = RunConfig::load(choice, start, policy_dirs)?;
    if let (Target::Files { exclude, .. }, Some(config)) = (&mut target, &config) {
        exclude.extend(config.file.config.exclude.iter().cloned());
    }
    let policies = match target {
        Target::Files { .. } => {
            load_configured(policy_dirs, crate::keeps_file_pack, config.as_ref(), None)?
        }
        Target::Machine { .. } => load_configured(
            policy_dirs,
            crate::keeps_machine_pack,
            config.as_ref(),
            None,
        )?,
    };
    // One day for the check and the re-check: a waiver cannot expire between them.
    let today = run_config::today()?;
    let configure = |report: &mut Report| {
        if let Some(config) = &config {
            config.apply_as_of(report, today);
        }
    };
    run::run_configured(&policies, &target, options, &configure)
}

/// What the gate decides about a fix run: a dry run that would write something, or an
/// applied run the re-check rolled back, fails it.
pub fn fix_verdict(outcome: &FixRun, applied: bool) -> Verdict {
    let failed = match &outcome.applied {
        Some(applied) => applied.rolled_back,
        None => !applied && outcome.plan.writes_anything(),
    };
    if failed {
        Verdict::FindingsAtThreshold
    } else {
        Verdict::Clean
    }
}
