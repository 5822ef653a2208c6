//! The sessions: which startup files a login shell, a desktop terminal and the desktop
//! itself read, and the PATH and Go variables each ends up with (every entry tagged
//! with the file and line that added it). See `snapshot::Sessions` for the decisions.

use std::collections::BTreeMap;
use std::path::Path;

use super::path::PROGRAMS_OF_INTEREST;
use super::systemd_user::{applied_environment_d, env_lines};
use crate::host::Host;
use crate::redact::redact_value;
use crate::shell::eval::{
    Activation, Evaluator, FileRead, Identity, ShProgram, Shell, Spec, State, Unsupported, Var,
};
use crate::shell::expand::{PathSeg, Piece, SegSource, pieces_to_segs};
use crate::shell::files::FileCache;
use crate::shell::is_relevant;
use crate::shell::startup::read_startup_files;
use crate::snapshot::{
    EnvPathDir, HostInfo, NearestDir, Origin, PathDirFacts, Session, SessionActivation,
    SessionFile, SessionNote, SessionPathEntry, SessionResolved, SessionUnsupported, SessionVar,
    Sessions, SystemdUser,
};

/// What a login gets when no file sets PATH (systemd's and login's built-in default).
pub const DEFAULT_LOGIN_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// macOS: the PATH launchd gives every process of a user session (apps started from
/// the Dock, Finder or Spotlight, and the Terminal before its shell reads a file).
pub const LAUNCHD_PATH: &str = "/usr/bin:/bin:/usr/sbin:/sbin";

/// How messages name macOS's desktop session: no shell runs in it.
const LAUNCHD_DESKTOP: &str = "the desktop session (launchd: apps started from the Dock, Finder or Spotlight, which read no shell startup file)";

/// `WSL_DISTRO_NAME` in an image of a WSL distribution: WSL's init sets it to the name
/// the distribution is registered under in Windows, which no file of the image holds.
pub const WSL_DISTRO_PLACEHOLDER: &str = "wsl";

/// The login shell's family, from its path in /etc/passwd.
pub fn shell_family(login_shell: Option<&str>) -> (&'static str, Option<Shell>) {
    let name = login_shell
        .map(|s| s.rsplit('/').next().unwrap_or(s))
        .unwrap_or("");
    match name {
        "bash" => ("bash", Some(Shell::Bash)),
        "zsh" => ("zsh", Some(Shell::Zsh)),
        "fish" => ("fish", Some(Shell::Fish)),
        "sh" | "dash" | "ash" | "ksh" | "ksh93" | "mksh" | "pdksh" | "posh" | "yash"
        | "busybox" => ("sh", Some(Shell::Sh)),
        "" | "nologin" | "false" | "true" | "sync" => ("none", None),
        _ => ("other", None),
    }
}

/// Which programs of interest each directory holds, asked once per directory.
#[derive(Default)]
pub struct ProgramCache {
    dirs: BTreeMap<String, Vec<String>>,
}

impl ProgramCache {
    pub fn programs(&mut self, host: &dyn Host, dir: &str) -> Vec<String> {
        if !dir.starts_with('/') {
            return Vec::new();
        }
        self.dirs
            .entry(dir.to_string())
            .or_insert_with(|| {
                if !host.is_dir(Path::new(dir)) {
                    return Vec::new();
                }
                PROGRAMS_OF_INTEREST
                    .iter()
                    .filter(|name| {
                        host.metadata(&Path::new(dir).join(name))
                            .is_ok_and(|m| m.is_executable_file())
                    })
                    .map(|name| name.to_string())
                    .collect()
            })
            .clone()
    }
}

/// Sessions plus the full environment of the terminal session (what `env` is in
/// image mode: every exported variable whose value is known, with its origin).
pub struct Reconstructed {
    pub sessions: Sessions,
    pub terminal_env: BTreeMap<String, String>,
    pub terminal_origins: BTreeMap<String, Origin>,
    /// Terminal-session variables, for the version-manager roots.
    pub terminal_vars: BTreeMap<String, Var>,
    /// The directories each environment.d `PATH=` line (file, line) adds to the
    /// systemd user manager's PATH.
    pub environment_d_dirs: BTreeMap<(String, usize), Vec<EnvPathDir>>,
}

