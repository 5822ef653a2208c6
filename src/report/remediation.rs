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
    // Without vars the template fails to render and says so in the remediation.
    if let Some(vars) = tera_value(&raw.vars) {
        ctx.insert_value("vars", vars);
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

/// A finding's value as tera sees it: what `tera::Context::insert` makes of it through
/// serde, built directly for the kinds vars are made of (strings, booleans, null, and
/// arrays, sets and objects of them, which serde took ~3% of a 150,000-finding check to
/// convert); numbers and objects with keys other than strings take serde's way, so
/// they read exactly as before. `None` when serde cannot convert it (tera's own
/// `insert` would panic).
fn tera_value(value: &regorus::Value) -> Option<tera::Value> {
    Some(match value {
        regorus::Value::Null => tera::Value::none(),
        regorus::Value::Bool(b) => tera::Value::from(*b),
        regorus::Value::String(s) => tera::Value::from(s.as_ref()),
        regorus::Value::Array(items) => {
            tera::Value::from(items.iter().map(tera_value).collect::<Option<Vec<_>>>()?)
        }
        regorus::Value::Set(items) => tera::Value::from(
            items
                .iter_sorted()
                .map(tera_value)
                .collect::<Option<Vec<_>>>()?,
        ),
        regorus::Value::Object(fields) if fields.keys().all(|k| k.as_string().is_ok()) => {
            let mut map = tera::Map::with_capacity(fields.len());
            for (key, value) in fields.iter() {
                let key = key.as_string().ok()?.to_string();
                map.insert(key.into(), tera_value(value)?);
            }
            tera::Value::from(map)
        }
        other => tera::Value::try_from_serializable(other).ok()?,
    })
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};

    use super::tera_value;

    /// A finding's vars as rules make them: strings of any text, booleans, null,
    /// numbers (integers and decimals), arrays, sets, objects.
    fn vars() -> impl Strategy<Value = regorus::Value> {
        let leaf = prop_oneof![
            Just(regorus::Value::Null),
            any::<bool>().prop_map(regorus::Value::from),
            any::<i64>().prop_map(regorus::Value::from),
            (-1e6f64..1e6).prop_map(regorus::Value::from),
            "(.|[<>&\"']){0,12}".prop_map(|s: String| regorus::Value::from(s.as_str())),
        ];
        leaf.prop_recursive(3, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(regorus::Value::from),
                prop::collection::btree_set(inner.clone(), 0..4).prop_map(regorus::Value::from),
                prop::collection::btree_map("[a-z_]{1,8}", inner.clone(), 0..5).prop_map(|m| {
                    regorus::Value::from(
                        m.into_iter()
                            .map(|(k, v)| (regorus::Value::from(k.as_str()), v))
                            .collect::<std::collections::BTreeMap<_, _>>(),
                    )
                }),
                // Keys that are not strings take serde's way.
                prop::collection::btree_map(any::<i8>(), inner, 0..3).prop_map(|m| {
                    regorus::Value::from(
                        m.into_iter()
                            .map(|(k, v)| (regorus::Value::from(i64::from(k)), v))
                            .collect::<std::collections::BTreeMap<_, _>>(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(Config {
            cases: 1000,
            rng_seed: RngSeed::Fixed(0x7e7a),
            failure_persistence: None,
            ..Config::default()
        })]

        /// The direct conversion gives what tera's `Context::insert` gave through serde,
        /// as a value and as a template prints it.
        #[test]
        fn vars_convert_as_serde_converts_them(value in vars()) {
            let direct = tera_value(&value).expect("vars of these kinds convert");
            let serde = tera::Value::try_from_serializable(&value).expect("serde converts them");
            prop_assert_eq!(&direct, &serde);
            let mut tera = tera::Tera::new();
            let text = "{{ v }}|{% if v %}true{% else %}false{% endif %}";
            tera.add_raw_template("t", text).unwrap();
            // Also escaped, which tells strings tera marked safe from the others.
            tera.add_raw_template("t.html", text).unwrap();
            let render = |v: tera::Value| {
                let mut ctx = tera::Context::new();
                ctx.insert_value("v", v);
                (tera.render("t", &ctx), tera.render("t.html", &ctx))
            };
            let (direct, serde) = (render(direct), render(serde));
            prop_assert_eq!(direct.0.ok(), serde.0.ok());
            prop_assert_eq!(direct.1.ok(), serde.1.ok());
        }
    }
}
