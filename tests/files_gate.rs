//! The gate never passes what it did not judge: files that cannot be parsed fail it
//! (K8S000) unless `--allow-unparsed`, a check that judged no document exits 2 unless
//! `--allow-empty`, and unrendered templates and Kustomize patches are listed as read
//! but not judged instead of being judged as whole manifests.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/files";

fn fixture(path: &str) -> String {
    format!("{FIXTURES}/{path}")
}

/// `envgate check --format json ARGS` with the built-in packs and no config: exit
/// code, report and standard error.
fn check(args: &[&str]) -> (i32, Value, String) {
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .args(["check", "--format", "json", "--no-config"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let report =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (output.status.code().unwrap(), report, stderr)
}

fn ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

fn not_judged(report: &Value) -> Vec<(String, String)> {
    report["files"]["not_judged"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    let path = i["path"].as_str().unwrap();
                    let name = path.rsplit('/').next().unwrap().to_string();
                    (name, i["reason"].as_str().unwrap().to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn an_unparsable_file_fails_the_gate_unless_allowed() {
    // Judged as a pre-commit hook would (`--partial`): hardened.yaml alone has no
    // NetworkPolicy or PodDisruptionBudget beside it.
    let args = [
        "--partial".to_string(),
        fixture("broken/bad.yaml"),
        "tests/fixtures/k8s/hardened.yaml".to_string(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, report, _) = check(&args);
    assert_eq!(code, 1, "{report}");
    assert_eq!(ids(&report), vec!["K8S000"]);
    let finding = &report["findings"][0];
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["location"]["line"], 5);
    assert_eq!(finding["location"]["column"], 11);
    assert_eq!(report["files"]["judged"]["kubernetes"], 1);

    let allowed: Vec<&str> = args.iter().copied().chain(["--allow-unparsed"]).collect();
    let (code, report, _) = check(&allowed);
    assert_eq!(code, 0, "{report}");
    assert!(ids(&report).is_empty(), "{report}");
    // Still listed, as before.
    assert_eq!(report["file_errors"].as_array().unwrap().len(), 1);
    assert_eq!(report["files"]["unparsed_allowed"], true);

    // --strict still exits 2 on any syntax error.
    let strict: Vec<&str> = args.iter().copied().chain(["--strict"]).collect();
    assert_eq!(check(&strict).0, 2);
}

#[test]
fn the_config_can_allow_unparsed_files_or_lower_k8s000() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("envgate.yaml");
    let bad = fixture("broken/bad.yaml");
    let good = "tests/fixtures/k8s/hardened.yaml";
    for (text, code, expected) in [
        ("allow-unparsed: true\n", 0, vec![]),
        ("severity:\n  K8S000: warning\n", 0, vec!["K8S000"]),
        ("severity:\n  K8S000: off\n", 0, vec![]),
    ] {
        std::fs::write(&config, text).unwrap();
        let output = Command::cargo_bin("envgate")
            .unwrap()
            .args(["check", "--partial", "--format", "json", "--config"])
            .arg(&config)
            .args([bad.as_str(), good])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(code), "{text}: {report}");
        assert_eq!(ids(&report), expected, "{text}");
    }
}

#[test]
fn a_check_that_judged_nothing_exits_2_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let unknown = dir.path().join("unknown");
    std::fs::create_dir(&unknown).unwrap();
    std::fs::write(unknown.join("notes.md"), "# not a manifest\n").unwrap();
    let blank = dir.path().join("blank.yaml");
    std::fs::write(&blank, "---\n# nothing\n").unwrap();
    let only_templates = fixture("templates/chart");
    for path in [
        empty.as_path(),
        unknown.as_path(),
        blank.as_path(),
        Path::new(&only_templates),
    ] {
        let path = path.to_str().unwrap();
        let (code, report, stderr) = check(&[path]);
        let judged: u64 = report["files"]["judged"]
            .as_object()
            .map_or(0, |kinds| kinds.values().filter_map(Value::as_u64).sum());
        // A chart's Chart.yaml is a YAML document; its templates are not judged.
        if path.ends_with("chart") {
            assert_eq!(
                report["files"]["judged"]["kubernetes"],
                Value::Null,
                "{report}"
            );
            assert_eq!(not_judged(&report).len(), 1);
            continue;
        }
        assert_eq!(judged, 0, "{path}: {report}");
        assert_eq!(code, 2, "{path}: {report}");
        assert!(stderr.contains("no document was judged"), "{stderr}");
        let (code, _, stderr) = check(&[path, "--allow-empty"]);
        assert_eq!(code, 0, "{path}");
        assert!(stderr.contains("accepted (--allow-empty)"), "{stderr}");
    }
    // A mistyped path is an error of its own.
    let missing = dir.path().join("nope.yaml");
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .args(["check", "--no-config"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn unrendered_templates_are_named_not_judged() {
    let (code, report, _) = check(&[&fixture("templates")]);
    assert_eq!(code, 0, "{report}");
    let skipped = not_judged(&report);
    let names: Vec<&str> = skipped.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        vec!["deployment.yaml", "envsubst.yaml", "unrendered.yaml"]
    );
    assert!(skipped[0].1.contains("Helm chart template"), "{skipped:?}");
    assert!(skipped[1].1.contains("${VAR}"), "{skipped:?}");
    assert!(skipped[2].1.contains("helm template"), "{skipped:?}");
    // No "image has no tag", no syntax error: nothing of the templates was judged.
    assert!(ids(&report).is_empty(), "{report}");
    // Go template text inside quoted and block scalars is a value: alerts.yaml is judged.
    assert_eq!(report["files"]["judged"]["kubernetes"], 1);
}

#[test]
fn kustomize_patches_are_named_not_judged() {
    let (code, report, _) = check(&[&fixture("kustomize")]);
    assert_eq!(code, 0, "{report}");
    let skipped = not_judged(&report);
    let names: Vec<&str> = skipped.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        vec!["drop-sidecar.yaml", "probes.yaml", "replicas.yaml"]
    );
    assert!(skipped[0].1.contains("$patch"), "{skipped:?}");
    assert!(skipped[1].1.contains("kustomization.yaml"), "{skipped:?}");
    // Judged as whole Deployments, the patches would lack probes, resources and more.
    assert!(ids(&report).is_empty(), "{report}");
    // The two kustomizations and the base Service.
    assert_eq!(report["files"]["judged"]["kubernetes"], 3);
}

#[test]
fn the_human_summary_counts_documents_judged_per_kind() {
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .args(["check", "--no-color", "--no-config"])
        .args([
            &fixture("k8s"),
            &fixture("misc/compose.yaml"),
            &fixture("kustomize"),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("documents judged (1 compose, 9 kubernetes)"),
        "{stdout}"
    );
    assert!(stdout.contains("3 read but not judged:"), "{stdout}");
}
