//! `envgate policies lint`: everything a pack must get right before it runs, reported
//! all at once as `path:line: CODE message` instead of stopping at the first problem
//! the way loading a pack does.
//!
//! Beyond reading the files, lint runs the pack's unit tests with every rule's `deny`
//! wrapped by a spy that prints each finding it returns (regorus has no hook to watch
//! a rule's value inside a test). Those are real findings for real test inputs, so a
//! rule no test makes fire is found, and every finding's remediation is rendered the
//! way a report renders it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::input_use::InputUse;
use super::metadata::{Annotations, read_header};
use super::{Manifest, Pack, PolicySource, Rule, Severity, is_pack_name, is_semver, rule_name};
use crate::error::Error;

mod spy;
mod vm_shapes;

/// Every problem code, its name and what it means (README "Policy tooling" lists them).
pub const CODES: &[(&str, &str, &str)] = &[
    (
        "L001",
        "pack",
        "manifest.yaml or data.json is invalid or incomplete",
    ),
    (
        "L002",
        "metadata-missing",
        "a rule's METADATA lacks a required key",
    ),
    (
        "L003",
        "metadata-invalid",
        "a METADATA block is not valid, or a value is not allowed",
    ),
    (
        "L004",
        "id-format",
        "a rule id is not an uppercase prefix and three digits",
    ),
    (
        "L005",
        "id-duplicate",
        "two rules share an id (across the linted and built-in packs)",
    ),
    (
        "L006",
        "since",
        "`since` is not semver or is newer than the pack version",
    ),
    (
        "L007",
        "remediation-syntax",
        "the remediation template does not parse",
    ),
    (
        "L008",
        "remediation-render",
        "the remediation fails to render for a finding of the rule's tests",
    ),
    (
        "L009",
        "never-fires",
        "no unit test makes the rule's `deny` return a finding",
    ),
    (
        "L010",
        "unknown-function",
        "the Rego calls a function that is neither a builtin nor defined",
    ),
    ("L011", "rego-syntax", "a Rego file does not parse"),
    (
        "L012",
        "vm-undefined-assign",
        "`x := expr` where expr may be undefined and x reaches no condition (stock regorus VM goes on)",
    ),
    (
        "L013",
        "vm-else-shape",
        "a loop, or a head value that may be undefined, in a body followed by `else`",
    ),
];

/// One problem, at a file and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub code: &'static str,
    pub message: String,
}

/// What `policies lint` found.
#[derive(Debug, Clone, Serialize)]
pub struct LintReport {
    pub packs: usize,
    pub rules: usize,
    /// Sorted by file, line, code.
    pub problems: Vec<Problem>,
}

impl LintReport {
    /// One line per problem, then the summary.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for p in &self.problems {
            out.push_str(&format!(
                "{}:{}: {} {}\n",
                p.file, p.line, p.code, p.message
            ));
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        out.push_str(&format!(
            "{}, {}: {}\n",
            plural(self.packs, "pack"),
            plural(self.rules, "rule"),
            match self.problems.len() {
                0 => "no problems".to_string(),
                n => plural(n, "problem"),
            }
        ));
        out
    }
}

/// The files of one pack as `(path inside pack, shown path, text)`.
struct PackFiles {
    origin: String,
    files: Vec<(String, String, String)>,
}

