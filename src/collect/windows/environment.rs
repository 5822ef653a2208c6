//! The environment Windows gives a new session, built from the registry as the logon
//! builds it (userenv): the variables the system defines, then the machine's
//! (`HKLM\SYSTEM\<control set>\Control\Session Manager\Environment`), then the
//! profile's (USERPROFILE, APPDATA…), then the user's (`HKCU\Environment`). In each
//! key `REG_SZ` values are set before `REG_EXPAND_SZ` ones, whose `%NAME%` references
//! are expanded with what is set so far: so a machine Path entry `%USERPROFILE%\go\bin`
//! stays unexpanded (the machine's variables are set before the profile's), a known
//! trap. A reference to a variable that is not set is kept as written, as Windows
//! keeps it. Path is the machine Path followed by the user Path; any other variable
//! the user sets replaces the machine's. Names are compared without regard to case
//! and stored upper-case (`Path` is `PATH`), as Go's os.Getenv reads them on Windows.

use std::collections::BTreeMap;

use crate::host::registry::{Hive, RegData};
use crate::host::windows::join;
use crate::snapshot::{Origin, RegistryPathEntry, RegistryVar};

/// How findings name the machine's environment key (`CurrentControlSet` is the
/// control set `Select\Current` names, at run time).
pub const MACHINE_KEY: &str = r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment";
pub const USER_KEY: &str = r"HKCU\Environment";

/// The environment being built.
#[derive(Default)]
pub struct Environment {
    /// By upper-case name.
    pub vars: BTreeMap<String, String>,
    pub origins: BTreeMap<String, Origin>,
    pub variables: Vec<RegistryVar>,
    pub path: Vec<RegistryPathEntry>,
}

impl Environment {
    fn set(&mut self, name: &str, value: String, origin: Option<String>) {
        let name = name.to_uppercase();
        match origin {
            Some(file) => {
                self.origins.insert(name.clone(), Origin { file, line: 0 });
            }
            None => {
                self.origins.remove(&name);
            }
        }
        self.vars.insert(name, value);
    }

