//! `envgate fix --format json`: the same run as the text output, as data that matches
//! `schemas/fix.schema.json` — on the sample image, a dry run, `--apply --unsafe` and
//! `--undo`, each compared with what the text output and the files say.

mod support;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// Runs `envgate fix ARGS` with backups under `state`; (exit code, stdout).
fn fix(state: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("envgate")
        .unwrap()
        .env("XDG_STATE_HOME", state)
        .arg("fix")
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = support::repo_root().join("schemas").join(name);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn valid(validator: &jsonschema::Validator, instance: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{instance:#}");
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn the_sample_image_as_data_dry_run_apply_and_undo() {
    let image = tempfile::tempdir().unwrap();
    support::copy_tree(
        &support::repo_root().join("examples/broken-home"),
        image.path(),
    );
    let state = tempfile::tempdir().unwrap();
    let root = image.path().to_str().unwrap();
    let fix_schema = schema("fix.schema.json");
    let profile = image.path().join("home/dev/.profile");
    let original_profile = std::fs::read(&profile).unwrap();

    // A dry run: the text output's diffs, as data, and nothing written.
    let (code, text) = fix(state.path(), &["--root", root, "/home/dev/project"]);
    let (json_code, json) = fix(
        state.path(),
        &["--root", root, "--format", "json", "/home/dev/project"],
    );
    assert_eq!((code, json_code), (1, 1), "a dry run with fixes exits 1");
    let dry: Value = serde_json::from_str(&json).unwrap();
    valid(&fix_schema, &dry);
    assert_eq!(dry["apply"], false);
    assert!(dry.get("applied").is_none());
    assert_eq!(std::fs::read(&profile).unwrap(), original_profile);
    let files = dry["files"].as_array().unwrap();
    assert!(!files.is_empty());
    for file in files {
        let diff = file["diff"].as_str().unwrap();
        assert!(
            text.contains(diff),
            "{diff}\nnot in the text output:\n{text}"
        );
        assert!(!file["edits"].as_array().unwrap().is_empty(), "{file:#}");
    }
    let summary = text.lines().next().unwrap();
    assert!(
        summary.starts_with(&format!(
            "envgate fix: {} finding(s), {} with a structured fix, {} fixed",
            dry["findings"], dry["with_fix"], dry["fixed"]
        )),
        "{summary}\n{dry:#}"
    );
    // The proxy password never leaves: the unsafe edit that deletes its line names
    // the line as the (redacted) snapshot saw it.
    assert!(
        !json.contains("hunter2") && json.contains("[REDACTED]"),
        "{json}"
    );
    let reasons: Vec<&str> = dry["not_applied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["reason"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"unsafe"), "{reasons:?}");
    assert!(reasons.contains(&"needs_value"), "{reasons:?}");
    for held in dry["not_applied"].as_array().unwrap() {
        let message = held["message"].as_str().unwrap();
        assert!(text.contains(message), "{message}\nnot in:\n{text}");
    }

    // Applied with --unsafe: the backup set, the files written, the re-check.
    let (code, json) = fix(
        state.path(),
        &[
            "--root",
            root,
            "--apply",
            "--unsafe",
            "--format",
            "json",
            "/home/dev/project",
        ],
    );
    assert_eq!(code, 0, "{json}");
    let applied: Value = serde_json::from_str(&json).unwrap();
    valid(&fix_schema, &applied);
    let done = &applied["applied"];
    assert_eq!(done["rolled_back"], false, "{applied:#}");
    assert_eq!(done["remaining"], 3, "GO002, GO008 and GO034 remain");
    let written = strings(&done["written"]);
    assert!(written.contains(&"/home/dev/.profile"), "{written:?}");
    assert_ne!(std::fs::read(&profile).unwrap(), original_profile);
    let changed: Vec<&str> = applied["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(changed, written, "the files shown are the files written");

    // Undone: the same files, restored.
    let (code, json) = fix(
        state.path(),
        &[
            "--undo",
            done["backup_set"].as_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{json}");
    let undone: Value = serde_json::from_str(&json).unwrap();
    valid(&schema("fix-undo.schema.json"), &undone);
    assert_eq!(undone["undone"], done["backup_set"]);
    let mut restored = strings(&undone["restored"]);
    restored.extend(strings(&undone["removed"]));
    restored.sort();
    let mut expected = written.clone();
    expected.sort();
    assert_eq!(restored, expected, "named as in the image, as written");
    assert_eq!(std::fs::read(&profile).unwrap(), original_profile);
}
