//! `envgate test` and `envgate verify` for conftest policy repositories: conftest's
//! flags, inputs, counting, exit codes and output formats (v0.69), on one compiled
//! regorus engine judging files in parallel. The library never prints: a run returns
//! the text to print and the exit code conftest would give.
//!
//! Where envgate differs on purpose: results are sorted (conftest's order comes from
//! Go maps); a file that cannot be parsed is reported on standard error while the
//! other files are still judged (the run still exits 1, as conftest's abort does);
//! `--distinct-exit-codes` gives errors exit 3.

mod azure;
pub mod builtins;
mod capabilities;
pub mod check;
pub mod ci;
mod dockerfile;
pub mod formats;
pub mod gate;
pub mod inputs;
pub mod policy;
pub mod render;
pub mod settings;
mod strict;
pub mod trace;
pub mod verify;

use std::io::Read;
use std::path::Path;

use crate::error::Error;
use check::{CheckResult, Judge};
use inputs::InputError;
use settings::Settings;

/// The exit code of an error under `--distinct-exit-codes` (conftest: 1).
pub const DISTINCT_ERROR_EXIT: u8 = 3;

/// The outcome of `envgate test`.
pub struct TestRun {
    pub results: Vec<CheckResult>,
    /// Files that could not be read or parsed (each judged as nothing).
    pub input_errors: Vec<InputError>,
    /// What to print on standard output.
    pub stdout: String,
    /// What to print on standard error (parse errors, one per file).
    pub stderr: String,
    pub exit_code: u8,
}

/// The exit code of a run that failed with an error.
pub fn error_exit_code(settings_distinct: bool) -> u8 {
    if settings_distinct {
        DISTINCT_ERROR_EXIT
    } else {
        1
    }
}

/// `envgate test PATH…` as `conftest test`.
pub fn run_test(
    settings: &Settings,
    paths: &[String],
    stdin: &mut dyn Read,
    cwd: &Path,
) -> Result<TestRun, Error> {
    if paths.is_empty() {
        return Err(Error::Usage(
            "missing required arguments: give the files or directories to test (`-` for standard input)".into(),
        ));
    }
    let files = inputs::file_list(paths, settings.ignore.as_ref()).map_err(Error::Usage)?;
    let mut inputs = inputs::read_all(&files, settings.parser.as_deref(), stdin);
    // `--stdin-filename`: `-` is shown (and given to data.conftest.file) by that name.
    if let Some(name) = &settings.stdin_filename
        && let Some(mut config) = inputs.configurations.remove("-")
    {
        config.path = name.clone();
        inputs.configurations.insert(name.clone(), config);
    }
    let policies = policy::load(settings)?;
    let namespaces = policies.select_namespaces(&settings.namespace, settings.all_namespaces)?;
    let namespaces: Vec<String> = if settings.all_namespaces
        || settings
            .namespace
            .iter()
            .any(|p| p.contains(['*', '?', '[']))
    {
        policy::sorted(&namespaces)
    } else {
        namespaces
    };
    let judge = Judge {
        policies: &policies,
        namespaces: namespaces
            .iter()
            .map(|ns| (ns.clone(), policies.namespace_rules(ns)))
            .collect(),
        cwd,
    };
    let configurations: Vec<&inputs::Configuration> = inputs.configurations.values().collect();
    let results = if configurations.is_empty() {
        Vec::new()
    } else if settings.combine {
        judge.check_combined(&configurations)?
    } else {
        judge.check_all(&configurations)?
    };
    Ok(finish(settings, results, inputs.errors))
}

/// The exit code and the text of a run.
fn finish(
    settings: &Settings,
    results: Vec<CheckResult>,
    input_errors: Vec<InputError>,
) -> TestRun {
    let [_, _, warnings, failures, _, _] = render::totals(&results);
    let mut exit_code = if settings.fail_on_warn {
        if failures > 0 {
            2
        } else if warnings > 0 {
            1
        } else {
            0
        }
    } else {
        u8::from(failures > 0)
    };
    let mut stdout = String::new();
    // A run where no file could be read prints no results, as conftest's error does.
    let nothing_judged = results.is_empty() && !input_errors.is_empty();
    // `--trace` goes to standard error; in the `stdout` format it also replaces the
    // results and summary on standard output, as in conftest (output.go, standard.go).
    let traced = settings.trace.then(|| trace::render(&results));
    if (!settings.quiet || exit_code != 0) && !nothing_judged {
        stdout = match &traced {
            Some(text)
                if !matches!(
                    settings.output.as_str(),
                    "json" | "tap" | "table" | "github" | "junit" | "sarif" | "azuredevops"
                ) =>
            {
                text.clone()
            }
            _ => render_results(settings, &results),
        };
        if settings.no_fail {
            exit_code = 0;
        }
    }
    let mut stderr = traced.unwrap_or_default();
    for error in &input_errors {
        let at = error
            .at
            .map(|[l, c]| format!(":{l}:{c}"))
            .unwrap_or_default();
        stderr.push_str(&format!(
            "Error: {}{at}: {}\n",
            crate::escape::line(&error.path),
            crate::escape::line(&error.message)
        ));
    }
    if !input_errors.is_empty() {
        // conftest aborts on a file it cannot parse (exit 1); envgate judges the rest
        // and keeps the failing exit code.
        exit_code = error_exit_code(settings.distinct_exit_codes);
    }
    TestRun {
        results,
        input_errors,
        stdout,
        stderr,
        exit_code,
    }
}

/// The results in the `-o` format (an unknown name falls back to `stdout`, as in
/// conftest).
pub fn render_results(settings: &Settings, results: &[CheckResult]) -> String {
    match settings.output.as_str() {
        "json" => render::json(results),
        "tap" => render::tap(results),
        "table" => render::table(results),
        "github" => render::github(results),
        "junit" => ci::junit(results, settings.junit_hide_message),
        "sarif" => ci::sarif(results),
        "azuredevops" => azure::azuredevops(results),
        _ => render::stdout(
            results,
            render::StdoutOptions {
                no_color: settings.no_color,
                suppress_exceptions: settings.suppress_exceptions,
                show_skipped: false,
            },
        ),
    }
}
