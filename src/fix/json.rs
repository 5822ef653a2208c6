//! `json_set` on JSON/JSONC files (VS Code settings): jsonc-parser's concrete syntax
//! tree changes the one value and writes everything else back as it was, comments
//! and trailing commas included.

use jsonc_parser::ParseOptions;
use jsonc_parser::cst::{CstInputValue, CstNode, CstRootNode};

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
        let path = match &edit.op {
            Op::JsonSet { path, .. } => path,
            // A JSON manifest is a YAML document too; it is edited as JSON.
            Op::YamlSet {
                document: 0, path, ..
            } => path,
            Op::YamlSet { .. } | Op::YamlDelete { .. } => {
                return Err("a JSON file has one document, and envgate deletes no JSON key".into());
            }
            Op::YamlAddDocument { .. } => {
                return Err("a JSON file holds one document: no other can be added".into());
            }
            _ => continue,
        };
        let value = match &edit.op {
            Op::JsonSet { value, .. } | Op::YamlSet { value, .. } => value,
            _ => continue,
        };
        set_cst(&root, path, value)?;
        set_in(&mut expected, path, value.clone())?;
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

/// Sets `path` to `value` in the tree: objects on the way are created, an array item
/// is reached by index (one past the end appends).
fn set_cst(root: &CstRootNode, path: &[Step], value: &serde_json::Value) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("a JSON edit names no key to set".into());
    };
    let mut node: CstNode = root.object_value_or_set().into();
    for (i, step) in parents.iter().enumerate() {
        let next_is_index = matches!(path[i + 1], Step::Index(_));
        node = match step {
            Step::Key(key) => {
                let object = node
                    .as_object()
                    .ok_or_else(|| format!("`{key}` is not in an object"))?;
                if next_is_index {
                    object
                        .array_value_or_create(key)
                        .ok_or_else(|| format!("`{key}` is not an array"))?
                        .into()
                } else {
                    object
                        .object_value_or_create(key)
                        .ok_or_else(|| format!("`{key}` is not an object"))?
                        .into()
                }
            }
            Step::Index(index) => node
                .as_array()
                .and_then(|a| a.elements().get(*index).cloned())
                .ok_or_else(|| format!("there is no item {index}"))?,
        };
    }
    match last {
        Step::Key(key) => {
            let object = node
                .as_object()
                .ok_or_else(|| format!("`{key}` is not in an object"))?;
            match object.get(key) {
                Some(prop) => prop.set_value(input(value)),
                None => {
                    object.append(key, input(value));
                }
            }
        }
        Step::Index(index) => {
            let array = node.as_array().ok_or("not an array")?;
            let elements = array.elements();
            match elements.get(*index) {
                Some(item) => {
                    item.clone().remove();
                    array.insert(*index, input(value));
                }
                None if *index == elements.len() => {
                    array.append(input(value));
                }
                None => return Err(format!("there is no item {index}")),
            }
        }
    }
    Ok(())
}

fn set_in(
    doc: &mut serde_json::Value,
    path: &[Step],
    value: serde_json::Value,
) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("a JSON edit names no key".into());
    };
    let mut at = doc;
    for (i, step) in parents.iter().enumerate() {
        let empty = match path[i + 1] {
            Step::Index(_) => serde_json::json!([]),
            Step::Key(_) => serde_json::json!({}),
        };
        at = match step {
            Step::Key(key) => at
                .as_object_mut()
                .ok_or("not an object")?
                .entry(key.clone())
                .or_insert(empty),
            Step::Index(index) => at
                .as_array_mut()
                .and_then(|a| a.get_mut(*index))
                .ok_or("no such item")?,
        };
    }
    match last {
        Step::Key(key) => {
            at.as_object_mut()
                .ok_or("not an object")?
                .insert(key.clone(), value);
        }
        Step::Index(index) => {
            let items = at.as_array_mut().ok_or("not an array")?;
            if *index < items.len() {
                items[*index] = value;
            } else if *index == items.len() {
                items.push(value);
            } else {
                return Err("no such item".into());
            }
        }
    }
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
