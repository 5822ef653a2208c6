//! conftest policy directories listed in `.envgate.yaml` (`conftest:`), judged by
//! `envgate check` beside the built-in and user packs, so one gate runs both. The same
//! engine, parsers and counting as `envgate test` judge the checked files; each result
//! becomes a finding of the report (a `deny`/`violation` result an error, a `warn`
//! result a warning) under the rule's id `<namespace>.<rule>`, at the line of the value
//! it names when it names one (`path`, `location.path`, `_loc`), else at the file.
//! Waivers and severity overrides of the configuration apply to these ids as to any.
//!
//! Never fail open: a checked file that conftest's parsers cannot read is an error
//! finding of its own (`CONFTEST000`), since the team's rules judged nothing in it.

use std::collections::BTreeMap;
use std::path::Path;

use super::check::{Judge, Outcome};
use super::inputs;
use super::policy;
use super::settings::{RegoVersion, Settings};
use crate::config::{ConftestPolicies, RegoSyntax};
use crate::error::Error;
use crate::policy::Severity;
use crate::report::{Finding, Location, Report, RuleOutcome, RuleStatus};

/// The id of the finding for a checked file the conftest policies could not read.
pub const UNREAD_ID: &str = "CONFTEST000";

/// A file the check judged: the name the report shows and the path to read again
/// (`None`: standard input or a pipe, which cannot be read twice).
pub struct CheckedFile {
    pub shown: String,
    pub path: Option<String>,
}

/// The conftest settings of one `conftest:` entry; paths relative to `config_dir`.
fn settings(entry: &ConftestPolicies, config_dir: &Path) -> Settings {
    let under = |p: &String| config_dir.join(p).to_string_lossy().into_owned();
    Settings {
        policy: entry.policy.iter().map(under).collect(),
        namespace: entry.namespace.clone(),
        all_namespaces: entry.all_namespaces,
        combine: false,
        data: entry.data.iter().map(under).collect(),
        parser: None,
        output: "stdout".into(),
        fail_on_warn: false,
        no_fail: false,
        quiet: false,
        no_color: true,
        suppress_exceptions: false,
        ignore: None,
        strict: false,
        rego_version: match entry.rego_version {
            Some(RegoSyntax::V0) => RegoVersion::V0,
            _ => RegoVersion::V1,
        },
        capabilities: None,
        show_builtin_errors: false,
        trace: false,
        stdin_filename: None,
        distinct_exit_codes: false,
        report: None,
        junit_hide_message: false,
    }
}

/// The `pack` of an entry's findings: `conftest:<first policy path>`.
fn pack_name(entry: &ConftestPolicies) -> String {
    format!(
        "conftest:{}",
        entry.policy.first().map(String::as_str).unwrap_or("policy")
    )
}

/// Judges `files` with every entry and adds the results to `report`: findings, one
/// rule outcome per rule queried, and the summary counted again.
pub fn judge_into(
    report: &mut Report,
    entries: &[ConftestPolicies],
    config_dir: &Path,
    files: &[CheckedFile],
) -> Result<(), Error> {
    // Only the files conftest has a parser for (a go.mod or .tool-versions is not
    // conftest's to judge).
    let readable: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|f| Some((f.path.as_deref()?, f.shown.as_str())))
        .filter(|(path, _)| super::formats::Format::by_name(path).is_some())
        .collect();
    let shown: BTreeMap<&str, &str> = readable.iter().copied().collect();
    let paths: Vec<String> = readable.iter().map(|(p, _)| p.to_string()).collect();
    let streams: Vec<&str> = files
        .iter()
        .filter(|f| f.path.is_none())
        .map(|f| f.shown.as_str())
        .collect();
    for entry in entries {
        let settings = settings(entry, config_dir);
        let policies = policy::load(&settings)?;
        let namespaces =
            policies.select_namespaces(&settings.namespace, settings.all_namespaces)?;
        let judge = Judge {
            policies: &policies,
            namespaces: namespaces
                .iter()
                .map(|ns| (ns.clone(), policies.namespace_rules(ns)))
                .collect(),
            cwd: config_dir,
        };
        let read = inputs::read_all(&paths, None, &mut std::io::empty());
        let configurations: Vec<&inputs::Configuration> = read.configurations.values().collect();
        let results = if configurations.is_empty() {
            Vec::new()
        } else {
            judge.check_all(&configurations)?
        };
        let pack = pack_name(entry);
        let name_of = |path: &str| shown.get(path).copied().unwrap_or(path).to_string();
        let mut failed = std::collections::BTreeSet::new();
        for result in &results {
            let text = read
                .configurations
                .get(&result.file)
                .map(|c| c.text.as_str());
            for (outcomes, severity) in [
                (&result.failures, Severity::Error),
                (&result.warnings, Severity::Warning),
            ] {
                for o in outcomes {
                    let id = format!("{}.{}", result.namespace, o.rule);
                    failed.insert(id.clone());
                    report.findings.push(Box::new(finding(
                        &id,
                        &pack,
                        severity,
                        o,
                        &name_of(&result.file),
                        text,
                        config_dir,
                    )));
                }
            }
        }
        let mut errors = read.errors.clone();
        errors.extend(streams.iter().map(|name| inputs::InputError {
            path: name.to_string(),
            message: "read from a stream, which cannot be read a second time; judge it with `envgate test`".into(),
            at: None,
        }));
        for error in &errors {
            failed.insert(UNREAD_ID.to_string());
            report
                .findings
                .push(Box::new(unread(&pack, &name_of(&error.path), error)));
        }
        for (namespace, rules) in &judge.namespaces {
            for rule in &rules.rules {
                let id = format!("{namespace}.{}", rule.name);
                let severity = match rule.kind {
                    policy::RuleKind::Failure => Severity::Error,
                    policy::RuleKind::Warning => Severity::Warning,
                };
                push_rule(report, &id, &pack, severity, failed.contains(&id));
            }
        }
        if !errors.is_empty() {
            push_rule(report, UNREAD_ID, &pack, Severity::Error, true);
        }
    }
    recount(report);
    Ok(())
}

