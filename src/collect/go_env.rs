//! The effective Go environment, computed the way cmd/go does instead of running
//! `go env -json` (~100 ms, and impossible in an image).
//!
//! cmd/go's order (internal/cfg): a non-empty OS variable wins, then the `$GOENV` file
//! written by `go env -w`, then `$GOROOT/go.env` (Go ≥ 1.21), then built-in defaults
//! and derived values (go_env_defaults.rs). A variable computed as empty is left out.

use std::collections::BTreeMap;
use std::path::Path;

use super::go_env_defaults::{self, Inputs, clean, plain};
use crate::host::Host;
use crate::snapshot::{GoEnvFile, GoEnvFileEntry, GoEnvValue, GoFlag, Origin, PathInfo, Toolchain};

/// Variables cmd/go reads from the environment and `go env -w` may write.
pub const SETTABLE: &[&str] = &[
    "AR",
    "CC",
    "CGO_CFLAGS",
    "CGO_CPPFLAGS",
    "CGO_CXXFLAGS",
    "CGO_ENABLED",
    "CGO_FFLAGS",
    "CGO_LDFLAGS",
    "CXX",
    "GCCGO",
    "GO111MODULE",
    "GO386",
    "GOAMD64",
    "GOARCH",
    "GOARM",
    "GOARM64",
    "GOAUTH",
    "GOBIN",
    "GOCACHE",
    "GOCACHEPROG",
    "GODEBUG",
    "GOEXPERIMENT",
    "GOFIPS140",
    "GOFLAGS",
    "GOINSECURE",
    "GOMODCACHE",
    "GONOPROXY",
    "GONOSUMDB",
    "GOOS",
    "GOPATH",
    "GOPRIVATE",
    "GOPROXY",
    "GOROOT",
    "GOSUMDB",
    "GOTELEMETRY",
    "GOTMPDIR",
    "GOTOOLCHAIN",
    "GOVCS",
    "GOWORK",
    "PKG_CONFIG",
];

pub struct GoEnvironment {
    pub values: BTreeMap<String, GoEnvValue>,
    pub file: GoEnvFile,
}

pub fn collect(
    host: &dyn Host,
    env: &BTreeMap<String, String>,
    env_origins: &BTreeMap<String, Origin>,
    path: &PathInfo,
    active: Option<&Toolchain>,
) -> GoEnvironment {
    let mut values: BTreeMap<String, GoEnvValue> = BTreeMap::new();
    let from_env = |name: &str| -> Option<GoEnvValue> {
        let value = env.get(name).filter(|v| !v.is_empty())?;
        let origin = env_origins.get(name);
        Some(GoEnvValue {
            value: value.clone(),
            source: "env".into(),
            file: origin.map(|o| o.file.clone()),
            line: origin.map(|o| o.line),
        })
    };

    let goenv_path = goenv_file_path(env);
    let file = read_goenv_file(host, goenv_path.as_deref());
    let from_file = |name: &str| -> Option<GoEnvValue> {
        // cmd/go takes the last assignment in the file.
        let entry = file.entries.iter().rev().find(|e| e.name == name)?;
        Some(GoEnvValue {
            value: entry.value.clone(),
            source: "goenv".into(),
            file: file.path.clone(),
            line: Some(entry.line),
        })
    };

    // GOROOT first: it decides which go.env applies.
    let goroot = from_env("GOROOT")
        .or_else(|| from_file("GOROOT"))
        .or_else(|| {
            active.map(|t| GoEnvValue {
                value: t.goroot.clone(),
                source: "toolchain".into(),
                file: None,
                line: None,
            })
        });
    let goroot_env = goroot
        .as_ref()
        .map(|g| read_goroot_go_env(host, &g.value))
        .unwrap_or_default();

    for name in SETTABLE {
        let value = from_env(name)
            .or_else(|| from_file(name))
            .or_else(|| goroot_env.get(*name).cloned());
        if let Some(value) = value {
            values.insert(name.to_string(), value);
        }
    }
    if let Some(goroot) = goroot {
        values.insert("GOROOT".into(), goroot);
    }
    if let Some(path) = goenv_path {
        let source = if env.get("GOENV").is_some_and(|v| !v.is_empty()) {
            "env"
        } else {
            "default"
        };
        values.insert("GOENV".into(), plain(path, source));
    }
    if let Some(version) = active.and_then(|t| t.version.clone()) {
        values.insert("GOVERSION".into(), plain(version, "toolchain"));
    }
    let inputs = Inputs {
        host,
        env,
        path,
        active,
    };
    go_env_defaults::apply(&mut values, &inputs);
    GoEnvironment { values, file }
}

