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

/// `envgate check FILE ARGS` in `dir`: exit code, stdout, stderr.
fn check(dir: &Path, file: &str, args: &[&str]) -> (Option<i32>, Vec<u8>, String) {
    let run = Command::new(envgate_bin())
        .arg("check")
        .arg(file)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    (run.status.code(), run.stdout, stderr)
}

/// A syntax error past column 65,535 after a non-ASCII character made miette panic
/// while drawing the snippet of the unparsable file.
#[test]
fn a_syntax_error_far_along_a_long_line_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(65_535);
    for (file, text) in [
        ("long.json", format!("[\"é{long}\" x]\n")),
        ("long.yaml", format!("a: \"é{long}\" x\n")),
        ("long.toml", format!("a = \"é{long}\" x\n")),
    ] {
        std::fs::write(dir.path().join(file), text).unwrap();
        let (code, stdout, stderr) = check(dir.path(), file, &["--allow-empty"]);
        let stdout = String::from_utf8(stdout).unwrap();
        assert_eq!(code, Some(1), "{file}: {stderr}");
        assert!(stdout.contains("K8S000"), "{file}: {stdout}");
        assert!(stdout.contains(&format!("[{file}:1:")), "{file}: {stdout}");
        assert!(stdout.len() < 4000, "{file}: the line is cut: {stdout}");
    }
}

/// Every finding on one minified line quoted the whole line: a 33 KB list gave a
/// 400 MB report. Each finding now quotes at most a window of it.
#[test]
fn findings_on_one_long_line_quote_a_window_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let pods = 300;
    let items: Vec<String> = (0..pods)
        .map(|i| {
            format!(
                r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"p{i}"}},"spec":{{"containers":[{{"name":"c","image":"nginx:latest"}}]}}}}"#
            )
        })
        .collect();
    let list = format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#,
        items.join(",")
    );
    std::fs::write(dir.path().join("list.json"), list + "\n").unwrap();
    let (code, stdout, stderr) = check(dir.path(), "list.json", &["--format", "json"]);
    assert_eq!(code, Some(1), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.len() >= pods, "{}", findings.len());
    for finding in findings {
        let location = &finding["location"];
        let snippet = location["snippet"].as_str().unwrap();
        assert!(snippet.chars().count() <= 200, "{snippet}");
        // The window holds the place the finding points at.
        let column = location["column"].as_u64().unwrap() as usize;
        let offset = location["snippet_offset"].as_u64().unwrap_or(0) as usize;
        assert!(column > offset && column - offset <= 200, "{location}");
    }
    for format in ["json", "human", "sarif", "junit", "github"] {
        let (_, out, _) = check(dir.path(), "list.json", &["--format", format]);
        let per_finding = out.len() / findings.len();
        assert!(
            per_finding < 4096,
            "{format}: {per_finding} bytes a finding"
        );
    }
}

/// Escape sequences, BEL and NUL from a checked file (values, lines, its name) never
/// reach the terminal raw: a pre-commit hook checks other people's branches.
#[test]
fn control_characters_of_checked_files_do_not_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // YAML escapes make real control characters of the values.
    std::fs::write(
        dir.path().join("pod.yaml"),
        concat!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"web\\e]0;pwned\\a\\0\"\n",
            "spec:\n  containers:\n  - name: \"c\\e[31mred\\u202e\"\n",
            "    image: nginx:latest\n    env:\n    - name: X\n      value: \"\\e]0;pwned\\a\"\n",
        ),
    )
    .unwrap();
    // Raw control characters in the text of a file with one in its name.
    let raw_name = "bad\x1b]0;x\x07.yaml";
    std::fs::write(
        dir.path().join(raw_name),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\x1b[2J\x00\x07\n  bad: [\n",
    )
    .unwrap();
    let mut seen = 0;
    for format in ["human", "github"] {
        for file in ["pod.yaml", raw_name] {
            let (code, stdout, stderr) = check(dir.path(), file, &["--format", format]);
            assert!(matches!(code, Some(1 | 2)), "{format} {file:?}: {stderr}");
            for (stream, bytes) in [("stdout", stdout.as_slice()), ("stderr", stderr.as_bytes())] {
                for byte in [0x1b, 0x07, 0x00] {
                    assert!(
                        !bytes.contains(&byte),
                        "{format} {file:?} {stream} holds {byte:#04x}:\n{}",
                        String::from_utf8_lossy(bytes)
                    );
                }
            }
            let text = String::from_utf8_lossy(&stdout);
            seen += usize::from(text.contains(r"\x1b]0;") || text.contains(r"\x1b[2J"));
        }
    }
    assert_eq!(seen, 4, "the escapes are shown, visibly");
}
