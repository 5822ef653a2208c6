//! A Windows volume's snapshot: the same sections a Linux or macOS image fills, from
//! the registry hives and the disk, with Windows paths (`C:\Program Files\Go`) and
//! registry origins (`HKCU\Environment\Path`) where a Linux image has file:line. No
//! shell file is read: a new Windows session's environment is the registry's, so the
//! four sessions have one PATH, each named for what it is on Windows.

mod commands;
mod defender;
mod environment;
mod go_env;
mod installs;
mod policy;
mod pwsh;
mod wsl_disks;

use std::collections::BTreeMap;
use std::path::Path;

use crate::host::Host;
use crate::host::registry::Hive;
use crate::host::windows::join;
use crate::snapshot::{
    FoundProgram, HiveRead, HostInfo, Origin, PathEntry, PathInfo, Session, SessionPathEntry,
    SessionResolved, SessionVar, Sessions, ShellInfo, ToolLookup, ToolsDir, WindowsFacts,
};

pub use environment::{MACHINE_KEY, USER_KEY};
pub(crate) use installs::WINDOWS_FILES;

/// Programs looked for on PATH, as `NAME.exe`, recorded by `NAME`.
const PROGRAMS: &[&str] = &[
    "cc",
    "clang",
    "dlv",
    "gcc",
    "go",
    "gofmt",
    "gopls",
    "pkg-config",
    "pkgconf",
];

const SYSTEM_HIVE: &str = crate::host::windows::SYSTEM_HIVE;
const SOFTWARE_HIVE: &str = r"C:\Windows\System32\config\SOFTWARE";

/// What the collector derives before the shared sections.
pub struct Collected {
    pub env: BTreeMap<String, String>,
    pub env_origin: BTreeMap<String, Origin>,
    pub path: PathInfo,
    pub shell: ShellInfo,
    pub toolchains: Vec<crate::snapshot::Toolchain>,
    pub active: Option<usize>,
    pub go_env: BTreeMap<String, crate::snapshot::GoEnvValue>,
    pub goenv_file: crate::snapshot::GoEnvFile,
    pub tools_dir: Option<ToolsDir>,
    /// CC, CXX and PKG_CONFIG looked up on Path as Windows programs.
    pub commands: BTreeMap<String, crate::snapshot::CommandLookup>,
    pub facts: WindowsFacts,
}

fn open_hive(host: &dyn Host, name: &str, file: &str, hives: &mut Vec<HiveRead>) -> Option<Hive> {
    let result = Hive::open(host, Path::new(file));
    hives.push(HiveRead {
        hive: name.to_string(),
        file: file.to_string(),
        read: result.is_ok(),
        error: result.as_ref().err().cloned(),
    });
    result.ok()
}

/// The control set `Select\Current` names (`ControlSet001`).
fn control_set(system: Option<&mut Hive>) -> Option<String> {
    let current = system?.value("Select", "Current")?.number()?;
    Some(format!("ControlSet{current:03}"))
}

/// The computer's name, for the host facts.
pub fn computer_name(host: &dyn Host) -> Option<String> {
    let mut system = Hive::open(host, Path::new(SYSTEM_HIVE)).ok()?;
    let set = control_set(Some(&mut system))?;
    let key = format!(r"{set}\Control\ComputerName\ComputerName");
    system
        .value(&key, "ComputerName")?
        .text()
        .map(str::to_string)
}

