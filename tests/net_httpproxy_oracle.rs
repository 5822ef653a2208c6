//! Oracle test for `collect::net::httpproxy`: a small Go program, built here with this
//! machine's Go, prints `http.ProxyFromEnvironment`'s decision (the function the go
//! command's downloads use) for generated environments × URLs; envgate's port must
//! decide the same. One process per environment, since Go reads it once per process.
//! Seeded (`ENVGATE_HTTPPROXY_SEED`), `ENVGATE_HTTPPROXY_CASES` environments (default
//! 150); skipped with a printed reason when no Go is installed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use envgate::collect::net::httpproxy::{Decision, ProxyEnv, decide};

const PROGRAM: &str = r#"package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
)

var defaults = map[string]string{"http": "80", "https": "443", "socks5": "1080", "socks5h": "1080"}

func main() {
	for _, raw := range os.Args[1:] {
		u, err := url.Parse(raw)
		if err != nil {
			fmt.Println("BADURL")
			continue
		}
		p, err := http.ProxyFromEnvironment(&http.Request{URL: u})
		switch {
		case err != nil:
			fmt.Println("ERROR")
		case p == nil:
			fmt.Println("DIRECT")
		default:
			port := p.Port()
			if port == "" {
				port = defaults[p.Scheme]
			}
			fmt.Printf("PROXY %s %s %s %s\n", p.Scheme, p.Hostname(), port, p.User.String())
		}
	}
}
"#;

const PROXIES: &[&str] = &[
    "http://proxy.corp:3128",
    "proxy.corp:8080",
    "https://secure.proxy:443",
    "socks5://s.example:1080",
    "10.0.0.1:3128",
    "",
    "http://u:p@p.example:1",
    "HTTP://Upper.Proxy:81",
    "http://[2001:db8::5]:3128",
    "socks5h://h.example:1080",
    "socks5://u:p@s.example",
    "https://u:p@secure.proxy",
];

const NO_PROXY: &[&str] = &[
    "corp.example",
    ".corp.example",
    "*.corp.example",
    "corp.example:443",
    "10.0.0.0/8",
    "10.1.2.3",
    "[::1]",
    "::1",
    "192.168.0.0/16",
    "*",
    "localhost",
    " Example.COM ",
    "example.com:8443",
    "2001:db8::/32",
    "[2001:db8::1]:443",
    "",
    "git.corp.example",
    "proxy.golang.org",
    ".golang.org:443",
    ":443",
    "10.2.0.1:80",
];

const URLS: &[&str] = &[
    "https://corp.example",
    "https://git.corp.example",
    "https://x.git.corp.example:8443/p",
    "http://example.com",
    "https://Example.com:8443",
    "https://10.1.2.3",
    "http://10.2.0.1:80",
    "https://[2001:db8::1]",
    "https://[2001:db8::1]:443/x",
    "https://localhost:8080",
    "http://127.0.0.1",
    "https://192.168.5.5",
    "https://proxy.golang.org/golang.org/x/text/@v/list",
    "http://sum.golang.org",
    "https://[::1]:443",
    "https://notcorp.example",
    "https://sum.golang.org:443",
];

const VARS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];

/// xorshift64*: enough for picking cases, and reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn go_binary() -> Option<PathBuf> {
    ["/usr/local/go/bin/go", "/usr/lib/go/bin/go", "/usr/bin/go"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn build_oracle(go: &Path, dir: &Path) -> Option<PathBuf> {
    std::fs::write(dir.join("main.go"), PROGRAM).ok()?;
    std::fs::write(dir.join("go.mod"), "module oracle\n\ngo 1.19\n").ok()?;
    let out = dir.join("oracle");
    let status = Command::new(go)
        .args(["build", "-o"])
        .arg(&out)
        .arg(".")
        .current_dir(dir)
        .env("GOTOOLCHAIN", "local")
        .env("GOPROXY", "off")
        .env("GOFLAGS", "")
        .env("GOWORK", "off")
        .status()
        .ok()?;
    status.success().then_some(out)
}

fn ours(env: &BTreeMap<String, String>, url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return "BADURL".into();
    };
    match decide(&ProxyEnv::from_env(env), &parsed) {
        Decision::Direct(_) => "DIRECT".into(),
        Decision::Refused(_) => "ERROR".into(),
        Decision::Proxy { url: p, .. } => {
            let port = p
                .port_or_known_default()
                .map(|p| p.to_string())
                .unwrap_or_else(|| {
                    if p.scheme().starts_with("socks5") {
                        "1080".into()
                    } else {
                        String::new()
                    }
                });
            let user = match (p.username(), p.password()) {
                ("", None) => String::new(),
                (u, None) => u.to_string(),
                (u, Some(pw)) => format!("{u}:{pw}"),
            };
            let host = p
                .host_str()
                .unwrap_or("")
                .trim_start_matches('[')
                .trim_end_matches(']');
            format!("PROXY {} {} {port} {user}", p.scheme(), host)
        }
    }
}

#[test]
fn proxy_choice_agrees_with_go() {
    let Some(go) = go_binary() else {
        println!("skipped: no Go installed (/usr/local/go/bin/go, /usr/bin/go)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let Some(oracle) = build_oracle(&go, dir.path()) else {
        println!(
            "skipped: {} could not build the oracle program",
            go.display()
        );
        return;
    };
    let seed: u64 = std::env::var("ENVGATE_HTTPPROXY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x0e17_9a7e);
    let cases: usize = std::env::var("ENVGATE_HTTPPROXY_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150);
    let mut rng = Rng(seed | 1);
    let mut disagreements = Vec::new();
    for case in 0..cases {
        let mut env = BTreeMap::new();
        for var in VARS {
            if rng.below(3) != 0 {
                continue;
            }
            let value = match *var {
                "NO_PROXY" | "no_proxy" => (0..1 + rng.below(4))
                    .map(|_| rng.pick(NO_PROXY))
                    .collect::<Vec<_>>()
                    .join(","),
                "REQUEST_METHOD" => {
                    if rng.below(2) == 0 {
                        "GET".into()
                    } else {
                        String::new()
                    }
                }
                _ => rng.pick(PROXIES).to_string(),
            };
            env.insert(var.to_string(), value);
        }
        let urls: Vec<&str> = (0..4).map(|_| rng.pick(URLS)).collect();
        let out = Command::new(&oracle)
            .args(&urls)
            .env_clear()
            .envs(&env)
            .output()
            .unwrap();
        let theirs = String::from_utf8_lossy(&out.stdout);
        for (url, go_says) in urls.iter().zip(theirs.lines()) {
            let we_say = ours(&env, url);
            // Host names compare without case: Go keeps `Upper.Proxy` as written, the
            // url crate lower-cases it, and both connect to the same host.
            if we_say.trim().to_lowercase() != go_says.trim().to_lowercase() {
                disagreements.push(format!(
                    "case {case} (seed {seed:#x}): env {env:?}, url {url}: Go {go_says:?}, envgate {we_say:?}"
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements, first:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
