//! The Go extension's settings in VS Code's settings files (user, remote server,
//! workspace), with the line of every `go.*` key.
//!
//! settings.json is JSONC (comments, trailing commas); jsonc-parser keeps byte ranges,
//! from which lines are counted. Path settings are resolved the way the Go extension
//! resolves them (`~`, `${workspaceFolder}`, `${env:NAME}`) and looked up.

use std::collections::BTreeMap;
use std::path::Path;

use jsonc_parser::ast::{Object, Value};
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::path_style::PathStyle;
use crate::host::{Host, TEXT_READ_LIMIT};
use crate::redact::redact_value;
use crate::snapshot::{
    EditorInfo, EditorPath, EditorSetting, EditorSettingMember, EditorSettingsFile, PathInfo,
};

/// VS Code builds whose settings are read, by their configuration directory name.
const PRODUCTS: &[&str] = &["Code", "Code - Insiders", "Code - OSS", "VSCodium"];

/// Remote servers (Remote-SSH, WSL, dev containers) keep machine settings here.
const SERVERS: &[&str] = &[
    ".vscode-server",
    ".vscode-server-insiders",
    ".vscodium-server",
];

/// Settings whose values are paths (or, for go.alternateTools, paths or commands).
const PATH_SETTINGS: &[&str] = &[
    "go.goroot",
    "go.gopath",
    "go.toolsGopath",
    "go.alternateTools",
];

/// Deeper nesting than any settings file has; refused before parsing, so a hostile file
/// cannot exhaust the parser's stack.
const MAX_NESTING: usize = 128;

/// Go settings and members recorded per file, at most.
const MAX_SETTINGS: usize = 512;

/// How far up from the checked directory a `.vscode/settings.json` is looked for.
const MAX_WORKSPACE_DEPTH: usize = 64;

pub fn collect(
    host: &dyn Host,
    home: Option<&str>,
    env: &BTreeMap<String, String>,
    workspace: Option<&Path>,
    style: PathStyle,
    path: &PathInfo,
) -> EditorInfo {
    let workspace = workspace.map(|dir| style.dir(dir));
    let workspace_settings = workspace
        .as_deref()
        .and_then(|dir| nearest_workspace_settings(host, dir, style));
    let mut candidates: Vec<(String, &str, String)> = Vec::new();
    if let Some(home) = home.map(|h| h.trim_end_matches('/')) {
        let config = env
            .get("XDG_CONFIG_HOME")
            .filter(|v| v.starts_with('/'))
            .cloned()
            .unwrap_or_else(|| format!("{home}/.config"));
        for product in PRODUCTS {
            candidates.push((
                format!("{config}/{product}/User/settings.json"),
                "user",
                product.to_string(),
            ));
            candidates.push((
                format!("{home}/Library/Application Support/{product}/User/settings.json"),
                "user",
                product.to_string(),
            ));
        }
        candidates.push((
            format!("{home}/.var/app/com.visualstudio.code/config/Code/User/settings.json"),
            "user",
            "Code".to_string(),
        ));
        for server in SERVERS {
            candidates.push((
                format!("{home}/{server}/data/Machine/settings.json"),
                "remote",
                server.to_string(),
            ));
        }
    }
    // Windows: `%APPDATA%\Code\User\settings.json` (a drive-letter path: only a
    // Windows volume's environment has one).
    if let Some(appdata) = env.get("APPDATA").filter(|a| a.get(1..2) == Some(":")) {
        for product in PRODUCTS {
            candidates.push((
                crate::host::windows::join(appdata, &format!("{product}\\User\\settings.json")),
                "user",
                product.to_string(),
            ));
        }
    }
    if let Some((file, folder)) = &workspace_settings {
        candidates.push((file.clone(), "workspace", folder.clone()));
    }
    let context = Resolve {
        host,
        home,
        env,
        path,
        workspace_folder: workspace_settings
            .as_ref()
            .map(|(_, folder)| folder.clone())
            .or_else(|| workspace.as_ref().map(|w| w.display().to_string())),
    };
    let settings_files = candidates
        .into_iter()
        .filter(|(file, _, _)| host.symlink_metadata(Path::new(file)).is_ok())
        .map(|(file, scope, product)| {
            let product = if scope == "workspace" {
                "Code".to_string()
            } else {
                product
            };
            read_settings_file(&context, &file, scope, &product)
        })
        .collect();
    EditorInfo { settings_files }
}

