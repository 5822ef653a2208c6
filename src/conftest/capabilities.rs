//! `--capabilities FILE` (OPA's capabilities JSON): a policy calling a builtin the file
//! does not list is refused before anything is judged, as conftest's compiler does
//! (`policy/p.rego:10: rego_type_error: undefined function http.send`). Teams use it to
//! keep `http.send`, `net.lookup_ip_addr` or `opa.runtime` out of their policies.
//!
//! The builtins a policy uses are read from regorus's syntax tree: calls whose name is
//! not a rule or function of the policies (nor reached through `data.` or an import),
//! and the operators OPA also treats as builtins (`==` is `equal`, `:=` `assign`, `+`
//! `plus`, the operator `x in xs` `internal.member_2`, …; not `some x in xs`, which OPA
//! rewrites only after the check).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::Error;

/// The builtin names a capabilities file allows.
pub fn allowed(path: &str) -> Result<BTreeSet<String>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::Usage(format!(
            "load capabilities: open {}: {e}",
            crate::escape::line(path)
        ))
    })?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        Error::Usage(format!(
            "load capabilities: {}: not OPA capabilities JSON: {e}",
            crate::escape::line(path)
        ))
    })?;
    let builtins = value
        .get("builtins")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::Usage(format!(
                "load capabilities: {}: no `builtins` list (write it with `opa capabilities --current`)",
                crate::escape::line(path)
            ))
        })?;
    Ok(builtins
        .iter()
        .filter_map(|b| b.get("name")?.as_str().map(str::to_string))
        .collect())
}

/// A builtin used at a line of a policy file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Use {
    pub file: String,
    pub line: u64,
    pub name: String,
}

/// The modules of `engine` as regorus writes its syntax tree (`get_ast_as_json`):
/// `[{source: {file, contents}, ast: {package, imports, rules}}]`.
pub fn modules(engine: &regorus::Engine) -> Result<Vec<Value>, Error> {
    let json = engine
        .get_ast_as_json()
        .map_err(|e| Error::Usage(format!("reading the policies' syntax tree: {e:#}")))?;
    serde_json::from_str(&json)
        .map_err(|e| Error::Usage(format!("reading the policies' syntax tree: {e}")))
}

/// Every builtin the modules of `engine` use.
pub fn used(engine: &regorus::Engine) -> Result<Vec<Use>, Error> {
    let modules = modules(engine)?;
    // Rule names per package: a call to one of them is a call of the policies' own.
    let mut rules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in &modules {
        let ast = &module["ast"];
        let package = dotted(&ast["package"]["refr"]).unwrap_or_default();
        let names = rules.entry(package).or_default();
        for rule in ast["rules"].as_array().into_iter().flatten() {
            if let Some(head) = rule.pointer("/Spec/head")
                && let Some((_, head)) = head.as_object().and_then(|h| h.iter().next())
                && let Some(name) = dotted(&head["refr"])
            {
                names.insert(name.split('.').next().unwrap_or_default().to_string());
            }
        }
    }
    let mut uses = Vec::new();
    for module in &modules {
        let file = module["source"]["file"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let ast = &module["ast"];
        let package = dotted(&ast["package"]["refr"]).unwrap_or_default();
        let own = rules.get(&package).cloned().unwrap_or_default();
        // `import data.lib` (or `… as x`): `lib.f(…)` is the policies' own.
        let aliases: BTreeSet<String> = ast["imports"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|import| {
                let path = dotted(&import["refr"])?;
                let alias = import_alias(module, import)
                    .or_else(|| path.rsplit('.').next().map(str::to_string))?;
                (path.starts_with("data.") || path.starts_with("input")).then_some(alias)
            })
            .collect();
        let mut found = Vec::new();
        walk(&ast["rules"], &mut found);
        for (line, name) in found {
            let first = name.split('.').next().unwrap_or_default();
            let policies_own = first == "data"
                || aliases.contains(first)
                || (!name.contains('.') && own.contains(&name));
            if !policies_own {
                uses.push(Use {
                    file: file.clone(),
                    line,
                    name,
                });
            }
        }
    }
    uses.sort();
    uses.dedup();
    Ok(uses)
}

/// The `as` name of an import: regorus gives its span, read from the module's source.
pub fn import_alias(module: &Value, import: &Value) -> Option<String> {
    let span = import.get("as")?;
    let (start, end) = (
        span["start"].as_u64()? as usize,
        span["end"].as_u64()? as usize,
    );
    module["source"]["contents"]
        .as_str()?
        .get(start..end)
        .map(str::to_string)
}

/// `a.b.c` of a `Var`/`RefDot` chain; `None` for other references (`a[x]`).
pub fn dotted(expr: &Value) -> Option<String> {
    if let Some(var) = expr.get("Var") {
        return var["value"].as_str().map(str::to_string);
    }
    let refdot = expr.get("RefDot")?;
    let field = refdot["field"].get(1)?.as_str()?;
    Some(format!("{}.{field}", dotted(&refdot["refr"])?))
}

fn line(node: &Value) -> u64 {
    node["span"]["line"].as_u64().unwrap_or(0)
}

/// Builtins used anywhere under `value`: calls and operators, with their lines.
fn walk(value: &Value, found: &mut Vec<(u64, String)>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
        Value::Object(map) => {
            for (key, node) in map {
                let operator = |op: &str| -> Option<&'static str> {
                    Some(match (key.as_str(), op) {
                        ("BoolExpr", "Lt") => "lt",
                        ("BoolExpr", "Le") => "lte",
                        ("BoolExpr", "Eq") => "equal",
                        ("BoolExpr", "Ge") => "gte",
                        ("BoolExpr", "Gt") => "gt",
                        ("BoolExpr", "Ne") => "neq",
                        ("ArithExpr", "Add") => "plus",
                        ("ArithExpr", "Sub") => "minus",
                        ("ArithExpr", "Mul") => "mul",
                        ("ArithExpr", "Div") => "div",
                        ("ArithExpr", "Mod") => "rem",
                        ("BinExpr", "Intersection") => "and",
                        ("BinExpr", "Union") => "or",
                        ("AssignExpr", "Eq") => "eq",
                        ("AssignExpr", "ColEq") => "assign",
                        _ => return None,
                    })
                };
                match key.as_str() {
                    "Call" => {
                        if let Some(name) = dotted(&node["fcn"]) {
                            // conftest turns print statements on, and OPA rewrites
                            // `print` to `internal.print` before it checks.
                            let name = if name == "print" {
                                "internal.print".to_string()
                            } else {
                                name
                            };
                            found.push((line(node), name));
                        }
                    }
                    "BoolExpr" | "ArithExpr" | "BinExpr" | "AssignExpr" => {
                        if let Some(name) = node["op"].as_str().and_then(operator) {
                            found.push((line(node), name.to_string()));
                        }
                    }
                    // `some x in xs` is rewritten to a member call after OPA checks
                    // capabilities, so only the `in` operator is checked.
                    "Membership" => {
                        let name = if node["key"].is_null() {
                            "internal.member_2"
                        } else {
                            "internal.member_3"
                        };
                        found.push((line(node), name.to_string()));
                    }
                    _ => {}
                }
                walk(node, found);
            }
        }
        _ => {}
    }
}

