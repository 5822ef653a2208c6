//! L012 and L013: the two shapes on which stock regorus 0.14.1's bytecode VM answers
//! differently from OPA (and its own interpreter) without an error. envgate runs a
//! patched VM (`vendor/regorus/PATCHES.md`, `docs/regorus-vm-bugs.md` A and B), so the
//! lint is what keeps a pack portable to an unpatched regorus, and it covers the gap
//! the interpreter still has for functions (repro D).
//!
//! - L012 `vm-undefined-assign`: `x := expr` where `expr` may be undefined. The stock VM
//!   does not stop the body there; it goes on with `x` undefined. That only changes the
//!   answer when nothing later fails on the undefined `x`: on the VM an undefined value
//!   makes every comparison, builtin call, array and object built from it undefined, and
//!   an undefined condition fails the body; a rule head built from it produces no value,
//!   which is what OPA answers too. What does not fail is `not` (undefined is false, so
//!   `not` holds), a comprehension over it (empty), the head of a partial object (the VM
//!   adds an entry holding undefined), or nothing at all. So `x` is followed through further `:=`, and flagged when it never
//!   reaches a condition of the body (or the head of a body that has no `else` after
//!   it: with an `else` after it, an undefined value skips the `else`, see L013).
//! - L013 `vm-else-shape`: in a body followed by `else`, a loop (`some x in xs`, `some
//!   x`, or a reference iterating over an unbound variable or `_`), or a head value that
//!   may be undefined. When the loop matches nothing or the value is undefined, the body
//!   ends without a value and the stock VM returns nothing instead of trying the `else`;
//!   the interpreter does the same for a function's undefined head value.
//!
//! "May be undefined" is decided from the syntax: a reference into `input`, `data`, a
//! rule or a value (`a.b`, `a[0]`, `a[k]`), or a call of a function of the pack may be
//! undefined; literals, variables the body binds, comprehensions, partial rules (a set
//! or object is never undefined), rules with a `default`, and builtin calls whose
//! arguments are all defined are not.

use std::collections::{BTreeMap, BTreeSet};

use regorus::unstable::{
    AssignOp, Expr, Literal, LiteralStmt, Module, Parser, Query, Rule, RuleBody, RuleHead, Source,
};

use super::super::Pack;
use super::Problem;

/// Whether a rule of a package can be undefined when referred to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A partial set or object, or a rule with a `default`.
    Defined,
    /// A complete rule without a default.
    MaybeUndefined,
    Function,
    /// A function defined for every argument: one definition takes plain variables
    /// and ends in a body without conditions whose value is defined.
    TotalFunction,
}

/// The rules of every package of a pack, by package path (without `data.`).
type Names = BTreeMap<String, BTreeMap<String, Kind>>;

/// The L012 and L013 problems of the (non-test) Rego files of `pack`. A file that does
/// not parse is skipped: that is L011.
pub(super) fn check(pack: &Pack) -> Vec<Problem> {
    let parsed: Vec<(&str, Module)> = pack
        .modules
        .iter()
        .filter_map(|m| Some((m.path.as_str(), parse(&m.path, &m.text)?)))
        .collect();
    let mut names = Names::new();
    for (_, module) in &parsed {
        collect_names(module, &mut names);
    }
    // Functions and rules that are total make more calls and references defined, which
    // may make more functions total: to a fixed point (each round upgrades one at least).
    loop {
        let mut upgrades = Vec::new();
        for (file, module) in &parsed {
            let ctx = Context::new(file, module, &names);
            for rule in &module.policy {
                if let Some(upgrade) = ctx.total(rule) {
                    upgrades.push((ctx.package.clone(), upgrade));
                }
            }
        }
        if upgrades.is_empty() {
            break;
        }
        for (package, (name, kind)) in upgrades {
            names.entry(package).or_default().insert(name, kind);
        }
    }
    let mut problems = Vec::new();
    for (file, module) in &parsed {
        let ctx = Context::new(file, module, &names);
        for rule in &module.policy {
            ctx.check_rule(rule, &mut problems);
        }
    }
    problems
}

