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

/// GOFLAGS as the judged go command reads it (`base.InitGOFLAGS`): its words, or why
/// it cannot split them. How it splits them depends on its version: Go 1.19 and older
/// split at white space (`goflags = strings.Fields(cfg.Getenv("GOFLAGS"))`,
/// src/cmd/go/internal/base/goflags.go:33 in go1.19.8); Go 1.20 and newer honour
/// quotes as in CC (`goflags, err = quoted.Split(cfg.Getenv("GOFLAGS"))`, the same
/// file, line 41, in go1.20, go1.21.0, go1.22.0, go1.26.8 and go1.27.3), so
/// `'-ldflags=-s -w'` is one flag there and two broken words before. `go_minor` is the
/// toolchain's minor version; an unknown one gets the newest behaviour. Each word must
/// be one whole flag, `-name`, `--name`, `-name=value` or `--name=value`.
pub fn split_goflags(goflags: &str, go_minor: Option<u32>) -> (Vec<GoFlag>, Option<String>) {
    let words: Vec<(&str, String)> = if go_minor.is_some_and(|m| m < 20) {
        // strings.Fields: Unicode white space, as char::is_whitespace.
        goflags
            .split_whitespace()
            .map(|w| (w, w.to_string()))
            .collect()
    } else {
        match super::quoted::fields(goflags) {
            Ok(fields) => fields.into_iter().map(|f| (f.raw, f.value)).collect(),
            // Every go command but `go env` and `go bug` stops: `go: parsing $GOFLAGS:
            // unterminated ' string`; those two ignore GOFLAGS.
            Err(error) => return (Vec::new(), Some(error)),
        }
    };
    let flags = words
        .into_iter()
        .enumerate()
        .map(|(index, (raw, word))| {
            let (name, value) = match flag_name(&word) {
                Some(flag) => match flag.split_once('=') {
                    Some((name, value)) => (Some(name.to_string()), Some(value.to_string())),
                    None => (Some(flag.to_string()), None),
                },
                None => (None, None),
            };
            GoFlag {
                index,
                raw: raw.to_string(),
                name,
                value,
            }
        })
        .collect();
    (flags, None)
}

/// The word without its leading `-` or `--`, or None for what cmd/go rejects as a
/// non-flag: no leading `-`, `-`, `--`, `---…`, `-=…`, `--=…` (goflags.go, the check
/// after the split).
fn flag_name(word: &str) -> Option<&str> {
    let rest = word.strip_prefix("--").or_else(|| word.strip_prefix('-'))?;
    (!rest.is_empty() && !rest.starts_with(['-', '='])).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(flags: &[GoFlag]) -> Vec<(Option<&str>, Option<&str>)> {
        flags
            .iter()
            .map(|f| (f.name.as_deref(), f.value.as_deref()))
            .collect()
    }

    #[test]
    fn goflags_split_like_cmd_go() {
        for minor in [Some(19), Some(26), None] {
            let (flags, error) = split_goflags(
                "  -mod=vendor\t--toolexec=/tmp/x -trimpath -ldflags=-X=main.v=1 stray - ",
                minor,
            );
            assert_eq!(error, None);
            assert_eq!(
                named(&flags),
                vec![
                    (Some("mod"), Some("vendor")),
                    (Some("toolexec"), Some("/tmp/x")),
                    (Some("trimpath"), None),
                    (Some("ldflags"), Some("-X=main.v=1")),
                    (None, None),
                    (None, None),
                ],
                "{minor:?}"
            );
            assert_eq!(flags[1].raw, "--toolexec=/tmp/x");
            assert_eq!(flags[5].index, 5);
            assert_eq!(split_goflags("", minor), (Vec::new(), None));
        }
        // What cmd/go rejects as a non-flag has no name.
        let (flags, _) = split_goflags("-- ---x -=a --=b -", Some(26));
        assert!(flags.iter().all(|f| f.name.is_none()), "{flags:?}");
    }

    #[test]
    fn goflags_honour_quotes_from_go_1_20() {
        let goflags = r#"'-ldflags=-s -w' "-toolexec=/opt/my tools/run" -tags=a'b"#;
        let (flags, error) = split_goflags(goflags, Some(20));
        assert_eq!(error, None);
        assert_eq!(
            named(&flags),
            vec![
                (Some("ldflags"), Some("-s -w")),
                (Some("toolexec"), Some("/opt/my tools/run")),
                (Some("tags"), Some("a'b")),
            ]
        );
        // As written, so that the words joined again are the same GOFLAGS.
        assert_eq!(flags[0].raw, "'-ldflags=-s -w'");
        // Go 1.19 splits at the spaces: the quoted words are not flags.
        let (flags, error) = split_goflags(goflags, Some(19));
        assert_eq!(error, None);
        assert_eq!(
            named(&flags),
            vec![
                (None, None),
                (Some("w'"), None),
                (None, None),
                (None, None),
                (Some("tags"), Some("a'b")),
            ]
        );
        assert_eq!(flags[0].raw, "'-ldflags=-s");
        // Go 1.19's strings.Fields splits at any Unicode space; quoted.Split does not.
        assert_eq!(split_goflags("-a\u{a0}-b", Some(19)).0.len(), 2);
        assert_eq!(split_goflags("-a\u{a0}-b", Some(20)).0.len(), 1);
    }

    #[test]
    fn an_unclosed_quote_in_goflags_stops_go_1_20_and_not_go_1_19() {
        assert_eq!(
            split_goflags("-trimpath '-ldflags=-s -w", Some(26)),
            (Vec::new(), Some("unterminated ' string".to_string()))
        );
        assert_eq!(
            split_goflags("-trimpath '-ldflags=-s -w", Some(19)).0.len(),
            3
        );
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
