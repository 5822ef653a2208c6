//! fish startup files (`config.fish`, `conf.d/*.fish`) → the same syntax tree.
//!
//! fish's blocks (`if … end`, `for … end`, `function … end`, `begin … end`,
//! `switch … end`) map onto the shell nodes; `and`/`or`/`not` onto `&&`/`||`/`!`;
//! `(cmd)` and `$(cmd)` are command substitutions, never run.

use super::ast::{CaseArm, Node, Part, Script, Simple, Word};
use super::lex::PartsBuilder;

const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone)]
enum Tok {
    Word(Word),
    /// `;`, `\n`, `|`, `&&`, `||`, `&`.
    Op(&'static str, usize),
    Bad(usize, String),
}

pub fn parse(text: &str) -> Script {
    let toks = tokenize(text);
    let mut parser = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let mut nodes = parser.list(&[]);
    while parser.pos < parser.toks.len() {
        let line = parser.line();
        parser.skip_line();
        nodes.push(Node::Unparsed {
            line,
            reason: "`end` or `else` without a block".to_string(),
        });
        nodes.extend(parser.list(&[]));
    }
    Script {
        nodes,
        skipped: Vec::new(),
    }
}

fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    while pos < chars.len() {
        let c = chars[pos];
        match c {
            ' ' | '\t' | '\r' => pos += 1,
            '\\' if chars.get(pos + 1) == Some(&'\n') => {
                pos += 2;
                line += 1;
            }
            '#' => {
                while pos < chars.len() && chars[pos] != '\n' {
                    pos += 1;
                }
            }
            '\n' => {
                toks.push(Tok::Op("\n", line));
                pos += 1;
                line += 1;
            }
            ';' => {
                toks.push(Tok::Op(";", line));
                pos += 1;
            }
            '&' if chars.get(pos + 1) == Some(&'&') => {
                toks.push(Tok::Op("&&", line));
                pos += 2;
            }
            '|' if chars.get(pos + 1) == Some(&'|') => {
                toks.push(Tok::Op("||", line));
                pos += 2;
            }
            '|' => {
                toks.push(Tok::Op("|", line));
                pos += 1;
            }
            '&' if chars.get(pos + 1) == Some(&'>') => {
                pos += 2;
                skip_redirect_target(&chars, &mut pos);
            }
            '&' => {
                toks.push(Tok::Op("&", line));
                pos += 1;
            }
            '<' | '>' => {
                pos += 1;
                skip_redirect_target(&chars, &mut pos);
            }
            _ => {
                let start_line = line;
                match read_word(&chars, &mut pos, &mut line) {
                    Ok(word) => toks.push(Tok::Word(word)),
                    Err(reason) => {
                        while pos < chars.len() && chars[pos] != '\n' {
                            pos += 1;
                        }
                        toks.push(Tok::Bad(start_line, reason.to_string()));
                    }
                }
            }
        }
    }
    toks
}

/// `> file`, `2>/dev/null`, `>&2`, `>?file`: the target is dropped.
fn skip_redirect_target(chars: &[char], pos: &mut usize) {
    while matches!(chars.get(*pos), Some('>' | '&' | '?')) {
        *pos += 1;
    }
    while matches!(chars.get(*pos), Some(' ' | '\t')) {
        *pos += 1;
    }
    while let Some(c) = chars.get(*pos) {
        if matches!(c, ' ' | '\t' | '\n' | ';' | '|' | '&') {
            break;
        }
        *pos += 1;
    }
}

