//! Remediation templates: parsed once per run, rendered per finding with the run's
//! context, the finding's `vars` and where it is.

use std::collections::BTreeMap;

use super::{Judged, Location};
use crate::policy::Rule;
use crate::policy::engine::RawFinding;
use crate::snapshot::{HostInfo, Snapshot};

/// Facts every remediation template may use besides the finding's own `vars`.
pub(super) fn remediation_context(judged: &Judged<'_>) -> serde_json::Value {
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
pub(super) struct Templates {
    tera: tera::Tera,
    broken: BTreeMap<String, String>,
    /// Rules whose template names `finding` (a few): the others are not given it,
    /// which spares building it for each of a large check's findings.
    use_finding: std::collections::BTreeSet<String>,
}

impl Templates {
    pub(super) fn new<'a>(rules: impl Iterator<Item = &'a Rule>) -> Self {
        let mut tera = tera::Tera::new();
        let mut broken = BTreeMap::new();
        let mut use_finding = std::collections::BTreeSet::new();
        for rule in rules {
            if let Err(e) = tera.add_raw_template(&rule.id, &rule.remediation) {
                broken.insert(rule.id.clone(), e.to_string());
            }
            if rule.remediation.contains("finding") {
                use_finding.insert(rule.id.clone());
            }
        }
        Self {
            tera,
            broken,
            use_finding,
        }
    }

    pub(super) fn render(
        &self,
        rule: &Rule,
        raw: &RawFinding,
        location: Option<&Location>,
        context: &tera::Context,
    ) -> String {
        if let Some(error) = self.broken.get(&rule.id) {
            return format!("(remediation template does not parse: {error})");
        }
        let with_finding = self.use_finding.contains(&rule.id);
        let ctx = template_context(context, raw, location, with_finding);
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
    with_finding: bool,
) -> tera::Context {
    let mut ctx = context.clone();
    ctx.insert("vars", &raw.vars);
    if !with_finding {
        return ctx;
    }
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
pub(super) fn tera_context(context: &serde_json::Value) -> tera::Context {
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
    let location = raw
        .location
        .as_ref()
        .map(|l| Location::with_snippet(l.file.clone(), l.line, l.column, None));
    let context = tera::Context::from_serialize(&context).map_err(|e| error_chain(&e))?;
    let ctx = template_context(&context, raw, location.as_ref(), true);
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
