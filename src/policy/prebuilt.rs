//! The built-in packs, compiled to regorus bytecode by `build.rs`.
//!
//! Parsing and preparing the ~200 KB of Rego of the built-in packs takes ~18 ms, more
//! than everything else a `doctor` run does together. The build compiles each pack to
//! an RVM program instead; a run deserializes it (~1 ms) and executes its entry points,
//! each an object `{package: deny}` for a share of the pack's rules, one per thread.
//!
//! The VM and the interpreter are two implementations of Rego, and regorus 0.14.1's
//! VM silently disagreed with its interpreter (docs/regorus-vm-bugs.md); envgate builds
//! a patched copy (vendor/regorus), and tests/engine_agreement.rs judges thousands of
//! generated inputs both ways, as tests/scenarios.rs and tests/k8s.rs do every
//! scenario and fixture. Anything
//! the VM cannot do at run time (an error, a time-out) is judged again by the
//! interpreter, which names the failing rule. `ENVGATE_ENGINE=interpreter` forces the
//! interpreter, to tell the two apart when a finding looks wrong; `ENVGATE_ENGINE=vm`
//! makes a VM failure an error instead of a quiet fallback (the tests use it).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use regorus::rvm::Program;
use regorus::rvm::program::DeserializationResult;
use regorus::rvm::vm::RegoVM;

use super::Pack;
use super::Rule;
use super::decode::{Fixes, decode_findings};
use super::engine::{RawFinding, timer};

/// One built-in pack's program, as `build.rs` wrote it.
pub struct PrebuiltPack {
    pub pack: &'static str,
    pub program: &'static [u8],
    /// Entry point names and the rule packages each evaluates.
    pub entries: &'static [EntryPoint],
    /// For a pack with `per_file` rules: one entry point for all of them.
    pub per_file: Option<EntryPoint>,
}

/// An entry point's name and the rule packages it evaluates.
pub type EntryPoint = (&'static str, &'static [&'static str]);

static PACKS: &[PrebuiltPack] = include!(concat!(env!("OUT_DIR"), "/prebuilt_policies.rs"));

/// The programs of a set of built-in packs, ready to run.
pub struct Prebuilt {
    entries: Vec<Entry>,
    /// Per pack: its rule packages, and the entry point of those that judge per
    /// document, when it has some.
    per_file: Vec<(Vec<&'static str>, Option<Entry>)>,
    data: regorus::Value,
    /// `ENVGATE_ENGINE=vm`: a VM failure is an error, not a fallback.
    pub strict: bool,
}

/// Which engine `ENVGATE_ENGINE` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Auto,
    Interpreter,
    Vm,
}

/// `ENVGATE_ENGINE=interpreter`: nothing runs on the VM, not even packs compiled for
/// it at run time.
pub fn interpreter_forced() -> bool {
    choice() == Choice::Interpreter
}

/// `ENVGATE_ENGINE=vm`: a VM failure is an error, not a fallback to the interpreter.
pub fn vm_required() -> bool {
    choice() == Choice::Vm
}

fn choice() -> Choice {
    match std::env::var("ENVGATE_ENGINE").as_deref() {
        Ok("interpreter") => Choice::Interpreter,
        Ok("vm") => Choice::Vm,
        _ => Choice::Auto,
    }
}

/// Each rule's findings, by the rule's index in the evaluated rules.
type Judged = Result<Vec<(usize, Vec<RawFinding>)>, String>;

/// The entry points that judge a batch of files, and the rules asked for.
pub struct BatchPlan<'a> {
    entries: Vec<BatchEntry<'a>>,
    wanted: BTreeMap<&'a str, usize>,
    /// Per entry, copies of its program and data that no batch is using now.
    idle: Vec<Mutex<Vec<WorkerCopy>>>,
}

/// A program's entry point that judges a batch, with the data it runs with.
pub struct BatchEntry<'a> {
    pub program: Arc<Program>,
    /// The program as bytes (a built-in pack's), to copy it from.
    pub bytes: Option<&'static [u8]>,
    pub data: regorus::Value,
    pub name: String,
    pub packages: Vec<&'a str>,
}

