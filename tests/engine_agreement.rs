//! Differential test: the built-in packs judged by regorus's bytecode VM (what runs by
//! default, precompiled at build time) and by its interpreter (the reference) must give
//! the same findings, field for field, on thousands of inputs.
//!
//! The VM once returned findings the interpreter did not, and dropped others, without
//! an error (`x := undefined` going on, an `else` never tried after a body that ended
//! without a value; `vendor/regorus/PATCHES.md`). Live machines were hit hardest, since
//! there `env_origin` is empty and the helpers that read it took those paths, and the
//! earlier agreement tests only judged images. So the corpus here is, all seeded:
//! - generated live homes (environment variables, proxies, TLS settings, GOROOT copies
//!   whose VERSION disagrees with their binaries, shell files, go.mod / go.work,
//!   `go env -w` files, .netrc, git config, editor settings), collected by the live
//!   collectors with the generated environment;
//! - every fixture scenario (image mode);
//! - random mutations of those snapshots (values swapped for interesting ones, keys and
//!   elements dropped or duplicated);
//! - random mutations of the k8s fixtures, judged as files.
//!
//! A difference is minimized (keys and elements removed while the engines still
//! disagree) and printed with both engines' findings and the seed that reproduces it:
//! `ENVGATE_AGREEMENT_SEED=N cargo test --test engine_agreement`.

mod support;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use envgate::collect::{CollectOptions, collect};
use envgate::host::{ImageHost, LiveHost};
use envgate::policy::engine::PolicySet;
use envgate::snapshot::Mode;
use serde_json::{Value, json};

mod agreement;
use agreement::rng::Rng;
use agreement::{homes, mutate};

/// How many inputs of each kind (the scenarios add theirs, ~130).
const HOMES: usize = 700;
const SNAPSHOT_MUTATIONS: usize = 1_100;
const MANIFEST_MUTATIONS: usize = 300;
/// Evaluations one minimization may spend.
const MINIMIZE_BUDGET: usize = 400;

fn seed() -> u64 {
    std::env::var("ENVGATE_AGREEMENT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_205)
}

struct Engines {
    vm: PolicySet,
    interpreter: PolicySet,
}

impl Engines {
    fn new() -> Self {
        let vm = envgate::load_policies(&[]).unwrap().without_fallback();
        assert!(
            vm.is_precompiled(),
            "the built-in packs are not precompiled: see build.rs's warning"
        );
        let interpreter =
            PolicySet::compile_interpreted(envgate::policy::builtin_packs().unwrap()).unwrap();
        Self { vm, interpreter }
    }

    /// Each engine's findings for a snapshot (as JSON), one canonical line per finding.
    fn judge(&self, input: &Value, mode: Mode) -> (Vec<String>, Vec<String>) {
        (
            findings(&self.vm, input, mode),
            findings(&self.interpreter, input, mode),
        )
    }

    fn agree(&self, input: &Value, mode: Mode) -> bool {
        let (vm, interpreter) = self.judge(input, mode);
        vm == interpreter
    }
}

fn findings(policies: &PolicySet, input: &Value, mode: Mode) -> Vec<String> {
    match policies.evaluate(input, mode) {
        Ok(raw) => {
            let mut lines: Vec<String> = raw
                .iter()
                .map(|f| serde_json::to_string(f).unwrap())
                .collect();
            lines.sort();
            lines
        }
        // An engine error is an outcome too: both must fail alike (the message may
        // differ between two implementations, whether they fail may not).
        Err(_) => vec!["<engine error>".into()],
    }
}

/// A disagreement, minimized, as a readable report.
fn explain(engines: &Engines, what: &str, input: &Value, mode: Mode) -> String {
    let minimal = minimize(input, MINIMIZE_BUDGET, |candidate| {
        !engines.agree(candidate, mode)
    });
    let (vm, interpreter) = engines.judge(&minimal, mode);
    format!(
        "{what}: the engines disagree (seed {}).\nminimized input ({mode:?}):\n{}\ninterpreter:\n  {}\nVM:\n  {}",
        seed(),
        serde_json::to_string_pretty(&minimal).unwrap(),
        interpreter.join("\n  "),
        vm.join("\n  "),
    )
}

/// Removes object members and array elements from `input`, outermost first, as long as
/// `still_fails` holds, within `budget` evaluations.
fn minimize(input: &Value, budget: usize, still_fails: impl Fn(&Value) -> bool) -> Value {
    let mut current = input.clone();
    let mut spent = 0;
    // Paths are tried in order; after a successful removal the walk goes on from the
    // same position of the new document's paths (what came before was needed already).
    let mut position = 0;
    loop {
        let paths = mutate::paths(&current);
        let Some(path) = paths.get(position) else {
            return current;
        };
        if spent >= budget {
            return current;
        }
        spent += 1;
        match mutate::without(&current, path) {
            Some(candidate) if still_fails(&candidate) => current = candidate,
            _ => position += 1,
        }
    }
}

/// Snapshots of every scenario image, with their names.
fn scenario_snapshots() -> Vec<(String, Value)> {
    support::all_scenarios()
        .iter()
        .map(|path| {
            let scenario = support::load(path);
            let dir = tempfile::tempdir().unwrap();
            support::materialize(&scenario, dir.path());
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
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, serde_json::to_value(&snapshot).unwrap())
        })
        .collect()
}

