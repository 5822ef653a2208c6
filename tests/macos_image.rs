//! A macOS disk judged from its files (built at test time; nothing from a real Mac is
//! committed, and no Mac was at hand: what macOS does is taken from its documented
//! behaviour and Apple's published path_helper source). The account comes from the
//! local directory's property list, the Terminal is a login zsh whose /etc/zprofile
//! runs path_helper (/etc/paths, /etc/paths.d), and apps started from the Dock get
//! launchd's PATH, which `launchctl config user path` sets.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path.trim_start_matches('/'));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn executable(root: &Path, path: &str) {
    use std::os::unix::fs::PermissionsExt;
    write(root, path, "not run\n");
    let path = root.join(path.trim_start_matches('/'));
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

const ACCOUNT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>home</key><array><string>/Users/dev</string></array>
	<key>name</key><array><string>dev</string></array>
	<key>shell</key><array><string>/bin/zsh</string></array>
	<key>uid</key><array><string>501</string></array>
</dict>
</plist>
"#;

/// A Mac with the official Go package: /usr/local/go, its bin directory listed in
/// /etc/paths.d/go by the installer.
fn mac(root: &Path) {
    std::fs::create_dir_all(root.join("System/Library/CoreServices")).unwrap();
    write(
        root,
        "/etc/passwd",
        "nobody:*:-2:-2:Unprivileged User:/var/empty:/usr/bin/false\nroot:*:0:0:System Administrator:/var/root:/bin/sh\n",
    );
    write(
        root,
        "/var/db/dslocal/nodes/Default/users/dev.plist",
        ACCOUNT,
    );
    write(
        root,
        "/etc/paths",
        "/usr/local/bin\n/System/Cryptexes/App/usr/bin\n/usr/bin\n/bin\n/usr/sbin\n/sbin\n",
    );
    write(root, "/etc/paths.d/go", "/usr/local/go/bin\n");
    write(
        root,
        "/etc/zprofile",
        "# System-wide profile for zsh login shells.\n\nif [ -x /usr/libexec/path_helper ]; then\n\teval `/usr/libexec/path_helper -s`\nfi\n",
    );
    executable(root, "/usr/libexec/path_helper");
    executable(root, "/bin/sh");
    write(
        root,
        "/usr/local/go/VERSION",
        "go1.27.1\ntime 2026-10-01T00:00:00Z\n",
    );
    go_binary(root, "/usr/local/go/bin/go", "arm64");
    // Set before /etc/zprofile runs: path_helper moves it after the system's entries.
    write(
        root,
        "/Users/dev/.zshenv",
        "export PATH=\"/opt/early/bin:$PATH\"\n",
    );
    write(
        root,
        "/Users/dev/.zshrc",
        "export PATH=\"$HOME/go/bin:$PATH\"\n",
    );
}

