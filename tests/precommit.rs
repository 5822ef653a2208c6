//! `.pre-commit-hooks.yaml` does what pre-commit will do with it: on a temp git
//! repository with staged files, the hook's `files` pattern picks the files envgate
//! parses, and its `entry` (run with those names, as `pass_filenames` says) fails on
//! a bad manifest and passes on a good one.

mod support;

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Hook {
    id: String,
    name: String,
    description: String,
    language: String,
    entry: String,
    files: String,
    pass_filenames: bool,
    require_serial: bool,
}

fn hooks() -> Vec<Hook> {
    let text =
        std::fs::read_to_string(support::repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    yaml_serde::from_str(&text).unwrap()
}

fn git(repo: &Path, args: &[&str]) -> String {
    let output = Process::new("git")
        .current_dir(repo)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// What pre-commit runs: the entry with the staged files its pattern matches.
fn run_hook(hook: &Hook, repo: &Path) -> (Option<i32>, String) {
    let pattern = regex::Regex::new(&hook.files).unwrap();
    let staged = git(repo, &["diff", "--cached", "--name-only"]);
    let files: Vec<&str> = staged.lines().filter(|f| pattern.is_match(f)).collect();
    assert!(
        !files.is_empty(),
        "pre-commit would not run the hook at all"
    );
    let output = hook_command(hook, repo)
        .current_dir(repo)
        .env("NO_COLOR", "1")
        .args(&files)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// The hook's entry as pre-commit starts it. A `script` hook runs from the hook
/// repository's checkout; its cargo is a stand-in (`fake_cargo`) that records its
/// arguments and "builds" by copying the envgate under test, since a real release
/// build would cost minutes of every test run (CI proves `--locked` resolves with
/// `cargo metadata --locked`).
fn hook_command(hook: &Hook, scratch: &Path) -> Command {
    let mut words = hook.entry.split_whitespace();
    match hook.language.as_str() {
        "script" => {
            let script = support::repo_root().join(words.next().unwrap());
            let fake = fake_cargo(scratch);
            let mut command = Command::new(script);
            command
                .env("CARGO", &fake.cargo)
                .env("CARGO_TARGET_DIR", &fake.target)
                .env("FAKE_CARGO_LOG", &fake.log)
                .env("FAKE_CARGO_BIN", assert_cmd::cargo::cargo_bin("envgate"))
                .args(words);
            command
        }
        _ => {
            assert_eq!(words.next(), Some("envgate"));
            let mut command = Command::cargo_bin("envgate").unwrap();
            command.args(words);
            command
        }
    }
}

struct FakeCargo {
    cargo: std::path::PathBuf,
    target: std::path::PathBuf,
    log: std::path::PathBuf,
}

/// A `cargo` that writes its arguments to `$FAKE_CARGO_LOG` and puts `$FAKE_CARGO_BIN`
/// where `cargo build --release --target-dir T` would put envgate; with
/// `FAKE_CARGO_FAIL` set it fails as a build whose Cargo.lock is stale does.
fn fake_cargo(scratch: &Path) -> FakeCargo {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch.join(".fake-cargo");
    std::fs::create_dir_all(&dir).unwrap();
    let cargo = dir.join("cargo");
    std::fs::write(
        &cargo,
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$FAKE_CARGO_LOG\"\n\
         if [ -n \"${FAKE_CARGO_FAIL:-}\" ]; then echo 'error: the lock file needs to be updated but --locked was passed' >&2; exit 101; fi\n\
         while [ $# -gt 0 ]; do [ \"$1\" = --target-dir ] && target=\"$2\"; shift; done\n\
         mkdir -p \"$target/release\" && cp \"$FAKE_CARGO_BIN\" \"$target/release/envgate\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    FakeCargo {
        cargo,
        target: dir.join("target"),
        log: dir.join("args"),
    }
}

#[test]
fn hooks_are_declared_for_cargo_for_cargo_lock_and_for_an_installed_envgate() {
    let hooks = hooks();
    let ids: Vec<(&str, &str)> = hooks
        .iter()
        .map(|h| (h.id.as_str(), h.language.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("envgate", "rust"),
            ("envgate-system", "system"),
            ("envgate-locked", "script")
        ]
    );
    for hook in &hooks {
        if hook.language == "script" {
            use std::os::unix::fs::PermissionsExt;
            let mut words = hook.entry.split_whitespace();
            let script = support::repo_root().join(words.next().unwrap());
            let mode = std::fs::metadata(&script).unwrap().permissions().mode();
            assert!(mode & 0o111 != 0, "{} must be executable", hook.entry);
            assert_eq!(words.collect::<Vec<_>>(), ["--partial"], "{}", hook.id);
        } else {
            assert_eq!(hook.entry, "envgate check --partial", "{}", hook.id);
        }
        assert!(hook.pass_filenames && hook.require_serial, "{}", hook.id);
        assert!(!hook.name.is_empty() && !hook.description.is_empty());
        assert_eq!(
            hook.files, hooks[0].files,
            "every hook judges the same files"
        );
    }
}

/// The Cargo.lock hook builds with `--locked --release` from its own checkout, and a
/// build that fails (a Cargo.lock out of step with Cargo.toml) fails the hook: it never
/// falls back to an unlocked build or passes the commit.
#[test]
fn cargo_lock_hook_builds_locked_and_fails_when_the_build_fails() {
    let hook = hooks()
        .into_iter()
        .find(|h| h.language == "script")
        .unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let manifest = support::repo_root().join("tests/fixtures/k8s/hardened.yaml");
    let output = hook_command(&hook, scratch.path())
        .arg(&manifest)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let args = std::fs::read_to_string(scratch.path().join(".fake-cargo/args")).unwrap();
    let args: Vec<&str> = args.lines().collect();
    for flag in ["build", "--locked", "--release", "--manifest-path"] {
        assert!(args.contains(&flag), "{flag} not passed: {args:?}");
    }
    let manifest_path = args[args.iter().position(|a| *a == "--manifest-path").unwrap() + 1];
    assert_eq!(
        Path::new(manifest_path),
        support::repo_root().join("Cargo.toml")
    );

    let output = hook_command(&hook, scratch.path())
        .env("FAKE_CARGO_FAIL", "1")
        .arg(&manifest)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(101), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("--locked"));

    let output = hook_command(&hook, scratch.path())
        .env("CARGO", scratch.path().join("no-such-cargo"))
        .arg(&manifest)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("cargo is not on PATH"));
}

#[test]
fn files_pattern_takes_the_kinds_envgate_parses() {
    // Python's `re` (pre-commit) and Rust's regex agree on this syntax.
    let pattern = regex::Regex::new(&hooks()[0].files).unwrap();
    for path in [
        "go.mod",
        "tools/go.work",
        "Dockerfile",
        "build/app.Dockerfile",
        "Containerfile.dev",
        ".env",
        "deploy/.env.production",
        "compose.yaml",
        "k8s/deploy.yml",
        "package.json",
        ".vscode/settings.jsonc",
        "pyproject.toml",
        "K8S/DEPLOY.YAML",
        ".tool-versions",
        "svc/.go-version",
        ".gitlab-ci.yml",
        ".github/workflows/ci.yml",
        ".devcontainer/devcontainer.json",
        "mise.toml",
    ] {
        assert!(pattern.is_match(path), "{path} should be checked");
        assert!(
            envgate::files::detect::by_name(path).is_some(),
            "{path} is not a kind envgate parses"
        );
    }
    for path in [
        "README.md",
        "main.go",
        "go.sum",
        ".envrc",
        "src/lib.rs",
        "mygo.mod",
    ] {
        assert!(!pattern.is_match(path), "{path} should not be checked");
    }
}

#[test]
fn hook_entry_fails_on_a_bad_staged_manifest_and_passes_on_a_good_one() {
    if Process::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let fixtures = support::repo_root().join("tests/fixtures/k8s");
    let repo = tempfile::tempdir().unwrap();
    let repo = repo.path();
    git(repo, &["-c", "init.defaultBranch=main", "init", "-q"]);
    std::fs::create_dir(repo.join("deploy")).unwrap();
    std::fs::copy(
        fixtures.join("k8s001-trigger.yaml"),
        repo.join("deploy/bad.yaml"),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("hardened.yaml"),
        repo.join("deploy/good.yaml"),
    )
    .unwrap();
    std::fs::write(repo.join("README.md"), "not: [a manifest\n").unwrap();

    for hook in hooks() {
        git(
            repo,
            &["add", "deploy/bad.yaml", "deploy/good.yaml", "README.md"],
        );
        let (code, stdout) = run_hook(&hook, repo);
        assert_eq!(code, Some(1), "{}: {stdout}", hook.id);
        assert!(stdout.contains("K8S001"), "{stdout}");
        assert!(stdout.contains("deploy/bad.yaml:40"), "{stdout}");
        // README.md is not envgate's: the pattern kept it out (it would not parse).
        assert!(stdout.contains("checked 2 files"), "{stdout}");

        git(repo, &["rm", "-q", "--cached", "deploy/bad.yaml"]);
        let (code, stdout) = run_hook(&hook, repo);
        assert_eq!(code, Some(0), "{}: {stdout}", hook.id);
        git(
            repo,
            &["rm", "-q", "--cached", "deploy/good.yaml", "README.md"],
        );
    }
}

/// The repo pack runs in the hook: a staged compose file with a privileged service
/// and a password fails it, at the line, without printing the password.
#[test]
fn hook_entry_judges_repository_files_with_the_repo_pack() {
    if Process::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let fixtures = support::repo_root().join("tests/fixtures/repo/issue");
    let repo = tempfile::tempdir().unwrap();
    let repo = repo.path();
    git(repo, &["-c", "init.defaultBranch=main", "init", "-q"]);
    std::fs::copy(fixtures.join("compose.yaml"), repo.join("compose.yaml")).unwrap();
    std::fs::copy(fixtures.join("Dockerfile"), repo.join("Dockerfile")).unwrap();
    for hook in hooks() {
        git(repo, &["add", "compose.yaml", "Dockerfile"]);
        let (code, stdout) = run_hook(&hook, repo);
        assert_eq!(code, Some(1), "{}: {stdout}", hook.id);
        for expected in [
            "REPO010",
            "compose.yaml:4",
            "REPO013",
            "REPO001",
            "Dockerfile:1",
        ] {
            assert!(stdout.contains(expected), "{expected}: {stdout}");
        }
        assert!(!stdout.contains("hunter2"), "{stdout}");
        git(
            repo,
            &["rm", "-q", "--cached", "compose.yaml", "Dockerfile"],
        );
    }
}

/// `envgate check` on `args` in `repo`, as CI runs it on the whole repository.
fn check_repository(repo: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(repo)
        .env("NO_COLOR", "1")
        .args(["check"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// A rule that compares files cannot be judged on the staged files alone: a staged
/// Deployment whose NetworkPolicy is in a file that was not staged would be reported
/// as isolated by none. The hooks pass `--partial`, so K8S032 is left to the
/// whole-repository check, which sees the policy where it is, and reports the
/// Deployment once the policy is gone.
#[test]
fn hook_leaves_rules_that_compare_files_to_the_whole_repository_check() {
    if Process::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let fixtures = support::repo_root().join("tests/fixtures/k8s");
    let repo = tempfile::tempdir().unwrap();
    let repo = repo.path();
    git(repo, &["-c", "init.defaultBranch=main", "init", "-q"]);
    std::fs::create_dir(repo.join("deploy")).unwrap();
    std::fs::copy(
        fixtures.join("k8s032-clean.yaml"),
        repo.join("deploy/apps.yaml"),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("k8s032-clean-policies.yaml"),
        repo.join("deploy/policies.yaml"),
    )
    .unwrap();
    git(repo, &["add", "deploy"]);
    git(
        repo,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "-m",
            "apps",
        ],
    );
    // A change to the Deployments alone is staged.
    let apps = std::fs::read_to_string(repo.join("deploy/apps.yaml")).unwrap();
    std::fs::write(
        repo.join("deploy/apps.yaml"),
        apps.replace("name: web", "name: website"),
    )
    .unwrap();
    git(repo, &["add", "deploy/apps.yaml"]);

    for hook in hooks() {
        let (code, stdout) = run_hook(&hook, repo);
        assert_eq!(code, Some(0), "{}: {stdout}", hook.id);
        // No finding (`! K8S032 …`); the rule is only named as not judged.
        assert!(!stdout.contains("K8S032 "), "{}: {stdout}", hook.id);
        assert!(
            stdout.contains("2 more need the whole repository"),
            "{}: {stdout}",
            hook.id
        );
    }
    // What the hook would say without --partial: the policy file was not staged.
    let (_, without) = check_repository(repo, &["deploy/apps.yaml"]);
    assert!(without.contains("K8S032"), "{without}");

    // The whole repository: the policies in the other file cover every pod.
    let (code, whole) = check_repository(repo, &["."]);
    assert_eq!(code, Some(0), "{whole}");
    assert!(!whole.contains("K8S032"), "{whole}");

    // Without them, the whole-repository check reports the namespaces; the hook, on
    // the staged Deployments, still leaves it to that check.
    git(repo, &["rm", "-q", "deploy/policies.yaml"]);
    git(
        repo,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "-m",
            "no policies",
        ],
    );
    std::fs::write(
        repo.join("deploy/apps.yaml"),
        apps.replace("name: web", "name: storefront"),
    )
    .unwrap();
    git(repo, &["add", "deploy/apps.yaml"]);
    let (_, whole) = check_repository(repo, &["."]);
    assert!(whole.contains("K8S032"), "{whole}");
    assert!(
        whole.contains("Namespace shop has no NetworkPolicy"),
        "{whole}"
    );
    for hook in hooks() {
        let (code, stdout) = run_hook(&hook, repo);
        assert_eq!(code, Some(0), "{}: {stdout}", hook.id);
        // No finding (`! K8S032 …`); the rule is only named as not judged.
        assert!(!stdout.contains("K8S032 "), "{}: {stdout}", hook.id);
    }
}
