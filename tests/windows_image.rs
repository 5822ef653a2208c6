//! Windows volumes judged from their disks: registry hives built at test time by
//! hivex's `hivexregedit --merge` (Debian's libwin-hivex-perl; `.ci/deps/60-hivex.sh`
//! installs it) from the `.reg` files under tests/fixtures/windows into an empty hive
//! made by `envgate::host::registry::synth`, fake PE `go.exe` files by the crate's
//! synthesis. No hive or binary is committed, and no Windows machine was at hand: what
//! Windows does is taken from its documentation. Without hivexregedit the tests skip
//! with a printed reason.

mod windows_volume;

use std::path::Path;

use serde_json::Value;
use windows_volume::{
    audit, envgate, findings, fix, hive, hivex_missing, merge, pairs, placed, windows, write,
};

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
    // Path and the policies are registry values: `fix` proposes no edit for them (no
    // `export PATH` line in a `.profile` Windows never reads), only their commands.
    let (code, shown) = fix(dir.path(), &[]);
    assert_eq!(code, Some(0), "{shown}");
    assert!(!shown.contains("---"), "{shown}");
    assert!(!shown.contains("Not applied"), "{shown}");
    assert!(
        shown
            .contains("No structured fix (see their remediation in `envgate check`): GO001, GO013"),
        "{shown}"
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
    windows_volume::complete_goroot(&root, "Go", "go1.26.2");
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
    let shown = placed(&image["users"][0]["findings"]);
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
    // The volume's files are fixed like an image's (the `go env -w` file, VS Code's
    // settings); registry values are never written: their findings keep only their
    // PowerShell commands.
    let goenv = root.join("Users/dev/AppData/Roaming/go/env");
    let settings = root.join("Users/dev/AppData/Roaming/Code/User/settings.json");
    let before = (
        std::fs::read(&goenv).unwrap(),
        std::fs::read(&settings).unwrap(),
    );
    let (code, dry) = fix(dir.path(), &[]);
    assert_eq!(code, Some(1), "{dry}");
    assert!(
        dry.contains(r"# C:\Users\dev\AppData\Roaming\go\env (GO027)"),
        "{dry}"
    );
    assert!(
        dry.contains("+GOPROXY=https://proxy.corp.example,direct"),
        "{dry}"
    );
    assert!(
        dry.contains(r"C:\Users\dev\AppData\Roaming\Code\User\settings.json (GO047)"),
        "{dry}"
    );
    for unix in [".profile", ".bashrc", "environment.d", "sudo "] {
        assert!(!dry.contains(unix), "{unix}: {dry}");
    }
    assert_eq!(
        (
            std::fs::read(&goenv).unwrap(),
            std::fs::read(&settings).unwrap()
        ),
        before,
        "a dry run writes nothing"
    );
    let (code, applied) = fix(dir.path(), &["--apply"]);
    assert_eq!(code, Some(0), "{applied}");
    assert!(applied.contains("every fixed finding gone"), "{applied}");
    assert_eq!(
        std::fs::read_to_string(&goenv).unwrap(),
        "GOPROXY=https://proxy.corp.example,direct\n"
    );
    let edited = std::fs::read_to_string(&settings).unwrap();
    assert!(edited.contains("// gopls was slow once"), "{edited}");
    assert!(
        edited.contains("\"go.useLanguageServer\": true"),
        "{edited}"
    );
    let (code, undone) = fix(dir.path(), &["--undo"]);
    assert_eq!(code, Some(0), "{undone}");
    assert_eq!(
        (
            std::fs::read(&goenv).unwrap(),
            std::fs::read(&settings).unwrap()
        ),
        before,
        "--undo puts the volume's files back"
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

/// A WSL 2 disk at `vhdx`: an ext4 file system holding `files` (path, text), in a
/// VHDX container, as WSL keeps a distribution (no partition table). `None` when
/// mkfs.ext4 or qemu-img is missing (the test then skips, saying why).
fn wsl_disk(vhdx: &Path, files: &[(&str, &str)]) -> Option<()> {
    for tool in ["mkfs.ext4", "qemu-img"] {
        if std::process::Command::new(tool).arg("-V").output().is_err() {
            eprintln!("skipped: {tool} cannot be run; .ci/deps/70-wsl-disk.sh installs it");
            return None;
        }
    }
    let work = tempfile::tempdir().unwrap();
    let stage = work.path().join("stage");
    for (path, text) in files {
        write(&stage, path, text.as_bytes());
    }
    std::fs::create_dir_all(stage.join("etc")).unwrap();
    let raw = work.path().join("disk.raw");
    let status = std::process::Command::new("mkfs.ext4")
        .args(["-q", "-F", "-d"])
        .arg(&stage)
        .arg(&raw)
        .arg("8M")
        .status()
        .unwrap();
    assert!(status.success(), "mkfs.ext4: {status}");
    std::fs::create_dir_all(vhdx.parent().unwrap()).unwrap();
    let status = std::process::Command::new("qemu-img")
        .args(["convert", "-f", "raw", "-O", "vhdx"])
        .arg(&raw)
        .arg(vhdx)
        .status()
        .unwrap();
    assert!(status.success(), "qemu-img convert: {status}");
    Some(())
}

/// The Lxss key of one distribution, as wsl.exe registers it.
fn lxss(guid: &str, name: &str, version: u32, base: &str) -> String {
    format!(
        "[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss\\{{{guid}}}]\n\"DistributionName\"=\"{name}\"\n\"Version\"=dword:{version:08x}\n\"BasePath\"=\"{}\"\n\n",
        base.replace('\\', "\\\\")
    )
}

const LOCAL: &str = r"C:\Users\dev\AppData\Local";

/// hivexregedit adds a key only under one that exists.
const LXSS_PARENTS: &str = "[HKEY_CURRENT_USER\\Software\\Microsoft]\n\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows]\n\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion]\n\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss]\n\n";

/// Registers distributions for `dev` (`(guid, name, version, BasePath)`), as wsl.exe does.
fn register(root: &Path, distributions: &[(&str, &str, u32, String)]) {
    let mut reg = LXSS_PARENTS.to_string();
    for (guid, name, version, base) in distributions {
        reg.push_str(&lxss(guid, name, *version, base));
    }
    merge(
        &root.join("Users/dev/NTUSER.DAT"),
        "HKEY_CURRENT_USER",
        &reg,
    );
}

#[test]
fn go071_windows_trigger_go_appended_into_wsl_read_from_each_distribution_disk() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("win");
    windows(&root, false);
    let local = root.join("Users/dev/AppData/Local");
    // Ubuntu (WSL 2): no wsl.conf, a Go of its own: the Windows Path is appended after it.
    let Some(()) = wsl_disk(
        &local.join("Packages/Ubuntu/LocalState/ext4.vhdx"),
        &[("usr/local/go/bin/go", "ELF"), ("etc/hostname", "ubuntu\n")],
    ) else {
        return;
    };
    // Debian (WSL 2): appendWindowsPath = false: clean.
    wsl_disk(
        &local.join("Packages/Debian/LocalState/ext4.vhdx"),
        &[(
            "etc/wsl.conf",
            "[boot]\nsystemd=true\n[interop]\nappendWindowsPath = false\n",
        )],
    )
    .unwrap();
    // Legacy (WSL 1): a rootfs directory whose wsl.conf says true, no Go of its own.
    write(
        &local,
        "lxss/rootfs/etc/wsl.conf",
        b"[interop]\nappendWindowsPath = true\n",
    );
    register(
        &root,
        &[
            (
                "11111111-1111-1111-1111-111111111111",
                "Ubuntu",
                2,
                format!(r"{LOCAL}\Packages\Ubuntu\LocalState"),
            ),
            (
                "22222222-2222-2222-2222-222222222222",
                "Debian",
                2,
                format!(r"\\?\{LOCAL}\Packages\Debian\LocalState"),
            ),
            (
                "33333333-3333-3333-3333-333333333333",
                "Legacy",
                1,
                format!(r"{LOCAL}\lxss"),
            ),
        ],
    );

    let report = audit(dir.path(), &["win"]);
    let image = &report["images"][0];
    let user = &image["users"][0];
    let mut found: Vec<(String, String, Value, String)> = user["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "GO071")
        .map(|f| {
            (
                f["location"]["file"].as_str().unwrap().to_string(),
                f["subject"].as_str().unwrap().to_string(),
                f["location"]["line"].clone(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let key = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss";
    assert_eq!(
        found,
        [
            (
                format!(r"{key}\{{11111111-1111-1111-1111-111111111111}}"),
                "windows.wsl[0]".to_string(),
                Value::Null,
                r"WSL distribution Ubuntu appends the Windows Path, so C:\Program Files\Go\bin\go.exe is on its PATH as /mnt/c/Program Files/Go/bin (after its own /usr/local/go/bin/go)".to_string()
            ),
            (
                r"\\wsl$\Legacy\etc\wsl.conf".to_string(),
                "windows.wsl[2]".to_string(),
                Value::from(2),
                r"WSL distribution Legacy appends the Windows Path, so C:\Program Files\Go\bin\go.exe is on its PATH as /mnt/c/Program Files/Go/bin (it has no Go of its own: `go` there runs the Windows toolchain)".to_string()
            ),
        ],
        "{:#}",
        user["findings"]
    );
    // The disks were read, not guessed: Debian's setting comes from its ext4 file system.
    let out = envgate(&["snapshot", "--root", "win"], dir.path());
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    let wsl = snapshot["windows"]["wsl"].as_array().unwrap();
    let names: Vec<&str> = wsl.iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Ubuntu", "Debian", "Legacy"]);
    let debian = &wsl[1];
    assert_eq!(debian["state"], "read", "{debian:#}");
    assert_eq!(debian["append_windows_path"]["line"], 4);
    assert_eq!(debian["append_windows_path"]["enabled"], false);
    assert_eq!(
        debian["disk"],
        format!(r"{LOCAL}\Packages\Debian\LocalState\ext4.vhdx")
    );
    assert_eq!(
        wsl[0]["linux_go"],
        serde_json::json!(["/usr/local/go/bin/go"])
    );
    assert_eq!(wsl[2]["version"], 1);
}

#[test]
fn go071_windows_clean_a_distribution_that_does_not_append_the_windows_path() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("win");
    windows(&root, false);
    let Some(()) = wsl_disk(
        &root.join("Users/dev/AppData/Local/Packages/Debian/LocalState/ext4.vhdx"),
        &[
            ("etc/wsl.conf", "[interop]\nappendWindowsPath=false\n"),
            ("usr/bin/go", "ELF"),
        ],
    ) else {
        return;
    };
    register(
        &root,
        &[(
            "22222222-2222-2222-2222-222222222222",
            "Debian",
            2,
            format!(r"{LOCAL}\Packages\Debian\LocalState"),
        )],
    );
    let out = envgate(&["audit", "--root", "win", "--format", "json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let image = &report["images"][0];
    assert_eq!(findings(image), Vec::new(), "{image:#}");
    assert_eq!(windows_volume::status(image, "GO071"), "passed");
}

#[test]
fn an_unreadable_wsl_disk_is_an_input_not_read_and_fails_the_audit() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("win");
    windows(&root, false);
    write(
        &root,
        "Users/dev/AppData/Local/Packages/Ubuntu/LocalState/ext4.vhdx",
        b"vhdxfile but cut short",
    );
    register(
        &root,
        &[(
            "11111111-1111-1111-1111-111111111111",
            "Ubuntu",
            2,
            format!(r"{LOCAL}\Packages\Ubuntu\LocalState"),
        )],
    );
    let out = envgate(&["audit", "--root", "win", "--format", "json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let notices = &report["images"][0]["users"][0]["inputs_not_read"];
    assert_eq!(
        notices[0]["file"],
        format!(r"{LOCAL}\Packages\Ubuntu\LocalState\ext4.vhdx"),
        "{report:#}"
    );
    assert!(
        notices[0]["message"].as_str().unwrap().starts_with(
            "WSL distribution Ubuntu cannot be read (not a VHDX disk envgate can read: "
        ),
        "{notices:#}"
    );
}
