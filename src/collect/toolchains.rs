//! Every Go toolchain on the machine: the ones PATH reaches and the ones sitting in
//! the places installers and version managers put them. Versions are read statically
//! (the `VERSION` file, the build-info headers of `bin/go`, `bin/gofmt` and `compile`),
//! never by running `go`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::binary::{self, BinaryInfo};
use crate::host::Host;
use crate::snapshot::{
    InstallLink, PathInfo, SnapInstall, Toolchain, ToolchainLayout, ToolchainProgram,
};

/// Install places outside any home directory (see checks-go.md §3). The snap is
/// handled on its own: its `go` is snapd, and its files are there only when mounted.
const SYSTEM_PLACES: &[&str] = &[
    "/usr/local/go",
    "/usr/lib/go",
    "/usr/lib/golang",
    "/opt/homebrew/opt/go/libexec",
    "/usr/local/opt/go/libexec",
];

/// Directories whose children are GOROOTs; `(dir, child prefix, suffix inside child)`.
const SYSTEM_PARENTS: &[(&str, &str, &str)] = &[("/usr/lib", "go-", "")];

/// Per-user parents of GOROOTs, relative to the home directory.
const HOME_PARENTS: &[(&str, &str, &str)] = &[
    ("sdk", "go", ""),
    (".gvm/gos", "", ""),
    (".goenv/versions", "", ""),
    (".asdf/installs/golang", "", "go"),
    (".local/share/mise/installs/go", "", ""),
];

/// The link snapd puts on PATH for the Go snap; it points at `/usr/bin/snap`.
const SNAP_COMMAND: &str = "/snap/bin/go";
const SNAPD: &str = "/usr/bin/snap";
/// The stable name of the Go snap's mount point, a link to the current revision.
const SNAP_CURRENT: &str = "/snap/go/current";
/// Where snapd keeps the (squashfs) snap packages; never read, only listed.
const SNAP_PACKAGES: &str = "/var/lib/snapd/snaps";

pub fn collect(host: &dyn Host, path: &PathInfo, home: Option<&str>) -> Vec<Toolchain> {
    // Keyed by canonical GOROOT, so `/usr/lib/go` and `/usr/lib/go-1.19` are one toolchain.
    let mut found: BTreeMap<String, Toolchain> = BTreeMap::new();

    for entry in path
        .entries
        .iter()
        .filter(|e| e.programs.iter().any(|p| p == "go"))
    {
        let go = Path::new(&entry.raw).join("go");
        let Some(goroot) = goroot_of_binary(host, &go) else {
            continue;
        };
        let toolchain = found
            .entry(goroot.clone())
            .or_insert_with(|| inspect(host, &goroot, &go));
        if toolchain.path_index.is_none() {
            toolchain.path_index = Some(entry.index);
        }
        add_found_by(toolchain, "path");
    }

    for candidate in candidate_roots(host, home) {
        if !host.exists(&candidate.join("bin/go")) && !host.exists(&candidate.join("VERSION")) {
            continue;
        }
        let Ok(goroot) = host.canonicalize(&candidate) else {
            continue;
        };
        let goroot = goroot.display().to_string();
        let bin_go = Path::new(&goroot).join("bin/go");
        let toolchain = found
            .entry(goroot.clone())
            .or_insert_with(|| inspect(host, &goroot, &bin_go));
        add_found_by(toolchain, "known-location");
    }

    // A snap is installed when its command link or its package file is there, even
    // when nothing of it is mounted (an image).
    let snap = snap_install(host);
    if snap.command_exists || !snap.packages.is_empty() || snap.mounted {
        let goroot = snap_goroot(host);
        let toolchain = found
            .entry(goroot.clone())
            .or_insert_with(|| inspect(host, &goroot, Path::new(SNAP_COMMAND)));
        add_found_by(toolchain, "known-location");
    }
    found.into_values().collect()
}

/// The toolchain PATH's `go` belongs to.
pub fn active_index(toolchains: &[Toolchain], path: &PathInfo) -> Option<usize> {
    let winner = path.resolved.get("go")?;
    toolchains
        .iter()
        .position(|t| t.path_index == Some(winner.index))
}

/// How a GOROOT's files are named on the system audited: `bin/go` on Linux and macOS,
/// `bin\go.exe` on a Windows volume. The parts are written `/`-separated
/// (`pkg/tool/linux_amd64/compile`) and joined to the GOROOT the system's way.
#[derive(Clone, Copy)]
pub(crate) struct GorootFiles {
    /// What a program's name ends with (`.exe` on Windows).
    pub exe: &'static str,
    /// The path of a part inside a GOROOT, as the host reads it and findings show it.
    pub join: fn(&str, &str) -> String,
    /// Whether a GOROOT value is an absolute path on that system.
    pub absolute: fn(&str) -> bool,
}

/// Linux and macOS: `/usr/local/go/bin/go`.
pub(crate) const UNIX_FILES: GorootFiles = GorootFiles {
    exe: "",
    join: |root, part| Path::new(root).join(part).display().to_string(),
    absolute: |root| Path::new(root).is_absolute(),
};

