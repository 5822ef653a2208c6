//! A fix run as JSON (`envgate fix --format json`, described by
//! `schemas/fix.schema.json`): what the text output says, as data a pipeline or an
//! editor can act on — per file the unified diff and the structured edits it makes,
//! each edit not applied with why, and what applying did.
//!
//! Like the text output, it holds only what the check saw: edits come from redacted
//! findings, and every text from a checked file is redacted again here. JSON's own
//! escaping takes care of control characters; the diffs are the text output's, with
//! theirs made visible.

use schemars::JsonSchema;
use serde::Serialize;

use super::edit::{Edit, Op};
use super::plan::{Held, diff};
use super::render::held_reason;
use super::run::FixRun;
use crate::redact::redact_line;

/// The output's layout version: a field is added without changing it, a field
/// removed or changed in meaning changes it.
pub const VERSION: u32 = 1;

/// A whole fix run.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FixOutput {
    pub version: u32,
    /// `--apply` was given: the files were written (unless `applied.rolled_back`).
    pub apply: bool,
    /// `--unsafe` was given: unsafe edits are applied too.
    #[serde(rename = "unsafe")]
    pub allow_unsafe: bool,
    /// Findings of the check the fix started from.
    pub findings: usize,
    /// Of them, findings with a structured fix.
    pub with_fix: usize,
    /// Of them, findings every edit of which is applied (a re-check must not show them).
    pub fixed: usize,
    /// Files changed by the applicable edits, sorted by name.
    pub files: Vec<FileChange>,
    /// Edits shown but not applied, with why.
    pub not_applied: Vec<NotApplied>,
    /// Rule ids of findings without a structured fix (their remediation says what to
    /// do), sorted, once each.
    pub without_fix: Vec<String>,
    /// Rule ids of findings a waiver of the configuration covers (left alone), one per
    /// finding.
    pub waived: Vec<String>,
    /// What `--apply` did; absent in a dry run or when nothing was applicable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied: Option<AppliedOutput>,
}

/// The change to one file.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FileChange {
    /// As the report names it (inside the image with `--root`).
    pub file: String,
    /// The rules whose findings the change fixes, sorted.
    pub rules: Vec<String>,
    /// A unified diff of its text (secrets redacted, control characters made
    /// visible); absent when only its mode changes or a directory is created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// `mkdir -p` with these permission bits (octal text, `"755"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mkdir: Option<String>,
    /// `chmod` to these permission bits (octal text, `"600"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chmod: Option<String>,
    /// The structured edits the change is made of, as the rules gave them.
    pub edits: Vec<Edit>,
}

/// An edit shown but not applied.
#[derive(Debug, Serialize, JsonSchema)]
pub struct NotApplied {
    pub edit: Edit,
    pub reason: NotAppliedReason,
    /// What is missing, what refused it, or which waived rules share it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The reason in words, as the text output gives it.
    pub message: String,
    /// For a system file: the diff to apply as root (`sudo patch FILE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<String>,
}

/// Why an edit is not applied.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotAppliedReason {
    /// Unsafe, and `--unsafe` was not given.
    Unsafe,
    /// It needs a value envgate does not have (`detail` says which).
    NeedsValue,
    /// A file outside the user's home: envgate never runs sudo.
    SystemFile,
    /// Part of a finding's fix whose other edits are not applied.
    PartOfHeldFix,
    /// The file cannot take it (`detail` says why).
    Refused,
    /// A finding a waiver covers makes the same edit.
    Waived,
}

/// What `--apply` did.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AppliedOutput {
    /// The backup set: `envgate fix --undo ID` puts the files back.
    pub backup_set: String,
    /// Files written, as the report names them.
    pub written: Vec<String>,
    /// The re-check failed and every file was put back.
    pub rolled_back: bool,
    /// Why the re-check failed: fixed findings still there, new findings.
    pub problems: Vec<String>,
    /// Findings the re-check reports.
    pub remaining: usize,
}

/// What `envgate fix --undo --format json` prints.
#[derive(Debug, Serialize, JsonSchema)]
pub struct UndoOutput {
    pub version: u32,
    /// The backup set put back.
    pub undone: String,
    /// Files restored to their bytes before the fix.
    pub restored: Vec<String>,
    /// Files the fix had created, removed again.
    pub removed: Vec<String>,
}

fn redacted(text: &str) -> String {
    redact_line(text)
}

