//! The commands the evaluator understands: `export`/`declare`, `source`/`.`, `eval`,
//! zsh's `emulate -c`, `set -a`, tests, lookups, shell functions, and fish's builtins.
//! Any other command is external: its status is unknown and it changes nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use super::activation;
use super::ast::{Node, Word};
use super::eval::{Evaluator, MAX_CALL_DEPTH, Shell, Status, Stop};
use super::files::Syntax;

impl Evaluator<'_> {
    pub(super) fn run_command(
        &mut self,
        name: &str,
        args: &[Word],
        line: usize,
        prefix: &BTreeMap<String, Option<String>>,
    ) -> Result<Status, Stop> {
        let fish = self.syntax() == Syntax::Fish;
        // dash has no `source`, `[[` or `shopt`: the line fails as "not found" there,
        // whatever it would do in bash (a function of that name would still run).
        if !fish && self.spec.lacks(name) && !self.functions.contains_key(name) {
            self.unsupported(line, name, false);
            return Ok(Status::False);
        }
        match name {
            "export" | "declare" | "typeset" | "local" | "readonly" | "integer" => {
                Ok(self.declare(name, args))
            }
            "set" if fish => Ok(self.fish_set(args, line)),
            "set" => Ok(self.set_options(args)),
            "unset" => {
                for arg in args {
                    if let Some(name) = arg.literal().filter(|n| !n.starts_with('-')) {
                        if name == "PATH" {
                            self.state.path = Default::default();
                            self.state.path_origin = Some(self.origin(line));
                        }
                        self.state.vars.remove(&name);
                    }
                }
                Ok(Status::True)
            }
            "." | "source" => self.source_command(args, line, prefix),
            "eval" => self.eval_command(args, line, prefix),
            "emulate" => self.emulate(args, line),
            "return" if self.assumed == 0 => Err(Stop::Return),
            "exit" if self.assumed == 0 => Err(Stop::Exit),
            "return" | "exit" => Ok(Status::Unknown),
            "true" | ":" => Ok(Status::True),
            "false" => Ok(Status::False),
            "[" | "test" => {
                let args = match args.split_last() {
                    Some((last, rest)) if name == "[" && last.bare() == Some("]") => rest,
                    _ => args,
                };
                Ok(self.eval_test(args, false))
            }
            "[[" => {
                let args = match args.split_last() {
                    Some((last, rest)) if last.bare() == Some("]]") => rest,
                    _ => args,
                };
                Ok(self.eval_test(args, true))
            }
            "command" | "type" | "which" | "hash" | "whence" | "where" => {
                let lookup = args.iter().any(|a| {
                    a.bare()
                        .is_some_and(|f| f.starts_with('-') && (f.contains('v') || f.contains('q')))
                }) || name != "command";
                let operands: Vec<&Word> = args
                    .iter()
                    .filter(|a| !a.bare().is_some_and(|f| f.starts_with('-')))
                    .collect();
                if lookup {
                    let Some(program) = operands.first().and_then(|w| self.word_text(w)) else {
                        return Ok(Status::Unknown);
                    };
                    return Ok(self.lookup_command(&program));
                }
                // `command foo args`: run foo, skipping functions.
                match operands.split_first() {
                    Some((first, _)) => {
                        let index = args
                            .iter()
                            .position(|a| std::ptr::eq(a, *first))
                            .unwrap_or(0);
                        match self.word_text(first) {
                            Some(program) => {
                                self.run_command(&program, &args[index + 1..], line, prefix)
                            }
                            None => Ok(Status::Unknown),
                        }
                    }
                    None => Ok(Status::True),
                }
            }
            "builtin" => match args.split_first() {
                Some((first, rest)) => match self.word_text(first) {
                    Some(program) => self.run_command(&program, rest, line, prefix),
                    None => Ok(Status::Unknown),
                },
                None => Ok(Status::True),
            },
            "shopt" => {
                let words: Vec<String> = args.iter().filter_map(|a| a.literal()).collect();
                let query = words.iter().any(|w| w.starts_with('-') && w.contains('q'));
                if !query {
                    return Ok(Status::True);
                }
                if words.iter().any(|w| w == "login_shell") {
                    return Ok(Status::from_bool(self.spec.login));
                }
                if words.iter().any(|w| w == "posix") {
                    return Ok(Status::from_bool(self.spec.shell == Shell::Sh));
                }
                Ok(Status::Unknown)
            }
            "status" if fish => Ok(self.fish_status(args)),
            "fish_add_path" => Ok(self.fish_add_path(args, line)),
            "contains" if fish => Ok(self.fish_contains(args)),
            "alias"
            | "unalias"
            | "complete"
            | "bind"
            | "bindkey"
            | "umask"
            | "echo"
            | "printf"
            | "setopt"
            | "unsetopt"
            | "autoload"
            | "zstyle"
            | "compinit"
            | "zmodload"
            | "mesg"
            | "stty"
            | "ulimit"
            | "trap"
            | "cd"
            | "pushd"
            | "popd"
            | "abbr"
            | "functions"
            | "fish_vi_key_bindings"
            | "fish_default_key_bindings" => Ok(Status::True),
            _ => {
                if let Some(body) = self.functions.get(name).cloned() {
                    return self.call_function(name, &body, args, line);
                }
                Ok(Status::Unknown)
            }
        }
    }

    pub(super) fn call_function(
        &mut self,
        name: &str,
        body: &Rc<Vec<Node>>,
        args: &[Word],
        line: usize,
    ) -> Result<Status, Stop> {
        if self.call_depth >= MAX_CALL_DEPTH {
            self.note(
                line,
                format!("call to function `{name}` not evaluated (nested too deeply)"),
            );
            return Ok(Status::Unknown);
        }
        let values: Vec<String> = args
            .iter()
            .map(|a| self.word_text(a).unwrap_or_default())
            .collect();
        let saved = std::mem::replace(&mut self.positional, values);
        self.call_depth += 1;
        let result = self.eval_nodes(body);
        self.call_depth -= 1;
        self.positional = saved;
        match result {
            Err(Stop::Return) => Ok(Status::Unknown),
            other => other,
        }
    }

    pub(super) fn source_command(
        &mut self,
        args: &[Word],
        line: usize,
        prefix: &BTreeMap<String, Option<String>>,
    ) -> Result<Status, Stop> {
        let Some(target) = args.first() else {
            return Ok(Status::False);
        };
        if let Some(manager) =
            activation::substitutions(target).find_map(activation::in_command_text)
        {
            return self.activate(manager, line, prefix, None);
        }
        let Some(path) = self.word_text(target) else {
            self.note(
                line,
                format!(
                    "`source {}` not followed: its path is not known",
                    target.raw
                ),
            );
            return Ok(Status::Unknown);
        };
        let path = self.resolve_sourced(&path);
        if let Some(manager) = activation::in_sourced_path(&path) {
            return self.activate(manager, line, prefix, Some(path));
        }
        let syntax = if path.ends_with(".fish") {
            Syntax::Fish
        } else {
            self.syntax()
        };
        // POSIX makes `.` a special builtin: a file it cannot find is an error that
        // ends a non-interactive sh (dash, bash as sh); bash, zsh and fish go on.
        // An interactive sh survives the error, but the startup file being read ends
        // there (tests/shell_oracle.rs found both).
        if (self.spec.shell == Shell::Sh || self.emulating_sh)
            && self.assumed == 0
            && !self.file_exists(&path, syntax)
        {
            if self.spec.interactive {
                // The error unwinds to the top: the startup file being read ends, or,
                // under zsh's `emulate sh -c`, that command.
                self.note(line, format!("`. {path}`: no such file"));
                return Err(Stop::Abort);
            }
            self.note(
                line,
                format!("`. {path}`: no such file, which ends a non-interactive sh"),
            );
            return Err(Stop::Exit);
        }
        let via = Some(self.origin(line));
        self.read_file(&path, syntax, via)
    }

    /// Where `. name` looks: absolute as is, `dir/name` from the home directory (a
    /// login shell starts there), a bare name on PATH and then in the home directory.
    pub(super) fn resolve_sourced(&self, path: &str) -> String {
        if path.starts_with('/') {
            return path.to_string();
        }
        let home = self.home().unwrap_or("");
        if !path.contains('/') {
            for seg in self.state.path.iter() {
                if let Some(dir) = seg.dir.as_deref().filter(|d| d.starts_with('/')) {
                    let candidate = format!("{}/{path}", dir.trim_end_matches('/'));
                    if self
                        .host
                        .metadata(Path::new(&candidate))
                        .is_ok_and(|m| m.is_file)
                    {
                        return candidate;
                    }
                }
            }
        }
        format!(
            "{}/{}",
            home.trim_end_matches('/'),
            path.trim_start_matches("./")
        )
    }

    pub(super) fn eval_command(
        &mut self,
        args: &[Word],
        line: usize,
        prefix: &BTreeMap<String, Option<String>>,
    ) -> Result<Status, Stop> {
        if let Some(manager) = args
            .iter()
            .flat_map(activation::substitutions)
            .find_map(activation::in_command_text)
        {
            return self.activate(manager, line, prefix, None);
        }
        let raw: Vec<&str> = args.iter().map(|a| a.raw.as_str()).collect();
        if super::path_helper::is_eval_of_path_helper(&raw.join(" ")) {
            return self.eval_path_helper(line);
        }
        let texts: Option<Vec<String>> = args.iter().map(|a| self.word_text(a)).collect();
        match texts {
            Some(texts) => self.eval_string(&texts.join(" "), line),
            None => {
                let raw: Vec<&str> = args.iter().map(|a| a.raw.as_str()).collect();
                self.note(line, format!("`eval {}` not evaluated", raw.join(" ")));
                Ok(Status::Unknown)
            }
        }
    }

    /// zsh's `emulate sh -c '…'` runs its string like `eval`.
    pub(super) fn emulate(&mut self, args: &[Word], line: usize) -> Result<Status, Stop> {
        let Some(index) = args.iter().position(|a| a.bare() == Some("-c")) else {
            return Ok(Status::True);
        };
        let sh = args
            .first()
            .and_then(Word::bare)
            .is_some_and(|mode| matches!(mode, "sh" | "ksh"));
        match args.get(index + 1).and_then(|w| self.word_text(w)) {
            Some(text) => {
                let saved = std::mem::replace(&mut self.emulating_sh, sh);
                let result = self.eval_string(&text, line);
                self.emulating_sh = saved;
                match result {
                    Err(Stop::Abort) if sh => Ok(Status::False),
                    other => other,
                }
            }
            None => Ok(Status::Unknown),
        }
    }

    /// Evaluates text as script, its lines counted from `line`.
    pub(super) fn eval_string(&mut self, text: &str, line: usize) -> Result<Status, Stop> {
        // `eval eval eval …` over a whole line reparsed the rest once per word, one
        // stack level each: bounded like function calls.
        if self.call_depth >= MAX_CALL_DEPTH {
            self.note_bound(self.origin(line), "eval nested too deeply: not followed");
            return Ok(Status::Unknown);
        }
        let script = match self.syntax() {
            Syntax::Sh => super::parse::parse(text),
            Syntax::Fish => super::fish::parse(text),
        };
        let offset = self.line_offset + line - 1;
        let saved = std::mem::replace(&mut self.line_offset, offset);
        self.call_depth += 1;
        let result = self.eval_nodes(&script.nodes);
        self.call_depth -= 1;
        self.line_offset = saved;
        result
    }

    /// `set -a` (allexport) is the one option that changes the environment.
    pub(super) fn set_options(&mut self, args: &[Word]) -> Status {
        let words: Vec<String> = args.iter().filter_map(|a| a.literal()).collect();
        for (i, word) in words.iter().enumerate() {
            let on = word.starts_with('-');
            let flags = word.trim_start_matches(['-', '+']);
            if flags.contains('a') && !word.starts_with("--") && flags.len() < 6 {
                self.allexport = on;
            }
            if flags == "o" && words.get(i + 1).is_some_and(|o| o == "allexport") {
                self.allexport = on;
            }
        }
        Status::True
    }

    /// `export`, `declare -x`, `typeset`, `local`, `readonly`.
    pub(super) fn declare(&mut self, builtin: &str, args: &[Word]) -> Status {
        let mut export = builtin == "export";
        let mut unexport = false;
        // zsh's `typeset -U path` keeps only the first occurrence of each entry, from
        // now on (tests/shell_oracle.rs found it).
        if self.spec.shell == Shell::Zsh
            && builtin != "export"
            && args.iter().any(|a| {
                a.bare()
                    .is_some_and(|f| f.starts_with('-') && f[1..].contains('U'))
            })
            && args
                .iter()
                .any(|a| matches!(a.literal().as_deref(), Some("path" | "PATH")))
        {
            self.zsh_unique_path = true;
            self.dedupe_path();
        }
        for arg in args {
            if let Some(flags) = arg
                .bare()
                .filter(|f| f.starts_with('-') || f.starts_with('+'))
            {
                if flags == "--" {
                    continue;
                }
                let letters = &flags[1..];
                if builtin == "export" && letters.contains('n') {
                    unexport = true;
                }
                if letters.contains('x') {
                    export = flags.starts_with('-');
                    unexport = flags.starts_with('+');
                }
                continue;
            }
            if let Some(assign) = super::parse::split_assignment(arg) {
                let exported = if unexport {
                    Some(false)
                } else {
                    export.then_some(true)
                };
                self.assign(&assign, exported);
                continue;
            }
            let Some(name) = arg.literal() else { continue };
            if name == "PATH" || name == "path" {
                continue;
            }
            match self.state.vars.get_mut(&name) {
                Some(var) if export || unexport => var.exported = export && !unexport,
                Some(_) => {}
                None if export && !unexport => {
                    self.pending_exports.insert(name);
                }
                None => {}
            }
        }
        Status::True
    }
}
