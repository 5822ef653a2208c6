//! conftest policies listed in `.envgate.yaml` (`conftest:`) judged by `envgate check`
//! beside the packs: the findings they add are exactly the failures and warnings
//! `envgate test` gives on the same files (itself compared with the real conftest by
//! tests/conftest_oracle.rs); waivers and severity overrides reach them by id; a file
//! they cannot judge fails the gate (CONFTEST000), never passes it.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// A repository with the conftest fixture's Kubernetes policies and two manifests.
fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = support::repo_root().join("tests/fixtures/conftest/kubernetes");
    std::fs::create_dir(dir.path().join("policy")).unwrap();
    for entry in std::fs::read_dir(fixture.join("policy")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            dir.path().join("policy").join(entry.file_name()),
        )
        .unwrap();
    }
    std::fs::create_dir(dir.path().join("deploy")).unwrap();
    for name in ["deployment.yaml", "service.yaml"] {
        std::fs::copy(
            fixture.join("inputs").join(name),
            dir.path().join("deploy").join(name),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join(".envgate.yaml"), config).unwrap();
    dir
}

fn envgate(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// (id, file, message, severity, waived) of the conftest findings of a JSON report.
fn conftest_findings(report: &Value) -> BTreeSet<(String, String, String, String, bool)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["pack"].as_str().unwrap().starts_with("conftest:"))
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["location"]["file"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f.get("waiver").is_some_and(|w| !w.is_null()),
            )
        })
        .collect()
}

const CONFIG: &str = "conftest:\n  - policy: [policy]\n";

#[test]
fn check_adds_exactly_what_envgate_test_finds() {
    let dir = repo(CONFIG);
    let (code, stdout, stderr) = envgate(dir.path(), &["check", "--format", "json", "deploy"]);
    assert_eq!(code, Some(1), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let ours = conftest_findings(&report);

    let (_, stdout, _) = envgate(
        dir.path(),
        &["test", "-o", "json", "-p", "policy", "deploy"],
    );
    let results: Value = serde_json::from_str(&stdout).unwrap();
    let mut expected = BTreeSet::new();
    for result in results.as_array().unwrap() {
        let file = result["filename"].as_str().unwrap();
        let namespace = result["namespace"].as_str().unwrap();
        for (key, severity) in [("failures", "error"), ("warnings", "warning")] {
            for o in result[key].as_array().into_iter().flatten() {
                let rule = o["metadata"]["query"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches(&format!("data.{namespace}."))
                    .to_string();
                expected.insert((
                    format!("{namespace}.{rule}"),
                    file.to_string(),
                    o["msg"].as_str().unwrap().to_string(),
                    severity.to_string(),
                    false,
                ));
            }
        }
    }
    assert!(
        expected.len() >= 6,
        "the fixture has failures and a warning"
    );
    assert_eq!(ours, expected);

    // Every rule conftest queried is listed, passed or failed; the packs' rules too.
    let rules: BTreeSet<&str> = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["pack"] == "conftest:policy")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in [
        "main.deny",
        "main.violation",
        "main.warn",
        "main.deny_privileged",
    ] {
        assert!(rules.contains(id), "{id} missing from {rules:?}");
    }
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "K8S001")
    );
    let summary = &report["summary"];
    let errors = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .count();
    assert_eq!(summary["errors"].as_u64().unwrap() as usize, errors);
}

#[test]
fn waivers_and_severities_reach_conftest_rules_by_id() {
    let config = format!(
        "{CONFIG}severity:\n  main.deny: warning\nwaivers:\n  - rule: main.warn\n    reason: the NodePort is for the lab cluster\n    expires: 2999-01-01\n"
    );
    let dir = repo(&config);
    let (_, stdout, stderr) = envgate(dir.path(), &["check", "--format", "json", "deploy"]);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
    let found = conftest_findings(&report);
    assert!(
        found
            .iter()
            .filter(|f| f.0 == "main.deny")
            .all(|f| f.3 == "warning")
    );
    assert!(found.iter().any(|f| f.0 == "main.warn" && f.4), "{found:?}");
}

/// Standard input cannot be read twice: the conftest policies did not judge it, and
/// the check says so with an error instead of passing.
#[test]
fn a_file_the_policies_cannot_judge_fails_the_gate() {
    let dir = repo(CONFIG);
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "-"])
        .write_stdin("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: y\n")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let unread: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "CONFTEST000")
        .collect();
    assert_eq!(unread.len(), 1, "{report}");
    assert_eq!(unread[0]["severity"], "error");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_missing_policy_directory_is_an_error() {
    let dir = repo("conftest:\n  - policy: [nowhere]\n");
    let (code, _, stderr) = envgate(dir.path(), &["check", "deploy"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("nowhere"), "{stderr}");
    let dir = repo("conftest:\n  - policy: [policy]\n    namespaces: [main]\n");
    let (code, _, stderr) = envgate(dir.path(), &["check", "deploy"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("namespaces"), "{stderr}");
}
