//! Inputs built to exhaust envgate: deep nesting (stack), exponential shell values
//! (memory), files that are small in bytes but huge in values (time and memory). Each
//! ends in a bounded answer that says what was not judged, never a crash or a pass.
//!
//! Every run has a generous kill timeout, only so that a regression fails here instead
//! of hanging the suite; nothing is asserted about how long a run takes.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

const HANG: Duration = Duration::from_secs(180);

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn envgate(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    cmd.current_dir(dir).timeout(HANG);
    cmd
}

fn run(cmd: &mut Command) -> std::process::Output {
    let output = cmd.output().unwrap();
    // Killed by the timeout or by a signal (a stack overflow aborts): no exit code.
    assert!(
        output.status.code().is_some(),
        "envgate did not finish: {:?}; stderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&output.stderr));
    })
}

/// An image whose user `dev` has these startup files.
fn image(root: &Path, files: &[(&str, &str)]) {
    write(
        &root.join("etc/passwd"),
        "dev:x:1000:1000::/home/dev:/bin/bash\n",
    );
    for (name, text) in files {
        write(&root.join("home/dev").join(name), text);
    }
}

fn k8s000_messages(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "K8S000")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: x\nspec:\n  containers:\n  - name: c\n    image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000\n";

#[test]
fn a_file_of_too_many_documents_fails_the_gate_unjudged() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("deploy/ok.yaml"), POD);
    // 20,001 Pods: before, every one was parsed and judged (160,000 took 67 s, 4.9 GB).
    write(
        &dir.path().join("deploy/all.yaml"),
        &format!("---\n{POD}").repeat(20_001),
    );
    let output = run(envgate(dir.path()).args(["check", "deploy", "--format", "json"]));
    // Too large to judge: counted as such, exit 2 (not read whole), not 1.
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(json(&output)["files"]["too_large"], 1);
    let messages = k8s000_messages(&json(&output));
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("deploy/all.yaml")
            && messages[0].contains("more than 20,000 documents in one file: too large to judge"),
        "{messages:?}"
    );
}

#[test]
fn a_file_of_too_many_values_fails_the_gate_unjudged() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("ok.yaml"), POD);
    write(
        &dir.path().join("values.json"),
        &format!("[{}0]", "0,".repeat(1_000_000)),
    );
    let output = run(envgate(dir.path()).args(["check", ".", "--format", "json"]));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(json(&output)["files"]["too_large"], 1);
    let messages = k8s000_messages(&json(&output));
    assert!(
        messages.len() == 1 && messages[0].contains("more than 1,000,000 values"),
        "{messages:?}"
    );
}

#[test]
fn deeply_nested_startup_files_do_not_crash_an_image_audit_or_a_live_doctor() {
    let dir = tempfile::tempdir().unwrap();
    let bashrc = "\"$(".repeat(5_000);
    image(&dir.path().join("img"), &[(".bashrc", &bashrc)]);
    // Exit 134 (a stack overflow) before; now the nesting bound is an input not read
    // whole, which fails the audit (exit 2) as it fails `check`.
    let output = run(envgate(dir.path()).args(["audit", "--root", "img", "--format", "json"]));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let report = json(&output);
    assert!(report["images"][0]["error"].is_null());
    assert!(
        report["summary"]["inputs_not_read"].as_u64().unwrap() >= 1,
        "{report}"
    );

    let home = dir.path().join("home");
    write(&home.join(".bashrc"), &"\"$(".repeat(50_000));
    write(&home.join(".profile"), &"${a:-".repeat(50_000));
    let output = run(envgate(dir.path())
        .args(["doctor", "--no-exec", "--no-config"])
        .env("HOME", &home));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

#[test]
fn an_exploding_profile_is_cut_and_noted_in_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let profile = format!(
        "{}{}{}PATH=\"$PATH:/after\"\n{}",
        // 20 doublings: an allocation failure before.
        "export PATH=\"$PATH:$PATH\"\n".repeat(20),
        // 30,000 nested ifs: quadratic before (a fact quoted its line from the top).
        "if true; then\n".repeat(30_000),
        "fi\n".repeat(30_000),
        "eval ".repeat(5_000),
    );
    image(&dir.path().join("img"), &[(".profile", &profile)]);
    let output = run(envgate(dir.path()).args(["snapshot", "--root", "img"]));
    assert!(output.status.success(), "{output:?}");
    let snapshot = json(&output);
    let login = &snapshot["shell"]["sessions"]["login"];
    let path = login["path"].as_array().unwrap();
    assert_eq!(path.len(), 4097);
    assert!(path[4096]["dir"].is_null(), "{}", path[4096]);
    let unknowns: Vec<&str> = login["unknowns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["what"].as_str().unwrap())
        .collect();
    assert!(
        unknowns
            .iter()
            .any(|u| u.contains("PATH grew past 4096 entries")),
        "{unknowns:?}"
    );
    // And the report says what was cut, where.
    let output = run(envgate(dir.path()).args(["check", "--root", "img", "--format", "json"]));
    let report = json(&output);
    let notices = report["inputs_not_read"].as_array().unwrap();
    assert!(
        notices.iter().any(|n| n["file"] == "/home/dev/.profile"
            && n["line"] == 10
            && n["message"]
                .as_str()
                .unwrap()
                .starts_with("PATH grew past 4096 entries")),
        "{notices:?}"
    );
    assert!(
        notices
            .iter()
            .any(|n| n["message"] == "eval nested too deeply: not followed"),
        "{notices:?}"
    );
}

#[test]
fn an_etc_environment_path_past_the_bound_is_cut_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("img");
    image(&root, &[(".profile", "")]);
    let dirs: Vec<String> = (0..8_000).map(|i| format!("/opt/d{i}")).collect();
    write(
        &root.join("etc/environment"),
        &format!("PATH=\"{}\"\n", dirs.join(":")),
    );
    let output = run(envgate(dir.path()).args(["check", "--root", "img", "--format", "json"]));
    let report = json(&output);
    let notices = report["inputs_not_read"].as_array().unwrap();
    assert!(
        notices.iter().any(|n| n["file"] == "/etc/environment"
            && n["line"] == 1
            && n["message"] == "PATH grew past 4096 entries: the rest is not evaluated"),
        "{notices:?}"
    );
}

