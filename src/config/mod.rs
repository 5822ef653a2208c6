//! `.envgate.yaml`: what a repository states about how it is checked — which packs run
//! at which pinned baseline version, severity overrides, the default `--fail-on`,
//! excludes, extra policy directories and waivers with an expiry date.
//!
//! Layering is defaults → config file → flags. The file is strict (unknown keys are
//! errors pointing at the key) and its JSON Schema (`schemas/config.schema.json`) is
//! generated from these types. [`load`] reads and validates it; [`apply`] turns it into
//! a pack selection before compiling and a post-pass over the finished report.

pub mod apply;
pub mod date;
mod load;
pub mod redirects;
pub mod run_config;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};

pub use date::IsoDate;
pub use load::{discover, load};
pub use run_config::{ConfigChoice, RunConfig};

/// The names envgate looks for, in this order, in each directory walking up.
pub const FILE_NAMES: &[&str] = &[".envgate.yaml", ".envgate.yml"];

/// The configuration file as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "envgate configuration (.envgate.yaml)")]
pub struct Config {
    /// Which packs run, each with the baseline version it is pinned to (`go: "1.0"`
    /// runs only the rules whose `since` is not newer) or `latest`. A pack not listed
    /// does not run; without this key every pack runs at its latest version.
    #[serde(default)]
    pub packs: Option<BTreeMap<String, PackVersion>>,
    /// Severity per rule id, overriding the rule's default; `off` disables the rule.
    #[serde(default)]
    pub severity: BTreeMap<String, SeverityOverride>,
    /// The default for `--fail-on` (the flag wins).
    #[serde(default)]
    pub fail_on: Option<FailOn>,
    /// Globs of files that `envgate check PATH…` skips, added to `--exclude`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// As `--allow-unparsed`: a checked file that cannot be parsed is listed but does
    /// not fail the check (K8S000 does not report it).
    #[serde(default)]
    pub allow_unparsed: bool,
    /// As `--allow-empty`: a check that judged no document exits 0 with a warning
    /// instead of 2.
    #[serde(default)]
    pub allow_empty: bool,
    /// As `--allow-unread`: a machine check whose inputs were not all read whole exits
    /// with the findings' code instead of 2.
    #[serde(default)]
    pub allow_unread: bool,
    /// The Kubernetes release manifests are judged against (K8S018), as
    /// `--kubernetes-version`: a quoted `MAJOR.MINOR[.PATCH]`, optionally with `v`.
    #[serde(default)]
    pub kubernetes_version: Option<KubernetesVersion>,
    /// Extra policy directories (as `--policy`), relative to this file.
    #[serde(default)]
    pub policies: Vec<String>,
    /// Findings accepted for a while: reported as waived, not failing the gate, until
    /// the waiver expires.
    #[serde(default)]
    pub waivers: Vec<Waiver>,
    /// conftest policy directories that `envgate check PATH…` also judges the files
    /// with, as `envgate test` would: `deny`/`violation` results are errors, `warn`
    /// results warnings, under the rule id `<namespace>.<rule>` (`main.deny`).
    #[serde(default)]
    pub conftest: Vec<ConftestPolicies>,
}

/// One set of conftest policies (`conftest:` in `.envgate.yaml`).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConftestPolicies {
    /// Policy directories or `.rego` files, relative to this file (conftest `-p`).
    pub policy: Vec<String>,
    /// The namespaces queried (conftest `-n`; globs); `main` when not given.
    #[serde(default = "conftest_main")]
    pub namespace: Vec<String>,
    /// Query every namespace of the policies (conftest `--all-namespaces`).
    #[serde(default)]
    pub all_namespaces: bool,
    /// Data files or directories, relative to this file (conftest `-d`).
    #[serde(default)]
    pub data: Vec<String>,
    /// `v1` (the default, as conftest 0.69) or `v0` for policies in the old syntax.
    #[serde(default)]
    pub rego_version: Option<RegoSyntax>,
}

/// The Rego syntax of a set of conftest policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RegoSyntax {
    V0,
    V1,
}

fn conftest_main() -> Vec<String> {
    vec!["main".into()]
}

/// An accepted finding, with why, until when and who owns it.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The rule id (`GO013`); a renamed id keeps matching through the redirect table.
    pub rule: String,
    /// Glob over the finding's subject (`env.GOFLAGS`, `path.entries[*]`); only `*` and
    /// `?` are wildcards here, so brackets match themselves.
    #[serde(default)]
    pub subject: Option<String>,
    /// Glob over the finding's file: as shown, relative to this config file's
    /// directory, or (for a pattern without `/`) the file name.
    #[serde(default)]
    pub path: Option<String>,
    /// Why the finding is accepted.
    pub reason: String,
    /// The last day the waiver applies (ISO date, YYYY-MM-DD).
    pub expires: IsoDate,
    /// Who answers for the waiver.
    #[serde(default)]
    pub owner: Option<String>,
}

/// A severity override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeverityOverride {
    Error,
    Warning,
    Info,
    /// The rule does not run.
    Off,
}

/// The gate's threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    /// The least severity that fails the gate; `None` for `never`.
    pub fn threshold(self) -> Option<crate::policy::Severity> {
        use crate::policy::Severity;
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// `latest`, or a baseline version `MAJOR.MINOR[.PATCH]` (`"1.0"` is `1.0.0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackVersion {
    Latest,
    Pinned { written: String, version: Version },
}

