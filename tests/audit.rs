//! `envgate audit`: images that are not running, several at once, per user.

mod support;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn envgate_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// Builds scenario `name` at `parent/dir`.
fn image(parent: &Path, dir: &str, name: &str) {
    let scenario = support::load(&support::scenarios_dir().join(format!("{name}.yaml")));
    support::materialize(&scenario, &parent.join(dir));
}

fn markers(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".ran"))
        .map(|e| e.path().display().to_string())
        .collect()
}

/// `envgate audit --root ROOT --format json` run in `dir`, parsed.
fn audit_json(dir: &Path, root: &str) -> serde_json::Value {
    let output = envgate_in(dir)
        .args(["audit", "--root", root, "--format", "json"])
        .output()
        .unwrap();
    json(&output)
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

/// The image's go, sh and gopls are trap scripts: auditing must not run any of them.
#[test]
fn nothing_inside_the_image_is_executed() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "trap", "audit-trap");
    let output = envgate_in(dir.path())
        .args(["audit", "--root", "trap", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        markers(dir.path()).is_empty(),
        "executed: {:?}",
        markers(dir.path())
    );
    let report = json(&output);
    let user = &report["images"][0]["users"][0];
    assert_eq!(user["target"]["user"], "dev");
    // The version still comes out, read from the VERSION file.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.code().is_some(), "{stderr}");
}

#[test]
fn every_regular_user_is_audited_and_findings_name_them() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "multi", "audit-two-users");
    let report = audit_json(dir.path(), "multi");
    let users: Vec<&str> = report["images"][0]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["target"]["user"].as_str().unwrap())
        .collect();
    assert_eq!(
        users,
        ["ann", "dev"],
        "service accounts and nologin users are skipped"
    );

    let only_dev = envgate_in(dir.path())
        .args([
            "audit", "--root", "multi", "--user", "dev", "--format", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        json(&only_dev)["images"][0]["users"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let with_root = envgate_in(dir.path())
        .args([
            "audit",
            "--root",
            "multi",
            "--with-root",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let users = json(&with_root)["images"][0]["users"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(users, 3);
}

#[test]
fn live_only_rules_are_reported_not_applicable() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "img", "debian-go119-clean");
    let report = audit_json(dir.path(), "img");
    let rules = report["images"][0]["users"][0]["rules"].as_array().unwrap();
    let status = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("GO051").as_deref(), Some("not-applicable"));
    assert_eq!(status("GO013").as_deref(), Some("passed"));
}

#[test]
fn several_images_make_one_report_and_a_bad_one_does_not_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "a", "debian-go119-clean");
    image(dir.path(), "b", "go013-trigger");
    std::fs::write(
        dir.path().join("roots.txt"),
        "# images to check\nb\n\nmissing-image  # not there\n",
    )
    .unwrap();
    let output = envgate_in(dir.path())
        .args([
            "audit",
            "--root",
            "a",
            "--roots-from",
            "roots.txt",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "an image that could not be audited fails the run"
    );
    let report = json(&output);
    let images = report["images"].as_array().unwrap();
    let roots: Vec<&str> = images.iter().map(|i| i["root"].as_str().unwrap()).collect();
    assert_eq!(roots, ["a", "b", "missing-image"], "in the order given");
    assert!(
        images[2]["error"]
            .as_str()
            .unwrap()
            .contains("cannot open the image root")
    );
    assert_eq!(report["summary"]["images_failed"], 1);
    let b_ids: Vec<&str> = images[1]["users"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(b_ids.contains(&"GO013"), "{b_ids:?}");

    // The human report: a table of image x category, then the findings per image.
    envgate_in(dir.path())
        .args(["audit", "--root", "a", "--root", "b"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("image  user  Toolchain")
                .and(predicate::str::contains("== b · user dev =="))
                .and(predicate::str::contains("GO013")),
        );
}

#[test]
fn audits_are_deterministic_and_leak_no_host_paths() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "a", "broken-home");
    image(dir.path(), "b", "go013-trigger");
    let run = || {
        envgate_in(dir.path())
            .args(["audit", "--root", "a", "--root", "b", "--format", "json"])
            .output()
            .unwrap()
            .stdout
    };
    let first = run();
    assert_eq!(first, run(), "two runs differ");
    let text = String::from_utf8(first).unwrap();
    let host_path = dir.path().display().to_string();
    assert!(
        !text.contains(&host_path),
        "a host path leaked into the report"
    );
}

/// `(id, file, line)` of each finding of one user's report.
fn placed_findings(user_report: &serde_json::Value) -> Vec<(String, Option<String>, Option<u64>)> {
    user_report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let at = &f["location"];
            (
                f["id"].as_str().unwrap().to_string(),
                at["file"].as_str().map(str::to_string),
                at["line"].as_u64(),
            )
        })
        .collect()
}

