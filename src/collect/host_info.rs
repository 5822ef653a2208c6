//! Who and what the machine is: OS, CPU, user, home, login shell, WSL.

use std::path::Path;

use crate::binary;
use crate::host::{Host, PasswdEntry, read_passwd};
use crate::snapshot::{HostInfo, Mode};

pub fn collect(host: &dyn Host, wanted_user: Option<&str>) -> HostInfo {
    match host.mode() {
        Mode::Live => live(host),
        Mode::Image => image(host, wanted_user),
    }
}

fn live(host: &dyn Host) -> HostInfo {
    let env = host.process_env().cloned().unwrap_or_default();
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    let passwd = read_passwd(host);
    let me = passwd.iter().find(|p| p.uid == uid);
    HostInfo {
        os: goos(std::env::consts::OS).to_string(),
        arch: goarch(std::env::consts::ARCH).to_string(),
        hostname: first_line(host, "/proc/sys/kernel/hostname")
            .or_else(|| first_line(host, "/etc/hostname")),
        user: me
            .map(|p| p.name.clone())
            .or_else(|| env.get("USER").cloned()),
        uid: Some(uid),
        home: env
            .get("HOME")
            .cloned()
            .or_else(|| me.map(|p| p.home.clone())),
        login_shell: me.map(|p| p.shell.clone()),
        wsl: env.contains_key("WSL_DISTRO_NAME")
            || first_line(host, "/proc/sys/kernel/osrelease")
                .is_some_and(|r| r.to_ascii_lowercase().contains("microsoft")),
        root: None,
        root_owner_uid: host.metadata(Path::new("/")).ok().map(|m| m.uid),
    }
}

fn image(host: &dyn Host, wanted_user: Option<&str>) -> HostInfo {
    if host.exists(Path::new(crate::host::windows::SYSTEM_HIVE)) {
        return windows(host, wanted_user);
    }
    let passwd = read_passwd(host);
    let user = pick_image_user(&passwd, wanted_user, host);
    let shell_info = binary_info(host, "/bin/sh");
    let darwin = host.exists(Path::new("/System/Library/CoreServices"));
    HostInfo {
        os: if darwin {
            "darwin".to_string()
        } else {
            shell_info.os.unwrap_or("linux").to_string()
        },
        arch: if darwin {
            mac_arch(host, &shell_info)
        } else {
            shell_info.arch.unwrap_or("unknown").to_string()
        },
        hostname: first_line(host, "/etc/hostname"),
        user: user.map(|u| u.name.clone()),
        uid: user.map(|u| u.uid),
        home: user.map(|u| u.home.clone()),
        login_shell: user.map(|u| u.shell.clone()),
        // A WSL distribution carries its own configuration file; a plain image does not.
        wsl: host.exists(Path::new("/etc/wsl.conf"))
            || host.exists(Path::new("/usr/lib/wsl"))
            || host.exists(Path::new("/etc/wsl-distribution.conf")),
        root: host.root().map(|r| r.display().to_string()),
        root_owner_uid: host.metadata(Path::new("/")).ok().map(|m| m.uid),
    }
}

/// A Windows volume: the users are the profiles with a registry hive; the CPU is the
/// kernel's (`ntoskrnl.exe`'s PE machine type).
fn windows(host: &dyn Host, wanted_user: Option<&str>) -> HostInfo {
    let accounts = crate::host::windows::accounts(host);
    let user = match wanted_user {
        Some(name) => accounts.iter().find(|a| a.name.eq_ignore_ascii_case(name)),
        None => accounts.first(),
    };
    let kernel = binary_info(host, r"C:\Windows\System32\ntoskrnl.exe");
    HostInfo {
        os: "windows".into(),
        arch: kernel.arch.unwrap_or("unknown").to_string(),
        hostname: super::windows::computer_name(host),
        user: user.map(|u| u.name.clone()),
        uid: None,
        home: user.map(|u| u.home.clone()),
        login_shell: None,
        wsl: false,
        root: host.root().map(|r| r.display().to_string()),
        root_owner_uid: None,
    }
}

/// The account an image check is about: the one asked for, else the first regular
/// user (uid ≥ 1000) whose home directory exists, else root.
fn pick_image_user<'a>(
    passwd: &'a [PasswdEntry],
    wanted: Option<&str>,
    host: &dyn Host,
) -> Option<&'a PasswdEntry> {
    if let Some(name) = wanted {
        return passwd.iter().find(|p| p.name == name);
    }
    let regular = crate::host::regular_uids(host);
    passwd
        .iter()
        .filter(|p| regular.contains(&p.uid))
        .find(|p| host.is_dir(Path::new(&p.home)))
        .or_else(|| passwd.iter().find(|p| p.uid == 0))
}

/// Apple-silicon Macs only: Rosetta 2's runtime, and Homebrew's prefix (Homebrew
/// installs to /usr/local on Intel Macs).
const APPLE_SILICON_SIGNS: [&str; 2] = ["/Library/Apple/usr/libexec/oah", "/opt/homebrew"];

/// A Mac's CPU as its disk shows it. Its `/bin/sh` is universal (the first slice is not
/// the machine's), so a thin one is believed, then the signs only Apple-silicon Macs
/// carry; else unknown (an Intel Mac and an Apple-silicon one without Rosetta or
/// Homebrew look alike), and the architecture checks stay silent.
fn mac_arch(host: &dyn Host, shell: &binary::BinaryInfo) -> String {
    let universal = host
        .open(Path::new("/bin/sh"))
        .ok()
        .and_then(|mut file| {
            let mut magic = [0u8; 4];
            std::io::Read::read_exact(&mut file, &mut magic).ok()?;
            Some(matches!(
                u32::from_be_bytes(magic),
                0xcafe_babe | 0xcafe_babf
            ))
        })
        .unwrap_or(false);
    match shell.arch {
        Some(arch) if !universal => arch.to_string(),
        _ if APPLE_SILICON_SIGNS
            .iter()
            .any(|p| host.exists(Path::new(p))) =>
        {
            "arm64".into()
        }
        _ => "unknown".into(),
    }
}

fn binary_info(host: &dyn Host, path: &str) -> binary::BinaryInfo {
    host.open(Path::new(path))
        .ok()
        .and_then(|mut f| binary::inspect(&mut f).ok())
        .unwrap_or_default()
}

fn first_line(host: &dyn Host, path: &str) -> Option<String> {
    let text = host.read_text(Path::new(path)).ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_string())
}

/// Rust's OS names in Go's spelling, so policies speak one language.
pub fn goos(rust_os: &str) -> &str {
    match rust_os {
        "macos" => "darwin",
        other => other,
    }
}

/// Rust's CPU names in Go's spelling.
pub fn goarch(rust_arch: &str) -> &str {
    match rust_arch {
        "x86_64" => "amd64",
        "x86" => "386",
        "aarch64" => "arm64",
        "powerpc64" => "ppc64",
        "loongarch64" => "loong64",
        other => other,
    }
}
