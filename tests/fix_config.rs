//! `envgate fix` with a `.envgate.yaml`: it fixes what `envgate check` reports under the
//! same configuration, so a waived finding, a rule turned off and an excluded file are
//! left as they are, and the re-check judges with the same waivers.

use std::path::Path;

use assert_cmd::Command;

/// A Deployment whose container lacks allowPrivilegeEscalation (K8S002) and
/// readOnlyRootFilesystem (K8S004), among others.
const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: registry.example/web:1.4.2
";

/// Runs `envgate fix ARGS` in `dir`, on a fixed day, with backups under `dir/home`.
fn fix(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(dir)
        .env("HOME", dir.join("home"))
        .env_remove("XDG_STATE_HOME")
        .env("ENVGATE_TODAY", "2026-06-01")
        .arg("fix")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    (
        output.status.code().unwrap(),
        format!("{stdout}\n--- stderr\n{stderr}"),
    )
}

fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("deploy")).unwrap();
    std::fs::create_dir_all(dir.path().join("home")).unwrap();
    std::fs::write(dir.path().join("deploy/web.yaml"), DEPLOYMENT).unwrap();
    std::fs::write(dir.path().join(".envgate.yaml"), config).unwrap();
    dir
}

fn fixed(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("deploy/web.yaml")).unwrap()
}

const WAIVE_K8S002: &str = "\
waivers:
  - rule: K8S002
    path: \"deploy/*.yaml\"
    reason: the image's entrypoint uses a setuid helper until it is rebuilt
    expires: 2026-12-31
";

#[test]
fn a_waived_finding_is_left_alone_and_the_rest_is_fixed() {
    let dir = project(WAIVE_K8S002);
    let (code, out) = fix(dir.path(), &["--apply", "deploy"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "Left alone: 1 waived finding(s) (K8S002), as the configuration's waivers say"
        ),
        "{out}"
    );
    let text = fixed(dir.path());
    assert!(!text.contains("allowPrivilegeEscalation"), "{text}");
    assert!(text.contains("readOnlyRootFilesystem: true"), "{text}");
    assert!(out.contains("every fixed finding gone"), "{out}");
}

#[test]
fn without_the_configuration_the_waived_finding_is_fixed_too() {
    let dir = project(WAIVE_K8S002);
    let (code, out) = fix(dir.path(), &["--apply", "--no-config", "deploy"]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("Left alone"), "{out}");
    assert!(
        fixed(dir.path()).contains("allowPrivilegeEscalation: false"),
        "{out}"
    );
}

#[test]
fn an_expired_waiver_no_longer_holds_the_fix_back() {
    let dir = project(&WAIVE_K8S002.replace("2026-12-31", "2026-01-31"));
    let (code, out) = fix(dir.path(), &["--apply", "deploy"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        fixed(dir.path()).contains("allowPrivilegeEscalation: false"),
        "{out}"
    );
}

#[test]
fn a_rule_turned_off_proposes_nothing() {
    let dir = project("severity:\n  K8S004: off\n");
    let (code, out) = fix(dir.path(), &["deploy"]);
    // A dry run with something to apply exits 1.
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("allowPrivilegeEscalation: false"), "{out}");
    assert!(!out.contains("readOnlyRootFilesystem"), "{out}");
    assert!(!out.contains("K8S004"), "{out}");
    assert_eq!(fixed(dir.path()), DEPLOYMENT, "a dry run writes nothing");
}

#[test]
fn an_excluded_file_is_not_edited() {
    let dir = project("exclude: [\"deploy/web.yaml\"]\n");
    std::fs::write(dir.path().join("deploy/other.yaml"), DEPLOYMENT).unwrap();
    let (code, out) = fix(dir.path(), &["--apply", "deploy"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(fixed(dir.path()), DEPLOYMENT, "{out}");
    let other = std::fs::read_to_string(dir.path().join("deploy/other.yaml")).unwrap();
    assert!(other.contains("allowPrivilegeEscalation: false"), "{out}");
}

#[test]
fn a_named_configuration_file_is_used() {
    let dir = project("");
    std::fs::write(dir.path().join("gate.yaml"), WAIVE_K8S002).unwrap();
    let (code, out) = fix(dir.path(), &["--apply", "--config", "gate.yaml", "deploy"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        !fixed(dir.path()).contains("allowPrivilegeEscalation"),
        "{out}"
    );
}
