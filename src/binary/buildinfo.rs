//! Go's build-info blob: the header the Go linker writes into every binary (go1.13+),
//! holding the toolchain version and the module information `go version -m` prints.
//!
//! Layout (see `debug/buildinfo` in the Go tree): a 32-byte header — the 14-byte magic
//! `\xff Go buildinf:`, the pointer size, a flags byte, padding — then either the two
//! strings inline as uvarint-length-prefixed bytes (go1.18+, flag bit 2) or two
//! pointers to Go string headers that must be resolved through the file's
//! virtual-address map (older releases).

use std::io;

use super::GoBuildInfo;
use super::source::{Endian, Source};

/// Marks the start of the header; always at a 16-byte-aligned address.
pub(crate) const MAGIC: &[u8; 14] = b"\xff Go buildinf:";
pub(crate) const HEADER_LEN: usize = 32;
/// Flag bit: the pointer-form words are big-endian.
const FLAG_BIG_ENDIAN: u8 = 0x1;
/// Flag bit: the strings follow the header inline (go1.18+).
pub(crate) const FLAG_INLINE: u8 = 0x2;

/// `runtime/debug` wraps modinfo in these so it can be found in memory.
pub(crate) const MODINFO_START: [u8; 16] = [
    0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02, 0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6,
];
pub(crate) const MODINFO_END: [u8; 16] = [
    0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72, 0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2,
];

/// Real versions are ~10 bytes ("devel go1.23-abc123 Tue …" ~60); anything longer is
/// garbage and must not be allocated.
const MAX_VERSION_LEN: u64 = 256;
/// cmd/go's modinfo is ~2 KiB; large programs reach tens of KiB.
const MAX_MODINFO_LEN: u64 = 1 << 20;
/// A uvarint never needs more than 10 bytes.
const MAX_UVARINT_LEN: usize = 10;

/// The fallback scan reads at most this much of a file, `SCAN_CHUNK` at a time, so
/// memory stays at one chunk however large the file is.
const SCAN_LIMIT: u64 = 64 << 20;
const SCAN_CHUNK: usize = 1 << 20;

/// A loadable part of the file: virtual addresses `vaddr..vaddr + filesz` are stored at
/// file offsets `offset..offset + filesz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub(crate) vaddr: u64,
    pub(crate) offset: u64,
    pub(crate) filesz: u64,
}

/// Parses the build-info header at file offset `off`. `segments` resolves pre-go1.18
/// pointers; with none, pointer-form headers yield `None`. `None` also means "not a
/// valid header here", which lets the scan keep looking.
pub(crate) fn read_at(
    src: &mut Source,
    off: u64,
    segments: &[Segment],
) -> io::Result<Option<GoBuildInfo>> {
    // Enough for the header, a version of the maximum length and both length prefixes.
    let window_len = HEADER_LEN + 2 * MAX_UVARINT_LEN + MAX_VERSION_LEN as usize;
    let head = src.read_up_to(off, window_len)?;
    if head.len() < HEADER_LEN || !head.starts_with(MAGIC) {
        return Ok(None);
    }
    let flags = head[15];
    if flags & FLAG_INLINE != 0 {
        read_inline(src, off, &head)
    } else {
        read_pointers(src, &head, segments)
    }
}

/// Looks for the header at 16-byte-aligned offsets in `start..end` (bounded by
/// `SCAN_LIMIT`), for files whose section tables are missing or not parsed.
pub(crate) fn scan(
    src: &mut Source,
    start: u64,
    end: u64,
    segments: &[Segment],
) -> io::Result<Option<GoBuildInfo>> {
    let end = end.min(src.len()).min(start.saturating_add(SCAN_LIMIT));
    let Some(mut pos) = start.checked_next_multiple_of(16) else {
        return Ok(None);
    };
    let mut buf = vec![0u8; SCAN_CHUNK];
    while pos < end {
        let want = usize::try_from(end - pos).map_or(SCAN_CHUNK, |n| n.min(SCAN_CHUNK));
        let got = src.fill(pos, &mut buf[..want])?;
        if got == 0 {
            break;
        }
        // SCAN_CHUNK is a multiple of 16, so chunk-relative alignment is file alignment,
        // and a header at an aligned offset never straddles two chunks.
        for rel in (0..got).step_by(16) {
            if buf[rel..got].starts_with(MAGIC) {
                // The magic also appears as data in programs that read build info (cmd/go
                // itself), so a hit that does not parse is skipped, not fatal.
                if let Some(info) = read_at(src, pos + rel as u64, segments)? {
                    return Ok(Some(info));
                }
            }
        }
        let Some(next) = (pos + got as u64).checked_next_multiple_of(16) else {
            break;
        };
        pos = next;
    }
    Ok(None)
}

