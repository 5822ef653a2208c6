//! `--strict`: OPA's strict compile checks that conftest users meet, in OPA's order and
//! words: first imports never used (`import data.lib unused`); then function
//! arguments never used (`unused argument y. (hint: use _ (wildcard variable)
//! instead)`) and variables assigned with `:=` and never read (`assigned var x
//! unused`), each at its line. Variables declared by `some` are exempt, as in OPA.
//! Read from regorus's syntax tree (`capabilities::modules`).

use serde_json::Value;

use super::capabilities::{dotted, import_alias, modules};
use crate::error::Error;

/// One strict-mode error.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Problem {
    file: String,
    line: u64,
    text: String,
}

fn line(node: &Value) -> u64 {
    node["span"]["line"].as_u64().unwrap_or(0)
}

/// How many `Var` nodes named `name` are under `value`.
fn count_vars(value: &Value, name: &str) -> usize {
    match value {
        Value::Array(items) => items.iter().map(|v| count_vars(v, name)).sum(),
        Value::Object(map) => map
            .iter()
            .map(|(key, node)| {
                let own = usize::from(key == "Var" && node["value"].as_str() == Some(name));
                own + if key == "Var" {
                    0
                } else {
                    count_vars(node, name)
                }
            })
            .sum(),
        _ => 0,
    }
}

/// The variables a `:=` assigns: `x`, or those of `[a, b]` / `{"k": v}` patterns.
fn assigned(lhs: &Value, out: &mut Vec<String>) {
    if let Some(name) = lhs.pointer("/Var/value").and_then(Value::as_str) {
        if name != "_" {
            out.push(name.to_string());
        }
    } else if let Some(items) = lhs.pointer("/Array/items").and_then(Value::as_array) {
        items.iter().for_each(|item| assigned(item, out));
    } else if let Some(fields) = lhs.pointer("/Object/fields").and_then(Value::as_array) {
        for field in fields {
            // regorus writes an object field as [span, key, value].
            if let Some(value) = field.get(2) {
                assigned(value, out);
            }
        }
    }
}

/// Every `:=` under `value`: its line and the variables it assigns. `in_comprehension`
/// picks those inside comprehension bodies, or those outside them.
fn assignments(
    value: &Value,
    in_comprehension: bool,
    inside: bool,
    out: &mut Vec<(u64, Vec<String>)>,
) {
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|v| assignments(v, in_comprehension, inside, out)),
        Value::Object(map) => {
            for (key, node) in map {
                if key == "AssignExpr" && node["op"] == "ColEq" && inside == in_comprehension {
                    let mut names = Vec::new();
                    assigned(&node["lhs"], &mut names);
                    out.push((line(node), names));
                }
                let deeper =
                    inside || matches!(key.as_str(), "ArrayCompr" | "SetCompr" | "ObjectCompr");
                assignments(node, in_comprehension, deeper, out);
            }
        }
        _ => {}
    }
}

/// The outermost comprehensions under `value`, in source order.
fn comprehensions<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| comprehensions(v, out)),
        Value::Object(map) => {
            for (key, node) in map {
                if matches!(key.as_str(), "ArrayCompr" | "SetCompr" | "ObjectCompr") {
                    out.push(node);
                } else {
                    comprehensions(node, out);
                }
            }
        }
        _ => {}
    }
}

/// The `:=` variables of `scope` never read in it (or in `head`): inside its
/// comprehensions (`in_comprehension`) or outside them.
fn unread(file: &str, scope: &Value, head: &Value, in_comprehension: bool) -> Vec<Problem> {
    let mut found = Vec::new();
    assignments(scope, in_comprehension, in_comprehension, &mut found);
    let mut problems = Vec::new();
    for (at, names) in found {
        for name in names {
            let reads = count_vars(scope, &name)
                + if std::ptr::eq(scope, head) {
                    0
                } else {
                    count_vars(head, &name)
                };
            if reads <= 1 {
                problems.push(Problem {
                    file: file.to_string(),
                    line: at,
                    text: format!("assigned var {name} unused"),
                });
            }
        }
    }
    problems
}

fn unused_imports(modules: &[Value]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for module in modules {
        let file = module["source"]["file"].as_str().unwrap_or_default();
        let ast = &module["ast"];
        for import in ast["imports"].as_array().into_iter().flatten() {
            let Some(path) = dotted(&import["refr"]) else {
                continue;
            };
            if path == "rego.v1" || path.starts_with("future.") {
                continue;
            }
            let alias = import_alias(module, import);
            let name = alias
                .clone()
                .or_else(|| path.rsplit('.').next().map(str::to_string))
                .unwrap_or_default();
            if count_vars(&ast["rules"], &name) == 0 {
                let shown = match &alias {
                    Some(alias) => format!("import {path} as {alias} unused"),
                    None => format!("import {path} unused"),
                };
                problems.push(Problem {
                    file: file.to_string(),
                    line: line(import),
                    text: shown,
                });
            }
        }
    }
    problems
}

