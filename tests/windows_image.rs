//! Windows volumes judged from their disks: registry hives built at test time by
//! hivex's `hivexregedit --merge` (Debian's libwin-hivex-perl; `.ci/deps/60-hivex.sh`
//! installs it) from the `.reg` files under tests/fixtures/windows into an empty hive
//! made by `envgate::host::registry::synth`, fake PE `go.exe` files by the crate's
//! synthesis. No hive or binary is committed, and no Windows machine was at hand: what
//! Windows does is taken from its documentation. Without hivexregedit the tests skip
//! with a printed reason.

mod windows_volume;

use serde_json::Value;
use windows_volume::{audit, envgate, findings, hive, hivex_missing, pairs, windows, write};

#[test]
fn go061_to_go065_windows_trigger_on_the_seed_traps_at_their_registry_keys() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    windows(&dir.path().join("win"), true);
    let report = audit(dir.path(), &["win"]);
    let image = &report["images"][0];
    assert_eq!(image["os"], "windows");
    assert_eq!(image["users"][0]["target"]["user"], "dev", "{image:#}");
    let user_path = r"HKCU\Environment\Path";
    assert_eq!(
        findings(image),
        pairs(&[
            // No go on the registry Path: the MSI's Path step did not run (GO061 says why).
            ("GO001", user_path),
            // %USERPROFILE%\go\bin, where gopls is, is not on the user Path.
            ("GO013", user_path),
            (
                "GO061",
                r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment\Path"
            ),
            (
                "GO062",
                r"C:\Users\dev\AppData\Local\VirtualStore\Program Files\Go"
            ),
            (
                "GO063",
                r"HKCU\Software\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell\ExecutionPolicy"
            ),
            (
                "GO064",
                r"HKLM\SYSTEM\CurrentControlSet\Control\FileSystem\LongPathsEnabled"
            ),
            ("GO065", user_path),
        ])
    );
    let by_id = |id: &str| -> Value {
        image["users"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .cloned()
            .unwrap()
    };
    assert!(
        by_id("GO001")["remediation"]
            .as_str()
            .unwrap()
            .contains(r"SetEnvironmentVariable('Path', [Environment]::GetEnvironmentVariable('Path', 'User') + ';C:\Program Files\Go\bin', 'User')"),
        "{:#}",
        by_id("GO001")
    );
    assert!(
        by_id("GO013")["message"]
            .as_str()
            .unwrap()
            .starts_with(r"C:\Users\dev\go\bin (from GOPATH) is not on the registry Path")
    );
    assert!(
        by_id("GO065")["message"]
            .as_str()
            .unwrap()
            .contains(r"\\wsl$\Ubuntu\home\dev\go\bin")
    );
    assert_eq!(by_id("GO063")["severity"], "warning");
    assert!(
        by_id("GO062")["message"]
            .as_str()
            .unwrap()
            .contains(r"C:\Program Files\Go\bin\dlv.exe")
    );
}

#[test]
fn go061_to_go065_windows_clean_volume_has_no_findings() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    windows(&dir.path().join("win"), false);
    let report = audit(dir.path(), &["win"]);
    assert_eq!(findings(&report["images"][0]), Vec::new());
}

#[test]
fn the_registry_environment_is_built_as_a_windows_logon_builds_it() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    windows(&dir.path().join("win"), false);
    let out = envgate(&["snapshot", "--root", "win"], dir.path());
    let snapshot: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(snapshot["host"]["os"], "windows");
    assert_eq!(snapshot["host"]["arch"], "amd64");
    assert_eq!(snapshot["host"]["hostname"], "DEVBOX");
    assert_eq!(snapshot["host"]["home"], r"C:\Users\dev");
    // Machine Path, then the user's, each %NAME% expanded.
    assert_eq!(
        snapshot["env"]["PATH"],
        r"C:\Windows\system32;C:\Program Files\Go\bin;C:\Users\dev\go\bin"
    );
    assert_eq!(
        snapshot["env_origin"]["GOPATH"]["file"],
        r"HKCU\Environment\GOPATH"
    );
    assert_eq!(snapshot["go"]["env"]["GOPATH"]["value"], r"C:\Users\dev\go");
    assert_eq!(
        snapshot["go"]["env"]["GOROOT"]["value"],
        r"C:\Program Files\Go"
    );
    assert_eq!(snapshot["go"]["toolchains"][0]["version"], "go1.27.1");
    assert_eq!(
        snapshot["path"]["resolved"]["go"]["path"],
        r"C:\Program Files\Go\bin\go.exe"
    );
    let entries = snapshot["shell"]["sessions"]["terminal"]["path"]
        .as_array()
        .unwrap();
    assert_eq!(
        entries[1]["file"],
        r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment\Path"
    );
    assert_eq!(entries[2]["raw"], r"%USERPROFILE%\go\bin");
    assert_eq!(entries[2]["file"], r"HKCU\Environment\Path");
    assert_eq!(snapshot["windows"]["control_set"], "ControlSet001");
    assert_eq!(
        snapshot["windows"]["execution_policy"]["effective"],
        "RemoteSigned"
    );
    assert_eq!(
        snapshot["windows"]["execution_policy"]["effective_scope"],
        "LocalMachine"
    );
}

