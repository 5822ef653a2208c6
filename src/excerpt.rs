//! Lines of checked files as reports show them: cut to a window around the place
//! they point at, with control characters made visible.
//!
//! A minified JSON file is one line of any length. Quoted whole, every finding on it
//! repeated the whole line (a 164 KB list made a 9.9 GB report), and miette, which
//! pads the marker under a line with `{:width$}`, panicked for a place past column
//! 65,535. Reports quote at most [`WINDOW`] characters of a line, from [`BEFORE`]
//! characters before the place on, with `…` where the line was cut.

use std::borrow::Cow;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::escape;
use crate::redact::{private_key_lines, redact_line};

/// The most characters of a line a report quotes.
pub const WINDOW: usize = 200;
/// Characters kept before the place a window is cut around.
pub const BEFORE: usize = 80;
/// What marks the end of a line that was cut.
pub const CUT: char = '…';

/// A window of a line: its text (with [`CUT`] at a cut end) and how many of the
/// line's characters were cut before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window<'a> {
    pub text: Cow<'a, str>,
    pub cut_before: usize,
}

impl Window<'_> {
    pub fn into_owned(self) -> Window<'static> {
        Window {
            text: Cow::Owned(self.text.into_owned()),
            cut_before: self.cut_before,
        }
    }
}

/// The window of `line` around the 0-based character `at` (the start of the line
/// without one); the line itself when it is at most [`WINDOW`] characters long.
pub fn window(line: &str, at: Option<usize>) -> Window<'_> {
    window_with(line, at, |chars| nth_byte(line, 0, chars))
}

/// [`window`] of a line with its [`CharIndex`]: a long line quoted by thousands of
/// findings is not scanned from its start for each.
pub fn window_indexed<'a>(line: &'a str, index: &CharIndex, at: Option<usize>) -> Window<'a> {
    window_with(line, at, |chars| index.byte(line, chars))
}

fn window_with(line: &str, at: Option<usize>, byte: impl Fn(usize) -> usize) -> Window<'_> {
    // Longer than the window: there is a character past it (byte length bounds the
    // character count, so short lines cost nothing to check).
    if line.len() <= WINDOW || line.char_indices().nth(WINDOW).is_none() {
        return Window {
            text: Cow::Borrowed(line),
            cut_before: 0,
        };
    }
    let from = at.map_or(0, |at| at.saturating_sub(BEFORE));
    let start = byte(from);
    let rest = &line[start..];
    // One character of the window goes to each cut mark.
    let keep = WINDOW - usize::from(from > 0) - 1;
    let end = rest.char_indices().nth(keep).map(|(i, _)| start + i);
    let mut text = String::with_capacity(WINDOW * 4);
    if from > 0 {
        text.push(CUT);
    }
    match end {
        Some(end) => {
            text.push_str(&line[start..end]);
            text.push(CUT);
        }
        // The place is near the end: the window is the line's last characters.
        None => text.push_str(rest),
    }
    Window {
        text: Cow::Owned(text),
        cut_before: from,
    }
}

/// The byte offset of the `chars`-th character of `line` counted from byte `from`
/// (a character boundary); the end of the line past its last character.
fn nth_byte(line: &str, from: usize, chars: usize) -> usize {
    line[from..]
        .char_indices()
        .nth(chars)
        .map_or(line.len(), |(i, _)| from + i)
}

/// Where every [`CharIndex::STRIDE`]-th character of a line starts.
#[derive(Debug)]
pub struct CharIndex {
    starts: Vec<usize>,
}

impl CharIndex {
    const STRIDE: usize = 256;

    pub fn new(line: &str) -> Self {
        let starts = line
            .char_indices()
            .step_by(Self::STRIDE)
            .map(|(i, _)| i)
            .collect();
        Self { starts }
    }

    /// The byte offset of the 0-based character `chars` of `line`, the line indexed.
    pub fn byte(&self, line: &str, chars: usize) -> usize {
        match self.starts.get(chars / Self::STRIDE) {
            Some(&from) => nth_byte(line, from, chars % Self::STRIDE),
            None => line.len(),
        }
    }
}

/// A line prepared for a terminal: control characters escaped, and where a 0-based
/// character of the original falls in it.
pub struct Shown {
    pub text: String,
    /// Character index in `text` of each original character, and one past the end;
    /// empty when nothing was escaped (every character is where it was).
    starts: Vec<usize>,
}

impl Shown {
    pub fn new(line: &str) -> Self {
        if !line.contains(escape::is_escaped) {
            return Self {
                text: line.to_string(),
                starts: Vec::new(),
            };
        }
        let mut text = String::with_capacity(line.len());
        let mut starts = Vec::with_capacity(line.len() + 1);
        let mut column = 0;
        for c in line.chars() {
            starts.push(column);
            if escape::is_escaped(c) {
                escape::push_escaped(&mut text, c);
            } else {
                text.push(c);
            }
            column += escape::shown_width(c);
        }
        starts.push(column);
        Self { text, starts }
    }

