//! `--trace`: which lines of the policies each query evaluated, per document.
//!
//! regorus has no evaluation trace (OPA's Enter/Eval/Fail events). What it has is line
//! coverage from its interpreter, so the trace is built from that: for each query, the
//! rule definitions it entered, each line of their bodies marked `Eval` (evaluated) or
//! `Miss` (not reached: the body stopped at an earlier line, or an `else` was not
//! needed), then the query's result. That answers what `--trace` is used for — why a
//! rule did not fire — though not in OPA's words. The outer shape is conftest's: a
//! `file: <f> | query: <q>` line, then `TRAC  ` lines.

use std::collections::BTreeSet;

use regorus::Value;

use super::policy::PolicyFile;
use crate::escape;

/// One query's trace.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryTrace {
    pub query: String,
    pub lines: Vec<String>,
}

/// Starts recording a query's lines.
pub fn start(engine: &mut regorus::Engine) {
    engine.clear_coverage_data();
}

/// The trace of the query just evaluated.
pub fn finish(
    engine: &regorus::Engine,
    files: &[PolicyFile],
    query: &str,
    value: &Value,
) -> Result<QueryTrace, String> {
    let report = engine
        .get_coverage_report()
        .map_err(|e| format!("trace: {e:#}"))?;
    let mut lines = vec![format!("Enter {query}")];
    for file in files {
        let Some(cover) = report.files.iter().find(|f| f.path == file.path) else {
            continue;
        };
        let source: Vec<&str> = file.text.lines().collect();
        let shown = escape::line(&file.path);
        for ((name, _), &(first, last)) in file.rules.iter().zip(&file.rule_lines) {
            let entered = (first..=last).any(|l| cover.covered.contains(&(l as u32)));
            if !entered {
                continue;
            }
            lines.push(format!("| Enter {}.{name} ({shown}:{first})", file.package));
            for line in first..=last {
                let mark = marked(&cover.covered, &cover.not_covered, line);
                let Some(mark) = mark else { continue };
                let text = source.get(line - 1).map_or("", |t| t.trim());
                lines.push(format!("| | {mark} {shown}:{line}: {}", escape::line(text)));
            }
        }
    }
    lines.push(match value {
        Value::Undefined => format!("Fail {query}: undefined"),
        Value::Set(s) => format!("Exit {query}: {} result{}", s.len(), plural(s.len())),
        Value::Array(a) => format!("Exit {query}: {} result{}", a.len(), plural(a.len())),
        other => format!("Exit {query}: {}", escape::line(&other.to_string())),
    });
    Ok(QueryTrace {
        query: query.to_string(),
        lines,
    })
}

fn marked(covered: &BTreeSet<u32>, missed: &BTreeSet<u32>, line: usize) -> Option<&'static str> {
    let line = u32::try_from(line).ok()?;
    if covered.contains(&line) {
        Some("Eval")
    } else if missed.contains(&line) {
        Some("Miss")
    } else {
        None
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// conftest's layout: per result, per query, `file: … | query: …` then `TRAC  ` lines.
pub fn render(results: &[super::check::CheckResult]) -> String {
    let mut out = String::new();
    for result in results {
        for trace in &result.traces {
            out.push_str(&format!(
                "file: {} | query: {}\n",
                escape::line(&result.file),
                trace.query
            ));
            for line in &trace.lines {
                out.push_str("TRAC  ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}
