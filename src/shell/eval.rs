//! Follows a session through its startup files without running anything: assignments,
//! exports, `source`/`.`, `if`/`case`/`for`, `&&`/`||`, simple `[ -d dir ]` tests (asked
//! of the Host), version-manager activations (modelled), and shell functions when called.
//! What it cannot evaluate (a command's output, a loop) stays unknown and is noted.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::activation::{self, Manager};
use super::ast::{AssignValue, Node, Simple, Word};
use super::expand::{
    MAX_VALUE_BYTES, PATH_CUT, PathSeg, Piece, SegSource, pieces_raw, pieces_text, pieces_to_segs,
    too_long,
};
use super::files::{FileCache, Syntax};
use super::limits::MAX_WORK;
use crate::host::Host;
use crate::snapshot::Origin;

/// Nested `source` beyond this is noted and not followed.
const MAX_SOURCE_DEPTH: usize = 16;
/// Commands evaluated per session before giving up (a runaway script, not a profile).
const MAX_STEPS: usize = 50_000;
pub(super) const MAX_CALL_DEPTH: usize = 16;
const MAX_NOTES: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Sh,
    Fish,
}

impl Shell {
    pub fn as_str(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Sh => "sh",
            Shell::Fish => "fish",
        }
    }
}

/// The program behind `sh`, which decides what of bash a file read by sh may use.
/// dash (Debian's and Ubuntu's /bin/sh) has no `source`, no `[[ … ]]` and no `shopt`;
/// bash started as sh keeps all three; busybox's ash has `source` and `[[` only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShProgram {
    Dash,
    Bash,
    Busybox,
}

impl ShProgram {
    pub fn as_str(self) -> &'static str {
        match self {
            ShProgram::Dash => "dash",
            ShProgram::Bash => "bash",
            ShProgram::Busybox => "busybox",
        }
    }

    /// The program from its file name, symlinks resolved (`/usr/bin/dash`).
    pub fn from_file_name(name: &str) -> Option<Self> {
        match name {
            "dash" => Some(ShProgram::Dash),
            "bash" => Some(ShProgram::Bash),
            "busybox" => Some(ShProgram::Busybox),
            _ => None,
        }
    }
}

/// What kind of shell is started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub shell: Shell,
    pub login: bool,
    pub interactive: bool,
    /// The program when `shell` is sh (ignored otherwise); dash when the image does not
    /// say.
    pub sh: ShProgram,
}

impl Spec {
    /// `command` is a bash builtin or keyword this shell does not have: running it is
    /// "command not found" (status 127) and does nothing else.
    pub fn lacks(&self, command: &str) -> bool {
        if self.shell != Shell::Sh {
            return false;
        }
        match self.sh {
            ShProgram::Dash => matches!(command, "source" | "[[" | "shopt"),
            ShProgram::Busybox => command == "shopt",
            ShProgram::Bash => false,
        }
    }

    /// Sourcing a script written for bash or zsh (functions declared with `function`,
    /// arrays) is a syntax error here, which ends a non-interactive shell.
    pub fn stops_on_bash_scripts(&self) -> bool {
        self.shell == Shell::Sh && self.sh == ShProgram::Dash
    }
}

/// Who the session belongs to.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub uid: Option<u32>,
    pub user: Option<String>,
    pub home: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    /// `None` when it could not be evaluated.
    pub value: Option<String>,
    pub exported: bool,
    pub origin: Option<Origin>,
    pub source: SegSource,
    pub assumed: bool,
}

/// The environment being built. PATH lives in `path`, entry by entry, shared with the
/// `$PATH` pieces that refer to it (`Rc::make_mut` to change it).
#[derive(Debug, Clone, Default)]
pub struct State {
    pub vars: BTreeMap<String, Var>,
    pub path: Rc<Vec<PathSeg>>,
    /// Where PATH was last changed.
    pub path_origin: Option<Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRead {
    pub path: String,
    pub via: Option<Origin>,
    /// `read`, `truncated`, `missing`, `unreadable`, `binary`, `cycle`, `too-deep`.
    pub status: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub origin: Origin,
    pub what: String,
}

/// A version manager's activation that ran, with the files its modelled effect read
/// (gvm's `environments/default`): files the manager writes, not the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activation {
    pub manager: Manager,
    pub origin: Origin,
    pub reads: Vec<String>,
}

