//! `envgate check PATH…`: find the files, recognise them, parse every document with a
//! source map, and put them into the snapshot's `files` section.
//!
//! Files are read straight from this machine's file system (they are the working tree
//! a pre-commit hook or a pipeline checks, not part of a machine image). A file that
//! cannot be parsed becomes a document with an `error` and never stops the others.
//! Parsing runs on every core; the work is per file, so one huge file is one task.

pub mod batches;
pub mod bounds;
pub mod detect;
pub mod discover;
pub(crate) mod dockerfile;
mod dockerfile_stages;
mod dotenv;
pub mod evaluate;
mod facts;
mod git_ignored;
pub(crate) mod json;
mod kustomize;
mod secrets;
pub mod source_map;
mod sources;
mod template;
pub(crate) mod toml;
mod tool_versions;
pub mod unread;
pub(crate) mod yaml;
mod yaml_repair;
pub mod yaml_schema;

use std::collections::BTreeSet;

use serde_json::Value;

use crate::error::Error;
use crate::redact::redact_line;
use crate::snapshot::{FileDocument, FileKind, FileParseError, FilesSummary, NotJudged};
use detect::{Detected, Syntax};
use discover::{Candidate, Excludes, Source};
use source_map::{PositionIndex, Positions};
pub use sources::FileSources;
use unread::Unread;

/// Files larger than this are not parsed (a syntax error says so). The values and
/// documents of one file are bounded too (`bounds.rs`): bytes do not bound the work.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// What a parser makes of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDocument {
    /// 1-based line where its content starts.
    pub line: usize,
    pub content: Option<Value>,
    pub positions: Positions,
    pub error: Option<FileParseError>,
    /// What was read, but not quite as written (a duplicate key).
    pub warnings: Vec<FileParseError>,
    /// YAML: a mapping or sequence used as a key (an unrendered `{{ … }}`).
    pub complex_key: bool,
}

impl ParsedDocument {
    fn failed(line: usize, error: FileParseError) -> Self {
        Self {
            line,
            content: None,
            positions: Positions::new(),
            error: Some(error),
            warnings: Vec::new(),
            complex_key: false,
        }
    }

    /// A document read without error or warning.
    fn parsed(line: usize, content: Value, positions: Positions) -> Self {
        Self {
            line,
            content: Some(content),
            positions,
            error: None,
            warnings: Vec::new(),
            complex_key: false,
        }
    }
}

/// How `envgate check PATH…` finds and reads files.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Walk directories without honouring `.gitignore`.
    pub no_ignore: bool,
    /// `--exclude` globs.
    pub exclude: Vec<String>,
    /// `--parser`: how standard input (`-`) is parsed; sniffed when absent.
    pub stdin_syntax: Option<Syntax>,
    /// Hand each document to the policy engine as soon as it is parsed (in the parsing
    /// threads) and drop its JSON `content`: a files-only check needs the content only
    /// as engine input, and 10,000 documents held twice cost ~50 MB.
    pub engine_input: Option<EngineInput>,
    /// `--allow-unparsed`: files that cannot be parsed are listed, not failed (K8S000
    /// is not reported for them).
    pub allow_unparsed: bool,
    /// `--partial`: the paths are part of a repository (a pre-commit hook's staged
    /// files), so the rules that compare files are not judged: what they would say
    /// depends on files that are not here.
    pub partial: bool,
}

/// The shape of a document in the engine's `input.files`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineInput {
    /// Include `positions` (two thirds of the input's size); only packs whose Rego
    /// mentions `positions` need them, the report resolves `location.path` itself.
    pub positions: bool,
}

