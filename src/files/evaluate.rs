//! Judging checked files: alone (the pre-commit case, only the packs that read
//! `input.files` run and no machine collector does) or with the machine (`--machine`).

use std::collections::BTreeMap;
use std::time::Duration;

use super::FilesCheck;
use crate::error::Error;
use crate::host::Host;
use crate::policy::Rule;
use crate::policy::engine::{EVAL_TIME_LIMIT, PolicySet};
use crate::policy::prebuilt;
use crate::report::{Judged, Report, resolve_judged};
use crate::snapshot::{FilesSummary, SCHEMA_VERSION, Snapshot};

/// From this many documents on, packs that were not precompiled (user packs) are
/// compiled for regorus's bytecode VM: compiling costs ~5 ms, and running is 2–3 times
/// faster than the interpreter.
pub const VM_THRESHOLD: usize = 64;

/// What each document adds to the evaluation time limit.
const PER_DOCUMENT_TIME: Duration = Duration::from_millis(2);

/// Judges the files alone with the packs that judge files.
pub fn evaluate_files(policies: &PolicySet, mut check: FilesCheck) -> Result<Report, Error> {
    let files: Vec<regorus::Value> = if check.inputs.len() == check.documents.len() {
        std::mem::take(&mut check.inputs)
    } else {
        let positions = policies.file_rules_read_positions();
        check
            .documents
            .iter()
            .map(|doc| super::engine_value(doc, positions))
            .collect()
    };
    let ran = |rule: &Rule| policies.judges_files(rule);
    // A rule that reads no kind of document present would judge nothing: not run. On
    // part of a repository, neither is a rule that compares files.
    let present: std::collections::BTreeSet<_> = check.documents.iter().map(|d| d.kind).collect();
    let rules: Vec<&Rule> = policies
        .rules()
        .filter(|r| ran(r) && crate::policy::prebuilt::reads_any(r, &present))
        .filter(|r| r.per_file || !check.partial)
        .collect();
    let judged = Judged::files(&check, &ran);
    let input = engine_input(files, &check.summary)?;
    let raw = judge_input(policies, input, &rules, check.documents.len())?;
    crate::timings::mark("evaluate");
    Ok(resolve_judged(policies, &judged, raw))
}

/// `rules` judging `input`, an input of `documents` documents: precompiled packs on
/// the VM; others compiled for it now when there are enough documents to pay for
/// that, else on the interpreter.
pub(super) fn judge_input(
    policies: &PolicySet,
    input: regorus::Value,
    rules: &[&Rule],
    documents: usize,
) -> Result<Vec<crate::policy::engine::RawFinding>, Error> {
    // Big inputs take longer, legitimately: the limit grows with the documents.
    let limit = time_limit(documents);
    let try_vm =
        !policies.is_precompiled() && !prebuilt::interpreter_forced() && documents >= VM_THRESHOLD;
    let on_vm = try_vm
        .then(|| policies.evaluate_rules_on_vm(&input, rules, limit))
        .flatten();
    let raw = match on_vm {
        Some(raw) => raw,
        None if try_vm && prebuilt::vm_required() => {
            return Err(Error::PolicyEval {
                rule: "(packs compiled at run time, ENVGATE_ENGINE=vm)".into(),
                message: "regorus's VM could not compile or run them; unset ENVGATE_ENGINE to have the interpreter judge".into(),
            });
        }
        None => policies.evaluate_rules_within(input.clone(), rules, limit)?,
    };
    // Freeing a large input takes a while: not on the way to the report.
    if documents >= VM_THRESHOLD {
        std::thread::spawn(move || drop(input));
    }
    Ok(raw)
}

/// How long judging `documents` may take: big inputs take longer, legitimately.
pub(super) fn time_limit(documents: usize) -> Duration {
    EVAL_TIME_LIMIT + PER_DOCUMENT_TIME * u32::try_from(documents).unwrap_or(u32::MAX)
}

/// `input` for a files check: the documents and the counts.
pub(super) fn engine_input(
    files: Vec<regorus::Value>,
    summary: &FilesSummary,
) -> Result<regorus::Value, Error> {
    let summary = serde_json::to_value(summary).map_err(|e| input_error(e.to_string()))?;
    let mut input = BTreeMap::new();
    input.insert(
        regorus::Value::from("schema_version"),
        regorus::Value::from(u64::from(SCHEMA_VERSION)),
    );
    input.insert(regorus::Value::from("mode"), regorus::Value::from("live"));
    input.insert(regorus::Value::from("files"), regorus::Value::from(files));
    input.insert(
        regorus::Value::from("files_summary"),
        regorus::Value::from(summary),
    );
    Ok(regorus::Value::from(input))
}

/// Judges a machine snapshot together with the files: every pack runs, and rules can
/// compare the two (a go.mod in the files against the toolchain on the machine).
pub fn evaluate_with_machine(
    policies: &PolicySet,
    mut snapshot: Snapshot,
    host: Option<&dyn Host>,
    check: FilesCheck,
) -> Result<Report, Error> {
    snapshot.files = check.documents;
    snapshot.files_summary = check.summary;
    let input = serde_json::to_value(&snapshot).map_err(|e| input_error(e.to_string()))?;
    let raw = policies.evaluate(&input, snapshot.mode)?;
    let has_files = !snapshot.files.is_empty();
    let ran = |rule: &Rule| has_files || policies.judges_machine(rule);
    let judged = Judged {
        files_summary: Some(&snapshot.files_summary),
        sources: Some(&check.sources),
        ran: &ran,
        ..Judged::machine(&snapshot, host)
    };
    Ok(resolve_judged(policies, &judged, raw))
}

fn input_error(message: String) -> Error {
    Error::BadInput {
        message: format!("the checked files do not serialize: {message}"),
        help: None,
        src: None,
        span: None,
    }
}
