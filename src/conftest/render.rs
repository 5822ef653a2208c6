//! conftest's output formats, byte for byte: `stdout` (with aurora's colours unless
//! `--no-color`), `json` (Go's encoding: tab indents, `<>&` escaped), `tap`, `table`
//! and `github`. Results arrive sorted (namespace, then file; messages within a
//! file); text from policies and checked files has control characters escaped.

use std::fmt::Write;

use super::check::{CheckResult, Outcome};
use crate::escape;

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const BLUE: &str = "\x1b[34m";
const CYAN: &str = "\x1b[36m";
const GREEN: &str = "\x1b[32m";
const RESET: &str = "\x1b[0m";

/// How the `stdout` format is drawn.
#[derive(Debug, Clone, Copy, Default)]
pub struct StdoutOptions {
    pub no_color: bool,
    pub suppress_exceptions: bool,
    /// `verify`: `, N skipped` in the summary.
    pub show_skipped: bool,
}

fn paint(text: &str, color: &str, options: StdoutOptions) -> String {
    if options.no_color {
        text.to_string()
    } else {
        format!("{color}{text}{RESET}")
    }
}

fn indicator(file: &str) -> String {
    if file == "-" {
        "-".into()
    } else {
        format!("- {}", escape::line(file))
    }
}

fn namespace_part(namespace: &str) -> String {
    if namespace == "-" {
        "-".into()
    } else {
        format!("- {} -", escape::line(namespace))
    }
}

/// Totals over results: tests, passed, warnings, failures, exceptions, skipped.
pub fn totals(results: &[CheckResult]) -> [usize; 6] {
    let mut t = [0; 6];
    for r in results {
        t[1] += r.successes;
        t[2] += r.warnings.len();
        t[3] += r.failures.len();
        t[4] += r.exceptions.len();
        t[5] += r.skipped.len();
    }
    t[0] = t[1] + t[2] + t[3] + t[4] + t[5];
    t
}

/// The summary line: `N tests, P passed, W warnings, F failures, E exceptions`.
pub fn summary(results: &[CheckResult], show_skipped: bool) -> String {
    let [tests, passed, warnings, failures, exceptions, skipped] = totals(results);
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let mut text = format!(
        "{tests} test{}, {passed} passed, {warnings} warning{}, {failures} failure{}, {exceptions} exception{}",
        s(tests),
        s(warnings),
        s(failures),
        s(exceptions)
    );
    if show_skipped {
        let _ = write!(text, ", {skipped} skipped");
    }
    text
}

/// conftest's `stdout` format.
pub fn stdout(results: &[CheckResult], options: StdoutOptions) -> String {
    let mut out = String::new();
    for result in results {
        for print in &result.prints {
            let _ = writeln!(
                out,
                "{}  {}\n",
                paint("PRNT ", BLUE, options),
                escape::line(print)
            );
        }
    }
    for result in results {
        let file = indicator(&result.file);
        let ns = namespace_part(&result.namespace);
        let mut line = |tag: &str, color: &str, o: &Outcome| {
            let _ = writeln!(
                out,
                "{} {file} {ns} {}",
                paint(tag, color, options),
                escape::line(&o.message)
            );
        };
        for o in &result.warnings {
            line("WARN", YELLOW, o);
        }
        for o in &result.failures {
            line("FAIL", RED, o);
        }
        if !options.suppress_exceptions {
            for o in &result.exceptions {
                line("EXCP", CYAN, o);
            }
        }
    }
    let [_, _, warnings, failures, exceptions, _] = totals(results);
    let color = if failures > 0 {
        RED
    } else if warnings > 0 {
        YELLOW
    } else if exceptions > 0 {
        CYAN
    } else {
        GREEN
    };
    out.push('\n');
    out.push_str(&paint(
        &summary(results, options.show_skipped),
        color,
        options,
    ));
    out.push('\n');
    out
}

/// conftest's `json` format.
pub fn json(results: &[CheckResult]) -> String {
    let items: Vec<Json> = results.iter().map(json_result).collect();
    let mut out = String::new();
    write_json(&mut out, &Json::Array(items), 0);
    out.push('\n');
    out
}

/// A JSON value whose objects keep the order Go's structs give their fields.
pub enum Json {
    Object(Vec<(String, Json)>),
    Array(Vec<Json>),
    Value(serde_json::Value),
}

