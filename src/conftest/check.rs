//! Judging documents as conftest does (policy/engine.go `check`): per namespace, every
//! failure/warning rule name queried once, exceptions first (all results of a rule
//! name are dropped when `exception` names it), results counted per rule definition
//! and padded with passes. The engine is compiled once and cloned per worker; files
//! are judged in parallel.

use std::path::Path;

use regorus::Value;
use serde_json::Map;

use super::inputs::{Configuration, Document};
use super::policy::{NamespaceRules, Policies, PolicyFile, QueriedRule, RuleKind};
use super::trace::{self, QueryTrace};
use crate::error::Error;
use crate::files::source_map::{Positions, Step, resolve};

/// conftest's `_loc`: where the author says the result is.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuthorLocation {
    pub file: String,
    pub line: serde_json::Value,
}

/// One result line: a failure, warning or exception.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub message: String,
    /// The rule queried (`deny_latest_tag`), its METADATA title, where it is defined.
    pub rule: String,
    pub title: Option<String>,
    pub rule_file: String,
    pub rule_line: usize,
    /// The result object's other fields plus `query` (conftest's `metadata`).
    pub metadata: Map<String, serde_json::Value>,
    pub author_location: Option<AuthorLocation>,
    /// envgate's own: the line and column of the value the result names (`path` or
    /// `location.path`), in the checked file.
    pub position: Option<[usize; 2]>,
}

/// conftest's CheckResult: one file (or `Combined`) in one namespace.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckResult {
    pub file: String,
    pub namespace: String,
    pub successes: usize,
    pub warnings: Vec<Outcome>,
    pub failures: Vec<Outcome>,
    pub exceptions: Vec<Outcome>,
    /// `print()` output, `file.rego:line: text`.
    pub prints: Vec<String>,
    /// `verify`: the tests skipped (`todo_test_`).
    pub skipped: Vec<Outcome>,
    /// `--trace`: each query's evaluated lines, per document in order.
    pub traces: Vec<QueryTrace>,
}

impl CheckResult {
    /// Sorts each list by message (then rule), the order OPA gives one rule's results.
    pub fn sort(&mut self) {
        for list in [&mut self.warnings, &mut self.failures, &mut self.exceptions] {
            list.sort_by(|a, b| a.message.cmp(&b.message).then_with(|| a.rule.cmp(&b.rule)));
        }
    }

    fn absorb(&mut self, other: CheckResult) {
        self.successes += other.successes;
        self.warnings.extend(other.warnings);
        self.failures.extend(other.failures);
        self.exceptions.extend(other.exceptions);
        self.prints.extend(other.prints);
        self.traces.extend(other.traces);
    }
}

/// What a worker needs to judge.
pub struct Judge<'a> {
    pub policies: &'a Policies,
    /// Per namespace (in output order): its rules.
    pub namespaces: Vec<(String, NamespaceRules)>,
    pub cwd: &'a Path,
}