/// A Go toolchain's `go` for macOS on `arch`, by the crate's Mach-O synthesis.
fn go_binary(root: &Path, path: &str, arch: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = root.join(path.trim_start_matches('/'));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        envgate::binary::synth::fake_go_macho(arch, "go1.27.1"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn envgate(args: &[&str], dir: &Path) -> std::process::Output {
    Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap()
}

fn dirs(session: &Value) -> Vec<&str> {
    session["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["dir"].as_str().unwrap_or("?"))
        .collect()
}

#[test]
fn a_mac_is_read_as_launchd_and_a_login_zsh_through_path_helper_would_set_it_up() {
    let dir = tempfile::tempdir().unwrap();
    mac(&dir.path().join("mac"));
    let output = envgate(&["snapshot", "--root", "mac"], dir.path());
    assert!(output.status.success(), "{output:?}");
    let snapshot: Value = serde_json::from_slice(&output.stdout).unwrap();
    let host = &snapshot["host"];
    assert_eq!(
        (
            &host["os"],
            &host["user"],
            &host["uid"],
            &host["login_shell"]
        ),
        (
            &"darwin".into(),
            &"dev".into(),
            &501.into(),
            &"/bin/zsh".into()
        ),
        "{host}"
    );
    // A universal /bin/sh and no sign of Apple silicon: the CPU is not known.
    assert_eq!(host["arch"], "unknown", "{host}");
    let sessions = &snapshot["shell"]["sessions"];
    assert_eq!(
        dirs(&sessions["terminal"]),
        [
            "/Users/dev/go/bin",
            "/usr/local/bin",
            "/System/Cryptexes/App/usr/bin",
            "/usr/bin",
            "/bin",
            "/usr/sbin",
            "/sbin",
            "/usr/local/go/bin",
            "/opt/early/bin",
        ]
    );
    assert_eq!(
        dirs(&sessions["gui"]),
        ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
    );
    assert!(
        sessions["gui"]["description"]
            .as_str()
            .unwrap()
            .starts_with("the desktop session (launchd"),
        "{}",
        sessions["gui"]
    );
}

#[test]
fn the_dock_missing_go_is_found_and_launchctls_fix_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mac");
    mac(&root);
    let output = envgate(&["check", "--root", "mac", "--format", "json"], dir.path());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let go015: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "GO015")
        .collect();
    assert_eq!(go015.len(), 1, "{report}");
    // The installer's line, through path_helper's model.
    assert_eq!(go015[0]["location"]["file"], "/etc/paths.d/go");
    assert_eq!(go015[0]["location"]["line"], 1);
    let fix = go015[0]["remediation"].as_str().unwrap();
    let path = fix
        .split("sudo launchctl config user path '")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no launchctl line in {fix}"));
    assert_eq!(path, "/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/go/bin");
    // What `launchctl config user path` writes, then the check again.
    write(
        &root,
        "/private/var/db/com.apple.xpc.launchd/config/user.plist",
        &format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>PathEnvironmentVariable</key>\n\t<string>{path}</string>\n</dict>\n</plist>\n"
        ),
    );
    let output = envgate(&["check", "--root", "mac", "--format", "json"], dir.path());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"GO015"), "{ids:?}");
    let output = envgate(&["snapshot", "--root", "mac"], dir.path());
    let snapshot: Value = serde_json::from_slice(&output.stdout).unwrap();
    let gui = &snapshot["shell"]["sessions"]["gui"];
    assert_eq!(
        gui["path"][4]["file"],
        "/private/var/db/com.apple.xpc.launchd/config/user.plist"
    );
    assert_eq!(gui["path"][4]["line"], 4);
}

/// An Intel Homebrew Go (`/usr/local`, an amd64 `go`) on an Apple silicon Mac (which
/// `/opt/homebrew` says), first on PATH through `/usr/local/bin/go`.
fn intel_homebrew_go(root: &Path) {
    std::fs::create_dir_all(root.join("opt/homebrew/bin")).unwrap();
    write(
        root,
        "/usr/local/opt/go/libexec/VERSION",
        "go1.27.1\ntime 2026-10-01T00:00:00Z\n",
    );
    go_binary(root, "/usr/local/opt/go/libexec/bin/go", "amd64");
    std::fs::create_dir_all(root.join("usr/local/bin")).unwrap();
    std::os::unix::fs::symlink("../opt/go/libexec/bin/go", root.join("usr/local/bin/go")).unwrap();
}

/// Homebrew's prefix says Apple silicon; an Intel Homebrew Go (its `go` an amd64
/// Mach-O, first on PATH through /usr/local/bin) runs there only under Rosetta 2: GO007.
/// The official arm64 Go beside it is not reported.
#[test]
fn an_intel_homebrew_go_on_an_apple_silicon_mac_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mac");
    mac(&root);
    intel_homebrew_go(&root);
    let output = envgate(&["check", "--root", "mac", "--format", "json"], dir.path());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let go007: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "GO007")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(go007.len(), 1, "{report}");
    assert!(
        go007[0].contains("/usr/local/opt/go/libexec"),
        "{}",
        go007[0]
    );
    assert!(
        go007[0].contains("built for darwin/amd64 but this machine is darwin/arm64"),
        "{}",
        go007[0]
    );
    assert!(go007[0].contains("Rosetta 2"), "{}", go007[0]);
}

