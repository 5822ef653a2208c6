//! `schemas/*.schema.json` are generated from the Rust types and must match them;
//! real snapshot and report output must validate against them.
//! Regenerate after changing a type: `ENVGATE_BLESS=1 cargo test --test schemas`.

mod support;

use envgate::collect::{CollectOptions, collect};
use envgate::host::{ImageHost, LiveHost};

fn committed(name: &str, generated: &serde_json::Value) -> serde_json::Value {
    let path = support::repo_root().join("schemas").join(name);
    let mut text = serde_json::to_string_pretty(generated).unwrap();
    text.push('\n');
    if std::env::var_os("ENVGATE_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run ENVGATE_BLESS=1 cargo test --test schemas",
            path.display()
        )
    });
    assert_eq!(
        on_disk, text,
        "{name} is out of date with the types; run ENVGATE_BLESS=1 cargo test --test schemas"
    );
    serde_json::from_str(&on_disk).unwrap()
}

fn assert_valid(schema: &serde_json::Value, instance: &serde_json::Value, what: &str) {
    let validator = jsonschema::validator_for(schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn snapshot_schema_is_current_and_validates_real_snapshots() {
    let schema = committed("snapshot.schema.json", &envgate::schema::snapshot());

    // This machine, as it is (no program runs).
    let live = collect(&LiveHost::from_process(false), &CollectOptions::default()).unwrap();
    assert_valid(
        &schema,
        &serde_json::to_value(&live).unwrap(),
        "live snapshot",
    );

    // A fixture image with every section populated.
    let scenario = support::load(&support::scenarios_dir().join("broken-home.yaml"));
    let dir = tempfile::tempdir().unwrap();
    support::materialize(&scenario, dir.path());
    let host = ImageHost::new(dir.path()).unwrap();
    let image = collect(
        &host,
        &CollectOptions {
            workspace: scenario.workspace.as_ref().map(Into::into),
            user: None,
            probe: false,
            net: None,
        },
    )
    .unwrap();
    assert!(image.workspace.go_mod.is_some());
    assert_valid(
        &schema,
        &serde_json::to_value(&image).unwrap(),
        "image snapshot",
    );
}

#[test]
fn report_schema_is_current_and_validates_a_real_report() {
    let schema = committed("report.schema.json", &envgate::schema::report());
    let scenario = support::load(&support::scenarios_dir().join("broken-home.yaml"));
    let dir = tempfile::tempdir().unwrap();
    support::materialize(&scenario, dir.path());
    let host = ImageHost::new(dir.path()).unwrap();
    let snapshot = collect(
        &host,
        &CollectOptions {
            workspace: scenario.workspace.as_ref().map(Into::into),
            user: None,
            probe: false,
            net: None,
        },
    )
    .unwrap();
    let policies = envgate::load_policies(&[]).unwrap();
    let report = envgate::evaluate(&policies, &snapshot, Some(&host)).unwrap();
    assert!(!report.findings.is_empty());
    assert_valid(&schema, &serde_json::to_value(&report).unwrap(), "report");
}

#[test]
fn audit_schema_is_current() {
    committed("audit.schema.json", &envgate::schema::audit());
}

/// `envgate fix --format json` and `fix --undo --format json`; `tests/fix_json.rs`
/// validates real runs against them.
#[test]
fn fix_schemas_are_current() {
    committed("fix.schema.json", &envgate::schema::fix());
    committed("fix-undo.schema.json", &envgate::schema::fix_undo());
}

#[test]
fn config_schema_is_current_and_validates_the_fixtures() {
    let schema = committed("config.schema.json", &envgate::schema::config());
    let fixtures = support::repo_root().join("tests/fixtures/config");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&fixtures).sort_by_file_name() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        let is_config = name.ends_with(".yaml") || name.ends_with(".yml");
        let in_pack = entry
            .path()
            .components()
            .any(|c| c.as_os_str() == "renamed");
        // `bad-*` are wrong on purpose; the copied manifests are not configs.
        if !is_config || name.starts_with("bad-") || in_pack || name == "web.yaml" {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let value: serde_json::Value = yaml_serde::from_str(&text).unwrap();
        assert_valid(&schema, &value, &entry.path().display().to_string());
        checked += 1;
    }
    assert!(checked >= 8, "{checked} fixtures validated");
}
