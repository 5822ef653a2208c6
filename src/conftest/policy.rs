//! Loading a conftest policy repository: every `.rego` file under the `-p` paths into
//! one regorus engine (compiled once, cloned per worker), the `-d` data files at the
//! data path of their directory (OPA's loader), conftest's builtins, and the rule
//! definitions conftest counts (`deny*`, `violation*`, `warn*`, per package).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use regorus::unstable::{Expr, Rule, RuleHead};
use serde_json::Value;

use super::settings::{RegoVersion, Settings};
use crate::error::Error;

static FAILURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^(deny|violation)(_[a-zA-Z0-9]+)*$").expect("valid regex"));
static WARNING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^warn(_[a-zA-Z0-9]+)*$").expect("valid regex"));

/// Whether a rule name is one conftest queries: a failure or a warning rule.
pub fn rule_kind(name: &str) -> Option<RuleKind> {
    if FAILURE.is_match(name) {
        Some(RuleKind::Failure)
    } else if WARNING.is_match(name) {
        Some(RuleKind::Warning)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Failure,
    Warning,
}

/// One `.rego` file.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub path: String,
    pub text: String,
    /// The package without `data.`.
    pub package: String,
    /// Every rule definition: name and line of its head.
    pub rules: Vec<(String, usize)>,
    /// Every rule definition's first and last line (`--trace`), in `rules`' order.
    pub rule_lines: Vec<(usize, usize)>,
}

/// A rule conftest queries in a namespace.
#[derive(Debug, Clone)]
pub struct QueriedRule {
    pub name: String,
    pub kind: RuleKind,
    /// Where its first definition is, and its METADATA `title:` if it has one.
    pub file: String,
    pub line: usize,
    pub title: Option<String>,
}

/// The rules of one namespace: the names queried (once each) and how many
/// definitions they have (conftest's `ruleCount`).
#[derive(Debug, Clone, Default)]
pub struct NamespaceRules {
    pub rules: Vec<QueriedRule>,
    pub definitions: usize,
    /// The namespace defines `exception` (or data holds it).
    pub has_exception: bool,
}

/// Loaded policies and data, ready to judge.
pub struct Policies {
    pub engine: regorus::Engine,
    pub files: Vec<PolicyFile>,
    /// Packages in load order, without duplicates.
    pub namespaces: Vec<String>,
    /// Some policy reads `data.conftest` (the checked file's name and directory).
    pub reads_file_info: bool,
    /// The data documents loaded with `-d`.
    pub data: Value,
    /// `--trace`: each query's evaluated lines are recorded.
    pub trace: bool,
}

/// Every `.rego` file of `paths` (a named file, or a directory walked), in walk order.
pub fn rego_files(paths: &[String]) -> Result<Vec<String>, Error> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| Error::Read {
            path: path.into(),
            source,
        })?;
        if meta.is_file() {
            if path.ends_with(".rego") {
                files.push(path.clone());
            }
            continue;
        }
        for entry in walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|e| Error::Usage(format!("walking {path}: {e}")))?;
            if entry.file_type().is_file() && entry.file_name().to_string_lossy().ends_with(".rego")
            {
                files.push(super::inputs::go_clean(&entry.path().to_string_lossy()));
            }
        }
    }
    Ok(files)
}

