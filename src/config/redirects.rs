//! Renamed rule ids (`policies/redirects.yaml`, embedded at build time, plus a
//! `redirects.yaml` beside the `manifest.yaml` of a user pack): a waiver or a severity
//! override written with an old id keeps applying to the rule it became.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The table's file name, in `policies/` and in a user pack's directory.
pub const FILE_NAME: &str = "redirects.yaml";

/// The built-in table, `OLD: NEW`.
const BUILTIN: &str = include_str!("../../policies/redirects.yaml");

/// Old rule id → new rule id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redirects {
    table: BTreeMap<String, String>,
}

impl Redirects {
    /// The table shipped with envgate.
    pub fn builtin() -> Self {
        Self::parse(BUILTIN).expect("policies/redirects.yaml is a map of rule ids")
    }

    /// A table from YAML text (`OLD: NEW` pairs).
    pub fn parse(text: &str) -> Result<Self, String> {
        let table: Option<BTreeMap<String, String>> =
            yaml_serde::from_str(text).map_err(|e| e.to_string())?;
        Ok(Self {
            table: table.unwrap_or_default(),
        })
    }

    /// The built-in table and those of the user packs under `policy_dirs` (each a pack
    /// or a directory of packs, as `--policy` takes them).
    pub fn load(policy_dirs: &[PathBuf]) -> Result<Self, Error> {
        let mut redirects = Self::builtin();
        for dir in policy_dirs {
            for pack in pack_dirs(dir) {
                let path = pack.join(FILE_NAME);
                if !path.is_file() {
                    continue;
                }
                let text = crate::regular::read_to_string(&path, u64::MAX)
                    .map_err(|e| Error::read(&path, e))?;
                let table = Self::parse(&text).map_err(|e| Error::PolicyContract {
                    message: format!("invalid {}: {e}", path.display()),
                    help: "redirects.yaml maps each old rule id to its new one: `OLD: NEW`".into(),
                    src: None,
                    span: None,
                })?;
                for (old, new) in table.table {
                    match redirects.table.get(&old) {
                        Some(existing) if *existing != new => {
                            return Err(Error::PolicyContract {
                                message: format!(
                                    "rule id {old} is redirected to both {existing} and {new} ({})",
                                    path.display()
                                ),
                                help: "an old id can only have become one rule".into(),
                                src: None,
                                span: None,
                            });
                        }
                        _ => {
                            redirects.table.insert(old, new);
                        }
                    }
                }
            }
        }
        Ok(redirects)
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self {
            table: pairs
                .into_iter()
                .map(|(old, new)| (old.to_string(), new.to_string()))
                .collect(),
        }
    }

    /// The id `id` stands for today, and the id it was renamed from when it differs.
    /// Chains (A → B → C) are followed; a cycle stops where it would repeat.
    pub fn resolve(&self, id: &str) -> (String, Option<String>) {
        let mut current = id;
        let mut seen = vec![id];
        while let Some(next) = self.table.get(current) {
            if seen.contains(&next.as_str()) {
                break;
            }
            seen.push(next);
            current = next;
        }
        if current == id {
            (id.to_string(), None)
        } else {
            (current.to_string(), Some(id.to_string()))
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.table.iter().map(|(a, b)| (a.as_str(), b.as_str()))
    }
}

/// The pack directories `--policy DIR` names: DIR itself when it is a pack, else its
/// subdirectories that are (as `policy::load_dir` reads them).
fn pack_dirs(dir: &Path) -> Vec<PathBuf> {
    if dir.join("manifest.yaml").is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("manifest.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_parses() {
        let _ = Redirects::builtin();
    }

    #[test]
    fn chains_are_followed_and_cycles_stop() {
        let table = Redirects::from_pairs([("A1", "B1"), ("B1", "C1"), ("X", "Y"), ("Y", "X")]);
        assert_eq!(table.resolve("A1"), ("C1".into(), Some("A1".into())));
        assert_eq!(table.resolve("C1"), ("C1".into(), None));
        assert_eq!(table.resolve("X"), ("Y".into(), Some("X".into())));
    }
}
