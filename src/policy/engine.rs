//! Compiles the packs once and evaluates every rule against a snapshot.
//!
//! Built-in packs run on their precompiled programs (`prebuilt.rs`); the regorus engine
//! here is built for user packs, for the reference tests, and as the fallback when the
//! VM fails. It is prepared once (regorus prepares lazily on the first evaluation, and a
//! clone of a prepared engine stays prepared), then cloned per worker: the rules are
//! shared out over the cores, each worker evaluating whole rules against the same input.
//! Every rule sees the whole input, so rules that compare several files (or files and
//! the machine) work. A files-only check whose rules are all `per_file` is judged in
//! batches of files instead (`files/batches.rs`), with an entry point compiled here
//! for user packs.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::sync::OnceLock;
use std::time::Duration;

use regorus::languages::rego::compiler::Compiler;
use regorus::utils::limits::ExecutionTimerConfig;
use serde::{Deserialize, Serialize};

use super::decode::{Fixes, decode_findings};
use super::prebuilt::{BatchEntry, BatchPlan, Prebuilt, run_entry_point};
use super::{Pack, PolicySource, Rule, Severity};
use crate::error::Error;
use crate::snapshot::Mode;

/// A runaway policy (an unbounded walk, a pathological regex) is stopped after this.
pub const EVAL_TIME_LIMIT: Duration = Duration::from_secs(5);

/// What a rule emitted, before the report step attaches metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawFinding {
    pub rule_id: String,
    pub msg: String,
    pub location: Option<RawLocation>,
    pub subject: Option<String>,
    /// A per-finding severity, for rules whose catalogue entry grades by case
    /// (GO034: info when the toolchain switches itself, error when it cannot).
    pub severity: Option<Severity>,
    /// The finding's `vars` object, as the engine made it (templates and the report's
    /// evidence read it; converting it to another tree per finding cost a large
    /// check a twentieth of its time).
    pub vars: regorus::Value,
    /// Structured edits that fix the finding (`fix: [...]`), for `envgate fix`.
    pub fix: Vec<crate::fix::Edit>,
}

/// Where a finding is: a file and line, or a file, a document of it and a path inside
/// that document that the report turns into line and column through the document's
/// `positions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawLocation {
    pub file: String,
    #[serde(default)]
    pub line: Option<usize>,
    #[serde(default)]
    pub column: Option<usize>,
    /// Index of the document in a multi-document file (`input.files[_].document`).
    #[serde(default)]
    pub document: Option<usize>,
    /// Object keys and array indexes from the document's root, e.g.
    /// `["spec", "containers", 0, "image"]`.
    #[serde(default)]
    pub path: Option<Vec<PathStep>>,
}

/// One step of a `location.path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PathStep {
    Index(usize),
    Key(String),
}

/// A rule's index among the evaluated rules and what it emitted.
type RuleResult = (usize, Result<Vec<RawFinding>, Error>);

/// Every pack, compiled into one engine, or, for the built-in packs, their programs
/// precompiled at build time (the engine is then built only if the VM fails).
pub struct PolicySet {
    /// Prepared (warmed up) once; cloned per worker. Built eagerly when some pack is
    /// not precompiled, so a user pack's syntax error is reported at once.
    engine: OnceLock<Result<regorus::Engine, String>>,
    prebuilt: Option<Prebuilt>,
    pub packs: Vec<Pack>,
    /// Packs whose Rego reads `input.files`: the ones a files-only check runs.
    file_packs: BTreeSet<String>,
    /// Packs whose Rego reads nothing but `input.files` (and `files_summary`): a
    /// machine check without files skips them, they would have nothing to judge.
    files_only_packs: BTreeSet<String>,
    /// Some file pack mentions `positions`, so the engine input must carry them.
    file_positions: bool,
    /// Each evaluation is stopped after this.
    limit: Duration,
}

impl PolicySet {
    pub fn compile(packs: Vec<Pack>) -> Result<Self, Error> {
        Self::compile_with_time_limit(packs, EVAL_TIME_LIMIT)
    }

    /// Like [`PolicySet::compile`], but always on the interpreter: the reference the
    /// precompiled packs are tested against.
    pub fn compile_interpreted(packs: Vec<Pack>) -> Result<Self, Error> {
        let mut set = Self::compile_with_time_limit(packs, EVAL_TIME_LIMIT)?;
        set.prebuilt = None;
        set.engine()?;
        Ok(set)
    }