/// Loads the policies of `settings.policy` and the data of `settings.data`.
pub fn load(settings: &Settings) -> Result<Policies, Error> {
    // conftest reads the capabilities file first: a missing one is the first error.
    let capabilities = settings
        .capabilities
        .as_deref()
        .map(super::capabilities::allowed)
        .transpose()?;
    let paths = rego_files(&settings.policy)?;
    if paths.is_empty() {
        return Err(Error::Usage(format!(
            "no policies found in [{}]",
            settings.policy.join(" ")
        )));
    }
    let mut engine = regorus::Engine::new();
    engine.set_rego_v0(settings.rego_version == RegoVersion::V0);
    engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
        limit: std::time::Duration::from_secs(30),
        check_interval: std::num::NonZeroU32::new(1000).expect("non-zero"),
    });
    engine.set_gather_prints(true);
    // `--trace` is built from the interpreter's line coverage (see trace.rs).
    engine.set_enable_coverage(settings.trace);
    engine.set_strict_builtin_errors(settings.show_builtin_errors);
    let mut files = Vec::new();
    let mut namespaces: Vec<String> = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone().into(),
            source,
        })?;
        let package = engine
            .add_policy(path.clone(), text.clone())
            .map_err(|e| Error::from_regorus(&path, &text, &format!("{e:#}")))?;
        let package = package
            .strip_prefix("data.")
            .unwrap_or(&package)
            .to_string();
        if !namespaces.contains(&package) {
            namespaces.push(package.clone());
        }
        files.push(PolicyFile {
            path,
            text,
            package,
            rules: Vec::new(),
            rule_lines: Vec::new(),
        });
    }
    // Rule definitions from the parsed modules (load order = file order).
    let modules = engine.get_modules().clone();
    for (file, module) in files.iter_mut().zip(modules.iter()) {
        for rule in &module.policy {
            let (name, line, problem) = rule_head(rule);
            if problem && rule_kind(&name).is_some() {
                return Err(Error::Usage(format!(
                    "rule is using 'if' keyword without 'contains' keyword: rule in {} at line {line}",
                    file.path
                )));
            }
            file.rules.push((name, line));
            let span = rule.span();
            file.rule_lines
                .push((line, line + span.text().matches('\n').count()));
        }
    }
    if settings.strict {
        super::strict::check(&engine)?;
    }
    if let Some(allowed) = &capabilities {
        super::capabilities::check(&engine, allowed)?;
    }
    let data = load_data(&settings.data)?;
    if data.as_object().is_some_and(|o| !o.is_empty()) {
        let value = regorus::Value::from_json_str(&data.to_string())
            .map_err(|e| Error::Usage(format!("data: {e}")))?;
        engine
            .add_data(value)
            .map_err(|e| Error::Usage(format!("data: {e:#}")))?;
    }
    super::builtins::register(&mut engine, &files)?;
    // Preparing the engine is lazy and a clone copies it prepared: one evaluation here
    // spares every worker's clone ~1.5 ms of preparation.
    engine
        .eval_query("true".into(), false)
        .map_err(|e| Error::Usage(format!("preparing the policies: {e:#}")))?;
    let _ = engine.take_prints();
    let reads_file_info = files.iter().any(|f| f.text.contains("conftest"));
    Ok(Policies {
        engine,
        files,
        namespaces,
        reads_file_info,
        data,
        trace: settings.trace,
    })
}

/// A rule's name (the first part of its head's reference), the line of its head, and
/// whether it is conftest's "`if` without `contains`" mistake: `deny[msg] if {…}` in
/// Rego v1, a ref head whose value is `true`.
fn rule_head(rule: &Rule) -> (String, usize, bool) {
    match rule {
        Rule::Spec { head, span, .. } => {
            let (refr, problem) = match head {
                RuleHead::Compr { refr, assign, .. } => (
                    refr,
                    assign.is_none() && matches!(refr.as_ref(), Expr::RefBrack { .. }),
                ),
                RuleHead::Set { refr, .. } => (refr, false),
                RuleHead::Func { refr, .. } => (refr, false),
            };
            (head_name(refr.span().text()), span.line as usize, problem)
        }
        Rule::Default { refr, span, .. } => {
            (head_name(refr.span().text()), span.line as usize, false)
        }
    }
}

fn head_name(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

impl Policies {
    /// The namespaces to judge: every package (`--all-namespaces`), the packages
    /// matching the patterns when one has a glob character, else the names as given.
    pub fn select_namespaces(&self, patterns: &[String], all: bool) -> Result<Vec<String>, Error> {
        if all {
            return Ok(self.namespaces.clone());
        }
        if patterns.iter().any(|p| p.contains(['*', '?', '['])) {
            return self.matching(patterns);
        }
        Ok(patterns.to_vec())
    }

    /// Packages matched by any of the glob `patterns` (Go's `path.Match`, where `*`
    /// also crosses dots).
    pub fn matching(&self, patterns: &[String]) -> Result<Vec<String>, Error> {
        let mut globs = Vec::new();
        for pattern in patterns {
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| Error::Usage(format!("namespace pattern {pattern:?}: {e}")))?
                .compile_matcher();
            globs.push(glob);
        }
        Ok(self
            .namespaces
            .iter()
            .filter(|ns| globs.iter().any(|g| g.is_match(ns.as_str())))
            .cloned()
            .collect())
    }

    /// The rules conftest queries in `namespace` and their definition count.
    pub fn namespace_rules(&self, namespace: &str) -> NamespaceRules {
        let mut out = NamespaceRules::default();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for file in self.files.iter().filter(|f| f.package == namespace) {
            for (name, line) in &file.rules {
                if name == "exception" {
                    out.has_exception = true;
                }
                let Some(kind) = rule_kind(name) else {
                    continue;
                };
                out.definitions += 1;
                // conftest de-duplicates names case-insensitively.
                if seen.insert(name.to_lowercase()) {
                    out.rules.push(QueriedRule {
                        name: name.clone(),
                        kind,
                        file: file.path.clone(),
                        line: *line,
                        title: metadata_title(&file.text, *line),
                    });
                }
            }
        }
        let mut at = &self.data;
        for part in namespace.split('.') {
            at = &at[part];
        }
        if !at["exception"].is_null() {
            out.has_exception = true;
        }
        out
    }
}

