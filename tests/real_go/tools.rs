//! GO038, GO039 and `doctor --probe` on the real things: the go1.27.3 that
//! GOTOOLCHAIN switching downloaded, a gopls v0.23.0 built by `go install`, and the
//! machine's Go 1.26, healthy and with an incomplete GOROOT.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use super::ci_cache;

const GO126: &str = "/usr/local/go";

/// Runs envgate with a clean environment around the machine's Go 1.26 and returns
/// its JSON report.
fn envgate(args: &[&str], env: &[(&str, &Path)], goroot: &Path, workdir: &Path) -> Value {
    let home = workdir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    cmd.env_clear()
        .env("PATH", format!("{}/bin:/usr/bin:/bin", goroot.display()))
        .env("HOME", &home)
        .current_dir(workdir)
        .args(args)
        .args(["--format", "json"]);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let output = cmd.output().unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn findings<'a>(report: &'a Value, id: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .collect()
}

fn module(dir: &Path, go_line: &str) -> PathBuf {
    let app = dir.join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(
        app.join("go.mod"),
        format!("module example.com/app\n\ngo {go_line}\n"),
    )
    .unwrap();
    app
}

/// Where the deps script put the real downloads, or why the test skips.
fn real_downloads() -> Option<(PathBuf, PathBuf)> {
    let modcache = ci_cache().join("go/pkg/mod");
    let gobin = ci_cache().join("bin");
    let toolchain = modcache.join("golang.org/toolchain@v0.0.1-go1.27.3.linux-amd64/bin/go");
    for needed in [
        Path::new(GO126).join("bin/go"),
        toolchain,
        gobin.join("gopls"),
    ] {
        if !needed.is_file() {
            eprintln!(
                "skipped: {} is missing (run .ci/deps/20-go-toolchains.sh)",
                needed.display()
            );
            return None;
        }
    }
    Some((modcache, gobin))
}

/// The real gopls v0.23.0 was built by the machine's Go 1.26; a `go 1.27.3` module is newer, so
/// GO039 fires, names that gopls, and (Go 1.26 builds v0.23.0 at most, and its go.env
/// says GOTOOLCHAIN=local) tells the user the newest release it can build. The
/// downloaded go1.27.3 is listed by GO038.
#[test]
fn go038_go039_trigger_on_a_real_download_and_a_real_gopls() {
    let Some((modcache, gobin)) = real_downloads() else {
        return;
    };
    // What follows (the newest gopls it builds is v0.23.0) holds for any Go 1.26.
    let version = std::fs::read_to_string(Path::new(GO126).join("VERSION")).unwrap_or_default();
    let local = version.lines().next().unwrap_or("").to_string();
    if !local.starts_with("go1.26.") {
        eprintln!("skipped: {GO126} holds {local:?}, not the Go 1.26 this test is written for");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let app = module(dir.path(), "1.27.3");
    let env = [
        ("GOMODCACHE", modcache.as_path()),
        ("GOBIN", gobin.as_path()),
    ];
    let report = envgate(&["check"], &env, Path::new(GO126), &app);

    let go038 = findings(&report, "GO038");
    assert_eq!(go038.len(), 1, "{report:#}");
    let message = go038[0]["message"].as_str().unwrap();
    assert!(message.contains("go1.27.3 (linux/amd64)"), "{message}");
    assert!(
        message.contains(&format!("instead of the installed {local}")),
        "{message}"
    );

    let gopls = gobin.join("gopls").display().to_string();
    let go039: Vec<_> = findings(&report, "GO039")
        .into_iter()
        .filter(|f| f["evidence"]["path"] == gopls.as_str())
        .collect();
    assert_eq!(go039.len(), 1, "{report:#}");
    let message = go039[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("was built with {local}, older than the go 1.27.3")),
        "{message}"
    );
    let evidence = &go039[0]["evidence"];
    assert_eq!(evidence["local"], local.as_str());
    assert_eq!(evidence["pinned"], "v0.23.0");
    assert_eq!(
        evidence["install"],
        "go install golang.org/x/tools/gopls@v0.23.0"
    );
    assert_eq!(evidence["needs_newer_go"], true);
}

