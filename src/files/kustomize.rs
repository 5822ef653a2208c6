//! Kustomize patches: partial objects that Kustomize merges into a base. Judged as
//! whole objects they would be reported for every field they leave out (no probes, no
//! resources, no securityContext), so they are not judged: the files a
//! `kustomization.yaml` lists as patches, and documents with a `$patch:` directive.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::discover::{Candidate, Source};

/// The names Kustomize reads its configuration from.
const KUSTOMIZATION_NAMES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Every checked file that a checked kustomization lists as a patch → the
/// kustomization's shown path.
pub fn patch_files(candidates: &[Candidate]) -> BTreeMap<String, String> {
    let mut patches = BTreeMap::new();
    for candidate in candidates {
        let Source::File(path) = &candidate.source else {
            continue;
        };
        let (dir, name) = match candidate.shown.rsplit_once('/') {
            Some((dir, name)) => (Some(dir), name),
            None => (None, candidate.shown.as_str()),
        };
        if !KUSTOMIZATION_NAMES.contains(&name) {
            continue;
        }
        for listed in listed_patches(path) {
            let shown = normalize(&match dir {
                Some(dir) => format!("{dir}/{listed}"),
                None => listed,
            });
            patches.insert(shown, candidate.shown.clone());
        }
    }
    patches
}

/// The patch paths a kustomization names: `patchesStrategicMerge` entries that are
/// paths (not inline patches), `patches[].path` and `patchesJson6902[].path`.
fn listed_patches(path: &Path) -> Vec<String> {
    // An unreadable kustomization lists no patch; it is a candidate itself, and its own
    // read reports the error.
    let Ok(text) = crate::regular::read_to_string(path, super::MAX_FILE_BYTES) else {
        return Vec::new();
    };
    let mut listed = Vec::new();
    for document in super::yaml::parse(&text) {
        let Some(content) = document.content else {
            continue;
        };
        let items = |key: &str| {
            content
                .get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        for item in items("patchesStrategicMerge") {
            // An inline patch is a multi-line string; a path is one line.
            if let Some(path) = item.as_str().filter(|s| !s.contains('\n')) {
                listed.push(path.trim().to_string());
            }
        }
        for key in ["patches", "patchesJson6902"] {
            for item in items(key) {
                if let Some(path) = item.get("path").and_then(Value::as_str) {
                    listed.push(path.trim().to_string());
                }
            }
        }
    }
    listed
}

/// `a/./b/../c` → `a/c`; a `..` that climbs above the start is kept.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." | "" if !parts.is_empty() => {}
            ".." if parts.last().is_some_and(|p| *p != ".." && !p.is_empty()) => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// A document carrying a strategic-merge `$patch` directive anywhere in it.
pub fn has_patch_directive(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("$patch") || map.values().any(has_patch_directive),
        Value::Array(items) => items.iter().any(has_patch_directive),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_paths_are_normalized() {
        assert_eq!(
            normalize("overlays/prod/./patch.yaml"),
            "overlays/prod/patch.yaml"
        );
        assert_eq!(
            normalize("overlays/prod/../base/p.yaml"),
            "overlays/base/p.yaml"
        );
        assert_eq!(normalize("/abs/x/../y.yaml"), "/abs/y.yaml");
        assert_eq!(normalize("../up.yaml"), "../up.yaml");
    }

    #[test]
    fn patch_directives_are_found_at_any_depth() {
        let patch = serde_json::json!({"spec": {"template": {"spec": {"containers": [
            {"name": "sidecar", "$patch": "delete"}]}}}});
        assert!(has_patch_directive(&patch));
        assert!(!has_patch_directive(
            &serde_json::json!({"spec": {"a": ["$patch"]}})
        ));
    }
}