fn read_inline(src: &mut Source, off: u64, head: &[u8]) -> io::Result<Option<GoBuildInfo>> {
    let Some((version_len, prefix)) = head.get(HEADER_LEN..).and_then(uvarint) else {
        return Ok(None);
    };
    if version_len > MAX_VERSION_LEN {
        return Ok(None);
    }
    let version_start = HEADER_LEN + prefix;
    let version_end = version_start + version_len as usize;
    let Some(version) = head.get(version_start..version_end) else {
        return Ok(None);
    };
    // A version without readable modinfo is still worth reporting; `go version` prints
    // the version alone in the same situation.
    let modinfo = match head.get(version_end..).and_then(uvarint) {
        Some((len, prefix)) if len <= MAX_MODINFO_LEN => {
            let at = off + (version_end + prefix) as u64;
            src.read_at(at, len as usize)?
        }
        _ => None,
    };
    Ok(build(version, modinfo.as_deref()))
}

fn read_pointers(
    src: &mut Source,
    head: &[u8],
    segments: &[Segment],
) -> io::Result<Option<GoBuildInfo>> {
    let ptr_size = usize::from(head[14]);
    let endian = if head[15] & FLAG_BIG_ENDIAN != 0 {
        Endian::Big
    } else {
        Endian::Little
    };
    let (Some(version_addr), Some(modinfo_addr)) = (
        endian.word(head, 16, ptr_size),
        endian.word(head, 16 + ptr_size, ptr_size),
    ) else {
        return Ok(None);
    };
    let reader = GoStringReader {
        segments,
        ptr_size,
        endian,
    };
    let Some(version) = reader.read(src, version_addr, MAX_VERSION_LEN)? else {
        return Ok(None);
    };
    let modinfo = reader.read(src, modinfo_addr, MAX_MODINFO_LEN)?;
    Ok(build(&version, modinfo.as_deref()))
}

/// Reads Go string values (`{data pointer, length}`) out of a mapped file.
struct GoStringReader<'a> {
    segments: &'a [Segment],
    ptr_size: usize,
    endian: Endian,
}

impl GoStringReader<'_> {
    fn read(&self, src: &mut Source, addr: u64, max_len: u64) -> io::Result<Option<Vec<u8>>> {
        let Some(header) = self.read_mapped(src, addr, 2 * self.ptr_size)? else {
            return Ok(None);
        };
        let data = self.endian.word(&header, 0, self.ptr_size);
        let len = self.endian.word(&header, self.ptr_size, self.ptr_size);
        match (data, len) {
            (Some(data), Some(len)) if len <= max_len => self.read_mapped(src, data, len as usize),
            _ => Ok(None),
        }
    }

    fn read_mapped(&self, src: &mut Source, addr: u64, len: usize) -> io::Result<Option<Vec<u8>>> {
        match file_offset(self.segments, addr, len as u64) {
            Some(off) => src.read_at(off, len),
            None => Ok(None),
        }
    }
}

/// Maps `addr..addr + len` to a file offset, if one segment holds all of it.
fn file_offset(segments: &[Segment], addr: u64, len: u64) -> Option<u64> {
    segments.iter().find_map(|seg| {
        let rel = addr.checked_sub(seg.vaddr)?;
        if rel.checked_add(len)? > seg.filesz {
            return None;
        }
        seg.offset.checked_add(rel)
    })
}

/// Decodes an unsigned LEB128 varint as Go's `binary.Uvarint` does: the value and the
/// bytes used, or `None` when truncated or wider than 64 bits.
pub(crate) fn uvarint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().take(MAX_UVARINT_LEN).enumerate() {
        if byte < 0x80 {
            if i == MAX_UVARINT_LEN - 1 && byte > 1 {
                return None;
            }
            return Some((value | u64::from(byte) << (7 * i), i + 1));
        }
        value |= u64::from(byte & 0x7f) << (7 * i);
    }
    None
}

fn build(version: &[u8], modinfo: Option<&[u8]>) -> Option<GoBuildInfo> {
    let version = std::str::from_utf8(version).ok()?;
    if !plausible_version(version) {
        return None;
    }
    let mut info = GoBuildInfo {
        go_version: version.to_owned(),
        ..GoBuildInfo::default()
    };
    if let Some(text) = modinfo.and_then(strip_sentinels) {
        apply_modinfo(&String::from_utf8_lossy(text), &mut info);
    }
    Some(info)
}

