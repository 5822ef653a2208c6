//! Tokenizer for sh, bash and zsh startup files.
//!
//! It never fails: an unterminated quote or substitution becomes a [`Tok::Bad`] and the
//! rest of that line is dropped, so one broken line cannot swallow the file. Here-document
//! bodies are stepped over and recorded as skipped.

use super::ast::{Part, Skipped, Word};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Word(Word),
    /// `;` `;;` `;&` `;;&` `&` `&&` `||` `|` `|&` `(` `)` and `\n`.
    Op(&'static str, usize),
    /// A redirection; when `takes_target`, the next word is its file (dropped).
    Redirect {
        text: String,
        line: usize,
        takes_target: bool,
    },
    /// `name=(…)` or `name+=(…)`.
    ArrayAssign {
        name: String,
        append: bool,
        words: Vec<Word>,
        line: usize,
    },
    /// `(( … ))`.
    Arith(usize),
    /// What could not be read; the rest of its line was dropped.
    Bad {
        line: usize,
        reason: String,
    },
}

pub struct Lexed {
    pub toks: Vec<Tok>,
    pub skipped: Vec<Skipped>,
}

pub fn tokenize(text: &str) -> Lexed {
    let mut lexer = Lexer {
        chars: text.chars().collect(),
        pos: 0,
        line: 1,
        toks: Vec::new(),
        skipped: Vec::new(),
        heredocs: Vec::new(),
        word_end: None,
    };
    lexer.run();
    Lexed {
        toks: lexer.toks,
        skipped: lexer.skipped,
    }
}

/// Characters that end an unquoted word.
fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
    )
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    toks: Vec<Tok>,
    skipped: Vec<Skipped>,
    /// Here-documents whose bodies start after the next newline: (delimiter, strip tabs).
    heredocs: Vec<(String, bool)>,
    /// Where the last word token ended, to recognise `2>` (an fd number, not a word).
    word_end: Option<usize>,
}

