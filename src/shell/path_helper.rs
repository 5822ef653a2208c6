//! macOS's `/usr/libexec/path_helper -s`, which `/etc/zprofile` and `/etc/profile` run
//! through `eval`, modelled instead of run. Its source (Apple's shell_cmds,
//! `path_helper.c`) builds PATH from the lines of `/etc/paths`, then of each file of
//! `/etc/paths.d` in name order (strcmp), each directory once, then appends the entries
//! of the PATH it was started with that are not in it yet; `-s` prints
//! `PATH="…"; export PATH;` for sh-like shells. MANPATH (from `/etc/manpaths`) is left
//! out: nothing envgate judges reads it.
//!
//! `eval` of its output (the form macOS's files use) sets PATH directly, each entry
//! with the line of `/etc/paths` or `/etc/paths.d/…` that lists it, so a finding points
//! at the installer's `/etc/paths.d/go` rather than at the `eval`.

use std::path::Path;
use std::rc::Rc;

use super::eval::{Evaluator, Status, Stop};
use super::expand::{PathSeg, SegSource};
use crate::host::TEXT_READ_LIMIT;
use crate::snapshot::Origin;

const PROGRAM: &str = "/usr/libexec/path_helper";
const PATHS: &str = "/etc/paths";
const PATHS_D: &str = "/etc/paths.d";

/// Whether the words of an `eval` are path_helper's output, as macOS writes it:
/// `` eval `/usr/libexec/path_helper -s` `` or `eval "$(/usr/libexec/path_helper -s)"`.
pub(super) fn is_eval_of_path_helper(raw: &str) -> bool {
    let raw = raw.trim().trim_matches('"');
    let inner = raw
        .strip_prefix('`')
        .and_then(|r| r.strip_suffix('`'))
        .or_else(|| raw.strip_prefix("$(").and_then(|r| r.strip_suffix(')')));
    inner.is_some_and(|inner| inner.split_whitespace().collect::<Vec<_>>() == [PROGRAM, "-s"])
}

impl Evaluator<'_> {
    /// The PATH path_helper builds from the one the shell has, each entry with its
    /// origin; `None` when that PATH holds an entry envgate could not evaluate.
    fn path_helper_path(&mut self) -> Option<Vec<PathSeg>> {
        let mut path: Vec<PathSeg> = Vec::new();
        let mut files = vec![Path::new(PATHS).to_path_buf()];
        files.extend(
            self.host
                .dir_entries(Path::new(PATHS_D))
                .unwrap_or_default()
                .into_iter()
                .filter(|entry| entry.utf8)
                .map(|entry| entry.path),
        );
        for file in files {
            let Ok(bytes) = self.host.read_limited(&file, TEXT_READ_LIMIT) else {
                continue;
            };
            self.work += bytes.len() / 64;
            for (index, line) in String::from_utf8_lossy(&bytes).lines().enumerate() {
                let dir = line.trim();
                if dir.is_empty() || path.iter().any(|s| s.dir.as_deref() == Some(dir)) {
                    continue;
                }
                let origin = Origin {
                    file: file.display().to_string(),
                    line: index + 1,
                };
                path.push(PathSeg::known(dir, Some(origin), SegSource::Shell));
            }
        }
        for seg in self.state.path.iter() {
            let dir = seg.dir.as_deref()?;
            if !path.iter().any(|s| s.dir.as_deref() == Some(dir)) {
                path.push(seg.clone());
            }
        }
        Some(path)
    }

    /// What `path_helper ARGS` prints, or `None` when it cannot be known (csh syntax
    /// asked, or a PATH entry envgate could not evaluate).
    pub(super) fn path_helper_output(&mut self, args: &[&str]) -> Option<String> {
        if args != ["-s"] {
            return None;
        }
        let dirs: Vec<String> = self
            .path_helper_path()?
            .into_iter()
            .filter_map(|seg| seg.dir)
            .collect();
        Some(format!("PATH=\"{}\"; export PATH;", dirs.join(":")))
    }

    /// `eval` of path_helper's output at `line`: PATH set, and exported.
    pub(super) fn eval_path_helper(&mut self, line: usize) -> Result<Status, Stop> {
        // Not there: "command not found" on standard error, and `eval ""` changes nothing.
        if !self.is_executable_file(PROGRAM) {
            return Ok(Status::True);
        }
        let Some(path) = self.path_helper_path() else {
            self.note(line, "`eval` of path_helper not evaluated: PATH holds an entry envgate could not evaluate");
            return Ok(Status::Unknown);
        };
        self.state.path = Rc::new(path);
        self.state.path_origin = Some(self.origin(line));
        self.settle_path(line);
        Ok(Status::True)
    }
}

#[cfg(test)]
mod tests {
    use super::is_eval_of_path_helper;

    #[test]
    fn recognises_the_forms_macos_files_use() {
        assert!(is_eval_of_path_helper("`/usr/libexec/path_helper -s`"));
        assert!(is_eval_of_path_helper("\"$(/usr/libexec/path_helper -s)\""));
        assert!(!is_eval_of_path_helper("`/usr/libexec/path_helper -c`"));
        assert!(!is_eval_of_path_helper("`other -s`"));
    }
}
