//! Policy packs: versioned directories of Rego rules, one package per rule.
//!
//! A pack is a directory with a `manifest.yaml` (name, semver version), `*.rego` rule
//! and library files, `*_test.rego` unit tests and an optional `data.json` of policy
//! data, mounted at `data.pack_data.<pack>`. A rule is a package under
//! `envgate.<pack>.` whose METADATA block carries `custom.id`; it emits
//! `deny contains finding`. The built-in packs are embedded in the binary.

pub mod coverage;
mod decode;
pub mod diff;
pub mod engine;
pub mod input_use;
pub mod lint;
pub mod metadata;
pub mod prebuilt;
pub mod testing;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, offset_of};
use crate::excerpt::Excerpt;
use input_use::InputUse;
use metadata::read_header_with;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));
}

/// How serious a finding is; ordered so `Error > Warning > Info`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One Rego file, with the path it is shown under.
#[derive(Debug, Clone)]
pub struct PolicySource {
    /// `policies/go/x.rego` for built-in files, the real path for user files.
    pub path: String,
    /// Borrowed from the binary for a built-in file: a run does not copy the megabyte
    /// of Rego it may never hand to the interpreter.
    pub text: Cow<'static, str>,
}

/// A rule's registry entry: everything but its Rego.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: String,
    /// Kebab-case name taken from the package (`gopath-bin-not-on-path`).
    pub name: String,
    pub pack: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub since: String,
    pub category: String,
    pub remediation: String,
    pub related: Vec<String>,
    /// Needs a live session (not judged in an image).
    pub live_only: bool,
    /// The systems it judges (`custom.systems`); empty: every system.
    pub systems: Vec<String>,
    /// Snapshot paths it judges (`custom.requires`); one absent: not judged.
    pub requires: Vec<String>,
    /// Judges each file on its own (`custom.per_file`), so built-in packs can judge a
    /// check in batches of files.
    pub per_file: bool,
    /// A rule that compares files: the kinds of document it reads (`custom.reads`);
    /// `None`: every document.
    pub reads: Option<Vec<crate::snapshot::FileKind>>,
    /// Object keys whose values it never looks inside (`custom.never_reads`).
    pub never_reads: Vec<String>,
    /// Runs only when the configuration gives it a severity (`custom.opt_in`).
    pub opt_in: bool,
    /// `envgate fix` can fix its findings: `safe` or `unsafe` (`custom.autofix`).
    pub autofix: Option<String>,
    /// `data.`-less package path.
    pub package: String,
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    name: String,
    version: String,
    title: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Pack {
    pub name: String,
    pub version: String,
    pub title: String,
    pub description: String,
    /// `builtin` or the directory it was loaded from.
    pub origin: String,
    pub rules: Vec<Rule>,
    /// Rule and library sources (no tests).
    pub modules: Vec<PolicySource>,
    pub tests: Vec<PolicySource>,
    pub data: serde_json::Value,
    /// What the modules read of the input.
    pub input_use: InputUse,
}

/// The packs compiled into envgate.
pub fn builtin_packs() -> Result<Vec<Pack>, Error> {
    builtin_packs_where(|_| true)
}

/// The built-in packs whose use of the input `keep` accepts; the others' METADATA is
/// not even read (a files-only check skips the Go pack this way).
pub fn builtin_packs_where(keep: impl Fn(InputUse) -> bool) -> Result<Vec<Pack>, Error> {
    let mut names: Vec<&str> = builtin::FILES
        .iter()
        .filter_map(|(path, _)| path.strip_suffix("/manifest.yaml"))
        .collect();
    names.sort();
    names.retain(|name| keep(builtin_input_use(name)));
    names
        .into_iter()
        .map(|name| {
            let prefix = format!("{name}/");
            let files = builtin::FILES
                .iter()
                .filter_map(|(path, text)| {
                    path.strip_prefix(&prefix).map(|rel| {
                        (
                            rel.to_string(),
                            format!("policies/{path}"),
                            Cow::Borrowed(*text),
                        )
                    })
                })
                .collect();
            let mut pack = build_pack("builtin".into(), files)?;
            share_builtin_data(&mut pack);
            Ok(pack)
        })
        .collect()
}

