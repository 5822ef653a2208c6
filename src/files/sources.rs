//! The text of the checked files, for the lines a report quotes.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use crate::excerpt::{CharIndex, WINDOW, Window, window, window_indexed};
use crate::redact::{REDACTED, private_key_lines, redact_line};

/// The text of every checked file, with the lines that hold redacted values, so a
/// finding's snippet never shows a secret.
#[derive(Debug, Default)]
pub struct FileSources {
    files: HashMap<String, SourceText>,
    /// Short lines already redacted, by their text: a legacy repository's findings
    /// quote the same few lines (`privileged: true`, `image: nginx:latest`) in
    /// document after document, and running every detector over each again was a
    /// fifth of placing a finding. Redacting depends on the text alone.
    redacted: Mutex<HashMap<Box<str>, Box<str>>>,
}

/// Distinct short lines kept redacted per [`FileSources`]: a bound on the memory, not
/// a size that matters for speed (a batch's findings quote far fewer).
const REDACTED_LINES_KEPT: usize = 4096;

#[derive(Debug)]
struct SourceText {
    text: String,
    /// Byte offset where each line starts: a report quotes a line per finding, and
    /// tens of thousands of findings each scanning their file from the top added up.
    line_starts: Vec<usize>,
    hidden: BTreeSet<usize>,
    /// The body lines of private keys: a line of one, quoted alone, would not be
    /// recognised (a parse error can point inside a key's block).
    private_key: BTreeSet<usize>,
    /// Lines longer than a snippet, redacted and indexed once: every finding in a
    /// minified JSON file quotes the same line, and redacting and scanning it anew
    /// for each made a check of a 164 KB line of 1,400 pods take minutes. A line is
    /// redacted whole before it is cut, so a secret across the cut is still found.
    long_lines: Mutex<HashMap<usize, Arc<LongLine>>>,
}

#[derive(Debug)]
struct LongLine {
    text: String,
    index: CharIndex,
}

impl SourceText {
    fn new(text: String, hidden: BTreeSet<usize>) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&start| start < text.len())
            .collect();
        Self {
            private_key: private_key_lines(&text),
            text,
            line_starts,
            hidden,
            long_lines: Mutex::default(),
        }
    }

    /// Line `line` (1-based), without its line ending.
    fn line(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        // The next line's start is past this one's newline; the last line may have none.
        let end = match self.line_starts.get(line) {
            Some(&next) => next - 1,
            None => self.text.len() - usize::from(self.text.ends_with('\n')),
        };
        let text = &self.text[start..end];
        Some(text.strip_suffix('\r').unwrap_or(text))
    }

    /// Line `line`, secrets redacted, cut around the 0-based character `at`; short
    /// lines redacted once per text in `seen`.
    fn redacted(
        &self,
        line: usize,
        at: Option<usize>,
        seen: &Mutex<HashMap<Box<str>, Box<str>>>,
    ) -> Option<Window<'static>> {
        let text = self.line(line)?.trim_end();
        if text.len() <= WINDOW {
            // A poisoned lock only means another thread panicked; the map is still whole.
            let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(clean) = seen.get(text) {
                return Some(window(clean, at).into_owned());
            }
            let clean = redact_line(text);
            let quoted = window(&clean, at).into_owned();
            if seen.len() < REDACTED_LINES_KEPT {
                seen.insert(text.into(), clean.into());
            }
            return Some(quoted);
        }
        // A poisoned lock only means another thread panicked; the map is still whole.
        let lock = || self.long_lines.lock().unwrap_or_else(|e| e.into_inner());
        let cached = lock().get(&line).cloned();
        let long = match cached {
            Some(long) => long,
            None => {
                let text = redact_line(text);
                let index = CharIndex::new(&text);
                let long = Arc::new(LongLine { text, index });
                lock().entry(line).or_insert(long).clone()
            }
        };
        Some(window_indexed(&long.text, &long.index, at).into_owned())
    }
}

impl FileSources {
    pub(super) fn insert(&mut self, file: String, text: String, hidden: BTreeSet<usize>) {
        self.files.insert(file, SourceText::new(text, hidden));
    }

