//! The configuration at work: before compiling, which packs and rules run (pins,
//! `off`, severity overrides); after the report is built, which findings are waived
//! and which waivers need attention.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use globset::{Glob, GlobBuilder, GlobMatcher};

use super::redirects::Redirects;
use super::{IsoDate, LoadedConfig, PackVersion, SeverityOverride, Version, Waiver};
use crate::audit::AuditReport;
use crate::error::Error;
use crate::files::source_map::Step;
use crate::policy::{Pack, Severity};
use crate::report::{AppliedWaiver, Finding, Location, PackRef, Report, WaiverNotice, WaiverState};

/// A subject glob: only `*` and `?` are wildcards, because subjects are full of
/// brackets (`path.entries[3]`) that a glob would read as character classes.
pub fn subject_glob(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    let mut escaped = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        if matches!(c, '[' | ']' | '{' | '}' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    Ok(Glob::new(&escaped)?.compile_matcher())
}

/// A path glob: `*` stays within a directory, `**` crosses them.
pub fn path_glob(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    Ok(GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()?
        .compile_matcher())
}

impl LoadedConfig {
    /// Narrows the loaded packs to what the configuration runs: only listed packs (when
    /// `packs` is given), only rules not newer than a pack's pin, no rule turned `off`, opt-in
    /// rules (`custom.opt_in`) only when given a severity,
    /// and overridden severities. Names and ids are checked against every pack envgate
    /// knows, so a typo is an error rather than a silently empty check.
    pub fn select_packs(&self, packs: &mut Vec<Pack>, redirects: &Redirects) -> Result<(), Error> {
        let config = &self.config;
        let mentioned_ids = config
            .severity
            .keys()
            .chain(config.waivers.iter().map(|w| &w.rule))
            .map(|id| redirects.resolve(id).0);
        let loaded_ids: BTreeSet<&str> = packs
            .iter()
            .flat_map(|p| &p.rules)
            .map(|r| r.id.as_str())
            .collect();
        let loaded_names: BTreeSet<&str> = packs.iter().map(|p| p.name.as_str()).collect();
        let needs_catalogue = mentioned_ids
            .clone()
            .any(|id| !loaded_ids.contains(id.as_str()))
            || config
                .packs
                .iter()
                .flatten()
                .any(|(name, _)| !loaded_names.contains(name.as_str()));
        // A files-only check does not load the machine packs: only when the config
        // names something not loaded is the whole catalogue read (METADATA only).
        let builtin = if needs_catalogue {
            crate::policy::builtin_packs()?
        } else {
            Vec::new()
        };
        let mut versions: BTreeMap<&str, &str> = BTreeMap::new();
        let mut known_ids: BTreeSet<&str> = BTreeSet::new();
        for pack in builtin.iter().chain(packs.iter()) {
            versions.insert(&pack.name, &pack.version);
            known_ids.extend(pack.rules.iter().map(|r| r.id.as_str()));
        }

        for (name, pin) in config.packs.iter().flatten() {
            let at = [Step::Key("packs".into()), Step::Key(name.clone())];
            let Some(version) = versions.get(name.as_str()) else {
                let names: Vec<&str> = versions.keys().copied().collect();
                return Err(self.error_at(
                    &at,
                    format!("there is no pack named {name:?}"),
                    &format!("the packs are: {}", names.join(", ")),
                ));
            };
            if let PackVersion::Pinned {
                written,
                version: pinned,
            } = pin
                && Version::parse(version).is_some_and(|shipped| *pinned > shipped)
            {
                return Err(self.error_at(
                    &at,
                    format!(
                        "{name} is pinned to {written}, newer than the {name} pack of this envgate ({version})"
                    ),
                    &format!("pin a version up to {version}, or upgrade envgate"),
                ));
            }
        }
        // A conftest rule's id (`main.deny`) is known only once its policies load.
        let conftest_id = |id: &str| {
            !config.conftest.is_empty()
                && (id.contains('.') || id == crate::conftest::gate::UNREAD_ID)
        };
        for id in config.severity.keys() {
            if !known_ids.contains(redirects.resolve(id).0.as_str()) && !conftest_id(id) {
                return Err(self.error_at(
                    &[Step::Key("severity".into()), Step::Key(id.clone())],
                    format!("there is no rule {id}"),
                    "use a rule id as `envgate policies` lists it, e.g. GO013",
                ));
            }
        }
        for (i, waiver) in config.waivers.iter().enumerate() {
            if !known_ids.contains(redirects.resolve(&waiver.rule).0.as_str())
                && !conftest_id(&waiver.rule)
            {
                return Err(self.error_at(
                    &[
                        Step::Key("waivers".into()),
                        Step::Index(i),
                        Step::Key("rule".into()),
                    ],
                    format!("there is no rule {}", waiver.rule),
                    "use a rule id as `envgate policies` lists it, e.g. GO013",
                ));
            }
        }

        let overrides = self.severity_overrides(redirects);
        if let Some(listed) = &config.packs {
            packs.retain(|pack| listed.contains_key(&pack.name));
        }
        for pack in packs.iter_mut() {
            let pin = match config.packs.as_ref().and_then(|p| p.get(&pack.name)) {
                Some(PackVersion::Pinned { version, .. }) => Some(*version),
                _ => None,
            };
            pack.rules.retain(|rule| {
                let since = Version::parse(&rule.since);
                let in_pin = match (pin, since) {
                    (Some(pin), Some(since)) => since <= pin,
                    _ => true,
                };
                let severity = overrides.get(&rule.id);
                // An opt-in rule runs only when given a severity other than `off`.
                in_pin
                    && severity != Some(&SeverityOverride::Off)
                    && (!rule.opt_in || severity.is_some())
            });
            for rule in &mut pack.rules {
                if let Some(severity) = overrides.get(&rule.id).and_then(|o| o.severity()) {
                    rule.severity = severity;
                }
            }
        }
        Ok(())
    }

    /// Severity overrides by the current rule id.
    fn severity_overrides(&self, redirects: &Redirects) -> BTreeMap<String, SeverityOverride> {
        self.config
            .severity
            .iter()
            .map(|(id, severity)| (redirects.resolve(id).0, *severity))
            .collect()
    }

    /// Applies the configuration to a finished report: pins, severity overrides,
    /// waivers (with their notices), then recounts and re-sorts.
    pub fn apply(&self, report: &mut Report, today: IsoDate, redirects: &Redirects) {
        let notices = self.apply_all(&mut [&mut *report], today, redirects);
        // `apply_all` borrowed the report; the notices belong to it alone.
        report.waivers = notices;
    }

    /// Like [`apply`](Self::apply) over the reports of one run (an audit): a waiver is
    /// stale only when it matched nothing in any of them. Returns the waiver notices.
    pub fn apply_all(
        &self,
        reports: &mut [&mut Report],
        today: IsoDate,
        redirects: &Redirects,
    ) -> Vec<WaiverNotice> {
        let overrides = self.severity_overrides(redirects);
        let waivers: Vec<CompiledWaiver> = self
            .config
            .waivers
            .iter()
            .zip(&self.waiver_lines)
            .map(|(waiver, line)| CompiledWaiver::new(waiver, *line, redirects))
            .collect();
        let mut matched = vec![0usize; waivers.len()];
        let mut ran: BTreeSet<String> = BTreeSet::new();
        for report in reports.iter_mut() {
            report.config = Some(self.shown.clone());
            self.pin(&mut report.packs);
            ran.extend(
                report
                    .rules
                    .iter()
                    .filter(|r| r.status.judged())
                    .map(|r| r.id.clone()),
            );
            for finding in &mut report.findings {
                if let Some(severity) = overrides
                    .get(finding.id.as_str())
                    .and_then(|o| o.severity())
                {
                    finding.severity = severity;
                }
                let mut covered = false;
                for (i, waiver) in waivers.iter().enumerate() {
                    if !waiver.matches(finding, &self.dir) {
                        continue;
                    }
                    matched[i] += 1;
                    if !covered && today <= waiver.source.expires {
                        finding.waiver = Some(Box::new(waiver.applied(&self.shown)));
                        covered = true;
                    }
                }
            }
            recount(report);
        }
        let mut notices: Vec<WaiverNotice> = waivers
            .iter()
            .zip(&matched)
            .filter(|(waiver, _)| ran.contains(&waiver.rule))
            .filter_map(|(waiver, &count)| {
                let (state, message) = if today > waiver.source.expires {
                    let covered = match count {
                        0 => "it matches no finding now".to_string(),
                        1 => "the 1 finding it matched is reported again".to_string(),
                        n => format!("the {n} findings it matched are reported again"),
                    };
                    (
                        WaiverState::Expired,
                        format!(
                            "expired on {}: {covered}; fix the finding, or renew the waiver with a new date",
                            waiver.source.expires
                        ),
                    )
                } else if count == 0 {
                    (
                        WaiverState::Stale,
                        "matches no finding: remove it, or correct its rule, subject or path"
                            .to_string(),
                    )
                } else {
                    return None;
                };
                Some(WaiverNotice {
                    location: waiver.location(&self.shown),
                    rule: waiver.source.rule.clone(),
                    state,
                    reason: waiver.source.reason.clone(),
                    expires: waiver.source.expires.to_string(),
                    owner: waiver.source.owner.clone(),
                    severity: Severity::Warning,
                    message,
                })
            })
            .collect();
        notices.sort();
        notices
    }

    /// Applies the configuration to every report of an audit, and recounts it.
    pub fn apply_to_audit(&self, audit: &mut AuditReport, today: IsoDate, redirects: &Redirects) {
        let mut reports: Vec<&mut Report> = audit
            .images
            .iter_mut()
            .flat_map(|image| image.users.iter_mut())
            .collect();
        audit.waivers = self.apply_all(&mut reports, today, redirects);
        self.pin(&mut audit.packs);
        let reports = || audit.images.iter().flat_map(|i| &i.users);
        audit.summary.errors = reports().map(|r| r.summary.errors).sum();
        audit.summary.warnings = reports().map(|r| r.summary.warnings).sum();
        audit.summary.infos = reports().map(|r| r.summary.infos).sum();
    }

    /// Records each pack's pinned version (`None`: the latest rules ran).
    pub fn pin(&self, packs: &mut [PackRef]) {
        for pack in packs {
            pack.pinned = match self.config.packs.as_ref().and_then(|p| p.get(&pack.name)) {
                Some(PackVersion::Pinned { written, .. }) => Some(written.clone()),
                _ => None,
            };
        }
    }
}

impl SeverityOverride {
    fn severity(self) -> Option<Severity> {
        match self {
            SeverityOverride::Error => Some(Severity::Error),
            SeverityOverride::Warning => Some(Severity::Warning),
            SeverityOverride::Info => Some(Severity::Info),
            SeverityOverride::Off => None,
        }
    }
}

/// Errors, warnings and infos count the findings no waiver covers.
fn recount(report: &mut Report) {
    crate::report::sort_findings(&mut report.findings);
    let open = |s: Severity| {
        report
            .findings
            .iter()
            .filter(|f| f.waiver.is_none() && f.severity == s)
            .count()
    };
    report.summary.errors = open(Severity::Error);
    report.summary.warnings = open(Severity::Warning);
    report.summary.infos = open(Severity::Info);
    report.summary.waived = report
        .findings
        .iter()
        .filter(|f| f.waiver.is_some())
        .count();
}

struct CompiledWaiver<'a> {
    source: &'a Waiver,
    line: usize,
    /// The rule id it applies to now.
    rule: String,
    redirected_from: Option<String>,
    subject: Option<GlobMatcher>,
    path: Option<GlobMatcher>,
    /// A path pattern without `/` also matches the file name.
    path_matches_name: bool,
}

