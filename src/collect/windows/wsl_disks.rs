//! The WSL distributions a Windows user has registered (`HKCU\Software\Microsoft\
//! Windows\CurrentVersion\Lxss\{GUID}`), each one's `/etc/wsl.conf` read from its own
//! disk, and where it keeps a Linux Go. A WSL 2 distribution lives in a VHDX file
//! (`BasePath\ext4.vhdx`) holding an ext4 file system with no partition table; both
//! are read in place through the audited volume (vhdx-core, then ext4-view: read-only,
//! on demand), so nothing is mounted or run and no path leaves the disk (ext4-view
//! resolves the distribution's own symlinks inside its own file system). A WSL 1
//! distribution's files are a directory on the volume (`BasePath\rootfs`).

use std::path::Path;

use ext4_view::Ext4;

use crate::host::Host;
use crate::host::registry::Hive;
use crate::host::windows::join;
use crate::snapshot::WslDistribution;

const LXSS: &str = r"Software\Microsoft\Windows\CurrentVersion\Lxss";

/// Where a distribution's Go usually is, inside it.
const LINUX_GO: &[&str] = &[
    "/usr/local/go/bin/go",
    "/usr/bin/go",
    "/usr/lib/go/bin/go",
    "/snap/bin/go",
];

/// wsl.conf is a few lines; a larger one is not read (and says so).
const MAX_CONF: u64 = 1 << 20;

pub fn collect(host: &dyn Host, user: Option<&mut Hive>) -> Vec<WslDistribution> {
    let Some(user) = user else {
        return Vec::new();
    };
    let mut guids = user.subkeys(LXSS);
    guids.sort();
    let mut found = Vec::new();
    for guid in guids {
        let key = format!(r"{LXSS}\{guid}");
        let text = |hive: &mut Hive, name: &str| {
            hive.value(&key, name)
                .and_then(|v| v.text().map(str::to_string))
        };
        let Some(base) = text(user, "BasePath") else {
            continue;
        };
        let name = text(user, "DistributionName").unwrap_or_else(|| guid.clone());
        let version = user.value(&key, "Version").and_then(|v| v.number());
        let vhd = text(user, "VhdFileName").unwrap_or_else(|| "ext4.vhdx".into());
        // `\\?\C:\…` is how wsl.exe writes long paths.
        let base = base.strip_prefix(r"\\?\").unwrap_or(&base).to_string();
        let mut distribution = WslDistribution {
            name,
            origin: format!(r"HKCU\{key}"),
            version,
            disk: String::new(),
            state: String::new(),
            conf_exists: false,
            interop_line: None,
            append_windows_path: None,
            interop_enabled: None,
            linux_go: Vec::new(),
        };
        if version == Some(1) {
            distribution.disk = join(&base, "rootfs");
            read_rootfs(host, &mut distribution);
        } else {
            distribution.disk = join(&base, &vhd);
            read_disk(host, &mut distribution);
        }
        found.push(distribution);
    }
    found
}

/// A WSL 1 distribution: its files are a directory of the volume.
fn read_rootfs(host: &dyn Host, d: &mut WslDistribution) {
    if !host.is_dir(Path::new(&d.disk)) {
        d.state = "missing".into();
        return;
    }
    let conf = join(&d.disk, r"etc\wsl.conf");
    match host.read_limited(Path::new(&conf), MAX_CONF + 1) {
        Ok(bytes) if bytes.len() as u64 > MAX_CONF => {
            d.state = "unreadable: /etc/wsl.conf is larger than 1 MiB".into();
            return;
        }
        Ok(bytes) => apply_conf(d, &String::from_utf8_lossy(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            d.state = format!("unreadable: /etc/wsl.conf: {e}");
            return;
        }
    }
    for go in LINUX_GO {
        let inside = join(&d.disk, &go[1..].replace('/', "\\"));
        if host.metadata(Path::new(&inside)).is_ok_and(|m| m.is_file) {
            d.linux_go.push(go.to_string());
        }
    }
    d.state = "read".into();
}

/// A WSL 2 distribution: the ext4 file system inside its VHDX.
fn read_disk(host: &dyn Host, d: &mut WslDistribution) {
    let file = match host.open(Path::new(&d.disk)) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            d.state = "missing".into();
            return;
        }
        Err(e) => {
            d.state = format!("unreadable: {e}");
            return;
        }
    };
    let fs = match open_ext4(file) {
        Ok(fs) => fs,
        Err(e) => {
            d.state = format!("unreadable: {e}");
            return;
        }
    };
    match read_ext4_conf(&fs) {
        Ok(Some(text)) => apply_conf(d, &text),
        Ok(None) => {}
        Err(e) => {
            d.state = format!("unreadable: /etc/wsl.conf: {e}");
            return;
        }
    }
    for go in LINUX_GO {
        if fs.metadata(*go).is_ok_and(|m| !m.is_dir()) {
            d.linux_go.push(go.to_string());
        }
    }
    d.state = "read".into();
}

/// The VHDX container's virtual disk, as ext4-view reads it.
struct VirtualDisk(vhdx::VhdxReader);

impl ext4_view::Ext4Read for VirtualDisk {
    fn read(
        &mut self,
        start_byte: u64,
        dst: &mut [u8],
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync + 'static>> {
        use std::io::{Read, Seek, SeekFrom};
        self.0.seek(SeekFrom::Start(start_byte))?;
        self.0.read_exact(dst)?;
        Ok(())
    }
}

fn open_ext4(file: std::fs::File) -> Result<Ext4, String> {
    let disk = vhdx::VhdxReader::from_backing(vhdx::Backing::File(file), None)
        .map_err(|e| format!("not a VHDX disk envgate can read: {e}"))?;
    Ext4::load(Box::new(VirtualDisk(disk)))
        .map_err(|e| format!("no ext4 file system at the start of the disk: {e}"))
}

fn read_ext4_conf(fs: &Ext4) -> Result<Option<String>, String> {
    let path = "/etc/wsl.conf";
    match fs.metadata(path) {
        Ok(m) if m.is_dir() => return Err("is a directory".into()),
        Ok(m) if m.len() > MAX_CONF => return Err("is larger than 1 MiB".into()),
        Ok(_) => {}
        Err(ext4_view::Ext4Error::NotFound) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    }
    let bytes = fs.read(path).map_err(|e| e.to_string())?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

fn apply_conf(d: &mut WslDistribution, text: &str) {
    let interop = crate::collect::wsl::parse_interop(text);
    d.conf_exists = true;
    d.interop_line = interop.section_line;
    d.append_windows_path = interop.append_windows_path;
    d.interop_enabled = interop.enabled;
}
