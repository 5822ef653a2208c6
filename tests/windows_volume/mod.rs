//! Windows volumes for the tests that judge them (tests/windows_image.rs,
//! tests/windows_defender.rs, tests/windows_goroot.rs, tests/windows_workspace.rs):
//! registry hives built at test time by hivex's `hivexregedit --merge` from the `.reg`
//! files under tests/fixtures/windows, fake PE programs, and the audit run on them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/windows")
}

pub fn hivex_missing() -> bool {
    match std::process::Command::new("hivexregedit")
        .arg("--help")
        .output()
    {
        Ok(_) => false,
        Err(e) => {
            eprintln!(
                "skipped: hivexregedit cannot be run ({e}); .ci/deps/60-hivex.sh installs it"
            );
            true
        }
    }
}

/// A real hive at `path`: an empty one filled by `hivexregedit --merge` from `reg`.
pub fn hive(path: &Path, root: &str, prefix: &str, reg: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, envgate::host::registry::synth::empty_hive(root)).unwrap();
    let status = std::process::Command::new("hivexregedit")
        .args(["--merge", "--prefix", prefix])
        .arg(path)
        .arg(fixtures().join(reg))
        .status()
        .unwrap();
    assert!(status.success(), "hivexregedit --merge {reg}: {status}");
}

pub fn write(root: &Path, path: &str, bytes: &[u8]) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A Windows 11 volume with Go's MSI install and one user, `dev`, whose `go install`ed
/// gopls is in `%USERPROFILE%\go\bin`. `trap` picks the registry and leftovers.
pub fn windows(root: &Path, trap: bool) {
    let (system, software, ntuser) = if trap {
        ("system-trap.reg", None, "ntuser-trap.reg")
    } else {
        (
            "system-clean.reg",
            Some("software-clean.reg"),
            "ntuser-clean.reg",
        )
    };
    // NTFS shown in another case than Windows writes it, as some mounts do.
    let config = root.join("Windows/System32/config");
    hive(
        &config.join("SYSTEM"),
        "SYSTEM",
        r"HKEY_LOCAL_MACHINE\SYSTEM",
        system,
    );
    match software {
        Some(reg) => hive(
            &config.join("SOFTWARE"),
            "SOFTWARE",
            r"HKEY_LOCAL_MACHINE\SOFTWARE",
            reg,
        ),
        None => hive(
            &config.join("SOFTWARE"),
            "SOFTWARE",
            r"HKEY_LOCAL_MACHINE\SOFTWARE",
            "empty.reg",
        ),
    }
    hive(
        &root.join("Users/dev/NTUSER.DAT"),
        "ROOT",
        r"HKEY_CURRENT_USER",
        ntuser,
    );
    // The template profile has a hive too and is nobody's.
    hive(
        &root.join("Users/Default/NTUSER.DAT"),
        "ROOT",
        r"HKEY_CURRENT_USER",
        "empty.reg",
    );
    let pe = envgate::binary::synth::fake_pe;
    write(
        root,
        "Windows/System32/ntoskrnl.exe",
        &pe("amd64", "go1.27.1"),
    );
    write(
        root,
        "PROGRAM FILES/Go/VERSION",
        b"go1.27.1\ntime 2026-10-01T00:00:00Z\n",
    );
    write(
        root,
        "PROGRAM FILES/Go/bin/go.exe",
        &pe("amd64", "go1.27.1"),
    );
    write(
        root,
        "PROGRAM FILES/Go/bin/gofmt.exe",
        &pe("amd64", "go1.27.1"),
    );
    complete_goroot(root, "PROGRAM FILES/Go", "go1.27.1");
    write(root, "Users/dev/go/bin/gopls.exe", &pe("amd64", "go1.27.1"));
    write(
        root,
        "Users/dev/AppData/Local/Microsoft/WindowsApps/winget.exe",
        b"MZ",
    );
    if trap {
        // A tool a non-elevated program "installed" into Go's bin: UAC moved it here.
        write(
            root,
            "Users/dev/AppData/Local/VirtualStore/Program Files/Go/bin/dlv.exe",
            &pe("amd64", "go1.27.1"),
        );
    }
}

/// The rest of a complete Go tree under `goroot` (a path inside the volume) beside
/// `bin\go.exe`: the standard library's runtime and the compiler of `version`.
pub fn complete_goroot(root: &Path, goroot: &str, version: &str) {
    write(
        root,
        &format!("{goroot}/src/runtime/runtime.go"),
        b"package runtime\n",
    );
    write(
        root,
        &format!("{goroot}/pkg/tool/windows_amd64/compile.exe"),
        &envgate::binary::synth::fake_pe("amd64", version),
    );
}

pub fn envgate(args: &[&str], dir: &Path) -> std::process::Output {
    Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap()
}

