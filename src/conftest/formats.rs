//! conftest's parsers, for the formats envgate reads: which one a file name selects
//! (conftest's `parser.NewFromPath`) and the JSON value each makes of a file, with the
//! positions of its values where envgate's own parsers know them.
//!
//! YAML is conftest's byte split on `\n---\n` (`\r\n---\r\n` when the file has any
//! CRLF; a leading `%` directive stays with the first document), each part decoded
//! alone, YAML 1.1 scalars (sigs.k8s.io/yaml); YAML and JSON numbers are Go float64s
//! (an integral value prints as an integer, integers past 2^53 lose precision).

use std::path::Path;

use serde_json::{Map, Number, Value};

use crate::files::source_map::{Positions, element};

/// A format envgate reads as conftest does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
    Jsonc,
    Toml,
    Dockerfile,
    Dotenv,
    Properties,
}

/// Why a file could not be parsed, and where.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub message: String,
    pub at: Option<[usize; 2]>,
}

impl Format {
    /// conftest's choice by file name (names and extensions lower-cased); `None` for a
    /// file conftest would not read, or reads with a parser envgate does not have.
    pub fn by_name(path: &str) -> Option<Format> {
        let name = Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let ext = Path::new(path)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if name == "dockerfile" || name.starts_with("dockerfile.") || ext == "dockerfile" {
            return Some(Format::Dockerfile);
        }
        if ext == "yml" || ext == "yaml" {
            return Some(Format::Yaml);
        }
        if name == ".env" || name.starts_with(".env.") || ext == "env" {
            return Some(Format::Dotenv);
        }
        Format::by_parser_name(&ext)
    }

    /// A `--parser` name.
    pub fn by_parser_name(name: &str) -> Option<Format> {
        Some(match name {
            "yaml" => Format::Yaml,
            "json" => Format::Json,
            "jsonc" => Format::Jsonc,
            "toml" => Format::Toml,
            "dockerfile" => Format::Dockerfile,
            "dotenv" => Format::Dotenv,
            "properties" => Format::Properties,
            _ => return None,
        })
    }
}

/// The configuration `text` is as `format`, and per document (per element when it is
/// an array) the positions of its values.
pub fn parse(format: Format, text: &str) -> Result<(Value, Vec<Positions>), ParseError> {
    match format {
        Format::Yaml => parse_yaml(text),
        Format::Json | Format::Jsonc => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let doc = crate::files::json::parse_with(text, format == Format::Jsonc, false);
            let value = document_value(doc.content, doc.error)?;
            Ok(split_positions(go_numbers(value), doc.positions))
        }
        Format::Toml => {
            let doc = crate::files::toml::parse(text);
            let value = document_value(doc.content, doc.error)?;
            Ok(split_positions(value, doc.positions))
        }
        Format::Dockerfile => {
            let value = super::dockerfile::parse(text).map_err(|(message, line)| ParseError {
                message: format!("parse dockerfile: {message}"),
                at: Some([line, 1]),
            })?;
            Ok((value, Vec::new()))
        }
        Format::Dotenv => {
            let mut map = Map::new();
            for item in dotenvy::from_read_iter(text.as_bytes()) {
                let (key, value) = item.map_err(|e| ParseError {
                    message: format!("read .env file: {e}"),
                    at: None,
                })?;
                map.insert(key, Value::String(value));
            }
            Ok((Value::Object(map), Vec::new()))
        }
        Format::Properties => {
            let map = java_properties::read(text.as_bytes()).map_err(|e| ParseError {
                message: format!("parse properties file: {e}"),
                at: e.line_number().map(|l| [l, 1]),
            })?;
            let map: Map<String, Value> = map
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            Ok((Value::Object(map), Vec::new()))
        }
    }
}

fn document_value(
    content: Option<Value>,
    error: Option<crate::snapshot::FileParseError>,
) -> Result<Value, ParseError> {
    if let Some(error) = error {
        return Err(ParseError {
            message: error.message,
            at: Some([error.line, error.column]),
        });
    }
    Ok(content.unwrap_or(Value::Null))
}

/// Positions of a whole value, and of each element when it is an array (the documents
/// conftest checks).
fn split_positions(value: Value, positions: Positions) -> (Value, Vec<Positions>) {
    match &value {
        Value::Array(items) => {
            let per_item = (0..items.len())
                .map(|i| sub_positions(&positions, &element("", i)))
                .collect();
            (value, per_item)
        }
        _ => (value, vec![positions]),
    }
}

/// The positions under `prefix`, re-rooted there.
pub fn sub_positions(positions: &Positions, prefix: &str) -> Positions {
    positions
        .range(prefix.to_string()..)
        .take_while(|(k, _)| k.starts_with(prefix))
        .filter_map(|(k, v)| {
            let rest = &k[prefix.len()..];
            (rest.is_empty() || rest.starts_with('/')).then(|| (rest.to_string(), *v))
        })
        .collect()
}

