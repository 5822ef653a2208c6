//! Shell startup files, read and never executed.
//!
//! A best-effort parser for sh, bash, zsh ([`parse`]) and fish ([`fish`]) that records
//! what it cannot understand instead of failing, and an evaluator ([`eval`]) that
//! follows one session (a login shell, a terminal, the desktop) through the files it
//! reads, building PATH entry by entry with the file and line that added each.

pub mod activation;
pub mod ast;
mod builtins;
pub mod eval;
pub mod expand;
pub mod files;
pub mod fish;
mod fish_builtins;
mod go_env_sub;
mod lex;
mod limits;
pub mod parse;
mod path_helper;
pub mod startup;
mod test_expr;
mod words;

#[cfg(test)]
mod limits_tests;
#[cfg(test)]
mod tests;

/// Variables the Go checks care about: PATH and Go's own, the C toolchain cgo runs,
/// pkg-config, TLS roots, and proxies (any case).
pub fn is_relevant(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    name == "PATH"
        || name.starts_with("GO")
        || name.starts_with("CGO_")
        || name == "CC"
        || name == "CXX"
        || name.starts_with("PKG_CONFIG")
        || name.starts_with("SSL_CERT_")
        || upper.ends_with("_PROXY")
}

/// Parses sh/bash/zsh text.
pub fn parse_sh(text: &str) -> ast::Script {
    parse::parse(text)
}

/// Parses fish text.
pub fn parse_fish(text: &str) -> ast::Script {
    fish::parse(text)
}
