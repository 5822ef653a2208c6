//! `--format junit`: JUnit XML as GitLab, Jenkins and Azure DevOps read it.
//!
//! One `testsuite` per pack (`go 1.0.0`, with the pack's name, version, origin and
//! pinned baseline as properties) and in it, in rule-id order, one `testcase` per rule
//! and subject: a `<failure>` per finding (`type` is its severity; the body says where,
//! shows the line and the fix), a passing case named by the rule id when the rule found
//! nothing, a skipped case when the rule was not judged (it needs a live session and
//! the report is of an image; it judged no document of the kinds it reads; it compares
//! files and the check was of part of a repository, `--partial`), and a skipped case
//! with the waiver's reason for a waived finding. Files that
//! could not be parsed are `<error>` cases of a `files` suite; expired and stale waivers
//! are failing cases of a `waivers` suite. No timestamps, durations or host names: the
//! same report gives byte-identical XML.
//!
//! `classname` is `pack.ID` so Jenkins groups cases by pack and rule; the `file`
//! attribute (repository-relative when inside the repository) is what GitLab shows.

use std::io::Write as _;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use super::ci::{self, Workspace};
use crate::escape;
use crate::report::{Finding, Report, RuleOutcome, RuleStatus, WaiverState};
use crate::snapshot::Mode;

/// Text for XML, control characters made visible (see [`crate::escape`]). quick-junit
/// would drop them silently, and ANSI sequences with them (a container named
/// `c\x1b[31mred` became `cred`), and keeps U+FFFE and U+FFFF, which XML 1.0 forbids.
fn text(s: &str) -> String {
    escape::line(s).into_owned()
}

/// [`text`] over several lines.
fn block(s: &str) -> String {
    escape::lines(s).into_owned()
}

/// The report as JUnit XML, with a final newline.
pub fn render(report: &Report, workspace: &Workspace) -> String {
    super::to_string(|out| write(report, workspace, out))
}

