//! What the systemd user manager is configured to put in the desktop's environment:
//! environment.d files and the `Environment=`/`EnvironmentFile=` lines of user units,
//! each with owner and mode. The running manager is never asked (`systemctl` is not
//! the Go toolchain), so `live_manager_env` stays empty.

use std::collections::BTreeMap;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::host::Host;
use crate::redact::redact_value;
use crate::snapshot::{
    EnvAssignment, EnvironmentDFile, SystemdUser, UnitEnvironmentFile, UserUnit,
};

/// environment.d directories, lowest priority first (a later one masks an earlier
/// file of the same name), with their scope.
fn environment_d_dirs(home: Option<&str>) -> Vec<(String, &'static str)> {
    let mut dirs = vec![
        ("/usr/lib/environment.d".to_string(), "vendor"),
        ("/etc/environment.d".to_string(), "system"),
    ];
    if let Some(home) = home {
        dirs.push((
            format!("{}/.config/environment.d", home.trim_end_matches('/')),
            "user",
        ));
    }
    dirs
}

pub fn collect(host: &dyn Host, home: Option<&str>, user: Option<&str>) -> SystemdUser {
    SystemdUser {
        environment_d: environment_d(host, home),
        units: units(host, home, user),
        live_manager_env: None,
    }
}

fn environment_d(host: &dyn Host, home: Option<&str>) -> Vec<EnvironmentDFile> {
    // Sorted by file name across directories, as systemd applies them.
    // Keyed by the name's bytes: a name that is not UTF-8 is applied by systemd like
    // any other, so it is read by its real path and shown escaped.
    type Candidate = (String, PathBuf, &'static str);
    let mut by_name: BTreeMap<Vec<u8>, Vec<Candidate>> = BTreeMap::new();
    for (dir, scope) in environment_d_dirs(home) {
        for entry in host.dir_entries(Path::new(&dir)).unwrap_or_default() {
            let raw = entry
                .path
                .file_name()
                .unwrap_or_default()
                .as_bytes()
                .to_vec();
            if raw.ends_with(b".conf") {
                let shown = format!("{dir}/{}", entry.name);
                by_name
                    .entry(raw)
                    .or_default()
                    .push((shown, entry.path, scope));
            }
        }
    }
    let mut files = Vec::new();
    for candidates in by_name.into_values() {
        let winner = candidates.last().map(|(path, _, _)| path.clone());
        for (path, real, scope) in candidates {
            let masked_by = winner.clone().filter(|w| *w != path);
            let meta = host.metadata(&real).ok();
            let (assignments, error) = match host.read_text(&real) {
                Ok(text) => (parse_env_file(&text), None),
                Err(e) => (Vec::new(), Some(e.to_string())),
            };
            files.push(EnvironmentDFile {
                path,
                scope: scope.to_string(),
                owner_uid: meta.map(|m| m.uid),
                mode: meta.map(|m| m.mode),
                masked_by,
                error,
                assignments,
            });
        }
    }
    files
}

/// The environment.d files systemd applies, in order (masked ones left out).
pub fn applied_environment_d(systemd: &SystemdUser) -> impl Iterator<Item = &EnvironmentDFile> {
    systemd
        .environment_d
        .iter()
        .filter(|f| f.masked_by.is_none())
}

/// `KEY=VALUE` lines (environment.d, EnvironmentFile=), secrets redacted.
pub fn parse_env_file(text: &str) -> Vec<EnvAssignment> {
    env_lines(text)
        .into_iter()
        .filter_map(|(name, value, line)| assignment(&name, &value, line))
        .collect()
}

/// `KEY=VALUE` lines as written: (name, value, line). Comments and junk skipped.
pub fn env_lines(text: &str) -> Vec<(String, String, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                return None;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (name, value) = line.split_once('=')?;
            let name = name.trim();
            is_name(name).then(|| (name.to_string(), value.trim().to_string(), index + 1))
        })
        .collect()
}

fn is_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn assignment(name: &str, value: &str, line: usize) -> Option<EnvAssignment> {
    if !is_name(name) {
        return None;
    }
    Some(EnvAssignment {
        name: name.to_string(),
        value: redact_value(name, value).0,
        line,
        keeps_previous: refers_to(value, name),
        path_dirs: Vec::new(),
    })
}

/// `$NAME` or `${NAME…}` in `value`.
pub fn refers_to(value: &str, name: &str) -> bool {
    let mut rest = value;
    while let Some(pos) = rest.find('$') {
        let after = &rest[pos + 1..];
        let after = after.strip_prefix('{').unwrap_or(after);
        if let Some(tail) = after.strip_prefix(name)
            && !tail
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return true;
        }
        rest = &rest[pos + 1..];
    }
    false
}