/// A line this shell cannot run as written (see [`Spec::lacks`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    pub origin: Origin,
    /// `source`, `[[`, `shopt`; `.` for a sourced script the shell cannot parse.
    pub command: String,
    /// The shell stopped there (a syntax error), rather than the command failing.
    pub stops: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    True,
    False,
    Unknown,
}

impl Status {
    pub(super) fn from_bool(b: bool) -> Self {
        if b { Status::True } else { Status::False }
    }

    pub(super) fn not(self) -> Self {
        match self {
            Status::True => Status::False,
            Status::False => Status::True,
            Status::Unknown => Status::Unknown,
        }
    }
}

/// Why evaluation of a file stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Return,
    /// An error that unwinds an interactive shell to its top level (a `.` of a
    /// missing file under sh rules): ends the startup file, or zsh's `emulate sh -c`.
    Abort,
    Exit,
    Budget,
}

pub struct Evaluator<'a> {
    pub(super) host: &'a dyn Host,
    pub(super) cache: &'a mut FileCache,
    pub spec: Spec,
    pub(super) identity: Identity,
    pub state: State,
    pub files_read: Vec<FileRead>,
    pub activations: Vec<Activation>,
    pub notes: Vec<Note>,
    /// Lines that fail in this shell although another would run them.
    pub unsupported: Vec<Unsupported>,
    /// The session ended (`exit` in a startup file): later files are not read.
    pub exited: bool,
    pub(super) stack: Vec<String>,
    pub(super) file: String,
    pub(super) line_offset: usize,
    pub(super) functions: BTreeMap<String, Rc<Vec<Node>>>,
    pub(super) positional: Vec<String>,
    /// Inside a branch taken on a condition that could not be evaluated.
    pub(super) assumed: usize,
    pub(super) allexport: bool,
    /// Names `export`ed before they were set: exported once they are.
    pub(super) pending_exports: std::collections::BTreeSet<String>,
    /// The grammar of the file being read (a `.fish` file sourced from fish).
    pub(super) syntax_override: Option<Syntax>,
    pub(super) steps: usize,
    /// Counted against [`MAX_WORK`].
    pub(super) work: usize,
    pub(super) call_depth: usize,
    /// fish's `$fish_user_paths` as `fish_add_path` left it (fish keeps it at the front
    /// of PATH).
    pub(super) fish_user_paths: Vec<String>,
    /// zsh's `typeset -U path` is in effect: PATH keeps first occurrences only.
    pub(super) zsh_unique_path: bool,
    /// Inside zsh's `emulate sh -c '…'`: POSIX rules, e.g. a `.` of a missing file is
    /// fatal to a non-interactive shell.
    pub(super) emulating_sh: bool,
}

/// What the shell itself sets before reading anything: scripts test these to tell
/// bash from zsh from sh, and interactive from not. Versions are not known: any
/// non-empty value answers `[ -n "$BASH_VERSION" ]`.
fn shell_variables(spec: Spec, identity: &Identity) -> Vec<(&'static str, String)> {
    let mut vars = Vec::new();
    match spec.shell {
        Shell::Bash => {
            vars.push(("BASH_VERSION", "5".to_string()));
            vars.push(("BASH", "/bin/bash".to_string()));
            if let Some(uid) = identity.uid {
                vars.push(("UID", uid.to_string()));
                vars.push(("EUID", uid.to_string()));
            }
        }
        Shell::Zsh => vars.push(("ZSH_VERSION", "5".to_string())),
        Shell::Fish => vars.push(("FISH_VERSION", "3".to_string())),
        Shell::Sh => {}
    }
    // dash sets PS1 in every shell, interactive or not, so `[ -z "$PS1" ] && return`
    // does not end a file dash reads (tests/shell_oracle.rs found it).
    let dash = spec.shell == Shell::Sh && spec.sh == ShProgram::Dash;
    if spec.interactive || dash {
        let root = identity.uid == Some(0);
        let prompt = match spec.shell {
            Shell::Bash => "\\s-\\v\\$ ",
            Shell::Zsh => "%m%# ",
            _ if root => "# ",
            _ => "$ ",
        };
        vars.push(("PS1", prompt.to_string()));
    }
    vars
}

