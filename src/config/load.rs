//! Finding and reading `.envgate.yaml`: strict parsing with yaml_serde (unknown keys
//! are errors), errors turned into diagnostics on the file's text, and the positions
//! of entries (from the YAML event parser) so later errors and waivers can name a line.

use std::path::{Path, PathBuf};

use globset::Glob;

use super::apply::{path_glob, subject_glob};
use super::{Config, FILE_NAMES, LoadedConfig};
use crate::error::{Error, offset_of};
use crate::excerpt::Excerpt;
use crate::files::source_map::{Step, resolve};

/// The help of every diagnostic about the file's shape.
const SCHEMA_HELP: &str =
    "the keys and their values are described in schemas/config.schema.json and the README";

/// The first `.envgate.yaml` (or `.envgate.yml`) in `start` or a directory above it,
/// stopping at the filesystem root.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// Reads and checks a configuration file. Pack names, pinned versions and rule ids are
/// checked later, against the packs (see [`super::apply`]).
pub fn load(path: &Path) -> Result<LoadedConfig, Error> {
    // The file may come from the checked tree (`.envgate.yaml`): bounded, and a FIFO is
    // refused rather than waited on.
    let source = crate::regular::read_to_string(path, crate::files::MAX_FILE_BYTES).map_err(|e| Error::Config {
        message: format!("cannot read the configuration file {}: {e}", path.display()),
        help: "name an existing file with --config, or leave it out to use the .envgate.yaml found from the checked path".into(),
        src: None,
        span: None,
        label: String::new(),
    })?;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = absolute
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    let shown = shown_path(path);
    let parsed: Option<Config> = yaml_serde::from_str(&source).map_err(|e| {
        let location = e.location();
        let text = e.to_string();
        // yaml_serde appends " at line L column C"; the label shows where instead.
        let detail = text
            .find(" at line ")
            .map_or(text.as_str(), |at| &text[..at])
            .to_string();
        let (line, column) = location.as_ref().map_or((0, 0), |l| (l.line(), l.column()));
        let message = if location.is_some() {
            format!("invalid configuration {shown}:{line}:{column}: {detail}")
        } else {
            format!("invalid configuration {shown}: {detail}")
        };
        let help = if detail.contains("unknown field") {
            format!("remove or correct the key; {SCHEMA_HELP}")
        } else {
            format!("fix the marked entry; {SCHEMA_HELP}")
        };
        let (src, span) = Excerpt::around(shown.clone(), &source, location.map(|l| l.index()));
        Error::Config {
            message,
            help,
            span,
            src,
            label: "here".into(),
        }
    })?;
    let config = parsed.unwrap_or_default();
    // yaml_serde gives no positions for values; the event parser's source map does.
    let positions = crate::files::yaml::parse(&source)
        .into_iter()
        .next()
        .map(|doc| doc.positions)
        .unwrap_or_default();
    let loaded = LoadedConfig {
        waiver_lines: (0..config.waivers.len())
            .map(|i| {
                resolve(&positions, &[Step::Key("waivers".into()), Step::Index(i)])
                    .map_or(1, |([line, _], _)| line)
            })
            .collect(),
        shown,
        dir,
        config,
        source,
        positions,
    };
    check_globs_and_dirs(&loaded)?;
    Ok(loaded)
}

/// Relative to the current directory when the file is under it (stable output for a
/// repository's own config), else as given.
fn shown_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    std::env::current_dir()
        .ok()
        .and_then(|cwd| absolute.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

type GlobCheck = fn(&str) -> Result<(), globset::Error>;

fn check_globs_and_dirs(loaded: &LoadedConfig) -> Result<(), Error> {
    let config = &loaded.config;
    for (i, pattern) in config.exclude.iter().enumerate() {
        if let Err(e) = Glob::new(pattern) {
            return Err(loaded.error_at(
                &[Step::Key("exclude".into()), Step::Index(i)],
                format!("exclude {pattern:?} is not a glob: {}", e.kind()),
                "write a glob such as `testdata/**` or `*.json`",
            ));
        }
    }
    for (i, waiver) in config.waivers.iter().enumerate() {
        let globs: [(&str, &Option<String>, GlobCheck); 2] = [
            ("subject", &waiver.subject, |p| subject_glob(p).map(drop)),
            ("path", &waiver.path, |p| path_glob(p).map(drop)),
        ];
        for (key, pattern, check) in globs {
            let Some(pattern) = pattern else { continue };
            if let Err(e) = check(pattern) {
                return Err(loaded.error_at(
                    &[
                        Step::Key("waivers".into()),
                        Step::Index(i),
                        Step::Key(key.into()),
                    ],
                    format!("waiver {key} {pattern:?} is not a glob: {}", e.kind()),
                    "write a glob such as `deploy/**` or `env.GO*`",
                ));
            }
        }
        if waiver.reason.trim().is_empty() {
            return Err(loaded.error_at(
                &[
                    Step::Key("waivers".into()),
                    Step::Index(i),
                    Step::Key("reason".into()),
                ],
                "a waiver needs a reason".into(),
                "say why the finding is accepted, so the next reader can judge the waiver",
            ));
        }
    }
    for (i, dir) in config.policies.iter().enumerate() {
        let resolved = loaded.dir.join(dir);
        if !resolved.is_dir() {
            return Err(loaded.error_at(
                &[Step::Key("policies".into()), Step::Index(i)],
                format!("policy directory {dir:?} does not exist"),
                "policy directories are relative to the configuration file",
            ));
        }
    }
    Ok(())
}

impl LoadedConfig {
    /// A diagnostic about the entry at `path` (keys and indexes from the file's root),
    /// shown at that entry (or the nearest enclosing one).
    pub fn error_at(&self, path: &[Step], detail: String, help: &str) -> Error {
        let place = resolve(&self.positions, path).map(|(position, _)| position);
        let message = match place {
            Some([line, column]) => format!(
                "invalid configuration {}:{line}:{column}: {detail}",
                self.shown
            ),
            None => format!("invalid configuration {}: {detail}", self.shown),
        };
        let offset = place.and_then(|[line, column]| offset_of(&self.source, line, column));
        let (src, span) = Excerpt::around(self.shown.clone(), &self.source, offset);
        Error::Config {
            message,
            help: help.to_string(),
            src,
            span,
            label: "here".into(),
        }
    }
}
