//! Reading startup files through the Host, once each: bounded, never failing.

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use super::ast::Script;
use crate::host::{Host, TEXT_READ_LIMIT};

/// Which grammar a file is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Syntax {
    /// sh, bash and zsh.
    Sh,
    Fish,
}

impl Syntax {
    pub fn as_str(self) -> &'static str {
        match self {
            Syntax::Sh => "sh",
            Syntax::Fish => "fish",
        }
    }
}

/// One startup file as read: what is known about it even when it could not be parsed.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub path: String,
    pub syntax: Syntax,
    pub exists: bool,
    pub readable: bool,
    pub error: Option<String>,
    pub owner_uid: Option<u32>,
    pub mode: Option<u32>,
    /// Longer than the read limit: only the first part was parsed.
    pub truncated: bool,
    /// NUL bytes: not a text file, not parsed.
    pub binary: bool,
    /// The symlink-resolved path, for cycle detection.
    pub canonical: String,
    /// The text that was parsed, for quoting lines.
    pub text: String,
    /// Byte offset where each line of `text` starts: a fact per line quoted by scanning
    /// from the top made 20,000 nested `if`s quadratic.
    line_starts: Vec<usize>,
    pub script: Option<Script>,
}

impl LoadedFile {
    /// The text of a 1-based line, trimmed.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let rest = &self.text[start..];
        rest[..rest.find('\n').unwrap_or(rest.len())].trim()
    }
}

/// Parsed files by path, shared by every session and the per-file facts.
#[derive(Default)]
pub struct FileCache {
    files: BTreeMap<(String, Syntax), Rc<LoadedFile>>,
}

impl FileCache {
    pub fn load(&mut self, host: &dyn Host, path: &str, syntax: Syntax) -> Rc<LoadedFile> {
        let key = (path.to_string(), syntax);
        if let Some(file) = self.files.get(&key) {
            return Rc::clone(file);
        }
        let file = Rc::new(load(host, path, syntax));
        self.files.insert(key, Rc::clone(&file));
        file
    }

    /// Every file loaded so far that exists (or is a dangling/looping link).
    pub fn loaded(&self) -> impl Iterator<Item = &Rc<LoadedFile>> {
        self.files.values()
    }
}

fn load(host: &dyn Host, path: &str, syntax: Syntax) -> LoadedFile {
    let real = crate::host::real_path(host, Path::new(path));
    let p = real.as_path();
    let mut file = LoadedFile {
        path: path.to_string(),
        syntax,
        exists: false,
        readable: false,
        error: None,
        owner_uid: None,
        mode: None,
        truncated: false,
        binary: false,
        canonical: path.to_string(),
        text: String::new(),
        line_starts: Vec::new(),
        script: None,
    };
    let meta = match host.metadata(p) {
        Ok(meta) => meta,
        Err(e) => {
            // A dangling link or a symlink loop exists as a name but cannot be read.
            if host.symlink_metadata(p).is_ok() {
                file.exists = true;
                file.error = Some(e.to_string());
            }
            return file;
        }
    };
    file.exists = true;
    file.owner_uid = Some(meta.uid);
    file.mode = Some(meta.mode);
    if meta.is_dir {
        file.error = Some("is a directory".to_string());
        return file;
    }
    if let Ok(canonical) = host.canonicalize(p) {
        file.canonical = canonical.display().to_string();
    }
    let bytes = match host.read_limited(p, TEXT_READ_LIMIT + 1) {
        Ok(bytes) => bytes,
        Err(e) => {
            file.error = Some(e.to_string());
            return file;
        }
    };
    file.readable = true;
    let mut bytes = bytes.as_slice();
    if bytes.len() as u64 > TEXT_READ_LIMIT {
        file.truncated = true;
        bytes = &bytes[..TEXT_READ_LIMIT as usize];
        // Parse whole lines only.
        if let Some(end) = bytes.iter().rposition(|b| *b == b'\n') {
            bytes = &bytes[..=end];
        }
    }
    if bytes.contains(&0) {
        file.binary = true;
        return file;
    }
    file.text = String::from_utf8_lossy(bytes).into_owned();
    file.line_starts = std::iter::once(0)
        .chain(file.text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&start| start < file.text.len())
        .collect();
    file.script = Some(match syntax {
        Syntax::Sh => super::parse::parse(&file.text),
        Syntax::Fish => super::fish::parse(&file.text),
    });
    file
}
