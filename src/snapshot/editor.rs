//! The editor section: the Go extension's settings in VS Code's settings files.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct EditorInfo {
    /// The VS Code settings files that exist, in the order VS Code layers them (user,
    /// remote machine, workspace; a later one overrides an earlier one).
    pub settings_files: Vec<EditorSettingsFile>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct EditorSettingsFile {
    pub path: String,
    /// `user`, `remote` (`~/.vscode-server/data/Machine`) or `workspace` (`.vscode/`).
    pub scope: String,
    /// `Code`, `Code - Insiders`, `Code - OSS`, `VSCodium`, or the server's directory name.
    pub product: String,
    /// Larger than envgate reads (1 MiB); the part read did not parse.
    pub truncated: bool,
    /// Why the file could not be read or parsed (the settings list is then empty).
    pub error: Option<String>,
    /// Every top-level `go.*` setting, in file order.
    pub settings: Vec<EditorSetting>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct EditorSetting {
    /// The setting's name, e.g. `go.useLanguageServer`.
    pub key: String,
    /// Line of the key in the file (1-based).
    pub line: usize,
    /// The value as JSON. Passwords in URLs, and values of secret-named variables in
    /// `go.toolsEnvVars`, are redacted.
    pub value: serde_json::Value,
    /// For object values (`go.alternateTools`, `go.toolsEnvVars`): each member with its line.
    pub members: Vec<EditorSettingMember>,
    /// For path settings (`go.goroot`, `go.gopath`, `go.toolsGopath`,
    /// `go.alternateTools`): each path and whether it exists.
    pub paths: Vec<EditorPath>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct EditorSettingMember {
    pub key: String,
    pub line: usize,
    /// Redacted like [`EditorSetting::value`].
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct EditorPath {
    /// The `go.alternateTools` member (tool name) this path belongs to.
    pub member: Option<String>,
    /// As written.
    pub value: String,
    /// After the Go extension's substitutions (`~`, `${workspaceFolder}`, `${env:NAME}`);
    /// absent when a variable could not be resolved here.
    pub resolved: Option<String>,
    /// `path`, or `command` for a bare program name in `go.alternateTools`, which the Go
    /// extension looks up on PATH.
    pub kind: String,
    /// The path exists (a command: it is found on PATH).
    pub exists: bool,
    pub line: usize,
}
