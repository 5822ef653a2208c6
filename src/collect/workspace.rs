//! The Go module or workspace being checked: the go.mod and go.work that cmd/go would
//! use from the checked directory, the vendor directory beside go.mod, go.mod files
//! just below a directory that has none, and the module paths go commands may fetch.

use std::collections::BTreeMap;
use std::path::Path;

use super::path_style::PathStyle;
use crate::gomod;
use crate::host::Host;
use crate::snapshot::{GoEnvValue, GoModFile, ModulePath, Vendor, WorkUse, Workspace};

/// Directory names skipped when looking for nested modules: the go command ignores
/// `.x`, `_x` and `testdata` for packages, `vendor` holds copies, and `node_modules` is
/// someone else's tree.
const SKIPPED_DIRS: [&str; 3] = ["testdata", "vendor", "node_modules"];

/// Bound on the paths probed while looking for nested modules, so a checked
/// directory with thousands of entries (a home directory) stays cheap.
const NESTED_PROBE_LIMIT: usize = 1000;

/// The private-module settings whose patterns are matched against module paths.
const PRIVATE_PATTERN_SETTINGS: [&str; 3] = ["GOPRIVATE", "GONOPROXY", "GONOSUMDB"];

/// `style` is how the audited system spells paths: a Windows volume's project is
/// `C:\Users\dev\src\viewer`, its go.mod `C:\Users\dev\src\viewer\go.mod`.
pub fn collect(
    host: &dyn Host,
    dir: Option<&Path>,
    style: PathStyle,
    go_env: &BTreeMap<String, GoEnvValue>,
) -> Workspace {
    let Some(dir) = dir else {
        return Workspace {
            dir: None,
            go_mod: None,
            go_work: None,
            work_uses: Vec::new(),
            vendor: None,
            nested_modules: Vec::new(),
            nested_modules_truncated: false,
            module_paths: Vec::new(),
        };
    };
    let files = Files { host, style };
    let dir = style.dir(dir);
    let go_mod = files.find_upwards(&dir, "go.mod");
    let go_work = files
        .gowork_file(go_env)
        .or_else(|| files.find_upwards(&dir, "go.work"));
    let work_uses = go_work
        .as_ref()
        .map(|work| files.work_uses(work))
        .unwrap_or_default();
    let vendor = go_mod.as_ref().map(|m| files.vendor(&m.file));
    let (nested_modules, nested_modules_truncated) = if files.is_file(&style.join(&dir, "go.mod")) {
        (Vec::new(), false)
    } else {
        files.nested_modules(&dir)
    };
    let module_paths = module_paths(go_mod.as_ref(), go_work.as_ref(), go_env);
    Workspace {
        dir: Some(dir.display().to_string()),
        go_mod,
        go_work,
        work_uses,
        vendor,
        nested_modules,
        nested_modules_truncated,
        module_paths,
    }
}

/// The host's files, their paths built the audited system's way.
struct Files<'a> {
    host: &'a dyn Host,
    style: PathStyle,
}

impl Files<'_> {
    fn is_file(&self, path: &Path) -> bool {
        self.host.metadata(path).is_ok_and(|m| m.is_file)
    }

    /// The first `name` in `dir` or a directory above it, as cmd/go searches.
    fn find_upwards(&self, dir: &Path, name: &str) -> Option<GoModFile> {
        self.style
            .ancestors(dir)
            .into_iter()
            .map(|candidate_dir| self.style.join(&candidate_dir, name))
            .find(|candidate| self.is_file(candidate))
            .and_then(|file| self.read_manifest(&file))
    }

    fn read_manifest(&self, file: &Path) -> Option<GoModFile> {
        let text = self.host.read_text(file).ok()?;
        Some(gomod::parse(&file.display().to_string(), &text))
    }

    /// GOWORK naming a file replaces the search (cmd/go accepts only absolute paths).
    fn gowork_file(&self, go_env: &BTreeMap<String, GoEnvValue>) -> Option<GoModFile> {
        let gowork = go_env.get("GOWORK")?.value.as_str();
        let file = Path::new(gowork);
        if !self.style.is_absolute(gowork) || !self.is_file(file) {
            return None;
        }
        self.read_manifest(file)
    }

    fn work_uses(&self, work: &GoModFile) -> Vec<WorkUse> {
        let base = self
            .style
            .parent(Path::new(&work.file))
            .unwrap_or_else(|| "/".into());
        work.uses
            .iter()
            .map(|use_| {
                let dir = self.style.clean_join(&base, &use_.value);
                WorkUse {
                    value: use_.value.clone(),
                    line: use_.line,
                    has_go_mod: self.is_file(&self.style.join(&dir, "go.mod")),
                    dir: dir.display().to_string(),
                }
            })
            .collect()
    }

    fn vendor(&self, go_mod_file: &str) -> Vendor {
        let module_dir = self
            .style
            .parent(Path::new(go_mod_file))
            .unwrap_or_else(|| "/".into());
        let dir = self.style.join(&module_dir, "vendor");
        let modules_file = self.style.join(&dir, "modules.txt");
        let modules_txt = self
            .host
            .read_text(&modules_file)
            .ok()
            .map(|text| gomod::parse_modules_txt(&modules_file.display().to_string(), &text));
        Vendor {
            exists: self.host.is_dir(&dir),
            dir: dir.display().to_string(),
            modules_txt,
        }
    }

    /// go.mod files one and two levels below `dir`, sorted, and whether the probe bound
    /// cut the search short.
    fn nested_modules(&self, dir: &Path) -> (Vec<String>, bool) {
        let mut found = Vec::new();
        let mut probes = 0;
        let searched = |d: &Path| -> Vec<String> {
            self.host
                .read_dir(d)
                .unwrap_or_default()
                .into_iter()
                .filter(|name| {
                    !name.starts_with('.')
                        && !name.starts_with('_')
                        && !SKIPPED_DIRS.contains(&name.as_str())
                })
                .collect()
        };
        for first in searched(dir) {
            let child = self.style.join(dir, &first);
            probes += 1;
            if probes > NESTED_PROBE_LIMIT {
                found.sort();
                return (found, true);
            }
            let go_mod = self.style.join(&child, "go.mod");
            if self.is_file(&go_mod) {
                found.push(go_mod.display().to_string());
            }
            // A file, not a directory: listing it fails and yields nothing.
            for second in searched(&child) {
                probes += 1;
                if probes > NESTED_PROBE_LIMIT {
                    found.sort();
                    return (found, true);
                }
                let candidate = self.style.join(&self.style.join(&child, &second), "go.mod");
                if self.is_file(&candidate) {
                    found.push(candidate.display().to_string());
                }
            }
        }
        found.sort();
        (found, false)
    }
}

