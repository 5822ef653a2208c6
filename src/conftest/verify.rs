//! `envgate verify` for a conftest policy directory, as `conftest verify`: every rule
//! named `test_*` in any loaded module is a test (passes when defined and `true`),
//! `todo_test_*` rules are skipped, `-n` globs restrict the packages reported (all
//! by default). Each test is one result under its `.rego` file with an empty
//! namespace; `--report` prints a per-test report instead (stdout only).

use std::fmt::Write;

use super::check::{CheckResult, Outcome};
use super::render;
use super::settings::Settings;
use crate::error::Error;

/// One test's outcome.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    pub file: String,
    pub package: String,
    pub name: String,
    pub line: usize,
    pub status: Status,
    pub prints: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Skip,
}

/// The outcome of `envgate verify` in conftest mode.
pub struct VerifyRun {
    pub tests: Vec<TestOutcome>,
    pub stdout: String,
    pub exit_code: u8,
}

pub fn run_verify(settings: &Settings) -> Result<VerifyRun, Error> {
    if settings.report.is_some() && settings.output != "stdout" {
        return Err(Error::Usage(
            "report flag is supported with stdout only".into(),
        ));
    }
    let policies = super::policy::load(settings)?;
    let allowed = if settings.namespace.is_empty() {
        None
    } else {
        Some(policies.matching(&settings.namespace)?)
    };
    let mut tests = Vec::new();
    for file in &policies.files {
        if allowed.as_ref().is_some_and(|a| !a.contains(&file.package)) {
            continue;
        }
        let mut seen = std::collections::BTreeSet::new();
        for (name, line) in &file.rules {
            let skip = name.starts_with("todo_test_");
            if !(name.starts_with("test_") || skip) || !seen.insert(name.clone()) {
                continue;
            }
            let mut engine = policies.engine.clone();
            let status = if skip {
                Status::Skip
            } else {
                let path = format!("data.{}.{name}", file.package);
                match engine.eval_rule(path.clone()) {
                    Ok(regorus::Value::Bool(true)) => Status::Pass,
                    Ok(_) => Status::Fail,
                    Err(e) if settings.show_builtin_errors => {
                        return Err(Error::PolicyEval {
                            rule: path,
                            message: format!("run test: {e:#}"),
                        });
                    }
                    Err(_) => Status::Fail,
                }
            };
            let prints = engine.take_prints().unwrap_or_default();
            tests.push(TestOutcome {
                file: file.path.clone(),
                package: file.package.clone(),
                name: name.clone(),
                line: *line,
                status,
                prints,
            });
        }
    }
    let failed = tests.iter().any(|t| t.status == Status::Fail);
    let exit_code = u8::from(failed);
    let mut stdout = String::new();
    if !settings.quiet || exit_code != 0 {
        stdout = match &settings.report {
            Some(level) => report(&tests, level),
            None => {
                let results = results(&tests);
                match settings.output.as_str() {
                    "json" => render::json(&results),
                    "tap" => render::tap(&results),
                    "table" => render::table(&results),
                    "github" => render::github(&results),
                    "junit" => super::ci::junit(&results, false),
                    _ => render::stdout(
                        &results,
                        render::StdoutOptions {
                            no_color: settings.no_color,
                            suppress_exceptions: false,
                            show_skipped: true,
                        },
                    ),
                }
            }
        };
    }
    Ok(VerifyRun {
        tests,
        stdout,
        exit_code,
    })
}

/// One result per test, as conftest makes them (sorted by file, then test name).
pub fn results(tests: &[TestOutcome]) -> Vec<CheckResult> {
    let mut sorted: Vec<&TestOutcome> = tests.iter().collect();
    sorted.sort_by(|a, b| a.file.cmp(&b.file).then(a.name.cmp(&b.name)));
    sorted
        .into_iter()
        .map(|t| {
            let message = format!("data.{}.{}", t.package, t.name);
            let outcome = Outcome {
                message,
                rule: t.name.clone(),
                title: None,
                rule_file: t.file.clone(),
                rule_line: t.line,
                metadata: serde_json::Map::new(),
                author_location: None,
                position: None,
            };
            let mut result = CheckResult {
                file: t.file.clone(),
                namespace: String::new(),
                ..CheckResult::default()
            };
            match t.status {
                Status::Pass => result.successes = 1,
                Status::Fail => result.failures.push(outcome),
                Status::Skip => result.skipped.push(outcome),
            }
            result
        })
        .collect()
}

/// `--report fails|notes|full`: OPA's test report without durations or traces
/// (regorus has neither): each test as `<file>:<line>:` and `data.<pkg>.<test>:
/// PASS|FAIL|SKIPPED`, the failures again with their `print()` output, the totals.
fn report(tests: &[TestOutcome], level: &str) -> String {
    let rule = "-".repeat(80);
    let mut out = String::new();
    let mut sorted: Vec<&TestOutcome> = tests.iter().collect();
    sorted.sort_by(|a, b| a.file.cmp(&b.file).then(a.name.cmp(&b.name)));
    for t in &sorted {
        let status = match t.status {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "SKIPPED",
        };
        let _ = writeln!(out, "{}:{}:", crate::escape::line(&t.file), t.line);
        let _ = writeln!(out, "data.{}.{}: {status}", t.package, t.name);
        if level == "full" && t.status == Status::Pass {
            for print in &t.prints {
                let _ = writeln!(out, "  {}", crate::escape::line(print));
            }
        }
    }
    let failing: Vec<&&TestOutcome> = sorted.iter().filter(|t| t.status == Status::Fail).collect();
    if !failing.is_empty() {
        let _ = writeln!(out, "{rule}\nFAILURES\n{rule}");
        for t in &failing {
            let _ = writeln!(out, "data.{}.{}: FAIL\n", t.package, t.name);
            for print in &t.prints {
                let _ = writeln!(out, "  {}", crate::escape::line(print));
            }
            if !t.prints.is_empty() {
                out.push('\n');
            }
        }
    }
    let _ = writeln!(out, "{rule}");
    let total = sorted.len();
    for (label, status) in [
        ("PASS", Status::Pass),
        ("FAIL", Status::Fail),
        ("SKIPPED", Status::Skip),
    ] {
        let n = sorted.iter().filter(|t| t.status == status).count();
        if n > 0 {
            let _ = writeln!(out, "{label}: {n}/{total}");
        }
    }
    out
}
