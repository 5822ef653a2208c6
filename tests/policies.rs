//! The built-in packs: their Rego unit tests pass, and the registry is complete.

use std::collections::BTreeSet;

use envgate::policy::testing::run_tests;
use envgate::policy::{builtin_packs, is_semver};

#[test]
fn rego_unit_tests_pass() {
    let packs = builtin_packs().unwrap();
    let results = run_tests(&packs).unwrap();
    assert!(!results.is_empty(), "no Rego tests were found");
    let failures: Vec<String> = results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| {
            format!(
                "{}:{} {}: {}",
                r.file,
                r.line,
                r.name,
                r.detail.clone().unwrap_or_default()
            )
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// ruff-style registry checks: ids unique and well-formed, metadata complete, each rule
/// with its own test file holding at least a triggering and a quiet case.
#[test]
fn registry_is_complete() {
    let packs = builtin_packs().unwrap();
    let mut ids = BTreeSet::new();
    let mut problems = Vec::new();
    for pack in &packs {
        assert!(
            is_semver(&pack.version),
            "{} version {}",
            pack.name,
            pack.version
        );
        let prefix = pack.name.to_ascii_uppercase();
        for rule in &pack.rules {
            if !ids.insert(rule.id.clone()) {
                problems.push(format!("{}: duplicate id", rule.id));
            }
            let digits = rule.id.strip_prefix(&prefix).unwrap_or("");
            if digits.len() != 3 || !digits.chars().all(|c| c.is_ascii_digit()) {
                problems.push(format!("{}: id is not {prefix}NNN", rule.id));
            }
            let file_stem = rule
                .file
                .rsplit('/')
                .next()
                .unwrap()
                .trim_end_matches(".rego");
            if !file_stem.starts_with(&rule.id.to_ascii_lowercase()) {
                problems.push(format!(
                    "{}: file {} does not start with its id",
                    rule.id, rule.file
                ));
            }
            if rule.title.trim().is_empty() || rule.description.len() < 40 {
                problems.push(format!("{}: title or description too thin", rule.id));
            }
            if rule.remediation.trim().is_empty() {
                problems.push(format!("{}: no remediation", rule.id));
            }
            if !is_semver(&rule.since) {
                problems.push(format!(
                    "{}: since {} is not a version",
                    rule.id, rule.since
                ));
            }
            let test_file = rule.file.replace(".rego", "_test.rego");
            match pack.tests.iter().find(|t| t.path == test_file) {
                None => problems.push(format!("{}: no {test_file}", rule.id)),
                Some(test) => {
                    let tests = test.text.lines().filter(|l| l.starts_with("test_")).count();
                    if tests < 2 {
                        problems.push(format!(
                            "{}: {test_file} has {tests} tests, needs a firing and a quiet one",
                            rule.id
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// Ids are stable once shipped: this list only grows. A rename or removal fails here.
#[test]
fn shipped_rule_ids_never_disappear() {
    let shipped = [
        "GO001", "GO002", "GO003", "GO004", "GO013", "GO018", "GO019", "GO026", "GO027", "GO028",
        "GO029", "GO034", "GO042",
    ];
    let packs = builtin_packs().unwrap();
    let ids: BTreeSet<&str> = packs
        .iter()
        .flat_map(|p| &p.rules)
        .map(|r| r.id.as_str())
        .collect();
    for id in shipped {
        assert!(ids.contains(id), "{id} disappeared from the built-in packs");
    }
}

/// A runaway policy is stopped by the evaluation time limit and reported as a policy
/// (the limit is cooperative: it is checked between steps, so the spin here is many
/// small steps, not one huge builtin call)
/// error, instead of hanging the pre-commit hook.
#[test]
fn a_runaway_policy_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.yaml"),
        "name: slow\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("s001_spin.rego"),
        "# METADATA\n# title: spins\n# description: counts to a very large number for no reason at all\n# custom:\n#   id: S001\n#   severity: error\n#   since: 1.0.0\n#   category: X\n#   remediation: none\npackage envgate.slow.s001_spin\n\nimport rego.v1\n\ndeny contains {\"msg\": \"done\"} if {\n\tcount([1 | some x in numbers.range(1, 5000); some y in numbers.range(1, 5000); x != y]) > 0\n}\n",
    )
    .unwrap();
    let packs = envgate::policy::load_dir(dir.path()).unwrap();
    let set = envgate::policy::engine::PolicySet::compile_with_time_limit(
        packs,
        std::time::Duration::from_millis(200),
    )
    .unwrap();
    // The PolicyEval error is the limit's own: without it this rule runs for many
    // seconds and then succeeds (no wall-clock assertion: a loaded machine is slow).
    let result = set.evaluate(&serde_json::json!({}), envgate::snapshot::Mode::Live);
    assert!(
        matches!(result, Err(envgate::error::Error::PolicyEval { .. })),
        "{result:?}"
    );
}

/// A check judged in batches runs the k8s rules with `data.envgate_run.edits` false and
/// never applies their edits: each rule builds its `fix` only behind `fix_lib.wanted`,
/// or every batch pays for edits it throws away (a tenth of a large check's work).
/// `pack_test.rego` proves the guard's effect on the rules a bare Deployment triggers;
/// this holds every rule to it.
#[test]
fn k8s_rules_build_their_edits_only_when_wanted() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/k8s");
    let mut unguarded = Vec::new();
    let mut guarded = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".rego") || name.ends_with("_test.rego") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("\"fix\":") {
                if line.contains("| fix_lib.wanted") {
                    guarded += 1;
                } else {
                    unguarded.push(format!("{name}:{}: {}", i + 1, line.trim()));
                }
            }
        }
    }
    assert!(unguarded.is_empty(), "\n{}", unguarded.join("\n"));
    assert!(guarded >= 25, "{guarded}");
}