/// Module paths go commands may download, from go.mod's requires and the module
/// targets of go.mod's and go.work's replaces.
fn module_paths(
    go_mod: Option<&GoModFile>,
    go_work: Option<&GoModFile>,
    go_env: &BTreeMap<String, GoEnvValue>,
) -> Vec<ModulePath> {
    let manifests: Vec<&GoModFile> = go_mod.into_iter().chain(go_work).collect();
    let replaced_by_directory = |path: &str, version: &str| {
        manifests.iter().flat_map(|m| &m.replaces).any(|r| {
            r.old_path == path
                && r.new_version.is_none()
                && r.old_version.as_deref().is_none_or(|v| v == version)
        })
    };
    let matched_by = |path: &str| -> BTreeMap<String, Vec<String>> {
        PRIVATE_PATTERN_SETTINGS
            .iter()
            .filter_map(|name| {
                let value = go_env.get(*name)?.value.as_str();
                (!value.is_empty())
                    .then(|| (name.to_string(), gomod::matching_patterns(value, path)))
            })
            .collect()
    };
    let mut paths = Vec::new();
    for manifest in &manifests {
        for require in &manifest.requires {
            paths.push(ModulePath {
                path: require.path.clone(),
                directive: "require".into(),
                file: manifest.file.clone(),
                line: require.line,
                replaced_by_directory: replaced_by_directory(&require.path, &require.version),
                matched_by: matched_by(&require.path),
            });
        }
        for replace in manifest.replaces.iter().filter(|r| r.new_version.is_some()) {
            paths.push(ModulePath {
                path: replace.new_path.clone(),
                directive: "replace".into(),
                file: manifest.file.clone(),
                line: replace.line,
                replaced_by_directory: false,
                matched_by: matched_by(&replace.new_path),
            });
        }
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(v: &str) -> GoEnvValue {
        GoEnvValue {
            value: v.to_owned(),
            source: "env".to_owned(),
            file: None,
            line: None,
        }
    }

    #[test]
    fn module_paths_carry_matches_and_local_replacements() {
        let go_mod = gomod::parse(
            "/p/go.mod",
            "module m\n\nrequire (\n\tgit.corp.example/a v1.0.0\n\tgit.corp.example/b v1.0.0\n\tgithub.com/x/y v1.2.0\n)\n\nreplace git.corp.example/b => ../b\nreplace github.com/x/y => git.corp.example/fork/y v1.2.1\n",
        );
        let env: BTreeMap<String, GoEnvValue> = [
            ("GOPRIVATE".to_owned(), value("*.corp.example")),
            ("GONOSUMDB".to_owned(), value("github.com/x")),
            ("GONOPROXY".to_owned(), value("")),
        ]
        .into_iter()
        .collect();
        let paths = module_paths(Some(&go_mod), None, &env);
        let summary: Vec<(&str, &str, usize, bool)> = paths
            .iter()
            .map(|p| {
                (
                    p.path.as_str(),
                    p.directive.as_str(),
                    p.line,
                    p.replaced_by_directory,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("git.corp.example/a", "require", 4, false),
                ("git.corp.example/b", "require", 5, true),
                ("github.com/x/y", "require", 6, false),
                ("git.corp.example/fork/y", "replace", 10, false),
            ]
        );
        assert_eq!(
            paths[0].matched_by,
            [
                ("GONOSUMDB".to_owned(), vec![]),
                ("GOPRIVATE".to_owned(), vec!["*.corp.example".to_owned()]),
            ]
            .into_iter()
            .collect()
        );
        assert_eq!(paths[2].matched_by["GONOSUMDB"], vec!["github.com/x"]);
    }
}
