//! Static facts from an executable's headers, read without ever running it.
//!
//! Image mode must not execute anything from the audited root (it may be another
//! architecture, or hostile), and live mode should not run every `go` it finds just to
//! learn its version. The executable header gives the target OS and arch, and Go's
//! build-info blob gives the toolchain version and main module — the same data
//! `go version -m` prints. See checks-go.md, "Reading a Go binary's version statically".
//!
//! Anything that is not a recognisable executable (scripts, shims, text, junk) reads as
//! `BinaryInfo::default()`; only real I/O failures are errors. Memory stays bounded
//! whatever the file claims: tables are read in chunks and lengths are capped.

mod buildinfo;
mod elf;
mod macho;
mod pe;
mod source;
#[doc(hidden)]
pub mod synth;

use std::io::{self, Read, Seek};

use source::Source;

/// What an executable's headers say, read without running it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BinaryInfo {
    /// Container format: `elf`, `macho` or `pe`; `None` for anything else.
    pub format: Option<&'static str>,
    /// Target OS in GOOS spelling: `linux` (and `freebsd`, `netbsd`, `openbsd` when the
    /// ELF header says so), `darwin`, `windows`.
    pub os: Option<&'static str>,
    /// Target CPU in GOARCH spelling (`amd64`, `386`, `arm64`, `arm`, `riscv64`,
    /// `ppc64le`, `s390x`, …); `None` when the machine type has no Go name.
    pub arch: Option<&'static str>,
    /// The Go build-info header; `None` when none was found (not a Go program, or a
    /// pre-go1.18 one whose pointers could not be resolved).
    pub go: Option<GoBuildInfo>,
}

/// The Go build-info header of a Go executable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoBuildInfo {
    /// Toolchain that built it, e.g. `go1.19.8` or `devel go1.23-abc123 …`.
    pub go_version: String,
    /// Main package path from modinfo's `path` line (`cmd/go`, `golang.org/x/tools/gopls`).
    pub path: Option<String>,
    /// Main module path from modinfo's `mod` line; absent in binaries built outside
    /// module mode (Debian's gopls 0.5.0, the toolchain's own commands).
    pub main_module: Option<String>,
    /// Main module version from the `mod` line: `v0.15.2`, or `(devel)` for a local build.
    pub main_version: Option<String>,
}

