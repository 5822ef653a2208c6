//! Reading words: quotes, `$…` expansions, backquotes, ANSI-C strings, and the
//! builder that collects a word's parts.

use super::*;

impl Lexer {
    /// Reads one word; `None` when the next character ends words.
    pub(super) fn read_word_parts(&mut self) -> Result<Option<Word>, Unterminated> {
        let line = self.line;
        let start = self.pos;
        let mut parts = PartsBuilder::default();
        while let Some(c) = self.peek() {
            if is_meta(c) {
                // `<(…)` / `>(…)`: process substitution is part of a word.
                if (c == '<' || c == '>') && self.peek_at(1) == Some('(') {
                    self.pos += 2;
                    let text = self.read_balanced('(', ')')?;
                    parts.push(Part::CmdSub { text });
                    continue;
                }
                break;
            }
            match c {
                '\\' => {
                    self.pos += 1;
                    match self.bump() {
                        Some('\n') | None => {}
                        Some(escaped) => parts.lit(escaped, true),
                    }
                }
                '\'' => {
                    self.pos += 1;
                    let text = self.read_until_quote('\'')?;
                    parts.lit_str(&text, true);
                }
                '"' => {
                    self.pos += 1;
                    self.read_double_quoted(&mut parts)?;
                }
                '`' => {
                    self.pos += 1;
                    let text = self.read_backquoted()?;
                    parts.push(Part::CmdSub { text });
                }
                '$' => self.read_dollar(&mut parts, false)?,
                _ => {
                    self.bump();
                    parts.lit(c, false);
                }
            }
        }
        if self.pos == start {
            return Ok(None);
        }
        Ok(Some(Word {
            parts: parts.finish(),
            line,
            raw: self.chars[start..self.pos].iter().collect(),
        }))
    }

