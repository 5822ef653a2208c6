//! Text from checked files, shown to a person, with its control characters made
//! visible.
//!
//! A YAML value, a shell line or a file name can hold escape sequences (`ESC ]0;…
//! BEL` retitles the terminal, `ESC [2J` clears it), NUL bytes, or bidirectional
//! overrides that make a line read differently from what it is. Written raw, they
//! act on the terminal of whoever runs the check (a pre-commit hook on someone
//! else's branch). Every renderer for people passes such text through here; the
//! machine formats are escaped by their serialisers.
//!
//! What is escaped: C0 controls (tab excepted: it only moves the cursor right, and
//! the snippet renderer expands it), DEL, C1 controls (U+0080-U+009F, which some
//! terminals take as escape sequences), the bidirectional embeddings, overrides and
//! isolates (U+202A-U+202E, U+2066-U+2069), and the noncharacters U+FFFE/U+FFFF
//! (invalid in XML). Each becomes a visible escape: `\x1b`, `\x00`, `\u{202e}`, and
//! newline and carriage return `\n`, `\r` where a value must stay on one line.
//! Backslashes are not doubled: a Windows path stays readable, and the escapes are
//! for reading, not for parsing back.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is shown escaped (newline aside: see [`line`] and [`lines`]).
pub fn is_escaped(c: char) -> bool {
    matches!(c,
        '\0'..='\x08' | '\x0a'..='\x1f' | '\x7f'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{fffe}' | '\u{ffff}')
}

/// `text` as one line: every escaped character, newlines included, made visible.
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// `text` over several lines: as [`line`], but a newline stays a line break.
pub fn lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let escaped = |c: char| is_escaped(c) && !(keep_newlines && c == '\n');
    // Most text is ASCII shown as is, which its bytes settle without decoding characters
    // (a large check's human report passes ~100,000 lines through here). The first byte
    // that is not starts a character: every byte before it is a character of its own.
    let shown_as_is = |b: u8| b.is_ascii() && !escaped(char::from(b));
    let plain = text
        .bytes()
        .position(|b| !shown_as_is(b))
        .unwrap_or(text.len());
    let Some(first) = text[plain..].find(escaped).map(|at| plain + at) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if escaped(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` on one line, escaped as [`line`], and cut to at most `max` characters of the
/// escaped form (`…` and the count of characters left out mark the cut): for text
/// quoted from an input into a message, which a binary or NUL-filled file would
/// otherwise make megabytes long.
pub fn bounded(text: &str, max: usize) -> String {
    let shown = line(text);
    let Some((cut, _)) = shown.char_indices().nth(max) else {
        return shown.into_owned();
    };
    let left = shown[cut..].chars().count();
    format!("{}… ({left} more characters)", &shown[..cut])
}

/// A path as text without losing bytes: bytes that are not UTF-8 become `\xNN` (the
/// form bash's `$'…'` reads back), so a report never names another file than the one
/// judged (`to_string_lossy` made every such byte `�`). A literal backslash is doubled
/// only in such a name, so `\xNN` cannot be mistaken for a byte.
pub fn path(path: &std::path::Path) -> Cow<'_, str> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(&chunk.valid().replace('\\', "\\\\"));
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    Cow::Owned(out)
}

/// Appends the visible form of `c`, an escaped character.
pub fn push_escaped(out: &mut String, c: char) {
    let _ = match c {
        '\n' => write!(out, "\\n"),
        '\r' => write!(out, "\\r"),
        '\0'..='\x7f' => write!(out, "\\x{:02x}", c as u32),
        _ => write!(out, "\\u{{{:x}}}", c as u32),
    };
}

/// How many characters the visible form of `c` takes (1 for a character shown as is).
pub fn shown_width(c: char) -> usize {
    if !is_escaped(c) {
        return 1;
    }
    let mut out = String::new();
    push_escaped(&mut out, c);
    out.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_text_is_escaped_and_cut() {
        assert_eq!(bounded("short", 200), "short");
        let nuls = "\0".repeat(1_000_000);
        let shown = bounded(&nuls, 200);
        assert!(shown.starts_with("\\x00\\x00"), "{shown}");
        assert!(shown.ends_with("… (3999800 more characters)"), "{shown}");
        assert_eq!(
            shown.chars().count(),
            200 + "… (3999800 more characters)".chars().count()
        );
        // Cut on a character, not a byte.
        assert_eq!(bounded("ééé", 2), "éé… (1 more characters)");
    }

    #[test]
    fn controls_become_visible_escapes() {
        assert_eq!(
            line("a\x1b]0;pwned\x07b\0c\x7f"),
            "a\\x1b]0;pwned\\x07b\\x00c\\x7f"
        );
        assert_eq!(line("x\u{9b}31m\u{202e}cba"), "x\\u{9b}31m\\u{202e}cba");
        assert_eq!(line("one\ntwo\r\n"), "one\\ntwo\\r\\n");
        assert_eq!(lines("one\ntwo\r\n\x1b"), "one\ntwo\\r\n\\x1b");
        assert_eq!(
            line("\u{fffe}\u{ffff}\u{2066}\u{2069}"),
            "\\u{fffe}\\u{ffff}\\u{2066}\\u{2069}"
        );
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_characters() {
        // Every ASCII byte, alone and after printable text, and a non-ASCII character
        // (escaped or not) after printable text: as escaping character by character.
        let slow = |text: &str, keep_newlines: bool| -> String {
            let mut out = String::new();
            for c in text.chars() {
                if is_escaped(c) && !(keep_newlines && c == '\n') {
                    push_escaped(&mut out, c);
                } else {
                    out.push(c);
                }
            }
            out
        };
        let tails = (0..=0x7f_u8).map(|b| char::from(b).to_string());
        let tails = tails.chain(["\u{9b}", "\u{202e}", "é", "🦀", "\u{ffff}"].map(String::from));
        for tail in tails {
            for text in [
                tail.clone(),
                format!("key: value{tail}"),
                format!("a\tb{tail}c"),
            ] {
                assert_eq!(line(&text), slow(&text, false), "{text:?}");
                assert_eq!(lines(&text), slow(&text, true), "{text:?}");
            }
        }
    }

    #[test]
    fn ordinary_text_is_borrowed_as_is() {
        for text in ["key:\tvalue", "clé: 🦀 \u{200f}", "C:\\Users\\go", ""] {
            assert!(
                matches!(line(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn every_escaped_character_is_gone_from_the_output() {
        let all: String = (0..=0x10ffff_u32).filter_map(char::from_u32).collect();
        let shown = line(&all);
        assert!(!shown.chars().any(is_escaped));
        assert!(shown.contains('\t'));
        let width: usize = all.chars().map(shown_width).sum();
        assert_eq!(width, shown.chars().count());
    }
}
