//! Windows registry hives (`SYSTEM`, `SOFTWARE`, a user's `NTUSER.DAT`) read from a
//! disk, never from a running registry, with the `notatin` crate (read-only; it
//! replays the hive's transaction logs, `<hive>.LOG1`/`.LOG2`, when the hive was not
//! written back cleanly, as after a crash or Fast Startup).
//!
//! Keys are paths inside the hive (`ControlSet001\Control\Session Manager\Environment`),
//! matched without regard to case, as Windows matches them; value names likewise.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use notatin::cell_key_value::CellKeyValueDataTypes;
use notatin::cell_value::CellValue;
use notatin::parser::Parser;
use notatin::parser_builder::ParserBuilder;

use super::Host;

/// The most read of one hive (a `SOFTWARE` hive is commonly 100–200 MB); a larger
/// file is reported as not read instead of being read in part.
pub const HIVE_READ_LIMIT: u64 = 512 << 20;

/// A value's data, by its registry type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegData {
    /// `REG_SZ`.
    Sz(String),
    /// `REG_EXPAND_SZ`: `%NAME%` references, expanded when the environment is built.
    ExpandSz(String),
    MultiSz(Vec<String>),
    Dword(u32),
    Qword(u64),
    /// Any other type, by name (`REG_BINARY`…): not read.
    Other(String),
}

impl RegData {
    /// The text of a string value (`REG_SZ`, `REG_EXPAND_SZ`).
    pub fn text(&self) -> Option<&str> {
        match self {
            RegData::Sz(text) | RegData::ExpandSz(text) => Some(text),
            _ => None,
        }
    }

    /// A number, also from a string holding one (policies are sometimes written so).
    pub fn number(&self) -> Option<u64> {
        match self {
            RegData::Dword(n) => Some(u64::from(*n)),
            RegData::Qword(n) => Some(*n),
            RegData::Sz(text) | RegData::ExpandSz(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    /// `REG_SZ`, `REG_EXPAND_SZ`, `REG_DWORD`… as regedit names the type.
    pub fn type_name(&self) -> &str {
        match self {
            RegData::Sz(_) => "REG_SZ",
            RegData::ExpandSz(_) => "REG_EXPAND_SZ",
            RegData::MultiSz(_) => "REG_MULTI_SZ",
            RegData::Dword(_) => "REG_DWORD",
            RegData::Qword(_) => "REG_QWORD",
            RegData::Other(name) => name,
        }
    }
}

/// One open hive.
pub struct Hive {
    parser: Parser,
    /// The hive file, as the host names it.
    pub file: PathBuf,
}

impl std::fmt::Debug for Hive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hive").field("file", &self.file).finish()
    }
}

impl Hive {
    /// Reads the hive at `path` through the host, with its transaction logs when they
    /// are beside it. The error says why it could not be read, in words.
    pub fn open(host: &dyn Host, path: &Path) -> Result<Hive, String> {
        let bytes = read_whole(host, path)?;
        if !bytes.starts_with(b"regf") {
            return Err("not a registry hive (no regf header)".into());
        }
        let mut builder = ParserBuilder::from_file(Cursor::new(bytes));
        for suffix in ["LOG1", "LOG2"] {
            let log = path.with_extension(suffix);
            if let Ok(log) = read_whole(host, &log)
                && log.starts_with(b"regf")
            {
                builder.with_transaction_log(Cursor::new(log));
            }
        }
        let parser = builder
            .build()
            .map_err(|e| format!("the hive cannot be parsed: {e}"))?;
        Ok(Hive {
            parser,
            file: path.to_path_buf(),
        })
    }

    /// The values of `key`, in the hive's order; `None` when the key does not exist.
    pub fn values(&mut self, key: &str) -> Option<Vec<(String, RegData)>> {
        let node = self.parser.get_key(key, false).ok().flatten()?;
        Some(
            node.value_iter()
                .filter(|value| !value.cell_state.is_deleted())
                .map(|value| {
                    let name = value.detail.value_name().to_string();
                    (name, data_of(&value))
                })
                .collect(),
        )
    }

