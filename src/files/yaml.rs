//! YAML with line numbers: saphyr-parser's events (each with a start mark) are built
//! into JSON values here, recording the position of every value as it goes.
//!
//! Why not `yaml_serde`: it gives values without positions. The libyaml port under it
//! (`libyaml-rs`) has marks but only a raw-pointer C API; saphyr-parser is a safe,
//! event-based YAML 1.2 parser whose marks carry line and column.
//!
//! Scalars are resolved with the YAML 1.2 core schema (`true`, `null`, `~`, `12`,
//! `0x1f`, `1.5e3`; quoted and block scalars are strings; `!!str` and friends are
//! honoured, other tags ignored), like yaml_serde. Each document is judged on its own;
//! an alias is a copy of its anchor's value positioned at the alias; `<<` merge keys
//! are applied; a duplicate key is an error (as kubectl treats it). Nesting deeper than
//! [`MAX_DEPTH`] and alias expansion beyond [`MAX_ALIAS_NODES`] ("billion laughs") are
//! errors, so no input can exhaust the stack or memory.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Tag};
use serde_json::{Map, Number, Value};

use super::ParsedDocument;
use super::source_map::{MAX_DEPTH, Position, Positions, element, member};
use crate::snapshot::FileParseError;

/// Values copied in through aliases, per document: beyond this the file is rejected.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// Every document of a YAML stream. A syntax error ends the stream: the documents
/// before it are kept, the failing one carries the error.
pub fn parse(text: &str) -> Vec<ParsedDocument> {
    let mut parser = Parser::new_from_str(text);
    let mut documents = Vec::new();
    let mut builder: Option<Builder> = None;
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(next)) => next,
            Some(Err(error)) => {
                let marker = error.marker();
                let failed = FileParseError {
                    message: error.info().to_string(),
                    line: marker.line().max(1),
                    column: marker.col() + 1,
                };
                let line = builder.as_ref().map_or(failed.line, |b| b.start_line);
                documents.push(ParsedDocument::failed(line, failed));
                return documents;
            }
        };
        match event {
            Event::DocumentStart(_) => builder = Some(Builder::new(position(span.start))),
            Event::DocumentEnd => {
                if let Some(done) = builder.take() {
                    documents.push(done.finish());
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            other => {
                let Some(current) = builder.as_mut() else {
                    continue;
                };
                if let Err(message) = current.event(other, span.start) {
                    let [line, column] = position(span.start);
                    let start_line = current.start_line;
                    documents.push(ParsedDocument::failed(
                        start_line,
                        FileParseError {
                            message,
                            line,
                            column,
                        },
                    ));
                    return documents;
                }
            }
        }
    }
    documents
}

fn position(mark: Marker) -> Position {
    [mark.line().max(1), mark.col() + 1]
}

/// A container being filled.
enum Container {
    Sequence(Vec<Value>),
    Mapping {
        map: Map<String, Value>,
        /// The key read, waiting for its value: text, position, is it a plain `<<`.
        key: Option<(String, Position, bool)>,
        /// `<<` values, applied when the mapping ends; with the `<<` key's position.
        merges: Vec<(Value, Position)>,
    },
}

struct Frame {
    container: Container,
    /// Where this container is in the document; `None` inside a complex key or a
    /// merge value, whose positions mean nothing in the result.
    pointer: Option<String>,
    anchor: usize,
    /// Nodes inside, for the alias expansion budget.
    nodes: usize,
}

struct Builder {
    start_line: usize,
    stack: Vec<Frame>,
    root: Option<Value>,
    positions: Positions,
    anchors: HashMap<usize, (Value, usize)>,
    expanded: usize,
}

impl Builder {
    fn new(start: Position) -> Self {
        Self {
            start_line: start[0],
            stack: Vec::new(),
            root: None,
            positions: Positions::new(),
            anchors: HashMap::new(),
            expanded: 0,
        }
    }

    fn finish(self) -> ParsedDocument {
        let line = self
            .positions
            .get("")
            .map_or(self.start_line, |&[line, _]| line);
        ParsedDocument {
            line,
            content: self.root,
            positions: self.positions,
            error: None,
        }
    }

