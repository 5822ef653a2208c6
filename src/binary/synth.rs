//! Tiny hand-built executables carrying Go build info, for tests and fixtures.
//!
//! Not test-only (`cfg(test)`) because integration tests and fixture generators outside
//! this crate's unit tests build fake toolchains with them.

use super::buildinfo::{FLAG_INLINE, HEADER_LEN, MAGIC, MODINFO_END, MODINFO_START};

/// Where the fake ELF's single `PT_LOAD` segment is mapped; a typical Go text base.
const ELF_BASE_VADDR: u64 = 0x40_0000;

/// A minimal ELF executable carrying a Go build-info header in a `.go.buildinfo`
/// section (found through the section header table, as for real binaries).
///
/// `arch` is a GOARCH name; `amd64`, `arm64`, `riscv64`, `loong64` and `ppc64le` give
/// ELF64, `386` and `arm` give ELF32 (as real binaries for those targets are), all
/// little-endian. Any other name gives `e_machine = EM_NONE`, which `inspect` reports
/// as an unknown arch. `modinfo` is the text between the sentinels, e.g.
/// `"path\tcmd/go\nmod\tgolang.org/x/tools/gopls\tv0.15.2\th1:abc=\n"`. Under 1 KiB
/// for short modinfo.
pub fn fake_go_elf(arch: &str, go_version: &str, modinfo: Option<&str>) -> Vec<u8> {
    fake_go_elf_with(arch, go_version, modinfo, Form::Inline, true)
}

/// A minimal PE (Windows) executable with a Go build-info header, like the `go.exe` a
/// WSL PATH can reach. `arch`: `amd64`, `386`, `arm64` or `arm`.
pub fn fake_pe(arch: &str, go_version: &str) -> Vec<u8> {
    let machine: u16 = match arch {
        "amd64" => 0x8664,
        "386" => 0x14c,
        "arm64" => 0xaa64,
        "arm" => 0x1c4,
        _ => 0,
    };
    let ptr_size = if matches!(arch, "386" | "arm") { 4 } else { 8 };
    let modinfo = format!("path\tcmd/go\nbuild\tGOOS=windows\nbuild\tGOARCH={arch}\n");

    const PE_HEADER_OFFSET: usize = 0x40;
    let mut out = vec![0u8; PE_HEADER_OFFSET];
    out[..2].copy_from_slice(b"MZ");
    out[0x3c..0x40].copy_from_slice(&(PE_HEADER_OFFSET as u32).to_le_bytes());
    out.extend_from_slice(b"PE\0\0");
    // COFF file header: machine, no sections, no symbols, no optional header,
    // characteristics EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE.
    out.extend_from_slice(&machine.to_le_bytes());
    out.extend_from_slice(&[0; 2 + 4 + 4 + 4 + 2]);
    out.extend_from_slice(&0x0022u16.to_le_bytes());
    pad_to(&mut out, 16);
    out.extend_from_slice(&buildinfo_blob(ptr_size, go_version, Some(&modinfo)));
    out
}

/// How the fake build-info header stores its strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// go1.18+: length-prefixed strings after the header.
    Inline,
    /// Before go1.18: pointers to Go string headers, resolved through `PT_LOAD`.
    Pointers,
}

