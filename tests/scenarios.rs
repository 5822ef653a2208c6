//! Fixture scenarios: each `tests/scenarios/*.yaml` is built into an image root,
//! checked with the built-in packs, and must report exactly the findings it lists.

mod support;

use std::path::Path;

use envgate::collect::{CollectOptions, collect};
use envgate::host::ImageHost;
use envgate::policy::engine::PolicySet;
use envgate::report::Report;
use support::{Scenario, all_scenarios, load, materialize};

fn run(scenario: &Scenario) -> Report {
    let policies = envgate::load_policies(&[]).unwrap();
    judge(scenario, &[&policies]).remove(0)
}

/// The scenario's image judged by each policy set, in order.
fn judge(scenario: &Scenario, policy_sets: &[&PolicySet]) -> Vec<Report> {
    let dir = tempfile::tempdir().unwrap();
    materialize(scenario, dir.path());
    let host = ImageHost::new(dir.path()).unwrap();
    let snapshot = collect(
        &host,
        &CollectOptions {
            workspace: scenario.workspace.as_ref().map(Into::into),
            user: scenario.user.clone(),
            probe: false,
            net: None,
        },
    )
    .unwrap();
    policy_sets
        .iter()
        .map(|policies| envgate::evaluate(policies, &snapshot, Some(&host)).unwrap())
        .collect()
}

