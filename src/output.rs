//! Output files are written whole or not at all: into a temp file beside the target,
//! then renamed over it, so a crash or a full disk never leaves half a report.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

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

/// Lets `write` write the file through a buffer into a temp file beside it, then
/// renames that over `path`; on any error nothing is left behind.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".envgate-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(write_error)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, temp.as_file_mut());
    write(&mut out)
        .and_then(|()| out.flush())
        .map_err(write_error)?;
    drop(out);
    temp.as_file().sync_all().map_err(write_error)?;
    temp.persist(path).map_err(|e| write_error(e.error))?;
    Ok(())
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