pub fn collect(host: &dyn Host, host_info: &HostInfo) -> Collected {
    let mut hives = Vec::new();
    let mut system = open_hive(host, r"HKLM\SYSTEM", SYSTEM_HIVE, &mut hives);
    let mut software = open_hive(host, r"HKLM\SOFTWARE", SOFTWARE_HIVE, &mut hives);
    let home = host_info.home.clone();
    let mut user = home
        .as_deref()
        .and_then(|h| open_hive(host, "HKCU", &join(h, "NTUSER.DAT"), &mut hives));
    let set = control_set(system.as_mut());

    let mut env = environment::system_defined(host_info.hostname.as_deref());
    let mut paths = Vec::new();
    if let Some(set) = &set {
        let key = format!(r"{set}\Control\Session Manager\Environment");
        environment::add_key(
            &mut env,
            system.as_mut(),
            &key,
            MACHINE_KEY,
            "machine",
            &mut paths,
        );
    }
    if let (Some(name), Some(home)) = (&host_info.user, &home) {
        environment::add_profile(&mut env, name, home);
    }
    environment::add_key(
        &mut env,
        user.as_mut(),
        "Environment",
        USER_KEY,
        "user",
        &mut paths,
    );
    environment::finish_path(&mut env, &paths);

    let path = path_info(host, env.vars.get("PATH").map(String::as_str));
    let session_path: Vec<SessionPathEntry> = env
        .path
        .iter()
        .map(|e| SessionPathEntry {
            dir: Some(e.dir.clone()),
            raw: e.raw.clone(),
            source: "registry".into(),
            file: Some(e.origin.clone()),
            line: None,
            assumed: false,
            programs: programs_in(host, &e.dir),
            dir_facts: None,
        })
        .collect();
    let sessions = sessions(&env, session_path, &path);

    let toolchains = installs::collect(host, &path, home.as_deref());
    let active = path.resolved.get("go").and_then(|winner| {
        toolchains
            .iter()
            .position(|t| t.path_index == Some(winner.index))
    });
    let goenv = go_env::collect(
        host,
        &env.vars,
        &env.origins,
        &path,
        active.map(|i| &toolchains[i]),
    );
    let commands = commands::commands(
        host,
        &goenv.values,
        &path,
        env.vars.get("PATHEXT").map(String::as_str),
    );
    let mut tools_dir = tools_dir(host, &goenv.values);
    if let Some(dir) = tools_dir.as_mut() {
        dir.lookups = lookups(dir, &sessions);
    }

    let defender = defender::collect(
        software.as_mut(),
        &system_account_env(host_info, system.as_mut(), set.as_deref()),
        &env,
        &defender_dirs(&goenv.values, tools_dir.as_ref()),
    );
    let powershell7 = {
        let documents = home
            .as_deref()
            .map(|h| pwsh::documents(user.as_mut(), h, |raw| env.expand(raw).0));
        pwsh::collect(host, software.as_mut(), user.as_mut(), documents.as_deref())
    };
    let facts = WindowsFacts {
        long_paths: set
            .as_deref()
            .and_then(|s| policy::long_paths(system.as_mut(), s)),
        control_set: set,
        hives,
        variables: env.variables.clone(),
        path: env.path.clone(),
        execution_policy: policy::execution_policy(software.as_mut(), user.as_mut()),
        virtual_store: installs::virtual_store(
            host,
            env.vars.get("LOCALAPPDATA").map(String::as_str),
        ),
        msi_install_location: policy::msi_install_location(user.as_mut()),
        wsl: wsl_disks::collect(host, user.as_mut()),
        powershell7,
        defender,
    };
    Collected {
        env: env.vars,
        env_origin: env.origins,
        path,
        shell: ShellInfo {
            login_shell: "none".into(),
            files: Vec::new(),
            sessions,
            installed_managers: Vec::new(),
        },
        toolchains,
        active,
        go_env: goenv.values,
        goenv_file: goenv.file,
        tools_dir,
        commands,
        facts,
    }
}

/// The environment of the SYSTEM account, which Defender expands its exclusions with:
/// the system's and the machine's variables, and the SYSTEM profile's.
fn system_account_env(
    host_info: &HostInfo,
    system: Option<&mut Hive>,
    set: Option<&str>,
) -> environment::Environment {
    let mut env = environment::system_defined(host_info.hostname.as_deref());
    if let Some(set) = set {
        let key = format!(r"{set}\Control\Session Manager\Environment");
        let mut paths = Vec::new();
        environment::add_key(&mut env, system, &key, MACHINE_KEY, "machine", &mut paths);
    }
    environment::add_profile(&mut env, "SYSTEM", defender::SYSTEM_PROFILE);
    env
}