/// The layout of the effective GOROOT directory (whichever source set it), for a
/// GOROOT that is no toolchain envgate found by itself.
pub fn goroot_layout(
    host: &dyn Host,
    goroot: Option<&str>,
    files: GorootFiles,
) -> Option<ToolchainLayout> {
    let root = goroot?;
    if !(files.absolute)(root) || !host.is_dir(Path::new(root)) {
        return None;
    }
    let bin_go = (files.join)(root, &format!("bin/go{}", files.exe));
    let info = read_binary(host, Path::new(&bin_go));
    Some(layout_of(host, root, &info, files))
}

/// Every well-known install link and every PATH entry's `go` that is a symbolic link,
/// with where it resolves (nothing for a dangling link).
pub fn install_links(host: &dyn Host, path: &PathInfo) -> Vec<InstallLink> {
    let known = SYSTEM_PLACES
        .iter()
        .chain([&SNAP_CURRENT])
        .map(|p| (p.to_string(), "known-location", None));
    let on_path = path
        .entries
        .iter()
        .filter(|e| e.raw.starts_with('/'))
        .map(|e| {
            let go = format!("{}/go", e.raw.trim_end_matches('/'));
            (go, "path", Some(e.index))
        });
    let mut links: Vec<InstallLink> = Vec::new();
    for (link, kind, path_index) in known.chain(on_path) {
        if links.iter().any(|l| l.path == link) {
            continue;
        }
        let is_link = host
            .symlink_metadata(Path::new(&link))
            .is_ok_and(|m| m.is_symlink);
        if !is_link {
            continue;
        }
        let (realpath, error) = match host.canonicalize(Path::new(&link)) {
            Ok(real) => (Some(real.display().to_string()), None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (None, Some("its target does not exist".to_string()))
            }
            Err(e) => (None, Some(e.to_string())),
        };
        links.push(InstallLink {
            path: link,
            kind: kind.to_string(),
            path_index,
            realpath,
            error,
        });
    }
    links
}

fn add_found_by(toolchain: &mut Toolchain, how: &str) {
    if !toolchain.found_by.iter().any(|f| f == how) {
        toolchain.found_by.push(how.to_string());
        toolchain.found_by.sort();
    }
}

fn candidate_roots(host: &dyn Host, home: Option<&str>) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = SYSTEM_PLACES.iter().map(PathBuf::from).collect();
    let mut parents: Vec<(PathBuf, &str, &str)> = SYSTEM_PARENTS
        .iter()
        .map(|(dir, prefix, suffix)| (PathBuf::from(dir), *prefix, *suffix))
        .collect();
    if let Some(home) = home {
        parents.extend(
            HOME_PARENTS
                .iter()
                .map(|(dir, prefix, suffix)| (Path::new(home).join(dir), *prefix, *suffix)),
        );
    }
    for (dir, prefix, suffix) in parents {
        for name in host.read_dir(&dir).unwrap_or_default() {
            if name.starts_with(prefix) {
                roots.push(dir.join(name).join(suffix));
            }
        }
    }
    roots
}

/// GOROOT of a `go` program: realpath(go)/../.. when it sits in a `bin` directory.
/// A snap's `go` is a link to `/usr/bin/snap`; its GOROOT is the snap's mount point.
fn goroot_of_binary(host: &dyn Host, go: &Path) -> Option<String> {
    let real = host.canonicalize(go).ok()?;
    if real == Path::new(SNAPD) {
        return Some(snap_goroot(host));
    }
    let bin = real.parent()?;
    if bin.file_name()? != "bin" {
        return Some(bin.display().to_string());
    }
    Some(bin.parent()?.display().to_string())
}

/// The Go snap's GOROOT: the revision `/snap/go/current` points to when that exists
/// (what cmd/go itself reports), else the stable name.
fn snap_goroot(host: &dyn Host) -> String {
    host.canonicalize(Path::new(SNAP_CURRENT))
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| SNAP_CURRENT.to_string())
}

fn snap_install(host: &dyn Host) -> SnapInstall {
    let command_exists = host
        .canonicalize(Path::new(SNAP_COMMAND))
        .is_ok_and(|real| real == Path::new(SNAPD));
    let revision = host
        .canonicalize(Path::new(SNAP_CURRENT))
        .ok()
        .and_then(|real| real.file_name().map(|n| n.to_string_lossy().into_owned()));
    let packages = host
        .read_dir(Path::new(SNAP_PACKAGES))
        .unwrap_or_default()
        .into_iter()
        .filter(|name| name.starts_with("go_") && name.ends_with(".snap"))
        .collect();
    SnapInstall {
        command: SNAP_COMMAND.to_string(),
        command_exists,
        revision,
        mounted: host.exists(&Path::new(SNAP_CURRENT).join("bin/go")),
        packages,
    }
}

/// Executable header and build info of a regular file; nothing for anything else
/// (a missing file, a directory, a FIFO that would block the open).
pub(crate) fn read_binary(host: &dyn Host, path: &Path) -> BinaryInfo {
    if !host.metadata(path).is_ok_and(|m| m.is_file) {
        return BinaryInfo::default();
    }
    host.open(path)
        .ok()
        .and_then(|mut f| binary::inspect(&mut f).ok())
        .unwrap_or_default()
}

