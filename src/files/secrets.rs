//! Secrets in YAML, JSON and TOML documents are redacted before the document enters
//! the snapshot, so no rule, report or snippet can print them.
//!
//! What counts as a secret, kept narrow so that references to secrets
//! (`secretName`, `secretKeyRef`) stay readable for the rules:
//! - the `value` beside a secret-like `name` (Kubernetes `env`, compose long form);
//! - the value of a variable-style key with a secret-like name (`DB_PASSWORD: x`);
//! - the value of a key that *is* a secret word (`password`, `token`, `apiKey`,
//!   `client_secret`, …);
//! - `NAME=value` strings with a secret-like name (compose `environment:` lists);
//! - everything under `data` / `stringData` of a Kubernetes `Secret`;
//! - the password of any `scheme://user:password@host` URL;
//! - tokens and keys recognised by their form (`ghp_…`, `AKIA…`, a PEM private key),
//!   replaced by `[REDACTED:<kind>]` so K8S014 still knows what was there.

use serde_json::Value;

use super::source_map::{element, member};
use crate::redact::{REDACTED, is_secret_name, redact_secret_values, redact_url_passwords};

/// Key names (lower case, without `_` and `-`) whose value is a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "clientsecret",
    "accesstoken",
    "authtoken",
    "refreshtoken",
    "secretkey",
    "accesskey",
    "secretaccesskey",
    "credentials",
];

/// Redacts `content` in place; returns the pointers of the redacted values, each with
/// how many lines the value had.
pub fn redact(content: &mut Value) -> Vec<(String, usize)> {
    let mut redacted = Vec::new();
    let kubernetes_secret = content.get("kind").and_then(Value::as_str) == Some("Secret")
        && content.get("apiVersion").is_some();
    if kubernetes_secret && let Value::Object(map) = content {
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
    walk(content, String::new(), &mut redacted, 0);
    redacted.sort();
    redacted.dedup();
    redacted
}

fn line_count(value: &Value) -> usize {
    value.as_str().map_or(1, |s| s.lines().count().max(1))
}

fn walk(value: &mut Value, pointer: String, redacted: &mut Vec<(String, usize)>, depth: usize) {
    // Parsers bound the nesting already; this keeps the walk safe on its own.
    if depth > super::source_map::MAX_DEPTH {
        return;
    }
    match value {
        Value::String(text) => {
            let lines = text.lines().count().max(1);
            if let Some(clean) = redact_assignment(text) {
                *text = clean;
                redacted.push((pointer, lines));
            } else {
                let clean = redact_secret_values(&redact_url_passwords(text));
                if clean != *text {
                    *text = clean;
                    redacted.push((pointer, lines));
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, element(&pointer, i), redacted, depth + 1);
            }
        }
        Value::Object(map) => {
            let secret_pair = map
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(is_secret_name);
            for (key, child) in map.iter_mut() {
                let child_pointer = member(&pointer, key);
                let scalar = matches!(child, Value::String(s) if !s.is_empty() && s != REDACTED)
                    || child.is_number();
                if scalar && ((secret_pair && key == "value") || secret_key(key)) {
                    let lines = line_count(child);
                    *child = Value::String(REDACTED.into());
                    redacted.push((child_pointer, lines));
                } else {
                    walk(child, child_pointer, redacted, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// A key whose value is a secret: `DB_PASSWORD` (variable style) or `apiKey`.
fn secret_key(key: &str) -> bool {
    let variable_style = key
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if variable_style && is_secret_name(key) {
        return true;
    }
    let word: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_WORDS.contains(&word.as_str())
}

/// `DB_PASSWORD=hunter2` → `DB_PASSWORD=[REDACTED]`.
fn redact_assignment(text: &str) -> Option<String> {
    let (name, value) = text.split_once('=')?;
    let variable = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !(variable && !value.is_empty() && value != REDACTED && is_secret_name(name)) {
        return None;
    }
    // The whole value goes, but a token recognised by its form keeps its kind's
    // marker (`token=[REDACTED:github-token]`), so K8S014 can still say what it was.
    let formed = redact_secret_values(value);
    let marker = formed.find("[REDACTED:").and_then(|start| {
        formed[start..]
            .find(']')
            .map(|end| &formed[start..=start + end])
    });
    Some(format!("{name}={}", marker.unwrap_or(REDACTED)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_go_references_stay() {
        let mut doc = json!({
            "env": [
                {"name": "DB_PASSWORD", "value": "hunter2"},
                {"name": "MODE", "value": "prod"},
                {"name": "API_TOKEN", "valueFrom": {"secretKeyRef": {"name": "t", "key": "token"}}}
            ],
            "volumes": [{"secret": {"secretName": "tls"}}],
            "environment": ["GITHUB_TOKEN=abc", "DEBUG=1"],
            "auth": {"password": "pw", "tokenExpirationSeconds": 3600},
            "proxy": "http://u:p@proxy:3128"
        });
        let redacted: Vec<String> = redact(&mut doc).into_iter().map(|(p, _)| p).collect();
        assert_eq!(doc["env"][0]["value"], REDACTED);
        assert_eq!(doc["env"][1]["value"], "prod");
        assert_eq!(doc["env"][2]["valueFrom"]["secretKeyRef"]["key"], "token");
        assert_eq!(doc["volumes"][0]["secret"]["secretName"], "tls");
        assert_eq!(
            doc["environment"],
            json!(["GITHUB_TOKEN=[REDACTED]", "DEBUG=1"])
        );
        assert_eq!(doc["auth"]["password"], REDACTED);
        assert_eq!(doc["auth"]["tokenExpirationSeconds"], 3600);
        assert_eq!(doc["proxy"], "http://u:[REDACTED]@proxy:3128");
        assert_eq!(
            redacted,
            vec!["/auth/password", "/env/0/value", "/environment/0", "/proxy"]
        );
    }

    #[test]
    fn kubernetes_secrets_lose_all_their_data() {
        let mut doc = json!({"apiVersion": "v1", "kind": "Secret",
            "data": {"a": "aGk="}, "stringData": {"b": "hi"}});
        let redacted: Vec<String> = redact(&mut doc).into_iter().map(|(p, _)| p).collect();
        assert_eq!(doc["data"]["a"], REDACTED);
        assert_eq!(doc["stringData"]["b"], REDACTED);
        assert_eq!(redacted, vec!["/data/a", "/stringData/b"]);
    }
}
