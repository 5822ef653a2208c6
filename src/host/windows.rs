//! A Windows volume (a mounted VHDX, a WSL host's `/mnt/c`, a backup) read as drive
//! `C:`. Paths given to and returned by this host are Windows paths, as findings show
//! them: `C:\Program Files\Go\bin\go.exe` is `<root>/Program Files/Go/bin/go.exe` on
//! disk. Only drive C: is the audited volume: a path on another drive (`D:\tools`) or a
//! network or WSL share (`\\wsl$\…`) is "not found" with that reason, never looked up
//! elsewhere. NTFS names match without regard to case and a mounted volume may show
//! them in any case (`windows`, `WINDOWS`), so each component is matched that way.
//! Every lookup goes through the image host underneath, so nothing resolves outside
//! the root and nothing runs.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::{DirEntry, Host, ImageHost, Meta, PasswdEntry, RunError, RunOutput, RunRequest};
use crate::snapshot::Mode;

/// The file that makes a directory a Windows volume: the machine's registry hive.
pub const SYSTEM_HIVE: &str = r"C:\Windows\System32\config\SYSTEM";

/// Profiles under `C:\Users` that are no person's: the template new profiles are
/// copied from (it has an NTUSER.DAT too), the shared one and the old links.
const NOT_PEOPLE: &[&str] = &["default", "default user", "public", "all users"];

pub struct WindowsHost {
    inner: ImageHost,
}

/// Where a Windows path points.
enum Place {
    /// A path on drive C:, as the components below its root.
    Volume(Vec<String>),
    /// Another drive or a share: not on the audited volume.
    Elsewhere(String),
}

impl WindowsHost {
    pub fn new(inner: ImageHost) -> Self {
        Self { inner }
    }

    /// The image underneath, for a root that turned out not to be Windows.
    pub fn into_inner(self) -> ImageHost {
        self.inner
    }

    /// Whether the volume holds a Windows installation (its SYSTEM hive).
    pub fn is_windows(&self) -> bool {
        self.metadata(Path::new(SYSTEM_HIVE))
            .is_ok_and(|m| m.is_file)
    }

    /// The path inside the image for a Windows path, each name matched without regard
    /// to case against what the volume holds (`envgate fix` edits that file).
    pub fn inside(&self, path: &Path) -> io::Result<PathBuf> {
        let parts = match place(&path.to_string_lossy()) {
            Place::Volume(parts) => parts,
            Place::Elsewhere(why) => {
                return Err(io::Error::new(io::ErrorKind::NotFound, why));
            }
        };
        let mut here = PathBuf::from("/");
        for part in parts {
            let exact = here.join(&part);
            if self.inner.symlink_metadata(&exact).is_ok() {
                here = exact;
                continue;
            }
            let lower = part.to_lowercase();
            let found = self.inner.dir_entries(&here).ok().and_then(|entries| {
                entries
                    .into_iter()
                    .find(|e| e.utf8 && e.name.to_lowercase() == lower)
            });
            here = match found {
                Some(entry) => here.join(entry.name),
                None => exact,
            };
        }
        Ok(here)
    }
}

/// A Windows path taken apart: `C:\a\b`, `c:/a/b`, `\a\b` (the current drive, C:) and
/// `\\?\C:\a` are on the volume; `..` stops at the root.
fn place(text: &str) -> Place {
    let text = text.strip_prefix(r"\\?\").unwrap_or(text);
    if text.starts_with(r"\\") || text.starts_with("//") {
        return Place::Elsewhere(format!(
            "{text} is a network or WSL share, not on the audited volume"
        ));
    }
    let bytes = text.as_bytes();
    let rest = if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        if !bytes[0].eq_ignore_ascii_case(&b'c') {
            return Place::Elsewhere(format!(
                "drive {}: is not on the audited volume (only C: is)",
                (bytes[0] as char).to_ascii_uppercase()
            ));
        }
        &text[2..]
    } else {
        text
    };
    Place::Volume(components(rest).into_iter().map(str::to_string).collect())
}

/// The names of a path below its root (`\` or `/` separated), `.` and `..` resolved
/// lexically; `..` stops at the root, as Windows stops it.
fn components(rest: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    for part in rest.split(['\\', '/']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    parts
}

/// `C:\…`, `C:/…` or a share (`\\server\…`): a path that names one place whatever the
/// working directory (`C:go` and `\go` depend on the current drive or directory).
pub fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/'))
        || path.starts_with(r"\\")
}

/// Whether Windows path `path` is `dir` or below it, names compared without regard to
/// case, `.` and `..` resolved first (so `C:\Users\dev\..\other` is not below
/// `C:\Users\dev`).
pub fn is_within(path: &str, dir: &str) -> bool {
    match (place(path), place(dir)) {
        (Place::Volume(path), Place::Volume(dir)) => {
            path.len() >= dir.len()
                && path
                    .iter()
                    .zip(&dir)
                    .all(|(a, b)| a.to_lowercase() == b.to_lowercase())
        }
        _ => false,
    }
}

