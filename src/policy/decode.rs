//! Reading what a rule's `deny` emitted into findings, checking the finding contract.

use super::Rule;
use super::engine::{PathStep, RawFinding, RawLocation};
use crate::error::Error;
use crate::policy::Severity;

/// Whether a finding's structured edits (`fix`) are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fixes {
    Decode,
    /// Only checked to be a list: a check judged in batches reports findings, never
    /// applies their edits (`envgate fix` judges the whole input), and decoding every
    /// edit was a sixteenth of a 150,000-finding check's CPU.
    Skip,
}

/// Checks the finding contract: a set of objects with a string `msg`, optional
/// `location {file, line}`, optional string `subject`, optional object `vars`.
pub(crate) fn decode_findings(
    rule: &Rule,
    value: regorus::Value,
    fixes: Fixes,
) -> Result<Vec<RawFinding>, Error> {
    let contract = |what: String| {
        Error::PolicyContract {
        message: format!("rule {} ({}) emitted a malformed finding: {what}", rule.id, rule.file),
        help: "deny must be a set of objects {msg: string, location?: {file, line?, column?, document?, path?: [key or index, …]}, subject?: string, severity?: error|warning|info, vars?: object, fix?: [edit, …]}".into(),
        src: None,
        span: None,
    }
    };
    // Item by item, so a rule's findings are never held twice over in full.
    let items: Box<dyn Iterator<Item = &regorus::Value>> = match &value {
        // A partial set rule with no body that ever succeeded.
        regorus::Value::Undefined => return Ok(Vec::new()),
        regorus::Value::Set(set) => Box::new(set.iter()),
        regorus::Value::Array(array) => Box::new(array.iter()),
        other => {
            let shown = serde_json::to_string(other).unwrap_or_default();
            return Err(contract(format!("deny is {shown}, not a set")));
        }
    };
    // Sized up front: collecting through `Result` would grow the vector by doubling,
    // and a rule can emit 10,000 findings.
    let mut findings = Vec::with_capacity(items.size_hint().0);
    for item in items {
        let (msg, location, subject, severity, vars, fix) =
            decode_finding(item, fixes).map_err(contract)?;
        findings.push(RawFinding {
            rule_id: rule.id.clone(),
            msg,
            location,
            subject,
            severity,
            vars,
            fix,
        });
    }
    Ok(findings)
}

type Decoded = (
    String,
    Option<RawLocation>,
    Option<String>,
    Option<Severity>,
    regorus::Value,
    Vec<crate::fix::Edit>,
);

/// One finding, read straight from the engine's value: going through `serde_json`
/// first cost a tenth of a large check (tens of thousands of findings).
fn decode_finding(item: &regorus::Value, fixes: Fixes) -> Result<Decoded, String> {
    let regorus::Value::Object(object) = item else {
        return Err(format!("{} is not an object", shown(item)));
    };
    let (mut msg, mut location, mut subject, mut severity) = (None, None, None, None);
    let mut vars = regorus::Value::new_object();
    let mut fix = Vec::new();
    for (key, value) in object.iter() {
        let regorus::Value::String(key) = key else {
            return Err(format!("unknown key {}", shown(key)));
        };
        match (key.as_ref(), value) {
            ("msg", regorus::Value::String(text)) => msg = Some(text.to_string()),
            ("msg", other) => return Err(format!("msg is {}, not a string", shown(other))),
            ("location", regorus::Value::Null) => {}
            ("location", value) => {
                location = Some(decode_location(value).map_err(|e| format!("location: {e}"))?)
            }
            ("subject", regorus::Value::Null) => {}
            ("subject", regorus::Value::String(text)) => subject = Some(text.to_string()),
            ("subject", other) => {
                return Err(format!("subject is {}, not a string", shown(other)));
            }
            ("severity", regorus::Value::Null) => {}
            ("severity", regorus::Value::String(text)) => {
                severity =
                    Some(Severity::parse(text).ok_or_else(|| {
                        format!("severity {text:?} is not error, warning or info")
                    })?);
            }
            ("severity", other) => {
                return Err(format!("severity is {}, not a string", shown(other)));
            }
            ("vars", regorus::Value::Object(_)) => vars = value.clone(),
            ("vars", other) => return Err(format!("vars is {}, not an object", shown(other))),
            ("fix", regorus::Value::Null) => {}
            ("fix", regorus::Value::Array(_)) if fixes == Fixes::Skip => {}
            ("fix", value) => {
                let json = serde_json::to_value(value)
                    .map_err(|_| format!("fix {} is not JSON", shown(value)))?;
                fix = crate::fix::edit::decode(json)?;
            }
            (other, _) => return Err(format!("unknown key {other:?}")),
        }
    }
    let msg = msg.ok_or("msg is missing")?;
    Ok((msg, location, subject, severity, vars, fix))
}

