//! The mounts section: the mount table, and the mount holding Go's temporary directory.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct MountsInfo {
    /// Where the table came from: `/proc/mounts` (live) or `/etc/fstab` (an image, or
    /// live when /proc cannot be read); absent when neither could be read.
    pub source: Option<String>,
    /// Why the table could not be read, when a file exists but could not.
    pub error: Option<String>,
    /// Entries in file order (at most 4096).
    pub entries: Vec<MountEntry>,
    /// The directory `go run`/`go test`/`go build` work in, and the mount holding it.
    pub go_tmp_dir: Option<TmpDirMount>,
    /// Index into `entries` of the mount holding the user's home directory (where a
    /// replacement GOTMPDIR would usually go).
    pub home_mount: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct MountEntry {
    pub device: String,
    /// Octal escapes (`\040`) decoded.
    pub mount_point: String,
    pub fs_type: String,
    /// Options as written, in order.
    pub options: Vec<String>,
    /// Programs cannot be executed from it: the last of `exec`/`noexec` wins, and
    /// `user`/`users` imply `noexec` unless a later `exec` undoes it, as mount(8) applies them.
    pub noexec: bool,
    /// Line in the source file (1-based).
    pub line: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct TmpDirMount {
    /// The directory: `GOTMPDIR`, else `TMPDIR`, else `/tmp`, as cmd/go picks it.
    pub path: String,
    /// `GOTMPDIR`, `TMPDIR` or `default`.
    pub source: String,
    pub exists: bool,
    /// Symlinks resolved (inside the image for image mode); absent when it does not exist.
    pub realpath: Option<String>,
    /// Index into `entries` of the mount holding it: the longest mount point that is a
    /// prefix of the path (the last such entry, since a later mount hides an earlier one).
    pub mount: Option<usize>,
}