    /// Where the original's 0-based character `at` is shown (past the end: the end).
    pub fn column(&self, at: usize) -> usize {
        if self.starts.is_empty() {
            return at;
        }
        let last = self.starts.len() - 1;
        self.starts[at.min(last)] + at.saturating_sub(last)
    }
}

/// The part of a source miette shows for a diagnostic: the line at the error and
/// the one before and after it, each cut to the same window and escaped, under the
/// file's name, its real line numbers and the error's real column.
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    text: String,
    /// 0-based line number of the first line of `text`.
    first_line: usize,
    /// 0-based line number of the error, and that line's byte range in `text`.
    line: usize,
    error_line: (usize, usize),
    /// 0-based character column of the error in the file.
    column: usize,
}

impl Excerpt {
    /// The excerpt of `source` around byte `offset`, and the span of the error in it;
    /// nothing without an offset (there is then nothing to point at).
    pub fn around(
        name: impl Into<String>,
        source: &str,
        offset: Option<usize>,
    ) -> (Option<Excerpt>, Option<SourceSpan>) {
        let Some(offset) = offset else {
            return (None, None);
        };
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_number = source[..line_start].matches('\n').count();
        let column = source[line_start..offset].chars().count();
        let lines: Vec<&str> = source.split('\n').collect();
        // Quoted lines leave redacted: a bad line of `.envgate.yaml`, a saved snapshot or
        // a pack's data may hold a secret, and a private key's body line is not
        // recognisable on its own.
        let key_body = private_key_lines(source);
        let first_line = line_number.saturating_sub(1);
        let last_line = (line_number + 1).min(lines.len().saturating_sub(1));
        let mut text = String::new();
        let mut error_line = (0, 0);
        let mut span = SourceSpan::from((0, 1));
        for (number, raw) in lines
            .iter()
            .enumerate()
            .take(last_line + 1)
            .skip(first_line)
        {
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let redacted = if key_body.contains(&(number + 1)) {
                "[REDACTED:pem-private-key]".to_string()
            } else {
                redact_line(raw)
            };
            // The same window for every line, so the lines stay aligned.
            let cut = window(&redacted, Some(column));
            let mut shown = Shown::new(&cut.text);
            if number > first_line {
                text.push('\n');
            }
            if number == line_number {
                let at = shown.column(column - cut.cut_before + usize::from(cut.cut_before > 0));
                // An error at the end of the line (a missing value) needs a place.
                let missing = (at + 1).saturating_sub(shown.text.chars().count());
                shown.text.extend(std::iter::repeat_n(' ', missing));
                let byte = shown.text.char_indices().nth(at).map_or(0, |(i, _)| i);
                let len = shown.text[byte..].chars().next().map_or(1, char::len_utf8);
                span = SourceSpan::from((text.len() + byte, len));
                error_line = (text.len(), text.len() + shown.text.len());
            }
            text.push_str(&shown.text);
        }
        let excerpt = Excerpt {
            name: escape::line(&name.into()).into_owned(),
            text,
            first_line,
            line: line_number,
            error_line,
            column,
        };
        (Some(excerpt), Some(span))
    }
}

impl SourceCode for Excerpt {
    /// The whole excerpt for the context miette draws, the error's line alone for the
    /// line and column in its header (asked for without context lines).
    fn read_span<'a>(
        &'a self,
        _span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (start, end, line) = if before == 0 && after == 0 {
            (self.error_line.0, self.error_line.1, self.line)
        } else {
            (0, self.text.len(), self.first_line)
        };
        let data = &self.text[start..end];
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data.as_bytes(),
            (start, data.len()).into(),
            line,
            self.column,
            data.lines().count().max(1),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

    #[test]
    fn short_lines_are_not_cut() {
        let line = "x".repeat(WINDOW);
        assert_eq!(window(&line, Some(150)).text, line);
        let wide = "é".repeat(WINDOW);
        assert_eq!(window(&wide, Some(150)).cut_before, 0);
    }

