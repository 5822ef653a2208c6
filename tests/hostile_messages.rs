//! Inputs that are not what their names say (an `/etc/passwd` that is a directory, a
//! manifest that cannot be read, a file name that is not UTF-8, a binary go.mod): the
//! message says what was wrong with which file, exactly, and the gate does not pass.
//!
//! Every run has a generous kill timeout, only so that a regression fails here instead
//! of hanging the suite; nothing is asserted about how long a run takes.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

const HANG: Duration = Duration::from_secs(180);

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn envgate(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    cmd.current_dir(dir).timeout(HANG);
    cmd
}

/// Exit code and stderr of a run that finished (a timeout or a signal has no code).
fn run(cmd: &mut Command) -> (Option<i32>, String, String) {
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.code().is_some(), "did not finish: {stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.code(), stdout, stderr)
}

#[test]
fn an_etc_passwd_that_is_a_directory_is_named_not_taken_for_a_missing_user() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("img/etc/passwd")).unwrap();
    std::fs::create_dir_all(dir.path().join("img/home/dev")).unwrap();
    for args in [
        &["check", "--root", "img", "--user", "dev"][..],
        &["check", "--root", "img"],
        &["snapshot", "--root", "img", "--user", "dev"],
    ] {
        let (code, _, stderr) = run(envgate(dir.path()).args(args));
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        // Before: "no such user in the image's /etc/passwd".
        assert!(!stderr.contains("no such user"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("/etc/passwd") && stderr.contains("cannot be read"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("is a directory"), "{args:?}: {stderr}");
    }
    // A readable passwd without the account still says which user is missing.
    std::fs::remove_dir(dir.path().join("img/etc/passwd")).unwrap();
    write(
        &dir.path().join("img/etc/passwd"),
        "root:x:0:0::/root:/bin/sh\n",
    );
    let (code, _, stderr) =
        run(envgate(dir.path()).args(["check", "--root", "img", "--user", "dev"]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no such user \"dev\""), "{stderr}");
}

fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo has no other precondition.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0, "{path:?}");
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: x\nspec:\n  containers:\n  - name: c\n    image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000\n";

#[test]
fn unreadable_and_oversized_files_are_counted_as_such_and_fail_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("deploy/ok.yaml"), POD);
    // Unreadable even for root (the tests run as root, which file modes do not stop):
    // reading a FIFO is refused.
    mkfifo(&dir.path().join("deploy/pipe.yaml"));
    // Sparse: 16 MiB and one byte of zeros costs no disk.
    std::fs::File::create(dir.path().join("deploy/big.yaml"))
        .unwrap()
        .set_len((16 << 20) + 1)
        .unwrap();
    for allow_unparsed in [false, true] {
        let mut cmd = envgate(dir.path());
        cmd.args(["check", "deploy", "--format", "json"]);
        if allow_unparsed {
            cmd.arg("--allow-unparsed");
        }
        let (code, stdout, stderr) = run(&mut cmd);
        // Before: exit 1 from K8S000, or 0 with --allow-unparsed; the FIFO counted as
        // a syntax error and the 16 MiB file as checked.
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("could not be read"), "{stderr}");
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let files = &report["files"];
        assert_eq!(files["unreadable"], 1, "{files}");
        assert_eq!(files["too_large"], 1, "{files}");
        assert_eq!(files["checked"], 1, "{files}");
        assert_eq!(files["errors"], 0, "{files}");
    }
    let (_, human, _) = run(envgate(dir.path()).args(["check", "deploy"]));
    assert!(
        human.contains("1 file could not be read, 1 too large to judge"),
        "{human}"
    );
}

/// A checked file whose name is not UTF-8 is named by its bytes (`\xff`), not with `�`,
/// in the report and in the fix, so the fix edits the file that was judged; two such
/// names that differ only in those bytes stay apart.
#[test]
fn a_file_name_that_is_not_utf8_is_named_exactly() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  containers:\n    - name: c\n      image: nginx\n      securityContext:\n        privileged: true\n";
    for name in [&b"deploy/bad\xff.yaml"[..], &b"deploy/bad\xfe.yaml"[..]] {
        write(&dir.path().join(std::ffi::OsStr::from_bytes(name)), pod);
    }
    let (code, stdout, stderr) = run(envgate(dir.path()).args([
        "check",
        "deploy",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]));
    assert_eq!(code, Some(0), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let files: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "K8S001")
        .map(|f| f["location"]["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        [r"deploy/bad\xfe.yaml", r"deploy/bad\xff.yaml"]
    );
    assert!(!stdout.contains('\u{fffd}'), "{stdout}");
}
