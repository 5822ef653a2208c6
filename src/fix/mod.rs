//! `envgate fix`: the structured edits rules attach to findings (`fix: [...]`), planned
//! per file (`plan`), shown as unified diffs, and with `--apply` written atomically
//! after a backup (`backup`), then proven by a re-check that rolls everything back
//! when a fixed finding remains or a new one appears.

pub mod backup;
pub mod edit;
mod json;
mod lines;
pub mod output;
pub mod plan;
pub mod render;
pub mod run;
mod yaml;

use std::collections::BTreeSet;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub use edit::{Edit, Op, Step};
pub use plan::{FilePlan, Held, Plan, Scope};

use crate::error::Error;
use crate::report::{Finding, Report};

/// What `--apply` did.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The backup set (`--undo ID`).
    pub id: String,
    pub set: PathBuf,
    /// Files written, as named in the report.
    pub written: Vec<String>,
    /// The report of the re-check.
    pub after: Report,
    /// Why the re-check failed the fix: fixed findings still there, new findings.
    pub problems: Vec<String>,
    /// The problems made the fix roll back (the files are as they were).
    pub rolled_back: bool,
}

/// A finding as the re-check compares it: rule, file (or subject), and message with
/// its numbers blurred, since a fix that deletes a line moves the lines below it.
fn key(finding: &Finding) -> (String, String, String) {
    let place = finding
        .location
        .as_ref()
        .map(|l| l.file.clone())
        .or_else(|| finding.subject.clone())
        .unwrap_or_default();
    let mut message = String::with_capacity(finding.message.len());
    for c in finding.message.chars() {
        if c.is_ascii_digit() {
            if !message.ends_with('#') {
                message.push('#');
            }
        } else {
            message.push(c);
        }
    }
    (finding.id.to_string(), place, message)
}

