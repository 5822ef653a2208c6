//! `.env` files: `KEY=value` lines as docker compose and the dotenv libraries read
//! them (`export ` prefix, `#` comments, single quotes literal, double quotes with
//! `\n` escapes and line breaks, `# comment` after an unquoted value). Values of
//! secret-like names are redacted before they leave this module.

use serde_json::{Map, Value};

use super::ParsedDocument;
use super::source_map::{Positions, member};
use crate::redact::redact_value;
use crate::snapshot::FileParseError;

/// The document, and the pointers of the values that were redacted.
pub fn parse(text: &str) -> (ParsedDocument, Vec<String>) {
    let mut map = Map::new();
    let mut positions = Positions::new();
    positions.insert(String::new(), [1, 1]);
    let mut redacted = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let number = i + 1;
        let raw = lines[i];
        i += 1;
        let indent = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (line, indent) = match line.strip_prefix("export ") {
            Some(rest) => (
                rest.trim_start(),
                indent + (line.len() - rest.trim_start().len()),
            ),
            None => (line, indent),
        };
        let fail = |message: String, column: usize| {
            (
                ParsedDocument::failed(
                    1,
                    FileParseError {
                        message,
                        line: number,
                        column,
                    },
                ),
                Vec::new(),
            )
        };
        let Some((key, rest)) = line.split_once('=') else {
            return fail("expected KEY=value".into(), indent + 1);
        };
        let key = key.trim_end();
        let valid = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !valid {
            return fail(format!("{key:?} is not a variable name"), indent + 1);
        }
        let rest = rest.trim_start();
        let value_column = indent + line.len() - rest.len() + 1;
        let value = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                // A quoted value may run over several lines, up to its closing quote.
                let mut body = rest[1..].to_string();
                loop {
                    if let Some(end) = closing_quote(&body, quote) {
                        body.truncate(end);
                        break;
                    }
                    let Some(next) = lines.get(i) else {
                        return fail(format!("{quote} is never closed"), value_column);
                    };
                    body.push('\n');
                    body.push_str(next);
                    i += 1;
                }
                if quote == '"' { unescape(&body) } else { body }
            }
            _ => match rest.find(" #") {
                Some(comment) => rest[..comment].trim_end().to_string(),
                None => rest.trim_end().to_string(),
            },
        };
        let pointer = member("", key);
        positions.insert(pointer.clone(), [number, indent + 1]);
        let (clean, how) = redact_value(key, &value);
        if how.is_some() {
            redacted.push(pointer);
        }
        map.insert(key.to_string(), Value::String(clean));
    }
    redacted.sort();
    redacted.dedup();
    (
        ParsedDocument {
            line: 1,
            content: Some(Value::Object(map)),
            positions,
            error: None,
            warnings: Vec::new(),
            complex_key: false,
        },
        redacted,
    )
}

/// Byte index of the closing quote in `body` (after the opening one), honouring `\"`.
fn closing_quote(body: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if quote == '"' && c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        if c == quote && !escaped {
            return Some(i);
        }
        escaped = false;
    }
    None
}

fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_quotes_comments_and_secrets() {
        let text = "# db\nexport HOST=db.local # the host\nPORT=5432\nDB_PASSWORD='hunter2'\nMOTD=\"two\nlines\"\nURL=https://u:pw@x.example/\n";
        let (doc, redacted) = parse(text);
        assert_eq!(
            doc.content.unwrap(),
            serde_json::json!({"HOST": "db.local", "PORT": "5432", "DB_PASSWORD": "[REDACTED]",
                "MOTD": "two\nlines", "URL": "https://u:[REDACTED]@x.example/"})
        );
        assert_eq!(redacted, vec!["/DB_PASSWORD", "/URL"]);
        assert_eq!(doc.positions.get("/HOST"), Some(&[2, 8]));
        assert_eq!(doc.positions.get("/URL"), Some(&[7, 1]));
    }

    #[test]
    fn malformed_lines_are_errors() {
        let error = parse("A=1\n  not a pair\n").0.error.unwrap();
        assert_eq!((error.line, error.column), (2, 3));
        let error = parse("A=\"open\nB=2\n").0.error.unwrap();
        assert_eq!((error.line, error.column), (1, 3));
    }
}