impl<'a> Evaluator<'a> {
    pub fn new(
        host: &'a dyn Host,
        cache: &'a mut FileCache,
        spec: Spec,
        identity: Identity,
        state: State,
    ) -> Self {
        let mut state = state;
        for (name, value) in shell_variables(spec, &identity) {
            state.vars.entry(name.to_string()).or_insert(Var {
                value: Some(value),
                exported: false,
                origin: None,
                source: SegSource::Default,
                assumed: false,
            });
        }
        Evaluator {
            host,
            cache,
            spec,
            identity,
            state,
            files_read: Vec::new(),
            activations: Vec::new(),
            notes: Vec::new(),
            unsupported: Vec::new(),
            exited: false,
            stack: Vec::new(),
            file: String::new(),
            line_offset: 0,
            functions: BTreeMap::new(),
            positional: Vec::new(),
            assumed: 0,
            allexport: false,
            pending_exports: std::collections::BTreeSet::new(),
            syntax_override: None,
            steps: 0,
            work: 0,
            call_depth: 0,
            fish_user_paths: Vec::new(),
            zsh_unique_path: false,
            emulating_sh: false,
        }
    }

    pub(super) fn origin(&self, line: usize) -> Origin {
        Origin {
            file: self.file.clone(),
            line: line + self.line_offset,
        }
    }

    pub(super) fn note(&mut self, line: usize, what: impl Into<String>) {
        self.note_at(self.origin(line), what);
    }

    /// A note about a place in another file than the one being read (environment.d).
    pub(super) fn note_at(&mut self, origin: Origin, what: impl Into<String>) {
        self.push_note(origin, what, MAX_NOTES);
    }

    /// A bound of the model was hit: noted even when ordinary notes have filled up
    /// (the report lists these), within a second allowance of [`MAX_NOTES`].
    pub(super) fn note_bound(&mut self, origin: Origin, what: impl Into<String>) {
        self.push_note(origin, what, 2 * MAX_NOTES);
    }

    fn push_note(&mut self, origin: Origin, what: impl Into<String>, cap: usize) {
        if self.notes.len() < cap {
            let what = crate::redact::redact_line(&what.into());
            if !self
                .notes
                .iter()
                .any(|n| n.origin == origin && n.what == what)
            {
                self.notes.push(Note { origin, what });
            }
        }
    }

    /// Records a line this shell cannot run (once per line and command).
    pub(super) fn unsupported(&mut self, line: usize, command: &str, stops: bool) {
        let origin = self.origin(line);
        if self.unsupported.len() < MAX_NOTES
            && !self
                .unsupported
                .iter()
                .any(|u| u.origin == origin && u.command == command)
        {
            self.unsupported.push(Unsupported {
                origin,
                command: command.to_string(),
                stops,
            });
        }
    }

    pub fn home(&self) -> Option<&str> {
        self.identity.home.as_deref()
    }

    /// Whether a file exists (read through the shared cache).
    pub fn file_exists(&mut self, path: &str, syntax: Syntax) -> bool {
        let file = self.cache.load(self.host, path, syntax);
        file.exists
    }

    /// A startup file the session itself opens (not sourced by another).
    pub fn read_startup_file(&mut self, path: &str, syntax: Syntax) {
        if self.exited {
            return;
        }
        if let Err(Stop::Exit) = self.read_file(path, syntax, None) {
            self.exited = true;
        }
    }

