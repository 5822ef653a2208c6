//! Opening files whose type envgate does not control: only regular files are read.
//!
//! A FIFO named `~/.bashrc` (or a FIFO, socket or device anywhere a file is expected:
//! an image's `/etc/passwd`, a manifest in a checked tree) blocks a plain `open()`
//! forever, or reads without end. Every read of a path someone else chose goes through
//! here: the file is opened with `O_NONBLOCK` (a FIFO then opens at once, without
//! waiting for a writer), `fstat`ed, refused with an error naming what it is unless it
//! is a regular file, and only then switched back to blocking reads.
//!
//! A path the user names on the command line (`check FILE`, `--snapshot`,
//! `--roots-from`) may also be a pipe they made (`<(helm template …)`): it is read as
//! a stream ([`read_named`]), and a FIFO nobody writes to reads as empty instead of
//! blocking.

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use rustix::fs::OFlags;

/// The flags every read open uses: no blocking on a FIFO, no controlling terminal
/// from a tty device, no fd leaked into a child.
pub const READ_FLAGS: i32 = libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC;

/// Opens `path` for reading, following symlinks, and refuses anything but a regular
/// file (see the module doc).
pub fn open(path: &Path) -> io::Result<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(READ_FLAGS)
        .open(path)?;
    regular(file.into())
}

/// Checks that an fd opened with [`READ_FLAGS`] is a regular file and makes its reads
/// blocking again.
pub fn regular(fd: OwnedFd) -> io::Result<File> {
    let file = File::from(fd);
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        let what = if kind.is_fifo() {
            "a FIFO (named pipe)"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() {
            "a character device"
        } else if kind.is_block_device() {
            "a block device"
        } else if kind.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory, not a regular file",
            ));
        } else {
            "not a regular file"
        };
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("is {what}, not a regular file: envgate reads only regular files"),
        ));
    }
    let flags = rustix::fs::fcntl_getfl(file.as_fd())?;
    rustix::fs::fcntl_setfl(file.as_fd(), flags - OFlags::NONBLOCK)?;
    Ok(file)
}

/// At most `limit` bytes of an open file.
pub fn read_limited(file: File, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A whole regular file as UTF-8 text, refused when it is larger than `max` bytes
/// (configuration and policy files: a cut file would be judged as something else).
/// `u64::MAX` for files the operator names (a saved snapshot, a policy pack).
pub fn read_to_string(path: &Path, max: u64) -> io::Result<String> {
    let bytes = read_limited(open(path)?, max.saturating_add(1))?;
    if bytes.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("is larger than {} MiB", max >> 20),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "is not UTF-8 text"))
}

/// A file named on the command line: a regular file, or a pipe the user made
/// (`--roots-from <(ls -d /mnt/*)`, `check <(helm template …)`), read to its end
/// without ever waiting on a FIFO nobody writes to (it reads as empty). At most
/// `max` bytes; a devices, socket or directory is refused.
pub fn read_named(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(READ_FLAGS)
        .open(path)?;
    if !file.metadata()?.file_type().is_fifo() {
        return read_limited(regular(file.into())?, max);
    }
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        match rustix::io::read(&file, &mut chunk) {
            // No writer (left, or none ever came): the end.
            Ok(0) => return Ok(bytes),
            Ok(n) => {
                bytes.extend_from_slice(&chunk[..n]);
                if bytes.len() as u64 > max {
                    bytes.truncate(max as usize);
                    return Ok(bytes);
                }
            }
            // A writer that has not written yet: wait for data or its end.
            Err(rustix::io::Errno::AGAIN) => {
                let mut fds = [rustix::event::PollFd::new(
                    &file,
                    rustix::event::PollFlags::IN,
                )];
                rustix::event::poll(&mut fds, None)?;
            }
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mkfifo(path: &Path) {
        let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    }

    #[test]
    fn a_fifo_is_refused_at_once_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        mkfifo(&fifo);
        // Before the fix, open() blocked here forever waiting for a writer.
        let error = open(&fifo).unwrap_err();
        assert!(error.to_string().contains("is a FIFO"), "{error}");
        let error = read_to_string(&fifo, 1024).unwrap_err();
        assert!(error.to_string().contains("FIFO"), "{error}");
    }

    #[test]
    fn a_named_pipe_is_read_to_its_end_and_a_writerless_fifo_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        mkfifo(&fifo);
        // Nobody writes: empty at once, not a wait.
        assert!(read_named(&fifo, 1024).unwrap().is_empty());
        // A writer holding the FIFO open (read-write: its open does not wait) until
        // the reader has taken everything it wrote.
        let (written, wait) = std::sync::mpsc::channel();
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open(fifo)
                    .unwrap();
                std::io::Write::write_all(&mut file, &b"0123456789".repeat(100)).unwrap();
                written.send(()).unwrap();
                while rustix::io::ioctl_fionread(&file).unwrap() > 0 {
                    std::thread::yield_now();
                }
            })
        };
        wait.recv().unwrap();
        let bytes = read_named(&fifo, 4096).unwrap();
        writer.join().unwrap();
        assert_eq!(bytes.len(), 1000);
        assert!(read_named(Path::new("/dev/zero"), 10).is_err());
        let file = dir.path().join("f");
        std::fs::write(&file, "abc").unwrap();
        assert_eq!(read_named(&file, 2).unwrap(), b"ab");
    }

    #[test]
    fn devices_and_directories_are_refused_and_files_read() {
        let error = open(Path::new("/dev/zero")).unwrap_err();
        assert!(error.to_string().contains("character device"), "{error}");
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            open(dir.path()).unwrap_err().kind(),
            io::ErrorKind::IsADirectory
        );
        let file = dir.path().join("f");
        std::fs::write(&file, "0123456789").unwrap();
        assert_eq!(read_limited(open(&file).unwrap(), 4).unwrap(), b"0123");
        assert_eq!(read_to_string(&file, 10).unwrap(), "0123456789");
        assert!(read_to_string(&file, 9).is_err());
        // The blocking mode is restored for the reads that follow.
        let flags = rustix::fs::fcntl_getfl(open(&file).unwrap().as_fd()).unwrap();
        assert!(!flags.contains(OFlags::NONBLOCK));
    }
}
