//! Backup sets: before `fix --apply` writes anything, each file it will change is
//! copied under `$XDG_STATE_HOME/envgate/backups/<id>/` (by default
//! `~/.local/state/envgate/backups/`) with a manifest; `fix --undo [ID]` puts the
//! files back byte for byte, modes included, and deletes those the fix created.

use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;

/// One file of a backup set.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    /// The file as the report named it (inside the image with a root).
    pub file: String,
    /// Its path on this machine.
    pub real: PathBuf,
    /// Its permission bits before the fix; `None`: the fix created it.
    pub mode: Option<u32>,
    /// The copy's name inside the set (`files/N`), when the file existed.
    pub copy: Option<String>,
    /// SHA-256 of what the fix wrote, so an undo never overwrites later changes.
    pub written_sha256: Option<String>,
    /// The fix created this directory (mkdir): undo removes it when empty.
    #[serde(default)]
    pub created_dir: bool,
}

/// A backup set's manifest (`manifest.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub id: String,
    pub created: String,
    pub root: Option<PathBuf>,
    pub entries: Vec<Entry>,
    #[serde(default)]
    pub undone: bool,
}

/// `$XDG_STATE_HOME/envgate/backups`, else `~/.local/state/envgate/backups`.
pub fn default_dir() -> Result<PathBuf, Error> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| Path::new(v).is_absolute())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .ok_or_else(|| Error::Usage("neither XDG_STATE_HOME nor HOME is set: nowhere to keep the backups envgate fix --apply needs".into()))?;
    Ok(state.join("envgate/backups"))
}

pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// A new, empty backup set directory (mode 0700: the copies may hold secrets).
pub fn create_set(dir: &Path) -> Result<(String, PathBuf), Error> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io(dir))?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ").to_string();
    for n in 0..1000 {
        let id = if n == 0 {
            stamp.clone()
        } else {
            format!("{stamp}-{n}")
        };
        let set = dir.join(&id);
        match std::fs::DirBuilder::new().mode(0o700).create(&set) {
            Ok(()) => {
                let files = set.join("files");
                std::fs::DirBuilder::new()
                    .mode(0o700)
                    .create(&files)
                    .map_err(io(&files))?;
                return Ok((id, set));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(&set)(e)),
        }
    }
    Err(Error::Usage(format!(
        "cannot create a backup set in {}",
        dir.display()
    )))
}

/// Copies `real` into the set as copy number `n`; `None` when it does not exist.
pub fn save(set: &Path, n: usize, real: &Path) -> Result<(Option<u32>, Option<String>), Error> {
    match std::fs::symlink_metadata(real) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((None, None)),
        Err(e) => Err(io(real)(e)),
        Ok(meta) => {
            let bytes =
                crate::regular::read_named(real, super::plan::MAX_FILE_BYTES).map_err(io(real))?;
            let name = format!("files/{n}");
            let copy = set.join(&name);
            std::fs::write(&copy, bytes).map_err(io(&copy))?;
            std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o600))
                .map_err(io(&copy))?;
            Ok((Some(meta.mode() & 0o7777), Some(name)))
        }
    }
}

pub fn write_manifest(set: &Path, manifest: &Manifest) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(manifest).expect("manifest serializes");
    crate::output::write_atomically(&set.join("manifest.json"), &text)
}

pub fn read_manifest(set: &Path) -> Result<Manifest, Error> {
    let path = set.join("manifest.json");
    let bytes = crate::regular::read_named(&path, 16 << 20).map_err(|e| Error::read(&path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::BadInput {
        message: format!("{} is not an envgate backup manifest: {e}", path.display()),
        help: Some("name another backup set (envgate fix --undo lists them)".into()),
        src: None,
        span: None,
    })
}

/// The backup sets in `dir`, oldest first (ids sort by time).
pub fn list(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("manifest.json").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    ids.sort();
    ids
}

/// What an undo did, file by file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    Restored(String),
    Removed(String),
}

/// Puts a set's files back. A file changed since the fix wrote it is not touched
/// (the undo fails naming it, before anything is restored).
pub fn restore(set: &Path, manifest: &Manifest) -> Result<Vec<Restored>, Error> {
    for entry in &manifest.entries {
        let Some(expected) = &entry.written_sha256 else {
            continue;
        };
        let now = crate::regular::read_named(&entry.real, super::plan::MAX_FILE_BYTES)
            .map(|b| sha256(&b))
            .ok();
        if now.as_ref() != Some(expected) {
            return Err(Error::BadInput {
                message: format!(
                    "{} changed after envgate fix wrote it; undoing would lose that change",
                    entry.file
                ),
                help: Some(format!(
                    "restore it by hand from {} if that is what you want",
                    set.join(entry.copy.as_deref().unwrap_or("files")).display()
                )),
                src: None,
                span: None,
            });
        }
    }
    let mut done = Vec::new();
    for entry in manifest.entries.iter().rev() {
        match (&entry.copy, entry.mode) {
            (Some(copy), Some(mode)) => {
                let bytes =
                    std::fs::read(set.join(copy)).map_err(|e| Error::read(set.join(copy), e))?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    Error::Usage(format!("the backup of {} is not text", entry.file))
                })?;
                crate::output::write_atomically(&entry.real, &text)?;
                std::fs::set_permissions(&entry.real, std::fs::Permissions::from_mode(mode))
                    .map_err(io(&entry.real))?;
                done.push(Restored::Restored(entry.file.clone()));
            }
            _ if entry.created_dir => {
                // Only when empty: never a directory with files the user added since.
                if std::fs::remove_dir(&entry.real).is_ok() {
                    done.push(Restored::Removed(entry.file.clone()));
                }
            }
            _ => match std::fs::remove_file(&entry.real) {
                Ok(()) => done.push(Restored::Removed(entry.file.clone())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&entry.real)(e)),
            },
        }
    }
    Ok(done)
}
