//! The part of lint that runs a pack: its unit tests with a spy on every rule's
//! `deny`, then the bytecode compiler over each rule for calls no test reached.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use super::super::engine::{EVAL_TIME_LIMIT, RawFinding, RawLocation, build_engine};
use super::super::testing::{run_case, test_cases};
use super::super::{Pack, Rule};
use super::{Problem, key_line, manifest_path, template_error};
use crate::error::Error;

/// The spy's print marker.
const SPY: &str = "envgate-lint";

static DENY_HEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^deny\b").expect("valid regex"));

static LOCATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-->\s*([^\n]*?):(\d+):(\d+)").expect("valid regex"));

/// A rule module whose `deny` is renamed and re-exported through a spy that prints each
/// finding with the host and Go settings of the input it was found in. Lines keep
/// their numbers: the spy is appended.
pub(super) fn with_spy(text: &str) -> String {
    let mut out = DENY_HEAD
        .replace_all(text, "envgate_lint_spied_deny")
        .into_owned();
    out.push_str(&format!(
        "\n\ndefault envgate_lint_host := null\n\
         envgate_lint_host := input.host\n\
         default envgate_lint_go_env := null\n\
         envgate_lint_go_env := input.go.env\n\
         deny contains envgate_lint_f if {{\n\
         \tsome envgate_lint_f in envgate_lint_spied_deny\n\
         \tprint(\"{SPY}\", json.marshal({{\"finding\": envgate_lint_f, \"host\": envgate_lint_host, \"go_env\": envgate_lint_go_env}}))\n\
         }}\n"
    ));
    out
}

/// Runs a pack's tests with spies on its rules: unknown functions, rules that never
/// fire, remediations that do not render, Rego that does not parse.
pub(super) fn run_pack(pack: &Pack) -> Vec<Problem> {
    let mut problems = Vec::new();
    // The sources as written first: a syntax error is reported where it is, not where
    // the spy appended to an unclosed rule happens to stop the parser.
    if let Err(error) = build_engine(std::slice::from_ref(pack), true, EVAL_TIME_LIMIT) {
        let message = match error {
            Error::PolicySyntax { message, .. } => message,
            other => other.to_string(),
        };
        let (file, line, message) =
            syntax_place(&message).unwrap_or((manifest_path(pack), 1, message));
        problems.push(Problem {
            file,
            line,
            code: "L011",
            message,
        });
        return problems;
    }
    let mut spied = pack.clone();
    for module in &mut spied.modules {
        if pack.rules.iter().any(|r| r.file == module.path) {
            module.text = with_spy(&module.text).into();
        }
    }
    let Ok(mut engine) = build_engine(std::slice::from_ref(&spied), true, EVAL_TIME_LIMIT) else {
        // The spy cannot break what parsed without it, short of a rule named like it.
        return problems;
    };
    engine.set_gather_prints(true);
    let _ = engine.eval_bool_query("true".to_string(), false);
    // By rule file: ids may clash (reported as L005), files cannot.
    let mut findings: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for case in test_cases(std::slice::from_ref(&spied)) {
        let mut run = engine.clone();
        let result = run_case(&mut run, &case);
        if let Some(detail) = result.detail.as_deref()
            && let Some(problem) = unknown_function(detail)
        {
            problems.push(problem);
        }
        for print in run.take_prints().unwrap_or_default() {
            let Some((place, json)) = print.split_once(&format!(": {SPY} ")) else {
                continue;
            };
            let file = place.rsplit_once(':').map_or(place, |(file, _)| file);
            if let Some(rule) = pack.rules.iter().find(|r| r.file == file) {
                findings
                    .entry(rule.file.as_str())
                    .or_default()
                    .insert(json.to_string());
            }
        }
    }
    // Calls that no test reached: the bytecode compiler resolves every call statically.
    for rule in &pack.rules {
        let entry = format!("data.{}.deny", rule.package);
        let error = match engine.compile_with_entrypoint(&entry.as_str().into()) {
            Err(e) => Some(format!("{e:#}")),
            Ok(compiled) => regorus::languages::rego::compiler::Compiler::compile_from_policy(
                &compiled,
                &[&entry],
            )
            .err()
            .map(|e| e.to_string()),
        };
        if let Some(error) = error
            && let Some(problem) = unknown_function(&error)
        {
            problems.push(problem);
        }
    }
    let files_only = pack.input_use.only_files;
    for rule in &pack.rules {
        let Some(printed) = findings.get(rule.file.as_str()) else {
            problems.push(Problem {
                file: rule.file.clone(),
                line: rule.line,
                code: "L009",
                message: format!(
                    "no test makes {} fire: add one whose input it denies",
                    rule.id
                ),
            });
            continue;
        };
        // A template that does not parse is already reported (L007).
        let parses = tera::Tera::new()
            .add_raw_template(&rule.id, &rule.remediation)
            .is_ok();
        if let Some(error) = printed
            .iter()
            .filter(|_| parses)
            .find_map(|json| render_error(rule, json, files_only))
        {
            let text = pack
                .modules
                .iter()
                .find(|m| m.path == rule.file)
                .map_or("", |m| m.text.as_ref());
            problems.push(Problem {
                line: key_line(text, 1, "remediation").unwrap_or(rule.line),
                file: rule.file.clone(),
                code: "L008",
                message: format!(
                    "remediation of {} fails to render for a finding of its tests: {}",
                    rule.id,
                    template_error(&error)
                ),
            });
        }
    }
    problems
}

/// The render error of one printed finding, if any.
fn render_error(rule: &Rule, json: &str, files_only: bool) -> Option<String> {
    let printed: serde_json::Value = serde_json::from_str(json).ok()?;
    let finding = &printed["finding"];
    let raw = RawFinding {
        rule_id: rule.id.clone(),
        msg: finding["msg"].as_str().unwrap_or_default().to_string(),
        location: serde_json::from_value::<RawLocation>(finding["location"].clone()).ok(),
        subject: finding["subject"].as_str().map(str::to_string),
        severity: None,
        vars: finding
            .get("vars")
            .filter(|v| v.is_object())
            .and_then(|v| regorus::Value::from_json_str(&v.to_string()).ok())
            .unwrap_or_else(regorus::Value::new_object),
        fix: Vec::new(),
    };
    let input = serde_json::json!({
        "host": printed["host"],
        "go": {"env": printed["go_env"]},
    });
    crate::report::render_for_lint(rule, &raw, (!files_only).then_some(&input)).err()
}

/// `could not find function x` (interpreter) or `Unknown function: x` (compiler).
fn unknown_function(error: &str) -> Option<Problem> {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:could not find function|Unknown (?:builtin )?function:?)\s+([A-Za-z0-9_.]+)",
        )
        .expect("valid regex")
    });
    let name = NAME.captures(error)?[1].to_string();
    let caps = LOCATION.captures(error)?;
    Some(Problem {
        file: caps[1].to_string(),
        line: caps[2].parse().ok()?,
        code: "L010",
        message: format!(
            "unknown function {name}: not a regorus builtin and not defined in the pack"
        ),
    })
}

/// `policy error in FILE:LINE:COL: WHAT` → (FILE, LINE, `column COL: WHAT`).
fn syntax_place(message: &str) -> Option<(String, usize, String)> {
    static PLACE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^policy error in (.+?):(\d+):(\d+): (.*)$").expect("valid regex")
    });
    let caps = PLACE.captures(message)?;
    Some((
        caps[1].to_string(),
        caps[2].parse().ok()?,
        format!(
            "column {}: {}",
            &caps[3],
            caps[4].trim_start_matches("error:").trim()
        ),
    ))
}