    /// Reads and evaluates one file; `Return` ends only this file.
    pub(super) fn read_file(
        &mut self,
        path: &str,
        syntax: Syntax,
        via: Option<Origin>,
    ) -> Result<Status, Stop> {
        let record = |status| FileRead {
            path: path.to_string(),
            via: via.clone(),
            status,
        };
        if self.stack.len() >= MAX_SOURCE_DEPTH {
            self.files_read.push(record("too-deep"));
            return Ok(Status::False);
        }
        let file = self.cache.load(self.host, path, syntax);
        if self.stack.contains(&file.canonical) {
            self.files_read.push(record("cycle"));
            return Ok(Status::False);
        }
        let status = if !file.exists {
            "missing"
        } else if file.binary {
            "binary"
        } else if !file.readable || file.script.is_none() {
            "unreadable"
        } else if file.truncated {
            "truncated"
        } else {
            "read"
        };
        self.files_read.push(record(status));
        let Some(script) = file.script.as_ref() else {
            return Ok(Status::False);
        };
        self.stack.push(file.canonical.clone());
        let saved_file = std::mem::replace(&mut self.file, path.to_string());
        let saved_offset = std::mem::replace(&mut self.line_offset, 0);
        let saved_syntax = self.syntax_override.replace(syntax);
        let result = self.eval_nodes(&script.nodes);
        self.syntax_override = saved_syntax;
        self.line_offset = saved_offset;
        self.file = saved_file;
        self.stack.pop();
        match result {
            Err(Stop::Return) => Ok(Status::True),
            Err(Stop::Budget) => {
                let why = if self.work > MAX_WORK {
                    "evaluation stopped: too much expansion (PATH entries and variable text)"
                } else {
                    "evaluation stopped: too many commands"
                };
                self.note_bound(self.origin(1), why);
                Err(Stop::Exit)
            }
            other => other,
        }
    }

    pub(super) fn eval_nodes(&mut self, nodes: &[Node]) -> Result<Status, Stop> {
        let mut status = Status::True;
        for node in nodes {
            status = self.eval_node(node)?;
        }
        Ok(status)
    }

    /// Evaluates a branch whose condition is unknown: its effects are marked assumed and
    /// it may not end the file.
    fn eval_assumed(&mut self, nodes: &[Node]) -> Result<Status, Stop> {
        self.assumed += 1;
        let result = self.eval_nodes(nodes);
        self.assumed -= 1;
        match result {
            Err(Stop::Return) | Err(Stop::Exit) | Err(Stop::Abort) => Ok(Status::Unknown),
            Err(Stop::Budget) => Err(Stop::Budget),
            Ok(_) => Ok(Status::Unknown),
        }
    }

    fn eval_node(&mut self, node: &Node) -> Result<Status, Stop> {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.work > MAX_WORK {
            return Err(Stop::Budget);
        }
        match node {
            Node::Simple(simple) => self.eval_simple(simple),
            Node::AndOr { first, rest } => {
                let mut status = self.eval_node(first)?;
                for (and, next) in rest {
                    status = match (and, status) {
                        (true, Status::True) | (false, Status::False) => self.eval_node(next)?,
                        (true, Status::False) | (false, Status::True) => status,
                        (_, Status::Unknown) => self.eval_assumed(std::slice::from_ref(next))?,
                    };
                }
                Ok(status)
            }
            Node::Not(inner) => Ok(self.eval_node(inner)?.not()),
            Node::Pipeline { line, commands } => {
                if let Some(manager) = activation::in_pipeline(commands) {
                    self.activate(manager, *line, &BTreeMap::new(), None)?;
                    return Ok(Status::True);
                }
                // Every part runs in a subshell: nothing it sets survives.
                Ok(Status::Unknown)
            }
            Node::If {
                line,
                arms,
                otherwise,
            } => {
                for (condition, body) in arms {
                    match self.eval_nodes(condition)? {
                        Status::True => return self.eval_nodes(body),
                        Status::False => continue,
                        Status::Unknown => {
                            self.note(
                                *line,
                                "condition not evaluated; its branch is assumed to run",
                            );
                            return self.eval_assumed(body);
                        }
                    }
                }
                match otherwise {
                    Some(body) => self.eval_nodes(body),
                    None => Ok(Status::True),
                }
            }
            Node::Case {
                line,
                subject,
                arms,
            } => self.eval_case(*line, subject, arms),
            Node::For {
                line,
                var,
                words,
                body,
            } => self.eval_for(*line, var, words.as_deref(), body),
            Node::Loop { line, .. } => {
                self.note(*line, "loop not evaluated");
                Ok(Status::Unknown)
            }
            Node::Function { name, body, .. } => {
                self.functions.insert(name.clone(), Rc::new(body.clone()));
                Ok(Status::True)
            }
            Node::Group { body, subshell, .. } => {
                if *subshell {
                    let saved = self.state.clone();
                    let result = self.eval_nodes(body);
                    self.state = saved;
                    match result {
                        Err(Stop::Budget) => Err(Stop::Budget),
                        Err(_) => Ok(Status::Unknown),
                        Ok(status) => Ok(status),
                    }
                } else {
                    self.eval_nodes(body)
                }
            }
            Node::Arith { .. } => Ok(Status::Unknown),
            Node::Unparsed { line, reason } => {
                let what = format!("line not understood ({reason})");
                if reason.contains("nested too deeply") {
                    self.note_bound(self.origin(*line), what);
                } else {
                    self.note(*line, what);
                }
                Ok(Status::Unknown)
            }
        }
    }

