//! Mach-O (macOS): thin 32/64-bit files in either byte order, and fat (universal) files
//! through their first slice. Build info is the `__go_buildinfo` section of `__DATA` or
//! `__DATA_CONST`; segments map pre-go1.18 pointers to file offsets.

use std::io;

use super::BinaryInfo;
use super::buildinfo::{self, Segment};
use super::source::{Endian, Source};

/// Thin magics as read little-endian; the byte-swapped pair marks a big-endian file.
const MH_MAGIC: u32 = 0xfeed_face;
const MH_MAGIC_64: u32 = 0xfeed_facf;
const MH_CIGAM: u32 = 0xcefa_edfe;
const MH_CIGAM_64: u32 = 0xcffa_edfe;
/// Fat magics, always big-endian.
pub(crate) const FAT_MAGIC: u32 = 0xcafe_babe;
pub(crate) const FAT_MAGIC_64: u32 = 0xcafe_babf;
/// Java class files start with `0xcafebabe` too; where a fat header has its slice count
/// they have their class-file version (45 and up), so real counts are below that.
const MAX_FAT_SLICES: u32 = 32;

const LC_SEGMENT: u32 = 0x1;
const LC_SEGMENT_64: u32 = 0x19;
/// Load commands of real binaries take a few KiB; more than this is not read.
const MAX_LOAD_COMMANDS: usize = 1 << 20;

const BUILDINFO_SECTION: &[u8] = b"__go_buildinfo";
const BUILDINFO_SEGMENTS: [&[u8]; 2] = [b"__DATA", b"__DATA_CONST"];

/// True for the four thin Mach-O magics (`bytes` = the file's first four bytes).
pub(crate) fn is_thin_magic(bytes: [u8; 4]) -> bool {
    matches!(
        u32::from_le_bytes(bytes),
        MH_MAGIC | MH_MAGIC_64 | MH_CIGAM | MH_CIGAM_64
    )
}

/// GOARCH for a Mach-O `cputype`.
fn arch(cputype: u32) -> Option<&'static str> {
    match cputype {
        0x7 => Some("386"),
        0x0100_0007 => Some("amd64"),
        0xc => Some("arm"),
        0x0100_000c => Some("arm64"),
        _ => None,
    }
}

/// Reads the thin Mach-O image at `base..end` (the whole file, or one fat slice, whose
/// internal offsets are relative to `base`).
pub(crate) fn inspect_thin(src: &mut Source, base: u64, end: u64) -> io::Result<BinaryInfo> {
    let head = src.read_up_to(base, 32)?;
    let (endian, is64) = match Endian::Little.u32(&head, 0) {
        Some(MH_MAGIC) => (Endian::Little, false),
        Some(MH_MAGIC_64) => (Endian::Little, true),
        Some(MH_CIGAM) => (Endian::Big, false),
        Some(MH_CIGAM_64) => (Endian::Big, true),
        _ => return Ok(BinaryInfo::default()),
    };
    let header_len = if is64 { 32 } else { 28 };
    let (Some(cputype), Some(ncmds), Some(sizeofcmds), true) = (
        endian.u32(&head, 4),
        endian.u32(&head, 16),
        endian.u32(&head, 20),
        head.len() >= header_len,
    ) else {
        return Ok(BinaryInfo::default());
    };
    let commands_len =
        usize::try_from(sizeofcmds).map_or(MAX_LOAD_COMMANDS, |n| n.min(MAX_LOAD_COMMANDS));
    let commands = src.read_up_to(base + header_len as u64, commands_len)?;
    let layout = Layout::parse(&commands, endian, ncmds, base);
    let go = match layout.buildinfo {
        Some(off) => buildinfo::read_at(src, off, &layout.segments)?,
        None => buildinfo::scan(src, base, end, &layout.segments)?,
    };
    Ok(BinaryInfo {
        format: Some("macho"),
        os: Some("darwin"),
        arch: arch(cputype),
        go,
    })
}

/// Reads a fat file: its target is the first slice's, and so is its build info (all
/// slices of a Go universal binary come from the same build).
pub(crate) fn inspect_fat(src: &mut Source) -> io::Result<BinaryInfo> {
    let head = src.read_up_to(0, 8)?;
    let (Some(magic), Some(count)) = (Endian::Big.u32(&head, 0), Endian::Big.u32(&head, 4)) else {
        return Ok(BinaryInfo::default());
    };
    if count == 0 || count > MAX_FAT_SLICES {
        return Ok(BinaryInfo::default());
    }
    let wide = magic == FAT_MAGIC_64;
    let Some(entry) = src.read_at(8, if wide { 32 } else { 20 })? else {
        return Ok(BinaryInfo::default());
    };
    let be = Endian::Big;
    let (Some(cputype), Some(offset), Some(size)) = (
        be.u32(&entry, 0),
        if wide {
            be.u64(&entry, 8)
        } else {
            be.u32(&entry, 8).map(u64::from)
        },
        if wide {
            be.u64(&entry, 16)
        } else {
            be.u32(&entry, 12).map(u64::from)
        },
    ) else {
        return Ok(BinaryInfo::default());
    };
    let slice = inspect_thin(src, offset, offset.saturating_add(size))?;
    Ok(BinaryInfo {
        format: Some("macho"),
        os: Some("darwin"),
        arch: arch(cputype),
        go: slice.go,
    })
}

