//! Go version managers and the versions pinned for them: which managers live in the
//! home directory, what each has installed, and which Go version `.go-version`,
//! `.tool-versions`, `mise.toml` or `~/.goenv/version` asks for (walking up from the
//! checked directory, as the managers do). Only the few files named here are read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::host::Host;
use crate::snapshot::{VersionManager, VersionPin};

/// At most this many version directories are listed per manager.
const MAX_VERSIONS: usize = 200;
/// A pinned value longer than this is junk, not a version.
const MAX_VALUE_LEN: usize = 64;

/// mise's config file names in one directory, highest precedence first.
const MISE_FILES: &[&str] = &[
    "mise.local.toml",
    ".mise.local.toml",
    "mise.toml",
    ".mise.toml",
    ".config/mise.toml",
    ".config/mise/config.toml",
];

pub fn collect(
    host: &dyn Host,
    home: Option<&str>,
    workspace: Option<&Path>,
    env: &BTreeMap<String, String>,
) -> (Vec<VersionManager>, Vec<VersionPin>) {
    let managers = managers(host, home, env);
    let mut pins = Vec::new();
    let home_dir = home.map(PathBuf::from);
    let is_home = |dir: &Path| home_dir.as_deref() == Some(dir);

    let mut dirs: Vec<PathBuf> = workspace
        .filter(|w| w.is_absolute())
        .map(|w| w.ancestors().map(Path::to_path_buf).collect())
        .unwrap_or_default();
    // The home directory holds the user-wide defaults even for a project outside it.
    if let Some(home) = &home_dir
        && !dirs.contains(home)
    {
        dirs.push(home.clone());
    }

    let mut found_go_version = false;
    let mut found_tool_versions = false;
    let mut found_mise = false;
    for dir in &dirs {
        let scope = if is_home(dir) { "global" } else { "project" };
        if !found_go_version
            && let Some(pin) = read_pin(host, &dir.join(".go-version"), parse_go_version)
        {
            found_go_version = true;
            pins.push(pin.into_pin("go-version", scope, &["goenv", "gvm"]));
        }
        if !found_tool_versions
            && let Some(pin) = read_pin(host, &dir.join(".tool-versions"), parse_tool_versions)
        {
            found_tool_versions = true;
            let read_by: &[&str] = if pin.tool == "golang" {
                &["asdf", "mise"]
            } else {
                &["mise"]
            };
            pins.push(pin.into_pin("tool-versions", scope, read_by));
        }
        if !found_mise {
            for name in MISE_FILES {
                if let Some(pin) = read_pin(host, &dir.join(name), parse_mise_toml) {
                    found_mise = true;
                    pins.push(pin.into_pin("mise-toml", scope, &["mise"]));
                    break;
                }
            }
        }
    }
    if let Some(goenv) = managers.iter().find(|m| m.name == "goenv") {
        let global = Path::new(&goenv.root).join("version");
        if let Some(pin) = read_pin(host, &global, parse_go_version) {
            pins.push(pin.into_pin("goenv-global", "global", &["goenv"]));
        }
    }
    for pin in &mut pins {
        pin.installed = installed_for(pin, &managers);
    }
    (managers, pins)
}

fn managers(
    host: &dyn Host,
    home: Option<&str>,
    env: &BTreeMap<String, String>,
) -> Vec<VersionManager> {
    let var = |name: &str| env.get(name).filter(|v| v.starts_with('/')).cloned();
    let in_home = |rel: &str| home.map(|h| format!("{}/{rel}", h.trim_end_matches('/')));
    let mise_root = var("MISE_DATA_DIR")
        .or_else(|| var("XDG_DATA_HOME").map(|x| format!("{x}/mise")))
        .or_else(|| in_home(".local/share/mise"));
    let roots = [
        (
            "goenv",
            var("GOENV_ROOT").or_else(|| in_home(".goenv")),
            "versions",
        ),
        (
            "asdf",
            var("ASDF_DATA_DIR").or_else(|| in_home(".asdf")),
            "installs/golang",
        ),
        ("mise", mise_root, "installs/go"),
        ("gvm", var("GVM_ROOT").or_else(|| in_home(".gvm")), "gos"),
    ];
    roots
        .into_iter()
        .filter_map(|(name, root, versions)| {
            let root = root?;
            let versions_dir = format!("{root}/{versions}");
            let present = host.is_dir(Path::new(&root));
            let versions = if present {
                host.read_dir(Path::new(&versions_dir))
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|v| host.is_dir(&Path::new(&versions_dir).join(v)))
                    .take(MAX_VERSIONS)
                    .collect()
            } else {
                Vec::new()
            };
            Some(VersionManager {
                name: name.to_string(),
                root,
                present,
                versions_dir,
                versions,
            })
        })
        .collect()
}

