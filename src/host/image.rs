//! A root filesystem that is not running: a mounted disk, an unpacked tarball, a fixture.

use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::fs::{Mode, OFlags};

use super::live::meta_from_std;
use super::walk::{Walked, walk};
use super::{DirEntry, Host, Meta, RunError, RunOutput, RunRequest};
use crate::snapshot::Mode as SnapshotMode;

/// An image root. Paths are resolved chroot-style: an absolute symlink such as
/// `/usr/lib/go -> /opt/go1.22` points inside the root, `..` stops at the root, and
/// nothing on this machine outside the root is ever read through it, even while the
/// image changes under envgate (see `walk.rs`).
pub struct ImageHost {
    /// The root directory, held open: every lookup starts from this fd, not a path.
    root: OwnedFd,
    /// The root as the user named it, for reports: no absolute host path leaks into a
    /// report unless the user typed one.
    shown_root: PathBuf,
}

impl ImageHost {
    pub fn new(root: impl Into<PathBuf>) -> io::Result<Self> {
        let shown_root = root.into();
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let root = rustix::fs::open(&shown_root, flags, Mode::empty()).map_err(|e| {
            if e == rustix::io::Errno::NOTDIR {
                io::Error::new(
                    io::ErrorKind::NotADirectory,
                    "an image root must be a directory",
                )
            } else {
                e.into()
            }
        })?;
        Ok(Self { root, shown_root })
    }

    fn walk(&self, path: &Path, follow_last: bool) -> io::Result<Walked> {
        walk(self.root.as_fd(), path, follow_last)
    }
}

fn meta_of(walked: &Walked) -> io::Result<Meta> {
    // fstat of an O_PATH fd: of the link itself when the walk did not follow it.
    let file = std::fs::File::from(walked.fd.try_clone()?);
    file.metadata().map(|m| meta_from_std(&m))
}

impl Host for ImageHost {
    fn mode(&self) -> SnapshotMode {
        SnapshotMode::Image
    }

    fn root(&self) -> Option<&Path> {
        Some(&self.shown_root)
    }

    fn process_env(&self) -> Option<&BTreeMap<String, String>> {
        None
    }

    fn metadata(&self, path: &Path) -> io::Result<Meta> {
        meta_of(&self.walk(path, true)?)
    }

    fn symlink_metadata(&self, path: &Path) -> io::Result<Meta> {
        meta_of(&self.walk(path, false)?)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        Ok(self.walk(path, true)?.inside)
    }

    fn dir_entries(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let mut entries: Vec<DirEntry> = (self.walk(path, true)?.list()?)
            .iter()
            .map(|raw| DirEntry::new(path, raw))
            .collect();
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(entries)
    }

    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        crate::regular::read_limited(self.walk(path, true)?.open_read()?, limit)
    }

    fn open(&self, path: &Path) -> io::Result<std::fs::File> {
        self.walk(path, true)?.open_read()
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

    /// A host directory beside the image root, holding a file the image must never show.
    fn beside_the_root() -> (tempfile::TempDir, PathBuf, ImageHost) {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("file"), "HOST").unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::write(root.join("etc/file"), "inside").unwrap();
        let host = ImageHost::new(&root).unwrap();
        (dir, outside, host)
    }

    #[test]
    fn components_linking_out_of_the_root_stay_inside_it() {
        let (dir, outside, host) = beside_the_root();
        let root = dir.path().join("root");
        symlink("/etc", root.join("abs")).unwrap();
        symlink("../../../etc", root.join("up")).unwrap();
        symlink(&outside, root.join("host")).unwrap();
        symlink("../outside", root.join("sibling")).unwrap();
        for inside in ["/abs/file", "/up/file", "/abs/../up/../etc/file"] {
            assert_eq!(host.read_text(Path::new(inside)).unwrap(), "inside");
        }
        for escape in [
            "/host/file",
            "/sibling/file",
            "/../outside/file",
            "/up/../../outside/file",
        ] {
            let path = Path::new(escape);
            let error = host.read_text(path).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::NotFound, "{escape}: {error}");
            assert!(host.metadata(path).is_err(), "{escape}");
            assert!(host.canonicalize(path).is_err(), "{escape}");
            assert!(host.open(path).is_err(), "{escape}");
        }
        assert!(host.read_dir(Path::new("/host")).is_err());
        assert_eq!(
            host.canonicalize(Path::new("/host")).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    /// A writer inside the image swaps a directory for a symlink to a host directory
    /// while envgate reads through it: a lookup that checked the path and then opened it
    /// by its host name read the host file (441 of 6,497 runs). Bounded by counts.
    #[test]
    fn a_directory_swapped_for_a_host_link_mid_lookup_never_shows_the_host() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let (dir, outside, host) = beside_the_root();
        let root = dir.path().join("root");
        let (swapped, parked) = (root.join("d"), root.join("d.parked"));
        std::fs::create_dir_all(&swapped).unwrap();
        std::fs::write(swapped.join("file"), "inside").unwrap();
        let done = AtomicBool::new(false);
        let (mut inside, mut host_reads) = (0, 0);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                // At most this many swaps, fewer when the reader is done first.
                for _ in 0..200_000 {
                    if done.load(Ordering::Relaxed) {
                        break;
                    }
                    std::fs::rename(&swapped, &parked).unwrap();
                    symlink(&outside, &swapped).unwrap();
                    std::fs::remove_file(&swapped).unwrap();
                    std::fs::rename(&parked, &swapped).unwrap();
                }
            });
            for _ in 0..20_000 {
                match host.read_text(Path::new("/d/file")).as_deref() {
                    Ok("inside") => inside += 1,
                    Ok(_) => host_reads += 1,
                    Err(_) => {}
                }
            }
            done.store(true, Ordering::Relaxed);
        });
        assert_eq!(host_reads, 0, "read the host file {host_reads} times");
        // The reads did happen (and races were met): not a test that cannot fail.
        assert!(inside > 0);
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
