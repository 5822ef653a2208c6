//! The security section: who may change the files that decide what the go command runs,
//! and where credentials sit in configuration. No secret is ever stored here: a URL keeps
//! its user name, its password is replaced by `[REDACTED]`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct SecurityInfo {
    /// Ownership and permissions, by role: `goenv_file` (`$GOENV`), `goenv_dir` (its
    /// directory), `goroot`, `goroot_bin`, `goroot_go_env` (`$GOROOT/go.env`), `netrc`
    /// (`$NETRC`, else `~/.netrc`). A role is absent when its path is unknown.
    pub files: BTreeMap<String, FileFacts>,
    /// The checked user's primary group, from `/etc/passwd`.
    pub user_gid: Option<u32>,
    /// Group of `/`: 0 on a running system; for an image unpacked by an ordinary account,
    /// that account's group, which then owns every file.
    pub root_gid: Option<u32>,
    /// Git configuration files read for credentials, in git's order (system, global, XDG,
    /// the checked repository's `.git/config`).
    pub git_configs: Vec<ScannedFile>,
    /// Values in those files holding a URL with a password (`scheme://user:pass@host`).
    pub git_credentials: Vec<GitCredential>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct FileFacts {
    pub path: String,
    pub exists: bool,
    /// The path itself is a symlink (the other facts are about its target).
    pub is_symlink: bool,
    pub is_dir: bool,
    /// Owner uid; absent when the path does not exist.
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    /// Permission bits (`st_mode & 0o7777`, e.g. 0o600 → 384).
    pub mode: Option<u32>,
    /// Why it could not be examined, when it exists but stat failed (e.g. a symlink loop).
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ScannedFile {
    pub path: String,
    pub exists: bool,
    /// Larger than envgate reads (1 MiB); only the start was scanned.
    pub truncated: bool,
    /// Why it could not be read, when it exists but could not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct GitCredential {
    pub file: String,
    pub line: usize,
    /// The git setting, `section.key` (`http.proxy`, `remote.origin.url`), or
    /// `url.<base>` when the credentials are in a `[url "…"]` section name. Passwords in
    /// it are redacted.
    pub key: String,
    /// The URL with its password replaced by `[REDACTED]`.
    pub url: String,
}
