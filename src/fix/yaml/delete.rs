//! `yaml_delete`: a key or a sequence item taken out of a block or flow collection,
//! with the lines (or the flow text) it held and nothing else; a sequence left empty
//! becomes `[]`. Like a set, each delete is verified by parsing the result again.

use super::*;

pub(super) fn delete(text: &str, index: usize, path: &[Step]) -> Result<String, String> {
    let docs = documents(text)?;
    let doc = document(&docs, index)?;
    let content = doc.content.as_ref().expect("checked");
    let mut expected = content.clone();
    if !delete_in(&mut expected, path) {
        return Ok(text.to_string());
    }
    if let Some(Step::Index(i)) = path.last() {
        let out = delete_item(text, doc, path, *i)?;
        verify(&out, &docs, index, &expected)?;
        return Ok(out);
    }
    let Some(Step::Key(_)) = path.last() else {
        return Err("only a key or a sequence item can be deleted".into());
    };
    let [line_no, column] = *doc
        .positions
        .get(&pointer(path))
        .ok_or("the key has no position")?;
    let lines = split(text);
    let line = lines[line_no - 1];
    let before = &line[..byte_at(line, column)];
    if !before.trim().is_empty() {
        return Err("the key shares its line with a `- ` or `{`; edit it by hand".into());
    }
    let at = before.chars().count();
    let end = node_end(&lines, line_no - 1, at, false);
    let out: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < line_no - 1 || *i > end)
        .map(|(_, l)| *l)
        .collect();
    verify(&out, &docs, index, &expected)?;
    Ok(out)
}

/// Deletes item `i` of a sequence: a block item's lines (`- …` and the lines under
/// it), or a flow item with its comma (`[a, b]` → `[b]`). A block sequence left empty
/// becomes `key: []`, as it read before its last item went (not null).
fn delete_item(text: &str, doc: &FileDocument, path: &[Step], i: usize) -> Result<String, String> {
    let parent = &path[..path.len() - 1];
    let content = doc.content.as_ref().expect("checked");
    let mut node = content;
    for step in parent {
        node = get(node, step).ok_or("the sequence is not there")?;
    }
    let count = node.as_array().map_or(0, Vec::len);
    let [line_no, column] = *doc
        .positions
        .get(&pointer(path))
        .ok_or("the item has no position")?;
    let lines = split(text);
    let line = lines[line_no - 1];
    let at = byte_at(line, column);
    let before = &line[..at];
    if before.contains(['[', '{']) || before.trim_end().ends_with(',') {
        return delete_flow_item(text, line_no, at);
    }
    let Some(head) = before.trim_end().strip_suffix('-') else {
        return Err("the item does not start its line with `- `; edit it by hand".into());
    };
    if !head.trim().is_empty() {
        return Err("the item shares its line with another `- ` or a key; edit it by hand".into());
    }
    let dash = head.chars().count();
    let end = node_end(&lines, line_no - 1, dash, true);
    let mut out: String = lines
        .iter()
        .enumerate()
        .filter(|(n, _)| *n < line_no - 1 || *n > end)
        .map(|(_, l)| *l)
        .collect();
    if count == 1 && i == 0 {
        out = empty_sequence(&out, doc, parent)?;
    }
    Ok(out)
}

/// `key:` whose block items are all gone reads `key: []`.
fn empty_sequence(text: &str, doc: &FileDocument, parent: &[Step]) -> Result<String, String> {
    let Some(Step::Key(_)) = parent.last() else {
        return Err("the last item of a nested sequence; edit it by hand".into());
    };
    let [line_no, column] = *doc
        .positions
        .get(&pointer(parent))
        .ok_or("the sequence's key has no position")?;
    let lines = split(text);
    let line = lines[line_no - 1];
    let colon = colon_after(line, column)?;
    let rest = &line[colon + 1..];
    let body = rest.trim_end_matches(['\n', '\r']);
    if !(body.trim().is_empty() || body.trim_start().starts_with('#')) {
        return Err("the sequence's key holds more on its line; edit it by hand".into());
    }
    let mut out = String::with_capacity(text.len() + 3);
    for (n, l) in lines.iter().enumerate() {
        if n + 1 == line_no {
            out.push_str(&line[..=colon]);
            out.push_str(" []");
            out.push_str(rest);
        } else {
            out.push_str(l);
        }
    }
    Ok(out)
}

/// Removes the flow item starting at byte `at` of line `line_no`, and the comma that
/// separates it from the next item (or, for the last item, from the one before).
fn delete_flow_item(text: &str, line_no: usize, at: usize) -> Result<String, String> {
    let lines = split(text);
    let line = lines[line_no - 1];
    let rest = &line[at..];
    let len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let close = rest[1..]
                .find(q)
                .ok_or("a quoted item spans lines; edit it by hand")?;
            close + 2
        }
        Some('[' | '{') => return Err("a nested flow item; edit it by hand".into()),
        _ => rest
            .find([',', ']'])
            .ok_or("the flow sequence spans lines; edit it by hand")?,
    };
    let item_end = at + len;
    let after = &line[item_end..];
    let spaces_after = after.len() - after.trim_start_matches(' ').len();
    let head = line[..at].trim_end_matches(' ');
    let (start, end) = match after.trim_start_matches(' ').chars().next() {
        // `[a, b]` without a: the comma and the spaces after it go too.
        Some(',') => {
            let next = &after[spaces_after + 1..];
            (
                at,
                item_end + spaces_after + 1 + (next.len() - next.trim_start_matches(' ').len()),
            )
        }
        // The last item: the comma before it goes; the only one: `[ a ]` → `[]`.
        Some(']') => match head.strip_suffix(',') {
            Some(h) => (h.trim_end_matches(' ').len(), item_end),
            None => (head.len(), item_end + spaces_after),
        },
        _ => return Err("the flow sequence spans lines; edit it by hand".into()),
    };
    let mut out = String::with_capacity(text.len());
    for (n, l) in lines.iter().enumerate() {
        if n + 1 == line_no {
            out.push_str(&line[..start]);
            out.push_str(&line[end..]);
        } else {
            out.push_str(l);
        }
    }
    Ok(out)
}
