//! What the CI formats (SARIF, JUnit, GitHub annotations) share: turning a finding's
//! file into the repository-relative path that code scanning, merge-request widgets
//! and annotations link to, and the one-line "where" of a finding.

use std::path::{Component, Path, PathBuf};

use crate::report::{Location, Report};
use crate::snapshot::Mode;

/// Where the checked files are, for CI systems that want paths relative to the
/// repository they checked out.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The directory relative paths in the report are relative to (where envgate ran).
    cwd: PathBuf,
    /// The repository root: CI paths are relative to it.
    root: PathBuf,
}

impl Workspace {
    /// The current directory, and the repository root at or above it (the nearest
    /// directory holding `.git`; the current directory when there is none). CI runs
    /// `envgate check` anywhere in the checkout, but GitHub and GitLab resolve paths
    /// from the checkout's root.
    pub fn detect() -> Self {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let root = cwd
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(&cwd)
            .to_path_buf();
        Workspace { cwd, root }
    }

    /// A fixed workspace (tests, and callers that know their repository root).
    pub fn new(cwd: impl Into<PathBuf>, root: impl Into<PathBuf>) -> Self {
        Workspace {
            cwd: cwd.into(),
            root: root.into(),
        }
    }

    /// `file` as an absolute path (relative paths in the report are relative to `cwd`).
    pub fn absolute(&self, file: &str) -> PathBuf {
        normalize(&self.cwd.join(file))
    }

    /// `file` relative to the repository root with `/` separators, when it is inside
    /// the repository. Paths of an image are paths inside the image, never of the
    /// checkout, so they are never relative.
    pub fn repo_path(&self, mode: Mode, file: &str) -> Option<String> {
        if mode == Mode::Image || file == "-" {
            return None;
        }
        let absolute = self.absolute(file);
        let relative = absolute.strip_prefix(normalize(&self.root)).ok()?;
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    /// The path to show for `file`: repository-relative when inside, else as reported.
    pub fn display_path(&self, mode: Mode, file: &str) -> String {
        self.repo_path(mode, file)
            .unwrap_or_else(|| file.to_string())
    }
}

/// `.` and `..` resolved lexically: the report's paths are as the user typed them and
/// need not exist any more when the report is rendered.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `file:line:column` with what is known.
pub fn place(file: &str, location: &Location) -> String {
    match (location.line, location.column) {
        (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
        (Some(line), None) => format!("{file}:{line}"),
        _ => file.to_string(),
    }
}

/// The version of a pack the report ran, for suite names and properties.
pub fn pack_version<'a>(report: &'a Report, pack: &str) -> Option<&'a str> {
    report
        .packs
        .iter()
        .find(|p| p.name == pack)
        .map(|p| p.version.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_repository_root_only_inside_it() {
        let ws = Workspace::new("/repo/sub", "/repo");
        assert_eq!(
            ws.repo_path(Mode::Live, "k8s/a.yaml").as_deref(),
            Some("sub/k8s/a.yaml")
        );
        assert_eq!(
            ws.repo_path(Mode::Live, "./../b.yaml").as_deref(),
            Some("b.yaml")
        );
        assert_eq!(
            ws.repo_path(Mode::Live, "/repo/c/go.mod").as_deref(),
            Some("c/go.mod")
        );
        assert_eq!(ws.repo_path(Mode::Live, "/home/dev/.bashrc"), None);
        assert_eq!(ws.repo_path(Mode::Live, "/repo2/x"), None);
        assert_eq!(ws.repo_path(Mode::Image, "/repo/c/go.mod"), None);
        assert_eq!(ws.repo_path(Mode::Live, "-"), None);
    }
}