/// `location`: `{file, line?, column?, document?, path?}`; other keys are ignored.
fn decode_location(value: &regorus::Value) -> Result<RawLocation, String> {
    let regorus::Value::Object(object) = value else {
        return Err(format!("{} is not an object", shown(value)));
    };
    // One pass over the entries (an object's keys are in order, each once): looking each
    // field up by a key value made for it allocated five per finding.
    let (mut file, mut line, mut column, mut document, mut path) = (None, None, None, None, None);
    for (key, value) in object.iter() {
        let regorus::Value::String(key) = key else {
            continue;
        };
        match key.as_ref() {
            "file" => file = Some(value),
            "line" => line = number("line", value)?,
            "column" => column = number("column", value)?,
            "document" => document = number("document", value)?,
            "path" => path = steps(value)?,
            _ => {}
        }
    }
    let file = match file {
        Some(regorus::Value::String(file)) => file.to_string(),
        Some(other) => return Err(format!("file is {}, not a string", shown(other))),
        None => return Err("missing field `file`".into()),
    };
    Ok(RawLocation {
        file,
        line,
        column,
        document,
        path,
    })
}

/// A location's count (`line`, `column`, `document`): a whole number or null.
fn number(name: &str, value: &regorus::Value) -> Result<Option<usize>, String> {
    match value {
        regorus::Value::Null => Ok(None),
        regorus::Value::Number(n) => n
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("{name} is {}, not a count", n.format_decimal())),
        other => Err(format!("{name} is {}, not a number", shown(other))),
    }
}

/// A location's `path`: keys and indexes, or null.
fn steps(value: &regorus::Value) -> Result<Option<Vec<PathStep>>, String> {
    match value {
        regorus::Value::Null => Ok(None),
        regorus::Value::Array(steps) => steps
            .iter()
            .map(|step| match step {
                regorus::Value::String(key) => Ok(PathStep::Key(key.to_string())),
                regorus::Value::Number(n) => n
                    .as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .map(PathStep::Index)
                    .ok_or_else(|| format!("path step {} is no index", n.format_decimal())),
                other => Err(format!("path step {} is no key or index", shown(other))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        other => Err(format!("path is {}, not an array", shown(other))),
    }
}

fn shown(value: &regorus::Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(json: &str) -> Result<Decoded, String> {
        decode_finding(&regorus::Value::from_json_str(json).unwrap(), Fixes::Decode)
    }

    #[test]
    fn a_full_finding() {
        let (msg, location, subject, severity, vars, _) = decode(
            r#"{"msg": "m", "subject": "env.X", "severity": "info", "vars": {"a": [1, "b"]},
                "location": {"file": "f.yaml", "document": 2, "path": ["spec", 0, "image"], "other": 1}}"#,
        )
        .unwrap();
        assert_eq!(msg, "m");
        assert_eq!(subject.as_deref(), Some("env.X"));
        assert_eq!(severity, Some(Severity::Info));
        assert_eq!(
            serde_json::to_value(&vars).unwrap()["a"],
            serde_json::json!([1, "b"])
        );
        let location = location.unwrap();
        assert_eq!(location.file, "f.yaml");
        assert_eq!((location.line, location.document), (None, Some(2)));
        assert_eq!(
            location.path.unwrap(),
            [
                PathStep::Key("spec".into()),
                PathStep::Index(0),
                PathStep::Key("image".into())
            ]
        );
    }

    #[test]
    fn nulls_are_absent() {
        let (_, location, subject, severity, vars, _) =
            decode(r#"{"msg": "m", "location": null, "subject": null, "severity": null}"#).unwrap();
        assert!(
            location.is_none()
                && subject.is_none()
                && severity.is_none()
                && vars == regorus::Value::new_object()
        );
    }

    #[test]
    fn contract_breaches_say_what_is_wrong() {
        for (json, expected) in [
            (r#"["m"]"#, "[\"m\"] is not an object"),
            (r#"{"vars": {}}"#, "msg is missing"),
            (r#"{"msg": 1}"#, "msg is 1, not a string"),
            (r#"{"msg": "m", "extra": 1}"#, "unknown key \"extra\""),
            (
                r#"{"msg": "m", "severity": "fatal"}"#,
                "severity \"fatal\" is not error, warning or info",
            ),
            (r#"{"msg": "m", "vars": []}"#, "vars is [], not an object"),
            (
                r#"{"msg": "m", "location": {"line": 3}}"#,
                "location: missing field `file`",
            ),
            (
                r#"{"msg": "m", "location": {"file": "f", "line": -1}}"#,
                "location: line is -1, not a count",
            ),
            (
                r#"{"msg": "m", "location": {"file": "f", "path": [true]}}"#,
                "location: path step true is no key or index",
            ),
            (
                r#"{"msg": "m", "location": {"file": "f", "path": [1.5]}}"#,
                "location: path step 1.5 is no index",
            ),
        ] {
            assert_eq!(decode(json).unwrap_err(), expected, "{json}");
        }
    }
}