/// The checked files: their documents (the snapshot's `files`), the counts, and the
/// text of each file for the report's snippets.
#[derive(Debug, Default)]
pub struct FilesCheck {
    pub documents: Vec<FileDocument>,
    pub summary: FilesSummary,
    pub sources: FileSources,
    /// With [`CheckOptions::engine_input`]: each document as the engine's value, in
    /// the order of `documents` (whose `content` is then absent).
    pub inputs: Vec<regorus::Value>,
    /// With [`CheckOptions::engine_input`]: each document's compact source map, in the
    /// order of `documents` (whose `positions` are then empty).
    pub position_indexes: Vec<PositionIndex>,
    /// [`CheckOptions::partial`]: the rules that compare files are not judged.
    pub partial: bool,
}

/// Finds, reads and parses the files and directories in `paths` (`-` is standard
/// input). Fails only on arguments that do not exist and bad `--exclude` globs.
pub fn check(paths: &[std::path::PathBuf], options: &CheckOptions) -> Result<FilesCheck, Error> {
    let candidates = find(paths, options)?;
    Ok(parse_candidates(&candidates, options, true))
}

/// The files `check` would read: directories walked, ignore rules and excludes applied.
pub fn find(paths: &[std::path::PathBuf], options: &CheckOptions) -> Result<Vec<Candidate>, Error> {
    let excludes = Excludes::new(&options.exclude)?;
    let mut candidates = discover::discover(paths, options.no_ignore, &excludes)?;
    let patches = kustomize::patch_files(&candidates);
    if !patches.is_empty() {
        for candidate in &mut candidates {
            candidate.patch_of = patches.get(&candidate.shown).cloned();
        }
    }
    Ok(candidates)
}

/// Reads and parses `candidates` (on every core when `parallel`).
pub fn parse_candidates(
    candidates: &[Candidate],
    options: &CheckOptions,
    parallel: bool,
) -> FilesCheck {
    let outcomes = parse_all(candidates, options, parallel);
    let mut check = FilesCheck {
        partial: options.partial,
        ..FilesCheck::default()
    };
    check.summary.unparsed_allowed = options.allow_unparsed;
    for (candidate, outcome) in candidates.iter().zip(outcomes) {
        let Some(parsed) = outcome else {
            check.summary.skipped += 1;
            continue;
        };
        let first_error = parsed.documents.iter().find_map(|d| d.error.as_ref());
        match parsed
            .unread
            .or_else(|| first_error.and_then(Unread::of_error))
        {
            Some(unread) => unread.count(&mut check.summary),
            None => {
                check.summary.checked += 1;
                check.summary.errors += usize::from(first_error.is_some());
            }
        }
        for doc in parsed.documents.iter().filter(|d| d.error.is_none()) {
            *check
                .summary
                .judged
                .entry(doc.kind.as_str().to_string())
                .or_default() += 1;
        }
        check.summary.not_judged.extend(parsed.not_judged);
        check.documents.extend(parsed.documents);
        check.inputs.extend(parsed.inputs);
        check.position_indexes.extend(parsed.position_indexes);
        check
            .sources
            .insert(candidate.shown.clone(), parsed.text, parsed.hidden);
    }
    check.summary.documents = check.documents.len();
    check
}

/// Parses `text` as `syntax`, shown as `shown`: the documents as they would enter the
/// snapshot (kinds decided, secrets redacted). For tests and tools.
pub fn parse_str(shown: &str, syntax: Syntax, text: &str) -> Vec<FileDocument> {
    let candidate = Candidate {
        shown: shown.to_string(),
        source: Source::Stdin,
        patch_of: None,
    };
    let detected = detect::by_name(shown)
        .filter(|d| d.syntax == syntax)
        .unwrap_or(Detected { syntax, kind: None });
    parse_text(&candidate, detected, text, &mut BTreeSet::new())
}

/// One parsed file.
#[derive(Default)]
struct ParsedFile {
    documents: Vec<FileDocument>,
    inputs: Vec<regorus::Value>,
    position_indexes: Vec<PositionIndex>,
    text: String,
    hidden: BTreeSet<usize>,
    /// The file, or documents of it, read but not judged (templates, patches).
    not_judged: Vec<NotJudged>,
    /// Not read, or too large to judge: counted as such, not as checked.
    unread: Option<Unread>,
}