/// A pin as read from one file, before it is matched against installed versions.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RawPin {
    /// `golang` or `go` in `.tool-versions`; empty elsewhere.
    tool: String,
    value: String,
    line: usize,
    file: String,
}

impl RawPin {
    fn into_pin(self, format: &str, scope: &str, read_by: &[&str]) -> VersionPin {
        VersionPin {
            kind: kind_of(&self.value).to_string(),
            file: self.file,
            line: self.line,
            format: format.to_string(),
            scope: scope.to_string(),
            value: self.value,
            read_by: read_by.iter().map(|s| s.to_string()).collect(),
            installed: Vec::new(),
        }
    }
}

/// A parser finds the pinned value and its 1-based line in a file's text.
type Parser = fn(&str) -> Option<(String, String, usize)>;

fn read_pin(host: &dyn Host, file: &Path, parse: Parser) -> Option<RawPin> {
    if !host.metadata(file).is_ok_and(|m| m.is_file) {
        return None;
    }
    let text = host.read_text(file).ok()?;
    let (tool, value, line) = parse(&text)?;
    Some(RawPin {
        tool,
        value,
        line,
        file: file.display().to_string(),
    })
}

/// Lines with their 1-based numbers, a byte-order mark and `\r` removed.
fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
}

/// `.go-version` and `~/.goenv/version`: the first word of the first line that is
/// neither blank nor a comment.
fn parse_go_version(text: &str) -> Option<(String, String, usize)> {
    numbered_lines(text).find_map(|(n, line)| {
        let word = line.split_whitespace().next()?;
        (!word.starts_with('#')).then(|| (String::new(), word.to_string(), n))
    })
}

/// `.tool-versions`: the line `golang 1.22.3` (asdf's plugin name; mise also takes
/// `go`); the first version listed is the one used.
fn parse_tool_versions(text: &str) -> Option<(String, String, usize)> {
    numbered_lines(text).find_map(|(n, line)| {
        let content = line.split('#').next().unwrap_or("");
        let mut words = content.split_whitespace();
        let tool = words.next()?;
        if tool != "golang" && tool != "go" {
            return None;
        }
        Some((tool.to_string(), words.next()?.to_string(), n))
    })
}

/// mise's TOML config: `[tools] go = "1.22"`, a list whose first element wins
/// (`["1.22", "1.21"]`), or a table with a `version` key (`{ version = "1.22" }`,
/// `[tools.go]`). Parsed with the toml crate, whose spans give the line. A file that
/// is not valid TOML pins nothing (mise itself refuses it).
fn parse_mise_toml(text: &str) -> Option<(String, String, usize)> {
    let text = text.trim_start_matches('\u{feff}');
    let document = DeTable::parse(text).ok()?;
    let tools = document.get_ref().get("tools")?.get_ref().as_table()?;
    let go = tools.get("go")?;
    let pinned = match go.get_ref() {
        DeValue::Array(list) => list.first()?,
        DeValue::Table(table) => table.get("version")?,
        _ => go,
    };
    let value = pinned.get_ref().as_str()?.to_string();
    let line = line_of(text, pinned.span().start);
    Some((String::new(), value, line))
}

/// The 1-based line holding byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or(text);
    before.bytes().filter(|b| *b == b'\n').count() + 1
}

/// `version` (a release or a prefix of one, `go` prefix allowed), `latest`, `system`
/// or `other` (anything else: `ref:…`, `path:…`, junk).
fn kind_of(value: &str) -> &'static str {
    match value {
        "system" => "system",
        "latest" => "latest",
        _ if version_number(value).is_some() => "version",
        _ => "other",
    }
}