/// `(settings file, workspace folder)` of the nearest `.vscode/settings.json` at or above
/// `dir`, its paths spelled the audited system's way (`C:\…\.vscode\settings.json`).
fn nearest_workspace_settings(
    host: &dyn Host,
    dir: &Path,
    style: PathStyle,
) -> Option<(String, String)> {
    style
        .ancestors(dir)
        .into_iter()
        .take(MAX_WORKSPACE_DEPTH)
        .find_map(|folder| {
            let file = style.join(&folder, ".vscode/settings.json");
            host.symlink_metadata(&file)
                .is_ok()
                .then(|| (file.display().to_string(), folder.display().to_string()))
        })
}

struct Resolve<'a> {
    host: &'a dyn Host,
    home: Option<&'a str>,
    env: &'a BTreeMap<String, String>,
    path: &'a PathInfo,
    workspace_folder: Option<String>,
}

fn read_settings_file(
    context: &Resolve<'_>,
    file: &str,
    scope: &str,
    product: &str,
) -> EditorSettingsFile {
    let mut result = EditorSettingsFile {
        path: file.to_string(),
        scope: scope.to_string(),
        product: product.to_string(),
        ..EditorSettingsFile::default()
    };
    let p = Path::new(file);
    let meta = match context.host.metadata(p) {
        Ok(meta) => meta,
        Err(e) => {
            result.error = Some(e.to_string());
            return result;
        }
    };
    if !meta.is_file {
        result.error = Some("not a regular file".into());
        return result;
    }
    result.truncated = meta.size > TEXT_READ_LIMIT;
    let text = match context.host.read_text(p) {
        Ok(text) => text,
        Err(e) => {
            result.error = Some(e.to_string());
            return result;
        }
    };
    match parse_go_settings(&text) {
        Ok(settings) => {
            result.settings = settings;
            for setting in &mut result.settings {
                setting.paths = resolve_paths(context, setting);
            }
        }
        Err(error) => result.error = Some(error),
    }
    result
}

/// The top-level `go.*` settings of a JSONC document, with lines, values redacted.
pub fn parse_go_settings(text: &str) -> Result<Vec<EditorSetting>, String> {
    if nesting_depth(text) > MAX_NESTING {
        return Err(format!(
            "nested deeper than {MAX_NESTING} levels; not parsed"
        ));
    }
    let parsed = parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
        .map_err(|e| e.to_string())?;
    let lines = LineIndex::new(text);
    let object = match parsed.value {
        Some(Value::Object(object)) => object,
        Some(_) => return Err("the top level is not an object".into()),
        None => return Ok(Vec::new()),
    };
    Ok(object
        .properties
        .into_iter()
        .filter(|prop| prop.name.as_str().starts_with("go."))
        .take(MAX_SETTINGS)
        .map(|prop| {
            let key = prop.name.as_str().to_string();
            let line = lines.line_of(prop.range.start);
            let members = match &prop.value {
                Value::Object(inner) => members_of(inner, &lines),
                _ => Vec::new(),
            };
            let value = redacted(&key, prop.value.into());
            EditorSetting {
                key,
                line,
                value,
                members,
                paths: Vec::new(),
            }
        })
        .collect())
}

fn members_of(object: &Object<'_>, lines: &LineIndex) -> Vec<EditorSettingMember> {
    object
        .properties
        .iter()
        .take(MAX_SETTINGS)
        .map(|member| {
            let key = member.name.as_str().to_string();
            EditorSettingMember {
                line: lines.line_of(member.range.start),
                value: redacted(&key, member.value.clone().into()),
                key,
            }
        })
        .collect()
}

