//! Values of secret-named assignments inside text: `export GITHUB_TOKEN="…"`,
//! `"GITHUB_TOKEN": "…"` (JSON, JSONC), `stripe-api-key: …` (YAML), `api_key = "…"`
//! (TOML), `-X=main.githubToken=…` (a flag inside GOFLAGS), `Authorization: Bearer …`.
//!
//! Every `name = value`, `name: value`, `"name": value`, `name := value` is a
//! candidate; [`is_secret_name`] decides, so this and the snapshot's names agree. A
//! `:` counts only before white space or after a quoted name, so paths and URLs
//! (`/home/me/secrets:/usr/bin`, `http://token:…`) are not assignments. The value is a
//! quoted string (to its closing quote, or the end of the line when it has none), the
//! rest of the line after a `:` (YAML plain scalars hold spaces; a ` #` comment
//! stays), or the next word after `=`.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::{is_marker, is_secret_name, redact_whole};

/// A name: letters of any script, digits, `_`, `.` and `-`.
const CANDIDATE_PATTERN: &str =
    r#"(?P<name>[\p{L}_][\p{L}\p{N}_.-]*)(?P<close>["']?)[ \t]*(?P<sep>:=|==|=>|=|:)[ \t]*"#;

/// The same for ASCII text: there the ASCII classes match exactly what the Unicode ones
/// do (`\p{L}` is `A-Za-z`, `\p{N}` is `0-9`), and they compile twenty times faster
/// (0.04 against 0.9 ms, paid by every run that reads a startup file).
const CANDIDATE_ASCII_PATTERN: &str =
    r#"(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)(?P<close>["']?)[ \t]*(?P<sep>:=|==|=>|=|:)[ \t]*"#;

/// The candidate patterns' groups, by number (both patterns number them alike).
const NAME: usize = 1;
const CLOSE: usize = 2;
const SEP: usize = 3;

static CANDIDATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(CANDIDATE_PATTERN).expect("valid regex"));

static CANDIDATE_ASCII: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(CANDIDATE_ASCII_PATTERN).expect("valid regex"));

/// The pattern for `text`: the Unicode one is compiled only when a text needs it.
fn candidate(text: &str) -> &'static Regex {
    if text.is_ascii() {
        &CANDIDATE_ASCII
    } else {
        &CANDIDATE
    }
}

pub(super) fn prepare() {
    LazyLock::force(&CANDIDATE_ASCII);
}

/// Values that are a switch or nothing, never a secret, whatever the name says.
const NOT_A_SECRET: [&str; 4] = ["true", "false", "null", "~"];