/// `1.22.3`, `go1.22.3`, `prefix:1.22`, `1.21rc2` -> the number as version
/// directories are named (`1.22.3`); `None` for anything else.
fn version_number(value: &str) -> Option<&str> {
    if value.len() > MAX_VALUE_LEN {
        return None;
    }
    let number = value.strip_prefix("prefix:").unwrap_or(value);
    let number = number.strip_prefix("go").unwrap_or(number);
    let mut chars = number.chars();
    let starts_with_digit = chars.next().is_some_and(|c| c.is_ascii_digit());
    let well_formed = number
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.')
        && !number.contains("..")
        && !number.ends_with('.');
    (starts_with_digit && well_formed).then_some(number)
}

/// Version directories of present managers reading this pin that satisfy it. A pin
/// names a release (`1.22.3`) or a prefix of one (`1.22`: mise takes the newest
/// installed 1.22.x); gvm names its directories `go1.22.3`.
fn installed_for(pin: &VersionPin, managers: &[VersionManager]) -> Vec<String> {
    let number = match pin.kind.as_str() {
        "version" => version_number(&pin.value),
        "latest" => Some(""),
        _ => None,
    };
    let Some(number) = number else {
        return Vec::new();
    };
    managers
        .iter()
        .filter(|m| m.present && pin.read_by.contains(&m.name))
        .filter_map(|m| {
            let wanted = if m.name == "gvm" {
                format!("go{number}")
            } else {
                number.to_string()
            };
            let matches = |name: &&String| {
                number.is_empty()
                    || **name == wanted
                    || name
                        .strip_prefix(&wanted)
                        .is_some_and(|rest| rest.starts_with('.'))
            };
            // Exact first, else the newest match.
            let name = m
                .versions
                .iter()
                .find(|name| **name == wanted)
                .or_else(|| m.versions.iter().filter(matches).max_by_key(|n| numeric(n)))?;
            Some(format!("{}/{name}", m.versions_dir))
        })
        .collect()
}

