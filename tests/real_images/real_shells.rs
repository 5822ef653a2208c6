//! GO013's printed lines run in the real shells that would read them: after the line
//! (pasted twice), `command -v gopls` finds the `go install`ed gopls, not the one of an
//! earlier PATH entry, and running the lines again leaves PATH as it was.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The shells that read a file GO013 names: fish for `*.fish`, zsh for zsh's files,
/// else every POSIX shell that may read `~/.profile` (bash for logins, dash for the
/// desktop session on Debian).
pub fn shells_for(file: &str) -> &'static [&'static str] {
    if file.ends_with(".fish") {
        &["fish"]
    } else if [".zprofile", ".zshrc", ".zshenv", ".zlogin"]
        .iter()
        .any(|f| file.ends_with(f))
    {
        &["zsh"]
    } else {
        &["bash", "dash"]
    }
}

fn find(shell: &str) -> Option<PathBuf> {
    ["/usr/bin", "/bin"]
        .iter()
        .map(|d| Path::new(d).join(shell))
        .find(|p| p.is_file())
}

fn executable(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, b"#!/bin/sh\n").unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Runs `line` (written for the tools directory `dir`) twice in `shell` on this
/// machine, with `dir` replaced by a temp directory holding a gopls. When `shadowed`,
/// PATH starts with another directory's gopls first and the tools directory last (the
/// line must put it first, and running it again must leave PATH alone); else without
/// the tools directory (the line must add it).
/// Returns false (after printing why) when the shell is not installed.
pub fn line_makes_tools_found(shell: &str, line: &str, dir: &str, shadowed: bool) -> bool {
    let Some(program) = find(shell) else {
        eprintln!("skipped: {shell} is not installed, so GO013's line for it was not run in it");
        return false;
    };
    let temp = tempfile::tempdir().unwrap();
    let tools = temp.path().join("go/bin");
    let shadow = temp.path().join("usr/bin");
    executable(&tools.join("gopls"));
    executable(&shadow.join("gopls"));
    let line = line.replace(dir, &tools.display().to_string());
    let show_path = if shell == "fish" {
        "string join : $PATH"
    } else {
        "printf '%s' \"$PATH\""
    };
    let run = |path: &str, script: &str| {
        let output = Command::new(&program)
            .env_clear()
            .env("HOME", temp.path())
            .env("PATH", path)
            .arg("-c")
            .arg(script)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{shell} -c {script:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        // fish's `string join` ends its output with a newline; the sh lines do not.
        String::from_utf8(output.stdout)
            .unwrap()
            .trim_end_matches('\n')
            .to_string()
    };
    let before = if shadowed {
        format!("{}:/usr/bin:/bin:{}", shadow.display(), tools.display())
    } else {
        "/usr/bin:/bin".to_string()
    };
    let after = run(&before, &format!("{line}\n{line}\n{show_path}"));
    let found = run(&after, "command -v gopls");
    assert_eq!(
        found.trim(),
        tools.join("gopls").display().to_string(),
        "{shell} after {line:?} twice: PATH={after}"
    );
    if shadowed {
        // The guarded line changes nothing once the directory is first (a nested shell
        // reading the file again, or a second paste). The plain append for a directory
        // nothing shadows may repeat the entry, which changes no lookup.
        let again = run(&after, &format!("{line}\n{show_path}"));
        assert_eq!(again, after, "{shell}: running {line:?} again changed PATH");
    }
    true
}
