//! The hop through the proxy Go chose: TLS to an `https://` proxy (verified against
//! the same roots, its name as SNI), then `CONNECT host:port` with the proxy URL's
//! credentials as `Proxy-Authorization`; or a SOCKS5 CONNECT for `socks5://` and
//! `socks5h://` (the proxy resolves the target's name in both, as in Go, so a name the
//! probe could not resolve locally is no failure here), with the URL's user and
//! password by RFC 1929. Each is a recorded step; the chain stops at a failure.

use std::time::Instant;

use url::Url;

use super::chain::{Context, failed, shown, step};
use super::connect::{self, ConnectFailure};
use super::http::ReadWrite;
use super::{socks, tls};
use crate::snapshot::{NetStep, TlsFacts};

/// Takes the open connection to the proxy `p` to a stream that reaches `url`'s host
/// (for a plain-HTTP target through an HTTP(S) proxy: the stream to the proxy).
pub fn through_proxy(
    ctx: &Context,
    p: &Url,
    url: &Url,
    mut stream: Box<dyn ReadWrite>,
    steps: &mut Vec<NetStep>,
) -> Option<Box<dyn ReadWrite>> {
    let host = url.host_str().unwrap_or("").to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let authority = format!("{host}:{port}");
    if p.scheme().starts_with("socks5") {
        let started = Instant::now();
        let user = connect::percent_decode(p.username());
        let password = connect::percent_decode(p.password().unwrap_or(""));
        let has_login = !p.username().is_empty() || p.password().is_some();
        let login = has_login.then_some((user.as_str(), password.as_str()));
        let detail = format!(
            "SOCKS5 CONNECT {authority} through {} (the proxy resolves {host})",
            shown(p)
        );
        return match socks::connect(&mut *stream, &host, port, login) {
            Ok(()) => {
                steps.push(step("proxy-connect", true, detail, started));
                Some(stream)
            }
            Err(failure) => {
                let (kind, why) = match failure {
                    socks::Failure::NoAcceptableMethod {
                        offered_login: false,
                    } => (
                        "proxy-auth-required",
                        "the SOCKS5 proxy wants a user and password, and its URL has none"
                            .to_string(),
                    ),
                    socks::Failure::NoAcceptableMethod {
                        offered_login: true,
                    } => (
                        "proxy-refused",
                        "the SOCKS5 proxy accepts none of Go's authentication methods".to_string(),
                    ),
                    socks::Failure::LoginRefused => (
                        "proxy-auth-required",
                        "the SOCKS5 proxy refused the user and password of its URL".to_string(),
                    ),
                    socks::Failure::Reply(code) => (
                        "proxy-refused",
                        format!(
                            "the SOCKS5 proxy could not connect to {authority}: {} (reply {code}; the name is resolved by the proxy, not here)",
                            socks::reply_text(code)
                        ),
                    ),
                    socks::Failure::Bad(why) => ("bad-response", why),
                    socks::Failure::Io(e) => (
                        connect::io_kind(&e),
                        format!("the SOCKS5 proxy did not answer: {e}"),
                    ),
                };
                steps.push(failed("proxy-connect", detail, kind, why, started));
                None
            }
        };
    }
    if p.scheme() == "https" {
        let started = Instant::now();
        let proxy_host = p.host_str().unwrap_or("").to_string();
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
        match tls::handshake(roots, &proxy_host, stream, &mut facts, false) {
            Ok(tls_stream) => {
                let mut s = step(
                    "proxy-tls",
                    true,
                    format!(
                        "the proxy {proxy_host}: {}, certificate issued by {:?}",
                        facts.version.as_deref().unwrap_or("TLS"),
                        facts.issuer.as_deref().unwrap_or("?")
                    ),
                    started,
                );
                s.tls = Some(facts);
                steps.push(s);
                stream = Box::new(tls_stream);
            }
            Err(failure) => {
                let mut s = failed(
                    "proxy-tls",
                    format!("handshake with the proxy {proxy_host}"),
                    failure.kind,
                    format!("TLS to the proxy {proxy_host}: {}", failure.message),
                    started,
                );
                s.tls = Some(facts);
                steps.push(s);
                return None;
            }
        }
    }
    if url.scheme() == "http" {
        return Some(stream);
    }
    let auth = connect::basic_auth(p);
    let started = Instant::now();
    let detail = format!("CONNECT {authority} through {}", shown(p));
    match connect::tunnel(&mut *stream, &authority, auth.as_deref()) {
        Ok(()) => {
            steps.push(step("proxy-connect", true, detail, started));
            Some(stream)
        }
        Err(failure) => {
            let (kind, why) = match failure {
                ConnectFailure::Status(407, reason) => (
                    "proxy-auth-required",
                    if auth.is_some() {
                        format!("407 {reason}: the proxy refused the user and password of its URL")
                    } else {
                        format!(
                            "407 {reason}: the proxy wants a user and password, and its URL has none"
                        )
                    },
                ),
                ConnectFailure::Status(code, reason) => (
                    "proxy-refused",
                    format!("the proxy refused to tunnel to {authority}: {code} {reason}"),
                ),
                ConnectFailure::BadResponse(why) => ("bad-response", why),
                ConnectFailure::Io(e) => (
                    connect::io_kind(&e),
                    format!("the proxy did not answer CONNECT: {e}"),
                ),
            };
            steps.push(failed("proxy-connect", detail, kind, why, started));
            None
        }
    }
}
