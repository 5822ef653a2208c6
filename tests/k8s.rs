//! The k8s pack end to end: `envgate check --format json` on the manifests in
//! `tests/fixtures/k8s/`, each expected to give exactly the listed k8s findings, with
//! their severity and the line of the offending key.
//!
//! Every rule has a `<id>-trigger` fixture and a `<id>-clean` near miss. Between them
//! they cover multi-document YAML, flow style, anchors/aliases and merge keys, a JSON
//! manifest, a `kind: List`, init and ephemeral containers, pod-level securityContext
//! settings inherited (and overridden) by containers, and a CronJob's pod spec five
//! levels down.
//!
//! Each fixture is judged on its own, as part of a repository (`--partial`, what a
//! pre-commit hook passes); the rules that compare files (K8S032, K8S033) are judged
//! on sets of fixtures checked together (`CROSS_CASES`), where the object that covers a
//! workload sits in another file.

use std::collections::BTreeSet;
use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

/// A fixture and the k8s findings it must produce: (rule id, line, severity).
struct Case {
    file: &'static str,
    expect: &'static [(&'static str, usize, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        file: "hardened.yaml",
        expect: &[],
    },
    // a duplicate key (warning) and a second document that cannot be parsed (error, at
    // the parser's position: the end of the unclosed flow sequence, the last line)
    Case {
        file: "k8s000-trigger.yaml",
        expect: &[("K8S000", 10, "warning"), ("K8S000", 51, "error")],
    },
    // a JSON annotation continued at column 1 and quoted look-alikes: read as kubectl
    Case {
        file: "k8s000-clean.yaml",
        expect: &[],
    },
    // YAML 1.1: privileged: yes, hostNetwork: on, hostPID: yes are true; no/yes on
    // allowPrivilegeEscalation and readOnlyRootFilesystem are honoured
    Case {
        file: "k8s001-yaml11-trigger.yaml",
        expect: &[
            ("K8S001", 31, "error"),
            ("K8S005", 20, "warning"),
            ("K8S006", 21, "error"),
        ],
    },
    // pod templates of DeploymentConfig, Rollout, Knative Service, a custom resource
    Case {
        file: "k8s001-workloads-trigger.yaml",
        expect: &[
            ("K8S001", 28, "error"),
            ("K8S001", 69, "error"),
            ("K8S001", 104, "error"),
            ("K8S001", 141, "error"),
        ],
    },
    // multi-document; an init container
    Case {
        file: "k8s001-trigger.yaml",
        expect: &[("K8S001", 40, "error")],
    },
    Case {
        file: "k8s001-clean.yaml",
        expect: &[],
    },
    // JSON: the missing key is reported at the container's securityContext
    Case {
        file: "k8s002-trigger.json",
        expect: &[("K8S002", 21, "error")],
    },
    Case {
        file: "k8s002-clean.json",
        expect: &[],
    },
    // runAsUser 0 inherited from the pod: one error at the pod's key; the sidecar
    // overrides it with its own non-root user
    Case {
        file: "k8s003-trigger.yaml",
        expect: &[("K8S003", 21, "error")],
    },
    Case {
        file: "k8s003-clean.yaml",
        expect: &[],
    },
    // nothing sets runAsNonRoot or a non-zero UID: a warning at the container's key
    Case {
        file: "k8s003-unset-trigger.yaml",
        expect: &[("K8S003", 25, "warning")],
    },
    // flow style: the key itself, and the securityContext that lacks it
    Case {
        file: "k8s004-trigger.yaml",
        expect: &[("K8S004", 9, "warning"), ("K8S004", 13, "warning")],
    },
    Case {
        file: "k8s004-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s005-trigger.yaml",
        expect: &[("K8S005", 22, "warning")],
    },
    Case {
        file: "k8s005-clean.yaml",
        expect: &[],
    },
    // a CronJob: spec.jobTemplate.spec.template.spec
    Case {
        file: "k8s006-trigger.yaml",
        expect: &[("K8S006", 21, "error"), ("K8S006", 22, "error")],
    },
    Case {
        file: "k8s006-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s007-trigger.yaml",
        expect: &[("K8S007", 29, "warning")],
    },
    Case {
        file: "k8s007-clean.yaml",
        expect: &[],
    },
    // anchors: the second container's copy is reported at its alias
    Case {
        file: "k8s008-trigger.yaml",
        expect: &[
            ("K8S008", 34, "error"),
            ("K8S008", 35, "error"),
            ("K8S008", 48, "error"),
            ("K8S008", 48, "error"),
        ],
    },
    // anchors and a merge key
    Case {
        file: "k8s008-clean.yaml",
        expect: &[],
    },
    // a block list (a comment on an item) and a flow list of one item, no anchors
    Case {
        file: "k8s008-plain-trigger.yaml",
        expect: &[
            ("K8S008", 35, "error"),
            ("K8S008", 36, "error"),
            ("K8S008", 55, "error"),
        ],
    },
    Case {
        file: "k8s009-trigger.yaml",
        expect: &[("K8S009", 30, "warning")],
    },
    Case {
        file: "k8s009-clean.yaml",
        expect: &[],
    },
    // every default capability dropped by name but one
    Case {
        file: "k8s009-by-name-trigger.yaml",
        expect: &[("K8S009", 30, "warning")],
    },
    // every default capability dropped by name is as good as ALL
    Case {
        file: "k8s009-by-name-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s010-trigger.yaml",
        expect: &[("K8S010", 32, "warning"), ("K8S010", 43, "warning")],
    },
    Case {
        file: "k8s010-clean.yaml",
        expect: &[],
    },
    // zero requests, and a zero limit copied into a missing request
    Case {
        file: "k8s010-zero-trigger.yaml",
        expect: &[("K8S010", 33, "warning"), ("K8S010", 51, "warning")],
    },
    Case {
        file: "k8s011-trigger.yaml",
        expect: &[("K8S011", 35, "warning")],
    },
    Case {
        file: "k8s011-clean.yaml",
        expect: &[],
    },
    // graded: no tag and :latest are errors, a tag without a digest is info
    Case {
        file: "k8s012-trigger.yaml",
        expect: &[
            ("K8S012", 25, "error"),
            ("K8S012", 43, "error"),
            ("K8S012", 61, "info"),
            // the tagged image is pulled IfNotPresent by default
            ("K8S025", 61, "warning"),
        ],
    },
    Case {
        file: "k8s012-clean.yaml",
        expect: &[],
    },
    // graded: missing probes warn, identical ones are info
    Case {
        file: "k8s013-trigger.yaml",
        expect: &[("K8S013", 24, "warning"), ("K8S013", 52, "info")],
    },
    Case {
        file: "k8s013-clean.yaml",
        expect: &[],
    },
    // graded: literal env values are errors, a committed Secret a warning
    Case {
        file: "k8s014-trigger.yaml",
        expect: &[
            ("K8S014", 47, "error"),
            ("K8S014", 49, "error"),
            ("K8S014", 57, "warning"),
        ],
    },
    Case {
        file: "k8s014-clean.yaml",
        expect: &[],
    },
    // secrets found by their values (a URL's password, a PEM key) and in a ConfigMap
    Case {
        file: "k8s014-values-trigger.yaml",
        expect: &[
            ("K8S014", 45, "error"),
            ("K8S014", 47, "error"),
            ("K8S014", 59, "error"),
            ("K8S014", 60, "error"),
        ],
    },
    // names that refer to a secret, a URL whose password is a $(VAR) reference
    Case {
        file: "k8s014-references-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s015-trigger.yaml",
        // the docker socket is mounted writable too (kube-linter also reports both)
        expect: &[("K8S015", 28, "error"), ("K8S028", 50, "warning")],
    },
    Case {
        file: "k8s015-clean.yaml",
        expect: &[],
    },
    // parents, paths inside the kubelet's and Kubernetes' directories, /var/log, sockets
    Case {
        file: "k8s015-parents-trigger.yaml",
        expect: &[
            ("K8S015", 26, "error"),
            ("K8S015", 28, "error"),
            ("K8S015", 30, "error"),
            ("K8S015", 32, "error"),
            ("K8S015", 34, "error"),
            ("K8S015", 36, "error"),
        ],
    },
    Case {
        file: "k8s015-neighbours-clean.yaml",
        expect: &[],
    },
    // an ephemeral container without the profile its neighbour sets for itself
    Case {
        file: "k8s016-trigger.yaml",
        expect: &[("K8S016", 37, "warning")],
    },
    // inherited from the pod, and a Localhost profile
    Case {
        file: "k8s016-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s017-trigger.yaml",
        expect: &[("K8S017", 16, "info")],
    },
    // the default ServiceAccount in the same file opts out
    Case {
        file: "k8s017-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s018-trigger.yaml",
        expect: &[("K8S018", 2, "warning")],
    },
    Case {
        file: "k8s018-clean.yaml",
        expect: &[],
    },
    // an alpha version removed without deprecation; a kind-specific removal
    Case {
        file: "k8s018-alpha-trigger.yaml",
        expect: &[("K8S018", 3, "warning"), ("K8S018", 18, "warning")],
    },
    // v1beta1 group versions reused for newer kinds
    Case {
        file: "k8s018-reused-clean.yaml",
        expect: &[],
    },
    // a CronJob on batch/v1beta1, whose batch/v1 has the same fields
    Case {
        file: "k8s018-cronjob-trigger.yaml",
        expect: &[("K8S018", 3, "warning")],
    },
    // a `kind: List`: each item's metadata
    Case {
        file: "k8s019-trigger.yaml",
        expect: &[("K8S019", 8, "info"), ("K8S019", 47, "info")],
    },
    Case {
        file: "k8s019-clean.yaml",
        expect: &[],
    },
    // a namespaced CRD's resource, and a cluster-scoped kind name in another group
    Case {
        file: "k8s019-namespaced-crd-trigger.yaml",
        expect: &[("K8S019", 15, "info"), ("K8S019", 20, "info")],
    },
    // add-ons' cluster-scoped kinds, and a scope: Cluster CRD in the same file
    Case {
        file: "k8s019-cluster-scoped-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s020-trigger.yaml",
        expect: &[("K8S020", 12, "error"), ("K8S020", 13, "error")],
    },
    Case {
        file: "k8s020-clean.yaml",
        expect: &[],
    },
    // matchExpressions the template's labels do not satisfy
    Case {
        file: "k8s020-expressions-trigger.yaml",
        expect: &[("K8S020", 13, "error"), ("K8S020", 15, "error")],
    },
    Case {
        file: "k8s020-expressions-clean.yaml",
        expect: &[],
    }, // a ClusterRoleBinding and a RoleBinding (flow style) to cluster-admin
    Case {
        file: "k8s021-trigger.yaml",
        expect: &[("K8S021", 9, "error"), ("K8S021", 20, "error")],
    },
    // labels the template lacks altogether: a matchLabels entry and an `In` of one value
    Case {
        file: "k8s020-missing-label-trigger.yaml",
        expect: &[("K8S020", 14, "error"), ("K8S020", 16, "error")],
    },
    // `admin`, and a Role that is only named cluster-admin
    Case {
        file: "k8s021-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s022-trigger.yaml",
        expect: &[("K8S022", 9, "warning"), ("K8S022", 13, "warning")],
    },
    // a wildcard API group and nonResourceURLs
    Case {
        file: "k8s022-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s023-trigger.yaml",
        expect: &[("K8S023", 11, "warning")],
    },
    // one Secret by name with get; create without read
    Case {
        file: "k8s023-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s024-trigger.yaml",
        expect: &[("K8S024", 13, "warning"), ("K8S024", 14, "warning")],
    },
    // pods/log and pods/portforward
    Case {
        file: "k8s024-clean.yaml",
        expect: &[],
    },
    // the default pull policy of a tag is IfNotPresent: at the image
    Case {
        file: "k8s025-trigger.yaml",
        expect: &[("K8S012", 25, "info"), ("K8S025", 25, "warning")],
    },
    Case {
        file: "k8s025-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s026-trigger.yaml",
        expect: &[("K8S026", 31, "warning")],
    },
    Case {
        file: "k8s026-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s027-trigger.yaml",
        expect: &[("K8S027", 28, "error")],
    },
    Case {
        file: "k8s027-clean.yaml",
        expect: &[],
    },
    // at `readOnly: false`; the emptyDir mount is not reported
    Case {
        file: "k8s028-trigger.yaml",
        expect: &[("K8S028", 48, "warning")],
    },
    Case {
        file: "k8s028-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s029-trigger.yaml",
        expect: &[("K8S029", 8, "info")],
    },
    // ClusterIP and LoadBalancer
    Case {
        file: "k8s029-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s030-trigger.yaml",
        expect: &[("K8S030", 8, "info")],
    },
    // no replicas key: an autoscaler may own the count
    Case {
        file: "k8s030-clean.yaml",
        expect: &[],
    },
    // opt-in: nothing without .envgate.yaml (see the test below)
    Case {
        file: "k8s031-trigger.yaml",
        expect: &[],
    },
    Case {
        file: "k8s031-clean.yaml",
        expect: &[],
    },
    // Fixtures of the rules that compare files (CROSS_CASES): alone, on part of a
    // repository, nothing of theirs is judged.
    Case {
        file: "k8s032-trigger.yaml",
        expect: &[],
    },
    // objects without a namespace, to be judged as `default`'s
    Case {
        file: "k8s032-clean.yaml",
        expect: &[("K8S019", 84, "info")],
    },
    Case {
        file: "k8s032-clean-policies.yaml",
        expect: &[("K8S019", 31, "info")],
    },
    // the policy/v1beta1 budget
    Case {
        file: "k8s033-trigger.yaml",
        expect: &[("K8S018", 105, "warning")],
    },
    Case {
        file: "k8s033-clean.yaml",
        expect: &[],
    },
    Case {
        file: "k8s033-clean-budgets.yaml",
        expect: &[],
    },
];