impl ParsedFile {
    /// Converts the documents to engine values, dropping their JSON content, and their
    /// source maps to compact indexes.
    fn into_engine_input(mut self, shape: Option<EngineInput>) -> Self {
        let Some(shape) = shape else { return self };
        for doc in &mut self.documents {
            let value = engine_value(doc, shape.positions);
            doc.content = None;
            self.inputs.push(value);
            let positions = std::mem::take(&mut doc.positions);
            self.position_indexes.push(PositionIndex::new(&positions));
        }
        self
    }
}

/// A document as `input.files[_]`: the snapshot's fields (`positions` optional).
#[derive(serde::Serialize)]
struct DocumentInput<'a> {
    path: &'a str,
    document: usize,
    line: usize,
    kind: FileKind,
    api_version: &'a Option<String>,
    resource_kind: &'a Option<String>,
    content: &'a Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    positions: Option<&'a Positions>,
    redacted: &'a [String],
    error: &'a Option<FileParseError>,
    #[serde(skip_serializing_if = "<[FileParseError]>::is_empty")]
    warnings: &'a [FileParseError],
    #[serde(skip_serializing_if = "Option::is_none")]
    facts: &'a Option<Value>,
}

impl<'a> DocumentInput<'a> {
    /// `doc`'s fields, with `content` for its content (its own, or none).
    fn of(doc: &'a FileDocument, positions: bool, content: &'a Option<Value>) -> Self {
        DocumentInput {
            path: &doc.path,
            document: doc.document,
            line: doc.line,
            kind: doc.kind,
            api_version: &doc.api_version,
            resource_kind: &doc.resource_kind,
            content,
            positions: positions.then_some(&doc.positions),
            redacted: &doc.redacted,
            error: &doc.error,
            warnings: &doc.warnings,
            facts: &doc.facts,
        }
    }
}

/// One document as the engine's value, read by the engine's own deserializer (which
/// stores objects compactly and shares their keys) straight from the parsed tree: the
/// JSON text it once went through cost a twentieth of a large check.
pub fn engine_value(doc: &FileDocument, positions: bool) -> regorus::Value {
    use serde::Deserialize;
    // The keys shared for the document at least (a batch shares them for all of its own).
    let _keys = regorus::value::InternGuard::install();
    let input = DocumentInput::of(doc, positions, &None);
    let value = serde_json::to_value(&input).ok().and_then(|fields| {
        let mut value = regorus::Value::deserialize(&fields).ok()?;
        if let Some(content) = &doc.content {
            let content = regorus::Value::deserialize(content).ok()?;
            let fields = value.as_object_mut().ok()?;
            fields.insert(regorus::Value::from("content"), content);
        }
        Some(value)
    });
    // Only a value regorus cannot represent fails; the rules then see the document's
    // fields without its content.
    value.unwrap_or_else(|| {
        regorus::Value::from(serde_json::json!({
            "path": doc.path, "document": doc.document, "line": doc.line, "kind": doc.kind,
        }))
    })
}

/// Parses every candidate (on every core when `parallel`); `None` for files of no
/// known kind.
fn parse_all(
    candidates: &[Candidate],
    options: &CheckOptions,
    parallel: bool,
) -> Vec<Option<ParsedFile>> {
    let parse = |i: usize| {
        parse_candidate(&candidates[i], options.stdin_syntax)
            .map(|parsed| parsed.into_engine_input(options.engine_input))
    };
    if parallel {
        crate::parallel::tasks(candidates.len(), parse)
    } else {
        (0..candidates.len()).map(parse).collect()
    }
}

