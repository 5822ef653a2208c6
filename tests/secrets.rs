//! Secrets never leave the machine: secrets planted everywhere envgate looks (the
//! environment, shell files, the `go env -w` file, environment.d, VS Code settings,
//! files with parse errors, a bad `.envgate.yaml`, a bad saved snapshot, a pack's bad
//! `data.json`) appear in no output stream of `doctor`, `snapshot` or `check`, in any
//! format, with or without `-v`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const GITHUB_BODY: &str = "E2eT0k3nE2eT0k3nE2eT0k3nE2eT0k3nE2eT0k3n";

/// The parts of the planted secrets that must never be printed.
const SECRETS: &[&str] = &[
    GITHUB_BODY,
    "e2e-mysql-Pw0rd",
    "e2e-pat-V4lue",
    "MIIEe2ePemB0dy",
    "e2e0sentry0key0123456789abcdef",
    "e2eSlackHookSecret",
    "AKIAE2ETEST",
    "eyJlMmUiOiJqd3QifQ",
    "ZTJlOmRvY2tlcg",
    "e2eGoflagsK3y",
    "Proxy@Pw",
    "E2eGitlabTok3n0123456",
    "E2ETOKEN0onlyuser",
    "e2e-xapikey-V4l",
    "e2e-bashrc-Pw",
    "e2eGoenvK3y",
    "e2eGoenvPw",
    "e2eEnvdK3y",
    "e2eVscodeTok",
    "e2eVscodeK3y",
    "e2eDockerTok",
    "e2eYamlTok",
    "e2eJsonTok",
    "e2eTomlTok",
    "e2eCmXapi",
    "e2eCmPriv",
    "e2eCmDbPw",
    "e2eEnvStripe",
    "e2eConfigTok",
    "e2eSnapTok",
    "e2eDataTok",
];

