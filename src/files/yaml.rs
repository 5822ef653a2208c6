//! YAML with line numbers: saphyr-parser's events (each with a start mark) are built
//! into JSON values here, recording the position of every value as it goes.
//!
//! Why not `yaml_serde`: it gives values without positions. The libyaml port under it
//! (`libyaml-rs`) has marks but only a raw-pointer C API; saphyr-parser is a safe,
//! event-based YAML 1.2 parser whose marks carry line and column.
//!
//! Scalars are resolved with the YAML 1.2 core schema (`true`, `null`, `~`, `12`,
//! `0x1f`, `1.5e3`; quoted and block scalars are strings; `!!str` and friends are
//! honoured, other tags ignored), like yaml_serde, except in Kubernetes documents,
//! which are read again with YAML 1.1 rules as kubectl does (`yes`/`on` are true,
//! `0777` is octal; see `yaml_schema.rs`). Each document is judged on its own; an
//! alias is a copy of its anchor's value positioned at the alias; `<<` merge keys are
//! applied; a duplicate key keeps the value given last, with a warning, as kubectl
//! does (`yaml_repair.rs` has what else kubectl accepts). Nesting deeper than
//! [`MAX_DEPTH`] and alias expansion beyond [`MAX_ALIAS_NODES`] ("billion laughs") are
//! errors, so no input can exhaust the stack or memory.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle};
use serde_json::{Map, Value};

use super::ParsedDocument;
use super::bounds::{self, MAX_FILE_DOCUMENTS, MAX_FILE_NODES};
use super::source_map::{MAX_DEPTH, Position, Positions, element, member};
use super::yaml_repair as repair;
use super::yaml_schema::{Schema, resolve, schemas_differ};
use crate::snapshot::FileParseError;

/// Values copied in through aliases, per document: beyond this the file is rejected.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// Every document of a YAML stream, under the YAML 1.2 core schema (configuration,
/// compose files). A syntax error ends the stream: the documents before it are kept,
/// the failing one carries the error.
pub fn parse(text: &str) -> Vec<ParsedDocument> {
    parse_with(text, false)
}

/// [`parse`], where `kubernetes` gives documents with `apiVersion` and `kind` kubectl's
/// scalar resolution (YAML 1.1, [`Schema::Kubernetes`]).
pub fn parse_with(text: &str, kubernetes: bool) -> Vec<ParsedDocument> {
    let mut repaired: Option<String> = None;
    for _ in 0..MAX_REPAIRS {
        let current = repaired.as_deref().unwrap_or(text);
        let documents = parse_stream(current, kubernetes);
        let failed = documents.last().and_then(|d| d.error.as_ref());
        match failed.and_then(|error| repair::quoted_indentation(current, error)) {
            Some(fixed) => repaired = Some(fixed),
            None => return documents,
        }
    }
    parse_stream(repaired.as_deref().unwrap_or(text), kubernetes)
}

/// Quoted scalars whose continuation lines are re-indented before giving up.
const MAX_REPAIRS: usize = 64;

fn parse_stream(text: &str, kubernetes: bool) -> Vec<ParsedDocument> {
    let mut documents = read_documents(text, Schema::Core, 0, usize::MAX);
    if !kubernetes {
        return documents.into_iter().map(|(doc, _)| doc).collect();
    }
    // A Kubernetes document with a scalar that YAML 1.1 reads otherwise (`yes`,
    // `0777`) is read again, from its first line, the way kubectl reads it. Most
    // documents have none and are read once, without holding their events.
    let mut line_starts: Option<Vec<usize>> = None;
    for (doc, ambiguous) in &mut documents {
        let Some(first_line) = *ambiguous else {
            continue;
        };
        if doc.error.is_some() || !is_kubernetes(doc.content.as_ref()) {
            continue;
        }
        let starts = line_starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let Some(&offset) = starts.get(first_line - 1) else {
            continue;
        };
        let again = read_documents(&text[offset..], Schema::Kubernetes, first_line - 1, 1);
        if let Some((reread, _)) = again.into_iter().next() {
            *doc = reread;
        }
    }
    documents.into_iter().map(|(doc, _)| doc).collect()
}

