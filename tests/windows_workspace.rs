//! The project checked on a Windows volume (`check --root win C:\Users\dev\src\viewer`):
//! its go.mod and go.work found as cmd/go finds them on Windows, climbing `\` paths up
//! to the drive's root and never above it, and named the Windows way in findings
//! (`C:\Users\dev\src\viewer\go.mod:5`). GO043 is the go.mod rule judged: MSYS2's gcc
//! on the user's Path without pkg-config, and a module that needs it. Hives are built at
//! test time (tests/windows_volume); without hivexregedit the tests skip.

mod windows_volume;

use std::path::Path;

use serde_json::Value;
use windows_volume::{
    GTK_MODULE, PATH_WITH_MSYS2, check, envgate, hivex_missing, msys2_gcc, row, user_env, volume,
    write,
};

/// GO043's message for GTK_MODULE's require, as a Windows volume gets it.
const GO043_MESSAGE: &str = r#"go.mod requires github.com/gotk3/gotk3, whose cgo code runs pkg-config (for glib-2.0, gtk+-3.0), but pkg-config is not installed or not on Path: the build fails with `exec: "pkg-config": executable file not found in %PATH%`"#;

/// A volume where a go.mod requiring gotk3 trips GO043 (gcc, no pkg-config).
fn cgo_volume(dir: &Path) -> std::path::PathBuf {
    let root = volume(dir);
    user_env(&root, PATH_WITH_MSYS2);
    msys2_gcc(&root);
    root
}

fn snapshot(dir: &Path, workspace: &str) -> Value {
    let out = envgate(&["snapshot", "--root", "win", workspace], dir);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn go_mod_windows_trigger_found_by_climbing_from_a_subdirectory() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = cgo_volume(dir.path());
    write(&root, "Users/dev/src/viewer/go.mod", GTK_MODULE.as_bytes());
    write(
        &root,
        "Users/dev/src/viewer/cmd/viewer/main.go",
        b"package main\n",
    );
    // Spelled with `/` as a WSL or Git Bash user may type it: the same directory.
    for project in [
        r"C:\Users\dev\src\viewer\cmd\viewer",
        "C:/Users/dev/src/viewer/cmd/viewer/",
    ] {
        assert_eq!(
            check(dir.path(), Some(project)),
            [row(
                "GO043",
                r"C:\Users\dev\src\viewer\go.mod:5",
                GO043_MESSAGE
            )],
            "{project}"
        );
    }
    let snapshot = snapshot(dir.path(), r"C:\Users\dev\src\viewer\cmd\viewer");
    let workspace = &snapshot["workspace"];
    assert_eq!(workspace["dir"], r"C:\Users\dev\src\viewer\cmd\viewer");
    assert_eq!(
        workspace["go_mod"]["file"],
        r"C:\Users\dev\src\viewer\go.mod"
    );
    assert_eq!(
        workspace["vendor"]["dir"],
        r"C:\Users\dev\src\viewer\vendor"
    );
    assert_eq!(
        workspace["module_paths"][0]["file"],
        r"C:\Users\dev\src\viewer\go.mod"
    );
    assert_eq!(
        snapshot["go"]["env"]["GOMOD"]["value"],
        r"C:\Users\dev\src\viewer\go.mod"
    );
}

#[test]
fn go_mod_windows_trigger_the_climb_reaches_the_drive_root() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = cgo_volume(dir.path());
    write(&root, "go.mod", GTK_MODULE.as_bytes());
    write(&root, "Users/dev/src/viewer/main.go", b"package main\n");
    assert_eq!(
        check(dir.path(), Some(r"C:\Users\dev\src\viewer")),
        [row("GO043", r"C:\go.mod:5", GO043_MESSAGE)]
    );
}