    fn eval_case(
        &mut self,
        line: usize,
        subject: &Word,
        arms: &[super::ast::CaseArm],
    ) -> Result<Status, Stop> {
        let Some(text) = self.word_text(subject) else {
            self.note(line, "case subject not evaluated; no branch taken");
            return Ok(Status::Unknown);
        };
        for arm in arms {
            for pattern in &arm.patterns {
                match self.pattern_matches(pattern, &text) {
                    Some(true) => return self.eval_nodes(&arm.body),
                    Some(false) => {}
                    None => {
                        self.note(line, "case pattern not evaluated; no branch taken");
                        return Ok(Status::Unknown);
                    }
                }
            }
        }
        Ok(Status::True)
    }

    fn eval_for(
        &mut self,
        line: usize,
        var: &str,
        words: Option<&[Word]>,
        body: &[Node],
    ) -> Result<Status, Stop> {
        let items = match words {
            None => Some(self.positional.clone()),
            Some(words) => {
                let mut items = Vec::new();
                let mut known = true;
                for word in words {
                    match self.glob_word(word) {
                        Some(mut expanded) => items.append(&mut expanded),
                        None => known = false,
                    }
                }
                known.then_some(items)
            }
        };
        let Some(items) = items else {
            self.note(line, "loop over values not evaluated");
            return Ok(Status::Unknown);
        };
        let mut status = Status::True;
        for item in items.into_iter().take(256) {
            self.set_plain(var, Some(item), line);
            status = self.eval_nodes(body)?;
        }
        Ok(status)
    }

    /// A shell variable set by the shell itself (loop variables): not exported.
    fn set_plain(&mut self, name: &str, value: Option<String>, line: usize) {
        let exported = self.state.vars.get(name).is_some_and(|v| v.exported);
        let origin = Some(self.origin(line));
        self.state.vars.insert(
            name.to_string(),
            Var {
                value,
                exported,
                origin,
                source: SegSource::Shell,
                assumed: self.assumed > 0,
            },
        );
    }

    fn eval_simple(&mut self, simple: &Simple) -> Result<Status, Stop> {
        if simple.words.is_empty() {
            for assign in &simple.assigns {
                self.assign(assign, None);
            }
            return Ok(Status::True);
        }
        let Some(name) = self.word_text(&simple.words[0]) else {
            return Ok(Status::Unknown);
        };
        // `VAR=x cmd`: VAR is set for cmd only; activations read it (GOENV_PATH_ORDER).
        let prefix: BTreeMap<String, Option<String>> = simple
            .assigns
            .iter()
            .map(|a| {
                let value = match &a.value {
                    AssignValue::Scalar(word) => self.word_text(word),
                    AssignValue::Array(_) => None,
                };
                (a.name.clone(), value)
            })
            .collect();
        self.run_command(&name, &simple.words[1..], simple.line, &prefix)
    }