impl<'a> BatchPlan<'a> {
    /// A plan of `entries` for `rules` (the rules asked for, by package).
    pub fn new(entries: Vec<BatchEntry<'a>>, rules: &[&'a Rule]) -> Self {
        // A batch's findings are reported, never applied: the rules need not build
        // their edits.
        let entries: Vec<BatchEntry<'a>> = (entries.into_iter())
            .map(|entry| BatchEntry {
                data: without_edits(&entry.data),
                ..entry
            })
            .collect();
        let wanted = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.package.as_str(), i))
            .collect();
        // The entry's own program is the first copy: a check of a few files makes none.
        let idle = (entries.iter())
            .map(|entry| {
                Mutex::new(vec![WorkerCopy {
                    program: entry.program.clone(),
                    data: entry.data.clone(),
                }])
            })
            .collect();
        Self {
            entries,
            wanted,
            idle,
        }
    }

    /// Judges one batch whose documents are of the kinds `present`; an error when the
    /// VM failed. An entry none of whose rules reads a kind present is not run: they
    /// would judge nothing (the repo pack's in a batch of manifests).
    pub fn run(
        &self,
        input: &regorus::Value,
        rules: &[&Rule],
        present: &std::collections::BTreeSet<crate::snapshot::FileKind>,
        limit: Duration,
    ) -> Result<Vec<RawFinding>, String> {
        let mut found = Vec::new();
        for (k, entry) in self.entries.iter().enumerate() {
            let idle = entry
                .packages
                .iter()
                .filter_map(|p| self.wanted.get(p).map(|&i| rules[i]))
                .all(|rule| !reads_any(rule, present));
            if idle {
                continue;
            }
            let packages = entry.packages.iter().copied();
            let copy = self.idle[k].lock().ok().and_then(|mut idle| idle.pop());
            let copy = copy.unwrap_or_else(|| WorkerCopy::of(entry));
            let judged = judge_entry(
                &copy.program,
                &copy.data,
                input,
                &entry.name,
                packages,
                rules,
                &self.wanted,
                limit,
                Fixes::Skip,
            );
            if let Ok(mut idle) = self.idle[k].lock() {
                idle.push(copy);
            }
            let judged = judged?;
            for (_, findings) in judged {
                found.extend(findings);
            }
        }
        Ok(found)
    }
}

/// `data` with `data.envgate_run.edits` false: the built-in rules then leave their
/// findings' `fix` empty (`fix_lib.wanted`), which `Fixes::Skip` would not decode anyway.
fn without_edits(data: &regorus::Value) -> regorus::Value {
    let mut data = data.clone();
    if let Ok(object) = data.as_object_mut() {
        let run = BTreeMap::from([(regorus::Value::from("edits"), regorus::Value::from(false))]);
        object.insert(
            regorus::Value::from("envgate_run"),
            regorus::Value::from(run),
        );
    }
    data
}

/// A batch's own copy of an entry's program and data. The VM clones the program's
/// `Arc` on every call and jump, and the values it loads (literals, data) as it reads
/// them: with the workers sharing one copy, those reference counts move between the
/// cores thousands of times per document, and reading the program's instruction count
/// beside them waits each time (measured on the 10,000-document sets: 1% to 23% less
/// CPU, depending on the hour). A worker takes an idle copy or makes one, so a check
/// makes about one fewer than it has cores. The data came from JSON (the packs' data
/// files), so its JSON reads back as the same value.
struct WorkerCopy {
    program: Arc<Program>,
    data: regorus::Value,
}

