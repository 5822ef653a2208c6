//! Collectors: each turns Host facts into one section of the snapshot.
//!
//! Collectors report facts, never judgements: "PATH entry 3 is /mnt/c/Go/bin and holds
//! go.exe", not "PATH is wrong". Judgement lives in the Rego policies.

mod env;
mod go_env;
mod go_paths;
mod go_reported;
mod host_info;
mod path;
mod probe;
mod toolchains;
mod workspace;

use std::path::PathBuf;

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
}

/// Gathers the whole snapshot. Never fails: what cannot be read is recorded as absent.
pub fn collect(host: &dyn Host, options: &CollectOptions) -> Snapshot {
    let host_info = host_info::collect(host, options.user.as_deref());
    let env = env::collect(host, &host_info);
    let path = path::collect(host, env.vars.get("PATH").map(String::as_str));
    let toolchains = toolchains::collect(host, &path, host_info.home.as_deref());
    let active = toolchains::active_index(&toolchains, &path);
    let goenv = go_env::collect(
        host,
        &env.vars,
        &env.origins,
        active.map(|i| &toolchains[i]),
    );
    let goroot = go_paths::goroot_facts(host, &goenv.values);
    let tools_dir = go_paths::tools_dir(host, &goenv.values);
    let commands = go_paths::commands(host, &goenv.values, &path, &host_info.os);
    let reported = go_reported::collect(host, &path, &env.vars);
    let workspace = workspace::collect(host, options.workspace.as_deref());
    let probe = if options.probe {
        probe::collect(host, &path, &env.vars, &commands)
    } else {
        None
    };

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
        },
        workspace,
        probe,
    };
    // Last, so no collector can add a secret after redaction has run.
    crate::redact::redact_snapshot(&mut snapshot);
    snapshot
}
