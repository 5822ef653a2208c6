//! The committed examples stay true: `examples/broken-home` is the README's sample
//! image, materialized from `tests/scenarios/broken-home.yaml`, and the report shown
//! in the README is what envgate prints for it.
//! Refresh after changing the scenario or the output: `ENVGATE_BLESS=1 cargo test --test examples`.

mod support;

use std::path::Path;

use assert_cmd::Command;

fn tree(root: &Path) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path() != root)
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            let what = if e.path_is_symlink() {
                format!("-> {}", std::fs::read_link(e.path()).unwrap().display())
            } else if e.file_type().is_dir() {
                "dir".to_string()
            } else {
                let bytes = std::fs::read(e.path()).unwrap();
                format!(
                    "{} bytes, {:x}",
                    bytes.len(),
                    bytes
                        .iter()
                        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(*b as u64))
                )
            };
            (rel, what)
        })
        .collect();
    entries.sort();
    entries
}

#[test]
fn broken_home_example_matches_its_scenario() {
    let scenario = support::load(&support::scenarios_dir().join("broken-home.yaml"));
    let fresh = tempfile::tempdir().unwrap();
    support::materialize(&scenario, fresh.path());
    let example = support::repo_root().join("examples/broken-home");
    if std::env::var_os("ENVGATE_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&example);
        support::materialize(&scenario, &example);
        // git keeps no empty directories: mark them so a fresh clone has them.
        for entry in walkdir::WalkDir::new(&example)
            .into_iter()
            .filter_map(|e| e.ok())
        {
            if entry.file_type().is_dir()
                && std::fs::read_dir(entry.path()).unwrap().next().is_none()
            {
                std::fs::write(entry.path().join(".keep"), "").unwrap();
            }
        }
    }
    let without_keep = |t: Vec<(String, String)>| -> Vec<(String, String)> {
        t.into_iter()
            .filter(|(p, _)| !p.ends_with(".keep"))
            .collect()
    };
    assert_eq!(
        without_keep(tree(&example)),
        tree(fresh.path()),
        "examples/broken-home drifted from its scenario; run ENVGATE_BLESS=1 cargo test --test examples"
    );
}

#[test]
fn readme_report_is_what_envgate_prints() {
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .current_dir(support::repo_root())
        .args([
            "check",
            "--root",
            "examples/broken-home",
            "/home/dev/project",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "errors were found, so the gate fails"
    );
    let printed = String::from_utf8(output.stdout).unwrap();
    let expected_path = support::repo_root().join("examples/broken-home.report.txt");
    if std::env::var_os("ENVGATE_BLESS").is_some() {
        std::fs::write(&expected_path, &printed).unwrap();
        bless_readme(&printed);
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap();
    assert_eq!(
        printed, expected,
        "run ENVGATE_BLESS=1 cargo test --test examples"
    );
    let readme = std::fs::read_to_string(support::repo_root().join("README.md")).unwrap();
    assert!(
        readme.contains(expected.trim_end()),
        "README.md must show examples/broken-home.report.txt verbatim"
    );
}

/// Puts `report` into README.md's code block that starts with the command printing it.
fn bless_readme(report: &str) {
    let path = support::repo_root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let command = "$ envgate check --root examples/broken-home /home/dev/project\n";
    let start = readme
        .find(command)
        .expect("README shows the example command")
        + command.len();
    let end = start
        + readme[start..]
            .find("```")
            .expect("the code block is closed");
    let updated = format!("{}{}{}", &readme[..start], report, &readme[end..]);
    std::fs::write(&path, updated).unwrap();
}
