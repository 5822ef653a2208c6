//! `[ … ]`, `test …` and `[[ … ]]` with three outcomes (true, false, unknown): string
//! and number comparisons, patterns, and file tests asked of the Host; and `command -v`
//! lookups on the PATH built so far.

use std::path::Path;

use super::ast::Word;
use super::eval::{Evaluator, Status};

impl Evaluator<'_> {
    /// `[ … ]`, `test …` and `[[ … ]]`.
    pub(super) fn eval_test(&mut self, args: &[Word], double: bool) -> Status {
        let mut pos = 0;
        let status = self.test_or(args, &mut pos, double);
        if pos < args.len() {
            return Status::Unknown;
        }
        status
    }

    fn test_or(&mut self, args: &[Word], pos: &mut usize, double: bool) -> Status {
        let mut status = self.test_and(args, pos, double);
        while let Some(op) = args.get(*pos).and_then(Word::bare) {
            if op != "-o" && op != "||" {
                break;
            }
            *pos += 1;
            let right = self.test_and(args, pos, double);
            status = match (status, right) {
                (Status::True, _) | (_, Status::True) => Status::True,
                (Status::False, Status::False) => Status::False,
                _ => Status::Unknown,
            };
        }
        status
    }

    fn test_and(&mut self, args: &[Word], pos: &mut usize, double: bool) -> Status {
        let mut status = self.test_not(args, pos, double);
        while let Some(op) = args.get(*pos).and_then(Word::bare) {
            if op != "-a" && op != "&&" {
                break;
            }
            *pos += 1;
            let right = self.test_not(args, pos, double);
            status = match (status, right) {
                (Status::False, _) | (_, Status::False) => Status::False,
                (Status::True, Status::True) => Status::True,
                _ => Status::Unknown,
            };
        }
        status
    }

    fn test_not(&mut self, args: &[Word], pos: &mut usize, double: bool) -> Status {
        if args.get(*pos).and_then(Word::bare) == Some("!") && args.len() > *pos + 1 {
            *pos += 1;
            return self.test_not(args, pos, double).not();
        }
        self.test_primary(args, pos, double)
    }

    fn test_primary(&mut self, args: &[Word], pos: &mut usize, double: bool) -> Status {
        let Some(first) = args.get(*pos) else {
            return Status::False;
        };
        if first.bare() == Some("(") {
            *pos += 1;
            let status = self.test_or(args, pos, double);
            if args.get(*pos).and_then(Word::bare) == Some(")") {
                *pos += 1;
            }
            return status;
        }
        const BINARY: &[&str] = &[
            "=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "=~", "<", ">", "-nt",
            "-ot", "-ef",
        ];
        if let Some(op) = args.get(*pos + 1).and_then(Word::bare)
            && BINARY.contains(&op)
            && args.len() > *pos + 2
        {
            let (left, right) = (&args[*pos], &args[*pos + 2]);
            *pos += 3;
            return self.test_binary(left, op, right, double);
        }
        if let Some(op) = first.bare().filter(|o| o.len() == 2 && o.starts_with('-'))
            && let Some(operand) = args.get(*pos + 1)
        {
            *pos += 2;
            return self.test_unary(op, operand);
        }
        *pos += 1;
        match self.word_text(first) {
            Some(text) => Status::from_bool(!text.is_empty()),
            None => Status::Unknown,
        }
    }

    fn test_binary(&mut self, left: &Word, op: &str, right: &Word, double: bool) -> Status {
        let Some(l) = self.word_text(left) else {
            return Status::Unknown;
        };
        match op {
            "=" | "==" | "!=" => {
                let equal = if double {
                    self.pattern_matches(right, &l)
                } else {
                    self.word_text(right).map(|r| r == l)
                };
                match equal {
                    Some(eq) => Status::from_bool(eq == (op != "!=")),
                    None => Status::Unknown,
                }
            }
            "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" => {
                let r = self.word_text(right);
                let (Ok(a), Some(Ok(b))) =
                    (l.trim().parse::<i64>(), r.map(|r| r.trim().parse::<i64>()))
                else {
                    return Status::Unknown;
                };
                Status::from_bool(match op {
                    "-eq" => a == b,
                    "-ne" => a != b,
                    "-lt" => a < b,
                    "-le" => a <= b,
                    "-gt" => a > b,
                    _ => a >= b,
                })
            }
            _ => Status::Unknown,
        }
    }

    fn test_unary(&mut self, op: &str, operand: &Word) -> Status {
        let Some(text) = self.word_text(operand) else {
            return Status::Unknown;
        };
        match op {
            "-n" => return Status::from_bool(!text.is_empty()),
            "-z" => return Status::from_bool(text.is_empty()),
            "-o" => {
                return match text.as_str() {
                    "login" => Status::from_bool(self.spec.login),
                    "interactive" => Status::from_bool(self.spec.interactive),
                    _ => Status::Unknown,
                };
            }
            "-v" => {
                return Status::from_bool(self.state.vars.contains_key(&text) || text == "PATH");
            }
            _ => {}
        }
        // File tests need an absolute path: a relative one depends on the directory.
        if !text.starts_with('/') {
            return Status::Unknown;
        }
        // A glob over a directory shows a name that is not UTF-8 escaped; test the file.
        let real = crate::host::real_path(self.host, Path::new(&text));
        let path = real.as_path();
        let meta = self.host.metadata(path).ok();
        Status::from_bool(match op {
            "-e" | "-a" | "-r" | "-w" => meta.is_some(),
            "-d" => meta.is_some_and(|m| m.is_dir),
            "-f" => meta.is_some_and(|m| m.is_file),
            "-s" => meta.is_some_and(|m| m.size > 0),
            "-x" => meta.is_some_and(|m| m.mode & 0o111 != 0),
            "-L" | "-h" => self.host.symlink_metadata(path).is_ok_and(|m| m.is_symlink),
            _ => return Status::Unknown,
        })
    }

    /// `command -v NAME`: a function, a builtin, or an executable on the PATH so far.
    pub(super) fn lookup_command(&mut self, name: &str) -> Status {
        const BUILTINS: &[&str] = &[
            "cd", "echo", "export", "source", ".", "alias", "type", "command", "eval", "set",
            "shopt", "test", "[", "printf", "read", "unset", "local", "declare", "typeset",
        ];
        if BUILTINS.contains(&name) && !self.spec.lacks(name) {
            return Status::True;
        }
        if name.contains('/') {
            return Status::from_bool(self.is_executable(name));
        }
        let mut unknown = false;
        self.work += self.state.path.len() * super::limits::SCAN_COST;
        for seg in std::rc::Rc::clone(&self.state.path).iter() {
            match seg.dir.as_deref() {
                Some(dir) if dir.starts_with('/') => {
                    if self.is_executable(&format!("{}/{name}", dir.trim_end_matches('/'))) {
                        return Status::True;
                    }
                }
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown {
            Status::Unknown
        } else {
            Status::False
        }
    }

    fn is_executable(&self, path: &str) -> bool {
        self.host
            .metadata(Path::new(path))
            .is_ok_and(|m| m.is_executable_file())
    }
}
