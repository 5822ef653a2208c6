//! `yaml_set`, `yaml_delete` and `yaml_add_document`: minimal textual edits of a YAML
//! file. The source map says where a key is; only the lines of the key set or deleted
//! change (a new document goes after the last), so comments, key order, quoting and the
//! other documents stay as they were (Polaris rewrites the whole document). Every edit
//! is checked by parsing the result again: each document must read exactly as
//! intended, or the edit is refused.

mod delete;

use delete::delete;

use super::edit::{Edit, Op, Step};
use crate::files::detect::Syntax;
use crate::files::parse_str;
use crate::snapshot::FileDocument;

pub(super) fn apply_yaml_edits(text: &str, edits: &[&Edit]) -> Result<String, String> {
    let mut text = text.to_string();
    // One edit at a time, each placed on the text the previous one left: lines are
    // recomputed from a fresh parse, never shifted by hand. Sets come first, then the
    // deletes, deepest and last item first: deleting item 2 of a sequence before item 1
    // leaves item 1 where the snapshot saw it, so each delete removes what its finding
    // named, whatever order the findings came in.
    let mut ordered: Vec<&Edit> = edits
        .iter()
        .copied()
        .filter(|e| matches!(e.op, Op::YamlSet { .. }))
        .collect();
    let mut deletes: Vec<&Edit> = edits
        .iter()
        .copied()
        .filter(|e| matches!(e.op, Op::YamlDelete { .. }))
        .collect();
    deletes.sort_by(|a, b| match (&a.op, &b.op) {
        (
            Op::YamlDelete {
                document: da,
                path: pa,
            },
            Op::YamlDelete {
                document: db,
                path: pb,
            },
        ) => (db, pb).cmp(&(da, pa)),
        _ => std::cmp::Ordering::Equal,
    });
    ordered.extend(deletes);
    // New documents last, in the order given: the edits above name documents by their
    // index in the file as the snapshot saw it.
    ordered.extend((edits.iter().copied()).filter(|e| matches!(e.op, Op::YamlAddDocument { .. })));
    for edit in ordered {
        text = match &edit.op {
            Op::YamlSet {
                document,
                path,
                value,
            } => set(&text, *document, path, value)?,
            Op::YamlDelete { document, path } => delete(&text, *document, path)?,
            Op::YamlAddDocument { content } => add_document(&text, content)?,
            _ => continue,
        };
    }
    Ok(text)
}

/// `text` with `content` added as its last document, in block style after a `---`
/// line; unchanged when a document of the file already reads as `content` (so a fix
/// applied twice adds it once).
fn add_document(text: &str, content: &serde_json::Value) -> Result<String, String> {
    let before = documents(text)?;
    if before.iter().any(|d| d.content.as_ref() == Some(content)) {
        return Ok(text.to_string());
    }
    let serde_json::Value::Object(map) = content else {
        return Err("a document to add is a mapping".into());
    };
    let nl = newline(text);
    let mut lines = Vec::new();
    for (key, value) in map {
        render(std::slice::from_ref(key), value, 0, &mut lines);
    }
    let mut out = text.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(nl);
    }
    // A file whose last line is a `---` already opens the new document.
    let last_line = out.trim_end().rsplit('\n').next().unwrap_or_default();
    if last_line.trim_end() != "---" {
        out.push_str("---");
        out.push_str(nl);
    }
    for line in lines {
        out.push_str(&line);
        out.push_str(nl);
    }
    // The documents that were there read as before, and one more reads as `content`.
    let after = documents(&out).map_err(|e| format!("the edit would break the file: {e}"))?;
    let kept = before.iter().filter(|d| d.content.is_some());
    let now: Vec<_> = after.iter().filter(|d| d.content.is_some()).collect();
    let same = now.len() == kept.clone().count() + 1
        && kept.zip(&now).all(|(b, a)| b.content == a.content)
        && now.last().and_then(|d| d.content.as_ref()) == Some(content)
        && after.len() == before.len() + 1;
    if same {
        Ok(out)
    } else {
        Err("the added document does not read back as intended; add it by hand".into())
    }
}

