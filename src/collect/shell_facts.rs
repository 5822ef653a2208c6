//! The facts of one startup file: every line that touches PATH or a Go-related
//! variable, sources another file or activates a version manager, with its line, its
//! enclosing conditions as written, and whether it sits below the file's
//! non-interactive guard. Function bodies are skipped (they run only when called).

use super::session::ProgramCache;
use super::shell::empty_file;
use crate::host::Host;
use crate::redact::{redact_line, redact_value};
use crate::shell::activation;
use crate::shell::ast::{AssignValue, Node, Part, Simple, Word};
use crate::shell::files::{LoadedFile, Syntax};
use crate::shell::is_relevant;
use crate::snapshot::{
    AddedDir, ShellActivation, ShellAssignment, ShellSource, SkippedLines, StartupFile,
    UnparsedLine,
};

pub fn describe(
    host: &dyn Host,
    home: Option<&str>,
    file: &LoadedFile,
    programs: &mut ProgramCache,
) -> StartupFile {
    let mut out = empty_file(&file.path, file.syntax.as_str());
    out.exists = file.exists;
    out.readable = file.readable;
    out.error = file.error.clone();
    out.owner_uid = file.owner_uid;
    out.mode = file.mode;
    out.truncated = file.truncated;
    out.binary = file.binary;
    let Some(script) = &file.script else {
        return out;
    };
    out.skipped = script
        .skipped
        .iter()
        .map(|s| SkippedLines {
            line: s.line,
            end_line: s.end_line,
            reason: s.reason.clone(),
        })
        .collect();
    let mut walker = Walker {
        host,
        home,
        file,
        programs,
        fish: file.syntax == Syntax::Fish,
        conditions: Vec::new(),
        below_guard: false,
        out,
    };
    walker.walk(&script.nodes, true);
    walker.out
}

struct Walker<'a> {
    host: &'a dyn Host,
    home: Option<&'a str>,
    file: &'a LoadedFile,
    programs: &'a mut ProgramCache,
    fish: bool,
    conditions: Vec<String>,
    below_guard: bool,
    out: StartupFile,
}

