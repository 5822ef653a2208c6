//! The doctor checklist: one line per category with ✓ / ! / ✗, each finding under it
//! with its id, message, the offending line, and the fix — in the spirit of
//! `flutter doctor`. A pure function of the report.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use miette::{GraphicalTheme, ThemeCharacters, ThemeStyles};

use super::snippet;
pub use super::waivers::render_waiver_notices;
use super::waivers::write_waived_finding;
use crate::escape;
use crate::policy::Severity;
use crate::report::{FileError, Finding, Report, Scope};
use crate::snapshot::Mode;

/// The catalogue's categories, in the order a person reads them; others follow by name.
const CATEGORY_ORDER: &[&str] = &[
    "Toolchain",
    "Shell & PATH",
    "GOPATH",
    "Modules & proxy",
    "Toolchain vs go.mod",
    "cgo",
    "TLS",
    "Editor",
    "Security",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbols {
    /// ✓ ! ✗ and miette's box drawing.
    Unicode,
    /// Plain ASCII, for pipes, logs and `--no-color`.
    Ascii,
}

#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub symbols: Symbols,
    pub color: bool,
    /// Show each finding's evidence.
    pub verbose: bool,
    pub width: usize,
}

pub(super) struct Marks {
    pub(super) ok: &'static str,
    pub(super) warning: &'static str,
    pub(super) error: &'static str,
    pub(super) info: &'static str,
}

pub(super) const UNICODE_MARKS: Marks = Marks {
    ok: "✓",
    warning: "!",
    error: "✗",
    info: "•",
};
pub(super) const ASCII_MARKS: Marks = Marks {
    ok: "+",
    warning: "!",
    error: "x",
    info: "-",
};

pub fn render(report: &Report, options: &HumanOptions) -> String {
    super::to_string(|out| write(report, options, out))
}

/// Writes the report to `out` as it is rendered: a 10,000-document check's report is
/// ~30 MB, better streamed than held.
pub fn write(
    report: &Report,
    options: &HumanOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // Pack names, the image root, the host: one line of data, escaped whole.
    writeln!(out, "{}\n", escape::line(&headline(report)))?;
    write_body(report, options, out)
}

/// The checklist without its headline: categories, findings, summary.
pub fn render_body(report: &Report, options: &HumanOptions) -> String {
    super::to_string(|out| write_body(report, options, out))
}

/// Findings rendered at a time (on every core) before they are written out.
const FINDINGS_PER_BLOCK: usize = 2048;

