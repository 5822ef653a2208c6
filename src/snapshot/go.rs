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
    /// Which parts of a complete Go installation the effective GOROOT directory holds
    /// (whichever source set it); absent when GOROOT is unset or not a directory.
    pub goroot_layout: Option<ToolchainLayout>,
    /// The well-known install links (`/usr/local/go`, `/usr/lib/go`, …) and every PATH
    /// entry's `go` that is a symbolic link, with where each resolves.
    pub install_links: Vec<InstallLink>,
    /// Go version managers (goenv, asdf, mise, gvm) in the user's home and the
    /// versions each has installed.
    pub version_managers: Vec<VersionManager>,
    /// Go versions pinned for the checked directory and the user (`.go-version`,
    /// `.tool-versions`, `mise.toml`, `~/.goenv/version`), nearest first.
    pub version_pins: Vec<VersionPin>,
    /// Windows Subsystem for Linux: the interop settings of `/etc/wsl.conf` and the
    /// Windows `go.exe` programs PATH reaches.
    pub wsl: WslFacts,
    /// Toolchains the go command downloaded into the module cache
    /// (`$GOMODCACHE/golang.org/toolchain@v0.0.1-go*.<os>-<arch>`, GOTOOLCHAIN switching).
    pub downloaded_toolchains: Vec<DownloadedToolchain>,
    /// The Go developer tools (gopls, dlv, staticcheck, golangci-lint) in the `go install`
    /// directory and on PATH, with the build info each carries.
    pub tool_binaries: Vec<ToolBinary>,
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
    /// Installed via snap (`/snap/bin/go` → `/usr/bin/snap`). Its `go` program is snapd
    /// itself, so no version is read from it; an unmounted snap (an image) has no
    /// readable version at all.
    pub snap: bool,
    /// Snap details, for a snap install.
    pub snap_install: Option<SnapInstall>,
    /// Which parts of a complete GOROOT exist.
    pub layout: ToolchainLayout,
    /// The toolchain's own programs (`bin/go`, `bin/gofmt`, `pkg/tool/<os>_<arch>/compile`)
    /// with the Go version and target each one's build info records. All of one
    /// release in a sound install.
    pub programs: Vec<ToolchainProgram>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ToolchainLayout {
    /// `bin/go` exists.
    pub bin_go: bool,
    /// `src/runtime` is a directory (the standard library is there).
    pub src_runtime: bool,
    /// `compile` exists in `tool_dir`, or, when `bin/go`'s platform is unknown, in any
    /// `pkg/tool/<os>_<arch>` directory.
    pub compile: bool,
    /// `VERSION` exists.
    pub version_file: bool,
    /// `go.env` exists (Go ≥ 1.21).
    pub go_env_file: bool,
    /// A Go source checkout (`.git` exists), whose version comes from git, not `VERSION`.
    pub source_checkout: bool,
    /// Where the go command looks for its compiler: `pkg/tool/<os>_<arch>` for the
    /// platform `bin/go` was built for; absent when that is unknown.
    pub tool_dir: Option<String>,
    /// Platform directories present under `pkg/tool` (e.g. `linux_amd64`), sorted.
    pub tool_platforms: Vec<String>,
}

/// One program of a toolchain, read statically.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ToolchainProgram {
    /// Relative to GOROOT: `bin/go`, `bin/gofmt` or `pkg/tool/<os>_<arch>/compile`.
    pub part: String,
    /// Absolute path.
    pub path: String,
    pub exists: bool,
    /// Go version from its build info (`go1.22.1`); absent when it has none.
    pub go_version: Option<String>,
    /// Target from its executable header (GOOS/GOARCH spelling).
    pub os: Option<String>,
    pub arch: Option<String>,
}

/// A Go snap: its version lives inside a squashfs that envgate never reads, so in an
/// image (nothing mounted) the version is unknown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SnapInstall {
    /// `/snap/bin/go`, the link to `/usr/bin/snap` that runs the snap's go.
    pub command: String,
    /// `/snap/bin/go` exists and resolves to `/usr/bin/snap`.
    pub command_exists: bool,
    /// The revision `/snap/go/current` points to (e.g. `10535`).
    pub revision: Option<String>,
    /// Whether the snap's files are visible (`/snap/go/current/bin/go` exists): true on
    /// a running system, false in an image.
    pub mounted: bool,
    /// Snap package files `/var/lib/snapd/snaps/go_*.snap` (not read), sorted.
    pub packages: Vec<String>,
}

