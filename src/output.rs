//! Output files are written whole or not at all: into a temp file beside the target,
//! then renamed over it, so a crash or a full disk never leaves half a report.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes `text` to standard output. A reader that went away (`envgate check | head`)
/// is not an error: the rest of the output is dropped and the exit code stays the
/// report's.
pub fn print(text: &str) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: "<standard output>".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}

pub fn write_atomically(path: &Path, contents: &str) -> Result<(), Error> {
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
    temp.write_all(contents.as_bytes()).map_err(write_error)?;
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
    fn a_missing_directory_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing/out.json");
        assert!(matches!(
            write_atomically(&path, "x"),
            Err(Error::Write { .. })
        ));
    }
}
