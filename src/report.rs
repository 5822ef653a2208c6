//! Findings → Report: attach rule metadata, turn subjects into file:line, render the
//! remediation, and sort so the same input always gives the same report.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::files::source_map::{self, PositionIndex, Step};
use crate::files::{FileSources, FilesCheck};
use crate::host::Host;
use crate::policy::engine::{PathStep, PolicySet, RawFinding, RawLocation};
use crate::policy::{Rule, Severity};
use crate::redact::redact_line;
use crate::snapshot::{FileDocument, FilesSummary, HostInfo, Mode, Snapshot};

/// Bumped when a field of the report changes meaning or disappears.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

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
    pub findings: Vec<Finding>,
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
    /// The configuration file that was applied (`.envgate.yaml`), as shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
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

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Summary {
    pub rules_run: usize,
    pub rules_passed: usize,
    pub rules_failed: usize,
    /// Rules that need a live session, in an image report.
    pub rules_not_applicable: usize,
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
    /// The rule needs a live session and the snapshot is of an image.
    NotApplicable,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Finding {
    pub id: String,
    pub name: String,
    pub pack: String,
    pub severity: Severity,
    pub category: String,
    pub title: String,
    pub message: String,
    pub location: Option<Location>,
    /// The snapshot path the finding is about, e.g. `path.entries[3]`.
    pub subject: Option<String>,
    /// The rendered remediation: what to change, with this machine's paths.
    pub remediation: String,
    /// What the rule saw (its `vars`).
    pub evidence: serde_json::Map<String, serde_json::Value>,
    /// Set when an active waiver covers the finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<AppliedWaiver>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
pub struct Location {
    /// As seen on the checked host (inside the image for image mode).
    pub file: String,
    pub line: Option<usize>,
    /// 1-based, in characters; for file checks, where the value or key starts.
    #[serde(default)]
    pub column: Option<usize>,
    /// The text of that line, secrets redacted.
    pub snippet: Option<String>,
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
        }
    }

    fn host_info(&self) -> Option<&'a HostInfo> {
        self.snapshot.map(|s| &s.host)
    }
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
    by_id: HashMap<&'a str, &'a Rule>,
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
            by_id: policies.rules().map(|r| (r.id.as_str(), r)).collect(),
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
            by_id: self.by_id.clone(),
            templates: Arc::clone(&self.templates),
            context: self.context.clone(),
            resolver: Resolver::new(judged),
        }
    }

    /// The documents of the judged files that could not be parsed, in file order.
    pub fn file_errors(&self) -> Vec<FileError> {
        file_errors(&self.resolver)
    }

    /// A finding as the report shows it: placed, its remediation rendered.
    pub fn finding(&self, raw: RawFinding) -> Option<Finding> {
        let rule = self.by_id.get(raw.rule_id.as_str())?;
        Some(finding(
            rule,
            raw,
            &self.resolver,
            &self.templates,
            &self.context,
        ))
    }
}

/// The report from the resolved findings: sorted, each rule's outcome, the counts.
pub fn assemble(resolution: &Resolution<'_>, findings: Vec<Finding>) -> Report {
    assemble_with(resolution, findings, resolution.file_errors())
}

