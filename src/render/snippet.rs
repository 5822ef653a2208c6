//! A finding's file:line shown the miette way: the line, its number, a label.
//!
//! The report keeps only the offending line (secrets redacted), not the whole file, so
//! this source reports that one line at its real line number.

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

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
        let text = &self.source.text;
        let indent = text.len() - text.trim_start().len();
        // A column past the end (a syntax error at the end of the line) marks the end.
        let start = self
            .column
            .map(|c| {
                text.char_indices()
                    .nth(c.saturating_sub(1))
                    .map_or(text.trim_end().len(), |(i, _)| i)
            })
            .unwrap_or(indent);
        let len = text.trim_end().len().saturating_sub(start).max(1);
        let len = len.min(text.len().saturating_sub(start)).max(1);
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(self.label.clone()),
            start,
            len,
        ))))
    }
}

/// The snippet block for a location, or `None` when there is no line to show.
pub fn render(
    location: &Location,
    label: &str,
    theme: GraphicalTheme,
    width: usize,
) -> Option<String> {
    let line = location.line?;
    let mut text = location.snippet.clone()?;
    // An error just past the end of the line (a missing comma) needs a place to mark.
    if location
        .column
        .is_some_and(|c| c > text.trim_end().chars().count())
    {
        text.truncate(text.trim_end().len());
        text.push(' ');
    }
    let diagnostic = SnippetDiagnostic {
        source: LineSource {
            name: location.file.clone(),
            line,
            text,
            column: location.column.map_or(0, |c| c.saturating_sub(1)),
        },
        label: label.to_string(),
        column: location.column,
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