/// `go1.22.10` -> [1, 22, 10], so 1.22.10 sorts after 1.22.9.
fn numeric(name: &str) -> Vec<u64> {
    name.trim_start_matches("go")
        .split('.')
        .map(|part| {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().unwrap_or(0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(f: Parser, text: &str) -> Option<(String, usize)> {
        f(text).map(|(_, value, line)| (value, line))
    }

    #[test]
    fn go_version_files() {
        assert_eq!(
            parsed(parse_go_version, "1.22.3\n"),
            Some(("1.22.3".into(), 1))
        );
        assert_eq!(
            parsed(
                parse_go_version,
                "\u{feff}\r\n# comment\r\n  go1.21.0  extra\r\n"
            ),
            Some(("go1.21.0".into(), 3))
        );
        assert_eq!(parsed(parse_go_version, ""), None);
        assert_eq!(parsed(parse_go_version, "\n\n   \n"), None);
    }

    #[test]
    fn tool_versions_files() {
        let text = "nodejs 20.1.0\n# golang 1.0\ngolang 1.22.3 1.21.0 # fallback\n";
        assert_eq!(
            parse_tool_versions(text),
            Some(("golang".into(), "1.22.3".into(), 3))
        );
        assert_eq!(
            parse_tool_versions("go 1.23\n"),
            Some(("go".into(), "1.23".into(), 1))
        );
        assert_eq!(parse_tool_versions("golang\nnodejs 20\n"), None);
        assert_eq!(parse_tool_versions("golangci-lint 1.59.0\n"), None);
    }

    #[test]
    fn mise_toml_forms() {
        let cases = [
            ("[tools]\ngo = \"1.22\"\n", Some(("1.22", 2))),
            (
                "[env]\ngo = \"no\"\n[ tools ]\nnode = '20'\n\"go\" = '1.23.1' # x\n",
                Some(("1.23.1", 5)),
            ),
            ("[tools]\ngo = [\"1.22\", \"1.21\"]\n", Some(("1.22", 2))),
            (
                "[tools]\ngo = [\n  \"1.22\",\n  \"1.21\",\n]\n",
                Some(("1.22", 3)),
            ),
            (
                "[tools]\ngo = { version = \"1.21.5\", os = [\"linux\"] }\n",
                Some(("1.21.5", 2)),
            ),
            ("tools.go = \"latest\"\n", Some(("latest", 1))),
            ("[tools.go]\nversion = \"1.20\"\n", Some(("1.20", 2))),
            ("\u{feff}[tools]\r\ngo = \"1.22\"\r\n", Some(("1.22", 2))),
            ("[tools]\ngolang = \"1.22\"\ngo-task = \"3\"\n", None),
            ("[settings]\nversion = \"1\"\n", None),
            ("[tools]\ngo = 122\n", None),
            ("[tools]\ngo = \"1.22\"\ngo = \"1.23\"\n", None),
        ];
        for (text, want) in cases {
            let got = parsed(parse_mise_toml, text);
            let want = want.map(|(v, l)| (v.to_string(), l));
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn junk_reads_as_nothing_or_other() {
        let junk = "\u{0}\u{1}\u{fffd}\u{fffd}ELF\u{0}".repeat(1000);
        for parse in [parse_go_version, parse_tool_versions, parse_mise_toml] as [Parser; 3] {
            let _ = parse(&junk);
            let _ = parse("[[[[\n==\n\"\n'\n{\n");
            let _ = parse(&"x".repeat(2_000_000));
            let _ = parse(&format!("[tools]\ngo = {}", "[".repeat(200_000)));
            let _ = parse(&format!("[tools]\ngo = {}", "{a=".repeat(200_000)));
        }
        // A "version" that is really binary junk or a path is not checked.
        assert_eq!(kind_of("\u{fffd}ELF"), "other");
        assert_eq!(kind_of(&"1".repeat(100)), "other");
        assert_eq!(kind_of("ref:master"), "other");
        assert_eq!(kind_of("path:/opt/go"), "other");
        assert_eq!(kind_of("1..2"), "other");
        assert_eq!(kind_of("1.22."), "other");
    }

    #[test]
    fn version_kinds() {
        assert_eq!(kind_of("1.22.3"), "version");
        assert_eq!(kind_of("go1.22.3"), "version");
        assert_eq!(kind_of("1.22"), "version");
        assert_eq!(kind_of("1.21rc2"), "version");
        assert_eq!(kind_of("prefix:1.22"), "version");
        assert_eq!(kind_of("system"), "system");
        assert_eq!(kind_of("latest"), "latest");
        assert_eq!(version_number("go1.22.3"), Some("1.22.3"));
    }

    fn manager(name: &str, versions: &[&str]) -> VersionManager {
        VersionManager {
            name: name.into(),
            root: format!("/h/.{name}"),
            present: true,
            versions_dir: format!("/h/.{name}/v"),
            versions: versions.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn pin(value: &str, read_by: &[&str]) -> VersionPin {
        RawPin {
            tool: String::new(),
            value: value.into(),
            line: 1,
            file: "/p/.go-version".into(),
        }
        .into_pin("go-version", "project", read_by)
    }

    #[test]
    fn installed_versions_match_exactly_or_by_prefix() {
        let managers = [
            manager(
                "goenv",
                &["1.21.13", "1.22.10", "1.22.3", "1.22.9", "1.220.0"],
            ),
            manager("gvm", &["go1.22.3"]),
        ];
        let both = ["goenv", "gvm"];
        assert_eq!(
            installed_for(&pin("1.22.3", &both), &managers),
            ["/h/.goenv/v/1.22.3", "/h/.gvm/v/go1.22.3"]
        );
        assert_eq!(
            installed_for(&pin("go1.22", &["goenv"]), &managers),
            ["/h/.goenv/v/1.22.10"]
        );
        assert!(installed_for(&pin("1.23.0", &both), &managers).is_empty());
        assert!(installed_for(&pin("1.2", &["goenv"]), &managers).is_empty());
        assert!(installed_for(&pin("system", &both), &managers).is_empty());
        assert_eq!(installed_for(&pin("latest", &["gvm"]), &managers).len(), 1);
        // Managers that are not installed, or do not read the file, do not count.
        let mut absent = manager("asdf", &["1.23.0"]);
        absent.present = false;
        assert!(installed_for(&pin("1.23.0", &["asdf"]), &[absent]).is_empty());
        assert!(installed_for(&pin("1.22.3", &["mise"]), &managers).is_empty());
    }
}
