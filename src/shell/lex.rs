//! Tokenizer for sh, bash and zsh startup files.
//!
//! It never fails: an unterminated quote or substitution becomes a [`Tok::Bad`] and the
//! rest of that line is dropped, so one broken line cannot swallow the file. Here-document
//! bodies are stepped over and recorded as skipped.

mod quoting;

pub(crate) use quoting::{PartsBuilder, parse_verbatim};
use quoting::{array_assign_prefix, word_text_unquoted};

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
        depth: 0,
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
    /// Quotes and substitutions open around the reader (see [`MAX_NESTING`]).
    depth: usize,
}

/// Quotes, `$(…)` and `${…:-…}` nested inside one another deeper than this make the
/// line not understood: each level is a stack frame of the reader, and `"$(` repeated
/// 5,000 times overflowed the stack (an abort). Real files nest a handful.
pub const MAX_NESTING: usize = 64;

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
        if self.word_end == Some(self.pos)
            && let Some(Tok::Word(w)) = self.toks.last()
            && w.raw.chars().all(|c| c.is_ascii_digit())
        {
            self.toks.pop();
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
                if self.peek() == Some('(')
                    && let Some((name, append)) = array_assign_prefix(&word)
                {
                    self.array_assign(name, append, line, start);
                    return;
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
}
