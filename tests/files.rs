//! `envgate check FILES|DIRS`: discovery, kinds, line numbers through the source map,
//! file errors, secrets, exit codes. The fixtures in tests/fixtures/files have the
//! offending keys on known lines; the user pack in tests/fixtures/files/policies
//! (`filedemo`) judges them, per document (FD001) and across files (FD002).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use envgate::files::{CheckOptions, FilesCheck};
use envgate::snapshot::FileKind;
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/files";
const PACK: &str = "tests/fixtures/files/policies";

/// Secrets written in the fixtures; none may ever be printed.
const SECRETS: &[&str] = &["hunter2", "s3cr3t-value", "pa55word", "ghp_abc", "tok-123"];

fn fixture(path: &str) -> String {
    format!("{FIXTURES}/{path}")
}

fn files(path: &str) -> FilesCheck {
    envgate::files::check(&[PathBuf::from(fixture(path))], &CheckOptions::default()).unwrap()
}

fn envgate() -> Command {
    let mut command = Command::cargo_bin("envgate").unwrap();
    command.env_remove("NO_COLOR");
    command
}

/// `envgate check --format json` with the demo pack: exit code and report.
fn run(args: &[&str]) -> (i32, Value) {
    let output = envgate()
        .args(["check", "--format", "json", "--policy", PACK])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    for secret in SECRETS {
        assert!(!stdout.contains(secret), "{secret} printed:\n{stdout}");
    }
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap(), report)
}