/// Reads a toolchain's facts. `go` is the program that was found: `$GOROOT/bin/go`
/// for an install place, the PATH hit (which may be a shim or snap link) otherwise.
fn inspect(host: &dyn Host, goroot: &str, go: &Path) -> Toolchain {
    let root = Path::new(goroot);
    let bin_go = root.join("bin/go");
    let version_file = host
        .read_text(&root.join("VERSION"))
        .ok()
        .and_then(|text| text.lines().next().map(|l| l.trim().to_string()))
        .filter(|l| !l.is_empty());
    let go_real = host.canonicalize(go).ok();
    let snap = goroot.starts_with("/snap/go") || go_real.as_deref() == Some(Path::new(SNAPD));
    // A snap's `go` is snapd itself: its build info is snapd's Go, never the snap's.
    // The snap's own bin/go is read instead, which exists only while it is mounted.
    let info = if snap {
        read_binary(host, &bin_go)
    } else {
        read_binary(host, go)
    };
    let shim = !snap
        && info.format.is_none()
        && host
            .read_limited(go, 2)
            .is_ok_and(|head| head.starts_with(b"#!"));
    let buildinfo_version = info.go.as_ref().map(|g| g.go_version.clone());
    let bin_go_info = if snap || go_real.as_deref() == Some(bin_go.as_path()) {
        info.clone()
    } else {
        read_binary(host, &bin_go)
    };
    let layout = layout_of(host, goroot, &bin_go_info, UNIX_FILES);
    let programs = programs_of(host, goroot, &layout, bin_go_info, UNIX_FILES);
    Toolchain {
        goroot: goroot.to_string(),
        go_binary: go_real.map(|p| p.display().to_string()),
        found_by: Vec::new(),
        path_index: None,
        version: buildinfo_version.clone().or_else(|| version_file.clone()),
        version_file,
        buildinfo_version,
        binary_os: info.os.map(str::to_string),
        binary_arch: info.arch.map(str::to_string),
        shim,
        snap,
        snap_install: snap.then(|| snap_install(host)),
        layout,
        programs,
    }
}

/// Which parts of a complete GOROOT exist. The compiler is looked for where the go
/// command looks: `pkg/tool/<GOOS>_<GOARCH>` of the platform `bin/go` was built for.
pub(crate) fn layout_of(
    host: &dyn Host,
    root: &str,
    bin_go: &BinaryInfo,
    files: GorootFiles,
) -> ToolchainLayout {
    let at = |part: &str| PathBuf::from((files.join)(root, part));
    let compile = format!("compile{}", files.exe);
    let tool_platforms = host.read_dir(&at("pkg/tool")).unwrap_or_default();
    let tool_dir = match (bin_go.os, bin_go.arch) {
        (Some(os), Some(arch)) => Some(format!("pkg/tool/{os}_{arch}")),
        _ => None,
    };
    let has_compile = match &tool_dir {
        Some(dir) => host.exists(&at(&format!("{dir}/{compile}"))),
        None => tool_platforms
            .iter()
            .any(|platform| host.exists(&at(&format!("pkg/tool/{platform}/{compile}")))),
    };
    ToolchainLayout {
        bin_go: host.exists(&at(&format!("bin/go{}", files.exe))),
        src_runtime: host.is_dir(&at("src/runtime")),
        compile: has_compile,
        version_file: host.exists(&at("VERSION")),
        go_env_file: host.exists(&at("go.env")),
        source_checkout: host.exists(&at(".git")),
        tool_dir,
        tool_platforms,
    }
}

/// `bin/go`, `bin/gofmt` and the compiler, each with its own build info.
pub(crate) fn programs_of(
    host: &dyn Host,
    root: &str,
    layout: &ToolchainLayout,
    bin_go: BinaryInfo,
    files: GorootFiles,
) -> Vec<ToolchainProgram> {
    let exe = files.exe;
    let compile_part = layout.tool_dir.clone().or_else(|| {
        layout
            .tool_platforms
            .iter()
            .map(|p| format!("pkg/tool/{p}"))
            .find(|dir| {
                host.exists(Path::new(&(files.join)(
                    root,
                    &format!("{dir}/compile{exe}"),
                )))
            })
    });
    let mut parts = vec![
        (format!("bin/go{exe}"), Some(bin_go)),
        (format!("bin/gofmt{exe}"), None),
    ];
    if let Some(dir) = compile_part {
        parts.push((format!("{dir}/compile{exe}"), None));
    }
    parts
        .into_iter()
        .map(|(part, known)| {
            let path = (files.join)(root, &part);
            let info = known.unwrap_or_else(|| read_binary(host, Path::new(&path)));
            ToolchainProgram {
                exists: host.exists(Path::new(&path)),
                path,
                part,
                go_version: info.go.map(|g| g.go_version),
                os: info.os.map(str::to_string),
                arch: info.arch.map(str::to_string),
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "toolchains_tests.rs"]
mod tests;