impl WorkerCopy {
    fn of(entry: &BatchEntry<'_>) -> Self {
        let program = entry
            .bytes
            .and_then(|bytes| match Program::deserialize_binary(bytes) {
                Ok(DeserializationResult::Complete(program)) => Some(program),
                _ => None,
            })
            .or_else(|| {
                let bytes = entry.program.serialize_binary().ok()?;
                match Program::deserialize_binary(&bytes) {
                    Ok(DeserializationResult::Complete(program)) => Some(program),
                    _ => None,
                }
            })
            // Shared, as before, when no copy could be made.
            .map_or_else(|| entry.program.clone(), Arc::new);
        let data = (entry.data.to_json_str().ok())
            .and_then(|json| regorus::Value::from_json_str(&json).ok())
            .unwrap_or_else(|| entry.data.clone());
        Self { program, data }
    }
}

/// Whether `rule` may judge a document of a kind in `present`: it reads one of them,
/// or does not say what it reads.
pub fn reads_any(
    rule: &Rule,
    present: &std::collections::BTreeSet<crate::snapshot::FileKind>,
) -> bool {
    rule.reads
        .as_ref()
        .is_none_or(|kinds| kinds.iter().any(|kind| present.contains(kind)))
}

struct Entry {
    program: Arc<Program>,
    bytes: &'static [u8],
    name: &'static str,
    packages: &'static [&'static str],
}

impl Prebuilt {
    /// The programs for `packs`, when every one of them is built in and was
    /// precompiled (and `ENVGATE_ENGINE` does not ask for the interpreter); `None`
    /// sends the caller to the interpreter.
    pub fn for_packs(packs: &[Pack]) -> Option<Self> {
        let choice = choice();
        if choice == Choice::Interpreter {
            return None;
        }
        let mut entries = Vec::new();
        let mut per_file = Vec::new();
        let mut pack_data = serde_json::Map::new();
        for pack in packs {
            if pack.origin != "builtin" {
                return None;
            }
            let prebuilt = PACKS.iter().find(|p| p.pack == pack.name)?;
            let program = match Program::deserialize_binary(prebuilt.program).ok()? {
                DeserializationResult::Complete(program) => Arc::new(program),
                DeserializationResult::Partial(_) => return None,
            };
            let entry = |&(name, packages): &EntryPoint| Entry {
                program: program.clone(),
                bytes: prebuilt.program,
                name,
                packages,
            };
            entries.extend(prebuilt.entries.iter().map(entry));
            let packages = prebuilt.entries.iter().flat_map(|e| e.1.iter().copied());
            per_file.push((packages.collect(), prebuilt.per_file.as_ref().map(entry)));
            pack_data.insert(pack.name.clone(), pack.data.clone());
        }
        let data = serde_json::json!({ "pack_data": pack_data });
        let data = regorus::Value::from_json_str(&data.to_string()).ok()?;
        Some(Self {
            entries,
            per_file,
            data,
            strict: vm_required(),
        })
    }