/// What built-in pack `name`'s sources read of the input, as the build found it.
fn builtin_input_use(name: &str) -> InputUse {
    builtin::INPUT_USE
        .iter()
        .find(|(pack, _, _)| *pack == name)
        .map_or(
            // Not stored: a pack with no rule or library file reads nothing.
            InputUse::default(),
            |&(_, reads_files, only_files)| InputUse {
                reads_files,
                only_files,
            },
        )
}

/// The METADATA block of built-in file `shown` (`policies/go/go001_….rego`) as the
/// build read it, when it stored one.
fn builtin_metadata(shown: &str) -> Option<&'static str> {
    let path = shown.strip_prefix("policies/")?;
    let at = builtin::METADATA
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()?;
    Some(builtin::METADATA[at].1)
}

/// Data one built-in pack reads from another's `data.json`, copied at load time so
/// each table has one source: the repo pack judges Go releases in containers and CI
/// with the go pack's list of supported releases (GO008's), and secret names with
/// K8S014's reference suffixes, whether or not those packs are loaded (a files-only
/// check does not load the go pack).
fn share_builtin_data(pack: &mut Pack) {
    const SHARED: &[(&str, &str, &[&str])] = &[
        (
            "repo",
            "go/data.json",
            &["supported_go", "supported_go_as_of"],
        ),
        // K8S014's names that refer to a secret rather than hold one (`*_FILE`).
        ("repo", "k8s/data.json", &["secret_names"]),
    ];
    for (to, from, keys) in SHARED.iter().filter(|(to, _, _)| *to == pack.name) {
        let _ = to;
        let Some((_, text)) = builtin::FILES.iter().find(|(path, _)| path == from) else {
            continue;
        };
        let Ok(source) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        if let Some(data) = pack.data.as_object_mut() {
            for key in *keys {
                if let Some(value) = source.get(*key) {
                    data.insert((*key).to_string(), value.clone());
                }
            }
        }
    }
}

/// Loads user packs from `dir`: the directory itself when it holds a `manifest.yaml`,
/// else each subdirectory that does.
pub fn load_dir(dir: &Path) -> Result<Vec<Pack>, Error> {
    pack_dirs(dir)?.iter().map(|d| load_pack_dir(d)).collect()
}

/// The pack directories `dir` stands for: itself when it holds a `manifest.yaml`, else
/// its subdirectories that do (sorted).
fn pack_dirs(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if dir.join("manifest.yaml").is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::read(dir, e))?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("manifest.yaml").is_file())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(Error::BadInput {
            message: format!("{} holds no policy pack", dir.display()),
            help: Some(
                "a pack is a directory with a manifest.yaml (name, version) and .rego files; see examples/policies"
                    .into(),
            ),
            src: None,
            span: None,
        });
    }
    Ok(dirs)
}

fn load_pack_dir(dir: &Path) -> Result<Pack, Error> {
    let files = pack_dir_files(dir)?
        .into_iter()
        .map(|(relative, path, text)| (relative, path, Cow::Owned(text)))
        .collect();
    build_pack(dir.display().to_string(), files)
}

/// A pack directory's files as `(path inside pack, shown path, text)` triples: its
/// `.rego` files, `manifest.yaml` and `data.json`, in file-name order.
fn pack_dir_files(dir: &Path) -> Result<Vec<(String, String, String)>, Error> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::read(path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let relative = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        if !(relative.ends_with(".rego") || relative == "manifest.yaml" || relative == "data.json")
        {
            continue;
        }
        let text =
            crate::regular::read_to_string(path, u64::MAX).map_err(|e| Error::read(path, e))?;
        files.push((relative, path.display().to_string(), text));
    }
    Ok(files)
}

