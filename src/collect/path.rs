//! PATH: every entry with what it is, and which programs of interest it holds; and,
//! for every session, which file a lookup of each `go install`ed program's name reaches.

use std::collections::BTreeMap;
use std::path::Path;

use crate::host::Host;
use crate::snapshot::{
    FoundProgram, Mode, PathEntry, PathInfo, ResolvedProgram, Sessions, ToolLookup, ToolsDir,
};

/// Programs whose presence and order on PATH the Go checks care about.
pub const PROGRAMS_OF_INTEREST: &[&str] = &[
    "cc",
    "clang",
    "dlv",
    "gcc",
    "go",
    "go.exe",
    "gofmt",
    "gopls",
    "pkg-config",
    "pkgconf",
];

pub fn collect(host: &dyn Host, path_var: Option<&str>) -> PathInfo {
    let Some(raw) = path_var else {
        return PathInfo {
            raw: None,
            entries: Vec::new(),
            resolved: BTreeMap::new(),
        };
    };
    let entries: Vec<PathEntry> = raw
        .split(':')
        .enumerate()
        .map(|(index, text)| describe_entry(host, index, text))
        .collect();
    let resolved = resolve_programs(host, &entries, PROGRAMS_OF_INTEREST, |dir, program| {
        format!("{}/{}", dir.trim_end_matches('/'), program)
    });
    PathInfo {
        raw: Some(raw.to_string()),
        entries,
        resolved,
    }
}

/// Where each of `programs` is found first on PATH: the first entry holding it, the
/// path `file_in(entry, program)` names there, and that path with links resolved.
/// Shared by the Unix PATH and the Windows one (`go.exe`, backslashes).
pub(crate) fn resolve_programs(
    host: &dyn Host,
    entries: &[PathEntry],
    programs: &[&str],
    file_in: impl Fn(&str, &str) -> String,
) -> BTreeMap<String, ResolvedProgram> {
    let mut resolved = BTreeMap::new();
    for program in programs {
        let winner = entries
            .iter()
            .find(|e| e.programs.iter().any(|p| p == program));
        if let Some(entry) = winner {
            let path = file_in(&entry.raw, program);
            let realpath = host
                .canonicalize(Path::new(&path))
                .ok()
                .map(|p| p.display().to_string());
            resolved.insert(
                program.to_string(),
                ResolvedProgram {
                    index: entry.index,
                    path,
                    realpath,
                },
            );
        }
    }
    resolved
}

fn describe_entry(host: &dyn Host, index: usize, text: &str) -> PathEntry {
    let empty = text.is_empty();
    let relative = !empty && !text.starts_with('/');
    // Relative and empty entries depend on the working directory of whoever looks the
    // program up; they are reported as such and not resolved here.
    let meta = if empty || relative {
        None
    } else {
        host.metadata(Path::new(text)).ok()
    };
    let is_dir = meta.is_some_and(|m| m.is_dir);
    let programs = if is_dir {
        PROGRAMS_OF_INTEREST
            .iter()
            .filter(|name| {
                host.metadata(&Path::new(text).join(name))
                    .is_ok_and(|m| m.is_executable_file())
            })
            .map(|name| name.to_string())
            .collect()
    } else {
        Vec::new()
    };
    PathEntry {
        index,
        raw: text.to_string(),
        empty,
        relative,
        tilde: text.starts_with('~'),
        exists: meta.is_some(),
        is_dir,
        owner_uid: meta.map(|m| m.uid),
        mode: meta.map(|m| m.mode),
        world_writable: meta.is_some_and(|m| m.is_world_writable_without_sticky()),
        programs,
    }
}

/// The session name of this process's own PATH in `ToolLookup::session` (live only).
pub const PROCESS_SESSION: &str = "process";

/// One session's PATH for lookups: each entry's directory, `None` when it could not be
/// evaluated.
type SessionDirs = Vec<Option<String>>;

/// The PATH of every session the snapshot has, by name. The sessions are read through
/// their serialized form so that whatever set of sessions `Sessions` holds (and however
/// it names them) is covered without this module knowing their names.
fn session_dirs(sessions: &Sessions) -> BTreeMap<String, SessionDirs> {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(sessions) else {
        return BTreeMap::new();
    };
    map.into_iter()
        .filter_map(|(name, session)| {
            let entries = session.get("path")?.as_array()?.clone();
            let dirs = entries
                .iter()
                .map(|e| e.get("dir").and_then(|d| d.as_str()).map(str::to_string))
                .collect();
            Some((name, dirs))
        })
        .collect()
}