/// Who can put programs in `dir` (see [`PathDirFacts`]); `None` unless absolute.
pub fn dir_facts(host: &dyn Host, dir: &str) -> Option<PathDirFacts> {
    if !dir.starts_with('/') {
        return None;
    }
    let path = Path::new(dir);
    if let Ok(meta) = host.metadata(path) {
        return Some(PathDirFacts {
            exists: true,
            owner_uid: Some(meta.uid),
            mode: Some(meta.mode),
            nearest_existing: None,
        });
    }
    let nearest = path.ancestors().skip(1).find_map(|above| {
        let meta = host.metadata(above).ok().filter(|m| m.is_dir)?;
        Some(NearestDir {
            path: above.display().to_string(),
            owner_uid: Some(meta.uid),
            mode: Some(meta.mode),
        })
    });
    Some(PathDirFacts {
        exists: false,
        owner_uid: None,
        mode: None,
        nearest_existing: nearest,
    })
}

pub fn reconstruct(
    host: &dyn Host,
    host_info: &HostInfo,
    systemd: &SystemdUser,
    cache: &mut FileCache,
    programs: &mut ProgramCache,
) -> Reconstructed {
    let identity = Identity {
        uid: host_info.uid,
        user: host_info.user.clone(),
        home: host_info.home.clone(),
    };
    let (_, family) = shell_family(host_info.login_shell.as_deref());
    let darwin = host_info.os == "darwin";
    let pam = pam_state(host, host_info);
    let after_environment_d = with_environment_d(host, cache, &identity, pam.clone(), systemd);
    let mut environment_d_dirs: BTreeMap<(String, usize), Vec<EnvPathDir>> = BTreeMap::new();
    for (index, seg) in after_environment_d.path.iter().enumerate() {
        if let (SegSource::EnvironmentD, Some(origin), Some(dir)) =
            (seg.source, &seg.origin, &seg.dir)
            && let Some(facts) = dir_facts(host, dir)
        {
            environment_d_dirs
                .entry((origin.file.clone(), origin.line))
                .or_default()
                .push(EnvPathDir {
                    dir: dir.clone(),
                    index,
                    facts,
                });
        }
    }

    // What runs as sh: the login shell when it is an sh, /bin/sh for the desktop.
    let login_sh = host_info
        .login_shell
        .as_deref()
        .filter(|_| family == Some(Shell::Sh))
        .and_then(|shell| sh_program(host, shell));
    let bin_sh = sh_program(host, "/bin/sh");
    let user_spec = |login: bool, interactive: bool| {
        family.map(|shell| Spec {
            shell,
            login,
            interactive,
            sh: login_sh.unwrap_or(ShProgram::Dash),
        })
    };
    let gui_spec = Spec {
        shell: Shell::Sh,
        login: true,
        interactive: false,
        sh: bin_sh.unwrap_or(ShProgram::Dash),
    };
    // macOS's Terminal opens login shells; Linux desktop terminals (GNOME Terminal,
    // Konsole, VS Code's integrated terminal) start non-login interactive ones.
    let terminal_is_login = host_info.os == "darwin";

    let mut login = run_session(host, cache, &identity, user_spec(true, false), pam.clone());
    // macOS's desktop is launchd's environment: no /etc/profile, no environment.d.
    let mut gui = if darwin {
        run_session(host, cache, &identity, None, pam)
    } else {
        run_session(host, cache, &identity, Some(gui_spec), after_environment_d)
    };
    gui.program = bin_sh.filter(|_| !darwin);
    // The desktop terminal and the editor inherit the desktop session's environment.
    let desktop = gui.state.clone();
    let mut terminal = run_session(
        host,
        cache,
        &identity,
        user_spec(terminal_is_login, true),
        desktop.clone(),
    );
    let mut editor = run_session(host, cache, &identity, user_spec(true, true), desktop);
    login.program = login_sh;
    terminal.program = login_sh;
    editor.program = login_sh;

    let mut terminal_env = BTreeMap::new();
    let mut terminal_origins = BTreeMap::new();
    for (name, var) in &terminal.state.vars {
        if let (true, Some(value)) = (var.exported, &var.value) {
            terminal_env.insert(name.clone(), value.clone());
            if let Some(origin) = &var.origin {
                terminal_origins.insert(name.clone(), origin.clone());
            }
        }
    }
    terminal_env.insert("PATH".into(), known_path(&terminal.state.path));
    if let Some(origin) = &terminal.state.path_origin {
        terminal_origins.insert("PATH".into(), origin.clone());
    }
    let terminal_vars = terminal.state.vars.clone();
    Reconstructed {
        sessions: Sessions {
            login: login.into_snapshot(host, programs, SessionKind::Login),
            terminal: terminal.into_snapshot(host, programs, SessionKind::Terminal),
            gui: {
                let mut gui = gui.into_snapshot(host, programs, SessionKind::Desktop);
                if darwin {
                    gui.description = LAUNCHD_DESKTOP.to_string();
                }
                gui
            },
            editor: editor.into_snapshot(host, programs, SessionKind::Editor),
        },
        terminal_env,
        terminal_origins,
        terminal_vars,
        environment_d_dirs,
    }
}

