//! Line edits (append, delete, replace) and the `go env -w` file, applied to a file's
//! text as one coherent change: deletes and replaces are placed by the snapshot's line
//! numbers all at once, so no edit shifts another's line.

use std::collections::BTreeMap;

use super::edit::{Edit, Op};
use crate::redact::redact_line;

/// The lines of `text` with their endings, so unchanged lines are written back as
/// they were (CRLF included).
fn split(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn content(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

/// A line still reads what the snapshot saw: the same text, or the same text once
/// redacted (the snapshot never holds the secret itself). Rules know assignments by
/// name and value, so `NAME=value` also matches `export NAME="value"`.
fn still_reads(actual: &str, expect: &str) -> bool {
    let actual = content(actual);
    let redacted = redact_line(actual);
    [actual, redacted.as_str()]
        .iter()
        .any(|a| *a == expect || assignment(a).is_some_and(|a| Some(a) == assignment(expect)))
}

/// `NAME=value` of a shell or environment.d assignment line, or of fish's
/// `set -gx NAME value`: `export ` (fish: `set` and its flags) and one pair of
/// matching quotes around the value dropped.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("set ") {
        return fish_set(rest);
    }
    let line = line.strip_prefix("export ").map_or(line, str::trim_start);
    let (name, value) = line.split_once('=')?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|q| value.strip_prefix(*q)?.strip_suffix(*q))
        .unwrap_or(value);
    Some((name, unquoted))
}

/// `NAME value` after fish's `set` and its flags (`-gx`, `--global --export`): the
/// value is the rest of the line, one pair of matching quotes dropped.
fn fish_set(rest: &str) -> Option<(&str, &str)> {
    let mut rest = rest.trim_start();
    while rest.starts_with('-') {
        let end = rest.find(char::is_whitespace)?;
        rest = rest[end..].trim_start();
    }
    let (name, value) = rest.split_once(char::is_whitespace)?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let value = value.trim();
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|q| value.strip_prefix(*q)?.strip_suffix(*q))
        .unwrap_or(value);
    Some((name, unquoted))
}