/// Assembles a pack from `(path inside pack, shown path, text)` triples.
fn build_pack(
    origin: String,
    files: Vec<(String, String, Cow<'static, str>)>,
) -> Result<Pack, Error> {
    let (_, manifest_path, manifest_text) = files
        .iter()
        .find(|(rel, _, _)| rel == "manifest.yaml")
        .ok_or_else(|| Error::BadInput {
            message: format!("policy pack {origin} has no manifest.yaml"),
            help: Some("add manifest.yaml with `name:` and `version:` (semver)".into()),
            src: None,
            span: None,
        })?;
    let manifest = match builtin_manifest(&origin, manifest_path) {
        Some(manifest) => manifest,
        None => read_manifest(manifest_path, manifest_text)?,
    };
    if !is_pack_name(&manifest.name) {
        return Err(contract_error(
            manifest_path,
            manifest_text,
            Some(1),
            format!(
                "pack name {:?} in {manifest_path} is not a valid name",
                manifest.name
            ),
            "use lowercase letters, digits and underscores, starting with a letter",
        ));
    }
    if !is_semver(&manifest.version) {
        return Err(contract_error(
            manifest_path,
            manifest_text,
            Some(1),
            format!(
                "pack version {:?} in {manifest_path} is not semver",
                manifest.version
            ),
            "write the version as MAJOR.MINOR.PATCH, e.g. 1.0.0",
        ));
    }

    let data = match files.iter().find(|(rel, _, _)| rel == "data.json") {
        Some((_, path, text)) => serde_json::from_str(text).map_err(|e| {
            contract_error(
                path,
                text,
                Some(e.line()),
                format!("invalid pack data {path}: {e}"),
                "data.json must be a JSON object",
            )
        })?,
        None => serde_json::Value::Object(Default::default()),
    };

    let mut pack = Pack {
        name: manifest.name.clone(),
        version: manifest.version.clone(),
        title: manifest.title.unwrap_or_else(|| manifest.name.clone()),
        description: manifest.description.unwrap_or_default(),
        origin,
        rules: Vec::new(),
        modules: Vec::new(),
        tests: Vec::new(),
        data,
        input_use: InputUse::default(),
    };
    for (relative, path, text) in files {
        if !relative.ends_with(".rego") {
            continue;
        }
        let source = PolicySource { path, text };
        if relative.ends_with("_test.rego") {
            pack.tests.push(source);
            continue;
        }
        // A built-in file's METADATA was read by the build (stored as JSON).
        let parsed = (pack.origin == "builtin")
            .then(|| builtin_metadata(&source.path))
            .flatten();
        if let Some(rule) = rule_of(&pack.name, &source, parsed)? {
            pack.rules.push(rule);
        }
        pack.modules.push(source);
    }
    // Ids are unique; an unstable sort moves the large entries without a scratch copy.
    pack.rules.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    pack.input_use = if pack.origin == "builtin" {
        builtin_input_use(&pack.name)
    } else {
        InputUse::of(pack.modules.iter().map(|m| m.text.as_ref()))
    };
    Ok(pack)
}

/// A pack's `manifest.yaml`.
fn read_manifest(path: &str, text: &str) -> Result<Manifest, Error> {
    yaml_serde::from_str(text).map_err(|e| {
        contract_error(
            path,
            text,
            e.location().map(|l| l.line()),
            format!("invalid pack manifest {path}: {e}"),
            "manifest.yaml takes `name`, `version`, and optionally `title` and `description`",
        )
    })
}

/// A built-in pack's manifest as the build read it (stored as JSON); `None` for
/// another pack's, or one the build did not store.
fn builtin_manifest(origin: &str, shown: &str) -> Option<Manifest> {
    if origin != "builtin" {
        return None;
    }
    let pack = shown
        .strip_prefix("policies/")?
        .strip_suffix("/manifest.yaml")?;
    let (_, json) = builtin::MANIFESTS.iter().find(|(name, _)| *name == pack)?;
    serde_json::from_str(json).ok()
}

/// The registry entry of a rule file, or `None` for a library file.
fn rule_of(pack: &str, source: &PolicySource, parsed: Option<&str>) -> Result<Option<Rule>, Error> {
    let file = &source.path;
    let header = read_header_with(&source.text, parsed).map_err(|e| {
        contract_error(
            file,
            &source.text,
            Some(e.line),
            e.message,
            "METADATA is YAML behind `# `; see README, \"Writing a policy\"",
        )
    })?;
    let Some(header) = header else {
        return Ok(None);
    };
    let Some((annotations, block_line)) = header.annotations else {
        return Ok(None);
    };
    let Some(custom) = annotations.custom else {
        return Ok(None);
    };
    let Some(id) = custom.id else {
        return Ok(None);
    };
    let required = [
        ("title", annotations.title.is_none()),
        ("description", annotations.description.is_none()),
        ("custom.severity", custom.severity.is_none()),
        ("custom.since", custom.since.is_none()),
        ("custom.category", custom.category.is_none()),
        ("custom.remediation", custom.remediation.is_none()),
    ];
    let missing: Vec<&str> = required
        .iter()
        .filter(|(_, absent)| *absent)
        .map(|(key, _)| *key)
        .collect();
    if !missing.is_empty() {
        return Err(contract_error(
            file,
            &source.text,
            Some(block_line),
            format!(
                "rule {id} in {file} has no {} in its METADATA",
                missing.join(", ")
            ),
            "every rule needs title, description, custom.id, custom.severity, custom.since, custom.category and custom.remediation",
        ));
    }
    let unwrap = |v: Option<String>| v.unwrap_or_default();
    let prefix = format!("envgate.{pack}.");
    let Some(local) = header.package.strip_prefix(&prefix) else {
        return Err(contract_error(
            file,
            &source.text,
            Some(header.package_line),
            format!(
                "rule {id} is in package {}, outside its pack",
                header.package
            ),
            &format!("rule packages of pack `{pack}` are named `{prefix}<rule_name>`"),
        ));
    };
    let severity_text = unwrap(custom.severity);
    let severity = Severity::parse(&severity_text).ok_or_else(|| {
        contract_error(
            file,
            &source.text,
            Some(block_line),
            format!("rule {id} has severity {severity_text:?}"),
            "severity is one of error, warning, info",
        )
    })?;
    let reads = match custom.reads {
        None => None,
        Some(names) => Some(
            names
                .iter()
                .map(|name| {
                    serde_json::from_value(serde_json::Value::String(name.clone())).map_err(|_| {
                        contract_error(
                            file,
                            &source.text,
                            Some(block_line),
                            format!("rule {id} reads {name:?}, which is not a kind of document"),
                            "custom.reads lists kinds of document as `input.files[_].kind` names them (kubernetes, go.mod, go.work, compose, dockerfile, dotenv, …)",
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let requires = custom.requires.clone().unwrap_or_default();
    if let Some(path) = requires.iter().find(|p| {
        p.split('.')
            .any(|s| s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    }) {
        return Err(contract_error(
            file,
            &source.text,
            Some(block_line),
            format!("rule {id} requires {path:?}, which is not a snapshot path"),
            "custom.requires lists dotted snapshot paths such as windows.defender",
        ));
    }
    if let Some(autofix) = custom.autofix.as_deref()
        && !matches!(autofix, "safe" | "unsafe")
    {
        return Err(contract_error(
            file,
            &source.text,
            Some(block_line),
            format!("rule {id} has autofix {autofix:?}"),
            "autofix is safe or unsafe (or absent: no structured fix)",
        ));
    }
    let since = unwrap(custom.since);
    if !is_semver(&since) {
        return Err(contract_error(
            file,
            &source.text,
            Some(block_line),
            format!("rule {id} has since {since:?}, which is not a pack version"),
            "since is the MAJOR.MINOR.PATCH pack version that introduced the rule",
        ));
    }
    Ok(Some(Rule {
        name: rule_name(local, &id),
        title: unwrap(annotations.title),
        description: unwrap(annotations.description).trim().to_string(),
        severity,
        since,
        category: unwrap(custom.category),
        remediation: unwrap(custom.remediation),
        live_only: custom.live_only.unwrap_or(false),
        systems: custom.systems.clone().unwrap_or_default(),
        requires,
        per_file: custom.per_file.unwrap_or(false),
        reads,
        never_reads: custom.never_reads.clone().unwrap_or_default(),
        opt_in: custom.opt_in.unwrap_or(false),
        autofix: custom.autofix.clone(),
        related: annotations
            .related_resources
            .iter()
            .map(|r| r.reference().to_string())
            .collect(),
        package: header.package,
        pack: pack.to_string(),
        file: file.clone(),
        line: header.package_line,
        id,
    }))
}

/// `go013_gopath_bin_not_on_path` → `gopath-bin-not-on-path`.
fn rule_name(local_package: &str, id: &str) -> String {
    let lower = id.to_ascii_lowercase();
    let bare = local_package
        .strip_prefix(&format!("{lower}_"))
        .unwrap_or(local_package);
    bare.replace('_', "-")
}

fn is_pack_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// MAJOR.MINOR.PATCH with numeric parts (pre-release tags are not used by packs).
pub fn is_semver(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn contract_error(
    file: &str,
    text: &str,
    line: Option<usize>,
    message: String,
    help: &str,
) -> Error {
    let offset = line.and_then(|line| offset_of(text, line, 1));
    let (src, span) = Excerpt::around(file, text, offset);
    Error::PolicyContract {
        message,
        help: help.to_string(),
        src,
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_manifests_read_as_the_yaml() {
        let mut seen = 0;
        for (path, text) in builtin::FILES {
            let Some(pack) = path.strip_suffix("/manifest.yaml") else {
                continue;
            };
            let shown = format!("policies/{path}");
            let stored = builtin_manifest("builtin", &shown)
                .unwrap_or_else(|| panic!("no stored manifest for {pack}"));
            assert_eq!(stored, read_manifest(&shown, text).unwrap(), "{pack}");
            // Only a built-in pack's is taken from the store.
            assert_eq!(builtin_manifest("/some/dir", &shown), None);
            seen += 1;
        }
        assert_eq!(seen, builtin::MANIFESTS.len());
        assert!(seen >= 3);
    }

    #[test]
    fn rule_names_drop_the_id_prefix() {
        assert_eq!(
            rule_name("go013_gopath_bin_not_on_path", "GO013"),
            "gopath-bin-not-on-path"
        );
        assert_eq!(rule_name("no_prefix", "X1"), "no-prefix");
    }

    #[test]
    fn semver_is_three_numbers() {
        assert!(is_semver("1.0.0"));
        assert!(!is_semver("1.0"));
        assert!(!is_semver("1.0.x"));
    }

    /// The JSON the build stored for each built-in rule reads as its YAML does, and
    /// every rule file has it (a block that does not convert would be read from YAML,
    /// correct but slower: this says which).
    #[test]
    fn stored_metadata_reads_as_the_yaml() {
        let mut rules = 0;
        for (path, text) in builtin::FILES {
            if !path.ends_with(".rego") || path.ends_with("_test.rego") {
                continue;
            }
            let from_yaml = metadata::read_header(text).unwrap();
            let has_block = from_yaml.as_ref().is_some_and(|h| h.annotations.is_some());
            let stored = builtin_metadata(&format!("policies/{path}"));
            assert_eq!(has_block, stored.is_some(), "{path}: stored METADATA");
            let from_json = metadata::read_header_with(text, stored).unwrap();
            assert_eq!(format!("{from_yaml:?}"), format!("{from_json:?}"), "{path}");
            rules += usize::from(has_block);
        }
        assert!(rules > 100, "only {rules} rule files with METADATA");
    }

    #[test]
    fn builtin_packs_load() {
        let packs = builtin_packs().unwrap();
        assert!(packs.iter().any(|p| p.name == "go"));
    }
}