    /// Applies one assignment; `exported` forces (`Some(true)` export, `Some(false)`
    /// `export -n`) or keeps the variable's export flag.
    pub(super) fn assign(&mut self, assign: &super::ast::Assign, exported: Option<bool>) {
        let origin = self.origin(assign.line);
        let assumed = self.assumed > 0;
        let zsh_path = assign.name == "path" && self.spec.shell == Shell::Zsh;
        if assign.name == "PATH" || zsh_path {
            let mut pieces = Vec::new();
            if assign.append {
                // `PATH+=:/x` appends text; `path+=(/x)` appends elements.
                pieces.push(Piece::Path(Rc::clone(&self.state.path)));
                if zsh_path {
                    pieces.push(Piece::Text(":".into()));
                }
            }
            match &assign.value {
                AssignValue::Scalar(word) => pieces.extend(self.expand(word, true)),
                AssignValue::Array(words) => {
                    for (i, word) in words.iter().enumerate() {
                        if i > 0 {
                            pieces.push(Piece::Text(":".into()));
                        }
                        pieces.extend(self.expand(word, true));
                    }
                }
            }
            // The old list is referenced by the pieces only: it is moved, not copied.
            self.state.path = Rc::default();
            let segs = pieces_to_segs(pieces, &origin, SegSource::Shell, assumed);
            self.work += segs.len();
            for seg in segs
                .iter()
                .filter(|s| s.dir.is_none() && s.origin.as_ref() == Some(&origin))
                .filter(|s| s.raw != PATH_CUT)
            {
                self.note(
                    assign.line,
                    format!("PATH entry `{}` not evaluated", seg.raw),
                );
            }
            self.state.path = Rc::new(segs);
            self.state.path_origin = Some(origin);
            self.settle_path(assign.line);
            // `typeset -U path` makes the array unique when the array is assigned; an
            // assignment to the scalar PATH keeps its repeats (zsh 5.9, by the oracle).
            if zsh_path && self.zsh_unique_path {
                self.dedupe_path();
            }
            return;
        }
        let value = match &assign.value {
            AssignValue::Scalar(word) => {
                let pieces = self.expand(word, true);
                let text = pieces_text(&pieces);
                if text.is_none() && too_long(&pieces) {
                    self.note_too_long(&assign.name, self.origin(assign.line));
                } else if text.is_none() && super::is_relevant(&assign.name) {
                    self.note(
                        assign.line,
                        format!(
                            "{} set to `{}`, not evaluated",
                            assign.name,
                            pieces_raw(&pieces)
                        ),
                    );
                }
                text
            }
            // Arrays of other names do not reach the environment.
            AssignValue::Array(_) => return,
        };
        let previous = self.state.vars.get(&assign.name);
        let mut cut = false;
        let value = if assign.append {
            match (previous.and_then(|p| p.value.as_ref()), value) {
                (Some(old), Some(new)) if old.len() + new.len() > MAX_VALUE_BYTES => {
                    cut = true;
                    None
                }
                (Some(old), Some(new)) => Some(old.clone() + &new),
                (None, Some(new)) if previous.is_none() => Some(new),
                _ => None,
            }
        } else {
            value
        };
        let was_exported =
            previous.is_some_and(|p| p.exported) || self.pending_exports.remove(&assign.name);
        if cut {
            self.note_too_long(&assign.name, self.origin(assign.line));
        }
        let exported = exported.unwrap_or(was_exported || self.allexport);
        self.state.vars.insert(
            assign.name.clone(),
            Var {
                value,
                exported,
                origin: Some(origin),
                source: SegSource::Shell,
                assumed,
            },
        );
    }

    /// Adds a directory to PATH (front or back) unless it is already there.
    pub(super) fn add_path_dir(&mut self, dir: &str, front: bool, line: usize, source: SegSource) {
        if self
            .state
            .path
            .iter()
            .any(|s| s.dir.as_deref() == Some(dir))
        {
            return;
        }
        let mut seg = PathSeg::known(dir, Some(self.origin(line)), source);
        seg.assumed = self.assumed > 0;
        self.state.path_origin = seg.origin.clone();
        let path = Rc::make_mut(&mut self.state.path);
        if front {
            path.insert(0, seg);
        } else {
            path.push(seg);
        }
        self.settle_path(line);
    }

    /// Drops every PATH entry that repeats an earlier one (zsh's unique `path`).
    pub(super) fn dedupe_path(&mut self) {
        let mut seen = std::collections::BTreeSet::new();
        Rc::make_mut(&mut self.state.path).retain(|seg| match &seg.dir {
            Some(dir) => seen.insert(dir.clone()),
            None => true,
        });
    }

    pub(super) fn syntax(&self) -> Syntax {
        self.syntax_override.unwrap_or(match self.spec.shell {
            Shell::Fish => Syntax::Fish,
            _ => Syntax::Sh,
        })
    }
}