    /// `%NAME%` references expanded with what is set; unknown ones kept as written.
    pub fn expand(&self, text: &str) -> (String, Vec<String>) {
        let mut out = String::new();
        let mut unresolved = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find('%') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('%') {
                Some(end) if end > 0 => {
                    let name = &after[..end];
                    match self.vars.get(&name.to_uppercase()) {
                        Some(value) => out.push_str(value),
                        None => {
                            // Kept as written; the closing `%` may open the next one.
                            out.push('%');
                            out.push_str(name);
                            let named = name
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || "_()".contains(c));
                            if named
                                && !unresolved
                                    .iter()
                                    .any(|u: &String| u.eq_ignore_ascii_case(name))
                            {
                                unresolved.push(name.to_string());
                            }
                            rest = &after[end..];
                            continue;
                        }
                    }
                    rest = &after[end + 1..];
                }
                _ => {
                    out.push('%');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        (out, unresolved)
    }
}

/// The variables Windows defines before reading any Environment key (drive C: is the
/// system drive of the audited volume).
pub fn system_defined(computer_name: Option<&str>) -> Environment {
    let mut env = Environment::default();
    for (name, value) in [
        ("SystemDrive", "C:"),
        ("SystemRoot", r"C:\Windows"),
        ("windir", r"C:\Windows"),
        ("ProgramFiles", r"C:\Program Files"),
        ("ProgramFiles(x86)", r"C:\Program Files (x86)"),
        ("ProgramW6432", r"C:\Program Files"),
        ("CommonProgramFiles", r"C:\Program Files\Common Files"),
        ("ProgramData", r"C:\ProgramData"),
        ("ALLUSERSPROFILE", r"C:\ProgramData"),
        ("PUBLIC", r"C:\Users\Public"),
    ] {
        env.set(name, value.to_string(), None);
    }
    if let Some(name) = computer_name {
        env.set("COMPUTERNAME", name.to_string(), None);
    }
    env
}

/// The profile's variables, set between the machine's and the user's.
pub fn add_profile(env: &mut Environment, user: &str, home: &str) {
    let path = home.get(2..).unwrap_or(home).to_string();
    for (name, value) in [
        ("USERNAME", user.to_string()),
        ("USERPROFILE", home.to_string()),
        ("HOMEDRIVE", "C:".to_string()),
        ("HOMEPATH", path),
        ("APPDATA", join(home, r"AppData\Roaming")),
        ("LOCALAPPDATA", join(home, r"AppData\Local")),
    ] {
        env.set(name, value, None);
    }
}

/// Sets the values of one Environment key: `REG_SZ` first, then `REG_EXPAND_SZ`.
/// `Path` is kept aside (see [`finish_path`]) instead of replacing the machine's.
pub fn add_key(
    env: &mut Environment,
    hive: Option<&mut Hive>,
    key: &str,
    shown: &str,
    scope: &str,
    paths: &mut Vec<(String, String, Vec<String>, String)>,
) {
    let Some(values) = hive.and_then(|h| h.values(key)) else {
        return;
    };
    let strings: Vec<(String, RegData)> = values
        .into_iter()
        .filter(|(_, data)| data.text().is_some())
        .collect();
    for expand in [false, true] {
        for (name, data) in &strings {
            if matches!(data, RegData::ExpandSz(_)) != expand {
                continue;
            }
            let text = data.text().unwrap_or_default();
            let (expanded, unresolved) = if expand {
                env.expand(text)
            } else {
                (text.to_string(), Vec::new())
            };
            let origin = format!(r"{shown}\{name}");
            env.variables.push(RegistryVar {
                scope: scope.to_string(),
                origin: origin.clone(),
                name: name.clone(),
                value: text.to_string(),
                kind: data.type_name().to_string(),
                expanded: expanded.clone(),
                unresolved: unresolved.clone(),
            });
            if name.eq_ignore_ascii_case("Path") {
                paths.push((expanded, text.to_string(), unresolved, origin));
            } else {
                env.set(name, expanded, Some(origin));
            }
        }
    }
}

/// PATH from the machine's and the user's Path values, in that order, each entry
/// with the key it comes from.
pub fn finish_path(env: &mut Environment, paths: &[(String, String, Vec<String>, String)]) {
    let mut entries = Vec::new();
    for (expanded, raw, _, origin) in paths {
        let scope = if origin.starts_with("HKCU") {
            "user"
        } else {
            "machine"
        };
        let raw_parts: Vec<&str> = raw.split(';').collect();
        for (i, dir) in expanded.split(';').enumerate() {
            if dir.trim().is_empty() {
                continue;
            }
            let raw = raw_parts.get(i).copied().unwrap_or(dir).to_string();
            let (_, unresolved) = env.expand(&raw);
            let lower = dir.to_ascii_lowercase();
            let wsl = lower.starts_with(r"\\wsl$") || lower.starts_with(r"\\wsl.localhost");
            let on_volume = {
                let b = dir.as_bytes();
                (b.len() >= 2 && b[1] == b':' && b[0].eq_ignore_ascii_case(&b'c'))
                    || (dir.starts_with('\\') && !dir.starts_with(r"\\"))
            };
            entries.push(RegistryPathEntry {
                index: entries.len(),
                dir: dir.to_string(),
                raw,
                scope: scope.to_string(),
                origin: origin.clone(),
                unresolved,
                on_volume,
                wsl,
            });
        }
    }
    if let Some((_, _, _, last)) = paths.last() {
        let joined = entries
            .iter()
            .map(|e| e.dir.as_str())
            .collect::<Vec<_>>()
            .join(";");
        env.set("PATH", joined, Some(last.clone()));
    }
    env.path = entries;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_keeps_unknown_references_as_written() {
        let mut env = system_defined(None);
        add_profile(&mut env, "dev", r"C:\Users\dev");
        let (text, unresolved) = env.expand(r"%USERPROFILE%\go\bin;%NOPE%\x;100%;%systemroot%");
        assert_eq!(text, r"C:\Users\dev\go\bin;%NOPE%\x;100%;C:\Windows");
        assert_eq!(unresolved, vec!["NOPE".to_string()]);
    }
}