fn finding<'a>(user_report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    user_report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no {id}: {:?}", placed_findings(user_report)))
}

/// `(dir, file, line)` of each entry of a reconstructed session's PATH.
fn session_path(snapshot: &serde_json::Value, session: &str) -> Vec<(String, String, u64)> {
    snapshot["shell"]["sessions"][session]["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["dir"].as_str().unwrap().to_string(),
                e["file"].as_str().unwrap_or("-").to_string(),
                e["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// A finding at `file:line`, as `placed_findings` lists it.
fn placed(id: &str, file: &str, line: u64) -> (String, Option<String>, Option<u64>) {
    (id.to_string(), Some(file.to_string()), Some(line))
}

/// A finding without a location, as `placed_findings` lists it.
fn unplaced(id: &str) -> (String, Option<String>, Option<u64>) {
    (id.to_string(), None, None)
}

/// gvm's installer appends its source line to ~/.bashrc, below the stock guard: the
/// terminal gets gvm's Go, the desktop session and `bash -lc` get none.
#[test]
fn gvm_activated_in_bashrc_is_reported_at_that_line_for_its_user() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "gvm", "audit-gvm-bashrc-only");
    let report = audit_json(dir.path(), "gvm");
    let users = report["images"][0]["users"].as_array().unwrap();
    assert_eq!(users.len(), 1, "only dev is a regular user");
    let dev = &users[0];
    assert_eq!(dev["target"]["user"], "dev");

    // gopls, in gvm's GOPATH, is on PATH only where gvm is active: GO010 says so, and
    // GO014 does not point at gvm's generated environments/default:7 (read through
    // ~/.bashrc:115), which `gvm use --default` rewrites.
    assert_eq!(
        placed_findings(dev),
        [placed("GO010", "/home/dev/.bashrc", 115)]
    );
    let gvm = finding(dev, "GO010");
    assert_eq!(
        gvm["location"]["snippet"],
        r#"[[ -s "/home/dev/.gvm/scripts/gvm" ]] && source "/home/dev/.gvm/scripts/gvm""#
    );
    assert!(
        gvm["message"]
            .as_str()
            .unwrap()
            .starts_with("gvm is installed but activated only in interactive shells"),
        "{gvm}"
    );
    // The fix loads gvm's default environment in POSIX sh, which the desktop's dash
    // runs, and keeps the installer's line (bash-only) where it is.
    let fix = gvm["remediation"].as_str().unwrap();
    assert!(
        fix.contains(r#"echo '[ -s "/home/dev/.gvm/environments/default" ] && . "/home/dev/.gvm/environments/default"' >> /home/dev/.profile"#)
            && fix.contains("Keep line 115 of /home/dev/.bashrc")
            && !fix.contains("sed -i '115d'")
            && !fix.contains("PATH=/home/dev/.gvm/bin"),
        "{fix}"
    );

    // The snapshot says why: gvm's Go is on the terminal's PATH only.
    let snapshot = envgate_in(dir.path())
        .args(["snapshot", "--root", "gvm", "--user", "dev"])
        .output()
        .unwrap();
    let snapshot = json(&snapshot);
    let sessions = &snapshot["shell"]["sessions"];
    assert_eq!(
        sessions["terminal"]["resolved"]["go"]["dir"],
        "/home/dev/.gvm/gos/go1.26.4/bin"
    );
    for session in ["login", "gui"] {
        assert!(
            sessions[session]["resolved"]["go"].is_null(),
            "{session} has a go: {}",
            sessions[session]["resolved"]
        );
    }

    // The human report heads the checklist with the image and the user.
    envgate_in(dir.path())
        .args(["audit", "--root", "gvm"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("== gvm · user dev ==")
                .and(predicate::str::contains("/home/dev/.bashrc:115")),
        );
}

/// gvm's installer line moved as written to ~/.profile (GO010's old fix): bash login
/// shells run it, the desktop's /bin/sh (dash) has no `[[` nor `source`. GO010 reports
/// the line, and its fix, applied to the image, leaves nothing to report.
#[test]
fn gvm_line_moved_verbatim_to_profile_is_reported_until_written_in_posix_sh() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "gvm", "audit-gvm-line-moved-to-profile");
    let audit = |dir: &Path| {
        let output = envgate_in(dir)
            .args(["audit", "--root", "gvm", "--format", "json"])
            .output()
            .unwrap();
        json(&output)["images"][0]["users"][0].clone()
    };
    let dev = audit(dir.path());
    assert_eq!(
        placed_findings(&dev),
        // The desktop terminal starts from the desktop session, whose /bin/sh could
        // not run the line, and ~/.bashrc has no gvm line: no go there either.
        [
            placed("GO001", "/etc/profile", 7),
            placed("GO010", "/home/dev/.profile", 28)
        ]
    );
    let gvm = finding(&dev, "GO010");
    let message = gvm["message"].as_str().unwrap();
    assert!(
        message.contains("/bin/sh (dash) reads /home/dev/.profile and has no `[[`"),
        "{message}"
    );

    // The facts behind it: dash failed on the line, bash ran it.
    let snapshot = envgate_in(dir.path())
        .args(["snapshot", "--root", "gvm", "--user", "dev"])
        .output()
        .unwrap();
    let sessions = json(&snapshot)["shell"]["sessions"].clone();
    assert_eq!(sessions["gui"]["program"], "dash");
    assert_eq!(
        sessions["gui"]["unsupported"],
        serde_json::json!([{"file": "/home/dev/.profile", "line": 28, "command": "[[", "effect": "not-found"}])
    );
    assert!(sessions["gui"]["resolved"]["go"].is_null());
    assert_eq!(
        sessions["login"]["activations"][0]["reads"],
        serde_json::json!(["/home/dev/.gvm/environments/default"])
    );
    assert_eq!(
        sessions["login"]["resolved"]["go"]["dir"],
        "/home/dev/.gvm/gos/go1.26.4/bin"
    );

    // Apply the fix: line 28 rewritten as the remediation's sed command writes it.
    let fix = gvm["remediation"].as_str().unwrap();
    let posix = r#"[ -s "/home/dev/.gvm/environments/default" ] && . "/home/dev/.gvm/environments/default""#;
    assert!(
        fix.contains(&format!("sed -i '28c {posix}' /home/dev/.profile")),
        "{fix}"
    );
    let profile = dir.path().join("gvm/home/dev/.profile");
    let text = std::fs::read_to_string(&profile).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[27] = posix;
    std::fs::write(&profile, lines.join("\n") + "\n").unwrap();
    assert_eq!(placed_findings(&audit(dir.path())), []);
}

/// A zsh user whose Go PATH is only in ~/.bashrc: zsh never reads it.
#[test]
fn zsh_user_with_go_path_only_in_bashrc_is_told_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "zsh", "audit-zsh-go-in-bashrc");
    let output = envgate_in(dir.path())
        .args([
            "audit", "--root", "zsh", "--user", "dev", "--format", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "GO001 and GO013 are errors");
    let report = json(&output);
    let dev = &report["images"][0]["users"][0];
    assert_eq!(dev["target"]["user"], "dev");
    let mut found = placed_findings(dev);
    found.sort();
    assert_eq!(
        found,
        [
            // The desktop terminal's PATH is the desktop's, last set by /etc/profile.
            placed("GO001", "/etc/profile", 7),
            unplaced("GO013"),
            placed("GO017", "/home/dev/.bashrc", 116),
        ]
    );
    let zsh = finding(dev, "GO017");
    assert_eq!(
        zsh["location"]["snippet"],
        "export PATH=$PATH:/usr/local/go/bin:$HOME/go/bin"
    );
    assert!(
        zsh["remediation"]
            .as_str()
            .unwrap()
            .contains("/home/dev/.zprofile"),
        "{zsh}"
    );
}

