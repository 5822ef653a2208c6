//! Which files `envgate check PATH…` reads: files as given, directories walked with
//! the `ignore` crate (what `.gitignore` and `.git/info/exclude` ignore is skipped
//! unless `--no-ignore`; `.git`, `target`, `node_modules` and `vendor` always are),
//! minus `--exclude` globs. Symbolic links met in a walk are not followed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;

use crate::error::Error;

/// Directories never walked into: version control, build output, dependencies.
const SKIPPED_DIRS: &[&str] = &[".git", ".hg", ".svn", "target", "node_modules", "vendor"];

/// The name standard input is shown under.
pub const STDIN: &str = "<stdin>";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    /// A pipe named on the command line (`check <(helm template …)`): read as a
    /// stream, like standard input. A FIFO met in a walk is a `File`, and refused.
    Pipe(PathBuf),
    Stdin,
}

/// A file to check: the path it is shown under and where to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub shown: String,
    pub source: Source,
    /// The kustomization that lists this file as a patch (a partial object).
    pub patch_of: Option<String>,
}

/// `--exclude` globs, matched against a file's shown path, its path inside the
/// directory being walked, and its name (so `testdata` or `*.json` excludes at any
/// depth, and `testdata/**` whatever directory was given).
#[derive(Debug, Clone, Default)]
pub struct Excludes {
    set: GlobSet,
}

impl Excludes {
    pub fn new(patterns: &[String]) -> Result<Self, Error> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let glob = Glob::new(pattern)
                .map_err(|e| Error::Usage(format!("--exclude {pattern:?} is not a glob: {e}")))?;
            builder.add(glob);
        }
        let set = builder
            .build()
            .map_err(|e| Error::Usage(format!("--exclude: {e}")))?;
        Ok(Self { set })
    }

    pub fn matches(&self, shown: &str, relative: Option<&str>) -> bool {
        if self.set.is_empty() {
            return false;
        }
        let name = shown.rsplit('/').next().unwrap_or(shown);
        self.set.is_match(shown)
            || self.set.is_match(name)
            || relative.is_some_and(|r| self.set.is_match(r))
    }
}

/// Every file to check, sorted by shown path, each once.
pub fn discover(
    args: &[PathBuf],
    no_ignore: bool,
    excludes: &Excludes,
) -> Result<Vec<Candidate>, Error> {
    let mut found: BTreeMap<String, Source> = BTreeMap::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            found.insert(STDIN.to_string(), Source::Stdin);
            continue;
        }
        let metadata = std::fs::metadata(arg).map_err(|e| Error::BadInput {
            message: format!("cannot check {}: {e}", arg.display()),
            help: Some("give files or directories that exist (or - for standard input)".into()),
            src: None,
            span: None,
        })?;
        let shown = shown_path(arg);
        if metadata.is_dir() {
            walk(arg, &shown, no_ignore, excludes, &mut found)?;
        } else if !excludes.matches(&shown, None) {
            let source = if std::os::unix::fs::FileTypeExt::is_fifo(&metadata.file_type()) {
                Source::Pipe(arg.clone())
            } else {
                Source::File(arg.clone())
            };
            found.insert(shown, source);
        }
    }
    Ok(found
        .into_iter()
        .map(|(shown, source)| Candidate {
            shown,
            source,
            patch_of: None,
        })
        .collect())
}

fn walk(
    dir: &Path,
    shown_dir: &str,
    no_ignore: bool,
    excludes: &Excludes,
    found: &mut BTreeMap<String, Source>,
) -> Result<(), Error> {
    // The ignore crate opens each directory's ignore files with a plain open(), even
    // of a directory it then skips: a FIFO there blocks the walk forever. They are
    // checked first, in the walked directory's parents and in every directory below
    // it (a writer racing the walk can still swap one in between).
    if !no_ignore {
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let below = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref())
            })
            .flatten()
            .filter(|e| e.file_type().is_dir())
            .map(|e| e.into_path());
        let problem = absolute
            .ancestors()
            .skip(1)
            .map(Path::to_path_buf)
            .chain(below)
            .find_map(|d| ignore_file_problem(&d));
        if let Some(problem) = problem {
            return Err(ignore_file_error(problem));
        }
    }
    let filter_excludes = excludes.clone();
    let filter_root = dir.to_path_buf();
    let filter_shown = shown_dir.to_string();
    let walker = WalkBuilder::new(dir)
        .hidden(false)
        .ignore(false)
        .git_global(false)
        .git_ignore(!no_ignore)
        .git_exclude(!no_ignore)
        .parents(!no_ignore)
        .require_git(false)
        .follow_links(false)
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            let name = entry.file_name().to_string_lossy();
            if is_dir && SKIPPED_DIRS.contains(&name.as_ref()) {
                return false;
            }
            let relative = relative(&filter_root, entry.path());
            let shown = join(&filter_shown, &relative);
            !filter_excludes.matches(&shown, Some(&relative))
        })
        .build();
    // Unreadable directories and entries are passed over: what can be read is checked.
    // A FIFO, socket or device is listed, not passed over: reading refuses it, and one
    // with the name of a known kind is then a file error rather than a silent pass.
    for entry in walker.flatten() {
        if entry
            .file_type()
            .is_none_or(|t| t.is_dir() || t.is_symlink())
        {
            continue;
        }
        let shown = join(shown_dir, &relative(dir, entry.path()));
        found.insert(shown, Source::File(entry.into_path()));
    }
    Ok(())
}