fn parse(path: &str, text: &str) -> Option<Module> {
    let source = Source::from_contents(path.to_string(), text.to_string()).ok()?;
    let mut parser = Parser::new(&source).ok()?;
    parser.enable_rego_v1().ok()?;
    parser.parse().ok()
}

fn var_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Var { value, .. } => value.as_string().ok().map(|s| s.to_string()),
        _ => None,
    }
}

/// `a.b["c"]` as `["a", "b", "c"]`; `None` for a reference with a computed index.
fn path(expr: &Expr) -> Option<Vec<String>> {
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

fn package_of(module: &Module) -> String {
    let mut parts = path(&module.package.refr).unwrap_or_default();
    if parts.first().is_some_and(|p| p == "data") {
        parts.remove(0);
    }
    parts.join(".")
}

/// The name a rule defines and what it is.
fn rule_kind(rule: &Rule) -> Option<(String, Kind)> {
    match rule {
        Rule::Spec { head, .. } => {
            let (refr, kind) = match head {
                RuleHead::Set { refr, .. } => (refr, Kind::Defined),
                RuleHead::Func { refr, .. } => (refr, Kind::Function),
                // `r[k] := v` is a partial object; `r := v` and `r if …` are complete.
                RuleHead::Compr { refr, .. } => (
                    refr,
                    if matches!(refr.as_ref(), Expr::RefBrack { .. }) {
                        Kind::Defined
                    } else {
                        Kind::MaybeUndefined
                    },
                ),
            };
            Some((path(refr)?.first()?.clone(), kind))
        }
        Rule::Default { refr, .. } => Some((path(refr)?.first()?.clone(), Kind::Defined)),
    }
}

fn collect_names(module: &Module, names: &mut Names) {
    let rules = names.entry(package_of(module)).or_default();
    for rule in &module.policy {
        if let Some((name, kind)) = rule_kind(rule) {
            // A default makes a complete rule defined, in whichever order they come.
            let entry = rules.entry(name).or_insert(kind);
            *entry = entry.max_with(kind);
        }
    }
}

impl Kind {
    /// Two definitions of one name: a function stays a function, otherwise a default
    /// (or a partial rule) wins.
    fn max_with(self, other: Kind) -> Kind {
        match (self, other) {
            (Kind::Function | Kind::TotalFunction, _)
            | (_, Kind::Function | Kind::TotalFunction) => Kind::Function,
            (Kind::Defined, _) | (_, Kind::Defined) => Kind::Defined,
            _ => Kind::MaybeUndefined,
        }
    }
}

/// Variables a pattern binds: `x`, `[a, b]`, `{"k": v}` (not `_`).
fn pattern_vars(expr: &Expr, out: &mut BTreeSet<String>) {
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

/// What a body knows: the variables it binds, and the expressions (as written,
/// without blanks) a condition of it reads, so that the body fails when they are
/// undefined.
#[derive(Debug, Clone, Default)]
struct Scope {
    vars: BTreeSet<String>,
    tested: BTreeSet<String>,
}

impl Scope {
    /// The scope inside `query`, nested in this one, which produces `outputs` (a
    /// rule head, a comprehension's term). When `outputs_fail` an undefined output
    /// makes the query produce nothing, on every engine, so what they read counts
    /// as tested.
    fn enter(&self, query: &Query, outputs: &[&Expr], outputs_fail: bool) -> Scope {
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

fn text_key(expr: &Expr) -> String {
    expr.span().text().split_whitespace().collect()
}

/// Every sub-expression of `expr` outside comprehensions.
fn sub_expressions(expr: &Expr, out: &mut BTreeSet<String>) {
    out.insert(text_key(expr));
    children(expr)
        .into_iter()
        .for_each(|c| sub_expressions(c, out));
}

/// The expressions the conditions of `query` read: those of its expressions and
/// `some … in` collections, and the values of `:=` whose variables reach one (or a
/// failing output).
fn tested_in(query: &Query, outputs: &[&Expr], outputs_fail: bool, out: &mut BTreeSet<String>) {
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
fn bound_in(query: &Query, out: &mut BTreeSet<String>) {
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
fn comprehensions<'a>(expr: &'a Expr, out: &mut Vec<&'a Expr>) {
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
fn children(expr: &Expr) -> Vec<&Expr> {
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
fn mentions(expr: &Expr, name: &str) -> bool {
    match expr {
        Expr::Var { .. } => var_name(expr).is_some_and(|n| n == name),
        _ => children(expr).into_iter().any(|c| mentions(c, name)),
    }
}

/// The first line of a piece of Rego, shortened for a message.
fn shown(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    let short: String = line.chars().take(60).collect();
    if short.len() < line.len() || text.trim().lines().nth(1).is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// One file's view of the pack's names.
struct Context<'a> {
    file: &'a str,
    package: String,
    /// Import alias → package path (without `data.`).
    aliases: BTreeMap<String, Vec<String>>,
    names: &'a Names,
}

impl<'a> Context<'a> {
    fn new(file: &'a str, module: &Module, names: &'a Names) -> Self {
        let mut aliases = BTreeMap::new();
        for import in &module.imports {
            let Some(mut parts) = path(&import.refr) else {
                continue;
            };
            if parts.first().map(String::as_str) != Some("data") {
                continue; // rego.v1, future.keywords, input
            }
            parts.remove(0);
            let alias = match &import.r#as {
                Some(span) => span.text().to_string(),
                None => parts.last().cloned().unwrap_or_default(),
            };
            aliases.insert(alias, parts);
        }
        Context {
            file,
            package: package_of(module),
            aliases,
            names,
        }
    }

    /// What a (non-local) reference names: a rule of the pack, or nothing known.
    fn resolve(&self, parts: &[String]) -> Option<Kind> {
        let (first, rest) = parts.split_first()?;
        let full: Vec<String> = if first == "data" {
            rest.to_vec()
        } else if let Some(target) = self.aliases.get(first) {
            target.iter().chain(rest).cloned().collect()
        } else {
            let own = self.names.get(&self.package)?;
            return own.get(first).copied();
        };
        (1..full.len()).find_map(|split| {
            let rules = self.names.get(&full[..split].join("."))?;
            rules.get(&full[split]).copied()
        })
    }

    /// Whether the call `fcn(…)` is of a function of the pack (rather than a builtin).
    fn is_own_function(&self, fcn: &Expr) -> bool {
        let Some(parts) = path(fcn) else {
            return true;
        };
        (parts.len() > 1 && (parts[0] == "data" || self.aliases.contains_key(&parts[0])))
            || self.resolve(&parts).is_some()
    }

    /// Whether `expr` may be undefined in a body of `scope`.
    fn maybe_undefined(&self, expr: &Expr, scope: &Scope) -> bool {
        if scope.tested.contains(&text_key(expr)) {
            return false;
        }
        match expr {
            Expr::String { .. }
            | Expr::RawString { .. }
            | Expr::Number { .. }
            | Expr::Bool { .. }
            | Expr::Null { .. }
            | Expr::ArrayCompr { .. }
            | Expr::SetCompr { .. }
            | Expr::ObjectCompr { .. } => false,
            Expr::Var { .. } => {
                let name = var_name(expr).unwrap_or_default();
                if scope.vars.contains(&name) || name == "input" || name == "data" {
                    false
                } else {
                    self.resolve(&[name]) != Some(Kind::Defined)
                }
            }
            Expr::RefDot { .. } => path(expr).is_none_or(|parts| {
                scope.vars.contains(&parts[0]) || self.resolve(&parts) != Some(Kind::Defined)
            }),
            Expr::RefBrack { .. } => true,
            Expr::Call { fcn, params, .. } => {
                let total = path(fcn).and_then(|p| self.resolve(&p)) == Some(Kind::TotalFunction);
                (self.is_own_function(fcn) && !total)
                    || params.iter().any(|p| self.maybe_undefined(p, scope))
            }
            _ => children(expr)
                .into_iter()
                .any(|c| self.maybe_undefined(c, scope)),
        }
    }

    /// Whether `expr` iterates: a reference whose index is `_` or a variable nothing
    /// binds (outside comprehensions).
    fn iterates(&self, expr: &Expr, scope: &Scope) -> bool {
        if let Expr::RefBrack { index, .. } = expr
            && let Some(name) = var_name(index)
            && (name == "_"
                || !(scope.vars.contains(&name)
                    || name == "input"
                    || name == "data"
                    || self.resolve(std::slice::from_ref(&name)).is_some()))
        {
            return true;
        }
        children(expr).into_iter().any(|c| self.iterates(c, scope))
    }

    /// The upgrade of `rule`'s name when this definition makes it total: a function
    /// whose arguments are plain variables, or a complete rule, with no body or an
    /// `else` without conditions at the end, whose value is defined.
    fn total(&self, rule: &Rule) -> Option<(String, Kind)> {
        let (name, _) = rule_kind(rule)?;
        let upgraded = match self.names.get(&self.package)?.get(&name)? {
            Kind::Function => Kind::TotalFunction,
            Kind::MaybeUndefined => Kind::Defined,
            Kind::Defined | Kind::TotalFunction => return None,
        };
        let Rule::Spec { head, bodies, .. } = rule else {
            return None;
        };
        let (args, assign) = match head {
            RuleHead::Func { args, assign, .. } => (&args[..], assign),
            RuleHead::Compr { refr, assign, .. }
                if !matches!(refr.as_ref(), Expr::RefBrack { .. }) =>
            {
                (&[][..], assign)
            }
            _ => return None,
        };
        let mut scope = Scope::default();
        for arg in args {
            if !matches!(arg.as_ref(), Expr::Var { .. }) {
                return None;
            }
            pattern_vars(arg, &mut scope.vars);
        }
        let head_value = assign.as_ref().map(|a| a.value.as_ref());
        let value = match bodies.last() {
            None => head_value,
            Some(last) if last.query.stmts.is_empty() && bodies.len() > 1 => {
                last.assign.as_ref().map(|a| a.value.as_ref())
            }
            Some(_) => return None,
        };
        // No value is `true`.
        match value {
            Some(value) if self.maybe_undefined(value, &scope) => None,
            _ => Some((name, upgraded)),
        }
    }

    fn problem(&self, line: u32, code: &'static str, message: String) -> Problem {
        Problem {
            file: self.file.to_string(),
            line: line as usize,
            code,
            message,
        }
    }

    fn check_rule(&self, rule: &Rule, problems: &mut Vec<Problem>) {
        let Rule::Spec { head, bodies, .. } = rule else {
            return;
        };
        let (refr, args, assign, key) = match head {
            RuleHead::Compr { refr, assign, .. } => (refr, &[][..], assign, None),
            RuleHead::Set { refr, key, .. } => (refr, &[][..], &None, key.as_ref()),
            RuleHead::Func {
                refr, args, assign, ..
            } => (refr, &args[..], assign, None),
        };
        let name = refr.span().text();
        let mut outer = Scope::default();
        args.iter().for_each(|a| pattern_vars(a, &mut outer.vars));
        let head_value = assign.as_ref().map(|a| a.value.as_ref());
        if bodies.is_empty() {
            // `r := [x | …]`: only the head's comprehensions.
            for output in head_value.into_iter().chain(key.map(|k| k.as_ref())) {
                self.nested(output, &outer, problems);
            }
        }
        for (index, body) in bodies.iter().enumerate() {
            let followed_by_else = index + 1 < bodies.len();
            let value = if index == 0 {
                body.assign
                    .as_ref()
                    .map(|a| a.value.as_ref())
                    .or(head_value)
            } else {
                body.assign.as_ref().map(|a| a.value.as_ref())
            };
            // What the body produces: the head's key (a set's element, an object's
            // key in `r[k]`) and its value.
            let mut outputs: Vec<&Expr> = value.into_iter().collect();
            if let Some(key) = key {
                outputs.push(key);
            }
            if matches!(head, RuleHead::Compr { .. }) {
                outputs.push(refr);
            }
            // An undefined key or value of `r[k] := v` makes an entry holding undefined
            // on the VM (stock and patched) rather than none, so it is no condition.
            let partial_object = matches!(refr.as_ref(), Expr::RefBrack { .. })
                && matches!(head, RuleHead::Compr { .. });
            let outputs_fail = !followed_by_else && !partial_object;
            let scope = outer.enter(&body.query, &outputs, outputs_fail);
            self.undefined_assigns(&body.query, &scope, &outputs, outputs_fail, problems);
            for output in &outputs {
                self.nested(output, &scope, problems);
            }
            if followed_by_else {
                self.else_shape(name, is_function(head), body, value, &scope, problems);
            }
        }
    }

    /// L013 for one body followed by `else`.
    fn else_shape(
        &self,
        name: &str,
        function: bool,
        body: &RuleBody,
        value: Option<&Expr>,
        scope: &Scope,
        problems: &mut Vec<Problem>,
    ) {
        for stmt in &body.query.stmts {
            let loops = match &stmt.literal {
                Literal::SomeIn { .. } | Literal::SomeVars { .. } => true,
                Literal::Expr { expr, .. } => self.iterates(expr, scope),
                Literal::NotExpr { .. } | Literal::Every { .. } => false,
            };
            if loops {
                problems.push(self.problem(
                    stmt.span.line,
                    "L013",
                    format!(
                        "`{}` loops in a body of {name} followed by `else`: when no iteration \
                         succeeds, regorus 0.14.1's unpatched VM returns no value instead of trying the \
                         `else`; move the loop into a helper rule and test that rule here",
                        shown(stmt.span.text())
                    ),
                ));
            }
        }
        if let Some(value) = value
            && self.maybe_undefined(value, scope)
        {
            let who = if function {
                "regorus 0.14.1's unpatched VM and its interpreter return"
            } else {
                "regorus 0.14.1's unpatched VM returns"
            };
            problems.push(self.problem(
                value.span().line,
                "L013",
                format!(
                    "the value `{}` of a body of {name} followed by `else` may be undefined, \
                     and then {who} no value instead of trying the `else`; test it in the \
                     body first (a comparison, is_string…) or give it a default with object.get",
                    shown(value.span().text())
                ),
            ));
        }
    }

    /// L012 in one query: each `x := expr` whose `expr` may be undefined and whose
    /// variables reach no condition of the query. Reaching `outputs` (the head of a
    /// rule body, the term of a comprehension) counts as a condition when
    /// `outputs_fail`: an undefined head value produces nothing, as OPA's failed body.
    /// Then the same for the queries nested in this one.
    fn undefined_assigns(
        &self,
        query: &Query,
        scope: &Scope,
        outputs: &[&Expr],
        outputs_fail: bool,
        problems: &mut Vec<Problem>,
    ) {
        for (index, stmt) in query.stmts.iter().enumerate() {
            if let Literal::Expr { expr, .. } = &stmt.literal
                && let Expr::AssignExpr {
                    op: AssignOp::ColEq,
                    lhs,
                    rhs,
                    ..
                } = expr.as_ref()
                && self.maybe_undefined(rhs, scope)
            {
                let mut vars = BTreeSet::new();
                pattern_vars(lhs, &mut vars);
                if !reaches_condition(query, index, vars, outputs, outputs_fail) {
                    problems.push(self.problem(
                        stmt.span.line,
                        "L012",
                        format!(
                            "`{}` may assign an undefined value and nothing after it fails \
                             then: regorus 0.14.1's unpatched VM goes on where OPA stops the body; use \
                             the value in a condition (a comparison, is_string…) or give it \
                             a default with object.get",
                            shown(stmt.span.text())
                        ),
                    ));
                }
            }
        }
        for stmt in &query.stmts {
            self.nested_in_stmt(stmt, scope, problems);
        }
    }

    fn nested_in_stmt(&self, stmt: &LiteralStmt, scope: &Scope, problems: &mut Vec<Problem>) {
        match &stmt.literal {
            Literal::SomeVars { .. } => {}
            Literal::SomeIn {
                key,
                value,
                collection,
                ..
            } => {
                for expr in key.iter().chain([value, collection]) {
                    self.nested(expr, scope, problems);
                }
            }
            Literal::Expr { expr, .. } | Literal::NotExpr { expr, .. } => {
                self.nested(expr, scope, problems)
            }
            Literal::Every {
                key,
                value,
                domain,
                query,
                ..
            } => {
                self.nested(domain, scope, problems);
                let mut inner = scope.clone();
                inner
                    .vars
                    .extend(key.iter().chain([value]).map(|s| s.text().to_string()));
                let inner = inner.enter(query, &[], false);
                // `every` produces nothing: only conditions count.
                self.undefined_assigns(query, &inner, &[], false, problems);
            }
        }
    }

    /// L012 in the comprehensions under `expr`.
    fn nested(&self, expr: &Expr, scope: &Scope, problems: &mut Vec<Problem>) {
        let mut found = Vec::new();
        comprehensions(expr, &mut found);
        for compr in found {
            let (outputs, query): (Vec<&Expr>, &Query) = match compr {
                Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
                    (vec![term], query)
                }
                Expr::ObjectCompr {
                    key, value, query, ..
                } => (vec![key, value], query),
                _ => continue,
            };
            let inner = scope.enter(query, &outputs, true);
            // An undefined term adds nothing (a set) or, on the stock VM, an undefined
            // element (bug E, an array or object): not this lint's shape.
            self.undefined_assigns(query, &inner, &outputs, true, problems);
            for output in outputs {
                self.nested(output, &inner, problems);
            }
        }
    }
}

fn is_function(head: &RuleHead) -> bool {
    matches!(head, RuleHead::Func { .. })
}

/// Whether the variables bound by statement `from` of `query` (followed through
/// later `:=`) reach a statement that fails the body when they are undefined: any
/// expression or `some … in` that reads them outside a comprehension, but not `not`
/// or `every`; or `outputs`, when `outputs_fail`.
fn reaches_condition(
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

#[cfg(test)]
mod tests {
    use super::super::super::PolicySource;
    use super::*;

    /// `line code` of each problem of a one-file pack (plus a library file `lib.rego`
    /// in package `envgate.t.lib`).
    fn found(rego: &str) -> Vec<String> {
        let lib = "package envgate.t.lib\n\nnames contains \"a\"\n\nmaybe := input.m\n\n\
                   default flag := false\n\nflag if input.f\n\nhelper(x) := x\n\npartial(x) := x if x > 1\n";
        let pack = Pack {
            name: "t".into(),
            version: "1.0.0".into(),
            title: "t".into(),
            description: String::new(),
            origin: "test".into(),
            rules: Vec::new(),
            modules: vec![
                PolicySource {
                    path: "p.rego".into(),
                    text: format!("package envgate.t.p\n\nimport data.envgate.t.lib\n\n{rego}"),
                },
                PolicySource {
                    path: "lib.rego".into(),
                    text: lib.into(),
                },
            ],
            tests: Vec::new(),
            data: serde_json::Value::Null,
        };
        let mut problems = check(&pack);
        problems.sort();
        problems
            .iter()
            .map(|p| format!("{}:{} {}", p.file, p.line, p.code))
            .collect()
    }

    // The rule under test starts on line 5 of p.rego.

    #[test]
    fn the_issues_examples_are_found() {
        assert_eq!(
            found("r := \"first\" if {\n\to := input.missing\n}\n"),
            ["p.rego:6 L012"]
        );
        assert_eq!(
            found(
                "deny contains \"fires\" if {\n\tm := regex.find_all_string_submatch_n(`z`, \"abc\", 1)[0]\n}\n"
            ),
            ["p.rego:6 L012"]
        );
        assert_eq!(
            found("r := \"first\" if {\n\tsome x in input.xs\n\tx == 3\n} else := \"fallback\"\n"),
            ["p.rego:6 L013"]
        );
        assert_eq!(
            found("r := input.missing if {\n\ttrue\n} else := 2\n"),
            ["p.rego:5 L013"]
        );
        assert_eq!(
            found("f(x) := input.missing if {\n\tx == 1\n} else := \"fallback\"\n"),
            ["p.rego:5 L013"]
        );
    }

    #[test]
    fn an_assignment_that_reaches_a_condition_is_fine() {
        for rego in [
            "r if {\n\tx := input.a\n\tx == 3\n}\n",
            "r if {\n\tx := input.a\n\ty := x.b\n\tstartswith(y, \"z\")\n}\n",
            "r if {\n\tx := input.a\n\tsome y in x\n\ty == 1\n}\n",
            "r if {\n\tx := input.a\n\tevery y in x { y > 1 }\n}\n",
            "r := x if {\n\tx := input.a\n}\n",
            "deny contains msg if {\n\tx := input.a\n\tmsg := sprintf(\"%v\", [x])\n}\n",
            "r if {\n\tx := object.get(input, \"a\", 1)\n}\n",
            "r if {\n\tx := [y | some y in input.xs]\n}\n",
            "r if {\n\tx := count(lib.names)\n}\n",
            "r if {\n\tx := lib.flag\n}\n",
            // `helper` is defined for every argument; `partial` is not.
            "r if {\n\tx := lib.helper(1)\n}\n",
            "r := 1 if {\n\tinput.a == 3\n} else := 2 if {\n\tinput.b\n} else := 3\n",
            "f(x) := y if {\n\ty := x + 1\n\ty > 2\n} else := 0\n",
            "r := v if {\n\tsome v in input.xs\n}\n",
            "r if {\n\tnot input.xs[_] == 3\n} else := false\n",
        ] {
            assert_eq!(found(rego), Vec::<String>::new(), "{rego}");
        }
    }

    #[test]
    fn an_assignment_that_reaches_only_not_or_a_comprehension_is_found() {
        for rego in [
            "r if {\n\tx := input.a\n\tnot x == 3\n}\n",
            "r if {\n\tx := input.a\n\tcount([y | some y in x]) == 0\n}\n",
            "r if {\n\tx := lib.maybe\n\ty := x\n\tnot y\n}\n",
            "r if {\n\tx := lib.partial(1)\n}\n",
            "r if {\n\t_ := input.a\n}\n",
        ] {
            assert_eq!(found(rego), ["p.rego:6 L012"], "{rego}");
        }
        // In a comprehension, at its own line.
        assert_eq!(
            found("r := [1 | some y in input.ys\n\tz := y.name\n]\n"),
            ["p.rego:6 L012"]
        );
        // A head value of a body followed by `else` does not count as a condition.
        assert_eq!(
            found("r := x if {\n\tx := input.a\n} else := 2\n"),
            ["p.rego:6 L012"]
        );
    }

    #[test]
    fn loops_and_undefined_values_before_else_are_found() {
        assert_eq!(
            found("r := 1 if {\n\tinput.xs[_] == 3\n} else := 2\n"),
            ["p.rego:6 L013"]
        );
        assert_eq!(
            found("r := 1 if {\n\tinput.xs[i] == 3\n} else := 2\n"),
            ["p.rego:6 L013"]
        );
        assert_eq!(
            found("r := 1 if {\n\tsome i\n\tinput.xs[i] == 3\n} else := 2\n"),
            ["p.rego:6 L013"]
        );
        // The second of three bodies is followed by `else` too; the last is not.
        assert_eq!(
            found(
                "r := 1 if {\n\tinput.a\n} else := lib.maybe if {\n\tinput.b\n} else := input.c\n"
            ),
            ["p.rego:7 L013"]
        );
        // A bound index does not loop.
        assert_eq!(
            found("r := 1 if {\n\ti := 0\n\tinput.xs[i] == 3\n} else := 2\n"),
            Vec::<String>::new()
        );
    }
}