/// The `title:` of a `# METADATA` block ending right above line `line`.
fn metadata_title(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut i = line.checked_sub(1)?;
    let mut title = None;
    while i > 0 {
        i -= 1;
        let l = lines.get(i)?.trim();
        let comment = l.strip_prefix('#')?;
        let comment = comment.trim();
        if comment == "METADATA" {
            return title;
        }
        if let Some(t) = comment.strip_prefix("title:") {
            title = Some(t.trim().trim_matches(['"', '\'']).to_string());
        }
    }
    None
}

/// The `-d` documents merged as OPA's loader does: each `.json`/`.yaml`/`.yml` file at
/// the data path of its directory relative to the root given.
pub fn load_data(paths: &[String]) -> Result<Value, Error> {
    let mut data = Value::Object(Default::default());
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|source| Error::Read {
            path: root.into(),
            source,
        })?;
        let entries: Vec<std::path::PathBuf> = if meta.is_file() {
            vec![root.into()]
        } else {
            walkdir::WalkDir::new(root)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .collect()
        };
        for file in entries {
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "json" | "yaml" | "yml") {
                continue;
            }
            let text = std::fs::read_to_string(&file).map_err(|source| Error::Read {
                path: file.clone(),
                source,
            })?;
            let format = if ext == "json" {
                super::formats::Format::Json
            } else {
                super::formats::Format::Yaml
            };
            let (value, _) = super::formats::parse(format, &text).map_err(|e| {
                Error::Usage(format!("load documents: {}: {}", file.display(), e.message))
            })?;
            let dir = if meta.is_file() {
                Vec::new()
            } else {
                file.parent()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(|rel| {
                        rel.components()
                            .map(|c| c.as_os_str().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            merge_at(&mut data, &dir, value, &file)?;
        }
    }
    Ok(data)
}

fn merge_at(data: &mut Value, dir: &[String], value: Value, file: &Path) -> Result<(), Error> {
    let mut at = data;
    for part in dir {
        let object = at.as_object_mut().ok_or_else(|| conflict(file))?;
        at = object
            .entry(part.clone())
            .or_insert_with(|| Value::Object(Default::default()));
    }
    match (at, value) {
        (Value::Object(existing), Value::Object(new)) => {
            for (key, value) in new {
                match existing.get_mut(&key) {
                    Some(old @ Value::Object(_)) if value.is_object() => {
                        merge_at(old, &[], value, file)?;
                    }
                    Some(_) => return Err(conflict(file)),
                    None => {
                        existing.insert(key, value);
                    }
                }
            }
            Ok(())
        }
        (slot, value) if slot.as_object().is_some_and(|o| o.is_empty()) => {
            *slot = value;
            Ok(())
        }
        _ => Err(conflict(file)),
    }
}

fn conflict(file: &Path) -> Error {
    Error::Usage(format!(
        "load documents: {}: merge error: its values collide with another data file's",
        file.display()
    ))
}

/// Namespaces as a sorted set (for tests and rendering).
pub fn sorted(namespaces: &[String]) -> Vec<String> {
    let set: BTreeMap<&String, ()> = namespaces.iter().map(|n| (n, ())).collect();
    set.into_keys().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_conftest_queries() {
        for name in [
            "deny",
            "violation",
            "warn",
            "deny_latest_tag",
            "warn_a_b",
            "violation_x1",
        ] {
            assert!(rule_kind(name).is_some(), "{name}");
        }
        for name in ["deny_", "denyX", "Deny", "warning", "exception", "deny__x"] {
            assert!(rule_kind(name).is_none(), "{name}");
        }
    }

    #[test]
    fn title_from_the_metadata_block_above() {
        let text = "package main\n\n# METADATA\n# title: No latest tag\n# custom:\n#  x: 1\ndeny_latest contains msg if {\n  msg := \"x\"\n}\n";
        assert_eq!(metadata_title(text, 7).as_deref(), Some("No latest tag"));
        assert_eq!(metadata_title(text, 8), None);
    }
}
