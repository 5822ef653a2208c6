//! The repo pack end to end: `envgate check --format json` on the fixtures in
//! `tests/fixtures/repo/`, each expected to give exactly the listed repo findings, with
//! their file, line and severity. Directories are checked whole, as `check .` in a
//! repository does, so the cross-file drift rule (REPO040) sees the go.mod beside the
//! places it compares. Each case is judged on the precompiled VM (without fallback)
//! and on the interpreter, which must agree.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

/// Paths (under tests/fixtures/repo) checked together, and the repo findings they
/// must produce: (rule id, file under tests/fixtures/repo, line, severity).
struct Case {
    paths: &'static [&'static str],
    expect: &'static [(&'static str, &'static str, usize, &'static str)],
}

const CASES: &[Case] = &[
    // the three files: a compose file, a Dockerfile, a .env
    Case {
        paths: &["issue"],
        expect: &[
            ("REPO001", "issue/Dockerfile", 1, "error"),
            ("REPO002", "issue/Dockerfile", 3, "error"),
            ("REPO010", "issue/compose.yaml", 4, "error"),
            ("REPO013", "issue/compose.yaml", 6, "error"),
            ("REPO020", "issue/.env", 2, "error"),
            ("REPO021", "issue/.env", 1, "warning"),
        ],
    },
    // the drift: go.mod 1.23, Dockerfile golang:1.21, setup-go 1.20,
    // devcontainer Go feature 1.22, .tool-versions 1.19
    Case {
        paths: &["drift"],
        expect: &[
            (
                "REPO040",
                "drift/.devcontainer/devcontainer.json",
                7,
                "error",
            ),
            ("REPO040", "drift/.github/workflows/ci.yml", 10, "error"),
            ("REPO040", "drift/.tool-versions", 2, "error"),
            ("REPO040", "drift/Dockerfile", 1, "error"),
            (
                "REPO041",
                "drift/.devcontainer/devcontainer.json",
                7,
                "warning",
            ),
            ("REPO041", "drift/.github/workflows/ci.yml", 10, "warning"),
            ("REPO041", "drift/Dockerfile", 1, "warning"),
            ("REPO052", "drift/go.mod", 3, "warning"),
        ],
    },
    // a toolchain pin: newer places that are not it warn (GitLab image, GOTOOLCHAIN),
    // older ones are errors (mise, a setup-go matrix value)
    Case {
        paths: &["drift-toolchain"],
        expect: &[
            (
                "REPO040",
                "drift-toolchain/.github/workflows/test.yaml",
                9,
                "error",
            ),
            ("REPO040", "drift-toolchain/.gitlab-ci.yml", 3, "warning"),
            ("REPO040", "drift-toolchain/Dockerfile", 2, "warning"),
            ("REPO040", "drift-toolchain/mise.toml", 2, "error"),
            (
                "REPO041",
                "drift-toolchain/.github/workflows/test.yaml",
                9,
                "warning",
            ),
        ],
    },
    // every place agrees: a matrix, go-version-file, .go-version, mise, GitLab,
    // a devcontainer feature
    Case {
        paths: &["drift-clean"],
        expect: &[],
    },
    Case {
        paths: &["docker/trigger.Dockerfile"],
        expect: &[
            ("REPO001", "docker/trigger.Dockerfile", 10, "error"),
            ("REPO002", "docker/trigger.Dockerfile", 13, "warning"),
            ("REPO003", "docker/trigger.Dockerfile", 7, "warning"),
            ("REPO004", "docker/trigger.Dockerfile", 6, "error"),
            ("REPO005", "docker/trigger.Dockerfile", 3, "error"),
            ("REPO005", "docker/trigger.Dockerfile", 4, "error"),
            ("REPO005", "docker/trigger.Dockerfile", 5, "warning"),
            ("REPO006", "docker/trigger.Dockerfile", 3, "error"),
        ],
    },
    // digests, a checksum, an ARG without a value, a stage built on a stage, USER
    Case {
        paths: &["docker/clean.Dockerfile"],
        expect: &[],
    },
    Case {
        paths: &["compose/docker-compose.trigger.yml"],
        expect: &[
            (
                "REPO011",
                "compose/docker-compose.trigger.yml",
                4,
                "warning",
            ),
            ("REPO011", "compose/docker-compose.trigger.yml", 5, "error"),
            ("REPO012", "compose/docker-compose.trigger.yml", 7, "error"),
            ("REPO012", "compose/docker-compose.trigger.yml", 8, "error"),
            ("REPO013", "compose/docker-compose.trigger.yml", 12, "error"),
        ],
    },
    // ${VAR} references, a _FILE name, volumes that are not the socket
    Case {
        paths: &["compose/docker-compose.clean.yml"],
        expect: &[],
    },
    // a token by its form under an innocent name, a password by its name
    Case {
        paths: &["dotenv/trigger"],
        expect: &[
            ("REPO020", "dotenv/trigger/.env.production", 3, "error"),
            ("REPO020", "dotenv/trigger/.env.production", 4, "error"),
            ("REPO021", "dotenv/trigger/.env.production", 1, "warning"),
        ],
    },
    // named explicitly (a walk skips it): ignored by the .gitignore beside it; a template
    Case {
        paths: &["dotenv/clean/.env", "dotenv/clean/.env.example"],
        expect: &[],
    },
    Case {
        paths: &["editor/trigger"],
        expect: &[
            ("REPO030", "editor/trigger/.devcontainer.json", 6, "warning"),
            (
                "REPO030",
                "editor/trigger/.vscode/settings.json",
                2,
                "warning",
            ),
            (
                "REPO031",
                "editor/trigger/.vscode/settings.json",
                3,
                "warning",
            ),
            (
                "REPO031",
                "editor/trigger/.vscode/settings.json",
                5,
                "warning",
            ),
        ],
    },
    Case {
        paths: &["editor/clean"],
        expect: &[],
    },
    // go.work's rc go line is newer than go.mod's and not its (older) toolchain
    Case {
        paths: &["gomod/trigger"],
        expect: &[
            ("REPO040", "gomod/trigger/go.work", 1, "warning"),
            ("REPO050", "gomod/trigger/go.mod", 9, "warning"),
            ("REPO051", "gomod/trigger/go.mod", 5, "warning"),
            ("REPO052", "gomod/trigger/go.mod", 3, "warning"),
            ("REPO053", "gomod/trigger/go.work", 5, "error"),
            ("REPO054", "gomod/trigger/go.work", 1, "warning"),
        ],
    },
    Case {
        paths: &["gomod/clean"],
        expect: &[],
    },
    // module verification weakened where CI, the devcontainer and compose set it;
    // `${{ … }}` and `$VAR` values are not judged
    Case {
        paths: &["ci-settings/trigger"],
        expect: &[
            (
                "REPO007",
                "ci-settings/trigger/.devcontainer/devcontainer.json",
                5,
                "error",
            ),
            (
                "REPO007",
                "ci-settings/trigger/.devcontainer/devcontainer.json",
                7,
                "warning",
            ),
            (
                "REPO007",
                "ci-settings/trigger/.github/workflows/build.yml",
                4,
                "error",
            ),
            (
                "REPO007",
                "ci-settings/trigger/.github/workflows/build.yml",
                9,
                "error",
            ),
            (
                "REPO007",
                "ci-settings/trigger/.github/workflows/build.yml",
                15,
                "warning",
            ),
            ("REPO007", "ci-settings/trigger/.gitlab-ci.yml", 2, "error"),
            ("REPO007", "ci-settings/trigger/.gitlab-ci.yml", 6, "error"),
            ("REPO007", "ci-settings/trigger/compose.yaml", 5, "error"),
        ],
    },
    Case {
        paths: &["ci-settings/clean"],
        expect: &[],
    },
];