fn documents(text: &str) -> Result<Vec<FileDocument>, String> {
    let docs = parse_str("fix.yaml", Syntax::Yaml, text);
    if let Some(error) = docs.iter().find_map(|d| d.error.as_ref()) {
        return Err(format!(
            "the file does not parse as YAML (line {}: {})",
            error.line, error.message
        ));
    }
    Ok(docs)
}

fn document(docs: &[FileDocument], index: usize) -> Result<&FileDocument, String> {
    docs.iter()
        .find(|d| d.document == index && d.content.is_some())
        .ok_or_else(|| format!("the file has no YAML document {index} now"))
}

fn pointer(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
}

fn get<'a>(value: &'a serde_json::Value, step: &Step) -> Option<&'a serde_json::Value> {
    match step {
        Step::Key(key) => value.as_object()?.get(key),
        Step::Index(i) => value.as_array()?.get(*i),
    }
}

fn split(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The last line (0-based) of the node that starts on line `start` at indentation
/// `at`: the lines below it that are indented further (or, for a key, a block
/// sequence at the key's own indentation), blank lines and comments in between.
fn node_end(lines: &[&str], start: usize, at: usize, sequence_item: bool) -> usize {
    let mut last = start;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if blank_or_comment(line) {
            continue;
        }
        if line.starts_with("---") || line.starts_with("...") {
            break;
        }
        let ind = indent(line);
        let compact_sequence = !sequence_item
            && ind == at
            && (line.trim_start().starts_with("- ") || line.trim() == "-");
        if ind > at || compact_sequence {
            last = i;
        } else {
            break;
        }
    }
    last
}

/// Byte offset of the 1-based character column `column` in `line`.
/// The byte index of the `:` after the key that starts at `column` of `line`.
fn colon_after(line: &str, column: usize) -> Result<usize, String> {
    let key_at = byte_at(line, column);
    line[key_at..]
        .find(':')
        .map(|i| key_at + i)
        .ok_or_else(|| "the key's line has no `:`".to_string())
}

fn byte_at(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}

/// A scalar as YAML writes it: plain when it cannot be read as anything else, else
/// double-quoted (a JSON string is a valid YAML one).
fn scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => {
            let plain = !s.is_empty()
                && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_./-".contains(c))
                && !matches!(
                    s.to_ascii_lowercase().as_str(),
                    "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
                );
            if plain {
                s.clone()
            } else {
                serde_json::Value::String(s.clone()).to_string()
            }
        }
        other => other.to_string(),
    }
}

/// Block lines for `keys` (each nested in the one before) holding `value`.
fn render(keys: &[String], value: &serde_json::Value, at: usize, out: &mut Vec<String>) {
    let pad = " ".repeat(at);
    let Some((key, rest)) = keys.split_first() else {
        return;
    };
    let key = scalar(&serde_json::Value::String(key.clone()));
    if !rest.is_empty() {
        out.push(format!("{pad}{key}:"));
        return render(rest, value, at + 2, out);
    }
    match value {
        serde_json::Value::Array(items) if !items.is_empty() => {
            out.push(format!("{pad}{key}:"));
            for item in items {
                out.push(format!("{pad}  - {}", flow(item)));
            }
        }
        serde_json::Value::Object(map) if !map.is_empty() => {
            out.push(format!("{pad}{key}:"));
            for (k, v) in map {
                render(std::slice::from_ref(k), v, at + 2, out);
            }
        }
        serde_json::Value::Array(_) => out.push(format!("{pad}{key}: []")),
        serde_json::Value::Object(_) => out.push(format!("{pad}{key}: {{}}")),
        scalar_value => out.push(format!("{pad}{key}: {}", scalar(scalar_value))),
    }
}

fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// Inserts `new` lines after line `after` (0-based).
fn insert_after(text: &str, after: usize, new: &[String]) -> String {
    let nl = newline(text);
    let lines = split(text);
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        if i == after {
            if !line.ends_with('\n') {
                out.push_str(nl);
            }
            for l in new {
                out.push_str(l);
                out.push_str(nl);
            }
        }
    }
    out
}

fn set(
    text: &str,
    index: usize,
    path: &[Step],
    value: &serde_json::Value,
) -> Result<String, String> {
    let docs = documents(text)?;
    let doc = document(&docs, index)?;
    let content = doc.content.as_ref().expect("checked");
    let mut expected = content.clone();
    set_in(&mut expected, path, value.clone())?;
    // The longest prefix of the path that exists.
    let mut node = content;
    let mut depth = 0;
    while depth < path.len() {
        match get(node, &path[depth]) {
            Some(next) => {
                node = next;
                depth += 1;
            }
            None => break,
        }
    }
    let lines = split(text);
    let out = if depth == path.len() {
        if node == value {
            return Ok(text.to_string());
        }
        replace_scalar(text, doc, path, node, value)?
    } else {
        let parent = &path[..depth];
        let missing = &path[depth..];
        match (node, &missing[0]) {
            (serde_json::Value::Object(map), Step::Key(_)) => {
                let keys = keys_of(missing)?;
                if let Some((last_line, child_col)) = map
                    .keys()
                    .filter_map(|k| {
                        let mut child = parent.to_vec();
                        child.push(Step::Key(k.clone()));
                        doc.positions.get(&pointer(&child)).copied()
                    })
                    .max_by_key(|p| p[0])
                    .map(|[line, column]| (line, column))
                {
                    let line = lines[last_line - 1];
                    let at = line.chars().take(child_col - 1).count();
                    if let Some(out) = flow_insert(text, doc, parent, map, &keys, value)? {
                        verify(&out, &docs, index, &expected)?;
                        return Ok(out);
                    }
                    if line[..byte_at(line, child_col)].contains(['{', '[']) {
                        return Err(
                            "the mapping is written in flow style ({…}); edit it by hand".into(),
                        );
                    }
                    let end = node_end(&lines, last_line - 1, at, false);
                    let mut new = Vec::new();
                    render(&keys, value, at, &mut new);
                    insert_after(text, end, &new)
                } else {
                    empty_mapping(text, doc, parent, &keys, value)?
                }
            }
            (serde_json::Value::Array(items), Step::Index(i))
                if *i == items.len() && missing.len() == 1 && !items.is_empty() =>
            {
                let mut last = parent.to_vec();
                last.push(Step::Index(items.len() - 1));
                let [line_no, column] = *doc
                    .positions
                    .get(&pointer(&last))
                    .ok_or("the sequence's last item has no position")?;
                let line = lines[line_no - 1];
                let before = &line[..byte_at(line, column)];
                let dash = before.rfind('-').filter(|_| !before.contains('['));
                let Some(dash) = dash else {
                    return Err(
                        "the sequence is written in flow style ([…]); edit it by hand".into(),
                    );
                };
                let end = node_end(&lines, line_no - 1, dash, true);
                insert_after(
                    text,
                    end,
                    &[format!("{}- {}", " ".repeat(dash), scalar(value))],
                )
            }
            _ => {
                return Err(format!(
                    "{} is not a mapping that can take the new key",
                    shown(parent)
                ));
            }
        }
    };
    verify(&out, &docs, index, &expected)?;
    Ok(out)
}

/// A value in flow style: `true`, `[ALL]`, `{type: RuntimeDefault}`.
fn flow(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(flow).collect::<Vec<_>>().join(", ")
            )
        }
        serde_json::Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!(
                    "{}: {}",
                    scalar(&serde_json::Value::String(k.clone())),
                    flow(v)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => scalar(other),
    }
}