/// Function arguments never read, and variables of rule bodies never read: per body,
/// those in its comprehensions when there are any (OPA rewrites comprehensions first
/// and stops that rule there), else those of the body itself.
fn unused_variables(modules: &[Value]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for module in modules {
        let file = module["source"]["file"].as_str().unwrap_or_default();
        for rule in module["ast"]["rules"].as_array().into_iter().flatten() {
            let Some(spec) = rule.get("Spec") else {
                continue;
            };
            let head = &spec["head"];
            if let Some(func) = head.get("Func") {
                for arg in func["args"].as_array().into_iter().flatten() {
                    if let Some(name) = arg.pointer("/Var/value").and_then(Value::as_str)
                        && name != "_"
                        && count_vars(spec, name) == 1
                    {
                        problems.push(Problem {
                            file: file.to_string(),
                            line: line(&arg["Var"]),
                            text: format!(
                                "unused argument {name}. (hint: use _ (wildcard variable) instead)"
                            ),
                        });
                    }
                }
            }
            // A body's variables are its own; the head may read them.
            for body in spec["bodies"].as_array().into_iter().flatten() {
                // Each comprehension is rewritten (and checked) on its own, in order,
                // and the first one with a problem ends the body's check; then the body.
                let mut units = Vec::new();
                comprehensions(body, &mut units);
                units.sort_by_key(|u| u["span"]["start"].as_u64());
                let mut found = None;
                for unit in units {
                    let unit_problems = unread(file, unit, unit, true);
                    if !unit_problems.is_empty() {
                        found = Some(unit_problems);
                        break;
                    }
                }
                problems.extend(found.unwrap_or_else(|| unread(file, body, head, false)));
            }
        }
    }
    problems
}

/// Refuses the policies of `engine` when strict mode finds a problem.
pub fn check(engine: &regorus::Engine) -> Result<(), Error> {
    let modules = modules(engine)?;
    // OPA checks in stages and stops at the first that finds something: unused
    // imports, then variables (see `unused_variables`). The differential test against
    // conftest found the order.
    let mut problems = unused_imports(&modules);
    if problems.is_empty() {
        problems = unused_variables(&modules);
    }
    problems.sort();
    problems.dedup();
    if problems.is_empty() {
        return Ok(());
    }
    let mut text = format!(
        "get compiler: {} error{} occurred:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    let separator = if problems.len() == 1 { " " } else { "\n" };
    for p in &problems {
        text.push_str(&format!(
            "{separator}{}:{}: rego_compile_error: {}",
            crate::escape::line(&p.file),
            p.line,
            crate::escape::line(&p.text)
        ));
    }
    Err(Error::Usage(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(rego: &str) -> String {
        let mut e = regorus::Engine::new();
        e.add_policy("p.rego".into(), rego.into()).unwrap();
        match check(&e) {
            Ok(()) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn imports_first_then_variables() {
        let rego = "package main\nimport rego.v1\nimport data.lib\n\ndeny contains msg if {\n\tunused := input.a\n\tmsg := \"x\"\n}\n";
        let text = errors(rego);
        assert!(
            text.contains("p.rego:3: rego_compile_error: import data.lib unused"),
            "{text}"
        );
        assert!(!text.contains("assigned var"), "{text}");
        let text = errors(&rego.replace("import data.lib\n", "\n"));
        assert!(
            text.contains("p.rego:6: rego_compile_error: assigned var unused unused"),
            "{text}"
        );
    }

    #[test]
    fn arguments_patterns_and_some_vars() {
        let text = errors(
            "package main\nimport rego.v1\nf(x, y) := x\n\ndeny contains msg if {\n\t[p, q] := [1, 2]\n\tsome v in input.xs\n\tmsg := sprintf(\"%v\", [p])\n}\n",
        );
        assert!(
            text.contains("p.rego:3: rego_compile_error: unused argument y."),
            "{text}"
        );
        assert!(
            text.contains("p.rego:6: rego_compile_error: assigned var q unused"),
            "{text}"
        );
        assert!(!text.contains("var p "), "{text}");
        assert!(!text.contains(" v "), "{text}");
        assert!(!text.contains("argument x"), "{text}");
        assert_eq!(
            errors("package main\nimport rego.v1\ndeny contains m if { m := input.x }\n"),
            ""
        );
    }
}