fn units(host: &dyn Host, home: Option<&str>, user: Option<&str>) -> Vec<UserUnit> {
    let mut dirs = vec![("/etc/systemd/user".to_string(), "system")];
    if let Some(home) = home {
        dirs.push((
            format!("{}/.config/systemd/user", home.trim_end_matches('/')),
            "user",
        ));
    }
    let mut units = Vec::new();
    for (dir, scope) in dirs {
        for entry in host.dir_entries(Path::new(&dir)).unwrap_or_default() {
            let raw = entry.path.file_name().unwrap_or_default().as_bytes();
            let shown = format!("{dir}/{}", entry.name);
            if raw.ends_with(b".service") {
                units.extend(unit(host, &entry.path, &shown, scope, home, user));
            } else if raw.ends_with(b".service.d") {
                for conf in host.dir_entries(&entry.path).unwrap_or_default() {
                    let conf_raw = conf.path.file_name().unwrap_or_default().as_bytes();
                    if conf_raw.ends_with(b".conf") {
                        let conf_shown = format!("{shown}/{}", conf.name);
                        units.extend(unit(host, &conf.path, &conf_shown, scope, home, user));
                    }
                }
            }
        }
    }
    units
}

/// One unit file or drop-in; `None` when it sets no environment.
fn unit(
    host: &dyn Host,
    real: &Path,
    path: &str,
    scope: &str,
    home: Option<&str>,
    user: Option<&str>,
) -> Option<UserUnit> {
    let text = host.read_text(real).ok()?;
    let meta = host.metadata(real).ok();
    let mut environment = Vec::new();
    let mut environment_files = Vec::new();
    let mut section = String::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.trim_matches(['[', ']']).to_string();
            continue;
        }
        if section != "Service" {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        match key.trim() {
            "Environment" => {
                for word in unit_words(value) {
                    if let Some((name, value)) = word.split_once('=') {
                        environment.extend(assignment(name, value, index + 1));
                    }
                }
            }
            "EnvironmentFile" => {
                let value = value.trim();
                let optional = value.starts_with('-');
                let file = specifiers(value.trim_start_matches('-'), home, user);
                let file_meta = host.metadata(Path::new(&file)).ok();
                let assignments = host
                    .read_text(Path::new(&file))
                    .map(|t| parse_env_file(&t))
                    .unwrap_or_default();
                environment_files.push(UnitEnvironmentFile {
                    line: index + 1,
                    path: file,
                    optional,
                    exists: file_meta.is_some(),
                    owner_uid: file_meta.map(|m| m.uid),
                    mode: file_meta.map(|m| m.mode),
                    assignments,
                });
            }
            _ => {}
        }
    }
    if environment.is_empty() && environment_files.is_empty() {
        return None;
    }
    Some(UserUnit {
        path: path.to_string(),
        scope: scope.to_string(),
        owner_uid: meta.map(|m| m.uid),
        mode: meta.map(|m| m.mode),
        environment,
        environment_files,
    })
}

/// `Environment="A=b c" D=e`: space-separated, each optionally quoted.
fn unit_words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in value.trim().chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (None, ' ' | '\t') => {
                if any || !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
                any = false;
            }
            (None, c) => {
                current.push(c);
                any = true;
            }
        }
    }
    if any || !current.is_empty() {
        words.push(current);
    }
    words
}

/// systemd's `%h` (home) and `%u` (user) in a user unit's paths.
fn specifiers(text: &str, home: Option<&str>, user: Option<&str>) -> String {
    let mut out = text.to_string();
    if let Some(home) = home {
        out = out.replace("%h", home.trim_end_matches('/'));
    }
    if let Some(user) = user {
        out = out.replace("%u", user);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_environment_words() {
        assert_eq!(
            unit_words(r#""GOFLAGS=-mod=mod -trimpath" PATH=/usr/bin"#),
            ["GOFLAGS=-mod=mod -trimpath", "PATH=/usr/bin"]
        );
    }

    #[test]
    fn previous_value_references() {
        assert!(refers_to("$PATH:/x", "PATH"));
        assert!(refers_to("/x:${PATH}", "PATH"));
        assert!(!refers_to("/x:$PATHS", "PATH"));
        assert!(!refers_to("/usr/bin:/bin", "PATH"));
    }

    #[test]
    fn env_file_lines() {
        let parsed =
            parse_env_file("# c\nPATH=$PATH:$HOME/go/bin\nGOPROXY=https://u:p@x/\nbad line\n");
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].line, 2);
        assert!(parsed[0].keeps_previous);
        assert_eq!(parsed[1].value, "https://u:[REDACTED]@x/");
    }
}
