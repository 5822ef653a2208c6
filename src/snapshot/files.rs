//! The `files` section: the documents of the files `envgate check PATH…` was given,
//! parsed, with a source map from every value back to its line and column.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a document was recognised as, from the file's name and its content.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum FileKind {
    /// A YAML or JSON document with a string `apiVersion` and `kind`.
    #[serde(rename = "kubernetes")]
    Kubernetes,
    #[serde(rename = "go.mod")]
    GoMod,
    #[serde(rename = "go.work")]
    GoWork,
    /// `compose.yaml`, `docker-compose*.yml` and the like.
    #[serde(rename = "compose")]
    Compose,
    /// `.vscode/settings.json` (JSONC).
    #[serde(rename = "vscode-settings")]
    VscodeSettings,
    /// `.env`, `.env.*`: `KEY=value` lines.
    #[serde(rename = "dotenv")]
    Dotenv,
    /// `Dockerfile`, `Containerfile`, `*.Dockerfile`.
    #[serde(rename = "dockerfile")]
    Dockerfile,
    /// Any other JSON (or JSONC) document.
    #[serde(rename = "json")]
    Json,
    /// Any other YAML document.
    #[serde(rename = "yaml")]
    Yaml,
    #[serde(rename = "toml")]
    Toml,
    /// A GitHub Actions workflow: `.github/workflows/*.yml`.
    #[serde(rename = "github-workflow")]
    GithubWorkflow,
    /// `.gitlab-ci.yml`.
    #[serde(rename = "gitlab-ci")]
    GitlabCi,
    /// asdf's `.tool-versions`: `tool version…` lines.
    #[serde(rename = "tool-versions")]
    ToolVersions,
    /// `.go-version` (goenv, setup-go's `go-version-file`): one version.
    #[serde(rename = "go-version")]
    GoVersion,
    /// `mise.toml`, `.mise.toml`, `.config/mise.toml`, `mise/config.toml`.
    #[serde(rename = "mise")]
    Mise,
    /// `.devcontainer/devcontainer.json`, `.devcontainer.json` (JSONC).
    #[serde(rename = "devcontainer")]
    Devcontainer,
}

impl FileKind {
    /// The spelling used in the snapshot and on the command line (`--parser`).
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Kubernetes => "kubernetes",
            FileKind::GoMod => "go.mod",
            FileKind::GoWork => "go.work",
            FileKind::Compose => "compose",
            FileKind::VscodeSettings => "vscode-settings",
            FileKind::Dotenv => "dotenv",
            FileKind::Dockerfile => "dockerfile",
            FileKind::Json => "json",
            FileKind::Yaml => "yaml",
            FileKind::Toml => "toml",
            FileKind::GithubWorkflow => "github-workflow",
            FileKind::GitlabCi => "gitlab-ci",
            FileKind::ToolVersions => "tool-versions",
            FileKind::GoVersion => "go-version",
            FileKind::Mise => "mise",
            FileKind::Devcontainer => "devcontainer",
        }
    }
}

