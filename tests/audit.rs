//! `envgate audit`: images that are not running, several at once, per user.

mod support;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn envgate_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// Builds scenario `name` at `parent/dir`.
fn image(parent: &Path, dir: &str, name: &str) {
    let scenario = support::load(&support::scenarios_dir().join(format!("{name}.yaml")));
    support::materialize(&scenario, &parent.join(dir));
}

fn markers(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".ran"))
        .map(|e| e.path().display().to_string())
        .collect()
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

/// The image's go, sh and gopls are trap scripts: auditing must not run any of them.
#[test]
fn nothing_inside_the_image_is_executed() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "trap", "audit-trap");
    let output = envgate_in(dir.path())
        .args(["audit", "--root", "trap", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        markers(dir.path()).is_empty(),
        "executed: {:?}",
        markers(dir.path())
    );
    let report = json(&output);
    let user = &report["images"][0]["users"][0];
    assert_eq!(user["target"]["user"], "dev");
    // The version still comes out, read from the VERSION file.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.code().is_some(), "{stderr}");
}

#[test]
fn every_regular_user_is_audited_and_findings_name_them() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "multi", "audit-two-users");
    let output = envgate_in(dir.path())
        .args(["audit", "--root", "multi", "--format", "json"])
        .output()
        .unwrap();
    let report = json(&output);
    let users: Vec<&str> = report["images"][0]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["target"]["user"].as_str().unwrap())
        .collect();
    assert_eq!(
        users,
        ["ann", "dev"],
        "service accounts and nologin users are skipped"
    );

    let only_dev = envgate_in(dir.path())
        .args([
            "audit", "--root", "multi", "--user", "dev", "--format", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        json(&only_dev)["images"][0]["users"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let with_root = envgate_in(dir.path())
        .args([
            "audit",
            "--root",
            "multi",
            "--with-root",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let users = json(&with_root)["images"][0]["users"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(users, 3);
}

#[test]
fn live_only_rules_are_reported_not_applicable() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "img", "debian-go119-clean");
    let output = envgate_in(dir.path())
        .args(["audit", "--root", "img", "--format", "json"])
        .output()
        .unwrap();
    let report = json(&output);
    let rules = report["images"][0]["users"][0]["rules"].as_array().unwrap();
    let status = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("GO051").as_deref(), Some("not-applicable"));
    assert_eq!(status("GO013").as_deref(), Some("passed"));
}

#[test]
fn several_images_make_one_report_and_a_bad_one_does_not_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "a", "debian-go119-clean");
    image(dir.path(), "b", "go013-trigger");
    std::fs::write(
        dir.path().join("roots.txt"),
        "# images to check\nb\n\nmissing-image  # not there\n",
    )
    .unwrap();
    let output = envgate_in(dir.path())
        .args([
            "audit",
            "--root",
            "a",
            "--roots-from",
            "roots.txt",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "an image that could not be audited fails the run"
    );
    let report = json(&output);
    let images = report["images"].as_array().unwrap();
    let roots: Vec<&str> = images.iter().map(|i| i["root"].as_str().unwrap()).collect();
    assert_eq!(roots, ["a", "b", "missing-image"], "in the order given");
    assert!(
        images[2]["error"]
            .as_str()
            .unwrap()
            .contains("cannot open the image root")
    );
    assert_eq!(report["summary"]["images_failed"], 1);
    let b_ids: Vec<&str> = images[1]["users"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(b_ids.contains(&"GO013"), "{b_ids:?}");

    // The human report: a table of image x category, then the findings per image.
    envgate_in(dir.path())
        .args(["audit", "--root", "a", "--root", "b"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("image  user  Toolchain")
                .and(predicate::str::contains("== b · user dev =="))
                .and(predicate::str::contains("GO013")),
        );
}

#[test]
fn audits_are_deterministic_and_leak_no_host_paths() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "a", "broken-home");
    image(dir.path(), "b", "go013-trigger");
    let run = || {
        envgate_in(dir.path())
            .args(["audit", "--root", "a", "--root", "b", "--format", "json"])
            .output()
            .unwrap()
            .stdout
    };
    let first = run();
    assert_eq!(first, run(), "two runs differ");
    let text = String::from_utf8(first).unwrap();
    let host_path = dir.path().display().to_string();
    assert!(
        !text.contains(&host_path),
        "a host path leaked into the report"
    );
}
