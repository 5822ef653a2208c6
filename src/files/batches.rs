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

use std::collections::BTreeSet;

use super::discover::Candidate;
use super::{CheckOptions, FilesCheck};
use crate::error::Error;
use crate::policy::Rule;
use crate::policy::engine::PolicySet;
use crate::policy::prebuilt::{BatchPlan, reads_any, vm_required};
use crate::report::{
    FileError, Finding, Judged, Report, Resolution, assemble_with, merge_sorted, sort_findings,
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
    findings: Vec<Finding>,
    file_errors: Vec<FileError>,
    summary: FilesSummary,
    /// The batch's documents the rules that compare files read.
    across: FilesCheck,
}

/// The rules that compare files, and the kinds of document they read.
struct Across<'a> {
    rules: Vec<&'a Rule>,
    reads: BTreeSet<FileKind>,
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
    let across = Across {
        reads: across
            .iter()
            .map(|r| r.reads.as_ref())
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .flatten()
            .copied()
            .collect(),
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
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
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
}

impl Batch<'_> {
    fn judge(&self, candidates: &[Candidate]) -> Result<Judgement, Error> {
        let mut check: FilesCheck = super::parse_candidates(candidates, self.options, false);
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
        // allocation of ~600 bytes a finding, paged in and zeroed by the kernel).
        let mut findings: Vec<Finding> = Vec::with_capacity(raw.len());
        for mut raw in raw {
            // Only `envgate fix` reads a finding's structured edits, and it never
            // judges in batches (`fix::run` parses and judges the whole input): they
            // were decoded (and so checked against the contract), and are not kept.
            raw.fix = Vec::new();
            findings.extend(resolution.finding(raw));
        }
        // Sorted here, on every core: the report's sort only merges the batches.
        sort_findings(&mut findings);
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
    /// values (reference-counted: shared with the batch's input, not copied), source
    /// maps and file texts, in file order.
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
            kept.inputs.extend(check.inputs.get(i).cloned());
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
) -> Result<Vec<Finding>, Error> {
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
    sort_findings(&mut across_findings);
    runs.push(across_findings);
    let findings = merge_sorted(runs);
    let all = FilesCheck {
        summary,
        partial: options.partial,
        ..FilesCheck::default()
    };
    let judged = Judged::files(&all, ran);
    Ok(assemble_with(
        &resolution.for_files(&judged),
        findings,
        file_errors,
    ))
}
