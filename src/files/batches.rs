//! A files-only check whose rules judge each file on its own (`per_file`: all of
//! `k8s`, and user packs that say so): the files are shared out in batches, and each batch
//! is read, parsed, judged, resolved and freed by the core that takes it. Nothing of a
//! batch but its findings outlives its task, and no document is handed between
//! threads, so a 10,000-document check holds its findings and little else.
//!
//! Rules that compare files (not `per_file`) and say which kinds of document they read
//! (`custom.reads`) do not stop this: each batch keeps its documents of those kinds
//! (the engine's values, shared, not copied; their source maps and file texts), and
//! they are judged together by those rules once the batches are done (a go.mod against
//! the Dockerfiles beside 10,000 manifests; NetworkPolicies against every workload).
//! Reading and parsing them a second time cost more than judging them. A rule
//! that compares files without saying what it reads needs every document: the whole
//! input is judged as before. On part of a repository (`--partial`) the rules that
//! compare files are not judged at all, and do not stop the batches.

use std::collections::{BTreeMap, BTreeSet};

use super::discover::Candidate;
use super::{CheckOptions, FilesCheck};
use crate::error::Error;
use crate::policy::Rule;
use crate::policy::engine::PolicySet;
use crate::policy::prebuilt::{BatchPlan, reads_any, vm_required};
use crate::report::{
    FileError, Findings, Judged, Report, Resolution, assemble_sorted, merge_sorted, sort_findings,
};
use crate::snapshot::{FileKind, FilesSummary};

/// From this many files on, user packs whose rules are all `per_file` are compiled for
/// the VM and judged in batches too.
const RUNTIME_BATCH_FILES: usize = 8;

/// Batches per core: enough that every core stays busy to the end and a batch stays
/// small (~150 documents of 10,000 on two cores, measured fastest), few enough that
/// the per-batch set-up (a fresh VM, the pack's helper tables) stays small.
const BATCHES_PER_CORE: usize = 32;

/// What a batch leaves behind.
struct Judgement {
    findings: Findings,
    file_errors: Vec<FileError>,
    summary: FilesSummary,
    /// The batch's documents the rules that compare files read.
    across: FilesCheck,
}

/// The rules that compare files, and the kinds of document they read.
struct Across<'a> {
    rules: Vec<&'a Rule>,
    reads: BTreeSet<FileKind>,
    /// By kind of document: the keys none of the rules that read it looks inside
    /// (`custom.never_reads`), emptied in the documents kept for them.
    never_read: BTreeMap<FileKind, BTreeSet<String>>,
}

/// For each kind the rules read, the keys every one of the rules reading it declares
/// it never reads: a rule that declares nothing keeps every key of its kinds.
/// `rules`: what each reads and never reads.
fn never_read(
    rules: &[(&[FileKind], &[String])],
    reads: &BTreeSet<FileKind>,
) -> BTreeMap<FileKind, BTreeSet<String>> {
    let mut by_kind = BTreeMap::new();
    for kind in reads {
        let mut keys: Option<BTreeSet<String>> = None;
        for (kinds, never_reads) in rules {
            if !kinds.contains(kind) {
                continue;
            }
            let own: BTreeSet<String> = never_reads.iter().cloned().collect();
            keys = Some(match keys {
                None => own,
                Some(keys) => keys.intersection(&own).cloned().collect(),
            });
        }
        if let Some(keys) = keys.filter(|k| !k.is_empty()) {
            by_kind.insert(*kind, keys);
        }
    }
    by_kind
}

