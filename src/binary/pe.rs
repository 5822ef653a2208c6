//! PE (Windows): target from the COFF header; build info by the bounded scan, since
//! resolving pre-go1.18 pointers would need the optional header's image base and the
//! section table, and those old Windows binaries are not worth the code.

use std::io;

use super::BinaryInfo;
use super::buildinfo;
use super::source::{Endian, Source};

/// Where the DOS header keeps the offset of the `PE\0\0` signature.
const E_LFANEW: usize = 0x3c;

fn arch(machine: u16) -> Option<&'static str> {
    match machine {
        0x8664 => Some("amd64"),
        0x14c => Some("386"),
        0xaa64 => Some("arm64"),
        0x1c4 => Some("arm"),
        _ => None,
    }
}

/// Reads a PE file; called once the first two bytes are `MZ`. A DOS program (no PE
/// signature) is not something a Go toolchain can be, so it reads as nothing.
pub(crate) fn inspect(src: &mut Source) -> io::Result<BinaryInfo> {
    let dos = src.read_up_to(0, E_LFANEW + 4)?;
    let Some(pe_offset) = Endian::Little.u32(&dos, E_LFANEW) else {
        return Ok(BinaryInfo::default());
    };
    let Some(signature) = src.read_at(u64::from(pe_offset), 6)? else {
        return Ok(BinaryInfo::default());
    };
    if !signature.starts_with(b"PE\0\0") {
        return Ok(BinaryInfo::default());
    }
    let machine = Endian::Little.u16(&signature, 4).unwrap_or(0);
    let end = src.len();
    Ok(BinaryInfo {
        format: Some("pe"),
        os: Some("windows"),
        arch: arch(machine),
        go: buildinfo::scan(src, 0, end, &[])?,
    })
}