/// Refuses the policies when they use a builtin `allowed` lacks, with OPA's messages.
pub fn check(engine: &regorus::Engine, allowed: &BTreeSet<String>) -> Result<(), Error> {
    let missing: Vec<Use> = used(engine)?
        .into_iter()
        .filter(|u| !allowed.contains(&u.name))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    // OPA's layout: one error on the same line, several one per line.
    let mut text = format!(
        "get compiler: {} error{} occurred:",
        missing.len(),
        if missing.len() == 1 { "" } else { "s" }
    );
    let separator = if missing.len() == 1 { " " } else { "\n" };
    for u in &missing {
        text.push_str(&format!(
            "{separator}{}:{}: rego_type_error: undefined function {}",
            crate::escape::line(&u.file),
            u.line,
            crate::escape::line(&u.name)
        ));
    }
    Err(Error::Usage(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(rego: &str) -> regorus::Engine {
        let mut e = regorus::Engine::new();
        e.add_policy("p.rego".into(), rego.into()).unwrap();
        e
    }

    #[test]
    fn finds_builtins_not_the_policies_own_functions() {
        let e = engine(
            "package main\nimport rego.v1\nimport data.lib\nimport data.util as u\nf(x) := y if { y := u.k(x) }\n\
             deny contains m if {\n  m := sprintf(\"%v\", [lib.g(input.a)])\n  http.send({})\n  f(1)\n  count([]) > 0\n  some x in input.xs\n  1 in input.ys\n}\n",
        );
        let names: BTreeSet<String> = used(&e).unwrap().into_iter().map(|u| u.name).collect();
        let expected: BTreeSet<String> = [
            "assign",
            "count",
            "gt",
            "http.send",
            "internal.member_2",
            "sprintf",
        ]
        .into_iter()
        .map(str::to_string)
        .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn refuses_with_opas_message_at_the_line() {
        let e =
            engine("package main\nimport rego.v1\ndeny contains m if {\n  m := http.send({})\n}\n");
        let allowed: BTreeSet<String> = ["assign".to_string()].into_iter().collect();
        let err = check(&e, &allowed).unwrap_err().to_string();
        assert!(
            err.contains(
                "1 error occurred: p.rego:4: rego_type_error: undefined function http.send"
            ),
            "{err}"
        );
        let allowed: BTreeSet<String> = ["assign".to_string(), "http.send".to_string()]
            .into_iter()
            .collect();
        assert!(check(&e, &allowed).is_ok());
    }
}