impl<'a> CompiledWaiver<'a> {
    fn new(source: &'a Waiver, line: usize, redirects: &Redirects) -> Self {
        let (rule, redirected_from) = redirects.resolve(&source.rule);
        // The globs were checked when the file was loaded.
        Self {
            source,
            line,
            rule,
            redirected_from,
            subject: source.subject.as_deref().and_then(|p| subject_glob(p).ok()),
            path: source.path.as_deref().and_then(|p| path_glob(p).ok()),
            path_matches_name: source.path.as_deref().is_some_and(|p| !p.contains('/')),
        }
    }

    fn matches(&self, finding: &Finding, config_dir: &Path) -> bool {
        if finding.id != self.rule {
            return false;
        }
        if let Some(glob) = &self.subject
            && !finding.subject.as_deref().is_some_and(|s| glob.is_match(s))
        {
            return false;
        }
        if let Some(glob) = &self.path {
            let Some(file) = finding.location.as_ref().map(|l| l.file.as_str()) else {
                return false;
            };
            let absolute = std::path::absolute(file).unwrap_or_else(|_| file.into());
            let relative = absolute.strip_prefix(config_dir).ok();
            let name = file.rsplit('/').next().unwrap_or(file);
            return glob.is_match(file)
                || relative.is_some_and(|r| glob.is_match(r))
                || (self.path_matches_name && glob.is_match(name));
        }
        true
    }

    fn location(&self, shown: &str) -> Location {
        Location::with_snippet(shown.to_string(), Some(self.line), None, None)
    }

    fn applied(&self, shown: &str) -> AppliedWaiver {
        AppliedWaiver {
            location: self.location(shown),
            reason: self.source.reason.clone(),
            expires: self.source.expires.to_string(),
            owner: self.source.owner.clone(),
            redirected_from: self.redirected_from.clone(),
        }
    }
}