/// What the re-check says about a fix: the findings it was meant to remove that are
/// still there, and the findings that were not there before.
pub fn judge_recheck(before: &Report, plan: &Plan, after: &Report) -> Vec<String> {
    let before_keys: BTreeSet<_> = before.findings.iter().map(|f| key(f)).collect();
    let after_keys: BTreeSet<_> = after.findings.iter().map(|f| key(f)).collect();
    let mut problems = Vec::new();
    for (&i, &fixed) in &plan.fixed {
        let finding = &before.findings[i];
        if fixed && after_keys.contains(&key(finding)) {
            problems.push(format!(
                "{} is still reported after its fix: {}",
                finding.id, finding.message
            ));
        }
    }
    for finding in &after.findings {
        if !before_keys.contains(&key(finding)) {
            problems.push(format!(
                "the fix made a new finding: {} {}",
                finding.id, finding.message
            ));
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

fn write_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Applies `plan`: backs up every file it changes into a new set under `backups`,
/// writes each one atomically (mode and owner kept), runs `recheck`, and rolls back
/// when the re-check finds a fixed finding or a new one. An error while writing rolls
/// back what was written.
pub fn apply(
    plan: &Plan,
    before: &Report,
    backups: &Path,
    root: Option<&Path>,
    recheck: impl FnOnce() -> Result<Report, Error>,
) -> Result<Applied, Error> {
    let files: Vec<&FilePlan> = plan.files.iter().filter(|f| f.changes_anything()).collect();
    for file in &files {
        refuse_links(file, root)?;
    }
    let (id, set) = backup::create_set(backups)?;
    let mut manifest = backup::Manifest {
        id: id.clone(),
        created: chrono::Utc::now().to_rfc3339(),
        root: root.map(Path::to_path_buf),
        entries: Vec::new(),
        undone: false,
    };
    for (n, file) in files.iter().enumerate() {
        if file.mkdir.is_some() {
            manifest.entries.push(backup::Entry {
                file: file.file.clone(),
                real: file.real.clone(),
                mode: None,
                copy: None,
                written_sha256: None,
                created_dir: !file.real.exists(),
            });
            continue;
        }
        if file.before.is_none() && file.after.is_some() {
            // A new file's missing directories, outermost first, so an undo removes them
            // innermost first (and only when empty).
            let mut missing: Vec<&Path> = file
                .real
                .ancestors()
                .skip(1)
                .take_while(|dir| !dir.exists())
                .collect();
            missing.reverse();
            for dir in missing {
                manifest.entries.push(backup::Entry {
                    file: dir.display().to_string(),
                    real: dir.to_path_buf(),
                    mode: None,
                    copy: None,
                    written_sha256: None,
                    created_dir: true,
                });
            }
        }
        let (mode, copy) = backup::save(&set, n, &file.real)?;
        manifest.entries.push(backup::Entry {
            file: file.file.clone(),
            real: file.real.clone(),
            mode,
            copy,
            written_sha256: file.after.as_ref().map(|a| backup::sha256(a.as_bytes())),
            created_dir: false,
        });
    }
    backup::write_manifest(&set, &manifest)?;
    if let Err(error) = write_all(&files) {
        let _ = backup::restore(&set, &manifest);
        manifest.undone = true;
        let _ = backup::write_manifest(&set, &manifest);
        return Err(error);
    }
    let written = files.iter().map(|f| f.file.clone()).collect();
    let after = match recheck() {
        Ok(after) => after,
        Err(error) => {
            let _ = backup::restore(&set, &manifest);
            manifest.undone = true;
            let _ = backup::write_manifest(&set, &manifest);
            return Err(error);
        }
    };
    let problems = judge_recheck(before, plan, &after);
    let rolled_back = !problems.is_empty();
    if rolled_back {
        backup::restore(&set, &manifest)?;
        manifest.undone = true;
        backup::write_manifest(&set, &manifest)?;
    }
    Ok(Applied {
        id,
        set,
        written,
        after,
        problems,
        rolled_back,
    })
}

/// In an image a symbolic link could point anywhere on the host once followed by the
/// host's kernel: only regular files (or missing ones) are written there. On this
/// machine a link (a dotfiles manager's) is written through, as `-o` does.
fn refuse_links(file: &FilePlan, root: Option<&Path>) -> Result<(), Error> {
    let Some(_) = root else { return Ok(()) };
    match std::fs::symlink_metadata(&file.real) {
        Ok(meta) if meta.file_type().is_symlink() => Err(Error::BadInput {
            message: format!(
                "{} is a symbolic link inside the image; envgate fix edits only regular files there",
                file.file
            ),
            help: Some("edit the file the link points to by hand".into()),
            src: None,
            span: None,
        }),
        _ => Ok(()),
    }
}

fn write_all(files: &[&FilePlan]) -> Result<(), Error> {
    for file in files {
        if let Some(mode) = file.mkdir {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(mode)
                .create(&file.real)
                .map_err(write_error(&file.real))?;
        }
        if let Some(after) = &file.after {
            if file.before.is_none()
                && let Some(parent) = file.real.parent()
            {
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o755)
                    .create(parent)
                    .map_err(write_error(parent))?;
            }
            // The file must still be what the plan was made from.
            let now = crate::regular::read_named(&file.real, plan::MAX_FILE_BYTES)
                .ok()
                .and_then(|b| String::from_utf8(b).ok());
            if now != file.before {
                return Err(Error::BadInput {
                    message: format!("{} changed while envgate fix ran", file.file),
                    help: Some("run envgate fix again".into()),
                    src: None,
                    span: None,
                });
            }
            crate::output::write_atomically(&file.real, after)?;
        }
        if let Some(mode) = file.chmod {
            std::fs::set_permissions(&file.real, std::fs::Permissions::from_mode(mode))
                .map_err(write_error(&file.real))?;
        }
    }
    Ok(())
}

/// `fix --undo [ID]`: restores backup set `id` (the newest not yet undone without one).
pub fn undo(backups: &Path, id: Option<&str>) -> Result<(String, Vec<backup::Restored>), Error> {
    let id = match id {
        Some(id) => {
            if id.contains('/') || id.starts_with('.') {
                return Err(Error::Usage(format!("{id:?} is not a backup set id")));
            }
            id.to_string()
        }
        None => backup::list(backups)
            .into_iter()
            .rev()
            .find(|id| backup::read_manifest(&backups.join(id)).is_ok_and(|m| !m.undone))
            .ok_or_else(|| {
                Error::Usage(format!("no backup set to undo in {}", backups.display()))
            })?,
    };
    let set = backups.join(&id);
    let mut manifest = backup::read_manifest(&set)?;
    if manifest.undone {
        return Err(Error::Usage(format!("backup set {id} was already undone")));
    }
    let restored = backup::restore(&set, &manifest)?;
    manifest.undone = true;
    backup::write_manifest(&set, &manifest)?;
    Ok((id, restored))
}
