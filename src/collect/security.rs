//! Security facts: ownership and permissions of the files that decide what the go
//! command runs (`$GOENV`, `$GOROOT/bin`, `$GOROOT/go.env`) or sends (`~/.netrc`), and
//! URLs with passwords in git configuration. Passwords are cut out before anything is
//! stored: a finding can say that a password is there, never what it is.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::host::{Host, TEXT_READ_LIMIT};
use crate::redact::{Redacted, redact_urls};
use crate::snapshot::{FileFacts, GitCredential, GoEnvValue, HostInfo, ScannedFile, SecurityInfo};

/// How far up from the checked directory a repository's `.git` is looked for.
const MAX_REPO_DEPTH: usize = 64;

pub fn collect(
    host: &dyn Host,
    host_info: &HostInfo,
    env: &BTreeMap<String, String>,
    go_env: &BTreeMap<String, GoEnvValue>,
    workspace: Option<&Path>,
) -> SecurityInfo {
    let mut files = BTreeMap::new();
    let mut add = |role: &str, path: Option<String>| {
        if let Some(path) = path.filter(|p| p.starts_with('/')) {
            files.insert(role.to_string(), file_facts(host, &path));
        }
    };
    let goenv = go_env.get("GOENV").map(|v| v.value.clone());
    add("goenv_file", goenv.clone());
    add("goenv_dir", goenv.as_deref().and_then(parent_of));
    let goroot = go_env
        .get("GOROOT")
        .map(|v| v.value.trim_end_matches('/').to_string())
        .filter(|g| !g.is_empty());
    add("goroot", goroot.clone());
    add("goroot_bin", goroot.as_ref().map(|g| format!("{g}/bin")));
    add(
        "goroot_go_env",
        goroot.as_ref().map(|g| format!("{g}/go.env")),
    );
    add("netrc", netrc_path(env, host_info.home.as_deref()));

    let mut git_configs = Vec::new();
    let mut git_credentials = Vec::new();
    for path in git_config_paths(host, env, host_info.home.as_deref(), workspace) {
        let (scanned, text) = scan_file(host, &path);
        if let Some(text) = text {
            git_credentials.extend(git_credentials_in(&path, &text));
        }
        git_configs.push(scanned);
    }

    SecurityInfo {
        files,
        user_gid: user_gid(host, host_info),
        root_gid: host.metadata(Path::new("/")).ok().map(|m| m.gid),
        git_configs,
        git_credentials,
    }
}

fn parent_of(path: &str) -> Option<String> {
    Path::new(path)
        .parent()
        .map(|p| p.display().to_string())
        .filter(|p| !p.is_empty())
}

/// cmd/go (internal/auth) reads `$NETRC`, else `~/.netrc`.
fn netrc_path(env: &BTreeMap<String, String>, home: Option<&str>) -> Option<String> {
    env.get("NETRC")
        .filter(|v| !v.is_empty())
        .cloned()
        .or_else(|| home.map(|h| format!("{}/.netrc", h.trim_end_matches('/'))))
}

pub fn file_facts(host: &dyn Host, path: &str) -> FileFacts {
    let p = Path::new(path);
    let is_symlink = host.symlink_metadata(p).is_ok_and(|m| m.is_symlink);
    match host.metadata(p) {
        Ok(meta) => FileFacts {
            path: path.to_string(),
            exists: true,
            is_symlink,
            is_dir: meta.is_dir,
            uid: Some(meta.uid),
            gid: Some(meta.gid),
            mode: Some(meta.mode & 0o7777),
            error: None,
        },
        Err(e) => FileFacts {
            path: path.to_string(),
            exists: false,
            is_symlink,
            error: (e.kind() != io::ErrorKind::NotFound).then(|| e.to_string()),
            ..FileFacts::default()
        },
    }
}

/// The checked user's primary gid (field 4 of their `/etc/passwd` line).
fn user_gid(host: &dyn Host, host_info: &HostInfo) -> Option<u32> {
    let text = host.read_text(Path::new("/etc/passwd")).ok()?;
    text.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        if fields.len() < 7 {
            return None;
        }
        let same_user = host_info.user.as_deref() == Some(fields[0])
            || host_info
                .uid
                .is_some_and(|uid| fields[2].parse() == Ok(uid));
        same_user.then(|| fields[3].parse().ok()).flatten()
    })
}

/// git's configuration files in the order git reads them: system, global (`~/.gitconfig`
/// and `$XDG_CONFIG_HOME/git/config`), then the repository holding the checked directory.
fn git_config_paths(
    host: &dyn Host,
    env: &BTreeMap<String, String>,
    home: Option<&str>,
    workspace: Option<&Path>,
) -> Vec<String> {
    let mut paths = vec!["/etc/gitconfig".to_string()];
    if let Some(home) = home.map(|h| h.trim_end_matches('/')) {
        paths.push(format!("{home}/.gitconfig"));
        let xdg = env
            .get("XDG_CONFIG_HOME")
            .filter(|v| v.starts_with('/'))
            .cloned()
            .unwrap_or_else(|| format!("{home}/.config"));
        paths.push(format!("{xdg}/git/config"));
    }
    if let Some(git_dir) = workspace.and_then(|dir| repository_git_dir(host, dir)) {
        paths.push(git_dir.join("config").display().to_string());
    }
    paths
}