/// The sessions, for the sentence that names them in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SessionKind {
    Login,
    Terminal,
    Desktop,
    Editor,
}

impl SessionKind {
    /// How messages name the session: where it happens, then what kind of shell it is.
    fn describe(self, spec: Option<Spec>) -> String {
        let shell = |spec: Spec| -> String {
            let program = spec.shell.as_str();
            match (spec.login, spec.interactive) {
                (true, true) => format!("login interactive {program}"),
                (true, false) => format!("login {program}, non-interactive"),
                (false, true) => format!("non-login interactive {program}"),
                (false, false) => format!("non-interactive {program}"),
            }
        };
        let Some(spec) = spec else {
            return match self {
                SessionKind::Login => {
                    "SSH and console logins (a login shell with no startup files envgate reads)"
                }
                SessionKind::Terminal => {
                    "the desktop terminal (the login shell reads no startup files envgate reads)"
                }
                SessionKind::Desktop => "the desktop session",
                SessionKind::Editor => "programs started by editors from the desktop",
            }
            .to_string();
        };
        match self {
            SessionKind::Login => format!(
                "SSH and console logins ({}: `ssh host cmd`, `{} -lc`)",
                shell(spec),
                spec.shell.as_str()
            ),
            SessionKind::Terminal if spec.login => {
                format!(
                    "the desktop terminal ({} opened by the terminal app)",
                    shell(spec)
                )
            }
            SessionKind::Terminal => format!(
                "the desktop terminal ({} started by the desktop session)",
                shell(spec)
            ),
            SessionKind::Desktop => format!(
                "the desktop session (/etc/profile and ~/.profile read by {} after environment.d)",
                shell(spec).replace("sh,", "/bin/sh,")
            ),
            SessionKind::Editor => format!(
                "programs started by editors from the desktop (VS Code resolves its environment with a {} started by the desktop session)",
                shell(spec)
            ),
        }
    }
}

/// The program behind an sh in the image (`/bin/sh` → `/usr/bin/dash`), when known.
fn sh_program(host: &dyn Host, path: &str) -> Option<ShProgram> {
    let real = host.canonicalize(Path::new(path)).ok()?;
    ShProgram::from_file_name(real.file_name()?.to_str()?)
}

/// PATH's text from the entries that could be evaluated.
fn known_path(path: &[PathSeg]) -> String {
    path.iter()
        .filter_map(|s| s.dir.as_deref())
        .collect::<Vec<_>>()
        .join(":")
}

fn exported(value: &str, origin: Option<Origin>, source: SegSource) -> Var {
    Var {
        value: Some(value.to_string()),
        exported: true,
        origin,
        source,
        assumed: false,
    }
}