/// A symbolic link where Go is commonly installed or run from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct InstallLink {
    pub path: String,
    /// `known-location` (`/usr/local/go`, `/usr/lib/go`, …) or `path` (a PATH entry's `go`).
    pub kind: String,
    /// For `path` links, the PATH entry index.
    pub path_index: Option<usize>,
    /// Where it resolves; absent when the target does not exist (a dangling link) or
    /// the links loop.
    pub realpath: Option<String>,
    /// Why it does not resolve (`No such file or directory`, a loop), if it does not.
    pub error: Option<String>,
}

/// A Go version manager, by the directory it keeps its versions in.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct VersionManager {
    /// `goenv`, `asdf`, `mise` or `gvm`.
    pub name: String,
    /// Its root (`~/.goenv`, or `$GOENV_ROOT` / `$ASDF_DATA_DIR` / `$MISE_DATA_DIR`).
    pub root: String,
    /// The root exists.
    pub present: bool,
    /// The directory holding one subdirectory per installed Go version.
    pub versions_dir: String,
    /// Installed version directory names, sorted (`1.22.3`; gvm: `go1.22.3`).
    pub versions: Vec<String>,
}

/// A Go version pinned in a version-manager file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct VersionPin {
    pub file: String,
    /// Line of the pin (1-based).
    pub line: usize,
    /// `go-version` (`.go-version`), `tool-versions` (`.tool-versions`), `mise-toml`
    /// (`mise.toml`, `.mise.toml`, …) or `goenv-global` (`$GOENV_ROOT/version`).
    pub format: String,
    /// `project` (found walking up from the checked directory) or `global` (the
    /// user-wide default).
    pub scope: String,
    /// The pinned value as written (`1.22.3`, `go1.22.3`, `1.22`, `latest`, `system`).
    pub value: String,
    /// `version` (a release or a prefix of one), `latest`, `system` (use the Go on
    /// PATH), or `other` (`ref:…`, `path:…` and the like, not checked).
    pub kind: String,
    /// Version managers that read this file.
    pub read_by: Vec<String>,
    /// Version directories of present managers that satisfy the pin (exact, or the
    /// newest matching a prefix pin like `1.22`); empty when none does.
    pub installed: Vec<String>,
}

/// WSL interop facts.
#[derive(Default, Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct WslFacts {
    /// `/etc/wsl.conf`.
    pub conf_file: String,
    pub conf_exists: bool,
    /// Line of the `[interop]` section header, if present.
    pub interop_line: Option<usize>,
    /// `[interop] appendWindowsPath` as written (WSL's default, when absent, is true).
    pub append_windows_path: Option<WslSetting>,
    /// `[interop] enabled` as written (default true).
    pub interop_enabled: Option<WslSetting>,
    /// PATH entries under a Windows drive (`/mnt/<letter>/…`) that hold `go.exe`.
    pub windows_go: Vec<WindowsGo>,
    /// Image mode: Windows Go installs where Windows installers put them
    /// (`/mnt/<letter>/Program Files/Go/bin`, `…/Go/bin`, Scoop under `Users/<name>`),
    /// which the Windows PATH that WSL appends at run time would reach.
    #[serde(default)]
    pub windows_installs: Vec<WindowsGoInstall>,
}

/// A Windows Go install found on a mounted drive of an image.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct WindowsGoInstall {
    /// The `bin` directory, e.g. `/mnt/c/Program Files/Go/bin`.
    pub dir: String,
    /// `<dir>/go.exe` and what it is.
    #[serde(flatten)]
    pub exe: WindowsGoExe,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct WslSetting {
    /// The value as written, e.g. `false`.
    pub value: String,
    /// `true`/`false` when the value is a boolean WSL understands; absent otherwise.
    pub enabled: Option<bool>,
    pub line: usize,
}

/// A Windows Go reachable through PATH from inside WSL.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct WindowsGo {
    pub path_index: usize,
    /// `<PATH entry>/go.exe` and what it is.
    #[serde(flatten)]
    pub exe: WindowsGoExe,
}

