//! Opening files whose type envgate does not control: only regular files are read.
//!
//! A FIFO named `~/.bashrc` (or a FIFO, socket or device anywhere a file is expected:
//! an image's `/etc/passwd`, a manifest in a checked tree) blocks a plain `open()`
//! forever, or reads without end. Every read of a path someone else chose goes through
//! here: the file is opened with `O_NONBLOCK` (a FIFO then opens at once, without
//! waiting for a writer), `fstat`ed, refused with an error naming what it is unless it
//! is a regular file, and only then switched back to blocking reads.

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