    fn read_until_quote(&mut self, quote: char) -> Result<String, Unterminated> {
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(Unterminated("unterminated quote")),
                Some(c) if c == quote => return Ok(text),
                Some(c) => text.push(c),
            }
        }
    }

    /// Runs `read` one nesting level deeper, refusing past [`MAX_NESTING`].
    fn nested<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, Unterminated>,
    ) -> Result<T, Unterminated> {
        if self.depth >= MAX_NESTING {
            return Err(Unterminated("quotes and substitutions nested too deeply"));
        }
        self.depth += 1;
        let result = read(self);
        self.depth -= 1;
        result
    }

    fn read_double_quoted(&mut self, parts: &mut PartsBuilder) -> Result<(), Unterminated> {
        self.nested(|this| this.read_double_quoted_inner(parts))
    }

    fn read_double_quoted_inner(&mut self, parts: &mut PartsBuilder) -> Result<(), Unterminated> {
        loop {
            match self.peek() {
                None => return Err(Unterminated("unterminated double quote")),
                Some('"') => {
                    self.pos += 1;
                    // `""` is an empty word, not no word.
                    parts.lit_str("", true);
                    return Ok(());
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.bump() {
                        None => return Err(Unterminated("unterminated double quote")),
                        Some('\n') => {}
                        Some(c @ ('$' | '`' | '"' | '\\')) => parts.lit(c, true),
                        Some(c) => {
                            parts.lit('\\', true);
                            parts.lit(c, true);
                        }
                    }
                }
                Some('`') => {
                    self.pos += 1;
                    let text = self.read_backquoted()?;
                    parts.push(Part::CmdSub { text });
                }
                Some('$') => self.read_dollar(parts, true)?,
                Some(c) => {
                    self.bump();
                    parts.lit(c, true);
                }
            }
        }
    }

    fn read_backquoted(&mut self) -> Result<String, Unterminated> {
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(Unterminated("unterminated backquote")),
                Some('`') => return Ok(text),
                Some('\\') => {
                    if let Some(c) = self.bump() {
                        text.push(c);
                    }
                }
                Some(c) => text.push(c),
            }
        }
    }

    /// Text up to the `close` matching an `open` already consumed, skipping quotes.
    fn read_balanced(&mut self, open: char, close: char) -> Result<String, Unterminated> {
        self.nested(|this| this.read_balanced_inner(open, close))
    }

    fn read_balanced_inner(&mut self, open: char, close: char) -> Result<String, Unterminated> {
        let start = self.pos;
        let mut depth = 1usize;
        loop {
            let Some(c) = self.bump() else {
                return Err(Unterminated("unterminated substitution"));
            };
            match c {
                '\\' => {
                    self.bump();
                }
                '\'' => {
                    self.read_until_quote('\'')?;
                }
                '"' => {
                    let mut scratch = PartsBuilder::default();
                    self.read_double_quoted(&mut scratch)?;
                }
                c if c == open => depth += 1,
                c if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(self.chars[start..self.pos - 1].iter().collect());
                    }
                }
                _ => {}
            }
        }
    }

    fn read_dollar(&mut self, parts: &mut PartsBuilder, quoted: bool) -> Result<(), Unterminated> {
        self.pos += 1; // $
        match self.peek() {
            Some('(') if self.peek_at(1) == Some('(') => {
                self.pos += 2;
                let text = self.read_balanced('(', ')')?;
                // Consume the second closing parenthesis of `$((…))`.
                if self.peek() == Some(')') {
                    self.pos += 1;
                }
                parts.push(Part::Arith { text });
            }
            Some('(') => {
                self.pos += 1;
                let text = self.read_balanced('(', ')')?;
                parts.push(Part::CmdSub { text });
            }
            Some('{') => {
                self.pos += 1;
                let text = self.read_balanced('{', '}')?;
                parts.push(parse_braced(&text, self.line, self.depth + 1));
            }
            Some('\'') if !quoted => {
                self.pos += 1;
                let text = self.read_ansi_c()?;
                parts.lit_str(&text, true);
            }
            Some('"') if !quoted => {
                self.pos += 1;
                self.read_double_quoted(parts)?;
            }
            Some(c) if is_name_start(c) => {
                let start = self.pos;
                while self.peek().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                parts.push(Part::Param {
                    name,
                    op: None,
                    arg: None,
                });
            }
            Some(c) if c.is_ascii_digit() || "-?#@*$!".contains(c) => {
                self.pos += 1;
                parts.push(Part::Param {
                    name: c.to_string(),
                    op: None,
                    arg: None,
                });
            }
            _ => parts.lit('$', quoted),
        }
        Ok(())
    }

    fn read_ansi_c(&mut self) -> Result<String, Unterminated> {
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(Unterminated("unterminated $'…' string")),
                Some('\'') => return Ok(text),
                Some('\\') => match self.bump() {
                    Some('n') => text.push('\n'),
                    Some('t') => text.push('\t'),
                    Some(c) => text.push(c),
                    None => return Err(Unterminated("unterminated $'…' string")),
                },
                Some(c) => text.push(c),
            }
        }
    }
}

/// `${…}` contents → a parameter part (or an unsupported one); `depth` levels are
/// open around it.
fn parse_braced(inner: &str, line: usize, depth: usize) -> Part {
    let unsupported = || Part::Unsupported {
        text: format!("${{{inner}}}"),
    };
    let mut chars = inner.char_indices();
    let name_end = match chars.next() {
        Some((_, c)) if is_name_start(c) => inner
            .char_indices()
            .find(|(_, c)| !is_name_char(*c))
            .map_or(inner.len(), |(i, _)| i),
        Some((_, c)) if c.is_ascii_digit() || "-?@*$!#".contains(c) => {
            // `${#x}` is a length and `${!x}` an indirection, not `#`/`!` themselves.
            if (c == '#' || c == '!') && inner.len() > 1 {
                return unsupported();
            }
            c.len_utf8()
        }
        _ => return unsupported(),
    };
    let name = inner[..name_end].to_string();
    let rest = &inner[name_end..];
    if rest.is_empty() {
        return Part::Param {
            name,
            op: None,
            arg: None,
        };
    }
    if rest == "[@]" || rest == "[*]" {
        return Part::Param {
            name,
            op: Some("[@]".to_string()),
            arg: None,
        };
    }
    for op in [":-", ":=", ":+", ":?", "-", "=", "+", "?"] {
        if let Some(arg) = rest.strip_prefix(op) {
            return Part::Param {
                name,
                op: Some(op.to_string()),
                arg: Some(Box::new(parse_verbatim_at(arg, line, depth))),
            };
        }
    }
    unsupported()
}

