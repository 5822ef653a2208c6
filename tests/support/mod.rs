//! Fixture scenarios: small image roots described in YAML and built in a temp dir.
//!
//! A scenario lists files, symlinks, empty dirs, modes, executables and synthetic Go
//! binaries (tiny ELF files with a real build-info header), plus the findings the
//! checks must report on it. See `tests/scenarios/README.md`.
#![allow(dead_code)]

pub mod real_conftest;

use std::collections::BTreeMap;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub description: String,
    /// A file under `tests/scenarios/bases/` (without `.yaml`) whose contents come first.
    pub base: Option<String>,
    /// The image account to check (default: envgate's own choice).
    pub user: Option<String>,
    /// The project directory inside the image.
    pub workspace: Option<String>,
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    #[serde(default)]
    pub symlinks: BTreeMap<String, String>,
    #[serde(default)]
    pub dirs: Vec<String>,
    /// Scripts (`#!/bin/sh`) with the executable bit: compilers, tools, shims.
    #[serde(default)]
    pub executables: Vec<String>,
    #[serde(default)]
    pub go_binaries: BTreeMap<String, GoBinary>,
    /// Octal permission bits, e.g. `"0777"`.
    #[serde(default)]
    pub modes: BTreeMap<String, String>,
    /// Every finding the checks must report, and nothing else (but for `ignore`).
    #[serde(default)]
    pub expect: Vec<Expectation>,
    /// Rule ids this scenario does not judge: their findings are neither required nor
    /// forbidden. For facts a base image carries on purpose (an old Go release) that
    /// would otherwise have to be listed in every scenario built on it. An id that the
    /// scenario expects is never ignored.
    #[serde(default)]
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoBinary {
    /// `go1.19.8`
    pub version: String,
    #[serde(default = "default_arch")]
    pub arch: String,
    /// Main module line: `golang.org/x/tools/gopls v0.15.2`.
    pub module: Option<String>,
    /// `elf` (default) or `pe` (a Windows go.exe).
    #[serde(default)]
    pub format: Option<String>,
}

fn default_arch() -> String {
    "amd64".into()
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub id: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub severity: Option<String>,
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn scenarios_dir() -> PathBuf {
    repo_root().join("tests/scenarios")
}

/// Reads a scenario with its base merged in (the scenario wins on conflicts).
pub fn load(path: &Path) -> Scenario {
    let mut scenario = load_unmerged_ignores(path);
    let expected: Vec<String> = scenario.expect.iter().map(|e| e.id.clone()).collect();
    scenario.ignore.retain(|id| !expected.contains(id));
    scenario
}

fn load_unmerged_ignores(path: &Path) -> Scenario {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let scenario: Scenario =
        yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let Some(base_name) = scenario.base.clone() else {
        return scenario;
    };
    let base = load(
        &scenarios_dir()
            .join("bases")
            .join(format!("{base_name}.yaml")),
    );
    merge(base, scenario)
}

fn merge(mut base: Scenario, over: Scenario) -> Scenario {
    base.description = over.description;
    base.base = None;
    base.user = over.user.or(base.user);
    base.workspace = over.workspace.or(base.workspace);
    // A path the scenario gives as one kind of thing replaces whatever the base had there.
    for path in over
        .files
        .keys()
        .chain(over.go_binaries.keys())
        .chain(&over.executables)
    {
        base.symlinks.remove(path);
        base.files.remove(path);
        base.go_binaries.remove(path);
        base.executables.retain(|e| e != path);
    }
    for path in over.symlinks.keys() {
        base.files.remove(path);
        base.go_binaries.remove(path);
        base.executables.retain(|e| e != path);
    }
    base.files.extend(over.files);
    base.symlinks.extend(over.symlinks);
    base.dirs.extend(over.dirs);
    base.executables.extend(over.executables);
    base.go_binaries.extend(over.go_binaries);
    base.modes.extend(over.modes);
    base.ignore.extend(over.ignore);
    base.expect = over.expect;
    base
}

/// What every fixture executable does if anything ever runs it: leave a marker beside
/// itself and fail. Image mode must never run anything, and tests look for markers.
pub const TRAP_SCRIPT: &str =
    "#!/bin/sh\ntouch \"$0.ran\"\necho \"fixture program $0 must never run\" >&2\nexit 97\n";

/// Builds the scenario's root filesystem under `root`.
pub fn materialize(scenario: &Scenario, root: &Path) {
    let inside = |p: &str| root.join(p.trim_start_matches('/'));
    let parent_of = |p: &Path| {
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
    };
    for dir in &scenario.dirs {
        std::fs::create_dir_all(inside(dir)).unwrap();
    }
    for (path, contents) in &scenario.files {
        let target = inside(path);
        parent_of(&target);
        std::fs::write(&target, contents).unwrap();
    }
    for path in &scenario.executables {
        let target = inside(path);
        parent_of(&target);
        std::fs::write(&target, TRAP_SCRIPT).unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for (path, binary) in &scenario.go_binaries {
        let target = inside(path);
        parent_of(&target);
        let modinfo = binary.module.as_ref().map(|m| {
            let (module, version) = m.split_once(' ').unwrap_or((m, "(devel)"));
            format!("path\t{module}\nmod\t{module}\t{version}\t\n")
        });
        let bytes = match binary.format.as_deref() {
            Some("pe") => envgate::binary::synth::fake_pe(&binary.arch, &binary.version),
            _ => envgate::binary::synth::fake_go_elf(
                &binary.arch,
                &binary.version,
                modinfo.as_deref(),
            ),
        };
        std::fs::write(&target, bytes).unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for (path, target) in &scenario.symlinks {
        let link = inside(path);
        parent_of(&link);
        let _ = std::fs::remove_file(&link);
        symlink(target, &link).unwrap();
    }
    for (path, mode) in &scenario.modes {
        let bits = u32::from_str_radix(mode.trim_start_matches("0o"), 8)
            .unwrap_or_else(|_| panic!("mode {mode:?} of {path} is not octal"));
        let target = inside(path);
        if !target.exists() {
            std::fs::create_dir_all(&target).unwrap();
        }
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(bits)).unwrap();
    }
}

/// Every scenario file, sorted by name.
pub fn all_scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Copies a directory tree (modes and symlinks kept), e.g. an example image to fix.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if entry.file_type().is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
            let mode = entry.metadata().unwrap().permissions().mode();
            std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
}
