//! The layers between the go command and one host, in order: the proxy choice Go's
//! `http.ProxyFromEnvironment` makes, DNS, TCP, the proxy's CONNECT tunnel, TLS. Each
//! step has its own timeout and is recorded; the chain stops at the first failure.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use url::Url;

use super::auth::Auth;
use super::connect;
use super::dns::{self, Resolver};
use super::http::ReadWrite;
use super::httpproxy::{Decision, DirectReason, ProxyEnv, decide};
use super::proxy::through_proxy;
use super::tls::{self, Roots};
use crate::redact::redact_line;
use crate::snapshot::{DnsFacts, NetStep, ProxyChoice, TlsFacts};

pub struct Context {
    pub resolver: Resolver,
    pub timeout: Duration,
    pub proxy_env: ProxyEnv,
    pub env: BTreeMap<String, String>,
    pub hosts_file: String,
    pub auth: Auth,
    roots: OnceLock<Roots>,
}

impl Context {
    pub fn new(
        env: &BTreeMap<String, String>,
        timeout: Duration,
        hosts_file: String,
        auth: Auth,
    ) -> Self {
        Context {
            resolver: Resolver::from_env(env),
            timeout,
            proxy_env: ProxyEnv::from_env(env),
            env: env.clone(),
            hosts_file,
            auth,
            roots: OnceLock::new(),
        }
    }

    pub fn roots(&self) -> &Roots {
        self.roots.get_or_init(|| tls::go_roots(&self.env))
    }
}

/// An open connection, ready for an HTTP request.
pub struct Opened {
    pub stream: Box<dyn ReadWrite>,
    /// The request target to write: the path, or the whole URL through a plain-HTTP proxy.
    pub absolute_form: bool,
    /// Headers the proxy needs on each request (plain HTTP through a proxy).
    pub proxy_headers: Vec<(String, String)>,
}

/// The proxy Go would use for `url`, in the snapshot's words.
pub fn proxy_choice(ctx: &Context, url: &Url) -> (ProxyChoice, Decision) {
    let decision = decide(&ctx.proxy_env, url);
    let mut choice = ProxyChoice {
        url: None,
        variable: None,
        no_proxy_entry: None,
        no_proxy_variable: None,
        reason: String::new(),
        sends_login: false,
    };
    let scheme_var = if url.scheme() == "https" {
        "HTTPS_PROXY/https_proxy"
    } else {
        "HTTP_PROXY/http_proxy"
    };
    match &decision {
        Decision::Direct(DirectReason::NoVariable) => {
            choice.reason = format!("direct: {scheme_var} not set");
        }
        Decision::Direct(DirectReason::Loopback) => {
            choice.reason = "direct: localhost and loopback addresses are never proxied".into();
        }
        Decision::Direct(DirectReason::NoProxy { entry, variable }) => {
            choice.reason = format!("direct: {variable} entry {entry:?} matches");
            choice.no_proxy_entry = Some(entry.clone());
            choice.no_proxy_variable = Some(variable.clone());
        }
        Decision::Proxy {
            url: proxy,
            variable,
        } => {
            choice.url = Some(shown(proxy));
            choice.variable = Some(variable.clone());
            choice.sends_login = !proxy.username().is_empty() || proxy.password().is_some();
            choice.reason = format!("through {} ({variable})", shown(proxy));
        }
        Decision::Refused(why) => choice.reason = why.clone(),
    }
    (choice, decision)
}

/// A URL as it may be shown: credentials never.
pub fn shown(url: &Url) -> String {
    let mut u = url.clone();
    if !u.username().is_empty() || u.password().is_some() {
        let _ = u.set_username("");
        let _ = u.set_password(None);
        return redact_line(u.as_str().trim_end_matches('/')).replacen("://", "://…@", 1);
    }
    redact_line(u.as_str().trim_end_matches('/'))
}

fn ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

pub(super) fn step(layer: &str, ok: bool, detail: String, started: Instant) -> NetStep {
    NetStep {
        layer: layer.into(),
        ok,
        detail,
        error_kind: None,
        error: None,
        duration_ms: ms(started),
        dns: None,
        tls: None,
    }
}

pub(super) fn failed(
    layer: &str,
    detail: String,
    kind: &str,
    error: String,
    started: Instant,
) -> NetStep {
    NetStep {
        error_kind: Some(kind.into()),
        error: Some(redact_line(&error)),
        ..step(layer, false, detail, started)
    }
}

