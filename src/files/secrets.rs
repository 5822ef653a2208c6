//! Secrets in YAML, JSON and TOML documents are redacted before the document enters
//! the snapshot, so no rule, report or snippet can print them.
//!
//! Everything under `data` / `stringData` of a Kubernetes `Secret` goes, and each key
//! of a ConfigMap's `data` that K8S014 would call a secret by its name; the rest is
//! `redact::redact_json`, the detector every other path uses (secret-like names and
//! keys, URL credentials, tokens and keys known by their form, which become
//! `[REDACTED:<kind>]` so K8S014 still knows what was there).

use serde_json::Value;

use super::source_map::member;
use crate::redact::{Numbers, REDACTED, is_marker, is_secret_name, redact_json, redact_whole};

/// Redacts `content` in place; returns the pointers of the redacted values, each with
/// how many lines the value had.
pub fn redact(content: &mut Value) -> Vec<(String, usize)> {
    let mut redacted = Vec::new();
    let kind = content
        .get("kind")
        .and_then(Value::as_str)
        .map(str::to_string);
    let kubernetes = content.get("apiVersion").is_some();
    if kubernetes && let Value::Object(map) = content {
        match kind.as_deref() {
            Some("Secret") => {
                for field in ["data", "stringData"] {
                    if let Some(Value::Object(entries)) = map.get_mut(field) {
                        let parent = member("", field);
                        for (key, value) in entries.iter_mut() {
                            if !matches!(value, Value::Null) {
                                let lines = line_count(value);
                                *value = Value::String(REDACTED.into());
                                redacted.push((member(&parent, key), lines));
                            }
                        }
                    }
                }
            }
            // K8S014 judges every key of a ConfigMap's data by its name, camelCase
            // included (`dbPassword`).
            Some("ConfigMap") => {
                if let Some(Value::Object(entries)) = map.get_mut("data") {
                    for (key, value) in entries.iter_mut() {
                        let Value::String(text) = value else { continue };
                        if is_secret_name(key) && !text.is_empty() && !is_marker(text) {
                            let lines = text.lines().count().max(1);
                            *text = redact_whole(text);
                            redacted.push((member("/data", key), lines));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    redacted.extend(
        redact_json(content, Numbers::Redact)
            .into_iter()
            .map(|found| (found.pointer, found.lines)),
    );
    redacted.sort();
    redacted.dedup();
    redacted
}

fn line_count(value: &Value) -> usize {
    value.as_str().map_or(1, |s| s.lines().count().max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubernetes_secrets_lose_all_their_data() {
        let mut doc = json!({"apiVersion": "v1", "kind": "Secret",
            "data": {"a": "aGk="}, "stringData": {"b": "hi"}});
        let redacted: Vec<String> = redact(&mut doc).into_iter().map(|(p, _)| p).collect();
        assert_eq!(doc["data"]["a"], REDACTED);
        assert_eq!(doc["stringData"]["b"], REDACTED);
        assert_eq!(redacted, vec!["/data/a", "/stringData/b"]);
    }

    #[test]
    fn config_map_keys_k8s014_calls_secret_lose_their_values() {
        let mut doc = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "data": {"dbPassword": "hunter2", "x-api-key": "abc", "mode": "prod"}});
        let redacted: Vec<String> = redact(&mut doc).into_iter().map(|(p, _)| p).collect();
        assert_eq!(doc["data"]["dbPassword"], REDACTED);
        assert_eq!(doc["data"]["x-api-key"], REDACTED);
        assert_eq!(doc["data"]["mode"], "prod");
        assert_eq!(redacted, vec!["/data/dbPassword", "/data/x-api-key"]);
    }
}