/// Up to `limit` documents of `text` under `schema`, each with, when it holds a scalar
/// the other schema reads otherwise, the line it starts at. Lines are shifted by
/// `line_offset` (for text that starts further down a file).
fn read_documents(
    text: &str,
    schema: Schema,
    line_offset: usize,
    limit: usize,
) -> Vec<(ParsedDocument, Option<usize>)> {
    let mut parser = Parser::new_from_str(text);
    let mut documents = Vec::new();
    let mut builder: Option<Builder> = None;
    // Values of the documents read so far, and documents begun (see `bounds.rs`).
    let (mut nodes, mut begun) = (0usize, 0usize);
    while documents.len() < limit {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(next)) => next,
            Some(Err(error)) => {
                let marker = error.marker();
                let failed = FileParseError {
                    message: error.info().to_string(),
                    line: marker.line().max(1) + line_offset,
                    column: marker.col() + 1,
                };
                let line = builder.as_ref().map_or(failed.line, |b| b.start_line);
                documents.push((ParsedDocument::failed(line, failed), None));
                return documents;
            }
        };
        if matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
        ) {
            nodes += 1;
        }
        begun += usize::from(matches!(event, Event::DocumentStart(_)));
        let expanded = builder.as_ref().map_or(0, |b| b.expanded);
        let bound = if begun > MAX_FILE_DOCUMENTS {
            Some(bounds::documents_bound())
        } else if nodes + expanded > MAX_FILE_NODES {
            Some(bounds::nodes_bound())
        } else {
            None
        };
        if let Some(bound) = bound {
            // The whole file is one error: judging its first part would pass the rest.
            let [line, column] = position(span.start);
            let error = bounds::too_large(&bound, line + line_offset, column);
            return vec![(ParsedDocument::failed(1, error), None)];
        }
        match event {
            Event::DocumentStart(_) => {
                let [line, column] = position(span.start);
                builder = Some(Builder::new(
                    [line + line_offset, column],
                    schema,
                    line_offset,
                ));
            }
            Event::DocumentEnd => {
                if let Some(done) = builder.take() {
                    nodes += done.expanded;
                    let ambiguous = done.ambiguous.then_some(done.first_line);
                    documents.push((done.finish(), ambiguous));
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            other => {
                let Some(current) = builder.as_mut() else {
                    continue;
                };
                if let Err(message) = current.event(other, span.start) {
                    let [line, column] = current.position(span.start);
                    let start_line = current.start_line;
                    documents.push((
                        ParsedDocument::failed(
                            start_line,
                            FileParseError {
                                message,
                                line,
                                column,
                            },
                        ),
                        None,
                    ));
                    return documents;
                }
            }
        }
    }
    documents
}

/// A Kubernetes document: a mapping whose `apiVersion` and `kind` are strings.
fn is_kubernetes(content: Option<&Value>) -> bool {
    let field = |name: &str| {
        content
            .and_then(|c| c.get(name))
            .is_some_and(Value::is_string)
    };
    field("apiVersion") && field("kind")
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
    schema: Schema,
    /// Duplicate keys (the last one wins, as in kubectl).
    warnings: Vec<FileParseError>,
    /// A mapping or sequence used as a key: what `{{ .Values.x }}` parses to.
    complex_key: bool,
    /// A plain scalar that the other schema reads otherwise (`yes`, `0777`).
    ambiguous: bool,
    /// Lines above the text being parsed (a document read again on its own).
    line_offset: usize,
    /// The line of the document's start (`---` or its first token).
    first_line: usize,
}

impl Builder {
    fn new(start: Position, schema: Schema, line_offset: usize) -> Self {
        Self {
            ambiguous: false,
            line_offset,
            first_line: start[0],
            schema,
            warnings: Vec::new(),
            complex_key: false,
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
            warnings: self.warnings,
            complex_key: self.complex_key,
        }
    }

    fn position(&self, mark: Marker) -> Position {
        let [line, column] = position(mark);
        [line + self.line_offset, column]
    }

