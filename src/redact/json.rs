//! Redaction of a JSON tree: a parsed file's document, or the whole snapshot as a
//! last pass, so that no fact derived from a secret (GOFLAGS split into flags, a line
//! quoted by a collector) keeps it.
//!
//! What goes, kept narrow so that references to secrets (`secretName`,
//! `secretKeyRef`) stay readable for the rules:
//! - the `value` beside a secret-like `name` (Kubernetes `env`, compose long form,
//!   the snapshot's assignments);
//! - the value of a secret-like key ([`is_secret_key`]: `DB_PASSWORD`, `api-key`,
//!   `apiKey`, but not `secretName`);
//! - in every string, what [`redact_text`] cuts out: URL credentials, tokens and keys
//!   known by their form, secret-named `NAME=value`s.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::Value;

use super::{
    Redacted, is_marker, is_reference, is_secret_key, is_secret_name, redact_text_borrowed,
    redact_whole,
};
use crate::files::source_map::{MAX_DEPTH, escape};

/// One redacted value: its JSON Pointer, how many lines it had, and why it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub pointer: String,
    pub lines: usize,
    pub how: Redacted,
}

/// What becomes of a number under a secret-like key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    /// Redacted like a string (`password: 1234` in a parsed file).
    Redact,
    /// Kept: the tree must read back into typed fields (the snapshot).
    Keep,
}

/// Redacts `value` in place; returns what was redacted, in document order.
pub fn redact_json(value: &mut Value, numbers: Numbers) -> Vec<Found> {
    SECRET_KEYS.with(|keys| {
        // Not borrowed twice on one thread (a walk redacts no tree of its own), but a
        // fresh table is as right, only slower.
        let mut fresh = HashMap::new();
        let mut kept = keys.try_borrow_mut();
        let secret_keys = match kept.as_deref_mut() {
            Ok(keys) => keys,
            Err(_) => &mut fresh,
        };
        let mut walk = Walk {
            pointer: String::new(),
            numbers,
            found: Vec::new(),
            secret_keys,
        };
        walk.value(value, 0);
        walk.found
    })
}

/// Keys a thread has judged with [`is_secret_key`], at most this many.
const MAX_KNOWN_KEYS: usize = 4096;

thread_local! {
    /// [`is_secret_key`] of the keys met so far on this thread: trees repeat a few
    /// hundred keys (a snapshot's field names, Kubernetes' fields) thousands of times,
    /// and the test normalizes the key each time.
    static SECRET_KEYS: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
}

fn line_count(value: &Value) -> usize {
    value.as_str().map_or(1, |s| s.lines().count().max(1))
}

struct Walk<'k> {
    /// The current value's JSON Pointer, one buffer for the whole walk (children
    /// append their token and take it off again): a pointer is copied out only for
    /// what is redacted, and nearly nothing is.
    pointer: String,
    numbers: Numbers,
    found: Vec<Found>,
    secret_keys: &'k mut HashMap<String, bool>,
}