fn json_result(result: &CheckResult) -> Json {
    let file = if result.file == "-" {
        ""
    } else {
        result.file.as_str()
    };
    let mut fields = vec![
        ("filename".to_string(), Json::Value(file.into())),
        (
            "namespace".to_string(),
            Json::Value(result.namespace.clone().into()),
        ),
        (
            "successes".to_string(),
            Json::Value(result.successes.into()),
        ),
    ];
    for (key, list, with_metadata) in [
        ("skipped", &result.skipped, false),
        ("warnings", &result.warnings, true),
        ("failures", &result.failures, true),
        ("exceptions", &result.exceptions, false),
    ] {
        if list.is_empty() {
            continue;
        }
        let items = list
            .iter()
            .map(|o| {
                let mut item = vec![("msg".to_string(), Json::Value(o.message.clone().into()))];
                if let Some(loc) = &o.author_location {
                    let mut l = Vec::new();
                    if !loc.file.is_empty() {
                        l.push(("file".to_string(), Json::Value(loc.file.clone().into())));
                    }
                    if loc.line.is_number() {
                        l.push(("line".to_string(), Json::Value(loc.line.clone())));
                    }
                    item.push(("loc".to_string(), Json::Object(l)));
                }
                if with_metadata && !o.metadata.is_empty() {
                    // Go marshals map keys sorted, as serde_json's map is.
                    item.push((
                        "metadata".to_string(),
                        Json::Value(o.metadata.clone().into()),
                    ));
                }
                Json::Object(item)
            })
            .collect();
        fields.push((key.to_string(), Json::Array(items)));
    }
    Json::Object(fields)
}

/// Go's `json.Marshal` + `json.Indent(…, "", "\t")`: `<`, `>`, `&`, U+2028 and U+2029
/// escaped in strings.
pub fn write_json(out: &mut String, value: &Json, depth: usize) {
    let indent = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push('\t');
        }
    };
    match value {
        Json::Object(fields) if fields.is_empty() => out.push_str("{}"),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Object(fields) => {
            out.push('{');
            for (i, (key, value)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                out.push_str(&go_string(key));
                out.push_str(": ");
                write_json(out, value, depth + 1);
            }
            indent(out, depth);
            out.push('}');
        }
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write_json(out, item, depth + 1);
            }
            indent(out, depth);
            out.push(']');
        }
        Json::Value(serde_json::Value::Object(map)) => {
            let fields = map
                .iter()
                .map(|(k, v)| (k.clone(), Json::Value(v.clone())))
                .collect();
            write_json(out, &Json::Object(fields), depth);
        }
        Json::Value(serde_json::Value::Array(items)) => {
            let items = items.iter().map(|v| Json::Value(v.clone())).collect();
            write_json(out, &Json::Array(items), depth);
        }
        Json::Value(serde_json::Value::String(s)) => out.push_str(&go_string(s)),
        Json::Value(other) => out.push_str(&other.to_string()),
    }
}

fn go_string(s: &str) -> String {
    serde_json::Value::String(s.to_string())
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// conftest's `tap` format (which stops at the first result with no tests, as
/// conftest does).
pub fn tap(results: &[CheckResult]) -> String {
    let mut out = String::new();
    for result in results {
        let file = indicator(&result.file);
        let ns = namespace_part(&result.namespace);
        let total = result.successes
            + result.failures.len()
            + result.warnings.len()
            + result.exceptions.len()
            + result.skipped.len();
        if total == 0 {
            return out;
        }
        let _ = writeln!(out, "1..{total}");
        let mut counter = 1;
        let mut line = |out: &mut String, status: &str, message: &str| {
            let _ = writeln!(
                out,
                "{status} {counter} {file} {ns} {}",
                escape::line(message)
            );
            counter += 1;
        };
        for o in &result.failures {
            line(&mut out, "not ok", &o.message);
        }
        if !result.warnings.is_empty() {
            out.push_str("# warnings\n");
            for o in &result.warnings {
                line(&mut out, "not ok", &o.message);
            }
        }
        if !result.exceptions.is_empty() {
            out.push_str("# exceptions\n");
            for o in &result.exceptions {
                line(&mut out, "ok", &o.message);
            }
        }
        if !result.skipped.is_empty() {
            out.push_str("# skip\n");
            for o in &result.skipped {
                line(&mut out, "ok", &o.message);
            }
        }
        if result.successes > 0 {
            out.push_str("# successes\n");
            for _ in 0..result.successes {
                line(&mut out, "ok", "SUCCESS");
            }
        }
    }
    out
}

/// conftest's `table` format (tablewriter's default box drawing).
pub fn table(results: &[CheckResult]) -> String {
    let mut rows: Vec<[String; 4]> = Vec::new();
    for r in results {
        let file = escape::line(&r.file).into_owned();
        let ns = escape::line(&r.namespace).into_owned();
        for _ in 0..r.successes {
            rows.push(["success".into(), file.clone(), ns.clone(), "SUCCESS".into()]);
        }
        for (kind, list) in [
            ("exception", &r.exceptions),
            ("warning", &r.warnings),
            ("failure", &r.failures),
        ] {
            for o in list {
                rows.push([
                    kind.into(),
                    file.clone(),
                    ns.clone(),
                    escape::line(&o.message).into_owned(),
                ]);
            }
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    let header = ["RESULT", "FILE", "NAMESPACE", "MESSAGE"];
    let width = |s: &str| s.chars().map(escape::shown_width).sum::<usize>();
    let mut widths = header.map(width);
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(width(cell));
        }
    }
    let rule = |left: &str, mid: &str, right: &str| {
        let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        format!("{left}{}{right}\n", parts.join(mid))
    };
    let mut out = rule("┌", "┬", "┐");
    out.push('│');
    for (i, h) in header.iter().enumerate() {
        let space = widths[i] - width(h);
        let left = space / 2;
        let _ = write!(
            out,
            " {}{h}{} │",
            " ".repeat(left),
            " ".repeat(space - left)
        );
    }
    out.push('\n');
    out.push_str(&rule("├", "┼", "┤"));
    for row in &rows {
        out.push('│');
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(out, " {cell}{} │", " ".repeat(widths[i] - width(cell)));
        }
        out.push('\n');
    }
    out.push_str(&rule("└", "┴", "┘"));
    out
}

