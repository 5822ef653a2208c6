//! The real conftest the differential tests compare with, and the files they share.

use std::path::{Path, PathBuf};

/// The directory `.ci/deps/50-conftest.sh` builds conftest and its module cache in.
pub fn cache() -> PathBuf {
    PathBuf::from(
        std::env::var("ENVGATE_CI_CACHE").unwrap_or_else(|_| "/var/cache/envgate-ci".into()),
    )
}

/// `$CONFTEST`, else the one `.ci/deps/50-conftest.sh` built; `None` when neither is.
pub fn conftest() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("CONFTEST") {
        return Some(PathBuf::from(path));
    }
    let path = cache().join("bin/conftest");
    path.is_file().then_some(path)
}

/// A number (a seed, a count) from the environment variable `name`, else `default`.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Standard error joined into one line, miette's frame (`×`, `│`) and wrapping undone,
/// so that messages compare with conftest's.
pub fn unwrapped(stderr: &[u8]) -> String {
    let stderr = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .map(|l| l.trim_start_matches([' ', '│', '×']).trim())
        .collect();
    lines.join(" ")
}
