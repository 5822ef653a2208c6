//! Path lookup inside an image root, one component at a time, relative to file
//! descriptors: never through a host path.
//!
//! Resolving a path to a host path and then opening that path by name is racy: a writer
//! inside the image swapping a checked directory for a symlink to `/etc` between the
//! two steps made `snapshot --root` print a host file. Here each component is opened
//! with `openat(parent_fd, name, O_PATH | O_NOFOLLOW)`, so the kernel never follows a
//! link and never walks `..`: envgate reads each symlink itself and resolves it against
//! the image root (an absolute target restarts at the root, `..` pops a directory and
//! stops at the root). The object finally opened is the one found, inside the root.
//! (`openat2(RESOLVE_IN_ROOT)` does the same in the kernel, but not on every kernel;
//! one walk everywhere is one behaviour to test.)

use std::ffi::{CString, OsStr, OsString};
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Component, Path, PathBuf};

use rustix::fs::{Mode, OFlags};

/// Symlink hops allowed in one lookup, as Linux allows (ELOOP beyond).
const MAX_SYMLINK_HOPS: usize = 40;

/// Directories deep a lookup may go: each level holds an open fd while the walk lasts,
/// and no real path comes near this (Linux's PATH_MAX allows ~2,000).
pub const MAX_DEPTH: usize = 256;

/// The object a path names inside the image.
pub struct Walked {
    /// An `O_PATH` descriptor: enough to `fstat` it, list it or read a link, not to read
    /// its contents (see [`Walked::open_read`]).
    pub fd: OwnedFd,
    /// The directory holding it and its name there; `None` when it is the root.
    pub parent: Option<(OwnedFd, CString)>,
    /// The path inside the image, every symlink resolved (the last only when followed).
    pub inside: PathBuf,
}

impl Walked {
    /// Opens the object for reading, refusing anything but a regular file (a FIFO would
    /// block) and an object swapped since it was found (a symlink now: `O_NOFOLLOW`
    /// fails; another file: its inode differs).
    pub fn open_read(&self) -> io::Result<std::fs::File> {
        let Some((parent, name)) = &self.parent else {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory, not a regular file",
            ));
        };
        // NONBLOCK: a FIFO opens at once instead of waiting for a writer.
        let flags =
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(parent, name.as_c_str(), flags, Mode::empty())?;
        let file = crate::regular::regular(fd)?;
        let (now, found) = (rustix::fs::fstat(&file)?, rustix::fs::fstat(&self.fd)?);
        if (now.st_dev, now.st_ino) != (found.st_dev, found.st_ino) {
            return Err(io::Error::other("changed while it was being read"));
        }
        Ok(file)
    }

    /// The names in the directory, unsorted, without `.` and `..`.
    pub fn list(&self) -> io::Result<Vec<OsString>> {
        let dir_flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        // `.` of the O_PATH fd is the directory itself, whatever its name is now.
        let dir = rustix::fs::openat(&self.fd, ".", dir_flags, Mode::empty())?;
        let mut names = Vec::new();
        for entry in rustix::fs::Dir::new(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_bytes();
            if name != b"." && name != b".." {
                names.push(OsStr::from_bytes(name).to_os_string());
            }
        }
        Ok(names)
    }
}

/// Finds `path` under the root directory `root`, following the last symlink only when
/// `follow_last`.
pub fn walk(root: BorrowedFd<'_>, path: &Path, follow_last: bool) -> io::Result<Walked> {
    // Directories entered below the root, with their names.
    let mut stack: Vec<(OwnedFd, OsString)> = Vec::new();
    // Components still to walk, reversed so `pop` yields the next one.
    let mut pending = components_of(path);
    pending.reverse();
    let mut hops = 0;
    let here = |stack: &[(OwnedFd, OsString)]| -> PathBuf {
        let mut inside = PathBuf::from("/");
        inside.extend(stack.iter().map(|(_, name)| name));
        inside
    };
    while let Some(component) = pending.pop() {
        if component == ".." {
            stack.pop();
            continue;
        }
        let dir = stack.last().map_or(root, |(fd, _)| fd.as_fd());
        let flags = OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(dir, component.as_os_str(), flags, Mode::empty())?;
        let stat = rustix::fs::fstat(&fd)?;
        let kind = rustix::fs::FileType::from_raw_mode(stat.st_mode);
        let is_last = pending.is_empty();
        if kind == rustix::fs::FileType::Symlink && (follow_last || !is_last) {
            hops += 1;
            if hops > MAX_SYMLINK_HOPS {
                return Err(io::Error::other(format!(
                    "too many levels of symbolic links at {}",
                    here(&stack).join(&component).display()
                )));
            }
            // An empty name reads the link the O_PATH fd itself refers to.
            let target = rustix::fs::readlinkat(&fd, "", Vec::new())?;
            let target = PathBuf::from(OsString::from_vec(target.into_bytes()));
            if target.is_absolute() {
                stack.clear();
            }
            let mut parts = components_of(&target);
            parts.reverse();
            pending.extend(parts);
            continue;
        }
        if !is_last && kind != rustix::fs::FileType::Directory {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!(
                    "{} is not a directory",
                    here(&stack).join(&component).display()
                ),
            ));
        }
        if stack.len() >= MAX_DEPTH {
            return Err(io::Error::other(format!(
                "more than {MAX_DEPTH} directories deep"
            )));
        }
        stack.push((fd, component));
    }
    let inside = here(&stack);
    let Some((fd, name)) = stack.pop() else {
        let root = rustix::fs::openat(root, ".", OFlags::PATH | OFlags::CLOEXEC, Mode::empty())?;
        return Ok(Walked {
            fd: root,
            parent: None,
            inside,
        });
    };
    let parent = match stack.pop() {
        Some((parent, _)) => parent,
        None => rustix::fs::openat(root, ".", OFlags::PATH | OFlags::CLOEXEC, Mode::empty())?,
    };
    let name = CString::new(name.into_vec())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL byte in a path"))?;
    Ok(Walked {
        fd,
        parent: Some((parent, name)),
        inside,
    })
}

/// The normal and `..` components of a path, dropping root and `.`.
pub fn components_of(path: &Path) -> Vec<OsString> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_os_string()),
            Component::ParentDir => Some("..".into()),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => None,
        })
        .collect()
}