/// For each session and each program of the `go install` directory, where a PATH
/// lookup of its name lands (see `ToolLookup`). Live, this process's PATH is one more
/// session (`process`); for an image that PATH is the terminal session's, already there.
pub fn tool_lookups(
    host: &dyn Host,
    tools_dir: &ToolsDir,
    sessions: &Sessions,
    process: &PathInfo,
) -> Vec<ToolLookup> {
    if !tools_dir.exists || tools_dir.programs.is_empty() {
        return Vec::new();
    }
    let mut all = session_dirs(sessions);
    if host.mode() == Mode::Live {
        let dirs = process
            .entries
            .iter()
            .map(|e| (!e.empty && !e.relative).then(|| e.raw.clone()))
            .collect();
        all.insert(PROCESS_SESSION.to_string(), dirs);
    }
    let tools = tools_dir.path.trim_end_matches('/');
    let mut executable: BTreeMap<String, bool> = BTreeMap::new();
    let mut is_executable = |file: &str| {
        *executable.entry(file.to_string()).or_insert_with(|| {
            host.metadata(Path::new(file))
                .is_ok_and(|m| m.is_executable_file())
        })
    };
    let mut lookups = Vec::new();
    for (session, dirs) in &all {
        for program in &tools_dir.programs {
            let mut unknown_before = false;
            let mut found = None;
            for (index, dir) in dirs.iter().enumerate() {
                let Some(dir) = dir.as_deref().filter(|d| d.starts_with('/')) else {
                    unknown_before = true;
                    continue;
                };
                let file = format!("{}/{program}", dir.trim_end_matches('/'));
                if is_executable(&file) {
                    found = Some(FoundProgram {
                        index,
                        dir: dir.to_string(),
                        realpath: canonical(host, &file),
                    });
                    break;
                }
            }
            let own = canonical(host, &format!("{tools}/{program}"));
            let from_tools_dir = found.as_ref().is_some_and(|f| {
                f.dir.trim_end_matches('/') == tools || (f.realpath.is_some() && f.realpath == own)
            });
            lookups.push(ToolLookup {
                session: session.clone(),
                program: program.clone(),
                found,
                from_tools_dir,
                unknown_before,
            });
        }
    }
    lookups
}

fn canonical(host: &dyn Host, file: &str) -> Option<String> {
    host.canonicalize(Path::new(file))
        .ok()
        .map(|p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::host::ImageHost;
    use crate::snapshot::{Session, SessionPathEntry};

    fn session(dirs: &[Option<&str>]) -> Session {
        Session {
            path: dirs
                .iter()
                .map(|d| SessionPathEntry {
                    dir: d.map(str::to_string),
                    raw: d.unwrap_or("$(brew --prefix)/bin").to_string(),
                    source: "shell".into(),
                    file: None,
                    line: None,
                    assumed: false,
                    programs: Vec::new(),
                    dir_facts: None,
                })
                .collect(),
            ..Session::default()
        }
    }

    /// (session, program, dir found, from the tools dir, unknown entry before).
    type Summary = (String, String, Option<String>, bool, bool);

    #[test]
    fn each_session_resolves_each_tool_and_says_whose_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let put = |path: &str| {
            let target = dir.path().join(path.trim_start_matches('/'));
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, b"\x7fELF").unwrap();
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        put("/home/dev/go/bin/gopls");
        put("/home/dev/go/bin/dlv");
        put("/usr/bin/gopls");
        // Not executable: a lookup passes over it.
        std::fs::write(dir.path().join("usr/bin/dlv"), b"").unwrap();
        // Another name for the tools directory.
        std::os::unix::fs::symlink("go/bin", dir.path().join("home/dev/gobin")).unwrap();
        let host = ImageHost::new(dir.path()).unwrap();
        let tools = ToolsDir {
            path: "/home/dev/go/bin/".into(),
            source: "GOPATH".into(),
            exists: true,
            programs: vec!["dlv".into(), "gopls".into()],
            lookups: Vec::new(),
        };
        let sessions = Sessions {
            login: session(&[Some("/usr/bin"), Some("/home/dev/go/bin")]),
            terminal: session(&[None, Some("/home/dev/gobin"), Some("/usr/bin")]),
            gui: session(&[Some("/usr/bin")]),
            editor: session(&[Some("/usr/bin")]),
        };
        let process = collect(&host, Some("/home/dev/go/bin"));
        let lookups = tool_lookups(&host, &tools, &sessions, &process);
        let summary: Vec<Summary> = lookups
            .iter()
            .map(|l| {
                (
                    l.session.clone(),
                    l.program.clone(),
                    l.found.as_ref().map(|f| f.dir.clone()),
                    l.from_tools_dir,
                    l.unknown_before,
                )
            })
            .collect();
        let row = |s: &str, p: &str, d: Option<&str>, own: bool, unknown: bool| -> Summary {
            (s.into(), p.into(), d.map(str::to_string), own, unknown)
        };
        assert_eq!(
            summary,
            [
                row("editor", "dlv", None, false, false),
                row("editor", "gopls", Some("/usr/bin"), false, false),
                row("gui", "dlv", None, false, false),
                row("gui", "gopls", Some("/usr/bin"), false, false),
                row("login", "dlv", Some("/home/dev/go/bin"), true, false),
                row("login", "gopls", Some("/usr/bin"), false, false),
                // Through the symlink: the same file, so the tools dir's own.
                row("terminal", "dlv", Some("/home/dev/gobin"), true, true),
                row("terminal", "gopls", Some("/home/dev/gobin"), true, true),
            ],
            "an image has no `process` session: its PATH is the terminal's"
        );
    }

    #[test]
    fn nothing_to_look_up_without_programs() {
        let dir = tempfile::tempdir().unwrap();
        let host = ImageHost::new(dir.path()).unwrap();
        let tools = ToolsDir {
            path: "/home/dev/go/bin".into(),
            source: "GOPATH".into(),
            exists: false,
            programs: Vec::new(),
            lookups: Vec::new(),
        };
        let process = collect(&host, Some("/usr/bin"));
        assert!(tool_lookups(&host, &tools, &Sessions::default(), &process).is_empty());
    }
}
