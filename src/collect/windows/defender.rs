//! Microsoft Defender Antivirus as the SOFTWARE hive configures it: whether real-time
//! protection is on and which paths it skips, matched against the user's Go
//! directories (build cache, module cache, installed programs), which it otherwise
//! scans as `go build` and `go install` write them.
//!
//! What Microsoft documents and this follows ("Configure and validate exclusions based
//! on file extension and folder location", learn.microsoft.com/defender-endpoint/
//! configure-extension-file-exclusions-microsoft-defender-antivirus):
//! - a folder exclusion covers every file under the folder;
//! - Defender "gets information from system environment variables, not user
//!   environment variables", so `%USERPROFILE%` in an exclusion is the SYSTEM
//!   account's profile (`C:\Windows\system32\config\systemprofile`), not the user's:
//!   an exclusion written `%LOCALAPPDATA%\go-build` does not cover the user's cache;
//! - Group Policy's path exclusions are the value names of
//!   `Policies\Microsoft\Windows Defender\Exclusions\Paths`; Add-MpPreference's, of
//!   `Microsoft\Windows Defender\Exclusions\Paths`; both apply unless Group Policy
//!   sets `DisableLocalAdminMerge`, which drops the local ones.
//!
//! Real-time protection: `DisableRealtimeMonitoring` = 1 under `Real-Time Protection`,
//! the Group Policy key winning over the local one; neither set is on. Not read: Tamper
//! Protection (which makes Windows ignore registry changes to these) and another
//! antivirus putting Defender in passive mode; process and extension exclusions.

use super::environment::Environment;
use crate::host::registry::{Hive, RegData};
use crate::snapshot::{Defender, DefenderExclusion, DefenderGoDir};

const LOCAL: &str = r"Microsoft\Windows Defender";
const POLICY: &str = r"Policies\Microsoft\Windows Defender";
const SHOWN: &str = r"HKLM\SOFTWARE";

/// The SYSTEM account's profile, whose variables Defender expands exclusions with.
pub const SYSTEM_PROFILE: &str = r"C:\Windows\system32\config\systemprofile";

/// Defender's settings; `None` when the hive has no Defender key (nothing is known:
/// the volume may run another antivirus, or a Windows without Defender).
pub fn collect(
    software: Option<&mut Hive>,
    system_env: &Environment,
    user_env: &Environment,
    go_dirs: &[(&str, String)],
) -> Option<Defender> {
    let hive = software?;
    hive.values(LOCAL)?;
    let number = |hive: &mut Hive, key: &str, name: &str| {
        hive.value(key, name).as_ref().and_then(RegData::number)
    };
    let realtime_key = |base: &str| format!(r"{base}\Real-Time Protection");
    let (realtime_protection, realtime_origin) = [POLICY, LOCAL]
        .iter()
        .find_map(|base| {
            let key = realtime_key(base);
            let value = number(hive, &key, "DisableRealtimeMonitoring")?;
            let origin = format!(r"{SHOWN}\{key}\DisableRealtimeMonitoring");
            Some((value == 0, Some(origin)))
        })
        .unwrap_or((true, None));
    let local_exclusions_ignored = (number(hive, POLICY, "DisableLocalAdminMerge") == Some(1))
        .then(|| format!(r"{SHOWN}\{POLICY}\DisableLocalAdminMerge"));
    let mut exclusions = Vec::new();
    for base in [LOCAL, POLICY] {
        let key = format!(r"{base}\Exclusions\Paths");
        let applies = base == POLICY || local_exclusions_ignored.is_none();
        for (name, _) in hive.values(&key).unwrap_or_default() {
            let path = name.trim().to_string();
            if path.is_empty() {
                continue;
            }
            let (expanded, _) = system_env.expand(&path);
            let (for_user, _) = user_env.expand(&path);
            exclusions.push(DefenderExclusion {
                origin: format!(r"{SHOWN}\{key}\{name}"),
                wildcard: path.contains(['*', '?']),
                user_expanded: (!for_user.eq_ignore_ascii_case(&expanded)).then_some(for_user),
                expanded,
                path,
                applies,
            });
        }
    }
    exclusions.sort_by(|a, b| a.origin.cmp(&b.origin));
    let go_dirs = go_dirs
        .iter()
        .map(|(name, dir)| {
            let usable = || exclusions.iter().filter(|e| e.applies && !e.wildcard);
            DefenderGoDir {
                name: name.to_string(),
                dir: dir.clone(),
                excluded_by: usable()
                    .find(|e| covers(&e.expanded, dir))
                    .map(|e| e.origin.clone()),
                user_variable_exclusion: usable()
                    .find(|e| e.user_expanded.as_deref().is_some_and(|u| covers(u, dir)))
                    .map(|e| e.origin.clone()),
            }
        })
        .collect();
    Some(Defender {
        realtime_protection,
        realtime_origin,
        local_exclusions_ignored,
        exclusions,
        go_dirs,
    })
}

/// Whether a folder exclusion covers `dir`: the same folder or a parent, compared
/// without regard to case (NTFS paths are case-insensitive) or trailing separators.
pub fn covers(exclusion: &str, dir: &str) -> bool {
    let norm = |p: &str| p.replace('/', "\\").trim_end_matches('\\').to_lowercase();
    let (exclusion, dir) = (norm(exclusion), norm(dir));
    !exclusion.is_empty()
        && (dir == exclusion
            || dir
                .strip_prefix(&exclusion)
                .is_some_and(|rest| rest.starts_with('\\')))
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn a_folder_covers_itself_and_what_is_under_it_in_any_case() {
        assert!(covers(r"C:\Users\dev", r"C:\Users\dev\go\bin"));
        assert!(covers(r"c:\users\DEV\go\", r"C:\Users\dev\go"));
        assert!(covers(r"C:\Users\dev\go", r"C:\Users\dev\go\"));
        // A sibling sharing a prefix is not under it.
        assert!(!covers(r"C:\Users\dev\go", r"C:\Users\dev\gopher"));
        assert!(!covers(r"C:\Users\dev\go\bin", r"C:\Users\dev\go"));
        assert!(!covers("", r"C:\Users"));
    }
}
