//! Findings → Report: attach rule metadata, turn subjects into file:line, render the
//! remediation, and sort so the same input always gives the same report.

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::host::Host;
use crate::policy::engine::{PolicySet, RawFinding};
use crate::policy::{Rule, Severity};
use crate::redact::redact_line;
use crate::snapshot::{Mode, Snapshot};

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
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
pub struct Location {
    /// As seen on the checked host (inside the image for image mode).
    pub file: String,
    pub line: Option<usize>,
    /// The text of that line, secrets redacted.
    pub snippet: Option<String>,
}

/// Builds the report from what the rules emitted.
pub fn resolve(
    policies: &PolicySet,
    snapshot: &Snapshot,
    raw: Vec<RawFinding>,
    host: Option<&dyn Host>,
) -> Report {
    let templates = Templates::new(policies.rules());
    let context = remediation_context(snapshot);
    let mut findings: Vec<Finding> = raw
        .into_iter()
        .filter_map(|raw| {
            let rule = policies.rule(&raw.rule_id)?;
            Some(finding(rule, raw, snapshot, host, &templates, &context))
        })
        .collect();
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.location.cmp(&b.location))
            .then_with(|| a.subject.cmp(&b.subject))
            .then_with(|| a.message.cmp(&b.message))
    });
    findings.dedup();

    let mut rules: Vec<RuleOutcome> = policies
        .rules()
        .map(|rule| RuleOutcome {
            id: rule.id.clone(),
            pack: rule.pack.clone(),
            category: rule.category.clone(),
            severity: rule.severity,
            status: if !PolicySet::applies(rule, snapshot.mode) {
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
    Report {
        schema_version: REPORT_SCHEMA_VERSION,
        envgate_version: env!("CARGO_PKG_VERSION").to_string(),
        mode: snapshot.mode,
        target: Target {
            hostname: snapshot.host.hostname.clone(),
            user: snapshot.host.user.clone(),
            root: snapshot.host.root.clone(),
        },
        packs: policies
            .packs
            .iter()
            .map(|p| PackRef {
                name: p.name.clone(),
                version: p.version.clone(),
                origin: p.origin.clone(),
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
        },
        rules,
        findings,
    }
}

fn finding(
    rule: &Rule,
    raw: RawFinding,
    snapshot: &Snapshot,
    host: Option<&dyn Host>,
    templates: &Templates,
    context: &serde_json::Value,
) -> Finding {
    let location = raw
        .location
        .clone()
        .map(|l| (l.file, l.line))
        .or_else(|| {
            raw.subject
                .as_deref()
                .and_then(|s| locate_subject(snapshot, s))
        })
        .map(|(file, line)| Location {
            snippet: host
                .zip(line)
                .and_then(|(host, line)| snippet(host, &file, line)),
            file,
            line,
        });
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
    }
}

/// The source map for the snapshot: subjects whose value came from a file line.
/// `env.NAME` uses where the variable was set; `go.env.NAME` the Go setting's origin;
/// `path` and `path.entries[N]` where PATH was set.
fn locate_subject(snapshot: &Snapshot, subject: &str) -> Option<(String, Option<usize>)> {
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

fn snippet(host: &dyn Host, file: &str, line: usize) -> Option<String> {
    let text = host.read_text(Path::new(file)).ok()?;
    let text = text.lines().nth(line.checked_sub(1)?)?;
    Some(redact_line(text.trim_end()))
}

/// Facts every remediation template may use besides the finding's own `vars`.
fn remediation_context(snapshot: &Snapshot) -> serde_json::Value {
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
        context: &serde_json::Value,
    ) -> String {
        if let Some(error) = self.broken.get(&rule.id) {
            return format!("(remediation template does not parse: {error})");
        }
        let mut data = context.clone();
        data["vars"] = serde_json::Value::Object(raw.vars.clone());
        data["finding"] = serde_json::json!({
            "subject": raw.subject,
            "file": location.map(|l| &l.file),
            "line": location.and_then(|l| l.line),
        });
        let rendered = tera::Context::from_serialize(&data)
            .map_err(|e| e.to_string())
            .and_then(|ctx| self.tera.render(&rule.id, &ctx).map_err(|e| e.to_string()));
        match rendered {
            Ok(text) => text.trim().to_string(),
            Err(error) => format!(
                "(remediation template failed to render: {error})\n{}",
                rule.remediation.trim()
            ),
        }
    }
}

/// Renders one template against sample data; used by tests and `policies lint`.
pub fn render_template_check(
    rule: &Rule,
    vars: &serde_json::Value,
    snapshot: &Snapshot,
) -> Result<String, String> {
    let mut tera = tera::Tera::new();
    tera.add_raw_template(&rule.id, &rule.remediation)
        .map_err(|e| format!("{e:?}"))?;
    let mut data = remediation_context(snapshot);
    data["vars"] = vars.clone();
    data["finding"] = serde_json::json!({"subject": null, "file": null, "line": null});
    let ctx = tera::Context::from_serialize(&data).map_err(|e| e.to_string())?;
    tera.render(&rule.id, &ctx).map_err(|e| format!("{e:?}"))
}
