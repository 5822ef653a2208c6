//! The Go module or workspace being checked.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Workspace {
    /// The directory being checked (absolute).
    pub dir: Option<String>,
    /// The nearest go.mod at or above `dir`.
    pub go_mod: Option<GoModFile>,
    /// The go.work cmd/go would use: the file GOWORK names when it is an absolute path,
    /// else the nearest go.work at or above `dir` (recorded even when GOWORK=off).
    pub go_work: Option<GoModFile>,
    /// The `use` directories of `go_work`, resolved against its directory.
    #[serde(default)]
    pub work_uses: Vec<WorkUse>,
    /// The vendor directory beside `go_mod`; absent when there is no go.mod.
    #[serde(default)]
    pub vendor: Option<Vendor>,
    /// go.mod files one and two directory levels below `dir` (directories starting
    /// with `.` or `_`, `testdata`, `vendor` and `node_modules` skipped). Looked for
    /// only when `dir` itself holds no go.mod; never a full walk.
    #[serde(default)]
    pub nested_modules: Vec<String>,
    /// The nested-module search stopped at its bound before seeing every directory.
    #[serde(default)]
    pub nested_modules_truncated: bool,
    /// Module paths of go.mod and go.work that go commands may download (`require`
    /// paths, and `replace` targets that are modules, not directories), with the
    /// private-module patterns that match each.
    #[serde(default)]
    pub module_paths: Vec<ModulePath>,
}

/// One `use` directory of go.work.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct WorkUse {
    /// The directory as written.
    pub value: String,
    pub line: usize,
    /// The directory made absolute against go.work's directory and cleaned lexically.
    pub dir: String,
    /// The directory holds a go.mod.
    pub has_go_mod: bool,
}

/// `vendor/` beside go.mod and what its `modules.txt` records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Vendor {
    /// The vendor directory (absolute).
    pub dir: String,
    /// The vendor directory exists.
    pub exists: bool,
    /// `vendor/modules.txt`, when it exists and could be read.
    pub modules_txt: Option<ModulesTxt>,
}

/// A parsed `vendor/modules.txt`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ModulesTxt {
    pub file: String,
    /// One entry per `# module version` (or `# module => replacement`) line, in order.
    pub modules: Vec<VendoredModule>,
    /// Lines that belong to no module or that the go command would ignore.
    pub errors: Vec<ParseProblem>,
}

/// One module of `vendor/modules.txt` with its `##` annotations.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct VendoredModule {
    pub path: String,
    /// Absent for a replacement that applies to every version (`# path => new`).
    pub version: Option<String>,
    /// `=> new` target: a module path or a directory.
    pub replacement_path: Option<String>,
    pub replacement_version: Option<String>,
    /// Marked `## explicit`: go.mod requires it directly.
    pub explicit: bool,
    /// From `## explicit; go 1.x`: the module's own `go` version.
    pub go_version: Option<String>,
    /// Vendored packages listed under it (a module with none is only recorded for its
    /// annotations or replacement).
    pub packages: usize,
    /// Line of its `#` header.
    pub line: usize,
}

/// A module path that go commands may download, and the patterns covering it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ModulePath {
    pub path: String,
    /// `require`, or `replace` for the module a replace directive points to.
    pub directive: String,
    pub file: String,
    pub line: usize,
    /// go.mod or go.work replaces this path with a local directory, so it is never
    /// downloaded.
    pub replaced_by_directory: bool,
    /// For each of GOPRIVATE, GONOPROXY and GONOSUMDB that is set (explicitly, not by
    /// cmd/go's fallback to GOPRIVATE): the comma-separated patterns of its effective
    /// value that match this path, by cmd/go's rule (each pattern is matched with
    /// `path.Match` against as many leading path elements as it has).
    pub matched_by: BTreeMap<String, Vec<String>>,
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
