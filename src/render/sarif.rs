//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning ingests it.
//!
//! GitHub's constraints shape three choices here (see docs.github.com, "SARIF support
//! for code scanning", and codeql-action issues #1738 and #2459):
//! - Every result needs a location with `physicalLocation.artifactLocation.uri`; one
//!   result without it (no location, or a logical location only) makes GitHub reject
//!   the whole file. A finding that is not in a file (`env.GOPATH`) therefore gets a
//!   physical location whose uri is its subject, a relative reference that names no
//!   file of the repository (GitHub shows the alert without a code preview), beside a
//!   logical location with the same subject.
//! - Files inside the repository are repository-relative (`k8s/deploy.yaml`); other
//!   files of this machine are absolute `file://` URIs. An image's files are absolute
//!   `file://` URIs of their path inside the image (`file:///home/dev/.profile`), so the
//!   same image mounted elsewhere gives the same locations and fingerprints.
//! - `partialFingerprints["envgate/v1"]` keeps an alert the same alert across runs:
//!   sha256 of the rule id, the location's uri, the subject and the offending line's
//!   text (not its number, so edits above it do not open a new alert), with `:N`
//!   telling apart findings that share all of these.
//!
//! Waived findings are not results: a waiver is the team's decision to accept them.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;
use serde_sarif::sarif;
use sha2::{Digest, Sha256};

use super::ci::Workspace;
use crate::policy::{Rule, Severity};
use crate::report::{Finding, Location, Report, RuleOutcome, RuleStatus};
use crate::snapshot::Mode;

/// The schema GitHub's documentation points SARIF producers at.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Bumped when what goes into the fingerprint changes (every alert would reopen).
const FINGERPRINT_KEY: &str = "envgate/v1";

/// The report as a SARIF 2.1.0 log with one run, with a final newline. `rules` is the
/// metadata of the loaded packs (titles, descriptions, fix templates): the report
/// carries only each rule's id and outcome.
pub fn render<'a>(
    report: &Report,
    rules: impl IntoIterator<Item = &'a Rule>,
    workspace: &Workspace,
) -> String {
    super::to_string(|out| write(report, rules, workspace, out))
}

/// [`render`], serialized straight to `out` (a large check's log is ~100 MB of text).
pub fn write<'a>(
    report: &Report,
    rules: impl IntoIterator<Item = &'a Rule>,
    workspace: &Workspace,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let catalog: HashMap<&str, &Rule> = rules.into_iter().map(|r| (r.id.as_str(), r)).collect();
    let descriptors: Vec<sarif::ReportingDescriptor> = report
        .rules
        .iter()
        .map(|outcome| descriptor(outcome, catalog.get(outcome.id.as_str()).copied()))
        .collect();
    let index: HashMap<&str, usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();

    let locate = Locator { report, workspace };
    let mut seen: HashMap<String, usize> = HashMap::new();
    // Built one at a time as they are written: 43,834 results held together took
    // ~250 MB.
    let mut results = report
        .findings
        .iter()
        .filter(|f| f.waiver.is_none())
        .map(|finding| {
            let location = locate.finding(finding);
            let hash = fingerprint(finding, &location.uri);
            let occurrence = seen.entry(hash.clone()).or_insert(0);
            *occurrence += 1;
            result(
                finding,
                index.get(finding.id.as_str()).copied(),
                location.sarif,
                format!("{hash}:{occurrence}"),
            )
        });

    let mut driver = sarif::ToolComponent::builder()
        .name("envgate")
        .version(report.envgate_version.clone())
        .semantic_version(report.envgate_version.clone())
        .rules(descriptors)
        .build();
    driver.information_uri = information_uri();

    let mut run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(Vec::new())
        .column_kind(json!("unicodeCodePoints"))
        .properties(bag([
            ("mode", json!(report.mode)),
            ("scope", json!(report.scope)),
            ("packs", json!(report.packs)),
            ("waived", json!(report.summary.waived)),
        ]))
        .build();
    let notifications = notifications(report, &locate);
    if !notifications.is_empty() {
        run.invocations = Some(vec![
            sarif::Invocation::builder()
                .execution_successful(true)
                .tool_configuration_notifications(notifications)
                .build(),
        ]);
    }

    let log = sarif::Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    // The log without its results, pretty-printed, then the results written into its
    // empty `results` array one by one, indented as serde_json would have.
    let skeleton = serde_json::to_string_pretty(&log).expect("a SARIF log always serializes");
    let Some((before, after)) = skeleton.split_once(RESULTS_MARKER) else {
        unreachable!("the SARIF log has a results array");
    };
    out.write_all(before.as_bytes())?;
    match results.next() {
        None => out.write_all(RESULTS_MARKER.as_bytes())?,
        Some(first) => {
            out.write_all(b"\"results\": [")?;
            let mut next = Some(first);
            let mut separator = "\n";
            while let Some(result) = next {
                let text = serde_json::to_string_pretty(&result).expect("a result serializes");
                out.write_all(separator.as_bytes())?;
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        out.write_all(b"\n")?;
                    }
                    out.write_all(RESULT_INDENT.as_bytes())?;
                    out.write_all(line.as_bytes())?;
                }
                separator = ",\n";
                next = results.next();
            }
            out.write_all(b"\n")?;
            out.write_all(RESULTS_CLOSE_INDENT.as_bytes())?;
            out.write_all(b"]")?;
        }
    }
    out.write_all(after.as_bytes())?;
    out.write_all(b"\n")
}

