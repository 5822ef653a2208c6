//! Where a finding is: a rule's location or subject turned into file, line, column and
//! the line's text (redacted).

use std::collections::HashMap;
use std::path::Path;

use super::{FileError, Judged, Location};
use crate::excerpt::{Window, window};
use crate::files::source_map::{self, StepRef};
use crate::host::Host;
use crate::policy::engine::{PathStep, RawFinding, RawLocation};
use crate::redact::{private_key_lines, redact_line};
use crate::snapshot::{Mode, Snapshot};

/// Turns locations into file, line, column and snippet.
pub(super) struct Resolver<'a> {
    pub(super) judged: &'a Judged<'a>,
    /// Index in `judged.files` of each (file, document).
    documents: HashMap<(&'a str, usize), usize>,
}

impl<'a> Resolver<'a> {
    pub(super) fn new(judged: &'a Judged<'a>) -> Self {
        let documents = judged
            .files
            .iter()
            .enumerate()
            .map(|(i, d)| ((d.path.as_str(), d.document), i))
            .collect();
        Self { judged, documents }
    }

    pub(super) fn location(&self, raw: &RawFinding) -> Option<Location> {
        let (file, line, column) = match &raw.location {
            Some(location) => self.place(location),
            None => {
                let (file, line) = raw
                    .subject
                    .as_deref()
                    .and_then(|s| locate_subject(self.judged.snapshot?, s))?;
                (file, line, None)
            }
        };
        let snippet = line.and_then(|line| self.snippet(&file, line, column));
        Some(Location::quoting(file, line, column, snippet))
    }

    /// A rule's location: an explicit line, or a document path resolved through the
    /// document's positions (the nearest positioned parent when the path itself is not
    /// in the file, e.g. a missing field; the document start at worst).
    fn place(&self, location: &RawLocation) -> (String, Option<usize>, Option<usize>) {
        let explicit = (location.file.clone(), location.line, location.column);
        if location.line.is_some() && location.path.is_none() {
            return explicit;
        }
        let document = location.document.unwrap_or(0);
        let Some(&i) = self.documents.get(&(location.file.as_str(), document)) else {
            return explicit;
        };
        let doc = &self.judged.files[i];
        let steps = location.path.iter().flatten().map(|step| match step {
            PathStep::Key(key) => StepRef::Key(key),
            PathStep::Index(index) => StepRef::Index(*index),
        });
        let place = match self.judged.position_indexes.get(i) {
            Some(index) => source_map::resolve_steps(index, steps),
            None => source_map::resolve_steps(&doc.positions, steps),
        };
        match place {
            Some(([line, column], _)) => (location.file.clone(), Some(line), Some(column)),
            None => (location.file.clone(), Some(doc.line), None),
        }
    }

    /// Line `line` of `file`, redacted and cut around the 1-based `column`.
    fn snippet(&self, file: &str, line: usize, column: Option<usize>) -> Option<Window<'static>> {
        let at = column.map(|c| c.saturating_sub(1));
        if let Some(sources) = self.judged.sources
            && sources.contains(file)
        {
            return sources.snippet(file, line, at);
        }
        let text = snippet(self.judged.host?, file, line)?;
        Some(window(&text, at).into_owned())
    }
}

/// The documents that could not be parsed, in file order.
pub(super) fn file_errors(resolver: &Resolver<'_>) -> Vec<FileError> {
    resolver
        .judged
        .files
        .iter()
        .filter_map(|doc| {
            let error = doc.error.as_ref()?;
            Some(FileError {
                location: Location::quoting(
                    doc.path.clone(),
                    Some(error.line),
                    Some(error.column),
                    resolver.snippet(&doc.path, error.line, Some(error.column)),
                ),
                document: doc.document,
                message: error.message.clone(),
            })
        })
        .collect()
}

/// The source map for the snapshot: subjects whose value came from a file line.
/// `env.NAME` uses where the variable was set; `go.env.NAME` the Go setting's origin;
/// `path.entries[N]` the line that added that entry when it is known, else, like
/// `path`, where PATH was last set.
fn locate_subject(snapshot: &Snapshot, subject: &str) -> Option<(String, Option<usize>)> {
    let entry_index = subject
        .strip_prefix("path.entries[")
        .and_then(|rest| rest.split(']').next()?.parse().ok());
    if let Some(added_at) = entry_index.and_then(|index| path_entry_origin(snapshot, index)) {
        return Some(added_at);
    }
    if subject == "path" || subject.starts_with("path.entries[") {
        let origin = snapshot.env_origin.get("PATH")?;
        return Some((origin.file.clone(), line_of(origin)));
    }
    if let Some(name) = subject.strip_prefix("go.env.") {
        let value = snapshot.go.env.get(name)?;
        return Some((value.file.clone()?, value.line));
    }
    if let Some(name) = subject.strip_prefix("env.") {
        let name = name.split(['.', '[']).next()?;
        let origin = snapshot.env_origin.get(name)?;
        return Some((origin.file.clone(), line_of(origin)));
    }
    None
}

/// An origin's line; none for a registry value (line 0: `HKCU\Environment\GOPATH`
/// has no lines).
fn line_of(origin: &crate::snapshot::Origin) -> Option<usize> {
    Some(origin.line).filter(|line| *line > 0)
}

/// The file and line that added PATH entry `index`. An image's PATH is its terminal
/// session's, entry for entry (those that could be evaluated, see `collect::env`); a
/// live PATH was inherited and has no such record. The directories must agree, so a
/// PATH the two lists split differently is never given a wrong line.
fn path_entry_origin(snapshot: &Snapshot, index: usize) -> Option<(String, Option<usize>)> {
    if snapshot.mode != Mode::Image {
        return None;
    }
    let terminal = &snapshot.shell.sessions.terminal;
    let entry = terminal
        .path
        .iter()
        .filter(|e| e.dir.is_some())
        .nth(index)?;
    if entry.dir.as_deref() != Some(snapshot.path.entries.get(index)?.raw.as_str()) {
        return None;
    }
    Some((entry.file.clone()?, entry.line))
}

fn snippet(host: &dyn Host, file: &str, line: usize) -> Option<String> {
    let whole = host
        .read_text(&crate::host::real_path(host, Path::new(file)))
        .ok()?;
    let text = whole.lines().nth(line.checked_sub(1)?)?.trim_end();
    // A private key's body line is not recognisable alone.
    if private_key_lines(&whole).contains(&line) {
        let indent = text.len() - text.trim_start().len();
        return Some(format!("{}[REDACTED:pem-private-key]", &text[..indent]));
    }
    Some(redact_line(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::LiveHost;

    /// A line of a private key's body, alone, looks like any base64; the snippet of a
    /// finding that points into one shows the marker instead.
    #[test]
    fn snippets_hide_private_key_bodies_and_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".bashrc");
        std::fs::write(
            &file,
            "export TLS_KEY='-----BEGIN PRIVATE KEY-----\nMIIEbodyline\n-----END PRIVATE KEY-----'\nexport GITHUB_TOKEN=hunter2xyz\n",
        )
        .unwrap();
        let host = LiveHost::with_env(Default::default(), false);
        let file = file.to_str().unwrap();
        assert_eq!(
            snippet(&host, file, 2).as_deref(),
            Some("[REDACTED:pem-private-key]")
        );
        assert_eq!(
            snippet(&host, file, 4).as_deref(),
            Some("export GITHUB_TOKEN=[REDACTED]")
        );
    }
}