/// One document of a checked file. A multi-document YAML file gives one entry per
/// document; every other format gives one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct FileDocument {
    /// The file as given on the command line, or relative to the directory that was
    /// given (joined to it), with forward slashes; `<stdin>` for standard input.
    pub path: String,
    /// Index of the document inside the file (0 for single-document formats).
    pub document: usize,
    /// 1-based line where the document's content starts.
    pub line: usize,
    pub kind: FileKind,
    /// Kubernetes documents only: `apiVersion`.
    pub api_version: Option<String>,
    /// Kubernetes documents only: `kind`.
    pub resource_kind: Option<String>,
    /// The parsed document as JSON; absent when it could not be parsed. dotenv:
    /// `{"KEY": "value"}`; Dockerfile: `{"instructions": [{"cmd", "args", "line"}]}`;
    /// go.mod and go.work: the shape of `workspace.go_mod`. Secret values are replaced
    /// by `[REDACTED]` (see `redacted`).
    pub content: Option<serde_json::Value>,
    /// The source map: the JSON Pointer (RFC 6901) of every value inside `content` →
    /// `[line, column]`, 1-based and absolute in the file. An object member points at
    /// its key, an array element at the element; `""` is the document's start. A value
    /// reached through a YAML alias has the alias's position and no entries inside it.
    pub positions: BTreeMap<String, [usize; 2]>,
    /// JSON Pointers of the values in `content` that were redacted as secrets: values of
    /// secret-like keys (`password: …`, `API_TOKEN=…`), `value` next to a secret-like
    /// `name`, the `data`/`stringData` of a Kubernetes Secret, passwords inside URLs.
    #[serde(default)]
    pub redacted: Vec<String>,
    /// Why the document could not be parsed; `content` is then absent.
    pub error: Option<FileParseError>,
    /// What was read, but not quite as written: a duplicate key (the last value is
    /// used, as kubectl does).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<FileParseError>,
    /// What envgate derived from the file beyond its content, for the `repo` pack
    /// (`src/files/facts.rs`): the Go versions it names (`go_versions`, each with its
    /// line and role), a Dockerfile's build stages (`stages`), whether git ignores a
    /// `.env` file (`git_ignored`), which `use` directories of a go.work are missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<serde_json::Value>,
}

/// A syntax error, at the place the parser stopped.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
pub struct FileParseError {
    pub message: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
}

/// How many files `envgate check PATH…` looked at.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
pub struct FilesSummary {
    /// Files of a kind envgate knows, parsed (with or without errors).
    pub checked: usize,
    /// Files of no kind envgate knows (or binary), not parsed; not an error.
    pub skipped: usize,
    /// Files with a syntax error (counted once however many documents it held).
    pub errors: usize,
    /// Files of a known kind that could not be read (a permission error, a FIFO or
    /// socket named like a manifest): not in `checked`; each fails the check (exit 2).
    #[serde(default)]
    pub unreadable: usize,
    /// Files too large to judge (past 16 MiB, 1,000,000 values or 20,000 YAML
    /// documents): not in `checked`; each fails the check (exit 2).
    #[serde(default)]
    pub too_large: usize,
    /// Documents in `files` (several per multi-document YAML file).
    #[serde(default)]
    pub documents: usize,
    /// Documents handed to the rules (parsed, not templates or patches), per kind
    /// (`kubernetes`, `compose`, `json`…). None at all fails the check (exit 2) unless
    /// `--allow-empty`.
    #[serde(default)]
    pub judged: BTreeMap<String, usize>,
    /// Files and documents not judged on purpose: unrendered templates, Kustomize
    /// patches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_judged: Vec<NotJudged>,
    /// `--allow-unparsed`: a file that cannot be parsed is listed but does not fail
    /// the check (K8S000 does not report it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unparsed_allowed: bool,
}

impl FilesSummary {
    /// Documents handed to the rules, of every kind.
    pub fn judged_total(&self) -> usize {
        self.judged.values().sum()
    }

    /// Files not read whole: unreadable or too large to judge.
    pub fn not_read(&self) -> usize {
        self.unreadable + self.too_large
    }

    /// Adds another batch's counts to these.
    pub fn add(&mut self, other: FilesSummary) {
        self.checked += other.checked;
        self.skipped += other.skipped;
        self.errors += other.errors;
        self.unreadable += other.unreadable;
        self.too_large += other.too_large;
        self.documents += other.documents;
        for (kind, count) in other.judged {
            *self.judged.entry(kind).or_default() += count;
        }
        self.not_judged.extend(other.not_judged);
        self.unparsed_allowed |= other.unparsed_allowed;
    }
}

/// A file, or a document of it, that envgate read but did not judge, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
pub struct NotJudged {
    pub path: String,
    /// The document, when only some documents of the file are not judged.
    #[serde(default)]
    pub document: Option<usize>,
    pub reason: String,
}
