//! `-o FILE`: what the name stands for, and writing it.

use std::fs::{Metadata, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Symbolic links followed before giving up, as the kernel's own limit (`ELOOP`).
const MAX_LINKS: usize = 40;

/// What writing `-o FILE` means.
#[derive(Debug)]
pub(super) enum Target {
    /// A device, FIFO, socket or a `/proc` file descriptor: opened and written as is.
    InPlace(PathBuf),
    /// A regular file (or none yet) at `path`, the end of any symbolic links: written
    /// to a temp file beside it and renamed over it.
    Replace {
        path: PathBuf,
        existing: Option<Metadata>,
    },
}

/// Follows `path` through symbolic links to the file they end at. A hop into `/proc`
/// (`/dev/stdout` is a link to `/proc/self/fd/1`) stops there: what that link names is
/// the process's open file, a pipe or a terminal or a file opened for appending, which
/// must be written through the descriptor, never replaced by name.
pub(super) fn target(path: &Path) -> Result<Target, Error> {
    let error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut current = std::path::absolute(path).map_err(error)?;
    for _ in 0..MAX_LINKS {
        let (Some(dir), Some(name)) = (current.parent(), current.file_name()) else {
            return Err(error(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a file name",
            )));
        };
        // The directory's real place, so `/dev/fd/1` is seen to be in `/proc`.
        let entry = std::fs::canonicalize(dir).map_err(error)?.join(name);
        if entry.starts_with("/proc") {
            return Ok(Target::InPlace(entry));
        }
        match std::fs::read_link(&entry) {
            Ok(link) => current = entry.parent().unwrap_or(Path::new("/")).join(link),
            Err(_) => return classify(path, entry),
        }
    }
    Err(error(std::io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links"
    ))))
}

/// `entry`, which is not a symbolic link: replaced when it is a regular file or missing.
fn classify(shown: &Path, entry: PathBuf) -> Result<Target, Error> {
    match std::fs::symlink_metadata(&entry) {
        Ok(meta) if meta.is_file() => {
            if let Some(why) = protected(&entry, &meta) {
                return Err(Error::ProtectedOutput {
                    path: shown.to_path_buf(),
                    why,
                    help: "make the file writable (chmod u+w) if it is meant to be replaced, or write the report to another file with -o; nothing was written",
                });
            }
            Ok(Target::Replace {
                path: entry,
                existing: Some(meta),
            })
        }
        Ok(meta) if meta.is_dir() => Err(Error::ProtectedOutput {
            path: shown.to_path_buf(),
            why: "it is a directory",
            help: "name a file for -o, not a directory; nothing was written",
        }),
        Ok(_) => Ok(Target::InPlace(entry)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Target::Replace {
            path: entry,
            existing: None,
        }),
        Err(source) => Err(Error::Write {
            path: shown.to_path_buf(),
            source,
        }),
    }
}

/// Why an existing file must not be replaced. Renaming over a file needs only the
/// directory to be writable, so a file without write permission (for anyone, which
/// also stops root, or for this user) would be silently replaced: `chmod a-w` is how
/// people keep a file, and a shell's `>` refuses it too.
fn protected(path: &Path, meta: &Metadata) -> Option<&'static str> {
    if meta.mode() & 0o222 == 0 {
        return Some("it is read-only");
    }
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()) else {
        return None;
    };
    // SAFETY: a NUL-terminated path; faccessat reads it and nothing else.
    let writable = unsafe {
        libc::faccessat(
            libc::AT_FDCWD,
            c_path.as_ptr(),
            libc::W_OK,
            libc::AT_EACCESS,
        )
    } == 0;
    (!writable).then_some("this user may not write it")
}

/// Writes a device, FIFO or descriptor as it is: appending, as a shell's `>>` does,
/// so `{ echo header; envgate … -o /dev/stdout; } >file` keeps the header. A reader
/// that went away is not an error, as on standard output.
pub(super) fn write_in_place(
    shown: &Path,
    device: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let error = |source| Error::WriteInPlace {
        path: shown.to_path_buf(),
        source,
    };
    let file = OpenOptions::new()
        .append(true)
        .open(device)
        .map_err(|source| Error::Write {
            path: shown.to_path_buf(),
            source,
        })?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(error(e)),
        Ok(()) => Ok(()),
    }
}

/// Writes a temp file beside `real` and renames it over `real`; on any error nothing
/// is left behind. The temp file's name carries this process's id, so a later run
/// can tell a temp file of a killed run from one being written.
pub(super) fn replace(
    shown: &Path,
    real: &Path,
    existing: Option<&Metadata>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let error = |source| Error::Write {
        path: shown.to_path_buf(),
        source,
    };
    let dir = real.parent().unwrap_or(Path::new("/"));
    // A new file is created 0666 and the kernel takes the umask off, as for `>`; over
    // an existing one, nobody else may read the temp file before it has the old mode.
    let mode = if existing.is_some() { 0o600 } else { 0o666 };
    let mut temp = tempfile::Builder::new()
        .prefix(&super::stale::temp_prefix())
        .suffix(super::stale::TEMP_SUFFIX)
        .permissions(Permissions::from_mode(mode))
        .tempfile_in(dir)
        .map_err(error)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, temp.as_file_mut());
    write(&mut out).and_then(|()| out.flush()).map_err(error)?;
    drop(out);
    if let Some(old) = existing {
        keep_owner_and_mode(temp.as_file(), old).map_err(error)?;
    }
    temp.as_file().sync_all().map_err(error)?;
    temp.persist(real).map_err(|e| error(e.error))?;
    Ok(())
}

/// Gives the new file the old one's owner where this user may (root may; others only
/// a group they are in), then its mode: after the owner, as chown clears set-id bits.
fn keep_owner_and_mode(file: &std::fs::File, old: &Metadata) -> std::io::Result<()> {
    let new = file.metadata()?;
    if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
        // Not allowed for another user's file: it then becomes this user's, as a
        // rename by this user has always made it.
        if std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).is_err() {
            let _ = std::os::unix::fs::fchown(file, None, Some(old.gid()));
        }
    }
    file.set_permissions(Permissions::from_mode(old.mode() & 0o7777))
}