/// What the load commands say about where things are in the file.
#[derive(Debug, Default)]
struct Layout {
    segments: Vec<Segment>,
    /// File offset of `__go_buildinfo`.
    buildinfo: Option<u64>,
}

impl Layout {
    fn parse(commands: &[u8], endian: Endian, ncmds: u32, base: u64) -> Layout {
        let mut layout = Layout::default();
        let mut pos = 0usize;
        // Each command is at least 8 bytes, so a garbage `ncmds` ends with the buffer.
        for _ in 0..ncmds {
            let (Some(cmd), Some(size)) =
                (endian.u32(commands, pos), endian.u32(commands, pos + 4))
            else {
                break;
            };
            let size = size as usize;
            let Some(body) = pos.checked_add(size).and_then(|end| commands.get(pos..end)) else {
                break;
            };
            if size < 8 {
                break;
            }
            match cmd {
                LC_SEGMENT_64 => layout.add_segment(body, endian, true, base),
                LC_SEGMENT => layout.add_segment(body, endian, false, base),
                _ => {}
            }
            pos += size;
        }
        layout
    }

    fn add_segment(&mut self, body: &[u8], e: Endian, is64: bool, base: u64) {
        // Field offsets of segment_command(_64) and section(_64).
        let (vmaddr, fileoff, filesize, nsects) = if is64 {
            (
                e.u64(body, 24),
                e.u64(body, 40),
                e.u64(body, 48),
                e.u32(body, 64),
            )
        } else {
            let word = |at| e.u32(body, at).map(u64::from);
            (word(24), word(32), word(36), e.u32(body, 48))
        };
        let (sections_start, section_size, section_offset_field) =
            if is64 { (72, 80, 48) } else { (56, 68, 40) };
        if let (Some(vaddr), Some(offset), Some(filesz)) = (
            vmaddr,
            fileoff.and_then(|off| off.checked_add(base)),
            filesize,
        ) {
            self.segments.push(Segment {
                vaddr,
                offset,
                filesz,
            });
        }
        for i in 0..nsects.unwrap_or(0) as usize {
            let range = i
                .checked_mul(section_size)
                .and_then(|rel| rel.checked_add(sections_start))
                .map(|start| start..start + section_size);
            let Some(section) = range.and_then(|r| body.get(r)) else {
                break;
            };
            let name = c_name(&section[..16]);
            let segment = c_name(&section[16..32]);
            if name == BUILDINFO_SECTION && BUILDINFO_SEGMENTS.contains(&segment) {
                self.buildinfo = e
                    .u32(section, section_offset_field)
                    .and_then(|off| u64::from(off).checked_add(base));
            }
        }
    }
}

/// A fixed-width, NUL-padded name field without its padding.
fn c_name(field: &[u8]) -> &[u8] {
    field.split(|&b| b == 0).next().unwrap_or(field)
}

#[cfg(test)]
mod tests {
    use super::super::inspect;
    use super::super::synth;
    use super::*;
    use std::io::Cursor;

    const DATA_VADDR_64: u64 = 0x1_0000_0000;
    const DATA_VADDR_32: u64 = 0x1000;

    /// A thin Mach-O with one segment holding `__go_buildinfo` at file offset 0x100.
    /// `blob` gets the section's virtual address.
    fn thin(
        is64: bool,
        endian: Endian,
        cputype: u32,
        segname: &str,
        blob: impl FnOnce(u64) -> Vec<u8>,
    ) -> Vec<u8> {
        const BLOB_OFF: usize = 0x100;
        let vaddr = if is64 { DATA_VADDR_64 } else { DATA_VADDR_32 };
        let blob = blob(vaddr + BLOB_OFF as u64);
        let total = (BLOB_OFF + blob.len()) as u64;
        let mut out = Vec::new();
        let u32 = |out: &mut Vec<u8>, v: u32| match endian {
            Endian::Little => out.extend_from_slice(&v.to_le_bytes()),
            Endian::Big => out.extend_from_slice(&v.to_be_bytes()),
        };
        let word = |out: &mut Vec<u8>, v: u64| {
            if is64 {
                match endian {
                    Endian::Little => out.extend_from_slice(&v.to_le_bytes()),
                    Endian::Big => out.extend_from_slice(&v.to_be_bytes()),
                }
            } else {
                u32(out, v as u32);
            }
        };
        let name = |out: &mut Vec<u8>, s: &str| {
            let mut field = [0u8; 16];
            field[..s.len()].copy_from_slice(s.as_bytes());
            out.extend_from_slice(&field);
        };
        let cmdsize = if is64 { 72 + 80 } else { 56 + 68 };
        u32(&mut out, if is64 { MH_MAGIC_64 } else { MH_MAGIC });
        u32(&mut out, cputype);
        u32(&mut out, 0); // cpusubtype
        u32(&mut out, 2); // MH_EXECUTE
        u32(&mut out, 1); // ncmds
        u32(&mut out, cmdsize);
        u32(&mut out, 0); // flags
        if is64 {
            u32(&mut out, 0); // reserved
        }
        u32(&mut out, if is64 { LC_SEGMENT_64 } else { LC_SEGMENT });
        u32(&mut out, cmdsize);
        name(&mut out, segname);
        word(&mut out, vaddr); // vmaddr
        word(&mut out, total); // vmsize
        word(&mut out, 0); // fileoff
        word(&mut out, total); // filesize
        for field in [3, 3, 1, 0] {
            u32(&mut out, field); // maxprot, initprot, nsects, flags
        }
        name(&mut out, "__go_buildinfo");
        name(&mut out, segname);
        word(&mut out, vaddr + BLOB_OFF as u64); // addr
        word(&mut out, blob.len() as u64); // size
        for field in [BLOB_OFF as u32, 4, 0, 0, 0, 0, 0] {
            u32(&mut out, field); // offset, align, reloff, nreloc, flags, reserved1-2
        }
        if is64 {
            u32(&mut out, 0); // reserved3
        }
        out.resize(BLOB_OFF, 0);
        out.extend_from_slice(&blob);
        out
    }