/// The `.git` directory at or above `dir` (a `.git` file, as in worktrees, is skipped).
fn repository_git_dir(host: &dyn Host, dir: &Path) -> Option<PathBuf> {
    let mut current = Some(dir.to_path_buf());
    for _ in 0..MAX_REPO_DEPTH {
        let candidate_dir = current?;
        let git = candidate_dir.join(".git");
        if host.is_dir(&git) {
            return Some(git);
        }
        current = candidate_dir.parent().map(Path::to_path_buf);
    }
    None
}

/// Reads a text file that may be absent, huge, binary or unreadable; only regular files
/// are read, so a FIFO or device cannot block the run.
pub fn scan_file(host: &dyn Host, path: &str) -> (ScannedFile, Option<String>) {
    let p = Path::new(path);
    let mut scanned = ScannedFile {
        path: path.to_string(),
        ..ScannedFile::default()
    };
    let meta = match host.metadata(p) {
        Ok(meta) => meta,
        Err(e) => {
            if e.kind() != io::ErrorKind::NotFound {
                scanned.exists = true;
                scanned.error = Some(e.to_string());
            }
            return (scanned, None);
        }
    };
    scanned.exists = true;
    if !meta.is_file {
        scanned.error = Some("not a regular file".into());
        return (scanned, None);
    }
    scanned.truncated = meta.size > TEXT_READ_LIMIT;
    match host.read_text(p) {
        Ok(text) => (scanned, Some(text)),
        Err(e) => {
            scanned.error = Some(e.to_string());
            (scanned, None)
        }
    }
}

/// Every `scheme://user:password@` in a git config file, with the setting it is in.
/// git config syntax: `[section]`, `[section "subsection"]`, `key = value`; `#` and `;`
/// start comments.
pub fn git_credentials_in(file: &str, text: &str) -> Vec<GitCredential> {
    let mut section = String::new();
    let mut found = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        let mut rest = line;
        if line.starts_with('[') {
            let Some(end) = line.find(']') else { continue };
            let name = section_name(&line[1..end]);
            // Kept redacted: it prefixes the keys recorded below.
            let (clean, how) = redact_urls(&name);
            section = clean;
            if how == Some(Redacted::UrlPassword) {
                found.push(GitCredential {
                    file: file.to_string(),
                    line: index + 1,
                    key: section.clone(),
                    url: redact_urls(subsection_of(&line[1..end])).0,
                });
            }
            // `[section] key = value` on one line is allowed.
            rest = line[end + 1..].trim();
            if rest.is_empty() {
                continue;
            }
        }
        let (key, value) = match rest.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (rest, ""),
        };
        let value = value.trim_matches('"');
        // Recorded for a password only (GO032 reports those); a token written as
        // the user is redacted wherever the URL is shown, but not reported.
        let (redacted, how) = redact_urls(value);
        if how == Some(Redacted::UrlPassword) {
            found.push(GitCredential {
                file: file.to_string(),
                line: index + 1,
                key: format!("{section}.{}", key.to_ascii_lowercase()),
                url: redacted,
            });
        }
    }
    found
}

/// `http "https://x"` → `http.https://x`; `core` → `core`; section names are
/// case-insensitive, subsections are not.
fn section_name(header: &str) -> String {
    let header = header.trim();
    match header.split_once(char::is_whitespace) {
        Some((name, _)) => format!("{}.{}", name.to_ascii_lowercase(), subsection_of(header)),
        None => header.to_ascii_lowercase(),
    }
}

fn subsection_of(header: &str) -> &str {
    let header = header.trim();
    header
        .split_once(char::is_whitespace)
        .map(|(_, sub)| sub.trim().trim_matches('"'))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_proxy_and_url_credentials_are_found_without_the_password() {
        let text = "[user]\n\tname = Dev\n[http]\n\tproxy = http://dev:hunter2@proxy.corp:3128\n[url \"https://bot:ghp_abc@github.com/\"]\n\tinsteadOf = https://github.com/\n[remote \"origin\"]\n\turl = https://github.com/x/y\n[http \"https://a:pw@h/\"]\n\tsslVerify = true\n# proxy = http://a:b@old\n";
        let found = git_credentials_in("/home/dev/.gitconfig", text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].key, "http.proxy");
        assert_eq!(found[0].line, 4);
        assert_eq!(found[0].url, "http://dev:[REDACTED]@proxy.corp:3128");
        assert_eq!(found[1].key, "url.https://bot:[REDACTED]@github.com/");
        assert_eq!(found[1].line, 5);
        assert_eq!(found[2].key, "http.https://a:[REDACTED]@h/");
        let all = format!("{found:?}");
        assert!(!all.contains("hunter2") && !all.contains("ghp_abc") && !all.contains("pw@"));
    }

    #[test]
    fn plain_urls_and_junk_are_not_credentials() {
        let junk = String::from_utf8_lossy(&[0xff, b'[', 0, b'\n', b'=', b'=']).into_owned();
        assert!(git_credentials_in("f", &junk).is_empty());
        assert!(git_credentials_in("f", "[http]\nproxy = http://proxy:3128\n[broken\n").is_empty());
    }

    #[test]
    fn netrc_follows_the_netrc_variable() {
        let mut env = BTreeMap::new();
        assert_eq!(
            netrc_path(&env, Some("/home/dev/")).as_deref(),
            Some("/home/dev/.netrc")
        );
        env.insert("NETRC".to_string(), "/etc/go.netrc".to_string());
        assert_eq!(
            netrc_path(&env, Some("/home/dev")).as_deref(),
            Some("/etc/go.netrc")
        );
    }
}