fn push_rule(report: &mut Report, id: &str, pack: &str, severity: Severity, failed: bool) {
    if report.rules.iter().any(|r| r.id == id && r.pack == pack) {
        return;
    }
    report.rules.push(RuleOutcome {
        id: id.to_string(),
        pack: pack.to_string(),
        category: "conftest".into(),
        severity,
        status: if failed {
            RuleStatus::Failed
        } else {
            RuleStatus::Passed
        },
    });
}

/// The line of `text` at `line` (1-based), secrets redacted.
fn line_text(text: Option<&str>, line: usize) -> Option<String> {
    let text = text?;
    text.lines()
        .nth(line.checked_sub(1)?)
        .map(crate::redact::redact_line)
}

fn finding(
    id: &str,
    pack: &str,
    severity: Severity,
    o: &Outcome,
    file: &str,
    text: Option<&str>,
    config_dir: &Path,
) -> Finding {
    // The rule's file as the configuration names it (relative to its directory).
    let rule_file = Path::new(&o.rule_file)
        .strip_prefix(config_dir)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| o.rule_file.clone());
    // The value the result names, else the author's `_loc` when it is this file.
    let at = o.position.or_else(|| {
        let loc = o.author_location.as_ref()?;
        let line = loc.line.as_u64()? as usize;
        (line > 0).then_some([line, 0])
    });
    let location = match at {
        Some([line, column]) => {
            let snippet = line_text(text, line);
            Location::with_snippet(
                file.to_string(),
                Some(line),
                (column > 0).then_some(column),
                snippet.as_deref(),
            )
        }
        None => Location::with_snippet(file.to_string(), None, None, None),
    };
    let mut evidence = serde_json::Map::new();
    evidence.insert("rule".into(), o.rule.clone().into());
    evidence.insert(
        "defined_at".into(),
        format!("{rule_file}:{}", o.rule_line).into(),
    );
    Finding {
        id: id.into(),
        name: o.rule.as_str().into(),
        pack: pack.into(),
        severity,
        category: "conftest".into(),
        title: o.title.as_deref().unwrap_or(&o.rule).into(),
        message: crate::redact::redact_line(&o.message),
        location: Some(location),
        subject: None,
        remediation: format!(
            "See the rule {} ({rule_file}:{}) of your conftest policies.",
            o.rule, o.rule_line
        ),
        evidence: evidence.into(),
        waiver: None,
        fix: Vec::new(),
    }
}

fn unread(pack: &str, file: &str, error: &inputs::InputError) -> Finding {
    let location = match error.at {
        Some([line, column]) => {
            Location::with_snippet(file.to_string(), Some(line), Some(column), None)
        }
        None => Location::with_snippet(file.to_string(), None, None, None),
    };
    Finding {
        id: UNREAD_ID.into(),
        name: "unread".into(),
        pack: pack.into(),
        severity: Severity::Error,
        category: "conftest".into(),
        title: "File the conftest policies could not read".into(),
        message: format!(
            "the conftest policies judged nothing in this file: {}",
            crate::redact::redact_line(&error.message)
        ),
        location: Some(location),
        subject: None,
        remediation: "Fix the file so that it parses, or exclude it (`exclude:` in .envgate.yaml)."
            .into(),
        evidence: Default::default(),
        waiver: None,
        fix: Vec::new(),
    }
}

/// The summary and orders after findings and rules were added.
fn recount(report: &mut Report) {
    crate::report::sort_findings(&mut report.findings);
    report.rules.sort_by(|a, b| a.id.cmp(&b.id));
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let with = |status| report.rules.iter().filter(|r| r.status == status).count();
    let summary = &mut report.summary;
    summary.errors = count(Severity::Error);
    summary.warnings = count(Severity::Warning);
    summary.infos = count(Severity::Info);
    summary.rules_passed = with(RuleStatus::Passed);
    summary.rules_failed = with(RuleStatus::Failed);
    summary.rules_not_applicable = with(RuleStatus::NotApplicable);
    summary.rules_run = summary.rules_passed + summary.rules_failed;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_is_named_by_its_first_policy_path() {
        let entry = ConftestPolicies {
            policy: vec!["policy/k8s".into(), "more".into()],
            namespace: vec!["main".into()],
            all_namespaces: false,
            data: Vec::new(),
            rego_version: None,
        };
        assert_eq!(pack_name(&entry), "conftest:policy/k8s");
        let s = settings(&entry, Path::new("/repo"));
        assert_eq!(s.policy, ["/repo/policy/k8s", "/repo/more"]);
        assert_eq!(s.rego_version, RegoVersion::V1);
    }

    #[test]
    fn line_text_redacts() {
        let text = "a: 1\npassword: hunter2\n";
        assert_eq!(line_text(Some(text), 1).as_deref(), Some("a: 1"));
        assert!(!line_text(Some(text), 2).unwrap().contains("hunter2"));
        assert_eq!(line_text(Some(text), 9), None);
        assert_eq!(line_text(Some(text), 0), None);
    }
}
