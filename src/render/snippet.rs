//! A finding's file:line shown the miette way: the line, its number, a label.
//!
//! The report keeps only the offending line (secrets redacted), not the whole file, so
//! this source reports that one line at its real line number.

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use std::borrow::Cow;

use crate::escape;
use crate::excerpt::Shown;
use crate::report::Location;

/// One line of a file, at its real line number.
#[derive(Debug)]
struct LineSource {
    name: String,
    line: usize,
    text: String,
    /// 0-based character column shown in the header, when known.
    column: usize,
}

impl SourceCode for LineSource {
    fn read_span<'a>(
        &'a self,
        _span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            (0, self.text.len()).into(),
            self.line.saturating_sub(1),
            self.column,
            1,
        )))
    }
}

#[derive(Debug)]
struct SnippetDiagnostic {
    source: LineSource,
    label: String,
    /// 1-based character column the label starts at (file checks know it).
    column: Option<usize>,
}

impl std::fmt::Display for SnippetDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("")
    }
}

impl std::error::Error for SnippetDiagnostic {}

impl Diagnostic for SnippetDiagnostic {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        // Point at the text after leading indentation, or from the known column on.
        let (start, len) = label_span(&self.source.text, self.column);
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(self.label.clone()),
            start,
            len,
        ))))
    }
}

/// A location's line as it is shown: escaped, with the place to mark in it.
struct Quoted<'a> {
    /// The file's name, escaped.
    file: Cow<'a, str>,
    line: usize,
    /// 1-based character column in the file, for the header.
    column: Option<usize>,
    /// The snippet, control characters escaped.
    text: String,
    /// 1-based character column of the place in `text`.
    at: Option<usize>,
}

impl<'a> Quoted<'a> {
    fn new(location: &'a Location) -> Option<Self> {
        let line = location.line?;
        let snippet = location.snippet.as_deref()?;
        // A snippet cut from a long line starts with `…` after `snippet_offset`
        // characters of the line.
        let offset = location.snippet_offset.unwrap_or(0);
        let shown = Shown::new(snippet);
        let at = location.column.map(|column| {
            let in_snippet = column.saturating_sub(1).saturating_sub(offset);
            shown.column(in_snippet + usize::from(offset > 0)) + 1
        });
        let mut text = shown.text;
        // An error just past the end of the line (a missing comma) needs a place to mark.
        if at.is_some_and(|at| at > text.trim_end().chars().count()) {
            text.truncate(text.trim_end().len());
            text.push(' ');
        }
        Some(Quoted {
            file: escape::line(&location.file),
            line,
            column: location.column,
            text,
            at,
        })
    }
}

/// The snippet block for a location, or `None` when there is no line to show.
/// `plain`: the theme has no colours (its styles are `ThemeStyles::none()`).
pub fn render(
    location: &Location,
    label: &str,
    theme: GraphicalTheme,
    width: usize,
    plain: bool,
) -> Option<String> {
    let quoted = Quoted::new(location)?;
    let label = escape::line(label);
    if plain && let Some(block) = render_plain_ascii_line(&quoted, &label, &theme) {
        return Some(block);
    }
    let diagnostic = SnippetDiagnostic {
        source: LineSource {
            name: quoted.file.into_owned(),
            line: quoted.line,
            text: quoted.text,
            column: quoted.column.map_or(0, |c| c.saturating_sub(1)),
        },
        label: label.into_owned(),
        column: quoted.at,
    };
    let mut out = String::new();
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .with_context_lines(0)
        .render_report(&mut out, &diagnostic)
        .ok()?;
    // Drop the empty headline miette prints for the (message-less) diagnostic.
    let body: Vec<&str> = out
        .lines()
        .skip_while(|l| {
            let visible = strip_ansi(l);
            let visible = visible.trim();
            visible.is_empty() || visible == "×" || visible == "x"
        })
        .collect();
    Some(body.join("\n"))
}