/// `edit` with every text from a checked file redacted.
fn shown(edit: &Edit) -> Edit {
    let op = match &edit.op {
        Op::AppendLine { text } => Op::AppendLine {
            text: redacted(text),
        },
        Op::DeleteLine { line, expect } => Op::DeleteLine {
            line: *line,
            expect: redacted(expect),
        },
        Op::ReplaceLine { line, expect, with } => Op::ReplaceLine {
            line: *line,
            expect: redacted(expect),
            with: redacted(with),
        },
        Op::GoEnvSet { key, value } => Op::GoEnvSet {
            key: key.clone(),
            value: redacted(value),
        },
        other => other.clone(),
    };
    Edit {
        file: redacted(&edit.file),
        op,
        safe: edit.safe,
        needs: edit.needs.as_deref().map(redacted),
    }
}

fn reason_of(held: &Held) -> (NotAppliedReason, Option<String>) {
    match held {
        Held::Unsafe => (NotAppliedReason::Unsafe, None),
        Held::NeedsValue(what) => (NotAppliedReason::NeedsValue, Some(redacted(what))),
        Held::SystemFile => (NotAppliedReason::SystemFile, None),
        Held::PartOfHeldFix => (NotAppliedReason::PartOfHeldFix, None),
        Held::Refused(why) => (NotAppliedReason::Refused, Some(redacted(why))),
        Held::Waived(rules) => (NotAppliedReason::Waived, Some(rules.clone())),
    }
}

/// The run as data; `apply` and `allow_unsafe` as given on the command line.
pub fn output(run: &FixRun, apply: bool, allow_unsafe: bool) -> FixOutput {
    let plan = &run.plan;
    let findings = &run.before.findings;
    let files = plan
        .files
        .iter()
        .filter(|f| f.changes_anything())
        .map(|file| FileChange {
            file: redacted(&file.file),
            rules: file.rules.iter().cloned().collect(),
            diff: file
                .after
                .as_ref()
                .map(|after| diff(&file.file, file.before.as_deref(), after)),
            mkdir: file.mkdir.map(|mode| format!("{mode:o}")),
            chmod: file.chmod.map(|mode| format!("{mode:o}")),
            edits: file.applied.iter().map(shown).collect(),
        })
        .collect();
    let not_applied = plan
        .files
        .iter()
        .flat_map(|file| file.held.iter().map(move |held| (file, held)))
        .map(|(file, (edit, why))| {
            let (reason, detail) = reason_of(why);
            let patch = match (why, &file.proposed) {
                (Held::SystemFile, Some(proposed)) => {
                    Some(diff(&file.file, file.before.as_deref(), proposed))
                }
                _ => None,
            };
            NotApplied {
                edit: shown(edit),
                reason,
                detail,
                message: redacted(&held_reason(edit, why)),
                patch,
            }
        })
        .collect();
    let without_fix = findings
        .iter()
        .filter(|f| f.fix.is_empty())
        .map(|f| f.id.to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut waived: Vec<String> = plan
        .waived
        .iter()
        .map(|&i| findings[i].id.to_string())
        .collect();
    waived.sort();
    FixOutput {
        version: VERSION,
        apply,
        allow_unsafe,
        findings: findings.len(),
        with_fix: plan.fixed.len(),
        fixed: plan.fixed.values().filter(|fixed| **fixed).count(),
        files,
        not_applied,
        without_fix,
        waived,
        applied: run.applied.as_ref().map(|applied| AppliedOutput {
            backup_set: applied.id.clone(),
            written: applied.written.iter().map(|w| redacted(w)).collect(),
            rolled_back: applied.rolled_back,
            problems: applied.problems.iter().map(|p| redacted(p)).collect(),
            remaining: applied.after.findings.len(),
        }),
    }
}

/// [`output`] as pretty JSON with a final newline.
pub fn json(run: &FixRun, apply: bool, allow_unsafe: bool) -> String {
    let mut text = serde_json::to_string_pretty(&output(run, apply, allow_unsafe))
        .expect("a fix run serializes");
    text.push('\n');
    text
}

/// [`UndoOutput`] as pretty JSON with a final newline.
pub fn undo_json(id: &str, restored: &[super::backup::Restored]) -> String {
    let mut output = UndoOutput {
        version: VERSION,
        undone: id.to_string(),
        restored: Vec::new(),
        removed: Vec::new(),
    };
    for entry in restored {
        match entry {
            super::backup::Restored::Restored(file) => output.restored.push(redacted(file)),
            super::backup::Restored::Removed(file) => output.removed.push(redacted(file)),
        }
    }
    let mut text = serde_json::to_string_pretty(&output).expect("an undo serializes");
    text.push('\n');
    text
}