/// A `MAJOR.MINOR.PATCH` triple, ordered numerically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    /// `1.0` or `1.0.0`; pre-release and build suffixes are not versions a pack pins.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('.');
        let mut number = || -> Option<Option<u64>> {
            match parts.next() {
                None => Some(None),
                Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse().ok().map(Some)
                }
                Some(_) => None,
            }
        };
        let major = number()??;
        let minor = number()??;
        let patch = number()?.unwrap_or(0);
        if parts.next().is_some() {
            return None;
        }
        Some(Version(major, minor, patch))
    }
}

impl<'de> Deserialize<'de> for PackVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = PackVersion;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(r#"`latest` or a quoted version such as "1.0""#)
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<PackVersion, E> {
                if text == "latest" {
                    return Ok(PackVersion::Latest);
                }
                Version::parse(text)
                    .map(|version| PackVersion::Pinned {
                        written: text.to_string(),
                        version,
                    })
                    .ok_or_else(|| {
                        E::custom(format!(
                            "{text:?} is not a pack version: write `latest` or MAJOR.MINOR[.PATCH], e.g. \"1.0\""
                        ))
                    })
            }
            // YAML reads `1.10` as the number 1.1: a version must be quoted.
            fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<PackVersion, E> {
                Err(unquoted(format!("{number:?}")))
            }
            fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<PackVersion, E> {
                Err(unquoted(number.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<PackVersion, E> {
                Err(unquoted(number.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

fn unquoted<E: serde::de::Error>(number: String) -> E {
    E::custom(format!(
        "the version {number} is a YAML number, not text: quote it, e.g. \"1.0\" (unquoted, 1.10 would read as 1.1)"
    ))
}

impl JsonSchema for PackVersion {
    fn schema_name() -> Cow<'static, str> {
        "PackVersion".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "`latest`, or the pinned baseline version MAJOR.MINOR[.PATCH] as a quoted string.",
            "type": "string",
            "pattern": "^(latest|[0-9]+\\.[0-9]+(\\.[0-9]+)?)$"
        })
    }
}

/// A configuration file, read and checked, with what is needed to point back into it.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// The file as shown in reports and diagnostics: relative to the current directory
    /// when it is under it, else as found.
    pub shown: String,
    /// The directory holding the file (absolute): `policies` and `path` globs are
    /// relative to it.
    pub dir: PathBuf,
    pub config: Config,
    /// The 1-based line of each waiver, in order.
    pub waiver_lines: Vec<usize>,
    /// The file's text, for diagnostics about its entries.
    pub source: String,
    /// Where each entry is in the file (JSON Pointer → line and column).
    pub positions: crate::files::source_map::Positions,
}

impl LoadedConfig {
    /// The extra policy directories, resolved against the config file's directory.
    pub fn policy_dirs(&self) -> Vec<PathBuf> {
        self.config
            .policies
            .iter()
            .map(|dir| self.dir.join(dir))
            .collect()
    }

    /// Where to start looking for a config: a file's directory, or the directory itself.
    pub fn search_start(path: &Path) -> PathBuf {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        if path.is_dir() {
            path
        } else {
            path.parent().map_or(path.clone(), Path::to_path_buf)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically_and_default_the_patch() {
        assert_eq!(Version::parse("1.0"), Some(Version(1, 0, 0)));
        assert_eq!(Version::parse("1.0.0"), Version::parse("1.0"));
        assert!(Version::parse("1.10").unwrap() > Version::parse("1.9.9").unwrap());
        for bad in ["1", "1.", "v1.0", "1.0.0.0", "1.0-rc1", "", "1..0"] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }
}

/// A Kubernetes release such as `1.29`, `v1.29` or `1.29.3`, kept as written (K8S018
/// parses it again in Rego). Unquoted in YAML, `1.30` would be the number 1.3: only a
/// string is accepted, so that slip is an error instead of a wrong target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubernetesVersion(pub String);

impl KubernetesVersion {
    pub fn parse(text: &str) -> Result<Self, String> {
        let digits = text.strip_prefix('v').unwrap_or(text);
        let parts: Vec<&str> = digits.split('.').collect();
        let numeric =
            |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
        if (2..=3).contains(&parts.len()) && parts.iter().all(numeric) {
            Ok(Self(text.to_string()))
        } else {
            Err(format!(
                "{text:?} is not a Kubernetes version: write MAJOR.MINOR[.PATCH], e.g. \"1.29\""
            ))
        }
    }
}

impl<'de> Deserialize<'de> for KubernetesVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = KubernetesVersion;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a quoted Kubernetes version such as \"1.29\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<KubernetesVersion, E> {
                KubernetesVersion::parse(text).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<KubernetesVersion, E> {
                Err(E::custom(format!(
                    "kubernetes-version {number} is a number: quote it, as in \"1.30\" (unquoted, 1.30 reads as 1.3)"
                )))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl JsonSchema for KubernetesVersion {
    fn schema_name() -> Cow<'static, str> {
        "KubernetesVersion".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A Kubernetes release, MAJOR.MINOR[.PATCH] with an optional `v`, as a quoted string.",
            "type": "string",
            "pattern": "^v?[0-9]{1,4}\\.[0-9]{1,4}(\\.[0-9]{1,4})?$"
        })
    }
}
