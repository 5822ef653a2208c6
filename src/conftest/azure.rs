//! `-o azuredevops`: conftest's Azure Pipelines logging commands, byte for byte — a
//! section and a group per file and namespace, `##vso[task.logissue …]` per failure
//! (error), warning and exception (warning), then conftest's totals line. Messages come
//! from policies and checked files: their control characters are escaped, so a newline
//! in a message cannot start a logging command of its own.

use std::fmt::Write;

use super::check::CheckResult;
use crate::escape;

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn azuredevops(results: &[CheckResult]) -> String {
    let mut out = String::new();
    let [
        mut failures,
        mut exceptions,
        mut warnings,
        mut successes,
        mut skipped,
    ] = [0; 5];
    for result in results {
        let file = escape::line(&result.file);
        let policies = result.successes
            + result.failures.len()
            + result.warnings.len()
            + result.exceptions.len()
            + result.skipped.len();
        let _ = writeln!(
            out,
            "##[section]Testing '{file}' against {policies} policies in namespace '{}'",
            escape::line(&result.namespace)
        );
        out.push_str("##[group]See conftest results\n");
        let issues = [
            ("error", &result.failures),
            ("warning", &result.warnings),
            ("warning", &result.exceptions),
        ];
        for (kind, outcomes) in issues {
            for o in outcomes {
                let _ = writeln!(
                    out,
                    "##vso[task.logissue type={kind}] file={file} --> {}",
                    escape::line(&o.message)
                );
            }
        }
        for o in &result.skipped {
            let _ = writeln!(out, "skipped file={file} {}", escape::line(&o.message));
        }
        if result.successes > 0 {
            let _ = writeln!(out, "success file={file} {}", result.successes);
        }
        out.push_str("##[endgroup]\n");
        failures += result.failures.len();
        exceptions += result.exceptions.len();
        warnings += result.warnings.len();
        skipped += result.skipped.len();
        successes += result.successes;
    }
    let tests = failures + exceptions + warnings + successes + skipped;
    let _ = writeln!(
        out,
        "{tests} test{}, {successes} passed, {warnings} warning{}, {failures} failure{}, {exceptions} exception{}",
        plural(tests),
        plural(warnings),
        plural(failures),
        plural(exceptions)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conftest::check::Outcome;

    fn outcome(message: &str) -> Outcome {
        Outcome {
            message: message.into(),
            ..Default::default()
        }
    }

    /// conftest's own cases (output/azuredevops_test.go): the layout, plurals, skips.
    #[test]
    fn matches_conftest_layout() {
        let empty = CheckResult {
            file: "examples/kubernetes/service.yaml".into(),
            namespace: "namespace".into(),
            ..Default::default()
        };
        assert_eq!(
            azuredevops(&[empty]),
            "##[section]Testing 'examples/kubernetes/service.yaml' against 0 policies in namespace 'namespace'\n\
             ##[group]See conftest results\n##[endgroup]\n\
             0 tests, 0 passed, 0 warnings, 0 failures, 0 exceptions\n"
        );
        let mixed = CheckResult {
            file: "-".into(),
            namespace: "namespace".into(),
            failures: vec![outcome("first failure")],
            warnings: vec![outcome("first warning")],
            skipped: vec![outcome("first skipped")],
            successes: 2,
            ..Default::default()
        };
        assert_eq!(
            azuredevops(&[mixed]),
            "##[section]Testing '-' against 5 policies in namespace 'namespace'\n\
             ##[group]See conftest results\n\
             ##vso[task.logissue type=error] file=- --> first failure\n\
             ##vso[task.logissue type=warning] file=- --> first warning\n\
             skipped file=- first skipped\n\
             success file=- 2\n\
             ##[endgroup]\n\
             5 tests, 2 passed, 1 warning, 1 failure, 0 exceptions\n"
        );
    }

    /// A message cannot smuggle a logging command onto a line of its own.
    #[test]
    fn a_newline_in_a_message_cannot_start_a_command() {
        let result = CheckResult {
            file: "a.yaml".into(),
            namespace: "main".into(),
            failures: vec![outcome("bad\n##vso[task.setvariable variable=x]1")],
            ..Default::default()
        };
        let out = azuredevops(&[result]);
        assert_eq!(out.lines().filter(|l| l.starts_with("##vso")).count(), 1);
    }
}