/// [`assemble`], with the syntax errors gathered elsewhere (batches of a large check).
pub fn assemble_with(
    resolution: &Resolution<'_>,
    mut findings: Vec<Finding>,
    file_errors: Vec<FileError>,
) -> Report {
    let (policies, resolver) = (resolution.policies, &resolution.resolver);
    let judged = resolver.judged;
    sort_findings(&mut findings);
    findings.dedup();

    let mut rules: Vec<RuleOutcome> = policies
        .rules()
        .filter(|r| (judged.ran)(r))
        .map(|rule| RuleOutcome {
            id: rule.id.clone(),
            pack: rule.pack.clone(),
            category: rule.category.clone(),
            severity: rule.severity,
            status: if !PolicySet::applies(rule, judged.mode) {
                RuleStatus::NotApplicable
            } else if findings.iter().any(|f| f.id == rule.id) {
                RuleStatus::Failed
            } else {
                RuleStatus::Passed
            },
        })
        .collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));

    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let with_status = |status| rules.iter().filter(|r| r.status == status).count();
    let (passed, failed, not_applicable) = (
        with_status(RuleStatus::Passed),
        with_status(RuleStatus::Failed),
        with_status(RuleStatus::NotApplicable),
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
            .map(|p| PackRef {
                name: p.name.clone(),
                version: p.version.clone(),
                origin: p.origin.clone(),
                pinned: None,
            })
            .collect(),
        summary: Summary {
            rules_run: passed + failed,
            rules_passed: passed,
            rules_failed: failed,
            rules_not_applicable: not_applicable,
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
        config: None,
    }
}

/// The report's order: most severe first, then by id, place, subject and message.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.location.cmp(&b.location))
            .then_with(|| a.subject.cmp(&b.subject))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// Turns locations into file, line, column and snippet.
struct Resolver<'a> {
    judged: &'a Judged<'a>,
    /// Index in `judged.files` of each (file, document).
    documents: HashMap<(&'a str, usize), usize>,
}

impl<'a> Resolver<'a> {
    fn new(judged: &'a Judged<'a>) -> Self {
        let documents = judged
            .files
            .iter()
            .enumerate()
            .map(|(i, d)| ((d.path.as_str(), d.document), i))
            .collect();
        Self { judged, documents }
    }

    fn location(&self, raw: &RawFinding) -> Option<Location> {
        let (file, line, column) = match &raw.location {
            Some(location) => self.place(location),
            None => {
                let (file, line) = raw
                    .subject
                    .as_deref()
                    .and_then(|s| locate_subject(self.judged.snapshot?, s))?;
                (file, line, None)
            }
        };
        Some(Location {
            snippet: line.and_then(|line| self.snippet(&file, line)),
            file,
            line,
            column,
        })
    }

    /// A rule's location: an explicit line, or a document path resolved through the
    /// document's positions (the nearest positioned parent when the path itself is not
    /// in the file, e.g. a missing field; the document start at worst).
    fn place(&self, location: &RawLocation) -> (String, Option<usize>, Option<usize>) {
        let explicit = (location.file.clone(), location.line, location.column);
        if location.line.is_some() && location.path.is_none() {
            return explicit;
        }
        let document = location.document.unwrap_or(0);
        let Some(&i) = self.documents.get(&(location.file.as_str(), document)) else {
            return explicit;
        };
        let doc = &self.judged.files[i];
        let steps: Vec<Step> = location
            .path
            .iter()
            .flatten()
            .map(|step| match step {
                PathStep::Key(key) => Step::Key(key.clone()),
                PathStep::Index(index) => Step::Index(*index),
            })
            .collect();
        let place = match self.judged.position_indexes.get(i) {
            Some(index) => source_map::resolve(index, &steps),
            None => source_map::resolve(&doc.positions, &steps),
        };
        match place {
            Some(([line, column], _)) => (location.file.clone(), Some(line), Some(column)),
            None => (location.file.clone(), Some(doc.line), None),
        }
    }

    fn snippet(&self, file: &str, line: usize) -> Option<String> {
        if let Some(sources) = self.judged.sources
            && sources.contains(file)
        {
            return sources.snippet(file, line);
        }
        snippet(self.judged.host?, file, line)
    }
}

/// The documents that could not be parsed, in file order.
fn file_errors(resolver: &Resolver<'_>) -> Vec<FileError> {
    resolver
        .judged
        .files
        .iter()
        .filter_map(|doc| {
            let error = doc.error.as_ref()?;
            Some(FileError {
                location: Location {
                    file: doc.path.clone(),
                    line: Some(error.line),
                    column: Some(error.column),
                    snippet: resolver.snippet(&doc.path, error.line),
                },
                document: doc.document,
                message: error.message.clone(),
            })
        })
        .collect()
}

