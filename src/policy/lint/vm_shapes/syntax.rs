//! The parts of lint's regorus-VM checks that only read Rego's syntax tree: names,
//! patterns, what a query binds and tests, and where a variable flows.

use std::collections::BTreeSet;

use regorus::unstable::{AssignOp, Expr, Literal, Query};

pub(super) fn var_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Var { value, .. } => value.as_string().ok().map(|s| s.to_string()),
        _ => None,
    }
}

/// `a.b["c"]` as `["a", "b", "c"]`; `None` for a reference with a computed index.
pub(super) fn path(expr: &Expr) -> Option<Vec<String>> {
    match expr {
        Expr::Var { .. } => Some(vec![var_name(expr)?]),
        Expr::RefDot { refr, field, .. } => {
            let mut out = path(refr)?;
            out.push(field.1.as_string().ok()?.to_string());
            Some(out)
        }
        Expr::RefBrack { refr, index, .. } => match index.as_ref() {
            Expr::String { value, .. } | Expr::RawString { value, .. } => {
                let mut out = path(refr)?;
                out.push(value.as_string().ok()?.to_string());
                Some(out)
            }
            _ => None,
        },
        _ => None,
    }
}

/// What a body knows: the variables it binds, and the expressions (as written,
/// without blanks) a condition of it reads, so that the body fails when they are
/// undefined.
#[derive(Debug, Clone, Default)]
pub(super) struct Scope {
    pub(super) vars: BTreeSet<String>,
    pub(super) tested: BTreeSet<String>,
}

impl Scope {
    /// The scope inside `query`, nested in this one, which produces `outputs` (a
    /// rule head, a comprehension's term). When `outputs_fail` an undefined output
    /// makes the query produce nothing, on every engine, so what they read counts
    /// as tested.
    pub(super) fn enter(&self, query: &Query, outputs: &[&Expr], outputs_fail: bool) -> Scope {
        let mut inner = self.clone();
        bound_in(query, &mut inner.vars);
        tested_in(query, outputs, outputs_fail, &mut inner.tested);
        if outputs_fail {
            outputs
                .iter()
                .for_each(|o| sub_expressions(o, &mut inner.tested));
        }
        inner
    }
}

pub(super) fn text_key(expr: &Expr) -> String {
    expr.span().text().split_whitespace().collect()
}

/// Every sub-expression of `expr` outside comprehensions.
pub(super) fn sub_expressions(expr: &Expr, out: &mut BTreeSet<String>) {
    out.insert(text_key(expr));
    children(expr)
        .into_iter()
        .for_each(|c| sub_expressions(c, out));
}

/// The expressions the conditions of `query` read: those of its expressions and
/// `some … in` collections, and the values of `:=` whose variables reach one (or a
/// failing output).
pub(super) fn tested_in(
    query: &Query,
    outputs: &[&Expr],
    outputs_fail: bool,
    out: &mut BTreeSet<String>,
) {
    for (index, stmt) in query.stmts.iter().enumerate() {
        match &stmt.literal {
            Literal::Expr { expr, .. } => match expr.as_ref() {
                Expr::AssignExpr {
                    op: AssignOp::ColEq,
                    lhs,
                    rhs,
                    ..
                } => {
                    let mut vars = BTreeSet::new();
                    pattern_vars(lhs, &mut vars);
                    if reaches_condition(query, index, vars, outputs, outputs_fail) {
                        sub_expressions(rhs, out);
                    }
                }
                other => sub_expressions(other, out),
            },
            Literal::SomeIn { collection, .. } => sub_expressions(collection, out),
            Literal::Every { domain, .. } => sub_expressions(domain, out),
            Literal::NotExpr { .. } | Literal::SomeVars { .. } => {}
        }
    }
}

/// Variables the statements of `query` bind (not those of nested queries).
pub(super) fn bound_in(query: &Query, out: &mut BTreeSet<String>) {
    for stmt in &query.stmts {
        match &stmt.literal {
            Literal::SomeVars { vars, .. } => {
                out.extend(vars.iter().map(|v| v.text().to_string()));
            }
            Literal::SomeIn { key, value, .. } => {
                if let Some(key) = key {
                    pattern_vars(key, out);
                }
                pattern_vars(value, out);
            }
            Literal::Expr { expr, .. } => {
                if let Expr::AssignExpr { op, lhs, rhs, .. } = expr.as_ref() {
                    pattern_vars(lhs, out);
                    if matches!(op, AssignOp::Eq) {
                        pattern_vars(rhs, out);
                    }
                }
            }
            Literal::NotExpr { .. } | Literal::Every { .. } => {}
        }
    }
}

