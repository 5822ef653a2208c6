//! The structured edits a rule may attach to a finding (`fix: [...]`): data, never
//! shell. Each names the file it changes, what to change, and whether it is safe to
//! apply without `--unsafe`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One step of a path into a JSON or YAML document.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(untagged)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// One change to one file or directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Edit {
    /// The file (or directory, for `mkdir`) the edit changes, as the snapshot names it
    /// (inside the image with `--root`).
    pub file: String,
    #[serde(flatten)]
    pub op: Op,
    /// Applied without `--unsafe`. Rules mark an edit unsafe when it changes which
    /// toolchain runs, deletes something, or takes a working setting away; envgate
    /// itself never writes outside the user's home (system files get a command).
    #[serde(default)]
    pub safe: bool,
    /// What the user must supply because the snapshot does not have it (a private
    /// module prefix, a password): such an edit is shown, never applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<String>,
}

/// What an edit does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Op {
    /// Adds `text` as the file's last line, unless an equivalent line (same words,
    /// whitespace aside) is already there; creates the file when missing.
    AppendLine { text: String },
    /// Deletes line `line` (1-based), which must still read `expect` (as the snapshot
    /// saw it: redacted).
    DeleteLine { line: usize, expect: String },
    /// Replaces line `line`, which must still read `expect`, by `with`.
    ReplaceLine {
        line: usize,
        expect: String,
        with: String,
    },
    /// Sets `key` in the `go env -w` file (`KEY=value` lines).
    GoEnvSet { key: String, value: String },
    /// Removes `key` from the `go env -w` file.
    GoEnvUnset { key: String },
    /// Sets the value at `path` in a JSON/JSONC file, keeping its comments.
    JsonSet {
        path: Vec<Step>,
        value: serde_json::Value,
    },
    /// Sets the value at `path` in YAML document `document` (0-based) of the file,
    /// creating missing mappings, changing only the lines concerned.
    YamlSet {
        #[serde(default)]
        document: usize,
        path: Vec<Step>,
        value: serde_json::Value,
    },
    /// Deletes the key at `path` in YAML document `document`.
    YamlDelete {
        #[serde(default)]
        document: usize,
        path: Vec<Step>,
    },
    /// Adds `content` (a mapping) as a new YAML document at the end of the file,
    /// unless a document that reads as the same value is already there.
    YamlAddDocument { content: serde_json::Value },
    /// Sets the permission bits of the file.
    Chmod { mode: u32 },
    /// Creates the directory (and its parents) with these permission bits.
    Mkdir { mode: u32 },
}

impl Edit {
    /// Edits that change a file's text, as opposed to its metadata.
    pub fn changes_text(&self) -> bool {
        !matches!(self.op, Op::Chmod { .. } | Op::Mkdir { .. })
    }

    /// The strings this edit would write.
    pub(crate) fn written_text(&self) -> Vec<String> {
        match &self.op {
            Op::AppendLine { text } => vec![text.clone()],
            Op::ReplaceLine { with, .. } => vec![with.clone()],
            Op::GoEnvSet { key, value } => vec![format!("{key}={value}")],
            Op::JsonSet { value, .. } | Op::YamlSet { value, .. } => vec![value.to_string()],
            Op::YamlAddDocument { content } => vec![content.to_string()],
            _ => Vec::new(),
        }
    }

    /// Why this edit cannot be applied as it is, if it cannot: the rule said what is
    /// missing, or the text to write holds a redaction marker (the snapshot never had
    /// the secret, and a marker written into a file would break it).
    pub fn missing_value(&self) -> Option<String> {
        if let Some(needs) = &self.needs {
            return Some(needs.clone());
        }
        self.written_text()
            .iter()
            .any(|text| text.contains("[REDACTED"))
            .then(|| "the secret the snapshot redacted".to_string())
    }
}

/// Reads a finding's `fix` array.
pub fn decode(value: serde_json::Value) -> Result<Vec<Edit>, String> {
    let edits: Vec<Edit> = serde_json::from_value(value).map_err(|e| format!("fix: {e}"))?;
    for edit in &edits {
        if edit.file.is_empty() {
            return Err("fix: an edit names no file".into());
        }
        match &edit.op {
            Op::DeleteLine { line: 0, .. } | Op::ReplaceLine { line: 0, .. } => {
                return Err("fix: lines are counted from 1".into());
            }
            Op::AppendLine { text } | Op::ReplaceLine { with: text, .. } if text.contains('\n') => {
                return Err("fix: a line edit writes one line".into());
            }
            Op::YamlAddDocument { content } if !content.is_object() => {
                return Err("fix: a document to add is a mapping".into());
            }
            Op::Chmod { mode } | Op::Mkdir { mode } if *mode > 0o7777 => {
                return Err(format!("fix: mode {mode:o} is not a permission mode"));
            }
            _ => {}
        }
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_decode_from_rule_data() {
        let edits = decode(serde_json::json!([
            {"kind": "append_line", "file": "/h/.profile", "text": "export A=1", "safe": true},
            {"kind": "delete_line", "file": "/h/e.conf", "line": 2, "expect": "GOSUMDB=off"},
            {"kind": "yaml_set", "file": "d.yaml", "path": ["spec", 0, "x"], "value": false, "safe": true},
            {"kind": "go_env_set", "file": "/h/.config/go/env", "key": "GOPRIVATE", "value": "", "needs": "your private module prefixes"},
        ]))
        .unwrap();
        assert!(edits[0].safe && !edits[1].safe);
        assert_eq!(
            edits[2].op,
            Op::YamlSet {
                document: 0,
                path: vec![
                    Step::Key("spec".into()),
                    Step::Index(0),
                    Step::Key("x".into())
                ],
                value: serde_json::json!(false)
            }
        );
        assert_eq!(
            edits[3].missing_value().as_deref(),
            Some("your private module prefixes")
        );
        assert!(edits[0].missing_value().is_none());
    }

    #[test]
    fn malformed_edits_are_refused() {
        for (json, expected) in [
            (
                serde_json::json!([{"kind": "rm_rf", "file": "/"}]),
                "unknown variant",
            ),
            (
                serde_json::json!([{"kind": "delete_line", "file": "f", "line": 0, "expect": ""}]),
                "counted from 1",
            ),
            (
                serde_json::json!([{"kind": "append_line", "file": "f", "text": "a\nb"}]),
                "one line",
            ),
            (
                serde_json::json!([{"kind": "chmod", "file": "f", "mode": 99999}]),
                "not a permission mode",
            ),
        ] {
            let error = decode(json).unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn a_redacted_value_is_never_written() {
        let edit = Edit {
            file: "f".into(),
            op: Op::ReplaceLine {
                line: 1,
                expect: "X=[REDACTED]".into(),
                with: "X=[REDACTED],direct".into(),
            },
            safe: true,
            needs: None,
        };
        assert!(edit.missing_value().is_some());
    }
}