    /// Evaluates `rules` (findings in rule order). An error when the VM failed on
    /// some entry point: the caller judges again with the interpreter.
    pub fn evaluate(
        &self,
        input: &regorus::Value,
        rules: &[&Rule],
        limit: Duration,
    ) -> Result<Vec<RawFinding>, String> {
        let wanted: BTreeMap<&str, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.package.as_str(), i))
            .collect();
        let run: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.packages.iter().any(|p| wanted.contains_key(p)))
            .collect();
        let workers = crate::parallel::cores().min(run.len()).max(1);
        let work = |w: usize| -> Judged {
            let mut found = Vec::new();
            for entry in run.iter().skip(w).step_by(workers) {
                found.extend(self.run_entry(entry, input, rules, &wanted, limit)?);
            }
            Ok(found)
        };
        // This thread takes the first share: one thread fewer to start (and to give
        // memory of its own) in a run that lasts milliseconds.
        let done: Vec<Judged> = std::thread::scope(|scope| {
            let handles: Vec<_> = (1..workers).map(|w| scope.spawn(move || work(w))).collect();
            let mut done = vec![work(0)];
            done.extend(handles.into_iter().map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a VM worker panicked".to_string()))
            }));
            done
        });
        let mut results: Vec<Option<Vec<RawFinding>>> = rules.iter().map(|_| None).collect();
        for (i, findings) in done
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
        {
            results[i] = Some(findings);
        }
        let mut findings = Vec::new();
        for (rule, result) in rules.iter().zip(results) {
            findings.extend(
                result
                    .ok_or_else(|| format!("{} is in no precompiled entry point", rule.package))?,
            );
        }
        Ok(findings)
    }

    /// For `rules` that each judge a file on its own (`per_file`): the entry points
    /// that judge a batch of files (an input whose `files` are the documents of a share
    /// of the files). `None` when some rule is in no such entry point (it compares
    /// files: it needs the whole input).
    pub fn batch_plan<'a>(&'a self, rules: &[&'a Rule]) -> Option<BatchPlan<'a>> {
        let asked: std::collections::BTreeSet<&str> =
            rules.iter().map(|r| r.package.as_str()).collect();
        let covered = |p: &&str| {
            self.per_file
                .iter()
                .any(|(_, entry)| entry.as_ref().is_some_and(|e| e.packages.contains(p)))
        };
        if !asked.iter().all(covered) {
            return None;
        }
        let mut entries = Vec::new();
        for (packages, entry) in &self.per_file {
            if packages.iter().any(|p| asked.contains(p)) {
                let Some(entry) = entry.as_ref() else {
                    continue;
                };
                entries.push(BatchEntry {
                    program: entry.program.clone(),
                    bytes: Some(entry.bytes),
                    data: self.data.clone(),
                    name: entry.name.to_string(),
                    packages: entry.packages.to_vec(),
                });
            }
        }
        (!entries.is_empty()).then(|| BatchPlan::new(entries, rules))
    }

    fn run_entry(
        &self,
        entry: &Entry,
        input: &regorus::Value,
        rules: &[&Rule],
        wanted: &BTreeMap<&str, usize>,
        limit: Duration,
    ) -> Judged {
        let packages = entry.packages.iter().copied();
        judge_entry(
            &entry.program,
            &self.data,
            input,
            entry.name,
            packages,
            rules,
            wanted,
            limit,
            Fixes::Decode,
        )
    }
}

/// Runs an entry point that evaluates to `{package: deny}` and decodes the findings of
/// the `packages` asked for (`wanted`: package → index in `rules`).
#[allow(clippy::too_many_arguments)]
fn judge_entry<'p>(
    program: &Arc<Program>,
    data: &regorus::Value,
    input: &regorus::Value,
    name: &str,
    packages: impl Iterator<Item = &'p str>,
    rules: &[&Rule],
    wanted: &BTreeMap<&str, usize>,
    limit: Duration,
    fixes: Fixes,
) -> Judged {
    let mut value = run_entry_point(program, data, input, name, limit)?;
    let object = value
        .as_object_mut()
        .map_err(|_| format!("{name} is no object"))?;
    let mut found = Vec::new();
    for package in packages {
        let Some(&i) = wanted.get(package) else {
            continue;
        };
        let deny = object
            .remove(&regorus::Value::from(package))
            .unwrap_or(regorus::Value::Undefined);
        let findings = decode_findings(rules[i], deny, fixes).map_err(|e| format!("{e}"))?;
        found.push((i, findings));
    }
    Ok(found)
}

