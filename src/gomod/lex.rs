//! Splits one line of go.mod / go.work into tokens, as `modfile`'s lexer does: bare
//! words, `"…"` strings, punctuation, and a trailing `//` comment.

/// One lexical token of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// A bare word: module path, version, `=>`, verb.
    Word(String),
    /// A `"…"` or `` `…` `` string, unquoted.
    Quoted(String),
    /// One of `( ) [ ] { } ,`.
    Punct(char),
}

impl Token {
    /// The text of a word or quoted string; punctuation is never an argument.
    pub(super) fn text(&self) -> Option<&str> {
        match self {
            Token::Word(s) | Token::Quoted(s) => Some(s),
            Token::Punct(_) => None,
        }
    }

    pub(super) fn is_punct(&self, c: char) -> bool {
        *self == Token::Punct(c)
    }
}

/// Splits a line into tokens and the text of its trailing `//` comment.
pub(super) fn tokenize(line: &str) -> Result<(Vec<Token>, Option<String>), String> {
    let mut tokens = Vec::new();
    let mut rest = line;
    loop {
        rest = rest.trim_start();
        let Some(c) = rest.chars().next() else {
            return Ok((tokens, None));
        };
        if let Some(comment) = rest.strip_prefix("//") {
            return Ok((tokens, Some(comment.to_owned())));
        }
        match c {
            '(' | ')' | '[' | ']' | '{' | '}' | ',' => {
                tokens.push(Token::Punct(c));
                rest = &rest[1..];
            }
            '"' => {
                let (text, after) = interpreted_string(&rest[1..])?;
                tokens.push(Token::Quoted(text));
                rest = after;
            }
            '`' => {
                let body = &rest[1..];
                let end = body.find('`').ok_or("unterminated raw string")?;
                tokens.push(Token::Quoted(body[..end].to_owned()));
                rest = &body[end + 1..];
            }
            _ => {
                let end = word_end(rest);
                tokens.push(Token::Word(rest[..end].to_owned()));
                rest = &rest[end..];
            }
        }
    }
}

/// Byte length of the bare word at the start of `s`: up to whitespace, punctuation or
/// the start of a `//` comment.
fn word_end(s: &str) -> usize {
    for (i, c) in s.char_indices() {
        let ends = c.is_whitespace()
            || matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | ',')
            || s[i..].starts_with("//");
        if ends {
            return i;
        }
    }
    s.len()
}

/// Decodes a `"…"` string whose opening quote is already consumed; returns the text
/// and what follows the closing quote. Supports the escapes module paths could need.
fn interpreted_string(s: &str) -> Result<(String, &str), String> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &s[i + 1..])),
            '\\' => match chars.next() {
                Some((_, e @ ('"' | '\\' | '\''))) => out.push(e),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, e)) => return Err(format!("invalid quoted string: unknown escape \\{e}")),
                None => break,
            },
            _ => out.push(c),
        }
    }
    Err("invalid quoted string: missing closing quote".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Token> {
        tokenize(line).expect("lexes").0
    }

    #[test]
    fn words_punctuation_and_comment() {
        let (tokens, comment) = tokenize("  require ( // deps").expect("lexes");
        assert_eq!(
            tokens,
            vec![Token::Word("require".to_owned()), Token::Punct('(')]
        );
        assert_eq!(comment.as_deref(), Some(" deps"));
        assert_eq!(
            words("retract [v1.0.0,v1.0.5]"),
            vec![
                Token::Word("retract".to_owned()),
                Token::Punct('['),
                Token::Word("v1.0.0".to_owned()),
                Token::Punct(','),
                Token::Word("v1.0.5".to_owned()),
                Token::Punct(']'),
            ]
        );
        assert_eq!(
            words("a=>b"),
            vec![Token::Word("a=>b".to_owned())],
            "the arrow needs spaces, as in Go"
        );
    }

    #[test]
    fn quoted_strings() {
        assert_eq!(
            words(r#""a//b" `c d` "e\"\\f\t""#),
            vec![
                Token::Quoted("a//b".to_owned()),
                Token::Quoted("c d".to_owned()),
                Token::Quoted("e\"\\f\t".to_owned()),
            ]
        );
        assert!(tokenize(r#""abc"#).is_err());
        assert!(tokenize("`abc").is_err());
        assert!(tokenize(r#""a\qb""#).is_err());
        assert!(tokenize(r#""a\"#).is_err());
    }

    #[test]
    fn non_ascii_does_not_split_or_panic() {
        assert_eq!(
            words("módulo ✓(x)"),
            vec![
                Token::Word("módulo".to_owned()),
                Token::Word("✓".to_owned()),
                Token::Punct('('),
                Token::Word("x".to_owned()),
                Token::Punct(')'),
            ]
        );
    }
}
