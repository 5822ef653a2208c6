//! `doctor --probe` with a fake `go` that can be told which step to fail, so the
//! live-only rules GO051–GO054 have triggering and clean fixtures without Go
//! installed. The last test probes the real `go` when one is installed.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use assert_cmd::Command;

const FAKE_GO: &str = r#"#!/bin/sh
# A stand-in for the go command: answers the probe's steps, failing those named in
# FAKE_GO_FAIL, and records each call.
echo "$*" >> "$FAKE_GO_LOG"
step="$1"
[ "$1" = mod ] && step=mod-init
[ "$1" = build ] && [ "$CGO_ENABLED" = 1 ] && step=build-cgo
case " $FAKE_GO_FAIL " in
  *" $step "*) echo "go: fake failure in $step" >&2; exit 1 ;;
esac
case "$1" in
  version) echo "go version go1.19.8 linux/amd64" ;;
  env) shift; for var in "$@"; do echo "/fake/$var"; done ;;
  mod) echo "module $3" > go.mod ;;
  build) touch "$3" ;;
esac
"#;

fn write_program(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Runs `doctor --probe --format json` with the fake go (and a fake gcc, so the cgo
/// step applies) and returns the ids of the probe findings.
fn probe_with_failures(fail: &str) -> (Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    write_program(&bin.join("go"), FAKE_GO);
    write_program(&bin.join("gcc"), "#!/bin/sh\nexit 0\n");
    let log = dir.path().join("calls");
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("HOME", dir.path())
        .env("FAKE_GO_FAIL", fail)
        .env("FAKE_GO_LOG", &log)
        .args(["doctor", "--probe", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .filter(|id| ["GO051", "GO052", "GO053", "GO054"].contains(&id.as_str()))
        .collect();
    (ids, std::fs::read_to_string(log).unwrap_or_default())
}

#[test]
fn go051_trigger_go_version_fails() {
    let (ids, _) = probe_with_failures("version");
    assert_eq!(
        ids,
        ["GO051"],
        "later steps are skipped, not reported again"
    );
}

#[test]
fn go052_trigger_go_env_fails() {
    assert_eq!(probe_with_failures("env").0, ["GO052"]);
}

#[test]
fn go053_trigger_hello_world_does_not_build() {
    assert_eq!(probe_with_failures("build").0, ["GO053"]);
    assert_eq!(probe_with_failures("mod-init").0, ["GO053"]);
}

#[test]
fn go054_trigger_cgo_build_fails() {
    assert_eq!(probe_with_failures("build-cgo").0, ["GO054"]);
}

/// The clean fixture for all four: every step works, and the steps ran offline with
/// GOTOOLCHAIN=local in a module of their own.
#[test]
fn go051_go052_go053_go054_clean_when_every_step_works() {
    let (ids, calls) = probe_with_failures("");
    assert!(ids.is_empty(), "{ids:?}");
    for expected in [
        "version",
        "env GOROOT GOPATH GOCACHE",
        "mod init envgate.probe/hello",
        "build -o hello .",
        "build -o hello-cgo .",
    ] {
        assert!(
            calls.lines().any(|l| l == expected),
            "{expected:?} not in {calls}"
        );
    }
}

#[test]
fn the_probe_runs_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    write_program(&bin.join("go"), FAKE_GO);
    let log = dir.path().join("calls");
    Command::cargo_bin("envgate")
        .unwrap()
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("HOME", dir.path())
        .env("FAKE_GO_LOG", &log)
        .arg("doctor")
        .assert()
        .success();
    let calls = std::fs::read_to_string(log).unwrap_or_default();
    assert!(
        !calls.contains("build"),
        "doctor without --probe built something: {calls}"
    );
}

/// The real toolchain, when there is one: a working install probes clean.
#[test]
fn a_real_go_probes_clean() {
    let has_go = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("go").is_file()));
    if !has_go {
        eprintln!("skipped: no real `go` on PATH (install golang-go to run this test)");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home.path())
        .args(["doctor", "--probe", "--format", "json"])
        .current_dir(support::repo_root())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let probe_findings: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| ["GO051", "GO052", "GO053", "GO054"].contains(&f["id"].as_str().unwrap()))
        .collect();
    assert!(probe_findings.is_empty(), "{probe_findings:#?}");
}

/// `doctor --probe DIR`: the word after a bare `--probe` that is no probe kind is the
/// project directory (clap alone read it as the kind and refused it).
#[test]
fn a_directory_after_a_bare_probe_is_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    write_program(&bin.join("go"), FAKE_GO);
    // The fake go's root says which release it is, so GO034 can compare.
    std::fs::write(dir.path().join("VERSION"), "go1.19.8\n").unwrap();
    let project = dir.path().join("proj");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("go.mod"),
        "module example.com/proj\n\ngo 1.99.0\n",
    )
    .unwrap();
    let log = dir.path().join("calls");
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("HOME", dir.path())
        .env("FAKE_GO_LOG", &log)
        .args(["doctor", "--probe"])
        .arg(&project)
        .args(["--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // A go line no toolchain has: GO034 names the project's go.mod only if it was read.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "GO034"
                && f["location"]["file"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with("proj/go.mod")),
        "the project's go.mod was not read: {report}"
    );
    let calls = std::fs::read_to_string(log).unwrap_or_default();
    assert!(
        calls.contains("build"),
        "the build probe did not run: {calls}"
    );
}