/// `fake_go_elf` with more control: `Form::Pointers` imitates a pre-go1.18 binary, and
/// `with_sections: false` leaves out the section header table (as `sstrip` and some packers do), so only
/// the scan finds the build info.
pub fn fake_go_elf_with(
    arch: &str,
    go_version: &str,
    modinfo: Option<&str>,
    form: Form,
    with_sections: bool,
) -> Vec<u8> {
    let (machine, is64) = match arch {
        "amd64" => (62, true),
        "arm64" => (183, true),
        "riscv64" => (243, true),
        "loong64" => (258, true),
        "ppc64le" => (21, true),
        "386" => (3, false),
        "arm" => (40, false),
        _ => (0, true),
    };
    let (ehsize, phentsize, shentsize): (usize, usize, usize) =
        if is64 { (64, 56, 64) } else { (52, 32, 40) };
    let ptr_size = if is64 { 8 } else { 4 };
    let shstrtab: &[u8] = b"\0.shstrtab\0.go.buildinfo\0";
    let (shstrtab_name, buildinfo_name) = (1, 11);

    let blob_off = (ehsize + phentsize).next_multiple_of(16);
    let blob_vaddr = ELF_BASE_VADDR + blob_off as u64;
    let blob = match form {
        Form::Inline => buildinfo_blob(ptr_size, go_version, modinfo),
        Form::Pointers => pointer_form_blob(ptr_size, false, blob_vaddr, go_version, modinfo),
    };
    let strtab_off = blob_off + blob.len();
    let sh_off = (strtab_off + shstrtab.len()).next_multiple_of(8);
    let total = sh_off + if with_sections { 3 * shentsize } else { 0 };

    let mut w = ElfWriter {
        out: Vec::with_capacity(total),
        is64,
    };
    let class = if is64 { 2 } else { 1 };
    // ident: magic, class, little-endian, EV_CURRENT, ELFOSABI_SYSV.
    w.out
        .extend_from_slice(&[0x7f, b'E', b'L', b'F', class, 1, 1, 0]);
    pad_to(&mut w.out, 16);
    w.u16(2); // ET_EXEC
    w.u16(machine);
    w.u32(1); // EV_CURRENT
    w.word(ELF_BASE_VADDR); // entry
    w.word(ehsize as u64); // program headers right after the ELF header
    w.word(if with_sections { sh_off as u64 } else { 0 });
    w.u32(0); // flags
    w.u16(ehsize as u16);
    w.u16(phentsize as u16);
    w.u16(1);
    w.u16(shentsize as u16);
    w.u16(if with_sections { 3 } else { 0 });
    w.u16(if with_sections { 1 } else { 0 }); // shstrndx

    // One PT_LOAD mapping the whole file, read-write.
    let (load, rw, size) = (1, 6, total as u64);
    if is64 {
        w.u32(load);
        w.u32(rw);
        w.u64(0);
        w.u64(ELF_BASE_VADDR);
        w.u64(ELF_BASE_VADDR);
        w.u64(size);
        w.u64(size);
        w.u64(0x1000);
    } else {
        w.u32(load);
        w.u32(0);
        w.u32(ELF_BASE_VADDR as u32);
        w.u32(ELF_BASE_VADDR as u32);
        w.u32(size as u32);
        w.u32(size as u32);
        w.u32(rw);
        w.u32(0x1000);
    }

    pad_to(&mut w.out, 16);
    w.out.extend_from_slice(&blob);
    w.out.extend_from_slice(shstrtab);
    if with_sections {
        pad_to(&mut w.out, 8);
        w.section_header(&SectionHeader::default());
        w.section_header(&SectionHeader {
            name: shstrtab_name,
            kind: 3, // SHT_STRTAB
            offset: strtab_off as u64,
            size: shstrtab.len() as u64,
            align: 1,
            ..SectionHeader::default()
        });
        w.section_header(&SectionHeader {
            name: buildinfo_name,
            kind: 1,  // SHT_PROGBITS
            flags: 3, // SHF_WRITE | SHF_ALLOC
            addr: blob_vaddr,
            offset: blob_off as u64,
            size: blob.len() as u64,
            align: 16,
        });
    }
    w.out
}

/// An inline-form (go1.18+) build-info header followed by its strings; `modinfo` is
/// wrapped in the sentinels.
pub(crate) fn buildinfo_blob(ptr_size: u8, go_version: &str, modinfo: Option<&str>) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&[ptr_size, FLAG_INLINE]);
    out.resize(HEADER_LEN, 0);
    put_string(&mut out, go_version.as_bytes());
    put_string(&mut out, &wrap_modinfo(modinfo));
    out
}

/// A pre-go1.18 build-info header placed at virtual address `vaddr`: two pointers to
/// Go string headers `{data, len}` that follow it, then the string bytes.
pub(crate) fn pointer_form_blob(
    ptr_size: u8,
    big_endian: bool,
    vaddr: u64,
    go_version: &str,
    modinfo: Option<&str>,
) -> Vec<u8> {
    let size = u64::from(ptr_size);
    let word = |out: &mut Vec<u8>, v: u64| match (ptr_size, big_endian) {
        (4, false) => out.extend_from_slice(&(v as u32).to_le_bytes()),
        (4, true) => out.extend_from_slice(&(v as u32).to_be_bytes()),
        (_, false) => out.extend_from_slice(&v.to_le_bytes()),
        (_, true) => out.extend_from_slice(&v.to_be_bytes()),
    };
    let modinfo = wrap_modinfo(modinfo);
    let version_header = vaddr + HEADER_LEN as u64;
    let modinfo_header = version_header + 2 * size;
    let version_data = modinfo_header + 2 * size;
    let modinfo_data = version_data + go_version.len() as u64;

    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&[ptr_size, u8::from(big_endian)]);
    word(&mut out, version_header);
    word(&mut out, modinfo_header);
    out.resize(HEADER_LEN, 0);
    word(&mut out, version_data);
    word(&mut out, go_version.len() as u64);
    word(&mut out, modinfo_data);
    word(&mut out, modinfo.len() as u64);
    out.extend_from_slice(go_version.as_bytes());
    out.extend_from_slice(&modinfo);
    out
}