/// conftest's `github` format: a group per result, an annotation per result (at the
/// `_loc` when the author gave one; envgate also uses the line of the value a result
/// names), then the summary line.
pub fn github(results: &[CheckResult]) -> String {
    let mut out = String::new();
    let prop = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
            .replace(':', "%3A")
            .replace(',', "%2C")
    };
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    for r in results {
        let total = r.successes + r.failures.len() + r.warnings.len() + r.exceptions.len();
        let _ = writeln!(
            out,
            "::group::Testing {:?} against {total} policies in namespace {:?}",
            r.file, r.namespace
        );
        let mut annotate = |level: &str, o: &Outcome| {
            let message = escape::line(&o.message);
            let line = o.position.map_or(1, |p| p[0]);
            match &o.author_location {
                Some(loc) if !loc.file.is_empty() || loc.line.is_number() => {
                    let loc_file = if loc.file.is_empty() {
                        r.file.as_str()
                    } else {
                        loc.file.as_str()
                    };
                    let loc_line = loc.line.as_u64().unwrap_or(1);
                    let _ = writeln!(
                        out,
                        "::{level} file={},line={loc_line}::{}",
                        prop(loc_file),
                        data(&message)
                    );
                    if loc_file != r.file {
                        let _ = writeln!(
                            out,
                            "::{level} file={},line={line}::{}",
                            prop(&r.file),
                            data(&format!(
                                "(ORIGINATING FROM {loc_file} L{loc_line}) {message}"
                            ))
                        );
                    }
                }
                _ => {
                    let _ = writeln!(
                        out,
                        "::{level} file={},line={line}::{}",
                        prop(&r.file),
                        data(&message)
                    );
                }
            }
        };
        for o in &r.failures {
            annotate("error", o);
        }
        for o in &r.warnings {
            annotate("warning", o);
        }
        for o in &r.exceptions {
            annotate("notice", o);
        }
        if r.successes > 0 {
            let _ = writeln!(
                out,
                "::notice file={},line=1::Number of successful checks: {}",
                prop(&r.file),
                r.successes
            );
        }
        out.push_str("::endgroup::\n");
    }
    out.push_str(&summary(results, false));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(failures: &[&str], successes: usize) -> CheckResult {
        CheckResult {
            file: "d.yaml".into(),
            namespace: "main".into(),
            successes,
            failures: failures
                .iter()
                .map(|m| Outcome {
                    message: m.to_string(),
                    rule: "deny".into(),
                    title: None,
                    rule_file: "p.rego".into(),
                    rule_line: 3,
                    metadata: serde_json::Map::new(),
                    author_location: None,
                    position: None,
                })
                .collect(),
            ..CheckResult::default()
        }
    }

    #[test]
    fn stdout_lines_and_plurals() {
        let options = StdoutOptions {
            no_color: true,
            ..Default::default()
        };
        assert_eq!(
            stdout(&[result(&["bad"], 0)], options),
            "FAIL - d.yaml - main - bad\n\n1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions\n"
        );
        assert_eq!(
            stdout(&[result(&[], 2)], StdoutOptions::default()),
            "\n\x1b[32m2 tests, 2 passed, 0 warnings, 0 failures, 0 exceptions\x1b[0m\n"
        );
    }

    #[test]
    fn table_centres_the_header() {
        let text = table(&[result(&["bad <web> & ok"], 1)]);
        assert!(
            text.contains("│ RESULT  │  FILE  │ NAMESPACE │    MESSAGE     │"),
            "{text}"
        );
        assert!(
            text.contains("│ failure │ d.yaml │ main      │ bad <web> & ok │"),
            "{text}"
        );
    }

    #[test]
    fn json_escapes_like_go() {
        let mut out = String::new();
        write_json(
            &mut out,
            &Json::Value(serde_json::json!({"a": "<&>", "b": []})),
            0,
        );
        assert_eq!(
            out,
            "{\n\t\"a\": \"\\u003c\\u0026\\u003e\",\n\t\"b\": []\n}"
        );
    }
}