fn read_word(chars: &[char], pos: &mut usize, line: &mut usize) -> Result<Word, &'static str> {
    let start = *pos;
    let start_line = *line;
    let mut parts = PartsBuilder::default();
    while let Some(&c) = chars.get(*pos) {
        match c {
            ' ' | '\t' | '\r' | '\n' | ';' | '|' | '&' | '<' | '>' => break,
            // A digit right before `>` is a file descriptor (`2>/dev/null`).
            '0'..='9' if *pos == start && matches!(chars.get(*pos + 1), Some('>' | '<')) => {
                *pos += 1;
                break;
            }
            '\\' => {
                *pos += 1;
                if let Some(&next) = chars.get(*pos) {
                    *pos += 1;
                    if next == '\n' {
                        *line += 1;
                    } else {
                        parts.lit(next, true);
                    }
                }
            }
            '\'' => {
                *pos += 1;
                let mut text = String::new();
                loop {
                    match chars.get(*pos) {
                        None => return Err("unterminated quote"),
                        Some('\'') => break,
                        Some('\\') if matches!(chars.get(*pos + 1), Some('\'' | '\\')) => {
                            text.push(chars[*pos + 1]);
                            *pos += 1;
                        }
                        Some(&ch) => {
                            if ch == '\n' {
                                *line += 1;
                            }
                            text.push(ch);
                        }
                    }
                    *pos += 1;
                }
                *pos += 1;
                parts.lit_str(&text, true);
            }
            '"' => {
                *pos += 1;
                loop {
                    match chars.get(*pos) {
                        None => return Err("unterminated double quote"),
                        Some('"') => break,
                        Some('\\') if matches!(chars.get(*pos + 1), Some('"' | '\\' | '$')) => {
                            parts.lit(chars[*pos + 1], true);
                            *pos += 2;
                        }
                        Some('$') => read_variable(chars, pos, &mut parts),
                        Some(&ch) => {
                            if ch == '\n' {
                                *line += 1;
                            }
                            parts.lit(ch, true);
                            *pos += 1;
                        }
                    }
                }
                *pos += 1;
                parts.lit_str("", true);
            }
            '$' if chars.get(*pos + 1) == Some(&'(') => {
                *pos += 2;
                let text = read_parens(chars, pos, line)?;
                parts.push(Part::CmdSub { text });
            }
            '(' => {
                *pos += 1;
                let text = read_parens(chars, pos, line)?;
                parts.push(Part::CmdSub { text });
            }
            ')' => return Err("unbalanced `)`"),
            '$' => read_variable(chars, pos, &mut parts),
            _ => {
                parts.lit(c, false);
                *pos += 1;
            }
        }
    }
    if *pos == start {
        // A lone character that ends words: step over it.
        *pos += 1;
        return Err("unexpected character");
    }
    Ok(Word {
        parts: parts.finish(),
        line: start_line,
        raw: chars[start..*pos].iter().collect(),
    })
}

/// `$name`, `$name[1]` (an element: not evaluated), `{$name}`-style is left literal.
fn read_variable(chars: &[char], pos: &mut usize, parts: &mut PartsBuilder) {
    *pos += 1;
    let start = *pos;
    while chars
        .get(*pos)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
    {
        *pos += 1;
    }
    if *pos == start {
        parts.lit('$', false);
        return;
    }
    let name: String = chars[start..*pos].iter().collect();
    if chars.get(*pos) == Some(&'[') {
        let from = *pos;
        while *pos < chars.len() && chars[*pos] != ']' {
            *pos += 1;
        }
        *pos = (*pos + 1).min(chars.len());
        let index: String = chars[from..*pos].iter().collect();
        parts.push(Part::Unsupported {
            text: format!("${name}{index}"),
        });
        return;
    }
    parts.push(Part::Param {
        name,
        op: None,
        arg: None,
    });
}