/// WSL appends the Windows PATH (wsl.conf does not turn it off), and the user pasted
/// it into ~/.profile: the Windows go.exe is on PATH ahead of the Linux go. PATH is
/// last changed by ~/.cargo/env, but the finding is where the entry was added.
#[test]
fn wsl_windows_go_is_reported_at_the_line_that_put_it_on_path() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "wsl", "audit-wsl-pasted-windows-path");
    let report = audit_json(dir.path(), "wsl");
    let dev = &report["images"][0]["users"][0];
    assert_eq!(dev["target"]["user"], "dev");
    assert_eq!(
        placed_findings(dev),
        [placed("GO012", "/home/dev/.profile", 29)]
    );
    let windows_go = finding(dev, "GO012");
    assert_eq!(windows_go["subject"], "path.entries[15]");
    let message = windows_go["message"].as_str().unwrap();
    assert!(
        message.contains("(/mnt/c/Program Files/Go/bin) holds the Windows Go")
            && message.contains("ahead of the Linux go")
            && message.contains("does not set appendWindowsPath"),
        "{message}"
    );
    assert!(
        windows_go["location"]["snippet"]
            .as_str()
            .unwrap()
            .starts_with("export PATH=\"/usr/local/sbin:"),
        "{windows_go}"
    );
    // The fix names the file that added the entry, not the one that set PATH last.
    let fix = windows_go["remediation"].as_str().unwrap();
    assert!(
        fix.contains("from PATH in /home/dev/.profile") && !fix.contains(".cargo/env"),
        "{fix}"
    );
}