fn describe(report: &Report) -> String {
    report
        .findings
        .iter()
        .map(|f| {
            let at = f
                .location
                .as_ref()
                .map(|l| {
                    format!(
                        " @ {}:{}",
                        l.file,
                        l.line.map_or("-".into(), |n| n.to_string())
                    )
                })
                .unwrap_or_default();
            format!("  {} {}{at}: {}", f.id, f.severity.as_str(), f.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(path: &Path) -> Result<(), String> {
    let scenario = load(path);
    let report = run(&scenario);
    let name = path.file_name().unwrap().to_string_lossy();

    let mut fired: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.id.as_str())
        .filter(|id| !scenario.ignore.iter().any(|i| i == id))
        .collect();
    fired.sort();
    fired.dedup();
    let mut expected: Vec<&str> = scenario.expect.iter().map(|e| e.id.as_str()).collect();
    expected.sort();
    expected.dedup();
    if fired != expected {
        return Err(format!(
            "{name}: expected {expected:?}, got {fired:?}\n{}",
            describe(&report)
        ));
    }
    for expectation in &scenario.expect {
        let matches = report.findings.iter().any(|f| {
            f.id == expectation.id
                && expectation
                    .severity
                    .as_ref()
                    .is_none_or(|s| f.severity.as_str() == s)
                && expectation
                    .file
                    .as_ref()
                    .is_none_or(|file| f.location.as_ref().is_some_and(|l| &l.file == file))
                && expectation
                    .line
                    .is_none_or(|line| f.location.as_ref().is_some_and(|l| l.line == Some(line)))
        });
        if !matches {
            return Err(format!(
                "{name}: no finding matches {expectation:?}\n{}",
                describe(&report)
            ));
        }
    }
    Ok(())
}

#[test]
fn every_scenario_reports_exactly_what_it_expects() {
    let failures: Vec<String> = all_scenarios()
        .iter()
        .filter_map(|path| check(path).err())
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// Every rule has a fixture that triggers it and a near miss that does not.
#[test]
fn every_rule_has_a_triggering_and_a_clean_scenario() {
    let policies = envgate::load_policies(&[]).unwrap();
    let scenarios: Vec<(String, Scenario)> = all_scenarios()
        .iter()
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                load(p),
            )
        })
        .collect();
    let mut missing = Vec::new();
    let live_tests = live_fixture_tests();
    for rule in policies.rules() {
        let prefix = rule.id.to_ascii_lowercase();
        if !policies.judges_machine(rule) {
            // File packs judge files, not images: their fixture pairs are files under
            // tests/fixtures/<pack>/, held to the same contract by tests/<pack>.rs.
            continue;
        }
        if rule.live_only {
            // Nothing live can be judged in an image: these rules' fixtures are fake
            // programs in the CLI tests, named `<id>…trigger…` and `<id>…clean…`.
            let trigger = live_tests
                .iter()
                .any(|t| t.starts_with(&prefix) && t.contains("trigger"));
            let clean = live_tests
                .iter()
                .any(|t| t.contains(&prefix) && t.contains("clean"));
            if !trigger || !clean {
                missing.push(format!("{}: live-only rule without `fn {prefix}_trigger…` and a `…{prefix}…clean…` test in tests/*.rs", rule.id));
            }
            continue;
        }
        // Windows volumes need registry hives, built at test time by hivex's tools
        // (tests/windows_image.rs): their fixtures are tests named like the live ones.
        // One such test may cover a range of rules it asserts exactly:
        // `go061_to_go065_windows_trigger…`.
        let covers = |test: &str| {
            if test.starts_with(&prefix) {
                return true;
            }
            let number = |text: &str| text.get(2..5).and_then(|n| n.parse::<u32>().ok());
            let Some((first, rest)) = test.split_once("_to_") else {
                return false;
            };
            match (number(first), number(rest), number(&prefix)) {
                (Some(low), Some(high), Some(id)) => {
                    first[..2] == prefix[..2] && (low..=high).contains(&id)
                }
                _ => false,
            }
        };
        let named = |word: &str| live_tests.iter().any(|t| covers(t) && t.contains(word));
        let triggers = named("windows_trigger")
            || scenarios.iter().any(|(name, s)| {
                name.starts_with(&format!("{prefix}-trigger"))
                    && s.expect.iter().any(|e| e.id == rule.id)
            });
        let clean = named("windows_clean")
            || scenarios.iter().any(|(name, s)| {
                name.starts_with(&format!("{prefix}-clean"))
                    && s.expect.iter().all(|e| e.id != rule.id)
            });
        if !triggers {
            missing.push(format!(
                "{}: no tests/scenarios/{prefix}-trigger*.yaml expecting it",
                rule.id
            ));
        }
        if !clean {
            missing.push(format!(
                "{}: no tests/scenarios/{prefix}-clean*.yaml",
                rule.id
            ));
        }
    }
    assert!(missing.is_empty(), "\n{}", missing.join("\n"));
}

/// The same image gives a byte-identical report, every time.
#[test]
fn reports_are_deterministic() {
    let path = support::scenarios_dir().join("broken-home.yaml");
    let scenario = load(&path);
    let first = envgate::render::json(&run(&scenario));
    let second = envgate::render::json(&run(&scenario));
    // The temp root differs between runs; everything else must not.
    let strip = |text: &str| {
        text.lines()
            .filter(|l| !l.contains("\"root\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&first), strip(&second));
}

/// Names of the test functions in `tests/*.rs`.
fn live_fixture_tests() -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(support::repo_root().join("tests")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            names.extend(
                text.lines()
                    .filter_map(|l| l.trim().strip_prefix("fn "))
                    .filter_map(|rest| rest.split('(').next())
                    .map(str::to_string),
            );
        }
    }
    names
}

/// The built-in packs run precompiled on regorus's bytecode VM; the interpreter is the
/// reference. Two implementations of Rego have disagreed before (see
/// `src/policy/prebuilt.rs`), so every scenario is judged both ways and must come out
/// the same, message for message and line for line.
#[test]
fn precompiled_packs_judge_like_the_interpreter() {
    let precompiled = envgate::load_policies(&[]).unwrap().without_fallback();
    assert!(
        precompiled.is_precompiled(),
        "the built-in packs are not precompiled: see build.rs's warning"
    );
    let interpreted =
        PolicySet::compile_interpreted(envgate::policy::builtin_packs().unwrap()).unwrap();
    assert!(!interpreted.is_precompiled());
    let mut differing = Vec::new();
    for path in all_scenarios() {
        let reports = judge(&load(&path), &[&precompiled, &interpreted]);
        let (vm, reference) = (describe(&reports[0]), describe(&reports[1]));
        if vm != reference {
            differing.push(format!(
                "{}:\n interpreter:\n{reference}\n VM:\n{vm}",
                path.display()
            ));
        }
    }
    assert!(differing.is_empty(), "\n{}", differing.join("\n"));
}