fn read_parens(chars: &[char], pos: &mut usize, line: &mut usize) -> Result<String, &'static str> {
    let start = *pos;
    let mut depth = 1;
    let mut quote: Option<char> = None;
    while let Some(&c) = chars.get(*pos) {
        *pos += 1;
        if c == '\n' {
            *line += 1;
        }
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), '\\') => *pos += 1,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '\\') => *pos += 1,
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return Ok(chars[start..*pos - 1].iter().collect());
                }
            }
            _ => {}
        }
    }
    Err("unterminated command substitution")
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek_word(&self) -> Option<&str> {
        match self.toks.get(self.pos) {
            Some(Tok::Word(w)) => w.bare(),
            _ => None,
        }
    }

    fn line(&self) -> usize {
        match self.toks.get(self.pos).or_else(|| self.toks.last()) {
            Some(Tok::Word(w)) => w.line,
            Some(Tok::Op(_, line)) | Some(Tok::Bad(line, _)) => *line,
            None => 1,
        }
    }

    fn skip_line(&mut self) {
        while let Some(tok) = self.toks.get(self.pos) {
            self.pos += 1;
            if matches!(tok, Tok::Op("\n", _)) {
                break;
            }
        }
    }

    fn skip_separators(&mut self) {
        while matches!(self.toks.get(self.pos), Some(Tok::Op("\n" | ";" | "&", _))) {
            self.pos += 1;
        }
    }

    /// Statements until a word in `ends` (`end`, `else`, `case`) or the end of input.
    fn list(&mut self, ends: &[&str]) -> Vec<Node> {
        let mut nodes: Vec<Node> = Vec::new();
        loop {
            self.skip_separators();
            if self.pos >= self.toks.len() {
                break;
            }
            let word = self.peek_word();
            if word.is_some_and(|w| ends.contains(&w) || w == "end" || w == "else") {
                break;
            }
            if word.is_some_and(|w| w == "and" || w == "or") {
                let and = word == Some("and");
                self.pos += 1;
                let next = self.job();
                match nodes.pop() {
                    Some(Node::AndOr { first, mut rest }) => {
                        rest.push((and, next));
                        nodes.push(Node::AndOr { first, rest });
                    }
                    Some(previous) => nodes.push(Node::AndOr {
                        first: Box::new(previous),
                        rest: vec![(and, next)],
                    }),
                    None => nodes.push(next),
                }
                continue;
            }
            let before = self.pos;
            nodes.push(self.job());
            if self.pos == before {
                let line = self.line();
                self.skip_line();
                nodes.push(Node::Unparsed {
                    line,
                    reason: "unexpected token".to_string(),
                });
            }
        }
        nodes
    }

    /// A pipeline joined by `&&`/`||`.
    fn job(&mut self) -> Node {
        let first = self.pipeline();
        let mut rest = Vec::new();
        loop {
            let and = match self.toks.get(self.pos) {
                Some(Tok::Op("&&", _)) => true,
                Some(Tok::Op("||", _)) => false,
                _ => break,
            };
            self.pos += 1;
            rest.push((and, self.pipeline()));
        }
        if rest.is_empty() {
            first
        } else {
            Node::AndOr {
                first: Box::new(first),
                rest,
            }
        }
    }

    fn pipeline(&mut self) -> Node {
        let line = self.line();
        let mut commands = vec![self.statement()];
        while matches!(self.toks.get(self.pos), Some(Tok::Op("|", _))) {
            self.pos += 1;
            commands.push(self.statement());
        }
        if commands.len() == 1 {
            commands.remove(0)
        } else {
            Node::Pipeline { line, commands }
        }
    }

    fn statement(&mut self) -> Node {
        if self.depth >= MAX_DEPTH {
            let line = self.line();
            self.skip_line();
            return Node::Unparsed {
                line,
                reason: "nested too deeply".to_string(),
            };
        }
        self.depth += 1;
        let node = self.statement_inner();
        self.depth -= 1;
        node
    }

    fn statement_inner(&mut self) -> Node {
        let line = self.line();
        if let Some(Tok::Bad(line, reason)) = self.toks.get(self.pos) {
            let node = Node::Unparsed {
                line: *line,
                reason: reason.clone(),
            };
            self.pos += 1;
            return node;
        }
        match self.peek_word() {
            Some("not" | "!") => {
                self.pos += 1;
                Node::Not(Box::new(self.statement()))
            }
            Some("if") => {
                self.pos += 1;
                self.if_block(line)
            }
            Some("for") => {
                self.pos += 1;
                self.for_block(line)
            }
            Some("while") => {
                self.pos += 1;
                self.job();
                self.list(&[]);
                let end_line = self.line();
                self.end(line, "while")
                    .unwrap_or(Node::Loop { line, end_line })
            }
            Some("function") => {
                self.pos += 1;
                let name = match self.toks.get(self.pos) {
                    Some(Tok::Word(w)) => w.raw.clone(),
                    _ => String::new(),
                };
                self.skip_line();
                let body = self.list(&[]);
                let end_line = self.line();
                self.end(line, "function").unwrap_or(Node::Function {
                    name,
                    line,
                    end_line,
                    body,
                })
            }
            Some("begin") => {
                self.pos += 1;
                let body = self.list(&[]);
                self.end(line, "begin").unwrap_or(Node::Group {
                    line,
                    body,
                    subshell: false,
                })
            }
            Some("switch") => {
                self.pos += 1;
                self.switch_block(line)
            }
            _ => self.simple(line),
        }
    }

    /// Consumes `end`; `Some(error)` when it is missing.
    fn end(&mut self, line: usize, what: &str) -> Option<Node> {
        self.skip_separators();
        if self.peek_word() == Some("end") {
            self.pos += 1;
            None
        } else {
            Some(Node::Unparsed {
                line,
                reason: format!("`{what}` without its `end`"),
            })
        }
    }

    fn if_block(&mut self, line: usize) -> Node {
        let mut arms = Vec::new();
        let mut otherwise = None;
        let condition = vec![self.job()];
        let body = self.list(&[]);
        arms.push((condition, body));
        loop {
            self.skip_separators();
            if self.peek_word() != Some("else") {
                break;
            }
            self.pos += 1;
            if self.peek_word() == Some("if") {
                self.pos += 1;
                let condition = vec![self.job()];
                let body = self.list(&[]);
                arms.push((condition, body));
            } else {
                otherwise = Some(self.list(&[]));
                break;
            }
        }
        self.end(line, "if").unwrap_or(Node::If {
            line,
            arms,
            otherwise,
        })
    }

    fn for_block(&mut self, line: usize) -> Node {
        let var = match self.toks.get(self.pos) {
            Some(Tok::Word(w)) => w.raw.clone(),
            _ => String::new(),
        };
        self.pos += 1;
        let mut words = Vec::new();
        if self.peek_word() == Some("in") {
            self.pos += 1;
            while let Some(Tok::Word(w)) = self.toks.get(self.pos) {
                words.push(w.clone());
                self.pos += 1;
            }
        }
        let body = self.list(&[]);
        self.end(line, "for").unwrap_or(Node::For {
            line,
            var,
            words: Some(words),
            body,
        })
    }

    fn switch_block(&mut self, line: usize) -> Node {
        let subject = match self.toks.get(self.pos) {
            Some(Tok::Word(w)) => w.clone(),
            _ => Word::lit("", line),
        };
        self.skip_line();
        let mut arms = Vec::new();
        loop {
            self.skip_separators();
            if self.peek_word() != Some("case") {
                break;
            }
            self.pos += 1;
            let mut patterns = Vec::new();
            while let Some(Tok::Word(w)) = self.toks.get(self.pos) {
                patterns.push(w.clone());
                self.pos += 1;
            }
            let body = self.list(&["case"]);
            arms.push(CaseArm { patterns, body });
        }
        self.end(line, "switch").unwrap_or(Node::Case {
            line,
            subject,
            arms,
        })
    }

    fn simple(&mut self, line: usize) -> Node {
        let mut words = Vec::new();
        while let Some(Tok::Word(w)) = self.toks.get(self.pos) {
            words.push(w.clone());
            self.pos += 1;
        }
        Node::Simple(Simple {
            line,
            assigns: Vec::new(),
            words,
        })
    }
}