impl Walker<'_> {
    fn walk(&mut self, nodes: &[Node], top: bool) {
        for node in nodes {
            self.node(node);
            if top && !self.below_guard && is_interactive_guard(node) {
                self.below_guard = true;
                self.out.interactive_guard_line = Some(node.line());
            }
        }
    }

    fn with_condition(&mut self, condition: String, body: impl FnOnce(&mut Self)) {
        self.conditions.push(condition);
        body(self);
        self.conditions.pop();
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Simple(simple) => self.simple(simple),
            Node::AndOr { first, rest } => {
                self.node(first);
                let mut condition = node_text(first);
                for (and, next) in rest {
                    let shown = if *and {
                        condition.clone()
                    } else {
                        format!("! {condition}")
                    };
                    self.with_condition(shown, |w| w.node(next));
                    condition = format!(
                        "{condition} {} {}",
                        if *and { "&&" } else { "||" },
                        node_text(next)
                    );
                }
            }
            Node::Not(inner) => self.node(inner),
            Node::Pipeline { line, commands } => {
                if let Some(manager) = activation::in_pipeline(commands) {
                    self.activation(manager.as_str(), *line);
                }
            }
            Node::If {
                arms, otherwise, ..
            } => {
                let mut previous: Vec<String> = Vec::new();
                for (condition, body) in arms {
                    let text = nodes_text(condition);
                    self.walk(condition, false);
                    self.with_condition(text.clone(), |w| w.walk(body, false));
                    previous.push(format!("! {text}"));
                }
                if let Some(body) = otherwise {
                    self.with_condition(previous.join(" && "), |w| w.walk(body, false));
                }
            }
            Node::Case { subject, arms, .. } => {
                for arm in arms {
                    let patterns: Vec<&str> = arm.patterns.iter().map(|p| p.raw.as_str()).collect();
                    let text = format!("case {} in {})", subject.raw, patterns.join("|"));
                    self.with_condition(text, |w| w.walk(&arm.body, false));
                }
            }
            Node::For {
                var, words, body, ..
            } => {
                let list: Vec<&str> = words.iter().flatten().map(|w| w.raw.as_str()).collect();
                let text = format!("for {var} in {}", list.join(" "));
                self.with_condition(text, |w| w.walk(body, false));
            }
            Node::Group { body, .. } => self.walk(body, false),
            Node::Function {
                name,
                line,
                end_line,
                ..
            } => self.out.skipped.push(SkippedLines {
                line: *line,
                end_line: *end_line,
                reason: format!("function {name} (runs only when called)"),
            }),
            Node::Loop { line, end_line } => self.out.skipped.push(SkippedLines {
                line: *line,
                end_line: *end_line,
                reason: "loop (not evaluated)".to_string(),
            }),
            Node::Arith { .. } => {}
            Node::Unparsed { line, reason } => {
                let text: String = self.file.line_text(*line).chars().take(200).collect();
                self.out.unparsed.push(UnparsedLine {
                    line: *line,
                    text: redact_line(&text),
                    reason: reason.clone(),
                });
            }
        }
    }

    fn activation(&mut self, manager: &str, line: usize) {
        self.out.activations.push(ShellActivation {
            manager: manager.to_string(),
            line,
            text: redact_line(self.file.line_text(line)),
            below_guard: self.below_guard,
            conditions: self.conditions.clone(),
        });
    }

    fn simple(&mut self, simple: &Simple) {
        if let Some(manager) = activation::in_simple(simple) {
            self.activation(manager.as_str(), simple.line);
            return;
        }
        if simple.words.is_empty() {
            for assign in &simple.assigns {
                self.assignment(&assign.name, &assign.value, assign.line, "assign", false);
            }
            return;
        }
        let command = simple.words[0].literal().unwrap_or_default();
        let args = &simple.words[1..];
        match command.as_str() {
            "export" | "declare" | "typeset" | "readonly" | "local" => {
                let export = command == "export"
                    || args.iter().any(|a| {
                        a.bare()
                            .is_some_and(|f| f.starts_with('-') && f.contains('x'))
                    });
                for arg in args {
                    if let Some(assign) = crate::shell::parse::split_assignment(arg) {
                        let form = if export { "export" } else { "declare" };
                        self.assignment(&assign.name, &assign.value, assign.line, form, export);
                    }
                }
            }
            "." | "source" => self.source(simple),
            "set" if self.fish => self.fish_set(simple),
            "fish_add_path" => {
                let values: Vec<Word> = args
                    .iter()
                    .filter(|a| !a.bare().is_some_and(|f| f.starts_with('-')))
                    .cloned()
                    .collect();
                let value = args
                    .iter()
                    .map(|a| a.raw.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                self.push_assignment(
                    "PATH",
                    &value,
                    simple.line,
                    "fish_add_path",
                    true,
                    &values,
                    true,
                );
            }
            "emulate" => {
                // `emulate sh -c '. ~/.profile'`: read the string as script.
                if let Some(index) = args.iter().position(|a| a.bare() == Some("-c"))
                    && let Some(text) = args.get(index + 1).and_then(Word::literal)
                {
                    let script = crate::shell::parse_sh(&text);
                    let offset = simple.line - 1;
                    let shifted: Vec<Node> =
                        script.nodes.into_iter().map(|n| shift(n, offset)).collect();
                    self.walk(&shifted, false);
                }
            }
            _ => {}
        }
    }

    fn fish_set(&mut self, simple: &Simple) {
        let args = &simple.words[1..];
        let flags: String = args
            .iter()
            .take_while(|a| a.bare().is_some_and(|f| f.starts_with('-')))
            .filter_map(|a| a.bare().map(|f| f.trim_start_matches('-').to_string()))
            .collect();
        let rest: Vec<&Word> = args
            .iter()
            .skip_while(|a| a.bare().is_some_and(|f| f.starts_with('-')))
            .collect();
        let Some((name, values)) = rest.split_first() else {
            return;
        };
        let Some(name) = name.literal() else { return };
        if flags.contains('e') || flags.contains('q') {
            return;
        }
        let name = if name == "fish_user_paths" {
            "PATH".to_string()
        } else {
            name
        };
        if !is_relevant(&name) {
            return;
        }
        let value = values
            .iter()
            .map(|v| v.raw.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let words: Vec<Word> = values.iter().map(|w| (*w).clone()).collect();
        let exported = flags.contains('x') || flags.contains("export");
        self.push_assignment(&name, &value, simple.line, "set", exported, &words, true);
    }

    fn source(&mut self, simple: &Simple) {
        let Some(target) = simple.words.get(1) else {
            return;
        };
        let resolved = static_text(target, self.home).filter(|t| t.starts_with('/'));
        let only_under = self.conditions.iter().find_map(|c| {
            if c.contains("BASH_VERSION") {
                Some("bash".to_string())
            } else if c.contains("ZSH_VERSION") {
                Some("zsh".to_string())
            } else {
                None
            }
        });
        self.out.sources.push(ShellSource {
            line: simple.line,
            target: redact_line(&target.raw),
            resolved,
            below_guard: self.below_guard,
            conditions: self.conditions.clone(),
            only_under,
        });
    }

    fn assignment(
        &mut self,
        name: &str,
        value: &AssignValue,
        line: usize,
        form: &str,
        exported: bool,
    ) {
        let zsh_path = name == "path";
        if !is_relevant(name) && !zsh_path {
            return;
        }
        let (raw, words, form) = match value {
            AssignValue::Scalar(word) => (word.raw.clone(), vec![word.clone()], form),
            AssignValue::Array(words) => {
                let raw = words
                    .iter()
                    .map(|w| w.raw.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                (format!("({raw})"), words.clone(), "array")
            }
        };
        let path_like = name == "PATH" || zsh_path;
        self.push_assignment(name, &raw, line, form, exported, &words, path_like);
    }

    #[allow(clippy::too_many_arguments)]
    fn push_assignment(
        &mut self,
        name: &str,
        raw: &str,
        line: usize,
        form: &str,
        exported: bool,
        words: &[Word],
        path_like: bool,
    ) {
        let (keeps_previous, dirs) = if path_like {
            self.added_dirs(words)
        } else {
            (false, Vec::new())
        };
        self.out.assignments.push(ShellAssignment {
            name: name.to_string(),
            line,
            value: redact_value(name, raw).0,
            form: form.to_string(),
            exported,
            below_guard: self.below_guard,
            conditions: self.conditions.clone(),
            keeps_previous,
            dirs,
        });
    }

    /// The entries a PATH value adds, split on `:`, with `$PATH` itself left out.
    fn added_dirs(&mut self, words: &[Word]) -> (bool, Vec<AddedDir>) {
        let mut keeps = false;
        let mut dirs = Vec::new();
        for word in words {
            for field in static_fields(word, self.home) {
                match field {
                    Field::Previous => keeps = true,
                    Field::Dir { text, dir } => {
                        if text.is_empty() {
                            continue;
                        }
                        let programs = dir
                            .as_deref()
                            .map(|d| self.programs.programs(self.host, d))
                            .unwrap_or_default();
                        dirs.push(AddedDir {
                            text,
                            dir,
                            programs,
                        });
                    }
                }
            }
        }
        (keeps, dirs)
    }
}

/// A top-level statement that ends the file for non-interactive shells: it tests
/// `$-`, `$PS1` or interactivity and runs `return`/`exit`.
fn is_interactive_guard(node: &Node) -> bool {
    let text = node_text(node);
    let returns = text
        .split(|c: char| c.is_whitespace() || c == ';' || c == ')')
        .any(|w| w == "return" || w == "exit");
    let tests = text.contains("$-") || text.contains("PS1") || text.contains("interactive");
    returns && tests && text.len() < 400
}

/// A node as text, for conditions: words as written, joined.
fn node_text(node: &Node) -> String {
    match node {
        Node::Simple(simple) => {
            let mut parts: Vec<String> = simple
                .assigns
                .iter()
                .map(|a| match &a.value {
                    AssignValue::Scalar(w) => format!("{}={}", a.name, w.raw),
                    AssignValue::Array(_) => format!("{}=(…)", a.name),
                })
                .collect();
            parts.extend(simple.words.iter().map(|w| w.raw.clone()));
            parts.join(" ")
        }
        Node::AndOr { first, rest } => {
            let mut text = node_text(first);
            for (and, next) in rest {
                text.push_str(if *and { " && " } else { " || " });
                text.push_str(&node_text(next));
            }
            text
        }
        Node::Not(inner) => format!("! {}", node_text(inner)),
        Node::Pipeline { commands, .. } => commands
            .iter()
            .map(node_text)
            .collect::<Vec<_>>()
            .join(" | "),
        Node::If {
            arms, otherwise, ..
        } => {
            let mut text = String::new();
            for (condition, body) in arms {
                text.push_str(&format!(
                    "if {}; then {}; ",
                    nodes_text(condition),
                    nodes_text(body)
                ));
            }
            if let Some(body) = otherwise {
                text.push_str(&format!("else {}; ", nodes_text(body)));
            }
            text.push_str("fi");
            text
        }
        Node::Case { subject, arms, .. } => {
            let arms: Vec<String> = arms
                .iter()
                .map(|arm| {
                    let patterns: Vec<&str> = arm.patterns.iter().map(|p| p.raw.as_str()).collect();
                    format!("{}) {};;", patterns.join("|"), nodes_text(&arm.body))
                })
                .collect();
            format!("case {} in {} esac", subject.raw, arms.join(" "))
        }
        Node::Group { body, .. } => format!("{{ {}; }}", nodes_text(body)),
        _ => String::new(),
    }
}

fn nodes_text(nodes: &[Node]) -> String {
    nodes.iter().map(node_text).collect::<Vec<_>>().join("; ")
}

/// Moves a node parsed from an `emulate -c` string to the line it was written on.
fn shift(node: Node, offset: usize) -> Node {
    match node {
        Node::Simple(mut simple) => {
            simple.line += offset;
            for assign in &mut simple.assigns {
                assign.line += offset;
            }
            Node::Simple(simple)
        }
        other => other,
    }
}

enum Field {
    /// `$PATH` (or zsh's `$path`) on its own.
    Previous,
    Dir {
        text: String,
        dir: Option<String>,
    },
}

/// A PATH value split on `:` with only `~`, `$HOME`, `$USER` and `$LOGNAME` expanded.
fn static_fields(word: &Word, home: Option<&str>) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut text = String::new();
    let mut dir = Some(String::new());
    let mut only_previous = false;
    let mut flush = |text: &mut String, dir: &mut Option<String>, only_previous: &mut bool| {
        if *only_previous && text.starts_with('$') && text.to_ascii_lowercase().contains("path") {
            fields.push(Field::Previous);
        } else {
            fields.push(Field::Dir {
                text: std::mem::take(text),
                dir: dir.take().filter(|d| d.starts_with('/')),
            });
        }
        text.clear();
        *dir = Some(String::new());
        *only_previous = false;
    };
    for (index, part) in word.parts.iter().enumerate() {
        match part {
            Part::Lit { text: lit, quoted } => {
                for (i, chunk) in lit.split(':').enumerate() {
                    if i > 0 {
                        flush(&mut text, &mut dir, &mut only_previous);
                    }
                    text.push_str(chunk);
                    let expanded = match (chunk.strip_prefix('~'), quoted, home) {
                        (Some(rest), false, Some(home))
                            if (index == 0 || i > 0)
                                && (rest.is_empty() || rest.starts_with('/')) =>
                        {
                            format!("{home}{rest}")
                        }
                        _ => chunk.to_string(),
                    };
                    if let Some(d) = dir.as_mut() {
                        d.push_str(&expanded);
                    }
                    if !chunk.is_empty() {
                        only_previous = false;
                    }
                }
            }
            Part::Param { name, op, .. } => {
                let shown = if op.is_some() {
                    format!("${{{name}…}}")
                } else {
                    format!("${name}")
                };
                let is_previous =
                    (name == "PATH" || name == "path") && op.as_deref().is_none_or(|o| o == "[@]");
                if is_previous && text.is_empty() {
                    only_previous = true;
                }
                text.push_str(&shown);
                let value = match name.as_str() {
                    "HOME" => home.map(str::to_string),
                    _ => None,
                };
                match (value, dir.as_mut()) {
                    (Some(v), Some(d)) => d.push_str(&v),
                    _ => dir = None,
                }
            }
            Part::CmdSub { text: t } => {
                text.push_str(&format!("$({t})"));
                dir = None;
            }
            Part::Arith { text: t } => {
                text.push_str(&format!("$(({t}))"));
                dir = None;
            }
            Part::Unsupported { text: t } => {
                text.push_str(t);
                dir = None;
            }
        }
    }
    flush(&mut text, &mut dir, &mut only_previous);
    fields
}

/// A word's text with only `~` and `$HOME` expanded; `None` when anything else is needed.
fn static_text(word: &Word, home: Option<&str>) -> Option<String> {
    match static_fields(word, home).as_slice() {
        [Field::Dir { dir, .. }] => dir.clone(),
        _ => {
            // A path with `:` in it is still one path when sourced.
            let fields = static_fields(word, home);
            let mut parts = Vec::new();
            for field in fields {
                match field {
                    Field::Dir { dir: Some(d), .. } => parts.push(d),
                    _ => return None,
                }
            }
            Some(parts.join(":"))
        }
    }
}