/// The default login environment, then `/etc/environment` as pam_env reads it:
/// `KEY=VALUE` lines, quotes removed, nothing expanded.
fn pam_state(host: &dyn Host, host_info: &HostInfo) -> State {
    let mut state = State::default();
    for (name, value) in [
        ("HOME", &host_info.home),
        ("USER", &host_info.user),
        ("LOGNAME", &host_info.user),
        ("SHELL", &host_info.login_shell),
    ] {
        if let Some(value) = value {
            state
                .vars
                .insert(name.to_string(), exported(value, None, SegSource::Default));
        }
    }
    // WSL's init sets WSL_DISTRO_NAME in every session it starts, before pam_env and
    // any startup file: Debian's WSL /etc/profile keeps PATH when it is set.
    if host_info.wsl {
        let live = host
            .process_env()
            .and_then(|env| env.get("WSL_DISTRO_NAME").cloned());
        let name = live.unwrap_or_else(|| WSL_DISTRO_PLACEHOLDER.to_string());
        state.vars.insert(
            "WSL_DISTRO_NAME".to_string(),
            exported(&name, None, SegSource::Wsl),
        );
    }
    if host_info.os == "darwin" {
        // launchd starts the session; macOS has no pam_env /etc/environment.
        state.path = std::rc::Rc::new(
            LAUNCHD_PATH
                .split(':')
                .map(|d| PathSeg::known(d, None, SegSource::Default))
                .collect(),
        );
        if let Some((value, origin)) = super::launchd::configured_path(host) {
            let segs = pieces_to_segs(vec![Piece::Text(value)], &origin, SegSource::PamEnv, false);
            state.path = std::rc::Rc::new(segs);
            state.path_origin = Some(origin);
        }
        return state;
    }
    state.path = std::rc::Rc::new(
        DEFAULT_LOGIN_PATH
            .split(':')
            .map(|d| PathSeg::known(d, None, SegSource::Default))
            .collect(),
    );
    let file = "/etc/environment";
    if let Ok(text) = host.read_text(Path::new(file)) {
        for (name, value, line) in env_lines(&text) {
            let origin = Origin {
                file: file.to_string(),
                line,
            };
            let value = unquote(&value);
            if name == "PATH" {
                let pieces = vec![Piece::Text(value)];
                let segs = pieces_to_segs(pieces, &origin, SegSource::PamEnv, false);
                state.path = std::rc::Rc::new(segs);
                state.path_origin = Some(origin);
            } else {
                state
                    .vars
                    .insert(name, exported(&value, Some(origin), SegSource::PamEnv));
            }
        }
    }
    state
}

fn unquote(value: &str) -> String {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return value[1..value.len() - 1].to_string();
        }
    }
    value.to_string()
}

/// The desktop: the systemd user manager applies environment.d over what pam gave it,
/// expanding `$VAR` and `${VAR}` (`:-`, `:+`) from what is set so far.
fn with_environment_d(
    host: &dyn Host,
    cache: &mut FileCache,
    identity: &Identity,
    state: State,
    systemd: &SystemdUser,
) -> State {
    let spec = Spec {
        shell: Shell::Sh,
        login: false,
        interactive: false,
        sh: ShProgram::Dash,
    };
    let mut eval = Evaluator::new(host, cache, spec, identity.clone(), state);
    for file in applied_environment_d(systemd) {
        let Ok(text) = host.read_text(Path::new(&file.path)) else {
            continue;
        };
        for (name, value, line) in env_lines(&text) {
            let origin = Origin {
                file: file.path.clone(),
                line,
            };
            eval.apply_env_line(&name, &value, origin, SegSource::EnvironmentD);
        }
    }
    eval.state
}

/// One evaluated session, before it becomes snapshot data.
struct Evaluated {
    spec: Option<Spec>,
    /// What the image's sh is, when the session's shell is sh and the image says.
    program: Option<ShProgram>,
    state: State,
    files_read: Vec<FileRead>,
    activations: Vec<Activation>,
    notes: Vec<crate::shell::eval::Note>,
    unsupported: Vec<Unsupported>,
}

