//! `doctor --probe net` in the human report: per host, its layers as one chain
//! (`✓ settings → ✓ DNS → ✓ TCP → ✗ TLS: …`), then what the go command would make of
//! each module path. `-v` adds each step's detail and time. Every text that came from
//! the network or a setting is escaped.

use std::fmt::Write;

use super::human::{ASCII_MARKS, HumanOptions, UNICODE_MARKS};
use crate::escape;
use crate::render::Symbols;
use crate::report::Finding;
use crate::snapshot::{HostCredentials, NetProbe, NetStep};

/// The error kind (and VCS result) of a step envgate does not speak.
const NOT_PROBED: &str = "not-probed";

fn layer_name(layer: &str) -> &str {
    match layer {
        "dns" => "DNS",
        "tcp" => "TCP",
        "proxy-connect" => "proxy CONNECT",
        "tls" => "TLS",
        "http" => "HTTP",
        other => other,
    }
}

/// The first line of the fix of the finding about `url` (GO055–GO058 name their host).
fn fix_for<'a>(findings: &'a [Box<Finding>], url: &str) -> Option<(&'a str, &'a str)> {
    let finding = findings
        .iter()
        .find(|f| f.evidence.get("url").as_ref().and_then(|u| u.as_str()) == Some(url))?;
    let line = finding.remediation.lines().find(|l| !l.trim().is_empty())?;
    // The first sentence: the whole fix is in the finding above.
    let sentence = match line.trim().find(". ") {
        Some(end) => &line.trim()[..=end],
        None => line.trim(),
    };
    Some((finding.id.as_str(), sentence))
}

pub fn render(
    probe: Option<&NetProbe>,
    findings: &[Box<Finding>],
    options: &HumanOptions,
) -> String {
    let Some(probe) = probe else {
        return String::new();
    };
    let marks = match options.symbols {
        Symbols::Unicode => &UNICODE_MARKS,
        Symbols::Ascii => &ASCII_MARKS,
    };
    let arrow = match options.symbols {
        Symbols::Unicode => " → ",
        Symbols::Ascii => " -> ",
    };
    // A step envgate does not speak (GO069) is neither passed nor failed.
    let mark = |step: &NetStep| {
        if step.ok {
            marks.ok
        } else if step.error_kind.as_deref() == Some(NOT_PROBED) {
            marks.warning
        } else {
            marks.error
        }
    };
    let untested = |url: &str| {
        probe.hosts.iter().any(|h| {
            h.url == url
                && h.steps
                    .iter()
                    .any(|s| !s.ok && s.error_kind.as_deref() == Some(NOT_PROBED))
        })
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nModule downloads (--probe net, {} s per step; nameservers: {}):",
        probe.timeout_ms as f64 / 1000.0,
        if probe.nameservers.is_empty() {
            "none in /etc/resolv.conf".to_string()
        } else {
            escape::line(&probe.nameservers.join(", ")).into_owned()
        }
    );
    for method in &probe.logins.not_followed {
        let _ = writeln!(
            out,
            "  GOAUTH {}: not followed (the go command would run it for a host that answers 4xx)",
            escape::line(method)
        );
    }
    for host in &probe.hosts {
        let _ = writeln!(
            out,
            "  {} ({}){}",
            escape::line(&host.url),
            host.role,
            escape::line(&login_note(host.login.as_ref()))
        );
        // The chain up to the first failure, then the HTTP answers.
        let mut links: Vec<String> = Vec::new();
        let mut seen_http = false;
        for step in &host.steps {
            if step.layer == "http" {
                if seen_http {
                    continue;
                }
                seen_http = true;
            }
            links.push(link(step, mark(step), options.verbose));
        }
        let _ = writeln!(out, "    {}", links.join(arrow));
        if host.failed.is_some()
            && let Some((id, fix)) = fix_for(findings, &host.url)
        {
            let _ = writeln!(
                out,
                "    {}fix ({id}): {}",
                arrow.trim_start(),
                escape::line(fix)
            );
        }
        if options.verbose {
            for step in &host.steps {
                let _ = writeln!(
                    out,
                    "      {} {:<13} {:>5} ms  {}",
                    mark(step),
                    layer_name(&step.layer),
                    step.duration_ms,
                    plain(&escape::line(&step.detail), options)
                );
            }
        }
    }
    for module in &probe.modules {
        let verdict = match module.outcome.as_str() {
            "found" => format!("{} found", marks.ok),
            "direct" => match &module.vcs {
                Some(v) if v.result == "ok" => format!(
                    "{} fetched direct: {} repository {} answers{}",
                    marks.ok,
                    v.vcs.as_deref().unwrap_or("?"),
                    v.repo.as_deref().unwrap_or("?"),
                    if v.insecure { " (GOINSECURE)" } else { "" }
                ),
                Some(v) if v.result == NOT_PROBED => format!(
                    "{} fetched direct, not tested: {}",
                    marks.warning,
                    v.error.as_deref().unwrap_or("not probed")
                ),
                Some(v) => format!(
                    "{} fetched direct: {}",
                    marks.error,
                    v.error.as_deref().unwrap_or(&v.result)
                ),
                None => format!("{} fetched direct", marks.error),
            },
            "not-found" => format!("{} not found by any GOPROXY entry (404/410)", marks.error),
            "off" => format!(
                "{} GOPROXY=off reached: downloads are disabled",
                marks.error
            ),
            _ if module.attempts.last().is_some_and(|a| untested(&a.proxy)) => {
                format!(
                    "{} not tested: {}",
                    marks.warning,
                    module
                        .attempts
                        .last()
                        .and_then(|a| a.error.as_deref())
                        .unwrap_or("a step envgate does not probe")
                )
            }
            _ => format!(
                "{} stopped: {}",
                marks.error,
                module
                    .attempts
                    .last()
                    .and_then(|a| a.error.as_deref())
                    .unwrap_or("an error")
            ),
        };
        let sumdb = match &module.sumdb {
            Some(s) if s.status == Some(200) => format!("; {} checksum database", marks.ok),
            Some(s) => format!(
                "; {} checksum database: {}",
                marks.error,
                s.error
                    .clone()
                    .or(s.status.map(|c| format!("answered {c}")))
                    .unwrap_or_default()
            ),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "  {} {}{}",
            escape::line(&module.path),
            escape::line(&verdict),
            escape::line(&sumdb)
        );
    }
    out
}