fn finding(
    rule: &Rule,
    raw: RawFinding,
    resolver: &Resolver<'_>,
    templates: &Templates,
    context: &tera::Context,
) -> Finding {
    let location = resolver.location(&raw);
    let remediation = templates.render(rule, &raw, location.as_ref(), context);
    Finding {
        id: rule.id.clone(),
        name: rule.name.clone(),
        pack: rule.pack.clone(),
        severity: raw.severity.unwrap_or(rule.severity),
        category: rule.category.clone(),
        title: rule.title.clone(),
        message: raw.msg,
        location,
        subject: raw.subject,
        remediation,
        evidence: raw.vars,
        waiver: None,
    }
}

/// The source map for the snapshot: subjects whose value came from a file line.
/// `env.NAME` uses where the variable was set; `go.env.NAME` the Go setting's origin;
/// `path.entries[N]` the line that added that entry when it is known, else, like
/// `path`, where PATH was last set.
fn locate_subject(snapshot: &Snapshot, subject: &str) -> Option<(String, Option<usize>)> {
    let entry_index = subject
        .strip_prefix("path.entries[")
        .and_then(|rest| rest.split(']').next()?.parse().ok());
    if let Some(added_at) = entry_index.and_then(|index| path_entry_origin(snapshot, index)) {
        return Some(added_at);
    }
    if subject == "path" || subject.starts_with("path.entries[") {
        let origin = snapshot.env_origin.get("PATH")?;
        return Some((origin.file.clone(), Some(origin.line)));
    }
    if let Some(name) = subject.strip_prefix("go.env.") {
        let value = snapshot.go.env.get(name)?;
        return Some((value.file.clone()?, value.line));
    }
    if let Some(name) = subject.strip_prefix("env.") {
        let name = name.split(['.', '[']).next()?;
        let origin = snapshot.env_origin.get(name)?;
        return Some((origin.file.clone(), Some(origin.line)));
    }
    None
}

/// The file and line that added PATH entry `index`. An image's PATH is its terminal
/// session's, entry for entry (those that could be evaluated, see `collect::env`); a
/// live PATH was inherited and has no such record. The directories must agree, so a
/// PATH the two lists split differently is never given a wrong line.
fn path_entry_origin(snapshot: &Snapshot, index: usize) -> Option<(String, Option<usize>)> {
    if snapshot.mode != Mode::Image {
        return None;
    }
    let terminal = &snapshot.shell.sessions.terminal;
    let entry = terminal
        .path
        .iter()
        .filter(|e| e.dir.is_some())
        .nth(index)?;
    if entry.dir.as_deref() != Some(snapshot.path.entries.get(index)?.raw.as_str()) {
        return None;
    }
    Some((entry.file.clone()?, entry.line))
}

fn snippet(host: &dyn Host, file: &str, line: usize) -> Option<String> {
    let text = host.read_text(Path::new(file)).ok()?;
    let text = text.lines().nth(line.checked_sub(1)?)?;
    Some(redact_line(text.trim_end()))
}

/// Facts every remediation template may use besides the finding's own `vars`.
fn remediation_context(judged: &Judged<'_>) -> serde_json::Value {
    let Some(snapshot) = judged.snapshot else {
        return serde_json::json!({ "host": null, "go_env": {} });
    };
    machine_context(snapshot)
}

fn machine_context(snapshot: &Snapshot) -> serde_json::Value {
    let go_env: BTreeMap<&str, &str> = snapshot
        .go
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.value.as_str()))
        .collect();
    serde_json::json!({
        "host": snapshot.host,
        "go_env": go_env,
    })
}

/// Every rule's remediation, parsed once per run.
struct Templates {
    tera: tera::Tera,
    broken: BTreeMap<String, String>,
}

