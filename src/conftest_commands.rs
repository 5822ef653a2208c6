//! `envgate test` and `envgate verify` in conftest mode: flags to settings, the
//! library's run, its text printed, and conftest's exit codes (an error exits 1, or 3
//! with `--distinct-exit-codes`; envgate's other commands exit 2 on errors).

use std::path::{Path, PathBuf};

use envgate::conftest::{self, settings};
use envgate::error::Error;

use crate::Outcome;
use crate::cli_args::{TestArgs, VerifyArgs};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// An error printed as every envgate error is, with conftest's exit code.
fn failed(error: Error, distinct: bool) -> Outcome {
    eprintln!("{:?}", envgate::error::printable(&error.redacted()));
    Outcome::Code(conftest::error_exit_code(distinct))
}

pub(crate) fn test(args: TestArgs) -> Result<Outcome, Error> {
    let cwd = cwd();
    let flags = args.flags();
    let distinct = flags.distinct_exit_codes || env("CONFTEST_DISTINCT_EXIT_CODES").is_some();
    let settings = match settings::Settings::resolve(settings::Command::Test, &flags, &env, &cwd) {
        Ok(settings) => settings,
        Err(error) => return Ok(failed(error, distinct)),
    };
    let run = match conftest::run_test(&settings, &args.paths, &mut std::io::stdin(), &cwd) {
        Ok(run) => run,
        Err(error) => return Ok(failed(error, settings.distinct_exit_codes)),
    };
    eprint!("{}", run.stderr);
    envgate::output::print(&run.stdout)?;
    Ok(Outcome::Code(run.exit_code))
}

/// Whether `envgate verify` runs a conftest policy directory: a conftest flag was
/// given, or no pack directory was named and the working directory looks like a
/// conftest repository (`conftest.toml`, or `policy/` with `.rego` files and no pack
/// manifest).
pub(crate) fn verify_is_conftest(args: &VerifyArgs, cwd: &Path) -> bool {
    if args.conftest.any() {
        return true;
    }
    if !args.dirs.is_empty() || args.coverage {
        return false;
    }
    if cwd.join("conftest.toml").is_file() {
        return true;
    }
    let policy = cwd.join("policy");
    if !policy.is_dir() || policy.join("manifest.yaml").is_file() {
        return false;
    }
    let mut has_rego = false;
    for entry in walkdir::WalkDir::new(&policy)
        .max_depth(8)
        .into_iter()
        .flatten()
    {
        if entry.file_name() == "manifest.yaml" {
            return false;
        }
        has_rego |= entry.path().extension().is_some_and(|e| e == "rego");
    }
    has_rego
}

pub(crate) fn verify(args: VerifyArgs) -> Result<Outcome, Error> {
    let cwd = cwd();
    let flags = args.conftest.flags();
    let distinct = flags.distinct_exit_codes;
    let settings = match settings::Settings::resolve(settings::Command::Verify, &flags, &env, &cwd)
    {
        Ok(settings) => settings,
        Err(error) => return Ok(failed(error, distinct)),
    };
    let run = match conftest::verify::run_verify(&settings) {
        Ok(run) => run,
        Err(error) => return Ok(failed(error, settings.distinct_exit_codes)),
    };
    envgate::output::print(&run.stdout)?;
    Ok(Outcome::Code(run.exit_code))
}
