//! TOML with line numbers: the toml crate's `DeTable` keeps a byte span on every key
//! and value. Datetimes become their TOML text; integers and floats JSON numbers.

use serde_json::{Map, Number, Value};
use toml::de::{DeTable, DeValue};

use super::ParsedDocument;
use super::source_map::{LineIndex, MAX_DEPTH, Positions, element, member};
use crate::snapshot::FileParseError;

pub fn parse(text: &str) -> ParsedDocument {
    let index = LineIndex::new(text);
    let table = match DeTable::parse(text) {
        Ok(table) => table,
        Err(error) => {
            let [line, column] = index.position(error.span().map_or(0, |s| s.start));
            return ParsedDocument::failed(
                1,
                FileParseError {
                    message: error.message().trim().to_string(),
                    line,
                    column,
                },
            );
        }
    };
    let mut positions = Positions::new();
    positions.insert(String::new(), [1, 1]);
    match convert_table(table.get_ref(), "", 0, &index, &mut positions) {
        Ok(content) => ParsedDocument {
            line: 1,
            content: Some(content),
            positions,
            error: None,
            warnings: Vec::new(),
            complex_key: false,
        },
        Err(error) => ParsedDocument::failed(1, error),
    }
}

fn convert_table(
    table: &DeTable<'_>,
    pointer: &str,
    depth: usize,
    index: &LineIndex<'_>,
    positions: &mut Positions,
) -> Result<Value, FileParseError> {
    let mut map = Map::new();
    for (key, value) in table {
        let child = member(pointer, key.get_ref());
        positions.insert(child.clone(), index.position(key.span().start));
        let converted = convert(
            value.get_ref(),
            &child,
            depth + 1,
            index,
            positions,
            value.span().start,
        )?;
        map.insert(key.get_ref().to_string(), converted);
    }
    Ok(Value::Object(map))
}

fn convert(
    value: &DeValue<'_>,
    pointer: &str,
    depth: usize,
    index: &LineIndex<'_>,
    positions: &mut Positions,
    start: usize,
) -> Result<Value, FileParseError> {
    if depth >= MAX_DEPTH {
        let [line, column] = index.position(start);
        return Err(FileParseError {
            message: format!("nesting deeper than {MAX_DEPTH} levels; not parsed"),
            line,
            column,
        });
    }
    Ok(match value {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map(Value::from)
            .or_else(|_| u64::from_str_radix(i.as_str(), i.radix()).map(Value::from))
            .unwrap_or_else(|_| Value::String(i.as_str().to_string())),
        DeValue::Float(f) => {
            let text = f.as_str().replace('_', "");
            text.parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                // inf and nan have no JSON form: keep the TOML text.
                .map_or_else(|| Value::String(f.as_str().to_string()), Value::Number)
        }
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let child = element(pointer, i);
                positions.insert(child.clone(), index.position(item.span().start));
                out.push(convert(
                    item.get_ref(),
                    &child,
                    depth + 1,
                    index,
                    positions,
                    item.span().start,
                )?);
            }
            Value::Array(out)
        }
        DeValue::Table(table) => convert_table(table, pointer, depth, index, positions)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_their_lines() {
        let doc = parse("title = \"x\"\n\n[server]\nport = 8080\nhosts = [\"a\", \"b\"]\n");
        assert_eq!(
            doc.content.unwrap(),
            serde_json::json!({"title": "x", "server": {"port": 8080, "hosts": ["a", "b"]}})
        );
        assert_eq!(doc.positions.get("/server/port"), Some(&[4, 1]));
        assert_eq!(doc.positions.get("/server/hosts/1"), Some(&[5, 15]));
    }

    #[test]
    fn errors_have_line_and_column() {
        let error = parse("a = 1\nb = = 2\n").error.unwrap();
        assert_eq!(error.line, 2, "{error:?}");
    }
}
