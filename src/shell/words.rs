//! The evaluator's view of words: expansion with what is known, `[ … ]` tests asked of
//! the Host, command lookups on the PATH built so far, modelled activations, and fish's
//! `set`/`fish_add_path`/`status`/`contains`.

use std::path::Path;
use std::rc::Rc;

use super::ast::{Part, Word};
use super::eval::{Evaluator, Shell, Var};
use super::expand::{
    MAX_VALUE_BYTES, Piece, SegSource, glob_match, pieces_text, pieces_to_segs, too_long,
};

/// Variables a login normally has that envgate cannot know: tests on them stay unknown
/// instead of reading them as unset.
const AMBIENT: &[&str] = &[
    "TERM",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "SSH_CONNECTION",
    "SSH_CLIENT",
    "SSH_TTY",
    "XDG_SESSION_TYPE",
    "XDG_CURRENT_DESKTOP",
    "COLORTERM",
    "TMUX",
    "LANG",
    "TERM_PROGRAM",
];

/// What an expansion cut short shows.
const TOO_LONG: &str = "[longer than 64 KiB]";

/// Bytes a piece stands for; a PATH entry counts 16.
fn piece_size(piece: &Piece) -> usize {
    match piece {
        Piece::Text(t) | Piece::Unknown(t) => t.len(),
        Piece::Path(segs) => segs.len() * 16,
    }
}

enum Lookup {
    Unset,
    Text(String),
    Unknown,
    Path,
}