/// Lints the packs in `dirs` (each a pack or a directory of packs), or the built-in
/// packs when `dirs` is empty. Ids must also be unique against the built-in packs.
pub fn lint(dirs: &[PathBuf]) -> Result<LintReport, Error> {
    let sources = if dirs.is_empty() {
        builtin_files()
    } else {
        let mut sources = Vec::new();
        for dir in dirs {
            for pack_dir in super::pack_dirs(dir)? {
                sources.push(PackFiles {
                    origin: pack_dir.display().to_string(),
                    files: super::pack_dir_files(&pack_dir)?,
                });
            }
        }
        sources
    };
    let mut problems = Vec::new();
    let packs: Vec<Pack> = sources
        .into_iter()
        .map(|source| read_pack(source, &mut problems))
        .collect();
    let others = if dirs.is_empty() {
        Vec::new()
    } else {
        super::builtin_packs()?
    };
    duplicate_ids(&packs, &others, &mut problems);
    for pack in &packs {
        if let Some(builtin) = others.iter().find(|b| b.name == pack.name) {
            problems.push(Problem {
                file: manifest_path(pack),
                line: 1,
                code: "L001",
                message: format!(
                    "pack name `{}` is taken by the built-in pack ({}); envgate refuses to load both",
                    pack.name, builtin.title
                ),
            });
        }
        problems.extend(spy::run_pack(pack));
        problems.extend(vm_shapes::check(pack));
    }
    problems.sort();
    problems.dedup();
    Ok(LintReport {
        packs: packs.len(),
        rules: packs.iter().map(|p| p.rules.len()).sum(),
        problems,
    })
}

fn builtin_files() -> Vec<PackFiles> {
    let mut names: Vec<&str> = super::builtin::FILES
        .iter()
        .filter_map(|(path, _)| path.strip_suffix("/manifest.yaml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let prefix = format!("{name}/");
            let files = super::builtin::FILES
                .iter()
                .filter_map(|(path, text)| {
                    let rel = path.strip_prefix(&prefix)?;
                    Some((
                        rel.to_string(),
                        format!("policies/{path}"),
                        text.to_string(),
                    ))
                })
                .collect();
            PackFiles {
                origin: "builtin".into(),
                files,
            }
        })
        .collect()
}

fn manifest_path(pack: &Pack) -> String {
    match pack.origin.as_str() {
        "builtin" => format!("policies/{}/manifest.yaml", pack.name),
        dir => format!("{dir}/manifest.yaml"),
    }
}

/// Reads a pack leniently: every problem is recorded, and the pack is built from
/// whatever can be read so the tests can still run.
fn read_pack(source: PackFiles, problems: &mut Vec<Problem>) -> Pack {
    let mut pack = Pack {
        name: String::new(),
        version: String::new(),
        title: String::new(),
        description: String::new(),
        origin: source.origin,
        rules: Vec::new(),
        modules: Vec::new(),
        tests: Vec::new(),
        data: serde_json::Value::Object(Default::default()),
        input_use: InputUse::default(),
    };
    let mut problem = |file: &str, line: usize, code: &'static str, message: String| {
        problems.push(Problem {
            file: file.to_string(),
            line,
            code,
            message,
        })
    };
    if let Some((_, path, text)) = source
        .files
        .iter()
        .find(|(rel, _, _)| rel == "manifest.yaml")
    {
        match yaml_serde::from_str::<Manifest>(text) {
            Err(e) => problem(
                path,
                e.location().map_or(1, |l| l.line()),
                "L001",
                format!("invalid manifest: {e}"),
            ),
            Ok(manifest) => {
                let at = |key: &str| key_line(text, 1, key).unwrap_or(1);
                if !is_pack_name(&manifest.name) {
                    problem(
                        path,
                        at("name"),
                        "L001",
                        format!(
                            "pack name {:?} is not lowercase letters, digits and underscores",
                            manifest.name
                        ),
                    );
                }
                if !is_semver(&manifest.version) {
                    problem(
                        path,
                        at("version"),
                        "L001",
                        format!(
                            "pack version {:?} is not semver (MAJOR.MINOR.PATCH)",
                            manifest.version
                        ),
                    );
                }
                if manifest
                    .title
                    .as_deref()
                    .is_none_or(|t| t.trim().is_empty())
                {
                    problem(path, 1, "L001", "manifest has no title".into());
                }
                pack.name = manifest.name;
                pack.version = manifest.version;
                pack.title = manifest.title.unwrap_or_default();
            }
        }
    }
    if let Some((_, path, text)) = source.files.iter().find(|(rel, _, _)| rel == "data.json") {
        match serde_json::from_str(text) {
            Ok(data) => pack.data = data,
            Err(e) => problem(path, e.line(), "L001", format!("invalid data.json: {e}")),
        }
    }
    for (rel, path, text) in source.files {
        if !rel.ends_with(".rego") {
            continue;
        }
        let source = PolicySource {
            path,
            text: text.into(),
        };
        if rel.ends_with("_test.rego") {
            pack.tests.push(source);
            continue;
        }
        if let Some(rule) = read_rule(&pack, &source, &mut problem) {
            pack.rules.push(rule);
        }
        pack.modules.push(source);
    }
    pack.rules.sort_by(|a, b| a.id.cmp(&b.id));
    pack.input_use = InputUse::of(pack.modules.iter().map(|m| m.text.as_ref()));
    pack
}