/// The empty results array in the pretty-printed log, where the results go.
const RESULTS_MARKER: &str = "\"results\": []";
/// A result's indentation: `{ runs: [ { results: [ here`.
const RESULT_INDENT: &str = "        ";
/// The closing bracket of `results`, at the run's members' depth.
const RESULTS_CLOSE_INDENT: &str = "      ";

/// The project's home page, when the package names one.
fn information_uri() -> Option<String> {
    [
        option_env!("CARGO_PKG_HOMEPAGE"),
        option_env!("CARGO_PKG_REPOSITORY"),
    ]
    .into_iter()
    .flatten()
    .find(|uri| !uri.is_empty())
    .map(str::to_string)
}

fn level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info => sarif::ResultLevel::Note,
    }
}

fn bag<const N: usize>(entries: [(&str, serde_json::Value); N]) -> sarif::PropertyBag {
    sarif::PropertyBag::builder()
        .additional_properties(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<BTreeMap<_, _>>(),
        )
        .build()
}

fn text(text: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(text.trim())
        .build()
}

/// One rule of `tool.driver.rules`: what it checks and how to fix it, from its
/// METADATA. A rule the catalog lacks (a report judged by other packs) keeps its id.
fn descriptor(outcome: &RuleOutcome, rule: Option<&Rule>) -> sarif::ReportingDescriptor {
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(outcome.id.clone())
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(level(outcome.severity)))
                .build(),
        )
        .build();
    let category = &outcome.category;
    let mut properties = vec![("category", json!(category)), ("pack", json!(outcome.pack))];
    if let Some(rule) = rule {
        descriptor.name = Some(rule.name.clone());
        descriptor.short_description = Some(text(&rule.title));
        descriptor.full_description = Some(text(&rule.description));
        let template = rule.remediation.trim();
        descriptor.help = Some(
            sarif::MultiformatMessageString::builder()
                .text(format!(
                    "Fix (template; each alert shows it filled in):\n{template}"
                ))
                .markdown(format!(
                    "**Fix** (template; each alert shows it filled in):\n\n```\n{template}\n```"
                ))
                .build(),
        );
        descriptor.help_uri = rule
            .related
            .iter()
            .find(|r| r.starts_with("https://"))
            .cloned();
        properties.push(("since", json!(rule.since)));
    }
    // GitHub offers `tags` as a filter on the alert list.
    descriptor.properties = Some(
        sarif::PropertyBag::builder()
            .tags(vec![category.to_string()])
            .additional_properties(
                properties
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect::<BTreeMap<_, _>>(),
            )
            .build(),
    );
    descriptor
}

fn result(
    finding: &Finding,
    rule_index: Option<usize>,
    location: sarif::Location,
    fingerprint: String,
) -> sarif::Result {
    let mut message = finding.message.trim().to_string();
    if !finding.remediation.is_empty() {
        message.push_str("\n\nFix:\n");
        message.push_str(finding.remediation.trim());
    }
    let mut result = sarif::Result::builder()
        .rule_id(finding.id.clone())
        .level(level(finding.severity))
        .message(sarif::Message::builder().text(message).build())
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT_KEY.to_string(), fingerprint)]))
        .build();
    result.rule_index = rule_index.map(|i| i as i64);
    result
}

/// A SARIF location and the uri it names (for the fingerprint).
struct Located {
    sarif: sarif::Location,
    uri: String,
}

struct Locator<'a> {
    report: &'a Report,
    workspace: &'a Workspace,
}

