//! ELF (Linux and the BSDs): target from the file header, build info from the
//! `.go.buildinfo` section, pre-go1.18 pointers resolved through `PT_LOAD` segments.

use std::io;

use super::BinaryInfo;
use super::buildinfo::{self, Segment};
use super::source::{Endian, Source};

const SECTION_NAME: &[u8] = b".go.buildinfo\0";
const SHT_NOBITS: u32 = 8;
const PT_LOAD: u32 = 1;
/// `e_shstrndx` value meaning "the real index is in section 0's `sh_link`".
const SHN_XINDEX: u16 = 0xffff;
/// Section names of a Go binary fit in a few hundred bytes; a larger table is read only
/// this far, and a name beyond it sends the lookup to the scan.
const MAX_SHSTRTAB: usize = 1 << 20;
/// Far above any real binary; only stops a garbage extended count from looping long.
const MAX_SECTIONS: u64 = 1 << 20;

/// The parts of the ELF file header this module uses.
struct Header {
    endian: Endian,
    is64: bool,
    machine: u16,
    osabi: u8,
    phoff: u64,
    phentsize: usize,
    phnum: u16,
    shoff: u64,
    shentsize: usize,
    shnum: u16,
    shstrndx: u16,
}

impl Header {
    fn parse(h: &[u8]) -> Option<Header> {
        let is64 = match h.get(4)? {
            1 => false,
            2 => true,
            _ => return None,
        };
        let endian = match h.get(5)? {
            1 => Endian::Little,
            2 => Endian::Big,
            _ => return None,
        };
        let e = endian;
        // Field offsets differ between the classes from e_entry on.
        let (phoff, shoff, rest) = if is64 {
            (e.u64(h, 32)?, e.u64(h, 40)?, 54)
        } else {
            (u64::from(e.u32(h, 28)?), u64::from(e.u32(h, 32)?), 42)
        };
        Some(Header {
            endian,
            is64,
            machine: e.u16(h, 18)?,
            osabi: *h.get(7)?,
            phoff,
            phentsize: usize::from(e.u16(h, rest)?),
            phnum: e.u16(h, rest + 2)?,
            shoff,
            shentsize: usize::from(e.u16(h, rest + 4)?),
            shnum: e.u16(h, rest + 6)?,
            shstrndx: e.u16(h, rest + 8)?,
        })
    }

    /// An address-sized field: `off64` in ELF64, `off32` in ELF32.
    fn addr(&self, b: &[u8], off64: usize, off32: usize) -> Option<u64> {
        if self.is64 {
            self.endian.u64(b, off64)
        } else {
            self.endian.u32(b, off32).map(u64::from)
        }
    }

    fn arch(&self) -> Option<&'static str> {
        let little = self.endian == Endian::Little;
        Some(match (self.machine, self.is64) {
            (62, _) => "amd64",
            (3, _) => "386",
            (183, _) => "arm64",
            (40, _) => "arm",
            (243, true) => "riscv64",
            (21, _) if little => "ppc64le",
            (21, _) => "ppc64",
            (22, true) => "s390x",
            (258, _) => "loong64",
            (8, true) if little => "mips64le",
            (8, true) => "mips64",
            (8, false) if little => "mipsle",
            (8, false) => "mips",
            _ => return None,
        })
    }

    fn os(&self) -> &'static str {
        // Go's linux binaries leave OSABI at 0 (SYSV); only the BSDs mark themselves.
        match self.osabi {
            2 => "netbsd",
            9 => "freebsd",
            12 => "openbsd",
            _ => "linux",
        }
    }
}