impl Judge<'_> {
    /// Every configuration in every namespace; results ordered by namespace, then file.
    pub fn check_all(&self, configurations: &[&Configuration]) -> Result<Vec<CheckResult>, Error> {
        let chunk = 16;
        let chunks: Vec<&[&Configuration]> = configurations.chunks(chunk).collect();
        let per_chunk = crate::parallel::tasks(chunks.len(), |i| {
            let mut engine = self.policies.engine.clone();
            let mut out = Vec::new();
            for config in chunks[i] {
                let mut per_ns = Vec::new();
                for (namespace, rules) in &self.namespaces {
                    per_ns.push(self.check_configuration(&mut engine, config, namespace, rules)?);
                }
                out.push(per_ns);
            }
            Ok::<_, Error>(out)
        });
        let mut per_file = Vec::new();
        for chunk in per_chunk {
            per_file.extend(chunk?);
        }
        let mut results = Vec::new();
        for ns_index in 0..self.namespaces.len() {
            for file in &per_file {
                results.push(file[ns_index].clone());
            }
        }
        Ok(results)
    }

    /// `--combine`: one input, the list of `{path, contents}` of every document.
    pub fn check_combined(
        &self,
        configurations: &[&Configuration],
    ) -> Result<Vec<CheckResult>, Error> {
        let mut entries = Vec::new();
        for config in configurations {
            for doc in config.documents() {
                entries.push(serde_json::json!({"path": config.path, "contents": doc.value}));
            }
        }
        let combined = Configuration {
            path: "Combined".into(),
            // One document: the list itself (not split).
            value: serde_json::Value::Array(vec![serde_json::Value::Array(entries)]),
            positions: Vec::new(),
            text: String::new(),
        };
        let mut engine = self.policies.engine.clone();
        let mut results = Vec::new();
        for (namespace, rules) in &self.namespaces {
            results.push(self.check_configuration(&mut engine, &combined, namespace, rules)?);
        }
        Ok(results)
    }

    fn check_configuration(
        &self,
        engine: &mut regorus::Engine,
        config: &Configuration,
        namespace: &str,
        rules: &NamespaceRules,
    ) -> Result<CheckResult, Error> {
        let mut result = CheckResult {
            file: config.path.clone(),
            namespace: namespace.to_string(),
            ..CheckResult::default()
        };
        let file_info = self
            .policies
            .reads_file_info
            .then(|| file_info(&config.path, self.cwd));
        let traced = self.policies.trace.then_some(&self.policies.files[..]);
        for doc in config.documents() {
            let judged =
                judge_document(engine, &doc, namespace, rules, file_info.as_deref(), traced)
                    .map_err(|message| Error::PolicyEval {
                        rule: format!("data.{namespace}"),
                        message: format!("{} ({})", message, config.path),
                    })?;
            result.absorb(judged);
        }
        result.sort();
        Ok(result)
    }
}

/// `{"name": base name, "dir": absolute directory}` of the checked file, as a Rego
/// object literal for a `with` clause.
fn file_info(path: &str, cwd: &Path) -> String {
    let abs = if Path::new(path).is_absolute() {
        Path::new(path).to_path_buf()
    } else {
        cwd.join(path)
    };
    let abs = super::inputs::go_clean(&abs.to_string_lossy());
    let (dir, name) = match abs.rfind('/') {
        Some(0) => ("/".to_string(), abs[1..].to_string()),
        Some(at) => (abs[..at].to_string(), abs[at + 1..].to_string()),
        None => (".".to_string(), abs.clone()),
    };
    serde_json::json!({"name": name, "dir": dir}).to_string()
}

/// Evaluates `data.<namespace>.<name>` (with the file info when policies read it);
/// with `traced`, records the lines it evaluated in `traces`.
fn query(
    engine: &mut regorus::Engine,
    path: &str,
    file_info: Option<&str>,
    traced: Option<&[PolicyFile]>,
    traces: &mut Vec<QueryTrace>,
) -> Result<(Value, Vec<String>), String> {
    if traced.is_some() {
        trace::start(engine);
    }
    let value = match file_info {
        None => engine
            .eval_rule(path.to_string())
            .map_err(|e| format!("{e:#}"))?,
        Some(info) => {
            let results = engine
                .eval_query(format!("{path} with data.conftest.file as {info}"), false)
                .map_err(|e| format!("{e:#}"))?;
            results
                .result
                .into_iter()
                .next()
                .and_then(|r| r.expressions.into_iter().next())
                .map_or(Value::Undefined, |e| e.value)
        }
    };
    let prints = engine.take_prints().map_err(|e| format!("{e:#}"))?;
    if let Some(files) = traced {
        traces.push(trace::finish(engine, files, path, &value)?);
    }
    Ok((value, prints))
}

