//! Generated live homes: the environment a shell would have handed envgate, plus the
//! files of a home directory, drawn from the settings and mistakes the Go pack judges.
//! `{HOME}` in values stands for the temp directory the home is written to.

use std::collections::BTreeMap;

use super::rng::Rng;

pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
    pub mode: u32,
}

pub struct Home {
    pub env: BTreeMap<String, String>,
    pub files: Vec<File>,
    pub dirs: Vec<String>,
    /// The checked project, relative to the home.
    pub workspace: Option<String>,
}

impl Home {
    /// The generated environment and file names, for a failure report.
    pub fn describe(&self) -> String {
        let env: Vec<String> = self.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let files: Vec<String> = self
            .files
            .iter()
            .map(|f| match std::str::from_utf8(&f.bytes) {
                Ok(text) if text.len() < 400 => format!("{} ({:o}):\n{text}", f.path, f.mode),
                _ => format!("{} ({:o}, {} bytes)", f.path, f.mode, f.bytes.len()),
            })
            .collect();
        format!("env:\n  {}\nfiles:\n{}", env.join("\n  "), files.join("\n"))
    }
}

const PATH_ENTRIES: &[&str] = &[
    "/usr/local/bin",
    "/usr/bin",
    "/bin",
    "/usr/local/go/bin",
    "/usr/lib/go-1.19/bin",
    "{HOME}/go/bin",
    "{HOME}/goroot/bin",
    "{HOME}/sdk/go1.22.5/bin",
    "{HOME}/.goenv/shims",
    "{HOME}/.asdf/shims",
    "{HOME}/bin",
    "/tmp/tools/bin",
    "/nonexistent/bin",
    "relative/bin",
    ".",
    "",
    "~/go/bin",
    "$HOME/go/bin",
    "/mnt/c/Program Files/Go/bin",
];

const GO_VERSIONS: &[&str] = &["go1.19.8", "go1.21.13", "go1.22.5", "go1.26.8", "go1.27.1"];

/// Each setting and the values it is drawn from.
const SETTINGS: &[(&str, &[&str])] = &[
    (
        "GOROOT",
        &[
            "{HOME}/goroot",
            "/usr/local/go",
            "/usr/lib/go-1.19",
            "/nonexistent/go",
            "{HOME}/go",
        ],
    ),
    (
        "GOPATH",
        &[
            "{HOME}/go",
            "{HOME}/go:{HOME}/other",
            "{HOME}/goroot",
            "relative/go",
            "",
        ],
    ),
    (
        "GOBIN",
        &[
            "{HOME}/bin",
            "/nonexistent/bin",
            "relative/bin",
            "{HOME}/go/bin",
        ],
    ),
    (
        "GOPROXY",
        &[
            "https://proxy.golang.org,direct",
            "https://goproxy.corp.example",
            "off",
            "direct",
            "https://alice:s3cret@goproxy.corp.example,direct",
            "https://a.example|https://b.example",
            "",
        ],
    ),
    (
        "GOSUMDB",
        &[
            "off",
            "sum.golang.org",
            "sum.golang.org https://sum.corp.example",
            "",
        ],
    ),
    ("GONOSUMDB", &["*", "git.corp.example", ""]),
    ("GOPRIVATE", &["git.corp.example/*", "*.corp.example", ""]),
    ("GONOPROXY", &["git.corp.example", "none"]),
    ("GOINSECURE", &["git.corp.example", "*"]),
    (
        "GOFLAGS",
        &[
            "-mod=vendor",
            "-mod=mod",
            "-insecure",
            "-toolexec=/tmp/x",
            "-ldflags=-X=main.token=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "-buildvcs=false",
        ],
    ),
    ("GO111MODULE", &["on", "off", "auto", ""]),
    (
        "GOTOOLCHAIN",
        &["local", "auto", "go1.22.5", "go1.27.1+auto", "path"],
    ),
    ("CGO_ENABLED", &["0", "1"]),
    (
        "CC",
        &[
            "gcc",
            "clang",
            "/nonexistent/cc",
            "relative-cc",
            "x86_64-w64-mingw32-gcc",
        ],
    ),
    ("CXX", &["g++", "/nonexistent/c++"]),
    ("PKG_CONFIG", &["pkg-config", "/nonexistent/pkg-config"]),
    ("GOOS", &["linux", "windows", "darwin"]),
    ("GOARCH", &["amd64", "arm64", "386"]),
    (
        "GOTMPDIR",
        &["/tmp", "/nonexistent", "{HOME}/tmp", "/dev/shm"],
    ),
    ("GOENV", &["{HOME}/custom-go-env", "off"]),
    (
        "GOWORK",
        &["off", "{HOME}/proj/go.work", "{HOME}/missing.work"],
    ),
    (
        "HTTPS_PROXY",
        &[
            "http://alice:pw@proxy:3128",
            "http://proxy.corp.example:3128",
            "",
        ],
    ),
    (
        "https_proxy",
        &["http://bob:pw@proxy:3128", "http://proxy:8080"],
    ),
    ("HTTP_PROXY", &["http://proxy.corp.example:3128"]),
    (
        "NO_PROXY",
        &[
            "localhost,127.0.0.1",
            "*.corp.example",
            "git.corp.example,.corp.example",
            "",
        ],
    ),
    ("no_proxy", &["localhost"]),
    (
        "SSL_CERT_FILE",
        &[
            "/etc/ssl/certs/ca-certificates.crt",
            "/etc/ssl/certs/missing.pem",
            "{HOME}/ca.pem",
        ],
    ),
    (
        "SSL_CERT_DIR",
        &["/etc/ssl/certs", "/nonexistent/certs", "{HOME}/certs"],
    ),
    ("GIT_SSL_NO_VERIFY", &["1", "true"]),
    ("XDG_CONFIG_HOME", &["{HOME}/.config", "{HOME}/xdg"]),
    (
        "SHELL",
        &["/bin/bash", "/usr/bin/zsh", "/usr/bin/fish", "/bin/sh"],
    ),
    ("WSL_DISTRO_NAME", &["Debian"]),
];