/// Replaces the value of every secret-named assignment in `text` with
/// [`redact_whole`]'s marker, keeping its quotes; `text` itself when none is hidden.
pub fn redact_assignments(text: &str) -> Cow<'_, str> {
    if !text.contains(['=', ':']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut copied = 0;
    let mut pos = 0;
    let candidate = candidate(text);
    // One set of capture slots for every match, read by group number: a `Captures`
    // per match, its groups looked up by name, cost more than the search (every line a
    // report quotes comes through here).
    let mut groups = candidate.capture_locations();
    let group = |groups: &regex::CaptureLocations, i| groups.get(i).map(|(a, b)| &text[a..b]);
    while candidate.captures_read_at(&mut groups, text, pos).is_some() {
        let (Some((name_start, name_end)), Some((_, whole_end))) =
            (groups.get(NAME), groups.get(0))
        else {
            break;
        };
        let name = &text[name_start..name_end];
        let colon = group(&groups, SEP) == Some(":");
        let spaced = text[..whole_end].ends_with([' ', '\t']);
        let quoted_name = group(&groups, CLOSE).is_some_and(|close| !close.is_empty());
        if (colon && !spaced && !quoted_name) || !is_secret_name(name) {
            // The value may hold an assignment of its own (`{"env": "TOKEN=…"}`).
            pos = name_end;
            continue;
        }
        let (end, inner) = value(text, whole_end, colon);
        pos = end.max(whole_end);
        let Some((inner_start, inner_end)) = inner else {
            continue;
        };
        let secret = &text[inner_start..inner_end];
        // `automountServiceAccountToken: false` names a token and holds none.
        if secret.is_empty() || is_marker(secret) || NOT_A_SECRET.contains(&secret) {
            continue;
        }
        out.push_str(&text[copied..inner_start]);
        out.push_str(&redact_whole(secret));
        copied = inner_end;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The value starting at `start`: where it ends, and the part to replace (inside the
/// quotes of a quoted value that has its closing quote).
fn value(text: &str, start: usize, after_colon: bool) -> (usize, Option<(usize, usize)>) {
    let rest = &text[start..];
    let line_end = rest.find(['\n', '\r']).map_or(text.len(), |i| start + i);
    match rest.chars().next() {
        None | Some('\n' | '\r') => (start, None),
        Some(quote @ ('"' | '\'')) => {
            let body = start + 1;
            let close = closing_quote(&text[body..line_end], quote).map(|i| body + i);
            match close {
                Some(close) => (close + 1, Some((body, close))),
                None => (line_end, Some((start, line_end))),
            }
        }
        Some(_) if after_colon => {
            let line = &text[start..line_end];
            let end = line.find(" #").unwrap_or(line.len());
            let end = start + line[..end].trim_end().len();
            (end, Some((start, end)))
        }
        Some(_) => {
            let end = start + word_end(rest);
            (end, Some((start, end)))
        }
    }
}

/// Where an unquoted value after `=` ends: at white space, or at a quote that closes
/// the string the assignment stands in (`{"env": "TOKEN=abc"}`), i.e. one followed by
/// neither a letter nor a digit (`ab"cd"ef` is one shell word).
fn word_end(rest: &str) -> usize {
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            return i;
        }
        if matches!(c, '"' | '\'') && i > 0 {
            let next = chars.peek().map(|&(_, n)| n);
            if next.is_none_or(|n| !n.is_alphanumeric()) {
                return i;
            }
        }
    }
    rest.len()
}

/// The index of the quote that closes a string of `quote`s (`\` escapes in `"…"`).
fn closing_quote(body: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' && quote == '"' {
            escaped = true;
        } else if c == quote {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The groups are read by number: both patterns must number them as the names say.
    #[test]
    fn the_group_numbers_name_the_groups() {
        for pattern in [&*CANDIDATE, &*CANDIDATE_ASCII] {
            let names: Vec<Option<&str>> = pattern.capture_names().collect();
            assert_eq!(names, [None, Some("name"), Some("close"), Some("sep")]);
            assert_eq!(
                (names[NAME], names[CLOSE], names[SEP]),
                (Some("name"), Some("close"), Some("sep"))
            );
        }
    }

    /// The ASCII pattern is only a faster compile: on ASCII text it must find exactly
    /// what the Unicode one finds, group for group (seeded generated lines).
    #[test]
    fn the_ascii_pattern_matches_as_the_unicode_one_on_ascii_text() {
        let alphabet: Vec<u8> = b"aZ_09.-:=>\"' \t#/$x".to_vec();
        let mut state: u64 = 0x5eed_a5c1;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..5000 {
            let len = (next() % 40) as usize;
            let line: String = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 5 == 0 {
                        // any ASCII character, controls included
                        char::from((r >> 8) as u8 & 0x7f)
                    } else {
                        char::from(alphabet[(r >> 8) as usize % alphabet.len()])
                    }
                })
                .collect();
            let groups = |re: &Regex| -> Vec<Vec<Option<(usize, usize)>>> {
                re.captures_iter(&line)
                    .map(|c| {
                        (0..c.len())
                            .map(|i| c.get(i).map(|m| (m.start(), m.end())))
                            .collect()
                    })
                    .collect()
            };
            assert_eq!(
                groups(&CANDIDATE_ASCII),
                groups(&CANDIDATE),
                "case {case}: {line:?}"
            );
        }
    }

    #[test]
    fn names_in_other_scripts_are_still_judged() {
        assert!(std::ptr::eq(candidate("Passwört=x"), &*CANDIDATE));
        assert_eq!(
            redact_assignments("export ТОКЕН_API_TOKEN=abc"),
            "export ТОКЕН_API_TOKEN=[REDACTED]"
        );
    }

    #[test]
    fn assignments_in_every_syntax() {
        for (line, clean) in [
            (
                r#"export GITHUB_TOKEN="abc123""#,
                r#"export GITHUB_TOKEN="[REDACTED]""#,
            ),
            ("DB_PASSWORD=hunter2 make", "DB_PASSWORD=[REDACTED] make"),
            (
                r#"{"GITHUB_TOKEN": "abc", "MODE": "x"}"#,
                r#"{"GITHUB_TOKEN": "[REDACTED]", "MODE": "x"}"#,
            ),
            (r#"{"x-api-key":"abc"}"#, r#"{"x-api-key":"[REDACTED]"}"#),
            (
                "  stripe-api-key: abc def # note",
                "  stripe-api-key: [REDACTED] # note",
            ),
            (r#"api_key = "abc"#, r#"api_key = [REDACTED]"#),
            (
                "-ldflags=-X=main.githubToken=abc -trimpath",
                "-ldflags=-X=main.githubToken=[REDACTED] -trimpath",
            ),
            ("Authorization: Bearer abc", "Authorization: [REDACTED]"),
            (
                r#""s": "a\"b", "token": "c\"d""#,
                r#""s": "a\"b", "token": "[REDACTED]""#,
            ),
            (
                r#"{"env": "GITHUB_TOKEN=abc"}"#,
                r#"{"env": "GITHUB_TOKEN=[REDACTED]"}"#,
            ),
        ] {
            assert_eq!(redact_assignments(line), clean, "{line}");
        }
    }

    #[test]
    fn a_switch_named_like_a_secret_is_not_one() {
        for line in [
            "  automountServiceAccountToken: false",
            "TOKEN=true",
            "\"api_key\": null",
        ] {
            assert_eq!(redact_assignments(line), line);
        }
        assert_ne!(redact_assignments("TOKEN=truex"), "TOKEN=truex");
    }

    #[test]
    fn paths_urls_and_references_are_not_assignments() {
        for line in [
            "export PATH=$PATH:$HOME/secrets:/usr/bin",
            "/home/me/token:/usr/bin",
            "https://token:[REDACTED]@host",
            "name: GITHUB_TOKEN",
            "GITHUB_TOKEN=",
            "GITHUB_TOKEN=[REDACTED:github-token] next",
            "password:",
        ] {
            assert_eq!(redact_assignments(line), line, "{line}");
        }
    }
}