    fn event(&mut self, event: Event<'_>, mark: Marker) -> Result<(), String> {
        let at = position(mark);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = resolve_scalar(&text, style, tag.as_deref());
                let plain_merge = style == ScalarStyle::Plain && text == "<<" && tag.is_none();
                if anchor > 0 {
                    self.anchors.insert(anchor, (value.clone(), 1));
                }
                self.add(value, at, 1, plain_merge)
            }
            Event::Alias(id) => {
                let (value, nodes) = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| "alias to an unknown anchor".to_string())?;
                self.expanded += nodes;
                if self.expanded > MAX_ALIAS_NODES {
                    return Err(format!(
                        "aliases expand to more than {MAX_ALIAS_NODES} values; not parsed"
                    ));
                }
                self.add(value, at, nodes, false)
            }
            Event::SequenceStart(anchor, _) => {
                self.open(Container::Sequence(Vec::new()), anchor, at)
            }
            Event::MappingStart(anchor, _) => self.open(
                Container::Mapping {
                    map: Map::new(),
                    key: None,
                    merges: Vec::new(),
                },
                anchor,
                at,
            ),
            Event::SequenceEnd | Event::MappingEnd => self.close(at),
            _ => Ok(()),
        }
    }

    fn open(&mut self, container: Container, anchor: usize, at: Position) -> Result<(), String> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!(
                "nesting deeper than {MAX_DEPTH} levels; not parsed"
            ));
        }
        let pointer = self.next_pointer();
        if let Some(pointer) = &pointer {
            // Object members are positioned at their key, recorded with the key.
            if !matches!(
                self.stack.last().map(|f| &f.container),
                Some(Container::Mapping { .. })
            ) {
                self.positions.insert(pointer.clone(), at);
            }
        }
        self.stack.push(Frame {
            container,
            pointer,
            anchor,
            nodes: 1,
        });
        Ok(())
    }

    fn close(&mut self, at: Position) -> Result<(), String> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let value = match frame.container {
            Container::Sequence(items) => Value::Array(items),
            Container::Mapping {
                mut map, merges, ..
            } => {
                apply_merges(
                    &mut map,
                    merges,
                    frame.pointer.as_deref(),
                    &mut self.positions,
                )?;
                Value::Object(map)
            }
        };
        if frame.anchor > 0 {
            self.anchors
                .insert(frame.anchor, (value.clone(), frame.nodes));
        }
        // A container's own position was recorded when it opened.
        self.attach(value, at, frame.nodes, false, false)
    }

    /// The pointer the next value gets, if it is a value and not a key.
    fn next_pointer(&self) -> Option<String> {
        match self.stack.last() {
            None => Some(String::new()),
            Some(frame) => {
                let parent = frame.pointer.as_deref()?;
                match &frame.container {
                    Container::Sequence(items) => Some(element(parent, items.len())),
                    Container::Mapping {
                        key: Some((key, _, merge)),
                        ..
                    } => (!merge).then(|| member(parent, key)),
                    Container::Mapping { key: None, .. } => None,
                }
            }
        }
    }

    fn add(
        &mut self,
        value: Value,
        at: Position,
        nodes: usize,
        plain_merge: bool,
    ) -> Result<(), String> {
        self.attach(value, at, nodes, true, plain_merge)
    }

    /// Puts a finished value where it belongs: the root, a sequence element, a
    /// mapping key, or the value of the pending key.
    fn attach(
        &mut self,
        value: Value,
        at: Position,
        nodes: usize,
        record: bool,
        plain_merge: bool,
    ) -> Result<(), String> {
        let Some(frame) = self.stack.last_mut() else {
            if record || !self.positions.contains_key("") {
                self.positions.insert(String::new(), at);
            }
            self.root = Some(value);
            return Ok(());
        };
        frame.nodes += nodes;
        match &mut frame.container {
            Container::Sequence(items) => {
                if record && let Some(parent) = &frame.pointer {
                    self.positions.insert(element(parent, items.len()), at);
                }
                items.push(value);
            }
            Container::Mapping { map, key, merges } => match key.take() {
                None => {
                    let text = match value {
                        Value::String(s) => s,
                        Value::Null => "null".to_string(),
                        other => other.to_string(),
                    };
                    if !plain_merge && map.contains_key(&text) {
                        return Err(format!("duplicate key {text:?} in a mapping"));
                    }
                    if !plain_merge && let Some(parent) = &frame.pointer {
                        self.positions.insert(member(parent, &text), at);
                    }
                    *key = Some((text, at, plain_merge));
                }
                Some((_, key_at, true)) => merges.push((value, key_at)),
                Some((text, _, false)) => {
                    map.insert(text, value);
                }
            },
        }
        Ok(())
    }
}

