//! What some effective Go settings contain and point at, taken apart the way cmd/go
//! takes them apart: the GOPATH list, the GOBIN directory, the GOFLAGS words.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct GoSettings {
    /// The effective GOPATH split into its entries the way cmd/go splits it (on `:`,
    /// `;` on Windows), empty entries kept so their positions stay true.
    #[serde(default)]
    pub gopath: Vec<GopathEntry>,
    /// The directory an explicit, non-empty GOBIN names; absent when GOBIN is unset.
    #[serde(default)]
    pub gobin: Option<DirFacts>,
    /// The effective GOFLAGS split into words the way the active toolchain's cmd/go
    /// splits it (Go 1.20 and newer: quotes group, as in CC; older: at white space).
    /// Every word must be one whole flag.
    #[serde(default)]
    pub goflags: Vec<GoFlag>,
    /// Why that cmd/go cannot split GOFLAGS (`unterminated ' string`): every go command
    /// but `go env` and `go bug` then stops with `go: parsing $GOFLAGS: …`, and
    /// `goflags` is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goflags_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct GopathEntry {
    /// Position in the list, from 0.
    pub index: usize,
    /// The entry as written.
    pub raw: String,
    /// Starts at the filesystem root (cmd/go rejects relative entries).
    pub absolute: bool,
    /// The directory exists (only absolute entries are looked at).
    pub exists: bool,
    /// Symlinks resolved; absent when the directory does not exist.
    pub realpath: Option<String>,
}

/// Stat facts about a directory a setting names, and what is needed to judge whether
/// the checked user could create or write to it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct DirFacts {
    /// The path as the setting gives it.
    pub path: String,
    /// Starts at the filesystem root; a relative path is not looked at.
    pub absolute: bool,
    /// Something exists at the path (following symlinks).
    pub exists: bool,
    /// What exists there is a directory.
    pub is_dir: bool,
    /// Permission bits (e.g. 0o755 → 493); absent when nothing exists there.
    pub mode: Option<u32>,
    /// Owner uid; absent when nothing exists there.
    pub uid: Option<u32>,
    /// Owner gid; absent when nothing exists there.
    pub gid: Option<u32>,
    /// When the path does not exist: the closest ancestor that does, which is where
    /// `go install` (which creates missing directories) would have to write.
    pub nearest_existing_parent: Option<ParentDir>,
}

/// The closest existing ancestor of a missing directory.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ParentDir {
    pub path: String,
    /// Permission bits.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

/// One word of GOFLAGS.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct GoFlag {
    /// Position among the words, from 0.
    pub index: usize,
    /// The word as written, quotes included, e.g. `-toolexec=/tmp/x` or
    /// `'-ldflags=-s -w'`: the words joined with spaces are the same GOFLAGS.
    pub raw: String,
    /// The flag name without its leading `-` or `--` and without `=value`
    /// (`toolexec`); absent when the word does not start with `-` (cmd/go rejects it).
    pub name: Option<String>,
    /// The text after the first `=`, when there is one.
    pub value: Option<String>,
}
