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
    /// Rules whose template is only text and `{{ vars.NAME }}`: see [`Substitution`].
    substitutions: BTreeMap<String, Substitution>,
    /// The `vars` each rule's template reads, when it reads them only by name
    /// (`vars.NAME`): only those are given to tera.
    reads: BTreeMap<String, Vec<regorus::Value>>,
}

/// The names a template reads `vars` by, when it reads it only as `vars.NAME`; `None`
/// when it reads `vars` in any other way (`vars | length`, `for k in vars`,
/// `vars["a"]`), or the word stands in the text otherwise: then it is given them all.
fn vars_read(template: &str) -> Option<Vec<regorus::Value>> {
    let identifier = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut names = std::collections::BTreeSet::new();
    for (at, _) in template.match_indices("vars") {
        if template[..at].ends_with(identifier) {
            continue;
        }
        let name = template[at + 4..].strip_prefix('.')?;
        let name = &name[..name.find(|c: char| !identifier(c)).unwrap_or(name.len())];
        if name.is_empty() {
            return None;
        }
        names.insert(name);
    }
    Some(names.into_iter().map(regorus::Value::from).collect())
}

/// A template that is nothing but text and `{{ vars.NAME }}` tags (half the k8s
/// pack's): when every value it names is a string, tera would write the text with the
/// strings put in (rule templates are not HTML, nothing is escaped), which is done
/// here without building tera's context for each finding, the larger part of
/// rendering it. Any other value, and any other template, goes through tera.
#[derive(Debug, PartialEq)]
struct Substitution {
    /// Text, then a variable's name, then text, and so on: one more text than names.
    texts: Vec<String>,
    names: Vec<regorus::Value>,
}

impl Substitution {
    /// The template as a substitution, when it is one. Conservative: a tag written
    /// any other way (`{{vars.x}}`, `{{- vars.x }}`, a filter) or any `{%`, `{#` or
    /// stray `}}` makes it tera's.
    fn parse(template: &str) -> Option<Self> {
        if template.contains("{%") || template.contains("{#") {
            return None;
        }
        let (mut texts, mut names) = (Vec::new(), Vec::new());
        let mut rest = template;
        while let Some(open) = rest.find("{{") {
            let (text, tag) = (&rest[..open], &rest[open + 2..]);
            let close = tag.find("}}")?;
            let name = tag[..close].strip_prefix(" vars.")?.strip_suffix(' ')?;
            let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !identifier || text.contains("}}") {
                return None;
            }
            texts.push(text.to_string());
            names.push(regorus::Value::from(name));
            rest = &tag[close + 2..];
        }
        if rest.contains("}}") {
            return None;
        }
        texts.push(rest.to_string());
        Some(Self { texts, names })
    }

    /// The text with `vars`' strings put in; `None` when a name is not a string there.
    fn render(&self, vars: &regorus::Value) -> Option<String> {
        let mut out = String::with_capacity(self.texts.iter().map(String::len).sum::<usize>() + 64);
        for (text, name) in self.texts.iter().zip(&self.names) {
            out.push_str(text);
            match &vars[name] {
                regorus::Value::String(value) => out.push_str(value),
                _ => return None,
            }
        }
        out.push_str(self.texts.last()?);
        Some(out)
    }
}

impl Templates {
    pub(super) fn new<'a>(rules: impl Iterator<Item = &'a Rule>) -> Self {
        let mut tera = tera::Tera::new();
        let mut broken = BTreeMap::new();
        let mut use_finding = std::collections::BTreeSet::new();
        let mut substitutions = BTreeMap::new();
        let mut reads = BTreeMap::new();
        for rule in rules {
            if let Some(names) = vars_read(&rule.remediation) {
                reads.insert(rule.id.clone(), names);
            }
            if let Err(e) = tera.add_raw_template(&rule.id, &rule.remediation) {
                broken.insert(rule.id.clone(), e.to_string());
            } else if let Some(substitution) = Substitution::parse(&rule.remediation) {
                substitutions.insert(rule.id.clone(), substitution);
            }
            if rule.remediation.contains("finding") {
                use_finding.insert(rule.id.clone());
            }
        }
        Self {
            tera,
            broken,
            use_finding,
            substitutions,
            reads,
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
        if let Some(text) = (self.substitutions.get(&rule.id)).and_then(|s| s.render(&raw.vars)) {
            return text.trim().to_string();
        }
        let with_finding = self.use_finding.contains(&rule.id);
        let reads = self.reads.get(&rule.id).map(Vec::as_slice);
        let ctx = template_context(context, raw, reads, location, with_finding);
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
    reads: Option<&[regorus::Value]>,
    location: Option<&Location>,
    with_finding: bool,
) -> tera::Context {
    let mut ctx = context.clone();
    let vars = match reads {
        Some(names) => tera_fields(&raw.vars, names),
        None => tera_value(&raw.vars),
    };
    match vars {
        Some(vars) => ctx.insert_value("vars", vars),
        None => ctx.insert("vars", &raw.vars),
    }
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

/// An engine value as tera's, built directly: what `Context::insert` makes of it
/// through serde (sets as arrays, `null` as none), at a third of the cost. `None` for
/// what this does not build (numbers, whose serde form tera grades by size; objects
/// with keys that are not strings): those go through serde.
fn tera_value(value: &regorus::Value) -> Option<tera::Value> {
    use regorus::Value;
    let list = |items: &mut dyn Iterator<Item = &Value>| {
        items
            .map(tera_value)
            .collect::<Option<Vec<_>>>()
            .map(tera::Value::from)
    };
    match value {
        Value::Null => Some(tera::Value::from(())),
        Value::Bool(b) => Some(tera::Value::from(*b)),
        Value::String(s) => Some(tera::Value::from(s.as_ref())),
        Value::Array(items) => list(&mut items.iter()),
        Value::Set(items) => list(&mut items.iter()),
        Value::Object(fields) => {
            let mut map = BTreeMap::new();
            for (key, value) in fields.iter() {
                let Value::String(key) = key else {
                    return None;
                };
                map.insert(tera::value::Key::String(key.clone()), tera_value(value)?);
            }
            Some(tera::Value::from(map))
        }
        Value::Number(_) | Value::Undefined => None,
    }
}

/// [`tera_value`] of the object `vars` with only the members `names` (those there).
fn tera_fields(vars: &regorus::Value, names: &[regorus::Value]) -> Option<tera::Value> {
    let regorus::Value::Object(_) = vars else {
        return tera_value(vars);
    };
    // Collected, not inserted one by one: the names come sorted, and a map collected
    // from sorted entries is built in one pass.
    let mut entries = Vec::with_capacity(names.len());
    for name in names {
        let (regorus::Value::String(key), value) = (name, &vars[name]) else {
            return None;
        };
        if *value != regorus::Value::Undefined {
            entries.push((tera::value::Key::String(key.clone()), tera_value(value)?));
        }
    }
    Some(tera::Value::from(
        entries.into_iter().collect::<BTreeMap<_, _>>(),
    ))
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
    let ctx = template_context(&context, raw, None, location.as_ref(), true);
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

#[cfg(test)]
mod tests;