/// What miette draws for one plain line of printable ASCII with a one-line label,
/// without miette: its general renderer (spans, widths, styles) was a tenth of a
/// large check's time. Anything else (tabs, wide or combining characters, a label
/// over several lines) returns `None` and goes to miette; a test holds the two equal.
fn render_plain_ascii_line(
    quoted: &Quoted<'_>,
    label: &str,
    theme: &GraphicalTheme,
) -> Option<String> {
    let (text, line) = (quoted.text.as_str(), quoted.line);
    if text.is_empty()
        || !text.bytes().all(|b| (b' '..=b'~').contains(&b))
        || label.contains(['\n', '\r', '\x1b'])
    {
        return None;
    }
    let chars = &theme.characters;
    let (start, len) = label_span(text, quoted.at);
    let end = start + len;
    // A label past the end of the line (a blank line): miette leaves it out.
    if end > text.len() {
        return None;
    }
    let vbar_offset = (start + end) / 2;
    let width = line.to_string().len();
    let pad = " ".repeat(width + 2);
    let no_linum = format!(" {:width$} {} ", "", chars.vbar_break);
    let column = quoted.column.map_or(0, |c| c.saturating_sub(1)) + 1;
    let mut out = String::with_capacity(4 * (text.len() + width + 16) + label.len());
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "{pad}{}{}[{}:{line}:{column}]",
        chars.ltop, chars.hbar, quoted.file
    );
    let _ = writeln!(out, " {line:>width$} {} {text}", chars.vbar);
    let _ = writeln!(
        out,
        "{no_linum}{}{}{}{}",
        " ".repeat(start),
        chars.underline.to_string().repeat(vbar_offset - start),
        chars.underbar,
        chars.underline.to_string().repeat(end - vbar_offset - 1),
    );
    let _ = writeln!(
        out,
        "{no_linum}{}{}{} {label}",
        " ".repeat(vbar_offset),
        chars.lbot,
        chars.hbar.to_string().repeat(2),
    );
    let _ = write!(
        out,
        "{pad}{}{}",
        chars.lbot,
        chars.hbar.to_string().repeat(4)
    );
    Some(out)
}