impl Walk<'_> {
    fn is_secret_key(&mut self, key: &str) -> bool {
        if let Some(&secret) = self.secret_keys.get(key) {
            return secret;
        }
        let secret = is_secret_key(key);
        if self.secret_keys.len() < MAX_KNOWN_KEYS {
            self.secret_keys.insert(key.to_string(), secret);
        }
        secret
    }

    fn value(&mut self, value: &mut Value, depth: usize) {
        // Parsers bound the nesting already; this keeps the walk safe on its own.
        if depth > MAX_DEPTH {
            return;
        }
        let numbers = self.numbers;
        match value {
            Value::String(text) => {
                let (clean, how) = redact_text_borrowed(text);
                if let Some(how) = how {
                    let clean = clean.into_owned();
                    self.found.push(Found {
                        pointer: self.pointer.clone(),
                        lines: text.lines().count().max(1),
                        how,
                    });
                    *text = clean;
                }
            }
            Value::Array(items) => {
                let parent = self.pointer.len();
                for (i, item) in items.iter_mut().enumerate() {
                    push_index(&mut self.pointer, i);
                    self.value(item, depth + 1);
                    self.pointer.truncate(parent);
                }
            }
            Value::Object(map) => {
                let secret_pair = map
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(is_secret_name);
                let parent = self.pointer.len();
                for (key, child) in map.iter_mut() {
                    self.pointer.push('/');
                    self.pointer.push_str(&escape(key));
                    // A bare reference (`${DB_PASSWORD}`, `$(DB_PASSWORD)`) names where the
                    // secret comes from and holds none of it.
                    let scalar = matches!(child, Value::String(s) if !s.is_empty() && !is_marker(s) && !is_reference(s))
                        || (child.is_number() && numbers == Numbers::Redact);
                    if scalar && ((secret_pair && key == "value") || self.is_secret_key(key)) {
                        let lines = line_count(child);
                        let text = match &mut *child {
                            Value::String(s) => std::mem::take(s),
                            other => other.to_string(),
                        };
                        *child = Value::String(redact_whole(&text));
                        self.found.push(Found {
                            pointer: self.pointer.clone(),
                            lines,
                            how: Redacted::SecretName,
                        });
                    } else {
                        self.value(child, depth + 1);
                    }
                    self.pointer.truncate(parent);
                }
            }
            _ => {}
        }
    }
}

/// Appends `/<index>`, as [`element`](crate::files::source_map::element) writes it.
fn push_index(pointer: &mut String, index: usize) {
    use std::fmt::Write as _;
    let _ = write!(pointer, "/{index}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::REDACTED;
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
            "data": {"stripe-api-key": "abc", "topologyKey": "zone"},
            "proxy": "http://u:p@proxy:3128"
        });
        let found: Vec<(String, Redacted)> = redact_json(&mut doc, Numbers::Redact)
            .into_iter()
            .map(|f| (f.pointer, f.how))
            .collect();
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
        assert_eq!(doc["data"]["stripe-api-key"], REDACTED);
        assert_eq!(doc["data"]["topologyKey"], "zone");
        assert_eq!(doc["proxy"], "http://u:[REDACTED]@proxy:3128");
        let mut pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        pointers.sort_unstable();
        assert_eq!(
            pointers,
            vec![
                "/auth/password",
                "/data/stripe-api-key",
                "/env/0/value",
                "/environment/0",
                "/proxy"
            ]
        );
    }

    #[test]
    fn a_secret_named_value_keeps_the_kind_of_token_it_held() {
        let token = format!("ghp_{}", "a1B2".repeat(9));
        let mut doc = json!({"env": [{"name": "GH_PAT", "value": token}]});
        redact_json(&mut doc, Numbers::Redact);
        assert_eq!(doc["env"][0]["value"], "[REDACTED:github-token]");
        let mut doc = json!({"pin": 1234, "password": 1234});
        redact_json(&mut doc, Numbers::Keep);
        assert_eq!(doc, json!({"pin": 1234, "password": 1234}));
    }

    /// Pointers are escaped as RFC 6901 says, siblings do not leak into each other's
    /// pointers, and a redacted string's line count is the original's.
    #[test]
    fn pointers_and_line_counts_of_what_is_redacted() {
        let mut doc = json!({
            "a/b~c": [{"x": 1}, {"note": "http://u:p@h:1/\nsecond line"}],
            "z": {"token": "one\ntwo\nthree"}
        });
        let found: Vec<(String, usize)> = redact_json(&mut doc, Numbers::Redact)
            .into_iter()
            .map(|f| (f.pointer, f.lines))
            .collect();
        assert_eq!(
            found,
            vec![
                ("/a~1b~0c/1/note".to_string(), 2),
                ("/z/token".to_string(), 3)
            ]
        );
    }
}
