//! PowerShell 7's execution policy. pwsh does not read Windows PowerShell's
//! `ShellIds` keys: its SecuritySupport.GetExecutionPolicy (PowerShell/PowerShell,
//! src/System.Management.Automation/security/SecuritySupport.cs) walks MachinePolicy,
//! UserPolicy, Process, CurrentUser, LocalMachine; the two policies are Group
//! Policy's "Turn on Script Execution" under `Policies\Microsoft\PowerShellCore`
//! (`EnableScripts` 0 is Restricted, 1 lets `ExecutionPolicy` say which), CurrentUser
//! and LocalMachine are the `Microsoft.PowerShell:ExecutionPolicy` key of the user's
//! and of `$PSHOME`'s powershell.config.json (about_PowerShell_Config: the CurrentUser
//! file is in the directory of `$PROFILE.CurrentUserCurrentHost`, the user's
//! Documents\PowerShell; the AllUsers one in `$PSHOME`). All Undefined: Restricted.
//! The installer ships `$PSHOME\powershell.config.json` with RemoteSigned, which is
//! why a fresh PowerShell 7 runs local scripts. Process (an environment variable of
//! one process) is not on disk.

use std::path::Path;

use super::policy::{decide, group_policies, text};
use crate::files::source_map::member;
use crate::host::Host;
use crate::host::registry::Hive;
use crate::host::windows::join;
use crate::snapshot::{PolicyScope, PowerShell7, UnreadableConfig};

pub const PSHOME: &str = r"C:\Program Files\PowerShell\7";
const POLICY_KEY: &str = r"Policies\Microsoft\PowerShellCore";
const SETTING: &str = "Microsoft.PowerShell:ExecutionPolicy";
const SHELL_FOLDERS: &str =
    r"Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders";
/// powershell.config.json is a few hundred bytes; a larger one is not a config.
const CONFIG_LIMIT: u64 = 1 << 20;

/// The policy pwsh applies, when pwsh.exe is installed; `documents` is the user's
/// Documents folder (`User Shell Folders\Personal`, expanded by the caller).
pub fn collect(
    host: &dyn Host,
    software: Option<&mut Hive>,
    user: Option<&mut Hive>,
    documents: Option<&str>,
) -> Option<PowerShell7> {
    let program = join(PSHOME, "pwsh.exe");
    if !host.metadata(Path::new(&program)).is_ok_and(|m| m.is_file) {
        return None;
    }
    let mut scopes = group_policies(software, user, POLICY_KEY, true);
    let mut unreadable = Vec::new();
    let configs = [
        (
            "CurrentUser",
            documents.map(|d| join(d, r"PowerShell\powershell.config.json")),
        ),
        ("LocalMachine", Some(join(PSHOME, "powershell.config.json"))),
    ];
    for (scope, file) in configs {
        let Some(file) = file else { continue };
        match config_setting(host, &file) {
            Ok(Some((value, line))) => scopes.push(PolicyScope {
                scope: scope.into(),
                value,
                origin: file,
                line: Some(line),
            }),
            Ok(None) => {}
            Err((line, error)) => unreadable.push(UnreadableConfig { file, line, error }),
        }
    }
    Some(PowerShell7 {
        program,
        execution_policy: decide(scopes, parse),
        unreadable,
    })
}

/// The user's Documents folder: `User Shell Folders\Personal` (OneDrive moves it),
/// else the profile's Documents.
pub fn documents(user: Option<&mut Hive>, home: &str, expand: impl Fn(&str) -> String) -> String {
    user.and_then(|h| text(h.value(SHELL_FOLDERS, "Personal")))
        .map(|raw| expand(&raw))
        .unwrap_or_else(|| join(home, "Documents"))
}

/// pwsh's ParseExecutionPolicy: a name it does not know is `Default`, which is
/// Restricted.
fn parse(value: &str) -> String {
    const KNOWN: [&str; 6] = [
        "Bypass",
        "Unrestricted",
        "RemoteSigned",
        "AllSigned",
        "Restricted",
        "Undefined",
    ];
    KNOWN
        .iter()
        .find(|k| k.eq_ignore_ascii_case(value.trim()))
        .map_or("Restricted", |k| k)
        .to_string()
}

/// Why a config file was not read: the line, when parsing got that far, and why.
type ConfigError = (Option<usize>, String);

/// The execution policy a powershell.config.json sets, with its line; `Ok(None)` when
/// the file is not there or does not set one. A file that exists and cannot be read or
/// parsed is an error (line, message): pwsh then refuses to start interactively.
fn config_setting(host: &dyn Host, file: &str) -> Result<Option<(String, usize)>, ConfigError> {
    let path = Path::new(file);
    let Ok(meta) = host.metadata(path) else {
        return Ok(None);
    };
    if !meta.is_file {
        return Err((None, "not a regular file".into()));
    }
    if meta.size > CONFIG_LIMIT {
        return Err((None, format!("larger than {CONFIG_LIMIT} bytes, not read")));
    }
    let bytes = host
        .read_limited(path, CONFIG_LIMIT)
        .map_err(|e| (None, e.to_string()))?;
    let text = String::from_utf8_lossy(&bytes);
    // Newtonsoft.Json, which pwsh reads it with, takes comments.
    let doc = crate::files::json::parse(text.trim_start_matches('\u{feff}'), true);
    if let Some(error) = doc.error {
        return Err((Some(error.line), error.message));
    }
    let Some(serde_json::Value::Object(map)) = doc.content else {
        return Err((Some(doc.line), "not a JSON object".into()));
    };
    let Some(value) = map.get(SETTING) else {
        return Ok(None);
    };
    let line = doc
        .positions
        .get(&member("", SETTING))
        .map_or(doc.line, |p| p[0]);
    match value.as_str() {
        Some(value) => Ok(Some((value.to_string(), line))),
        None => Err((Some(line), format!("{SETTING} is not a string"))),
    }
}
