//! The Go module or workspace being checked: the go.mod and go.work that cmd/go would
//! use from the checked directory (the nearest ones at or above it).

use std::path::{Path, PathBuf};

use crate::gomod;
use crate::host::Host;
use crate::snapshot::{GoModFile, Workspace};

pub fn collect(host: &dyn Host, dir: Option<&Path>) -> Workspace {
    let Some(dir) = dir else {
        return Workspace {
            dir: None,
            go_mod: None,
            go_work: None,
        };
    };
    Workspace {
        dir: Some(dir.display().to_string()),
        go_mod: find_upwards(host, dir, "go.mod"),
        go_work: find_upwards(host, dir, "go.work"),
    }
}

fn find_upwards(host: &dyn Host, dir: &Path, name: &str) -> Option<GoModFile> {
    let mut current: Option<PathBuf> = Some(dir.to_path_buf());
    while let Some(candidate_dir) = current {
        let candidate = candidate_dir.join(name);
        if host.metadata(&candidate).is_ok_and(|m| m.is_file) {
            let text = host.read_text(&candidate).ok()?;
            return Some(gomod::parse(&candidate.display().to_string(), &text));
        }
        current = candidate_dir.parent().map(Path::to_path_buf);
    }
    None
}
