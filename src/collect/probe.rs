//! `doctor --probe`: does the toolchain really work? Live only, on request. In a temp
//! dir, with GOTOOLCHAIN=local (never download another toolchain), GOPROXY=off (no
//! network) and GOWORK=off (no go.work above the temp dir applies): `go version`,
//! `go env`, `go mod init` and `go build` of a hello-world module with cgo off, then
//! with cgo on when a C compiler is present. Outcomes are facts; rules GO051–GO054
//! judge them.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::host::{Host, RunError, RunRequest};
use crate::redact::redact_line;
use crate::snapshot::{CommandLookup, Mode, PathInfo, Probe, ProbeStep};

const QUICK: Duration = Duration::from_secs(10);
/// A cold build cache compiles the standard library first.
const BUILD: Duration = Duration::from_secs(180);

const MAIN_GO: &str = "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello from envgate --probe\") }\n";
/// Compiled only when cgo is on (the build constraint), so one module serves both builds.
const CGO_GO: &str = "//go:build cgo\n\npackage main\n\n// int answer(void) { return 42; }\nimport \"C\"\n\nvar _ = C.answer()\n";

pub fn collect(
    host: &dyn Host,
    path: &PathInfo,
    env: &BTreeMap<String, String>,
    commands: &BTreeMap<String, CommandLookup>,
) -> Option<Probe> {
    if host.mode() != Mode::Live {
        return None;
    }
    let go = path.resolved.get("go")?;
    let dir = tempfile::Builder::new()
        .prefix("envgate-probe-")
        .tempdir()
        .ok()?;
    let mut base_env = env.clone();
    base_env.insert("GOTOOLCHAIN".into(), "local".into());
    base_env.insert("GOPROXY".into(), "off".into());
    base_env.insert("GOWORK".into(), "off".into());

    let mut probe = Probe {
        dir: dir.path().display().to_string(),
        steps: Vec::new(),
    };
    let mut runner = Runner {
        host,
        go: Path::new(&go.path),
        dir: dir.path(),
        failed: false,
    };
    probe
        .steps
        .push(runner.step("version", &["version"], &base_env, QUICK));
    probe.steps.push(runner.step(
        "env",
        &["env", "GOROOT", "GOPATH", "GOCACHE"],
        &base_env,
        QUICK,
    ));
    probe.steps.push(runner.step(
        "mod-init",
        &["mod", "init", "envgate.probe/hello"],
        &base_env,
        QUICK,
    ));
    let written = std::fs::write(dir.path().join("main.go"), MAIN_GO)
        .and_then(|_| std::fs::write(dir.path().join("cgo.go"), CGO_GO));
    if let Err(e) = written {
        runner.failed = true;
        probe.steps.push(skipped(
            "build",
            &format!("cannot write the probe module: {e}"),
        ));
    }
    let mut cgo_off = base_env.clone();
    cgo_off.insert("CGO_ENABLED".into(), "0".into());
    probe
        .steps
        .push(runner.step("build", &["build", "-o", "hello", "."], &cgo_off, BUILD));

    if commands.get("CC").is_some_and(|cc| cc.found.is_some()) {
        let mut cgo_on = base_env;
        cgo_on.insert("CGO_ENABLED".into(), "1".into());
        probe.steps.push(runner.step(
            "build-cgo",
            &["build", "-o", "hello-cgo", "."],
            &cgo_on,
            BUILD,
        ));
    } else {
        probe.steps.push(skipped(
            "build-cgo",
            "no C compiler found (CC), so cgo was not tried",
        ));
    }
    Some(probe)
}

struct Runner<'a> {
    host: &'a dyn Host,
    go: &'a Path,
    dir: &'a Path,
    /// An earlier step failed: later ones would only fail for the same reason.
    failed: bool,
}

impl Runner<'_> {
    fn step(
        &mut self,
        name: &str,
        args: &[&str],
        env: &BTreeMap<String, String>,
        timeout: Duration,
    ) -> ProbeStep {
        let command = format!("go {}", args.join(" "));
        if self.failed {
            return ProbeStep {
                command,
                ..skipped(name, "an earlier step failed")
            };
        }
        let started = Instant::now();
        let result = self.host.run(&RunRequest {
            program: self.go,
            args,
            env,
            timeout,
            workdir: Some(self.dir),
        });
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let mut step = ProbeStep {
            name: name.to_string(),
            command,
            ran: true,
            ok: false,
            exit_code: None,
            note: None,
            output: None,
            duration_ms,
        };
        match result {
            Ok(output) => {
                step.exit_code = output.status;
                step.ok = output.status == Some(0);
                if !step.ok {
                    step.output = Some(first_lines(&output.stderr, &output.stdout));
                }
            }
            Err(RunError::TimedOut(limit)) => {
                step.note = Some(format!("stopped after {}s", limit.as_secs()))
            }
            Err(e) => step.note = Some(e.to_string()),
        }
        self.failed |= !step.ok;
        step
    }
}

fn skipped(name: &str, why: &str) -> ProbeStep {
    ProbeStep {
        name: name.to_string(),
        command: String::new(),
        ran: false,
        ok: false,
        exit_code: None,
        note: Some(why.to_string()),
        output: None,
        duration_ms: 0,
    }
}

/// What a person needs to see of a failure: its first lines, secrets redacted.
fn first_lines(stderr: &str, stdout: &str) -> String {
    let text = if stderr.trim().is_empty() {
        stdout
    } else {
        stderr
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .take(6)
        .map(redact_line)
        .collect::<Vec<_>>()
        .join("\n")
}
