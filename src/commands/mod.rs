//! The orchestration of `doctor`, `check` and `fix`, callable without the CLI (as
//! `audit::audit` is for `audit`): which packs load, what is collected or read, how
//! the configuration applies, and what the gate decides. The
//! binary parses arguments, prints what these return, and turns the verdict into an
//! exit code.

mod check;
mod doctor;
mod fix;

use std::path::{Path, PathBuf};

pub use check::{
    FilesRequest, FilesRun, MachineSource, check_files, check_machine, machine_verdict,
};
pub use doctor::doctor;
pub use fix::{fix, fix_verdict};

use crate::config::{FailOn, KubernetesVersion, RunConfig};
use crate::error::Error;
use crate::host::{Host, LiveHost};
use crate::policy::engine::PolicySet;
use crate::report::{Finding, Report};
use crate::snapshot::Snapshot;

/// What the gate decides about a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    /// A finding no waiver covers is at or above the threshold.
    FindingsAtThreshold,
    /// Inputs were not read whole, files could not be parsed under `--strict`, or
    /// nothing was judged: never a pass.
    NotJudged,
}

/// A judged run: its report (configuration applied), the packs that judged it (the
/// SARIF output describes their rules), and the snapshot judged, if any.
pub struct Judged {
    pub report: Report,
    pub policies: PolicySet,
    pub snapshot: Option<Snapshot>,
}

/// The gate on `report`: waived findings never fail it.
pub fn verdict(report: &Report, fail_on: FailOn) -> Verdict {
    verdict_of(report.findings.iter().map(|f| &**f), fail_on)
}

/// The gate on findings of several reports (an audit's images and users).
pub fn verdict_of<'a>(findings: impl IntoIterator<Item = &'a Finding>, fail_on: FailOn) -> Verdict {
    match fail_on.threshold() {
        Some(threshold)
            if findings
                .into_iter()
                .any(|f| f.waiver.is_none() && f.severity >= threshold) =>
        {
            Verdict::FindingsAtThreshold
        }
        _ => Verdict::Clean,
    }
}

/// The host a command judges: the image root's (a Windows volume's when the root holds
/// one; nothing inside it ever runs), else this machine's, running nothing but `go`,
/// and not even that with `no_exec`.
pub fn open_host(root: Option<&Path>, no_exec: bool) -> Result<Box<dyn Host>, Error> {
    Ok(match root {
        Some(root) => crate::host::open_image(root).map_err(|e| Error::BadInput {
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

/// Inputs not read whole: whether the gate fails on them, and what to tell the user
/// (`None` when every input was read). `whose` qualifies the inputs (" of the
/// images").
pub fn unread_inputs(unread: usize, whose: &str, allowed: bool) -> (bool, Option<String>) {
    if unread == 0 {
        return (false, None);
    }
    let notice = format!(
        "envgate: {unread} input(s){whose} not read whole (listed in the report){}",
        if allowed {
            "; accepted (--allow-unread)"
        } else {
            "; exiting 2 (--allow-unread accepts this)"
        }
    );
    (!allowed, Some(notice))
}

/// The packs of a run: `--policy` directories, then the config's own, narrowed by
/// the config's packs, pins and severities; `keep` decides which built-in packs load
/// (see [`crate::keeps_machine_pack`]).
pub fn load_configured(
    policy_dirs: &[PathBuf],
    keep: impl Fn(crate::policy::input_use::InputUse) -> bool,
    config: Option<&RunConfig>,
    kubernetes_version: Option<&KubernetesVersion>,
) -> Result<PolicySet, Error> {
    let mut dirs = policy_dirs.to_vec();
    dirs.extend(config.iter().flat_map(|c| c.file.policy_dirs()));
    crate::load_policies_configured(
        &dirs,
        keep,
        config.map(|c| (&c.file, &c.redirects)),
        kubernetes_version,
    )
}

/// `path` made absolute (as is when that fails).
pub fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}
