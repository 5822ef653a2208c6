//! Real Debian images and real programs as test subjects.
//!
//! - The image suite: bookworm and trixie root filesystems that debootstrap built
//!   (`.ci/deps/30-debootstrap-images.sh`, cached outside the repository) get users the
//!   way real machines have them, in a hard-linked copy in a temp dir (the cached image
//!   stays pristine), and `envgate audit --root` must report exactly the findings in
//!   `tests/real_images/<suite>.txt`. After a deliberate change of findings, rewrite
//!   them with `ENVGATE_BLESS=1 cargo test --test real_images` and review the diff.
//!   Without debootstrap or the cached image the suite prints "skipped: …" and why.
//! - GO013's fix for a shadowed tool, pasted into a real bash: `command -v gopls` must
//!   then find the `go install`ed one, and envgate must be clean.

mod support;

#[path = "real_images/diff.rs"]
mod diff;
#[path = "real_images/real_shells.rs"]
mod real_shells;
#[path = "real_images/users.rs"]
mod users;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;

/// Where the deps script caches the images (`ENVGATE_IMAGE_CACHE` overrides, as there).
fn image_cache() -> PathBuf {
    std::env::var_os("ENVGATE_IMAGE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/envgate-images"))
}

/// The cached image of `suite`, or why there is none.
fn cached_image(suite: &str) -> Result<PathBuf, String> {
    let cache = image_cache();
    let image = cache.join(suite);
    let stamp = cache.join(format!("{suite}.recipe"));
    if image.join("etc/os-release").is_file() && stamp.is_file() {
        return Ok(image);
    }
    let debootstrap = ["/usr/sbin/debootstrap", "/usr/bin/debootstrap"]
        .iter()
        .any(|p| Path::new(p).is_file());
    Err(if debootstrap {
        format!(
            "no {suite} image in {} (run .ci/deps/30-debootstrap-images.sh as root to build it)",
            cache.display()
        )
    } else {
        format!(
            "debootstrap is not installed, so there is no {suite} image in {} \
             (.ci/deps/30-debootstrap-images.sh installs it and builds the images)",
            cache.display()
        )
    })
}

/// A copy of the cached image at `parent/<suite>`: hard links where the filesystem
/// allows (files the test changes are replaced, never written through, see `users`),
/// else a full copy.
fn copy_image(image: &Path, parent: &Path, suite: &str) -> PathBuf {
    let target = parent.join(suite);
    let linked = Process::new("cp")
        .arg("-al")
        .arg(image)
        .arg(&target)
        .status()
        .is_ok_and(|s| s.success());
    if !linked {
        let _ = std::fs::remove_dir_all(&target);
        let status = Process::new("cp")
            .arg("-a")
            .arg(image)
            .arg(&target)
            .status()
            .expect("cp");
        assert!(status.success(), "copying {} failed", image.display());
    }
    target
}

/// The findings of an audit report, one line each, as the expected files hold them:
/// `user  ID  file:line (or the subject, or -)  message`.
fn finding_lines(report: &serde_json::Value) -> Vec<String> {
    let mut lines = Vec::new();
    for image in report["images"].as_array().expect("images") {
        if let Some(error) = image["error"].as_str() {
            lines.push(format!("image error: {error}"));
        }
        for user in image["users"].as_array().into_iter().flatten() {
            let name = user["target"]["user"].as_str().unwrap_or("?");
            let findings = user["findings"].as_array().expect("findings");
            if findings.is_empty() {
                lines.push(format!("{name}  (no findings)"));
            }
            for f in findings {
                let place = match (
                    f["location"]["file"].as_str(),
                    f["location"]["line"].as_u64(),
                ) {
                    (Some(file), Some(line)) => format!("{file}:{line}"),
                    (Some(file), None) => file.to_string(),
                    _ => f["subject"].as_str().unwrap_or("-").to_string(),
                };
                lines.push(format!(
                    "{name}  {}  {place}  {}",
                    f["id"].as_str().unwrap_or("?"),
                    f["message"].as_str().unwrap_or("")
                ));
            }
        }
    }
    lines
}