fn parse_yaml(text: &str) -> Result<(Value, Vec<Positions>), ParseError> {
    let parts = split_yaml(text);
    if parts.len() <= 1 {
        let (value, positions) = decode_yaml_part(text, 0)?;
        return Ok(split_positions(value, positions));
    }
    let mut values = Vec::new();
    let mut all_positions = Vec::new();
    for (part, line_offset) in parts {
        let (value, positions) = decode_yaml_part(part, line_offset)?;
        values.push(value);
        all_positions.push(positions);
    }
    Ok((Value::Array(values), all_positions))
}

/// conftest's `separateSubDocuments`: the parts and the line each starts after (0-based
/// offset of lines before it).
fn split_yaml(text: &str) -> Vec<(&str, usize)> {
    let separator = if text.contains("\r\n") {
        "\r\n---\r\n"
    } else {
        "\n---\n"
    };
    let mut parts: Vec<(&str, usize)> = Vec::new();
    let mut start = 0;
    let mut line = 0;
    for (at, _) in text.match_indices(separator) {
        if at < start {
            continue;
        }
        parts.push((&text[start..at], line));
        line += text[start..at].matches('\n').count() + 2;
        start = at + separator.len();
    }
    parts.push((&text[start..], line));
    if text.starts_with('%') {
        if parts.len() <= 2 {
            return vec![(text, 0)];
        }
        let first_end = parts[1].0.as_ptr() as usize - text.as_ptr() as usize + parts[1].0.len();
        let mut merged = vec![(&text[..first_end], 0)];
        merged.extend_from_slice(&parts[2..]);
        return merged;
    }
    parts
}

fn decode_yaml_part(part: &str, line_offset: usize) -> Result<(Value, Positions), ParseError> {
    match crate::files::yaml::first_document_yaml11(part, line_offset) {
        None => Ok((Value::Null, Positions::new())),
        Some(doc) => {
            let value = document_value(doc.content, doc.error)?;
            Ok((go_numbers(value), doc.positions))
        }
    }
}

/// Numbers as Go's float64 leaves them: integral values are integers (printed without
/// a fraction), integers beyond 2^53 rounded.
pub fn go_numbers(value: Value) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match value {
        Value::Number(n) => {
            if n.is_f64() {
                let f = n.as_f64().unwrap_or_default();
                if f.fract() == 0.0 && f.abs() < EXACT {
                    return Value::Number(Number::from(f as i64));
                }
                return Value::Number(n);
            }
            let f = n.as_f64().unwrap_or_default();
            if f.abs() >= EXACT {
                return Number::from_f64(f).map_or(Value::Null, Value::Number);
            }
            Value::Number(n)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(go_numbers).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, go_numbers(v))).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parser_choice_by_name() {
        assert_eq!(Format::by_name("Dockerfile"), Some(Format::Dockerfile));
        assert_eq!(
            Format::by_name("a/dockerfile.dev"),
            Some(Format::Dockerfile)
        );
        assert_eq!(Format::by_name("x.Dockerfile"), Some(Format::Dockerfile));
        assert_eq!(Format::by_name("x.YML"), Some(Format::Yaml));
        assert_eq!(Format::by_name(".env.prod"), Some(Format::Dotenv));
        assert_eq!(Format::by_name("p.properties"), Some(Format::Properties));
        assert_eq!(Format::by_name("x.jsonc"), Some(Format::Jsonc));
        assert_eq!(Format::by_name("x.yml.tmpl"), None);
        assert_eq!(Format::by_name("Makefile"), None);
    }

    #[test]
    fn yaml_splits_on_the_exact_separator_only() {
        let (value, positions) = parse(Format::Yaml, "a: 1\n---\nb: yes\n---\n").unwrap();
        assert_eq!(value, json!([{"a": 1}, {"b": true}, null]));
        assert_eq!(positions[1].get("/b"), Some(&[3, 1]));
        let (value, _) = parse(Format::Yaml, "# c\n---\na: 0777\n").unwrap();
        assert_eq!(value, json!([null, {"a": 511}]));
        // `--- # c` is no separator: one part, its first document only.
        let (value, _) = parse(Format::Yaml, "a: 1\n--- # c\nb: 2\n").unwrap();
        assert_eq!(value, json!({"a": 1}));
        let (value, _) = parse(Format::Yaml, "").unwrap();
        assert_eq!(value, Value::Null);
        let (value, _) = parse(Format::Yaml, "- x: 1.0\n- y\n- z\n").unwrap();
        assert_eq!(value, json!([{"x": 1}, true, "z"]));
    }

    #[test]
    fn directive_stays_with_the_first_document() {
        let parts = split_yaml("%YAML 1.1\n---\na: 1\n---\nb: 2\n");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].0, "%YAML 1.1\n---\na: 1");
        assert_eq!(parts[1], ("b: 2\n", 4));
    }

    #[test]
    fn json_numbers_are_floats_and_bad_json_says_where() {
        let (value, _) = parse(
            Format::Json,
            "\u{feff}{\"n\": 2.0, \"big\": 9007199254740993}",
        )
        .unwrap();
        assert_eq!(value["n"], json!(2));
        assert_eq!(value["big"].as_f64(), Some(9007199254740992.0));
        let err = parse(Format::Json, "{\n  \"a\": ,\n}").unwrap_err();
        assert_eq!(err.at.map(|a| a[0]), Some(2));
    }
}
