//! Bounded reads at file offsets, and fixed-endianness integer decoding.
//!
//! Every length and offset in an executable header is untrusted: a corrupt or hostile
//! file can claim a 4 GiB table or an offset past the end. All reads go through
//! `Source`, which checks ranges against the real file length *before* allocating, so
//! garbage headers cost nothing and can never make a seek fail with `EINVAL`.

use std::io::{self, Read, Seek, SeekFrom};

/// Object-safe `Read + Seek`, so the format parsers are not generic over the reader.
pub(crate) trait ReadSeek: Read + Seek {}
impl<T: Read + Seek + ?Sized> ReadSeek for T {}

/// Largest piece of a header table (section headers, program headers) read at once.
const TABLE_CHUNK: usize = 64 << 10;

/// A seekable file with a known length.
pub(crate) struct Source<'a> {
    inner: &'a mut dyn ReadSeek,
    len: u64,
}

impl<'a> Source<'a> {
    pub(crate) fn new(inner: &'a mut dyn ReadSeek) -> io::Result<Self> {
        let len = inner.seek(SeekFrom::End(0))?;
        Ok(Self { inner, len })
    }

    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Reads into `buf` from `off`; returns how many bytes were read, fewer at the end of
    /// the file and zero past it.
    pub(crate) fn fill(&mut self, off: u64, buf: &mut [u8]) -> io::Result<usize> {
        if off >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let available = usize::try_from(self.len - off).unwrap_or(usize::MAX);
        let want = buf.len().min(available);
        self.inner.seek(SeekFrom::Start(off))?;
        let mut got = 0;
        while got < want {
            match self.inner.read(&mut buf[got..want]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(got)
    }

    /// Exactly `len` bytes at `off`, or `None` when that range is not inside the file.
    pub(crate) fn read_at(&mut self, off: u64, len: usize) -> io::Result<Option<Vec<u8>>> {
        match off.checked_add(len as u64) {
            Some(end) if end <= self.len => {}
            _ => return Ok(None),
        }
        let mut buf = vec![0; len];
        let got = self.fill(off, &mut buf)?;
        // Short only if the file shrank under us; treat it like a range past the end.
        Ok((got == len).then_some(buf))
    }

    /// Up to `max` bytes at `off`: fewer at the end of the file, none past it.
    pub(crate) fn read_up_to(&mut self, off: u64, max: usize) -> io::Result<Vec<u8>> {
        let available = self.len.saturating_sub(off);
        let len = usize::try_from(available).map_or(max, |a| a.min(max));
        let mut buf = vec![0; len];
        let got = self.fill(off, &mut buf)?;
        buf.truncate(got);
        Ok(buf)
    }

    /// Calls `visit(index, entry)` for each of the `count` fixed-size entries of an
    /// on-disk table at `off`, reading at most `TABLE_CHUNK` bytes at a time. Stops
    /// early when `visit` returns `false` or when the table runs past the end of the file.
    pub(crate) fn for_each_entry(
        &mut self,
        off: u64,
        count: u64,
        entry_size: usize,
        mut visit: impl FnMut(u64, &[u8]) -> bool,
    ) -> io::Result<()> {
        if entry_size == 0 {
            return Ok(());
        }
        let per_chunk = (TABLE_CHUNK / entry_size).max(1) as u64;
        let mut index = 0;
        while index < count {
            let n = per_chunk.min(count - index);
            let chunk_off = index
                .checked_mul(entry_size as u64)
                .and_then(|rel| rel.checked_add(off));
            let (Some(chunk_off), Ok(chunk_len)) = (chunk_off, usize::try_from(n)) else {
                return Ok(());
            };
            let Some(chunk) = self.read_at(chunk_off, chunk_len * entry_size)? else {
                return Ok(());
            };
            for (i, entry) in chunk.chunks_exact(entry_size).enumerate() {
                if !visit(index + i as u64, entry) {
                    return Ok(());
                }
            }
            index += n;
        }
        Ok(())
    }
}

/// Byte order of the integers in a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endian {
    Little,
    Big,
}

impl Endian {
    pub(crate) fn u16(self, bytes: &[u8], at: usize) -> Option<u16> {
        let raw = array(bytes, at)?;
        Some(match self {
            Endian::Little => u16::from_le_bytes(raw),
            Endian::Big => u16::from_be_bytes(raw),
        })
    }

    pub(crate) fn u32(self, bytes: &[u8], at: usize) -> Option<u32> {
        let raw = array(bytes, at)?;
        Some(match self {
            Endian::Little => u32::from_le_bytes(raw),
            Endian::Big => u32::from_be_bytes(raw),
        })
    }

    pub(crate) fn u64(self, bytes: &[u8], at: usize) -> Option<u64> {
        let raw = array(bytes, at)?;
        Some(match self {
            Endian::Little => u64::from_le_bytes(raw),
            Endian::Big => u64::from_be_bytes(raw),
        })
    }

    /// A pointer-sized word: 4 or 8 bytes, widened to `u64`.
    pub(crate) fn word(self, bytes: &[u8], at: usize, size: usize) -> Option<u64> {
        match size {
            4 => self.u32(bytes, at).map(u64::from),
            8 => self.u64(bytes, at),
            _ => None,
        }
    }
}

fn array<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    bytes.get(at..at.checked_add(N)?)?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn reads_outside_the_file_are_none_not_errors() {
        let mut cursor = Cursor::new(vec![1u8, 2, 3, 4]);
        let mut src = Source::new(&mut cursor).expect("cursor");
        assert_eq!(src.read_at(0, 4).expect("io"), Some(vec![1, 2, 3, 4]));
        assert_eq!(src.read_at(1, 4).expect("io"), None);
        assert_eq!(src.read_at(u64::MAX, 2).expect("io"), None);
        assert_eq!(src.read_up_to(2, 100).expect("io"), vec![3, 4]);
        assert!(src.read_up_to(u64::MAX, 100).expect("io").is_empty());
    }

    #[test]
    fn table_iteration_stops_at_end_of_file() {
        let mut cursor = Cursor::new((0u8..10).collect::<Vec<_>>());
        let mut src = Source::new(&mut cursor).expect("cursor");
        let mut seen = Vec::new();
        src.for_each_entry(0, 5, 2, |i, e| {
            seen.push((i, e.to_vec()));
            true
        })
        .expect("io");
        assert_eq!(seen.len(), 5);
        let mut count = 0;
        src.for_each_entry(4, u64::MAX, 2, |_, _| {
            count += 1;
            true
        })
        .expect("io");
        assert_eq!(
            count, 0,
            "a table claiming more entries than the file holds is skipped"
        );
    }

    #[test]
    fn endian_words() {
        let b = [1, 0, 0, 0, 0, 0, 0, 2];
        assert_eq!(Endian::Little.u32(&b, 0), Some(1));
        assert_eq!(Endian::Big.u32(&b, 4), Some(2));
        assert_eq!(Endian::Big.word(&b, 0, 8), Some(0x0100_0000_0000_0002));
        assert_eq!(Endian::Little.word(&b, 0, 3), None);
        assert_eq!(Endian::Little.u16(&b, 7), None);
        assert_eq!(Endian::Little.u16(&b, usize::MAX), None);
    }
}