    fn event(&mut self, event: Event<'_>, mark: Marker) -> Result<(), String> {
        let at = self.position(mark);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = resolve(self.schema, &text, style, tag.as_deref());
                if style == ScalarStyle::Plain && tag.is_none() && !self.ambiguous {
                    self.ambiguous = schemas_differ(&text, &value);
                }
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
                    self.complex_key |= matches!(value, Value::Object(_) | Value::Array(_));
                    let text = match value {
                        Value::String(s) => s,
                        Value::Null => "null".to_string(),
                        other => other.to_string(),
                    };
                    if !plain_merge && map.contains_key(&text) {
                        // kubectl keeps the last value; so does envgate, and says so.
                        map.remove(&text);
                        let [line, column] = at;
                        self.warnings.push(FileParseError {
                            message: format!(
                                "duplicate key {text:?}: the value given last is used, as kubectl does"
                            ),
                            line,
                            column,
                        });
                        if let Some(parent) = &frame.pointer {
                            forget_positions(&mut self.positions, &member(parent, &text));
                        }
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

/// Drops the positions of `pointer` and everything under it (a value replaced by a
/// duplicate key).
fn forget_positions(positions: &mut Positions, pointer: &str) {
    let below = format!("{pointer}/");
    positions.remove(pointer);
    let inner: Vec<String> = positions
        .range(below.clone()..)
        .take_while(|(key, _)| key.starts_with(&below))
        .map(|(key, _)| key.clone())
        .collect();
    for key in inner {
        positions.remove(&key);
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

/// The first document of `text` with every scalar resolved as sigs.k8s.io/yaml (YAML
/// 1.1) reads it, lines shifted by `line_offset`; `None` when `text` holds no document
/// (empty or comments only). For conftest's reading of YAML, which decodes each part
/// between `---` separators on its own and only its first document.
pub fn first_document_yaml11(text: &str, line_offset: usize) -> Option<ParsedDocument> {
    read_documents(text, Schema::Kubernetes, line_offset, 1)
        .into_iter()
        .next()
        .map(|(doc, _)| doc)
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
    fn duplicate_keys_keep_the_last_value_with_a_warning() {
        let docs = parse("a:\n  x: 1\nb: 2\na: 3\n");
        assert_eq!(docs[0].error, None);
        assert_eq!(
            docs[0].content.clone().unwrap(),
            serde_json::json!({"a": 3, "b": 2})
        );
        let warning = &docs[0].warnings[0];
        assert_eq!((warning.line, warning.column), (4, 1));
        assert!(warning.message.contains("duplicate key \"a\""));
        assert_eq!(docs[0].positions.get("/a"), Some(&[4, 1]));
        assert_eq!(docs[0].positions.get("/a/x"), None);
    }

    #[test]
    fn kubernetes_documents_read_scalars_as_kubectl() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  hostNetwork: on\n  mode: 0777\n  quoted: 'yes'\n---\nname: ci\non: push\nflag: yes\n";
        let docs = parse_with(text, true);
        let pod = docs[0].content.clone().unwrap();
        assert_eq!(pod["spec"]["hostNetwork"], serde_json::json!(true));
        assert_eq!(pod["spec"]["mode"], serde_json::json!(511));
        assert_eq!(pod["spec"]["quoted"], serde_json::json!("yes"));
        assert_eq!(docs[0].positions.get("/spec/mode"), Some(&[5, 3]));
        // Not a Kubernetes document: YAML 1.2 (a workflow's `on:` stays a key).
        let workflow = docs[1].content.clone().unwrap();
        assert_eq!(workflow["on"], serde_json::json!("push"));
        assert_eq!(workflow["flag"], serde_json::json!("yes"));
        // A name that decides the kind (compose) keeps YAML 1.2 throughout.
        let core = parse("apiVersion: v1\nkind: Pod\nx: yes\n");
        assert_eq!(
            core[0].content.clone().unwrap()["x"],
            serde_json::json!("yes")
        );
    }

    #[test]
    fn quoted_scalars_continued_at_column_one_parse_as_in_kubectl() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    a: '{\"x\": 1,\n\"y\": 2}'\n    b: \"one\n  two\"\ndata: {}\n";
        let docs = parse_with(text, true);
        assert_eq!(docs[0].error, None, "{docs:?}");
        let content = docs[0].content.clone().unwrap();
        assert_eq!(
            content["metadata"]["annotations"],
            serde_json::json!({"a": "{\"x\": 1, \"y\": 2}", "b": "one two"})
        );
        assert_eq!(docs[0].positions.get("/data"), Some(&[9, 1]));
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