fn judge_document(
    engine: &mut regorus::Engine,
    doc: &Document,
    namespace: &str,
    rules: &NamespaceRules,
    file_info: Option<&str>,
    traced: Option<&[PolicyFile]>,
) -> Result<CheckResult, String> {
    let input = Value::from_json_str(&doc.value.to_string()).map_err(|e| format!("input: {e}"))?;
    engine.set_input(input);
    let mut result = CheckResult::default();
    let (exception_value, exception_prints) = if rules.has_exception && !rules.rules.is_empty() {
        query(
            engine,
            &format!("data.{namespace}.exception"),
            file_info,
            traced,
            &mut result.traces,
        )?
    } else {
        (Value::Undefined, Vec::new())
    };
    let mut successes = 0;
    for rule in &rules.rules {
        let short = strip_prefix(&rule.name);
        let exception_query = format!("data.{namespace}.exception[_][_] == {short:?}");
        let exceptions = count_exceptions(&exception_value, short);
        result.prints.extend(exception_prints.iter().cloned());
        let rule_query = format!("data.{namespace}.{}", rule.name);
        let (value, prints) = query(engine, &rule_query, file_info, traced, &mut result.traces)?;
        result.prints.extend(prints);
        for _ in 0..exceptions {
            result.exceptions.push(outcome(
                rule,
                exception_query.clone(),
                Map::new(),
                None,
                None,
            ));
        }
        if exceptions > 0 {
            continue;
        }
        for item in rule_results(&value) {
            match item {
                RuleResult::Pass => successes += 1,
                RuleResult::Message {
                    message,
                    mut metadata,
                    author_location,
                    path,
                } => {
                    if message.is_empty() {
                        successes += 1;
                        continue;
                    }
                    metadata.insert("query".into(), rule_query.clone().into());
                    let position = path
                        .and_then(|p| resolve(&doc.positions, &p))
                        .map(|(at, _)| at);
                    let out = outcome(rule, message, metadata, author_location, position);
                    match rule.kind {
                        RuleKind::Failure => result.failures.push(out),
                        RuleKind::Warning => result.warnings.push(out),
                    }
                }
                RuleResult::Invalid => {
                    return Err(format!(
                        "new result: \"msg\" field must be present and a string ({rule_query})"
                    ));
                }
            }
        }
    }
    let counted =
        result.failures.len() + result.warnings.len() + result.exceptions.len() + successes;
    if counted < rules.definitions {
        successes += rules.definitions - counted;
    }
    result.successes = successes;
    Ok(result)
}

fn outcome(
    rule: &QueriedRule,
    message: String,
    metadata: Map<String, serde_json::Value>,
    author_location: Option<AuthorLocation>,
    position: Option<[usize; 2]>,
) -> Outcome {
    Outcome {
        message,
        rule: rule.name.clone(),
        title: rule.title.clone(),
        rule_file: rule.file.clone(),
        rule_line: rule.line,
        metadata,
        author_location,
        position,
    }
}

/// The rule name an exception names: without `deny_`/`violation_`/`warn_`; `""` for
/// the bare names.
fn strip_prefix(name: &str) -> &str {
    if matches!(name, "deny" | "violation" | "warn") {
        return "";
    }
    for prefix in ["violation_", "deny_", "warn_"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return rest;
        }
    }
    name
}

/// The children `x[_]` iterates in Rego.
fn children(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.iter().cloned().collect(),
        Value::Set(items) => items.iter().cloned().collect(),
        Value::Object(map) => map.values().cloned().collect(),
        _ => Vec::new(),
    }
}

/// How many solutions `exception[_][_] == name` has.
fn count_exceptions(exception: &Value, name: &str) -> usize {
    let wanted = Value::String(name.into());
    children(exception)
        .iter()
        .map(|entry| children(entry).iter().filter(|v| **v == wanted).count())
        .sum()
}

enum RuleResult {
    Pass,
    Message {
        message: String,
        metadata: Map<String, serde_json::Value>,
        author_location: Option<AuthorLocation>,
        path: Option<Vec<Step>>,
    },
    Invalid,
}

