//! `doctor --probe net`: why `go mod download` fails, layer by layer. First what the go
//! command would do for each module path (`plan`), then, per host it would contact,
//! the chain of `chain::open` (proxy choice, DNS, TCP, CONNECT, TLS) and the GOPROXY
//! protocol requests with the go command's reading of their status (404/410: try the
//! next entry; any other error stops a `,` list; `|` falls through on any error), the
//! checksum database lookup, and for `direct` modules whether their server answers
//! over HTTPS. Live only and only on request: nothing else in envgate touches the
//! network.

mod auth;
mod chain;
mod connect;
mod direct;
pub mod dns;
mod fetch;
mod http;
pub mod httpproxy;
pub mod plan;
mod proxy;
mod socks;
mod tls;
mod walk;

use std::collections::BTreeMap;
use std::time::Duration;

use url::Url;

use crate::redact::redact_line;
use crate::snapshot::{GoEnvValue, NetHost, NetProbe, Workspace};
use chain::Context;

/// The public module always asked about, so a machine with no go.mod is probed too.
pub const PUBLIC_PROBE: &str = "golang.org/x/text";
/// Bound on the modules of a go.mod asked about (each costs two requests per proxy).
pub const MODULE_LIMIT: usize = 12;

#[derive(Debug, Clone)]
pub struct NetOptions {
    /// `--module PATH…`; empty: the checked go.mod's requirements.
    pub modules: Vec<String>,
    /// Per step.
    pub timeout: Duration,
    /// Told the hosts before any is contacted (the CLI prints them on standard error).
    pub announce: Option<fn(&str)>,
}

impl Default for NetOptions {
    fn default() -> Self {
        NetOptions {
            modules: Vec::new(),
            timeout: Duration::from_secs(5),
            announce: None,
        }
    }
}

/// The module paths to ask about, with why.
pub fn modules_to_probe(options: &NetOptions, workspace: &Workspace) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let push = |path: &str, reason: &str, out: &mut Vec<(String, String)>| {
        if !out.iter().any(|(p, _)| p == path) {
            out.push((path.to_string(), reason.to_string()));
        }
    };
    if options.modules.is_empty() {
        let replaced: Vec<&str> = workspace
            .module_paths
            .iter()
            .filter(|m| m.replaced_by_directory)
            .map(|m| m.path.as_str())
            .collect();
        if let Some(gomod) = &workspace.go_mod {
            for r in gomod
                .requires
                .iter()
                .filter(|r| !replaced.contains(&r.path.as_str()))
            {
                if out.len() >= MODULE_LIMIT {
                    break;
                }
                push(&r.path, "go.mod", &mut out);
            }
        }
        push(PUBLIC_PROBE, "public-probe", &mut out);
    } else {
        for m in &options.modules {
            push(m, "--module", &mut out);
        }
    }
    out
}

pub fn collect(
    env: &BTreeMap<String, String>,
    go_env: &BTreeMap<String, GoEnvValue>,
    workspace: &Workspace,
    options: &NetOptions,
) -> NetProbe {
    let hosts_file = crate::regular::read_to_string(std::path::Path::new("/etc/hosts"), 1 << 20)
        .unwrap_or_default();
    let resolv = crate::regular::read_to_string(std::path::Path::new("/etc/resolv.conf"), 1 << 20)
        .unwrap_or_default();
    let ctx = Context::new(
        env,
        options.timeout,
        hosts_file,
        auth::Auth::new(env, plan::value(go_env, "GOAUTH")),
    );
    let modules = modules_to_probe(options, workspace);
    let proxies = plan::proxy_list(plan::value(go_env, "GOPROXY"));
    let sumdb = plan::sumdb(plan::value(go_env, "GOSUMDB"));

    if let Some(announce) = options.announce {
        announce(&announcement(
            &ctx,
            &modules,
            go_env,
            &proxies,
            sumdb.as_ref(),
        ));
    }
    let mut run = Run {
        ctx: &ctx,
        hosts: BTreeMap::new(),
        insecure: false,
    };
    let mut out = Vec::new();
    for (path, reason) in modules {
        out.push(run.module(&path, &reason, go_env, &proxies, sumdb.as_ref()));
    }
    NetProbe {
        timeout_ms: u64::try_from(options.timeout.as_millis()).unwrap_or(u64::MAX),
        nameservers: dns::nameservers(&resolv),
        modules: out,
        hosts: run.hosts.into_values().collect(),
        logins: ctx.auth.facts.clone(),
    }
}

/// What will be contacted, said before anything is.
fn announcement(
    ctx: &Context,
    modules: &[(String, String)],
    go_env: &BTreeMap<String, GoEnvValue>,
    proxies: &Result<Vec<plan::Entry>, String>,
    sumdb: Option<&plan::Sumdb>,
) -> String {
    let mut hosts: Vec<String> = Vec::new();
    let mut add = |u: &str| {
        if let Ok(url) = Url::parse(u) {
            let (choice, _) = chain::proxy_choice(ctx, &url);
            let line = format!("{} ({})", origin(&url), choice.reason);
            if !hosts.contains(&line) {
                hosts.push(line);
            }
        }
    };
    for (path, _) in modules {
        let m = plan::matches(go_env, path);
        if !m.noproxy.is_empty() {
            add(&format!("https://{}", first_element(path)));
            continue;
        }
        if let Ok(list) = proxies {
            for e in list.iter().filter(|e| e.url.starts_with("http")) {
                add(&e.url);
            }
            if list.iter().any(|e| e.url == "direct") {
                add(&format!("https://{}", first_element(path)));
            }
        }
        if let Some(db) = sumdb
            && m.nosumdb.is_empty()
        {
            add(&db
                .explicit_url
                .clone()
                .unwrap_or(format!("https://{}", db.name)));
        }
    }
    let direct = modules.iter().any(|(path, _)| {
        !plan::matches(go_env, path).noproxy.is_empty()
            || proxies
                .as_ref()
                .is_ok_and(|l| l.iter().any(|e| e.url == "direct"))
    });
    if direct {
        hosts.push(
            "and, for a module fetched direct, the repository its go-import tag names (plain HTTP too under GOINSECURE)"
                .into(),
        );
    }
    format!(
        "envgate: --probe net will contact (at most, per module path asked):\n{}",
        hosts
            .iter()
            .map(|h| format!("  {h}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

fn first_element(path: &str) -> &str {
    path.split('/').next().unwrap_or(path)
}

/// `scheme://host[:port]`, the key of a host.
fn origin(url: &Url) -> String {
    let mut o = format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""));
    if let Some(port) = url.port() {
        o.push_str(&format!(":{port}"));
    }
    o
}

struct Run<'a> {
    ctx: &'a Context,
    hosts: BTreeMap<String, NetHost>,
    /// Set while a GOINSECURE module's `?go-get=1` is asked: certificates are not
    /// verified (cmd/go's `web.Insecure`).
    insecure: bool,
}

/// The answer to one request (after redirects), or the layer that failed before it.
enum Answer {
    Http {
        /// The origin that gave this answer (another host after a redirect).
        origin: String,
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    Failed {
        layer: String,
        error: String,
    },
}

fn target_path(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

fn shown_entry(entry: &str) -> String {
    match Url::parse(entry) {
        Ok(u) if u.scheme().starts_with("http") => chain::shown(&u),
        _ => redact_line(entry),
    }
}

/// The first line of an error answer's body, bounded and redacted.
fn first_line(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let line = text.lines().find(|l| !l.trim().is_empty())?;
    let cut: String = line.chars().take(200).collect();
    Some(redact_line(cut.trim()))
}
