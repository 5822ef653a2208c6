//! The machine being inspected, behind one small trait.
//!
//! Every collector reads through a [`Host`], so the same code audits this machine
//! ([`LiveHost`]), an image root that is not running ([`ImageHost`]), and test fixtures.
//! Paths given to and returned by a host are always as seen *from inside* that host:
//! for an image, `/usr/bin/go` means `<root>/usr/bin/go`, and no host path leaks out.

mod image;
mod live;
mod walk;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use image::ImageHost;
pub use live::LiveHost;

use crate::snapshot::Mode;

/// The most any collector reads of one text file: profile files and go.mod are small;
/// a multi-megabyte "profile" is junk and is truncated rather than slurped.
pub const TEXT_READ_LIMIT: u64 = 1024 * 1024;

/// File facts, the subset of `stat` the checks need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    pub is_dir: bool,
    pub is_file: bool,
    pub is_symlink: bool,
    /// Permission bits including setuid/setgid/sticky (`st_mode & 0o7777`).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    /// Seconds since the epoch.
    pub mtime: i64,
}

impl Meta {
    pub fn is_executable_file(&self) -> bool {
        self.is_file && self.mode & 0o111 != 0
    }

    /// Anyone may create or replace files here (and the sticky bit does not stop them).
    pub fn is_world_writable_without_sticky(&self) -> bool {
        self.mode & 0o002 != 0 && self.mode & 0o1000 == 0
    }
}

/// The output of a program run on a live host.
#[derive(Debug, Clone)]
pub struct RunOutput {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Why a program did not produce output.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("running programs is not allowed here ({0})")]
    NotAllowed(&'static str),
    #[error("timed out after {0:?}")]
    TimedOut(Duration),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// A request to run one program: only the Go toolchain is ever run, and only live.
#[derive(Debug, Clone)]
pub struct RunRequest<'a> {
    pub program: &'a Path,
    pub args: &'a [&'a str],
    /// The complete environment of the child (nothing is inherited).
    pub env: &'a BTreeMap<String, String>,
    pub timeout: Duration,
    /// A directory envgate made for this run; `None` runs in a fresh empty temp dir.
    pub workdir: Option<&'a Path>,
}

pub trait Host: Send + Sync {
    fn mode(&self) -> Mode;

    /// The directory audited, for an image; `None` for this machine.
    fn root(&self) -> Option<&Path>;

    /// The process environment: `Some` live, `None` for an image (whose environment
    /// collectors derive from its files).
    fn process_env(&self) -> Option<&BTreeMap<String, String>>;

    /// `stat`, following symlinks.
    fn metadata(&self, path: &Path) -> io::Result<Meta>;

    /// `lstat`: the link itself.
    fn symlink_metadata(&self, path: &Path) -> io::Result<Meta>;

    /// The path with every symlink resolved, as seen inside the host.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;

    /// Names in a directory, sorted, so collectors are deterministic.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<String>>;

    /// At most `limit` bytes of a file.
    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>>;

    /// An open file for random access (executable headers); follows symlinks.
    fn open(&self, path: &Path) -> io::Result<std::fs::File>;

    /// Runs a program. An [`ImageHost`] refuses: nothing inside an image is executed.
    fn run(&self, request: &RunRequest<'_>) -> Result<RunOutput, RunError>;

    /// A text file, lossily decoded and bounded by [`TEXT_READ_LIMIT`].
    fn read_text(&self, path: &Path) -> io::Result<String> {
        let bytes = self.read_limited(path, TEXT_READ_LIMIT)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn exists(&self, path: &Path) -> bool {
        self.metadata(path).is_ok()
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.metadata(path).map(|m| m.is_dir).unwrap_or(false)
    }
}

/// The user the checks are about: whose home, whose login shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswdEntry {
    pub name: String,
    pub uid: u32,
    pub home: String,
    pub shell: String,
}

/// Parses `/etc/passwd` text; malformed lines are skipped.
pub fn parse_passwd(text: &str) -> Vec<PasswdEntry> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            if fields.len() < 7 {
                return None;
            }
            Some(PasswdEntry {
                name: fields[0].to_string(),
                uid: fields[2].parse().ok()?,
                home: fields[5].to_string(),
                shell: fields[6].to_string(),
            })
        })
        .collect()
}

pub fn read_passwd(host: &dyn Host) -> Vec<PasswdEntry> {
    host.read_text(Path::new("/etc/passwd"))
        .map(|text| parse_passwd(&text))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd_skips_malformed_lines() {
        let entries = parse_passwd(
            "root:x:0:0:root:/root:/bin/bash\nbroken\ndev:x:1000:1000::/home/dev:/usr/bin/zsh\nbad:x:notanumber:0::/:/bin/sh\n",
        );
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].name, "dev");
        assert_eq!(entries[1].shell, "/usr/bin/zsh");
    }
}