static RULE_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][A-Z0-9]*[0-9]{3}$").expect("valid regex"));

/// The rule a file declares, with every METADATA problem recorded; `None` for a
/// library file (no METADATA) or a block without an id.
fn read_rule(
    pack: &Pack,
    source: &PolicySource,
    problem: &mut impl FnMut(&str, usize, &'static str, String),
) -> Option<Rule> {
    let file = source.path.as_str();
    let header = match read_header(&source.text) {
        Ok(header) => header?,
        Err(e) => {
            problem(file, e.line, "L003", e.message);
            return None;
        }
    };
    let (annotations, block) = header.annotations?;
    let at = |key: &str| key_line(&source.text, block, key).unwrap_or(block);
    let Annotations {
        title,
        description,
        custom,
        ..
    } = annotations;
    let Some(id) = custom.as_ref().and_then(|c| c.id.clone()) else {
        problem(
            file,
            block,
            "L002",
            "METADATA without custom.id: envgate reads this file as a library, not a rule".into(),
        );
        return None;
    };
    let custom = custom.expect("has an id");
    let missing: Vec<&str> = [
        ("title", title.is_none()),
        ("description", description.is_none()),
        ("custom.severity", custom.severity.is_none()),
        ("custom.since", custom.since.is_none()),
        ("custom.category", custom.category.is_none()),
        ("custom.remediation", custom.remediation.is_none()),
    ]
    .iter()
    .filter(|(_, absent)| *absent)
    .map(|(key, _)| *key)
    .collect();
    if !missing.is_empty() {
        problem(
            file,
            block,
            "L002",
            format!("rule {id} has no {} in its METADATA", missing.join(", ")),
        );
    }
    if !RULE_ID.is_match(&id) {
        problem(
            file,
            at("id"),
            "L004",
            format!("rule id {id:?} is not an uppercase prefix and three digits (GO013, K8S001)"),
        );
    }
    let severity = custom.severity.as_deref().map(|s| (s, Severity::parse(s)));
    if let Some((text, None)) = severity {
        problem(
            file,
            at("severity"),
            "L003",
            format!("rule {id} has severity {text:?}, not error, warning or info"),
        );
    }
    if let Some(since) = &custom.since {
        if !is_semver(since) {
            problem(
                file,
                at("since"),
                "L006",
                format!("rule {id} has since {since:?}, which is not semver (MAJOR.MINOR.PATCH)"),
            );
        } else if let (Some(s), Some(v)) = (
            super::diff::Version::parse(since),
            super::diff::Version::parse(&pack.version).filter(|_| is_semver(&pack.version)),
        ) && s > v
        {
            problem(
                file,
                at("since"),
                "L006",
                format!(
                    "rule {id} has since {since}, newer than the pack version {}",
                    pack.version
                ),
            );
        }
    }
    let prefix = format!("envgate.{}.", pack.name);
    let local = header.package.strip_prefix(&prefix);
    if local.is_none() {
        problem(
            file,
            header.package_line,
            "L003",
            format!(
                "rule {id} is in package {}, outside the pack's `{prefix}*`",
                header.package
            ),
        );
    }
    let remediation = custom.remediation.unwrap_or_default();
    if let Err(e) = tera::Tera::new().add_raw_template(&id, &remediation) {
        let message = template_error(&e.to_string());
        problem(
            file,
            at("remediation"),
            "L007",
            format!("remediation of {id} does not parse: {message}"),
        );
    }
    Some(Rule {
        name: rule_name(local.unwrap_or(&header.package), &id),
        pack: pack.name.clone(),
        title: title.unwrap_or_default(),
        description: description.unwrap_or_default(),
        severity: severity.and_then(|(_, s)| s).unwrap_or(Severity::Error),
        since: custom.since.unwrap_or_default(),
        category: custom.category.unwrap_or_default(),
        remediation,
        related: Vec::new(),
        live_only: custom.live_only.unwrap_or(false),
        systems: custom.systems.clone().unwrap_or_default(),
        requires: custom.requires.clone().unwrap_or_default(),
        per_file: custom.per_file.unwrap_or(false),
        // The loader rejects an unknown kind; the lint does not need the list.
        reads: None,
        never_reads: Vec::new(),
        opt_in: custom.opt_in.unwrap_or(false),
        autofix: custom.autofix.clone(),
        package: header.package,
        file: file.to_string(),
        line: header.package_line,
        id,
    })
}

/// The 1-based line of `key:` in the comment block starting at `from` (or, for a
/// manifest, anywhere at the start of a line).
fn key_line(text: &str, from: usize, key: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, line)| {
            line.trim_start_matches('#')
                .trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
        })
        .map(|(index, _)| index + 1)
}