#[test]
fn go_mod_windows_clean_nothing_above_the_volume_is_searched() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = cgo_volume(dir.path());
    // Beside the volume's directory on the host, and its parent: not on drive C:.
    write(dir.path(), "go.mod", GTK_MODULE.as_bytes());
    write(dir.path(), "go.work", b"go 1.26\n\nuse ./win\n");
    write(&root, "Users/dev/src/viewer/main.go", b"package main\n");
    for project in [r"C:\Users\dev\src\viewer", r"C:\..\..\Users\dev\src\viewer"] {
        assert_eq!(check(dir.path(), Some(project)), [], "{project}");
    }
    let snapshot = snapshot(dir.path(), r"C:\Users\dev\src\viewer");
    let workspace = &snapshot["workspace"];
    assert_eq!(workspace["go_mod"], Value::Null, "{workspace:#}");
    assert_eq!(workspace["go_work"], Value::Null, "{workspace:#}");
    // Outside a module, cmd/go on Windows reports GOMOD as the null device, NUL.
    assert_eq!(snapshot["go"]["env"]["GOMOD"]["value"], "NUL");
}

#[test]
fn go_work_windows_uses_and_gowork_are_windows_paths() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    write(
        &root,
        "Users/dev/ws/go.work",
        b"go 1.26\n\nuse (\n\t./api\n\t.\\lib\n\t..\\other\n)\n",
    );
    write(
        &root,
        "Users/dev/ws/api/go.mod",
        b"module example.com/api\n",
    );
    write(
        &root,
        "Users/dev/ws/lib/go.mod",
        b"module example.com/lib\n",
    );
    write(&root, "Users/dev/ws/api/cmd/main.go", b"package main\n");
    let snapshot = snapshot(dir.path(), r"C:\Users\dev\ws\api\cmd");
    let workspace = &snapshot["workspace"];
    assert_eq!(workspace["go_work"]["file"], r"C:\Users\dev\ws\go.work");
    assert_eq!(workspace["go_mod"]["file"], r"C:\Users\dev\ws\api\go.mod");
    let uses: Vec<(&str, bool)> = workspace["work_uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["dir"].as_str().unwrap(), u["has_go_mod"] == true))
        .collect();
    assert_eq!(
        uses,
        [
            (r"C:\Users\dev\ws\api", true),
            (r"C:\Users\dev\ws\lib", true),
            (r"C:\Users\dev\other", false),
        ]
    );
    // GOWORK set in the registry to a Windows path names the file instead of the search.
    write(&root, "Users/dev/shared/go.work", b"go 1.26\n\nuse ./m\n");
    user_env(&root, r#""GOWORK"="C:\\Users\\dev\\shared\\go.work""#);
    let snapshot = self::snapshot(dir.path(), r"C:\Users\dev\ws\api\cmd");
    assert_eq!(
        snapshot["workspace"]["go_work"]["file"],
        r"C:\Users\dev\shared\go.work"
    );
    assert_eq!(
        snapshot["workspace"]["work_uses"][0]["dir"],
        r"C:\Users\dev\shared\m"
    );
}

#[test]
fn nested_modules_windows_are_named_with_backslashes() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    write(
        &root,
        "Users/dev/src/repo/api/go.mod",
        b"module example.com/api\n",
    );
    write(
        &root,
        "Users/dev/src/repo/services/billing/go.mod",
        b"module example.com/billing\n",
    );
    let snapshot = snapshot(dir.path(), r"C:\Users\dev\src\repo");
    assert_eq!(
        snapshot["workspace"]["nested_modules"],
        serde_json::json!([
            r"C:\Users\dev\src\repo\api\go.mod",
            r"C:\Users\dev\src\repo\services\billing\go.mod"
        ])
    );
}

#[test]
fn vscode_workspace_settings_windows_found_above_the_checked_directory() {
    if hivex_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = volume(dir.path());
    write(
        &root,
        "Users/dev/src/viewer/.vscode/settings.json",
        b"{\n  \"go.useLanguageServer\": true\n}\n",
    );
    write(
        &root,
        "Users/dev/src/viewer/cmd/viewer/main.go",
        b"package main\n",
    );
    let snapshot = snapshot(dir.path(), r"C:\Users\dev\src\viewer\cmd\viewer");
    let workspace: Vec<&Value> = snapshot["editor"]["settings_files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["scope"] == "workspace")
        .collect();
    assert_eq!(workspace.len(), 1, "{:#}", snapshot["editor"]);
    assert_eq!(
        workspace[0]["path"],
        r"C:\Users\dev\src\viewer\.vscode\settings.json"
    );
}
