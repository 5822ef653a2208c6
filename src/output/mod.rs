//! Where reports go: standard output, or `-o FILE`.
//!
//! A regular file is written whole or not at all: into a temp file beside it, then
//! renamed over it, so a crash or a full disk never leaves half a report. The name is
//! followed through symbolic links, and the file they end at is the one replaced (the
//! links stay). A new file gets the mode `open(2)` gives it (0666 less the umask), an
//! existing one keeps its mode and, where the user may set it, its owner. A read-only
//! file is refused rather than replaced.
//!
//! Anything else (`/dev/null`, `/dev/stdout`, a terminal, a FIFO) is opened and
//! written as it is, the way a shell's `>>` would: replacing it with a regular file
//! would break the device or lose the output.
//!
//! Temp files of runs that were killed mid-write are removed by the next write to the
//! same directory (see [`stale`]).

use std::io::Write;
use std::path::Path;

use crate::error::Error;

mod file;
mod stale;

/// Writes `text` to standard output (see [`print_with`]).
pub fn print(text: &str) -> Result<(), Error> {
    print_with(|out| out.write_all(text.as_bytes()))
}

/// Lets `write` write to standard output, buffered, so a large report streams out
/// instead of being held whole. A reader that went away (`envgate check | head`) is
/// not an error: the rest of the output is dropped and the exit code stays the
/// report's.
pub fn print_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Error> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: "<standard output>".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}

pub fn write_atomically(path: &Path, contents: &str) -> Result<(), Error> {
    write_atomically_with(path, |out| out.write_all(contents.as_bytes()))
}

/// Lets `write` write the report for `path` through a buffer (see the module
/// documentation for what happens to devices, links and read-only files).
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    match file::target(path)? {
        file::Target::InPlace(device) => file::write_in_place(path, &device, write),
        file::Target::Replace {
            path: real,
            existing,
        } => {
            stale::remove_stale_temps(real.parent().unwrap_or(Path::new("/")));
            file::replace(path, &real, existing.as_ref(), write)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temp file left behind");
    }

    #[test]
    fn a_writer_that_fails_midway_leaves_the_old_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        let result = write_atomically_with(&path, |out| {
            out.write_all(&vec![b'x'; 1 << 20])?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(matches!(result, Err(Error::Write { .. })));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temp file left behind");
    }

    use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().mode() & 0o7777
    }

    /// Checked before any device is written: a regression must not replace the
    /// machine's /dev/null with a file.
    fn assert_in_place(path: &str) {
        let target = file::target(Path::new(path)).unwrap();
        assert!(
            matches!(target, file::Target::InPlace(_)),
            "{path}: {target:?}"
        );
    }

    #[test]
    fn devices_are_written_in_place_not_replaced() {
        for device in ["/dev/null", "/dev/full", "/dev/stdout", "/dev/fd/1"] {
            assert_in_place(device);
        }
        write_atomically(Path::new("/dev/null"), "report").unwrap();
        let null = std::fs::metadata("/dev/null").unwrap();
        assert!(null.file_type().is_char_device());
    }

    #[test]
    fn a_full_device_is_an_error() {
        assert_in_place("/dev/full");
        let result = write_atomically(Path::new("/dev/full"), "report");
        match result {
            Err(Error::WriteInPlace { source, .. }) => {
                assert_eq!(source.raw_os_error(), Some(libc::ENOSPC), "{source}");
            }
            other => panic!("{other:?}"),
        }
        assert!(
            std::fs::metadata("/dev/full")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }

    #[test]
    fn a_fifo_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("report.fifo");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let report = "x".repeat(1 << 18);
        write_atomically(&fifo, &report).unwrap();
        assert_eq!(reader.join().unwrap(), report);
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_symlink_is_followed_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("reports")).unwrap();
        let real = dir.path().join("reports/out.json");
        std::fs::write(&real, "old").unwrap();
        // A relative link to a relative link: each is resolved from its own directory.
        std::os::unix::fs::symlink("out.json", dir.path().join("reports/latest.json")).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("reports/latest.json", &link).unwrap();
        write_atomically(&link, "new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(dir.path().join("reports"))
                .unwrap()
                .count(),
            2
        );

        // A dangling link: the file it names is created.
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink("reports/new.json", &dangling).unwrap();
        write_atomically(&dangling, "created").unwrap();
        assert!(
            std::fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let created = dir.path().join("reports/new.json");
        assert_eq!(std::fs::read_to_string(created).unwrap(), "created");
    }

    #[test]
    fn a_link_loop_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(matches!(
            write_atomically(&a, "x"),
            Err(Error::Write { .. })
        ));
    }

    #[test]
    fn a_read_only_file_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keep.json");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let result = write_atomically(&path, "new");
        assert!(
            matches!(result, Err(Error::ProtectedOutput { .. })),
            "{result:?}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(mode(&path), 0o444);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let result = write_atomically(dir.path(), "new");
        assert!(
            matches!(result, Err(Error::ProtectedOutput { .. })),
            "{result:?}"
        );
    }

    #[test]
    fn an_existing_file_keeps_its_mode_and_owner() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        // Root may give the file to another user, and the new file must keep that.
        let root = unsafe { libc::geteuid() } == 0;
        if root {
            std::os::unix::fs::chown(&path, Some(4321), Some(8765)).unwrap();
        }
        write_atomically(&path, "new").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(meta.mode() & 0o7777, 0o640);
        if root {
            assert_eq!((meta.uid(), meta.gid()), (4321, 8765));
        }
    }

    #[test]
    fn an_abandoned_temp_file_is_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let temp = dir.path().join(format!(".envgate-{dead}-Zz9yY8.tmp"));
        let file = std::fs::File::create(&temp).unwrap();
        let idle = stale::ABANDONED_AFTER + std::time::Duration::from_secs(1);
        file.set_modified(std::time::SystemTime::now() - idle)
            .unwrap();
        write_atomically(&dir.path().join("out.json"), "new").unwrap();
        assert!(!temp.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing/out.json");
        assert!(matches!(
            write_atomically(&path, "x"),
            Err(Error::Write { .. })
        ));
    }
}