/// Fixtures checked together, as a whole repository, and the findings of `rule` they
/// must give: (file, line, severity).
struct CrossCase {
    rule: &'static str,
    files: &'static [&'static str],
    expect: &'static [(&'static str, usize, &'static str)],
}

const CROSS_CASES: &[CrossCase] = &[
    // a workload of a namespace with policies that none selects (an In expression
    // that leaves it out), at its pod labels; a namespace with only an egress policy:
    // one finding at its first workload's namespace
    CrossCase {
        rule: "K8S032",
        files: &["k8s032-trigger.yaml"],
        expect: &[
            ("k8s032-trigger.yaml", 66, "warning"),
            ("k8s032-trigger.yaml", 107, "warning"),
        ],
    },
    // the same workloads are reported when their policies are not checked with them
    CrossCase {
        rule: "K8S032",
        files: &["k8s032-clean.yaml"],
        expect: &[
            ("k8s032-clean.yaml", 7, "warning"),
            ("k8s032-clean.yaml", 84, "warning"),
        ],
    },
    // policies in another file: matchLabels, NotIn and DoesNotExist, and a default
    // deny for the objects without a namespace
    CrossCase {
        rule: "K8S032",
        files: &["k8s032-clean.yaml", "k8s032-clean-policies.yaml"],
        expect: &[],
    },
    // replicas: 3 with a budget for other pods; an autoscaler's minReplicas: 2 (at the
    // StatefulSet's spec, where replicas would be); an empty v1beta1 selector
    CrossCase {
        rule: "K8S033",
        files: &["k8s033-trigger.yaml"],
        expect: &[
            ("k8s033-trigger.yaml", 10, "info"),
            ("k8s033-trigger.yaml", 60, "info"),
        ],
    },
    CrossCase {
        rule: "K8S033",
        files: &["k8s033-clean.yaml"],
        expect: &[
            ("k8s033-clean.yaml", 9, "info"),
            ("k8s033-clean.yaml", 48, "info"),
        ],
    },
    // budgets in another file: matchLabels and an Exists expression
    CrossCase {
        rule: "K8S033",
        files: &["k8s033-clean.yaml", "k8s033-clean-budgets.yaml"],
        expect: &[],
    },
];

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures_dir() -> PathBuf {
    repo_root().join("tests/fixtures/k8s")
}

