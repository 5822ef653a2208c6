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
use crate::shell::files::{FileCache, Syntax};
use crate::shell::is_relevant;
use crate::snapshot::{
    HostInfo, Origin, Session, SessionActivation, SessionFile, SessionNote, SessionPathEntry,
    SessionResolved, SessionUnsupported, SessionVar, Sessions, SystemdUser,
};

/// What a login gets when no file sets PATH (systemd's and login's built-in default).
pub const DEFAULT_LOGIN_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

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
    let pam = pam_state(host, host_info);
    let desktop = with_environment_d(host, cache, &identity, pam.clone(), systemd);

    // What runs as sh: the login shell when it is an sh, /bin/sh for the desktop.
    let login_sh = host_info
        .login_shell
        .as_deref()
        .filter(|_| family == Some(Shell::Sh))
        .and_then(|shell| sh_program(host, shell));
    let bin_sh = sh_program(host, "/bin/sh");
    let login_spec = family.map(|shell| Spec {
        shell,
        login: true,
        interactive: false,
        sh: login_sh.unwrap_or(ShProgram::Dash),
    });
    let terminal_spec = login_spec.map(|spec| Spec {
        interactive: true,
        ..spec
    });
    let gui_spec = Spec {
        shell: Shell::Sh,
        login: true,
        interactive: false,
        sh: bin_sh.unwrap_or(ShProgram::Dash),
    };

    let mut login = run_session(host, cache, &identity, login_spec, pam);
    let mut terminal = run_session(host, cache, &identity, terminal_spec, desktop.clone());
    let mut gui = run_session(host, cache, &identity, Some(gui_spec), desktop);
    login.program = login_sh;
    terminal.program = login_sh;
    gui.program = bin_sh;

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
            login: login.into_snapshot(host, programs),
            terminal: terminal.into_snapshot(host, programs),
            gui: gui.into_snapshot(host, programs),
        },
        terminal_env,
        terminal_origins,
        terminal_vars,
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
    state.path = DEFAULT_LOGIN_PATH
        .split(':')
        .map(|d| PathSeg::known(d, None, SegSource::Default))
        .collect();
    let file = "/etc/environment";
    if let Ok(text) = host.read_text(Path::new(file)) {
        for (name, value, line) in env_lines(&text) {
            let origin = Origin {
                file: file.to_string(),
                line,
            };
            let value = unquote(&value);
            if name == "PATH" {
                let pieces = [Piece::Text(value)];
                state.path = pieces_to_segs(&pieces, &origin, SegSource::PamEnv, false);
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
    let home = identity
        .home
        .as_deref()
        .map(|h| h.trim_end_matches('/').to_string());
    let mut eval = Evaluator::new(host, cache, spec, identity.clone(), state);
    let user = |name: &str| home.as_ref().map(|h| format!("{h}/{name}"));
    match spec.shell {
        Shell::Bash | Shell::Sh => {
            read_if_exists(&mut eval, "/etc/profile", Syntax::Sh);
            let candidates: &[&str] = if spec.shell == Shell::Bash {
                &[".bash_profile", ".bash_login", ".profile"]
            } else {
                &[".profile"]
            };
            // bash reads the first of these that exists, and only that one.
            for name in candidates {
                if let Some(path) = user(name) {
                    if eval.file_exists(&path, Syntax::Sh) {
                        eval.read_startup_file(&path, Syntax::Sh);
                        break;
                    }
                }
            }
        }
        Shell::Zsh => {
            let steps: [(&str, bool); 4] = [
                ("zshenv", true),
                ("zprofile", spec.login),
                ("zshrc", spec.interactive),
                ("zlogin", spec.login),
            ];
            for (name, wanted) in steps {
                if !wanted {
                    continue;
                }
                // Debian builds zsh with /etc/zsh; others use /etc directly.
                let debian = format!("/etc/zsh/{name}");
                let system = if eval.file_exists(&debian, Syntax::Sh) {
                    debian
                } else {
                    format!("/etc/{name}")
                };
                read_if_exists(&mut eval, &system, Syntax::Sh);
                // $ZDOTDIR (set in a zshenv) moves the user's files.
                let dotdir = eval
                    .state
                    .vars
                    .get("ZDOTDIR")
                    .and_then(|v| v.value.clone())
                    .filter(|v| !v.is_empty())
                    .or_else(|| home.clone());
                if let Some(dotdir) = dotdir {
                    let path = format!("{}/.{name}", dotdir.trim_end_matches('/'));
                    read_if_exists(&mut eval, &path, Syntax::Sh);
                }
            }
        }
        Shell::Fish => {
            let mut snippets: BTreeMap<String, String> = BTreeMap::new();
            let mut dirs = vec!["/etc/fish/conf.d".to_string()];
            dirs.extend(user(".config/fish/conf.d"));
            for dir in dirs {
                for name in host.read_dir(Path::new(&dir)).unwrap_or_default() {
                    if name.ends_with(".fish") {
                        snippets.insert(name.clone(), format!("{dir}/{name}"));
                    }
                }
            }
            for path in snippets.into_values() {
                read_if_exists(&mut eval, &path, Syntax::Fish);
            }
            read_if_exists(&mut eval, "/etc/fish/config.fish", Syntax::Fish);
            if let Some(path) = user(".config/fish/config.fish") {
                read_if_exists(&mut eval, &path, Syntax::Fish);
            }
        }
    }
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

fn read_if_exists(eval: &mut Evaluator<'_>, path: &str, syntax: Syntax) {
    if eval.file_exists(path, syntax) {
        eval.read_startup_file(path, syntax);
    }
}

impl Evaluated {
    fn into_snapshot(self, host: &dyn Host, programs: &mut ProgramCache) -> Session {
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
