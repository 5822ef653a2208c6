//! `envgate test --trace`: per document and query, the rule definitions entered and
//! each body line evaluated (`Eval`) or not reached (`Miss`), built from regorus's line
//! coverage; conftest's layout (`file: … | query: …`, `TRAC  ` lines) on standard
//! error, and in place of the results on standard output in the `stdout` format.

use std::path::Path;

use assert_cmd::Command;

const POLICY: &str = r#"package main

import rego.v1

deny contains msg if {
	input.kind == "Deployment"
	not input.spec.template.spec.securityContext.runAsNonRoot
	msg := sprintf("%s must not run as root", [input.metadata.name])
}

deny contains msg if {
	input.kind == "Service"
	msg := "services are judged"
}

warn contains msg if {
	some c in input.spec.template.spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("%s uses latest", [c.name])
}
"#;

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.25
";

const EXPECTED: &str = r#"file: d.yaml | query: data.main.deny
TRAC  Enter data.main.deny
TRAC  | Enter main.deny (policy/deny.rego:5)
TRAC  | | Eval policy/deny.rego:5: deny contains msg if {
TRAC  | | Eval policy/deny.rego:6: input.kind == "Deployment"
TRAC  | | Eval policy/deny.rego:7: not input.spec.template.spec.securityContext.runAsNonRoot
TRAC  | | Eval policy/deny.rego:8: msg := sprintf("%s must not run as root", [input.metadata.name])
TRAC  | Enter main.deny (policy/deny.rego:11)
TRAC  | | Miss policy/deny.rego:11: deny contains msg if {
TRAC  | | Eval policy/deny.rego:12: input.kind == "Service"
TRAC  | | Miss policy/deny.rego:13: msg := "services are judged"
TRAC  Exit data.main.deny: 1 result
file: d.yaml | query: data.main.warn
TRAC  Enter data.main.warn
TRAC  | Enter main.warn (policy/deny.rego:16)
TRAC  | | Miss policy/deny.rego:16: warn contains msg if {
TRAC  | | Eval policy/deny.rego:17: some c in input.spec.template.spec.containers
TRAC  | | Eval policy/deny.rego:18: endswith(c.image, ":latest")
TRAC  | | Miss policy/deny.rego:19: msg := sprintf("%s uses latest", [c.name])
TRAC  Exit data.main.warn: 0 results
"#;

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("policy")).unwrap();
    std::fs::write(dir.path().join("policy/deny.rego"), POLICY).unwrap();
    std::fs::write(dir.path().join("d.yaml"), DEPLOYMENT).unwrap();
    dir
}

fn test(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(dir)
        .arg("test")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn trace_shows_where_each_rule_body_stopped() {
    let dir = repo();
    let (code, stdout, stderr) = test(dir.path(), &["--trace", "--no-color", "d.yaml"]);
    // The exit code is the results' (one failure), whatever is printed.
    assert_eq!(code, 1);
    assert_eq!(stdout, EXPECTED);
    assert_eq!(stderr, EXPECTED);
}

#[test]
fn trace_goes_to_stderr_beside_other_formats() {
    let dir = repo();
    let (code, stdout, stderr) = test(dir.path(), &["--trace", "-o", "json", "d.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(stderr, EXPECTED);
    let results: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(results[0]["failures"][0]["msg"], "web must not run as root");
}

#[test]
fn without_trace_nothing_is_recorded() {
    let dir = repo();
    let (code, stdout, stderr) = test(dir.path(), &["--no-color", "d.yaml"]);
    assert_eq!(code, 1);
    assert!(
        !stdout.contains("TRAC") && !stderr.contains("TRAC"),
        "{stdout}{stderr}"
    );
    assert!(
        stdout.contains("FAIL - d.yaml - main - web must not run as root"),
        "{stdout}"
    );
}
