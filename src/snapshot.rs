//! The snapshot: every fact the collectors gathered, as one JSON document.
//!
//! This is the contract between collectors (Rust) and policies (Rego): policies see it
//! as `input`. `schemas/snapshot.schema.json` describes it and a test validates real
//! output against that schema, so a field added here must be added there too.
//! Secrets are redacted before a value is stored here (see `redact`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Bumped when a field changes meaning or disappears; additions keep the version.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Snapshot {
    pub schema_version: u32,
    /// `live` (this machine) or `image` (a root filesystem that is not running).
    pub mode: Mode,
    pub host: HostInfo,
    /// The environment the checks judge: the process environment in live mode, the one
    /// derived from the image's files in image mode. Secret values are redacted.
    pub env: BTreeMap<String, String>,
    /// Where each variable of `env` was set, when that is a file (image mode derives the
    /// environment from files; a live process environment has no such record).
    pub env_origin: BTreeMap<String, Origin>,
    /// Which values were redacted and why; the values themselves are gone.
    pub redactions: Vec<Redaction>,
    pub path: PathInfo,
    pub go: GoInfo,
    pub workspace: Workspace,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Live,
    Image,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct HostInfo {
    /// GOOS spelling: `linux`, `darwin`, `windows`.
    pub os: String,
    /// GOARCH spelling: `amd64`, `arm64`, …
    pub arch: String,
    pub hostname: Option<String>,
    pub user: Option<String>,
    pub uid: Option<u32>,
    pub home: Option<String>,
    /// The login shell from `/etc/passwd`.
    pub login_shell: Option<String>,
    /// Running under (live) or built for (image) Windows Subsystem for Linux.
    pub wsl: bool,
    /// For an image, the directory audited, as given on the command line.
    pub root: Option<String>,
    /// Owner of `/`: 0 on a running system; for an image unpacked by an ordinary
    /// account, that account, which then owns every system file too.
    pub root_owner_uid: Option<u32>,
}

/// A place in a file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Redaction {
    /// Snapshot path of the redacted value, e.g. `env.GITHUB_TOKEN`.
    pub subject: String,
    /// `secret-name` (the whole value) or `url-password` (the password part of a URL).
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct PathInfo {
    /// The PATH text that was split (redaction does not apply to PATH).
    pub raw: Option<String>,
    pub entries: Vec<PathEntry>,
    /// For each program of interest found on PATH, the entry that wins a lookup.
    pub resolved: BTreeMap<String, ResolvedProgram>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct PathEntry {
    pub index: usize,
    pub raw: String,
    pub empty: bool,
    pub relative: bool,
    /// Starts with a literal `~` that no shell expanded.
    pub tilde: bool,
    pub exists: bool,
    pub is_dir: bool,
    pub owner_uid: Option<u32>,
    /// Permission bits (e.g. 0o755 → 493); absent when the entry does not exist.
    pub mode: Option<u32>,
    /// Writable by everyone and without the sticky bit.
    pub world_writable: bool,
    /// Programs of interest present here as executable files, sorted.
    pub programs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ResolvedProgram {
    pub index: usize,
    /// Path as found on PATH (inside the image for image mode).
    pub path: String,
    /// Symlinks resolved (inside the image for image mode).
    pub realpath: Option<String>,
}

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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Workspace {
    /// The directory being checked (absolute).
    pub dir: Option<String>,
    pub go_mod: Option<GoModFile>,
    pub go_work: Option<GoModFile>,
}

/// A parsed `go.mod` or `go.work`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct GoModFile {
    pub file: String,
    /// `module` path (go.mod only).
    pub module: Option<String>,
    pub go: Option<Directive>,
    pub toolchain: Option<Directive>,
    pub requires: Vec<Require>,
    pub replaces: Vec<Replace>,
    /// `use` directories (go.work only).
    pub uses: Vec<Directive>,
    /// Lines the parser did not understand, kept so nothing is silently dropped.
    pub errors: Vec<ParseProblem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Directive {
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Require {
    pub path: String,
    pub version: String,
    pub indirect: bool,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Replace {
    pub old_path: String,
    pub old_version: Option<String>,
    pub new_path: String,
    pub new_version: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ParseProblem {
    pub line: usize,
    pub message: String,
}