/// `$GOENV`, else `os.UserConfigDir()/go/env`. `GOENV=off` disables the file.
fn goenv_file_path(env: &BTreeMap<String, String>) -> Option<String> {
    if let Some(goenv) = env.get("GOENV").filter(|v| !v.is_empty()) {
        return (goenv != "off").then(|| goenv.clone());
    }
    let config = go_env_defaults::user_dir(env, "XDG_CONFIG_HOME", ".config")?;
    Some(clean(&format!("{config}/go/env")))
}

/// The `go env -w` file at `path` (none: GOENV=off), read through the Host; shared by
/// the Windows collector.
pub(crate) fn read_goenv_file(host: &dyn Host, path: Option<&str>) -> GoEnvFile {
    let Some(path) = path else {
        return GoEnvFile {
            path: None,
            exists: false,
            entries: Vec::new(),
            error: None,
        };
    };
    let (text, error) = match host.read_text(Path::new(path)) {
        Ok(text) => (Some(text), None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, None),
        Err(e) => (None, Some(e.to_string())),
    };
    GoEnvFile {
        path: Some(path.to_string()),
        exists: text.is_some() || error.is_some(),
        entries: text.map(|t| parse_env_lines(&t)).unwrap_or_default(),
        error,
    }
}

/// `$GOROOT/go.env`, as values with their origin.
fn read_goroot_go_env(host: &dyn Host, goroot: &str) -> BTreeMap<String, GoEnvValue> {
    let file = format!("{goroot}/go.env");
    let Ok(text) = host.read_text(Path::new(&file)) else {
        return BTreeMap::new();
    };
    parse_env_lines(&text)
        .into_iter()
        .map(|entry| {
            let value = GoEnvValue {
                value: entry.value,
                source: "goroot".into(),
                file: Some(file.clone()),
                line: Some(entry.line),
            };
            (entry.name, value)
        })
        .collect()
}

/// The `KEY=VALUE` format of `$GOENV` and go.env, read as cmd/go reads it
/// (`cfg.readEnvFile`): a line counts only if it starts with an upper-case letter and
/// has `=`; nothing is trimmed or unquoted.
pub(crate) fn parse_env_lines(text: &str) -> Vec<GoEnvFileEntry> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            if !line.starts_with(|c: char| c.is_ascii_uppercase()) {
                return None;
            }
            let (name, value) = line.split_once('=')?;
            (!name.is_empty()).then(|| GoEnvFileEntry {
                name: name.to_string(),
                value: value.to_string(),
                line: index + 1,
            })
        })
        .collect()
}

/// GOFLAGS as cmd/go reads it (`base.InitGOFLAGS`): `strings.Fields`, each word one
/// whole flag, `-name`, `--name`, `-name=value` or `--name=value`.
pub fn split_goflags(goflags: &str) -> Vec<GoFlag> {
    goflags
        .split_whitespace()
        .enumerate()
        .map(|(index, word)| {
            let flag = word
                .strip_prefix("--")
                .or_else(|| word.strip_prefix('-'))
                .filter(|rest| !rest.is_empty());
            let (name, value) = match flag.map(|f| f.split_once('=').ok_or(f)) {
                Some(Ok((name, value))) => (Some(name), Some(value.to_string())),
                Some(Err(name)) => (Some(name), None),
                None => (None, None),
            };
            GoFlag {
                index,
                raw: word.to_string(),
                name: name.map(str::to_string),
                value,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goflags_split_like_cmd_go() {
        let flags = split_goflags(
            "  -mod=vendor\t--toolexec=/tmp/x -trimpath -ldflags=-X=main.v=1 stray - ",
        );
        let seen: Vec<(Option<&str>, Option<&str>)> = flags
            .iter()
            .map(|f| (f.name.as_deref(), f.value.as_deref()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (Some("mod"), Some("vendor")),
                (Some("toolexec"), Some("/tmp/x")),
                (Some("trimpath"), None),
                (Some("ldflags"), Some("-X=main.v=1")),
                (None, None),
                (None, None),
            ]
        );
        assert_eq!(flags[1].raw, "--toolexec=/tmp/x");
        assert_eq!(flags[5].index, 5);
        assert!(split_goflags("").is_empty());
    }

    #[test]
    fn goenv_file_location_follows_cmd_go() {
        let env = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            goenv_file_path(&env(&[("HOME", "/home/dev")])).as_deref(),
            Some("/home/dev/.config/go/env")
        );
        assert_eq!(
            goenv_file_path(&env(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "/x")])).as_deref(),
            Some("/x/go/env")
        );
        assert_eq!(goenv_file_path(&env(&[("GOENV", "off")])), None);
    }

    #[test]
    fn env_lines_keep_line_numbers() {
        let entries = parse_env_lines(
            "# go.env\nGOPROXY=https://proxy.golang.org,direct\n\nGOTOOLCHAIN=auto\n",
        );
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].name, "GOTOOLCHAIN");
        assert_eq!(entries[1].line, 4);
    }
}
