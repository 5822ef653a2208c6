//! Real Go toolchains as oracles (installed by .ci/deps/20-go-toolchains.sh): Debian's
//! Go 1.19, the machine's Go (1.26 here) and go1.27.3 fetched by GOTOOLCHAIN switching.
//!
//! For a few hundred seeded environments (settings in the OS environment and in the
//! `go env -w` file, HOME/XDG spellings, GOENV, GOROOT set or not, a C compiler on
//! PATH or not, a go.mod/go.work above the working directory), envgate's computed Go
//! environment must equal what that toolchain's `go env -json` prints, for every
//! variable both know. A variable the toolchain prints that envgate neither computes
//! nor lists in `GO_ENV_NOT_COMPUTED` fails the test: that is how a variable new in a
//! newer Go gets noticed. A failing case is minimized before it is printed. Each
//! toolchain that is not installed is skipped with a printed reason.
//!
//! tools.rs judges GO038, GO039 and `doctor --probe` against the real downloads.

#[path = "real_go/cases.rs"]
mod cases;
#[path = "real_go/tools.rs"]
mod tools;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cases::{Feature, Rng};
use envgate::collect::{CollectOptions, GO_ENV_NOT_COMPUTED, go_env_computed};
use envgate::host::LiveHost;

/// Cases per toolchain; `ENVGATE_REAL_GO_CASES` raises it for a longer run.
const CASES: usize = 100;
const SEED: u64 = 0x5eed_60e4;

pub fn ci_cache() -> PathBuf {
    std::env::var_os("ENVGATE_CI_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/envgate-ci"))
}

/// The toolchains the oracle compares against: (name, GOROOT), or why one is missing.
pub fn toolchains() -> Vec<(&'static str, Result<PathBuf, String>)> {
    let downloaded = ci_cache().join("go/pkg/mod/golang.org/toolchain@v0.0.1-go1.27.3.linux-amd64");
    let candidates = [
        ("Debian go1.19", PathBuf::from("/usr/lib/go-1.19")),
        ("go1.26 (/usr/local/go)", PathBuf::from("/usr/local/go")),
        ("go1.27.3 (GOTOOLCHAIN download)", downloaded),
    ];
    candidates
        .into_iter()
        .map(|(name, goroot)| {
            let found = if goroot.join("bin/go").is_file() {
                Ok(goroot)
            } else {
                Err(format!(
                    "{} is not installed (run .ci/deps/20-go-toolchains.sh)",
                    goroot.join("bin/go").display()
                ))
            };
            (name, found)
        })
        .collect()
}

/// What the real toolchain prints, or its error.
fn real_go_env(
    goroot: &Path,
    env: &BTreeMap<String, String>,
    workdir: &Path,
) -> Result<BTreeMap<String, String>, String> {
    let output = Command::new(goroot.join("bin/go"))
        .args(["env", "-json"])
        .env_clear()
        .envs(env)
        .current_dir(workdir)
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())
}

/// envgate's computation, through the library, for the same environment.
fn envgate_go_env(env: &BTreeMap<String, String>, workdir: &Path) -> BTreeMap<String, String> {
    let host = LiveHost::with_env(env.clone(), false);
    let options = CollectOptions {
        workspace: Some(workdir.to_path_buf()),
        ..Default::default()
    };
    let snapshot = envgate::collect::collect(&host, &options).unwrap();
    snapshot
        .go
        .env
        .into_iter()
        .map(|(name, value)| (name, value.value))
        .collect()
}

/// The differences between the two for one case; None when the toolchain refused it
/// (an environment no go command accepts is no test of the computation).
fn differences(features: &[Feature], goroot: &Path) -> Option<Vec<String>> {
    let tmp = tempfile::tempdir().unwrap();
    let case = cases::materialize(features, tmp.path(), goroot);
    let real = match real_go_env(goroot, &case.env, &case.workdir) {
        Ok(real) => real,
        Err(why) => {
            let first = why.lines().next().unwrap_or("").to_string();
            eprintln!("  go refused {features:?}: {first}");
            return None;
        }
    };
    let ours = envgate_go_env(&case.env, &case.workdir);
    let computed = go_env_computed();
    let mut diffs = Vec::new();
    for (name, real_value) in &real {
        if GO_ENV_NOT_COMPUTED.contains(&name.as_str()) {
            continue;
        }
        if !computed.contains(&name.as_str()) {
            diffs.push(format!(
                "{name}: printed by go but neither computed by envgate nor listed in GO_ENV_NOT_COMPUTED"
            ));
            continue;
        }
        let our_value = ours.get(name).map(String::as_str).unwrap_or("");
        if our_value != real_value {
            diffs.push(format!("{name}: envgate {our_value:?}, go {real_value:?}"));
        }
    }
    let tmp_s = tmp.path().display().to_string();
    Some(
        diffs
            .into_iter()
            .map(|d| d.replace(&tmp_s, "{tmp}"))
            .collect(),
    )
}

/// Drops features one at a time while the case still fails.
fn minimize(mut features: Vec<Feature>, goroot: &Path) -> (Vec<Feature>, Vec<String>) {
    let mut diffs = differences(&features, goroot).unwrap_or_default();
    let mut i = 0;
    while i < features.len() {
        let mut fewer = features.clone();
        fewer.remove(i);
        match differences(&fewer, goroot) {
            Some(d) if !d.is_empty() => {
                features = fewer;
                diffs = d;
            }
            _ => i += 1,
        }
    }
    (features, diffs)
}

/// Runs the cases of one toolchain; the first disagreement, minimized, is the error.
fn check_toolchain(name: &str, goroot: &Path, cases: usize) -> Result<String, String> {
    let mut rng = Rng::new(SEED);
    let mut refused = 0;
    // The plain environment first: it must always be accepted.
    let mut all = vec![Vec::new()];
    all.extend((0..cases).map(|_| cases::generate(&mut rng)));
    for (index, features) in all.into_iter().enumerate() {
        match differences(&features, goroot) {
            None if index == 0 => {
                return Err(format!(
                    "{name}: `go env -json` fails in a clean environment"
                ));
            }
            None => refused += 1,
            Some(diffs) if diffs.is_empty() => {}
            Some(_) => {
                let (minimal, diffs) = minimize(features, goroot);
                return Err(format!(
                    "{name} ({}), case {index}: envgate's Go environment differs from `go env -json`\n\
                     minimized case: {minimal:#?}\ndifferences:\n  {}",
                    goroot.display(),
                    diffs.join("\n  ")
                ));
            }
        }
    }
    // Refusals are rare by construction; many would mean the cases test nothing.
    if refused * 10 > cases {
        return Err(format!(
            "{name}: go refused {refused} of {cases} environments"
        ));
    }
    Ok(format!(
        "{name}: {} environments agree, {refused} refused by go",
        cases + 1 - refused
    ))
}

#[test]
fn computed_go_env_equals_go_env_json_of_real_toolchains() {
    let cases: usize = std::env::var("ENVGATE_REAL_GO_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    let mut present = Vec::new();
    for (name, goroot) in toolchains() {
        match goroot {
            Ok(goroot) => present.push((name, goroot)),
            Err(why) => eprintln!("skipped {name}: {why}"),
        }
    }
    if present.is_empty() {
        eprintln!("skipped: no real Go toolchain installed (run .ci/deps/20-go-toolchains.sh)");
        return;
    }
    // One thread per toolchain: the cases are independent.
    let results: Vec<Result<String, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = present
            .iter()
            .map(|(name, goroot)| scope.spawn(move || check_toolchain(name, goroot, cases)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(summary) => eprintln!("{summary}"),
            Err(failure) => failures.push(failure),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