/// [`render_body`], written to `sink` a block of findings at a time.
fn write_body(
    report: &Report,
    options: &HumanOptions,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let marks = match options.symbols {
        Symbols::Unicode => &UNICODE_MARKS,
        Symbols::Ascii => &ASCII_MARKS,
    };
    let paint = |text: &str, severity: Option<Severity>| -> String {
        if !options.color {
            return text.to_string();
        }
        let code = match severity {
            None => "32",
            Some(Severity::Error) => "31",
            Some(Severity::Warning) => "33",
            Some(Severity::Info) => "36",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    };
    let mark = |severity: Option<Severity>| -> String {
        let symbol = match severity {
            None => marks.ok,
            Some(Severity::Error) => marks.error,
            Some(Severity::Warning) => marks.warning,
            Some(Severity::Info) => marks.info,
        };
        paint(symbol, severity)
    };
    let mut out = String::new();
    let mut categories: BTreeMap<(usize, &str), Vec<&Finding>> = BTreeMap::new();
    // A category whose rules all judged nothing here is left out, not shown as passed.
    for rule in report.rules.iter().filter(|r| r.status.judged()) {
        categories.entry(category_key(&rule.category)).or_default();
    }
    for finding in &report.findings {
        categories
            .entry(category_key(&finding.category))
            .or_default()
            .push(finding);
    }
    let mut failing_categories = 0;
    for ((_, category), findings) in &categories {
        // Waived findings are listed but judge nothing.
        let worst = findings
            .iter()
            .filter(|f| f.waiver.is_none())
            .map(|f| f.severity)
            .max();
        if worst.is_some_and(|s| s > Severity::Info) {
            failing_categories += 1;
        }
        let _ = writeln!(
            out,
            "[{}] {}{}",
            mark(worst),
            escape::line(category),
            counts_suffix(findings)
        );
        for block in findings.chunks(FINDINGS_PER_BLOCK) {
            let rendered = crate::parallel::map(block.to_vec(), |finding| {
                let mut text = String::new();
                write_finding(&mut text, finding, options, &mark);
                Some(text)
            });
            out.extend(rendered);
            sink.write_all(out.as_bytes())?;
            out.clear();
        }
    }

    // A K8S000 finding already shows a file that could not be parsed (unless
    // --allow-unparsed or the config turned it off): the list takes the others.
    let unreported = report.unreported_file_errors();
    if !unreported.is_empty() {
        write_file_errors(&mut out, &unreported, options, &mark);
    }
    out.push_str(&render_waiver_notices(&report.waivers, options));
    out.push_str(&super::inputs::render(&report.inputs_not_read, options));
    out.push_str(&super::net_chain::render(
        report.net_probe.as_ref(),
        &report.findings,
        options,
    ));

    let summary = &report.summary;
    let (other, unknown) = (summary.rules_other_system, summary.rules_facts_unknown);
    let not_applicable = match (summary.rules_not_applicable, &report.files) {
        (0, _) => None,
        (n, Some(_)) => Some(format!("{n} more judge no kind of document checked here")),
        (n, None) => {
            let live = n.saturating_sub(other + unknown);
            let parts: Vec<String> = [
                (live, "need a live session"),
                (other, "judge another system"),
                (unknown, "judge facts this system does not have"),
            ]
            .into_iter()
            .filter(|(count, _)| *count > 0)
            .enumerate()
            .map(|(i, (count, what))| {
                let more = if i == 0 { " more" } else { "" };
                format!("{count}{more} {what}")
            })
            .collect();
            Some(parts.join(", "))
        }
    };
    let whole = (summary.rules_need_whole_repository > 0).then(|| {
        format!(
            "{} more need the whole repository",
            summary.rules_need_whole_repository
        )
    });
    let skipped: Vec<String> = not_applicable.into_iter().chain(whole).collect();
    let not_applicable = if skipped.is_empty() {
        String::new()
    } else {
        format!(" ({})", skipped.join("; "))
    };
    // Only shown when something is waived, so reports without a config read as before.
    let waived = if summary.waived > 0 {
        format!(", {} waived", summary.waived)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "\n{} rules{not_applicable}: {} passed, {} failed; {} {}, {} {}, {} info{waived}",
        summary.rules_run,
        summary.rules_passed,
        summary.rules_failed,
        summary.errors,
        plural(summary.errors, "error", "errors"),
        summary.warnings,
        plural(summary.warnings, "warning", "warnings"),
        summary.infos,
    );
    if let Some(files) = &report.files {
        let _ = writeln!(
            out,
            "{} {} checked ({} {}), {} skipped (not a kind envgate knows), {} with syntax errors",
            files.checked,
            plural(files.checked, "file", "files"),
            files.documents,
            plural(files.documents, "document", "documents"),
            files.skipped,
            files.errors,
        );
        if files.not_read() > 0 {
            let _ = writeln!(
                out,
                "{} {} could not be read, {} too large to judge: nothing in them was judged",
                files.unreadable,
                plural(files.unreadable, "file", "files"),
                files.too_large,
            );
        }
        write_files_judged(&mut out, files, &mark);
    }
    write_needing_whole_repository(&mut out, report);
    let no_document = report.files.as_ref().is_some_and(|f| f.judged_total() == 0);
    // Every rule skipped on part of a repository: nothing was judged either.
    let no_rule = summary.rules_run == 0 && summary.rules_need_whole_repository > 0;
    let judged_nothing = no_document || no_rule;
    if no_document {
        let _ = writeln!(
            out,
            "{} Nothing was judged: no document of a kind the rules read (an empty directory or file, unknown or unparsable files, only templates or patches).",
            mark(Some(Severity::Warning)),
        );
    } else if no_rule {
        let _ = writeln!(
            out,
            "{} Nothing was judged: every rule compares files and needs the whole repository (--partial).",
            mark(Some(Severity::Warning)),
        );
    }
    if judged_nothing && failing_categories == 0 && report.file_errors.is_empty() {
        // Said above: "no issues" would claim a verdict on nothing.
    } else if failing_categories == 0 && report.file_errors.is_empty() && summary.infos > 0 {
        // Info findings do not fail anything, but "No issues" above them would be false.
        let _ = writeln!(
            out,
            "{} No errors or warnings; {} info {} above.",
            mark(None),
            summary.infos,
            plural(summary.infos, "finding", "findings"),
        );
    } else if failing_categories == 0 && report.file_errors.is_empty() {
        let _ = writeln!(out, "{} No issues found.", mark(None));
    } else if failing_categories == 0 {
        let _ = writeln!(
            out,
            "{} No findings, but {} {} could not be parsed.",
            mark(Some(Severity::Error)),
            report.files.as_ref().map_or(0, |f| f.errors),
            plural(
                report.files.as_ref().map_or(0, |f| f.errors),
                "file",
                "files"
            ),
        );
    } else {
        let worst = report
            .findings
            .iter()
            .filter(|f| f.waiver.is_none())
            .map(|f| f.severity)
            .max();
        let _ = writeln!(
            out,
            "{} Found issues in {} {}.{}",
            mark(worst),
            failing_categories,
            plural(failing_categories, "category", "categories"),
            if options.verbose {
                ""
            } else {
                " Run with -v to see the evidence."
            }
        );
    }
    sink.write_all(out.as_bytes())
}

/// The rules a check of part of a repository (`--partial`) left out, by id: they
/// compare files, so a pre-commit hook cannot judge them.
fn write_needing_whole_repository(out: &mut String, report: &Report) {
    let ids: Vec<&str> = report
        .rules
        .iter()
        .filter(|r| r.status == crate::report::RuleStatus::NeedsWholeRepository)
        .map(|r| r.id.as_str())
        .collect();
    if ids.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{}: not judged, {} the whole repository (--partial: these files are part of it)",
        escape::line(&ids.join(", ")),
        plural(ids.len(), "it needs", "they need"),
    );
}