fn fixture(file: &str) -> String {
    format!("tests/fixtures/k8s/{file}")
}

/// The JSON report of `envgate check` on one fixture.
fn check(file: &str) -> Value {
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(repo_root())
        .args([
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--partial",
            &fixture(file),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{file}: envgate exited with {:?}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{file}: the report is not JSON: {e}"))
}

/// `envgate check --format json --fail-on never ARGS…` in `dir` with `config` as its
/// .envgate.yaml (none when `None`): the report, or stderr when envgate failed.
fn check_with_config(
    dir: &std::path::Path,
    config: Option<&str>,
    args: &[&str],
) -> Result<Value, String> {
    let config_file = dir.join(".envgate.yaml");
    match config {
        Some(text) => std::fs::write(&config_file, text).unwrap(),
        None => {
            let _ = std::fs::remove_file(&config_file);
        }
    }
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--format", "json", "--fail-on", "never"])
        .args(args)
        .output()
        .unwrap();
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    Ok(serde_json::from_slice(&output.stdout).unwrap())
}

/// The report's k8s findings (other packs that read files may judge them too).
fn k8s_findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .map(|all| all.iter().filter(|f| f["pack"] == "k8s").collect())
        .unwrap_or_default()
}

fn text<'a>(finding: &'a Value, key: &str) -> &'a str {
    finding[key].as_str().unwrap_or("")
}