    fn inspect_bytes(bytes: Vec<u8>) -> BinaryInfo {
        inspect(&mut Cursor::new(bytes)).expect("in-memory reads do not fail")
    }

    #[test]
    fn thin_64_bit_arm64() {
        let file = thin(true, Endian::Little, 0x0100_000c, "__DATA", |_| {
            synth::buildinfo_blob(8, "go1.22.5", Some("path\tcmd/go\n"))
        });
        let info = inspect_bytes(file);
        assert_eq!(info.format, Some("macho"));
        assert_eq!(info.os, Some("darwin"));
        assert_eq!(info.arch, Some("arm64"));
        let go = info.go.expect("build info");
        assert_eq!(go.go_version, "go1.22.5");
        assert_eq!(go.path.as_deref(), Some("cmd/go"));
    }

    #[test]
    fn section_in_another_segment_is_found_by_the_scan() {
        let file = thin(true, Endian::Little, 0x0100_0007, "__TEXT", |_| {
            synth::buildinfo_blob(8, "go1.21.0", None)
        });
        let info = inspect_bytes(file);
        assert_eq!(info.arch, Some("amd64"));
        assert_eq!(info.go.expect("scanned").go_version, "go1.21.0");
    }

    #[test]
    fn pre_go118_pointers_resolve_through_segments_in_both_byte_orders() {
        for (is64, endian) in [(true, Endian::Little), (false, Endian::Big)] {
            let ptr = if is64 { 8 } else { 4 };
            let big = endian == Endian::Big;
            let file = thin(is64, endian, 0x7, "__DATA", |vaddr| {
                synth::pointer_form_blob(ptr, big, vaddr, "go1.16.15", Some("path\tx\n"))
            });
            let info = inspect_bytes(file);
            assert_eq!(info.arch, Some("386"));
            let go = info.go.expect("resolved");
            assert_eq!(go.go_version, "go1.16.15");
            assert_eq!(go.path.as_deref(), Some("x"));
        }
    }

    #[test]
    fn fat_reports_the_first_slice() {
        let slice = thin(true, Endian::Little, 0x0100_0007, "__DATA_CONST", |_| {
            synth::buildinfo_blob(8, "go1.23.1", None)
        });
        let mut fat = Vec::new();
        fat.extend_from_slice(&FAT_MAGIC.to_be_bytes());
        fat.extend_from_slice(&2u32.to_be_bytes());
        for (cputype, offset) in [(0x0100_0007u32, 0x1000u32), (0x0100_000c, 0x9000)] {
            for field in [cputype, 3, offset, slice.len() as u32, 12] {
                fat.extend_from_slice(&field.to_be_bytes());
            }
        }
        fat.resize(0x1000, 0);
        fat.extend_from_slice(&slice);
        let info = inspect_bytes(fat);
        assert_eq!(info.format, Some("macho"));
        assert_eq!(info.arch, Some("amd64"));
        assert_eq!(info.go.expect("first slice").go_version, "go1.23.1");
    }

    #[test]
    fn java_class_file_is_not_fat() {
        let class = [0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34, 0x00, 0x10];
        assert_eq!(inspect_bytes(class.to_vec()), BinaryInfo::default());
    }

    #[test]
    fn garbage_load_commands_do_not_panic() {
        let good = thin(true, Endian::Little, 0x0100_000c, "__DATA", |_| {
            synth::buildinfo_blob(8, "go1.22.5", None)
        });
        for at in (16..good.len().min(0x100)).step_by(4) {
            for value in [0u32, 7, 0xffff_ffff, 0x8000_0000] {
                let mut bad = good.clone();
                bad[at..at + 4].copy_from_slice(&value.to_le_bytes());
                let _ = inspect_bytes(bad);
            }
        }
        for len in 0..good.len() {
            let _ = inspect_bytes(good[..len].to_vec());
        }
    }
}
