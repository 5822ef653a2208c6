//! The combined audit report: a table of image × category with finding counts, then
//! each image's findings per user, in the doctor's checklist form.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::human::{self, HumanOptions, category_rank};
use crate::audit::AuditReport;
use crate::escape;
use crate::policy::Severity;
use crate::report::Report;

/// How the table names a system.
fn system_name(goos: &str) -> &str {
    match goos {
        "darwin" => "macOS",
        "windows" => "Windows",
        "linux" => "Linux",
        other => other,
    }
}

pub fn render(audit: &AuditReport, options: &HumanOptions) -> String {
    let mut out = String::new();
    let packs: Vec<String> = audit
        .packs
        .iter()
        .map(|p| match &p.pinned {
            Some(pinned) => format!("{} {} (pinned to {pinned})", p.name, p.version),
            None => format!("{} {}", p.name, p.version),
        })
        .collect();
    let headline = format!(
        "envgate audit: {} {} against {}",
        audit.summary.images,
        if audit.summary.images == 1 {
            "image"
        } else {
            "images"
        },
        packs.join(", ")
    );
    let _ = writeln!(out, "{}\n", escape::line(&headline));

    let mut categories: Vec<&str> = audit
        .images
        .iter()
        .flat_map(|i| &i.users)
        .flat_map(|r| r.rules.iter().map(|rule| rule.category.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    categories.sort_by_key(|c| category_rank(c));

    let mut rows: Vec<Vec<String>> = Vec::new();
    // Image roots, user names and categories are data: escaped before the columns are
    // measured.
    let shown = |text: &str| escape::line(text).into_owned();
    let mut header = vec!["image".to_string(), "user".to_string()];
    header.extend(categories.iter().map(|c| shown(c)));
    rows.push(header);
    // Which system each root holds, once the audit holds more than Linux roots (an
    // all-Linux audit reads as it always did).
    let systems = audit
        .images
        .iter()
        .any(|i| i.os.as_deref().is_some_and(|os| os != "linux"));
    let image_cell = |image: &crate::audit::ImageAudit| match (&image.os, systems) {
        (Some(os), true) => format!("{} ({})", shown(&image.root), system_name(os)),
        _ => shown(&image.root),
    };
    for image in &audit.images {
        if let Some(error) = &image.error {
            let mut row = vec![image_cell(image), "-".into()];
            row.push(shown(&format!("not audited: {error}")));
            rows.push(row);
            continue;
        }
        for report in &image.users {
            // A user judged without some inputs is marked: the cells are not the whole story.
            let user = report.target.user.as_deref().unwrap_or("?");
            let user = if report.inputs_not_read.is_empty() {
                shown(user)
            } else {
                format!("{} (inputs not read whole)", shown(user))
            };
            let mut row = vec![image_cell(image), user];
            row.extend(categories.iter().map(|c| cell(report, c)));
            rows.push(row);
        }
    }
    write_table(&mut out, &rows);
    let s = &audit.summary;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let _ = writeln!(
        out,
        "\n{} ({} not audited), {}: {}, {}, {} info",
        plural(s.images, "image", "images"),
        s.images_failed,
        plural(s.users, "user", "users"),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        s.infos
    );
    if s.inputs_not_read > 0 {
        let _ = writeln!(
            out,
            "{} not read whole: listed under each user below",
            plural(s.inputs_not_read, "input", "inputs"),
        );
    }
    let _ = writeln!(
        out,
        "(cells: x errors, ! warnings, i info; ok = nothing found)"
    );

    for image in &audit.images {
        for report in &image.users {
            let title = format!(
                "== {} · user {} ==",
                image.root,
                report.target.user.as_deref().unwrap_or("?")
            );
            let _ = writeln!(out, "\n{}\n", escape::line(&title));
            out.push_str(&human::render_body(report, options));
        }
    }
    if !audit.waivers.is_empty() {
        out.push('\n');
        out.push_str(&human::render_waiver_notices(&audit.waivers, options));
    }
    out
}

/// `2x 1!` for a category's findings, `ok` when none, `n/a` when no rule applied.
fn cell(report: &Report, category: &str) -> String {
    let applicable = report
        .rules
        .iter()
        .any(|r| r.category == category && r.status.judged());
    if !applicable {
        return "n/a".into();
    }
    let count = |s: Severity| {
        report
            .findings
            .iter()
            .filter(|f| f.category == category && f.waiver.is_none() && f.severity == s)
            .count()
    };
    let parts: Vec<String> = [
        (count(Severity::Error), "x"),
        (count(Severity::Warning), "!"),
        (count(Severity::Info), "i"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, mark)| format!("{n}{mark}"))
    .collect();
    if parts.is_empty() {
        "ok".into()
    } else {
        parts.join(" ")
    }
}

fn write_table(out: &mut String, rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                // A row with fewer cells (an image error) does not widen the table.
                .filter(|r| r.len() == columns)
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                if row.len() < columns && i == row.len() - 1 {
                    cell.clone()
                } else {
                    format!("{cell:<width$}", width = widths[i])
                }
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
}