/// A document's engine value (`input.files[i]`) with the values of `keys` emptied
/// wherever they are members of an object of its `content`: an array or object becomes
/// an empty one, a scalar stays. What is kept is a new, smaller tree; the batch's own
/// is freed with the batch.
fn hollowed(entry: &regorus::Value, keys: &BTreeSet<String>) -> regorus::Value {
    use regorus::Value;
    fn hollow(value: &Value, keys: &BTreeSet<String>) -> Value {
        match value {
            Value::Object(members) => Value::from(
                members
                    .iter()
                    .map(|(key, value)| {
                        let named = matches!(key, Value::String(k) if keys.contains(k.as_ref()));
                        let value = match value {
                            Value::Array(_) if named => Value::new_array(),
                            Value::Object(_) if named => Value::new_object(),
                            value if named => value.clone(),
                            value => hollow(value, keys),
                        };
                        (key.clone(), value)
                    })
                    .collect::<BTreeMap<Value, Value>>(),
            ),
            Value::Array(items) => {
                Value::from(items.iter().map(|v| hollow(v, keys)).collect::<Vec<_>>())
            }
            other => other.clone(),
        }
    }
    let Value::Object(members) = entry else {
        return entry.clone();
    };
    Value::from(
        members
            .iter()
            .map(|(key, value)| match key {
                Value::String(k) if k.as_ref() == "content" => (key.clone(), hollow(value, keys)),
                _ => (key.clone(), value.clone()),
            })
            .collect::<BTreeMap<Value, Value>>(),
    )
}

/// Judges `candidates` in batches when every rule asked for is `per_file` (built-in
/// packs precompiled; user packs compiled for the VM now, from `RUNTIME_BATCH_FILES`
/// files on); `None` sends the caller to parse everything and judge the whole input (a
/// pack with a rule that compares files, `--machine`, a user pack on a few files).
pub fn check_in_batches(
    policies: &PolicySet,
    candidates: &[Candidate],
    options: &CheckOptions,
) -> Option<Result<Report, Error>> {
    options.engine_input?;
    let ran = |rule: &Rule| policies.judges_files(rule);
    let (rules, across): (Vec<&Rule>, Vec<&Rule>) = policies
        .rules()
        .filter(|r| ran(r) && (r.per_file || !options.partial))
        .partition(|r| r.per_file);
    let reads: BTreeSet<FileKind> = across
        .iter()
        .map(|r| r.reads.as_ref())
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .flatten()
        .copied()
        .collect();
    let across = Across {
        never_read: never_read(
            &(across.iter())
                .map(|r| (r.reads.as_deref().unwrap_or_default(), &r.never_reads[..]))
                .collect::<Vec<_>>(),
            &reads,
        ),
        reads,
        rules: across,
    };
    if rules.is_empty() {
        return None;
    }
    let (plan, strict) = match policies.prebuilt() {
        Some(prebuilt) => (prebuilt.batch_plan(&rules)?, prebuilt.strict),
        // Compiling user packs costs a few milliseconds: not for a handful of files.
        None if candidates.len() < RUNTIME_BATCH_FILES => return None,
        None => (policies.runtime_batch_plan(&rules)?, vm_required()),
    };
    let workers = crate::parallel::cores();
    let size = candidates.len().div_ceil(workers * BATCHES_PER_CORE).max(1);
    let batches: Vec<&[Candidate]> = candidates.chunks(size).collect();
    let nothing = FilesCheck::default();
    let shared = Judged::files(&nothing, &ran);
    let resolution = Resolution::new(policies, &shared, |_| true);
    let batch = Batch {
        policies,
        strict,
        plan: &plan,
        rules: &rules,
        ran: &ran,
        resolution: &resolution,
        options,
        across: &across.reads,
        never_read: &across.never_read,
    };
    let judged = crate::parallel::tasks(batches.len(), |i| batch.judge(batches[i]));
    Some(finish(
        policies,
        &resolution,
        &ran,
        &across,
        options,
        judged,
    ))
}

/// Everything a batch needs, shared by the workers.
struct Batch<'a> {
    policies: &'a PolicySet,
    /// `ENVGATE_ENGINE=vm`: a VM failure is an error, not a fallback.
    strict: bool,
    plan: &'a BatchPlan<'a>,
    rules: &'a [&'a Rule],
    ran: &'a (dyn Fn(&Rule) -> bool + Sync),
    resolution: &'a Resolution<'a>,
    options: &'a CheckOptions,
    /// The kinds of document the rules that compare files read.
    across: &'a BTreeSet<FileKind>,
    /// The keys emptied in the documents kept for them, by kind.
    never_read: &'a BTreeMap<FileKind, BTreeSet<String>>,
}

