//! A files-only check whose rules judge each file on its own (`per_file`: all of
//! `k8s`, all of `repo` but its drift rule, and user packs that say so): the files are
//! shared out in batches, and each batch is read, parsed, judged, resolved and freed by
//! the core that takes it. A rule that compares files and names their kinds
//! (`file_kinds`) judges those files once, beside the batches. Nothing of a
//! batch but its findings outlives its task, and no document is handed between
//! threads, so a 10,000-document check holds its findings and little else.

use super::discover::Candidate;
use super::{CheckOptions, FilesCheck};
use crate::error::Error;
use crate::policy::Rule;
use crate::policy::engine::PolicySet;
use crate::policy::prebuilt::{BatchPlan, vm_required};
use crate::report::{FileError, Finding, Judged, Report, Resolution, assemble_with, sort_findings};
use crate::snapshot::FilesSummary;

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
}

/// Judges `candidates` in batches when every rule asked for is `per_file` or names the
/// file kinds it compares (`file_kinds`: the repo pack's drift rule), built-in packs
/// precompiled, user packs compiled for the VM now, from `RUNTIME_BATCH_FILES` files
/// on. The per-file rules judge the batches; the others judge, once, the files of
/// their kinds alone, parsed again (a few go.mod, Dockerfiles and CI files beside
/// thousands of manifests). `None` sends the caller to parse everything and judge the
/// whole input (a rule that may compare any files, `--machine`, a user pack on a few
/// files).
pub fn check_in_batches(
    policies: &PolicySet,
    candidates: &[Candidate],
    options: &CheckOptions,
) -> Option<Result<Report, Error>> {
    options.engine_input?;
    let ran = |rule: &Rule| policies.judges_files(rule);
    let (rules, across): (Vec<&Rule>, Vec<&Rule>) = policies
        .rules()
        .filter(|r| ran(r))
        .partition(|r| r.per_file);
    if rules.is_empty() || across.iter().any(|r| r.file_kinds.is_empty()) {
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
    };
    let judged = crate::parallel::tasks(batches.len(), |i| batch.judge(batches[i]));
    let compared = match judge_across(policies, &across, candidates, options, &resolution, &ran) {
        Ok(findings) => findings,
        Err(error) => return Some(Err(error)),
    };
    Some(finish(&resolution, &ran, judged, compared))
}

/// The rules that compare files (each with its `file_kinds`), judged once on the
/// files of those kinds: their findings, resolved.
fn judge_across(
    policies: &PolicySet,
    rules: &[&Rule],
    candidates: &[Candidate],
    options: &CheckOptions,
    resolution: &Resolution<'_>,
    ran: &(dyn Fn(&Rule) -> bool + Sync),
) -> Result<Vec<Finding>, Error> {
    let kinds: std::collections::BTreeSet<&str> = rules
        .iter()
        .flat_map(|r| r.file_kinds.iter().map(String::as_str))
        .collect();
    // Kinds these rules name are all decided by the file's name.
    let chosen: Vec<Candidate> = candidates
        .iter()
        .filter(|c| {
            super::detect::by_name(&c.shown)
                .and_then(|d| d.kind)
                .is_some_and(|kind| kinds.contains(kind.as_str()))
        })
        .cloned()
        .collect();
    if rules.is_empty() || chosen.is_empty() {
        return Ok(Vec::new());
    }
    let mut check = super::parse_candidates(&chosen, options, true);
    let documents = std::mem::take(&mut check.inputs);
    let limit = super::evaluate::time_limit(documents.len());
    let input = super::evaluate::engine_input(documents, &check.summary)?;
    let raw = policies.evaluate_rules_within(input, rules, limit)?;
    let judged = Judged::files(&check, ran);
    let resolution = resolution.for_files(&judged);
    Ok(raw
        .into_iter()
        .filter_map(|raw| resolution.finding(raw))
        .collect())
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
}

impl Batch<'_> {
    fn judge(&self, candidates: &[Candidate]) -> Result<Judgement, Error> {
        let mut check: FilesCheck = super::parse_candidates(candidates, self.options, false);
        let documents = std::mem::take(&mut check.inputs);
        let limit = super::evaluate::time_limit(documents.len());
        // A per-file rule has no business with the counts; the batch's own are given.
        let input = super::evaluate::engine_input(documents, &check.summary)?;
        let raw = match self.plan.run(&input, self.rules, limit) {
            Ok(raw) => raw,
            Err(message) if self.strict => {
                return Err(Error::PolicyEval {
                    rule: "(compiled packs, ENVGATE_ENGINE=vm)".into(),
                    message,
                });
            }
            // The interpreter judges the batch again, and names the rule if one fails.
            Err(_) => self
                .policies
                .evaluate_interpreted(&input, self.rules, limit)?,
        };
        drop(input);
        let judged = Judged::files(&check, self.ran);
        let resolution = self.resolution.for_files(&judged);
        let mut findings: Vec<Finding> = raw
            .into_iter()
            .filter_map(|raw| resolution.finding(raw))
            .collect();
        // Sorted here, on every core: the report's sort only merges the batches.
        sort_findings(&mut findings);
        Ok(Judgement {
            findings,
            file_errors: resolution.file_errors(),
            summary: check.summary,
        })
    }
}

/// The report of all batches, in file order.
fn finish(
    resolution: &Resolution<'_>,
    ran: &(dyn Fn(&Rule) -> bool + Sync),
    judged: Vec<Result<Judgement, Error>>,
    compared: Vec<Finding>,
) -> Result<Report, Error> {
    let judged = judged.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut summary = FilesSummary::default();
    let mut findings = compared;
    let mut file_errors = Vec::new();
    for judgement in judged {
        summary.add(judgement.summary);
        findings.extend(judgement.findings);
        file_errors.extend(judgement.file_errors);
    }
    crate::timings::mark("read, parse, evaluate and resolve");
    let all = FilesCheck {
        summary,
        ..FilesCheck::default()
    };
    let judged = Judged::files(&all, ran);
    Ok(assemble_with(
        &resolution.for_files(&judged),
        findings,
        file_errors,
    ))
}