/// A generated home collected by the live collectors (nothing is run: no `go`).
fn live_snapshot(home: &homes::Home, dir: &Path) -> Value {
    for file in &home.files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.bytes).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(file.mode)).unwrap();
    }
    for sub in &home.dirs {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let root = dir.to_string_lossy();
    let env: BTreeMap<String, String> = home
        .env
        .iter()
        .map(|(k, v)| (k.clone(), v.replace("{HOME}", &root)))
        .collect();
    let host = LiveHost::with_env(env, false);
    let snapshot = collect(
        &host,
        &CollectOptions {
            workspace: home.workspace.as_ref().map(|w| dir.join(w)),
            user: None,
            probe: false,
            net: None,
        },
    )
    .unwrap();
    serde_json::to_value(&snapshot).unwrap()
}

/// Runs `judge` over `items` on every core, collecting the failures in input order.
fn on_all_cores<T: Sync>(items: &[T], judge: impl Fn(&T) -> Option<String> + Sync) -> Vec<String> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = items.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|share| scope.spawn(|| share.iter().filter_map(&judge).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

fn assert_no_differences(kind: &str, judged: usize, failures: Vec<String>) {
    eprintln!(
        "engine agreement: {judged} {kind} judged by the VM and the interpreter, {} differ",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {judged} {kind} judged differently; the first ones:\n\n{}",
        failures.len(),
        failures
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

#[test]
fn generated_live_homes_are_judged_alike() {
    let engines = Engines::new();
    let mut rng = Rng::new(seed());
    let homes: Vec<(usize, homes::Home)> =
        (0..HOMES).map(|i| (i, homes::generate(&mut rng))).collect();
    let failures = on_all_cores(&homes, |(i, home)| {
        let dir = tempfile::tempdir().unwrap();
        let input = live_snapshot(home, dir.path());
        (!engines.agree(&input, Mode::Live)).then(|| {
            explain(
                &engines,
                &format!("generated home #{i}:\n{}", home.describe()),
                &input,
                Mode::Live,
            )
        })
    });
    assert_no_differences("generated live homes", homes.len(), failures);
}

#[test]
fn scenarios_and_their_mutations_are_judged_alike() {
    let engines = Engines::new();
    let scenarios = scenario_snapshots();
    let mut inputs: Vec<(String, Value, Mode)> = scenarios
        .iter()
        .map(|(name, snapshot)| (name.clone(), snapshot.clone(), Mode::Image))
        .collect();
    // Live snapshots to mutate as well: a few generated homes.
    let mut rng = Rng::new(seed() ^ 0x5eed);
    let mut bases: Vec<(String, Value, Mode)> = inputs.clone();
    for i in 0..20 {
        let home = homes::generate(&mut rng);
        let dir = tempfile::tempdir().unwrap();
        bases.push((
            format!("generated home {i}"),
            live_snapshot(&home, dir.path()),
            Mode::Live,
        ));
    }
    for k in 0..SNAPSHOT_MUTATIONS {
        let (name, base, mode) = rng.pick(&bases).clone();
        let mut mutated = base;
        let count = 1 + rng.below(4);
        let steps = mutate::mutate(&mut rng, &mut mutated, count);
        inputs.push((
            format!("mutation {k} of {name}: {}", steps.join("; ")),
            mutated,
            mode,
        ));
    }
    let failures = on_all_cores(&inputs, |(name, input, mode)| {
        (!engines.agree(input, *mode)).then(|| explain(&engines, name, input, *mode))
    });
    assert!(
        scenarios.len() >= 100,
        "only {} scenarios were found",
        scenarios.len()
    );
    assert_no_differences("scenario snapshots and mutations", inputs.len(), failures);
}

/// The k8s pack judges files; a manifest is mutated and judged as a one-file check.
#[test]
fn mutated_manifests_are_judged_alike() {
    let engines = Engines::new();
    let fixtures = support::repo_root().join("tests/fixtures/k8s");
    let mut manifests: Vec<(String, Value)> = Vec::new();
    for entry in walkdir::WalkDir::new(&fixtures).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for doc in yaml_serde::Deserializer::from_str(&text) {
            // A fixture that does not parse (K8S000's) would make the deserializer
            // yield the same error forever: stop at the first one.
            match <Value as serde::Deserialize>::deserialize(doc) {
                Ok(value) if value.is_object() => {
                    manifests.push((path.display().to_string(), value));
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }
    assert!(
        manifests.len() >= 50,
        "only {} k8s fixture documents",
        manifests.len()
    );
    let mut rng = Rng::new(seed() ^ 0x8a5);
    let count = std::env::var("ENVGATE_AGREEMENT_MANIFESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(MANIFEST_MUTATIONS);
    let cases: Vec<(String, Value)> = (0..count)
        .map(|k| {
            let (name, base) = rng.pick(&manifests).clone();
            let mut mutated = base;
            let count = 1 + rng.below(3);
            let steps = mutate::mutate(&mut rng, &mut mutated, count);
            (
                format!("mutation {k} of {name}: {}", steps.join("; ")),
                mutated,
            )
        })
        .collect();
    let failures = on_all_cores(&cases, |(name, manifest)| {
        let judge = |candidate: &Value| judge_manifest(&engines, candidate);
        let (vm, interpreter) = judge(manifest);
        (vm != interpreter).then(|| {
            let minimal = minimize(manifest, MINIMIZE_BUDGET, |c| {
                let (vm, interpreter) = judge(c);
                vm != interpreter
            });
            let (vm, interpreter) = judge(&minimal);
            format!(
                "{name}: the engines disagree (seed {}).\nminimized manifest:\n{}\ninterpreter:\n  {}\nVM:\n  {}",
                seed(),
                serde_json::to_string_pretty(&minimal).unwrap(),
                interpreter.join("\n  "),
                vm.join("\n  ")
            )
        })
    });
    assert_no_differences("mutated manifests", cases.len(), failures);
}

/// A manifest written as a JSON file and checked alone, by each engine.
fn judge_manifest(engines: &Engines, manifest: &Value) -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("manifest.json");
    std::fs::write(&file, serde_json::to_string_pretty(manifest).unwrap()).unwrap();
    let run = |policies: &PolicySet| -> Vec<String> {
        let options = envgate::files::CheckOptions::default();
        let check = match envgate::files::check(std::slice::from_ref(&file), &options) {
            Ok(check) => check,
            Err(_) => return vec!["<unreadable>".into()],
        };
        match envgate::files::evaluate::evaluate_files(policies, check) {
            Ok(report) => {
                let mut lines: Vec<String> = report
                    .findings
                    .iter()
                    .map(|f| {
                        json!({"id": f.id, "message": f.message, "location": f.location})
                            .to_string()
                    })
                    .collect();
                lines.sort();
                lines
            }
            Err(_) => vec!["<engine error>".into()],
        }
    };
    (run(&engines.vm), run(&engines.interpreter))
}