impl Batch<'_> {
    fn judge(&self, candidates: &[Candidate]) -> Result<Judgement, Error> {
        // One interning session for the batch: the object keys of all its documents
        // (the same few hundred in every manifest) are allocated once, not once per
        // document, and the key table is built once.
        let keys = regorus::value::InternGuard::install();
        let mut check: FilesCheck = super::parse_candidates(candidates, self.options, false);
        drop(keys);
        let across = self.keep_across(&check);
        let documents = std::mem::take(&mut check.inputs);
        let present: BTreeSet<FileKind> = check.documents.iter().map(|d| d.kind).collect();
        let limit = super::evaluate::time_limit(documents.len());
        // A per-file rule has no business with the counts; the batch's own are given.
        let input = super::evaluate::engine_input(documents, &check.summary)?;
        let raw = match self.plan.run(&input, self.rules, &present, limit) {
            Ok(raw) => raw,
            Err(message) if self.strict => {
                return Err(Error::PolicyEval {
                    rule: "(compiled packs, ENVGATE_ENGINE=vm)".into(),
                    message,
                });
            }
            // The interpreter judges the batch again, and names the rule if one fails.
            Err(_) => {
                let rules: Vec<&Rule> = (self.rules.iter().copied())
                    .filter(|rule| reads_any(rule, &present))
                    .collect();
                self.policies.evaluate_interpreted(&input, &rules, limit)?
            }
        };
        drop(input);
        let judged = Judged::files(&check, self.ran);
        let resolution = self.resolution.for_files(&judged);
        // Sized up front (a `filter_map` collect grows by doubling, each step a fresh
        // allocation, paged in and zeroed by the kernel).
        let mut findings: Findings = Vec::with_capacity(raw.len());
        for mut raw in raw {
            // Only `envgate fix` reads a finding's structured edits, and it never
            // judges in batches (`fix::run` parses and judges the whole input): the VM
            // path does not decode them (`Fixes::Skip`), and those the interpreter
            // decoded when it judged the batch again are not kept.
            raw.fix = Vec::new();
            findings.extend(resolution.finding(raw));
        }
        // Sorted and deduplicated here, on every core: the report only merges the
        // batches (no finding is in two: their files differ).
        sort_findings(&mut findings);
        findings.dedup();
        Ok(Judgement {
            findings,
            file_errors: resolution.file_errors(),
            summary: check.summary,
            across,
        })
    }
}

impl Batch<'_> {
    /// The documents of `check` the rules that compare files read: their engine
    /// values (reference-counted: shared with the batch's input, not copied; rebuilt
    /// without what those rules never read, when they say so), source maps and file
    /// texts, in file order.
    fn keep_across(&self, check: &FilesCheck) -> FilesCheck {
        let mut kept = FilesCheck::default();
        if self.across.is_empty() {
            return kept;
        }
        for (i, document) in check.documents.iter().enumerate() {
            if !self.across.contains(&document.kind) {
                continue;
            }
            kept.documents.push(document.clone());
            let input = check.inputs.get(i);
            kept.inputs
                .extend(match self.never_read.get(&document.kind) {
                    Some(keys) => input.map(|input| hollowed(input, keys)),
                    None => input.cloned(),
                });
            kept.position_indexes
                .extend(check.position_indexes.get(i).cloned());
            if !kept.sources.contains(&document.path) {
                kept.sources.copy_from(&check.sources, &document.path);
            }
        }
        kept
    }
}

/// The rules that compare files, over the documents of the kinds they read, kept by
/// the batches. `summary` is the whole check's. Their parse errors were reported by
/// the batches.
fn judge_across(
    policies: &PolicySet,
    resolution: &Resolution<'_>,
    ran: &(dyn Fn(&Rule) -> bool + Sync),
    across: &Across<'_>,
    mut check: FilesCheck,
    summary: &FilesSummary,
) -> Result<Findings, Error> {
    if across.rules.is_empty() {
        return Ok(Vec::new());
    }
    check.summary = summary.clone();
    let documents = check.documents.len();
    let input = super::evaluate::engine_input(std::mem::take(&mut check.inputs), summary)?;
    let raw = super::evaluate::judge_input(policies, input, &across.rules, documents)?;
    crate::timings::mark("rules that compare files");
    let judged = Judged::files(&check, ran);
    let resolution = resolution.for_files(&judged);
    Ok(raw
        .into_iter()
        .filter_map(|raw| resolution.finding(raw))
        .collect())
}