impl Templates {
    fn new<'a>(rules: impl Iterator<Item = &'a Rule>) -> Self {
        let mut tera = tera::Tera::new();
        let mut broken = BTreeMap::new();
        for rule in rules {
            if let Err(e) = tera.add_raw_template(&rule.id, &rule.remediation) {
                broken.insert(rule.id.clone(), e.to_string());
            }
        }
        Self { tera, broken }
    }

    fn render(
        &self,
        rule: &Rule,
        raw: &RawFinding,
        location: Option<&Location>,
        context: &tera::Context,
    ) -> String {
        if let Some(error) = self.broken.get(&rule.id) {
            return format!("(remediation template does not parse: {error})");
        }
        let ctx = template_context(context, raw, location);
        match self.tera.render(&rule.id, &ctx) {
            Ok(text) => text.trim().to_string(),
            Err(error) => format!(
                "(remediation template failed to render: {error})\n{}",
                rule.remediation.trim()
            ),
        }
    }
}

/// What a remediation template sees: the run's context (converted for tera once per
/// run, not once per finding), the finding's `vars`, and where the finding is.
fn template_context(
    context: &tera::Context,
    raw: &RawFinding,
    location: Option<&Location>,
) -> tera::Context {
    let mut ctx = context.clone();
    ctx.insert("vars", &raw.vars);
    ctx.insert(
        "finding",
        &serde_json::json!({
            "subject": raw.subject,
            "file": location.map(|l| &l.file),
            "line": location.and_then(|l| l.line),
            "column": location.and_then(|l| l.column),
        }),
    );
    ctx
}

/// The run's context as tera's, or an empty one if it cannot be converted (templates
/// that use it then fail to render, and say so in the remediation).
fn tera_context(context: &serde_json::Value) -> tera::Context {
    tera::Context::from_serialize(context).unwrap_or_default()
}

/// Renders `rule`'s remediation for one finding its own unit tests made, with the data a
/// report would give it, and returns the error a report would only embed: `policies
/// lint` runs this on every finding of every test. `input` is the test's input: its
/// `host` (laid over a complete one, as a snapshot always has every host field) and
/// `go.env` stand in for the snapshot's; `None` is a files-only check, which has no
/// machine context.
pub fn render_for_lint(
    rule: &Rule,
    raw: &RawFinding,
    input: Option<&serde_json::Value>,
) -> Result<String, String> {
    let context = match input {
        None => serde_json::json!({ "host": null, "go_env": {} }),
        Some(input) => {
            let mut host = serde_json::to_value(HostInfo {
                os: "linux".into(),
                arch: "amd64".into(),
                hostname: None,
                user: None,
                uid: None,
                home: None,
                login_shell: None,
                wsl: false,
                root: None,
                root_owner_uid: None,
            })
            .expect("host info serializes");
            if let (Some(host), Some(given)) = (host.as_object_mut(), input["host"].as_object()) {
                host.extend(given.clone());
            }
            let go_env: BTreeMap<&String, &serde_json::Value> = input["go"]["env"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k, &v["value"]))
                .collect();
            serde_json::json!({ "host": host, "go_env": go_env })
        }
    };
    let mut tera = tera::Tera::new();
    tera.add_raw_template(&rule.id, &rule.remediation)
        .map_err(|e| error_chain(&e))?;
    let location = raw.location.as_ref().map(|l| Location {
        file: l.file.clone(),
        line: l.line,
        column: l.column,
        snippet: None,
    });
    let context = tera::Context::from_serialize(&context).map_err(|e| error_chain(&e))?;
    let ctx = template_context(&context, raw, location.as_ref());
    tera.render(&rule.id, &ctx).map_err(|e| error_chain(&e))
}

/// A tera error and its causes on one line (tera puts the useful part in the causes).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    parts.dedup();
    parts
        .join(": ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
