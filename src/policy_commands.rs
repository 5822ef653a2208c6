//! The commands about the policies themselves: `explain`, `policies` (list, `lint`,
//! `diff`) and `verify` (the packs' own tests, with coverage).

use std::fmt::Write as _;

use envgate::policy::diff::{Version, in_version};

use super::*;

pub(crate) fn explain(args: ExplainArgs) -> Result<Outcome, Error> {
    let policies = envgate::load_policies(&args.policies.policy_dirs)?;
    let wanted = args.id.to_ascii_uppercase();
    let rule = policies
        .rules()
        .find(|r| r.id.eq_ignore_ascii_case(&wanted) || r.name == args.id)
        .ok_or_else(|| {
            Error::Usage(format!(
                "no rule {} (see `envgate policies` for the list)",
                args.id
            ))
        })?;
    let version = policies
        .packs
        .iter()
        .find(|p| p.name == rule.pack)
        .map(|p| p.version.as_str())
        .unwrap_or("?");
    let mut out = format!(
        "{} ({}): {}\n\nSeverity: {}{}\nCategory: {}\nPack: {} {} (since {})\nSource: {}:{}\nAuto-fixable: {}\n\n{}\n\nFix (template):\n",
        rule.id,
        rule.name,
        rule.title,
        rule.severity.as_str(),
        if rule.opt_in {
            " (opt-in: runs only when .envgate.yaml gives it a severity, e.g. `severity: {ID: warning}`)"
                .replace("ID", &rule.id)
        } else {
            String::new()
        },
        rule.category,
        rule.pack,
        version,
        rule.since,
        rule.file,
        rule.line,
        match rule.autofix.as_deref() {
            Some("safe") => "yes, `envgate fix --apply` (structured edits)",
            Some(_) =>
                "with `envgate fix --apply --unsafe` (structured edits that change which toolchain runs, delete something or take a setting away)",
            None => "no (the fix above is done by hand)",
        },
        rule.description
    );
    for line in rule.remediation.trim_end().lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    if !rule.related.is_empty() {
        out.push_str("\nReferences:\n");
        for reference in &rule.related {
            out.push_str(&format!("  - {reference}\n"));
        }
    }
    envgate::output::print(&out)?;
    Ok(Outcome::Clean)
}

pub(crate) fn policies(args: PoliciesArgs) -> Result<Outcome, Error> {
    match args.command {
        Some(PoliciesCommand::Lint(lint)) => return policies_lint(lint),
        Some(PoliciesCommand::Diff(diff)) => return policies_diff(diff),
        None => {}
    }
    let policies = envgate::load_policies(&args.policies.policy_dirs)?;
    let since = args
        .since
        .as_deref()
        .map(|v| Version::parse_arg(v, "--since"))
        .transpose()?;
    let packs = select_packs(&policies.packs, args.pack.as_deref())?;
    let in_baseline = |rule: &&envgate::policy::Rule| since.is_none_or(|v| in_version(rule, v));
    let mut out = String::new();
    match args.format {
        Format::Json => {
            let rules: Vec<_> = packs
                .iter()
                .flat_map(|p| &p.rules)
                .filter(in_baseline)
                .collect();
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&rules).expect("rules serialize")
            );
        }
        Format::Human => {
            for pack in packs {
                let rules: Vec<_> = pack.rules.iter().filter(in_baseline).collect();
                let baseline = since.map_or(String::new(), |v| {
                    format!(
                        " [baseline {v}: {} of {} rules]",
                        rules.len(),
                        pack.rules.len()
                    )
                });
                let _ = writeln!(
                    out,
                    "{} {} ({}): {}{baseline}",
                    pack.name, pack.version, pack.origin, pack.title
                );
                for rule in rules {
                    let _ = writeln!(
                        out,
                        "  {:<7} {:<8} {:<20} {}",
                        rule.id,
                        rule.severity.as_str(),
                        rule.category,
                        rule.title
                    );
                }
            }
        }
    }
    envgate::output::print(&out)?;
    Ok(Outcome::Clean)
}

