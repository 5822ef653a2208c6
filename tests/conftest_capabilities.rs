//! `envgate test --capabilities FILE` against the real conftest: for every policy
//! directory of `tests/fixtures/conftest/`, capabilities files made from the OPA
//! release conftest v0.69 is built with (its `capabilities/v1.19.0.json`, from the Go
//! module cache `.ci/deps/50-conftest.sh` fills) with a seeded random share of the
//! builtins removed; envgate must refuse exactly when conftest does, naming the same
//! `file:line: rego_type_error: undefined function NAME` lines. Skipped, with the
//! reason printed, when conftest or that file is not on this machine.

#[path = "agreement/rng.rs"]
#[allow(dead_code)]
mod rng;
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use rng::Rng;
use support::real_conftest::{cache, conftest, copy_dir, env_number, unwrapped};

fn opa_capabilities() -> Option<PathBuf> {
    let path = cache()
        .join("go/pkg/mod/github.com/open-policy-agent/opa@v1.19.0/capabilities/v1.19.0.json");
    path.is_file().then_some(path)
}

/// Exit code and the `undefined function` lines of a run.
fn refusals(program: &Path, dir: &Path, caps: &Path) -> (i32, BTreeSet<String>) {
    let out = Command::new(program)
        .args(["test", "--no-color", "--capabilities"])
        .arg(caps)
        .arg("input.yaml")
        .current_dir(dir)
        .output()
        .expect("run");
    let text = unwrapped(&out.stderr);
    let refusal =
        regex::Regex::new(r"[^\s:]*:\d+: rego_type_error: undefined function [^\s]+").unwrap();
    let lines = refusal
        .find_iter(&text)
        .map(|m| m.as_str().to_string())
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}

#[test]
fn capabilities_refuse_what_conftest_refuses() {
    let (Some(conftest), Some(full)) = (conftest(), opa_capabilities()) else {
        eprintln!(
            "skipped: conftest or OPA v1.19.0's capabilities file is missing (run .ci/deps/50-conftest.sh)"
        );
        return;
    };
    let envgate = PathBuf::from(env!("CARGO_BIN_EXE_envgate"));
    let capabilities: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&full).unwrap()).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conftest");
    let seed = env_number("ENVGATE_CAPABILITIES_SEED", 0x5eed);
    let mut compared = 0;
    let mut failures = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("policy").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        copy_dir(&fixtures.join(&name).join("policy"), &dir.join("policy"));
        std::fs::write(dir.join("input.yaml"), "kind: Deployment\n").unwrap();
        // Policies conftest refuses whatever the capabilities (bad syntax, strict
        // mode cases) tell nothing here.
        let all = dir.join("all.json");
        std::fs::write(&all, capabilities.to_string()).unwrap();
        let (code, lines) = refusals(&conftest, dir, &all);
        if !lines.is_empty() || code > 1 {
            continue;
        }
        for case in 0..8u64 {
            let mut rng =
                Rng::new(seed ^ (case + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ name.len() as u64);
            let mut reduced = capabilities.clone();
            let builtins = reduced["builtins"].as_array_mut().unwrap();
            // Keep the assignment operators (without them OPA reports other errors
            // before the type check) and `equal`, which conftest's own exception query
            // calls: a capabilities file without it breaks conftest itself.
            builtins.retain(|b| {
                matches!(b["name"].as_str(), Some("assign" | "eq" | "equal")) || !rng.chance(35)
            });
            let caps = dir.join(format!("caps-{case}.json"));
            std::fs::write(&caps, reduced.to_string()).unwrap();
            let theirs = refusals(&conftest, dir, &caps);
            let ours = refusals(&envgate, dir, &caps);
            compared += 1;
            // OPA stops listing after 10 errors; envgate lists them all.
            let agree = theirs.0 == ours.0
                && if theirs.1.len() >= 10 {
                    theirs.1.is_subset(&ours.1)
                } else {
                    theirs.1 == ours.1
                };
            if !agree {
                failures.push(format!(
                    "{name} case {case} (seed {seed}): conftest exit {} {:#?}\nenvgate exit {} {:#?}",
                    theirs.0, theirs.1, ours.0, ours.1
                ));
            }
        }
    }
    assert!(compared >= 40, "only {compared} cases compared");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