/// A flow mapping (`{a: 1, b: 2}`) gets the new key first, before its first key:
/// `{new: v, a: 1, b: 2}`. `None` when the mapping is in block style.
fn flow_insert(
    text: &str,
    doc: &FileDocument,
    parent: &[Step],
    map: &serde_json::Map<String, serde_json::Value>,
    keys: &[String],
    value: &serde_json::Value,
) -> Result<Option<String>, String> {
    let Some([line_no, column]) = map
        .keys()
        .filter_map(|k| {
            let mut child = parent.to_vec();
            child.push(Step::Key(k.clone()));
            doc.positions.get(&pointer(&child)).copied()
        })
        .min()
    else {
        return Ok(None);
    };
    let lines = split(text);
    let line = lines[line_no - 1];
    let at = byte_at(line, column);
    if !line[..at].trim_end().ends_with('{') {
        return Ok(None);
    }
    let mut nested = value.clone();
    for key in keys[1..].iter().rev() {
        nested = serde_json::json!({ key.clone(): nested });
    }
    let entry = format!(
        "{}: {}, ",
        scalar(&serde_json::Value::String(keys[0].clone())),
        flow(&nested)
    );
    let mut out = String::with_capacity(text.len() + entry.len());
    for (i, l) in lines.iter().enumerate() {
        if i + 1 == line_no {
            out.push_str(&line[..at]);
            out.push_str(&entry);
            out.push_str(&line[at..]);
        } else {
            out.push_str(l);
        }
    }
    Ok(Some(out))
}

/// `key: {}` (or the document root with nothing in it) gets its first block entries.
fn empty_mapping(
    text: &str,
    doc: &FileDocument,
    parent: &[Step],
    keys: &[String],
    value: &serde_json::Value,
) -> Result<String, String> {
    let [line_no, column] = *doc
        .positions
        .get(&pointer(parent))
        .filter(|_| !parent.is_empty())
        .ok_or("an empty document cannot be edited")?;
    let lines = split(text);
    let line = lines[line_no - 1];
    let key_at = byte_at(line, column);
    let colon = colon_after(line, column)?;
    let rest = line[colon + 1..].trim_end_matches(['\n', '\r']);
    let (flow, comment) = match rest.find(" #") {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if flow.trim() != "{}" {
        return Err(format!("{} is not a block mapping", shown(parent)));
    }
    let at = line[..key_at].chars().count();
    let mut new = Vec::new();
    render(keys, value, at + 2, &mut new);
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i + 1 == line_no {
            out.push_str(&line[..=colon]);
            out.push_str(comment);
            out.push_str(newline(text));
            for n in &new {
                out.push_str(n);
                out.push_str(newline(text));
            }
        } else {
            out.push_str(l);
        }
    }
    Ok(out)
}

fn replace_scalar(
    text: &str,
    doc: &FileDocument,
    path: &[Step],
    old: &serde_json::Value,
    value: &serde_json::Value,
) -> Result<String, String> {
    if old.is_object() || old.is_array() || value.is_object() || value.is_array() {
        return Err(format!(
            "{} holds a block value; envgate replaces only single-line values",
            shown(path)
        ));
    }
    let [line_no, column] = *doc
        .positions
        .get(&pointer(path))
        .ok_or("the key has no position")?;
    let lines = split(text);
    let line = lines[line_no - 1];
    let key_at = byte_at(line, column);
    let start = if matches!(path.last(), Some(Step::Key(_))) {
        let colon = line[key_at..]
            .find(": ")
            .or_else(|| {
                line[key_at..]
                    .trim_end()
                    .ends_with(':')
                    .then_some(usize::MAX)
            })
            .ok_or("the value is not on the key's line")?;
        if colon == usize::MAX {
            return Err("the value is not on the key's line".into());
        }
        key_at + colon + 2
    } else {
        key_at
    };
    let body = line[start..].trim_end_matches(['\n', '\r']);
    let in_flow = line[..key_at].contains(['{', '[']);
    let comment = if in_flow {
        // A plain scalar inside `{…}` or `[…]` ends at the next `,`, `}` or `]`.
        if body.starts_with(['"', '\'']) {
            return Err("a quoted value in flow style; edit it by hand".into());
        }
        body.find([',', '}', ']']).map_or("", |i| &body[i..])
    } else {
        body.find(" #").map_or("", |i| &body[i..])
    };
    let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
    let mut out = String::with_capacity(text.len());
    for (i, l) in lines.iter().enumerate() {
        if i + 1 == line_no {
            out.push_str(&line[..start]);
            out.push_str(&scalar(value));
            out.push_str(comment);
            out.push_str(ending);
        } else {
            out.push_str(l);
        }
    }
    Ok(out)
}

