//! What cmd/go reports for the Go variables nothing set: built-in defaults and values
//! derived from other settings, the toolchain and the machine, as `go env` prints them
//! (cmd/go/internal/cfg, envcmd and work; the release that changed a rule is named
//! beside it). tests/real_go.rs holds this against `go env -json` of real toolchains.
//!
//! Variables cmd/go prints and this module does not compute are listed in
//! [`NOT_COMPUTED`], with the reason.

use std::collections::BTreeMap;
use std::path::Path;

use super::path_style::PathStyle;
use crate::host::Host;
use crate::snapshot::{GoEnvValue, PathInfo, Toolchain, Workspace};

/// Printed by `go env` but not computed by envgate: GOGCCFLAGS is the flag list cmd/go
/// builds for the C compiler, including a fresh temporary directory name on every run.
pub const NOT_COMPUTED: &[&str] = &["GOGCCFLAGS"];

/// Derived variables this module computes, beside the settable ones go_env.rs reads.
pub const DERIVED: &[&str] = &[
    "GOENV",
    "GOEXE",
    "GOHOSTARCH",
    "GOHOSTOS",
    "GOMOD",
    "GOPACKAGESDRIVER",
    "GOTELEMETRY",
    "GOTELEMETRYDIR",
    "GOTOOLDIR",
    "GOVERSION",
    "GOWORK",
];

/// The toolchain-dependent inputs to the defaults.
pub struct Inputs<'a> {
    pub host: &'a dyn Host,
    /// The OS environment (cmd/go reads a few variables only from there).
    pub env: &'a BTreeMap<String, String>,
    pub path: &'a PathInfo,
    pub active: Option<&'a Toolchain>,
}

