//! A Rego unit-test runner: regorus has none built in. Every rule named `test_*` in a
//! `*_test.rego` file is evaluated; `true` passes, anything else fails.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::Pack;
use super::engine::build_engine;
use super::metadata::read_header;
use crate::error::Error;

static TEST_RULE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(test_[A-Za-z0-9_]+)\b").expect("valid regex"));

#[derive(Debug, Clone, Serialize)]
pub struct TestResult {
    pub pack: String,
    pub file: String,
    pub line: usize,
    pub name: String,
    pub passed: bool,
    /// Why it failed: the value it produced or the error it raised.
    pub detail: Option<String>,
}

/// Runs every test of the packs. A policy that does not compile is an error; a test
/// that evaluates to anything but `true` is a failed result.
pub fn run_tests(packs: &[Pack]) -> Result<Vec<TestResult>, Error> {
    let engine = build_engine(packs, true, super::engine::EVAL_TIME_LIMIT)?;
    let mut results = Vec::new();
    for pack in packs {
        for source in &pack.tests {
            let Ok(Some(header)) = read_header(&source.text) else {
                continue;
            };
            let mut seen = std::collections::BTreeSet::new();
            for (index, line) in source.text.lines().enumerate() {
                let Some(caps) = TEST_RULE.captures(line) else {
                    continue;
                };
                let name = caps[1].to_string();
                // Incremental definitions share a name; the test is their conjunction.
                if !seen.insert(name.clone()) {
                    continue;
                }
                let mut engine = engine.clone();
                let outcome = engine.eval_rule(format!("data.{}.{}", header.package, name));
                let (passed, detail) = match outcome {
                    Ok(regorus::Value::Bool(true)) => (true, None),
                    Ok(regorus::Value::Undefined) => {
                        (false, Some("undefined (a condition did not hold)".into()))
                    }
                    Ok(other) => (false, Some(format!("evaluated to {other}"))),
                    Err(e) => (false, Some(format!("error: {e:#}"))),
                };
                results.push(TestResult {
                    pack: pack.name.clone(),
                    file: source.path.clone(),
                    line: index + 1,
                    name,
                    passed,
                    detail,
                });
            }
        }
    }
    Ok(results)
}