/// A name that is not UTF-8 is applied by systemd and sourced by /etc/profile's loop
/// like any other; a lossy name (U+FFFD) was unreadable, so its settings went unjudged
/// and were reported under another file's name.
#[test]
fn startup_files_whose_names_are_not_utf8_are_read_and_named_by_their_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let img = dir.path().join("img");
    image(&img, &[]);
    write(
        &img.join("etc/profile"),
        "for i in /etc/profile.d/*.sh; do\n  if [ -r $i ]; then\n    . $i\n  fi\ndone\n",
    );
    let raw = |dir: &str, name: &[u8]| img.join(dir).join(std::ffi::OsStr::from_bytes(name));
    write(
        &raw("etc/profile.d", b"go\xff.sh"),
        "export PATH=\"/opt/byte/bin:$PATH\"\n",
    );
    write(
        &raw("home/dev/.config/environment.d", b"go\xfe.conf"),
        "GOROOT=/opt/envd-go\n",
    );
    let output = run(envgate(dir.path()).args(["snapshot", "--root", "img"]));
    assert!(output.status.success(), "{output:?}");
    let snapshot = json(&output);
    let envd = snapshot["systemd_user"]["environment_d"]
        .as_array()
        .unwrap();
    assert_eq!(envd.len(), 1, "{envd:?}");
    assert_eq!(
        envd[0]["path"], "/home/dev/.config/environment.d/go\\xfe.conf",
        "{envd:?}"
    );
    assert!(envd[0]["error"].is_null(), "{envd:?}");
    assert_eq!(envd[0]["assignments"][0]["name"], "GOROOT", "{envd:?}");
    let login = snapshot["shell"]["sessions"]["login"]["path"]
        .as_array()
        .unwrap();
    let entry = login
        .iter()
        .find(|e| e["dir"] == "/opt/byte/bin")
        .unwrap_or_else(|| panic!("{login:?}"));
    assert_eq!(entry["file"], "/etc/profile.d/go\\xff.sh", "{entry}");
    assert_eq!(entry["line"], 1, "{entry}");
}

/// An image whose `.profile` hits a bound of the shell model: every output of `check`
/// lists the input (the gate exits 2 on it, and "listed in the report" must be true in
/// each format), and `audit` fails the same way unless `--allow-unread`.
#[test]
fn inputs_not_read_whole_are_in_every_format_and_fail_an_audit() {
    let dir = tempfile::tempdir().unwrap();
    let profile = "export PATH=\"$PATH:$PATH\"\n".repeat(14);
    image(&dir.path().join("img"), &[(".profile", &profile)]);
    for (format, expected) in [
        (
            "github",
            "::error title=envgate%3A input not read::/home/dev/.profile:10",
        ),
        ("sarif", "input not read whole: PATH grew past 4096 entries"),
        ("junit", "input-not-read"),
        ("human", "Inputs not read whole (1)"),
    ] {
        let output = run(envgate(dir.path()).args(["check", "--root", "img", "--format", format]));
        assert_eq!(output.status.code(), Some(2), "{format}: {output:?}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains(expected), "{format}: {text}");
    }
    let output = run(envgate(dir.path()).args(["audit", "--root", "img"]));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("dev (inputs not read whole)"), "{text}");
    assert!(text.contains("1 input not read whole"), "{text}");
    let output = run(envgate(dir.path()).args(["audit", "--root", "img", "--format", "json"]));
    assert_eq!(json(&output)["summary"]["inputs_not_read"], 1, "{output:?}");
    let output = run(envgate(dir.path()).args(["audit", "--root", "img", "--allow-unread"]));
    assert_ne!(output.status.code(), Some(2), "{output:?}");
}