fn github_token() -> String {
    format!("ghp_{GITHUB_BODY}")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The planted machine: a home, a project, a `go` that answers `go env` from its
/// environment (so `go.reported` holds the secrets too), a bad saved snapshot and a
/// pack with a bad data.json.
struct Planted {
    dir: tempfile::TempDir,
}

impl Planted {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let token = github_token();
        let home = root.join("home");
        write(
            &home.join(".bashrc"),
            &format!(
                "export GITHUB_TOKEN=\"{token}\"\nexport DEPLOY_PASSWORD=\"e2e-bashrc-Pw\"\nexport GOFLAGS=\"-ldflags=-X=main.apiKey=e2eGoflagsK3y\"\nexport PATH=$PATH:/opt/e2e/bin\n"
            ),
        );
        write(&home.join(".profile"), ". \"$HOME/.bashrc\"\n");
        write(
            &home.join(".config/go/env"),
            "GOFLAGS=-ldflags=-X=main.apiKey=e2eGoenvK3y\nGOPROXY=https://dev:e2eGoenvPw@proxy.example.com/go\n",
        );
        write(
            &home.join(".config/environment.d/50-go.conf"),
            "GOFLAGS=-ldflags=-X=main.apiKey=e2eEnvdK3y\n",
        );
        write(
            &home.join(".config/Code/User/settings.json"),
            "{\n  \"go.toolsEnvVars\": {\"GITHUB_TOKEN\": \"e2eVscodeTok\", \"GOFLAGS\": \"-ldflags=-X=main.apiKey=e2eVscodeK3y\"},\n  \"go.goroot\": \"/nonexistent/go\"\n}\n",
        );
        let bin = root.join("bin");
        write(
            &bin.join("go"),
            "#!/bin/sh\n[ \"$1\" = env ] || exit 2\nshift\nfor var in \"$@\"; do eval \"printf '%s\\n' \\\"\\${$var}\\\"\"; done\n",
        );
        std::fs::set_permissions(bin.join("go"), std::fs::Permissions::from_mode(0o755)).unwrap();

        let project = root.join("project");
        write(
            &project.join("Dockerfile"),
            "FROM alpine:3.20\nGITHUB_TOKEN=e2eDockerTok\n",
        );
        write(
            &project.join("bad.yaml"),
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  stripe-api-key: \"e2eYamlTok\n  x: [\n",
        );
        write(
            &project.join("bad.json"),
            "{\"GITHUB_TOKEN\": \"e2eJsonTok\", oops}\n",
        );
        write(&project.join("bad.toml"), "api_key = \"e2eTomlTok\" x\n");
        write(
            &project.join("cm.yaml"),
            &format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  x-api-key: e2eCmXapi\n  private-key: e2eCmPriv\n  dbPassword: e2eCmDbPw\n  settings: \"token={token}\"\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n          env:\n            - name: stripe-api-key\n              value: e2eEnvStripe\n"
            ),
        );
        write(
            &project.join(".envgate.yaml"),
            "fail-on: error\nbogus: {\"GITHUB_TOKEN\": \"e2eConfigTok\"}\n",
        );
        write(
            &root.join("saved/snapshot.json"),
            "{\n \"schema_version\": 1,\n \"env\": {\"GITHUB_TOKEN\": \"e2eSnapTok\", \"X\": 5}\n}\n",
        );
        write(
            &root.join("pack/manifest.yaml"),
            "name: e2e\nversion: 1.0.0\ntitle: e2e\n",
        );
        write(
            &root.join("pack/data.json"),
            "{\n  \"api_key\": \"e2eDataTok\", oops\n}\n",
        );
        Self { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// envgate in `cwd` with the planted environment and nothing else.
    fn envgate(&self, cwd: &str) -> Command {
        let token = github_token();
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEe2ePemB0dy\n-----END PRIVATE KEY-----\n";
        let sentry = "https://e2e0sentry0key0123456789abcdef@o1.ingest.sentry.io/1";
        let slack = "https://hooks.slack.com/services/T0E2E0000/B0E2E0000/e2eSlackHookSecret0123";
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJlMmUiOiJqd3QifQ.e2eSig";
        let mut cmd = Command::cargo_bin("envgate").unwrap();
        cmd.env_clear()
            .current_dir(self.path(cwd))
            .env("HOME", self.path("home"))
            .env(
                "PATH",
                format!("{}:/usr/bin:/bin", self.path("bin").display()),
            )
            .env("SHELL", "/bin/bash")
            .env("USER", "dev")
            .env("GITHUB_TOKEN", &token)
            .env("MYSQL_PWD", "e2e-mysql-Pw0rd")
            .env("GH_PAT", "e2e-pat-V4lue")
            .env("TLS_KEY", pem)
            .env("SENTRY_DSN", sentry)
            .env("ERROR_REPORTING", sentry)
            .env("SLACK_WEBHOOK_URL", slack)
            .env("NOTIFY", slack)
            .env("AWS_ACCESS_KEY_ID", "AKIAE2ETEST")
            .env("SESSION_JWT", jwt)
            .env("LAST_LOGIN", jwt)
            .env(
                "DOCKER_AUTH_CONFIG",
                r#"{"auths":{"r.example":{"auth":"ZTJlOmRvY2tlcg=="}}}"#,
            )
            .env(
                "GOFLAGS",
                format!("-ldflags=-X=main.apiKey=e2eGoflagsK3y -X=main.token={token}"),
            )
            .env(
                "GOPROXY",
                "https://e2euser:e2e@Proxy@Pw@proxy.example.com/go,direct",
            )
            .env(
                "HTTPS_PROXY",
                "https://glpat-E2eGitlabTok3n0123456@proxy.example.com:3128",
            )
            .env("UPSTREAM", "https://E2ETOKEN0onlyuser:@git.example.com/")
            .env("x-api-key", "e2e-xapikey-V4l");
        cmd
    }
}

/// Runs envgate; fails when any planted secret is in its standard output or error.
/// Returns both streams.
fn run(planted: &Planted, cwd: &str, args: &[&str]) -> (String, String) {
    let output = planted.envgate(cwd).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    for secret in SECRETS {
        for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            assert!(
                !text.contains(secret),
                "envgate {}: {secret} on {stream}:\n{text}",
                args.join(" ")
            );
        }
    }
    (stdout, stderr)
}

const FORMATS: &[&str] = &["human", "json", "sarif", "junit", "github"];

