//! Every Go toolchain on the machine: the ones PATH reaches and the ones sitting in
//! the places installers and version managers put them. Versions are read statically
//! (the `VERSION` file, the build-info header of `bin/go`), never by running `go`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::binary;
use crate::host::Host;
use crate::snapshot::{PathInfo, Toolchain, ToolchainLayout};

/// Install places outside any home directory (see checks-go.md §3).
const SYSTEM_PLACES: &[&str] = &[
    "/usr/local/go",
    "/usr/lib/go",
    "/usr/lib/golang",
    "/snap/go/current",
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
    found.into_values().collect()
}

/// The toolchain PATH's `go` belongs to.
pub fn active_index(toolchains: &[Toolchain], path: &PathInfo) -> Option<usize> {
    let winner = path.resolved.get("go")?;
    toolchains
        .iter()
        .position(|t| t.path_index == Some(winner.index))
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
    if real == Path::new("/usr/bin/snap") {
        return Some("/snap/go/current".to_string());
    }
    let bin = real.parent()?;
    if bin.file_name()? != "bin" {
        return Some(bin.display().to_string());
    }
    Some(bin.parent()?.display().to_string())
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
    // A snap's `go` is snapd itself: its build info is snapd's Go, not the snap's.
    let snap =
        goroot.starts_with("/snap/go") || go_real.as_deref() == Some(Path::new("/usr/bin/snap"));
    let info = if snap {
        binary::BinaryInfo::default()
    } else {
        host.open(go)
            .ok()
            .and_then(|mut f| binary::inspect(&mut f).ok())
            .unwrap_or_default()
    };
    let go_binary = go_real.map(|p| p.display().to_string());
    let shim = !snap
        && info.format.is_none()
        && host
            .read_limited(go, 2)
            .is_ok_and(|head| head.starts_with(b"#!"));
    let buildinfo_version = info.go.as_ref().map(|g| g.go_version.clone());
    let compile = host
        .read_dir(&root.join("pkg/tool"))
        .unwrap_or_default()
        .iter()
        .any(|platform| host.exists(&root.join("pkg/tool").join(platform).join("compile")));
    Toolchain {
        goroot: goroot.to_string(),
        go_binary,
        found_by: Vec::new(),
        path_index: None,
        version: buildinfo_version.clone().or_else(|| version_file.clone()),
        version_file,
        buildinfo_version,
        binary_os: info.os.map(str::to_string),
        binary_arch: info.arch.map(str::to_string),
        shim,
        snap,
        layout: ToolchainLayout {
            bin_go: host.exists(&bin_go),
            src_runtime: host.is_dir(&root.join("src/runtime")),
            compile,
            version_file: host.exists(&root.join("VERSION")),
            go_env_file: host.exists(&root.join("go.env")),
        },
    }
}
