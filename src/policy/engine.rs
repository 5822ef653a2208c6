//! Compiles the packs once and evaluates every rule against a snapshot.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::time::Duration;

use regorus::utils::limits::ExecutionTimerConfig;
use serde::{Deserialize, Serialize};

use super::{Pack, PolicySource, Rule, Severity};
use crate::error::Error;
use crate::snapshot::Mode;

/// A runaway policy (an unbounded walk, a pathological regex) is stopped after this.
pub const EVAL_TIME_LIMIT: Duration = Duration::from_secs(5);

/// What a rule emitted, before the report step attaches metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawFinding {
    pub rule_id: String,
    pub msg: String,
    pub location: Option<RawLocation>,
    pub subject: Option<String>,
    /// A per-finding severity, for rules whose catalogue entry grades by case
    /// (GO034: info when the toolchain switches itself, error when it cannot).
    pub severity: Option<Severity>,
    pub vars: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawLocation {
    pub file: String,
    pub line: Option<usize>,
}

/// Every pack, compiled into one engine.
pub struct PolicySet {
    engine: regorus::Engine,
    pub packs: Vec<Pack>,
}

impl PolicySet {
    pub fn compile(packs: Vec<Pack>) -> Result<Self, Error> {
        Self::compile_with_time_limit(packs, EVAL_TIME_LIMIT)
    }

    /// Like [`PolicySet::compile`], with another limit on each rule's evaluation.
    pub fn compile_with_time_limit(packs: Vec<Pack>, limit: Duration) -> Result<Self, Error> {
        let engine = build_engine(&packs, false, limit)?;
        let mut seen: BTreeMap<&str, &Rule> = BTreeMap::new();
        for rule in packs.iter().flat_map(|p| &p.rules) {
            if let Some(first) = seen.insert(&rule.id, rule) {
                return Err(Error::PolicyContract {
                    message: format!(
                        "rule id {} is used twice: {} and {}",
                        rule.id, first.file, rule.file
                    ),
                    help: "rule ids are unique across all loaded packs; give one of them a new id"
                        .into(),
                    src: None,
                    span: None,
                });
            }
        }
        Ok(Self { engine, packs })
    }

    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.packs.iter().flat_map(|p| &p.rules)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules().find(|r| r.id == id)
    }

    /// Whether a rule can judge a snapshot taken in `mode`: live-only rules cannot
    /// judge an image.
    pub fn applies(rule: &Rule, mode: Mode) -> bool {
        !(rule.live_only && mode == Mode::Image)
    }

    /// Evaluates every rule that applies in `mode` against `input` (a snapshot as JSON).
    pub fn evaluate(
        &self,
        input: &serde_json::Value,
        mode: Mode,
    ) -> Result<Vec<RawFinding>, Error> {
        let mut engine = self.engine.clone();
        let input =
            regorus::Value::from_json_str(&input.to_string()).map_err(|e| Error::PolicyEval {
                rule: "(input)".into(),
                message: e.to_string(),
            })?;
        engine.set_input(input);
        let mut findings = Vec::new();
        for rule in self.rules().filter(|r| Self::applies(r, mode)) {
            let value = engine
                .eval_rule(format!("data.{}.deny", rule.package))
                .map_err(|e| Error::PolicyEval {
                    rule: format!("{} ({})", rule.id, rule.file),
                    message: format!("{e:#}"),
                })?;
            findings.extend(decode_findings(rule, value)?);
        }
        Ok(findings)
    }
}

/// An engine holding every module (and, for the test runner, every test) and the
/// packs' data under `data.pack_data.<pack>`.
pub(super) fn build_engine(
    packs: &[Pack],
    with_tests: bool,
    limit: Duration,
) -> Result<regorus::Engine, Error> {
    let mut engine = regorus::Engine::new();
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit,
        check_interval: NonZeroU32::new(1000).expect("non-zero"),
    });
    let mut pack_data = serde_json::Map::new();
    for pack in packs {
        let sources: Box<dyn Iterator<Item = &PolicySource>> = if with_tests {
            Box::new(pack.modules.iter().chain(&pack.tests))
        } else {
            Box::new(pack.modules.iter())
        };
        for source in sources {
            engine
                .add_policy(source.path.clone(), source.text.clone())
                .map_err(|e| Error::from_regorus(&source.path, &source.text, &format!("{e:#}")))?;
        }
        pack_data.insert(pack.name.clone(), pack.data.clone());
    }
    let data = serde_json::json!({ "pack_data": pack_data });
    let data = regorus::Value::from_json_str(&data.to_string()).map_err(|e| Error::PolicyEval {
        rule: "(pack data)".into(),
        message: e.to_string(),
    })?;
    engine.add_data(data).map_err(|e| Error::PolicyEval {
        rule: "(pack data)".into(),
        message: e.to_string(),
    })?;
    Ok(engine)
}

/// Checks the finding contract: a set of objects with a string `msg`, optional
/// `location {file, line}`, optional string `subject`, optional object `vars`.
fn decode_findings(rule: &Rule, value: regorus::Value) -> Result<Vec<RawFinding>, Error> {
    let contract = |what: String| {
        Error::PolicyContract {
        message: format!("rule {} ({}) emitted a malformed finding: {what}", rule.id, rule.file),
        help: "deny must be a set of objects {msg: string, location?: {file, line}, subject?: string, severity?: error|warning|info, vars?: object}".into(),
        src: None,
        span: None,
    }
    };
    let json = match value {
        // A partial set rule with no body that ever succeeded.
        regorus::Value::Undefined => return Ok(Vec::new()),
        other => serde_json::to_value(&other).map_err(|e| contract(e.to_string()))?,
    };
    let items = match json {
        serde_json::Value::Array(items) => items,
        other => return Err(contract(format!("deny is {other}, not a set"))),
    };
    items
        .into_iter()
        .map(|item| {
            let serde_json::Value::Object(mut object) = item else {
                return Err(contract(format!("{item} is not an object")));
            };
            let msg = match object.remove("msg") {
                Some(serde_json::Value::String(msg)) => msg,
                other => return Err(contract(format!("msg is {other:?}, not a string"))),
            };
            let location = match object.remove("location") {
                None | Some(serde_json::Value::Null) => None,
                Some(value) => Some(
                    serde_json::from_value::<RawLocation>(value)
                        .map_err(|e| contract(format!("location: {e}")))?,
                ),
            };
            let subject = match object.remove("subject") {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::String(s)) => Some(s),
                Some(other) => return Err(contract(format!("subject is {other}, not a string"))),
            };
            let severity = match object.remove("severity") {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::String(s)) => {
                    Some(Severity::parse(&s).ok_or_else(|| {
                        contract(format!("severity {s:?} is not error, warning or info"))
                    })?)
                }
                Some(other) => return Err(contract(format!("severity is {other}, not a string"))),
            };
            let vars = match object.remove("vars") {
                None => serde_json::Map::new(),
                Some(serde_json::Value::Object(vars)) => vars,
                Some(other) => return Err(contract(format!("vars is {other}, not an object"))),
            };
            if let Some(key) = object.keys().next() {
                return Err(contract(format!("unknown key {key:?}")));
            }
            Ok(RawFinding {
                rule_id: rule.id.clone(),
                msg,
                location,
                subject,
                severity,
                vars,
            })
        })
        .collect()
}
