//! Microsoft Defender (GO070) and PowerShell 7's execution policy (GO063) judged on
//! Windows volumes whose hives hivex builds at test time (see tests/windows_volume).
//! What Windows does is taken from Microsoft's documentation and PowerShell's source;
//! no Windows machine was at hand. Without hivexregedit the tests skip with a reason.

mod windows_volume;

use std::path::Path;

use serde_json::Value;
use windows_volume::{
    audit, envgate, findings, hivex_missing, merge_software, pairs, status, windows, write,
};

const LOCAL_PATHS: &str = r"HKLM\SOFTWARE\Microsoft\Windows Defender\Exclusions\Paths";

/// Defender's keys, real-time protection on (`DisableRealtimeMonitoring` = 0), and
/// `paths` as the value names of the local exclusion list.
fn defender(root: &Path, paths: &[&str], extra: &str) {
    let values: String = paths
        .iter()
        .map(|p| format!("\"{}\"=dword:00000000\n", p.replace('\\', "\\\\")))
        .collect();
    merge_software(
        root,
        &format!(
            r#"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender]
"ProductStatus"=dword:00000000

[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Real-Time Protection]
"DisableRealtimeMonitoring"=dword:00000000

[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Exclusions]

[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Exclusions\Paths]
{values}
{extra}"#
        ),
    );
}

fn volume(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("win");
    windows(&root, false);
    root
}

