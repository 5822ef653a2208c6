//! The command line as a user meets it: arguments, exit codes, output files, errors.

mod support;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn envgate() -> Command {
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    cmd.current_dir(support::repo_root()).env_remove("NO_COLOR");
    cmd
}

fn materialize(name: &str) -> tempfile::TempDir {
    let scenario = support::load(&support::scenarios_dir().join(format!("{name}.yaml")));
    let dir = tempfile::tempdir().unwrap();
    support::materialize(&scenario, dir.path());
    dir
}

fn no_program_ran(root: &Path) {
    let ran: Vec<_> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".ran"))
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(
        ran.is_empty(),
        "programs inside the image were executed: {ran:?}"
    );
}

#[test]
fn exit_code_is_one_for_errors_and_zero_below_the_threshold() {
    let image = materialize("go013-trigger");
    let root = image.path().to_str().unwrap();
    envgate().args(["check", "--root", root]).assert().code(1);
    envgate()
        .args(["check", "--root", root, "--fail-on", "never"])
        .assert()
        .code(0);
    let clean = materialize("clean-home");
    envgate()
        .args([
            "check",
            "--root",
            clean.path().to_str().unwrap(),
            "--fail-on",
            "info",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No issues found"));
    no_program_ran(image.path());
    no_program_ran(clean.path());
}

#[test]
fn json_report_is_the_documented_shape() {
    let image = materialize("broken-home");
    let output = envgate()
        .args(["check", "--format", "json", "--root"])
        .arg(image.path())
        .arg("/home/dev/project")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["mode"], "image");
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"GO013"), "{ids:?}");
    // Secrets never leave the machine: the proxy password in environment.d is gone.
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains("hunter2"), "a secret leaked into the report");
    no_program_ran(image.path());
}

#[test]
fn snapshot_to_a_file_is_complete_and_redacted() {
    let image = materialize("broken-home");
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("snap.json");
    envgate()
        .args(["snapshot", "--root"])
        .arg(image.path())
        .arg("-o")
        .arg(&file)
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("hunter2"));
    let snapshot: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        snapshot["env"]["GOPROXY"],
        "https://dev:[REDACTED]@goproxy.corp.example/"
    );
    assert_eq!(snapshot["redactions"][0]["subject"], "env.GOPROXY");
    // Only the snapshot itself is left in the directory: no temp files.
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);

    // A saved snapshot can be judged later, elsewhere.
    envgate()
        .args(["check", "--snapshot"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("GO013"));
}

#[test]
fn bad_snapshot_file_is_a_diagnostic_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(
        &file,
        "{\"schema_version\": 1,\n \"mode\": \"live\",\n oops }",
    )
    .unwrap();
    envgate()
        .args(["check", "--snapshot"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("bad.json")
                .and(predicate::str::contains("envgate snapshot -o")),
        );
    envgate()
        .args(["check", "--snapshot", "/nonexistent/snap.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read /nonexistent/snap.json",
        ));
}

#[test]
fn usage_errors_exit_two() {
    envgate().args(["check", "--no-such-flag"]).assert().code(2);
    envgate()
        .args(["check", "--fail-on", "sometimes"])
        .assert()
        .code(2);
    envgate()
        .args(["check", "--root", "/nonexistent/image"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot use /nonexistent/image as an image root",
        ));
    let image = materialize("go013-clean");
    envgate()
        .args(["check", "--user", "nobody-here", "--root"])
        .arg(image.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such user"));
}

/// A project path that does not exist must not pass the go.mod checks by finding no
/// go.mod: doctor, snapshot and check (live and inside an image) refuse it.
#[test]
fn a_project_directory_that_does_not_exist_is_an_error() {
    let missing = "project directory \"/nonexistent/dir\" does not exist";
    for args in [
        vec!["doctor", "--no-exec", "/nonexistent/dir"],
        vec!["snapshot", "--no-exec", "/nonexistent/dir"],
    ] {
        envgate()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(missing));
    }
    let image = materialize("go013-clean");
    envgate()
        .args(["check", "--root"])
        .arg(image.path())
        .arg("/home/dev/nonexistent")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "project directory \"/home/dev/nonexistent\" does not exist",
        ));
    envgate()
        .args(["snapshot", "--root"])
        .arg(image.path())
        .arg("/etc/passwd")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a directory"));
    // The same directory that exists is judged as before.
    envgate()
        .args(["snapshot", "--root"])
        .arg(image.path())
        .arg("/etc")
        .assert()
        .success();
}

