//! A Rego unit-test runner: regorus has none built in. Every rule named `test_*` in a
//! `*_test.rego` file is evaluated; `true` passes, anything else fails.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::Pack;
use super::coverage::Coverage;
use super::engine::build_engine;
use super::metadata::read_header;
use crate::error::Error;

static TEST_RULE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(test_[A-Za-z0-9_]+)\b").expect("valid regex"));

#[derive(Debug, Clone, Serialize)]
pub struct TestResult {
    pub pack: String,
    pub file: String,
    /// The line of the test's (first) rule head.
    pub line: usize,
    pub name: String,
    pub passed: bool,
    /// Why it failed: the value it produced or the error it raised.
    pub detail: Option<String>,
}

/// One `test_*` rule, found in the text of a test file.
#[derive(Debug, Clone)]
pub(super) struct TestCase {
    pub pack: String,
    pub file: String,
    pub line: usize,
    pub name: String,
    /// `data.<package>.<name>`, what is evaluated.
    pub rule_path: String,
}

/// Runs every test of the packs. A policy that does not compile is an error; a test
/// that evaluates to anything but `true` is a failed result.
pub fn run_tests(packs: &[Pack]) -> Result<Vec<TestResult>, Error> {
    let engine = build_engine(packs, true, super::engine::EVAL_TIME_LIMIT)?;
    Ok(test_cases(packs)
        .iter()
        // A fresh clone per test, so nothing one test leaves behind reaches the next.
        .map(|case| run_case(&mut engine.clone(), case))
        .collect())
}

/// Like [`run_tests`], and what the tests evaluated of the rule and library files (the
/// tests themselves are left out of the coverage).
pub fn run_tests_with_coverage(packs: &[Pack]) -> Result<(Vec<TestResult>, Coverage), Error> {
    let mut engine = build_engine(packs, true, super::engine::EVAL_TIME_LIMIT)?;
    engine.set_enable_coverage(true);
    // One engine for every test: a clone's coverage would be lost with the clone.
    let results = test_cases(packs)
        .iter()
        .map(|case| run_case(&mut engine, case))
        .collect();
    let report = engine
        .get_coverage_report()
        .map_err(|e| Error::PolicyEval {
            rule: "(coverage)".into(),
            message: format!("{e:#}"),
        })?;
    let tests: BTreeSet<&str> = packs
        .iter()
        .flat_map(|p| &p.tests)
        .map(|t| t.path.as_str())
        .collect();
    Ok((
        results,
        Coverage::from_report(&report, |f| !tests.contains(f)),
    ))
}

/// Every test rule of the packs, in file order.
pub(super) fn test_cases(packs: &[Pack]) -> Vec<TestCase> {
    let mut cases = Vec::new();
    for pack in packs {
        for source in &pack.tests {
            let Ok(Some(header)) = read_header(&source.text) else {
                continue;
            };
            let mut seen = BTreeSet::new();
            for (index, line) in source.text.lines().enumerate() {
                let Some(caps) = TEST_RULE.captures(line) else {
                    continue;
                };
                let name = caps[1].to_string();
                // Several definitions of one name are one rule, evaluated once.
                if !seen.insert(name.clone()) {
                    continue;
                }
                cases.push(TestCase {
                    pack: pack.name.clone(),
                    file: source.path.clone(),
                    line: index + 1,
                    rule_path: format!("data.{}.{}", header.package, name),
                    name,
                });
            }
        }
    }
    cases
}

/// Evaluates one test on `engine`.
pub(super) fn run_case(engine: &mut regorus::Engine, case: &TestCase) -> TestResult {
    let (passed, detail) = match engine.eval_rule(case.rule_path.clone()) {
        Ok(regorus::Value::Bool(true)) => (true, None),
        Ok(regorus::Value::Undefined) => {
            (false, Some("undefined (a condition did not hold)".into()))
        }
        Ok(other) => (false, Some(format!("evaluated to {other}"))),
        Err(e) => (false, Some(format!("error: {e:#}"))),
    };
    TestResult {
        pack: case.pack.clone(),
        file: case.file.clone(),
        line: case.line,
        name: case.name.clone(),
        passed,
        detail,
    }
}