/// Documents judged per kind, and what was read but not judged (templates, patches).
fn write_files_judged(
    out: &mut String,
    files: &crate::snapshot::FilesSummary,
    mark: &dyn Fn(Option<Severity>) -> String,
) {
    let total = files.judged_total();
    let kinds: Vec<String> = files
        .judged
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    let by_kind = if kinds.is_empty() {
        String::new()
    } else {
        format!(" ({})", kinds.join(", "))
    };
    let _ = writeln!(
        out,
        "{total} {} judged{by_kind}",
        plural(total, "document", "documents"),
    );
    if files.unparsed_allowed && files.errors > 0 {
        let _ = writeln!(
            out,
            "{} {} that could not be parsed did not fail the check (--allow-unparsed)",
            files.errors,
            plural(files.errors, "file", "files"),
        );
    }
    if files.not_judged.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{} {} read but not judged:",
        mark(Some(Severity::Info)),
        files.not_judged.len(),
    );
    for item in &files.not_judged {
        let document = item
            .document
            .map(|d| format!(" (document {})", d + 1))
            .unwrap_or_default();
        let item = format!("{}{document}: {}", item.path, item.reason);
        let _ = writeln!(out, "    {}", escape::line(&item));
    }
}

fn headline(report: &Report) -> String {
    let packs: Vec<String> = report
        .packs
        .iter()
        .map(|p| match (&report.config, &p.pinned) {
            // With a config, the baseline each pack ran at is part of the result.
            (Some(_), Some(pinned)) => format!("{} {} (pinned to {pinned})", p.name, p.version),
            (Some(config), None) => format!(
                "{} {} (latest; pin it in {})",
                p.name,
                p.version,
                config.rsplit('/').next().unwrap_or(config)
            ),
            (None, _) => format!("{} {}", p.name, p.version),
        })
        .collect();
    // A config may leave no pack to run (`packs:` listing none that judge this).
    let packs = if packs.is_empty() {
        vec!["no pack".to_string()]
    } else {
        packs
    };
    let files = report.files.as_ref().map(|f| {
        format!(
            "{} {} ({} {})",
            f.checked,
            plural(f.checked, "file", "files"),
            f.documents,
            plural(f.documents, "document", "documents")
        )
    });
    if let (Scope::Files, Some(files)) = (report.scope, &files) {
        return format!("envgate: checked {files} against {}", packs.join(", "));
    }
    let who = report.target.user.as_deref().unwrap_or("unknown user");
    let what = match report.mode {
        Mode::Live => format!(
            "this machine ({who}@{})",
            report.target.hostname.as_deref().unwrap_or("localhost")
        ),
        Mode::Image => format!(
            "image {} (user {who})",
            report.target.root.as_deref().unwrap_or("?")
        ),
    };
    let what = match (report.scope, files) {
        (Scope::MachineAndFiles, Some(files)) => format!("{what} and {files}"),
        _ => what,
    };
    format!("envgate: checked {what} against {}", packs.join(", "))
}

/// Files that could not be parsed, shown like findings: where the parser stopped,
/// that line, and what it expected.
fn write_file_errors(
    out: &mut String,
    file_errors: &[&FileError],
    options: &HumanOptions,
    mark: &dyn Fn(Option<Severity>) -> String,
) {
    let _ = writeln!(
        out,
        "[{}] Files that could not be parsed ({})",
        mark(Some(Severity::Error)),
        file_errors.len()
    );
    for error in file_errors {
        write_file_error(out, error, options, mark);
    }
}

