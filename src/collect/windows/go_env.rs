//! The Go environment on Windows, computed as cmd/go computes it there: the
//! environment (here: the registry's, each value with its key), then the `go env -w`
//! file (`%APPDATA%\go\env`, os.UserConfigDir), then `%GOROOT%\go.env`, then the
//! defaults (GOPATH `%USERPROFILE%\go`, GOCACHE `%LOCALAPPDATA%\go-build`, GOROOT the
//! toolchain PATH finds). GOPATH's list separator is `;`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::collect::go_env::{SETTABLE, parse_env_lines, read_goenv_file};
use crate::host::Host;
use crate::host::windows::join;
use crate::snapshot::{GoEnvFile, GoEnvValue, Origin, PathInfo, Toolchain};

pub struct WindowsGoEnv {
    pub values: BTreeMap<String, GoEnvValue>,
    pub file: GoEnvFile,
}

fn plain(value: impl Into<String>, source: &str) -> GoEnvValue {
    GoEnvValue {
        value: value.into(),
        source: source.into(),
        file: None,
        line: None,
    }
}

pub fn collect(
    host: &dyn Host,
    env: &BTreeMap<String, String>,
    origins: &BTreeMap<String, Origin>,
    path: &PathInfo,
    active: Option<&Toolchain>,
) -> WindowsGoEnv {
    let from_env = |name: &str| -> Option<GoEnvValue> {
        let value = env.get(name).filter(|v| !v.is_empty())?;
        Some(GoEnvValue {
            value: value.clone(),
            source: "env".into(),
            file: origins.get(name).map(|o| o.file.clone()),
            line: None,
        })
    };
    let goenv_path = match env.get("GOENV").filter(|v| !v.is_empty()) {
        Some(path) => (path != "off").then(|| path.clone()),
        None => env.get("APPDATA").map(|a| join(a, r"go\env")),
    };
    let file = read_goenv_file(host, goenv_path.as_deref());
    let from_file = |name: &str| -> Option<GoEnvValue> {
        let entry = file.entries.iter().rev().find(|e| e.name == name)?;
        Some(GoEnvValue {
            value: entry.value.clone(),
            source: "goenv".into(),
            file: file.path.clone(),
            line: Some(entry.line),
        })
    };
    let goroot = from_env("GOROOT")
        .or_else(|| from_file("GOROOT"))
        .or_else(|| active.map(|t| plain(t.goroot.clone(), "toolchain")));
    let goroot_env: BTreeMap<String, GoEnvValue> = goroot
        .as_ref()
        .and_then(|g| {
            let go_env = join(&g.value, "go.env");
            let text = host.read_text(Path::new(&go_env)).ok()?;
            Some(
                parse_env_lines(&text)
                    .into_iter()
                    .map(|e| {
                        let value = GoEnvValue {
                            value: e.value,
                            source: "goroot".into(),
                            file: Some(go_env.clone()),
                            line: Some(e.line),
                        };
                        (e.name, value)
                    })
                    .collect(),
            )
        })
        .unwrap_or_default();
    let mut values = BTreeMap::new();
    for name in SETTABLE {
        if let Some(value) = from_env(name)
            .or_else(|| from_file(name))
            .or_else(|| goroot_env.get(*name).cloned())
        {
            values.insert(name.to_string(), value);
        }
    }
    if let Some(goroot) = goroot {
        values.insert("GOROOT".into(), goroot);
    }
    fn default(values: &mut BTreeMap<String, GoEnvValue>, name: &str, value: Option<String>) {
        if let Some(value) = value.filter(|v| !v.is_empty())
            && !values.contains_key(name)
        {
            values.insert(name.to_string(), plain(value, "default"));
        }
    }
    if let Some(path) = &goenv_path {
        default(&mut values, "GOENV", Some(path.clone()));
    }
    default(
        &mut values,
        "GOPATH",
        env.get("USERPROFILE").map(|h| join(h, "go")),
    );
    default(
        &mut values,
        "GOCACHE",
        env.get("LOCALAPPDATA").map(|l| join(l, "go-build")),
    );
    let first_gopath = values
        .get("GOPATH")
        .and_then(|g| g.value.split(';').next().map(str::to_string))
        .filter(|p| !p.is_empty());
    default(
        &mut values,
        "GOMODCACHE",
        first_gopath.map(|p| join(&p, r"pkg\mod")),
    );
    let older = active
        .and_then(|t| t.version.as_deref())
        .and_then(|v| v.strip_prefix("go1."))
        .and_then(|v| {
            v.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse::<u32>()
                .ok()
        })
        .is_some_and(|minor| minor < 21);
    if older {
        default(
            &mut values,
            "GOPROXY",
            Some("https://proxy.golang.org,direct".into()),
        );
        default(&mut values, "GOSUMDB", Some("sum.golang.org".into()));
    }
    if let Some(private) = values.get("GOPRIVATE").map(|v| v.value.clone()) {
        default(&mut values, "GONOPROXY", Some(private.clone()));
        default(&mut values, "GONOSUMDB", Some(private));
    }
    if let Some(toolchain) = active {
        if let Some(version) = &toolchain.version {
            values.insert("GOVERSION".into(), plain(version.clone(), "toolchain"));
        }
        if let Some(os) = &toolchain.binary_os {
            values.insert("GOHOSTOS".into(), plain(os.clone(), "toolchain"));
            values
                .entry("GOOS".into())
                .or_insert_with(|| plain(os.clone(), "default"));
        }
        if let Some(arch) = &toolchain.binary_arch {
            values.insert("GOHOSTARCH".into(), plain(arch.clone(), "toolchain"));
            values
                .entry("GOARCH".into())
                .or_insert_with(|| plain(arch.clone(), "default"));
        }
    }
    if values.get("GOOS").is_some_and(|v| v.value == "windows") {
        values.insert("GOEXE".into(), plain(".exe", "default"));
    }
    cgo_defaults(host, &mut values, env, path, active);
    WindowsGoEnv { values, file }
}

