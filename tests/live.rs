//! Live mode: the only program envgate runs is the Go toolchain, once, with
//! GOTOOLCHAIN=local, a timeout and a neutral working directory. These tests use a
//! fake `go` that replays real captured `go env -json` output, so no Go is needed;
//! the last test uses the real `go` when one is installed.

mod support;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Real `go env -json` output of Debian's go1.19.8.
fn captured_go_env() -> BTreeMap<String, String> {
    let path = support::repo_root().join("tests/fixtures/go-env-1.19.8-debian.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Writes `bin/go`: answers `go env VAR…` from the captured output, one line per
/// variable as the real one does, and records how it was called.
fn fake_go(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let mut cases = String::new();
    for (name, value) in captured_go_env() {
        cases.push_str(&format!("    {name}) printf '%s\\n' '{value}' ;;\n"));
    }
    let script = format!(
        "#!/bin/sh\n\
         printf 'GOTOOLCHAIN=%s\\nPWD=%s\\nARGS=%s\\n' \"$GOTOOLCHAIN\" \"$(pwd)\" \"$*\" > \"{calls}\"\n\
         [ \"$1\" = env ] || exit 2\n\
         shift\n\
         for var in \"$@\"; do\n  case \"$var\" in\n{cases}    *) echo ;;\n  esac\ndone\n",
        calls = dir.join("calls").display(),
    );
    let go = bin.join("go");
    std::fs::write(&go, script).unwrap();
    std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn envgate_with_fake_go(dir: &Path) -> Command {
    let bin = fake_go(dir);
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    cmd.env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("HOME", &home)
        .current_dir(support::repo_root());
    cmd
}

#[test]
fn the_toolchain_is_asked_once_with_gotoolchain_local_in_a_neutral_directory() {
    let dir = tempfile::tempdir().unwrap();
    let output = envgate_with_fake_go(dir.path())
        .arg("snapshot")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let snapshot: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let reported = &snapshot["go"]["reported"];
    assert_eq!(reported["error"], serde_json::Value::Null);
    assert_eq!(reported["vars"]["GOROOT"], "/usr/lib/go-1.19");
    assert_eq!(reported["vars"]["GOVERSION"], "go1.19.8");
    assert_eq!(
        reported["vars"]["GOPROXY"],
        "https://proxy.golang.org,direct"
    );

    let calls = std::fs::read_to_string(dir.path().join("calls")).unwrap();
    assert!(calls.contains("GOTOOLCHAIN=local"), "{calls}");
    assert!(calls.contains("ARGS=env GOROOT GOPATH"), "{calls}");
    assert!(
        !calls.contains("-json"),
        "go env -json probes the C compiler: {calls}"
    );
    let pwd = calls.lines().find_map(|l| l.strip_prefix("PWD=")).unwrap();
    assert_ne!(
        Path::new(pwd),
        support::repo_root(),
        "go ran in the checked project"
    );
}

#[test]
fn no_exec_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let output = envgate_with_fake_go(dir.path())
        .args(["snapshot", "--no-exec"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let snapshot: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(snapshot["go"]["reported"], serde_json::Value::Null);
    assert!(!dir.path().join("calls").exists(), "--no-exec ran go");
}

#[test]
fn doctor_prints_a_grouped_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let assert = envgate_with_fake_go(dir.path())
        .arg("doctor")
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(out.starts_with("envgate: checked this machine"), "{out}");
    assert!(
        out.contains("[+] Toolchain")
            || out.contains("[x] Toolchain")
            || out.contains("[!] Toolchain"),
        "{out}"
    );
    // The go pack's Windows rules judge another system than this one.
    assert!(
        out.contains(" rules: ") || out.contains(" judge another system): "),
        "{out}"
    );
}

#[test]
fn a_hanging_program_is_stopped_at_the_timeout() {
    use envgate::host::{Host, LiveHost, RunError, RunRequest};
    let host = LiveHost::with_env(BTreeMap::new(), true);
    let env = BTreeMap::new();
    // TimedOut is only returned by the kill at the timeout (sleep 5 would exit 0).
    let result = host.run(&RunRequest {
        program: Path::new("/bin/sleep"),
        args: &["5"],
        env: &env,
        timeout: std::time::Duration::from_millis(200),
        workdir: None,
    });
    assert!(matches!(result, Err(RunError::TimedOut(_))), "{result:?}");
}

/// With a real Go installed, envgate's own computation must agree with the toolchain.
#[test]
fn computed_go_env_agrees_with_a_real_go() {
    let Some(go) = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("go"))
            .find(|candidate| candidate.is_file())
    }) else {
        eprintln!("skipped: no real `go` on PATH (install golang-go to run this test)");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home.path())
        .arg("snapshot")
        .output()
        .unwrap();
    assert!(output.status.success());
    let snapshot: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let reported = &snapshot["go"]["reported"];
    assert_eq!(
        reported["error"],
        serde_json::Value::Null,
        "running {}",
        go.display()
    );
    for name in [
        "GOROOT",
        "GOPATH",
        "GOVERSION",
        "GOMODCACHE",
        "GOPROXY",
        "GOSUMDB",
        "GOENV",
    ] {
        assert_eq!(
            snapshot["go"]["env"][name]["value"],
            reported["vars"][name],
            "{name}: envgate computed something else than {} reports",
            go.display()
        );
    }
}
