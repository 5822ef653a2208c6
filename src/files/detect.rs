//! What a file is, from its name first and, for names that say nothing, its content.

use crate::snapshot::FileKind;

/// How a file is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
    /// JSON with comments and trailing commas.
    Jsonc,
    Toml,
    GoMod,
    GoWork,
    Dotenv,
    Dockerfile,
    /// `tool version…` lines: `.tool-versions`, `.go-version`.
    ToolVersions,
}

impl Syntax {
    /// The names `--parser` accepts.
    pub const NAMES: &'static [&'static str] = &[
        "yaml",
        "json",
        "jsonc",
        "toml",
        "go.mod",
        "go.work",
        "dotenv",
        "dockerfile",
        "tool-versions",
    ];

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "yaml" | "yml" => Syntax::Yaml,
            "json" => Syntax::Json,
            "jsonc" => Syntax::Jsonc,
            "toml" => Syntax::Toml,
            "go.mod" | "gomod" => Syntax::GoMod,
            "go.work" | "gowork" => Syntax::GoWork,
            "dotenv" | "env" => Syntax::Dotenv,
            "dockerfile" => Syntax::Dockerfile,
            "tool-versions" => Syntax::ToolVersions,
            _ => return None,
        })
    }
}

/// The syntax and, where the name alone decides it, the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub syntax: Syntax,
    /// `None`: decided per document from the content (kubernetes, json, yaml).
    pub kind: Option<FileKind>,
}

/// Recognises a file by its path (forward slashes). `None`: not a kind envgate knows,
/// unless [`sniff`] recognises the content of a name without an extension.
pub fn by_name(path: &str) -> Option<Detected> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let detected = |syntax, kind| Some(Detected { syntax, kind });
    match lower.as_str() {
        "go.mod" => return detected(Syntax::GoMod, Some(FileKind::GoMod)),
        "go.work" => return detected(Syntax::GoWork, Some(FileKind::GoWork)),
        "dockerfile" | "containerfile" => {
            return detected(Syntax::Dockerfile, Some(FileKind::Dockerfile));
        }
        ".env" => return detected(Syntax::Dotenv, Some(FileKind::Dotenv)),
        ".tool-versions" => {
            return detected(Syntax::ToolVersions, Some(FileKind::ToolVersions));
        }
        ".go-version" => return detected(Syntax::ToolVersions, Some(FileKind::GoVersion)),
        ".gitlab-ci.yml" | ".gitlab-ci.yaml" => {
            return detected(Syntax::Yaml, Some(FileKind::GitlabCi));
        }
        "mise.toml" | ".mise.toml" | "mise.local.toml" | ".mise.local.toml" => {
            return detected(Syntax::Toml, Some(FileKind::Mise));
        }
        ".devcontainer.json" => return detected(Syntax::Jsonc, Some(FileKind::Devcontainer)),
        "devcontainer.json" if path.contains(".devcontainer/") => {
            return detected(Syntax::Jsonc, Some(FileKind::Devcontainer));
        }
        "config.toml" if path_ends_with(path, "mise/config.toml") => {
            return detected(Syntax::Toml, Some(FileKind::Mise));
        }
        _ => {}
    }
    if (lower.ends_with(".yml") || lower.ends_with(".yaml")) && in_workflows_dir(path) {
        return detected(Syntax::Yaml, Some(FileKind::GithubWorkflow));
    }
    if lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
    {
        return detected(Syntax::Dockerfile, Some(FileKind::Dockerfile));
    }
    if lower.starts_with(".env.") {
        return detected(Syntax::Dotenv, Some(FileKind::Dotenv));
    }
    let extension = lower.rsplit_once('.').map(|(_, e)| e)?;
    let compose = lower.starts_with("docker-compose") || lower.starts_with("compose.");
    match extension {
        "yaml" | "yml" => detected(Syntax::Yaml, compose.then_some(FileKind::Compose)),
        "json" if path_ends_with(path, ".vscode/settings.json") => {
            detected(Syntax::Jsonc, Some(FileKind::VscodeSettings))
        }
        "json" if jsonc_by_convention(path, &lower) => detected(Syntax::Jsonc, None),
        "json" => detected(Syntax::Json, compose.then_some(FileKind::Compose)),
        "jsonc" => detected(Syntax::Jsonc, None),
        "toml" => detected(Syntax::Toml, None),
        _ => None,
    }
}

/// `suffix` is the whole path or its last components.
fn path_ends_with(path: &str, suffix: &str) -> bool {
    path == suffix
        || path
            .strip_suffix(suffix)
            .is_some_and(|head| head.ends_with('/'))
}

/// Directly inside `.github/workflows/` (GitHub reads no subdirectories).
fn in_workflows_dir(path: &str) -> bool {
    let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    path_ends_with(dir, ".github/workflows")
}

