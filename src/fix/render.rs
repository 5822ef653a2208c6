//! A fix run as text: one unified diff per file, then what was only shown and why,
//! then what applying did. Paths and texts from checked files are escaped and
//! redacted.

use std::fmt::Write;

use super::edit::{Edit, Op, Step};
use super::plan::{Held, diff};
use super::run::FixRun;
use crate::escape;
use crate::redact::redact_line;

fn shown(text: &str) -> String {
    escape::line(&redact_line(text)).into_owned()
}

fn path(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// One edit in words.
pub fn describe(edit: &Edit) -> String {
    let file = shown(&edit.file);
    match &edit.op {
        Op::AppendLine { text } => format!("append `{}` to {file}", shown(text)),
        Op::DeleteLine { line, expect } => format!("delete {file}:{line} (`{}`)", shown(expect)),
        Op::ReplaceLine { line, with, .. } => {
            format!("replace {file}:{line} by `{}`", shown(with))
        }
        Op::GoEnvSet { key, value } => format!("set {key}={} in {file}", shown(value)),
        Op::GoEnvUnset { key } => format!("remove {key} from {file}"),
        Op::JsonSet { path: p, value } => {
            format!("set {} to {} in {file}", path(p), shown(&value.to_string()))
        }
        Op::YamlSet {
            document,
            path: p,
            value,
        } => format!(
            "set {} to {} in {file} (document {document})",
            path(p),
            shown(&value.to_string())
        ),
        Op::YamlDelete { document, path: p } => {
            format!("delete {} in {file} (document {document})", path(p))
        }
        Op::YamlAddDocument { content } => {
            let field = |key: &str| content.pointer(key).and_then(|v| v.as_str());
            let kind = field("/kind").unwrap_or("YAML");
            match field("/metadata/name") {
                Some(name) => format!("add {kind} {} to {file}", shown(name)),
                None => format!("add a {kind} document to {file}"),
            }
        }
        Op::Chmod { mode } => format!("chmod {mode:o} {file}"),
        Op::Mkdir { mode } => format!("mkdir -m {mode:o} -p {file}"),
    }
}

/// Why `edit` is not applied, in words.
pub fn held_reason(edit: &Edit, why: &Held) -> String {
    match why {
        Held::Unsafe
            if matches!(
                edit.op,
                Op::YamlSet { .. } | Op::YamlDelete { .. } | Op::YamlAddDocument { .. }
            ) => "unsafe (it changes how the workload runs or how it is reached): applied only with --unsafe".to_string(),
        Held::Unsafe => "unsafe (it changes which toolchain runs, deletes something or takes a setting away): applied only with --unsafe".to_string(),
        Held::NeedsValue(what) => format!("needs a value envgate does not have: fill in {what}, then make the change by hand"),
        Held::SystemFile => "a system file: envgate never runs sudo; apply the diff below as root".to_string(),
        Held::PartOfHeldFix => "part of a fix whose other edits are not applied (listed here): alone it would fix nothing".to_string(),
        Held::Refused(why) => format!("refused: {}", shown(why)),
        Held::Waived(rules) => format!("the same edit fixes {rules}, which a waiver covers: left alone"),
    }
}

pub fn render(run: &FixRun, apply: bool) -> String {
    let mut out = String::new();
    let plan = &run.plan;
    let with_fix = plan.fixed.len();
    let fixable = plan.fixed.values().filter(|f| **f).count();
    let without: Vec<&str> = run
        .before
        .findings
        .iter()
        .filter(|f| f.fix.is_empty())
        .map(|f| f.id.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let _ = writeln!(
        out,
        "envgate fix: {} finding(s), {with_fix} with a structured fix, {fixable} fixed by the edits below{}",
        run.before.findings.len(),
        if apply {
            ""
        } else {
            " (dry run: nothing written; --apply writes them)"
        }
    );
    if !plan.waived.is_empty() {
        let ids: std::collections::BTreeSet<&str> = plan
            .waived
            .iter()
            .map(|&i| run.before.findings[i].id.as_str())
            .collect();
        let _ = writeln!(
            out,
            "Left alone: {} waived finding(s) ({}), as the configuration's waivers say",
            plan.waived.len(),
            ids.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    let mut redacted_note = false;
    for file in plan.files.iter().filter(|f| f.changes_anything()) {
        let _ = writeln!(
            out,
            "\n# {} ({})",
            shown(&file.file),
            file.rules.iter().cloned().collect::<Vec<_>>().join(", ")
        );
        if let Some(mode) = file.mkdir {
            let _ = writeln!(out, "mkdir -m {mode:o} -p {}", shown(&file.file));
        }
        if let Some(after) = &file.after {
            let shown = diff(&file.file, file.before.as_deref(), after);
            if shown
                .lines()
                .any(|l| l.starts_with('+') && l.contains("[REDACTED"))
            {
                redacted_note = true;
            }
            out.push_str(&shown);
        }
        if let Some(mode) = file.chmod {
            let _ = writeln!(out, "chmod {mode:o} {}", shown(&file.file));
        }
    }
    if redacted_note {
        let _ = writeln!(
            out,
            "\n([REDACTED] hides, in this output only, what looks like a secret (a value of a secret-like key); the file gets the text the fix computed, never a marker)"
        );
    }
    let held: Vec<_> = plan
        .files
        .iter()
        .flat_map(|f| f.held.iter().map(move |h| (f, h)))
        .collect();
    if !held.is_empty() {
        let _ = writeln!(out, "\nNot applied:");
    }
    for (_, (edit, why)) in &held {
        let _ = writeln!(
            out,
            "  - {}\n    {}",
            describe(edit),
            held_reason(edit, why)
        );
    }
    // System files: the whole proposed change, and a command to apply it.
    for file in plan
        .files
        .iter()
        .filter(|f| f.held.iter().any(|(_, h)| *h == Held::SystemFile))
    {
        if let Some(proposed) = &file.proposed {
            let patch = diff(&file.file, file.before.as_deref(), proposed);
            let _ = writeln!(
                out,
                "\n  as root:\n    sudo patch {} <<'EOF'\n{patch}EOF",
                shown(&file.file)
            );
        }
    }
    if !without.is_empty() {
        let _ = writeln!(
            out,
            "\nNo structured fix (see their remediation in `envgate check`): {}",
            without.join(", ")
        );
    }
    if let Some(applied) = &run.applied {
        if applied.rolled_back {
            let _ = writeln!(
                out,
                "\nRe-check failed, every file was put back (backup set {}):",
                applied.id
            );
            for problem in &applied.problems {
                let _ = writeln!(out, "  - {}", shown(problem));
            }
        } else {
            let _ = writeln!(
                out,
                "\nApplied to {} file(s); backup set {} (undo: envgate fix --undo {}).\nRe-check: {} finding(s) remain, none new, every fixed finding gone.",
                applied.written.len(),
                applied.id,
                applied.id,
                applied.after.findings.len()
            );
        }
    } else if apply {
        let _ = writeln!(out, "\nNothing to apply.");
    }
    out
}
