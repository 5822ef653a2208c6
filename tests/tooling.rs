//! Policy tooling for users' own packs, as a pack author meets it: `verify` (with
//! `--coverage`), `policies lint`, `explain` of a user rule, `policies --since` and
//! `policies diff`. Every output is pinned exactly; the packs are in
//! tests/fixtures/packs.

mod support;

use assert_cmd::Command;

const PACKS: &str = "tests/fixtures/packs";

fn envgate() -> Command {
    let mut cmd = Command::cargo_bin("envgate").unwrap();
    cmd.current_dir(support::repo_root()).env("NO_COLOR", "1");
    cmd
}

/// Runs envgate and returns (exit code, stdout).
fn run(args: &[&str]) -> (i32, String) {
    let output = envgate().args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn verify_passes_and_lists_every_test() {
    let (code, out) = run(&["verify", &format!("{PACKS}/good")]);
    assert_eq!(
        out,
        "\
PASS tests/fixtures/packs/good/good001_editor_unset_test.rego:5 test_fires_when_unset
PASS tests/fixtures/packs/good/good001_editor_unset_test.rego:10 test_quiet_when_set
PASS tests/fixtures/packs/good/good002_pager_unset_test.rego:5 test_fires_when_unset
PASS tests/fixtures/packs/good/good002_pager_unset_test.rego:9 test_quiet_when_set
4 passed, 0 failed
"
    );
    assert_eq!(code, 0);
}

#[test]
fn verify_failure_names_the_file_and_line_of_the_test() {
    let (code, out) = run(&["verify", &format!("{PACKS}/failing")]);
    assert_eq!(
        out,
        "\
PASS tests/fixtures/packs/failing/fail001_editor_unset_test.rego:5 test_fires_when_unset
FAIL tests/fixtures/packs/failing/fail001_editor_unset_test.rego:9 test_expects_the_wrong_count
     undefined (a condition did not hold)
1 passed, 1 failed
"
    );
    assert_eq!(code, 1);
}

#[test]
fn verify_coverage_reports_uncovered_lines_of_rule_files_only() {
    let (code, out) = run(&["verify", "--coverage", &format!("{PACKS}/good")]);
    let coverage = out.split_once("4 passed, 0 failed\n").unwrap().1;
    assert_eq!(
        coverage,
        "\
coverage of rule and library files:
  tests/fixtures/packs/good/good001_editor_unset.rego: 5/5 lines (100.0%)
  tests/fixtures/packs/good/good002_pager_unset.rego: 4/6 lines (66.7%), not covered: 18, 20
total: 9/11 lines (81.8%)
"
    );
    assert_eq!(code, 0);
}

#[test]
fn verify_coverage_as_json() {
    let (code, out) = run(&[
        "verify",
        "--coverage",
        "--format",
        "json",
        &format!("{PACKS}/good"),
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["coverage"],
        serde_json::json!({
            "covered": 9,
            "total": 11,
            "files": [
                {"file": "tests/fixtures/packs/good/good001_editor_unset.rego", "covered": 5, "total": 5, "not_covered": []},
                {"file": "tests/fixtures/packs/good/good002_pager_unset.rego", "covered": 4, "total": 6, "not_covered": [18, 20]},
            ],
        })
    );
    assert_eq!(
        (json["passed"].as_u64(), json["failed"].as_u64()),
        (Some(4), Some(0))
    );
    assert_eq!(code, 0);
}

#[test]
fn verify_stops_with_a_diagnostic_on_a_syntax_error() {
    let output = envgate()
        .args(["verify", &format!("{PACKS}/lint/l011_rego_syntax")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        // miette wraps the message at the terminal width, so only the file name part.
        stderr.contains("syn001_editor_unset.rego:17:1"),
        "{stderr}"
    );
}

#[test]
fn lint_of_a_good_pack_is_clean() {
    let (code, out) = run(&["policies", "lint", &format!("{PACKS}/good")]);
    assert_eq!(out, "1 pack, 2 rules: no problems\n");
    assert_eq!(code, 0);
}

#[test]
fn lint_of_the_builtin_packs_is_clean() {
    let (code, out) = run(&["policies", "lint"]);
    assert!(out.ends_with(": no problems\n"), "{out}");
    assert_eq!(code, 0);
}

/// One pack per problem code, each with exactly the problems it was made for.
#[test]
fn lint_reports_each_kind_of_problem_at_its_line() {
    let cases: &[(&str, &str)] = &[
        (
            "l001_manifest",
            "manifest.yaml:1: L001 manifest has no title\n\
             manifest.yaml:2: L001 pack version \"1.0\" is not semver (MAJOR.MINOR.PATCH)\n",
        ),
        (
            "l002_metadata_missing",
            "mis001_editor_unset.rego:1: L002 rule MIS001 has no custom.category, custom.remediation in its METADATA\n",
        ),
        (
            "l003_metadata_invalid",
            "inv001_editor_unset.rego:6: L003 rule INV001 has severity \"fatal\", not error, warning or info\n",
        ),
        (
            "l004_id_format",
            "id1_editor_unset.rego:5: L004 rule id \"go-13\" is not an uppercase prefix and three digits (GO013, K8S001)\n",
        ),
        (
            "l005_id_duplicate",
            "dup001_pager_unset.rego:5: L005 rule id DUP001 is also used by tests/fixtures/packs/lint/l005_id_duplicate/dup001_editor_unset.rego:11\n",
        ),
        (
            "l006_since",
            "sin001_editor_unset.rego:7: L006 rule SIN001 has since 1.2.0, newer than the pack version 1.0.0\n",
        ),
        (
            "l007_remediation_syntax",
            "tps001_editor_unset.rego:9: L007 remediation of TPS001 does not parse: Unexpected end of input (template line 1, column 29)\n",
        ),
        (
            "l008_remediation_render",
            "tpr001_editor_unset.rego:9: L008 remediation of TPR001 fails to render for a finding of its tests: Field `shell_file` is not defined. Available fields: profile (template line 1, column 38)\n",
        ),
        (
            "l009_never_fires",
            "nev001_editor_unset.rego:11: L009 no test makes NEV001 fire: add one whose input it denies\n",
        ),
        (
            "l010_unknown_function",
            "unk001_editor_unset.rego:20: L010 unknown function strings.frobnicate: not a regorus builtin and not defined in the pack\n",
        ),
        (
            "l011_rego_syntax",
            "syn001_editor_unset.rego:17: L011 column 1: expecting `}` while parsing query\n",
        ),
    ];
    for (dir, problems) in cases {
        let pack = format!("{PACKS}/lint/{dir}");
        let (code, out) = run(&["policies", "lint", &pack]);
        let expected: String = problems
            .lines()
            .map(|line| format!("{pack}/{}\n", line.trim_start()))
            .collect();
        let count = expected.lines().count();
        let rules = if *dir == "l005_id_duplicate" { 2 } else { 1 };
        let summary = format!(
            "1 pack, {rules} rule{}: {count} problem{}\n",
            if rules == 1 { "" } else { "s" },
            if count == 1 { "" } else { "s" }
        );
        assert_eq!(out, expected + &summary, "lint of {dir}");
        assert_eq!(code, 1, "exit code of lint of {dir}");
    }
}

#[test]
fn lint_finds_ids_taken_by_builtin_rules() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path();
    let source = std::fs::read_to_string(
        support::repo_root()
            .join(PACKS)
            .join("good/good002_pager_unset.rego"),
    )
    .unwrap();
    std::fs::copy(
        support::repo_root().join(PACKS).join("good/manifest.yaml"),
        pack.join("manifest.yaml"),
    )
    .unwrap();
    std::fs::write(
        pack.join("good002_pager_unset.rego"),
        source.replace("id: GOOD002", "id: GO013"),
    )
    .unwrap();
    std::fs::copy(
        support::repo_root()
            .join(PACKS)
            .join("good/good002_pager_unset_test.rego"),
        pack.join("good002_pager_unset_test.rego"),
    )
    .unwrap();
    let (code, out) = run(&["policies", "lint", pack.to_str().unwrap()]);
    assert!(
        out.starts_with(&format!(
            "{}/good002_pager_unset.rego:5: L005 rule id GO013 is also used by policies/go/",
            pack.display()
        )),
        "{out}"
    );
    assert_eq!(code, 1);
}

#[test]
fn explain_shows_a_user_rule() {
    let (code, out) = run(&["explain", "--policy", &format!("{PACKS}/good"), "good001"]);
    assert_eq!(
        out,
        "\
GOOD001 (editor-unset): EDITOR is not set

Severity: warning
Category: Shell
Pack: good 1.1.0 (since 1.0.0)
Source: tests/fixtures/packs/good/good001_editor_unset.rego:11
Auto-fixable: no (the fix above is done by hand)

EDITOR is not set, so tools fall back to a default.

Fix (template):
    echo 'export EDITOR=nano' >> {{ vars.profile }}
"
    );
    assert_eq!(code, 0);
}

#[test]
fn policies_since_lists_what_a_baseline_version_contains() {
    let good = format!("{PACKS}/good");
    let (code, out) = run(&[
        "policies", "--policy", &good, "--pack", "good", "--since", "1.0",
    ]);
    assert_eq!(
        out,
        "\
good 1.1.0 (tests/fixtures/packs/good): A small pack that lints clean [baseline 1.0.0: 1 of 2 rules]
  GOOD001 warning  Shell                EDITOR is not set
"
    );
    assert_eq!(code, 0);
    let (_, out) = run(&[
        "policies", "--policy", &good, "--pack", "good", "--since", "1.1.0",
    ]);
    assert!(out.contains("[baseline 1.1.0: 2 of 2 rules]"), "{out}");
}

#[test]
fn policies_without_a_subcommand_still_lists_every_pack() {
    let (code, out) = run(&["policies", "--policy", &format!("{PACKS}/good")]);
    assert!(out.starts_with("go "), "{out}");
    assert!(out.ends_with(
        "\
good 1.1.0 (tests/fixtures/packs/good): A small pack that lints clean
  GOOD001 warning  Shell                EDITOR is not set
  GOOD002 info     Shell                PAGER is not set
"
    ));
    assert_eq!(code, 0);
}

#[test]
fn policies_diff_lists_rules_added_between_versions() {
    let good = format!("{PACKS}/good");
    let (code, out) = run(&[
        "policies", "diff", "1.0", "1.1", "--policy", &good, "--pack", "good",
    ]);
    assert_eq!(
        out,
        "\
good 1.0.0 -> 1.1.0: 1 added
  + GOOD002 info     Shell                PAGER is not set (since 1.1.0)
"
    );
    assert_eq!(code, 0);
    let (code, out) = run(&[
        "policies", "diff", "1.1", "1.2", "--policy", &good, "--pack", "good",
    ]);
    assert_eq!(out, "good 1.1.0 -> 1.2.0 (latest is 1.1.0): no changes\n");
    assert_eq!(code, 0);
}

#[test]
fn policies_diff_rejects_versions_in_the_wrong_order() {
    let output = envgate()
        .args(["policies", "diff", "1.1", "1.0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("OLD (1.1.0) is newer than NEW (1.0.0)"),
        "{stderr}"
    );
}
