//! What of a machine's inputs envgate could not read or evaluate whole: a startup
//! file that is a FIFO or unreadable, a `go env -w` file or environment.d file it
//! could not open, a profile past a bound of the shell model (PATH entries, value
//! length, work, nesting). The snapshot records each where it happened; the report
//! lists them together so a check whose inputs were cut short says so instead of
//! reading as a clean pass.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::shell::expand::{PATH_CUT, path_cut_note};
use crate::snapshot::{SessionNote, Snapshot};

/// One input not read or not evaluated whole.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
pub struct InputNotice {
    /// As seen on the checked host (inside the image for image mode).
    pub file: String,
    pub line: Option<usize>,
    /// What was not read or evaluated, and why.
    pub message: String,
}

impl InputNotice {
    /// Where it happened, as a finding's location (no snippet: the input was not read).
    pub fn location(&self) -> crate::report::Location {
        crate::report::Location::with_snippet(self.file.clone(), self.line, None, None)
    }

    /// The message a CI annotation carries: what a gate failed on.
    pub fn annotation(&self) -> String {
        format!("input not read whole: {}", self.message)
    }
}

/// The notices of a machine snapshot, sorted, each once.
pub fn notices(snapshot: &Snapshot) -> Vec<InputNotice> {
    let mut out = Vec::new();
    let mut add = |file: &str, line: Option<usize>, message: String| {
        out.push(InputNotice {
            file: file.to_string(),
            line,
            message,
        })
    };
    for file in &snapshot.shell.files {
        match &file.error {
            Some(error) if file.exists => add(
                &file.path,
                None,
                format!("cannot be read ({error}): nothing in it was evaluated"),
            ),
            _ if file.truncated => add(
                &file.path,
                None,
                "is longer than 1 MiB: only its first 1 MiB was evaluated".into(),
            ),
            _ => {}
        }
    }
    let goenv = &snapshot.go.goenv_file;
    if let (Some(path), Some(error)) = (&goenv.path, &goenv.error) {
        add(
            path,
            None,
            format!("cannot be read ({error}): its `go env -w` settings are unknown"),
        );
    }
    for file in &snapshot.systemd_user.environment_d {
        if let Some(error) = &file.error {
            add(
                &file.path,
                None,
                format!("cannot be read ({error}): its settings are unknown"),
            );
        }
    }
    // A Windows volume's registry: a hive not read leaves its settings unknown (the
    // user's environment, the execution policy), not absent.
    for hive in snapshot.windows.iter().flat_map(|w| &w.hives) {
        if !hive.read {
            let error = hive.error.as_deref().unwrap_or("not read");
            add(
                &hive.file,
                None,
                format!(
                    "registry hive {} cannot be read ({error}): its settings are unknown",
                    hive.hive
                ),
            );
        }
    }
    // A WSL distribution whose disk cannot be read: its wsl.conf is unknown, not absent.
    for distribution in snapshot.windows.iter().flat_map(|w| &w.wsl) {
        if let Some(error) = distribution.state.strip_prefix("unreadable: ") {
            add(
                &distribution.disk,
                None,
                format!(
                    "WSL distribution {} cannot be read ({error}): its /etc/wsl.conf is unknown",
                    distribution.name
                ),
            );
        }
    }
    // PowerShell 7's config files: one that cannot be parsed leaves its execution
    // policy unknown (and pwsh refuses to start interactively).
    for config in snapshot
        .windows
        .iter()
        .filter_map(|w| w.powershell7.as_ref())
        .flat_map(|p| &p.unreadable)
    {
        add(
            &config.file,
            config.line,
            format!(
                "cannot be read ({}): PowerShell 7's execution policy is unknown",
                config.error
            ),
        );
    }
    let sessions = &snapshot.shell.sessions;
    for session in [
        &sessions.login,
        &sessions.terminal,
        &sessions.gui,
        &sessions.editor,
    ] {
        for note in session.unknowns.iter().filter(|n| is_bound(n)) {
            add(&note.file, Some(note.line), note.what.clone());
        }
        // A PATH cut where no shell ran (an /etc/environment of thousands of entries).
        for entry in session.path.iter().filter(|e| e.raw == PATH_CUT) {
            if let Some(file) = &entry.file {
                add(file, entry.line, path_cut_note());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A note of the shell model that a bound was hit (see `shell::expand` and
/// `shell::eval`), as opposed to a line it does not evaluate by design.
fn is_bound(note: &SessionNote) -> bool {
    let what = note.what.as_str();
    what.starts_with("PATH grew past ")
        || what.starts_with("evaluation stopped: ")
        || what.starts_with("eval nested too deeply")
        || what.contains("nested too deeply)")
        || (what.contains(" longer than ") && what.ends_with(" bytes: not evaluated"))
}
