//! The snapshot: every fact the collectors gathered, as one JSON document.
//!
//! This is the contract between collectors (Rust) and policies (Rego): policies see it
//! as `input`. `schemas/snapshot.schema.json` describes it and a test validates real
//! output against that schema, so a field added here must be added there too.
//! Secrets are redacted before a value is stored here (see `redact`).

mod editor;
mod files;
mod go;
mod go_settings;
mod mounts;
mod net;
mod probe;
mod security;
mod shell;
mod tls;
mod windows;
mod workspace;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use editor::*;
pub use files::*;
pub use go::*;
pub use go_settings::*;
pub use mounts::*;
pub use net::*;
pub use probe::*;
pub use security::*;
pub use shell::*;
pub use tls::*;
pub use windows::*;
pub use workspace::*;

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
    /// Outcomes of `doctor --probe` (live only); absent when not asked for.
    pub probe: Option<Probe>,
    /// `doctor --probe net` (live only): what the go command would do to download
    /// modules and each network layer to each host it would contact; absent when not asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_probe: Option<NetProbe>,
    /// GOPATH, GOBIN and GOFLAGS taken apart the way cmd/go takes them apart.
    #[serde(default)]
    pub go_settings: GoSettings,
    /// The CA certificates Go's crypto/x509 would trust (Linux).
    #[serde(default)]
    pub tls: TlsInfo,
    /// The Go extension's settings in VS Code's settings files.
    #[serde(default)]
    pub editor: EditorInfo,
    /// Ownership and permissions of Go's configuration files, `.netrc`, and URLs with
    /// passwords in git configuration (passwords never stored).
    #[serde(default)]
    pub security: SecurityInfo,
    /// The mount table and the mount holding Go's temporary directory.
    #[serde(default)]
    pub mounts: MountsInfo,
    /// Shell startup files, and the login, terminal and desktop sessions reconstructed
    /// from them (PATH entry by entry, with the file and line that added each).
    #[serde(default)]
    pub shell: ShellInfo,
    /// environment.d files and user units that set the desktop session's environment.
    #[serde(default)]
    pub systemd_user: SystemdUser,
    /// A Windows volume's registry facts (Path entries by key, execution policy, long
    /// paths, VirtualStore copies); absent for any other system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows: Option<WindowsFacts>,
    /// The documents of the files given to `envgate check PATH…`, one entry per
    /// document, sorted by path then document index; empty for a machine check.
    #[serde(default)]
    pub files: Vec<FileDocument>,
    /// How many files were parsed, skipped (unknown kind) and had syntax errors.
    #[serde(default)]
    pub files_summary: FilesSummary,
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
    /// `secret-name` (the whole value, its name says it is a secret; or the value of a
    /// secret-named `NAME=value` inside it), `url-password` (the password part of a
    /// URL), `url-token` (a token written as a URL's user) or `secret-value` (a token
    /// or key recognised by its form, replaced by `[REDACTED:<kind>]`).
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct PathInfo {
    /// The PATH text that was split (only credentials in URLs or tokens known by their
    /// form would be redacted from it).
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