#[test]
fn the_machine_checks_and_the_snapshot_print_no_secret() {
    let planted = Planted::new();
    let (snapshot, _) = run(&planted, "home", &["snapshot"]);
    let snapshot: serde_json::Value = serde_json::from_str(&snapshot).unwrap();
    assert_eq!(snapshot["env"]["MYSQL_PWD"], "[REDACTED]");
    assert_eq!(snapshot["env"]["TLS_KEY"], "[REDACTED:pem-private-key]");
    assert_eq!(
        snapshot["env"]["GOPROXY"],
        "https://e2euser:[REDACTED]@proxy.example.com/go,direct"
    );
    for format in FORMATS {
        for command in ["doctor", "check"] {
            let (out, _) = run(
                &planted,
                "home",
                &[command, "-v", "--no-color", "--format", format],
            );
            // GOFLAGS quoted by GO022 lost its secrets and kept the flags.
            assert!(out.contains("GO022"), "{command} {format}:\n{out}");
            assert!(
                out.contains("main.apiKey=[REDACTED]"),
                "{command} {format}:\n{out}"
            );
        }
    }
    run(&planted, "home", &["doctor"]);
}

#[test]
fn file_checks_print_no_secret() {
    let planted = Planted::new();
    for format in FORMATS {
        for verbose in [true, false] {
            let mut args = vec!["check", "--no-config", "--no-color", "--format", format];
            if verbose {
                args.push("-v");
            }
            args.extend(["--machine", "."]);
            let (out, _) = run(&planted, "project", &args);
            assert!(out.contains("K8S000"), "{format}:\n{out}");
            assert!(out.contains("K8S014"), "{format}:\n{out}");
        }
    }
    let (out, _) = run(
        &planted,
        "project",
        &["check", "--no-config", "--no-color", "Dockerfile"],
    );
    assert!(
        out.contains("unknown instruction: GITHUB_TOKEN=[REDACTED]"),
        "{out}"
    );
}

#[test]
fn diagnostics_print_no_secret() {
    let planted = Planted::new();
    for command in ["check", "doctor"] {
        let (_, err) = run(&planted, "project", &[command, "."]);
        assert!(err.contains("unknown field `bogus`"), "{err}");
        assert!(err.contains("\"GITHUB_TOKEN\": \"[REDACTED]\""), "{err}");
    }
    let snapshot = planted.path("saved/snapshot.json");
    let (_, err) = run(
        &planted,
        "home",
        &[
            "check",
            "--no-config",
            "--snapshot",
            snapshot.to_str().unwrap(),
        ],
    );
    assert!(err.contains("is not an envgate snapshot"), "{err}");
    let pack = planted.path("pack");
    let (_, err) = run(
        &planted,
        "home",
        &["check", "--no-config", "--policy", pack.to_str().unwrap()],
    );
    assert!(err.contains("invalid pack data"), "{err}");
}

/// Parsers quote what they could not read, and a parse error can point inside a
/// private key; neither the message nor the snippet shows a secret.
#[test]
fn parse_errors_show_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine\nGITHUB_TOKEN=hunter2xyz\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("key.yaml"),
        "a: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEbody\n MIIEbad: [\n  -----END RSA PRIVATE KEY-----\n",
    )
    .unwrap();
    let check = envgate::files::check(
        &[dir.path().to_path_buf()],
        &envgate::files::CheckOptions::default(),
    )
    .unwrap();
    let error = |name: &str| {
        let doc = check
            .documents
            .iter()
            .find(|d| d.path.ends_with(name))
            .unwrap();
        (doc.path.clone(), doc.error.clone().unwrap())
    };
    let (dockerfile, docker_error) = error("Dockerfile");
    assert_eq!(
        docker_error.message,
        "unknown instruction: GITHUB_TOKEN=[REDACTED]"
    );
    assert_eq!(
        check.sources.snippet(&dockerfile, 2, None).unwrap().text,
        "GITHUB_TOKEN=[REDACTED]"
    );
    let (yaml, _) = error("key.yaml");
    for line in 3..=4 {
        let snippet = check.sources.snippet(&yaml, line, None).unwrap().text;
        assert!(!snippet.contains("MIIE"), "{line}: {snippet}");
    }
}
