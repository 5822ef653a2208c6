//! What the active toolchain says about itself, recorded beside envgate's own
//! computation. Live only, at most one cheap `go env VAR…` call (not `-json`, which
//! probes the C compiler), with `GOTOOLCHAIN=local` so a go.mod can never make it
//! download and run another toolchain.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::host::{Host, RunError, RunRequest};
use crate::snapshot::{Mode, ReportedGoEnv};

/// Plain variables: none of them makes cmd/go look for a C compiler.
pub const REPORTED_VARS: &[&str] = &[
    "GOROOT",
    "GOPATH",
    "GOVERSION",
    "GOENV",
    "GOMODCACHE",
    "GOBIN",
    "GOFLAGS",
    "GOPROXY",
    "GOSUMDB",
    "GO111MODULE",
];

pub const GO_TIMEOUT: Duration = Duration::from_secs(5);

/// `go`: the `go` that PATH resolves to.
pub fn collect(
    host: &dyn Host,
    go: Option<&str>,
    env: &BTreeMap<String, String>,
) -> Option<ReportedGoEnv> {
    if host.mode() != Mode::Live {
        return None;
    }
    let go = go?;
    let mut child_env = env.clone();
    child_env.insert("GOTOOLCHAIN".into(), "local".into());
    let mut args = vec!["env"];
    args.extend_from_slice(REPORTED_VARS);
    let request = RunRequest {
        program: Path::new(go),
        args: &args,
        env: &child_env,
        timeout: GO_TIMEOUT,
        workdir: None,
    };
    let mut reported = ReportedGoEnv {
        program: go.to_string(),
        vars: BTreeMap::new(),
        error: None,
    };
    match host.run(&request) {
        // --no-exec: record nothing rather than an error; the user asked for it.
        Err(RunError::NotAllowed(_)) => return None,
        Err(e) => reported.error = Some(e.to_string()),
        Ok(output) if output.status != Some(0) => {
            let message = output
                .stderr
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            reported.error = Some(format!(
                "exit status {}: {}",
                output
                    .status
                    .map_or("signal".to_string(), |c| c.to_string()),
                message
            ));
        }
        Ok(output) => {
            // One line per requested variable, in order.
            let lines: Vec<&str> = output.stdout.lines().collect();
            if lines.len() != REPORTED_VARS.len() {
                reported.error = Some(format!(
                    "expected {} lines from `go env`, got {}",
                    REPORTED_VARS.len(),
                    lines.len()
                ));
            }
            for (name, value) in REPORTED_VARS.iter().zip(lines) {
                reported.vars.insert(name.to_string(), value.to_string());
            }
        }
    }
    Some(reported)
}