fn the_finding(image: &Value, id: &str) -> Value {
    image["users"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no {id}: {image:#}"))
}

#[test]
fn go070_windows_trigger_defender_on_without_exclusions_names_each_go_directory() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    defender(&root, &[], "");
    let report = audit(dir.path(), &["win"]);
    let image = &report["images"][0];
    assert_eq!(findings(image), pairs(&[("GO070", LOCAL_PATHS)]));
    let finding = the_finding(image, "GO070");
    assert_eq!(finding["severity"], "info");
    assert_eq!(
        finding["message"],
        r"Microsoft Defender's real-time protection (on: HKLM\SOFTWARE\Microsoft\Windows Defender\Real-Time Protection\DisableRealtimeMonitoring = 0) scans GOCACHE and GOMODCACHE and GOBIN as Go writes them: no exclusion covers C:\Users\dev\AppData\Local\go-build (GOCACHE), C:\Users\dev\go\pkg\mod (GOMODCACHE), C:\Users\dev\go\bin (GOBIN), so builds and installs are slower and freshly built programs can be quarantined"
    );
    assert_eq!(
        finding["evidence"]["missing"],
        serde_json::json!([
            r"C:\Users\dev\AppData\Local\go-build",
            r"C:\Users\dev\go\pkg\mod",
            r"C:\Users\dev\go\bin"
        ])
    );
    let remediation = finding["remediation"].as_str().unwrap();
    assert!(
        remediation.contains(
            r"Add-MpPreference -ExclusionPath 'C:\Users\dev\AppData\Local\go-build','C:\Users\dev\go\pkg\mod','C:\Users\dev\go\bin'"
        ),
        "{remediation}"
    );
    assert!(remediation.contains("security team"), "{remediation}");
    // Never: turning protection off.
    for off in ["DisableRealtimeMonitoring", "Set-MpPreference", "-Disable"] {
        assert!(!remediation.contains(off), "{off}: {remediation}");
    }
    assert_eq!(status(image, "GO070"), "failed");
}

/// One exclusion names the cache through a variable the SYSTEM account has
/// (`%SystemDrive%`), the other is a parent folder written in another case: both
/// cover. Real-time protection is on by default (no value).
#[test]
fn go070_windows_clean_exclusions_covering_the_directories_pass() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    defender(
        &root,
        &[
            r"%SystemDrive%\Users\dev\AppData\Local\go-build",
            r"C:\USERS\DEV\go",
        ],
        "",
    );
    let report = audit(dir.path(), &["win"]);
    let image = &report["images"][0];
    assert_eq!(findings(image), Vec::new());
    assert_eq!(status(image, "GO070"), "passed");
    let out = envgate(&["snapshot", "--root", "win"], dir.path());
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    let covered: Vec<(String, String)> = snapshot["windows"]["defender"]["go_dirs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_string(),
                d["excluded_by"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    let by = |path: &str| format!(r"{LOCAL_PATHS}\{path}");
    assert_eq!(
        covered,
        [
            (
                "GOCACHE".to_string(),
                by(r"%SystemDrive%\Users\dev\AppData\Local\go-build")
            ),
            ("GOMODCACHE".to_string(), by(r"C:\USERS\DEV\go")),
            ("GOBIN".to_string(), by(r"C:\USERS\DEV\go")),
        ]
    );
}

/// Defender expands exclusions with the SYSTEM account's variables: one written
/// `%LOCALAPPDATA%\go-build` names the system profile's folder, and the finding says
/// so.
#[test]
fn go070_an_exclusion_written_with_a_user_variable_does_not_cover_the_users_cache() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    defender(&root, &[r"%LOCALAPPDATA%\go-build", r"C:\Users\dev\go"], "");
    let report = audit(dir.path(), &["win"]);
    let image = &report["images"][0];
    assert_eq!(findings(image), pairs(&[("GO070", LOCAL_PATHS)]));
    let finding = the_finding(image, "GO070");
    assert_eq!(
        finding["evidence"]["missing"],
        serde_json::json!([r"C:\Users\dev\AppData\Local\go-build"])
    );
    assert_eq!(
        finding["evidence"]["user_variable_exclusions"],
        serde_json::json!([format!(r"{LOCAL_PATHS}\%LOCALAPPDATA%\go-build")])
    );
    assert_eq!(
        finding["message"],
        r"Microsoft Defender's real-time protection (on: HKLM\SOFTWARE\Microsoft\Windows Defender\Real-Time Protection\DisableRealtimeMonitoring = 0) scans GOCACHE as Go writes them: no exclusion covers C:\Users\dev\AppData\Local\go-build (GOCACHE), so builds and installs are slower and freshly built programs can be quarantined (HKLM\SOFTWARE\Microsoft\Windows Defender\Exclusions\Paths\%LOCALAPPDATA%\go-build is expanded with the SYSTEM account's variables, not the user's, and so names another folder)"
    );
    let out = envgate(&["snapshot", "--root", "win"], dir.path());
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    let exclusion = &snapshot["windows"]["defender"]["exclusions"][0];
    assert_eq!(exclusion["path"], r"%LOCALAPPDATA%\go-build");
    assert_eq!(
        exclusion["expanded"],
        r"C:\Windows\system32\config\systemprofile\AppData\Local\go-build"
    );
    assert_eq!(
        exclusion["user_expanded"],
        r"C:\Users\dev\AppData\Local\go-build"
    );
}

/// Group Policy turning real-time protection off wins over the local value that has
/// it on: nothing is scanned as it is written, GO070 passes.
#[test]
fn go070_protection_off_by_group_policy_passes() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    defender(
        &root,
        &[],
        r#"[HKEY_LOCAL_MACHINE\SOFTWARE\Policies]

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft]

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Defender]

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Defender\Real-Time Protection]
"DisableRealtimeMonitoring"=dword:00000001
"#,
    );
    let report = audit(dir.path(), &["win"]);
    let image = &report["images"][0];
    assert_eq!(findings(image), Vec::new());
    assert_eq!(status(image, "GO070"), "passed");
    let out = envgate(&["snapshot", "--root", "win"], dir.path());
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        snapshot["windows"]["defender"]["realtime_protection"],
        false
    );
    assert_eq!(
        snapshot["windows"]["defender"]["realtime_origin"],
        r"HKLM\SOFTWARE\Policies\Microsoft\Windows Defender\Real-Time Protection\DisableRealtimeMonitoring"
    );
}

/// No Defender key: nothing is known, so GO070 is not judged, and not counted as
/// passed either.
#[test]
fn go070_without_defender_keys_is_not_judged() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    volume(dir.path());
    let report = audit(dir.path(), &["win"]);
    let image = &report["images"][0];
    assert_eq!(findings(image), Vec::new());
    assert_eq!(status(image, "GO070"), "not-applicable");
    assert_eq!(image["users"][0]["summary"]["rules_facts_unknown"], 1);
    let out = envgate(&["snapshot", "--root", "win"], dir.path());
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(snapshot["windows"]["defender"], Value::Null);
}