const FIXTURES: &str = "tests/fixtures/repo";

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `envgate check --fail-on never ARGS… PATHS…` with `ENVGATE_ENGINE=engine`: stdout.
fn run(engine: &str, paths: &[&str], args: &[&str]) -> String {
    let paths: Vec<String> = paths.iter().map(|p| format!("{FIXTURES}/{p}")).collect();
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(repo_root())
        .env("ENVGATE_ENGINE", engine)
        .args(["check", "--fail-on", "never"])
        .args(args)
        .args(&paths)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{paths:?}: envgate exited with {:?}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// (id, file under the fixtures, line, severity) of each repo finding, sorted.
fn findings(engine: &str, paths: &[&str]) -> Vec<(String, String, usize, String)> {
    let report: Value = serde_json::from_str(&run(engine, paths, &["--format", "json"])).unwrap();
    let mut found: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["pack"] == "repo")
        .map(|f| {
            let file = f["location"]["file"].as_str().unwrap_or("");
            let file = file.strip_prefix(&format!("{FIXTURES}/")).unwrap_or(file);
            (
                f["id"].as_str().unwrap().to_string(),
                file.to_string(),
                f["location"]["line"].as_u64().unwrap_or(0) as usize,
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_fixture_gives_exactly_its_findings_on_both_engines() {
    let mut problems = Vec::new();
    for case in CASES {
        let mut expected: Vec<_> = case
            .expect
            .iter()
            .map(|(id, file, line, severity)| {
                (
                    id.to_string(),
                    file.to_string(),
                    *line,
                    severity.to_string(),
                )
            })
            .collect();
        expected.sort();
        let vm = findings("vm", case.paths);
        if vm != expected {
            problems.push(format!(
                "{:?}\n  expected {expected:?}\n  got      {vm:?}",
                case.paths
            ));
        }
        let interpreter = findings("interpreter", case.paths);
        if interpreter != vm {
            problems.push(format!(
                "{:?}: the interpreter disagrees with the VM\n  vm          {vm:?}\n  interpreter {interpreter:?}",
                case.paths
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_repo_rule_has_a_triggering_fixture() {
    let packs = envgate::policy::builtin_packs().unwrap();
    let repo = packs.iter().find(|p| p.name == "repo").unwrap();
    for rule in &repo.rules {
        assert!(
            CASES
                .iter()
                .any(|c| c.expect.iter().any(|(id, ..)| *id == rule.id)),
            "{} has no triggering fixture in tests/repo.rs",
            rule.id
        );
    }
}

/// The secrets of the fixtures never reach a report: human (with evidence), JSON,
/// SARIF, JUnit, GitHub annotations.
#[test]
fn secrets_are_never_printed() {
    let secrets = ["hunter2", "wJalrXUtnFEMI", "ghp_abcdefghij", "s3cr3t-value"];
    let paths = &["issue", "dotenv/trigger", "docker", "compose"];
    for args in [
        &["-v"][..],
        &["--format", "json"],
        &["--format", "sarif"],
        &["--format", "junit"],
        &["--format", "github"],
    ] {
        let out = run("vm", paths, args);
        assert!(out.contains("REPO020"), "{args:?}: no REPO020 in\n{out}");
        for secret in secrets {
            assert!(!out.contains(secret), "{args:?} printed {secret}:\n{out}");
        }
    }
}