impl Locator<'_> {
    fn finding(&self, finding: &Finding) -> Located {
        let logical = finding.subject.as_ref().map(|subject| {
            vec![
                sarif::LogicalLocation::builder()
                    .fully_qualified_name(subject.clone())
                    .kind("variable")
                    .build(),
            ]
        });
        let (uri, physical) = match &finding.location {
            Some(location) => {
                let uri = self.uri(self.report.mode, &location.file);
                (uri.clone(), physical(uri, Some(location)))
            }
            // Not in a file: GitHub still needs an artifact, so the subject names one.
            None => {
                let uri = encode(finding.subject.as_deref().unwrap_or(&finding.id));
                (String::new(), physical(uri, None))
            }
        };
        let mut location = sarif::Location::builder()
            .physical_location(physical)
            .build();
        location.logical_locations = logical;
        Located {
            sarif: location,
            uri,
        }
    }

    fn file_location(&self, mode: Mode, location: &Location) -> sarif::Location {
        sarif::Location::builder()
            .physical_location(physical(self.uri(mode, &location.file), Some(location)))
            .build()
    }

    fn uri(&self, mode: Mode, file: &str) -> String {
        match self.workspace.repo_path(mode, file) {
            Some(relative) => encode(&relative),
            None => {
                let absolute = match mode {
                    Mode::Image => std::path::PathBuf::from("/").join(file),
                    Mode::Live => self.workspace.absolute(file),
                };
                format!("file://{}", encode(&absolute.to_string_lossy()))
            }
        }
    }
}

fn physical(uri: String, location: Option<&Location>) -> sarif::PhysicalLocation {
    let mut physical = sarif::PhysicalLocation::builder()
        .artifact_location(sarif::ArtifactLocation::builder().uri(uri).build())
        .build();
    if let Some(location) = location
        && let Some(line) = location.line
    {
        let mut region = sarif::Region::builder().start_line(line as i64).build();
        region.start_column = location.column.map(|c| c as i64);
        region.snippet = location
            .snippet
            .as_ref()
            .map(|s| sarif::ArtifactContent::builder().text(s.clone()).build());
        physical.region = Some(region);
    }
    physical
}

/// Expired and stale waivers, and files that could not be parsed: not results of a
/// rule, but what the run has to say about its configuration and input.
fn notifications(report: &Report, locate: &Locator<'_>) -> Vec<sarif::Notification> {
    let waivers = report.waivers.iter().map(|notice| {
        sarif::Notification::builder()
            .level(json!(level(notice.severity)))
            .message(
                sarif::Message::builder()
                    .text(notice.message.clone())
                    .build(),
            )
            // The configuration is a file of the checkout, also when judging an image.
            .locations(vec![locate.file_location(Mode::Live, &notice.location)])
            .build()
    });
    let files = report.unreported_file_errors().into_iter().map(|error| {
        sarif::Notification::builder()
            .level(json!("error"))
            .message(
                sarif::Message::builder()
                    .text(format!("cannot parse: {}", error.message))
                    .build(),
            )
            .locations(vec![
                locate.file_location(locate.report.mode, &error.location),
            ])
            .build()
    });
    // What the checks judged without: SARIF's notifications for inputs a tool could not
    // analyse (the gate fails on them unless --allow-unread).
    let unread = report.inputs_not_read.iter().map(|notice| {
        sarif::Notification::builder()
            .level(json!("error"))
            .message(sarif::Message::builder().text(notice.annotation()).build())
            .locations(vec![
                locate.file_location(locate.report.mode, &notice.location()),
            ])
            .build()
    });
    // Rules a check of part of a repository did not judge: absent results there say
    // nothing about them.
    let whole = report
        .rules
        .iter()
        .filter(|rule| rule.status == RuleStatus::NeedsWholeRepository)
        .map(|rule| {
            sarif::Notification::builder()
                .level(json!("note"))
                .message(
                    sarif::Message::builder()
                        .text(format!(
                            "{} not judged: it needs the whole repository (--partial: the checked files are part of it)",
                            rule.id
                        ))
                        .build(),
                )
                .build()
        });
    waivers.chain(files).chain(unread).chain(whole).collect()
}

/// What identifies a finding across runs; see the module documentation.
fn fingerprint(finding: &Finding, uri: &str) -> String {
    let line = finding
        .location
        .as_ref()
        .map(|l| match (&l.snippet, l.line) {
            (Some(snippet), _) => snippet.split_whitespace().collect::<Vec<_>>().join(" "),
            (None, Some(line)) => line.to_string(),
            (None, None) => String::new(),
        });
    let mut hasher = Sha256::new();
    for part in [
        finding.id.as_str(),
        uri,
        finding.subject.as_deref().unwrap_or(""),
        line.as_deref().unwrap_or(""),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Percent-encodes a path for a URI: everything but unreserved characters and `/`.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_encode_what_a_uri_cannot_hold() {
        assert_eq!(encode("path.entries[6]"), "path.entries%5B6%5D");
        assert_eq!(encode("/home/dev/my file"), "/home/dev/my%20file");
        assert_eq!(encode("ü"), "%C3%BC");
    }
}
