//! `--format github`: GitHub Actions workflow commands, one annotation per finding:
//! `::error file=k8s/deploy.yaml,line=40,col=13,title=K8S001 …::message`.
//!
//! - error → `::error`, warning → `::warning`, info → `::notice`.
//! - Escaping is @actions/core's (`command.ts`): in the message `%`, `\r`, `\n` become
//!   `%25`, `%0D`, `%0A`; property values also escape `:` and `,` (`%3A`, `%2C`). So the
//!   multi-line message (what is wrong, then the fix) stays one command line. Before
//!   that, other control characters are made visible (`\x1b`, see [`crate::escape`]).
//! - `file`, `line` and `col` are given only for files inside the repository, the only
//!   ones GitHub can show in a diff; a file elsewhere (`~/.bashrc`, a path inside an
//!   image) is named at the start of the message instead.
//! - Waived findings are not annotated: the waiver is the team's decision, and an
//!   annotation on every run would be noise. Expired and stale waivers are annotated
//!   at the waiver (in the config file), files that could not be parsed at the error.

use super::ci::{self, Workspace};
use crate::escape;
use crate::policy::Severity;
use crate::report::{Location, Report};
use crate::snapshot::Mode;

/// The report as workflow commands, one per line (nothing when there is nothing to say).
pub fn render(report: &Report, workspace: &Workspace) -> String {
    let mut out = String::new();
    for error in report.unreported_file_errors() {
        out.push_str(&command(
            "error",
            workspace,
            Some((report.mode, &error.location)),
            "envgate: cannot parse",
            &format!("cannot parse: {}", error.message),
        ));
    }
    // The gate fails on them unless allowed (--allow-unread): an error, as a parse error.
    for notice in &report.inputs_not_read {
        out.push_str(&command(
            "error",
            workspace,
            Some((report.mode, &notice.location())),
            "envgate: input not read",
            &notice.annotation(),
        ));
    }
    for notice in &report.waivers {
        let state = match notice.state {
            crate::report::WaiverState::Expired => "expired",
            crate::report::WaiverState::Stale => "stale",
        };
        out.push_str(&command(
            kind(notice.severity),
            workspace,
            // The configuration is a file of the checkout, also when judging an image.
            Some((Mode::Live, &notice.location)),
            &format!("{} waiver {state}", notice.rule),
            &notice.message,
        ));
    }
    for finding in report.findings.iter().filter(|f| f.waiver.is_none()) {
        let mut message = finding.message.trim().to_string();
        if !finding.remediation.is_empty() {
            message.push_str("\n\nFix:\n");
            message.push_str(finding.remediation.trim());
        }
        out.push_str(&command(
            kind(finding.severity),
            workspace,
            finding.location.as_ref().map(|l| (report.mode, l)),
            &format!("{} {}", finding.id, finding.title),
            &message,
        ));
    }
    out
}

fn kind(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// One workflow command line.
fn command(
    kind: &str,
    workspace: &Workspace,
    location: Option<(Mode, &Location)>,
    title: &str,
    message: &str,
) -> String {
    let mut properties: Vec<(&str, String)> = Vec::new();
    let mut message = message.to_string();
    if let Some((mode, location)) = location {
        match workspace.repo_path(mode, &location.file) {
            Some(file) => {
                properties.push(("file", file));
                if let Some(line) = location.line {
                    properties.push(("line", line.to_string()));
                    if let Some(column) = location.column {
                        properties.push(("col", column.to_string()));
                    }
                }
            }
            None => {
                // Many messages already say where; the others get it in front.
                let place = ci::place(&location.file, location);
                if !message.contains(&place) {
                    message = format!("{place}: {message}");
                }
            }
        }
    }
    properties.push(("title", title.to_string()));
    // Control characters from the checked files are made visible first (the log
    // shows the line, and a terminal may too); the workflow escapes then keep the
    // command on one line.
    let properties: Vec<String> = properties
        .into_iter()
        .map(|(key, value)| format!("{key}={}", escape_property(&escape::line(&value))))
        .collect();
    format!(
        "::{kind} {}::{}\n",
        properties.join(","),
        escape_data(&escape::lines(&message))
    )
}

/// @actions/core `escapeData`.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// @actions/core `escapeProperty`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("100%\r\nnext: a,b"), "100%25%0D%0Anext: a,b");
        assert_eq!(
            escape_property("GO013 a: b, c%\n"),
            "GO013 a%3A b%2C c%25%0A"
        );
    }

    #[test]
    fn control_characters_of_the_checked_files_are_visible() {
        let location = Location::with_snippet(
            "k8s/pod\x1b[2J,x.yaml".into(),
            Some(3),
            Some(5),
            Some("  name: \"\x1b]0;pwned\x07\""),
        );
        let line = command(
            "error",
            &Workspace::new("/repo", "/repo"),
            Some((Mode::Live, &location)),
            "K8S001 title \u{202e}",
            "Pod \"\x1b]0;pwned\x07\0\" is bad\r\n\nFix:\nset it",
        );
        assert!(
            !line.trim_end_matches('\n').chars().any(escape::is_escaped),
            "{line:?}"
        );
        assert!(
            line.contains(r#"Pod "\x1b]0;pwned\x07\x00" is bad\r%0A%0AFix:%0Aset it"#),
            "{line}"
        );
        assert!(line.contains(r"title=K8S001 title \u{202e}"), "{line}");
    }
}