/// A path inside the image as Windows names it: `/Program Files/Go` → `C:\Program Files\Go`.
pub fn windows_path(inside: &Path) -> String {
    let text = inside.to_string_lossy();
    let rest = text.trim_start_matches('/').replace('/', "\\");
    format!(r"C:\{rest}")
}

/// Joins a Windows directory and a relative part (`/` or `\` separated) with `\`.
pub fn join(dir: &str, rest: &str) -> String {
    let rest = rest.replace('/', "\\");
    format!(
        r"{}\{}",
        dir.trim_end_matches(['\\', '/']),
        rest.trim_start_matches('\\')
    )
}

/// A Windows path spelled the one way findings show it: `\` separators, `.` and `..`
/// resolved lexically (`..` stops at the root, as Windows stops it), no trailing `\`
/// but the root's own (`C:\`). The drive is kept as written; a path without one
/// (`\Users\dev`, `/Users/dev`, `Users\dev`) is on the audited volume, `C:`, as
/// [`WindowsHost`] reads it. A share (`\\server\share\…`) is never on the volume and is
/// only given `\` separators.
pub fn clean(path: &str) -> String {
    let text = path.strip_prefix(r"\\?\").unwrap_or(path);
    if text.starts_with(r"\\") || text.starts_with("//") {
        return text.replace('/', r"\");
    }
    let bytes = text.as_bytes();
    let (drive, rest) = if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        text.split_at(2)
    } else {
        ("C:", text)
    };
    format!(r"{drive}\{}", components(rest).join(r"\"))
}

/// The directory holding a [`clean`] path on a drive; `None` at its root (`C:\`) and
/// for a share, which is not on the volume.
pub fn parent(path: &str) -> Option<String> {
    if path.starts_with(r"\\") {
        return None;
    }
    let cut = path.trim_end_matches('\\').rfind('\\')?;
    let parent = path[..cut].trim_end_matches('\\');
    // The root keeps its separator: `C:\`, not `C:` (the drive's current directory).
    Some(if parent.ends_with(':') {
        format!(r"{parent}\")
    } else {
        parent.to_string()
    })
}

impl Host for WindowsHost {
    fn mode(&self) -> Mode {
        Mode::Image
    }

    fn root(&self) -> Option<&Path> {
        self.inner.root()
    }

    fn process_env(&self) -> Option<&BTreeMap<String, String>> {
        None
    }

    fn metadata(&self, path: &Path) -> io::Result<Meta> {
        self.inner.metadata(&self.inside(path)?)
    }

    fn symlink_metadata(&self, path: &Path) -> io::Result<Meta> {
        self.inner.symlink_metadata(&self.inside(path)?)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let real = self.inner.canonicalize(&self.inside(path)?)?;
        Ok(PathBuf::from(windows_path(&real)))
    }

    fn dir_entries(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let dir = path.to_string_lossy();
        Ok(self
            .inner
            .dir_entries(&self.inside(path)?)?
            .into_iter()
            .map(|entry| DirEntry {
                path: PathBuf::from(join(&dir, &entry.name)),
                name: entry.name,
                utf8: entry.utf8,
            })
            .collect())
    }

    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        self.inner.read_limited(&self.inside(path)?, limit)
    }

    fn open(&self, path: &Path) -> io::Result<std::fs::File> {
        self.inner.open(&self.inside(path)?)
    }

    fn run(&self, _request: &RunRequest<'_>) -> Result<RunOutput, RunError> {
        Err(RunError::NotAllowed("image mode never executes anything"))
    }
}

/// The people of a Windows volume: each profile under `C:\Users` with its own
/// registry hive (`NTUSER.DAT`), sorted by name. Windows has no uid or login shell:
/// those fields are 0 and empty.
pub fn accounts(host: &dyn Host) -> Vec<PasswdEntry> {
    let mut accounts: Vec<PasswdEntry> = host
        .dir_entries(Path::new(r"C:\Users"))
        .unwrap_or_default()
        .into_iter()
        .filter(|entry| entry.utf8 && !NOT_PEOPLE.contains(&entry.name.to_lowercase().as_str()))
        .filter(|entry| {
            let home = entry.path.to_string_lossy();
            host.metadata(Path::new(&join(&home, "NTUSER.DAT")))
                .is_ok_and(|m| m.is_file)
        })
        .map(|entry| PasswdEntry {
            home: entry.path.to_string_lossy().into_owned(),
            name: entry.name,
            uid: 0,
            shell: String::new(),
        })
        .collect();
    accounts.sort_by(|a, b| a.name.cmp(&b.name));
    accounts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volume(files: &[&str]) -> (tempfile::TempDir, WindowsHost) {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, file.as_bytes()).unwrap();
        }
        let host = WindowsHost::new(ImageHost::new(dir.path()).unwrap());
        (dir, host)
    }

    #[test]
    fn names_match_in_any_case_and_come_back_as_windows_paths() {
        let (_dir, host) = volume(&[
            "WINDOWS/system32/CONFIG/SYSTEM",
            "Program Files/Go/VERSION",
            "Users/dev/NTUSER.DAT",
            "Users/Default/NTUSER.DAT",
            "Users/Public/desktop.ini",
        ]);
        assert!(host.is_windows());
        assert_eq!(
            host.read_text(Path::new(r"c:\program files\GO\version"))
                .unwrap(),
            "Program Files/Go/VERSION"
        );
        assert_eq!(
            host.canonicalize(Path::new(r"C:/PROGRAM FILES/go"))
                .unwrap(),
            PathBuf::from(r"C:\Program Files\Go")
        );
        let entries = host.dir_entries(Path::new(r"C:\Program Files\Go")).unwrap();
        assert_eq!(
            entries[0].path,
            PathBuf::from(r"C:\Program Files\Go\VERSION")
        );
        let users = accounts(&host);
        assert_eq!(users.len(), 1);
        assert_eq!(
            (users[0].name.as_str(), users[0].home.as_str()),
            ("dev", r"C:\Users\dev")
        );
    }

    #[test]
    fn other_drives_shares_and_dotdot_stay_off_the_host() {
        let (dir, host) = volume(&["Windows/System32/config/SYSTEM"]);
        std::fs::write(dir.path().parent().unwrap().join("outside-marker"), "HOST").ok();
        for path in [
            r"D:\tools\go.exe",
            r"\\wsl$\Ubuntu\usr\bin",
            r"\\wsl.localhost\Debian\bin",
        ] {
            let error = host.metadata(Path::new(path)).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::NotFound, "{path}");
            assert!(
                error.to_string().contains("not on the audited volume"),
                "{error}"
            );
        }
        assert!(
            host.read_text(Path::new(r"C:\..\..\outside-marker"))
                .is_err()
        );
        assert!(host.exists(Path::new(r"C:\..\Windows\System32\config\SYSTEM")));
    }

    #[test]
    fn paths_are_cleaned_and_climbed_the_windows_way() {
        assert_eq!(
            clean(r"C:\Users\dev\src\viewer"),
            r"C:\Users\dev\src\viewer"
        );
        assert_eq!(
            clean("c:/Users/dev/src/viewer/"),
            r"c:\Users\dev\src\viewer"
        );
        assert_eq!(clean("/Users/dev/./src"), r"C:\Users\dev\src");
        assert_eq!(clean(r"Users\dev"), r"C:\Users\dev");
        assert_eq!(clean(r"C:\a\..\..\..\b"), r"C:\b");
        assert_eq!(clean(r"\\?\C:\Go\"), r"C:\Go");
        assert_eq!(clean("C:"), r"C:\");
        assert_eq!(clean(r"D:\tools\..\go"), r"D:\go");
        assert_eq!(clean("//wsl$/Ubuntu/etc"), r"\\wsl$\Ubuntu\etc");
        assert_eq!(
            parent(r"C:\Users\dev\src").as_deref(),
            Some(r"C:\Users\dev")
        );
        assert_eq!(parent(r"C:\Users").as_deref(), Some(r"C:\"));
        assert_eq!(parent(r"C:\"), None);
        assert_eq!(parent(r"\\wsl$\Ubuntu\etc"), None);
    }

    #[test]
    fn a_path_is_within_a_directory_by_its_names_in_any_case() {
        assert!(is_absolute(r"C:\Users\dev") && is_absolute("c:/go"));
        assert!(is_absolute(r"\\wsl$\Ubuntu") && !is_absolute("/home/dev"));
        assert!(!is_absolute("C:") && !is_absolute("relative"));
        let home = r"C:\Users\dev";
        assert!(is_within(r"C:\Users\dev\AppData\Roaming\go\env", home));
        assert!(is_within(r"c:\users\DEV\x", home));
        assert!(is_within(home, home));
        assert!(!is_within(r"C:\Users\developer\x", home));
        assert!(!is_within(r"C:\Users\dev\..\other\x", home));
        assert!(!is_within(r"D:\Users\dev\x", home));
        assert!(!is_within(r"\\wsl$\Users\dev\x", home));
    }

    #[test]
    fn a_linux_root_is_not_windows() {
        let (_dir, host) = volume(&["etc/passwd"]);
        assert!(!host.is_windows());
    }
}
