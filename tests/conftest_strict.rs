//! `envgate test --strict` against the real conftest: seeded generated policies (used
//! and unused imports, function arguments, `:=` variables, destructuring, `some`
//! declarations, comprehensions, `else` bodies) must be refused exactly when conftest
//! refuses them, with the same `file:line: rego_compile_error: …` lines, and every
//! example policy directory of `tests/fixtures/conftest/` with the same verdict.
//! Skipped, with the reason printed, when conftest is not installed
//! (`.ci/deps/50-conftest.sh`).

#[path = "agreement/rng.rs"]
#[allow(dead_code)]
mod rng;
mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use rng::Rng;
use support::real_conftest::{conftest, copy_dir, env_number, unwrapped};

/// Exit code and the strict-mode error lines of `test --strict` in `dir`.
fn run(program: &Path, dir: &Path) -> (i32, BTreeSet<String>) {
    let out = Command::new(program)
        .args(["test", "--no-color", "--strict", "input.json"])
        .current_dir(dir)
        .output()
        .expect("run");
    let text = unwrapped(&out.stderr);
    let start = regex::Regex::new(r"[^\s:]+\.rego:\d+: rego_compile_error: ").unwrap();
    let starts: Vec<usize> = start.find_iter(&text).map(|m| m.start()).collect();
    let mut lines = BTreeSet::new();
    for (i, &at) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        lines.insert(text[at..end].trim().to_string());
    }
    (out.status.code().unwrap_or(-1), lines)
}

/// A policy of random shape; every statement on its own line.
fn policy(rng: &mut Rng) -> String {
    let mut lines = vec!["package main".to_string(), "import rego.v1".to_string()];
    let lib = rng.chance(50);
    let other = rng.chance(50);
    if lib {
        lines.push("import data.lib".into());
    }
    if other {
        lines.push("import data.other as o".into());
    }
    let (use_a, use_b) = (rng.chance(83), rng.chance(83));
    lines.push(format!(
        "f(a, b) := {}",
        match (use_a, use_b) {
            (true, true) => "a + b",
            (true, false) => "a",
            (false, true) => "b",
            (false, false) => "1",
        }
    ));
    for rule in 0..(1 + rng.next() % 3) {
        lines.push("deny contains msg if {".into());
        let mut used = Vec::new();
        for i in 0..(1 + rng.next() % 4) {
            let n = format!("{rule}_{i}");
            match rng.next() % 5 {
                0 => {
                    lines.push(format!("\tx{n} := input.a"));
                    if rng.chance(83) {
                        used.push(format!("x{n}"));
                    }
                }
                1 => {
                    lines.push(format!("\t[p{n}, q{n}] := [1, 2]"));
                    if rng.chance(83) {
                        used.push(format!("p{n}"));
                    }
                    if rng.chance(83) {
                        used.push(format!("q{n}"));
                    }
                }
                2 => lines.push(format!("\tsome v{n} in input.xs")),
                3 => {
                    let inner = if rng.chance(83) {
                        format!("; w{n} > 0")
                    } else {
                        String::new()
                    };
                    lines.push(format!(
                        "\tc{n} := [z | some z in input.ys; w{n} := z{inner}]"
                    ));
                    if rng.chance(83) {
                        used.push(format!("c{n}"));
                    }
                }
                _ => lines.push(format!("\tf({}, 2) > 0", rng.next() % 3)),
            }
        }
        if lib && rng.chance(83) {
            lines.push("\tlib.g(1) == 1".into());
        }
        if other && rng.chance(83) {
            lines.push("\to.h == 1".into());
        }
        for var in used {
            lines.push(format!("\t{var} != null"));
        }
        lines.push("\tmsg := \"no\"".into());
        lines.push("}".into());
    }
    lines.join("\n") + "\n"
}

fn differs(conftest: &Path, dir: &Path) -> Option<String> {
    let theirs = run(conftest, dir);
    let ours = run(Path::new(env!("CARGO_BIN_EXE_envgate")), dir);
    (theirs != ours).then(|| format!("conftest {theirs:#?}\nenvgate {ours:#?}"))
}

#[test]
fn strict_mode_refuses_what_conftest_refuses() {
    let Some(conftest) = conftest() else {
        eprintln!("skipped: no conftest installed (run .ci/deps/50-conftest.sh)");
        return;
    };
    let seed = env_number("ENVGATE_STRICT_SEED", 0x57_1c7);
    let cases = env_number("ENVGATE_STRICT_CASES", 40);
    let mut failures = Vec::new();
    let mut refused = 0;
    for case in 0..cases {
        let mut rng = Rng::new(seed ^ (case + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("policy")).unwrap();
        let text = policy(&mut rng);
        std::fs::write(dir.path().join("policy/main.rego"), &text).unwrap();
        std::fs::write(
            dir.path().join("policy/lib.rego"),
            "package lib\nimport rego.v1\ng(x) := x\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("input.json"), "{}\n").unwrap();
        if run(&conftest, dir.path()).0 == 1 {
            refused += 1;
        }
        if let Some(diff) = differs(&conftest, dir.path()) {
            failures.push(format!("case {case} (seed {seed}):\n{text}{diff}"));
        }
    }
    assert!(
        refused > 0 && refused < cases,
        "the generator should make both kinds: {refused} of {cases} refused"
    );
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conftest");
    for name in [
        "kubernetes",
        "docker",
        "exceptions",
        "strict",
        "toml",
        "lines",
        "data",
    ] {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures.join(name), dir.path());
        std::fs::write(dir.path().join("input.json"), "{}\n").unwrap();
        if let Some(diff) = differs(&conftest, dir.path()) {
            failures.push(format!("fixture {name}:\n{diff}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
