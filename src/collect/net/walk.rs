//! The go command's walk for one module path: GONOPROXY sends it `direct`; else each
//! GOPROXY entry is asked `@v/list` (and `@latest` when the list is empty) until one
//! has it, a 404/410 passing to the next entry, another error stopping a `,` list;
//! then the checksum database lookup, and for `direct` the module's own server.

use std::collections::BTreeMap;

use url::Url;

use super::{Answer, Run, first_line, origin, plan, shown_entry, target_path};
use crate::redact::redact_line;
use crate::snapshot::{GoEnvValue, NetModule, ProxyAttempt, ProxyEntry, SumdbEntry};

impl Run<'_> {
    pub(super) fn module(
        &mut self,
        path: &str,
        reason: &str,
        go_env: &BTreeMap<String, GoEnvValue>,
        proxies: &Result<Vec<plan::Entry>, String>,
        sumdb: Option<&plan::Sumdb>,
    ) -> NetModule {
        let m = plan::matches(go_env, path);
        let mut module = NetModule {
            path: path.to_string(),
            reason: reason.to_string(),
            noproxy_patterns: m.noproxy.clone(),
            nosumdb_patterns: m.nosumdb.clone(),
            insecure_patterns: m.insecure.clone(),
            proxies: Vec::new(),
            sumdb: None,
            attempts: Vec::new(),
            outcome: String::new(),
            vcs: None,
        };
        let list = match proxies {
            Ok(list) => list,
            Err(e) => {
                module.outcome = "error".into();
                module.attempts.push(ProxyAttempt {
                    proxy: "GOPROXY".into(),
                    requests: Vec::new(),
                    status: None,
                    result: "error".into(),
                    error: Some(e.clone()),
                    separator: None,
                    body: None,
                    answered_by: None,
                });
                return module;
            }
        };
        module.proxies = list
            .iter()
            .map(|e| ProxyEntry {
                url: shown_entry(&e.url),
                separator: e.separator.map(String::from),
            })
            .collect();
        // GONOPROXY: cmd/go fetches the module straight from its server, whatever GOPROXY says.
        if !m.noproxy.is_empty() {
            module.outcome = "direct".into();
            module.vcs = Some(self.vcs(path, &m));
            return module;
        }
        let mut version = None;
        module.outcome = "not-found".into();
        for entry in list {
            match entry.url.as_str() {
                "off" => {
                    module.outcome = "off".into();
                    break;
                }
                "direct" => {
                    module.outcome = "direct".into();
                    module.vcs = Some(self.vcs(path, &m));
                    break;
                }
                _ => {}
            }
            let (attempt, found) = self.ask_proxy(&entry.url, path, entry.separator);
            let result = attempt.result.clone();
            module.attempts.push(attempt);
            if result == "found" {
                module.outcome = "found".into();
                version = found;
                break;
            }
            if result == "error" && !entry.falls_back_on_error() {
                module.outcome = "error".into();
                break;
            }
        }
        if let Some(db) = sumdb
            && m.nosumdb.is_empty()
            && module.outcome == "found"
        {
            module.sumdb = Some(self.sumdb(db, list, path, version.as_deref()));
        }
        module
    }

    /// `@v/list`, then `@latest` only when the list is empty (as `go get m@latest`
    /// does); the latest version either names.
    pub(super) fn ask_proxy(
        &mut self,
        base: &str,
        path: &str,
        separator: Option<char>,
    ) -> (ProxyAttempt, Option<String>) {
        let escaped = plan::escape_path(path);
        let mut attempt = ProxyAttempt {
            proxy: Url::parse(base)
                .map(|u| origin(&u))
                .unwrap_or_else(|_| base.to_string()),
            requests: Vec::new(),
            status: None,
            result: "error".into(),
            error: None,
            separator: separator.map(String::from),
            body: None,
            answered_by: None,
        };
        let on_disk = base.starts_with("file:");
        if on_disk {
            attempt.proxy = redact_line(base.trim_end_matches('/'));
        }
        let mut version = None;
        for suffix in ["@v/list", "@latest"] {
            let full = format!("{}/{escaped}/{suffix}", base.trim_end_matches('/'));
            let Ok(url) = Url::parse(&full) else {
                attempt.error = Some(format!("{full:?} is not a URL"));
                return (attempt, None);
            };
            attempt.requests.push(redact_line(&target_path(&url)));
            let answer = if on_disk {
                file_answer(&url, &attempt.proxy)
            } else {
                self.get(&url, "goproxy", "GOPROXY")
            };
            match answer {
                Answer::Failed { layer, error } => {
                    attempt.error = Some(format!("{layer}: {error}"));
                    attempt.result = "error".into();
                    return (attempt, None);
                }
                Answer::Http {
                    status,
                    body,
                    origin,
                    ..
                } => {
                    attempt.status = Some(status);
                    attempt.answered_by = (origin != attempt.proxy).then_some(origin);
                    match status {
                        200 => {
                            attempt.result = "found".into();
                            if suffix == "@v/list" {
                                version = plan::latest_in_list(&String::from_utf8_lossy(&body));
                                if version.is_some() {
                                    break;
                                }
                            } else {
                                version = serde_json::from_slice::<serde_json::Value>(&body)
                                    .ok()
                                    .and_then(|v| v.get("Version")?.as_str().map(str::to_string));
                            }
                        }
                        404 | 410 => {
                            attempt.result = "not-found".into();
                            attempt.body = first_line(&body);
                            return (attempt, None);
                        }
                        _ => {
                            attempt.result = "error".into();
                            attempt.body = first_line(&body);
                            attempt.error =
                                Some(format!("reading {}: {status}", redact_line(&full)));
                            return (attempt, None);
                        }
                    }
                }
            }
        }
        (attempt, version)
    }

    /// GOSUMDB: through the first proxy that says it supports it, else directly.
    fn sumdb(
        &mut self,
        db: &plan::Sumdb,
        list: &[plan::Entry],
        path: &str,
        version: Option<&str>,
    ) -> SumdbEntry {
        let mut base = db.explicit_url.clone();
        if base.is_none() {
            for entry in list {
                if entry.url == "direct" || entry.url == "off" {
                    break;
                }
                let supported = format!(
                    "{}/sumdb/{}/supported",
                    entry.url.trim_end_matches('/'),
                    db.name
                );
                let Ok(url) = Url::parse(&supported) else {
                    break;
                };
                match self.get(&url, "goproxy", "GOPROXY") {
                    Answer::Http { status: 200, .. } => {
                        base = Some(format!(
                            "{}/sumdb/{}",
                            entry.url.trim_end_matches('/'),
                            db.name
                        ));
                        break;
                    }
                    Answer::Http {
                        status: 404 | 410, ..
                    } => continue,
                    _ if entry.falls_back_on_error() => continue,
                    _ => break,
                }
            }
        }
        let base = base.unwrap_or_else(|| format!("https://{}", db.name));
        let request = match version {
            Some(v) => format!("/lookup/{}@{v}", plan::escape_path(path)),
            None => "/latest".to_string(),
        };
        let mut entry = SumdbEntry {
            name: db.setting.clone(),
            url: redact_line(&base),
            request: Some(request.clone()),
            status: None,
            error: None,
            failed_layer: None,
        };
        match Url::parse(&format!("{}{request}", base.trim_end_matches('/'))) {
            Ok(url) => match self.get(&url, "sumdb", "GOSUMDB") {
                Answer::Http { status, .. } => entry.status = Some(status),
                Answer::Failed { layer, error } => {
                    entry.error = Some(format!("{layer}: {error}"));
                    entry.failed_layer = Some(layer);
                }
            },
            Err(e) => entry.error = Some(format!("not a URL: {e}")),
        }
        entry
    }
}

/// A `file://` GOPROXY entry's answer, read from disk as cmd/go's `web.Get` reads it:
/// a missing file answers 404 (the walk goes on), an unreadable one 403. Regular files
/// only, at most 1 MiB (a version list).
pub(super) fn file_answer(url: &Url, origin: &str) -> Answer {
    let answer = |status: u16, body: Vec<u8>| Answer::Http {
        origin: origin.to_string(),
        status,
        headers: Vec::new(),
        body,
    };
    let Ok(path) = url.to_file_path() else {
        return Answer::Failed {
            layer: "file".into(),
            error: format!("{} is not a local file path", redact_line(url.as_str())),
        };
    };
    match crate::regular::open(&path).and_then(|f| crate::regular::read_limited(f, 1 << 20)) {
        Ok(body) => answer(200, body),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => answer(404, b"not found".to_vec()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            answer(403, b"permission denied".to_vec())
        }
        Err(e) => Answer::Failed {
            layer: "file".into(),
            error: format!("{}: {e}", path.display()),
        },
    }
}