    /// One value of `key`, its name matched without regard to case.
    pub fn value(&mut self, key: &str, name: &str) -> Option<RegData> {
        self.values(key)?
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, data)| data)
    }

    /// The names of `key`'s subkeys; empty when it has none or does not exist.
    pub fn subkeys(&mut self, key: &str) -> Vec<String> {
        let Some(mut node) = self.parser.get_key(key, false).ok().flatten() else {
            return Vec::new();
        };
        node.read_sub_keys(&mut self.parser)
            .into_iter()
            .map(|k| k.key_name)
            .collect()
    }
}

fn data_of(value: &notatin::cell_key_value::CellKeyValue) -> RegData {
    let (content, _) = value.get_content();
    match (value.data_type, content) {
        (CellKeyValueDataTypes::REG_EXPAND_SZ, CellValue::String(text)) => RegData::ExpandSz(text),
        (_, CellValue::String(text)) => RegData::Sz(text),
        (_, CellValue::MultiString(items)) => RegData::MultiSz(items),
        (_, CellValue::U32(n)) => RegData::Dword(n),
        (_, CellValue::I32(n)) => RegData::Dword(n as u32),
        (_, CellValue::U64(n)) => RegData::Qword(n),
        (_, CellValue::I64(n)) => RegData::Qword(n as u64),
        (kind, _) => RegData::Other(format!("{kind:?}")),
    }
}

fn read_whole(host: &dyn Host, path: &Path) -> Result<Vec<u8>, String> {
    let meta = host.metadata(path).map_err(|e| e.to_string())?;
    if meta.size > HIVE_READ_LIMIT {
        return Err(format!(
            "larger than {} MiB, not read",
            HIVE_READ_LIMIT >> 20
        ));
    }
    host.read_limited(path, HIVE_READ_LIMIT)
        .map_err(|e| e.to_string())
}

/// Test fixtures: an empty hive (a base block and one bin holding the root key and
/// its security cell), which `hivexregedit --merge` then fills from `.reg` text: hivex
/// writes into a hive but cannot create one, and no hive file is committed. The layout
/// is the regf format's minimum (Maxim Suhanov's specification of it).
#[doc(hidden)]
pub mod synth {
    const BIN: usize = 0x1000;

    fn put(buf: &mut [u8], at: usize, bytes: &[u8]) {
        buf[at..at + bytes.len()].copy_from_slice(bytes);
    }

    fn u16le(buf: &mut [u8], at: usize, v: u16) {
        put(buf, at, &v.to_le_bytes());
    }

    fn u32le(buf: &mut [u8], at: usize, v: u32) {
        put(buf, at, &v.to_le_bytes());
    }