/// Lexes text in which blanks do not split (the word of `${x:-word}`).
pub(crate) fn parse_verbatim(text: &str, line: usize) -> Word {
    parse_verbatim_at(text, line, 0)
}

/// [`parse_verbatim`] inside `depth` open levels: `${a:-${a:-…}}` lexes each word
/// with a new lexer, which must still count the levels around it.
fn parse_verbatim_at(text: &str, line: usize, depth: usize) -> Word {
    let mut lexer = Lexer {
        chars: text.chars().collect(),
        pos: 0,
        line,
        toks: Vec::new(),
        skipped: Vec::new(),
        heredocs: Vec::new(),
        word_end: None,
        depth,
    };
    let mut parts = PartsBuilder::default();
    while let Some(c) = lexer.peek() {
        let result = match c {
            '\\' => {
                lexer.pos += 1;
                if let Some(escaped) = lexer.bump() {
                    parts.lit(escaped, true);
                }
                Ok(())
            }
            '\'' => {
                lexer.pos += 1;
                lexer
                    .read_until_quote('\'')
                    .map(|t| parts.lit_str(&t, true))
            }
            '"' => {
                lexer.pos += 1;
                lexer.read_double_quoted(&mut parts)
            }
            '`' => {
                lexer.pos += 1;
                lexer
                    .read_backquoted()
                    .map(|text| parts.push(Part::CmdSub { text }))
            }
            '$' => lexer.read_dollar(&mut parts, false),
            _ => {
                lexer.bump();
                parts.lit(c, false);
                Ok(())
            }
        };
        if result.is_err() {
            return Word {
                parts: vec![Part::Unsupported {
                    text: text.to_string(),
                }],
                line,
                raw: text.to_string(),
            };
        }
    }
    Word {
        parts: parts.finish(),
        line,
        raw: text.to_string(),
    }
}

/// `NAME=` / `NAME+=` as the whole of an unquoted word.
pub(super) fn array_assign_prefix(word: &Word) -> Option<(String, bool)> {
    let text = word.bare()?;
    let (name, append) = match text.strip_suffix("+=") {
        Some(name) => (name, true),
        None => (text.strip_suffix('=')?, false),
    };
    let valid = name.chars().next().is_some_and(is_name_start) && name.chars().all(is_name_char);
    valid.then(|| (name.to_string(), append))
}

/// A word's text with quotes removed and expansions kept as written.
pub(super) fn word_text_unquoted(word: &Word) -> String {
    word.literal().unwrap_or_else(|| word.raw.clone())
}

/// Collects parts, merging adjacent literal text of the same quoting.
#[derive(Default)]
pub(crate) struct PartsBuilder {
    parts: Vec<Part>,
}

impl PartsBuilder {
    pub(crate) fn lit(&mut self, c: char, quoted: bool) {
        if let Some(Part::Lit { text, quoted: q }) = self.parts.last_mut()
            && *q == quoted
        {
            text.push(c);
            return;
        }
        self.parts.push(Part::Lit {
            text: c.to_string(),
            quoted,
        });
    }

    pub(crate) fn lit_str(&mut self, s: &str, quoted: bool) {
        if let Some(Part::Lit { text, quoted: q }) = self.parts.last_mut()
            && *q == quoted
        {
            text.push_str(s);
            return;
        }
        self.parts.push(Part::Lit {
            text: s.to_string(),
            quoted,
        });
    }

    pub(crate) fn push(&mut self, part: Part) {
        self.parts.push(part);
    }

    pub(crate) fn finish(mut self) -> Vec<Part> {
        // Drop empty quoted pieces that sit next to other parts (`"$x"""`).
        if self.parts.len() > 1 {
            self.parts
                .retain(|p| !matches!(p, Part::Lit { text, .. } if text.is_empty()));
            if self.parts.is_empty() {
                self.parts.push(Part::Lit {
                    text: String::new(),
                    quoted: true,
                });
            }
        }
        self.parts
    }
}