/// Redacts strings in a JSON value: the whole value under a secret-looking name
/// (`GITHUB_TOKEN` in go.toolsEnvVars), the password part of URLs anywhere.
fn redacted(name: &str, value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::String(s) => serde_json::Value::String(redact_value(name, &s).0),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(|v| redacted(name, v)).collect())
        }
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = redacted(&k, v);
                    (k, v)
                })
                .collect(),
        ),
        other => other,
    }
}

/// The deepest `[`/`{` nesting outside strings and comments.
fn nesting_depth(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// Byte offset → 1-based line.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|start| *start <= offset)
    }
}

/// The paths of a path setting, resolved and looked up.
fn resolve_paths(context: &Resolve<'_>, setting: &EditorSetting) -> Vec<EditorPath> {
    if !PATH_SETTINGS.contains(&setting.key.as_str()) {
        return Vec::new();
    }
    if setting.key == "go.alternateTools" {
        return setting
            .members
            .iter()
            .filter_map(|m| Some((m, m.value.as_str()?)))
            .filter(|(_, value)| !value.is_empty())
            .map(|(member, value)| {
                let mut path = examine(context, value, true, member.line);
                path.member = Some(member.key.clone());
                path
            })
            .collect();
    }
    let Some(value) = setting.value.as_str() else {
        return Vec::new();
    };
    // go.gopath may list several directories, like GOPATH.
    value
        .split(':')
        .filter(|v| !v.trim().is_empty())
        .map(|v| examine(context, v.trim(), false, setting.line))
        .collect()
}

fn examine(context: &Resolve<'_>, value: &str, may_be_command: bool, line: usize) -> EditorPath {
    let resolved = substitute(context, value);
    let is_command = may_be_command && !value.contains('/') && !value.starts_with('~');
    let exists = match (&resolved, is_command) {
        (Some(name), true) => context.path.entries.iter().any(|entry| {
            entry.is_dir
                && context
                    .host
                    .metadata(&Path::new(&entry.raw).join(name))
                    .is_ok_and(|m| m.is_executable_file())
        }),
        (Some(path), false) => path.starts_with('/') && context.host.exists(Path::new(path)),
        (None, _) => false,
    };
    EditorPath {
        member: None,
        value: value.to_string(),
        resolved,
        kind: if is_command { "command" } else { "path" }.to_string(),
        exists,
        line,
    }
}