/// The report of all batches, in file order, with the findings of the rules that
/// compare files.
fn finish(
    policies: &PolicySet,
    resolution: &Resolution<'_>,
    ran: &(dyn Fn(&Rule) -> bool + Sync),
    across: &Across<'_>,
    options: &CheckOptions,
    judged: Vec<Result<Judgement, Error>>,
) -> Result<Report, Error> {
    let judged = judged.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut summary = FilesSummary::default();
    // Each batch's findings are sorted: merged, not sorted again as a whole.
    let mut runs = Vec::with_capacity(judged.len() + 1);
    let mut file_errors = Vec::new();
    let mut across_documents = FilesCheck::default();
    for judgement in judged {
        summary.add(judgement.summary);
        runs.push(judgement.findings);
        file_errors.extend(judgement.file_errors);
        let kept = judgement.across;
        across_documents.documents.extend(kept.documents);
        across_documents.inputs.extend(kept.inputs);
        across_documents
            .position_indexes
            .extend(kept.position_indexes);
        across_documents.sources.extend(kept.sources);
    }
    crate::timings::mark("read, parse, evaluate and resolve");
    let mut across_findings = judge_across(
        policies,
        resolution,
        ran,
        across,
        across_documents,
        &summary,
    )?;
    // Theirs are rules no batch judges.
    sort_findings(&mut across_findings);
    across_findings.dedup();
    runs.push(across_findings);
    let findings = merge_sorted(runs);
    let all = FilesCheck {
        summary,
        partial: options.partial,
        ..FilesCheck::default()
    };
    let judged = Judged::files(&all, ran);
    Ok(assemble_sorted(
        &resolution.for_files(&judged),
        findings,
        file_errors,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hollowing_empties_the_named_keys_of_the_content_only() {
        let entry = regorus::Value::from_json_str(
            r#"{"path": "a.yaml", "containers": [1], "content": {"kind": "Deployment",
               "metadata": {"name": "web", "annotations": {"a": "b"}},
               "spec": {"template": {"spec": {"containers": [{"name": "app"}],
                 "hostNetwork": true}}, "items": [{"annotations": "text"}]}}}"#,
        )
        .unwrap();
        let keys: BTreeSet<String> = ["containers", "annotations"].map(String::from).into();
        let expected = regorus::Value::from_json_str(
            r#"{"path": "a.yaml", "containers": [1], "content": {"kind": "Deployment",
               "metadata": {"name": "web", "annotations": {}},
               "spec": {"template": {"spec": {"containers": [],
                 "hostNetwork": true}}, "items": [{"annotations": "text"}]}}}"#,
        )
        .unwrap();
        assert_eq!(hollowed(&entry, &keys), expected);
    }

    #[test]
    fn a_key_is_emptied_only_when_every_rule_reading_the_kind_never_reads_it() {
        let keys = |names: &[&str]| names.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        let (both, one, none) = (
            keys(&["containers", "volumes"]),
            keys(&["containers"]),
            keys(&[]),
        );
        let k8s: &[FileKind] = &[FileKind::Kubernetes];
        let (a, b, c) = (
            (k8s, &both[..]),
            (k8s, &one[..]),
            (&[FileKind::GoMod][..], &none[..]),
        );
        let reads: BTreeSet<FileKind> = [FileKind::Kubernetes, FileKind::GoMod].into();
        let by_kind = never_read(&[a, b, c], &reads);
        assert_eq!(
            by_kind.get(&FileKind::Kubernetes),
            Some(&BTreeSet::from(["containers".to_string()]))
        );
        assert_eq!(by_kind.get(&FileKind::GoMod), None);
        assert!(never_read(&[a, (k8s, &none[..])], &reads).is_empty());
    }
}
