//! `envgate doctor`: this machine, collected while the packs load, judged, with the
//! configuration applied.

use std::path::PathBuf;

use super::{Judged, load_configured};
use crate::collect::{CollectOptions, collect};
use crate::config::RunConfig;
use crate::error::Error;
use crate::host::LiveHost;

/// Judges this machine as `host` sees it; `options.workspace` is the project
/// directory (it must exist). A probe (`options.probe`, `options.net`) builds or goes
/// on the network for seconds: the packs load first then, so a pack that does not
/// load stops the run before it.
pub fn doctor(
    host: &LiveHost,
    options: &CollectOptions,
    policy_dirs: &[PathBuf],
    config: Option<&RunConfig>,
) -> Result<Judged, Error> {
    let load = || load_configured(policy_dirs, crate::keeps_machine_pack, config, None);
    let collect_machine = || {
        if let Some(dir) = &options.workspace {
            crate::require_project_dir(host, dir)?;
        }
        collect(host, options)
    };
    let (policies, snapshot) = if options.probe || options.net.is_some() {
        let policies = load()?;
        (policies, collect_machine()?)
    } else {
        crate::load_while_collecting(load, collect_machine)?
    };
    crate::timings::mark("load packs and collect");
    let mut report = crate::evaluate(&policies, &snapshot, Some(host))?;
    crate::config::run_config::apply(&mut report, config)?;
    Ok(Judged {
        report,
        policies,
        snapshot: Some(snapshot),
    })
}