/// Which credentials went with the first request, never what they are.
fn login_note(login: Option<&HostCredentials>) -> String {
    match login {
        Some(l) if l.source == "netrc" => format!(
            ", login from {} line {} (machine {})",
            l.file.as_deref().unwrap_or("netrc"),
            l.line.unwrap_or(0),
            l.machine
        ),
        Some(l) if l.source == "userinfo" => ", login from the URL's user and password".into(),
        Some(HostCredentials {
            note: Some(note), ..
        }) => format!(", no login: {note}"),
        _ => String::new(),
    }
}

fn link(step: &NetStep, mark: &str, verbose: bool) -> String {
    let name = layer_name(&step.layer);
    let mut text = format!("{mark} {name}");
    if step.ok
        && let Some(tls) = &step.tls
        && tls.unverified.is_some()
    {
        text.push_str(" NOT VERIFIED (GOINSECURE)");
    }
    if !step.ok {
        let why = step
            .error
            .as_deref()
            .or(step.error_kind.as_deref())
            .unwrap_or(&step.detail);
        let why = if step.layer == "http" && step.error.is_none() {
            step.detail.as_str()
        } else {
            why
        };
        let _ = write!(text, ": {}", escape::line(why));
    }
    if verbose {
        let _ = write!(text, " ({} ms)", step.duration_ms);
    }
    text
}

/// Plain ASCII output keeps no arrow from the facts' wording either.
fn plain(text: &str, options: &HumanOptions) -> String {
    match options.symbols {
        Symbols::Ascii => text.replace('→', "->"),
        Symbols::Unicode => text.to_string(),
    }
}