/// Why a word could not be read.
struct Unterminated(&'static str);

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn run(&mut self) {
        while let Some(c) = self.peek() {
            let line = self.line;
            match c {
                ' ' | '\t' | '\r' => {
                    self.pos += 1;
                }
                '\\' if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                '#' => self.skip_to_eol(),
                '\n' => {
                    self.bump();
                    self.toks.push(Tok::Op("\n", line));
                    self.read_heredoc_bodies();
                }
                ';' => {
                    let op = if self.starts_with(";;&") {
                        ";;&"
                    } else if self.starts_with(";;") {
                        ";;"
                    } else if self.starts_with(";&") {
                        ";&"
                    } else {
                        ";"
                    };
                    self.pos += op.len();
                    self.toks.push(Tok::Op(op, line));
                }
                '&' if self.starts_with("&>") => self.redirect(),
                '&' => {
                    let op = if self.starts_with("&&") { "&&" } else { "&" };
                    self.pos += op.len();
                    self.toks.push(Tok::Op(op, line));
                }
                '|' => {
                    let op = if self.starts_with("||") {
                        "||"
                    } else if self.starts_with("|&") {
                        "|&"
                    } else {
                        "|"
                    };
                    self.pos += op.len();
                    self.toks.push(Tok::Op(op, line));
                }
                '(' if self.starts_with("((") && self.at_command_start() => self.arith_command(),
                '(' => {
                    self.pos += 1;
                    self.toks.push(Tok::Op("(", line));
                }
                ')' => {
                    self.pos += 1;
                    self.toks.push(Tok::Op(")", line));
                }
                '<' | '>' if self.peek_at(1) == Some('(') => self.word(),
                '<' | '>' => self.redirect(),
                _ => self.word(),
            }
        }
        if !self.heredocs.is_empty() {
            self.read_heredoc_bodies();
        }
    }

    /// `((` opens an arithmetic command only where a command starts.
    fn at_command_start(&self) -> bool {
        match self.toks.last() {
            None => true,
            Some(Tok::Op(op, _)) => *op != ")",
            Some(Tok::Word(w)) => matches!(
                w.bare(),
                Some("then" | "do" | "else" | "elif" | "if" | "while" | "until" | "!" | "{")
            ),
            _ => false,
        }
    }

    fn skip_to_eol(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            self.pos += 1;
        }
    }

    /// Drops the rest of the line after something unreadable.
    fn bad(&mut self, line: usize, reason: &str) {
        self.skip_to_eol();
        self.toks.push(Tok::Bad {
            line,
            reason: reason.to_string(),
        });
    }

    fn arith_command(&mut self) {
        let line = self.line;
        let start = self.pos;
        self.pos += 2;
        let mut depth = 2usize;
        while let Some(c) = self.bump() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        self.toks.push(Tok::Arith(line));
                        return;
                    }
                }
                _ => {}
            }
        }
        self.pos = start;
        self.line = line;
        self.bad(line, "unterminated `((`");
    }

    fn redirect(&mut self) {
        let line = self.line;
        // `2>` and `2>&1`: the digits just before are a file descriptor, not a word.
        if self.word_end == Some(self.pos) {
            if let Some(Tok::Word(w)) = self.toks.last() {
                if w.raw.chars().all(|c| c.is_ascii_digit()) {
                    self.toks.pop();
                }
            }
        }
        const OPS: &[&str] = &[
            "<<<", "<<-", "<<", "<&", "<>", "<", "&>>", "&>", ">>", ">&", ">|", ">",
        ];
        let op = OPS
            .iter()
            .find(|op| self.starts_with(op))
            .copied()
            .unwrap_or(">");
        self.pos += op.len();
        if op == "<<" || op == "<<-" {
            while matches!(self.peek(), Some(' ' | '\t')) {
                self.pos += 1;
            }
            match self.read_word_parts() {
                Ok(Some(word)) => {
                    let delimiter = word_text_unquoted(&word);
                    self.heredocs.push((delimiter, op == "<<-"));
                    self.toks.push(Tok::Redirect {
                        text: op.to_string(),
                        line,
                        takes_target: false,
                    });
                }
                Ok(None) => self.bad(line, "here-document without a delimiter"),
                Err(Unterminated(what)) => self.bad(line, what),
            }
            return;
        }
        self.toks.push(Tok::Redirect {
            text: op.to_string(),
            line,
            takes_target: true,
        });
    }

    fn read_heredoc_bodies(&mut self) {
        let pending = std::mem::take(&mut self.heredocs);
        for (delimiter, strip_tabs) in pending {
            let start = self.line;
            let mut closed = false;
            while self.peek().is_some() {
                let from = self.pos;
                self.skip_to_eol();
                let text: String = self.chars[from..self.pos].iter().collect();
                let text = if strip_tabs {
                    text.trim_start_matches('\t')
                } else {
                    &text
                };
                let done = text.trim_end_matches('\r') == delimiter;
                self.bump();
                if done {
                    closed = true;
                    break;
                }
            }
            self.skipped.push(Skipped {
                line: start,
                end_line: self.line.saturating_sub(1).max(start),
                reason: if closed {
                    "here-document".to_string()
                } else {
                    format!("here-document without its closing `{delimiter}`")
                },
            });
        }
    }

    fn word(&mut self) {
        let line = self.line;
        let start = self.pos;
        match self.read_word_parts() {
            Ok(Some(word)) => {
                // `name=(…)`: a zsh/bash array assignment.
                if self.peek() == Some('(') {
                    if let Some((name, append)) = array_assign_prefix(&word) {
                        self.array_assign(name, append, line, start);
                        return;
                    }
                }
                self.word_end = Some(self.pos);
                self.toks.push(Tok::Word(word));
            }
            Ok(None) => {
                // A lone metacharacter we do not treat as an operator: keep going.
                self.pos += 1;
            }
            Err(Unterminated(what)) => {
                self.pos = start;
                self.line = line;
                self.bad(line, what);
            }
        }
    }

    fn array_assign(&mut self, name: String, append: bool, line: usize, start: usize) {
        self.pos += 1; // (
        let mut words = Vec::new();
        loop {
            match self.peek() {
                None => {
                    self.pos = start;
                    self.line = line;
                    self.bad(line, "unterminated array assignment");
                    return;
                }
                Some(')') => {
                    self.pos += 1;
                    break;
                }
                Some(' ' | '\t' | '\r' | '\n') => {
                    self.bump();
                }
                Some('#') => self.skip_to_eol(),
                Some(_) => match self.read_word_parts() {
                    Ok(Some(word)) => words.push(word),
                    Ok(None) => {
                        self.pos += 1;
                    }
                    Err(Unterminated(what)) => {
                        self.pos = start;
                        self.line = line;
                        self.bad(line, what);
                        return;
                    }
                },
            }
        }
        self.word_end = Some(self.pos);
        self.toks.push(Tok::ArrayAssign {
            name,
            append,
            words,
            line,
        });
    }

    /// Reads one word; `None` when the next character ends words.
    fn read_word_parts(&mut self) -> Result<Option<Word>, Unterminated> {
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

    fn read_double_quoted(&mut self, parts: &mut PartsBuilder) -> Result<(), Unterminated> {
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
                parts.push(parse_braced(&text, self.line));
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

/// `${…}` contents → a parameter part (or an unsupported one).
fn parse_braced(inner: &str, line: usize) -> Part {
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
                arg: Some(Box::new(parse_verbatim(arg, line))),
            };
        }
    }
    unsupported()
}

/// Lexes text in which blanks do not split (the word of `${x:-word}`).
pub(crate) fn parse_verbatim(text: &str, line: usize) -> Word {
    let mut lexer = Lexer {
        chars: text.chars().collect(),
        pos: 0,
        line,
        toks: Vec::new(),
        skipped: Vec::new(),
        heredocs: Vec::new(),
        word_end: None,
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
fn array_assign_prefix(word: &Word) -> Option<(String, bool)> {
    let text = word.bare()?;
    let (name, append) = match text.strip_suffix("+=") {
        Some(name) => (name, true),
        None => (text.strip_suffix('=')?, false),
    };
    let valid = name.chars().next().is_some_and(is_name_start) && name.chars().all(is_name_char);
    valid.then(|| (name.to_string(), append))
}

/// A word's text with quotes removed and expansions kept as written.
fn word_text_unquoted(word: &Word) -> String {
    word.literal().unwrap_or_else(|| word.raw.clone())
}

/// Collects parts, merging adjacent literal text of the same quoting.
#[derive(Default)]
pub(crate) struct PartsBuilder {
    parts: Vec<Part>,
}

impl PartsBuilder {
    pub(crate) fn lit(&mut self, c: char, quoted: bool) {
        if let Some(Part::Lit { text, quoted: q }) = self.parts.last_mut() {
            if *q == quoted {
                text.push(c);
                return;
            }
        }
        self.parts.push(Part::Lit {
            text: c.to_string(),
            quoted,
        });
    }

    pub(crate) fn lit_str(&mut self, s: &str, quoted: bool) {
        if let Some(Part::Lit { text, quoted: q }) = self.parts.last_mut() {
            if *q == quoted {
                text.push_str(s);
                return;
            }
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
