//! Waivers in the doctor checklist: the notices about waivers that need attention,
//! and findings a waiver covers.
//!
//! Reasons, owners, messages and file names are the configuration's and the checked
//! files' text: each line is escaped whole (see [`crate::escape`]) before the
//! coloured mark goes in front of it.

use std::fmt::Write as _;

use super::human::{ASCII_MARKS, HumanOptions, Symbols, UNICODE_MARKS};
use crate::escape;
use crate::report::{Finding, WaiverNotice};

/// The waivers that need attention (expired or stale), with where they are written.
pub fn render_waiver_notices(notices: &[WaiverNotice], options: &HumanOptions) -> String {
    let mut out = String::new();
    if notices.is_empty() {
        return out;
    }
    let warning = match options.symbols {
        Symbols::Unicode => UNICODE_MARKS.warning,
        Symbols::Ascii => ASCII_MARKS.warning,
    };
    let warning = if options.color {
        format!("\x1b[33m{warning}\x1b[0m")
    } else {
        warning.to_string()
    };
    let _ = writeln!(out, "[{warning}] Waivers ({})", notices.len());
    for notice in notices {
        let at = match notice.location.line {
            Some(line) => format!("{}:{line}", notice.location.file),
            None => notice.location.file.clone(),
        };
        let what = format!("{at} {} {}", notice.rule, notice.message);
        let _ = writeln!(out, "    {warning} {}", escape::line(&what));
        let owner = notice
            .owner
            .as_deref()
            .map_or(String::new(), |owner| format!(" ({owner})"));
        let reason = format!("reason: {}{owner}", notice.reason);
        let _ = writeln!(out, "      {}", escape::line(&reason));
    }
    out
}

/// A waived finding in two lines: what it is, and the waiver that covers it.
pub(super) fn write_waived_finding(out: &mut String, finding: &Finding) {
    let Some(waiver) = &finding.waiver else {
        return;
    };
    let what = format!(
        "{} {}",
        finding.id,
        finding.message.lines().next().unwrap_or("")
    );
    let _ = writeln!(out, "    ~ {}", escape::line(&what));
    let at = finding
        .location
        .as_ref()
        .map_or(String::new(), |l| match l.line {
            Some(line) => format!(" at {}:{line}", l.file),
            None => format!(" at {}", l.file),
        });
    let owner = waiver
        .owner
        .as_deref()
        .map_or(String::new(), |owner| format!(" ({owner})"));
    let renamed = waiver
        .redirected_from
        .as_deref()
        .map_or(String::new(), |old| format!(", written as {old}"));
    let line = waiver
        .location
        .line
        .map_or(String::new(), |line| format!(":{line}"));
    let waived = format!(
        "waived until {}: {}{owner}{at} [{}{line}{renamed}]",
        waiver.expires, waiver.reason, waiver.location.file
    );
    let _ = writeln!(out, "      {}", escape::line(&waived));
}