    /// Like [`PolicySet::compile`], with another limit on each rule's evaluation.
    pub fn compile_with_time_limit(packs: Vec<Pack>, limit: Duration) -> Result<Self, Error> {
        let prebuilt = Prebuilt::for_packs(&packs);
        let engine = OnceLock::new();
        if prebuilt.is_none() {
            let _ = engine.set(Ok(prepared_engine(&packs, limit)?));
        }
        let file_packs = packs
            .iter()
            .filter(|p| p.input_use.reads_files)
            .map(|p| p.name.clone())
            .collect::<BTreeSet<_>>();
        let files_only_packs = packs
            .iter()
            .filter(|p| p.input_use.only_files)
            .map(|p| p.name.clone())
            .collect();
        let file_positions = packs
            .iter()
            .filter(|p| file_packs.contains(&p.name))
            .any(|p| p.modules.iter().any(|m| m.text.contains("positions")));
        let mut seen: BTreeMap<&str, &Rule> = BTreeMap::new();
        for rule in packs.iter().flat_map(|p| &p.rules) {
            if let Some(first) = seen.insert(&rule.id, rule) {
                return Err(Error::PolicyContract {
                    message: format!(
                        "rule id {} is used twice: {} and {}",
                        rule.id, first.file, rule.file
                    ),
                    help: "rule ids are unique across all loaded packs; give one of them a new id"
                        .into(),
                    src: None,
                    span: None,
                });
            }
        }
        Ok(Self {
            engine,
            prebuilt,
            packs,
            file_packs,
            files_only_packs,
            file_positions,
            limit,
        })
    }

    /// Makes a failure of the precompiled programs an error instead of a fallback to
    /// the interpreter (what `ENVGATE_ENGINE=vm` does), so a test can tell that the
    /// VM really judged.
    pub fn without_fallback(mut self) -> Self {
        if let Some(prebuilt) = &mut self.prebuilt {
            prebuilt.strict = true;
        }
        self
    }

    /// The precompiled programs of the built-in packs, when they are what runs.
    pub fn prebuilt(&self) -> Option<&Prebuilt> {
        self.prebuilt.as_ref()
    }

    /// Whether the rules run on the build's precompiled programs (all packs built in).
    pub fn is_precompiled(&self) -> bool {
        self.prebuilt.is_some()
    }

