//! `$(go env VAR)` in a startup file (`export PATH="$PATH:$(go env GOPATH)/bin"`, the
//! line Go's install docs give), modelled instead of run.
//!
//! The snapshot's Go settings (`collect::go_env`) are computed after the sessions,
//! from the terminal session's environment. A startup file asks earlier, with the
//! environment built so far, so this computes the same thing from the same inputs at
//! that point: the session's exported variables as the OS environment, the `$GOENV`
//! file, `$GOROOT/go.env` and cmd/go's defaults, through `go_env::collect` itself so
//! the two can never disagree on the order. GOROOT, when nothing sets it, comes from
//! the `go` the shell would run: the directory above the `bin` holding it, symlinks
//! resolved (cmd/go's `findGOROOT`).

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use super::eval::Evaluator;
use crate::collect::go_env;

/// Settings `go env` prints as an empty line when nothing sets them (no default).
const EMPTY_BY_DEFAULT: &[&str] = &["GOBIN", "GOFLAGS", "GOINSECURE", "GOPRIVATE", "GOTMPDIR"];

impl Evaluator<'_> {
    /// What `PROGRAM env NAME` prints, or `None` when it cannot be known (a shim, an
    /// unknown PATH entry before any `go`, a setting cmd/go computes from the machine
    /// such as CGO_ENABLED). A `go` the shell does not find prints nothing on standard
    /// output ("command not found" goes to standard error), so the text is empty.
    pub(super) fn go_env_output(&mut self, program: &str, name: &str) -> Option<String> {
        let binary = match self.find_go(program) {
            Found::Binary(path) => path,
            Found::Missing => return Some(String::new()),
            Found::Unknown => return None,
        };
        let goroot = self.goroot_of(&binary)?;
        let mut env: BTreeMap<String, String> = self
            .state
            .vars
            .iter()
            .filter(|(_, var)| var.exported)
            .filter_map(|(name, var)| Some((name.clone(), var.value.clone()?)))
            .collect();
        let origins = BTreeMap::new();
        // The PATH built so far decides what cmd/go finds (a C compiler for CGO_ENABLED).
        let path = crate::collect::path::collect(self.host, env.get("PATH").map(String::as_str));
        let mut values = go_env::collect(self.host, &env, &origins, &path, None).values;
        if !values.contains_key("GOROOT") {
            env.insert("GOROOT".to_string(), goroot);
            values = go_env::collect(self.host, &env, &origins, &path, None).values;
        }
        match values.get(name) {
            Some(value) => Some(value.value.clone()),
            None if EMPTY_BY_DEFAULT.contains(&name) => Some(String::new()),
            None => None,
        }
    }

    fn find_go(&mut self, program: &str) -> Found {
        if program.contains('/') {
            return if self.is_executable_file(program) {
                Found::Binary(program.to_string())
            } else {
                Found::Missing
            };
        }
        self.work += self.state.path.len() * super::limits::SCAN_COST;
        for seg in Rc::clone(&self.state.path).iter() {
            match seg.dir.as_deref() {
                Some(dir) if dir.starts_with('/') => {
                    let candidate = format!("{}/{program}", dir.trim_end_matches('/'));
                    if self.is_executable_file(&candidate) {
                        return Found::Binary(candidate);
                    }
                }
                // An empty or relative entry depends on the working directory.
                Some(_) => return Found::Unknown,
                None => return Found::Unknown,
            }
        }
        Found::Missing
    }

    /// GOROOT as cmd/go finds it from its own executable: `<GOROOT>/bin/go`, symlinks
    /// resolved. A script (a version manager's shim) runs some other go: unknown.
    fn goroot_of(&self, binary: &str) -> Option<String> {
        let real = self.host.canonicalize(Path::new(binary)).ok()?;
        let head = self.host.read_limited(&real, 2).ok()?;
        if head.starts_with(b"#!") {
            return None;
        }
        let bin = real.parent()?;
        if bin.file_name()? != "bin" {
            return None;
        }
        Some(bin.parent()?.display().to_string())
    }

    pub(super) fn is_executable_file(&self, path: &str) -> bool {
        self.host
            .metadata(Path::new(path))
            .is_ok_and(|m| m.is_executable_file())
    }
}

enum Found {
    Binary(String),
    Missing,
    Unknown,
}
