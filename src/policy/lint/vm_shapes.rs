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

mod syntax;

use syntax::{
    Scope, children, comprehensions, head_name, path, pattern_vars, reaches_condition, shown,
    text_key, var_name,
};

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
        let name = &head_name(refr);
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
            let object_key = match refr.as_ref() {
                Expr::RefBrack { index, .. } if partial_object => Some(index.as_ref()),
                _ => None,
            };
            if let Some(undefined) = object_key
                .into_iter()
                .chain(value.filter(|_| partial_object))
                .find(|o| self.maybe_undefined(o, &scope))
            {
                problems.push(self.problem(
                    undefined.span().line,
                    "L012",
                    format!(
                        "`{}` of {name} may be undefined: regorus 0.14.1's VM (envgate's \
                         patched one too) then adds an entry holding undefined where OPA adds \
                         none; assign it in the body and use it in a condition there",
                        shown(undefined.span().text())
                    ),
                ));
            }
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

#[cfg(test)]
mod tests;
