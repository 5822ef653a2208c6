//! The environment the checks judge.
//!
//! Live, it is the process environment. For an image nothing runs, so it is derived
//! from the files a login session reads before any shell starts: `/etc/environment`
//! (pam_env) and systemd's environment.d, each variable tagged with its file and line.
//! Shell profile files are a later, separate collector.

use std::collections::BTreeMap;
use std::path::Path;

use crate::host::Host;
use crate::snapshot::{HostInfo, Mode, Origin};

/// What a login gets when no file sets PATH (systemd's and login's built-in default).
const DEFAULT_LOGIN_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

pub struct Environment {
    pub vars: BTreeMap<String, String>,
    pub origins: BTreeMap<String, Origin>,
}

pub fn collect(host: &dyn Host, host_info: &HostInfo) -> Environment {
    match (host.mode(), host.process_env()) {
        (Mode::Live, Some(env)) => Environment {
            vars: env.clone(),
            origins: BTreeMap::new(),
        },
        _ => derive_image_env(host, host_info),
    }
}

fn derive_image_env(host: &dyn Host, host_info: &HostInfo) -> Environment {
    let mut env = Environment {
        vars: BTreeMap::new(),
        origins: BTreeMap::new(),
    };
    if let Some(home) = &host_info.home {
        env.vars.insert("HOME".into(), home.clone());
    }
    if let Some(user) = &host_info.user {
        env.vars.insert("USER".into(), user.clone());
        env.vars.insert("LOGNAME".into(), user.clone());
    }
    if let Some(shell) = &host_info.login_shell {
        env.vars.insert("SHELL".into(), shell.clone());
    }
    env.vars.insert("PATH".into(), DEFAULT_LOGIN_PATH.into());

    let etc_environment = Path::new("/etc/environment");
    if let Ok(text) = host.read_text(etc_environment) {
        apply_assignments(&mut env, etc_environment, &text, false);
    }
    for file in environment_d_files(host, host_info.home.as_deref()) {
        if let Ok(text) = host.read_text(Path::new(&file)) {
            apply_assignments(&mut env, Path::new(&file), &text, true);
        }
    }
    env
}

/// environment.d files in the order systemd applies them: sorted by file name across
/// all directories, a user file masking a system file of the same name.
fn environment_d_files(host: &dyn Host, home: Option<&str>) -> Vec<String> {
    let mut dirs = vec![
        "/usr/lib/environment.d".to_string(),
        "/etc/environment.d".to_string(),
    ];
    if let Some(home) = home {
        dirs.push(format!("{home}/.config/environment.d"));
    }
    let mut by_name: BTreeMap<String, String> = BTreeMap::new();
    for dir in dirs {
        for name in host.read_dir(Path::new(&dir)).unwrap_or_default() {
            if name.ends_with(".conf") {
                by_name.insert(name.clone(), format!("{dir}/{name}"));
            }
        }
    }
    by_name.into_values().collect()
}

/// Applies `KEY=VALUE` lines. environment.d expands `$VAR`/`${VAR}` from what is set
/// so far; pam_env's /etc/environment does not.
fn apply_assignments(env: &mut Environment, file: &Path, text: &str, expand: bool) {
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let value = unquote(value.trim());
        let value = if expand {
            expand_vars(&value, &env.vars)
        } else {
            value
        };
        env.vars.insert(key.to_string(), value);
        env.origins.insert(
            key.to_string(),
            Origin {
                file: file.display().to_string(),
                line: index + 1,
            },
        );
    }
}

fn unquote(value: &str) -> String {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return value[1..value.len() - 1].to_string();
        }
    }
    value.to_string()
}

/// `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alternate}`, as environment.d(5) allows.
fn expand_vars(value: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(braced) = after.strip_prefix('{') {
            if let Some(end) = braced.find('}') {
                let inner = &braced[..end];
                out.push_str(&expand_braced(inner, vars));
                rest = &braced[end + 1..];
                continue;
            }
        }
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if name_len == 0 {
            out.push('$');
        } else {
            out.push_str(vars.get(&after[..name_len]).map_or("", String::as_str));
        }
        rest = &after[name_len..];
    }
    out.push_str(rest);
    out
}

fn expand_braced(inner: &str, vars: &BTreeMap<String, String>) -> String {
    let lookup = |name: &str| vars.get(name).filter(|v| !v.is_empty());
    if let Some((name, default)) = inner.split_once(":-") {
        return lookup(name).cloned().unwrap_or_else(|| default.to_string());
    }
    if let Some((name, alternate)) = inner.split_once(":+") {
        return lookup(name)
            .map(|_| alternate.to_string())
            .unwrap_or_default();
    }
    vars.get(inner).cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_d_expansion() {
        let vars = BTreeMap::from([
            ("HOME".to_string(), "/home/dev".to_string()),
            ("PATH".to_string(), "/usr/bin".to_string()),
        ]);
        assert_eq!(
            expand_vars("$HOME/go/bin:${PATH}", &vars),
            "/home/dev/go/bin:/usr/bin"
        );
        assert_eq!(expand_vars("${GOBIN:-$HOME/bin}", &vars), "$HOME/bin");
        assert_eq!(expand_vars("${PATH:+x}${NOPE:+y}", &vars), "x");
        assert_eq!(expand_vars("cost $5 and $", &vars), "cost  and $");
    }

    #[test]
    fn assignments_keep_file_and_line() {
        let mut env = Environment {
            vars: BTreeMap::new(),
            origins: BTreeMap::new(),
        };
        apply_assignments(
            &mut env,
            Path::new("/etc/environment"),
            "# comment\nPATH=\"/usr/bin:/bin\"\n\nGOSUMDB=off\nnot an assignment\n",
            false,
        );
        assert_eq!(env.vars["PATH"], "/usr/bin:/bin");
        assert_eq!(env.origins["GOSUMDB"].line, 4);
    }
}
