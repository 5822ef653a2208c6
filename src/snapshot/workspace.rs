//! The Go module or workspace being checked.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Workspace {
    /// The directory being checked (absolute).
    pub dir: Option<String>,
    pub go_mod: Option<GoModFile>,
    pub go_work: Option<GoModFile>,
}

/// A parsed `go.mod` or `go.work`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct GoModFile {
    pub file: String,
    /// `module` path (go.mod only).
    pub module: Option<String>,
    pub go: Option<Directive>,
    pub toolchain: Option<Directive>,
    pub requires: Vec<Require>,
    pub replaces: Vec<Replace>,
    /// `use` directories (go.work only).
    pub uses: Vec<Directive>,
    /// Lines the parser did not understand, kept so nothing is silently dropped.
    pub errors: Vec<ParseProblem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Directive {
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Require {
    pub path: String,
    pub version: String,
    pub indirect: bool,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Replace {
    pub old_path: String,
    pub old_version: Option<String>,
    pub new_path: String,
    pub new_version: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ParseProblem {
    pub line: usize,
    pub message: String,
}