/// `<<: *base` or `<<: [*a, *b]`: keys not written in the mapping itself come from the
/// merged mappings (the first listed wins), positioned at the `<<` key.
fn apply_merges(
    map: &mut Map<String, Value>,
    merges: Vec<(Value, Position)>,
    pointer: Option<&str>,
    positions: &mut Positions,
) -> Result<(), String> {
    if merges.is_empty() {
        return Ok(());
    }
    let explicit: HashSet<String> = map.keys().cloned().collect();
    for (value, at) in merges {
        let sources = match value {
            Value::Object(source) => vec![source],
            Value::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    Value::Object(source) => Ok(source),
                    _ => Err("a `<<` merge list holds something other than mappings"),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err("a `<<` merge key needs a mapping or a list of mappings".into()),
        };
        for source in sources {
            for (key, value) in source {
                if explicit.contains(&key) || map.contains_key(&key) {
                    continue;
                }
                if let Some(parent) = pointer {
                    positions.insert(member(parent, &key), at);
                }
                map.insert(key, value);
            }
        }
    }
    Ok(())
}

/// A scalar's JSON value under the YAML 1.2 core schema.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let core = tag.filter(|t| t.is_yaml_core_schema() || t.handle == "!!");
    if let Some(tag) = core {
        let typed = match tag.suffix.as_str() {
            "str" => Some(Value::String(text.to_string())),
            "null" => Some(Value::Null),
            "bool" => parse_bool(text).map(Value::Bool),
            "int" => parse_int(text),
            "float" => parse_float(text).or_else(|| parse_int(text)),
            _ => None,
        };
        if let Some(value) = typed {
            return value;
        }
    }
    if style != ScalarStyle::Plain || tag.is_some_and(|t| t.handle == "!" && t.suffix.is_empty()) {
        return Value::String(text.to_string());
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    if let Some(b) = parse_bool(text) {
        return Value::Bool(b);
    }
    parse_int(text)
        .or_else(|| parse_float(text))
        .unwrap_or_else(|| Value::String(text.to_string()))
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn parse_int(text: &str) -> Option<Value> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(octal) = digits.strip_prefix("0o") {
        (8, octal)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok();
    match (negative, magnitude) {
        (false, Some(n)) => Some(Value::Number(n.into())),
        (true, Some(n)) if n <= i64::MAX as u64 + 1 => {
            Some(Value::Number((0i64.wrapping_sub_unsigned(n)).into()))
        }
        // Too large for 64 bits: a float, like yaml_serde.
        _ if radix == 10 => parse_float(text),
        _ => None,
    }
}

fn parse_float(text: &str) -> Option<Value> {
    let body = text.trim_start_matches(['-', '+']);
    let looks_numeric = !body.is_empty()
        && body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if !looks_numeric {
        // `.inf` and `.nan` have no JSON form: they stay strings.
        return None;
    }
    let number: f64 = text.parse().ok()?;
    Number::from_f64(number).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> ParsedDocument {
        let mut docs = parse(text);
        assert_eq!(docs.len(), 1, "{docs:?}");
        docs.remove(0)
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let doc = one(
            "a: true\nb: ~\nc: 12\nd: -0x10\ne: 1.5e3\nf: '12'\ng: yes\nh: !!str 7\ni: .inf\nj: 0o17\nk: 99999999999999999999\n",
        );
        assert_eq!(
            doc.content.unwrap(),
            serde_json::json!({"a": true, "b": null, "c": 12, "d": -16, "e": 1500.0,
                "f": "12", "g": "yes", "h": "7", "i": ".inf", "j": 15, "k": 1e20})
        );
    }

    #[test]
    fn positions_point_at_keys_and_elements() {
        let doc = one("kind: Pod\nspec:\n  containers:\n    - name: web\n      image: nginx\n");
        let at = |p: &str| doc.positions.get(p).copied();
        assert_eq!(at(""), Some([1, 1]));
        assert_eq!(at("/spec"), Some([2, 1]));
        assert_eq!(at("/spec/containers"), Some([3, 3]));
        assert_eq!(at("/spec/containers/0"), Some([4, 7]));
        assert_eq!(at("/spec/containers/0/image"), Some([5, 7]));
    }

    #[test]
    fn merge_keys_fill_missing_keys_only() {
        let doc = one("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n");
        assert_eq!(
            doc.content.unwrap()["m"],
            serde_json::json!({"x": 1, "y": 3})
        );
        assert_eq!(doc.positions.get("/m/x"), Some(&[3, 3]));
        assert_eq!(doc.positions.get("/m/y"), Some(&[4, 3]));
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second_key() {
        let docs = parse("a: 1\nb: 2\na: 3\n");
        let error = docs[0].error.clone().unwrap();
        assert_eq!((error.line, error.column), (3, 1));
        assert!(error.message.contains("duplicate key \"a\""));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let prev = format!("*a{}", i - 1);
            let items = [prev.as_str(); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        let docs = parse(&text);
        assert!(docs[0].error.as_ref().unwrap().message.contains("aliases"));
    }
}