/// Runs one entry point of `program` on a fresh VM. The time limit, not an instruction
/// count, bounds a policy.
pub(super) fn run_entry_point(
    program: &Arc<Program>,
    data: &regorus::Value,
    input: &regorus::Value,
    entry: &str,
    limit: Duration,
) -> Result<regorus::Value, String> {
    let mut vm = RegoVM::new();
    vm.set_max_instructions(usize::MAX);
    vm.set_execution_timer_config(Some(timer(limit)));
    vm.load_program(program.clone());
    vm.set_data(data.clone())
        .map_err(|e| format!("{entry}: {e}"))?;
    vm.set_input(input.clone());
    vm.execute_entry_point_by_name(entry)
        .map_err(|e| format!("{entry}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// build.rs reads `per_file: true` from the Rego text; the registry from METADATA.
    /// They must agree, or a rule would be batched that should not be (or the reverse).
    #[test]
    fn the_build_and_the_metadata_agree_on_which_rules_judge_per_file() {
        let packs = crate::policy::builtin_packs().unwrap();
        for pack in &packs {
            let prebuilt = PACKS.iter().find(|p| p.pack == pack.name).unwrap();
            let mut per_file: Vec<&str> = pack
                .rules
                .iter()
                .filter(|r| r.per_file)
                .map(|r| r.package.as_str())
                .collect();
            per_file.sort_unstable();
            let mut built: Vec<&str> = prebuilt.per_file.map_or(&[][..], |e| e.1).to_vec();
            built.sort_unstable();
            assert_eq!(built, per_file, "{}", pack.name);
        }
        let k8s = PACKS.iter().find(|p| p.pack == "k8s").unwrap();
        let k8s_rules = packs.iter().find(|p| p.name == "k8s").unwrap().rules.len();
        assert!(k8s_rules >= 21, "K8S000 and K8S001–K8S020");
        // Every k8s rule but the two that compare files (K8S032, K8S033).
        assert_eq!(k8s.per_file.unwrap().1.len(), k8s_rules - 2);
    }

    /// The batches' data makes the compiled k8s rules leave out their edits, and only
    /// their edits; with the packs' own data they are built.
    #[test]
    fn a_batch_runs_the_compiled_rules_without_their_edits() {
        let packs: Vec<Pack> = (crate::policy::builtin_packs().unwrap().into_iter())
            .filter(|p| p.name == "k8s")
            .collect();
        let prebuilt = Prebuilt::for_packs(&packs).unwrap();
        let k8s = PACKS.iter().find(|p| p.pack == "k8s").unwrap();
        let entry = k8s.per_file.unwrap().0;
        let input = regorus::Value::from_json_str(
            r#"{"files": [{"path": "web.yaml", "document": 0, "line": 1, "kind": "kubernetes",
                "api_version": "apps/v1", "resource_kind": "Deployment",
                "content": {"apiVersion": "apps/v1", "kind": "Deployment",
                  "metadata": {"name": "web", "namespace": "shop"},
                  "spec": {"selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                      "spec": {"containers": [{"name": "app", "image": "nginx",
                        "securityContext": {"privileged": true}}]}}}}}]}"#,
        )
        .unwrap();
        let program = &prebuilt.entries[0].program;
        let run = |data: &regorus::Value| {
            let value = run_entry_point(program, data, &input, entry, Duration::from_secs(60));
            // Each finding as its JSON text, with its edits apart.
            let mut findings = Vec::new();
            for (_, deny) in value.unwrap().as_object().unwrap().iter() {
                for finding in deny.as_set().unwrap().iter() {
                    let mut finding = finding.clone();
                    let fix = (finding.as_object_mut().unwrap())
                        .remove(&regorus::Value::from("fix"))
                        .unwrap();
                    findings.push((finding.to_json_str().unwrap(), fix));
                }
            }
            findings.sort_by(|a, b| a.0.cmp(&b.0));
            findings
        };
        let with_edits = run(&prebuilt.data);
        let without_edits = run(&without_edits(&prebuilt.data));
        assert!(with_edits.len() >= 10, "{}", with_edits.len());
        let texts =
            |f: &[(String, regorus::Value)]| f.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&with_edits), texts(&without_edits));
        assert!(
            without_edits
                .iter()
                .all(|(_, fix)| *fix == regorus::Value::new_array())
        );
        let edited = with_edits
            .iter()
            .filter(|(_, fix)| *fix != regorus::Value::new_array());
        assert!(edited.count() >= 8);
    }
}