/// The label's byte offset and length in `text`: from the column on, or the text
/// after its indentation, at least one character.
fn label_span(text: &str, column: Option<usize>) -> (usize, usize) {
    let indent = text.len() - text.trim_start().len();
    // A column past the end (a syntax error at the end of the line) marks the end.
    let start = column
        .map(|c| {
            text.char_indices()
                .nth(c.saturating_sub(1))
                .map_or(text.trim_end().len(), |(i, _)| i)
        })
        .unwrap_or(indent);
    let len = text.trim_end().len().saturating_sub(start).max(1);
    let len = len.min(text.len().saturating_sub(start)).max(1);
    (start, len)
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::{ThemeCharacters, ThemeStyles};

    fn location(file: &str, line: usize, column: Option<usize>, text: &str) -> Location {
        Location::with_snippet(file.into(), Some(line), column, Some(text))
    }

    /// The shortcut draws exactly what miette draws, over lines, columns (none, inside,
    /// at and past the end), line numbers of every width and both plain themes.
    #[test]
    fn plain_ascii_lines_are_drawn_as_miette_draws_them() {
        let themes = [
            GraphicalTheme::unicode_nocolor(),
            GraphicalTheme {
                characters: ThemeCharacters::ascii(),
                styles: ThemeStyles::none(),
            },
        ];
        let long = format!("    key: {}", "v".repeat(crate::excerpt::WINDOW - 10));
        let texts = [
            long.as_str(),
            "            privileged: true",
            "image: nginx",
            "x",
            "",
            "   ",
            "  key: value   ",
            "a: {b: 1, c: [1, 2, 3]}, \"q\": 'x'",
        ];
        let wide = "L".repeat(150);
        let labels = [
            "Privileged container",
            "",
            "a label with : and -- in it",
            &wide,
        ];
        let mut compared = 0;
        for theme in &themes {
            for text in texts {
                for line in [1, 9, 46, 100, 12345] {
                    let columns = [
                        None,
                        Some(1),
                        Some(3),
                        Some(text.len()),
                        Some(text.len() + 1),
                    ];
                    for column in columns {
                        for label in labels {
                            let at = location("dir/file.yaml", line, column, text);
                            let quoted = Quoted::new(&at).unwrap();
                            let Some(fast) = render_plain_ascii_line(&quoted, label, theme) else {
                                assert!(text.trim().is_empty(), "{text:?} {column:?}");
                                continue;
                            };
                            let slow = render(&at, label, theme.clone(), 94, false).unwrap();
                            assert_eq!(
                                fast, slow,
                                "{text:?} line {line} column {column:?} {label:?}"
                            );
                            compared += 1;
                        }
                    }
                }
            }
        }
        assert!(compared > 800, "{compared}");
    }

    #[test]
    fn other_lines_go_to_miette() {
        let theme = GraphicalTheme::unicode_nocolor();
        for text in ["\tkey: v", "clé: v", "emoji: 🦀"] {
            let at = location("f", 3, Some(2), text);
            let quoted = Quoted::new(&at).unwrap();
            assert!(render_plain_ascii_line(&quoted, "label", &theme).is_none());
            assert!(render(&at, "label", theme.clone(), 94, true).is_some());
        }
    }

    /// The character the marker starts under, in the quoted line.
    fn marked(block: &str) -> char {
        let lines: Vec<&str> = block.lines().collect();
        let quoted = lines.iter().find(|l| l.contains(" | ")).unwrap();
        let marker = lines
            .iter()
            .find(|l| l.contains('|') && l.contains('^'))
            .unwrap();
        let at = marker.chars().position(|c| c == '^').unwrap();
        quoted.chars().nth(at).unwrap()
    }

    fn ascii() -> GraphicalTheme {
        GraphicalTheme {
            characters: ThemeCharacters::ascii(),
            styles: ThemeStyles::none(),
        }
    }

    #[test]
    fn a_long_line_is_quoted_around_its_column() {
        let line = format!(
            "[\"é{}\", {{\"image\": \"nginx:latest\"}}, \"{}\"]",
            "x".repeat(70_000),
            "y".repeat(70_000)
        );
        let column = line.chars().position(|c| c == '{').unwrap() + 1;
        let at = location("list.json", 1, Some(column), &line);
        assert!(at.snippet.as_ref().unwrap().chars().count() <= crate::excerpt::WINDOW);
        let block = render(&at, "Mutable image tag", ascii(), 94, true).unwrap();
        assert!(
            block.contains(&format!("[list.json:1:{column}]")),
            "{block}"
        );
        assert_eq!(marked(&block), '{', "{block}");
        let quoted = block.lines().find(|l| l.contains(" | ")).unwrap();
        assert!(
            quoted.contains("…xxx")
                && quoted.contains("{\"image\": \"nginx:latest\"}")
                && quoted.ends_with("y…"),
            "{block}"
        );
    }

    #[test]
    fn control_characters_are_escaped_and_the_marker_follows() {
        let text = "  - name: \"c\x1b]0;pwned\x07\0\u{202e}\" # image: nginx:latest";
        let column = text.chars().position(|c| c == '#').unwrap() + 1;
        let at = location("pod\x1b[2J.yaml", 7, Some(column), text);
        for (theme, plain) in [(ascii(), true), (GraphicalTheme::unicode(), false)] {
            let block = render(&at, "label \x07 here\nnext", theme, 94, plain).unwrap();
            let raw: Vec<char> = block
                .chars()
                .filter(|&c| escape::is_escaped(c) && c != '\n' && c != '\x1b')
                .collect();
            assert!(raw.is_empty(), "{raw:?} in {block:?}");
            let visible = strip_ansi(&block);
            assert!(
                visible.contains(r#"name: "c\x1b]0;pwned\x07\x00\u{202e}" #"#),
                "{visible}"
            );
            assert!(visible.contains("[pod\\x1b[2J.yaml:7:"), "{visible}");
            assert!(visible.contains(r"label \x07 here\nnext"), "{visible}");
            if plain {
                assert!(!block.contains('\x1b'), "{block:?}");
                assert_eq!(marked(&block), '#', "{block}");
            }
        }
    }
}