fn run_session(
    host: &dyn Host,
    cache: &mut FileCache,
    identity: &Identity,
    spec: Option<Spec>,
    state: State,
) -> Evaluated {
    let Some(spec) = spec else {
        return Evaluated {
            spec: None,
            program: None,
            state,
            files_read: Vec::new(),
            activations: Vec::new(),
            notes: Vec::new(),
            unsupported: Vec::new(),
        };
    };
    let mut eval = Evaluator::new(host, cache, spec, identity.clone(), state);
    read_startup_files(&mut eval);
    Evaluated {
        spec: Some(spec),
        program: None,
        state: eval.state,
        files_read: eval.files_read,
        activations: eval.activations,
        notes: eval.notes,
        unsupported: eval.unsupported,
    }
}

impl Evaluated {
    fn into_snapshot(
        self,
        host: &dyn Host,
        programs: &mut ProgramCache,
        kind: SessionKind,
    ) -> Session {
        let description = kind.describe(self.spec);
        let (shell, login, interactive) = match self.spec {
            Some(spec) => (spec.shell.as_str(), spec.login, spec.interactive),
            None => ("none", true, false),
        };
        let path: Vec<SessionPathEntry> = self
            .state
            .path
            .iter()
            .map(|seg| SessionPathEntry {
                dir: seg.dir.clone(),
                raw: seg.raw.clone(),
                source: seg.source.as_str().to_string(),
                file: seg.origin.as_ref().map(|o| o.file.clone()),
                line: seg.origin.as_ref().map(|o| o.line),
                assumed: seg.assumed,
                programs: seg
                    .dir
                    .as_deref()
                    .map(|d| programs.programs(host, d))
                    .unwrap_or_default(),
                dir_facts: seg.dir.as_deref().and_then(|d| dir_facts(host, d)),
            })
            .collect();
        let vars = self
            .state
            .vars
            .iter()
            .filter(|(name, var)| is_relevant(name) || var.source == SegSource::Wsl)
            .map(|(name, var)| {
                (
                    name.clone(),
                    SessionVar {
                        value: var.value.as_ref().map(|v| redact_value(name, v).0),
                        exported: var.exported,
                        source: var.source.as_str().to_string(),
                        file: var.origin.as_ref().map(|o| o.file.clone()),
                        line: var.origin.as_ref().map(|o| o.line),
                        assumed: var.assumed,
                    },
                )
            })
            .collect();
        let mut resolved = BTreeMap::new();
        for (index, entry) in path.iter().enumerate() {
            let Some(dir) = entry.dir.as_deref() else {
                continue;
            };
            for program in &entry.programs {
                resolved.entry(program.clone()).or_insert_with(|| {
                    let file = format!("{}/{program}", dir.trim_end_matches('/'));
                    SessionResolved {
                        index,
                        dir: dir.to_string(),
                        realpath: host
                            .canonicalize(Path::new(&file))
                            .ok()
                            .map(|p| p.display().to_string()),
                    }
                });
            }
        }
        Session {
            description,
            shell: shell.to_string(),
            program: self.program.map(|p| p.as_str().to_string()),
            login,
            interactive,
            files_read: self
                .files_read
                .into_iter()
                .map(|f| SessionFile {
                    path: f.path,
                    sourced_from: f.via,
                    status: f.status.to_string(),
                })
                .collect(),
            path_value: known_path(&self.state.path),
            path_set_at: self.state.path_origin.clone(),
            resolved,
            path,
            vars,
            activations: self
                .activations
                .into_iter()
                .map(|a| SessionActivation {
                    manager: a.manager.as_str().to_string(),
                    file: a.origin.file,
                    line: a.origin.line,
                    reads: a.reads,
                })
                .collect(),
            unknowns: self
                .notes
                .into_iter()
                .map(|n| SessionNote {
                    file: n.origin.file,
                    line: n.origin.line,
                    what: n.what,
                })
                .collect(),
            unsupported: self
                .unsupported
                .into_iter()
                .map(|u| SessionUnsupported {
                    file: u.origin.file,
                    line: u.origin.line,
                    command: u.command,
                    effect: if u.stops { "stops" } else { "not-found" }.to_string(),
                })
                .collect(),
        }
    }
}