/// `go1.N…` -> N. Unknown versions get the newest behaviour.
pub fn minor_version(version: Option<&str>) -> Option<u32> {
    let rest = version?.strip_prefix("go1.")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

pub fn apply(values: &mut BTreeMap<String, GoEnvValue>, inputs: &Inputs) {
    let minor = minor_version(inputs.active.and_then(|t| t.version.as_deref()));
    // Before the named release, the older rule.
    let since = |release: u32| minor.is_none_or(|m| m >= release);
    let os_env = |name: &str| inputs.env.get(name).filter(|v| !v.is_empty()).cloned();
    let home = os_env("HOME");
    let is_set = |values: &BTreeMap<String, GoEnvValue>, name: &str| {
        values.get(name).is_some_and(|v| !v.value.is_empty())
    };
    let value_of = |values: &BTreeMap<String, GoEnvValue>, name: &str| {
        values
            .get(name)
            .map(|v| v.value.clone())
            .filter(|v| !v.is_empty())
    };
    let default = |values: &mut BTreeMap<String, GoEnvValue>, name: &str, value: String| {
        if !is_set(values, name) && !value.is_empty() {
            values.insert(name.to_string(), plain(value, "default"));
        }
    };

    // The toolchain's own platform; GOOS/GOARCH default to it.
    let host_os = inputs.active.and_then(|t| t.binary_os.clone());
    let host_arch = inputs.active.and_then(|t| t.binary_arch.clone());
    if let Some(os) = &host_os {
        values.insert("GOHOSTOS".into(), plain(os.clone(), "toolchain"));
        default(values, "GOOS", os.clone());
    }
    if let Some(arch) = &host_arch {
        values.insert("GOHOSTARCH".into(), plain(arch.clone(), "toolchain"));
        default(values, "GOARCH", arch.clone());
    }
    let goos = value_of(values, "GOOS").unwrap_or_default();
    let goarch = value_of(values, "GOARCH").unwrap_or_default();
    if goos == "windows" {
        values.insert("GOEXE".into(), plain(".exe", "default"));
    }
    // The GOARCH-specific variable (cfg.GetArchEnv), with the default official and
    // Debian toolchains are built with.
    match goarch.as_str() {
        "amd64" => default(values, "GOAMD64", "v1".into()),
        "arm64" => default(values, "GOARM64", "v8.0".into()),
        "386" => default(values, "GO386", "sse2".into()),
        _ => {}
    }

    // GOROOT as cmd/go spells it: cleaned, except that since Go 1.21 (go.env) a value
    // from the OS environment is printed as given (verified: 1.19 cleans it, 1.26 and
    // 1.27 do not). GOTOOLDIR is in it, for the toolchain's own platform.
    if let Some(goroot) = values.get_mut("GOROOT")
        && !(since(21) && goroot.source == "env")
    {
        goroot.value = clean(&goroot.value);
    }
    if let (Some(goroot), Some(os), Some(arch)) = (value_of(values, "GOROOT"), &host_os, &host_arch)
    {
        let tooldir = format!("{}/pkg/tool/{os}_{arch}", goroot.trim_end_matches('/'));
        values.insert("GOTOOLDIR".into(), plain(clean(&tooldir), "toolchain"));
    }

    // GOPATH: $HOME/go, unless that is GOROOT; GOMODCACHE in its first entry.
    if let Some(home) = &home {
        let candidate = clean(&format!("{home}/go"));
        if value_of(values, "GOROOT").as_deref() != Some(candidate.as_str()) {
            default(values, "GOPATH", candidate);
        }
    }
    if let Some(first) = value_of(values, "GOPATH")
        .and_then(|g| g.split(':').next().map(str::to_string))
        .filter(|p| !p.is_empty())
    {
        default(values, "GOMODCACHE", clean(&format!("{first}/pkg/mod")));
    }

    // GOCACHE: an absolute path or `off`; anything else, or no cache directory, is off.
    let cache_dir = user_dir(inputs.env, "XDG_CACHE_HOME", ".cache");
    match values.get_mut("GOCACHE").filter(|v| !v.value.is_empty()) {
        Some(set) if !(set.value.starts_with('/') || set.value == "off") => {
            set.value = "off".into();
        }
        Some(_) => {}
        None => {
            let dir = cache_dir.map_or("off".into(), |d| clean(&format!("{d}/go-build")));
            values.insert("GOCACHE".into(), plain(dir, "default"));
        }
    }

    // Go 1.21 moved the proxy and checksum database defaults into $GOROOT/go.env.
    if !since(21) {
        default(values, "GOPROXY", "https://proxy.golang.org,direct".into());
        default(values, "GOSUMDB", "sum.golang.org".into());
    }
    if let Some(private) = value_of(values, "GOPRIVATE") {
        default(values, "GONOPROXY", private.clone());
        default(values, "GONOSUMDB", private);
    }
    default(values, "GOAUTH", "netrc".into());
    default(values, "GOFIPS140", "off".into());

    // The C toolchain cgo would run.
    let (default_cc, default_cxx) = super::go_paths::default_cc(&goos);
    default(values, "AR", "ar".into());
    default(values, "CC", default_cc.into());
    default(values, "CXX", default_cxx.into());
    let gccgo = value_of(values, "GCCGO").unwrap_or_else(|| "gccgo".into());
    // A gccgo found on PATH is printed as the file found.
    if let Some(found) = super::go_paths::lookup(inputs.host, &gccgo, inputs.path) {
        values.insert("GCCGO".into(), plain(found, "default"));
    } else {
        default(values, "GCCGO", gccgo);
    }
    let pkg_config = value_of(values, "PKG_CONFIG")
        .and_then(|v| {
            super::quoted::split(&v)
                .ok()
                .and_then(|words| words.into_iter().next())
        })
        .unwrap_or_else(|| "pkg-config".into());
    set_value(values, "PKG_CONFIG", pkg_config);
    let flags_default = if since(20) { "-O2 -g" } else { "-g -O2" };
    for (name, fallback) in [
        ("CGO_CFLAGS", flags_default),
        ("CGO_CPPFLAGS", ""),
        ("CGO_CXXFLAGS", flags_default),
        ("CGO_FFLAGS", flags_default),
        ("CGO_LDFLAGS", flags_default),
    ] {
        // Printed re-joined from the words cmd/go splits the setting into.
        let raw = value_of(values, name).unwrap_or_else(|| fallback.to_string());
        if let Ok(words) = super::quoted::split(&raw) {
            set_value(values, name, join_quoted(&words));
        }
    }
    let cgo = match value_of(values, "CGO_ENABLED").as_deref() {
        Some(v @ ("0" | "1")) => v.to_string(),
        _ => {
            let cross = Some(&goos) != host_os.as_ref() || Some(&goarch) != host_arch.as_ref();
            // Go 1.20: without CC in the OS environment, cgo is off when the default
            // C compiler is not on PATH.
            let compiler = !since(20)
                || os_env("CC").is_some()
                || super::go_paths::lookup(inputs.host, default_cc, inputs.path).is_some();
            if !cross && compiler { "1" } else { "0" }.to_string()
        }
    };
    set_value(values, "CGO_ENABLED", cgo);

    // Read from the OS environment only; GOPACKAGESDRIVER (printed since Go 1.27) is
    // not used by cmd/go itself, only shown for bug reports.
    for name in ["GODEBUG", "GOPACKAGESDRIVER"] {
        match os_env(name) {
            Some(v) => values.insert(name.into(), plain(v, "env")),
            None => values.remove(name),
        };
    }

    // Go telemetry (1.23): the mode file in the user config directory.
    match user_dir(inputs.env, "XDG_CONFIG_HOME", ".config") {
        Some(config) => {
            let dir = clean(&format!("{config}/go/telemetry"));
            let mode = inputs
                .host
                .read_text(Path::new(&format!("{dir}/mode")))
                .map(|text| {
                    let text = text.trim();
                    text.split_once(' ').map_or(text, |(m, _)| m).to_string()
                })
                .unwrap_or_else(|_| "local".into());
            values.insert("GOTELEMETRY".into(), plain(mode, "default"));
            values.insert("GOTELEMETRYDIR".into(), plain(dir, "default"));
        }
        None => {
            values.insert("GOTELEMETRY".into(), plain("off", "default"));
        }
    }
}

/// GOMOD and GOWORK, which depend on the checked directory (cmd/go's working
/// directory): left out when no directory is checked.
/// Since Go 1.27 an unset GOBIN is printed as where `go install` puts programs.
pub fn apply_module_files(
    values: &mut BTreeMap<String, GoEnvValue>,
    workspace: &Workspace,
    active: Option<&Toolchain>,
    style: PathStyle,
) {
    let Some(dir) = workspace.dir.clone() else {
        return;
    };
    let setting = |name: &str| {
        values
            .get(name)
            .map(|v| v.value.clone())
            .unwrap_or_default()
    };
    let gowork = if setting("GOWORK") == "off" {
        "off".to_string()
    } else {
        workspace
            .go_work
            .as_ref()
            .map(|w| w.file.clone())
            .unwrap_or_default()
    };
    let gomod = match (setting("GO111MODULE").as_str(), &workspace.go_mod) {
        ("off", _) => String::new(),
        (_, Some(go_mod)) => go_mod.file.clone(),
        ("auto", None) => String::new(),
        (_, None) => style.dev_null().to_string(),
    };
    let minor = minor_version(active.and_then(|t| t.version.as_deref()));
    let gopath = setting("GOPATH");
    let gopaths: Vec<&str> = gopath.split(':').collect();
    if minor.is_none_or(|m| m >= 27) && setting("GOBIN").is_empty() && !gopath.is_empty() {
        // Module mode: the first GOPATH entry; GOPATH mode: the entry holding the
        // working directory (a plain string prefix, as cmd/go checks), else the first.
        let entry = if gomod.is_empty() {
            gopaths
                .iter()
                .find(|p| dir.starts_with(**p))
                .unwrap_or(&gopaths[0])
        } else {
            &gopaths[0]
        };
        if entry.starts_with('/') {
            values.insert(
                "GOBIN".into(),
                plain(clean(&format!("{entry}/bin")), "default"),
            );
        }
    }
    for (name, value) in [("GOWORK", gowork), ("GOMOD", gomod)] {
        if value.is_empty() {
            values.remove(name);
        } else if values.get(name).is_none_or(|v| v.value != value) {
            values.insert(name.to_string(), plain(value, "default"));
        }
    }
}

/// Keeps where a value came from when only its spelling changes.
fn set_value(values: &mut BTreeMap<String, GoEnvValue>, name: &str, value: String) {
    match values.get_mut(name) {
        Some(existing) if !existing.value.is_empty() => existing.value = value,
        _ if value.is_empty() => {
            values.remove(name);
        }
        _ => {
            values.insert(name.to_string(), plain(value, "default"));
        }
    }
}

pub(super) fn plain(value: impl Into<String>, source: &str) -> GoEnvValue {
    GoEnvValue {
        value: value.into(),
        source: source.into(),
        file: None,
        line: None,
    }
}

/// `os.UserCacheDir` / `os.UserConfigDir`: the XDG variable when absolute, else
/// `$HOME/<fallback>`; none without either.
pub(super) fn user_dir(
    env: &BTreeMap<String, String>,
    xdg: &str,
    fallback: &str,
) -> Option<String> {
    if let Some(dir) = env.get(xdg).filter(|v| !v.is_empty()) {
        return dir.starts_with('/').then(|| dir.clone());
    }
    let home = env.get("HOME").filter(|h| !h.is_empty())?;
    Some(format!("{home}/{fallback}"))
}

/// `filepath.Clean` for absolute and relative Unix paths.
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// cmd/internal/quoted.Join: the inverse of [`super::quoted::split`]. A word with a space or a
/// quote is wrapped in single quotes, or double quotes when it holds a single quote;
/// cmd/go falls back to a plain join when a word holds both kinds.
pub fn join_quoted(words: &[String]) -> String {
    let quoted: Option<Vec<String>> = words
        .iter()
        .map(|word| {
            let space = word.contains([' ', '\t', '\n', '\r']);
            match (space, word.contains('\''), word.contains('"')) {
                (false, false, false) => Some(word.clone()),
                (_, false, _) => Some(format!("'{word}'")),
                (_, true, false) => Some(format!("\"{word}\"")),
                (_, true, true) => None,
            }
        })
        .collect();
    quoted.unwrap_or_else(|| words.to_vec()).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cleaned_like_filepath_clean() {
        for (raw, cleaned) in [
            ("/usr/local/go/", "/usr/local/go"),
            ("/a//b/./c/../d", "/a/b/d"),
            ("/..", "/"),
            ("a/../..", ".."),
            ("", "."),
        ] {
            assert_eq!(clean(raw), cleaned, "{raw}");
        }
    }

    #[test]
    fn flags_are_split_and_joined_like_cmd_go() {
        let words =
            super::super::quoted::split("  -O3\t'-I/a b' \"-DX='1'\" -g ").expect("balanced");
        assert_eq!(words, ["-O3", "-I/a b", "-DX='1'", "-g"]);
        assert_eq!(join_quoted(&words), "-O3 '-I/a b' \"-DX='1'\" -g");
        assert_eq!(minor_version(Some("go1.19.8")), Some(19));
        assert_eq!(minor_version(Some("go1.27rc1")), Some(27));
        assert_eq!(minor_version(None), None);
    }
}