/// `(file, line, column)` of every finding of `id`.
fn places(report: &Value, id: &str) -> Vec<(String, u64, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .map(|f| {
            let l = &f["location"];
            (
                l["file"].as_str().unwrap().to_string(),
                l["line"].as_u64().unwrap(),
                l["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn findings_point_at_the_offending_key_in_every_syntax() {
    let (code, report) = run(&[&fixture("k8s")]);
    assert_eq!(code, 1);
    let mut privileged = places(&report, "FD001");
    privileged.sort();
    assert_eq!(
        privileged,
        vec![
            // the alias `*risky` is where the second container's setting is written
            (fixture("k8s/anchors.yaml"), 10, 9),
            (fixture("k8s/anchors.yaml"), 13, 7),
            // flow style: the key inside `{privileged: true}` on line 5
            (fixture("k8s/flow.yaml"), 5, 97),
            // the second document of a multi-document file
            (fixture("k8s/multi.yaml"), 29, 13),
            (fixture("k8s/pod.json"), 11, 11),
        ]
    );
    let multi = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "FD001" && f["location"]["file"] == fixture("k8s/multi.yaml"))
        .unwrap();
    assert_eq!(multi["location"]["snippet"], "            privileged: true");
    assert_eq!(report["scope"], "files");
    assert_eq!(report["files"]["documents"], 6);
}

#[test]
fn rules_can_compare_files() {
    // Checked together, only the orphan Service selects nothing.
    let (_, report) = run(&[&fixture("k8s")]);
    assert_eq!(
        places(&report, "FD002"),
        vec![(fixture("k8s/orphan-service.yaml"), 6, 3)]
    );
    // The Service in multi.yaml is matched by the Deployment in the same file.
    let (_, report) = run(&[&fixture("k8s/multi.yaml")]);
    assert!(places(&report, "FD002").is_empty());
}

#[test]
fn a_files_check_runs_no_machine_rule() {
    let (_, report) = run(&[&fixture("k8s/pod.json")]);
    let packs: Vec<&str> = report["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(!packs.contains(&"go"), "{packs:?}");
    assert!(packs.contains(&"filedemo"));
    assert!(
        report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| !r["id"].as_str().unwrap().starts_with("GO"))
    );
    assert!(report["target"]["hostname"].is_null());
}

#[test]
fn with_machine_both_are_judged() {
    let (_, report) = run(&["--machine", "--no-exec", &fixture("k8s/pod.json")]);
    assert_eq!(report["scope"], "machine-and-files");
    assert!(
        report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"].as_str().unwrap().starts_with("GO"))
    );
    assert_eq!(
        places(&report, "FD001"),
        vec![(fixture("k8s/pod.json"), 11, 11)]
    );
}

#[test]
fn syntax_errors_are_reported_where_they_are_and_the_rest_is_judged() {
    let (code, report) = run(&[&fixture("broken"), &fixture("k8s/flow.yaml")]);
    // A file error alone does not fail the gate; the findings do.
    assert_eq!(code, 1);
    let errors: Vec<(String, u64, u64, u64)> = report["file_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let l = &e["location"];
            (
                l["file"].as_str().unwrap().to_string(),
                e["document"].as_u64().unwrap(),
                l["line"].as_u64().unwrap(),
                l["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            // the comma missing after `"Pod"`
            (fixture("broken/bad.json"), 0, 3, 16),
            // `labels:` indented under a scalar
            (fixture("broken/bad.yaml"), 0, 5, 11),
            // the second document; the first one was judged. The parser stops at the
            // end of the text; the error is shown at the end of the last line.
            (fixture("broken/second-doc.yaml"), 1, 8, 16),
        ]
    );
    assert_eq!(
        report["file_errors"][1]["location"]["snippet"],
        "    labels: oops"
    );
    assert_eq!(report["files"]["errors"], 3);
    assert_eq!(places(&report, "FD001").len(), 1);
    // --strict makes any file error fail the run.
    let (code, _) = run(&["--strict", &fixture("broken"), &fixture("k8s/flow.yaml")]);
    assert_eq!(code, 2);
}

#[test]
fn nothing_judged_is_exit_code_two() {
    let (code, report) = run(&[&fixture("broken/bad.yaml"), &fixture("broken/bad.json")]);
    assert_eq!(code, 2);
    assert_eq!(report["file_errors"].as_array().unwrap().len(), 2);
}

#[test]
fn the_human_report_shows_the_error_line() {
    let output = envgate()
        .args([
            "check",
            "--no-color",
            "--policy",
            PACK,
            &fixture("broken/bad.yaml"),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("envgate: checked 1 file (1 document)"),
        "{stdout}"
    );
    // The syntax error is a K8S000 finding at the parser's line and column.
    assert!(
        stdout.contains(
            "x K8S000 tests/fixtures/files/broken/bad.yaml could not be parsed, so nothing in it was judged: mapping values are not allowed in this context"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(",-[tests/fixtures/files/broken/bad.yaml:5:11]"),
        "{stdout}"
    );
    assert!(stdout.contains("0 documents judged"), "{stdout}");
    assert!(stdout.contains("5 |     labels: oops"), "{stdout}");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn secrets_never_reach_the_snapshot_or_the_output() {
    let check = files("misc");
    let text = serde_json::to_string(&check.documents).unwrap();
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} in the snapshot");
    }
    let dotenv = check
        .documents
        .iter()
        .find(|d| d.kind == FileKind::Dotenv)
        .unwrap();
    assert_eq!(dotenv.redacted, vec!["/DB_PASSWORD", "/PROXY"]);
    assert_eq!(
        dotenv.content.as_ref().unwrap()["PROXY"],
        "https://bob:[REDACTED]@proxy.example/"
    );
    // Also in human output, snippets included.
    let output = envgate()
        .args([
            "check",
            "--no-color",
            "-v",
            &fixture("k8s"),
            &fixture("misc"),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("[REDACTED]"), "{stdout}");
    for secret in SECRETS {
        assert!(!stdout.contains(secret), "{secret} printed:\n{stdout}");
    }
}

#[test]
fn kinds_come_from_names_and_content() {
    let check = files("misc");
    let kinds: Vec<(&str, FileKind)> = check
        .documents
        .iter()
        .map(|d| {
            let name = Path::new(&d.path).file_name().unwrap().to_str().unwrap();
            (name, d.kind)
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (".env", FileKind::Dotenv),
            ("settings.json", FileKind::VscodeSettings),
            ("Dockerfile", FileKind::Dockerfile),
            ("compose.yaml", FileKind::Compose),
            ("go.mod", FileKind::GoMod),
            ("settings.toml", FileKind::Toml),
        ]
    );
    // README.md is not a kind envgate knows.
    assert_eq!(check.summary.skipped, 1);
    assert_eq!(check.summary.checked, 6);
    let go_mod = check
        .documents
        .iter()
        .find(|d| d.kind == FileKind::GoMod)
        .unwrap();
    assert_eq!(go_mod.positions.get("/go"), Some(&[3, 1]));
    let docker = check
        .documents
        .iter()
        .find(|d| d.kind == FileKind::Dockerfile)
        .unwrap();
    assert_eq!(docker.positions.get("/instructions/4"), Some(&[6, 1]));
    let k8s = files("k8s/multi.yaml");
    let deployment = &k8s.documents[1];
    assert_eq!(deployment.kind, FileKind::Kubernetes);
    assert_eq!(deployment.document, 1);
    assert_eq!(deployment.line, 10);
    assert_eq!(deployment.api_version.as_deref(), Some("apps/v1"));
    assert_eq!(deployment.resource_kind.as_deref(), Some("Deployment"));
    // The empty document after the last `---` is not an entry.
    assert_eq!(k8s.documents.len(), 2);
}

#[test]
fn standard_input_with_a_parser() {
    let (_, report) = {
        let output = envgate()
            .args([
                "check", "--format", "json", "--policy", PACK, "--parser", "json", "-",
            ])
            .write_stdin(std::fs::read(fixture("k8s/pod.json")).unwrap())
            .output()
            .unwrap();
        (
            output.status.code(),
            serde_json::from_slice::<Value>(&output.stdout).unwrap(),
        )
    };
    assert_eq!(
        places(&report, "FD001"),
        vec![("<stdin>".to_string(), 11, 11)]
    );
    envgate()
        .args(["check", "--parser", "xml", "-"])
        .assert()
        .code(2);
}

#[test]
fn missing_paths_and_bad_globs_are_usage_errors() {
    envgate()
        .args(["check", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot check no/such/dir"));
    envgate()
        .args(["check", "--exclude", "a[", &fixture("k8s")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--exclude"));
}

#[test]
fn excluded_and_ignored_files_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let pod = std::fs::read_to_string(fixture("k8s/pod.json")).unwrap();
    write("deploy/pod.json", &pod);
    write("generated/pod.json", &pod);
    write("testdata/pod.json", &pod);
    write(".gitignore", "generated/\n");
    let root = dir.path().to_str().unwrap();
    let (_, report) = run(&["--exclude", "testdata/**", root]);
    assert_eq!(places(&report, "FD001").len(), 1);
    let (_, report) = run(&["--no-ignore", root]);
    assert_eq!(places(&report, "FD001").len(), 3);
}

/// A user pack is interpreted, or compiled for regorus's VM at run time once a check
/// has `VM_THRESHOLD` (64) documents or more; both must judge alike. `ENVGATE_ENGINE=vm`
/// makes a VM failure an error (so the VM really judged), `=interpreter` keeps it off.
#[test]
fn user_packs_judge_alike_on_the_run_time_vm_and_the_interpreter() {
    let dir = tempfile::tempdir().unwrap();
    let docs: Vec<String> = (0..70)
        .map(|i| {
            let privileged = i % 3 == 0;
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: {privileged}\n"
            )
        })
        .collect();
    std::fs::write(dir.path().join("pods.yaml"), docs.join("---\n")).unwrap();
    let path = dir.path().to_str().unwrap();
    let findings = |engine: &str| judged_on(engine, PACK, path)["findings"].clone();
    let (vm, interpreted) = (findings("vm"), findings("interpreter"));
    let fd001 = vm
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "FD001")
        .count();
    assert_eq!(fd001, 24, "{vm}");
    assert_eq!(vm, interpreted);
}

/// `envgate check … | head` closes the pipe early: the rest of the report is dropped
/// quietly (no panic) and the exit code is still the report's.
#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n      securityContext:\n        privileged: true\n";
    // Far more than a pipe's buffer, so the writes meet the closed end.
    std::fs::write(dir.path().join("pods.yaml"), vec![pod; 300].join("---\n")).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("envgate"))
        .args(["check", dir.path().to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(1), "{stderr}");
}

/// A user pack whose rules are all `per_file` is compiled for the VM at run time and
/// judges a check of 8 files or more in batches of files; the interpreter judges the
/// whole input. Both must give the same report.
#[test]
fn per_file_user_packs_are_judged_in_batches_like_the_whole_input() {
    let dir = tempfile::tempdir().unwrap();
    write_pods(dir.path(), |file, i| format!("p{file}-{i}"));
    let path = dir.path().to_str().unwrap();
    let report = |engine: &str| judged_on(engine, "tests/fixtures/files/perfile", path);
    let (vm, interpreted) = (report("vm"), report("interpreter"));
    let pf001 = vm["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "PF001")
        .count();
    assert_eq!(pf001, 20, "{vm}");
    assert_eq!(vm["file_errors"].as_array().unwrap().len(), 1);
    for key in ["findings", "file_errors", "files", "summary", "rules"] {
        assert_eq!(vm[key], interpreted[key], "{key}");
    }
}

/// A user pack mixing `per_file` rules with rules that compare files and say what they
/// read (`custom.reads`): the per-file rules judge batches of files, the others judge
/// the documents they read once the batches are done. The interpreter judges the whole
/// input at once. Both must give the same report.
#[test]
fn rules_that_compare_files_are_judged_beside_batches_like_the_whole_input() {
    let dir = tempfile::tempdir().unwrap();
    // p0-0 is defined again in the last file: AC002 in two files.
    write_pods(dir.path(), |file, i| match (file, i) {
        (11, 4) => "p0-0".to_string(),
        _ => format!("p{file}-{i}"),
    });
    std::fs::write(dir.path().join("go.mod"), "module x\n\ngo 1.23\n").unwrap();
    let build = dir.path().join("build");
    std::fs::create_dir(&build).unwrap();
    std::fs::write(
        build.join("Dockerfile"),
        "FROM golang:1.21 AS build\nRUN go build\n",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    let report = |engine: &str| judged_on(engine, "tests/fixtures/files/across", path);
    let (vm, interpreted) = (report("vm"), report("interpreter"));
    let ids: Vec<&str> = vm["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    let count = |id: &str| ids.iter().filter(|i| **i == id).count();
    assert_eq!(
        (count("AC001"), count("AC002"), count("AC003")),
        (20, 2, 1),
        "{vm}"
    );
    let ac003 = vm["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "AC003")
        .unwrap();
    assert!(
        ac003["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("build/Dockerfile")
    );
    assert_eq!(ac003["location"]["line"], 1, "{ac003}");
    for key in ["findings", "file_errors", "files", "summary", "rules"] {
        assert_eq!(vm[key], interpreted[key], "{key}");
    }
}

/// Twelve files of five Pods each (named by `name(file, index)`), every third one
/// privileged, and a file that does not parse.
fn write_pods(dir: &std::path::Path, name: impl Fn(usize, usize) -> String) {
    for file in 0..12 {
        let docs: Vec<String> = (0..5)
            .map(|i| {
                let privileged = (file + i) % 3 == 0;
                format!(
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: {privileged}\n",
                    name(file, i)
                )
            })
            .collect();
        std::fs::write(dir.join(format!("pods-{file:02}.yaml")), docs.join("---\n")).unwrap();
    }
    std::fs::write(dir.join("broken.yaml"), "kind: Pod\nspec: [1, 2\n").unwrap();
}

/// The JSON report of `check --policy PACK PATH` on engine `engine`
/// (`ENVGATE_ENGINE`), whatever it finds.
fn judged_on(engine: &str, pack: &str, path: &str) -> Value {
    let output = envgate()
        .env("ENVGATE_ENGINE", engine)
        .args([
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--policy",
            pack,
            path,
        ])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)))
}

/// Tokens and keys found by their form (K8S014 reports them whatever the key's name)
/// are redacted too: not in the snapshot, the JSON report, or the snippets.
#[test]
fn tokens_found_by_their_form_are_redacted_everywhere() {
    let token = format!("ghp_{}", "Zx9Q".repeat(9));
    let key_body = "MIIEowIBAAKCAQEAsecretbody";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cm.yaml"),
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  settings: \"token={token}\"\n  tls.pem: |\n    -----BEGIN RSA PRIVATE KEY-----\n    {key_body}\n    -----END RSA PRIVATE KEY-----\n"
        ),
    )
    .unwrap();
    for format in ["json", "human", "sarif"] {
        let output = envgate()
            .current_dir(dir.path())
            .args([
                "check",
                "-v",
                "--no-color",
                "--fail-on",
                "never",
                "--format",
                format,
                "cm.yaml",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            stdout.contains("K8S014"),
            "{format}: K8S014 missing:\n{stdout}"
        );
        assert!(
            !stdout.contains(&token),
            "{format}: token printed:\n{stdout}"
        );
        assert!(
            !stdout.contains(key_body),
            "{format}: key printed:\n{stdout}"
        );
    }
    let output = envgate()
        .current_dir(dir.path())
        .args(["check", "--fail-on", "never", "--format", "json", "cm.yaml"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let k8s014: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "K8S014")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(k8s014.len(), 2, "{k8s014:?}");
    assert!(
        k8s014.iter().any(|m| m.contains("GitHub token")),
        "{k8s014:?}"
    );
    assert!(
        k8s014.iter().any(|m| m.contains("PEM private key")),
        "{k8s014:?}"
    );
}

/// `custom.reads` names kinds of document; a kind envgate does not have would make the
/// rule judge nothing, silently: the pack is refused at its METADATA.
#[test]
fn a_rule_reading_an_unknown_kind_of_document_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack/badreads");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(
        pack.join("manifest.yaml"),
        "name: badreads\nversion: 1.0.0\ntitle: t\ndescription: d\n",
    )
    .unwrap();
    std::fs::write(
        pack.join("br001_x.rego"),
        "# METADATA\n# title: X\n# description: X\n# custom:\n#   id: BR001\n#   severity: error\n#   since: 1.0.0\n#   reads: [helm-chart]\n#   category: Go\n#   remediation: x\npackage envgate.badreads.br001_x\n\nimport rego.v1\n\ndeny contains {\"msg\": \"x\"} if { some doc in input.files; doc.kind == \"helm-chart\" }\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("go.mod"), "module x\n\ngo 1.23\n").unwrap();
    let output = envgate()
        .current_dir(dir.path())
        .args(["check", "--no-config", "--policy", "pack", "go.mod"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("rule BR001 reads \"helm-chart\", which is not a kind of document"),
        "{stderr}"
    );
}

/// A rule that says which kinds of document it reads judged nothing in a check with
/// none of them: it is not applicable, never "passed", and the human report does not
/// list a category whose rules all judged nothing (a k8s-only check had shown the repo
/// pack's Drift and Build categories as passed).
#[test]
fn rules_with_no_document_of_their_kinds_have_not_passed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    let report = judged_on("vm", "tests/fixtures/files/perfile", path);
    let status = |id: &str| {
        report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("REPO001").as_deref(), Some("not-applicable"));
    assert_eq!(status("REPO040").as_deref(), Some("not-applicable"));
    assert_eq!(status("K8S001").as_deref(), Some("passed"));
    // K8S000 judges every file, whatever its kind.
    assert_eq!(status("K8S000").as_deref(), Some("passed"));
    let output = envgate()
        .args(["check", "--no-color", "--no-config", path])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&output.stdout);
    assert!(!human.contains("[+] Drift"), "{human}");
    assert!(
        human.contains("more judge no kind of document checked here"),
        "{human}"
    );
}