/// Words of a line, whitespace aside: `export  PATH="x"` is `export PATH="x"`.
fn equivalent(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Applies the delete, replace and append edits among `edits` to `text`.
pub(super) fn apply_line_edits(text: &str, edits: &[&Edit]) -> Result<String, String> {
    let lines = split(text);
    // Line number → what becomes of it (None: deleted).
    let mut changes: BTreeMap<usize, Option<String>> = BTreeMap::new();
    let mut appends: Vec<&str> = Vec::new();
    for edit in edits {
        let (line, expect, becomes) = match &edit.op {
            Op::DeleteLine { line, expect } => (*line, expect, None),
            Op::ReplaceLine { line, expect, with } => (*line, expect, Some(with.clone())),
            Op::AppendLine { text } => {
                if !appends.iter().any(|a| equivalent(a, text)) {
                    appends.push(text);
                }
                continue;
            }
            _ => continue,
        };
        let Some(actual) = lines.get(line - 1) else {
            return Err(format!(
                "the file changed since it was checked: it has no line {line} now"
            ));
        };
        if !still_reads(actual, expect) {
            return Err(format!(
                "the file changed since it was checked: line {line} was `{expect}`, it is now `{}`",
                redact_line(content(actual))
            ));
        }
        match changes.get(&line) {
            Some(planned) if *planned != becomes => {
                return Err(format!(
                    "two fixes change line {line} differently ({}; {}): fix one finding by hand first",
                    describe(planned),
                    describe(&becomes)
                ));
            }
            _ => {
                changes.insert(line, becomes);
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        match changes.get(&(i + 1)) {
            None => out.push_str(line),
            Some(None) => {}
            Some(Some(with)) => {
                // The line's indentation stays (an assignment inside an `if` block).
                let body = content(line);
                if !with.starts_with([' ', '\t']) {
                    out.push_str(&body[..body.len() - body.trim_start().len()]);
                }
                out.push_str(with);
                out.push_str(&line[content(line).len()..]);
            }
        }
    }
    for text in appends {
        if split(&out).iter().any(|l| equivalent(content(l), text)) {
            continue;
        }
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(text);
        out.push('\n');
    }
    Ok(out)
}

fn describe(change: &Option<String>) -> String {
    match change {
        None => "delete it".into(),
        Some(with) => format!("make it `{}`", redact_line(with)),
    }
}

/// Applies the `go env -w` file edits among `edits`: a set replaces the key's line
/// (and drops repeats of it) or adds one; an unset drops the key's lines. The file's
/// format is cmd/go's: `KEY=value`, unquoted, one per line.
pub(super) fn apply_go_env_edits(text: &str, edits: &[&Edit]) -> Result<String, String> {
    let mut wanted: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for edit in edits {
        let (key, value) = match &edit.op {
            Op::GoEnvSet { key, value } => (key.as_str(), Some(value.as_str())),
            Op::GoEnvUnset { key } => (key.as_str(), None),
            _ => continue,
        };
        if key.is_empty() || key.contains(['=', '\n']) || value.is_some_and(|v| v.contains('\n')) {
            return Err(format!("`{key}` is not a go env setting"));
        }
        match wanted.get(key) {
            Some(planned) if *planned != value => {
                return Err(format!(
                    "two fixes want {key} differently in the go env file: fix one finding by hand first"
                ));
            }
            _ => {
                wanted.insert(key, value);
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut written: Vec<&str> = Vec::new();
    for line in split(text) {
        let key = content(line).split_once('=').map(|(k, _)| k.trim());
        match key.and_then(|k| wanted.get_key_value(k)) {
            None => out.push_str(line),
            Some((_, None)) => {}
            Some((key, Some(value))) => {
                if !written.contains(key) {
                    out.push_str(&format!("{key}={value}\n"));
                    written.push(key);
                }
            }
        }
    }
    for (key, value) in &wanted {
        if let Some(value) = value
            && !written.contains(key)
        {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&format!("{key}={value}\n"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(op: Op) -> Edit {
        Edit {
            file: "f".into(),
            op,
            safe: true,
            needs: None,
        }
    }

    fn delete(line: usize, expect: &str) -> Edit {
        edit(Op::DeleteLine {
            line,
            expect: expect.into(),
        })
    }

    /// The issue's case: GO020's two deletes of lines 2 and 3, which pasted in order as
    /// `sed -i '2d'` then `sed -i '3d'` deleted the wrong line.
    #[test]
    fn deletes_are_placed_by_the_snapshot_lines() {
        let text =
            "# note\nGOSUMDB=off\nGOPROXY=https://dev:hunter2@proxy.example/\nGOFLAGS=-mod=mod\n";
        let edits = [
            delete(2, "GOSUMDB=off"),
            delete(3, "GOPROXY=https://dev:[REDACTED]@proxy.example/"),
            delete(2, "GOSUMDB=off"),
        ];
        let refs: Vec<&Edit> = edits.iter().collect();
        assert_eq!(
            apply_line_edits(text, &refs).unwrap(),
            "# note\nGOFLAGS=-mod=mod\n"
        );
    }

    #[test]
    fn assignments_match_by_name_and_value() {
        assert!(still_reads("export GOSUMDB='off'\n", "GOSUMDB=off"));
        assert!(still_reads("GOSUMDB=\"off\"", "GOSUMDB=off"));
        assert!(!still_reads("GOSUMDB=on", "GOSUMDB=off"));
        assert!(!still_reads("# GOSUMDB=off", "GOSUMDB=off"));
        assert!(still_reads(
            "  set -gx GOPROXY 'https://p'\n",
            "GOPROXY=https://p"
        ));
        assert!(still_reads(
            "set --global --export GOSUMDB off",
            "GOSUMDB=off"
        ));
        assert!(!still_reads(
            "set -gx GOSUMDB sum.golang.org",
            "GOSUMDB=off"
        ));
        assert!(!still_reads("set -gx", "GOSUMDB=off"));
    }

    #[test]
    fn a_changed_file_is_refused() {
        let edits = [delete(2, "GOSUMDB=off")];
        let refs: Vec<&Edit> = edits.iter().collect();
        let error = apply_line_edits("a\nGOSUMDB=on\n", &refs).unwrap_err();
        assert!(error.contains("changed since it was checked"), "{error}");
        let error = apply_line_edits("a\n", &refs).unwrap_err();
        assert!(error.contains("no line 2"), "{error}");
    }

    #[test]
    fn conflicting_changes_to_one_line_are_refused() {
        let edits = [
            delete(1, "A=1"),
            edit(Op::ReplaceLine {
                line: 1,
                expect: "A=1".into(),
                with: "A=2".into(),
            }),
        ];
        let refs: Vec<&Edit> = edits.iter().collect();
        assert!(apply_line_edits("A=1\n", &refs).is_err());
    }

    #[test]
    fn appends_are_idempotent_and_deduplicated() {
        let line = r#"export PATH="$PATH:/h/go/bin""#;
        let edits = [
            edit(Op::AppendLine { text: line.into() }),
            edit(Op::AppendLine {
                text: format!(" {line} "),
            }),
        ];
        let refs: Vec<&Edit> = edits.iter().collect();
        let once = apply_line_edits("umask 022", &refs).unwrap();
        assert_eq!(once, format!("umask 022\n{line}\n"));
        assert_eq!(apply_line_edits(&once, &refs).unwrap(), once);
    }

    #[test]
    fn replacing_keeps_the_line_ending() {
        let edits = [edit(Op::ReplaceLine {
            line: 1,
            expect: "A=1".into(),
            with: "A=2".into(),
        })];
        let refs: Vec<&Edit> = edits.iter().collect();
        assert_eq!(
            apply_line_edits("A=1\r\nB\r\n", &refs).unwrap(),
            "A=2\r\nB\r\n"
        );
    }

    #[test]
    fn go_env_settings_are_set_once_and_unset() {
        let edits = [
            edit(Op::GoEnvSet {
                key: "GOPROXY".into(),
                value: "https://p.example,direct".into(),
            }),
            edit(Op::GoEnvUnset {
                key: "GOROOT".into(),
            }),
            edit(Op::GoEnvSet {
                key: "GOFLAGS".into(),
                value: "-mod=mod".into(),
            }),
        ];
        let refs: Vec<&Edit> = edits.iter().collect();
        let text = "GOROOT=/usr/local/go\nGOPROXY=https://old\nGOPROXY=https://older\n";
        let once = apply_go_env_edits(text, &refs).unwrap();
        assert_eq!(once, "GOPROXY=https://p.example,direct\nGOFLAGS=-mod=mod\n");
        assert_eq!(apply_go_env_edits(&once, &refs).unwrap(), once);
    }
}