    /// The bytes of an empty hive whose root key is named `root`.
    pub fn empty_hive(root: &str) -> Vec<u8> {
        let mut hive = vec![0u8; BIN * 2];
        // Base block.
        put(&mut hive, 0, b"regf");
        u32le(&mut hive, 4, 1); // primary sequence number
        u32le(&mut hive, 8, 1); // secondary: equal, the hive is clean
        u32le(&mut hive, 0x14, 1); // major version
        u32le(&mut hive, 0x18, 3); // minor version
        u32le(&mut hive, 0x1c, 0); // primary file
        u32le(&mut hive, 0x20, 1); // direct memory load
        let nk = 0x20; // the root key cell, after the bin header
        u32le(&mut hive, 0x24, nk as u32);
        u32le(&mut hive, 0x28, BIN as u32); // hive bins data size
        u32le(&mut hive, 0x2c, 1); // clustering factor
        let checksum = (0..0x1fc).step_by(4).fold(0u32, |sum, at| {
            sum ^ u32::from_le_bytes(hive[at..at + 4].try_into().unwrap())
        });
        u32le(&mut hive, 0x1fc, checksum);

        // The bin.
        let bin = &mut hive[BIN..];
        put(bin, 0, b"hbin");
        u32le(bin, 4, 0); // offset of this bin
        u32le(bin, 8, BIN as u32);
        let name = root.as_bytes();
        let nk_size = (4 + 76 + name.len()).div_ceil(8) * 8;
        let sk = nk + nk_size;
        // Root key node (allocated: negative size).
        u32le(bin, nk, (-(nk_size as i32)) as u32);
        put(bin, nk + 4, b"nk");
        u16le(bin, nk + 6, 0x2c); // hive entry, no delete, compressed (ASCII) name
        u32le(bin, nk + 0x14, 0xffff_ffff); // parent: none
        u32le(bin, nk + 0x1c + 4, 0xffff_ffff); // subkeys list: none
        u32le(bin, nk + 0x20 + 4, 0xffff_ffff); // volatile subkeys list: none
        u32le(bin, nk + 0x28 + 4, 0xffff_ffff); // values list: none
        u32le(bin, nk + 0x2c + 4, sk as u32); // security cell
        u32le(bin, nk + 0x30 + 4, 0xffff_ffff); // class name: none
        u16le(bin, nk + 0x48 + 4, name.len() as u16);
        put(bin, nk + 0x4c + 4, name);
        // Security cell: a self-relative descriptor with no owner, group or lists,
        // linked to itself, used by the one key.
        let descriptor = [
            1u8, 0, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        let sk_size = (4 + 20 + descriptor.len()).div_ceil(8) * 8;
        u32le(bin, sk, (-(sk_size as i32)) as u32);
        put(bin, sk + 4, b"sk");
        u32le(bin, sk + 8, sk as u32); // flink
        u32le(bin, sk + 12, sk as u32); // blink
        u32le(bin, sk + 16, 1); // reference count
        u32le(bin, sk + 20, descriptor.len() as u32);
        put(bin, sk + 24, &descriptor);
        // The rest of the bin is one free cell.
        let free = sk + sk_size;
        u32le(bin, free, (BIN - free) as u32);
        hive
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::ImageHost;

    /// `hivexregedit --merge` of `reg` into an empty hive named `root`, under `prefix`;
    /// `None` (with the reason printed) when hivex's tools are not installed.
    pub(crate) fn merged_hive(root: &str, prefix: &str, reg: &str) -> Option<Vec<u8>> {
        let dir = tempfile::tempdir().unwrap();
        let hive = dir.path().join("hive");
        std::fs::write(&hive, synth::empty_hive(root)).unwrap();
        let file = dir.path().join("in.reg");
        std::fs::write(&file, reg).unwrap();
        let status = std::process::Command::new("hivexregedit")
            .args(["--merge", "--prefix", prefix])
            .arg(&hive)
            .arg(&file)
            .status();
        match status {
            Ok(status) if status.success() => Some(std::fs::read(&hive).unwrap()),
            Ok(status) => panic!("hivexregedit failed: {status}"),
            Err(e) => {
                eprintln!(
                    "skipped: hivexregedit cannot be run ({e}); .ci/deps/60-hivex.sh installs it"
                );
                None
            }
        }
    }

    #[test]
    fn reads_values_hivex_wrote_by_type_and_without_regard_to_case() {
        // hivexregedit creates a key only under one that exists: parents first.
        let reg = "Windows Registry Editor Version 5.00\r\n\r\n\
            [HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001]\r\n\r\n\
            [HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control]\r\n\r\n\
            [HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\Session Manager]\r\n\r\n\
            [HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\Session Manager\\Environment]\r\n\
            \"Path\"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,6f,00,74,00,25,00,00,00\r\n\
            \"GOPROXY\"=\"https://proxy.example.com\"\r\n\
            \r\n\
            [HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n\
            \"Current\"=dword:00000001\r\n";
        let Some(bytes) = merged_hive("ROOT", "HKEY_LOCAL_MACHINE\\SYSTEM", reg) else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("SYSTEM"), bytes).unwrap();
        let host = ImageHost::new(dir.path()).unwrap();
        let mut hive = Hive::open(&host, Path::new("/SYSTEM")).unwrap();
        let env = "controlset001\\CONTROL\\Session Manager\\Environment";
        assert_eq!(
            hive.value(env, "path"),
            Some(RegData::ExpandSz("%SystemRoot%".into()))
        );
        assert_eq!(
            hive.value(env, "GOPROXY"),
            Some(RegData::Sz("https://proxy.example.com".into()))
        );
        assert_eq!(hive.value("Select", "Current"), Some(RegData::Dword(1)));
        assert_eq!(hive.subkeys("ControlSet001"), vec!["Control".to_string()]);
        assert!(hive.values("ControlSet002").is_none());
    }

    #[test]
    fn a_file_that_is_no_hive_is_an_error_in_words() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("SYSTEM"), b"not a hive").unwrap();
        let host = ImageHost::new(dir.path()).unwrap();
        let error = Hive::open(&host, Path::new("/SYSTEM")).unwrap_err();
        assert!(error.contains("not a registry hive"), "{error}");
        assert!(Hive::open(&host, Path::new("/missing")).is_err());
    }
}
