//! What envgate writes when its input or its `-o FILE` is hostile (issue 14): report
//! files keep what the user's shell would keep (umask, modes, /dev/stdout), and text
//! from checked files cannot reach the terminal as control sequences, crash the
//! renderer or blow the report up.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

fn envgate_bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("envgate")
}

/// A manifest with one finding (`:latest`) to write somewhere.
fn manifest(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("pod.yaml");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:latest\n",
    )
    .unwrap();
    path
}

/// Runs `envgate ARGS` under `sh -c` with `umask` set (the umask is process-wide, so
/// it is set in the child, never in this test process).
fn with_umask(umask: &str, args: &str, dir: &Path) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" {args}"))
        .arg(envgate_bin())
        .current_dir(dir)
        .output()
        .unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_new_report_file_gets_the_umask_mode() {
    let dir = tempfile::tempdir().unwrap();
    manifest(dir.path());
    for (umask, expected) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let out = dir.path().join(format!("report-{umask}.json"));
        let run = with_umask(
            umask,
            &format!("check pod.yaml --format json -o {}", out.display()),
            dir.path(),
        );
        assert_eq!(run.status.code(), Some(1), "{run:?}");
        assert_eq!(mode(&out), expected, "umask {umask}");
    }
    // An existing file keeps its mode, whatever the umask.
    let kept = dir.path().join("kept.json");
    std::fs::write(&kept, "old").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o604)).unwrap();
    let run = with_umask("077", "check pod.yaml -o kept.json", dir.path());
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert_eq!(mode(&kept), 0o604);
    assert!(std::fs::read_to_string(&kept).unwrap().contains("K8S"));
}

#[test]
fn dev_stdout_is_written_through_the_descriptor() {
    let dir = tempfile::tempdir().unwrap();
    manifest(dir.path());
    // A pipe: the report arrives on it.
    let piped = Command::new(envgate_bin())
        .args(["check", "pod.yaml", "--format", "json", "-o", "/dev/stdout"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(1), "{piped:?}");
    let report: serde_json::Value = serde_json::from_slice(&piped.stdout).unwrap();
    assert!(!report["findings"].as_array().unwrap().is_empty());

    // A file the shell opened for appending: what was there stays, the report
    // follows it, and the file is the same file (not replaced by name).
    let log = dir.path().join("log.txt");
    std::fs::write(&log, "header\n").unwrap();
    let inode = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&log).unwrap());
    let run = with_umask(
        "022",
        "check pod.yaml --format json -o /dev/stdout >>log.txt",
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let text = std::fs::read_to_string(&log).unwrap();
    let body = text.strip_prefix("header\n").expect("the header was kept");
    let _: serde_json::Value = serde_json::from_str(body).unwrap();
    let after = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&log).unwrap());
    assert_eq!(inode, after);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn a_full_device_fails_the_run_with_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    manifest(dir.path());
    let run = Command::new(envgate_bin())
        .args(["check", "pod.yaml", "-o", "/dev/full"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("cannot write /dev/full"), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
}

/// miette panicked ("Formatting argument out of range") drawing the marker of an
/// error past column 65,535 of a line with a non-ASCII character before it.
#[test]
fn a_config_error_far_along_a_long_line_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    manifest(dir.path());
    let waiver = "{rule: K8S001, reason: x, expires: 2030-01-01}, ";
    let config = format!(
        "waivers: [{}{{rule: K8S001, reason: \"é\", expires: 2030-01-01, bogus: 1}}]\n",
        waiver.repeat(2000)
    );
    std::fs::write(dir.path().join(".envgate.yaml"), config).unwrap();
    let run = Command::new(envgate_bin())
        .args(["check", "pod.yaml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`bogus`, expected"), "{stderr}");
    assert!(
        stderr.contains("bogus: 1}]"),
        "the place is quoted: {stderr}"
    );
    assert!(
        stderr.len() < 4000,
        "the line is cut: {} bytes",
        stderr.len()
    );
}
