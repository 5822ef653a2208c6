//! One GET as the go command's `web.get` does it: the credentials `auth` finds for the
//! URL (netrc or the URL's userinfo; none over plain HTTP, and a plain-HTTP URL that
//! carries userinfo is refused), then net/http's redirects (at most 10; never from
//! HTTPS to HTTP; an Authorization header from netrc copied only to the same host or a
//! subdomain of it, userinfo only while the resolved URL still carries it). Each host
//! on the way records its own chain.

use std::time::Instant;

use url::Url;

use super::auth::{Credential, same_or_subdomain};
use super::{Answer, Run, chain, connect, http, origin, target_path};
use crate::redact::redact_line;
use crate::snapshot::{HostCredentials, NetHost, NetStep};

/// Redirects followed before giving up, as net/http's default policy.
const REDIRECT_LIMIT: usize = 10;

impl Run<'_> {
    /// GET `url` and follow its redirects.
    pub(super) fn get(&mut self, url: &Url, role: &str, setting: &str) -> Answer {
        // A `file://` GOPROXY entry (its checksum database proxy too) is read from disk.
        if url.scheme() == "file" {
            return super::walk::file_answer(url, &redact_line(url.as_str()));
        }
        if url.scheme() == "http" && (!url.username().is_empty() || url.password().is_some()) {
            let error = format!(
                "refusing to pass credentials to insecure URL: {}",
                chain::shown(url)
            );
            self.refused(url, role, setting, "insecure-credentials", &error);
            return Answer::Failed {
                layer: "http".into(),
                error,
            };
        }
        let first = self.ctx.auth.for_url(url);
        let mut current = url.clone();
        let mut sent = first.clone();
        let mut note = None;
        for _ in 0..=REDIRECT_LIMIT {
            let (answer, location) = self.request(&current, role, setting, sent.as_ref(), note);
            let Some(location) = location else {
                return answer;
            };
            let next = match current.join(&location) {
                Ok(next) if matches!(next.scheme(), "http" | "https") => next,
                _ => {
                    return Answer::Failed {
                        layer: "http".into(),
                        error: format!(
                            "{} redirected to {:?}, not an HTTP URL",
                            chain::shown(&current),
                            redact_line(&location)
                        ),
                    };
                }
            };
            if url.scheme() == "https" && next.scheme() != "https" {
                return Answer::Failed {
                    layer: "http".into(),
                    error: format!(
                        "redirected from secure URL {} to insecure URL {}",
                        chain::shown(&current),
                        chain::shown(&next)
                    ),
                };
            }
            let dest = next.host_str().unwrap_or("");
            let initial = url.host_str().unwrap_or("");
            sent = if !next.username().is_empty() || next.password().is_some() {
                self.ctx.auth.for_url(&next)
            } else {
                first
                    .clone()
                    .filter(|c| c.facts.source == "netrc" && same_or_subdomain(dest, initial))
            };
            note = (first.is_some() && sent.is_none()).then(|| {
                format!(
                    "redirected from {}: its Authorization is not sent to another host",
                    origin(url)
                )
            });
            current = next;
        }
        Answer::Failed {
            layer: "http".into(),
            error: format!("stopped after {REDIRECT_LIMIT} redirects"),
        }
    }

    /// The host entry of `url`, made at its first request.
    fn host_entry(&mut self, url: &Url, role: &str, setting: &str) -> (&mut NetHost, bool) {
        let key = origin(url);
        let first = !self.hosts.contains_key(&key);
        if first {
            let (proxy, _) = chain::proxy_choice(self.ctx, url);
            self.hosts.insert(
                key.clone(),
                NetHost {
                    url: key.clone(),
                    host: url.host_str().unwrap_or("").to_string(),
                    port: url.port_or_known_default().unwrap_or(443),
                    role: role.into(),
                    setting: setting.into(),
                    proxy,
                    steps: Vec::new(),
                    failed: None,
                    login: None,
                    fell_back_to: None,
                },
            );
        }
        (self.hosts.get_mut(&key).expect("inserted above"), first)
    }

    /// A request the go command refuses before connecting.
    fn refused(&mut self, url: &Url, role: &str, setting: &str, kind: &str, error: &str) {
        let (host, _) = self.host_entry(url, role, setting);
        host.steps.push(NetStep {
            layer: "http".into(),
            ok: false,
            detail: format!("GET {}", redact_line(&target_path(url))),
            error_kind: Some(kind.into()),
            error: Some(redact_line(error)),
            duration_ms: 0,
            dns: None,
            tls: None,
        });
        host.failed.get_or_insert_with(|| "http".into());
    }

    /// One request: the first to a host records its chain, later ones only their own
    /// `http` step. The redirect's Location, when the answer is one.
    fn request(
        &mut self,
        url: &Url,
        role: &str,
        setting: &str,
        credential: Option<&Credential>,
        note: Option<String>,
    ) -> (Answer, Option<String>) {
        let ctx = self.ctx;
        let insecure = self.insecure && url.scheme() == "https";
        let (host, first) = self.host_entry(url, role, setting);
        if first && url.scheme() == "https" {
            host.login = Some(match credential {
                Some(c) => HostCredentials {
                    note,
                    ..c.facts.clone()
                },
                None => ctx.auth.none_for(url, note),
            });
        }
        if let Some(layer) = &host.failed
            && layer != "http"
        {
            let error = host
                .steps
                .iter()
                .rev()
                .find_map(|s| s.error.clone())
                .unwrap_or_default();
            let layer = layer.clone();
            return (Answer::Failed { layer, error }, None);
        }
        let mut steps = Vec::new();
        let opened = chain::open(ctx, url, &mut steps, insecure);
        if first {
            host.steps = steps.clone();
        }
        let Some(mut opened) = opened else {
            let last = steps.last().cloned();
            let layer = last.as_ref().map(|s| s.layer.clone()).unwrap_or_default();
            if first {
                host.failed = Some(layer.clone());
            }
            let error = last.and_then(|s| s.error).unwrap_or_default();
            return (Answer::Failed { layer, error }, None);
        };
        let target = if opened.absolute_form {
            let mut bare = url.clone();
            let _ = bare.set_username("");
            let _ = bare.set_password(None);
            bare.as_str().to_string()
        } else {
            target_path(url)
        };
        let host_header = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or("")),
            None => url.host_str().unwrap_or("").to_string(),
        };
        let mut headers = opened.proxy_headers.clone();
        if let Some(c) = credential {
            headers.push(("Authorization".into(), c.header.clone()));
        }
        let started = Instant::now();
        let result = http::get(
            &mut *opened.stream,
            &host_header,
            &target,
            &headers,
            ctx.timeout,
        );
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let shown_path = redact_line(&target_path(url));
        match result {
            Ok(response) => {
                let location = matches!(response.status, 301 | 302 | 303 | 307 | 308)
                    .then(|| response.header("location").map(str::to_string))
                    .flatten();
                let mut detail = format!("GET {shown_path} → {}", response.status);
                if let Some(to) = &location {
                    detail.push_str(&format!(" → {}", redact_line(to)));
                }
                let ok = response.status == 200 || location.is_some();
                host.steps.push(NetStep {
                    layer: "http".into(),
                    ok,
                    detail,
                    error_kind: (!ok).then(|| format!("status-{}", response.status)),
                    error: None,
                    duration_ms,
                    dns: None,
                    tls: None,
                });
                (
                    Answer::Http {
                        origin: origin(url),
                        status: response.status,
                        headers: response.headers,
                        body: response.body,
                    },
                    location,
                )
            }
            Err(e) => {
                let kind = connect::io_kind(&e);
                let error = if kind == "timeout" {
                    format!(
                        "no answer to GET {shown_path} within {}s",
                        ctx.timeout.as_secs_f32()
                    )
                } else {
                    format!("GET {shown_path} failed: {e}")
                };
                host.steps.push(NetStep {
                    layer: "http".into(),
                    ok: false,
                    detail: format!("GET {shown_path}"),
                    error_kind: Some(kind.into()),
                    error: Some(redact_line(&error)),
                    duration_ms,
                    dns: None,
                    tls: None,
                });
                host.failed.get_or_insert_with(|| "http".into());
                let layer = "http".into();
                (Answer::Failed { layer, error }, None)
            }
        }
    }
}