/// An Intel line copied into an Apple-silicon Mac's ~/.zprofile: cgo gets two
/// architectures (GO067), at the line that sets it; with the line gone, nothing.
#[test]
fn an_intel_arch_flag_for_cgo_on_apple_silicon_is_found_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mac");
    mac(&root);
    // Only Apple-silicon Macs have /opt/homebrew: the CPU is arm64.
    std::fs::create_dir_all(root.join("opt/homebrew/bin")).unwrap();
    write(
        &root,
        "/Users/dev/.zprofile",
        "export CGO_ENABLED=1\nexport CGO_CFLAGS=\"-O2 -g -arch x86_64\"\n",
    );
    let output = envgate(&["check", "--root", "mac", "--format", "json"], dir.path());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "GO067")
        .collect();
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0]["location"]["file"], "/Users/dev/.zprofile");
    assert_eq!(found[0]["location"]["line"], 2);
    let fix = found[0]["remediation"].as_str().unwrap();
    assert!(fix.contains("CGO_CFLAGS='-O2 -g'"), "{fix}");
    assert!(fix.contains("GOARCH=amd64 go build"), "{fix}");

    write(&root, "/Users/dev/.zprofile", "export CGO_ENABLED=1\n");
    let output = envgate(&["check", "--root", "mac", "--format", "json"], dir.path());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        !report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "GO067"),
        "{report}"
    );
}

/// A project that links libvips through `#cgo pkg-config` on a Mac with Xcode's clang
/// but no Homebrew pkg-config: GO043, whose fix names Homebrew's package; with
/// Homebrew's pkg-config on PATH (/opt/homebrew/bin, from /etc/paths.d), nothing.
#[test]
fn a_mac_without_homebrews_pkg_config_cannot_build_a_pkg_config_module() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mac");
    mac(&root);
    executable(&root, "/usr/bin/clang");
    write(
        &root,
        "/Users/dev/src/thumbs/go.mod",
        "module example.com/thumbs\n\ngo 1.26\n\nrequire github.com/davidbyttow/govips/v2 v2.16.0\n",
    );
    let go043 = |root: &Path| -> Vec<Value> {
        let output = envgate(
            &[
                "check",
                "--root",
                root.to_str().unwrap(),
                "--format",
                "json",
                "/Users/dev/src/thumbs",
            ],
            dir.path(),
        );
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["id"] == "GO043")
            .cloned()
            .collect()
    };
    let found = go043(&root);
    assert_eq!(found.len(), 1, "{found:?}");
    let fix = found[0]["remediation"].as_str().unwrap();
    assert!(fix.contains("brew install pkg-config"), "{fix}");
    assert!(
        !fix.contains("apt-get"),
        "a Mac gets the Homebrew line only: {fix}"
    );
    assert!(fix.contains("vips"), "{fix}");

    write(&root, "/etc/paths.d/homebrew", "/opt/homebrew/bin\n");
    executable(&root, "/opt/homebrew/bin/pkg-config");
    assert_eq!(go043(&root), Vec::<Value>::new());
}

/// The issue's three Mac traps on one disk: an Intel Homebrew Go first on an Apple
/// silicon Mac's PATH, the Dock's PATH without the official Go, and a pkg-config
/// module without Homebrew's pkg-config. The whole report, finding for finding, each at
/// its file:line (or the snapshot path it judges).
#[test]
fn the_seed_traps_on_one_mac_give_exactly_their_findings() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mac");
    mac(&root);
    intel_homebrew_go(&root);
    // A whole Homebrew install, so that only its CPU is wrong.
    go_binary(
        &root,
        "/usr/local/opt/go/libexec/pkg/tool/darwin_amd64/compile",
        "amd64",
    );
    write(
        &root,
        "/usr/local/opt/go/libexec/src/runtime/extern.go",
        "package runtime\n",
    );
    executable(&root, "/usr/bin/clang");
    write(
        &root,
        "/Users/dev/src/thumbs/go.mod",
        "module example.com/thumbs\n\ngo 1.26\n\nrequire github.com/davidbyttow/govips/v2 v2.16.0\n",
    );
    let output = envgate(
        &[
            "check",
            "--root",
            "mac",
            "--format",
            "json",
            "/Users/dev/src/thumbs",
        ],
        dir.path(),
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let placed: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let at = match &f["location"] {
                Value::Null => f["subject"].as_str().unwrap_or("-").to_string(),
                l => format!("{}:{}", l["file"].as_str().unwrap(), l["line"]),
            };
            format!("{} {at}", f["id"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        placed,
        [
            // The Intel Go first on PATH: it runs under Rosetta 2 only.
            "GO007 go.toolchains[1]",
            // The official arm64 Go (/etc/paths.d/go) is shadowed by it.
            "GO002 /etc/paths.d/go:1",
            // The Dock's apps get launchd's PATH: no go at all.
            "GO015 /etc/paths:1",
            // govips runs pkg-config, which only Homebrew would bring.
            "GO043 /Users/dev/src/thumbs/go.mod:5",
        ],
        "{report:#}"
    );
}
