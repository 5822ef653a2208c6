//! Findings → Report: attach rule metadata, turn subjects into file:line, render the
//! remediation, and sort so the same input always gives the same report.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::files::source_map::PositionIndex;
use crate::files::{FileSources, FilesCheck};
use crate::host::Host;
use crate::policy::engine::{PolicySet, RawFinding};
use crate::policy::{Pack, Rule, Severity};
use crate::snapshot::{FileDocument, FilesSummary, HostInfo, Mode, Snapshot};

pub mod inputs;
mod order;
mod place;
mod remediation;
mod shared;

pub use order::{finding_order, merge_sorted, sort_findings};
use place::{Resolver, file_errors};
pub use remediation::render_for_lint;
use remediation::{Templates, remediation_context, tera_context};
pub use shared::{Evidence, SharedText};

/// Bumped when a field of the report changes meaning or disappears.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// Findings as a report holds them: boxed, so that sorting and merging the 150,000
/// findings of a large check moves pointers and never holds the findings twice.
pub type Findings = Vec<Box<Finding>>;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Report {
    pub schema_version: u32,
    pub envgate_version: String,
    pub mode: Mode,
    pub target: Target,
    pub packs: Vec<PackRef>,
    pub summary: Summary,
    /// Every rule that ran, with whether it found anything.
    pub rules: Vec<RuleOutcome>,
    pub findings: Findings,
    /// What was checked: the machine, files (`envgate check PATH…`), or both.
    #[serde(default)]
    pub scope: Scope,
    /// For file checks: how many files were parsed, skipped and had syntax errors.
    #[serde(default)]
    pub files: Option<FilesSummary>,
    /// Files (or documents of them) that could not be parsed, at the place of the
    /// syntax error; the other files were judged all the same.
    #[serde(default)]
    pub file_errors: Vec<FileError>,
    /// Waivers of the configuration that need attention: expired (no longer waiving)
    /// or stale (matching nothing). Active waivers show on the findings they cover.
    #[serde(default)]
    pub waivers: Vec<WaiverNotice>,
    /// Machine inputs not read or not evaluated whole (a FIFO or unreadable startup
    /// file, a bound of the shell model hit): what the rules judged without.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs_not_read: Vec<inputs::InputNotice>,
    /// The configuration file that was applied (`.envgate.yaml`), as shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// `doctor --probe net`: each host's layers and each module's outcome, shown as a
    /// chain in the human report (the findings judge it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_probe: Option<crate::snapshot::NetProbe>,
}

/// A waiver that no longer does what its author meant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
pub struct WaiverNotice {
    /// Where the waiver is written (the config file and line).
    pub location: Location,
    /// The rule id as written in the waiver.
    pub rule: String,
    pub state: WaiverState,
    pub reason: String,
    /// ISO date (YYYY-MM-DD).
    pub expires: String,
    pub owner: Option<String>,
    pub severity: Severity,
    pub message: String,
}

#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum WaiverState {
    /// Past its `expires` date: the findings it matched are reported again.
    Expired,
    /// Matches no finding of this run.
    Stale,
}

/// The waiver that covers a finding: the finding is reported, counted as waived, and
/// does not fail the gate.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
pub struct AppliedWaiver {
    /// Where the waiver is written (the config file and line).
    pub location: Location,
    pub reason: String,
    /// ISO date (YYYY-MM-DD).
    pub expires: String,
    pub owner: Option<String>,
    /// The old rule id the waiver names, when it matched through a rename.
    pub redirected_from: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    #[default]
    Machine,
    Files,
    MachineAndFiles,
}

/// A document that could not be parsed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
pub struct FileError {
    /// Where the parser stopped: file, line, column and that line (secrets redacted).
    pub location: Location,
    /// Index of the document in a multi-document file.
    pub document: usize,
    /// What the parser expected or found.
    pub message: String,
}

/// The rule that reports a file that could not be parsed as a finding of its own.
pub const UNPARSED_RULE: &str = "K8S000";

