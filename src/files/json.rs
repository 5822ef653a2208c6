//! JSON and JSONC with line numbers, through jsonc-parser's AST (byte ranges on every
//! node). Strict JSON refuses comments and trailing commas; JSONC (VS Code settings,
//! `*.jsonc`, `tsconfig.json`, devcontainers) allows exactly those two.

use jsonc_parser::ast::{ObjectPropName, Value as Ast};
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
use serde_json::{Map, Number, Value};

use super::ParsedDocument;
use super::source_map::{LineIndex, MAX_DEPTH, Positions, element, member};
use crate::snapshot::FileParseError;

/// Parses one JSON (or, with `comments`, JSONC) document.
pub fn parse(text: &str, comments: bool) -> ParsedDocument {
    parse_with(text, comments, comments)
}

/// [`parse`] with trailing commas allowed or not on their own: conftest's JSONC takes
/// comments but refuses trailing commas.
pub fn parse_with(text: &str, comments: bool, trailing_commas: bool) -> ParsedDocument {
    let options = ParseOptions {
        allow_comments: comments,
        allow_trailing_commas: trailing_commas,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let index = LineIndex::new(text);
    // jsonc-parser recurses up to 512 levels; refuse deeper input before it does.
    if let Some(offset) = too_deep(text, comments) {
        let [line, column] = index.position(offset);
        return ParsedDocument::failed(
            1,
            FileParseError {
                message: format!("nesting deeper than {MAX_DEPTH} levels; not parsed"),
                line,
                column,
            },
        );
    }
    let ast = match parse_to_ast(text, &CollectOptions::default(), &options) {
        Ok(result) => result.value,
        Err(error) => {
            let [line, column] = index.position(error.range().start);
            return ParsedDocument::failed(
                1,
                FileParseError {
                    message: error.kind().to_string(),
                    line,
                    column,
                },
            );
        }
    };
    let Some(ast) = ast else {
        // An empty file (or only comments): nothing to judge.
        return ParsedDocument {
            line: 1,
            content: None,
            positions: Positions::new(),
            error: None,
            warnings: Vec::new(),
            complex_key: false,
        };
    };
    let mut converter = Converter {
        index: &index,
        positions: Positions::new(),
    };
    let start = converter.index.position(range_of(&ast).start);
    converter.positions.insert(String::new(), start);
    match converter.value(ast, "", 0) {
        Ok(content) => ParsedDocument {
            line: start[0],
            content: Some(content),
            positions: converter.positions,
            error: None,
            warnings: Vec::new(),
            complex_key: false,
        },
        Err(error) => ParsedDocument::failed(start[0], error),
    }
}

/// Byte offset of the bracket that opens level `MAX_DEPTH + 1`, if any (strings and,
/// for JSONC, comments skipped).
fn too_deep(text: &str, comments: bool) -> Option<usize> {
    let mut depth = 0usize;
    for (i, byte) in super::bounds::structural_bytes(text, comments, false) {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn range_of(ast: &Ast<'_>) -> jsonc_parser::common::Range {
    match ast {
        Ast::StringLit(v) => v.range,
        Ast::NumberLit(v) => v.range,
        Ast::BooleanLit(v) => v.range,
        Ast::Object(v) => v.range,
        Ast::Array(v) => v.range,
        Ast::NullKeyword(v) => v.range,
    }
}

struct Converter<'a> {
    index: &'a LineIndex<'a>,
    positions: Positions,
}

impl Converter<'_> {
    fn value(
        &mut self,
        ast: Ast<'_>,
        pointer: &str,
        depth: usize,
    ) -> Result<Value, FileParseError> {
        if depth >= MAX_DEPTH {
            let [line, column] = self.index.position(range_of(&ast).start);
            return Err(FileParseError {
                message: format!("nesting deeper than {MAX_DEPTH} levels; not parsed"),
                line,
                column,
            });
        }
        Ok(match ast {
            Ast::StringLit(s) => Value::String(s.value.into_owned()),
            Ast::NumberLit(n) => number(n.value),
            Ast::BooleanLit(b) => Value::Bool(b.value),
            Ast::NullKeyword(_) => Value::Null,
            Ast::Array(array) => {
                let mut items = Vec::with_capacity(array.elements.len());
                for (i, item) in array.elements.into_iter().enumerate() {
                    let child = element(pointer, i);
                    let at = self.index.position(range_of(&item).start);
                    self.positions.insert(child.clone(), at);
                    items.push(self.value(item, &child, depth + 1)?);
                }
                Value::Array(items)
            }
            Ast::Object(object) => {
                let mut map = Map::new();
                for property in object.properties {
                    let (name, range) = match property.name {
                        ObjectPropName::String(s) => (s.value.into_owned(), s.range),
                        ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                    };
                    let child = member(pointer, &name);
                    self.positions
                        .insert(child.clone(), self.index.position(range.start));
                    let value = self.value(property.value, &child, depth + 1)?;
                    map.insert(name, value);
                }
                Value::Object(map)
            }
        })
    }
}

/// A JSON number as serde_json keeps it: integers exactly, the rest as f64.
fn number(text: &str) -> Value {
    if let Ok(n) = text.parse::<u64>() {
        return Value::Number(n.into());
    }
    if let Ok(n) = text.parse::<i64>() {
        return Value::Number(n.into());
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or_else(|| Value::String(text.to_string()), Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_positioned_at_their_keys() {
        let doc = parse("{\n  \"a\": {\n    \"b\": [1, 2.5, \"x\"]\n  }\n}\n", false);
        assert_eq!(
            doc.content.unwrap(),
            serde_json::json!({"a": {"b": [1, 2.5, "x"]}})
        );
        assert_eq!(doc.positions.get("/a/b"), Some(&[3, 5]));
        assert_eq!(doc.positions.get("/a/b/2"), Some(&[3, 19]));
    }

    #[test]
    fn comments_only_in_jsonc() {
        let text = "{\n  // why\n  \"a\": 1,\n}\n";
        assert!(parse(text, true).error.is_none());
        let error = parse(text, false).error.unwrap();
        assert_eq!(error.line, 2);
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        // The comma is missing right after `1`.
        let error = parse("{\n  \"a\": 1\n  \"b\": 2\n}\n", false)
            .error
            .unwrap();
        assert_eq!((error.line, error.column), (2, 9), "{error:?}");
        assert_eq!(error.message, "Expected comma");
    }
}