fn duplicate_ids(packs: &[Pack], builtin: &[Pack], problems: &mut Vec<Problem>) {
    let linted: BTreeSet<&str> = packs.iter().map(|p| p.name.as_str()).collect();
    let mut seen: BTreeMap<&str, &Rule> = BTreeMap::new();
    for rule in builtin
        .iter()
        .filter(|p| !linted.contains(p.name.as_str()))
        .chain(packs)
        .flat_map(|p| &p.rules)
    {
        if let Some(first) = seen.get(rule.id.as_str()) {
            let text = packs
                .iter()
                .flat_map(|p| &p.modules)
                .find(|m| m.path == rule.file)
                .map_or("", |m| m.text.as_ref());
            problems.push(Problem {
                line: key_line(text, 1, "id").unwrap_or(rule.line),
                file: rule.file.clone(),
                code: "L005",
                message: format!(
                    "rule id {} is also used by {}:{}",
                    rule.id, first.file, first.line
                ),
            });
        } else {
            seen.insert(&rule.id, rule);
        }
    }
}

/// A tera error (`error: WHAT --> ID:LINE:COL` and a drawing of the line) as one line:
/// `WHAT (template line LINE, column COL)`.
fn template_error(text: &str) -> String {
    static AT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"-->\s*\S*?:(\d+):(\d+)").expect("valid regex"));
    let what = text.split("-->").next().unwrap_or(text);
    let what = what.split_whitespace().collect::<Vec<_>>().join(" ");
    let what = what.trim_start_matches("error:").trim();
    match AT.captures(text) {
        Some(caps) => format!("{what} (template line {}, column {})", &caps[1], &caps[2]),
        None => what.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use spy::with_spy;

    #[test]
    fn the_spy_keeps_line_numbers_and_renames_only_rule_heads() {
        let rule = "package p\n\ndeny contains f if {\n\tf := \"deny\"\n}\n";
        let spied = with_spy(rule);
        assert!(spied.starts_with(
            "package p\n\nenvgate_lint_spied_deny contains f if {\n\tf := \"deny\"\n}\n"
        ));
        assert!(spied.contains("deny contains envgate_lint_f if {"));
    }

    #[test]
    fn tera_errors_become_one_line() {
        let text = "error: Unexpected end of input\n --> R1:1:29\n  |\n1 | x {{ y\n  | ^";
        assert_eq!(
            template_error(text),
            "Unexpected end of input (template line 1, column 29)"
        );
    }

    #[test]
    fn every_code_is_listed_once() {
        let codes: BTreeSet<&str> = CODES.iter().map(|(code, _, _)| *code).collect();
        assert_eq!(codes.len(), CODES.len());
    }
}