const SHELL_LINES: &[&str] = &[
    "export PATH=\"$HOME/go/bin:$PATH\"",
    "export PATH=\"$PATH:$HOME/go/bin\"",
    "export PATH=\"$PATH:$(go env GOPATH)/bin\"",
    "export PATH=/usr/local/go/bin:$PATH",
    "export GOPATH=$HOME/go",
    "export GOROOT=/usr/local/go",
    "export GOROOT=$HOME/goroot",
    "export GOPROXY=https://goproxy.corp.example",
    "export GOSUMDB=off",
    "export GOFLAGS=-mod=vendor",
    "export GO111MODULE=off",
    "export CGO_ENABLED=1",
    "eval \"$(goenv init -)\"",
    "export GOENV_ROOT=\"$HOME/.goenv\"",
    ". \"$HOME/.asdf/asdf.sh\"",
    "[[ -s \"$HOME/.gvm/scripts/gvm\" ]] && source \"$HOME/.gvm/scripts/gvm\"",
    "[ -d \"$HOME/go/bin\" ] && PATH=\"$HOME/go/bin:$PATH\"",
    "if [ -f \"$HOME/.bashrc\" ]; then . \"$HOME/.bashrc\"; fi",
    "case $- in *i*) ;; *) return;; esac",
    "[ -z \"$PS1\" ] && return",
    "export PATH=\"/tmp/tools/bin:$PATH\"",
    "export PATH=\"$PATH:\"",
    "export PATH=~/go/bin:$PATH",
    "PATH=$PATH:/usr/lib/go-1.19/bin",
    "export SSL_CERT_FILE=/etc/ssl/certs/missing.pem",
    "export HTTPS_PROXY=http://carol:pw@proxy:3128",
    "unset GOROOT",
    "mise activate bash | source",
];

const FISH_LINES: &[&str] = &[
    "fish_add_path $HOME/go/bin",
    "set -gx PATH $HOME/go/bin $PATH",
    "set -gx GOPATH $HOME/go",
    "set -gx GOROOT /usr/local/go",
    "set -x GOSUMDB off",
    "status is-interactive; and goenv init - | source",
];