fn wrap_modinfo(modinfo: Option<&str>) -> Vec<u8> {
    let Some(text) = modinfo else {
        return Vec::new();
    };
    let mut out = MODINFO_START.to_vec();
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&MODINFO_END);
    out
}

fn put_string(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut len = bytes.len() as u64;
    while len >= 0x80 {
        out.push((len as u8) | 0x80);
        len >>= 7;
    }
    out.push(len as u8);
    out.extend_from_slice(bytes);
}

fn pad_to(out: &mut Vec<u8>, align: usize) {
    out.resize(out.len().next_multiple_of(align), 0);
}

#[derive(Default)]
struct SectionHeader {
    name: u32,
    kind: u32,
    flags: u64,
    addr: u64,
    offset: u64,
    size: u64,
    align: u64,
}

/// Little-endian writer whose address-sized fields follow the ELF class.
struct ElfWriter {
    out: Vec<u8>,
    is64: bool,
}

impl ElfWriter {
    fn u16(&mut self, v: u16) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }
    fn word(&mut self, v: u64) {
        if self.is64 {
            self.u64(v)
        } else {
            self.u32(v as u32)
        }
    }
    fn section_header(&mut self, s: &SectionHeader) {
        self.u32(s.name);
        self.u32(s.kind);
        self.word(s.flags);
        self.word(s.addr);
        self.word(s.offset);
        self.word(s.size);
        self.u32(0); // link
        self.u32(0); // info
        self.word(s.align);
        self.word(0); // entsize
    }
}

/// A minimal 64-bit little-endian Mach-O executable (`MH_EXECUTE`) carrying a Go
/// build-info header in `__DATA,__go_buildinfo`, as real macOS Go binaries do.
/// `arch` is `amd64` or `arm64`; any other name gives cputype 0, an unknown arch.
pub fn fake_go_macho(arch: &str, go_version: &str) -> Vec<u8> {
    const BLOB_OFF: usize = 0x100;
    const VADDR: u64 = 0x1_0000_0000;
    let cputype: u32 = match arch {
        "amd64" => 0x0100_0007,
        "arm64" => 0x0100_000c,
        _ => 0,
    };
    let blob = buildinfo_blob(8, go_version, Some("path\tcmd/go\n"));
    let total = (BLOB_OFF + blob.len()) as u64;
    let mut out = Vec::with_capacity(BLOB_OFF + blob.len());
    let u32 = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    let u64 = |out: &mut Vec<u8>, v: u64| out.extend_from_slice(&v.to_le_bytes());
    let name = |out: &mut Vec<u8>, s: &str| {
        let mut field = [0u8; 16];
        field[..s.len()].copy_from_slice(s.as_bytes());
        out.extend_from_slice(&field);
    };
    // One LC_SEGMENT_64 (72 bytes) with one section_64 (80 bytes).
    let cmdsize = 72 + 80;
    for field in [0xfeed_facf, cputype, 0, 2, 1, cmdsize, 0, 0] {
        u32(&mut out, field); // magic, cputype, subtype, MH_EXECUTE, ncmds, sizeofcmds, flags, reserved
    }
    u32(&mut out, 0x19); // LC_SEGMENT_64
    u32(&mut out, cmdsize);
    name(&mut out, "__DATA");
    for field in [VADDR, total, 0, total] {
        u64(&mut out, field); // vmaddr, vmsize, fileoff, filesize
    }
    for field in [3, 3, 1, 0] {
        u32(&mut out, field); // maxprot, initprot, nsects, flags
    }
    name(&mut out, "__go_buildinfo");
    name(&mut out, "__DATA");
    u64(&mut out, VADDR + BLOB_OFF as u64); // addr
    u64(&mut out, blob.len() as u64); // size
    for field in [BLOB_OFF as u32, 4, 0, 0, 0, 0, 0, 0] {
        u32(&mut out, field); // offset, align, reloff, nreloc, flags, reserved1-3
    }
    out.resize(BLOB_OFF, 0);
    out.extend_from_slice(&blob);
    out
}

#[cfg(test)]
mod macho_tests {
    #[test]
    fn a_fake_macho_reads_back_as_what_it_was_made() {
        for arch in ["amd64", "arm64"] {
            let bytes = super::fake_go_macho(arch, "go1.27.1");
            let info = crate::binary::inspect(&mut std::io::Cursor::new(bytes)).unwrap();
            assert_eq!(info.format, Some("macho"));
            assert_eq!((info.os, info.arch), (Some("darwin"), Some(arch)));
            assert_eq!(info.go.unwrap().go_version, "go1.27.1");
        }
    }
}