/// Release (`go1.19.8`, `go1.21.0 X:boringcrypto`) or development (`devel go1.23-…`)
/// spelling; rules out random bytes that happen to follow a stray magic.
fn plausible_version(version: &str) -> bool {
    (version.starts_with("go") || version.starts_with("devel"))
        && !version.chars().any(char::is_control)
}

/// The text between the 16-byte sentinels, using `debug/buildinfo`'s own test (the
/// byte before the end sentinel is the last line's newline); `None` when unwrapped.
fn strip_sentinels(modinfo: &[u8]) -> Option<&[u8]> {
    let len = modinfo.len();
    if len >= 33 && modinfo[len - 17] == b'\n' {
        modinfo.get(16..len - 16)
    } else {
        None
    }
}

/// Takes the main package path and main module from modinfo's tab-separated lines.
fn apply_modinfo(text: &str, info: &mut GoBuildInfo) {
    let non_empty = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_owned);
    for line in text.lines() {
        let mut fields = line.split('\t');
        match fields.next() {
            Some("path") if info.path.is_none() => info.path = non_empty(fields.next()),
            Some("mod") if info.main_module.is_none() => {
                info.main_module = non_empty(fields.next());
                info.main_version = non_empty(fields.next());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::synth;
    use super::*;
    use std::io::Cursor;

    /// The first 0x50 bytes of `.go.buildinfo` in Debian's `/usr/lib/go-1.19/bin/go`,
    /// as quoted in checks-go.md.
    const DEBIAN_GO_PREFIX: [u8; 0x50] = [
        0xff, 0x20, 0x47, 0x6f, 0x20, 0x62, 0x75, 0x69, 0x6c, 0x64, 0x69, 0x6e, 0x66, 0x3a, 0x08,
        0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x67, 0x6f, 0x31, 0x2e, 0x31,
        0x39, 0x2e, 0x38, 0xd5, 0x01, 0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02, 0x41, 0xe1,
        0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6, 0x70, 0x61, 0x74, 0x68, 0x09, 0x63, 0x6d, 0x64, 0x2f,
        0x67, 0x6f, 0x0a, 0x62, 0x75, 0x69, 0x6c, 0x64, 0x09, 0x2d, 0x63, 0x6f,
    ];

    /// Rebuilds that header: modinfo is 213 bytes, so the text between the sentinels is
    /// 181 bytes of `path`/`build` lines.
    fn debian_go_blob() -> Vec<u8> {
        let mut text = String::from("path\tcmd/go\nbuild\t-compiler=gc\nbuild\tCGO_ENABLED=1\n");
        let pad = 181 - text.len() - "build\tPAD=\n".len();
        text.push_str(&format!("build\tPAD={}\n", "x".repeat(pad)));
        assert_eq!(text.len(), 181);
        synth::buildinfo_blob(8, "go1.19.8", Some(&text))
    }

    fn parse(bytes: Vec<u8>) -> Option<GoBuildInfo> {
        let mut cursor = Cursor::new(bytes);
        let mut src = Source::new(&mut cursor).expect("cursor");
        let end = src.len();
        scan(&mut src, 0, end, &[]).expect("io")
    }

    #[test]
    fn debian_hexdump_prefix_is_reproduced_and_found_by_the_scan() {
        let blob = debian_go_blob();
        assert_eq!(blob[..0x50], DEBIAN_GO_PREFIX);
        let mut file = b"\x7fELF junk before the data segment".to_vec();
        file.resize(0x9ed0, 0xab);
        file.extend_from_slice(&blob);
        file.extend_from_slice(&[0; 100]);
        let info = parse(file).expect("found");
        assert_eq!(info.go_version, "go1.19.8");
        assert_eq!(info.path.as_deref(), Some("cmd/go"));
        assert_eq!(info.main_module, None, "cmd/go in 1.19 has no mod line");
    }

    #[test]
    fn scan_ignores_unaligned_magic_and_stray_magic_without_a_header() {
        let mut file = vec![0u8; 3];
        file.extend_from_slice(MAGIC); // unaligned
        file.resize(32, 0);
        file.extend_from_slice(MAGIC); // aligned but followed by garbage
        file.extend_from_slice(&[0xff; 40]);
        file.resize(128, 0);
        assert_eq!(parse(file.clone()), None);
        file.extend_from_slice(&synth::buildinfo_blob(8, "go1.22.1", None));
        let info = parse(file).expect("the real header after the stray one");
        assert_eq!(info.go_version, "go1.22.1");
    }

    #[test]
    fn huge_lengths_are_rejected_without_allocating() {
        let mut blob = MAGIC.to_vec();
        blob.extend_from_slice(&[8, FLAG_INLINE]);
        blob.resize(HEADER_LEN, 0);
        // version length 2^63: far beyond the limit.
        blob.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80, 0x01]);
        assert_eq!(parse(blob.clone()), None);

        // A sane version followed by a modinfo length of ~2^62: version kept, modinfo dropped.
        blob.truncate(HEADER_LEN);
        blob.push(8);
        blob.extend_from_slice(b"go1.21.3");
        blob.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x40]);
        let info = parse(blob.clone()).expect("version alone");
        assert_eq!(info.go_version, "go1.21.3");
        assert_eq!(info.path, None);

        // An overlong (11-byte) uvarint is invalid, as in Go.
        blob.truncate(HEADER_LEN);
        blob.extend_from_slice(&[0x80; 11]);
        assert_eq!(parse(blob), None);
    }

    #[test]
    fn version_must_look_like_a_go_version() {
        assert_eq!(parse(synth::buildinfo_blob(8, "1.19", None)), None);
        assert_eq!(parse(synth::buildinfo_blob(8, "go1\u{7}", None)), None);
        assert_eq!(parse(synth::buildinfo_blob(8, "", None)), None);
        let devel = parse(synth::buildinfo_blob(8, "devel go1.23-abc Tue", None));
        assert_eq!(devel.expect("devel").go_version, "devel go1.23-abc Tue");
    }

    #[test]
    fn modinfo_lines() {
        let text = "path\tgolang.org/x/tools/gopls\nmod\tgolang.org/x/tools/gopls\tv0.15.2\th1:x=\n\
                    dep\tgolang.org/x/mod\tv0.15.0\th1:y=\nbuild\tGOOS=linux\n";
        let info = parse(synth::buildinfo_blob(8, "go1.22.0", Some(text))).expect("found");
        assert_eq!(info.path.as_deref(), Some("golang.org/x/tools/gopls"));
        assert_eq!(
            info.main_module.as_deref(),
            Some("golang.org/x/tools/gopls")
        );
        assert_eq!(info.main_version.as_deref(), Some("v0.15.2"));
    }

    #[test]
    fn modinfo_without_sentinels_is_ignored() {
        assert_eq!(strip_sentinels(b"path\tx\n"), None);
        let mut wrapped = MODINFO_START.to_vec();
        wrapped.extend_from_slice(b"path\tx\n");
        wrapped.extend_from_slice(&MODINFO_END);
        assert_eq!(strip_sentinels(&wrapped), Some(&b"path\tx\n"[..]));
    }

    #[test]
    fn uvarint_matches_go() {
        assert_eq!(uvarint(&[0x08]), Some((8, 1)));
        assert_eq!(uvarint(&[0xd5, 0x01]), Some((213, 2)));
        assert_eq!(uvarint(&[0x80]), None);
        assert_eq!(uvarint(&[]), None);
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(uvarint(&max), Some((u64::MAX, 10)));
        let overflow = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert_eq!(uvarint(&overflow), None);
    }

    #[test]
    fn pointer_form_resolves_through_segments() {
        let segments = [Segment {
            vaddr: 0x40_0000,
            offset: 0,
            filesz: 0x1000,
        }];
        for big_endian in [false, true] {
            let blob = synth::pointer_form_blob(8, big_endian, 0x40_0000, "go1.16.15", None);
            let mut cursor = Cursor::new(blob);
            let mut src = Source::new(&mut cursor).expect("cursor");
            let info = read_at(&mut src, 0, &segments)
                .expect("io")
                .expect("resolved");
            assert_eq!(info.go_version, "go1.16.15");
            assert_eq!(
                read_at(&mut src, 0, &[]).expect("io"),
                None,
                "no map, no answer"
            );
        }
    }

    #[test]
    fn file_offset_rejects_ranges_outside_segments() {
        let segs = [Segment {
            vaddr: 100,
            offset: 10,
            filesz: 20,
        }];
        assert_eq!(file_offset(&segs, 100, 20), Some(10));
        assert_eq!(file_offset(&segs, 110, 11), None);
        assert_eq!(file_offset(&segs, 99, 1), None);
        assert_eq!(file_offset(&segs, u64::MAX, 2), None);
    }
}