/// The C toolchain cgo would run, and whether cgo is on, as cmd/go decides them
/// (cmd/go/internal/cfg): CC and CXX default to gcc and g++ (cmd/go's DefaultCC for
/// windows), PKG_CONFIG to pkg-config. CGO_ENABLED set to 0 or 1 is kept; otherwise
/// cgo is off when cross-compiling, and since Go 1.20 also when CC is not in the
/// environment and the default compiler is not found on Path (the official Windows
/// Go has no C compiler of its own, so on most machines cgo is off).
fn cgo_defaults(
    host: &dyn Host,
    values: &mut BTreeMap<String, GoEnvValue>,
    env: &BTreeMap<String, String>,
    path: &PathInfo,
    active: Option<&Toolchain>,
) {
    let value_of = |values: &BTreeMap<String, GoEnvValue>, name: &str| {
        values
            .get(name)
            .map(|v| v.value.clone())
            .filter(|v| !v.is_empty())
    };
    let goos = value_of(values, "GOOS").unwrap_or_default();
    let goarch = value_of(values, "GOARCH").unwrap_or_default();
    let (cc, cxx) = crate::collect::go_paths::default_cc(&goos);
    for (name, value) in [
        ("AR", "ar"),
        ("CC", cc),
        ("CXX", cxx),
        ("PKG_CONFIG", "pkg-config"),
    ] {
        if value_of(values, name).is_none() {
            values.insert(name.into(), plain(value, "default"));
        }
    }
    let cgo = match value_of(values, "CGO_ENABLED").as_deref() {
        Some(v @ ("0" | "1")) => v.to_string(),
        _ => {
            let host_os = active.and_then(|t| t.binary_os.as_deref());
            let host_arch = active.and_then(|t| t.binary_arch.as_deref());
            let cross = Some(goos.as_str()) != host_os || Some(goarch.as_str()) != host_arch;
            let minor = crate::collect::go_env_defaults::minor_version(
                active.and_then(|t| t.version.as_deref()),
            );
            let exts = super::commands::path_extensions(env.get("PATHEXT").map(String::as_str));
            let compiler = minor.is_some_and(|m| m < 20)
                || env.get("CC").is_some_and(|v| !v.is_empty())
                || super::commands::look_path(host, cc, path, &exts).is_some();
            if !cross && compiler { "1" } else { "0" }.to_string()
        }
    };
    match values.get_mut("CGO_ENABLED") {
        Some(set) if !set.value.is_empty() => set.value = cgo,
        _ => {
            values.insert("CGO_ENABLED".into(), plain(cgo, "default"));
        }
    }
}