/// The packs named by `--pack` (all when not given); an unknown name is a usage error.
fn select_packs<'a>(
    packs: &'a [envgate::policy::Pack],
    name: Option<&str>,
) -> Result<Vec<&'a envgate::policy::Pack>, Error> {
    let Some(name) = name else {
        return Ok(packs.iter().collect());
    };
    let selected: Vec<_> = packs.iter().filter(|p| p.name == name).collect();
    if selected.is_empty() {
        let names: Vec<&str> = packs.iter().map(|p| p.name.as_str()).collect();
        return Err(Error::Usage(format!(
            "no pack {name:?} (loaded: {}; add yours with --policy DIR)",
            names.join(", ")
        )));
    }
    Ok(selected)
}

fn policies_lint(args: LintArgs) -> Result<Outcome, Error> {
    let report = envgate::policy::lint::lint(&args.dirs)?;
    let out = match args.format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&report).expect("a lint report serializes")
        ),
        Format::Human => report.render(),
    };
    envgate::output::print(&out)?;
    Ok(if report.problems.is_empty() {
        Outcome::Clean
    } else {
        Outcome::FindingsAtThreshold
    })
}

fn policies_diff(args: DiffArgs) -> Result<Outcome, Error> {
    let old = Version::parse_arg(&args.old, "OLD")?;
    let new = Version::parse_arg(&args.new, "NEW")?;
    if old > new {
        return Err(Error::Usage(format!(
            "OLD ({old}) is newer than NEW ({new}); give the older version first"
        )));
    }
    let policies = envgate::load_policies(&args.policies.policy_dirs)?;
    let packs: Vec<envgate::policy::Pack> = select_packs(&policies.packs, args.pack.as_deref())?
        .into_iter()
        .cloned()
        .collect();
    let changes = envgate::policy::diff::changes(&packs, old, new);
    envgate::output::print(&envgate::policy::diff::render_changes(&changes, old, new))?;
    Ok(Outcome::Clean)
}

pub(crate) fn verify(args: VerifyArgs) -> Result<Outcome, Error> {
    let packs = if args.dirs.is_empty() {
        envgate::policy::builtin_packs()?
    } else {
        let mut packs = Vec::new();
        for dir in &args.dirs {
            packs.extend(envgate::policy::load_dir(dir)?);
        }
        packs
    };
    // Compile first so syntax errors surface as diagnostics, not failed tests.
    let set = PolicySet::compile(packs)?;
    let (results, coverage) = if args.coverage {
        let (results, coverage) = envgate::policy::testing::run_tests_with_coverage(&set.packs)?;
        (results, Some(coverage))
    } else {
        (envgate::policy::testing::run_tests(&set.packs)?, None)
    };
    let failed = results.iter().filter(|r| !r.passed).count();
    let mut out = String::new();
    match args.format {
        Format::Json => {
            let json = serde_json::json!({
                "tests": results,
                "passed": results.len() - failed,
                "failed": failed,
                "coverage": coverage,
            });
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json).expect("test results serialize")
            );
        }
        Format::Human => {
            for result in &results {
                let status = if result.passed { "PASS" } else { "FAIL" };
                let _ = writeln!(
                    out,
                    "{status} {}:{} {}",
                    result.file, result.line, result.name
                );
                if let Some(detail) = &result.detail {
                    let _ = writeln!(out, "     {detail}");
                }
            }
            let _ = writeln!(out, "{} passed, {} failed", results.len() - failed, failed);
            if let Some(coverage) = &coverage {
                out.push_str(&coverage.render());
            }
        }
    }
    envgate::output::print(&out)?;
    Ok(if failed > 0 {
        Outcome::FindingsAtThreshold
    } else {
        Outcome::Clean
    })
}
