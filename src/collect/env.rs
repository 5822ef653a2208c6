//! The environment the checks judge.
//!
//! Live, it is the process environment. For an image nothing runs, so it is the
//! environment a terminal on that image would have: the `terminal` session the shell
//! collector reconstructs (the desktop session's environment: `/etc/environment`,
//! environment.d, `/etc/profile` and `~/.profile` read by /bin/sh; then the user's shell
//! as a non-login interactive shell reading its interactive files), every exported variable
//! whose value could be evaluated, each tagged with the file and line that set it.
//! PATH holds the entries that could be evaluated; the others are listed, with why, in
//! `shell.sessions.terminal`.

use std::collections::BTreeMap;

use super::shell::Collected;
use crate::host::Host;
use crate::snapshot::{Mode, Origin};

pub struct Environment {
    pub vars: BTreeMap<String, String>,
    pub origins: BTreeMap<String, Origin>,
}

pub fn collect(host: &dyn Host, shell: &Collected) -> Environment {
    match (host.mode(), host.process_env()) {
        (Mode::Live, Some(env)) => Environment {
            vars: env.clone(),
            origins: BTreeMap::new(),
        },
        _ => Environment {
            vars: shell.terminal_env.clone(),
            origins: shell.terminal_origins.clone(),
        },
    }
}
