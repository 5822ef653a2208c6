//! Which JSON value a YAML scalar is: the YAML 1.2 core schema for YAML files in
//! general, and for Kubernetes documents what kubectl reads.
//!
//! kubectl decodes manifests with sigs.k8s.io/yaml over go-yaml v2, whose resolver is
//! YAML 1.1's: `yes`/`no`/`on`/`off`/`y`/`n` (in the three spellings `yes`, `Yes`,
//! `YES`) are booleans, `0777` is octal, `1_000` is a thousand, `08` is the float 8.
//! [`resolve_yaml11`] follows go-yaml v2's `resolve()` case by case, so that
//! `privileged: yes` is judged as the cluster will read it. Quoted and block scalars are
//! strings under both schemas; explicit tags are honoured alike.

use saphyr_parser::{ScalarStyle, Tag};
use serde_json::{Number, Value};

/// The resolver a document's plain scalars go through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// YAML 1.2 core schema: compose files, CI workflows, `.envgate.yaml`, any YAML.
    Core,
    /// go-yaml v2 (YAML 1.1), as kubectl: documents with `apiVersion` and `kind`.
    Kubernetes,
}

/// A scalar's JSON value under `schema`.
pub fn resolve(schema: Schema, text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let core = tag.filter(|t| t.is_yaml_core_schema() || t.handle == "!!");
    if let Some(tag) = core {
        let typed = match tag.suffix.as_str() {
            "str" => Some(Value::String(text.to_string())),
            "null" => Some(Value::Null),
            "bool" => parse_bool(text)
                .or_else(|| {
                    (schema == Schema::Kubernetes)
                        .then(|| yaml11_bool(text))
                        .flatten()
                })
                .map(Value::Bool),
            "int" => parse_int(text),
            "float" => parse_float(text).or_else(|| parse_int(text)),
            _ => None,
        };
        if let Some(value) = typed {
            return value;
        }
    }
    if style != ScalarStyle::Plain || tag.is_some_and(|t| t.handle == "!" && t.suffix.is_empty()) {
        return Value::String(text.to_string());
    }
    match schema {
        Schema::Core => resolve_core(text),
        Schema::Kubernetes => resolve_yaml11(text),
    }
}

/// Whether a plain untagged scalar, read as `value` under the core schema, reads
/// otherwise under YAML 1.1 (only text starting like a boolean or a number can).
pub fn schemas_differ(text: &str, value: &Value) -> bool {
    let Some(first) = text.bytes().next() else {
        return false;
    };
    if !b"yYnNoO0123456789+-.".contains(&first) {
        return false;
    }
    resolve_yaml11(text) != *value
}

/// A plain scalar under the YAML 1.2 core schema.
fn resolve_core(text: &str) -> Value {
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    if let Some(b) = parse_bool(text) {
        return Value::Bool(b);
    }
    parse_int(text)
        .or_else(|| parse_float(text))
        .unwrap_or_else(|| Value::String(text.to_string()))
}

/// A plain scalar as go-yaml v2's `resolve()` reads it (sigs.k8s.io/yaml then turns
/// the value into JSON; timestamps stay strings there, `.inf`/`.nan` have no JSON form
/// and stay strings here).
pub fn resolve_yaml11(text: &str) -> Value {
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    if let Some(b) = yaml11_bool(text) {
        return Value::Bool(b);
    }
    let string = || Value::String(text.to_string());
    match text.as_bytes()[0] {
        // Not `.inf`/`.nan` (those are strings here): a float such as `.5`.
        b'.' => go_yaml_float(text).unwrap_or_else(string),
        b'0'..=b'9' | b'+' | b'-' => {
            // go-yaml drops every underscore before reading a number.
            let plain = text.replace('_', "");
            go_parse_int(&plain)
                .or_else(|| go_yaml_float(&plain))
                .unwrap_or_else(string)
        }
        _ => string(),
    }
}