/// WSL's init sets WSL_DISTRO_NAME in every session, so Debian's WSL /etc/profile keeps
/// the PATH it was started with: the reconstructed sessions start from the default
/// PATH, not from /etc/profile's reset, and say where WSL_DISTRO_NAME came from.
#[test]
fn wsl_sessions_start_with_wsl_distro_name_set_by_wsl_init() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "wsl", "audit-wsl-appended-windows-path");
    image(dir.path(), "plain", "audit-gvm-bashrc-only");
    let snapshot = |root: &str| {
        let output = envgate_in(dir.path())
            .args(["snapshot", "--root", root, "--user", "dev"])
            .output()
            .unwrap();
        json(&output)
    };
    let wsl = snapshot("wsl");
    let expected: Vec<(String, String, u64)> = [
        "/usr/local/sbin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
    ]
    .iter()
    .map(|dir| (dir.to_string(), "-".to_string(), 0))
    .chain(std::iter::once((
        "/usr/local/go/bin".to_string(),
        "/home/dev/.profile".to_string(),
        29,
    )))
    .collect();
    for session in ["login", "terminal", "gui"] {
        assert_eq!(session_path(&wsl, session), expected, "{session}");
        assert_eq!(
            wsl["shell"]["sessions"][session]["vars"]["WSL_DISTRO_NAME"],
            serde_json::json!({"value": "wsl", "exported": true, "source": "wsl", "file": null, "line": null, "assumed": false}),
            "{session}"
        );
    }
    assert_eq!(wsl["env"]["WSL_DISTRO_NAME"], "wsl");

    // Not a WSL image: nothing is seeded, and /etc/profile sets PATH.
    let plain = snapshot("plain");
    assert!(plain["shell"]["sessions"]["login"]["vars"]["WSL_DISTRO_NAME"].is_null());
    assert_eq!(
        plain["shell"]["sessions"]["login"]["path_set_at"],
        serde_json::json!({"file": "/etc/profile", "line": 7})
    );
}

/// `envgate snapshot --root` shows each session's PATH as the image's files build it,
/// every entry with the file and line that added it: here the pasted PATH of
/// ~/.profile:29, with ~/.cargo/bin put in front by ~/.cargo/env:9, for login shells
/// and for the desktop session alike.
#[test]
fn snapshot_shows_login_and_desktop_paths_entry_by_entry_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "wsl", "audit-wsl-pasted-windows-path");
    let output = envgate_in(dir.path())
        .args(["snapshot", "--root", "wsl", "--user", "dev"])
        .output()
        .unwrap();
    let snapshot = json(&output);

    let profile = std::fs::read_to_string(dir.path().join("wsl/home/dev/.profile")).unwrap();
    let pasted = profile.lines().nth(28).unwrap();
    let pasted = pasted
        .strip_prefix("export PATH=\"")
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("~/.profile:29 is {pasted:?}"));
    let expected: Vec<(String, String, u64)> =
        std::iter::once(("/home/dev/.cargo/bin", "/home/dev/.cargo/env", 9))
            .chain(pasted.split(':').map(|dir| (dir, "/home/dev/.profile", 29)))
            .map(|(dir, file, line)| (dir.to_string(), file.to_string(), line))
            .collect();
    for session in ["login", "gui"] {
        assert_eq!(session_path(&snapshot, session), expected, "{session}");
    }
    let sessions = &snapshot["shell"]["sessions"];
    assert_eq!(sessions["login"]["shell"], "bash");
    assert_eq!(sessions["gui"]["shell"], "sh");
    assert_eq!(
        sessions["login"]["path_set_at"],
        serde_json::json!({"file": "/home/dev/.cargo/env", "line": 9})
    );
}

/// The Windows PATH that WSL appends at run time is in no file of an image, so the
/// Windows Go where its installer puts it (and on the Windows PATH) is judged with
/// /etc/wsl.conf, which leaves appending on; the fix turns it off there.
#[test]
fn wsl_image_windows_go_reached_through_the_appended_path_is_reported_at_wsl_conf() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "wsl", "audit-wsl-appended-windows-path");
    let report = audit_json(dir.path(), "wsl");
    let dev = &report["images"][0]["users"][0];
    let windows_go = finding(dev, "GO012");
    assert_eq!(windows_go["location"]["file"], "/etc/wsl.conf");
    let message = windows_go["message"].as_str().unwrap();
    assert!(
        message.starts_with("/mnt/c/Program Files/Go/bin/go.exe is a Windows Go (go1.26.2")
            && message.contains("after the Linux go in PATH entry 6 (/usr/local/go/bin)"),
        "{message}"
    );
    let fix = windows_go["remediation"].as_str().unwrap();
    assert!(
        fix.starts_with("/mnt/c/Program Files/Go/bin reaches WSL through the Windows PATH")
            && fix.contains(
                "printf '[interop]\\nappendWindowsPath = false\\n' | sudo tee -a /etc/wsl.conf"
            )
            && !fix.contains("Remove /mnt/c"),
        "{fix}"
    );
}
