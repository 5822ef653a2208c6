//! Go on a Windows volume: the toolchains PATH reaches and those in the places the
//! installers use (the MSI, which Chocolatey's and winget's packages run, puts Go in
//! `C:\Program Files\Go`; older MSIs in `C:\Go`; `golang.org/dl` in
//! `%USERPROFILE%\sdk\go*`; Scoop in `scoop\apps\go\current`), versions read from
//! `VERSION` and `bin\go.exe`'s PE header and build info; and UAC's VirtualStore
//! copies of files written under Go's install directory.

use std::collections::BTreeMap;
use std::path::Path;

use crate::collect::toolchains::{GorootFiles, layout_of, programs_of, read_binary};
use crate::host::Host;
use crate::host::windows::{self, is_absolute, join};
use crate::snapshot::{PathInfo, Toolchain, VirtualStoreFile};

/// A Windows GOROOT: `C:\Program Files\Go\bin\go.exe`, compared without regard to case.
pub(crate) const WINDOWS_FILES: GorootFiles = GorootFiles {
    exe: ".exe",
    join,
    absolute: is_absolute,
};

/// Install places outside the user's profile.
const SYSTEM_PLACES: &[&str] = &[
    r"C:\Program Files\Go",
    r"C:\Go",
    r"C:\ProgramData\scoop\apps\go\current",
];

/// Where Chocolatey keeps its golang package (which runs Go's MSI).
const CHOCOLATEY_GOLANG: &str = r"C:\ProgramData\chocolatey\lib\golang";

/// Go install directories whose writes UAC may redirect, under `Program Files`.
const REDIRECTED: &[&str] = &[r"Program Files\Go", r"Program Files (x86)\Go"];

/// Files of a VirtualStore directory recorded, at most (and levels walked).
const MAX_STORE_FILES: usize = 100;
const MAX_STORE_DEPTH: usize = 8;

pub fn collect(host: &dyn Host, path: &PathInfo, home: Option<&str>) -> Vec<Toolchain> {
    let mut found: BTreeMap<String, Toolchain> = BTreeMap::new();
    for entry in path
        .entries
        .iter()
        .filter(|e| e.programs.iter().any(|p| p == "go"))
    {
        let go = join(&entry.raw, "go.exe");
        let Ok(real) = host.canonicalize(Path::new(&go)) else {
            continue;
        };
        let real = real.to_string_lossy().into_owned();
        // As PATH spells it when the volume shows the same file in another case.
        let real = if real.eq_ignore_ascii_case(&go) {
            go.clone()
        } else {
            real
        };
        let Some(bin) = windows::parent(&real) else {
            continue;
        };
        let goroot = if name_of(&bin).eq_ignore_ascii_case("bin") {
            windows::parent(&bin).unwrap_or(bin)
        } else {
            bin
        };
        let toolchain = found
            .entry(goroot.to_lowercase())
            .or_insert_with(|| inspect(host, &goroot));
        if toolchain.path_index.is_none() {
            toolchain.path_index = Some(entry.index);
        }
        add_found_by(toolchain, "path");
    }
    let mut places: Vec<String> = SYSTEM_PLACES.iter().map(|p| p.to_string()).collect();
    if let Some(home) = home {
        places.push(join(home, r"scoop\apps\go\current"));
        let sdk = join(home, "sdk");
        for name in host.read_dir(Path::new(&sdk)).unwrap_or_default() {
            if name.starts_with("go") {
                places.push(join(&sdk, &name));
            }
        }
    }
    let chocolatey = host.is_dir(Path::new(CHOCOLATEY_GOLANG));
    for place in places {
        let has_go = host.exists(Path::new(&join(&place, r"bin\go.exe")));
        if !has_go && !host.exists(Path::new(&join(&place, "VERSION"))) {
            continue;
        }
        let Ok(real) = host.canonicalize(Path::new(&place)) else {
            continue;
        };
        // As Windows spells it when the volume shows the same directory in another case.
        let real = real.to_string_lossy().into_owned();
        let goroot = if real.eq_ignore_ascii_case(&place) {
            place.clone()
        } else {
            real
        };
        let toolchain = found
            .entry(goroot.to_lowercase())
            .or_insert_with(|| inspect(host, &goroot));
        add_found_by(toolchain, "known-location");
        if chocolatey && place.eq_ignore_ascii_case(SYSTEM_PLACES[0]) {
            add_found_by(toolchain, "chocolatey");
        }
    }
    found.into_values().collect()
}

fn name_of(path: &str) -> String {
    path.rsplit('\\').next().unwrap_or(path).to_string()
}

fn add_found_by(toolchain: &mut Toolchain, how: &str) {
    if !toolchain.found_by.iter().any(|f| f == how) {
        toolchain.found_by.push(how.to_string());
        toolchain.found_by.sort();
    }
}

/// A toolchain's facts, from its files only.
fn inspect(host: &dyn Host, goroot: &str) -> Toolchain {
    let at = |part: &str| join(goroot, part);
    let bin_go = at(r"bin\go.exe");
    let info = read_binary(host, Path::new(&bin_go));
    let version_file = host
        .read_text(Path::new(&at("VERSION")))
        .ok()
        .and_then(|text| text.lines().next().map(|l| l.trim().to_string()))
        .filter(|l| !l.is_empty());
    let buildinfo_version = info.go.as_ref().map(|g| g.go_version.clone());
    let layout = layout_of(host, goroot, &info, WINDOWS_FILES);
    let programs = programs_of(host, goroot, &layout, info.clone(), WINDOWS_FILES);
    Toolchain {
        goroot: goroot.to_string(),
        // As the GOROOT is spelled when the volume shows the same file in another case
        // (`C:\PROGRAM FILES` on some mounts): findings name one spelling.
        go_binary: host.canonicalize(Path::new(&bin_go)).ok().map(|p| {
            let real = p.to_string_lossy().into_owned();
            if real.eq_ignore_ascii_case(&bin_go) {
                bin_go.clone()
            } else {
                real
            }
        }),
        found_by: Vec::new(),
        path_index: None,
        version: buildinfo_version.clone().or_else(|| version_file.clone()),
        version_file,
        buildinfo_version,
        binary_os: info.os.map(str::to_string),
        binary_arch: info.arch.map(str::to_string),
        shim: false,
        snap: false,
        snap_install: None,
        layout,
        programs,
    }
}

/// The files UAC redirected from Go's install directories into the user's
/// VirtualStore, sorted, at most [`MAX_STORE_FILES`].
pub fn virtual_store(host: &dyn Host, local_app_data: Option<&str>) -> Vec<VirtualStoreFile> {
    let Some(local) = local_app_data else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for install in REDIRECTED {
        let store = join(local, &format!(r"VirtualStore\{install}"));
        let intended_root = join("C:", install);
        walk(host, &store, &intended_root, 0, &mut files);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn walk(host: &dyn Host, dir: &str, intended: &str, depth: usize, out: &mut Vec<VirtualStoreFile>) {
    if depth > MAX_STORE_DEPTH {
        return;
    }
    for entry in host.dir_entries(Path::new(dir)).unwrap_or_default() {
        if out.len() >= MAX_STORE_FILES {
            return;
        }
        let path = join(dir, &entry.name);
        let target = join(intended, &entry.name);
        match host.symlink_metadata(Path::new(&path)) {
            Ok(meta) if meta.is_dir => walk(host, &path, &target, depth + 1, out),
            Ok(meta) if meta.is_file => out.push(VirtualStoreFile {
                intended_exists: host.exists(Path::new(&target)),
                path,
                intended: target,
            }),
            _ => {}
        }
    }
}