    #[test]
    fn long_lines_are_cut_around_the_place_on_char_boundaries() {
        let line: String = (0..100_000)
            .map(|i| if i % 3 == 0 { 'é' } else { 'x' })
            .collect();
        for at in [
            None,
            Some(0),
            Some(79),
            Some(80),
            Some(81),
            Some(50_000),
            Some(99_990),
            Some(200_000),
        ] {
            let cut = window(&line, at);
            let chars: Vec<char> = cut.text.chars().collect();
            assert!(chars.len() <= WINDOW, "{at:?}: {}", chars.len());
            assert_eq!(cut.text.starts_with(CUT), cut.cut_before > 0, "{at:?}");
            // The window's characters are the line's, from `cut_before` on.
            let body = cut.text.trim_start_matches(CUT).trim_end_matches(CUT);
            let original: String = line
                .chars()
                .skip(cut.cut_before)
                .take(body.chars().count())
                .collect();
            assert_eq!(body, original, "{at:?}");
            if let Some(at) = at.filter(|&at| at < 100_000) {
                assert!(
                    at >= cut.cut_before && at - cut.cut_before < body.chars().count(),
                    "{at}"
                );
            }
        }
        assert_eq!(window(&line, Some(50_000)).cut_before, 50_000 - BEFORE);
        assert!(window(&line, Some(0)).text.ends_with(CUT));
    }

    #[test]
    fn an_indexed_line_is_cut_as_a_scanned_one() {
        let line: String = (0..3000)
            .map(|i| if i % 7 == 0 { '語' } else { 'x' })
            .collect();
        let index = CharIndex::new(&line);
        for at in [
            None,
            Some(0),
            Some(255),
            Some(256),
            Some(257),
            Some(1000),
            Some(2999),
            Some(5000),
        ] {
            assert_eq!(
                window_indexed(&line, &index, at),
                window(&line, at),
                "{at:?}"
            );
        }
    }

    #[test]
    fn shown_columns_follow_the_escapes() {
        let shown = Shown::new("a\x1bb\u{202e}c");
        assert_eq!(shown.text, "a\\x1bb\\u{202e}c");
        let columns: Vec<usize> = (0..7).map(|at| shown.column(at)).collect();
        assert_eq!(columns, [0, 1, 5, 6, 14, 15, 16]);
        let plain = Shown::new("abc");
        let columns: Vec<usize> = (0..5).map(|at| plain.column(at)).collect();
        assert_eq!(columns, [0, 1, 2, 3, 4]);
    }

    #[derive(Debug, thiserror::Error, Diagnostic)]
    #[error("broken")]
    struct Broken {
        #[source_code]
        src: Option<Excerpt>,
        #[label("here")]
        span: Option<SourceSpan>,
    }

    fn render(source: &str, offset: usize) -> String {
        let (src, span) = Excerpt::around("in\x1b.json", source, Some(offset));
        let mut out = String::new();
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .render_report(&mut out, &Broken { src, span })
            .unwrap();
        out
    }

    /// miette panicked drawing a marker past column 65,535 after a non-ASCII character.
    #[test]
    fn an_error_far_along_a_long_line_is_drawn() {
        let source = format!("{{\n[\"é{}\" x]\n}}\n", "x".repeat(70_000));
        let offset = source.find(" x]").unwrap() + 1;
        let out = render(&source, offset);
        assert!(out.contains("[in\\x1b.json:2:70006]"), "{out}");
        let marked = out.lines().find(|l| l.contains(" 2 │")).unwrap();
        let marker = out.lines().find(|l| l.contains('┬')).unwrap();
        let at = marker.chars().position(|c| c == '┬').unwrap();
        assert_eq!(marked.chars().nth(at), Some('x'), "{out}");
        assert_eq!(marked.chars().nth(at - 1), Some(' '), "{out}");
        assert!(
            out.lines().all(|l| l.chars().count() < WINDOW + 20),
            "{out}"
        );
        assert!(out.contains(" 1 │ {") && out.contains(" 3 │ }"), "{out}");
    }

    #[test]
    fn control_characters_in_the_source_are_shown_escaped() {
        let source = "a: \"\x1b]0;pwned\x07\"\r\nb: \u{202e}x\0 y\r\n";
        let offset = source.find(" y").unwrap();
        let out = render(source, offset);
        assert!(
            !out.chars().any(|c| c != '\n' && escape::is_escaped(c)),
            "{out:?}"
        );
        assert!(out.contains("a: \"\\x1b]0;pwned\\x07\""), "{out}");
        let marked = out.lines().find(|l| l.contains(" 2 │")).unwrap();
        let marker = out.lines().find(|l| l.contains('┬')).unwrap();
        let at = marker.chars().position(|c| c == '┬').unwrap();
        assert_eq!(marked.chars().nth(at), Some(' '), "{out}");
        assert_eq!(marked.chars().nth(at - 1), Some('0'), "{out}");
        assert!(out.contains("[in\\x1b.json:2:7]"), "{out}");
    }

    #[test]
    fn an_error_at_the_end_of_the_file_is_drawn() {
        let out = render("key: [1, 2", 10);
        assert!(out.contains("[in\\x1b.json:1:11]"), "{out}");
        assert!(out.contains('┬'), "{out}");
    }
}
