//! A FIFO (or another non-regular file) where envgate expects a file is refused and
//! reported, never waited on: before, one FIFO `~/.bashrc` blocked `open()` forever and
//! one FIFO image hung a whole multi-root `audit`.
//!
//! Every run has a generous kill timeout, only so that a regression fails here instead
//! of hanging the suite; nothing is asserted about how long a run takes.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

/// Kills a hung run; a finished run takes well under a second.
const HANG: Duration = Duration::from_secs(120);

fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo has no other precondition.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0, "{path:?}");
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn envgate(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    cmd.current_dir(dir).timeout(HANG);
    cmd
}

fn finished(output: &std::process::Output) {
    // assert_cmd's timeout kills the child: no exit code then.
    assert!(
        output.status.code().is_some(),
        "envgate hung (killed after {HANG:?}); stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// An image whose user files, Go install and environment.d file are all FIFOs.
fn fifo_image(root: &Path) {
    write(
        &root.join("etc/passwd"),
        "root:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000::/home/dev:/bin/bash\n",
    );
    for fifo in [
        "home/dev/.bashrc",
        "home/dev/.profile",
        "home/dev/.config/go/env",
        "home/dev/.config/environment.d/50-go.conf",
        "etc/environment",
        "usr/local/go/VERSION",
        "usr/local/go/bin/go",
    ] {
        mkfifo(&root.join(fifo));
    }
}

fn error_of<'a>(files: &'a serde_json::Value, path: &str) -> &'a str {
    files
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .and_then(|f| f["error"].as_str())
        .unwrap_or_else(|| panic!("no error recorded for {path} in {files}"))
}

#[test]
fn fifos_in_an_image_are_reported_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    fifo_image(&dir.path().join("img"));
    let output = envgate(dir.path())
        .args(["snapshot", "--root", "img"])
        .output()
        .unwrap();
    finished(&output);
    assert!(output.status.success(), "{output:?}");
    let snapshot = json(&output);
    let files = &snapshot["shell"]["files"];
    for path in [
        "/home/dev/.bashrc",
        "/home/dev/.profile",
        "/etc/environment",
    ] {
        assert!(error_of(files, path).contains("FIFO"), "{path}");
    }
    let goenv = &snapshot["go"]["goenv_file"];
    assert_eq!(goenv["exists"], true, "{goenv}");
    assert!(goenv["error"].as_str().unwrap().contains("FIFO"), "{goenv}");
    let env_d = &snapshot["systemd_user"]["environment_d"];
    assert!(
        error_of(env_d, "/home/dev/.config/environment.d/50-go.conf").contains("FIFO"),
        "{env_d}"
    );

    // The report lists them: a check that could not read its inputs says so.
    let output = envgate(dir.path())
        .args(["check", "--root", "img", "--format", "json"])
        .output()
        .unwrap();
    finished(&output);
    let report = json(&output);
    let unread: Vec<&str> = report["inputs_not_read"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"))
        .iter()
        .filter(|n| n["message"].as_str().unwrap().contains("FIFO"))
        .map(|n| n["file"].as_str().unwrap())
        .collect();
    for file in [
        "/home/dev/.bashrc",
        "/home/dev/.profile",
        "/home/dev/.config/go/env",
        "/home/dev/.config/environment.d/50-go.conf",
    ] {
        assert!(unread.contains(&file), "{file} not in {unread:?}");
    }
    let output = envgate(dir.path())
        .args(["check", "--root", "img", "--no-color"])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&output.stdout);
    assert!(
        human.contains("Inputs not read whole (")
            && human.contains("/home/dev/.bashrc: cannot be read (is a FIFO"),
        "{human}"
    );
    // The gate does not pass on what it could not read: exit 2 even below --fail-on,
    // unless --allow-unread (or `allow-unread: true`) accepts it.
    let gate = |extra: &[&str]| {
        let output = envgate(dir.path())
            .args(["check", "--root", "img", "--fail-on", "never"])
            .args(extra)
            .output()
            .unwrap();
        finished(&output);
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = gate(&[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not read whole"), "{stderr}");
    assert_eq!(gate(&["--allow-unread"]).0, Some(0));
    write(&dir.path().join(".envgate.yaml"), "allow-unread: true\n");
    assert_eq!(gate(&[]).0, Some(0));
}

#[test]
fn an_image_with_a_fifo_passwd_does_not_hang_the_others() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("bad/etc/passwd"));
    write(
        &dir.path().join("good/etc/passwd"),
        "dev:x:1000:1000::/home/dev:/bin/bash\n",
    );
    std::fs::create_dir_all(dir.path().join("good/home/dev")).unwrap();
    let output = envgate(dir.path())
        .args([
            "audit", "--root", "bad", "--root", "good", "--format", "json",
        ])
        .output()
        .unwrap();
    finished(&output);
    let report = json(&output);
    let images = report["images"].as_array().unwrap();
    let bad = images.iter().find(|i| i["root"] == "bad").unwrap();
    let error = bad["error"].as_str().unwrap();
    assert!(
        error.contains("/etc/passwd") && error.contains("FIFO"),
        "{error}"
    );
    let good = images.iter().find(|i| i["root"] == "good").unwrap();
    assert!(good["error"].is_null(), "{good}");
    assert_eq!(good["users"].as_array().unwrap().len(), 1, "{good}");
}

