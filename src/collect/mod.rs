//! Collectors: each turns Host facts into one section of the snapshot.
//!
//! Collectors report facts, never judgements: "PATH entry 3 is /mnt/c/Go/bin and holds
//! go.exe", not "PATH is wrong". Judgement lives in the Rego policies.

mod editor;
mod env;
pub(crate) mod go_env;
mod go_env_defaults;
mod go_paths;
mod go_reported;
mod go_tools;
mod host_info;
mod launchd;
mod mounts;
pub mod net;
pub(crate) mod path;
mod path_style;
mod pins;
mod probe;
pub mod quoted;
mod security;
mod session;
mod shell;
mod shell_facts;
mod systemd_user;
mod tls;
pub(crate) mod toolchains;
mod windows;
mod workspace;
mod wsl;

use std::path::PathBuf;
use std::thread::ScopedJoinHandle;

use path_style::PathStyle;

/// For the oracle test that holds the GOFLAGS split to real toolchains.
#[doc(hidden)]
pub use go_env::split_goflags;
pub use go_env_defaults::NOT_COMPUTED as GO_ENV_NOT_COMPUTED;

/// Every variable of `go env` that envgate computes (absent from the snapshot when
/// computed as empty). The rest are [`GO_ENV_NOT_COMPUTED`].
pub fn go_env_computed() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = go_env::SETTABLE
        .iter()
        .chain(go_env_defaults::DERIVED)
        .copied()
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

use crate::host::Host;
use crate::snapshot::{GoInfo, SCHEMA_VERSION, Snapshot};

/// What to collect beyond the machine itself.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    /// The directory whose go.mod / go.work are checked (inside the host).
    pub workspace: Option<PathBuf>,
    /// For an image: the account whose environment is judged (default: the first
    /// regular user with a home directory, else root).
    pub user: Option<String>,
    /// Live only: build a hello-world module to see that the toolchain really works.
    pub probe: bool,
    /// Live only: `--probe net`, the module download chain layer by layer.
    pub net: Option<net::NetOptions>,
}

/// Gathers the whole snapshot: what cannot be read is recorded as absent. Fails only
/// when the last redaction pass cannot be applied (nothing is then output).
pub fn collect(host: &dyn Host, options: &CollectOptions) -> Result<Snapshot, crate::error::Error> {
    let host_info = host_info::collect(host, options.user.as_deref());
    if host_info.os == "windows" {
        return collect_windows(host, options, host_info);
    }
    let shell = shell::collect(host, &host_info);
    let env = env::collect(host, &shell);
    std::thread::scope(|scope| {
        // The CA bundle (a hundred certificates to parse) needs nothing the other
        // collectors find: it is read beside them.
        let tls = scope.spawn({
            let (os, vars) = (host_info.os.clone(), env.vars.clone());
            move || tls::collect(host, &os, &vars)
        });
        let path = path::collect(host, env.vars.get("PATH").map(String::as_str));
        // The one `go` call (live mode) is mostly waiting for another process to start
        // and answer: it runs beside the rest of the collection.
        let reported = host.may_run().then(|| {
            let go = path.resolved.get("go").map(|go| go.path.clone());
            let vars = env.vars.clone();
            scope.spawn(move || go_reported::collect(host, go.as_deref(), &vars))
        });
        let beside = Beside { tls, reported };
        collect_unix(host, options, host_info, shell, env, path, beside)
    })
}

/// What other threads read while [`collect_unix`] runs.
struct Beside<'scope> {
    tls: ScopedJoinHandle<'scope, crate::snapshot::TlsInfo>,
    /// `None` where no program may run.
    reported: Option<ScopedJoinHandle<'scope, Option<crate::snapshot::ReportedGoEnv>>>,
}