/// Reads an ELF file; called once the first four bytes are `\x7fELF`.
pub(crate) fn inspect(src: &mut Source) -> io::Result<BinaryInfo> {
    let head = src.read_up_to(0, 64)?;
    // A truncated header says nothing reliable, not even the class.
    let Some(header) = Header::parse(&head) else {
        return Ok(BinaryInfo::default());
    };
    let segments = load_segments(src, &header)?;
    let go = match find_section(src, &header, SECTION_NAME)? {
        Some(off) => buildinfo::read_at(src, off, &segments)?,
        None => {
            let end = src.len();
            buildinfo::scan(src, 0, end, &segments)?
        }
    };
    Ok(BinaryInfo {
        format: Some("elf"),
        os: Some(header.os()),
        arch: header.arch(),
        go,
    })
}

/// The `PT_LOAD` segments, for resolving virtual addresses to file offsets.
fn load_segments(src: &mut Source, h: &Header) -> io::Result<Vec<Segment>> {
    let min_entry = if h.is64 { 56 } else { 32 };
    let mut segments = Vec::new();
    if h.phoff == 0 || h.phentsize < min_entry {
        return Ok(segments);
    }
    src.for_each_entry(h.phoff, u64::from(h.phnum), h.phentsize, |_, entry| {
        let kind = h.endian.u32(entry, 0);
        let offset = h.addr(entry, 8, 4);
        let vaddr = h.addr(entry, 16, 8);
        let filesz = h.addr(entry, 32, 16);
        if let (Some(PT_LOAD), Some(offset), Some(vaddr), Some(filesz)) =
            (kind, offset, vaddr, filesz)
        {
            segments.push(Segment {
                vaddr,
                offset,
                filesz,
            });
        }
        true
    })?;
    Ok(segments)
}

/// The file offset of the section called `name` (NUL-terminated), if the section
/// header table and its name table are readable and hold it.
fn find_section(src: &mut Source, h: &Header, name: &[u8]) -> io::Result<Option<u64>> {
    let min_entry = if h.is64 { 64 } else { 40 };
    if h.shoff == 0 || h.shentsize < min_entry {
        return Ok(None);
    }
    let entry_size = h.shentsize;
    // sh_name @0, sh_type @4, sh_offset, sh_size, sh_link.
    let sh_offset = |e: &[u8]| h.addr(e, 24, 16);
    let sh_size = |e: &[u8]| h.addr(e, 32, 20);
    let sh_link = |e: &[u8]| h.endian.u32(e, if h.is64 { 40 } else { 24 });

    let Some(first) = src.read_at(h.shoff, entry_size)? else {
        return Ok(None);
    };
    // With 0xff00+ sections the real count and name-table index spill into section 0.
    let count = match h.shnum {
        0 => sh_size(&first).unwrap_or(0).min(MAX_SECTIONS),
        n => u64::from(n),
    };
    let strtab_index = match h.shstrndx {
        SHN_XINDEX => sh_link(&first).map_or(0, u64::from),
        n => u64::from(n),
    };
    if strtab_index == 0 || strtab_index >= count {
        return Ok(None);
    }
    let strtab_header_off = strtab_index
        .checked_mul(entry_size as u64)
        .and_then(|rel| rel.checked_add(h.shoff));
    let Some(strtab_header) = (match strtab_header_off {
        Some(off) => src.read_at(off, entry_size)?,
        None => None,
    }) else {
        return Ok(None);
    };
    let (Some(strtab_off), Some(strtab_size)) =
        (sh_offset(&strtab_header), sh_size(&strtab_header))
    else {
        return Ok(None);
    };
    let strtab_len = usize::try_from(strtab_size).map_or(MAX_SHSTRTAB, |n| n.min(MAX_SHSTRTAB));
    let strtab = src.read_up_to(strtab_off, strtab_len)?;

    let mut found = None;
    src.for_each_entry(h.shoff, count, entry_size, |_, entry| {
        let name_matches = h
            .endian
            .u32(entry, 0)
            .and_then(|at| strtab.get(usize::try_from(at).ok()?..))
            .is_some_and(|s| s.starts_with(name));
        if name_matches && h.endian.u32(entry, 4) != Some(SHT_NOBITS) {
            found = sh_offset(entry);
            return false;
        }
        true
    })?;
    Ok(found)
}