    /// The prepared engine, built on first use when the packs are precompiled.
    fn engine(&self) -> Result<&regorus::Engine, Error> {
        self.engine
            .get_or_init(|| prepared_engine(&self.packs, self.limit).map_err(|e| format!("{e:?}")))
            .as_ref()
            .map_err(|message| Error::PolicyEval {
                rule: "(built-in packs)".into(),
                message: message.clone(),
            })
    }

    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.packs.iter().flat_map(|p| &p.rules)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules().find(|r| r.id == id)
    }

    /// Whether a rule can judge a snapshot taken in `mode`: live-only rules cannot
    /// judge an image.
    pub fn applies(rule: &Rule, mode: Mode) -> bool {
        !(rule.live_only && mode == Mode::Image)
    }

    /// Whether a rule judges snapshots of `os` (`custom.systems`; a snapshot without
    /// host facts, such as a file check, is judged by every rule).
    pub fn judges_system(rule: &Rule, os: Option<&str>) -> bool {
        rule.systems.is_empty() || os.is_none_or(|os| rule.systems.iter().any(|s| s == os))
    }

    /// Whether the snapshot `input` has every fact the rule requires
    /// (`custom.requires`): each dotted path present and not null.
    pub fn has_required(rule: &Rule, input: &serde_json::Value) -> bool {
        rule.requires.iter().all(|path| {
            path.split('.')
                .try_fold(input, |value, key| value.get(key))
                .is_some_and(|value| !value.is_null())
        })
    }

    /// Whether a rule belongs to a pack that judges files (its Rego reads
    /// `input.files`): the rules `envgate check FILES` runs without `--machine`.
    pub fn judges_files(&self, rule: &Rule) -> bool {
        self.file_packs.contains(&rule.pack)
    }

    /// Whether a rule can judge an input without files: false for the rules of packs
    /// that read nothing but `input.files`.
    pub fn judges_machine(&self, rule: &Rule) -> bool {
        !self.files_only_packs.contains(&rule.pack)
    }

    /// Whether the file packs read `positions` (otherwise the engine input of a
    /// files-only check leaves them out; the report resolves locations in Rust).
    pub fn file_rules_read_positions(&self) -> bool {
        self.file_positions
    }

    /// Evaluates every rule that applies in `mode` against `input` (a snapshot as JSON).
    pub fn evaluate(
        &self,
        input: &serde_json::Value,
        mode: Mode,
    ) -> Result<Vec<RawFinding>, Error> {
        let has_files = input
            .get("files")
            .and_then(serde_json::Value::as_array)
            .is_some_and(|files| !files.is_empty());
        let os = input
            .get("host")
            .and_then(|h| h.get("os"))
            .and_then(serde_json::Value::as_str);
        let rules: Vec<&Rule> = self
            .rules()
            .filter(|r| {
                Self::applies(r, mode)
                    && Self::judges_system(r, os)
                    && Self::has_required(r, input)
                    && (has_files || self.judges_machine(r))
            })
            .collect();
        self.evaluate_rules(to_input(input)?, &rules)
    }

    /// Evaluates `rules` against `input`, sharing the rules out over the cores. The
    /// findings come back in rule order, and so does the first error.
    pub fn evaluate_rules(
        &self,
        input: regorus::Value,
        rules: &[&Rule],
    ) -> Result<Vec<RawFinding>, Error> {
        self.evaluate_rules_within(input, rules, self.limit)
    }

    /// Like [`PolicySet::evaluate_rules`] with another time limit per evaluation (file
    /// checks scale it with the number of documents).
    pub fn evaluate_rules_within(
        &self,
        input: regorus::Value,
        rules: &[&Rule],
        limit: Duration,
    ) -> Result<Vec<RawFinding>, Error> {
        if let Some(prebuilt) = &self.prebuilt {
            match prebuilt.evaluate(&input, rules, limit) {
                Ok(findings) => return Ok(findings),
                Err(message) if prebuilt.strict => {
                    return Err(Error::PolicyEval {
                        rule: "(precompiled packs, ENVGATE_ENGINE=vm)".into(),
                        message,
                    });
                }
                // The interpreter judges again, and names the rule if one fails.
                Err(_) => {}
            }
        }
        self.evaluate_interpreted(&input, rules, limit)
    }

    /// Evaluates `rules` on the interpreter, whatever else could run them.
    pub fn evaluate_interpreted(
        &self,
        input: &regorus::Value,
        rules: &[&Rule],
        limit: Duration,
    ) -> Result<Vec<RawFinding>, Error> {
        let engine = self.engine()?;
        let groups = groups(rules.len());
        let done = run_groups(&groups, |group| {
            evaluate_group(engine, input, rules, group, limit)
        });
        let mut results: Vec<Option<Result<Vec<RawFinding>, Error>>> =
            rules.iter().map(|_| None).collect();
        for (i, result) in done.into_iter().flatten() {
            results[i] = Some(result);
        }
        let mut findings = Vec::new();
        for result in results.into_iter().flatten() {
            findings.extend(result?);
        }
        Ok(findings)
    }

    /// For packs that were not precompiled and whose file rules are all `per_file`: the
    /// rules compiled now (~5 ms) into one VM entry point that judges a batch of files.
    /// `None` when a rule needs the whole input, the interpreter is forced, or the VM
    /// cannot compile them (the whole input is then judged as before).
    pub fn runtime_batch_plan<'a>(&'a self, rules: &[&'a Rule]) -> Option<BatchPlan<'a>> {
        if super::prebuilt::interpreter_forced()
            || rules.is_empty()
            || !rules.iter().all(|r| r.per_file)
        {
            return None;
        }
        let object: String = rules
            .iter()
            .map(|r| format!("\n\t{:?}: data.{}.deny,", r.package, r.package))
            .collect();
        let (program, data) =
            self.compile_for_vm("envgate_vm_batch", &[("docs", format!("{{{object}\n}}"))])?;
        let name = "data.envgate_vm_batch.docs";
        let entry = BatchEntry {
            program,
            bytes: None,
            data,
            name: name.to_string(),
            packages: rules.iter().map(|r| r.package.as_str()).collect(),
        };
        Some(BatchPlan::new(vec![entry], rules))
    }

    /// The packs plus a module `package` of `name := expression` rules, compiled now
    /// for regorus's VM with each of them as an entry point, and the data to run it
    /// with. `None` when the VM cannot compile them.
    fn compile_for_vm(
        &self,
        package: &str,
        rules: &[(&str, String)],
    ) -> Option<(std::sync::Arc<regorus::rvm::Program>, regorus::Value)> {
        let mut engine = self.engine().ok()?.clone();
        let mut module = format!("package {package}\n\n");
        for (name, expression) in rules {
            // One rule per line: regorus rejects lines over 1,024 columns.
            let expression = expression.replace(", ", ",\n\t");
            module.push_str(&format!("{name} := {expression}\n\n"));
        }
        engine.add_policy(format!("{package}.rego"), module).ok()?;
        let names: Vec<String> = rules
            .iter()
            .map(|(name, _)| format!("data.{package}.{name}"))
            .collect();
        let first: std::sync::Arc<str> = names.first()?.as_str().into();
        let compiled = engine.compile_with_entrypoint(&first).ok()?;
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let program = Compiler::compile_from_policy(&compiled, &names).ok()?;
        Some((program, engine.get_data()))
    }

    /// Evaluates `rules` on regorus's bytecode VM, compiling the program now (for packs
    /// that were not precompiled), one program for all groups, each worker running its
    /// group's entry point. `None` when the VM cannot (a construct it does not
    /// compile, a runtime error): the interpreter then runs and reports.
    pub fn evaluate_rules_on_vm(
        &self,
        input: &regorus::Value,
        rules: &[&Rule],
        limit: Duration,
    ) -> Option<Vec<RawFinding>> {
        let groups = groups(rules.len());
        let names: Vec<String> = (0..groups.len()).map(|k| format!("g{k}")).collect();
        let bodies: Vec<(&str, String)> = groups
            .iter()
            .zip(&names)
            .map(|(group, name)| (name.as_str(), group_query(rules, group)))
            .collect();
        let (program, data) = self.compile_for_vm("envgate_vm_groups", &bodies)?;
        let entries: Vec<String> = names
            .iter()
            .map(|name| format!("data.envgate_vm_groups.{name}"))
            .collect();
        let done = run_groups(&groups, |group| {
            let k = groups.iter().position(|g| std::ptr::eq(g, group))?;
            let mut value = run_entry_point(&program, &data, input, &entries[k], limit).ok()?;
            decode_group(rules, group, &mut value)?
                .into_iter()
                .map(|(i, result)| result.ok().map(|f| (i, f)))
                .collect::<Option<Vec<_>>>()
        });
        let mut results: Vec<Option<Vec<RawFinding>>> = rules.iter().map(|_| None).collect();
        for group in done {
            for (i, findings) in group? {
                results[i] = Some(findings);
            }
        }
        Some(results.into_iter().flatten().flatten().collect())
    }
}