impl Report {
    /// The file errors no K8S000 finding already shows (all of them with
    /// `--allow-unparsed` or K8S000 turned off): every output lists a broken file once.
    pub fn unreported_file_errors(&self) -> Vec<&FileError> {
        self.file_errors
            .iter()
            .filter(|error| {
                !self.findings.iter().any(|f| {
                    f.id == UNPARSED_RULE
                        && f.location.as_ref().is_some_and(|at| {
                            at.file == error.location.file && at.line == error.location.line
                        })
                })
            })
            .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Target {
    pub hostname: Option<String>,
    pub user: Option<String>,
    /// The image root, for image mode.
    pub root: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct PackRef {
    pub name: String,
    pub version: String,
    pub origin: String,
    /// The baseline version the configuration pins (`go: "1.0"`): only rules whose
    /// `since` is not newer ran. `None`: unpinned, the latest rules ran.
    #[serde(default)]
    pub pinned: Option<String>,
}

impl From<&Pack> for PackRef {
    /// The pack as it ran, unpinned (the configuration pins it afterwards).
    fn from(pack: &Pack) -> Self {
        PackRef {
            name: pack.name.clone(),
            version: pack.version.clone(),
            origin: pack.origin.clone(),
            pinned: None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Summary {
    pub rules_run: usize,
    pub rules_passed: usize,
    pub rules_failed: usize,
    /// Rules that need a live session, in an image report, or judge another system;
    /// in a files check, rules that judged no document of the kinds they read.
    pub rules_not_applicable: usize,
    /// Of those, the rules that judge another system (`custom.systems`: a Windows
    /// rule in a Linux report, a shell-file rule in a Windows one).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rules_other_system: usize,
    /// Of those, the rules whose facts the snapshot does not have (`custom.requires`:
    /// Defender's settings on a volume without Defender's keys).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rules_facts_unknown: usize,
    /// Rules that compare files, not judged on part of a repository (`--partial`).
    #[serde(default)]
    pub rules_need_whole_repository: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings covered by an active waiver (not counted in errors/warnings/infos).
    #[serde(default)]
    pub waived: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct RuleOutcome {
    pub id: String,
    pub pack: String,
    pub category: String,
    pub severity: Severity,
    pub status: RuleStatus,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RuleStatus {
    Passed,
    Failed,
    /// The rule needs a live session and the snapshot is of an image, or (a files
    /// check) no document of the kinds it reads was checked.
    NotApplicable,
    /// The rule compares files and the check was of part of a repository
    /// (`--partial`, a pre-commit hook's staged files): not judged, since its verdict
    /// depends on files that were not given.
    NeedsWholeRepository,
}

impl RuleStatus {
    /// Whether the rule judged the input (passed or failed), as opposed to being
    /// skipped.
    pub fn judged(self) -> bool {
        matches!(self, RuleStatus::Passed | RuleStatus::Failed)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Finding {
    #[schemars(with = "String")]
    pub id: SharedText,
    #[schemars(with = "String")]
    pub name: SharedText,
    #[schemars(with = "String")]
    pub pack: SharedText,
    pub severity: Severity,
    #[schemars(with = "String")]
    pub category: SharedText,
    #[schemars(with = "String")]
    pub title: SharedText,
    pub message: String,
    pub location: Option<Location>,
    /// The snapshot path the finding is about, e.g. `path.entries[3]`.
    pub subject: Option<String>,
    /// The rendered remediation: what to change, with this machine's paths.
    pub remediation: String,
    /// What the rule saw (its `vars`).
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub evidence: Evidence,
    // Boxed: few findings have one, and a large check holds 150,000 findings, merged
    // (moved) as a whole. (Not a doc comment: that is the schema's description.)
    /// Set when an active waiver covers the finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Box<AppliedWaiver>>,
    /// The rule's structured edits (`envgate fix`); not part of the report's JSON.
    #[serde(skip)]
    #[schemars(skip)]
    pub fix: Vec<crate::fix::Edit>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
pub struct Location {
    /// As seen on the checked host (inside the image for image mode).
    pub file: String,
    pub line: Option<usize>,
    /// 1-based, in characters; for file checks, where the value or key starts.
    #[serde(default)]
    pub column: Option<usize>,
    /// The text of that line, secrets redacted. Of a line longer than 200 characters,
    /// 200 of them around `column` (from its start without one), with `…` at each end
    /// where the line was cut.
    pub snippet: Option<String>,
    /// How many of the line's characters were cut before `snippet` (the `…` that marks
    /// the cut is not one of them); absent when the snippet starts where the line does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet_offset: Option<usize>,
}

impl Location {
    /// A place with the text of its line, cut to a window around the column.
    pub fn with_snippet(
        file: String,
        line: Option<usize>,
        column: Option<usize>,
        text: Option<&str>,
    ) -> Self {
        let cut =
            text.map(|text| crate::excerpt::window(text, column.map(|c| c.saturating_sub(1))));
        Self::quoting(file, line, column, cut)
    }

    /// A place with a window of its line (see [`crate::excerpt::window`]).
    pub fn quoting(
        file: String,
        line: Option<usize>,
        column: Option<usize>,
        snippet: Option<crate::excerpt::Window<'_>>,
    ) -> Self {
        Location {
            file,
            line,
            column,
            snippet_offset: snippet
                .as_ref()
                .and_then(|cut| (cut.cut_before > 0).then_some(cut.cut_before)),
            snippet: snippet.map(|cut| cut.text.into_owned()),
        }
    }
}

/// What the rules judged, for turning their findings into a report.
pub struct Judged<'a> {
    pub mode: Mode,
    /// The machine's snapshot; absent for a files-only check.
    pub snapshot: Option<&'a Snapshot>,
    /// Where the machine snapshot was taken, to read the offending lines of its files.
    pub host: Option<&'a dyn Host>,
    /// The checked files' documents.
    pub files: &'a [FileDocument],
    pub files_summary: Option<&'a FilesSummary>,
    /// The checked files' text, for snippets.
    pub sources: Option<&'a FileSources>,
    /// The compact source maps of `files`, in their order, when the documents' own
    /// `positions` were dropped for them (a files-only check); empty otherwise.
    pub position_indexes: &'a [PositionIndex],
    /// The rules that ran (a files-only check runs the packs that judge files).
    pub ran: &'a (dyn Fn(&Rule) -> bool + Sync),
    /// Part of a repository (`--partial`): the rules that compare files were not
    /// judged.
    pub partial: bool,
}

impl<'a> Judged<'a> {
    /// A machine check (with the files in `snapshot.files`, if any).
    pub fn machine(snapshot: &'a Snapshot, host: Option<&'a dyn Host>) -> Self {
        Judged {
            mode: snapshot.mode,
            snapshot: Some(snapshot),
            host,
            files: &snapshot.files,
            files_summary: None,
            sources: None,
            position_indexes: &[],
            ran: &|_| true,
            partial: false,
        }
    }

    /// A files-only check of `check`'s documents.
    pub fn files(check: &'a FilesCheck, ran: &'a (dyn Fn(&Rule) -> bool + Sync)) -> Self {
        Judged {
            mode: Mode::Live,
            snapshot: None,
            host: None,
            files: &check.documents,
            files_summary: Some(&check.summary),
            sources: Some(&check.sources),
            position_indexes: &check.position_indexes,
            ran,
            partial: check.partial,
        }
    }

    fn host_info(&self) -> Option<&'a HostInfo> {
        self.snapshot.map(|s| &s.host)
    }
}

/// A files check in which no document is of a kind the rule reads (`custom.reads`): the
/// rule judged nothing, so it has not passed (a k8s-only check has no Dockerfile for
/// the repo pack's Dockerfile rules).
fn judged_nothing_it_reads(rule: &Rule, judged: &Judged<'_>) -> bool {
    let (Some(kinds), Some(summary)) = (&rule.reads, judged.files_summary) else {
        return false;
    };
    !kinds
        .iter()
        .any(|kind| summary.judged.get(kind.as_str()).is_some_and(|n| *n > 0))
}

/// Builds the report from what the rules emitted.
pub fn resolve(
    policies: &PolicySet,
    snapshot: &Snapshot,
    raw: Vec<RawFinding>,
    host: Option<&dyn Host>,
) -> Report {
    // Packs that judge nothing but files did not run on a machine without files.
    let ran = |rule: &Rule| !snapshot.files.is_empty() || policies.judges_machine(rule);
    let judged = Judged {
        ran: &ran,
        ..Judged::machine(snapshot, host)
    };
    resolve_judged(policies, &judged, raw)
}

/// Builds the report of any check: machine, files, or both.
pub fn resolve_judged(policies: &PolicySet, judged: &Judged<'_>, raw: Vec<RawFinding>) -> Report {
    // Only the remediations that will be shown are parsed.
    let fired: HashSet<&str> = raw.iter().map(|f| f.rule_id.as_str()).collect();
    let resolution = Resolution::new(policies, judged, |rule| fired.contains(rule.id.as_str()));
    let findings = crate::parallel::map(raw, |raw| resolution.finding(raw));
    assemble(&resolution, findings)
}

/// What turns the findings rules emit into the report's: built once per check and
/// shared by the threads that resolve.
pub struct Resolution<'a> {
    policies: &'a PolicySet,
    /// Each rule with its names as findings carry them, made once per check and
    /// shared by every batch's findings.
    by_id: Arc<HashMap<&'a str, (&'a Rule, RuleTexts)>>,
    templates: Arc<Templates>,
    context: tera::Context,
    resolver: Resolver<'a>,
}

impl<'a> Resolution<'a> {
    /// `shown`: the rules whose remediation templates may be needed.
    pub fn new(
        policies: &'a PolicySet,
        judged: &'a Judged<'a>,
        shown: impl Fn(&Rule) -> bool,
    ) -> Self {
        let templates = Templates::new(policies.rules().filter(|r| (judged.ran)(r) && shown(r)));
        let context = tera_context(&remediation_context(judged));
        Self {
            policies,
            by_id: Arc::new(
                policies
                    .rules()
                    .map(|r| (r.id.as_str(), (r, RuleTexts::of(r))))
                    .collect(),
            ),
            templates: Arc::new(templates),
            context,
            resolver: Resolver::new(judged),
        }
    }

    /// The same rules and remediations (parsed once) for other judged files: a batch
    /// of a large check, resolved in the worker that judged it.
    pub fn for_files<'b>(&self, judged: &'b Judged<'b>) -> Resolution<'b>
    where
        'a: 'b,
    {
        Resolution {
            policies: self.policies,
            by_id: Arc::clone(&self.by_id),
            templates: Arc::clone(&self.templates),
            context: self.context.clone(),
            resolver: Resolver::new(judged),
        }
    }

    /// The documents of the judged files that could not be parsed, in file order.
    pub fn file_errors(&self) -> Vec<FileError> {
        file_errors(&self.resolver)
    }

    /// A finding as the report shows it: placed, its remediation rendered. Boxed: a
    /// large check's findings are sorted and merged by moving pointers (merging
    /// 150,000 of them by value held them twice).
    pub fn finding(&self, raw: RawFinding) -> Option<Box<Finding>> {
        let (rule, texts) = self.by_id.get(raw.rule_id.as_str())?;
        Some(Box::new(finding(
            rule,
            texts,
            raw,
            &self.resolver,
            &self.templates,
            &self.context,
        )))
    }
}

/// The report from the resolved findings: sorted, each rule's outcome, the counts.
pub fn assemble(resolution: &Resolution<'_>, findings: Findings) -> Report {
    assemble_with(resolution, findings, resolution.file_errors())
}

/// [`assemble`], with the syntax errors gathered elsewhere (batches of a large check).
pub fn assemble_with(
    resolution: &Resolution<'_>,
    mut findings: Findings,
    file_errors: Vec<FileError>,
) -> Report {
    sort_findings(&mut findings);
    findings.dedup();
    assemble_sorted(resolution, findings, file_errors)
}

/// [`assemble_with`] of findings already in the report's order, no two equal (a large
/// check's, sorted and deduplicated by its batches and merged): each of 150,000
/// findings is looked at once here, not in six passes.
pub fn assemble_sorted(
    resolution: &Resolution<'_>,
    findings: Findings,
    file_errors: Vec<FileError>,
) -> Report {
    debug_assert!(
        (findings.windows(2)).all(|w| finding_order(&w[0], &w[1]).is_le() && w[0] != w[1]),
        "findings out of order or repeated"
    );
    let (policies, resolver) = (resolution.policies, &resolution.resolver);
    let judged = resolver.judged;

    let os = judged.host_info().map(|h| h.os.as_str());
    let other_system = policies
        .rules()
        .filter(|r| (judged.ran)(r) && !PolicySet::judges_system(r, os))
        .count();
    // The snapshot as the rules saw it, made only when a rule that judges this system
    // requires facts of it (those rules are Windows ones: a Linux run never makes it).
    let snapshot_json = std::cell::OnceCell::new();
    let facts_unknown = |rule: &Rule| {
        !rule.requires.is_empty()
            && judged.snapshot.is_some_and(|snapshot| {
                snapshot_json
                    .get_or_init(|| serde_json::to_value(snapshot).ok())
                    .as_ref()
                    .is_some_and(|input| !PolicySet::has_required(rule, input))
            })
    };
    let unknown = policies
        .rules()
        .filter(|r| {
            (judged.ran)(r)
                && PolicySet::applies(r, judged.mode)
                && PolicySet::judges_system(r, os)
                && facts_unknown(r)
        })
        .count();
    // Asked once per rule: scanning the findings for each would be rules × findings
    // comparisons (150,000 findings: a seventh of a second). The failed rules and the
    // counts by severity in one pass: each finding read is a cache miss.
    let mut failed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut by_severity = [0usize; 3];
    // In the report's order a rule's findings of one severity stand together: its id
    // is hashed once per run of them, not once per finding.
    let mut last_id: Option<&SharedText> = None;
    for finding in &findings {
        if last_id != Some(&finding.id) {
            failed.insert(&finding.id);
            last_id = Some(&finding.id);
        }
        by_severity[finding.severity as usize] += 1;
    }
    let mut rules: Vec<RuleOutcome> = policies
        .rules()
        .filter(|r| (judged.ran)(r))
        .map(|rule| RuleOutcome {
            id: rule.id.clone(),
            pack: rule.pack.clone(),
            category: rule.category.clone(),
            severity: rule.severity,
            status: if failed.contains(rule.id.as_str()) {
                RuleStatus::Failed
            } else if !PolicySet::applies(rule, judged.mode)
                || judged_nothing_it_reads(rule, judged)
                || !PolicySet::judges_system(rule, os)
                || facts_unknown(rule)
            {
                RuleStatus::NotApplicable
            } else if judged.partial && !rule.per_file {
                // Not evaluated: what it would find depends on files not given.
                RuleStatus::NeedsWholeRepository
            } else {
                RuleStatus::Passed
            },
        })
        .collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));

    let count = |s: Severity| by_severity[s as usize];
    let with_status = |status| rules.iter().filter(|r| r.status == status).count();
    let (passed, failed, not_applicable, need_whole_repository) = (
        with_status(RuleStatus::Passed),
        with_status(RuleStatus::Failed),
        with_status(RuleStatus::NotApplicable),
        with_status(RuleStatus::NeedsWholeRepository),
    );
    let host = judged.host_info();
    Report {
        schema_version: REPORT_SCHEMA_VERSION,
        envgate_version: env!("CARGO_PKG_VERSION").to_string(),
        mode: judged.mode,
        target: Target {
            hostname: host.and_then(|h| h.hostname.clone()),
            user: host.and_then(|h| h.user.clone()),
            root: host.and_then(|h| h.root.clone()),
        },
        packs: policies
            .packs
            .iter()
            .filter(|p| p.rules.iter().any(|r| (judged.ran)(r)) || p.rules.is_empty())
            .map(PackRef::from)
            .collect(),
        summary: Summary {
            rules_run: passed + failed,
            rules_passed: passed,
            rules_failed: failed,
            rules_not_applicable: not_applicable,
            rules_other_system: other_system,
            rules_facts_unknown: unknown,
            rules_need_whole_repository: need_whole_repository,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            waived: 0,
        },
        rules,
        findings,
        scope: match (judged.snapshot.is_some(), judged.files_summary.is_some()) {
            (true, true) => Scope::MachineAndFiles,
            (false, true) => Scope::Files,
            _ => Scope::Machine,
        },
        files: judged.files_summary.cloned(),
        file_errors,
        waivers: Vec::new(),
        inputs_not_read: judged.snapshot.map(inputs::notices).unwrap_or_default(),
        config: None,
        net_probe: judged.snapshot.and_then(|s| s.net_probe.clone()),
    }
}

/// A rule's names, one shared copy for all its findings.
#[derive(Clone)]
struct RuleTexts {
    id: SharedText,
    name: SharedText,
    pack: SharedText,
    category: SharedText,
    title: SharedText,
}

impl RuleTexts {
    fn of(rule: &Rule) -> Self {
        RuleTexts {
            id: SharedText::from(&rule.id),
            name: SharedText::from(&rule.name),
            pack: SharedText::from(&rule.pack),
            category: SharedText::from(&rule.category),
            title: SharedText::from(&rule.title),
        }
    }
}

fn finding(
    rule: &Rule,
    texts: &RuleTexts,
    raw: RawFinding,
    resolver: &Resolver<'_>,
    templates: &Templates,
    context: &tera::Context,
) -> Finding {
    let location = resolver.location(&raw);
    let remediation = templates.render(rule, &raw, location.as_ref(), context);
    Finding {
        id: texts.id.clone(),
        name: texts.name.clone(),
        pack: texts.pack.clone(),
        severity: raw.severity.unwrap_or(rule.severity),
        category: texts.category.clone(),
        title: texts.title.clone(),
        message: raw.msg,
        location,
        subject: raw.subject,
        remediation,
        evidence: Evidence::from_vars(&raw.vars),
        waiver: None,
        fix: raw.fix,
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
