//! fish's `set`, `fish_add_path`, `status` and `contains`, and the modelled effect of a
//! version manager's activation line.

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use super::activation::Manager;
use super::ast::Word;
use super::eval::{Activation, Evaluator, Status, Stop, Var};
use super::expand::{PathSeg, Piece, SegSource, pieces_to_segs};
use super::files::Syntax;

impl Evaluator<'_> {
    /// A version manager's activation: the PATH change it makes, modelled.
    pub(super) fn activate(
        &mut self,
        manager: Manager,
        line: usize,
        prefix: &BTreeMap<String, Option<String>>,
        script: Option<String>,
    ) -> Result<Status, Stop> {
        let origin = self.origin(line);
        if manager == Manager::Gvm && self.spec.stops_on_bash_scripts() {
            // gvm's loader (scripts/gvm-default) sources scripts/env/gvm and its
            // function files, written for bash and zsh (`function gvm() {`, arrays):
            // dash stops with a syntax error, and a non-interactive dash ends there.
            self.unsupported(line, ".", true);
            return if self.assumed == 0 {
                Err(Stop::Exit)
            } else {
                Ok(Status::Unknown)
            };
        }
        self.activations.push(Activation {
            manager,
            origin: origin.clone(),
            reads: Vec::new(),
        });
        let Some(home) = self.home().map(|h| h.trim_end_matches('/').to_string()) else {
            return Ok(Status::Unknown);
        };
        match manager {
            Manager::Goenv => {
                let root = self
                    .var_text("GOENV_ROOT")
                    .unwrap_or_else(|| format!("{home}/.goenv"));
                // goenv appends its shims unless GOENV_PATH_ORDER=front.
                let order = prefix
                    .get("GOENV_PATH_ORDER")
                    .cloned()
                    .flatten()
                    .or_else(|| self.var_text("GOENV_PATH_ORDER"));
                let front = order.as_deref() == Some("front");
                self.add_path_dir(&format!("{root}/shims"), front, line, SegSource::Activation);
            }
            Manager::Asdf => {
                let data = self
                    .var_text("ASDF_DATA_DIR")
                    .unwrap_or_else(|| format!("{home}/.asdf"));
                let asdf_dir = script
                    .as_deref()
                    .and_then(|s| s.rsplit_once('/').map(|(dir, _)| dir.to_string()))
                    .unwrap_or_else(|| format!("{home}/.asdf"));
                self.add_path_dir(
                    &format!("{asdf_dir}/bin"),
                    true,
                    line,
                    SegSource::Activation,
                );
                self.add_path_dir(&format!("{data}/shims"), true, line, SegSource::Activation);
            }
            Manager::Mise => {
                // `mise activate` puts each tool's install directory on PATH from a
                // prompt hook; its shims directory stands for them here.
                let data = self.var_text("MISE_DATA_DIR").unwrap_or_else(|| {
                    self.var_text("XDG_DATA_HOME").map_or_else(
                        || format!("{home}/.local/share/mise"),
                        |d| format!("{d}/mise"),
                    )
                });
                self.add_path_dir(&format!("{data}/shims"), true, line, SegSource::Activation);
            }
            Manager::Gvm => {
                let root = self
                    .var_text("GVM_ROOT")
                    .unwrap_or_else(|| format!("{home}/.gvm"));
                self.add_path_dir(&format!("{root}/bin"), true, line, SegSource::Activation);
                // gvm then loads the default environment (`gvm use … --default`).
                let default = format!("{root}/environments/default");
                if self.host.exists(Path::new(&default)) {
                    let first = self.files_read.len();
                    let index = self.activations.len() - 1;
                    let result = self.read_file(&default, Syntax::Sh, Some(origin));
                    let reads: Vec<String> = self.files_read[first..]
                        .iter()
                        .filter(|f| matches!(f.status, "read" | "truncated"))
                        .map(|f| f.path.clone())
                        .collect();
                    self.activations[index].reads = reads;
                    return result;
                }
            }
        }
        Ok(Status::True)
    }

    /// fish: `set [-gxUeapq…] NAME VALUES…`.
    pub(super) fn fish_set(&mut self, args: &[Word], line: usize) -> Status {
        let mut flags = String::new();
        let mut rest = args;
        while let Some((first, tail)) = rest.split_first() {
            match first.bare() {
                Some(f) if f.starts_with("--") => {
                    flags.push_str(match f {
                        "--export" => "x",
                        "--erase" => "e",
                        "--append" => "a",
                        "--prepend" => "p",
                        "--query" => "q",
                        "--unexport" => "u",
                        "--universal" => "U",
                        "--global" => "g",
                        _ => "",
                    });
                    rest = tail;
                }
                Some(f) if f.starts_with('-') && f.len() > 1 => {
                    flags.push_str(&f[1..]);
                    rest = tail;
                }
                _ => break,
            }
        }
        let Some((name_word, values)) = rest.split_first() else {
            return Status::True;
        };
        let Some(name) = name_word.literal() else {
            return Status::Unknown;
        };
        if flags.contains('q') {
            return Status::from_bool(name == "PATH" || self.state.vars.contains_key(&name));
        }
        if flags.contains('e') {
            self.state.vars.remove(&name);
            return Status::True;
        }
        let origin = self.origin(line);
        if name == "PATH" || name == "fish_user_paths" {
            let mut pieces = Vec::new();
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    pieces.push(Piece::Text(":".into()));
                }
                pieces.extend(self.expand(value, true));
            }
            let new = pieces_to_segs(pieces, &origin, SegSource::Shell, self.assumed > 0);
            self.work += new.len();
            let current = std::mem::take(&mut self.state.path);
            let current = Rc::try_unwrap(current).unwrap_or_else(|shared| (*shared).clone());
            self.state.path_origin = Some(origin.clone());
            self.state.path = if name == "fish_user_paths" || flags.contains('p') {
                // fish puts fish_user_paths in front of PATH.
                let mut segs: Vec<PathSeg> = new
                    .into_iter()
                    .filter(|s| s.origin.as_ref() == Some(&origin))
                    .collect();
                segs.extend(current);
                Rc::new(segs)
            } else if flags.contains('a') {
                let mut segs = current;
                segs.extend(new);
                Rc::new(segs)
            } else {
                Rc::new(new)
            };
            self.settle_path(line);
            return Status::True;
        }
        let texts: Option<Vec<String>> = values.iter().map(|v| self.word_text(v)).collect();
        let mut value = texts.map(|t| t.join(" "));
        let previous = self.state.vars.get(&name).cloned();
        if flags.contains('a') || flags.contains('p') {
            let old = previous
                .as_ref()
                .and_then(|p| p.value.clone())
                .unwrap_or_default();
            value = value.map(|v| {
                let (a, b) = if flags.contains('a') {
                    (old, v)
                } else {
                    (v, old)
                };
                [a, b]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            });
        }
        let exported = if flags.contains('u') {
            false
        } else {
            flags.contains('x') || previous.is_some_and(|p| p.exported)
        };
        self.state.vars.insert(
            name,
            Var {
                value,
                exported,
                origin: Some(origin),
                source: SegSource::Shell,
                assumed: self.assumed > 0,
            },
        );
        Status::True
    }

    /// fish: `fish_add_path [-a|-p] [-m] DIR…`: existing directories only, not twice.
    /// fish's `fish_add_path` (share/functions/fish_add_path.fish): each argument that
    /// is an existing directory and not already in the variable is added, in the order
    /// given, to `$fish_user_paths` (default) or, with `-P`, to PATH itself; at the end
    /// (`-a`) or the front (default, `-p`); `-m` moves one already there. fish keeps
    /// `$fish_user_paths` at the front of PATH: setting it moves those directories
    /// there, first to last (`__fish_reconstruct_path`).
    pub(super) fn fish_add_path(&mut self, args: &[Word], line: usize) -> Status {
        let (mut append, mut path_only, mut moving) = (false, false, false);
        let mut dirs = Vec::new();
        let mut options = true;
        for arg in args {
            let flag = arg.bare().filter(|f| options && f.starts_with('-'));
            match flag {
                Some("--") => options = false,
                Some("--append") => append = true,
                Some("--prepend") => append = false,
                Some("--path") => path_only = true,
                Some("--move") => moving = true,
                Some(long) if long.starts_with("--") => {}
                Some(short) => {
                    for c in short.chars().skip(1) {
                        match c {
                            'a' => append = true,
                            'p' => append = false,
                            'P' => path_only = true,
                            'm' => moving = true,
                            _ => {}
                        }
                    }
                }
                None => match self.word_text(arg) {
                    Some(dir) => dirs.push(dir),
                    None => {
                        self.note(line, format!("fish_add_path {} not evaluated", arg.raw));
                    }
                },
            }
        }
        let current: Vec<String> = if path_only {
            self.state
                .path
                .iter()
                .filter_map(|s| s.dir.clone())
                .collect()
        } else {
            self.fish_user_paths.clone()
        };
        let mut added: Vec<String> = Vec::new();
        for dir in dirs {
            let dir = if dir.len() > 1 {
                dir.trim_end_matches('/').to_string()
            } else {
                dir
            };
            if !dir.starts_with('/') || !self.host.is_dir(Path::new(&dir)) {
                continue;
            }
            if added.contains(&dir) || (current.contains(&dir) && !moving) {
                continue;
            }
            added.push(dir);
        }
        if added.is_empty() {
            return Status::False;
        }
        let origin = self.origin(line);
        let assumed = self.assumed > 0;
        let seg = |dir: &str| {
            let mut seg = PathSeg::known(dir, Some(origin.clone()), SegSource::Shell);
            seg.assumed = assumed;
            seg
        };
        if path_only {
            let path = Rc::make_mut(&mut self.state.path);
            path.retain(|s| !s.dir.as_ref().is_some_and(|d| added.contains(d)));
            let new: Vec<PathSeg> = added.iter().map(|d| seg(d)).collect();
            if append {
                path.extend(new);
            } else {
                path.splice(0..0, new);
            }
        } else {
            self.fish_user_paths.retain(|d| !added.contains(d));
            if append {
                self.fish_user_paths.extend(added.iter().cloned());
            } else {
                self.fish_user_paths.splice(0..0, added.iter().cloned());
            }
            let path = Rc::make_mut(&mut self.state.path);
            for dir in self.fish_user_paths.iter().rev() {
                let existing = path
                    .iter()
                    .position(|s| s.dir.as_deref() == Some(dir.as_str()));
                let entry = match existing {
                    Some(index) => path.remove(index),
                    None => seg(dir),
                };
                path.insert(0, entry);
            }
        }
        self.work += self.state.path.len() + self.fish_user_paths.len();
        self.state.path_origin = Some(origin);
        self.settle_path(line);
        Status::True
    }

    pub(super) fn fish_status(&mut self, args: &[Word]) -> Status {
        match args.first().and_then(Word::bare) {
            Some("is-interactive" | "--is-interactive" | "-i") => {
                Status::from_bool(self.spec.interactive)
            }
            Some("is-login" | "--is-login" | "-l") => Status::from_bool(self.spec.login),
            _ => Status::Unknown,
        }
    }

    /// fish: `contains [-i] [--] KEY VALUES…`.
    pub(super) fn fish_contains(&mut self, args: &[Word]) -> Status {
        let operands: Vec<&Word> = args
            .iter()
            .filter(|a| !a.bare().is_some_and(|f| f.starts_with('-')))
            .collect();
        let Some((key, values)) = operands.split_first() else {
            return Status::False;
        };
        let Some(key) = self.word_text(key) else {
            return Status::Unknown;
        };
        let mut unknown = false;
        for value in values {
            for piece in self.expand(value, false) {
                match piece {
                    Piece::Text(t) if t == key => return Status::True,
                    Piece::Path(segs) => {
                        self.work += segs.len();
                        for seg in segs.iter() {
                            match &seg.dir {
                                Some(d) if *d == key => return Status::True,
                                Some(_) => {}
                                None => unknown = true,
                            }
                        }
                    }
                    Piece::Unknown(_) => unknown = true,
                    Piece::Text(_) => {}
                }
            }
        }
        if unknown {
            Status::Unknown
        } else {
            Status::False
        }
    }
}