/// One worker of the interpreter: a clone of the prepared engine evaluating its
/// group of rules in one query, so helpers the rules share (every container of
/// every document) are computed once per worker, not once per rule. When that
/// query fails, the rules are evaluated one by one so the error names its rule.
fn evaluate_group(
    engine: &regorus::Engine,
    input: &regorus::Value,
    rules: &[&Rule],
    group: &[usize],
    limit: Duration,
) -> Vec<RuleResult> {
    let mut engine = engine.clone();
    engine.set_execution_timer_config(timer(limit));
    engine.set_input(input.clone());
    if group.len() > 1
        && let Ok(mut results) = engine.eval_query(group_query(rules, group), false)
        && let Some(value) = results
            .result
            .first_mut()
            .and_then(|r| r.expressions.first_mut())
            .map(|e| &mut e.value)
        && let Some(decoded) = decode_group(rules, group, value)
    {
        return decoded;
    }
    group
        .iter()
        .map(|&i| {
            let rule = rules[i];
            let result = engine
                .eval_rule(format!("data.{}.deny", rule.package))
                .map_err(|e| Error::PolicyEval {
                    rule: format!("{} ({})", rule.id, rule.file),
                    message: format!("{e:#}"),
                })
                .and_then(|value| decode_findings(rule, value, Fixes::Decode));
            (i, result)
        })
        .collect()
}

/// The rules shared out over the cores, round robin (neighbouring rules of a pack tend
/// to cost alike).
fn groups(rules: usize) -> Vec<Vec<usize>> {
    let workers = crate::parallel::cores().min(rules).max(1);
    (0..workers)
        .map(|w| (w..rules).step_by(workers).collect())
        .collect()
}