const GOENV_LINES: &[&str] = &[
    "GOROOT=/usr/local/go",
    "GOPROXY=https://goproxy.corp.example",
    "GOPROXY=https://proxy.golang.org,direct",
    "GOSUMDB=off",
    "GOFLAGS=-mod=mod",
    "GOTOOLCHAIN=local",
    "GOPRIVATE=git.corp.example/*",
    "GOINSECURE=*",
    "CGO_ENABLED=0",
    "GOTOOLCHAIN=go1.22.5+auto",
];

const ENVIRONMENT_D: &[&str] = &[
    "PATH=/tmp/tools/bin:$PATH",
    "PATH=$HOME/go/bin:$PATH",
    "GOSUMDB=off",
    "GOPROXY=https://dev:pw@goproxy.corp.example/",
    "GOROOT=/usr/local/go",
];

fn text_file(path: &str, lines: Vec<&str>) -> File {
    File {
        path: path.into(),
        bytes: (lines.join("\n") + "\n").into_bytes(),
        mode: 0o644,
    }
}

fn some_lines<'a>(rng: &mut Rng, pool: &[&'a str], most: usize) -> Vec<&'a str> {
    (0..1 + rng.below(most)).map(|_| *rng.pick(pool)).collect()
}

fn go_binary(rng: &mut Rng, path: &str, version: &str, module: Option<&str>) -> File {
    let arch = if rng.chance(90) { "amd64" } else { "arm64" };
    let modinfo = module.map(|m| format!("path\t{m}\nmod\t{m}\tv0.15.2\t\n"));
    File {
        path: path.into(),
        bytes: envgate::binary::synth::fake_go_elf(arch, version, modinfo.as_deref()),
        mode: 0o755,
    }
}