fn parse_candidate(candidate: &Candidate, stdin_syntax: Option<Syntax>) -> Option<ParsedFile> {
    let by_name = match candidate.source {
        Source::Stdin => stdin_syntax.map(|syntax| Detected { syntax, kind: None }),
        Source::File(_) | Source::Pipe(_) => detect::by_name(&candidate.shown),
    };
    let bytes = match unread::read(&candidate.source) {
        Ok(bytes) => bytes,
        // An unreadable file of a known kind is a file error; of an unknown kind, skipped.
        Err((unread, message)) => {
            return by_name.map(|detected| ParsedFile {
                unread: Some(unread),
                documents: vec![document(
                    candidate,
                    detected,
                    0,
                    ParsedDocument::failed(
                        1,
                        FileParseError {
                            message,
                            line: 1,
                            column: 1,
                        },
                    ),
                )],
                ..ParsedFile::default()
            });
        }
    };
    let detected = by_name.or_else(|| match candidate.source {
        // Standard input without --parser: JSON when it looks like it, else YAML.
        Source::Stdin => detect::sniff("stdin", &bytes).or(Some(Detected {
            syntax: Syntax::Yaml,
            kind: None,
        })),
        Source::File(_) | Source::Pipe(_) => detect::sniff(&candidate.shown, &bytes),
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let valid = String::from_utf8_lossy(valid);
            let [line, column] = source_map::LineIndex::new(&valid).position(valid.len());
            let failed = FileParseError {
                message: "not UTF-8 text".into(),
                line,
                column,
            };
            return Some(ParsedFile {
                documents: vec![document(
                    candidate,
                    detected,
                    0,
                    ParsedDocument::failed(line, failed),
                )],
                text: valid.into_owned(),
                ..ParsedFile::default()
            });
        }
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let not_judged = |reason: String| NotJudged {
        path: candidate.shown.clone(),
        document: None,
        reason,
    };
    if let Some(kustomization) = &candidate.patch_of {
        return Some(ParsedFile {
            not_judged: vec![not_judged(format!(
                "a Kustomize patch (listed in {kustomization}): a partial object, judged once kustomize build has merged it"
            ))],
            text,
            ..ParsedFile::default()
        });
    }
    let mut hidden = BTreeSet::new();
    let mut parsed = parse_documents(&candidate.shown, detected, body);
    clamp_errors(&mut parsed.documents, body);
    // Compose and CI files substitute `${VAR}` themselves: that is how they are
    // written, not a template to render first.
    let interpolates = matches!(
        detected.kind,
        Some(FileKind::Compose | FileKind::GithubWorkflow | FileKind::GitlabCi)
    );
    if detected.syntax == Syntax::Yaml && !interpolates {
        let path = match &candidate.source {
            Source::File(path) => Some(path.as_path()),
            Source::Pipe(_) | Source::Stdin => None,
        };
        if let Some(reason) = template::template_reason(path, body, &parsed) {
            return Some(ParsedFile {
                not_judged: vec![not_judged(reason.to_string())],
                text,
                ..ParsedFile::default()
            });
        }
    }
    let (documents, patches) = documents(candidate, detected, parsed, &mut hidden);
    Some(ParsedFile {
        documents,
        text,
        hidden,
        not_judged: patches,
        ..ParsedFile::default()
    })
}

/// Every document of one file's text, redacted, with its kind.
fn parse_text(
    candidate: &Candidate,
    detected: Detected,
    text: &str,
    hidden: &mut BTreeSet<usize>,
) -> Vec<FileDocument> {
    documents(
        candidate,
        detected,
        parse_documents(&candidate.shown, detected, text),
        hidden,
    )
    .0
}

/// What the parser of `detected`'s syntax makes of `text`, and the pointers its own
/// redaction hid (formats without nesting redact as they parse).
struct Parsed {
    documents: Vec<ParsedDocument>,
    redacted: Option<Vec<String>>,
}

impl std::ops::Deref for Parsed {
    type Target = [ParsedDocument];
    fn deref(&self) -> &[ParsedDocument] {
        &self.documents
    }
}

fn parse_documents(shown: &str, detected: Detected, text: &str) -> Parsed {
    if let Some(error) = bounds::check(text, detected.syntax) {
        return Parsed {
            documents: vec![ParsedDocument::failed(1, error)],
            redacted: None,
        };
    }
    // Kubernetes' YAML rules apply where the name leaves the kind open.
    let kubernetes = detected.kind.is_none();
    let (documents, redacted): (Vec<ParsedDocument>, Option<Vec<String>>) = match detected.syntax {
        Syntax::Yaml => (yaml::parse_with(text, kubernetes), None),
        Syntax::Json => (vec![json::parse(text, false)], None),
        Syntax::Jsonc => (vec![json::parse(text, true)], None),
        Syntax::Toml => (vec![toml::parse(text)], None),
        Syntax::GoMod | Syntax::GoWork => (vec![go_mod(shown, text)], Some(Vec::new())),
        Syntax::Dotenv => {
            let (doc, redacted) = dotenv::parse(text);
            (vec![doc], Some(redacted))
        }
        Syntax::Dockerfile => {
            let (doc, redacted) = dockerfile::parse(text);
            (vec![doc], Some(redacted))
        }
        Syntax::ToolVersions => (vec![tool_versions::parse(text)], None),
    };
    Parsed {
        documents,
        redacted,
    }
}

/// The snapshot's documents of a parsed file, redacted, with their kinds; and the
/// documents left out as Kustomize patches.
fn documents(
    candidate: &Candidate,
    detected: Detected,
    parsed: Parsed,
    hidden: &mut BTreeSet<usize>,
) -> (Vec<FileDocument>, Vec<NotJudged>) {
    let Parsed {
        documents: parsed,
        redacted,
    } = parsed;
    let mut documents = Vec::with_capacity(parsed.len());
    let mut patches = Vec::new();
    for (index, mut doc) in parsed.into_iter().enumerate() {
        // Empty YAML documents (`---` with nothing after it) judge nothing.
        if doc.error.is_none() && matches!(doc.content, None | Some(Value::Null)) {
            continue;
        }
        if detected.kind.is_none()
            && doc
                .content
                .as_ref()
                .is_some_and(kustomize::has_patch_directive)
        {
            patches.push(NotJudged {
                path: candidate.shown.clone(),
                document: Some(index),
                reason: "a Kustomize patch ($patch directive): a partial object, judged once kustomize build has merged it".into(),
            });
            continue;
        }
        let redacted = match (&redacted, doc.content.as_mut()) {
            (Some(done), _) => done.iter().map(|p| (p.clone(), 1)).collect(),
            (None, Some(content)) => secrets::redact(content),
            (None, None) => Vec::new(),
        };
        hide_lines(&doc.positions, &redacted, hidden);
        // Parsers quote what they could not read (`unknown instruction:
        // GITHUB_TOKEN=…`), and K8S000 prints it.
        for error in doc.error.iter_mut().chain(doc.warnings.iter_mut()) {
            error.message = redact_line(&error.message);
        }
        let mut entry = document(candidate, detected, index, doc);
        entry.redacted = redacted.into_iter().map(|(p, _)| p).collect();
        documents.push(entry);
    }
    (documents, patches)
}

/// A parser that stops at the end of the text (an unclosed bracket) reports the line
/// after the last one; the finding points at the end of the last line instead.
fn clamp_errors(documents: &mut [ParsedDocument], text: &str) {
    let last = text.lines().count().max(1);
    for error in documents.iter_mut().filter_map(|d| d.error.as_mut()) {
        if error.line > last {
            error.line = last;
            error.column = text.lines().last().map_or(0, |l| l.chars().count()) + 1;
        }
    }
}

/// Marks the lines of redacted values: from the value's line to the line before the
/// next positioned value, and no further than the value's own length.
fn hide_lines(positions: &Positions, redacted: &[(String, usize)], hidden: &mut BTreeSet<usize>) {
    if redacted.is_empty() {
        return;
    }
    let lines: BTreeSet<usize> = positions.values().map(|[line, _]| *line).collect();
    for (pointer, length) in redacted {
        let Some(&[line, _]) = positions.get(pointer) else {
            continue;
        };
        let next = lines
            .range(line + 1..)
            .next()
            .copied()
            .unwrap_or(usize::MAX);
        let end = (line + length).min(next.saturating_sub(1)).max(line);
        hidden.extend(line..=end);
    }
}

/// The snapshot entry for a parsed document: kind decided, Kubernetes fields read.
fn document(
    candidate: &Candidate,
    detected: Detected,
    index: usize,
    parsed: ParsedDocument,
) -> FileDocument {
    let field = |name: &str| {
        parsed
            .content
            .as_ref()
            .and_then(|c| c.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let (api_version, resource_kind) = (field("apiVersion"), field("kind"));
    let kubernetes = api_version.is_some() && resource_kind.is_some();
    let kind = match (detected.kind, detected.syntax) {
        (Some(kind), _) => kind,
        (None, Syntax::Yaml | Syntax::Json | Syntax::Jsonc) if kubernetes => FileKind::Kubernetes,
        (None, Syntax::Yaml) => FileKind::Yaml,
        (None, Syntax::Json | Syntax::Jsonc) => FileKind::Json,
        (None, Syntax::Toml) => FileKind::Toml,
        (None, Syntax::GoMod) => FileKind::GoMod,
        (None, Syntax::GoWork) => FileKind::GoWork,
        (None, Syntax::Dotenv) => FileKind::Dotenv,
        (None, Syntax::Dockerfile) => FileKind::Dockerfile,
        (None, Syntax::ToolVersions) => FileKind::ToolVersions,
    };
    let kubernetes = kind == FileKind::Kubernetes;
    let file = match &candidate.source {
        Source::File(path) => Some(path.as_path()),
        Source::Pipe(_) | Source::Stdin => None,
    };
    let facts = parsed
        .content
        .as_ref()
        .and_then(|content| facts::facts(kind, &candidate.shown, file, content, &parsed.positions));
    FileDocument {
        path: candidate.shown.clone(),
        document: index,
        line: parsed.line,
        kind,
        api_version: api_version.filter(|_| kubernetes),
        resource_kind: resource_kind.filter(|_| kubernetes),
        content: parsed.content,
        positions: parsed.positions,
        redacted: Vec::new(),
        error: parsed.error,
        warnings: parsed.warnings,
        facts,
    }
}

/// go.mod / go.work through envgate's own parser (it never fails: what it cannot read
/// is listed in `errors`); every object with a `line` is positioned at it.
fn go_mod(shown: &str, text: &str) -> ParsedDocument {
    let parsed = crate::gomod::parse(shown, text);
    let content = serde_json::to_value(&parsed).unwrap_or(Value::Null);
    let mut positions = Positions::new();
    positions.insert(String::new(), [1, 1]);
    position_lines(&content, "", 1, &mut positions);
    ParsedDocument::parsed(1, content, positions)
}

fn position_lines(value: &Value, pointer: &str, line: usize, positions: &mut Positions) {
    match value {
        Value::Object(map) => {
            let line = map
                .get("line")
                .and_then(Value::as_u64)
                .map_or(line, |l| l as usize);
            if !pointer.is_empty() && line > 0 {
                positions.insert(pointer.to_string(), [line, 1]);
            }
            for (key, child) in map {
                position_lines(child, &source_map::member(pointer, key), line, positions);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                position_lines(item, &source_map::element(pointer, i), line, positions);
            }
        }
        _ => {
            if line > 1 {
                positions.insert(pointer.to_string(), [line, 1]);
            }
        }
    }
}

#[cfg(test)]
mod tests;