/// The comprehensions directly under `expr` (not those inside them).
pub(super) fn comprehensions<'a>(expr: &'a Expr, out: &mut Vec<&'a Expr>) {
    match expr {
        Expr::ArrayCompr { .. } | Expr::SetCompr { .. } | Expr::ObjectCompr { .. } => {
            out.push(expr)
        }
        _ => children(expr)
            .into_iter()
            .for_each(|c| comprehensions(c, out)),
    }
}

/// The sub-expressions of `expr` outside comprehension queries.
pub(super) fn children(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::Array { items, .. } | Expr::Set { items, .. } => {
            items.iter().map(|i| i.as_ref()).collect()
        }
        Expr::Object { fields, .. } => fields
            .iter()
            .flat_map(|(_, k, v)| [k.as_ref(), v.as_ref()])
            .collect(),
        Expr::Call { params, .. } => params.iter().map(|p| p.as_ref()).collect(),
        Expr::UnaryExpr { expr, .. } => vec![expr],
        Expr::RefDot { refr, .. } => vec![refr],
        Expr::RefBrack { refr, index, .. } => vec![refr, index],
        Expr::BinExpr { lhs, rhs, .. }
        | Expr::BoolExpr { lhs, rhs, .. }
        | Expr::ArithExpr { lhs, rhs, .. }
        | Expr::AssignExpr { lhs, rhs, .. } => vec![lhs, rhs],
        Expr::Membership {
            key,
            value,
            collection,
            ..
        } => key
            .iter()
            .map(|k| k.as_ref())
            .chain([value.as_ref(), collection.as_ref()])
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether `expr` reads the variable `name` outside comprehensions (an undefined
/// variable read inside one only makes the comprehension empty).
pub(super) fn mentions(expr: &Expr, name: &str) -> bool {
    match expr {
        Expr::Var { .. } => var_name(expr).is_some_and(|n| n == name),
        _ => children(expr).into_iter().any(|c| mentions(c, name)),
    }
}

/// The first line of a piece of Rego, shortened for a message.
pub(super) fn shown(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    let short: String = line.chars().take(60).collect();
    if short.len() < line.len() || text.trim().lines().nth(1).is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// The name a rule head defines: `r` of `r`, `r[k]` and `r.a.b`.
pub(super) fn head_name(refr: &Expr) -> String {
    match refr {
        Expr::RefBrack { refr, .. } | Expr::RefDot { refr, .. } => head_name(refr),
        _ => refr.span().text().to_string(),
    }
}

/// Whether the variables bound by statement `from` of `query` (followed through
/// later `:=`) reach a statement that fails the body when they are undefined: any
/// expression or `some … in` that reads them outside a comprehension, but not `not`
/// or `every`; or `outputs`, when `outputs_fail`.
pub(super) fn reaches_condition(
    query: &Query,
    from: usize,
    vars: BTreeSet<String>,
    outputs: &[&Expr],
    outputs_fail: bool,
) -> bool {
    let mut seen = BTreeSet::new();
    let mut work: Vec<String> = vars.into_iter().collect();
    while let Some(var) = work.pop() {
        if !seen.insert(var.clone()) {
            continue;
        }
        if outputs_fail && outputs.iter().any(|o| mentions(o, &var)) {
            return true;
        }
        for (index, stmt) in query.stmts.iter().enumerate() {
            if index == from {
                continue;
            }
            match &stmt.literal {
                Literal::Expr { expr, .. } => match expr.as_ref() {
                    Expr::AssignExpr {
                        op: AssignOp::ColEq,
                        lhs,
                        rhs,
                        ..
                    } => {
                        if mentions(rhs, &var) {
                            let mut next = BTreeSet::new();
                            pattern_vars(lhs, &mut next);
                            work.extend(next);
                        }
                    }
                    other => {
                        if mentions(other, &var) {
                            return true;
                        }
                    }
                },
                Literal::SomeIn {
                    key,
                    value,
                    collection,
                    ..
                } => {
                    if key
                        .iter()
                        .chain([value, collection])
                        .any(|e| mentions(e, &var))
                    {
                        return true;
                    }
                }
                // `every` over an undefined domain is undefined on the VM too.
                Literal::Every { domain, .. } => {
                    if mentions(domain, &var) {
                        return true;
                    }
                }
                Literal::NotExpr { .. } | Literal::SomeVars { .. } => {}
            }
        }
    }
    false
}

/// Variables a pattern binds: `x`, `[a, b]`, `{"k": v}` (not `_`).
pub(super) fn pattern_vars(expr: &Expr, out: &mut BTreeSet<String>) {
    match expr {
        Expr::Var { .. } => {
            if let Some(name) = var_name(expr).filter(|n| n != "_") {
                out.insert(name);
            }
        }
        Expr::Array { items, .. } => items.iter().for_each(|i| pattern_vars(i, out)),
        Expr::Object { fields, .. } => fields.iter().for_each(|(_, _, v)| pattern_vars(v, out)),
        _ => {}
    }
}