#[test]
fn explain_prints_the_rule_and_its_fix() {
    envgate()
        .args(["explain", "go013"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("GO013 (tools-dir-not-on-path)")
                .and(predicate::str::contains("Severity: error"))
                .and(predicate::str::contains("Fix (template):"))
                .and(predicate::str::contains("References:")),
        );
    envgate()
        .args(["explain", "GO999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule GO999"));
}

#[test]
fn policies_lists_every_rule() {
    envgate()
        .arg("policies")
        .assert()
        .success()
        .stdout(predicate::str::contains("go 1.5.0").and(predicate::str::contains("GO013")));
}

#[test]
fn user_packs_are_loaded_with_the_same_contract() {
    let image = materialize("go013-clean");
    envgate()
        .args([
            "check",
            "--policy",
            "examples/policies",
            "--fail-on",
            "warning",
            "--root",
        ])
        .arg(image.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ACME001"));
    envgate()
        .args(["verify", "examples/policies"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 failed"));
}

#[test]
fn a_rego_syntax_error_points_at_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.yaml"),
        "name: broken\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b001_bad.rego"),
        "# METADATA\n# title: t\n# description: d\n# custom:\n#   id: B001\n#   severity: error\n#   since: 1.0.0\n#   category: X\n#   remediation: r\npackage envgate.broken.b001_bad\n\ndeny contains x if {\n  x := \n}\n",
    )
    .unwrap();
    envgate()
        .args(["policies", "--policy"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("b001_bad.rego:13"));
}

#[test]
fn incomplete_metadata_is_rejected_with_the_missing_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.yaml"),
        "name: thin\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("t001_thin.rego"),
        "# METADATA\n# title: t\n# custom:\n#   id: T001\n#   severity: error\npackage envgate.thin.t001_thin\n\ndeny contains {\"msg\": \"x\"} if false\n",
    )
    .unwrap();
    envgate()
        .args(["policies", "--policy"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("has no description")
                .and(predicate::str::contains("custom.remediation")),
        );
}

/// Through a pipe the report is plain unless `--color always` (pre-commit and CI logs
/// show colours); `--color never` and `--no-color` win, and NO_COLOR only rules `auto`.
#[test]
fn color_follows_the_color_flag() {
    let escapes = |args: &[&str], no_color_env: bool| -> bool {
        let mut cmd = envgate();
        cmd.args(["check", "--fail-on", "never"])
            .args(args)
            .arg("tests/fixtures/k8s/k8s007-trigger.yaml");
        if no_color_env {
            cmd.env("NO_COLOR", "1");
        }
        let output = cmd.output().unwrap();
        assert!(output.status.success());
        output.stdout.contains(&0x1b)
    };
    assert!(!escapes(&[], false), "a pipe is plain by default");
    assert!(escapes(&["--color", "always"], false));
    assert!(
        escapes(&["--color", "always"], true),
        "always wins over NO_COLOR"
    );
    assert!(!escapes(&["--color", "never"], false));
    assert!(!escapes(&["--color", "always", "--no-color"], false));
}

/// Each command's help opens with the line `envgate --help` gives it: the commands'
/// arguments are defined only when one runs (clap's `defer`), and a doc comment on a
/// flattened argument group would then replace that line.
#[test]
fn every_command_help_opens_with_its_own_line() {
    let out = envgate().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let commands: Vec<(String, String)> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| {
            let (name, about) = l.trim().split_once(char::is_whitespace)?;
            Some((name.to_string(), about.trim().to_string()))
        })
        .filter(|(name, _)| name != "help")
        .collect();
    assert!(commands.len() >= 9, "{help}");
    for (name, about) in commands {
        let out = envgate().args([name.as_str(), "--help"]).output().unwrap();
        assert!(out.status.success(), "{name} --help");
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text.lines().next(), Some(about.as_str()), "{name} --help");
    }
}
