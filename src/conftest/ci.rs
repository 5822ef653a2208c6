//! `-o junit` and `-o sarif` for `envgate test`, with what conftest's lack: the rule
//! behind each result (`main.deny_latest_tag`, its METADATA title, where it is
//! defined) and the line of the value a result names.
//!
//! JUnit keeps conftest's layout (a suite per namespace, `conftest.<namespace>`, a test
//! case per result named `<file> - <message>`) and puts the rule in the failure's
//! `type`. SARIF 2.1.0 lists every rule queried and one result per failure, warning
//! and exception, at the result's line (its `path`, its `_loc` in the same file, else
//! line 1).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::json;

use super::check::{CheckResult, Outcome};

/// Go's `xml.EscapeText`.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c if crate::escape::is_escaped(c) => crate::escape::push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// The rule's identity: `namespace.rule`.
fn rule_id(namespace: &str, o: &Outcome) -> String {
    format!("{namespace}.{}", o.rule)
}

/// The line a result is at in its file.
fn line_of(file: &str, o: &Outcome) -> usize {
    if let Some([line, _]) = o.position {
        return line;
    }
    match &o.author_location {
        Some(loc) if loc.file.is_empty() || loc.file == file => {
            loc.line.as_u64().map_or(1, |l| l.max(1) as usize)
        }
        _ => 1,
    }
}

pub fn junit(results: &[CheckResult], hide_message: bool) -> String {
    let mut suites: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut failures: BTreeMap<&str, usize> = BTreeMap::new();
    for r in results {
        let name = |message: &str| {
            let first = message.lines().next().unwrap_or("");
            if hide_message || message.is_empty() {
                r.file.clone()
            } else {
                format!("{} - {first}", r.file)
            }
        };
        let suite = suites.entry(&r.namespace).or_default();
        for o in r.warnings.iter().chain(&r.failures) {
            *failures.entry(&r.namespace).or_default() += 1;
            suite.push(format!(
                "\t\t<testcase classname=\"conftest.{ns}\" name=\"{name}\" time=\"0.000\">\n\t\t\t<failure message=\"Failed\" type=\"{rule}\">{body}</failure>\n\t\t</testcase>\n",
                ns = xml(&r.namespace),
                name = xml(&name(&o.message)),
                rule = xml(&rule_id(&r.namespace, o)),
                body = xml(&format!("{} ({}:{})", o.message, r.file, line_of(&r.file, o))),
            ));
        }
        for _ in 0..r.successes {
            suite.push(format!(
                "\t\t<testcase classname=\"conftest.{ns}\" name=\"{name}\" time=\"0.000\"></testcase>\n",
                ns = xml(&r.namespace),
                name = xml(&r.file),
            ));
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for (ns, cases) in &suites {
        let _ = writeln!(
            out,
            "\t<testsuite tests=\"{}\" failures=\"{}\" time=\"0.000\" name=\"conftest.{}\">",
            cases.len(),
            failures.get(ns).copied().unwrap_or(0),
            xml(ns)
        );
        let _ = writeln!(
            out,
            "\t\t<properties>\n\t\t\t<property name=\"envgate.version\" value=\"{}\"></property>\n\t\t</properties>",
            env!("CARGO_PKG_VERSION")
        );
        for case in cases {
            out.push_str(case);
        }
        out.push_str("\t</testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

pub fn sarif(results: &[CheckResult]) -> String {
    // Every rule that produced a result, by id, with its title and definition.
    let mut rules: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for r in results {
        for o in r.failures.iter().chain(&r.warnings).chain(&r.exceptions) {
            let id = rule_id(&r.namespace, o);
            rules.entry(id.clone()).or_insert_with(|| {
                let mut rule = json!({
                    "id": id,
                    "name": o.rule,
                    "shortDescription": {"text": o.title.clone().unwrap_or_else(|| format!("{} in {}", o.rule, r.namespace))},
                    "properties": {"namespace": r.namespace, "definedAt": format!("{}:{}", o.rule_file, o.rule_line)},
                });
                if o.title.is_some() {
                    rule["fullDescription"] = json!({"text": o.title});
                }
                rule
            });
        }
    }
    let index: BTreeMap<&String, usize> = rules.keys().enumerate().map(|(i, k)| (k, i)).collect();
    let mut items = Vec::new();
    for r in results {
        for (level, kind, list) in [
            ("error", "fail", &r.failures),
            ("warning", "warn", &r.warnings),
            ("note", "exception", &r.exceptions),
        ] {
            for o in list {
                let id = rule_id(&r.namespace, o);
                let mut region = json!({"startLine": line_of(&r.file, o)});
                if let Some([_, column]) = o.position {
                    region["startColumn"] = json!(column);
                }
                let mut result = json!({
                    "ruleId": id,
                    "ruleIndex": index.get(&id).copied().unwrap_or(0),
                    "level": level,
                    "kind": if kind == "exception" { "pass" } else { "fail" },
                    "message": {"text": crate::escape::line(&o.message)},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": r.file},
                        "region": region,
                    }}],
                });
                if kind == "exception" {
                    result["suppressions"] =
                        json!([{"kind": "inSource", "justification": o.message}]);
                }
                items.push(result);
            }
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "envgate",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/open-policy-agent/conftest",
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "results": items,
        }],
    });
    serde_json::to_string_pretty(&log).expect("SARIF serializes") + "\n"
}