pub fn generate(rng: &mut Rng) -> Home {
    let mut env = BTreeMap::new();
    env.insert("HOME".to_string(), "{HOME}".to_string());
    env.insert("USER".to_string(), "dev".to_string());
    let mut path: Vec<&str> = (0..2 + rng.below(6))
        .map(|_| *rng.pick(PATH_ENTRIES))
        .collect();
    if rng.chance(70) {
        path.extend(["/usr/local/bin", "/usr/bin", "/bin"]);
    }
    env.insert("PATH".to_string(), path.join(":"));
    for (name, values) in SETTINGS {
        if rng.chance(18) {
            env.insert(name.to_string(), rng.pick(values).to_string());
        }
    }

    let mut files = Vec::new();
    let mut dirs = Vec::new();
    if rng.chance(60) {
        // A Go tree, its VERSION file sometimes disagreeing with its binaries (an
        // archive unpacked over an older tree), sometimes incomplete.
        let version = *rng.pick(GO_VERSIONS);
        let built = if rng.chance(30) {
            *rng.pick(GO_VERSIONS)
        } else {
            version
        };
        if rng.chance(85) {
            files.push(text_file(
                "goroot/VERSION",
                vec![version, "time 2026-01-01T00:00:00Z"],
            ));
        }
        files.push(go_binary(rng, "goroot/bin/go", built, None));
        if rng.chance(70) {
            let compiler = if rng.chance(25) {
                *rng.pick(GO_VERSIONS)
            } else {
                built
            };
            files.push(go_binary(
                rng,
                "goroot/pkg/tool/linux_amd64/compile",
                compiler,
                None,
            ));
        }
        if rng.chance(80) {
            dirs.push("goroot/src/runtime".into());
        }
    }
    if rng.chance(40) {
        let version = *rng.pick(GO_VERSIONS);
        files.push(go_binary(rng, "sdk/go1.22.5/bin/go", version, None));
        files.push(text_file("sdk/go1.22.5/VERSION", vec![version]));
    }
    if rng.chance(50) {
        let version = *rng.pick(GO_VERSIONS);
        files.push(go_binary(
            rng,
            "go/bin/gopls",
            version,
            Some("golang.org/x/tools/gopls"),
        ));
    }
    if rng.chance(15) {
        files.push(go_binary(
            rng,
            "go/bin/dlv",
            "go1.22.5",
            Some("github.com/go-delve/delve"),
        ));
    }
    for (file, percent) in [
        (".profile", 60),
        (".bashrc", 60),
        (".bash_profile", 15),
        (".bash_login", 5),
        (".zshrc", 20),
        (".zshenv", 10),
        (".zprofile", 10),
    ] {
        if rng.chance(percent) {
            files.push(text_file(file, some_lines(rng, SHELL_LINES, 6)));
        }
    }
    if rng.chance(15) {
        files.push(text_file(
            ".config/fish/config.fish",
            some_lines(rng, FISH_LINES, 4),
        ));
    }
    if rng.chance(35) {
        let mut file = text_file(".config/go/env", some_lines(rng, GOENV_LINES, 4));
        if rng.chance(15) {
            file.mode = 0o666;
        }
        files.push(file);
    }
    if rng.chance(10) {
        files.push(text_file("custom-go-env", some_lines(rng, GOENV_LINES, 3)));
    }
    if rng.chance(20) {
        files.push(text_file(
            ".config/environment.d/50-go.conf",
            some_lines(rng, ENVIRONMENT_D, 3),
        ));
    }
    if rng.chance(15) {
        files.push(text_file(
            ".goenv/version",
            vec![*rng.pick(&["1.22.5", "1.19.8", "system"])],
        ));
    }
    if rng.chance(10) {
        files.push(text_file(".tool-versions", vec!["golang 1.21.0"]));
    }
    if rng.chance(20) {
        files.push(text_file(
            ".netrc",
            vec!["machine goproxy.corp.example login alice password s3cret"],
        ));
    }
    if rng.chance(20) {
        files.push(text_file(
            ".gitconfig",
            vec![
                "[url \"git@git.corp.example:\"]",
                "\tinsteadOf = https://git.corp.example/",
            ],
        ));
    }
    if rng.chance(20) {
        let settings = *rng.pick(&[
            r#"{"go.useLanguageServer": false}"#,
            r#"{"go.goroot": "/usr/local/go1.18", "go.gopath": "/home/someone/go"}"#,
            r#"{"go.toolsEnvVars": {"GOFLAGS": "-mod=mod", "GOPROXY": "off"}, // comment
"go.alternateTools": {"go": "/nonexistent/go"},}"#,
            r#"{"go.toolsGopath": "{HOME}/tools"}"#,
        ]);
        files.push(text_file(".config/Code/User/settings.json", vec![settings]));
    }
    if rng.chance(15) {
        files.push(text_file(
            "ca.pem",
            vec![
                "-----BEGIN CERTIFICATE-----",
                "garbage",
                "-----END CERTIFICATE-----",
            ],
        ));
    }
    if rng.chance(10) {
        dirs.push("tmp".into());
    }
    let workspace = rng.chance(70).then(|| "proj".to_string());
    if workspace.is_some() {
        let go_line = *rng.pick(&["1.19", "1.21", "1.21.0", "1.22", "1.23.4", "1.27", "1.30"]);
        let mut lines = vec![
            "module example.com/proj".to_string(),
            String::new(),
            format!("go {go_line}"),
        ];
        if rng.chance(30) {
            lines.push(format!("toolchain {}", rng.pick(GO_VERSIONS)));
        }
        if rng.chance(30) {
            lines.push("require golang.org/x/text v0.14.0".into());
        }
        if rng.chance(15) {
            lines.push("replace example.com/lib => ../lib".into());
        }
        files.push(text_file(
            "proj/go.mod",
            lines.iter().map(String::as_str).collect(),
        ));
        if rng.chance(15) {
            files.push(text_file(
                "proj/vendor/modules.txt",
                vec!["# golang.org/x/text v0.13.0"],
            ));
        }
        if rng.chance(20) {
            let work = *rng.pick(&[
                "go 1.22\n\nuse ./proj",
                "go 1.22\n\nuse (\n\t.\n\t./missing\n)",
            ]);
            files.push(text_file(
                if rng.chance(50) {
                    "proj/go.work"
                } else {
                    "go.work"
                },
                vec![work],
            ));
        }
    }
    Home {
        env,
        files,
        dirs,
        workspace,
    }
}