/// `envgate fix --root win ARGS` in `dir`, its backups under `dir/home`: the exit code
/// and what it printed (standard output, then standard error).
pub fn fix(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(dir)
        .env("HOME", dir.join("home"))
        .env_remove("XDG_STATE_HOME")
        .args(["fix", "--root", "win"])
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

pub fn audit(dir: &Path, roots: &[&str]) -> Value {
    let mut args = vec!["audit", "--format", "json"];
    for root in roots {
        args.extend(["--root", root]);
    }
    let out = envgate(&args, dir);
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{e}: {text}\n{}", String::from_utf8_lossy(&out.stderr)))
}

/// `(id, location file)` of every finding of the image's one user, sorted.
pub fn findings(image: &Value) -> Vec<(String, String)> {
    let users = image["users"].as_array().unwrap();
    assert_eq!(users.len(), 1, "{image:#}");
    let mut found: Vec<(String, String)> = users[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["location"]["file"].as_str().unwrap_or("-").to_string();
            (f["id"].as_str().unwrap().to_string(), file)
        })
        .collect();
    found.sort();
    found
}

/// `(id, file:line or file, message)` of each finding of a report's `findings` array,
/// in the report's order.
pub fn placed(findings: &Value) -> Vec<(String, String, String)> {
    findings
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
        .collect()
}

pub fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(id, file)| (id.to_string(), file.to_string()))
        .collect()
}

/// Merges `.reg` text into the hive at `path` (made by [`hive`]), for settings one
/// test needs on top of a volume's.
pub fn merge(path: &Path, prefix: &str, reg: &str) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        file.path(),
        format!("Windows Registry Editor Version 5.00\n\n{reg}"),
    )
    .unwrap();
    let status = std::process::Command::new("hivexregedit")
        .args(["--merge", "--prefix", prefix])
        .arg(path)
        .arg(file.path())
        .status()
        .unwrap();
    assert!(status.success(), "hivexregedit --merge: {status}\n{reg}");
}

/// Merges `.reg` text into a volume's SOFTWARE hive.
pub fn merge_software(root: &Path, reg: &str) {
    merge(
        &root.join("Windows/System32/config/SOFTWARE"),
        r"HKEY_LOCAL_MACHINE\SOFTWARE",
        reg,
    );
}

/// The audit's outcome of rule `id` for the image's one user (`passed`, `failed`,
/// `not-applicable`).
pub fn status(image: &Value, id: &str) -> String {
    image["users"][0]["rules"]
        .as_array()
        .unwrap_or_else(|| panic!("no rules: {image:#}"))
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} not run: {image:#}"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// `(id, location file, message)` of every finding of `check` on the volume `win`
/// under `dir`, checking `workspace` when given.
pub fn check(dir: &Path, workspace: Option<&str>) -> Vec<(String, String, String)> {
    let mut args = vec!["check", "--root", "win", "--format", "json"];
    args.extend(workspace);
    let out = envgate(&args, dir);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut found = placed(&report["findings"]);
    found.sort();
    found
}

/// The remediation text of the one finding `id` of `check`.
pub fn remediation(dir: &Path, workspace: Option<&str>, id: &str) -> String {
    let mut args = vec!["check", "--root", "win", "--format", "json"];
    args.extend(workspace);
    let out = envgate(&args, dir);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no {id}: {report:#}"))["remediation"]
        .as_str()
        .unwrap()
        .to_string()
}

pub fn row(id: &str, at: &str, message: &str) -> (String, String, String) {
    (id.to_string(), at.to_string(), message.to_string())
}

/// Sets values of the user's environment key (`HKCU\Environment`), as `.reg` lines.
pub fn user_env(root: &Path, values: &str) {
    merge(
        &root.join("Users/dev/NTUSER.DAT"),
        "HKEY_CURRENT_USER",
        &format!("[HKEY_CURRENT_USER\\Environment]\n{values}\n"),
    );
}

/// A clean volume (Go's MSI install, complete) in `dir/win`.
pub fn volume(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("win");
    windows(&root, false);
    root
}

pub const PATH_WITH_MSYS2: &str = r#""Path"="C:\\msys64\\ucrt64\\bin;C:\\Users\\dev\\go\\bin""#;

/// MSYS2's UCRT64 gcc, as the volume shows it in upper case.
pub fn msys2_gcc(root: &Path) {
    write(
        root,
        "msys64/UCRT64/BIN/GCC.EXE",
        &envgate::binary::synth::fake_pe("amd64", "go1.27.1"),
    );
}

/// A module whose cgo code runs pkg-config (gotk3: glib-2.0, gtk+-3.0), its require at
/// line 5.
pub const GTK_MODULE: &str =
    "module example.com/viewer\n\ngo 1.26\n\nrequire github.com/gotk3/gotk3 v0.6.3\n";
