//! PATH: every entry with what it is, and which programs of interest it holds.

use std::collections::BTreeMap;
use std::path::Path;

use crate::host::Host;
use crate::snapshot::{PathEntry, PathInfo, ResolvedProgram};

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
    let mut resolved = BTreeMap::new();
    for program in PROGRAMS_OF_INTEREST {
        let winner = entries
            .iter()
            .find(|e| e.programs.iter().any(|p| p == program));
        if let Some(entry) = winner {
            let path = format!("{}/{}", entry.raw.trim_end_matches('/'), program);
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
    PathInfo {
        raw: Some(raw.to_string()),
        entries,
        resolved,
    }
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