impl Evaluator<'_> {
    /// The word's text, or `None` when any part is unknown.
    pub(super) fn word_text(&mut self, word: &Word) -> Option<String> {
        pieces_text(&self.expand(word, false))
    }

    /// Expands a word into pieces. In an assignment, `~` also expands after `:`.
    /// Expansion stops (an unknown piece ends the word) once the word is well past
    /// [`MAX_VALUE_BYTES`], whose value is unknown anyway: `$X$X$X…` with a long `X`
    /// repeated over a whole line would otherwise copy gigabytes.
    pub(super) fn expand(&mut self, word: &Word, assignment: bool) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut size = 0;
        for (index, part) in word.parts.iter().enumerate() {
            if size > 2 * MAX_VALUE_BYTES {
                pieces.push(Piece::Unknown(TOO_LONG.into()));
                break;
            }
            let before = pieces.len();
            match part {
                Part::Lit { text, quoted } => {
                    if *quoted {
                        pieces.push(Piece::Text(text.clone()));
                    } else {
                        pieces.push(self.expand_tildes(text, index == 0, assignment));
                    }
                }
                Part::Param { name, op, arg } => {
                    pieces.extend(self.expand_param(name, op.as_deref(), arg.as_deref()));
                }
                Part::CmdSub { text } => pieces.push(self.command_substitution(text)),
                Part::Arith { text } => pieces.push(Piece::Unknown(format!("$(({text}))"))),
                Part::Unsupported { text } => pieces.push(Piece::Unknown(text.clone())),
            }
            size += pieces[before..].iter().map(piece_size).sum::<usize>();
        }
        self.work += size / 64;
        pieces
    }

    /// An environment.d / EnvironmentFile= value: `$VAR` and `${VAR:-…}` expand, `~`
    /// and command substitutions do not.
    pub fn apply_env_line(
        &mut self,
        name: &str,
        value: &str,
        origin: crate::snapshot::Origin,
        source: SegSource,
    ) {
        let word = super::lex::parse_verbatim(value, origin.line);
        let mut pieces = Vec::new();
        for part in &word.parts {
            match part {
                Part::Lit { text, .. } => pieces.push(Piece::Text(text.clone())),
                Part::Param { name, op, arg } => {
                    pieces.extend(self.expand_param(name, op.as_deref(), arg.as_deref()))
                }
                // systemd has no command substitution: the text stays as written.
                Part::CmdSub { text } => pieces.push(Piece::Text(format!("$({text})"))),
                Part::Arith { text } => pieces.push(Piece::Text(format!("$(({text}))"))),
                Part::Unsupported { text } => pieces.push(Piece::Text(text.clone())),
            }
        }
        if name == "PATH" {
            self.state.path = Rc::default();
            let segs = pieces_to_segs(pieces, &origin, source, false);
            self.work += segs.len();
            self.state.path = Rc::new(segs);
            self.state.path_origin = Some(origin.clone());
            self.settle_path_at(origin);
            return;
        }
        let value = pieces_text(&pieces);
        if value.is_none() && too_long(&pieces) {
            self.note_too_long(name, origin.clone());
        }
        self.state.vars.insert(
            name.to_string(),
            Var {
                value,
                exported: true,
                origin: Some(origin),
                source,
                assumed: false,
            },
        );
    }

    pub(super) fn expand_tildes(&self, text: &str, at_start: bool, assignment: bool) -> Piece {
        let home = self.home().map(str::to_string);
        let mut out = String::new();
        let mut unknown = false;
        for (i, chunk) in text.split(':').enumerate() {
            if i > 0 {
                out.push(':');
            }
            let expand = (i == 0 && at_start) || (i > 0 && assignment);
            match chunk.strip_prefix('~') {
                Some(rest) if expand && (rest.is_empty() || rest.starts_with('/')) => match &home {
                    Some(home) => {
                        out.push_str(home);
                        out.push_str(rest);
                    }
                    None => {
                        unknown = true;
                        out.push_str(chunk);
                    }
                },
                Some(rest) if expand && !rest.is_empty() => {
                    let (user, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                    match (&home, self.identity.user.as_deref()) {
                        (Some(home), Some(me)) if me == user => {
                            out.push_str(home);
                            out.push_str(tail);
                        }
                        _ => {
                            unknown = true;
                            out.push_str(chunk);
                        }
                    }
                }
                _ => out.push_str(chunk),
            }
        }
        if unknown {
            Piece::Unknown(out)
        } else {
            Piece::Text(out)
        }
    }

    fn lookup(&self, name: &str) -> Lookup {
        if name == "PATH" || (name == "path" && self.spec.shell == Shell::Zsh) {
            return Lookup::Path;
        }
        if let Ok(n) = name.parse::<usize>() {
            if n == 0 {
                return Lookup::Text(self.spec.shell.as_str().to_string());
            }
            return self
                .positional
                .get(n - 1)
                .map_or(Lookup::Unset, |v| Lookup::Text(v.clone()));
        }
        match name {
            "-" => {
                let mut flags = String::from("hB");
                if self.spec.interactive {
                    flags.push('i');
                }
                return Lookup::Text(flags);
            }
            "?" => return Lookup::Text("0".into()),
            "#" => return Lookup::Text(self.positional.len().to_string()),
            "@" | "*" => return Lookup::Text(self.positional.join(" ")),
            "$" | "!" => return Lookup::Unknown,
            _ => {}
        }
        match self.state.vars.get(name) {
            Some(Var { value: Some(v), .. }) => Lookup::Text(v.clone()),
            Some(_) => Lookup::Unknown,
            None if AMBIENT.contains(&name) => Lookup::Unknown,
            None => Lookup::Unset,
        }
    }

    pub(super) fn expand_param(
        &mut self,
        name: &str,
        op: Option<&str>,
        arg: Option<&Word>,
    ) -> Vec<Piece> {
        let found = self.lookup(name);
        let raw = || Piece::Unknown(format!("${{{name}}}"));
        let value_pieces = |this: &Self, found: &Lookup| match found {
            Lookup::Unset => vec![Piece::Text(String::new())],
            Lookup::Text(t) => vec![Piece::Text(t.clone())],
            Lookup::Unknown => vec![raw()],
            Lookup::Path => vec![Piece::Path(Rc::clone(&this.state.path))],
        };
        let Some(op) = op.filter(|o| *o != "[@]") else {
            return value_pieces(self, &found);
        };
        let colon = op.starts_with(':');
        let is_set = match &found {
            Lookup::Unset => Some(false),
            Lookup::Text(t) => Some(!(colon && t.is_empty())),
            Lookup::Unknown => None,
            Lookup::Path => Some(!(colon && self.state.path.is_empty())),
        };
        let Some(is_set) = is_set else {
            return vec![raw()];
        };
        let arg_pieces = |this: &mut Self| match arg {
            Some(word) => this.expand(word, false),
            None => vec![Piece::Text(String::new())],
        };
        match op.trim_start_matches(':') {
            "-" | "=" if !is_set => {
                let pieces = arg_pieces(self);
                if op.ends_with('=') && name != "PATH" {
                    let value = pieces_text(&pieces);
                    let exported = self.state.vars.get(name).is_some_and(|v| v.exported);
                    self.state.vars.insert(
                        name.to_string(),
                        Var {
                            value,
                            exported,
                            origin: None,
                            source: SegSource::Shell,
                            assumed: self.assumed > 0,
                        },
                    );
                }
                pieces
            }
            "+" if is_set => arg_pieces(self),
            "+" => vec![Piece::Text(String::new())],
            _ => value_pieces(self, &found),
        }
    }

    /// Command output is never produced; a few substitutions whose answer envgate
    /// knows are given it: `id -u`, `id -un`/`whoami`, `go env VAR` (see
    /// `go_env_output`) and macOS's `/usr/libexec/path_helper -s` (see
    /// `path_helper_output`).
    fn command_substitution(&mut self, text: &str) -> Piece {
        let mut words: Vec<&str> = text.split_whitespace().collect();
        let unknown = || Piece::Unknown(format!("$({text})"));
        // `/usr/bin/id -u` (Debian's fish profile) is `id -u`.
        if let Some(first) = words.first_mut()
            && let Some(name @ ("id" | "whoami")) = first.strip_prefix("/usr/bin/")
        {
            *first = name;
        }
        match words.as_slice() {
            ["id", "-u"] => self
                .identity
                .uid
                .map_or_else(unknown, |uid| Piece::Text(uid.to_string())),
            ["id", "-un"] | ["id", "-u", "-n"] | ["id", "-nu"] | ["whoami"] => {
                self.identity.user.clone().map_or_else(unknown, Piece::Text)
            }
            [program, "env", name] if program.rsplit('/').next() == Some("go") => {
                let name = name.trim_matches(['"', '\'']);
                self.go_env_output(program, name)
                    .map_or_else(unknown, Piece::Text)
            }
            ["/usr/libexec/path_helper", args @ ..] => self
                .path_helper_output(args)
                .map_or_else(unknown, Piece::Text),
            _ => unknown(),
        }
    }

    /// A word with pathname expansion of its last component (`/etc/profile.d/*.sh`);
    /// no match leaves the pattern, as sh does.
    pub(super) fn glob_word(&mut self, word: &Word) -> Option<Vec<String>> {
        let pattern = self.pattern_of(word)?;
        let has_glob = pattern
            .iter()
            .any(|(c, literal)| !literal && matches!(c, '*' | '?' | '['));
        let text: String = pattern.iter().map(|(c, _)| c).collect();
        if !has_glob {
            return Some(vec![text]);
        }
        let Some(split) = pattern.iter().rposition(|(c, _)| *c == '/') else {
            return Some(vec![text]);
        };
        let dir: String = pattern[..split].iter().map(|(c, _)| c).collect();
        let name_pattern = &pattern[split + 1..];
        let shown_dir = if dir.is_empty() {
            "/".to_string()
        } else {
            dir.clone()
        };
        if shown_dir.contains(['*', '?', '[']) || !shown_dir.starts_with('/') {
            return Some(vec![text]);
        }
        let dot_ok = name_pattern.first().is_some_and(|(c, _)| *c == '.');
        let matches: Vec<String> = self
            .host
            .read_dir(Path::new(&shown_dir))
            .unwrap_or_default()
            .into_iter()
            .filter(|name| dot_ok || !name.starts_with('.'))
            .filter(|name| glob_match(name_pattern, name))
            .map(|name| format!("{}/{name}", dir.trim_end_matches('/')))
            .collect();
        Some(if matches.is_empty() {
            vec![text]
        } else {
            matches
        })
    }

    /// A word as a pattern: characters from quotes and variables match literally.
    fn pattern_of(&mut self, word: &Word) -> Option<Vec<(char, bool)>> {
        let mut pattern = Vec::new();
        for (index, part) in word.parts.iter().enumerate() {
            match part {
                Part::Lit {
                    text,
                    quoted: false,
                } => {
                    let expanded = match self.expand_tildes(text, index == 0, false) {
                        Piece::Text(t) => t,
                        _ => return None,
                    };
                    pattern.extend(expanded.chars().map(|c| (c, false)));
                }
                Part::Lit { text, quoted: true } => pattern.extend(text.chars().map(|c| (c, true))),
                other => {
                    let single = Word {
                        parts: vec![other.clone()],
                        line: word.line,
                        raw: String::new(),
                    };
                    let text = pieces_text(&self.expand(&single, false))?;
                    pattern.extend(text.chars().map(|c| (c, true)));
                }
            }
        }
        Some(pattern)
    }

    pub(super) fn pattern_matches(&mut self, pattern: &Word, text: &str) -> Option<bool> {
        let pattern = self.pattern_of(pattern)?;
        Some(glob_match(&pattern, text))
    }

    pub(super) fn var_text(&self, name: &str) -> Option<String> {
        self.state
            .vars
            .get(name)
            .and_then(|v| v.value.clone())
            .filter(|v| !v.is_empty())
    }
}
