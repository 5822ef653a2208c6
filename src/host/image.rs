//! A root filesystem that is not running: a mounted disk, an unpacked tarball, a fixture.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::live::{meta_from_std, read_limited_std, sorted_names};
use super::{Host, Meta, RunError, RunOutput, RunRequest};
use crate::snapshot::Mode;

/// Symlink hops allowed in one lookup, as Linux allows (ELOOP beyond).
const MAX_SYMLINK_HOPS: usize = 40;

/// An image root. Paths are resolved chroot-style: an absolute symlink such as
/// `/usr/lib/go -> /opt/go1.22` points inside the root, `..` stops at the root, and
/// nothing on this machine outside the root is ever read through it.
pub struct ImageHost {
    root: PathBuf,
    /// The root as the user named it, for reports: no absolute host path leaks into a
    /// report unless the user typed one.
    shown_root: PathBuf,
}

impl ImageHost {
    pub fn new(root: impl Into<PathBuf>) -> io::Result<Self> {
        let shown_root = root.into();
        let root = std::fs::canonicalize(&shown_root)?;
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                "an image root must be a directory",
            ));
        }
        Ok(Self { root, shown_root })
    }

    /// Resolves `path` (inside the image) to the image-relative path with every symlink
    /// followed (the last one only when `follow_last`).
    fn resolve(&self, path: &Path, follow_last: bool) -> io::Result<PathBuf> {
        let mut resolved = PathBuf::from("/");
        // Components still to walk, in reverse so `pop` yields the next one.
        let mut pending: Vec<std::ffi::OsString> = components_of(path);
        pending.reverse();
        let mut hops = 0;
        while let Some(component) = pending.pop() {
            if component == ".." {
                resolved.pop();
                continue;
            }
            let candidate = resolved.join(&component);
            let is_last = pending.is_empty();
            let host_path = self.host_path_of(&candidate);
            let meta = match std::fs::symlink_metadata(&host_path) {
                Ok(meta) => meta,
                // A missing component: the rest cannot exist either, but keep the
                // spelling so the caller's error names the path it asked for.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    let mut rest = candidate;
                    while let Some(c) = pending.pop() {
                        rest.push(c);
                    }
                    return Ok(rest);
                }
                Err(e) => return Err(e),
            };
            if meta.file_type().is_symlink() && (follow_last || !is_last) {
                hops += 1;
                if hops > MAX_SYMLINK_HOPS {
                    return Err(io::Error::other(format!(
                        "too many levels of symbolic links at {}",
                        candidate.display()
                    )));
                }
                let target = std::fs::read_link(&host_path)?;
                if target.is_absolute() {
                    resolved = PathBuf::from("/");
                }
                let mut target_parts = components_of(&target);
                target_parts.reverse();
                pending.extend(target_parts);
            } else {
                resolved = candidate;
            }
        }
        Ok(resolved)
    }

    /// Where an image path lives on this machine, without resolving links.
    fn host_path_of(&self, inside: &Path) -> PathBuf {
        let mut host = self.root.clone();
        for component in inside.components() {
            if let Component::Normal(part) = component {
                host.push(part);
            }
        }
        host
    }

    fn resolved_host_path(&self, path: &Path, follow_last: bool) -> io::Result<PathBuf> {
        let inside = self.resolve(path, follow_last)?;
        Ok(self.host_path_of(&inside))
    }
}

/// The normal and `..` components of a path, dropping root and `.`.
fn components_of(path: &Path) -> Vec<std::ffi::OsString> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_os_string()),
            Component::ParentDir => Some("..".into()),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => None,
        })
        .collect()
}

impl Host for ImageHost {
    fn mode(&self) -> Mode {
        Mode::Image
    }

    fn root(&self) -> Option<&Path> {
        Some(&self.shown_root)
    }

    fn process_env(&self) -> Option<&BTreeMap<String, String>> {
        None
    }

    fn metadata(&self, path: &Path) -> io::Result<Meta> {
        let host = self.resolved_host_path(path, true)?;
        std::fs::symlink_metadata(host).map(|m| meta_from_std(&m))
    }

    fn symlink_metadata(&self, path: &Path) -> io::Result<Meta> {
        let host = self.resolved_host_path(path, false)?;
        std::fs::symlink_metadata(host).map(|m| meta_from_std(&m))
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let inside = self.resolve(path, true)?;
        // canonicalize fails on missing paths, like realpath(3).
        std::fs::symlink_metadata(self.host_path_of(&inside))?;
        Ok(inside)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<String>> {
        sorted_names(&self.resolved_host_path(path, true)?)
    }

    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        read_limited_std(&self.resolved_host_path(path, true)?, limit)
    }

    fn open(&self, path: &Path) -> io::Result<std::fs::File> {
        std::fs::File::open(self.resolved_host_path(path, true)?)
    }

    fn run(&self, _request: &RunRequest<'_>) -> Result<RunOutput, RunError> {
        Err(RunError::NotAllowed("image mode never executes anything"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn image() -> (tempfile::TempDir, ImageHost) {
        let dir = tempfile::tempdir().unwrap();
        let host = ImageHost::new(dir.path()).unwrap();
        (dir, host)
    }

    #[test]
    fn absolute_symlinks_resolve_inside_the_root() {
        let (dir, host) = image();
        let root = dir.path();
        std::fs::create_dir_all(root.join("opt/go1.22/bin")).unwrap();
        std::fs::write(root.join("opt/go1.22/VERSION"), "go1.22.0").unwrap();
        std::fs::create_dir_all(root.join("usr/local")).unwrap();
        symlink("/opt/go1.22", root.join("usr/local/go")).unwrap();
        assert_eq!(
            host.canonicalize(Path::new("/usr/local/go/VERSION"))
                .unwrap(),
            PathBuf::from("/opt/go1.22/VERSION")
        );
        assert_eq!(
            host.read_text(Path::new("/usr/local/go/VERSION")).unwrap(),
            "go1.22.0"
        );
    }

    #[test]
    fn dotdot_and_links_cannot_escape_the_root() {
        let (dir, host) = image();
        let root = dir.path();
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::write(root.join("etc/hostname"), "inside").unwrap();
        symlink("../../../../../etc/hostname", root.join("escape")).unwrap();
        assert_eq!(host.read_text(Path::new("/escape")).unwrap(), "inside");
        assert_eq!(
            host.read_text(Path::new("/../../etc/hostname")).unwrap(),
            "inside"
        );
    }

    #[test]
    fn symlink_loops_are_an_error_not_a_hang() {
        let (dir, host) = image();
        symlink("/b", dir.path().join("a")).unwrap();
        symlink("/a", dir.path().join("b")).unwrap();
        assert!(host.metadata(Path::new("/a")).is_err());
        assert!(host.symlink_metadata(Path::new("/a")).unwrap().is_symlink);
    }

    #[test]
    fn nothing_runs_in_an_image() {
        let (_dir, host) = image();
        let env = BTreeMap::new();
        let request = RunRequest {
            program: Path::new("/bin/sh"),
            args: &[],
            env: &env,
            timeout: std::time::Duration::from_secs(1),
            workdir: None,
        };
        assert!(matches!(host.run(&request), Err(RunError::NotAllowed(_))));
    }
}
