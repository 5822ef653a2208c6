//! The machine being inspected, behind one small trait.
//!
//! Every collector reads through a [`Host`], so the same code audits this machine
//! ([`LiveHost`]), an image root that is not running ([`ImageHost`]), and test fixtures.
//! Paths given to and returned by a host are always as seen *from inside* that host:
//! for an image, `/usr/bin/go` means `<root>/usr/bin/go`, and no host path leaks out.

pub mod dslocal;
mod image;
mod live;
pub mod registry;
mod walk;
pub mod windows;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use image::ImageHost;
pub use live::LiveHost;
pub use windows::WindowsHost;

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

/// A directory entry: its name as text for the snapshot and messages, and the path to
/// read it by. The two differ for a name that is not UTF-8 (`bad\xff.conf`), which a
/// lossy name made unreadable ("no such file"), so its content went unjudged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The name, escaped as [`crate::escape::path`] does when it is not UTF-8.
    pub name: String,
    /// The entry's real path (the directory joined with the name's bytes).
    pub path: PathBuf,
    /// Whether the name is UTF-8 (`name` is then the name itself).
    pub utf8: bool,
}

/// The path to read for `shown`, a path as envgate shows it: itself, unless no file
/// has that name and its last component is the escaped form of an entry whose name is
/// not UTF-8 (`/etc/profile.d/bad\xff.sh` listed by a glob, then sourced by that
/// name). A file literally named so wins, as it exists.
pub fn real_path(host: &dyn Host, shown: &Path) -> PathBuf {
    let escaped = shown
        .file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.contains("\\x"));
    if !escaped || host.symlink_metadata(shown).is_ok() {
        return shown.to_path_buf();
    }
    let (Some(dir), Some(name)) = (shown.parent(), shown.file_name()) else {
        return shown.to_path_buf();
    };
    host.dir_entries(dir)
        .ok()
        .and_then(|entries| {
            entries
                .into_iter()
                .find(|entry| !entry.utf8 && std::ffi::OsStr::new(&entry.name) == name)
        })
        .map_or_else(|| shown.to_path_buf(), |entry| entry.path)
}

impl DirEntry {
    /// The entry `raw` of directory `dir`.
    pub fn new(dir: &Path, raw: &std::ffi::OsStr) -> DirEntry {
        let name = crate::escape::path(Path::new(raw)).into_owned();
        DirEntry {
            utf8: raw.to_str().is_some(),
            name,
            path: dir.join(raw),
        }
    }
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

    /// The entries of a directory, sorted by name, so collectors are deterministic.
    fn dir_entries(&self, path: &Path) -> io::Result<Vec<DirEntry>>;

    /// The names in a directory, sorted; a name that is not UTF-8 in its escaped form
    /// ([`crate::escape::path`]), which no file has: a collector that must read such a
    /// file takes [`Host::dir_entries`] for the real path.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<String>> {
        Ok(self
            .dir_entries(path)?
            .into_iter()
            .map(|entry| entry.name)
            .collect())
    }

    /// At most `limit` bytes of a file.
    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>>;

    /// An open file for random access (executable headers); follows symlinks.
    fn open(&self, path: &Path) -> io::Result<std::fs::File>;

    /// Runs a program. An [`ImageHost`] refuses: nothing inside an image is executed.
    fn run(&self, request: &RunRequest<'_>) -> Result<RunOutput, RunError>;

    /// Whether [`Host::run`] may run anything: `false` where it refuses every program
    /// (an image, `--no-exec`), so a collector need not prepare a call that cannot
    /// happen. By default a live host may.
    fn may_run(&self) -> bool {
        self.mode() == Mode::Live
    }

    /// A text file, lossily decoded and bounded by [`TEXT_READ_LIMIT`].
    fn read_text(&self, path: &Path) -> io::Result<String> {
        let bytes = self.read_limited(path, TEXT_READ_LIMIT)?;
        // Valid UTF-8 (nearly every file) is taken as it is: the lossy conversion would
        // walk it in chunks and copy it, a CA bundle's 200 KB on every doctor run.
        Ok(String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    fn exists(&self, path: &Path) -> bool {
        self.metadata(path).is_ok()
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.metadata(path).map(|m| m.is_dir).unwrap_or(false)
    }
}

/// Opens an image root: a Windows volume (see [`windows`]) is read through a
/// [`WindowsHost`], any other root through an [`ImageHost`].
pub fn open_image(root: &Path) -> io::Result<Box<dyn Host>> {
    let windows = WindowsHost::new(ImageHost::new(root)?);
    if windows.is_windows() {
        Ok(Box::new(windows))
    } else {
        Ok(Box::new(windows.into_inner()))
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

/// The accounts of `/etc/passwd`, then a Mac's local accounts (which its
/// `/etc/passwd` does not list; see [`dslocal`]).
pub fn read_passwd(host: &dyn Host) -> Vec<PasswdEntry> {
    let text = host.read_text(Path::new("/etc/passwd")).unwrap_or_default();
    accounts(host, &text)
}

/// The accounts of `passwd` (the text of `/etc/passwd`), then a Mac's local accounts.
pub fn accounts(host: &dyn Host, passwd: &str) -> Vec<PasswdEntry> {
    let mut accounts = parse_passwd(passwd);
    for account in dslocal::accounts(host) {
        if !accounts.iter().any(|a| a.name == account.name) {
            accounts.push(account);
        }
    }
    accounts
}

/// The uids of people's accounts: from 1000 on Linux, from 501 on a Mac (whose local
/// directory holds its users), below the system accounts from 60000.
pub fn regular_uids(host: &dyn Host) -> std::ops::Range<u32> {
    if host.is_dir(Path::new(dslocal::USERS_DIR)) {
        501..60000
    } else {
        1000..60000
    }
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