fn write_file_error(
    out: &mut String,
    error: &FileError,
    options: &HumanOptions,
    mark: &dyn Fn(Option<Severity>) -> String,
) {
    let location = &error.location;
    let at = match (location.line, location.column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}", location.file),
        (Some(line), None) => format!("{}:{line}", location.file),
        _ => location.file.clone(),
    };
    let document = if error.document > 0 {
        format!(" (document {})", error.document + 1)
    } else {
        String::new()
    };
    let what = format!("{at}{document}: {}", error.message);
    let _ = writeln!(
        out,
        "    {} {}",
        mark(Some(Severity::Error)),
        escape::line(&what)
    );
    if let Some(block) = snippet::render(
        location,
        &error.message,
        theme(options),
        options.width.saturating_sub(6),
        !options.color,
    ) {
        for line in block.lines() {
            let _ = writeln!(out, "      {}", line.trim_end());
        }
    }
}

fn theme(options: &HumanOptions) -> GraphicalTheme {
    match (options.symbols, options.color) {
        (Symbols::Unicode, true) => GraphicalTheme::unicode(),
        (Symbols::Unicode, false) => GraphicalTheme::unicode_nocolor(),
        // miette's ascii theme is coloured; plain output must carry no escapes.
        (Symbols::Ascii, _) => GraphicalTheme {
            characters: ThemeCharacters::ascii(),
            styles: ThemeStyles::none(),
        },
    }
}

/// The warning mark, coloured when colour is on.
pub(super) fn warning_mark(options: &HumanOptions) -> String {
    let warning = match options.symbols {
        Symbols::Unicode => UNICODE_MARKS.warning,
        Symbols::Ascii => ASCII_MARKS.warning,
    };
    if options.color {
        format!("\x1b[33m{warning}\x1b[0m")
    } else {
        warning.to_string()
    }
}

fn write_finding(
    out: &mut String,
    finding: &Finding,
    options: &HumanOptions,
    mark: &(dyn Fn(Option<Severity>) -> String + Sync),
) {
    if finding.waiver.is_some() {
        write_waived_finding(out, finding);
        return;
    }
    // A message quotes the checked files' values: one line, whatever they hold.
    let what = format!("{} {}", finding.id, finding.message);
    let _ = writeln!(
        out,
        "    {} {}",
        mark(Some(finding.severity)),
        escape::line(&what)
    );
    if let Some(location) = &finding.location {
        match snippet::render(
            location,
            &finding.title,
            theme(options),
            options.width.saturating_sub(6),
            !options.color,
        ) {
            Some(block) => {
                for line in block.lines() {
                    let _ = writeln!(out, "      {}", line.trim_end());
                }
            }
            None => {
                let at = match location.line {
                    Some(line) => format!("{}:{line}", location.file),
                    None => location.file.clone(),
                };
                let _ = writeln!(out, "      at {}", escape::line(&at));
            }
        }
    }
    // Several lines by design, each indented under `fix:`.
    let remediation = escape::lines(&finding.remediation);
    let mut remediation = remediation.lines();
    if let Some(first) = remediation.next() {
        let _ = writeln!(out, "      fix: {first}");
        for line in remediation {
            let _ = writeln!(out, "           {line}");
        }
    }
    if options.verbose {
        if let Some(subject) = &finding.subject {
            let _ = writeln!(out, "      subject: {}", escape::line(subject));
        }
        for (key, value) in &finding.evidence.to_map() {
            let shown = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let evidence = format!("{key} = {shown}");
            let _ = writeln!(out, "      evidence: {}", escape::line(&evidence));
        }
    }
}

fn category_key(category: &str) -> (usize, &str) {
    (category_rank(category), category)
}

/// Where a category stands in the checklist: catalogue order, others after.
pub fn category_rank(category: &str) -> usize {
    CATEGORY_ORDER
        .iter()
        .position(|c| *c == category)
        .unwrap_or(CATEGORY_ORDER.len())
}

fn counts_suffix(findings: &[&Finding]) -> String {
    let count = |s: Severity| {
        findings
            .iter()
            .filter(|f| f.waiver.is_none() && f.severity == s)
            .count()
    };
    let waived = findings.iter().filter(|f| f.waiver.is_some()).count();
    let parts: Vec<String> = [
        (count(Severity::Error), "error", "errors"),
        (count(Severity::Warning), "warning", "warnings"),
        (count(Severity::Info), "info", "info"),
        (waived, "waived", "waived"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", plural(n, one, many)))
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
