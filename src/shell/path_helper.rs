//! macOS's `/usr/libexec/path_helper -s`, which `/etc/zprofile` and `/etc/profile` run
//! through `eval`, modelled instead of run. Its source (Apple's shell_cmds,
//! `path_helper.c`) builds PATH from the lines of `/etc/paths`, then of each file of
//! `/etc/paths.d` in name order (strcmp), each directory once, then appends the entries
//! of the PATH it was started with that are not in it yet; `-s` prints
//! `PATH="…"; export PATH;` for sh-like shells. MANPATH (from `/etc/manpaths`) is left
//! out: nothing envgate judges reads it.

use std::path::Path;

use super::eval::Evaluator;
use crate::host::TEXT_READ_LIMIT;

const PATHS: &str = "/etc/paths";
const PATHS_D: &str = "/etc/paths.d";

impl Evaluator<'_> {
    /// What `path_helper ARGS` prints, or `None` when it cannot be known (the PATH it
    /// starts with holds an entry envgate could not evaluate, or csh syntax is asked).
    pub(super) fn path_helper_output(&mut self, args: &[&str]) -> Option<String> {
        if args != ["-s"] {
            return None;
        }
        let mut entries: Vec<String> = Vec::new();
        let mut add = |dir: &str| {
            let dir = dir.trim();
            if !dir.is_empty() && !entries.iter().any(|e| e == dir) {
                entries.push(dir.to_string());
            }
        };
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
            for line in String::from_utf8_lossy(&bytes).lines() {
                add(line);
            }
        }
        for seg in self.state.path.iter() {
            add(seg.dir.as_deref()?);
        }
        Some(format!("PATH=\"{}\"; export PATH;", entries.join(":")))
    }
}