/// PowerShell 7 installed with the config its installer ships (`$PSHOME`, RemoteSigned)
/// and the user's own setting Restricted: GO063 points at the user's file and line,
/// and names pwsh; Windows PowerShell's RemoteSigned (LocalMachine) stays quiet.
#[test]
fn go063_pwsh_restricted_in_the_users_config_is_reported_at_its_line() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    pwsh(&root);
    write(
        &root,
        "Users/dev/Documents/PowerShell/powershell.config.json",
        b"{\n  \"PSModulePath\": \"\",\n  \"Microsoft.PowerShell:ExecutionPolicy\": \"Restricted\"\n}\n",
    );
    let report = audit(dir.path(), &["win"]);
    let image = &report["images"][0];
    let file = r"C:\Users\dev\Documents\PowerShell\powershell.config.json";
    assert_eq!(findings(image), pairs(&[("GO063", file)]));
    let finding = the_finding(image, "GO063");
    assert_eq!(finding["location"]["line"], 3);
    assert_eq!(finding["severity"], "warning");
    assert_eq!(
        finding["message"],
        format!(
            r"PowerShell 7's (pwsh) execution policy is Restricted (set for CurrentUser in {file}:3), so .ps1 scripts of developer tools (Scoop and npm shims, build scripts) do not run in pwsh"
        )
    );
    assert!(
        finding["remediation"]
            .as_str()
            .unwrap()
            .contains("in PowerShell 7 (pwsh"),
        "{finding:#}"
    );
}

/// pwsh as installed: its `$PSHOME\powershell.config.json` says RemoteSigned, and the
/// user has none. Nothing to report.
#[test]
fn go063_pwsh_as_installed_is_quiet() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    pwsh(&root);
    let report = audit(dir.path(), &["win"]);
    assert_eq!(findings(&report["images"][0]), Vec::new());
    let out = envgate(&["snapshot", "--root", "win"], dir.path());
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    let policy = &snapshot["windows"]["powershell7"]["execution_policy"];
    assert_eq!(policy["effective"], "RemoteSigned");
    assert_eq!(policy["effective_scope"], "LocalMachine");
    assert_eq!(
        policy["effective_origin"],
        r"C:\Program Files\PowerShell\7\powershell.config.json"
    );
    assert_eq!(policy["effective_line"], 1);
}

/// A powershell.config.json that does not parse leaves pwsh's policy unknown: an
/// input not read, which fails the audit instead of passing it.
#[test]
fn go063_an_unparsable_pwsh_config_is_an_input_not_read() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    pwsh(&root);
    write(
        &root,
        "Users/dev/Documents/PowerShell/powershell.config.json",
        b"{\n  \"Microsoft.PowerShell:ExecutionPolicy\": \n",
    );
    let out = envgate(&["audit", "--root", "win", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let notices = &report["images"][0]["users"][0]["inputs_not_read"];
    assert_eq!(
        notices[0]["file"], r"C:\Users\dev\Documents\PowerShell\powershell.config.json",
        "{report:#}"
    );
    assert!(
        notices[0]["message"]
            .as_str()
            .unwrap()
            .ends_with("PowerShell 7's execution policy is unknown")
    );
}

/// PowerShell 7 where its installer puts it, with the `$PSHOME` config it ships.
fn pwsh(root: &Path) {
    write(
        root,
        "PROGRAM FILES/PowerShell/7/pwsh.exe",
        &envgate::binary::synth::fake_pe("amd64", "go1.27.1"),
    );
    write(
        root,
        "PROGRAM FILES/PowerShell/7/powershell.config.json",
        br#"{"Microsoft.PowerShell:ExecutionPolicy":"RemoteSigned","WindowsPowerShellCompatibilityModuleDenyList":["PSScheduledJob","BestPractices","UpdateServices"]}"#,
    );
}
