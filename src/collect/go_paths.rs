//! What the effective Go settings point at on disk: the GOROOT directory, the
//! directory `go install` writes to, the C toolchain commands cgo would run, and the
//! GOPATH entries, GOBIN directory and GOFLAGS words one by one.

use std::collections::BTreeMap;
use std::path::Path;

use crate::host::Host;
use crate::snapshot::{
    CommandLookup, DirFacts, GoEnvValue, GoSettings, GopathEntry, GorootFacts, ParentDir, PathInfo,
    ToolsDir,
};

pub fn goroot_facts(host: &dyn Host, env: &BTreeMap<String, GoEnvValue>) -> Option<GorootFacts> {
    let goroot = env.get("GOROOT")?;
    let dir = Path::new(&goroot.value);
    let realpath = host.canonicalize(dir).ok().map(|p| p.display().to_string());
    Some(GorootFacts {
        value: goroot.value.clone(),
        source: goroot.source.clone(),
        exists: host.is_dir(dir),
        realpath,
        version_file: host
            .read_text(&dir.join("VERSION"))
            .ok()
            .and_then(|t| t.lines().next().map(|l| l.trim().to_string())),
    })
}

/// GOBIN, else `<first GOPATH entry>/bin`, as cmd/go's `go install` decides.
pub fn tools_dir(host: &dyn Host, env: &BTreeMap<String, GoEnvValue>) -> Option<ToolsDir> {
    // A `default` GOBIN is Go 1.27's report of `<GOPATH>/bin`, not a setting.
    let set_gobin = env
        .get("GOBIN")
        .filter(|v| !v.value.is_empty() && v.source != "default");
    let (path, source) = match set_gobin {
        Some(gobin) => (gobin.value.clone(), "GOBIN"),
        None => {
            let gopath = env.get("GOPATH")?;
            let first = gopath.value.split(':').next().filter(|p| !p.is_empty())?;
            (format!("{}/bin", first.trim_end_matches('/')), "GOPATH")
        }
    };
    // Only absolute paths can be looked at; `~/go/bin` is a finding, not a directory.
    let dir = Path::new(&path);
    let exists = dir.is_absolute() && host.is_dir(dir);
    let programs = if exists {
        host.read_dir(dir)
            .unwrap_or_default()
            .into_iter()
            .filter(|name| {
                host.metadata(&dir.join(name))
                    .is_ok_and(|m| m.is_executable_file())
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(ToolsDir {
        path,
        source: source.to_string(),
        exists,
        programs,
        // Filled once the sessions are known (`path::tool_lookups`).
        lookups: Vec::new(),
    })
}

/// CC, CXX and PKG_CONFIG as cgo would run them.
pub fn commands(
    host: &dyn Host,
    env: &BTreeMap<String, GoEnvValue>,
    path: &PathInfo,
    goos: &str,
) -> BTreeMap<String, CommandLookup> {
    commands_found_by(env, goos, |program| lookup(host, program, path))
}

/// cmd/go's default C and C++ compilers for `goos` (cmd/internal/cfg's DefaultCC):
/// clang where the platform compiler is clang, else gcc.
pub(crate) fn default_cc(goos: &str) -> (&'static str, &'static str) {
    if matches!(goos, "darwin" | "ios" | "freebsd" | "openbsd") {
        ("clang", "clang++")
    } else {
        ("gcc", "g++")
    }
}

/// CC, CXX and PKG_CONFIG, each program looked up by `find` (a PATH lookup the audited
/// system's way).
pub(crate) fn commands_found_by(
    env: &BTreeMap<String, GoEnvValue>,
    goos: &str,
    find: impl Fn(&str) -> Option<String>,
) -> BTreeMap<String, CommandLookup> {
    let default_cc = default_cc(goos);
    let wanted = [
        ("CC", default_cc.0),
        ("CXX", default_cc.1),
        ("PKG_CONFIG", "pkg-config"),
    ];
    wanted
        .into_iter()
        .map(|(name, default)| {
            let (command, source) = match env.get(name).filter(|v| !v.value.is_empty()) {
                Some(value) => (value.value.clone(), value.source.clone()),
                None => (default.to_string(), "default".to_string()),
            };
            // CC may carry flags ("gcc -m32") and a quoted program with spaces
            // ("\"C:\Program Files\LLVM\bin\clang.exe\" -O2"): split as cmd/go splits it.
            let (args, split_error) = match super::quoted::split(&command) {
                Ok(args) => (Some(args), None),
                Err(error) => (None, Some(error)),
            };
            let found = args
                .as_ref()
                .and_then(|args| args.first())
                .and_then(|program| find(program));
            (
                name.to_string(),
                CommandLookup {
                    command,
                    source,
                    args,
                    split_error,
                    found,
                },
            )
        })
        .collect()
}

pub(super) fn lookup(host: &dyn Host, program: &str, path: &PathInfo) -> Option<String> {
    if program.is_empty() {
        return None;
    }
    let is_exec = |p: &Path| host.metadata(p).is_ok_and(|m| m.is_executable_file());
    if program.contains('/') {
        return is_exec(Path::new(program)).then(|| program.to_string());
    }
    path.entries
        .iter()
        .filter(|e| e.is_dir)
        .map(|e| Path::new(&e.raw).join(program))
        .find(|candidate| is_exec(candidate))
        .map(|p| p.display().to_string())
}

/// GOPATH, GOBIN and GOFLAGS taken apart as cmd/go takes them apart; `go_version` is
/// the active toolchain's (`go1.26.1`), which decides how GOFLAGS is split.
pub fn settings(
    host: &dyn Host,
    env: &BTreeMap<String, GoEnvValue>,
    goos: &str,
    go_version: Option<&str>,
) -> GoSettings {
    let value = |name: &str| env.get(name).map(|v| v.value.as_str()).unwrap_or("");
    let (goflags, goflags_error) = super::go_env::split_goflags(
        value("GOFLAGS"),
        super::go_env_defaults::minor_version(go_version),
    );
    GoSettings {
        gopath: gopath_entries(host, value("GOPATH"), goos),
        gobin: Some(value("GOBIN"))
            .filter(|v| !v.is_empty())
            .map(|gobin| dir_facts(host, gobin)),
        goflags,
        goflags_error,
    }
}

/// `filepath.SplitList`: nothing for an empty value, else every element, empty ones too.
fn gopath_entries(host: &dyn Host, gopath: &str, goos: &str) -> Vec<GopathEntry> {
    if gopath.is_empty() {
        return Vec::new();
    }
    let separator = if goos == "windows" { ';' } else { ':' };
    gopath
        .split(separator)
        .enumerate()
        .map(|(index, raw)| {
            let dir = Path::new(raw);
            let absolute = is_absolute(raw);
            let exists = absolute && host.is_dir(dir);
            GopathEntry {
                index,
                raw: raw.to_string(),
                absolute,
                exists,
                realpath: exists
                    .then(|| host.canonicalize(dir).ok())
                    .flatten()
                    .map(|p| p.display().to_string()),
            }
        })
        .collect()
}

/// Absolute on the system audited: `/…`, or on a Windows volume `C:\…`, `\\server\…`.
fn is_absolute(path: &str) -> bool {
    Path::new(path).is_absolute() || crate::host::windows::is_absolute(path)
}

/// Stat facts about `path`, and about its closest existing ancestor when it is missing.
fn dir_facts(host: &dyn Host, path: &str) -> DirFacts {
    let dir = Path::new(path);
    let absolute = is_absolute(path);
    let meta = if absolute {
        host.metadata(dir).ok()
    } else {
        None
    };
    let nearest_existing_parent = if absolute && meta.is_none() {
        dir.ancestors().skip(1).find_map(|ancestor| {
            let m = host.metadata(ancestor).ok()?;
            Some(ParentDir {
                path: ancestor.display().to_string(),
                mode: m.mode,
                uid: m.uid,
                gid: m.gid,
            })
        })
    } else {
        None
    };
    DirFacts {
        path: path.to_string(),
        absolute,
        exists: meta.is_some(),
        is_dir: meta.is_some_and(|m| m.is_dir),
        mode: meta.map(|m| m.mode),
        uid: meta.map(|m| m.uid),
        gid: meta.map(|m| m.gid),
        nearest_existing_parent,
    }
}