/// An ignore file the walk would open in `dir` that is not a regular file (a FIFO
/// would block the open): `.gitignore`, and the `info/exclude` of the repository that
/// `dir/.git` is or points to (`gitdir: …` in a worktree's `.git` file).
fn ignore_file_problem(dir: &Path) -> Option<(PathBuf, String)> {
    let not_regular = |path: PathBuf| -> Option<(PathBuf, String)> {
        // metadata follows links, as the open would.
        let meta = std::fs::metadata(&path).ok()?;
        (!meta.is_file() && !meta.is_dir()).then(|| {
            let error = crate::regular::open(&path).err();
            let why = error.map_or_else(|| "is not a regular file".into(), |e| e.to_string());
            (path, why)
        })
    };
    if let Some(problem) = not_regular(dir.join(".gitignore")) {
        return Some(problem);
    }
    let git = dir.join(".git");
    let meta = std::fs::metadata(&git).ok()?;
    if meta.is_dir() {
        return not_regular(git.join("info/exclude"));
    }
    if !meta.is_file() {
        return not_regular(git);
    }
    let text = crate::regular::read_to_string(&git, 64 << 10).ok()?;
    let gitdir = PathBuf::from(text.lines().next()?.strip_prefix("gitdir: ")?);
    if let Some(problem) = not_regular(gitdir.join("commondir")) {
        return Some(problem);
    }
    let common = crate::regular::read_to_string(&gitdir.join("commondir"), 64 << 10).ok();
    let common = match common.as_deref().and_then(|t| t.lines().next()) {
        Some(line) if line.starts_with('.') => gitdir.join(line),
        Some(line) => PathBuf::from(line),
        None => return None,
    };
    not_regular(common.join("info/exclude"))
}

fn ignore_file_error((path, why): (PathBuf, String)) -> Error {
    Error::BadInput {
        message: format!("cannot check: {} {why}", path.display()),
        help: Some(
            "envgate reads ignore files to decide what to check: remove it, or check with --no-ignore"
                .into(),
        ),
        src: None,
        span: None,
    }
}

/// A path as the user gave it, with forward slashes and without leading `./`.
pub fn shown_path(path: &Path) -> String {
    let text = crate::escape::path(path);
    let mut text: &str = &text;
    while let Some(rest) = text.strip_prefix("./") {
        text = rest.trim_start_matches('/');
    }
    let trimmed = text.trim_end_matches('/');
    if trimmed.is_empty() {
        if text.starts_with('/') { "/" } else { "." }.to_string()
    } else {
        trimmed.to_string()
    }
}

/// `path` inside the walked directory `root`.
fn relative(root: &Path, path: &Path) -> String {
    crate::escape::path(path.strip_prefix(root).unwrap_or(path)).into_owned()
}

/// The shown path of a file at `relative` under a directory shown as `shown_root`.
fn join(shown_root: &str, relative: &str) -> String {
    match shown_root {
        "." => relative.to_string(),
        "/" => format!("/{relative}"),
        _ => format!("{shown_root}/{relative}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_paths_are_tidy() {
        assert_eq!(shown_path(Path::new("./deploy/")), "deploy");
        assert_eq!(shown_path(Path::new(".")), ".");
        assert_eq!(shown_path(Path::new("./")), ".");
        assert_eq!(shown_path(Path::new("/tmp/x/")), "/tmp/x");
        assert_eq!(shown_path(Path::new("a.yaml")), "a.yaml");
    }

    #[test]
    fn names_that_are_not_utf8_keep_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"./deploy/bad\xff\xfe.yaml");
        assert_eq!(shown_path(Path::new(name)), r"deploy/bad\xff\xfe.yaml");
        // Two names that differ only in their invalid bytes stay two names.
        let other = std::ffi::OsStr::from_bytes(b"bad\xfe\xff.yaml");
        assert_eq!(shown_path(Path::new(other)), r"bad\xfe\xff.yaml");
        // A backslash is doubled only in such a name, so it cannot forge a byte.
        let slash = std::ffi::OsStr::from_bytes(b"a\\xff\xff.yaml");
        assert_eq!(shown_path(Path::new(slash)), r"a\\xff\xff.yaml");
        assert_eq!(
            shown_path(Path::new(r"plain\name.yaml")),
            r"plain\name.yaml"
        );
    }

    #[test]
    fn walks_skip_ignored_vendored_and_excluded_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "a.yaml",
            "gen/out.yaml",
            "node_modules/x/p.json",
            "vendor/m/go.mod",
            "keep/b.json",
            "testdata/t.yaml",
            ".git/config",
            ".vscode/settings.json",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{}").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "gen/\n").unwrap();
        let names = |no_ignore, excludes: &[&str]| -> Vec<String> {
            let excludes =
                Excludes::new(&excludes.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
            discover(&[root.to_path_buf()], no_ignore, &excludes)
                .unwrap()
                .into_iter()
                .map(|c| {
                    c.shown
                        .strip_prefix(&format!("{}/", root.display()))
                        .unwrap()
                        .to_string()
                })
                .collect()
        };
        assert_eq!(
            names(false, &["testdata"]),
            vec![
                ".gitignore",
                ".vscode/settings.json",
                "a.yaml",
                "keep/b.json"
            ]
        );
        assert!(names(true, &[]).contains(&"gen/out.yaml".to_string()));
        assert_eq!(
            names(false, &["*.json", "testdata/**"]),
            vec![".gitignore", "a.yaml"]
        );
    }
}