/// A Windows `go.exe`, read statically.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct WindowsGoExe {
    pub path: String,
    /// From its build info.
    pub go_version: Option<String>,
    /// Target from its executable header (`windows`, `amd64`).
    pub os: Option<String>,
    pub arch: Option<String>,
}

/// A toolchain fetched by GOTOOLCHAIN switching into the module cache.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct DownloadedToolchain {
    pub dir: String,
    /// `go1.22.3`.
    pub version: String,
    /// GOOS and GOARCH it was downloaded for.
    pub os: String,
    pub arch: String,
}

/// A Go developer tool program (gopls, dlv, staticcheck, golangci-lint).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ToolBinary {
    /// Program name: `gopls`, `dlv`, `staticcheck` or `golangci-lint`.
    pub name: String,
    /// Where it was found (the first place, tools directory before PATH).
    pub path: String,
    /// Symlinks resolved; one record per real file.
    pub realpath: Option<String>,
    /// It is in the `go install` directory (`go.tools_dir`).
    pub in_tools_dir: bool,
    /// Index of the first PATH entry holding it, if any.
    pub path_index: Option<usize>,
    /// It is the one a PATH lookup of `name` finds.
    pub path_winner: bool,
    /// The Go version that built it, from its build info; absent when it has none
    /// (not a Go program, a script, or unreadable).
    pub go_version: Option<String>,
    /// Main package path (`golang.org/x/tools/gopls`).
    pub package: Option<String>,
    /// Main module path and version from the `mod` line; absent for binaries built
    /// outside module mode (Debian's gopls 0.5.0, which then reports `master`).
    pub module: Option<String>,
    pub module_version: Option<String>,
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
    /// For each session (every key of `shell.sessions`, plus `process` live: this
    /// process's PATH) and each program here, which file a PATH lookup of its name
    /// reaches, sorted by session then program. Tells a tool that cannot be found from
    /// one that is found somewhere else first (shadowed: `/usr/bin/gopls` before
    /// `~/go/bin/gopls`).
    #[serde(default)]
    pub lookups: Vec<ToolLookup>,
}

/// How one session's PATH resolves the name of a program of the `go install` directory.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ToolLookup {
    /// A key of `shell.sessions` (`login`, `terminal`, `gui`, …), or `process` (live
    /// only: the PATH envgate itself was started with).
    pub session: String,
    /// The program's name, as in `programs`.
    pub program: String,
    /// The first PATH entry holding an executable file of that name; absent when none
    /// of the entries that could be evaluated does.
    pub found: Option<FoundProgram>,
    /// The lookup reaches the `go install` directory's own file: the same directory,
    /// or the same file once symlinks are resolved.
    pub from_tools_dir: bool,
    /// Entries that could not be evaluated (`$(brew --prefix)/bin`) come before the
    /// one found (or, when nothing was found, anywhere): they may hold the name too.
    pub unknown_before: bool,
}

/// A program a PATH lookup reached.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct FoundProgram {
    /// Index of the entry in the session's PATH (`shell.sessions.<name>.path`, or
    /// `path.entries` for `process`).
    pub index: usize,
    /// The entry, as evaluated.
    pub dir: String,
    /// Symlinks resolved; absent when it cannot be (a dangling link is not executable).
    pub realpath: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct CommandLookup {
    /// The command as configured (or cmd/go's default, e.g. `gcc`).
    pub command: String,
    /// `env`, `goenv`, `goroot` or `default`.
    pub source: String,
    /// The command split as cmd/go splits it (cmd/internal/quoted.Split: `'…'` or `"…"`
    /// at the start of a field keeps its spaces): the program, then its arguments.
    /// Absent when it cannot be split (`split_error`), and in snapshots saved before
    /// envgate recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<String>>,
    /// Why cmd/go cannot split the command (`unterminated " string`): every go build
    /// then stops before it starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_error: Option<String>,
    /// Where the program (the first of `args`) resolves (absolute commands are checked
    /// as they are); absent when not found.
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
    /// Why a file that exists could not be read (a FIFO, no permission): its settings
    /// are then unknown, not absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
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