/// `envgate audit --root <suite> --format json`, run in the image's parent directory so
/// the report names the image by its suite and holds no path of this machine.
fn audit(parent: &Path, suite: &str) -> serde_json::Value {
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(parent)
        .args(["audit", "--root", suite, "--format", "json", "--no-config"])
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "audit failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

const EXPECTED_HEADER: &str = "\
# Findings of `envgate audit --root SUITE` on the debootstrap image of this suite with
# the users of tests/real_images/users.rs: user, rule, file:line (or the subject), message.
# Rewrite after a deliberate change: ENVGATE_BLESS=1 cargo test --test real_images
";

/// Compares with `tests/real_images/<suite>.txt`, or rewrites it under ENVGATE_BLESS.
fn assert_expected(suite: &str, actual: &[String]) {
    let path = support::repo_root().join(format!("tests/real_images/{suite}.txt"));
    let mut text = EXPECTED_HEADER.replace("SUITE", suite);
    for line in actual {
        text.push_str(line);
        text.push('\n');
    }
    if std::env::var_os("ENVGATE_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        eprintln!("blessed {}", path.display());
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    let expected: Vec<&str> = on_disk.lines().filter(|l| !l.starts_with('#')).collect();
    let actual: Vec<&str> = actual.iter().map(String::as_str).collect();
    if expected != actual {
        panic!(
            "the {suite} image's findings differ from {} (- expected, + actual):\n{}\n\
             If the change is intended: ENVGATE_BLESS=1 cargo test --test real_images",
            path.display(),
            diff::lines(&expected, &actual)
        );
    }
}

fn image_suite(suite: &str) {
    let image = match cached_image(suite) {
        Ok(image) => image,
        Err(reason) => {
            eprintln!("skipped: {reason}");
            return;
        }
    };
    // Beside the cache when possible, so the copy can be hard links (same filesystem).
    let dir = tempfile::Builder::new()
        .prefix("test-")
        .tempdir_in(image_cache())
        .or_else(|_| tempfile::tempdir())
        .unwrap();
    let root = copy_image(&image, dir.path(), suite);
    if let Err(reason) = users::add_users(&root) {
        eprintln!("skipped: {reason}");
        return;
    }
    let report = audit(dir.path(), suite);
    let lines = finding_lines(&report);
    assert_expected(suite, &lines);

    // The cached image is untouched: no user was added to it.
    let passwd = std::fs::read_to_string(image.join("etc/passwd")).unwrap();
    assert!(
        !passwd.contains(":/home/"),
        "the cached image was changed: {}",
        image.display()
    );

    // Every GO013 fix, pasted twice into the file it names, leaves nothing for GO013
    // to say about any user (the shadowed gopls of bash, zsh and fish users included).
    // Each line is also run, twice, in the real shells that read its file.
    let mut fixed = 0;
    for user in report["images"][0]["users"].as_array().unwrap() {
        for f in user["findings"].as_array().unwrap() {
            if f["id"] != "GO013" {
                continue;
            }
            let dir = f["evidence"]["dir"].as_str().expect("GO013's dir");
            for (line, file) in pasteable_fixes(&serde_json::json!({"findings": [f]}), "GO013") {
                users::append_line(&root, &file, &line);
                users::append_line(&root, &file, &line);
                for shell in real_shells::shells_for(&file) {
                    let shadowed = f["evidence"]["shadowed"] == true;
                    real_shells::line_makes_tools_found(shell, &line, dir, shadowed);
                }
                fixed += 1;
            }
        }
    }
    let shadowed = user_report(&report, users::SHADOWED_USER);
    assert!(
        !pasteable_fixes(&shadowed, "GO013").is_empty(),
        "no GO013 fix for {}",
        users::SHADOWED_USER
    );
    let after = finding_lines(&audit(dir.path(), suite));
    let left: Vec<&String> = after.iter().filter(|l| l.contains("  GO013  ")).collect();
    assert!(
        left.is_empty(),
        "GO013 after pasting its {fixed} fixes twice:\n{left:#?}"
    );
}

fn user_report(report: &serde_json::Value, user: &str) -> serde_json::Value {
    report["images"][0]["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["target"]["user"] == user)
        .unwrap_or_else(|| panic!("no report for {user}"))
        .clone()
}

/// The `echo 'LINE' >> FILE` commands of a rule's fixes, as (LINE, FILE).
fn pasteable_fixes(user_report: &serde_json::Value, id: &str) -> Vec<(String, String)> {
    let mut fixes = Vec::new();
    for f in user_report["findings"].as_array().unwrap() {
        if f["id"] != id {
            continue;
        }
        for command in f["remediation"].as_str().unwrap_or("").lines() {
            let command = command.trim();
            let Some(rest) = command.strip_prefix("echo '") else {
                continue;
            };
            if let Some((line, file)) = rest.rsplit_once("' >> ") {
                fixes.push((line.to_string(), file.to_string()));
            }
        }
    }
    fixes
}

#[test]
fn bookworm_image_reports_exactly_the_expected_findings() {
    image_suite("bookworm");
}

#[test]
fn trixie_image_reports_exactly_the_expected_findings() {
    image_suite("trixie");
}

// --- GO013's fix in a real bash -------------------------------------------------------

fn find_bash() -> Option<PathBuf> {
    ["/bin/bash", "/usr/bin/bash"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

fn write_executable(path: &Path, bytes: &[u8]) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `envgate doctor --no-exec --format json` on this machine with `home` and `path`.
fn doctor(home: &Path, path: &str, cwd: &Path) -> serde_json::Value {
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .env_clear()
        .env("HOME", home)
        .env("PATH", path)
        .current_dir(cwd)
        .args(["doctor", "--no-exec", "--no-config", "--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// `bash -c SCRIPT` with only HOME and PATH set; its standard output.
fn bash(bash: &Path, home: &Path, path: &str, script: &str) -> String {
    let output = Process::new(bash)
        .env_clear()
        .env("HOME", home)
        .env("PATH", path)
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "bash -c {script:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn go013_fix_for_a_shadowed_gopls_makes_bash_find_the_go_installed_one() {
    let Some(bash_path) = find_bash() else {
        eprintln!("skipped: no bash at /bin/bash or /usr/bin/bash");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let tools = home.join("go/bin");
    let shadow = dir.path().join("opt/bin");
    let modinfo = "path\tgolang.org/x/tools/gopls\nmod\tgolang.org/x/tools/gopls\tv0.20.0\t\n";
    let own = tools.join("gopls");
    write_executable(
        &own,
        &envgate::binary::synth::fake_go_elf("amd64", "go1.26.1", Some(modinfo)),
    );
    write_executable(
        &shadow.join("gopls"),
        &envgate::binary::synth::fake_go_elf("amd64", "go1.19.8", None),
    );
    // ~/go/bin is on PATH, after a directory with another gopls: GO013's old fix.
    let path = format!("{}:/usr/bin:/bin:{}", shadow.display(), tools.display());
    let found = |path: &str| bash(&bash_path, &home, path, "command -v gopls");
    assert_eq!(
        found(&path).trim(),
        shadow.join("gopls").display().to_string()
    );

    let report = doctor(&home, &path, dir.path());
    let fixes = pasteable_fixes(&report, "GO013");
    assert!(
        !fixes.is_empty(),
        "GO013 did not report the shadowed gopls: {}",
        report["findings"]
    );
    let message = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "GO013")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("shadowed by") && message.contains("process"),
        "{message}"
    );

    // Paste every printed command twice, as printed, into a real bash.
    for f in report["findings"].as_array().unwrap() {
        if f["id"] != "GO013" {
            continue;
        }
        for command in f["remediation"].as_str().unwrap().lines() {
            let command = command.trim();
            if command.starts_with("echo '") {
                bash(&bash_path, &home, &path, command);
                bash(&bash_path, &home, &path, command);
            }
        }
    }
    for (_, file) in &fixes {
        assert!(
            Path::new(file).starts_with(&home),
            "the fix edits {file}, outside the home"
        );
    }

    // A shell that reads the file (here: sourcing it, with the PATH above; then a real
    // login shell) finds the go-installed gopls, and reading it again changes nothing.
    let files: Vec<String> = fixes.iter().map(|(_, f)| format!(". '{f}'")).collect();
    let read_once = format!("{}; printf '%s' \"$PATH\"", files.join("; "));
    let fixed_path = bash(&bash_path, &home, &path, &read_once);
    assert_eq!(found(&fixed_path).trim(), own.display().to_string());
    let twice = bash(&bash_path, &home, &fixed_path, &read_once);
    assert_eq!(twice, fixed_path, "reading the file again changed PATH");
    // A login bash reads ~/.profile (when this user's login shell is bash, which is
    // what makes GO013 name that file).
    if fixes.iter().all(|(_, f)| f.ends_with("/.profile")) {
        let login = Process::new(&bash_path)
            .env_clear()
            .env("HOME", &home)
            .env("PATH", &path)
            .args(["-lc", "command -v gopls"])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&login.stdout).trim(),
            own.display().to_string(),
            "a login bash: {}",
            String::from_utf8_lossy(&login.stderr)
        );
    } else {
        eprintln!("skipped: the login-bash check (this user's login file is not ~/.profile)");
    }

    // envgate, run with that PATH, has nothing more to say about the tools directory.
    let after = doctor(&home, &fixed_path, dir.path());
    let go013: Vec<&serde_json::Value> = after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "GO013")
        .collect();
    assert!(go013.is_empty(), "GO013 after the fix: {go013:?}");
}
