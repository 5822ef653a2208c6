//! Windows Subsystem for Linux: whether WSL appends the Windows PATH (`/etc/wsl.conf`
//! `[interop] appendWindowsPath`, true unless set to false), which PATH entries under a
//! Windows drive (`/mnt/<letter>/…`) hold a Windows `go.exe`, and, for an image, the
//! Windows Go installs at the places Windows installers use: the PATH WSL appends at
//! run time is in no file of the image, so those are what it would reach.

use std::path::Path;

use super::toolchains::read_binary;
use crate::host::Host;
use crate::snapshot::{
    Mode, PathInfo, WindowsGo, WindowsGoExe, WindowsGoInstall, WslFacts, WslSetting,
};

const WSL_CONF: &str = "/etc/wsl.conf";

/// Where Go's Windows installers put `go.exe`, relative to a drive: the official MSI
/// (and Chocolatey, which runs it), and a zip unpacked at the drive's root.
const DRIVE_GO_DIRS: &[&str] = &["Program Files/Go/bin", "Go/bin"];

/// The same relative to a Windows user's profile (`/mnt/c/Users/<name>`): Scoop.
const PROFILE_GO_DIRS: &[&str] = &["scoop/apps/go/current/bin"];

pub fn collect(host: &dyn Host, path: &PathInfo) -> WslFacts {
    let conf_exists = host.metadata(Path::new(WSL_CONF)).is_ok_and(|m| m.is_file);
    let conf = if conf_exists {
        host.read_text(Path::new(WSL_CONF))
            .map(|text| parse_interop(&text))
            .unwrap_or_default()
    } else {
        Interop::default()
    };
    let windows_go = path
        .entries
        .iter()
        .filter(|e| is_windows_drive_path(&e.raw) && e.programs.iter().any(|p| p == "go.exe"))
        .map(|e| WindowsGo {
            path_index: e.index,
            exe: windows_go_exe(host, format!("{}/go.exe", e.raw.trim_end_matches('/'))),
        })
        .collect();
    let windows_installs = if host.mode() == Mode::Image {
        windows_installs(host)
    } else {
        Vec::new()
    };
    WslFacts {
        conf_file: WSL_CONF.to_string(),
        conf_exists,
        interop_line: conf.section_line,
        append_windows_path: conf.append_windows_path,
        interop_enabled: conf.enabled,
        windows_go,
        windows_installs,
    }
}

/// Windows Go installs under the drives mounted at `/mnt/<letter>`, at the places
/// installers use (a bounded set of paths, never a walk of the drive), sorted.
fn windows_installs(host: &dyn Host) -> Vec<WindowsGoInstall> {
    let mut drives: Vec<String> = host
        .read_dir(Path::new("/mnt"))
        .unwrap_or_default()
        .into_iter()
        .filter(|name| name.len() == 1 && name.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    drives.sort();
    let mut dirs = Vec::new();
    for drive in &drives {
        let root = format!("/mnt/{drive}");
        dirs.extend(DRIVE_GO_DIRS.iter().map(|d| format!("{root}/{d}")));
        let mut users = host
            .read_dir(Path::new(&format!("{root}/Users")))
            .unwrap_or_default();
        users.sort();
        for user in users {
            dirs.extend(
                PROFILE_GO_DIRS
                    .iter()
                    .map(|d| format!("{root}/Users/{user}/{d}")),
            );
        }
    }
    dirs.into_iter()
        .filter_map(|dir| {
            let exe = format!("{dir}/go.exe");
            if !host.metadata(Path::new(&exe)).is_ok_and(|m| m.is_file) {
                return None;
            }
            Some(WindowsGoInstall {
                dir,
                exe: windows_go_exe(host, exe),
            })
        })
        .collect()
}

/// What the `go.exe` at `path` is, from its headers.
fn windows_go_exe(host: &dyn Host, path: String) -> WindowsGoExe {
    let info = read_binary(host, Path::new(&path));
    WindowsGoExe {
        path,
        go_version: info.go.map(|g| g.go_version),
        os: info.os.map(str::to_string),
        arch: info.arch.map(str::to_string),
    }
}

/// `/mnt/c/…`: where WSL mounts Windows drives (the default automount root).
fn is_windows_drive_path(entry: &str) -> bool {
    let mut parts = entry.split('/');
    parts.next() == Some("")
        && parts.next() == Some("mnt")
        && parts
            .next()
            .is_some_and(|d| d.len() == 1 && d.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The `[interop]` section of wsl.conf.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Interop {
    pub section_line: Option<usize>,
    pub append_windows_path: Option<WslSetting>,
    pub enabled: Option<WslSetting>,
}

/// wsl.conf is INI: `[section]`, `key = value`, `#` comments. Section and key names
/// are matched without regard to case; the last assignment wins.
pub(super) fn parse_interop(text: &str) -> Interop {
    let mut interop = Interop::default();
    let mut in_interop = false;
    for (index, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let number = index + 1;
        let line = line.split(['#', ';']).next().unwrap_or("").trim();
        if let Some(header) = line.strip_prefix('[') {
            let name = header.split(']').next().unwrap_or("").trim();
            in_interop = name.eq_ignore_ascii_case("interop");
            if in_interop && interop.section_line.is_none() {
                interop.section_line = Some(number);
            }
            continue;
        }
        if !in_interop {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_string();
        let setting = WslSetting {
            enabled: boolean(&value),
            value,
            line: number,
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "appendwindowspath" => interop.append_windows_path = Some(setting),
            "enabled" => interop.enabled = Some(setting),
            _ => {}
        }
    }
    interop
}

fn boolean(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interop_settings_with_lines() {
        let text = "[boot]\nsystemd=true\n\n[Interop]\nenabled = true # keep\nappendWindowsPath = \"false\"\n[user]\nappendWindowsPath=true\n";
        let interop = parse_interop(text);
        assert_eq!(interop.section_line, Some(4));
        let append = interop.append_windows_path.expect("set");
        assert_eq!((append.enabled, append.line), (Some(false), 6));
        assert_eq!(interop.enabled.expect("set").enabled, Some(true));
    }

    #[test]
    fn absent_or_junk_settings() {
        assert_eq!(parse_interop(""), Interop::default());
        assert_eq!(parse_interop("\u{0}\u{fffd}[[[\n=\n"), Interop::default());
        let odd = parse_interop("[interop]\nappendWindowsPath = maybe\n");
        let append = odd.append_windows_path.expect("recorded as written");
        assert_eq!((append.value.as_str(), append.enabled), ("maybe", None));
    }

    #[test]
    fn windows_drive_paths() {
        assert!(is_windows_drive_path("/mnt/c/Program Files/Go/bin"));
        assert!(is_windows_drive_path("/mnt/D/go/bin/"));
        assert!(!is_windows_drive_path("/mnt/data/go/bin"));
        assert!(!is_windows_drive_path("/usr/local/go/bin"));
        assert!(!is_windows_drive_path("mnt/c/go"));
    }
}