#[test]
fn audit_says_which_system_each_root_is() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    windows(&root.join("win"), false);
    write(
        root,
        "linux/etc/passwd",
        b"root:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000::/home/dev:/bin/bash\n",
    );
    std::fs::create_dir_all(root.join("linux/home/dev")).unwrap();
    std::fs::create_dir_all(root.join("mac/System/Library/CoreServices")).unwrap();
    write(
        root,
        "mac/etc/passwd",
        b"root:*:0:0:System Administrator:/var/root:/bin/sh\n",
    );
    write(
        root,
        "mac/var/db/dslocal/nodes/Default/users/dev.plist",
        br#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>home</key><array><string>/Users/dev</string></array>
<key>name</key><array><string>dev</string></array>
<key>shell</key><array><string>/bin/zsh</string></array>
<key>uid</key><array><string>501</string></array>
</dict></plist>
"#,
    );
    std::fs::create_dir_all(root.join("mac/Users/dev")).unwrap();
    let report = audit(root, &["linux", "mac", "win"]);
    let systems: Vec<&str> = report["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["os"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(systems, ["linux", "darwin", "windows"], "{report:#}");
    let out = envgate(
        &["audit", "--root", "linux", "--root", "mac", "--root", "win"],
        root,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for cell in ["linux (Linux)", "mac (macOS)", "win (Windows)"] {
        assert!(text.contains(cell), "{cell} missing:\n{text}");
    }
}

/// The rules Linux and macOS images already had, on a Windows volume: a GOROOT in the
/// user's registry environment naming an older Go whose bin is also on the user Path,
/// a GOPROXY without `direct` written by `go env -w` (`%APPDATA%\go\env`), and VS Code
/// settings turning gopls off. Each finding points at the registry value or file:line.
#[test]
fn existing_rules_judge_a_windows_volume_at_registry_values_and_file_lines() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("win");
    windows(&root, false);
    hive(
        &root.join("Users/dev/NTUSER.DAT"),
        "ROOT",
        r"HKEY_CURRENT_USER",
        "ntuser-settings.reg",
    );
    let pe = envgate::binary::synth::fake_pe;
    write(
        &root,
        "Go/VERSION",
        b"go1.26.2\ntime 2026-06-01T00:00:00Z\n",
    );
    write(&root, "Go/bin/go.exe", &pe("amd64", "go1.26.2"));
    write(
        &root,
        "Users/dev/AppData/Roaming/go/env",
        b"GOPROXY=https://proxy.corp.example\n",
    );
    write(
        &root,
        "Users/dev/AppData/Roaming/Code/User/settings.json",
        b"{\n  // gopls was slow once\n  \"go.useLanguageServer\": false\n}\n",
    );
    let report = audit(dir.path(), &["win"]);
    let image = &report["images"][0];
    let shown: Vec<(String, String, String)> = image["users"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let at = match f["location"]["line"].as_u64() {
                Some(line) => format!("{}:{line}", f["location"]["file"].as_str().unwrap()),
                None => f["location"]["file"].as_str().unwrap_or("-").to_string(),
            };
            (
                f["id"].as_str().unwrap().to_string(),
                at,
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let ids: Vec<(&str, &str)> = shown
        .iter()
        .map(|(id, at, _)| (id.as_str(), at.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("GO003", r"HKCU\Environment\GOROOT"),
            ("GO002", r"HKCU\Environment\Path"),
            ("GO027", r"C:\Users\dev\AppData\Roaming\go\env:1"),
            (
                "GO047",
                r"C:\Users\dev\AppData\Roaming\Code\User\settings.json:3"
            ),
        ],
        "{shown:#?}"
    );
    let remediation = |index: usize| {
        image["users"][0]["findings"][index]["remediation"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        remediation(0).contains("[Environment]::SetEnvironmentVariable('GOROOT', $null, 'User')"),
        "{}",
        remediation(0)
    );
    assert!(
        remediation(1).contains(r"Where-Object { $_ -ne 'C:\Go\bin' }"),
        "{}",
        remediation(1)
    );
    assert!(remediation(3).contains("Get-Content"), "{}", remediation(3));
    for unix in ["sudo ", ".profile", "sed -i"] {
        for index in 0..4 {
            assert!(
                !remediation(index).contains(unix),
                "{unix}: {}",
                remediation(index)
            );
        }
    }
    // No edit of a Windows volume is proposed or made.
    let out = envgate(&["fix", "--root", "win"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("is a Windows volume: envgate fix does not edit"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A hive that is not one (a truncated copy, a FIFO) leaves the user's environment
/// unknown: the audit says which input was not read and fails, never a clean pass.
#[test]
fn an_unreadable_user_hive_is_an_input_not_read_and_fails_the_audit() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("win");
    windows(&root, false);
    write(&root, "Users/dev/NTUSER.DAT", b"regf but cut short");
    let out = envgate(&["audit", "--root", "win", "--format", "json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let notices = &report["images"][0]["users"][0]["inputs_not_read"];
    assert_eq!(notices[0]["file"], r"C:\Users\dev\NTUSER.DAT", "{report:#}");
    assert!(
        notices[0]["message"]
            .as_str()
            .unwrap()
            .contains("registry hive HKCU cannot be read")
    );
}