    /// Line `line` (1-based) of `file`, secrets redacted, cut around the 0-based
    /// character `at` when it is long.
    pub fn snippet(&self, file: &str, line: usize, at: Option<usize>) -> Option<Window<'static>> {
        let source = self.files.get(file)?;
        if source.private_key.contains(&line) {
            let text = source.line(line)?;
            let indent = &text[..text.len() - text.trim_start().len()];
            return Some(Window {
                text: format!("{indent}[REDACTED:pem-private-key]").into(),
                cut_before: 0,
            });
        }
        let clean = source.redacted(line, at, &self.redacted)?;
        if !source.hidden.contains(&line) {
            return Some(clean);
        }
        // Keep the key, drop what follows it (in a cut line: what follows in the cut).
        let text = &clean.text;
        let kept = match text.find([':', '=']) {
            Some(i) => format!("{} {REDACTED}", &text[..=i]),
            None => {
                let indent = text.len() - text.trim_start().len();
                format!("{}{REDACTED}", &text[..indent])
            }
        };
        Some(Window {
            text: kept.into(),
            cut_before: clean.cut_before,
        })
    }

    pub fn contains(&self, file: &str) -> bool {
        self.files.contains_key(file)
    }

    /// Copies `file`'s text from `other` (a batch keeps the files the rules that
    /// compare files will quote, instead of their being read again).
    pub(super) fn copy_from(&mut self, other: &FileSources, file: &str) {
        if let Some(source) = other.files.get(file) {
            self.files.insert(
                file.to_string(),
                SourceText::new(source.text.clone(), source.hidden.clone()),
            );
        }
    }

    /// Moves every file of `other` in.
    pub(super) fn extend(&mut self, other: FileSources) {
        self.files.extend(other.files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_lines_are_found_like_str_lines() {
        for text in ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\nc", "x\n\n"] {
            let source = SourceText::new(text.to_string(), BTreeSet::new());
            let expected: Vec<&str> = text.lines().collect();
            let found: Vec<&str> = (1..=expected.len() + 1)
                .map_while(|n| source.line(n))
                .collect();
            assert_eq!(found, expected, "{text:?}");
            assert_eq!(source.line(0), None);
        }
    }

    /// The same short line in two files is redacted once, and quoted the same from
    /// both; a secret in it is gone from both.
    #[test]
    fn a_short_line_is_redacted_once_for_every_file_that_quotes_it() {
        let line = "  password: hunter2xyz";
        let mut sources = FileSources::default();
        sources.insert("a.yaml".into(), format!("{line}\nx: 1\n"), BTreeSet::new());
        sources.insert("b.yaml".into(), format!("y: 2\n{line}\n"), BTreeSet::new());
        let a = sources.snippet("a.yaml", 1, None).unwrap();
        let b = sources.snippet("b.yaml", 2, Some(4)).unwrap();
        assert_eq!(a.text, b.text);
        assert_eq!(a.text, redact_line(line));
        assert!(!a.text.contains("hunter2"), "{}", a.text);
        assert_eq!(sources.redacted.lock().unwrap().len(), 1);
        sources.snippet("a.yaml", 2, None).unwrap();
        assert_eq!(sources.redacted.lock().unwrap().len(), 2);
    }

    #[test]
    fn a_long_line_is_redacted_whole_once() {
        let token = format!("ghp_{}", "a".repeat(36));
        let line = format!("{{\"a\":\"{}\",\"t\":\"{token}\"}}", "x".repeat(WINDOW));
        let mut sources = FileSources::default();
        sources.insert("f.json".into(), format!("{line}\n"), BTreeSet::new());
        // The window starts inside the token: it is gone all the same.
        let at = line.find("ghp_").unwrap() + 10 + crate::excerpt::BEFORE;
        let cut = sources.snippet("f.json", 1, Some(at)).unwrap();
        assert!(!cut.text.contains("aaaaaaaaaa"), "{}", cut.text);
        let whole = sources.snippet("f.json", 1, Some(WINDOW)).unwrap();
        assert!(
            whole.text.contains("[REDACTED:github-token]"),
            "{}",
            whole.text
        );
        assert_eq!(sources.files["f.json"].long_lines.lock().unwrap().len(), 1);
    }
}