/// The Go extension's `resolvePath` and `substituteEnv`: `${workspaceFolder}` and
/// `${workspaceRoot}`, `${env:NAME}`, and a leading `~`. `None` when a variable it needs
/// is unknown here.
fn substitute(context: &Resolve<'_>, value: &str) -> Option<String> {
    let mut out = value.to_string();
    for var in ["${workspaceFolder}", "${workspaceRoot}"] {
        if out.contains(var) {
            out = out.replace(var, context.workspace_folder.as_deref()?);
        }
    }
    // Scan forward from each replacement, so a value containing `${env:` cannot loop.
    let mut from = 0;
    while let Some(offset) = out[from..].find("${env:") {
        let start = from + offset;
        let end = start + out[start..].find('}')?;
        let replacement = context
            .env
            .get(&out[start + 6..end])
            .cloned()
            .unwrap_or_default();
        out.replace_range(start..=end, &replacement);
        from = start + replacement.len();
    }
    if out == "~" || out.starts_with("~/") {
        out = format!("{}{}", context.home?.trim_end_matches('/'), &out[1..]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: &str = r#"{
    // Go
    "editor.fontSize": 14,
    "go.useLanguageServer": false, /* old habit */
    "go.goroot": "/usr/local/Cellar/go/1.24.4/libexec",
    "go.alternateTools": {
        "go": "~/sdk/go1.21.3/bin/go",
        "gopls": "gopls-nightly",
    },
    "go.toolsEnvVars": {
        "GOPROXY": "https://dev:s3cret@proxy.corp/",
        "GITHUB_TOKEN": "ghp_123",
        "GOFLAGS": "-mod=mod"
    },
}
"#;

    #[test]
    fn go_settings_keep_their_lines_through_comments_and_trailing_commas() {
        let settings = parse_go_settings(SETTINGS).unwrap();
        let keys: Vec<(&str, usize)> = settings.iter().map(|s| (s.key.as_str(), s.line)).collect();
        assert_eq!(
            keys,
            [
                ("go.useLanguageServer", 4),
                ("go.goroot", 5),
                ("go.alternateTools", 6),
                ("go.toolsEnvVars", 10)
            ]
        );
        assert_eq!(settings[0].value, serde_json::Value::Bool(false));
        assert_eq!(settings[2].members[1].key, "gopls");
        assert_eq!(settings[2].members[1].line, 8);
        assert_eq!(settings[3].members[2].line, 13);
    }

    #[test]
    fn secrets_in_settings_are_redacted() {
        let settings = parse_go_settings(SETTINGS).unwrap();
        let text = serde_json::to_string(&settings).unwrap();
        assert!(
            !text.contains("s3cret") && !text.contains("ghp_123"),
            "{text}"
        );
        assert_eq!(
            settings[3].members[0].value,
            "https://dev:[REDACTED]@proxy.corp/"
        );
        assert_eq!(settings[3].value["GITHUB_TOKEN"], "[REDACTED]");
    }

    #[test]
    fn broken_junk_and_deep_input_is_an_error_not_a_crash() {
        assert!(parse_go_settings("{ \"go.goroot\": ").is_err());
        assert!(parse_go_settings("[1, 2]").is_err());
        assert!(parse_go_settings("").unwrap().is_empty());
        let junk = String::from_utf8_lossy(&[0xff, 0xfe, 0x00, b'{']).into_owned();
        assert!(parse_go_settings(&junk).is_err());
        let deep = "[".repeat(100_000);
        assert!(
            parse_go_settings(&deep)
                .unwrap_err()
                .contains("nested deeper")
        );
        // Brackets inside strings and comments do not count.
        let shallow = format!(
            "{{ \"go.x\": \"{}\" // {}\n }}",
            "[".repeat(500),
            "{".repeat(500)
        );
        assert_eq!(parse_go_settings(&shallow).unwrap().len(), 1);
    }

    #[test]
    fn lines_are_counted_from_byte_offsets() {
        let index = LineIndex::new("a\nbc\n\nd");
        assert_eq!(index.line_of(0), 1);
        assert_eq!(index.line_of(2), 2);
        assert_eq!(index.line_of(5), 3);
        assert_eq!(index.line_of(6), 4);
    }

    #[test]
    fn loops_fifos_and_directories_are_recorded_not_followed() {
        use crate::host::ImageHost;
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let user = root.join("home/dev/.config/Code/User");
        std::fs::create_dir_all(&user).unwrap();
        symlink("/loop-b", root.join("loop-a")).unwrap();
        symlink("/loop-a", root.join("loop-b")).unwrap();
        symlink("/loop-a", user.join("settings.json")).unwrap();
        let remote = root.join("home/dev/.vscode-server/data/Machine");
        std::fs::create_dir_all(remote.join("settings.json")).unwrap();
        let oss = root.join("home/dev/.config/VSCodium/User");
        std::fs::create_dir_all(&oss).unwrap();
        let fifo = std::ffi::CString::new(oss.join("settings.json").to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo has no other preconditions.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let host = ImageHost::new(root).unwrap();
        let path = PathInfo {
            raw: None,
            entries: Vec::new(),
            resolved: BTreeMap::new(),
        };
        let info = collect(
            &host,
            Some("/home/dev"),
            &BTreeMap::new(),
            None,
            PathStyle::Unix,
            &path,
        );
        assert_eq!(info.settings_files.len(), 3, "{info:?}");
        for file in &info.settings_files {
            assert!(file.error.is_some(), "{file:?}");
            assert!(file.settings.is_empty());
        }
    }
}
