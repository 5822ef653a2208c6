//! The shell section: startup files, the sessions reconstructed from them, and the
//! systemd user environment. Nothing here was executed: files were parsed, sessions
//! were followed through them by an evaluator that asks the machine only about files.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Origin;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ShellInfo {
    /// Family of the user's login shell from `/etc/passwd`: `bash`, `zsh`, `sh` (dash,
    /// ksh, ash, busybox sh), `fish`, `other` (csh, tcsh, …) or `none` (nologin, false,
    /// or no known user).
    pub login_shell: String,
    /// Every startup file looked at, sorted by path: the standard ones of sh, bash,
    /// zsh and fish (listed with `exists: false` when missing) and every file a session
    /// reached through `source`/`.`.
    pub files: Vec<StartupFile>,
    /// The environments three kinds of session build from those files.
    pub sessions: Sessions,
    /// Go version managers whose shims directory (gvm: `scripts/gvm`) exists, activated
    /// or not (`go.version_managers` lists their roots and installed versions).
    pub installed_managers: Vec<InstalledManager>,
}

/// One startup file and every line in it that matters to Go, with its line number.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct StartupFile {
    pub path: String,
    /// The grammar it was read with: `sh` (sh, bash, zsh), `fish`, or `pam_env`
    /// (`/etc/environment`: `KEY=VALUE` lines, nothing expanded).
    pub syntax: String,
    pub exists: bool,
    pub readable: bool,
    /// Why it could not be read (a symlink loop, a directory, permissions).
    pub error: Option<String>,
    pub owner_uid: Option<u32>,
    /// Permission bits (e.g. 0o644 → 420).
    pub mode: Option<u32>,
    /// Longer than 1 MiB: only the first MiB was parsed.
    pub truncated: bool,
    /// Holds NUL bytes: not a text file, not parsed.
    pub binary: bool,
    /// Line of a guard that ends the file for non-interactive shells (Debian's
    /// `case $- in *i*) ;; *) return;; esac`, `[ -z "$PS1" ] && return`).
    pub interactive_guard_line: Option<usize>,
    /// Assignments and exports of PATH and Go-related variables (GO*, CGO_*, CC, CXX,
    /// PKG_CONFIG*, SSL_CERT_*, *_PROXY in any case), zsh's `path` array, fish's
    /// `set`/`fish_add_path`. Function bodies are not included.
    pub assignments: Vec<ShellAssignment>,
    /// Every `source FILE` / `. FILE`.
    pub sources: Vec<ShellSource>,
    /// Version-manager activations (`eval "$(goenv init -)"`, `. ~/.asdf/asdf.sh`,
    /// `eval "$(mise activate bash)"`, `source ~/.gvm/scripts/gvm`).
    pub activations: Vec<ShellActivation>,
    /// Lines the parser could not understand (kept, not dropped).
    pub unparsed: Vec<UnparsedLine>,
    /// Lines deliberately not read: here-document bodies and function bodies (which
    /// run only when called).
    pub skipped: Vec<SkippedLines>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ShellAssignment {
    pub name: String,
    pub line: usize,
    /// The value as written, quotes included (secrets redacted).
    pub value: String,
    /// `assign` (`NAME=…`), `export` (`export NAME=…`, `declare -x`), `array` (zsh
    /// `path=(…)`), `set` (fish `set -gx`), `fish_add_path`.
    pub form: String,
    /// The line exports the variable itself (`export`, `declare -x`, fish `set -x`).
    pub exported: bool,
    /// Below this file's non-interactive guard: only interactive shells get here.
    pub below_guard: bool,
    /// The enclosing `if`/`&&` conditions as written, outermost first.
    pub conditions: Vec<String>,
    /// PATH only: the value keeps the previous PATH (`$PATH`, `${PATH}`, zsh `$path`).
    pub keeps_previous: bool,
    /// PATH only: the entries this line adds besides the previous PATH.
    pub dirs: Vec<AddedDir>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct AddedDir {
    /// As written.
    pub text: String,
    /// The directory with `~`, `$HOME` and `$USER` expanded; absent when it depends on
    /// anything else (`$GOPATH/bin`, `$(go env GOPATH)/bin`).
    pub dir: Option<String>,
    /// Programs of interest present there (go, gopls, dlv, gofmt, gcc, …).
    pub programs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ShellSource {
    pub line: usize,
    /// The file as written.
    pub target: String,
    /// The file with `~`, `$HOME` and `$USER` expanded; absent when unknown.
    pub resolved: Option<String>,
    pub below_guard: bool,
    /// The enclosing conditions as written, outermost first.
    pub conditions: Vec<String>,
    /// `bash` inside `if [ -n "$BASH_VERSION" ]` (Debian's ~/.profile sources
    /// ~/.bashrc only there), `zsh` inside a `$ZSH_VERSION` test.
    pub only_under: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ShellActivation {
    /// `goenv`, `asdf`, `mise` or `gvm`.
    pub manager: String,
    pub line: usize,
    /// The line as written (secrets redacted).
    pub text: String,
    pub below_guard: bool,
    pub conditions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct UnparsedLine {
    pub line: usize,
    /// The line (at most 200 characters, secrets redacted).
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SkippedLines {
    pub line: usize,
    pub end_line: usize,
    /// `here-document`, `function NAME` (runs only when called), `loop`.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct InstalledManager {
    /// `goenv`, `asdf`, `mise` or `gvm`.
    pub name: String,
    /// What shows it is installed: its shims directory (goenv, asdf, mise) or its
    /// `scripts/gvm` (gvm).
    pub path: String,
    /// The directory whose programs stand in for the managed Go (`…/shims`), or gvm's
    /// `bin`, which holds the `gvm` command only: gvm's Go is `gos/<version>/bin`.
    pub shims_dir: String,
}

/// The sessions envgate reconstructs, each named in findings by its `description`.
/// The decisions, once:
///
/// - **login**: SSH and console logins (`ssh host cmd`, a text console, `bash -lc`):
///   default PATH, then `/etc/environment` (pam_env), then the login files of the
///   user's shell, non-interactively. systemd's environment.d is not read: the user
///   manager does not feed these sessions.
/// - **gui** (the desktop session): default PATH, `/etc/environment`, environment.d
///   (the systemd user manager), then `/etc/profile` and `~/.profile` read by
///   `/bin/sh`, non-interactively. That is what Debian and Ubuntu's Xsession does for
///   X11 sessions under GDM and LightDM, whatever the login shell; GNOME on Wayland
///   instead runs the login shell (`$SHELL -l`), which for a bash user without
///   ~/.bash_profile reads the same files.
/// - **terminal** (the desktop terminal): on Linux, GNOME Terminal, Konsole and VS
///   Code's integrated terminal start the user's shell as a **non-login interactive**
///   shell that inherits the desktop session's environment: bash then reads
///   `/etc/bash.bashrc` and `~/.bashrc`, zsh its zshenv and zshrc, fish its
///   config.fish. On macOS Terminal opens login shells, so there it is a login
///   interactive shell. In image mode `env` is this session.
/// - **editor**: programs an editor started from the desktop runs. VS Code resolves
///   its environment by running the user's shell as a login interactive shell
///   (`$SHELL -i -l`) from the desktop's environment.
/// - A session whose shell is sh follows what the image's sh is (`program`): under
///   dash, Debian's and Ubuntu's /bin/sh, bash's `source`, `[[` and `shopt` are
///   "command not found" (`unsupported` lists where).
/// - In an image of a WSL distribution every session starts with `WSL_DISTRO_NAME`
///   set, as WSL's init sets it (Debian's WSL /etc/profile then keeps PATH).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Sessions {
    pub login: Session,
    pub terminal: Session,
    pub gui: Session,
    /// Programs an editor started from the desktop runs (VS Code's tools, its Go
    /// extension's `go` and gopls): VS Code resolves its environment by running the
    /// login shell as a login interactive shell from the desktop's environment.
    pub editor: Session,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Session {
    /// How findings name this session: where it happens and what kind of shell it is,
    /// e.g. "the desktop terminal (non-login interactive bash started by the desktop
    /// session)".
    pub description: String,
    /// The shell whose rules decide which files are read: `bash`, `zsh`, `sh`,
    /// `fish`, or `none` (no startup files: an unknown or non-POSIX shell).
    pub shell: String,
    /// For `sh`: the program `/bin/sh` (or the login shell) is in the image, symlinks
    /// resolved: `dash`, `bash` (bash started as sh keeps `source`, `[[` and `shopt`)
    /// or `busybox`. Absent when the image does not say; dash's rules then apply, as
    /// on Debian and Ubuntu. Absent for the other shells.
    pub program: Option<String>,
    pub login: bool,
    pub interactive: bool,
    /// Files read, in order: bash reads the first of ~/.bash_profile, ~/.bash_login,
    /// ~/.profile; zsh never reads ~/.profile itself.
    pub files_read: Vec<SessionFile>,
    /// PATH at the end, entry by entry, each with where it was added.
    pub path: Vec<SessionPathEntry>,
    /// PATH's text (the entries that could be evaluated, joined with `:`).
    pub path_value: String,
    /// Where PATH was last set or changed; absent when nothing changed the default.
    pub path_set_at: Option<Origin>,
    /// For each program of interest on this PATH, the entry a lookup reaches first.
    pub resolved: BTreeMap<String, SessionResolved>,
    /// Go-related variables at the end (GO*, CGO_*, CC, CXX, PKG_CONFIG*, SSL_CERT_*,
    /// *_PROXY), exported or not (secrets redacted), and those WSL's init sets
    /// (`WSL_DISTRO_NAME`, source `wsl`).
    pub vars: BTreeMap<String, SessionVar>,
    /// Version-manager activations that ran, in order.
    pub activations: Vec<SessionActivation>,
    /// What could not be evaluated on the way (a command's output, a loop, a condition
    /// assumed to hold), at most 100.
    pub unknowns: Vec<SessionNote>,
    /// Lines this session's shell cannot run as written, although bash would: under
    /// dash, `source`, `[[ … ]]` and `shopt` are "command not found" (the line does
    /// nothing; `[[ -s f ]] && source f` sources nothing), and sourcing gvm's loader,
    /// written for bash and zsh, is a syntax error that ends the shell. At most 100.
    pub unsupported: Vec<SessionUnsupported>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SessionUnsupported {
    pub file: String,
    pub line: usize,
    /// `source`, `[[`, `shopt`, or `.` (a sourced script the shell cannot parse).
    pub command: String,
    /// `not-found`: the command fails (status 127) and has no other effect; `stops`:
    /// a syntax error ends the shell there, and nothing after it is read.
    pub effect: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SessionFile {
    pub path: String,
    /// The `source`/`.` line that read it; absent for the files the session opens itself.
    pub sourced_from: Option<Origin>,
    /// `read`, `truncated` (only the first MiB), `missing`, `unreadable`, `binary`,
    /// `cycle` (already being read: not read again), `too-deep` (16 nested sources).
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SessionPathEntry {
    /// The directory; absent when it could not be evaluated (see `raw`).
    pub dir: Option<String>,
    /// As far as it could be expanded, e.g. `$(brew --prefix)/bin`.
    pub raw: String,
    /// `default` (the login default PATH), `pam_env` (/etc/environment),
    /// `environment.d`, `shell` (a startup file), `activation` (a version manager's
    /// activation line, whose effect is modelled).
    pub source: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    /// Added under a condition that could not be evaluated, assumed to hold.
    pub assumed: bool,
    /// Programs of interest present there (go, gopls, dlv, gofmt, gcc, …).
    pub programs: Vec<String>,
    /// Who can put programs there; absent for an entry that is not an absolute
    /// directory.
    pub dir_facts: Option<PathDirFacts>,
}

/// Who can put programs in a PATH directory: its owner and mode, or, when it does not
/// exist, those of the nearest existing directory above it (anyone who can write there
/// can create it: a missing `/tmp/tools/bin` is anyone's to create).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct PathDirFacts {
    pub exists: bool,
    pub owner_uid: Option<u32>,
    /// Permission bits (e.g. 0o1777 → 1023).
    pub mode: Option<u32>,
    /// For a missing directory: the nearest existing directory above it.
    pub nearest_existing: Option<NearestDir>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct NearestDir {
    pub path: String,
    pub owner_uid: Option<u32>,
    pub mode: Option<u32>,
}

/// A directory an environment.d `PATH=` line adds, as the systemd user manager's
/// environment ends up with it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct EnvPathDir {
    pub dir: String,
    /// Its position in the user manager's PATH once every environment.d file is
    /// applied (0: searched first).
    pub index: usize,
    pub facts: PathDirFacts,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SessionResolved {
    /// Index into the session's `path`.
    pub index: usize,
    pub dir: String,
    /// The program with symlinks resolved (so `/bin/go` and `/usr/bin/go` on a
    /// merged-/usr system are one program).
    pub realpath: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SessionVar {
    /// Absent when it could not be evaluated (`$(go env GOROOT)`).
    pub value: Option<String>,
    /// In the environment of programs the session starts.
    pub exported: bool,
    /// `pam_env`, `environment.d`, `shell`, `default`, or `wsl`: set by WSL's init in
    /// every session of a WSL distribution, before any file is read. An image does not
    /// hold the name the distribution is registered under, so `WSL_DISTRO_NAME` is the
    /// placeholder `wsl` there (what startup files test is that it is set).
    pub source: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    /// Set under a condition that could not be evaluated, assumed to hold.
    pub assumed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SessionActivation {
    pub manager: String,
    pub file: String,
    pub line: usize,
    /// Files the activation's modelled effect read, which the manager writes (gvm's
    /// `environments/default`, rewritten by `gvm use … --default`): PATH entries and
    /// variables with these files as origin come from this activation line.
    pub reads: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SessionNote {
    pub file: String,
    pub line: usize,
    pub what: String,
}

/// What the systemd user manager is configured to give the desktop session.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SystemdUser {
    /// environment.d files, in the order systemd applies them (sorted by file name
    /// across directories), masked ones included with `masked_by`.
    pub environment_d: Vec<EnvironmentDFile>,
    /// User units (`~/.config/systemd/user/*.service` and `*.service.d/*.conf`,
    /// `/etc/systemd/user/…`) with `Environment=` or `EnvironmentFile=` lines.
    pub units: Vec<UserUnit>,
    /// Always null: envgate runs nothing but the Go toolchain, so the running user
    /// manager's environment (`systemctl --user show-environment`) is not read. The
    /// desktop's environment is reconstructed from files instead (`shell.sessions.gui`).
    pub live_manager_env: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct EnvironmentDFile {
    pub path: String,
    /// `user` (~/.config/environment.d), `system` (/etc/environment.d) or `vendor`
    /// (/usr/lib/environment.d).
    pub scope: String,
    pub owner_uid: Option<u32>,
    pub mode: Option<u32>,
    /// The same-named file systemd reads instead (a user file masks a system one).
    pub masked_by: Option<String>,
    pub error: Option<String>,
    pub assignments: Vec<EnvAssignment>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct EnvAssignment {
    pub name: String,
    /// As written (secrets redacted).
    pub value: String,
    pub line: usize,
    /// The value refers to the variable's previous value (`PATH=$PATH:…`, `${PATH}`).
    pub keeps_previous: bool,
    /// environment.d `PATH=` lines only: the directories the line adds (variables
    /// expanded as systemd does), with who can put programs there.
    pub path_dirs: Vec<EnvPathDir>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct UserUnit {
    pub path: String,
    /// `user` (~/.config/systemd/user) or `system` (/etc/systemd/user).
    pub scope: String,
    pub owner_uid: Option<u32>,
    pub mode: Option<u32>,
    /// `Environment=` assignments, each with the line of its `Environment=`.
    pub environment: Vec<EnvAssignment>,
    pub environment_files: Vec<UnitEnvironmentFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct UnitEnvironmentFile {
    /// Line of the `EnvironmentFile=` in the unit.
    pub line: usize,
    pub path: String,
    /// Written with a leading `-`: a missing file is not an error.
    pub optional: bool,
    pub exists: bool,
    pub owner_uid: Option<u32>,
    pub mode: Option<u32>,
    /// Its `KEY=VALUE` lines, with their own line numbers.
    pub assignments: Vec<EnvAssignment>,
}