/// The user's Go directories that are written on every build and install: GOCACHE,
/// GOMODCACHE and where `go install` puts programs (GOBIN, else GOPATH's bin).
fn defender_dirs(
    values: &BTreeMap<String, crate::snapshot::GoEnvValue>,
    tools: Option<&ToolsDir>,
) -> Vec<(&'static str, String)> {
    let mut dirs = Vec::new();
    for name in ["GOCACHE", "GOMODCACHE"] {
        if let Some(v) = values
            .get(name)
            .filter(|v| !v.value.is_empty() && v.value != "off")
        {
            dirs.push((name, v.value.clone()));
        }
    }
    if let Some(tools) = tools {
        dirs.push(("GOBIN", tools.path.clone()));
    }
    dirs
}

/// The programs of interest in a directory (`go.exe` recorded as `go`).
fn programs_in(host: &dyn Host, dir: &str) -> Vec<String> {
    if !host.is_dir(Path::new(dir)) {
        return Vec::new();
    }
    PROGRAMS
        .iter()
        .filter(|name| {
            host.metadata(Path::new(&join(dir, &format!("{name}.exe"))))
                .is_ok_and(|m| m.is_file)
        })
        .map(|name| name.to_string())
        .collect()
}

/// PATH split at `;`, each entry with what it holds.
fn path_info(host: &dyn Host, raw: Option<&str>) -> PathInfo {
    let Some(raw) = raw else {
        return PathInfo {
            raw: None,
            entries: Vec::new(),
            resolved: BTreeMap::new(),
        };
    };
    let entries: Vec<PathEntry> = raw
        .split(';')
        .enumerate()
        .map(|(index, text)| {
            let b = text.as_bytes();
            let absolute = (b.len() >= 3 && b[1] == b':' && matches!(b[2], b'\\' | b'/'))
                || text.starts_with(r"\\");
            let meta = absolute
                .then(|| host.metadata(Path::new(text)).ok())
                .flatten();
            let is_dir = meta.is_some_and(|m| m.is_dir);
            PathEntry {
                index,
                raw: text.to_string(),
                empty: text.is_empty(),
                relative: !text.is_empty() && !absolute,
                tilde: false,
                exists: meta.is_some(),
                is_dir,
                owner_uid: None,
                mode: None,
                world_writable: false,
                programs: if is_dir {
                    programs_in(host, text)
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    let resolved =
        crate::collect::path::resolve_programs(host, &entries, PROGRAMS, |dir, program| {
            join(dir, &format!("{program}.exe"))
        });
    PathInfo {
        raw: Some(raw.to_string()),
        entries,
        resolved,
    }
}

/// The Go-related variables a session has, with their keys.
fn session_vars(env: &environment::Environment) -> BTreeMap<String, SessionVar> {
    env.vars
        .iter()
        .filter(|(name, _)| {
            name.starts_with("GO")
                || name.starts_with("CGO_")
                || matches!(
                    name.as_str(),
                    "CC" | "CXX" | "HTTP_PROXY" | "HTTPS_PROXY" | "NO_PROXY"
                )
        })
        .map(|(name, value)| {
            let origin = env.origins.get(name);
            let var = SessionVar {
                value: Some(value.clone()),
                exported: true,
                source: if origin.is_some() {
                    "registry"
                } else {
                    "default"
                }
                .into(),
                file: origin.map(|o| o.file.clone()),
                line: None,
                assumed: false,
            };
            (name.clone(), var)
        })
        .collect()
}

fn sessions(
    env: &environment::Environment,
    path: Vec<SessionPathEntry>,
    info: &PathInfo,
) -> Sessions {
    let resolved: BTreeMap<String, SessionResolved> = info
        .resolved
        .iter()
        .map(|(name, r)| {
            let entry = SessionResolved {
                index: r.index,
                dir: info.entries[r.index].raw.clone(),
                realpath: r.realpath.clone(),
            };
            (name.clone(), entry)
        })
        .collect();
    let set_at = env.origins.get("PATH").cloned();
    let session = |description: &str, login: bool, interactive: bool| Session {
        description: description.to_string(),
        shell: "none".into(),
        program: None,
        login,
        interactive,
        files_read: Vec::new(),
        path: path.clone(),
        path_value: info.raw.clone().unwrap_or_default(),
        path_set_at: set_at.clone(),
        resolved: resolved.clone(),
        vars: session_vars(env),
        activations: Vec::new(),
        unknowns: Vec::new(),
        unsupported: Vec::new(),
    };
    Sessions {
        login: session(
            "a new Windows logon (its environment is the registry's: machine variables, then the user's; Path is the machine Path followed by the user Path)",
            true,
            false,
        ),
        terminal: session(
            "a new terminal (PowerShell, cmd or Windows Terminal, started after logon: the registry's environment)",
            false,
            true,
        ),
        gui: session(
            "Explorer and the apps started from it (the registry's environment of the logon)",
            true,
            false,
        ),
        editor: session(
            "VS Code started from the Start menu (the registry's environment of the logon)",
            false,
            false,
        ),
    }
}

/// GOBIN, else the first GOPATH entry's `bin`, and the programs (`*.exe`) in it.
fn tools_dir(
    host: &dyn Host,
    env: &BTreeMap<String, crate::snapshot::GoEnvValue>,
) -> Option<ToolsDir> {
    let (path, source) = match env.get("GOBIN").filter(|v| !v.value.is_empty()) {
        Some(gobin) => (gobin.value.clone(), "GOBIN"),
        None => {
            let gopath = env.get("GOPATH")?;
            let first = gopath.value.split(';').next().filter(|p| !p.is_empty())?;
            (join(first, "bin"), "GOPATH")
        }
    };
    let exists = host.is_dir(Path::new(&path));
    let mut programs: Vec<String> = if exists {
        host.read_dir(Path::new(&path))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|name| {
                let stem = name
                    .strip_suffix(".exe")
                    .or_else(|| name.strip_suffix(".EXE"))?;
                host.metadata(Path::new(&join(&path, &name)))
                    .is_ok_and(|m| m.is_file)
                    .then(|| stem.to_string())
            })
            .collect()
    } else {
        Vec::new()
    };
    programs.sort();
    Some(ToolsDir {
        path,
        source: source.into(),
        exists,
        programs,
        lookups: Vec::new(),
    })
}

fn same_dir(a: &str, b: &str) -> bool {
    a.trim_end_matches('\\')
        .eq_ignore_ascii_case(b.trim_end_matches('\\'))
}

/// Where each session's PATH lookup of each tool lands.
fn lookups(dir: &ToolsDir, sessions: &Sessions) -> Vec<ToolLookup> {
    let mut out = Vec::new();
    for (name, session) in [
        ("editor", &sessions.editor),
        ("gui", &sessions.gui),
        ("login", &sessions.login),
        ("terminal", &sessions.terminal),
    ] {
        for program in &dir.programs {
            let found = session
                .path
                .iter()
                .enumerate()
                .find(|(_, e)| {
                    e.programs.iter().any(|p| p == program)
                        || same_dir(e.dir.as_deref().unwrap_or(""), &dir.path)
                            && dir.programs.contains(program)
                })
                .map(|(index, e)| FoundProgram {
                    index,
                    dir: e.dir.clone().unwrap_or_default(),
                    realpath: None,
                });
            out.push(ToolLookup {
                session: name.into(),
                program: program.clone(),
                from_tools_dir: found.as_ref().is_some_and(|f| same_dir(&f.dir, &dir.path)),
                found,
                unknown_before: false,
            });
        }
    }
    out
}
