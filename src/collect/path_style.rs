//! Paths of the system audited, spelled its way. A Linux or macOS snapshot's paths are
//! the host's own (`std::path`); a Windows volume's are Windows paths (`C:\Users\dev`),
//! which `std::path` on Linux takes for one relative name: joined with `/`, never
//! absolute, with no parent. Collectors that build paths from a project directory go
//! through [`PathStyle`] so a finding names `C:\Users\dev\src\viewer\go.mod` and the
//! climb to go.mod stops at `C:\`.

use std::path::{Component, Path, PathBuf};

use crate::host::windows;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    Unix,
    Windows,
}

impl PathStyle {
    /// The project directory as findings name it: as given on Unix (its bytes kept); on
    /// Windows [`windows::clean`]ed (`c:/Users/dev/` → `c:\Users\dev`, no drive → `C:`).
    pub fn dir(self, dir: &Path) -> PathBuf {
        match self {
            Self::Unix => dir.to_path_buf(),
            Self::Windows => windows::clean(&dir.to_string_lossy()).into(),
        }
    }

    /// `dir` joined with a relative `name` (`vendor/modules.txt` is `vendor\modules.txt`
    /// on Windows).
    pub fn join(self, dir: &Path, name: &str) -> PathBuf {
        match self {
            Self::Unix => dir.join(name),
            Self::Windows => windows::join(&dir.to_string_lossy(), name).into(),
        }
    }

    /// The directory holding `path`; `None` at the root.
    pub fn parent(self, path: &Path) -> Option<PathBuf> {
        match self {
            Self::Unix => path.parent().map(Path::to_path_buf),
            Self::Windows => windows::parent(&path.to_string_lossy()).map(PathBuf::from),
        }
    }

    /// `dir`, then each directory above it up to the root (`C:\` on a Windows volume:
    /// nothing outside the volume is ever named).
    pub fn ancestors(self, dir: &Path) -> Vec<PathBuf> {
        std::iter::successors(Some(dir.to_path_buf()), |d| self.parent(d)).collect()
    }

    /// The null device cmd/go reports as GOMOD outside a module (os.DevNull).
    pub fn dev_null(self) -> &'static str {
        match self {
            Self::Unix => "/dev/null",
            Self::Windows => "NUL",
        }
    }

    /// Whether `path` names one place whatever the working directory.
    pub fn is_absolute(self, path: &str) -> bool {
        match self {
            Self::Unix => Path::new(path).is_absolute(),
            Self::Windows => windows::is_absolute(path),
        }
    }

    /// `base/rel` (or `rel` when absolute) with `.` and `..` resolved lexically, as
    /// cmd/go resolves go.work's `use` directories (filepath.Join and Clean). On
    /// Windows a `rel` rooted without a drive (`\shared`) is on `base`'s drive.
    pub fn clean_join(self, base: &Path, rel: &str) -> PathBuf {
        match self {
            Self::Unix => {
                let mut out = PathBuf::new();
                for component in base.join(rel).components() {
                    match component {
                        Component::ParentDir => {
                            out.pop();
                        }
                        Component::CurDir => {}
                        other => out.push(other.as_os_str()),
                    }
                }
                out
            }
            Self::Windows => {
                let base = base.to_string_lossy();
                let joined = if self.is_absolute(rel) {
                    rel.to_string()
                } else if rel.starts_with(['\\', '/']) {
                    format!("{}{rel}", base.get(..2).unwrap_or("C:"))
                } else {
                    windows::join(&base, rel)
                };
                windows::clean(&joined).into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(path: &str) -> PathBuf {
        PathBuf::from(path)
    }

    #[test]
    fn unix_paths_are_the_host_s() {
        let unix = PathStyle::Unix;
        assert_eq!(unix.dir(Path::new("/home/dev/app")), p("/home/dev/app"));
        assert_eq!(
            unix.join(Path::new("/home/dev/app"), "go.mod"),
            p("/home/dev/app/go.mod")
        );
        assert_eq!(
            unix.ancestors(Path::new("/home/dev")),
            [p("/home/dev"), p("/home"), p("/")]
        );
        let base = Path::new("/home/dev/ws");
        assert_eq!(unix.clean_join(base, "."), p("/home/dev/ws"));
        assert_eq!(unix.clean_join(base, "./a/b"), p("/home/dev/ws/a/b"));
        assert_eq!(unix.clean_join(base, "../x/./y"), p("/home/dev/x/y"));
        assert_eq!(unix.clean_join(base, "/abs/m"), p("/abs/m"));
        assert_eq!(unix.clean_join(Path::new("/"), "../../a"), p("/a"));
    }

    #[test]
    fn windows_paths_climb_to_the_drive_root_and_join_with_backslashes() {
        let win = PathStyle::Windows;
        assert_eq!(
            win.dir(Path::new("c:/Users/dev/src/viewer/")),
            p(r"c:\Users\dev\src\viewer")
        );
        assert_eq!(win.dir(Path::new("/Users/dev")), p(r"C:\Users\dev"));
        let viewer = Path::new(r"C:\Users\dev\src\viewer");
        assert_eq!(
            win.join(viewer, "go.mod"),
            p(r"C:\Users\dev\src\viewer\go.mod")
        );
        assert_eq!(win.join(Path::new(r"C:\"), "go.mod"), p(r"C:\go.mod"));
        assert_eq!(
            win.join(Path::new(r"C:\p"), "vendor/modules.txt"),
            p(r"C:\p\vendor\modules.txt")
        );
        assert_eq!(
            win.ancestors(Path::new(r"C:\Users\dev\src")),
            [
                p(r"C:\Users\dev\src"),
                p(r"C:\Users\dev"),
                p(r"C:\Users"),
                p(r"C:\")
            ]
        );
        let base = Path::new(r"C:\Users\dev\ws");
        assert_eq!(win.clean_join(base, "."), p(r"C:\Users\dev\ws"));
        assert_eq!(win.clean_join(base, "./a/b"), p(r"C:\Users\dev\ws\a\b"));
        assert_eq!(win.clean_join(base, r"..\x\.\y"), p(r"C:\Users\dev\x\y"));
        assert_eq!(win.clean_join(base, r"D:\m"), p(r"D:\m"));
        assert_eq!(win.clean_join(base, r"\shared\m"), p(r"C:\shared\m"));
        assert_eq!(win.clean_join(Path::new(r"C:\"), r"..\..\a"), p(r"C:\a"));
        assert!(win.is_absolute(r"C:\x") && !win.is_absolute(r"\x") && !win.is_absolute("x"));
    }
}
