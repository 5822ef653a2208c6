//! The Go section: toolchains, the effective Go environment and what it points at.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct GoInfo {
    /// Every toolchain found, on PATH or in a known install place, sorted by GOROOT.
    pub toolchains: Vec<Toolchain>,
    /// Index into `toolchains` of the one the PATH lookup of `go` reaches.
    pub active: Option<usize>,
    /// The effective Go environment, computed the way cmd/go does.
    pub env: BTreeMap<String, GoEnvValue>,
    /// Facts about the effective GOROOT (whichever source set it).
    pub goroot: Option<GorootFacts>,
    /// Where `go install` puts programs: GOBIN, else the first GOPATH entry's `bin`.
    pub tools_dir: Option<ToolsDir>,
    /// The commands cmd/go would run for cgo (`CC`, `CXX`, `PKG_CONFIG`), looked up
    /// on PATH the way cmd/go does.
    pub commands: BTreeMap<String, CommandLookup>,
    /// The `go env -w` file (`$GOENV`).
    pub goenv_file: GoEnvFile,
    /// What the active toolchain itself reported (`go env VAR…`); live mode only.
    pub reported: Option<ReportedGoEnv>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Toolchain {
    /// GOROOT of this toolchain (the directory holding `bin/go`).
    pub goroot: String,
    /// Realpath of `bin/go`, or absent when it does not exist.
    pub go_binary: Option<String>,
    /// How it was found: `path` (with `path_index`) and/or `known-location`.
    pub found_by: Vec<String>,
    /// Index of the PATH entry that holds it, if any.
    pub path_index: Option<usize>,
    /// The effective version: build info of `bin/go`, else the `VERSION` file.
    pub version: Option<String>,
    /// First line of `$GOROOT/VERSION`.
    pub version_file: Option<String>,
    /// Go version recorded in the build-info header of `bin/go`.
    pub buildinfo_version: Option<String>,
    /// Target of `bin/go` from its executable header (GOOS/GOARCH spelling).
    pub binary_os: Option<String>,
    pub binary_arch: Option<String>,
    /// `bin/go` is a version-manager shim script, not a Go binary.
    pub shim: bool,
    /// Installed via snap (`/snap/bin/go` → `/usr/bin/snap`), whose version is not readable here.
    pub snap: bool,
    /// Which parts of a complete GOROOT exist.
    pub layout: ToolchainLayout,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ToolchainLayout {
    pub bin_go: bool,
    pub src_runtime: bool,
    pub compile: bool,
    pub version_file: bool,
    pub go_env_file: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct GorootFacts {
    pub value: String,
    /// Same meaning as [`GoEnvValue::source`].
    pub source: String,
    /// Symlinks resolved; absent when the directory does not exist.
    pub realpath: Option<String>,
    pub exists: bool,
    /// First line of `VERSION` there.
    pub version_file: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ToolsDir {
    pub path: String,
    /// `GOBIN` or `GOPATH`.
    pub source: String,
    pub exists: bool,
    /// Executable files in it, sorted.
    pub programs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct CommandLookup {
    /// The command as configured (or cmd/go's default, e.g. `gcc`).
    pub command: String,
    /// `env`, `goenv`, `goroot` or `default`.
    pub source: String,
    /// Where it resolves (absolute commands are checked as they are); absent when not found.
    pub found: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct GoEnvValue {
    pub value: String,
    /// `env` (OS environment), `goenv` (the `$GOENV` file), `goroot` (`$GOROOT/go.env`),
    /// `toolchain` (read from the active toolchain's files) or `default` (cmd/go's
    /// built-in default).
    pub source: String,
    /// File and line for values that came from a file.
    pub file: Option<String>,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct GoEnvFile {
    pub path: Option<String>,
    pub exists: bool,
    pub entries: Vec<GoEnvFileEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct GoEnvFileEntry {
    pub name: String,
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ReportedGoEnv {
    /// The program that was run.
    pub program: String,
    pub vars: BTreeMap<String, String>,
    /// Why the call failed or was skipped, if it did not succeed.
    pub error: Option<String>,
}