/// JSON files that their tools read as JSONC.
fn jsonc_by_convention(path: &str, lower_name: &str) -> bool {
    path.contains(".vscode/")
        || path.contains(".devcontainer/")
        || lower_name == "devcontainer.json"
        || lower_name == ".devcontainer.json"
        || (lower_name.starts_with("tsconfig") || lower_name.starts_with("jsconfig"))
}

/// For names without an extension: JSON when the text opens with `{` or `[`, YAML when
/// it opens with `---`, `%YAML` or `apiVersion:`. Text with a NUL byte is binary.
pub fn sniff(path: &str, text: &[u8]) -> Option<Detected> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.contains('.') && !name.starts_with('.') {
        return None;
    }
    let head = &text[..text.len().min(8192)];
    if head.contains(&0) {
        return None;
    }
    let head = String::from_utf8_lossy(head);
    let start = head.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('{') || start.starts_with('[') {
        return Some(Detected {
            syntax: Syntax::Json,
            kind: None,
        });
    }
    let first = start
        .lines()
        .find(|l| !l.trim_start().starts_with('#'))
        .unwrap_or("");
    if first.starts_with("---") || first.starts_with("%YAML") || first.starts_with("apiVersion:") {
        return Some(Detected {
            syntax: Syntax::Yaml,
            kind: None,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(path: &str) -> Option<(Syntax, Option<FileKind>)> {
        by_name(path).map(|d| (d.syntax, d.kind))
    }

    #[test]
    fn names_decide_most_kinds() {
        assert_eq!(
            kind_of("a/go.mod"),
            Some((Syntax::GoMod, Some(FileKind::GoMod)))
        );
        assert_eq!(
            kind_of("Dockerfile.dev").unwrap().1,
            Some(FileKind::Dockerfile)
        );
        assert_eq!(
            kind_of("build/app.Dockerfile").unwrap().1,
            Some(FileKind::Dockerfile)
        );
        assert_eq!(kind_of(".env.local").unwrap().1, Some(FileKind::Dotenv));
        assert_eq!(kind_of("deploy/web.yml"), Some((Syntax::Yaml, None)));
        assert_eq!(
            kind_of("docker-compose.prod.yaml").unwrap().1,
            Some(FileKind::Compose)
        );
        assert_eq!(
            kind_of(".vscode/settings.json"),
            Some((Syntax::Jsonc, Some(FileKind::VscodeSettings)))
        );
        assert_eq!(kind_of("tsconfig.json"), Some((Syntax::Jsonc, None)));
        assert_eq!(kind_of("package.json"), Some((Syntax::Json, None)));
        assert_eq!(kind_of("Cargo.toml"), Some((Syntax::Toml, None)));
        assert_eq!(kind_of("README.md"), None);
        assert_eq!(kind_of(".envrc"), None);
        assert_eq!(kind_of("Makefile"), None);
    }

    #[test]
    fn the_repo_packs_files() {
        let kind = |path| kind_of(path).and_then(|(_, kind)| kind);
        assert_eq!(
            kind(".github/workflows/ci.yml"),
            Some(FileKind::GithubWorkflow)
        );
        assert_eq!(
            kind("a/.github/workflows/x.yaml"),
            Some(FileKind::GithubWorkflow)
        );
        assert_eq!(kind(".github/workflows/sub/ci.yml"), None);
        assert_eq!(kind(".github/dependabot.yml"), None);
        assert_eq!(kind(".gitlab-ci.yml"), Some(FileKind::GitlabCi));
        assert_eq!(
            kind_of(".tool-versions"),
            Some((Syntax::ToolVersions, Some(FileKind::ToolVersions)))
        );
        assert_eq!(kind("svc/.go-version"), Some(FileKind::GoVersion));
        assert_eq!(kind("mise.toml"), Some(FileKind::Mise));
        assert_eq!(kind(".config/mise/config.toml"), Some(FileKind::Mise));
        assert_eq!(kind("config.toml"), None);
        assert_eq!(
            kind_of(".devcontainer/devcontainer.json"),
            Some((Syntax::Jsonc, Some(FileKind::Devcontainer)))
        );
        assert_eq!(
            kind(".devcontainer/go/devcontainer.json"),
            Some(FileKind::Devcontainer)
        );
        assert_eq!(kind(".devcontainer.json"), Some(FileKind::Devcontainer));
    }

    #[test]
    fn content_decides_names_without_extension() {
        assert_eq!(
            sniff("manifest", b"---\nkind: Pod\n").unwrap().syntax,
            Syntax::Yaml
        );
        assert_eq!(sniff("data", b"  {\"a\": 1}").unwrap().syntax, Syntax::Json);
        assert_eq!(sniff("LICENSE", b"MIT License\n"), None);
        assert_eq!(sniff("blob", b"{\0\0"), None);
        assert_eq!(sniff("notes.md", b"---\n"), None);
    }
}
