//! Checked files that were not read whole: what they are, for the summary's counts.
//!
//! A file that cannot be read (a permission error, a FIFO or socket named like a
//! manifest, an I/O error) and one too large to judge (past 16 MiB, or past the
//! values or documents bounds of [`super::bounds`]) are neither "checked" nor "syntax
//! errors": they are counted as `unreadable` and `too_large`, and each fails the
//! check (exit 2) whatever `--allow-unparsed` says, since nothing in them was judged.

use std::io::Read;

use super::MAX_FILE_BYTES;
use super::discover::Source;
use crate::snapshot::{FileParseError, FilesSummary};

/// Why a checked file was not read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// Opening or reading it failed.
    Unreadable,
    /// Past a size bound: bytes, values or documents.
    TooLarge,
}

impl Unread {
    /// Counts one file in `summary`.
    pub fn count(self, summary: &mut FilesSummary) {
        match self {
            Unread::Unreadable => summary.unreadable += 1,
            Unread::TooLarge => summary.too_large += 1,
        }
    }

    /// What a file's first error says about it being read, if anything: a bound
    /// error is [`Unread::TooLarge`]; any other error is the parser's.
    pub fn of_error(error: &FileParseError) -> Option<Unread> {
        super::bounds::is_too_large(error).then_some(Unread::TooLarge)
    }
}

/// The bytes of a checked file, or why not, with the error's message.
pub fn read(source: &Source) -> Result<Vec<u8>, (Unread, String)> {
    let mut bytes = Vec::new();
    let result = match source {
        Source::Stdin => std::io::stdin()
            .lock()
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes),
        // Not a plain open: a FIFO would block it (see `crate::regular`).
        Source::File(path) => crate::regular::open(path)
            .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)),
        Source::Pipe(path) => crate::regular::read_named(path, MAX_FILE_BYTES + 1).map(|read| {
            bytes = read;
            bytes.len()
        }),
    };
    result.map_err(|e| (Unread::Unreadable, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let message = super::bounds::too_large(&format!("{} MiB", MAX_FILE_BYTES >> 20), 1, 1);
        return Err((Unread::TooLarge, message.message));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_errors_are_unreadable_and_oversized_files_too_large() {
        let dir = tempfile::tempdir().unwrap();
        // A directory named like a manifest: reading it fails even for root, which
        // file modes do not stop.
        let named_dir = dir.path().join("x.yaml");
        std::fs::create_dir(&named_dir).unwrap();
        let (kind, message) = read(&Source::File(named_dir)).unwrap_err();
        assert_eq!(kind, Unread::Unreadable);
        assert!(message.contains("cannot read: is a directory"), "{message}");
        let missing = dir.path().join("gone.yaml");
        assert_eq!(
            read(&Source::File(missing)).unwrap_err().0,
            Unread::Unreadable
        );
        // Sparse: 16 MiB and one byte of zeros costs no disk.
        let big = dir.path().join("big.yaml");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        let (kind, message) = read(&Source::File(big.clone())).unwrap_err();
        assert_eq!(kind, Unread::TooLarge);
        assert!(message.contains("more than 16 MiB"), "{message}");
        std::fs::File::options()
            .write(true)
            .open(&big)
            .unwrap()
            .set_len(MAX_FILE_BYTES)
            .unwrap();
        assert_eq!(
            read(&Source::File(big)).unwrap().len() as u64,
            MAX_FILE_BYTES
        );
    }

    #[test]
    fn only_bound_errors_are_too_large() {
        let bound = super::super::bounds::too_large("1,000,000 values", 3, 4);
        assert_eq!(Unread::of_error(&bound), Some(Unread::TooLarge));
        let syntax = FileParseError {
            message: "did not find expected key".into(),
            line: 1,
            column: 1,
        };
        assert_eq!(Unread::of_error(&syntax), None);
        let mut summary = FilesSummary::default();
        Unread::TooLarge.count(&mut summary);
        Unread::Unreadable.count(&mut summary);
        Unread::Unreadable.count(&mut summary);
        assert_eq!((summary.too_large, summary.unreadable), (1, 2));
    }
}
