//! Tokens → syntax tree for sh, bash and zsh. Tolerant: whatever it cannot read becomes
//! a [`Node::Unparsed`] at its line and parsing goes on with the next line.

use super::ast::{Assign, AssignValue, CaseArm, Node, Part, Script, Simple, Word};
use super::lex::{Tok, tokenize};

/// Nesting beyond this is junk, not a startup file (and would exhaust the stack).
const MAX_DEPTH: usize = 64;

pub fn parse(text: &str) -> Script {
    let lexed = tokenize(text);
    let mut parser = Parser {
        toks: lexed.toks,
        pos: 0,
        depth: 0,
    };
    let nodes = parser.list(&[]);
    let mut nodes = nodes;
    // Whatever the top level could not place (a stray `fi`, `done`, `)`).
    while parser.pos < parser.toks.len() {
        let line = parser.line();
        let reason = format!("unexpected {}", parser.describe());
        parser.skip_line();
        nodes.push(Node::Unparsed { line, reason });
        nodes.extend(parser.list(&[]));
    }
    Script {
        nodes,
        skipped: lexed.skipped,
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

const RESERVED_ENDS: &[&str] = &["then", "elif", "else", "fi", "do", "done", "esac", "}"];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn line(&self) -> usize {
        match self.peek().or_else(|| self.toks.last()) {
            Some(Tok::Word(w)) => w.line,
            Some(Tok::Op(_, line))
            | Some(Tok::Redirect { line, .. })
            | Some(Tok::ArrayAssign { line, .. })
            | Some(Tok::Arith(line))
            | Some(Tok::Bad { line, .. }) => *line,
            None => 1,
        }
    }

    fn describe(&self) -> String {
        match self.peek() {
            Some(Tok::Word(w)) => format!("`{}`", w.raw),
            Some(Tok::Op(op, _)) if *op == "\n" => "end of line".to_string(),
            Some(Tok::Op(op, _)) => format!("`{op}`"),
            Some(Tok::Redirect { text, .. }) => format!("`{text}`"),
            Some(Tok::ArrayAssign { name, .. }) => format!("`{name}=(…)`"),
            Some(Tok::Arith(_)) => "`((…))`".to_string(),
            Some(Tok::Bad { reason, .. }) => reason.clone(),
            None => "end of file".to_string(),
        }
    }

    /// The reserved word at the cursor, if the next token is one of `words`.
    fn at_word(&self, words: &[&str]) -> Option<&'static str> {
        if let Some(Tok::Word(w)) = self.peek()
            && let Some(text) = w.bare()
        {
            return RESERVED_ENDS
                .iter()
                .chain(["if", "case", "for", "while", "until", "in", "{", "!"].iter())
                .find(|r| **r == text && words.contains(r))
                .copied();
        }
        None
    }

    fn at_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o, _)) if *o == op)
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if self.at_word(&[word]).is_some() {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn skip_newlines(&mut self) {
        while self.at_op("\n") || self.at_op(";") {
            self.pos += 1;
        }
    }

    fn skip_line(&mut self) {
        while let Some(tok) = self.peek() {
            let newline = matches!(tok, Tok::Op("\n", _));
            self.pos += 1;
            if newline {
                break;
            }
        }
    }

    /// Commands until one of `ends` (reserved words or `)`/`;;`) or the end.
    fn list(&mut self, ends: &[&str]) -> Vec<Node> {
        let mut nodes = Vec::new();
        loop {
            while self.at_op("\n") || self.at_op(";") || self.at_op("&") {
                self.pos += 1;
            }
            let Some(tok) = self.peek() else { break };
            match tok {
                Tok::Word(_) if self.at_word(ends).is_some() => break,
                Tok::Op(op, _) if ends.contains(op) => break,
                Tok::Op(op, _) if matches!(*op, ")" | ";;" | ";&" | ";;&") => break,
                Tok::Word(w) if w.bare().is_some_and(|t| RESERVED_ENDS.contains(&t)) => {
                    // A closing word that belongs to no open construct here.
                    break;
                }
                _ => {}
            }
            let before = self.pos;
            nodes.push(self.and_or());
            if self.pos == before {
                // Nothing consumed: step over the token so parsing always advances.
                let line = self.line();
                let reason = format!("unexpected {}", self.describe());
                self.skip_line();
                nodes.push(Node::Unparsed { line, reason });
            }
        }
        nodes
    }

    fn and_or(&mut self) -> Node {
        let first = self.pipeline();
        let mut rest = Vec::new();
        loop {
            let and = if self.at_op("&&") {
                true
            } else if self.at_op("||") {
                false
            } else {
                break;
            };
            self.pos += 1;
            while self.at_op("\n") {
                self.pos += 1;
            }
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
        let negated = self.eat_word("!");
        let line = self.line();
        let mut commands = vec![self.command()];
        while self.at_op("|") || self.at_op("|&") {
            self.pos += 1;
            while self.at_op("\n") {
                self.pos += 1;
            }
            commands.push(self.command());
        }
        let node = if commands.len() == 1 {
            commands.pop().unwrap_or(Node::Arith { line })
        } else {
            Node::Pipeline { line, commands }
        };
        if negated {
            Node::Not(Box::new(node))
        } else {
            node
        }
    }

    fn command(&mut self) -> Node {
        if self.depth >= MAX_DEPTH {
            let line = self.line();
            self.skip_line();
            return Node::Unparsed {
                line,
                reason: "nested too deeply".to_string(),
            };
        }
        self.depth += 1;
        let node = self.command_inner();
        self.depth -= 1;
        node
    }

    fn command_inner(&mut self) -> Node {
        let line = self.line();
        match self.peek() {
            Some(Tok::Bad { line, reason }) => {
                let node = Node::Unparsed {
                    line: *line,
                    reason: reason.clone(),
                };
                self.pos += 1;
                return node;
            }
            Some(Tok::Arith(line)) => {
                let line = *line;
                self.pos += 1;
                return Node::Arith { line };
            }
            Some(Tok::Op("(", _)) => {
                self.pos += 1;
                let body = self.list(&[")"]);
                if !self.expect_op(")") {
                    return unterminated(line, "(");
                }
                return Node::Group {
                    line,
                    body,
                    subshell: true,
                };
            }
            _ => {}
        }
        if let Some(word) = self.at_word(&["if", "case", "for", "while", "until", "{"]) {
            self.pos += 1;
            return match word {
                "if" => self.if_clause(line),
                "case" => self.case_clause(line),
                "for" => self.for_clause(line),
                "while" | "until" => self.loop_clause(line),
                _ => {
                    let body = self.list(&["}"]);
                    if !self.eat_word("}") {
                        return unterminated(line, "{");
                    }
                    Node::Group {
                        line,
                        body,
                        subshell: false,
                    }
                }
            };
        }
        if let Some(Tok::Word(w)) = self.peek() {
            if w.bare() == Some("function") {
                self.pos += 1;
                return self.function(line, true);
            }
            // `name() { … }`
            if w.bare().is_some_and(is_function_name)
                && matches!(self.toks.get(self.pos + 1), Some(Tok::Op("(", _)))
                && matches!(self.toks.get(self.pos + 2), Some(Tok::Op(")", _)))
            {
                return self.function(line, false);
            }
        }
        self.simple(line)
    }

    fn expect_op(&mut self, op: &str) -> bool {
        if self.at_op(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn if_clause(&mut self, line: usize) -> Node {
        let mut arms = Vec::new();
        let mut otherwise = None;
        loop {
            let condition = self.list(&["then"]);
            if !self.eat_word("then") {
                return unterminated(line, "if");
            }
            let body = self.list(&["elif", "else", "fi"]);
            arms.push((condition, body));
            if self.eat_word("elif") {
                continue;
            }
            if self.eat_word("else") {
                otherwise = Some(self.list(&["fi"]));
            }
            if !self.eat_word("fi") {
                return unterminated(line, "if");
            }
            return Node::If {
                line,
                arms,
                otherwise,
            };
        }
    }

    fn case_clause(&mut self, line: usize) -> Node {
        let Some(Tok::Word(subject)) = self.peek().cloned() else {
            return unterminated(line, "case");
        };
        self.pos += 1;
        self.skip_newlines();
        if !self.eat_word("in") {
            return unterminated(line, "case");
        }
        let mut arms = Vec::new();
        loop {
            self.skip_newlines();
            if self.eat_word("esac") {
                break;
            }
            self.expect_op("(");
            let mut patterns = Vec::new();
            loop {
                match self.peek() {
                    Some(Tok::Word(w)) => {
                        patterns.push(w.clone());
                        self.pos += 1;
                    }
                    _ => return unterminated(line, "case"),
                }
                if !self.expect_op("|") {
                    break;
                }
            }
            if !self.expect_op(")") {
                return unterminated(line, "case");
            }
            let body = self.list(&["esac", ";;", ";&", ";;&"]);
            arms.push(CaseArm { patterns, body });
            if self.expect_op(";;") || self.expect_op(";&") || self.expect_op(";;&") {
                continue;
            }
            self.skip_newlines();
            if self.eat_word("esac") {
                break;
            }
            return unterminated(line, "case");
        }
        Node::Case {
            line,
            subject,
            arms,
        }
    }

    fn for_clause(&mut self, line: usize) -> Node {
        let var = match self.peek() {
            Some(Tok::Word(w)) => w.literal().unwrap_or_default(),
            Some(Tok::Arith(_)) => {
                // `for ((i=0; …))`: arithmetic loop, never evaluated.
                self.pos += 1;
                return self.loop_body(line);
            }
            _ => return unterminated(line, "for"),
        };
        self.pos += 1;
        while self.at_op("\n") {
            self.pos += 1;
        }
        let words = if self.eat_word("in") {
            let mut words = Vec::new();
            while let Some(Tok::Word(w)) = self.peek() {
                words.push(w.clone());
                self.pos += 1;
            }
            Some(words)
        } else {
            None
        };
        self.skip_newlines();
        if !self.eat_word("do") {
            return unterminated(line, "for");
        }
        let body = self.list(&["done"]);
        if !self.eat_word("done") {
            return unterminated(line, "for");
        }
        Node::For {
            line,
            var,
            words,
            body,
        }
    }

    fn loop_clause(&mut self, line: usize) -> Node {
        self.list(&["do"]);
        self.loop_body(line)
    }

    fn loop_body(&mut self, line: usize) -> Node {
        self.skip_newlines();
        if !self.eat_word("do") {
            return unterminated(line, "loop");
        }
        self.list(&["done"]);
        let end_line = self.line();
        if !self.eat_word("done") {
            return unterminated(line, "loop");
        }
        Node::Loop { line, end_line }
    }

    fn function(&mut self, line: usize, keyword: bool) -> Node {
        let name = match self.peek() {
            Some(Tok::Word(w)) => w.literal().unwrap_or_else(|| w.raw.clone()),
            _ => return unterminated(line, "function"),
        };
        self.pos += 1;
        if self.at_op("(") && matches!(self.toks.get(self.pos + 1), Some(Tok::Op(")", _))) {
            self.pos += 2;
        } else if !keyword {
            return unterminated(line, "function");
        }
        while self.at_op("\n") {
            self.pos += 1;
        }
        let body = self.command();
        let end_line = self
            .toks
            .get(self.pos.saturating_sub(1))
            .map(|_| self.line_before())
            .unwrap_or(line);
        let body = match body {
            Node::Group { body, .. } => body,
            Node::Unparsed { line, reason } => return Node::Unparsed { line, reason },
            other => vec![other],
        };
        Node::Function {
            name,
            line,
            end_line,
            body,
        }
    }

    /// The line of the token just consumed.
    fn line_before(&self) -> usize {
        match self.toks.get(self.pos.saturating_sub(1)) {
            Some(Tok::Word(w)) => w.line,
            Some(Tok::Op(_, line))
            | Some(Tok::Redirect { line, .. })
            | Some(Tok::ArrayAssign { line, .. })
            | Some(Tok::Arith(line))
            | Some(Tok::Bad { line, .. }) => *line,
            None => 1,
        }
    }

    fn simple(&mut self, line: usize) -> Node {
        let mut assigns = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut in_test = false;
        loop {
            match self.peek().cloned() {
                Some(Tok::Word(w)) => {
                    self.pos += 1;
                    if words.is_empty()
                        && let Some(assign) = split_assignment(&w)
                    {
                        assigns.push(assign);
                        continue;
                    }
                    if words.is_empty() && w.bare() == Some("[[") {
                        in_test = true;
                    } else if in_test && w.bare() == Some("]]") {
                        in_test = false;
                    }
                    words.push(w);
                }
                Some(Tok::ArrayAssign {
                    name,
                    append,
                    words: items,
                    line,
                }) => {
                    self.pos += 1;
                    let assign = Assign {
                        name,
                        append,
                        value: AssignValue::Array(items),
                        line,
                    };
                    if words.is_empty() {
                        assigns.push(assign);
                    } else {
                        // `typeset -a path=(…)`, `local x=(…)`: keep as an argument.
                        words.push(array_as_word(&assign));
                    }
                }
                Some(Tok::Redirect {
                    text,
                    line,
                    takes_target,
                }) => {
                    self.pos += 1;
                    if in_test {
                        words.push(Word::lit(&text, line));
                    } else if takes_target && matches!(self.peek(), Some(Tok::Word(_))) {
                        self.pos += 1;
                    }
                }
                Some(Tok::Op(op, line)) if in_test && matches!(op, "&&" | "||" | "(" | ")") => {
                    self.pos += 1;
                    words.push(Word::lit(op, line));
                }
                Some(Tok::Bad { line, reason }) => {
                    self.pos += 1;
                    return Node::Unparsed { line, reason };
                }
                _ => break,
            }
        }
        Node::Simple(Simple {
            line,
            assigns,
            words,
        })
    }
}

fn unterminated(line: usize, what: &str) -> Node {
    Node::Unparsed {
        line,
        reason: format!("`{what}` without its end"),
    }
}

fn is_function_name(text: &str) -> bool {
    !text.is_empty()
        && !text.contains('=')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:@+".contains(c))
}

/// `NAME=value` / `NAME+=value` at the start of a word: the name must be unquoted.
pub fn split_assignment(word: &Word) -> Option<Assign> {
    let Some(Part::Lit {
        text,
        quoted: false,
    }) = word.parts.first()
    else {
        return None;
    };
    let eq = text.find('=')?;
    let (name, append) = match text[..eq].strip_suffix('+') {
        Some(name) => (name, true),
        None => (&text[..eq], false),
    };
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return None;
    }
    let mut parts = word.parts.clone();
    let rest = text[eq + 1..].to_string();
    if rest.is_empty() {
        parts.remove(0);
    } else {
        parts[0] = Part::Lit {
            text: rest,
            quoted: false,
        };
    }
    let raw = word.raw.split_once('=').map_or("", |(_, v)| v).to_string();
    Some(Assign {
        name: name.to_string(),
        append,
        value: AssignValue::Scalar(Word {
            parts,
            line: word.line,
            raw,
        }),
        line: word.line,
    })
}

/// An array assignment given as an argument, kept as one word the evaluator recognises.
fn array_as_word(assign: &Assign) -> Word {
    let AssignValue::Array(items) = &assign.value else {
        return Word::lit(&assign.name, assign.line);
    };
    let raw = format!(
        "{}{}=({})",
        assign.name,
        if assign.append { "+" } else { "" },
        items
            .iter()
            .map(|w| w.raw.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    );
    Word {
        parts: vec![Part::Unsupported { text: raw.clone() }],
        line: assign.line,
        raw,
    }
}