/// (id, line, severity) of each k8s finding, sorted.
fn summary(file: &str, report: &Value) -> Vec<(String, usize, String)> {
    let mut found: Vec<(String, usize, String)> = k8s_findings(report)
        .into_iter()
        .map(|f| {
            let location = &f["location"];
            assert_eq!(
                location["file"].as_str().map(|shown| shown.ends_with(file)),
                Some(true),
                "{file}: a finding names another file: {f}"
            );
            let line = location["line"]
                .as_u64()
                .and_then(|l| usize::try_from(l).ok())
                .unwrap_or(0);
            (
                text(f, "id").to_string(),
                line,
                text(f, "severity").to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_fixture_gives_exactly_its_findings_at_their_lines() {
    let mut problems = Vec::new();
    for case in CASES {
        let report = check(case.file);
        let found = summary(case.file, &report);
        let mut expected: Vec<(String, usize, String)> = case
            .expect
            .iter()
            .map(|(id, line, severity)| (id.to_string(), *line, severity.to_string()))
            .collect();
        expected.sort();
        if found != expected {
            let messages: Vec<String> = k8s_findings(&report)
                .iter()
                .map(|f| format!("    {} {}", text(f, "id"), text(f, "message")))
                .collect();
            problems.push(format!(
                "{}:\n  expected {expected:?}\n  found    {found:?}\n{}",
                case.file,
                messages.join("\n")
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_rule_has_a_trigger_and_a_clean_fixture() {
    let listed: BTreeSet<&str> = CASES.iter().map(|c| c.file).collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for file in &on_disk {
        assert!(listed.contains(file.as_str()), "{file} is not in CASES");
    }
    for n in 0..=20 {
        let id = format!("K8S{n:03}");
        let stem = id.to_ascii_lowercase();
        let trigger = CASES
            .iter()
            .find(|c| c.file.starts_with(&format!("{stem}-trigger")))
            .unwrap_or_else(|| panic!("no {stem}-trigger fixture"));
        assert!(
            trigger.expect.iter().any(|(found, _, _)| *found == id),
            "{} does not expect {id}",
            trigger.file
        );
        let clean = CASES
            .iter()
            .find(|c| c.file.starts_with(&format!("{stem}-clean")))
            .unwrap_or_else(|| panic!("no {stem}-clean fixture"));
        assert!(
            clean.expect.iter().all(|(found, _, _)| *found != id),
            "{} expects {id}",
            clean.file
        );
    }
}

#[test]
fn keys_in_flow_style_are_found_at_their_column() {
    let report = check("k8s004-trigger.yaml");
    let findings = k8s_findings(&report);
    let at_key = findings
        .iter()
        .find(|f| f["location"]["line"] == 9)
        .expect("the finding at line 9");
    // `      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, …`
    assert_eq!(at_key["location"]["column"], 58, "{at_key}");
}

#[test]
fn messages_name_the_workload_and_the_container() {
    let report = check("k8s001-trigger.yaml");
    let findings = k8s_findings(&report);
    assert_eq!(
        text(findings[0], "message"),
        "Deployment/web init container \"sysctl\" runs privileged: it has every capability and the node's devices, so escaping to the node is trivial"
    );
    let report = check("k8s006-trigger.yaml");
    assert!(
        k8s_findings(&report)
            .iter()
            .all(|f| text(f, "message").starts_with("CronJob/nightly-report shares the node's")),
        "{report}"
    );
}

#[test]
fn secret_values_never_reach_the_report() {
    let report = check("k8s014-trigger.yaml");
    let printed = report.to_string();
    for value in ["hunter2-not-for-prod", "sk_test_not_a_real_key"] {
        assert!(!printed.contains(value), "{value} is in the report");
    }
    // the names are there, so the finding is actionable
    assert!(printed.contains("DB_PASSWORD"));
    assert!(printed.contains("STRIPE_API_KEY"));
    // found by their values: the URL's password and the PEM key's body stay out too
    let printed = check("k8s014-values-trigger.yaml").to_string();
    for value in ["correct-horse-battery", "bm90IGEgcmVhbCBrZXks"] {
        assert!(!printed.contains(value), "{value} is in the report");
    }
    assert!(printed.contains("DATABASE_URL"));
}

#[test]
fn remediations_render_with_the_findings_values() {
    let mut problems = Vec::new();
    for case in CASES.iter().filter(|c| !c.expect.is_empty()) {
        let report = check(case.file);
        for f in k8s_findings(&report) {
            let remediation = text(f, "remediation");
            let broken = remediation.contains("remediation template") || remediation.contains("{{");
            if broken || !remediation.contains(&fixture(case.file)) {
                problems.push(format!("{} {}: {remediation}", case.file, text(f, "id")));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_exit_code_follows_the_worst_finding() {
    let run = |file: &str| {
        Command::cargo_bin("envgate")
            .unwrap()
            .current_dir(repo_root())
            .args(["check", &fixture(file)])
            .output()
            .unwrap()
            .status
            .code()
    };
    // errors fail the default gate; warnings and infos do not
    assert_eq!(run("k8s001-trigger.yaml"), Some(1));
    assert_eq!(run("k8s017-trigger.yaml"), Some(0));
    assert_eq!(run("hardened.yaml"), Some(0));
}

/// The k8s pack runs precompiled on regorus's bytecode VM; judged by the interpreter
/// (`ENVGATE_ENGINE=interpreter`), every fixture must give the same report.
#[test]
fn precompiled_k8s_pack_judges_like_the_interpreter() {
    let report = |interpret: bool| {
        let mut command = Command::cargo_bin("envgate").unwrap();
        command.current_dir(repo_root()).args([
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "tests/fixtures/k8s",
        ]);
        if interpret {
            command.env("ENVGATE_ENGINE", "interpreter");
        } else {
            command.env("ENVGATE_ENGINE", "vm");
        }
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        report["findings"].clone()
    };
    let (vm, interpreted) = (report(false), report(true));
    assert!(
        vm.as_array().is_some_and(|f| f.len() > 20),
        "too few findings: {vm}"
    );
    assert_eq!(vm, interpreted);
}

/// The precompiled pack judges a check in batches of files, each read, parsed, judged
/// and resolved by the core that takes it (its rules are all `per_file`); the
/// interpreter judges the whole input at once. 14 copies of the fixtures (574 files,
/// 616 documents, ~64 batches) must give the same report both ways, each finding 14
/// times.
#[test]
fn batched_judging_of_a_large_check_agrees_with_the_whole_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut documents = 0;
    for copy in 0..14 {
        let target = dir.path().join(format!("copy-{copy:02}"));
        std::fs::create_dir(&target).unwrap();
        for entry in std::fs::read_dir(fixtures_dir()).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            documents += text.matches("kind:").count();
            std::fs::copy(&path, target.join(path.file_name().unwrap())).unwrap();
        }
        // Syntax errors in some batches: reported once each, in file order.
        if copy % 5 == 3 {
            std::fs::write(target.join("broken.yaml"), "kind: Pod\nspec: [1, 2\n").unwrap();
        }
    }
    assert!(documents > 600, "{documents}");
    let findings = |engine: &str| {
        let output = Command::cargo_bin("envgate")
            .unwrap()
            .env("ENVGATE_ENGINE", engine)
            .current_dir(dir.path())
            .args(["check", "--format", "json", "--fail-on", "never", "."])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        report
    };
    let (batched, whole) = (findings("vm"), findings("interpreter"));
    assert_eq!(batched["files"], whole["files"]);
    assert_eq!(batched["file_errors"], whole["file_errors"]);
    // The three broken.yaml, and k8s000-trigger.yaml's second document in each copy.
    assert_eq!(batched["file_errors"].as_array().unwrap().len(), 3 + 14);
    assert_eq!(batched["summary"], whole["summary"]);
    let (batched, whole) = (
        batched["findings"].as_array().unwrap(),
        whole["findings"].as_array().unwrap(),
    );
    assert_eq!(batched.len(), whole.len());
    assert_eq!(batched, whole);
    let copies = |file: &str| {
        batched
            .iter()
            .filter(|f| f["location"]["file"].as_str().unwrap().ends_with(file))
            .count()
    };
    assert!(copies("/k8s001-trigger.yaml") > 0);
    assert_eq!(copies("/k8s001-trigger.yaml") % 14, 0);
}

/// K8S018's target release comes from `--kubernetes-version`, else `kubernetes-version:`
/// in .envgate.yaml, else the newest release the table knows: an HPA on
/// autoscaling/v2beta2 (deprecated 1.23, removed 1.26) is fine on 1.22, info on 1.23,
/// a warning on 1.26. An unquoted `1.30` (the number 1.3) is refused.
#[test]
fn the_target_kubernetes_release_is_set_by_flag_or_config() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("hpa.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 1\n  maxReplicas: 3\n",
    )
    .unwrap();
    let k8s018 = |flag: Option<&str>, config: Option<&str>| -> Result<Vec<String>, String> {
        let mut args = Vec::new();
        if let Some(version) = flag {
            args.extend(["--kubernetes-version", version]);
        }
        args.push("hpa.yaml");
        let report = check_with_config(dir.path(), config, &args)?;
        Ok(k8s_findings(&report)
            .into_iter()
            .filter(|f| f["id"] == "K8S018")
            .map(|f| text(f, "severity").to_string())
            .collect())
    };
    assert_eq!(k8s018(None, None).unwrap(), ["warning"]);
    assert_eq!(k8s018(Some("1.22"), None).unwrap(), Vec::<String>::new());
    assert_eq!(k8s018(Some("v1.23.4"), None).unwrap(), ["info"]);
    assert_eq!(
        k8s018(None, Some("kubernetes-version: \"1.22\"\n")).unwrap(),
        Vec::<String>::new()
    );
    // The flag wins over the config.
    assert_eq!(
        k8s018(Some("1.26"), Some("kubernetes-version: \"1.22\"\n")).unwrap(),
        ["warning"]
    );
    let unquoted = k8s018(None, Some("kubernetes-version: 1.30\n")).unwrap_err();
    assert!(unquoted.contains("quote it"), "{unquoted}");
    let bad = k8s018(Some("latest"), None).unwrap_err();
    assert!(bad.contains("not a Kubernetes version"), "{bad}");
}

/// K8S031 (CPU limit) is opt-in: it runs only when .envgate.yaml gives it a severity,
/// and `off` keeps it off.
#[test]
fn an_opt_in_rule_runs_only_when_the_config_gives_it_a_severity() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures_dir().join("k8s031-trigger.yaml"),
        dir.path().join("web.yaml"),
    )
    .unwrap();
    let k8s031 = |config: Option<&str>| -> Vec<(usize, String)> {
        let report = check_with_config(dir.path(), config, &["web.yaml"]).unwrap();
        k8s_findings(&report)
            .into_iter()
            .filter(|f| f["id"] == "K8S031")
            .map(|f| {
                let line = f["location"]["line"].as_u64().unwrap_or(0) as usize;
                (line, text(f, "severity").to_string())
            })
            .collect()
    };
    assert_eq!(k8s031(None), []);
    assert_eq!(k8s031(Some("fail-on: error\n")), []);
    assert_eq!(k8s031(Some("severity:\n  K8S031: off\n")), []);
    // at the container's `resources.limits`, the deepest part of the path the file has
    assert_eq!(
        k8s031(Some("severity:\n  K8S031: warning\n")),
        [(35, "warning".to_string())]
    );
    assert_eq!(
        k8s031(Some("severity:\n  K8S031: error\n")),
        [(35, "error".to_string())]
    );
    // `explain` says how to turn it on.
    let explained = Command::cargo_bin("envgate")
        .unwrap()
        .args(["explain", "K8S031"])
        .output()
        .unwrap();
    let explained = String::from_utf8_lossy(&explained.stdout);
    assert!(
        explained.contains("opt-in: runs only when .envgate.yaml gives it a severity"),
        "{explained}"
    );
}

/// A file that cannot be parsed is listed once in every output: as its K8S000 finding,
/// or (with --allow-unparsed, K8S000 quiet) as a parse error.
#[test]
fn an_unparsable_file_is_reported_once_in_every_format() {
    let run = |format: &str, extra: &[&str]| -> String {
        let output = Command::cargo_bin("envgate")
            .unwrap()
            .current_dir(repo_root())
            .args(["check", "--format", format, "--fail-on", "never"])
            .args(extra)
            .arg(fixture("k8s000-trigger.yaml"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    // How each format marks a parse error that is not a finding.
    for (format, marker) in [
        ("github", "title=envgate%3A cannot parse"),
        ("junit", "type=\"parse-error\""),
        ("sarif", "\"cannot parse: "),
    ] {
        let shown = run(format, &[]);
        assert_eq!(shown.matches(marker).count(), 0, "{format}: {shown}");
        assert!(shown.contains("K8S000"), "{format}: {shown}");
        let allowed = run(format, &["--allow-unparsed"]);
        assert_eq!(allowed.matches(marker).count(), 1, "{format}: {allowed}");
    }
}

/// `envgate check --format json --fail-on never FILES…` on fixtures checked together,
/// as a whole repository.
fn check_together(files: &[&str], extra: &[&str]) -> Value {
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(repo_root())
        .args(["check", "--format", "json", "--fail-on", "never"])
        .args(extra)
        .args(files.iter().map(|f| fixture(f)))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{files:?}: envgate exited with {:?}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// (file name, line, severity) of each finding of `rule`, sorted.
fn findings_of(report: &Value, rule: &str) -> Vec<(String, usize, String)> {
    let mut found: Vec<(String, usize, String)> = k8s_findings(report)
        .into_iter()
        .filter(|f| f["id"] == rule)
        .map(|f| {
            let file = text(&f["location"], "file");
            let name = file.rsplit('/').next().unwrap_or(file).to_string();
            let line = f["location"]["line"].as_u64().unwrap_or(0) as usize;
            (name, line, text(f, "severity").to_string())
        })
        .collect();
    found.sort();
    found
}

#[test]
fn rules_that_compare_files_judge_the_fixtures_checked_together() {
    let mut problems = Vec::new();
    for case in CROSS_CASES {
        let report = check_together(case.files, &[]);
        let found = findings_of(&report, case.rule);
        let mut expected: Vec<(String, usize, String)> = case
            .expect
            .iter()
            .map(|(file, line, severity)| (file.to_string(), *line, severity.to_string()))
            .collect();
        expected.sort();
        if found != expected {
            let messages: Vec<String> = k8s_findings(&report)
                .iter()
                .filter(|f| f["id"] == case.rule)
                .map(|f| format!("    {}", text(f, "message")))
                .collect();
            problems.push(format!(
                "{} on {:?}:\n  expected {expected:?}\n  found    {found:?}\n{}",
                case.rule,
                case.files,
                messages.join("\n")
            ));
        }
        // Their remediations render, naming the file.
        for f in k8s_findings(&report)
            .iter()
            .filter(|f| f["id"] == case.rule)
        {
            let remediation = text(f, "remediation");
            if remediation.contains("{{") || !remediation.contains("tests/fixtures/k8s/k8s03") {
                problems.push(format!("{}: {remediation}", case.rule));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    for rule in ["K8S032", "K8S033"] {
        let cases: Vec<&CrossCase> = CROSS_CASES.iter().filter(|c| c.rule == rule).collect();
        assert!(
            cases.iter().any(|c| !c.expect.is_empty()),
            "{rule} has no trigger"
        );
        assert!(
            cases
                .iter()
                .any(|c| c.expect.is_empty() && c.files.len() > 1),
            "{rule} has no clean case made clean by another file"
        );
    }
}

/// On part of a repository (`--partial`), the rules that compare files are not judged,
/// whatever the files hold, and say so: status `needs-whole-repository`, counted apart
/// from the rules that ran, named in the human report, skipped in JUnit, a note in SARIF.
#[test]
fn on_part_of_a_repository_the_rules_that_compare_files_are_not_judged() {
    let whole = check_together(&["k8s032-trigger.yaml"], &[]);
    let partial = check_together(&["k8s032-trigger.yaml"], &["--partial"]);
    assert_eq!(findings_of(&whole, "K8S032").len(), 2);
    assert_eq!(findings_of(&partial, "K8S032"), []);
    let status = |report: &Value, id: &str| -> String {
        report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| text(r, "status").to_string())
            .unwrap_or_default()
    };
    assert_eq!(status(&whole, "K8S032"), "failed");
    assert_eq!(status(&partial, "K8S032"), "needs-whole-repository");
    assert_eq!(status(&partial, "K8S033"), "needs-whole-repository");
    assert_eq!(status(&partial, "K8S001"), "passed");
    assert_eq!(partial["summary"]["rules_need_whole_repository"], 2);
    assert_eq!(
        partial["summary"]["rules_run"].as_u64().unwrap() + 2,
        whole["summary"]["rules_run"].as_u64().unwrap()
    );

    let shown = |format: &str| -> String {
        let output = Command::cargo_bin("envgate")
            .unwrap()
            .current_dir(repo_root())
            .env("NO_COLOR", "1")
            .args(["check", "--partial", "--format", format])
            .arg(fixture("k8s032-trigger.yaml"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{format}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let human = shown("human");
    assert!(
        human.contains("(2 more need the whole repository)")
            || human.contains("; 2 more need the whole repository)"),
        "{human}"
    );
    assert!(
        human.contains("K8S032, K8S033: not judged, they need the whole repository"),
        "{human}"
    );
    let junit = shown("junit");
    assert_eq!(
        junit
            .matches("needs the whole repository; not judged on part of it (--partial)")
            .count(),
        2,
        "{junit}"
    );
    let sarif = shown("sarif");
    assert!(
        sarif.contains("K8S032 not judged: it needs the whole repository"),
        "{sarif}"
    );
}
