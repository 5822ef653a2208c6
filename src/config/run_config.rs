//! The configuration a run uses: the file named by `--config`, else the one found
//! walking up from the checked path, with the table of renamed rule ids its ids go
//! through; and what it decides for a run (waivers applied to a report, the gate's
//! threshold).

use std::path::{Path, PathBuf};

use super::redirects::Redirects;
use super::{FailOn, IsoDate, LoadedConfig};
use crate::error::Error;
use crate::report::Report;

/// A run's configuration file, with the table of renamed rule ids its ids go through.
pub struct RunConfig {
    pub file: LoadedConfig,
    pub redirects: Redirects,
}

/// Which configuration file a run reads.
#[derive(Debug, Clone, Default)]
pub struct ConfigChoice {
    /// `--config FILE`.
    pub file: Option<PathBuf>,
    /// `--no-config`.
    pub none: bool,
}

impl RunConfig {
    /// The file `choice` names, else the one found from `start` (a path being checked);
    /// `None` when there is none or `choice.none`. `policy_dirs` (`--policy`) may hold
    /// user packs with their own renames.
    pub fn load(
        choice: &ConfigChoice,
        start: &Path,
        policy_dirs: &[PathBuf],
    ) -> Result<Option<RunConfig>, Error> {
        if choice.none {
            return Ok(None);
        }
        let path = match &choice.file {
            Some(path) => path.clone(),
            None => match super::discover(&LoadedConfig::search_start(start)) {
                Some(found) => found,
                None => return Ok(None),
            },
        };
        let file = super::load(&path)?;
        let mut dirs = policy_dirs.to_vec();
        dirs.extend(file.policy_dirs());
        let redirects = Redirects::load(&dirs)?;
        Ok(Some(RunConfig { file, redirects }))
    }

    /// Its waivers, renames and severities applied to `report`, as of today.
    pub fn apply_to(&self, report: &mut Report) -> Result<(), Error> {
        self.apply_as_of(report, today()?);
        Ok(())
    }

    /// [`RunConfig::apply_to`] as of `day` (a run that checks twice uses one day).
    pub fn apply_as_of(&self, report: &mut Report, day: IsoDate) {
        self.file.apply(report, day, &self.redirects);
    }
}

/// Applies `config` to `report` when there is one.
pub fn apply(report: &mut Report, config: Option<&RunConfig>) -> Result<(), Error> {
    match config {
        Some(config) => config.apply_to(report),
        None => Ok(()),
    }
}

/// Today, for waiver expiry (`ENVGATE_TODAY` pins it for tests and re-runs).
pub fn today() -> Result<IsoDate, Error> {
    IsoDate::today().map_err(Error::Usage)
}

/// The gate's threshold: the flag wins over the config file, which wins over the
/// command's default.
pub fn fail_on(flag: Option<FailOn>, config: Option<&RunConfig>, default: FailOn) -> FailOn {
    flag.or_else(|| config.and_then(|c| c.file.config.fail_on))
        .unwrap_or(default)
}

/// Whether the run accepts inputs it could not read (`--allow-unread`, or
/// `allow-unread: true`).
pub fn allows_unread(flag: bool, config: Option<&RunConfig>) -> bool {
    flag || config.is_some_and(|c| c.file.config.allow_unread)
}
