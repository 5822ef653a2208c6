//! What kubectl's YAML parser accepts and saphyr-parser refuses, made acceptable.
//!
//! libyaml (under go-yaml) does not check the indentation of the continuation lines of
//! a quoted scalar: a JSON annotation spread over lines that start at column 1 is read
//! by kubectl. saphyr-parser, stricter, stops with "invalid indentation in quoted
//! scalar". The continuation lines' leading blanks are folded away in either case, so
//! indenting them changes no value: the scalar is re-indented and the file parsed
//! again. Lines and the positions of every other value stay as they were.

use crate::snapshot::FileParseError;

/// saphyr-parser's message for the case; it points at the opening quote.
const QUOTED_INDENTATION: &str = "invalid indentation in quoted scalar";

/// `text` with the quoted scalar that `error` is about indented under its opening
/// quote; `None` when the error is not that one or the scalar cannot be found.
pub fn quoted_indentation(text: &str, error: &FileParseError) -> Option<String> {
    if !error.message.contains(QUOTED_INDENTATION) {
        return None;
    }
    let line_start = line_offset(text, error.line)?;
    let line = &text[line_start..];
    let (quote_at, quote) = line.char_indices().nth(error.column.checked_sub(1)?)?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let open = line_start + quote_at;
    let indent = error.column;
    let close = closing_quote(text, open, quote)?;
    let mut fixed = String::with_capacity(text.len() + 64);
    fixed.push_str(&text[..=open]);
    for (i, piece) in text[open + 1..close].split('\n').enumerate() {
        if i > 0 {
            fixed.push('\n');
            let blanks = piece.len() - piece.trim_start_matches([' ', '\t']).len();
            let content = &piece[blanks..];
            // Continuation lines hold the scalar's text after their leading blanks.
            fixed.extend(std::iter::repeat_n(' ', indent.max(blanks)));
            fixed.push_str(content);
        } else {
            fixed.push_str(piece);
        }
    }
    fixed.push_str(&text[close..]);
    (fixed != text).then_some(fixed)
}

/// Byte offset of the start of 1-based `line`.
fn line_offset(text: &str, line: usize) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
}

/// Byte offset of the quote that closes the scalar opened at `open`.
fn closing_quote(text: &str, open: usize, quote: char) -> Option<usize> {
    let mut chars = text[open + 1..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' => {
                // `''` is a quote inside a single-quoted scalar.
                if chars.peek().is_some_and(|&(_, next)| next == '\'') {
                    chars.next();
                } else {
                    return Some(open + 1 + i);
                }
            }
            '"' if quote == '"' => return Some(open + 1 + i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_lines_are_indented_under_the_quote() {
        let text = "a:\n  b: '{\"x\": 1,\n\"y\": ''2''}'\n  c: 3\n";
        let error = FileParseError {
            message: QUOTED_INDENTATION.into(),
            line: 2,
            column: 6,
        };
        let fixed = quoted_indentation(text, &error).unwrap();
        assert_eq!(
            fixed,
            "a:\n  b: '{\"x\": 1,\n      \"y\": ''2''}'\n  c: 3\n"
        );
        let other = FileParseError {
            message: "did not find expected key".into(),
            ..error
        };
        assert_eq!(quoted_indentation(text, &other), None);
    }
}
