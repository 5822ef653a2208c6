//! Whether git would ignore a file: the `.gitignore` files from its directory up to
//! the repository's top (the directory holding `.git`) and `.git/info/exclude`, the
//! deepest match deciding, as git does. The user's global excludes are left out on
//! purpose: what protects a `.env` file must be committed with the repository.

use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::GitignoreBuilder;

/// Outside a repository, the `.gitignore` files up to the file system's root count.
pub fn ignored(file: &Path) -> bool {
    let Ok(file) = std::fs::canonicalize(file) else {
        return false;
    };
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut top = None;
    for dir in file.ancestors().skip(1) {
        dirs.push(dir.to_path_buf());
        if dir.join(".git").exists() {
            top = Some(dir.to_path_buf());
            break;
        }
    }
    // Deepest first: a nearer file's rule wins.
    for dir in &dirs {
        let mut builder = GitignoreBuilder::new(dir);
        let mut files = vec![dir.join(".gitignore")];
        if top.as_deref() == Some(dir.as_path()) {
            files.push(dir.join(".git/info/exclude"));
        }
        let mut any = false;
        for path in files {
            // Read as every checked file is (a FIFO named .gitignore must not block).
            let Ok(text) = crate::regular::read_to_string(&path, 1 << 20) else {
                continue;
            };
            for line in text.lines() {
                any |= builder.add_line(Some(path.clone()), line).is_ok();
            }
        }
        if !any {
            continue;
        }
        let Ok(matcher) = builder.build() else {
            continue;
        };
        match matcher.matched_path_or_any_parents(&file, false) {
            Match::Ignore(_) => return true,
            Match::Whitelist(_) => return false,
            Match::None => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_gitignore_decides() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("svc")).unwrap();
        std::fs::write(root.join(".gitignore"), ".env\n").unwrap();
        std::fs::write(root.join("svc/.gitignore"), "!.env\n").unwrap();
        for f in [".env", "svc/.env", ".env.local"] {
            std::fs::write(root.join(f), "A=1\n").unwrap();
        }
        assert!(ignored(&root.join(".env")));
        assert!(!ignored(&root.join("svc/.env")));
        assert!(!ignored(&root.join(".env.local")));
    }
}
