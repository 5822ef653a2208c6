//! The syntax tree of a startup file: just enough shell to follow what a session
//! does to its environment, every node tagged with the line it starts on.

/// One word of a command, as pieces that expand differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub parts: Vec<Part>,
    /// 1-based line where the word starts.
    pub line: usize,
    /// The word as written, quotes and all.
    pub raw: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text; `quoted` when it came from quotes or a backslash (no tilde
    /// expansion, no globbing).
    Lit { text: String, quoted: bool },
    /// `$name`, `${name}`, `${name:-word}`, `${name[@]}`… `op` is the operator
    /// (`:-`, `-`, `:=`, `=`, `:+`, `+`, `:?`, `?`, `[@]`) and `arg` its word.
    Param {
        name: String,
        op: Option<String>,
        arg: Option<Box<Word>>,
    },
    /// `$(…)`, `` `…` ``, `<(…)`, fish's `(…)`: the command text, never run.
    CmdSub { text: String },
    /// `$((…))`.
    Arith { text: String },
    /// A parameter expansion envgate does not evaluate (`${#x}`, `${x%.*}`, zsh flags).
    Unsupported { text: String },
}

impl Word {
    /// The word's text when it is plain literal text (quotes removed), e.g. `if`.
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Lit { text, .. } => out.push_str(text),
                _ => return None,
            }
        }
        Some(out)
    }

    /// The word's text when it is unquoted literal text: how reserved words are spelled.
    pub fn bare(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [
                Part::Lit {
                    text,
                    quoted: false,
                },
            ] => Some(text),
            _ => None,
        }
    }

    pub fn lit(text: &str, line: usize) -> Word {
        Word {
            parts: vec![Part::Lit {
                text: text.to_string(),
                quoted: false,
            }],
            line,
            raw: text.to_string(),
        }
    }
}

/// `NAME=value`, `NAME+=value`, `NAME=(a b)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assign {
    pub name: String,
    pub append: bool,
    pub value: AssignValue,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignValue {
    Scalar(Word),
    Array(Vec<Word>),
}

/// A command with its leading assignments; redirections are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simple {
    pub line: usize,
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Simple(Simple),
    /// `a && b || c`: `rest` holds (`true` for `&&`, node).
    AndOr {
        first: Box<Node>,
        rest: Vec<(bool, Node)>,
    },
    /// `! cmd` (fish: `not cmd`).
    Not(Box<Node>),
    /// `a | b`: each side runs in a subshell (only fish's `… | source` matters here).
    Pipeline {
        line: usize,
        commands: Vec<Node>,
    },
    If {
        line: usize,
        /// (condition, body) for `if` and each `elif`.
        arms: Vec<(Vec<Node>, Vec<Node>)>,
        otherwise: Option<Vec<Node>>,
    },
    Case {
        line: usize,
        subject: Word,
        arms: Vec<CaseArm>,
    },
    For {
        line: usize,
        var: String,
        /// `None` for `for x; do` (the positional parameters).
        words: Option<Vec<Word>>,
        body: Vec<Node>,
    },
    /// `while`/`until`: recorded, never evaluated.
    Loop {
        line: usize,
        end_line: usize,
    },
    /// A function definition; its body runs only when called.
    Function {
        name: String,
        line: usize,
        end_line: usize,
        body: Vec<Node>,
    },
    /// `{ …; }` or `( … )` (a subshell: its assignments do not survive).
    Group {
        line: usize,
        body: Vec<Node>,
        subshell: bool,
    },
    /// `(( … ))`.
    Arith {
        line: usize,
    },
    /// Something the parser could not read; the rest of its line was dropped.
    Unparsed {
        line: usize,
        reason: String,
    },
}

impl Node {
    pub fn line(&self) -> usize {
        match self {
            Node::Simple(s) => s.line,
            Node::AndOr { first, .. } => first.line(),
            Node::Not(inner) => inner.line(),
            Node::Pipeline { line, .. }
            | Node::If { line, .. }
            | Node::Case { line, .. }
            | Node::For { line, .. }
            | Node::Loop { line, .. }
            | Node::Function { line, .. }
            | Node::Group { line, .. }
            | Node::Arith { line }
            | Node::Unparsed { line, .. } => *line,
        }
    }
}

/// Lines the parser stepped over on purpose (here-document bodies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: usize,
    pub end_line: usize,
    pub reason: String,
}

/// A parsed file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    pub nodes: Vec<Node>,
    pub skipped: Vec<Skipped>,
}