/// The clean side: a module the gopls' Go already knows, and an empty module cache.
#[test]
fn go038_go039_clean_on_a_real_gopls_for_an_older_module() {
    let Some((_, gobin)) = real_downloads() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let app = module(dir.path(), "1.26");
    let empty_cache = dir.path().join("modcache");
    std::fs::create_dir_all(&empty_cache).unwrap();
    let env = [
        ("GOMODCACHE", empty_cache.as_path()),
        ("GOBIN", gobin.as_path()),
    ];
    let report = envgate(&["check"], &env, Path::new(GO126), &app);
    assert!(findings(&report, "GO038").is_empty(), "{report:#}");
    assert!(findings(&report, "GO039").is_empty(), "{report:#}");
}

fn probe_findings(report: &Value) -> Vec<String> {
    ["GO051", "GO052", "GO053", "GO054"]
        .iter()
        .flat_map(|id| findings(report, id))
        .map(|f| format!("{}: {}", f["id"], f["message"]))
        .collect()
}

/// `doctor --probe` on the real Go 1.26 builds the hello-world module, with and
/// without cgo, and reports nothing.
#[test]
fn probe_passes_on_a_healthy_go_1_26() {
    if !Path::new(GO126).join("bin/go").is_file() {
        eprintln!("skipped: {GO126}/bin/go is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("gocache");
    let report = envgate(
        &["doctor", "--probe"],
        &[("GOCACHE", cache.as_path())],
        Path::new(GO126),
        dir.path(),
    );
    assert_eq!(probe_findings(&report), Vec::<String>::new());
    // The probe really ran: the report has the probe rules as passed.
    let statuses: Vec<&Value> = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"] == "GO053")
        .map(|r| &r["status"])
        .collect();
    assert_eq!(statuses, [&Value::from("passed")]);
}

/// A GOROOT without its compiler (an interrupted copy): `go version`, `go env` and
/// `go mod init` work, `go build` cannot find the compiler. GO053 names the build
/// step and nothing earlier is blamed.
#[test]
fn probe_names_the_build_step_on_an_incomplete_goroot() {
    let real = Path::new(GO126);
    if !real.join("bin/go").is_file() {
        eprintln!("skipped: {GO126}/bin/go is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("go");
    std::fs::create_dir_all(broken.join("bin")).unwrap();
    std::fs::create_dir_all(broken.join("pkg")).unwrap();
    // A copy, not a link: cmd/go finds its GOROOT from its own resolved path.
    std::fs::copy(real.join("bin/go"), broken.join("bin/go")).unwrap();
    for part in ["src", "lib", "misc", "VERSION", "go.env", "api"] {
        if real.join(part).exists() {
            symlink(real.join(part), broken.join(part)).unwrap();
        }
    }
    symlink(real.join("pkg/include"), broken.join("pkg/include")).unwrap();
    // cmd/go recognises its GOROOT by `pkg/tool`; every tool is there but the compiler.
    for platform in std::fs::read_dir(real.join("pkg/tool")).unwrap() {
        let platform = platform.unwrap();
        let target = broken.join("pkg/tool").join(platform.file_name());
        std::fs::create_dir_all(&target).unwrap();
        for tool in std::fs::read_dir(platform.path()).unwrap() {
            let tool = tool.unwrap();
            if tool.file_name() != "compile" {
                symlink(tool.path(), target.join(tool.file_name())).unwrap();
            }
        }
    }
    let cache = dir.path().join("gocache");
    let report = envgate(
        &["doctor", "--probe"],
        &[("GOCACHE", cache.as_path())],
        &broken,
        dir.path(),
    );
    let found = probe_findings(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("\"GO053\""), "{found:#?}");
    assert!(found[0].contains("go build -o hello ."), "{found:#?}");
}
