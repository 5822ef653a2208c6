//! Settings read from the hives that decide whether Go's tools work: PowerShell's
//! execution policy (Windows PowerShell 5.1 reads it from the registry; PowerShell 7
//! from its own Group Policy key and powershell.config.json files, in pwsh.rs),
//! long-path support, and the key Go's MSI installer writes.

use crate::host::registry::{Hive, RegData};
use crate::snapshot::{ExecutionPolicy, PolicyScope, RegistrySetting};

const POLICY_KEY: &str = r"Policies\Microsoft\Windows\PowerShell";
const SHELL_KEY: &str = r"Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell";

/// The scopes in `Get-ExecutionPolicy -List`'s precedence order (Process, set per
/// process, is not on disk), each read from its key.
pub fn execution_policy(software: Option<&mut Hive>, user: Option<&mut Hive>) -> ExecutionPolicy {
    let mut scopes = Vec::new();
    let (mut software, mut user) = (software, user);
    scopes.extend(group_policies(
        software.as_deref_mut(),
        user.as_deref_mut(),
        POLICY_KEY,
        false,
    ));
    if let Some(hive) = user
        && let Some(value) = text(hive.value(&format!(r"Software\{SHELL_KEY}"), "ExecutionPolicy"))
    {
        scopes.push(PolicyScope {
            scope: "CurrentUser".into(),
            value,
            origin: format!(r"HKCU\Software\{SHELL_KEY}\ExecutionPolicy"),
            line: None,
        });
    }
    if let Some(hive) = software
        && let Some(value) = text(hive.value(SHELL_KEY, "ExecutionPolicy"))
    {
        scopes.push(PolicyScope {
            scope: "LocalMachine".into(),
            value,
            origin: format!(r"HKLM\SOFTWARE\{SHELL_KEY}\ExecutionPolicy"),
            line: None,
        });
    }
    decide(scopes, |value| value.to_string())
}

/// The first scope that is not `Undefined` decides (`parse` says what PowerShell makes
/// of its value); none: `Restricted`, the default of Windows clients for both
/// PowerShells (pwsh's SecuritySupport.GetExecutionPolicy returns Restricted).
pub fn decide(scopes: Vec<PolicyScope>, parse: impl Fn(&str) -> String) -> ExecutionPolicy {
    let decided = scopes
        .iter()
        .find(|s| !s.value.eq_ignore_ascii_case("Undefined"))
        .cloned();
    match decided {
        Some(scope) => ExecutionPolicy {
            effective: parse(&scope.value),
            effective_scope: scope.scope.clone(),
            effective_origin: Some(scope.origin.clone()),
            effective_line: scope.line,
            scopes,
        },
        None => ExecutionPolicy {
            effective: "Restricted".into(),
            effective_scope: "default".into(),
            effective_origin: None,
            effective_line: None,
            scopes,
        },
    }
}

/// The machine's then the user's Group Policy scope under `key` (below `SOFTWARE`):
/// `Policies\Microsoft\Windows\PowerShell` for Windows PowerShell,
/// `Policies\Microsoft\PowerShellCore` for PowerShell 7. pwsh takes `ExecutionPolicy`
/// only with `EnableScripts` = 1 (`needs_enable`: its ScriptExecution setting is
/// undefined without it); this reader has always taken it alone for Windows
/// PowerShell, and keeps doing so.
pub fn group_policies(
    software: Option<&mut Hive>,
    user: Option<&mut Hive>,
    key: &str,
    needs_enable: bool,
) -> Vec<PolicyScope> {
    let mut scopes = Vec::new();
    if let Some(hive) = software
        && let Some(scope) = group_policy(
            hive,
            key,
            key,
            r"HKLM\SOFTWARE",
            "MachinePolicy",
            needs_enable,
        )
    {
        scopes.push(scope);
    }
    if let Some(hive) = user
        && let Some(scope) = group_policy(
            hive,
            &format!(r"Software\{key}"),
            key,
            r"HKCU\Software",
            "UserPolicy",
            needs_enable,
        )
    {
        scopes.push(scope);
    }
    scopes
}

/// Group Policy's "Turn on Script Execution": `EnableScripts` 0 is Restricted, 1 lets
/// `ExecutionPolicy` say which (pwsh: SecuritySupport.GetGroupPolicyValue).
fn group_policy(
    hive: &mut Hive,
    key: &str,
    policy_key: &str,
    shown: &str,
    scope: &str,
    needs_enable: bool,
) -> Option<PolicyScope> {
    let values = hive.values(key)?;
    let get = |name: &str| {
        values
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, d)| d.clone())
    };
    let origin = |name: &str| format!(r"{shown}\{policy_key}\{name}");
    match get("EnableScripts").and_then(|d| d.number()) {
        Some(0) => Some(PolicyScope {
            scope: scope.into(),
            value: "Restricted".into(),
            origin: origin("EnableScripts"),
            line: None,
        }),
        None if needs_enable => None,
        _ => Some(PolicyScope {
            scope: scope.into(),
            value: text(get("ExecutionPolicy"))?,
            origin: origin("ExecutionPolicy"),
            line: None,
        }),
    }
}

pub fn text(data: Option<RegData>) -> Option<String> {
    data?
        .text()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// `LongPathsEnabled` of the control set's FileSystem key.
pub fn long_paths(system: Option<&mut Hive>, control_set: &str) -> Option<RegistrySetting> {
    let data = system?.value(
        &format!(r"{control_set}\Control\FileSystem"),
        "LongPathsEnabled",
    )?;
    Some(RegistrySetting {
        value: data.number()?.to_string(),
        origin: r"HKLM\SYSTEM\CurrentControlSet\Control\FileSystem\LongPathsEnabled".into(),
    })
}

/// Where Go's MSI says it installed Go (`HKCU\Software\GoProgrammingLanguage`).
pub fn msi_install_location(user: Option<&mut Hive>) -> Option<RegistrySetting> {
    let value = text(user?.value(r"Software\GoProgrammingLanguage", "installLocation"))?;
    Some(RegistrySetting {
        value,
        origin: r"HKCU\Software\GoProgrammingLanguage\installLocation".into(),
    })
}