/// [`render`], serialized straight to `out`, with a final newline.
pub fn write(
    report: &Report,
    workspace: &Workspace,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut junit = quick_junit::Report::new("envgate");
    for pack in &report.packs {
        let mut suite = TestSuite::new(text(&format!("{} {}", pack.name, pack.version)));
        suite.add_property(Property::new("pack", text(&pack.name)));
        suite.add_property(Property::new("version", text(&pack.version)));
        suite.add_property(Property::new("origin", text(&pack.origin)));
        if let Some(pinned) = &pack.pinned {
            suite.add_property(Property::new("pinned", text(pinned)));
        }
        for rule in report.rules.iter().filter(|r| r.pack == pack.name) {
            suite.add_test_cases(cases(report, rule, workspace));
        }
        junit.add_test_suite(suite);
    }
    let unreported = report.unreported_file_errors();
    if !unreported.is_empty() {
        let mut suite = TestSuite::new("files");
        for error in unreported {
            let file = workspace.display_path(report.mode, &error.location.file);
            let mut description = ci::place(&file, &error.location);
            if let Some(snippet) = &error.location.snippet {
                description.push_str(&format!("\n    {snippet}"));
            }
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status
                .set_type("parse-error")
                .set_message(text(&error.message))
                .set_description(block(&description));
            let mut case = TestCase::new(text(&ci::place(&file, &error.location)), status);
            case.set_classname("envgate.files");
            case.extra.insert("file".into(), text(&file).into());
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    if !report.inputs_not_read.is_empty() {
        // The gate fails on them unless allowed: errors, as unparsable files.
        let mut suite = TestSuite::new("inputs not read");
        for notice in &report.inputs_not_read {
            let location = notice.location();
            let file = workspace.display_path(report.mode, &location.file);
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status
                .set_type("input-not-read")
                .set_message(text(&notice.annotation()))
                .set_description(block(&ci::place(&file, &location)));
            let mut case = TestCase::new(text(&ci::place(&file, &location)), status);
            case.set_classname("envgate.inputs");
            case.extra.insert("file".into(), text(&file).into());
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    if !report.waivers.is_empty() {
        let mut suite = TestSuite::new("waivers");
        for notice in &report.waivers {
            // The configuration is a file of the checkout, also when judging an image.
            let file = workspace.display_path(Mode::Live, &notice.location.file);
            let state = match notice.state {
                WaiverState::Expired => "expired",
                WaiverState::Stale => "stale",
            };
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_type(notice.severity.as_str())
                .set_message(text(&notice.message))
                .set_description(block(&format!(
                    "{}\nreason: {}\nexpires: {}",
                    ci::place(&file, &notice.location),
                    notice.reason,
                    notice.expires
                )));
            let mut case = TestCase::new(text(&format!("{} waiver {state}", notice.rule)), status);
            case.set_classname("envgate.waivers");
            case.extra.insert("file".into(), text(&file).into());
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    let mut out = LastByte { out, last: None };
    junit
        .serialize(&mut out)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    if out.last != Some(b'\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A writer that remembers the last byte through it (for the final newline).
struct LastByte<'a> {
    out: &'a mut dyn std::io::Write,
    last: Option<u8>,
}

impl std::io::Write for LastByte<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(buf)?;
        if let Some(&last) = buf[..written].last() {
            self.last = Some(last);
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The cases of one rule: its findings, else one passing or skipped case.
fn cases(report: &Report, rule: &RuleOutcome, workspace: &Workspace) -> Vec<TestCase> {
    let classname = text(&format!("{}.{}", rule.pack, rule.id));
    let skipped = match rule.status {
        RuleStatus::NotApplicable if report.files.is_some() => {
            Some("judged no document of the kinds it reads")
        }
        RuleStatus::NotApplicable => Some("needs a live session; not judged in an image"),
        RuleStatus::NeedsWholeRepository => {
            Some("needs the whole repository; not judged on part of it (--partial)")
        }
        RuleStatus::Passed | RuleStatus::Failed => None,
    };
    if let Some(reason) = skipped {
        let mut status = TestCaseStatus::skipped();
        status.set_message(reason);
        let mut case = TestCase::new(text(&rule.id), status);
        case.set_classname(&classname);
        return vec![case];
    }
    let findings: Vec<&Finding> = (report.findings.iter())
        .filter(|f| f.id == rule.id)
        .map(|f| &**f)
        .collect();
    if findings.is_empty() {
        let mut case = TestCase::new(text(&rule.id), TestCaseStatus::success());
        case.set_classname(&classname);
        return vec![case];
    }
    findings
        .into_iter()
        .map(|finding| {
            let file = finding
                .location
                .as_ref()
                .map(|l| workspace.display_path(report.mode, &l.file));
            let place = finding
                .location
                .as_ref()
                .zip(file.as_deref())
                .map(|(location, file)| ci::place(file, location));
            // Rule × subject: the subject names the case, else where the finding is.
            let name = match (&finding.subject, &place) {
                (Some(subject), _) => format!("{} {subject}", finding.id),
                (None, Some(place)) => format!("{} {place}", finding.id),
                (None, None) => finding.id.to_string(),
            };
            let status = match &finding.waiver {
                Some(waiver) => {
                    let mut status = TestCaseStatus::skipped();
                    status.set_type("waived").set_message(text(&format!(
                        "waived until {}: {}",
                        waiver.expires, waiver.reason
                    )));
                    status
                }
                None => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status
                        .set_type(finding.severity.as_str())
                        .set_message(text(&finding.message))
                        .set_description(block(&body(finding, place.as_deref())));
                    status
                }
            };
            let mut case = TestCase::new(text(&name), status);
            case.set_classname(&classname);
            if let Some(file) = file {
                case.extra.insert("file".into(), text(&file).into());
            }
            case
        })
        .collect()
}

/// A failure's text: what, where (with the line), and the fix.
fn body(finding: &Finding, place: Option<&str>) -> String {
    let mut body = format!("{} {}\n", finding.id, finding.title);
    if let Some(place) = place {
        body.push_str(&format!("at {place}\n"));
        if let Some(snippet) = finding.location.as_ref().and_then(|l| l.snippet.as_ref()) {
            body.push_str(&format!("    {snippet}\n"));
        }
    }
    if let Some(subject) = &finding.subject {
        body.push_str(&format!("subject: {subject}\n"));
    }
    body.push_str(&format!(
        "\n{}\n\nFix:\n{}",
        finding.message.trim(),
        finding.remediation.trim()
    ));
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character XML 1.0 allows (`Char`), for a parser to accept the document.
    fn xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | ' '..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
    }

    #[test]
    fn control_characters_are_visible_and_the_xml_valid() {
        let fixture = include_str!("../../tests/fixtures/formats/files.report.json");
        let mut report: Report = serde_json::from_str(fixture).unwrap();
        let hostile = "c\x1b[31mred\x00\u{1}\u{b}\u{fffe}\u{ffff}\u{85}\u{202e}";
        let finding = &mut report.findings[0];
        finding.message = format!("container {hostile}");
        finding.remediation = format!("rename {hostile}\r\nthen apply");
        finding.subject = Some(hostile.into());
        if let Some(location) = finding.location.as_mut() {
            location.file = format!("k8s/{hostile}.yaml");
            location.snippet = Some(format!("  name: {hostile}"));
        }
        let xml = render(&report, &Workspace::new("/repo", "/repo"));
        let bad: Vec<char> = xml.chars().filter(|&c| !xml_char(c)).collect();
        assert!(bad.is_empty(), "{bad:?}");
        assert!(
            xml.contains(r"container c\x1b[31mred\x00\x01\x0b\u{fffe}\u{ffff}\u{85}\u{202e}"),
            "{xml}"
        );
        assert!(xml.contains(r"rename c\x1b[31mred"), "{xml}");
    }
}