fn keys_of(steps: &[Step]) -> Result<Vec<String>, String> {
    steps
        .iter()
        .map(|s| match s {
            Step::Key(k) => Ok(k.clone()),
            Step::Index(_) => Err("a missing sequence item cannot be created".to_string()),
        })
        .collect()
}

fn shown(path: &[Step]) -> String {
    if path.is_empty() {
        return "the document".into();
    }
    pointer(path)
}

fn set_in(
    doc: &mut serde_json::Value,
    path: &[Step],
    value: serde_json::Value,
) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("a YAML edit names no key".into());
    };
    let mut at = doc;
    for step in parents {
        at = match step {
            Step::Key(key) => at
                .as_object_mut()
                .ok_or_else(|| format!("{key}: not a mapping"))?
                .entry(key.clone())
                .or_insert(serde_json::json!({})),
            Step::Index(i) => at
                .as_array_mut()
                .and_then(|a| a.get_mut(*i))
                .ok_or_else(|| format!("no item {i}"))?,
        };
    }
    match last {
        Step::Key(key) => {
            at.as_object_mut()
                .ok_or_else(|| format!("{key}: not a mapping"))?
                .insert(key.clone(), value);
        }
        Step::Index(i) => {
            let items = at.as_array_mut().ok_or("not a sequence")?;
            match i.cmp(&items.len()) {
                std::cmp::Ordering::Less => items[*i] = value,
                std::cmp::Ordering::Equal => items.push(value),
                std::cmp::Ordering::Greater => return Err(format!("no item {i}")),
            }
        }
    }
    Ok(())
}

fn delete_in(doc: &mut serde_json::Value, path: &[Step]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut at = doc;
    for step in parents {
        let next = match step {
            Step::Key(key) => at.as_object_mut().and_then(|o| o.get_mut(key)),
            Step::Index(i) => at.as_array_mut().and_then(|a| a.get_mut(*i)),
        };
        match next {
            Some(next) => at = next,
            None => return false,
        }
    }
    match last {
        Step::Key(key) => at.as_object_mut().is_some_and(|o| o.remove(key).is_some()),
        Step::Index(i) => at.as_array_mut().is_some_and(|a| {
            if *i < a.len() {
                a.remove(*i);
                true
            } else {
                false
            }
        }),
    }
}

/// The edited text must parse, hold the same documents, and read as intended.
fn verify(
    out: &str,
    before: &[FileDocument],
    index: usize,
    expected: &serde_json::Value,
) -> Result<(), String> {
    let after = documents(out).map_err(|e| format!("the edit would break the file: {e}"))?;
    let same_shape = after.len() == before.len()
        && before.iter().zip(&after).all(|(b, a)| {
            b.document == a.document
                && if b.document == index {
                    a.content.as_ref() == Some(expected)
                } else {
                    a.content == b.content
                }
        });
    if same_shape {
        Ok(())
    } else {
        Err("the edited YAML does not read back as intended; edit it by hand".into())
    }
}

#[cfg(test)]
mod tests;
