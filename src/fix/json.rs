//! `json_set` on JSON/JSONC files (VS Code settings): jsonc-parser's concrete syntax
//! tree changes the one value and writes everything else back as it was, comments
//! and trailing commas included.

use jsonc_parser::ParseOptions;
use jsonc_parser::cst::{CstInputValue, CstObject, CstRootNode};

/// The file's value as JSON (an empty file is `null`).
fn parse_to_serde_value(
    text: &str,
    options: &ParseOptions,
) -> Result<Option<serde_json::Value>, jsonc_parser::errors::ParseError> {
    Ok(CstRootNode::parse(text, options)?.to_serde_value())
}

use super::edit::{Edit, Op, Step};

pub(super) fn apply_json_edits(text: &str, edits: &[&Edit]) -> Result<String, String> {
    let options = ParseOptions::default();
    let root = CstRootNode::parse(text, &options)
        .map_err(|e| format!("the file no longer parses as JSON: {e}"))?;
    let mut expected = parse_to_serde_value(text, &options)
        .map_err(|e| format!("the file no longer parses as JSON: {e}"))?
        .unwrap_or(serde_json::json!({}));
    for edit in edits {
        let Op::JsonSet { path, value } = &edit.op else {
            continue;
        };
        let (last, parents) = match path.split_last() {
            Some((Step::Key(last), parents)) => (last, parents),
            _ => return Err("a JSON edit names no key to set".into()),
        };
        let mut object: CstObject = root.object_value_or_set();
        for step in parents {
            let Step::Key(key) = step else {
                return Err("a JSON edit through an array index is not supported".into());
            };
            object = object
                .object_value_or_create(key)
                .ok_or_else(|| format!("`{key}` is not an object"))?;
        }
        match object.get(last) {
            Some(prop) => prop.set_value(input(value)),
            None => {
                object.append(last, input(value));
            }
        }
        set_in(&mut expected, parents, last, value.clone())?;
    }
    let out = root.to_string();
    // The result must read back as exactly what was meant.
    let reread = parse_to_serde_value(&out, &options)
        .map_err(|e| format!("the edited file does not parse: {e}"))?
        .unwrap_or_default();
    if reread != expected {
        return Err("the edited file does not read back as the intended settings".into());
    }
    Ok(out)
}

fn set_in(
    doc: &mut serde_json::Value,
    parents: &[Step],
    last: &str,
    value: serde_json::Value,
) -> Result<(), String> {
    let mut at = doc;
    for step in parents {
        let Step::Key(key) = step else {
            return Err("array index".into());
        };
        let object = at.as_object_mut().ok_or("not an object")?;
        at = object.entry(key.clone()).or_insert(serde_json::json!({}));
    }
    at.as_object_mut()
        .ok_or("not an object")?
        .insert(last.to_string(), value);
    Ok(())
}

fn input(value: &serde_json::Value) -> CstInputValue {
    match value {
        serde_json::Value::Null => CstInputValue::Null,
        serde_json::Value::Bool(b) => CstInputValue::Bool(*b),
        serde_json::Value::Number(n) => CstInputValue::Number(n.to_string()),
        serde_json::Value::String(s) => CstInputValue::String(s.clone()),
        serde_json::Value::Array(items) => CstInputValue::Array(items.iter().map(input).collect()),
        serde_json::Value::Object(map) => CstInputValue::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), input(value)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(path: &[&str], value: serde_json::Value) -> Edit {
        Edit {
            file: "settings.json".into(),
            op: Op::JsonSet {
                path: path.iter().map(|k| Step::Key(k.to_string())).collect(),
                value,
            },
            safe: true,
            needs: None,
        }
    }

    #[test]
    fn comments_and_other_settings_are_kept() {
        let text = "{\n  // the editor\n  \"go.useLanguageServer\": false, // why?\n  \"editor.tabSize\": 4,\n}\n";
        let edits = [
            set(&["go.useLanguageServer"], serde_json::json!(true)),
            set(
                &["go.toolsEnvVars", "GOFLAGS"],
                serde_json::json!("-mod=mod"),
            ),
        ];
        let refs: Vec<&Edit> = edits.iter().collect();
        let out = apply_json_edits(text, &refs).unwrap();
        assert!(out.contains("// the editor"), "{out}");
        assert!(
            out.contains("\"go.useLanguageServer\": true, // why?"),
            "{out}"
        );
        assert!(out.contains("\"editor.tabSize\": 4"), "{out}");
        assert!(out.contains("\"GOFLAGS\": \"-mod=mod\""), "{out}");
        assert_eq!(apply_json_edits(&out, &refs).unwrap(), out);
    }

    #[test]
    fn an_empty_file_becomes_an_object() {
        let edits = [set(&["a"], serde_json::json!(1))];
        let refs: Vec<&Edit> = edits.iter().collect();
        let out = apply_json_edits("", &refs).unwrap();
        assert_eq!(
            parse_to_serde_value(&out, &Default::default())
                .unwrap()
                .unwrap(),
            serde_json::json!({"a": 1})
        );
    }
}