/// conftest's reading of a rule's value: undefined → nothing; a non-collection or an
/// empty collection → one pass; else per element a string or `{msg, …}` object
/// (other elements dropped).
fn rule_results(value: &Value) -> Vec<RuleResult> {
    let items = match value {
        Value::Undefined => return Vec::new(),
        Value::Array(_) | Value::Set(_) => children(value),
        _ => return vec![RuleResult::Pass],
    };
    if items.is_empty() {
        return vec![RuleResult::Pass];
    }
    items
        .iter()
        .filter_map(|item| match item {
            Value::String(s) => Some(RuleResult::Message {
                message: s.to_string(),
                metadata: Map::new(),
                author_location: None,
                path: None,
            }),
            Value::Object(_) => Some(object_result(item)),
            _ => None,
        })
        .collect()
}

fn object_result(item: &Value) -> RuleResult {
    let Ok(serde_json::Value::Object(mut map)) = serde_json::to_value(item) else {
        return RuleResult::Invalid;
    };
    let Some(serde_json::Value::String(message)) = map.remove("msg") else {
        return RuleResult::Invalid;
    };
    let author_location = map.remove("_loc").and_then(|loc| {
        let file = loc
            .get("file")
            .and_then(|f| f.as_str())
            .unwrap_or("")
            .to_string();
        let line = loc.get("line").filter(|l| l.is_number()).cloned();
        if file.is_empty() && line.is_none() {
            return None;
        }
        Some(AuthorLocation {
            file,
            line: line.unwrap_or(serde_json::Value::String(String::new())),
        })
    });
    let path = map
        .get("path")
        .or_else(|| map.get("location").and_then(|l| l.get("path")))
        .and_then(steps);
    RuleResult::Message {
        message,
        metadata: map,
        author_location,
        path,
    }
}

/// A path into the document: `["spec", 0, "image"]`, or `"spec.containers[0].image"`.
fn steps(value: &serde_json::Value) -> Option<Vec<Step>> {
    match value {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| match item {
                serde_json::Value::String(s) => Some(Step::Key(s.clone())),
                serde_json::Value::Number(n) => n.as_u64().map(|i| Step::Index(i as usize)),
                _ => None,
            })
            .collect(),
        serde_json::Value::String(text) => {
            let mut out = Vec::new();
            for part in text.split('.') {
                let (key, rest) = part.split_once('[').unwrap_or((part, ""));
                if !key.is_empty() {
                    out.push(Step::Key(key.to_string()));
                }
                for index in rest.split('[') {
                    let index = index.trim_end_matches(']');
                    if !index.is_empty() {
                        out.push(Step::Index(index.parse().ok()?));
                    }
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// Positions of a document for a `path`, for tests.
pub fn position_of(positions: &Positions, path: &serde_json::Value) -> Option<[usize; 2]> {
    resolve(positions, &steps(path)?).map(|(at, _)| at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exception_names_and_counts() {
        assert_eq!(strip_prefix("deny"), "");
        assert_eq!(strip_prefix("deny_run_as_root"), "run_as_root");
        assert_eq!(strip_prefix("warn_x"), "x");
        let exc = Value::from_json_str(r#"[["run_as_root", "other"], ["run_as_root"]]"#).unwrap();
        assert_eq!(count_exceptions(&exc, "run_as_root"), 2);
        assert_eq!(count_exceptions(&exc, ""), 0);
    }

    #[test]
    fn rule_values_as_conftest_reads_them() {
        let count = |json: &str| rule_results(&Value::from_json_str(json).unwrap()).len();
        assert_eq!(rule_results(&Value::Undefined).len(), 0);
        assert_eq!(count("true"), 1);
        assert_eq!(count("[]"), 1);
        assert_eq!(count(r#"["a", "b", 3]"#), 2);
        assert!(matches!(
            rule_results(&Value::from_json_str(r#"[{"nomsg": 1}]"#).unwrap())[0],
            RuleResult::Invalid
        ));
    }

    #[test]
    fn paths_as_arrays_or_dotted_text() {
        let a = steps(&serde_json::json!(["spec", 0, "image"])).unwrap();
        let b = steps(&serde_json::json!("spec[0].image")).unwrap();
        assert_eq!(a, b);
    }
}