#[test]
fn fifos_in_a_live_home_are_reported_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    for fifo in [".bashrc", ".profile", ".config/go/env"] {
        mkfifo(&home.join(fifo));
    }
    let output = envgate(dir.path())
        .args(["snapshot", "--no-exec"])
        .env("HOME", &home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("GOENV")
        .output()
        .unwrap();
    finished(&output);
    let snapshot = json(&output);
    let bashrc = format!("{}/.bashrc", home.display());
    assert!(error_of(&snapshot["shell"]["files"], &bashrc).contains("FIFO"));
    let goenv = &snapshot["go"]["goenv_file"];
    assert!(goenv["error"].as_str().unwrap().contains("FIFO"), "{goenv}");
}

#[test]
fn a_fifo_in_a_checked_tree_fails_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("deploy");
    write(
        &tree.join("ok.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n",
    );
    mkfifo(&tree.join("pod.yaml"));
    let output = envgate(dir.path())
        .args(["check", "deploy", "--format", "json"])
        .output()
        .unwrap();
    finished(&output);
    // Not read: exit 2, counted as unreadable (not as a syntax error).
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let report = json(&output);
    assert_eq!(report["files"]["unreadable"], 1, "{report}");
    assert_eq!(report["files"]["errors"], 0, "{report}");
    let k8s000: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "K8S000")
        .collect();
    assert_eq!(k8s000.len(), 1, "{report}");
    let message = k8s000[0]["message"].as_str().unwrap();
    assert!(
        message.contains("pod.yaml") && message.contains("FIFO"),
        "{message}"
    );
}

#[test]
fn a_fifo_configuration_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("a.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
    );
    mkfifo(&dir.path().join("envgate.fifo.yaml"));
    let output = envgate(dir.path())
        .args(["check", "--config", "envgate.fifo.yaml", "a.yaml"])
        .output()
        .unwrap();
    finished(&output);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("FIFO"), "{stderr}");
}

#[test]
fn a_fifo_ignore_file_in_a_checked_tree_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("deploy/app/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n",
    );
    // The ignore crate opens every directory's .gitignore (even of one it skips) and
    // the repository's info/exclude with a blocking open.
    mkfifo(&dir.path().join("deploy/app/.gitignore"));
    let output = envgate(dir.path())
        .args(["check", "deploy"])
        .output()
        .unwrap();
    finished(&output);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(".gitignore is a FIFO"), "{stderr}");
    // --no-ignore reads no ignore file: the check runs.
    let output = envgate(dir.path())
        .args(["check", "deploy", "--no-ignore"])
        .output()
        .unwrap();
    finished(&output);
    assert_eq!(output.status.code(), Some(0), "{output:?}");

    std::fs::remove_file(dir.path().join("deploy/app/.gitignore")).unwrap();
    mkfifo(&dir.path().join("deploy/.git/info/exclude"));
    let output = envgate(dir.path())
        .args(["check", "deploy/app"])
        .output()
        .unwrap();
    finished(&output);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("exclude is a FIFO"), "{stderr}");
}

#[test]
fn a_pipe_named_on_the_command_line_is_read_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("rendered.yaml");
    mkfifo(&fifo);
    // Nobody writes: it reads as empty at once (nothing judged: exit 2), no wait.
    let output = envgate(dir.path())
        .args(["check", "rendered.yaml"])
        .output()
        .unwrap();
    finished(&output);
    assert_eq!(output.status.code(), Some(2), "{output:?}");

    // `envgate check <(helm template …)`: a writer holding the pipe open until envgate
    // has read all it wrote (read-write, so its own open does not wait).
    let (written, wait) = std::sync::mpsc::channel();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(fifo)
                .unwrap();
            let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: nginx\n";
            std::io::Write::write_all(&mut file, pod.as_bytes()).unwrap();
            written.send(()).unwrap();
            while fionread(&file) > 0 {
                std::thread::yield_now();
            }
        })
    };
    wait.recv().unwrap();
    let output = envgate(dir.path())
        .args(["check", "rendered.yaml", "--format", "json"])
        .output()
        .unwrap();
    writer.join().unwrap();
    finished(&output);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report = json(&output);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "K8S005"),
        "{report}"
    );
}

/// Bytes waiting in a pipe (FIONREAD).
fn fionread(file: &std::fs::File) -> u32 {
    let mut available: libc::c_int = 0;
    // SAFETY: FIONREAD writes one c_int through the pointer, which is valid.
    let rc = unsafe {
        libc::ioctl(
            std::os::fd::AsRawFd::as_raw_fd(file),
            libc::FIONREAD,
            &mut available,
        )
    };
    assert_eq!(rc, 0);
    available as u32
}