/// go-yaml v2's boolean table (YAML 1.1 without the rarer spellings).
fn yaml11_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Some(false)
        }
        _ => None,
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)`: an optional sign,
/// then `0x`, `0o`, `0b` or a leading `0` (octal) or decimal digits.
fn go_parse_int(text: &str) -> Option<Value> {
    let (negative, signed, body) = match text.as_bytes().first()? {
        b'-' => (true, true, &text[1..]),
        b'+' => (false, true, &text[1..]),
        _ => (false, false, text),
    };
    let lower = body.get(..2).map(str::to_ascii_lowercase);
    let (radix, digits) = match lower.as_deref() {
        Some("0x") => (16, &body[2..]),
        Some("0o") => (8, &body[2..]),
        Some("0b") => (2, &body[2..]),
        _ if body.len() > 1 && body.starts_with('0') => (8, &body[1..]),
        _ => (10, body),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    match negative {
        false if magnitude <= i64::MAX as u64 => Some(Value::Number(magnitude.into())),
        // Beyond int64, ParseUint takes it, but only without a sign.
        false if !signed => Some(Value::Number(magnitude.into())),
        false => None,
        true if magnitude <= i64::MAX as u64 + 1 => {
            Some(Value::Number(0i64.wrapping_sub_unsigned(magnitude).into()))
        }
        true => None,
    }
}

/// go-yaml's `yamlStyleFloat` (`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
/// read by `strconv.ParseFloat`.
fn go_yaml_float(text: &str) -> Option<Value> {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if !mantissa_ok || !exponent_ok {
        return None;
    }
    let number: f64 = text.parse().ok()?;
    Number::from_f64(number).map(Value::Number)
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn parse_int(text: &str) -> Option<Value> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(octal) = digits.strip_prefix("0o") {
        (8, octal)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok();
    match (negative, magnitude) {
        (false, Some(n)) => Some(Value::Number(n.into())),
        (true, Some(n)) if n <= i64::MAX as u64 + 1 => {
            Some(Value::Number((0i64.wrapping_sub_unsigned(n)).into()))
        }
        // Too large for 64 bits: a float, like yaml_serde.
        _ if radix == 10 => parse_float(text),
        _ => None,
    }
}

fn parse_float(text: &str) -> Option<Value> {
    let body = text.trim_start_matches(['-', '+']);
    let looks_numeric = !body.is_empty()
        && body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if !looks_numeric {
        // `.inf` and `.nan` have no JSON form: they stay strings.
        return None;
    }
    let number: f64 = text.parse().ok()?;
    Number::from_f64(number).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubernetes_scalars_follow_go_yaml_v2() {
        let cases = [
            ("yes", json!(true)),
            ("Yes", json!(true)),
            ("YES", json!(true)),
            ("yEs", json!("yEs")),
            ("on", json!(true)),
            ("y", json!(true)),
            ("No", json!(false)),
            ("off", json!(false)),
            ("n", json!(false)),
            ("0777", json!(511)),
            ("0o17", json!(15)),
            ("0x1F", json!(31)),
            ("-0b101", json!(-5)),
            ("1_000", json!(1000)),
            ("08", json!(8.0)),
            ("1.", json!(1.0)),
            (".5", json!(0.5)),
            ("1e3", json!(1000.0)),
            ("+12", json!(12)),
            ("18446744073709551615", json!(18446744073709551615u64)),
            ("-9223372036854775808", json!(i64::MIN)),
            ("-", json!("-")),
            ("1:20", json!("1:20")),
            ("2001-12-14", json!("2001-12-14")),
            (".inf", json!(".inf")),
            ("~", json!(null)),
            ("", json!(null)),
        ];
        for (text, expected) in cases {
            assert_eq!(resolve_yaml11(text), expected, "{text:?}");
        }
    }

    #[test]
    fn quoted_scalars_stay_strings_under_both_schemas() {
        for schema in [Schema::Core, Schema::Kubernetes] {
            for style in [ScalarStyle::SingleQuoted, ScalarStyle::DoubleQuoted] {
                assert_eq!(resolve(schema, "yes", style, None), json!("yes"));
                assert_eq!(resolve(schema, "0777", style, None), json!("0777"));
            }
        }
        assert_eq!(
            resolve(Schema::Core, "yes", ScalarStyle::Plain, None),
            json!("yes")
        );
        assert_eq!(
            resolve(Schema::Core, "0777", ScalarStyle::Plain, None),
            json!(777)
        );
    }
}