/// Runs the chain to `url`'s host, appending each step; the stream when all passed.
/// `insecure`: a GOINSECURE module's `direct` fetch, whose certificate is not verified.
pub fn open(ctx: &Context, url: &Url, steps: &mut Vec<NetStep>, insecure: bool) -> Option<Opened> {
    let started = Instant::now();
    let (choice, decision) = proxy_choice(ctx, url);
    let host = url.host_str().unwrap_or("").to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let proxy = match decision {
        Decision::Refused(why) => {
            steps.push(failed(
                "settings",
                choice.reason.clone(),
                "proxy-refused",
                why,
                started,
            ));
            return None;
        }
        Decision::Proxy { url, .. } => Some(url),
        Decision::Direct(_) => None,
    };
    steps.push(step("settings", true, choice.reason.clone(), started));
    if let Some(p) = &proxy
        && !matches!(p.scheme(), "http" | "https" | "socks5" | "socks5h")
    {
        steps.push(failed(
            "proxy-connect",
            format!("proxy {}", shown(p)),
            "not-probed",
            format!(
                "a {}:// proxy is not probed by envgate (http, https, socks5 and socks5h are)",
                p.scheme()
            ),
            started,
        ));
        return None;
    }
    let (dial_host, dial_port) = match &proxy {
        Some(p) => (
            p.host_str().unwrap_or("").to_string(),
            // net/http's schemePort: socks5 and socks5h default to 1080.
            p.port_or_known_default().unwrap_or(1080),
        ),
        None => (host.clone(), port),
    };
    let dial_bare = dial_host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();

    // DNS.
    let started = Instant::now();
    let what = if proxy.is_some() { "the proxy " } else { "" };
    let addrs = match dns::resolve(&ctx.resolver, &dial_bare, dial_port, ctx.timeout) {
        Ok(addrs) => {
            let mut s = step(
                "dns",
                true,
                format!(
                    "{what}{dial_bare} → {}{}",
                    addrs
                        .iter()
                        .map(|a| a.ip().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    resolver_note(ctx, &dial_bare)
                ),
                started,
            );
            s.dns = Some(DnsFacts {
                name: dial_bare.clone(),
                addresses: addrs.iter().map(|a| a.ip().to_string()).collect(),
                hosts_file: dns::in_hosts_file(&ctx.hosts_file, &dial_bare),
            });
            steps.push(s);
            addrs
        }
        Err(failure) => {
            let (kind, why) = match failure {
                dns::Failure::NoSuchHost(why) => (
                    "no-such-host",
                    format!("{what}{dial_bare} does not resolve: {why}"),
                ),
                dns::Failure::Timeout => (
                    "timeout",
                    format!(
                        "resolving {what}{dial_bare} took longer than {}s",
                        ctx.timeout.as_secs_f32()
                    ),
                ),
            };
            let mut s = failed("dns", format!("{what}{dial_bare}"), kind, why, started);
            s.dns = Some(DnsFacts {
                name: dial_bare.clone(),
                addresses: Vec::new(),
                hosts_file: dns::in_hosts_file(&ctx.hosts_file, &dial_bare),
            });
            steps.push(s);
            return None;
        }
    };

    // TCP.
    let started = Instant::now();
    let tcp = match connect::tcp(&addrs, ctx.timeout) {
        Ok((tcp, addr)) => {
            steps.push(step(
                "tcp",
                true,
                format!("connected to {what}{addr}"),
                started,
            ));
            tcp
        }
        Err(e) => {
            let kind = connect::io_kind(&e);
            let why = match kind {
                "timeout" => format!(
                    "no answer from {what}{dial_bare}:{dial_port} within {}s (a firewall dropping packets?)",
                    ctx.timeout.as_secs_f32()
                ),
                "refused" => format!(
                    "{what}{dial_bare}:{dial_port} refused the connection (nothing listens there)"
                ),
                _ => format!("cannot connect to {what}{dial_bare}:{dial_port}: {e}"),
            };
            steps.push(failed(
                "tcp",
                format!("{what}{dial_bare}:{dial_port}"),
                kind,
                why,
                started,
            ));
            return None;
        }
    };

    let mut stream: Box<dyn ReadWrite> = Box::new(tcp);
    if let Some(p) = &proxy {
        stream = through_proxy(ctx, p, url, stream, steps)?;
        if p.scheme().starts_with("http") && url.scheme() == "http" {
            // A plain-HTTP request goes to an HTTP(S) proxy whole; no tunnel.
            return Some(Opened {
                stream,
                absolute_form: true,
                proxy_headers: connect::basic_auth(p)
                    .map(|a| vec![("Proxy-Authorization".to_string(), a)])
                    .unwrap_or_default(),
            });
        }
    }
    if url.scheme() != "https" {
        return Some(Opened {
            stream,
            absolute_form: false,
            proxy_headers: Vec::new(),
        });
    }

    // TLS.
    let started = Instant::now();
    let roots = ctx.roots();
    let mut facts = TlsFacts {
        sni: String::new(),
        version: None,
        roots: roots.files.clone(),
        root_count: roots.store.len(),
        subject: None,
        issuer: None,
        not_after: None,
        names: Vec::new(),
        unverified: None,
    };
    let result = tls::handshake(roots, &host, stream, &mut facts, insecure);
    match result {
        Ok(stream) => {
            let mut s = step(
                "tls",
                true,
                format!(
                    "{}, SNI {}, certificate for {} issued by {:?}{}",
                    facts.version.as_deref().unwrap_or("TLS"),
                    if facts.sni.is_empty() {
                        "(none: an IP address)"
                    } else {
                        &facts.sni
                    },
                    facts.subject.as_deref().unwrap_or("?"),
                    facts.issuer.as_deref().unwrap_or("?"),
                    match &facts.unverified {
                        Some(v) => format!(
                            "; NOT VERIFIED (GOINSECURE; verification {})",
                            if v == "would pass" {
                                "would pass".to_string()
                            } else {
                                format!("would fail: {v}")
                            }
                        ),
                        None => String::new(),
                    }
                ),
                started,
            );
            s.tls = Some(facts);
            steps.push(s);
            Some(Opened {
                stream: Box::new(stream),
                absolute_form: false,
                proxy_headers: Vec::new(),
            })
        }
        Err(failure) => {
            let mut s = failed(
                "tls",
                format!("handshake with {host} (SNI {})", facts.sni),
                failure.kind,
                failure.message,
                started,
            );
            s.tls = Some(facts);
            steps.push(s);
            None
        }
    }
}

fn resolver_note(ctx: &Context, name: &str) -> &'static str {
    if ctx.resolver.is_test() {
        " (test resolver)"
    } else if dns::in_hosts_file(&ctx.hosts_file, name) {
        " (from /etc/hosts)"
    } else {
        " (system resolver)"
    }
}