/// Reads the executable header and Go build info from `r`, without running anything.
///
/// Non-executables give `Ok(BinaryInfo::default())`; `Err` means the reader itself
/// failed. The reader's position afterwards is unspecified.
pub fn inspect<R: Read + Seek>(r: &mut R) -> io::Result<BinaryInfo> {
    let mut src = Source::new(r)?;
    let magic = src.read_up_to(0, 4)?;
    let Ok(magic) = <[u8; 4]>::try_from(magic.as_slice()) else {
        return Ok(BinaryInfo::default());
    };
    match magic {
        [0x7f, b'E', b'L', b'F'] => elf::inspect(&mut src),
        [b'M', b'Z', ..] => pe::inspect(&mut src),
        _ if macho::is_thin_magic(magic) => {
            let end = src.len();
            macho::inspect_thin(&mut src, 0, end)
        }
        _ if matches!(
            u32::from_be_bytes(magic),
            macho::FAT_MAGIC | macho::FAT_MAGIC_64
        ) =>
        {
            macho::inspect_fat(&mut src)
        }
        _ => Ok(BinaryInfo::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn inspect_bytes(bytes: &[u8]) -> BinaryInfo {
        inspect(&mut Cursor::new(bytes)).expect("in-memory reads do not fail")
    }

    const GOPLS_MODINFO: &str = "path\tgolang.org/x/tools/gopls\n\
        mod\tgolang.org/x/tools/gopls\tv0.15.2\th1:abc=\n\
        dep\tgolang.org/x/mod\tv0.15.0\th1:def=\n\
        build\t-compiler=gc\n";

    #[test]
    fn fake_elf_round_trips_for_each_arch() {
        for arch in [
            "amd64", "arm64", "386", "arm", "riscv64", "loong64", "ppc64le",
        ] {
            let file = synth::fake_go_elf(arch, "go1.22.3", Some(GOPLS_MODINFO));
            assert!(file.len() < 1024, "{arch}: {} bytes", file.len());
            let info = inspect_bytes(&file);
            assert_eq!(info.format, Some("elf"), "{arch}");
            assert_eq!(info.os, Some("linux"), "{arch}");
            assert_eq!(info.arch, Some(arch));
            let go = info.go.expect("build info");
            assert_eq!(go.go_version, "go1.22.3");
            assert_eq!(go.path.as_deref(), Some("golang.org/x/tools/gopls"));
            assert_eq!(go.main_module.as_deref(), Some("golang.org/x/tools/gopls"));
            assert_eq!(go.main_version.as_deref(), Some("v0.15.2"));
        }
    }

    #[test]
    fn fake_elf_without_modinfo_and_unknown_arch() {
        let info = inspect_bytes(&synth::fake_go_elf("sparc64", "go1.21.0", None));
        assert_eq!(info.format, Some("elf"));
        assert_eq!(info.arch, None);
        let go = info.go.expect("build info");
        assert_eq!(go.go_version, "go1.21.0");
        assert_eq!(
            (go.path, go.main_module, go.main_version),
            (None, None, None)
        );
    }

    #[test]
    fn fake_elf_header_is_16_byte_aligned_and_in_the_named_section() {
        let file = synth::fake_go_elf("amd64", "go1.22.3", None);
        let at = file
            .windows(buildinfo::MAGIC.len())
            .position(|w| w == buildinfo::MAGIC)
            .expect("magic present");
        assert_eq!(at % 16, 0);
        let mut cursor = Cursor::new(file);
        let mut src = Source::new(&mut cursor).expect("cursor");
        assert!(
            buildinfo::read_at(&mut src, at as u64, &[])
                .expect("io")
                .is_some()
        );
    }

    #[test]
    fn elf_without_sections_falls_back_to_the_scan() {
        let file = synth::fake_go_elf_with("arm64", "go1.20.14", None, synth::Form::Inline, false);
        let info = inspect_bytes(&file);
        assert_eq!(info.arch, Some("arm64"));
        assert_eq!(info.go.expect("scanned").go_version, "go1.20.14");
    }

    #[test]
    fn pre_go118_elf_resolves_pointers_through_pt_load() {
        for (arch, sections) in [("amd64", true), ("386", true), ("amd64", false)] {
            let file = synth::fake_go_elf_with(
                arch,
                "go1.17.13",
                Some(GOPLS_MODINFO),
                synth::Form::Pointers,
                sections,
            );
            let go = inspect_bytes(&file).go.expect("resolved");
            assert_eq!(go.go_version, "go1.17.13", "{arch} sections={sections}");
            assert_eq!(go.main_version.as_deref(), Some("v0.15.2"));
        }
    }

    #[test]
    fn big_endian_elf_header() {
        // ELF64 big-endian s390x: only the header, no Go build info.
        let mut file = vec![0x7f, b'E', b'L', b'F', 2, 2, 1, 0];
        file.resize(64, 0);
        file[18..20].copy_from_slice(&22u16.to_be_bytes());
        let info = inspect_bytes(&file);
        assert_eq!(
            (info.format, info.os, info.arch),
            (Some("elf"), Some("linux"), Some("s390x"))
        );
        assert_eq!(info.go, None);
    }

    #[test]
    fn fake_pe_round_trips() {
        for arch in ["amd64", "386", "arm64"] {
            let info = inspect_bytes(&synth::fake_pe(arch, "go1.22.0"));
            assert_eq!(info.format, Some("pe"));
            assert_eq!(info.os, Some("windows"));
            assert_eq!(info.arch, Some(arch));
            let go = info.go.expect("build info");
            assert_eq!(go.go_version, "go1.22.0");
            assert_eq!(go.path.as_deref(), Some("cmd/go"));
        }
    }

    #[test]
    fn dos_program_without_pe_signature_is_nothing() {
        let mut file = b"MZ".to_vec();
        file.resize(0x40, 0);
        file[0x3c] = 0x80; // points past the end
        assert_eq!(inspect_bytes(&file), BinaryInfo::default());
        assert_eq!(inspect_bytes(b"MZ"), BinaryInfo::default());
    }

    #[test]
    fn non_executables_read_as_nothing() {
        let cases: [&[u8]; 6] = [
            b"",
            b"#!/bin/sh\nexec /usr/lib/go-1.19/bin/go \"$@\"\n",
            b"#!/usr/bin/env bash\n# goenv shim\n",
            b"\x7fEL",
            &[0xff; 3000],
            b"\xff Go buildinf:\x08\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x08go1.19.8\0",
        ];
        for case in cases {
            assert_eq!(inspect_bytes(case), BinaryInfo::default(), "{case:?}");
        }
    }

    #[test]
    fn truncated_elf_header_reads_as_nothing() {
        let file = synth::fake_go_elf("amd64", "go1.22.3", None);
        for len in [4, 16, 20, 63] {
            assert_eq!(inspect_bytes(&file[..len]), BinaryInfo::default(), "{len}");
        }
    }

    #[test]
    fn section_table_out_of_bounds_still_finds_build_info_by_scanning() {
        let mut file = synth::fake_go_elf("amd64", "go1.22.3", None);
        // e_shoff far past the end, then e_shoff near u64::MAX.
        for shoff in [0x10_0000u64, u64::MAX - 10] {
            file[40..48].copy_from_slice(&shoff.to_le_bytes());
            let info = inspect_bytes(&file);
            assert_eq!(info.arch, Some("amd64"));
            assert_eq!(info.go.expect("scanned").go_version, "go1.22.3");
        }
    }

    #[test]
    fn section_pointing_out_of_bounds_gives_no_build_info() {
        let mut file = synth::fake_go_elf("amd64", "go1.22.3", None);
        // The last section header is .go.buildinfo; its sh_offset is 24 bytes in.
        let sh_offset_at = file.len() - 64 + 24;
        file[sh_offset_at..sh_offset_at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        let info = inspect_bytes(&file);
        assert_eq!(info.format, Some("elf"));
        assert_eq!(info.go, None);
    }

    #[test]
    fn every_prefix_and_byte_corruption_is_handled_without_panicking() {
        let samples = [
            synth::fake_go_elf("amd64", "go1.22.3", Some(GOPLS_MODINFO)),
            synth::fake_go_elf("386", "go1.22.3", Some(GOPLS_MODINFO)),
            synth::fake_go_elf_with(
                "amd64",
                "go1.17.1",
                Some(GOPLS_MODINFO),
                synth::Form::Pointers,
                true,
            ),
            synth::fake_pe("amd64", "go1.22.0"),
        ];
        for file in &samples {
            for len in 0..=file.len() {
                let _ = inspect_bytes(&file[..len]);
            }
            // Overwrite each byte in turn with values that make lengths, counts,
            // offsets and varints absurd (the files are small, so every byte is cheap).
            for at in 0..file.len() {
                for value in [0x00, 0x7f, 0x80, 0xff] {
                    let mut bad = file.clone();
                    bad[at] = value;
                    let _ = inspect_bytes(&bad);
                }
            }
        }
    }

    #[test]
    fn real_go_binary_if_installed() {
        let Some(path) = ["/usr/lib/go-1.19/bin/go", "/usr/bin/go"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
        else {
            println!("skipped: no real go binary");
            return;
        };
        let mut file = std::fs::File::open(path).expect("readable");
        let info = inspect(&mut file).expect("io");
        assert_eq!(info.format, Some("elf"));
        assert_eq!(info.os, Some("linux"));
        if cfg!(target_arch = "x86_64") {
            assert_eq!(info.arch, Some("amd64"));
        }
        let go = info.go.expect("a Go toolchain has build info");
        assert!(go.go_version.starts_with("go1."), "{go:?}");
        assert_eq!(go.path.as_deref(), Some("cmd/go"));

        // The scan must agree with the section lookup, skipping the magic that cmd/go
        // carries as data (it reads build info itself).
        let mut src = Source::new(&mut file).expect("io");
        let end = src.len();
        let scanned = buildinfo::scan(&mut src, 0, end, &[]).expect("io");
        assert_eq!(scanned.as_ref(), Some(&go));
    }
}