/// A scoped thread's result; its panic goes on in the caller.
fn joined<T>(handle: ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The rest of a Unix snapshot, once the sessions and PATH are known; it waits for
/// what `beside` reads where it needs it.
fn collect_unix(
    host: &dyn Host,
    options: &CollectOptions,
    host_info: crate::snapshot::HostInfo,
    shell: shell::Collected,
    env: env::Environment,
    path: crate::snapshot::PathInfo,
    beside: Beside<'_>,
) -> Result<Snapshot, crate::error::Error> {
    let toolchains = toolchains::collect(host, &path, host_info.home.as_deref());
    let active = toolchains::active_index(&toolchains, &path);
    let mut goenv = go_env::collect(
        host,
        &env.vars,
        &env.origins,
        &path,
        active.map(|i| &toolchains[i]),
    );
    let goroot = go_paths::goroot_facts(host, &goenv.values);
    let mut tools_dir = go_paths::tools_dir(host, &goenv.values);
    if let Some(dir) = tools_dir.as_mut() {
        dir.lookups = path::tool_lookups(host, dir, &shell.shell.sessions, &path);
    }
    let commands = go_paths::commands(host, &goenv.values, &path, &host_info.os);
    let reported = beside.reported.and_then(joined);
    let workspace = workspace::collect(
        host,
        options.workspace.as_deref(),
        PathStyle::Unix,
        &goenv.values,
    );
    go_env_defaults::apply_module_files(
        &mut goenv.values,
        &workspace,
        active.map(|i| &toolchains[i]),
        PathStyle::Unix,
    );
    let go_settings = go_paths::settings(
        host,
        &goenv.values,
        &host_info.os,
        active.and_then(|i| toolchains[i].version.as_deref()),
    );
    let goroot_layout = toolchains::goroot_layout(
        host,
        goenv.values.get("GOROOT").map(|g| g.value.as_str()),
        toolchains::UNIX_FILES,
    );
    let install_links = toolchains::install_links(host, &path);
    let (version_managers, version_pins) = pins::collect(
        host,
        host_info.home.as_deref(),
        options.workspace.as_deref(),
        &env.vars,
    );
    let wsl = wsl::collect(host, &path);
    let downloaded_toolchains = go_tools::downloaded_toolchains(host, &goenv.values);
    let tool_binaries = go_tools::tool_binaries(host, tools_dir.as_ref(), &path);
    let probe = if options.probe {
        probe::collect(host, &path, &env.vars, &commands)
    } else {
        None
    };

    let net_probe = match &options.net {
        Some(net_options) if host.mode() == crate::snapshot::Mode::Live => Some(net::collect(
            &env.vars,
            &goenv.values,
            &workspace,
            net_options,
        )),
        _ => None,
    };

    let tls = joined(beside.tls);
    let editor = editor::collect(
        host,
        host_info.home.as_deref(),
        &env.vars,
        options.workspace.as_deref(),
        PathStyle::Unix,
        &path,
    );
    let security = security::collect(
        host,
        &host_info,
        &env.vars,
        &goenv.values,
        options.workspace.as_deref(),
    );
    let mounts = mounts::collect(host, &goenv.values, &env.vars);

    let mut snapshot = Snapshot {
        schema_version: SCHEMA_VERSION,
        mode: host.mode(),
        host: host_info,
        env: env.vars,
        env_origin: env.origins,
        redactions: Vec::new(),
        path,
        go: GoInfo {
            toolchains,
            active,
            env: goenv.values,
            goroot,
            tools_dir,
            commands,
            goenv_file: goenv.file,
            reported,
            goroot_layout,
            install_links,
            version_managers,
            version_pins,
            wsl,
            downloaded_toolchains,
            tool_binaries,
        },
        workspace,
        probe,
        net_probe,
        go_settings,
        tls,
        editor,
        security,
        mounts,
        shell: shell.shell,
        systemd_user: shell.systemd,
        windows: None,
        // Filled by `envgate check --machine PATH…` (src/files), never by a collector.
        files: Vec::new(),
        files_summary: Default::default(),
    };
    // Last, so no collector can add a secret after redaction has run.
    crate::timings::mark("collect");
    crate::redact::redact_snapshot(&mut snapshot)?;
    crate::timings::mark("redact");
    Ok(snapshot)
}

/// A Windows volume: the registry's environment and Windows' install places instead
/// of shell files (see [`windows`]); the sections that read Linux files (TLS roots,
/// mounts, owners and modes) stay empty.
fn collect_windows(
    host: &dyn Host,
    options: &CollectOptions,
    host_info: crate::snapshot::HostInfo,
) -> Result<Snapshot, crate::error::Error> {
    let win = windows::collect(host, &host_info);
    let mut values = win.go_env;
    let workspace = workspace::collect(
        host,
        options.workspace.as_deref(),
        PathStyle::Windows,
        &values,
    );
    go_env_defaults::apply_module_files(
        &mut values,
        &workspace,
        win.active.map(|i| &win.toolchains[i]),
        PathStyle::Windows,
    );
    let goroot = go_paths::goroot_facts(host, &values);
    let goroot_layout = toolchains::goroot_layout(
        host,
        values.get("GOROOT").map(|g| g.value.as_str()),
        windows::WINDOWS_FILES,
    );
    let go_settings = go_paths::settings(
        host,
        &values,
        "windows",
        win.active
            .and_then(|i| win.toolchains[i].version.as_deref()),
    );
    let editor = editor::collect(
        host,
        host_info.home.as_deref(),
        &win.env,
        options.workspace.as_deref(),
        PathStyle::Windows,
        &win.path,
    );
    let mut snapshot = Snapshot {
        schema_version: SCHEMA_VERSION,
        mode: host.mode(),
        host: host_info,
        env: win.env,
        env_origin: win.env_origin,
        redactions: Vec::new(),
        path: win.path,
        go: GoInfo {
            toolchains: win.toolchains,
            active: win.active,
            env: values,
            goroot,
            tools_dir: win.tools_dir,
            commands: win.commands,
            goenv_file: win.goenv_file,
            reported: None,
            goroot_layout,
            install_links: Vec::new(),
            version_managers: Vec::new(),
            version_pins: Vec::new(),
            wsl: Default::default(),
            downloaded_toolchains: Vec::new(),
            tool_binaries: Vec::new(),
        },
        workspace,
        probe: None,
        net_probe: None,
        go_settings,
        tls: Default::default(),
        editor,
        security: Default::default(),
        mounts: Default::default(),
        shell: win.shell,
        systemd_user: Default::default(),
        windows: Some(win.facts),
        files: Vec::new(),
        files_summary: Default::default(),
    };
    crate::timings::mark("collect");
    crate::redact::redact_snapshot(&mut snapshot)?;
    crate::timings::mark("redact");
    Ok(snapshot)
}