/// Decodes a group's `[deny, deny, …]`, taking each rule's set out of the array so it
/// is freed once decoded. `None` when the shape is not one set per rule.
fn decode_group(
    rules: &[&Rule],
    group: &[usize],
    value: &mut regorus::Value,
) -> Option<Vec<RuleResult>> {
    let values = value.as_array_mut().ok()?;
    (values.len() == group.len()).then_some(())?;
    Some(
        group
            .iter()
            .zip(values.iter_mut())
            .map(|(&i, value)| {
                let value = std::mem::replace(value, regorus::Value::Null);
                (i, decode_findings(rules[i], value, Fixes::Decode))
            })
            .collect(),
    )
}

/// `[data.a.deny, data.b.deny, …]` for a group.
fn group_query(rules: &[&Rule], group: &[usize]) -> String {
    let denies: Vec<String> = group
        .iter()
        .map(|&i| format!("data.{}.deny", rules[i].package))
        .collect();
    format!("[{}]", denies.join(", "))
}

/// Runs `work` for every group, each on its own thread (inline when there is one).
fn run_groups<T: Send>(groups: &[Vec<usize>], work: impl Fn(&Vec<usize>) -> T + Sync) -> Vec<T> {
    if groups.len() <= 1 {
        return groups.iter().map(&work).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .iter()
            .map(|group| scope.spawn(|| work(group)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

pub(super) fn timer(limit: Duration) -> ExecutionTimerConfig {
    ExecutionTimerConfig {
        limit,
        check_interval: NonZeroU32::new(1000).expect("non-zero"),
    }
}

/// A JSON input as regorus's value. Documents (`files`) go through regorus's JSON
/// reader, which shares the keys they repeat; a machine snapshot, whose keys are
/// nearly all different, is read from the tree itself (printing it as text and
/// parsing that took a millisecond of a doctor's run).
pub fn to_input(input: &serde_json::Value) -> Result<regorus::Value, Error> {
    let has_files = input
        .get("files")
        .and_then(serde_json::Value::as_array)
        .is_some_and(|files| !files.is_empty());
    if !has_files {
        return serde::Deserialize::deserialize(input).map_err(|e| Error::PolicyEval {
            rule: "(input)".into(),
            message: e.to_string(),
        });
    }
    let text = serde_json::to_string(input).map_err(|e| Error::PolicyEval {
        rule: "(input)".into(),
        message: e.to_string(),
    })?;
    regorus::Value::from_json_str(&text).map_err(|e| Error::PolicyEval {
        rule: "(input)".into(),
        message: e.to_string(),
    })
}

/// The engine of `packs`, prepared once so its clones start prepared. A failure
/// preparing resurfaces, with the rule's name, when that rule is evaluated.
fn prepared_engine(packs: &[Pack], limit: Duration) -> Result<regorus::Engine, Error> {
    let mut engine = build_engine(packs, false, limit)?;
    let _ = engine.eval_bool_query("true".to_string(), false);
    Ok(engine)
}

/// An engine holding every module (and, for the test runner, every test) and the
/// packs' data under `data.pack_data.<pack>`.
pub(super) fn build_engine(
    packs: &[Pack],
    with_tests: bool,
    limit: Duration,
) -> Result<regorus::Engine, Error> {
    let mut engine = regorus::Engine::new();
    engine.set_execution_timer_config(timer(limit));
    let mut pack_data = serde_json::Map::new();
    for pack in packs {
        let sources: Box<dyn Iterator<Item = &PolicySource>> = if with_tests {
            Box::new(pack.modules.iter().chain(&pack.tests))
        } else {
            Box::new(pack.modules.iter())
        };
        for source in sources {
            engine
                .add_policy(source.path.clone(), source.text.to_string())
                .map_err(|e| Error::from_regorus(&source.path, &source.text, &format!("{e:#}")))?;
        }
        pack_data.insert(pack.name.clone(), pack.data.clone());
    }
    let data = serde_json::json!({ "pack_data": pack_data });
    let data = regorus::Value::from_json_str(&data.to_string()).map_err(|e| Error::PolicyEval {
        rule: "(pack data)".into(),
        message: e.to_string(),
    })?;
    engine.add_data(data).map_err(|e| Error::PolicyEval {
        rule: "(pack data)".into(),
        message: e.to_string(),
    })?;
    Ok(engine)
}
