//! Settings read from the hives that decide whether Go's tools work: PowerShell's
//! execution policy (Windows PowerShell 5.1 reads it from the registry; PowerShell 7
//! from its own powershell.config.json, not read here), long-path support, and the
//! key Go's MSI installer writes.

use crate::host::registry::{Hive, RegData};
use crate::snapshot::{ExecutionPolicy, PolicyScope, RegistrySetting};

const POLICY_KEY: &str = r"Policies\Microsoft\Windows\PowerShell";
const SHELL_KEY: &str = r"Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell";

/// The scopes in `Get-ExecutionPolicy -List`'s precedence order (Process, set per
/// process, is not on disk), each read from its key.
pub fn execution_policy(software: Option<&mut Hive>, user: Option<&mut Hive>) -> ExecutionPolicy {
    let mut scopes = Vec::new();
    let (mut software, mut user) = (software, user);
    if let Some(hive) = software.as_deref_mut()
        && let Some(scope) = group_policy(hive, POLICY_KEY, r"HKLM\SOFTWARE", "MachinePolicy")
    {
        scopes.push(scope);
    }
    if let Some(hive) = user.as_deref_mut()
        && let Some(scope) = group_policy(
            hive,
            &format!(r"Software\{POLICY_KEY}"),
            r"HKCU\Software",
            "UserPolicy",
        )
    {
        scopes.push(scope);
    }
    if let Some(hive) = user
        && let Some(value) = text(hive.value(&format!(r"Software\{SHELL_KEY}"), "ExecutionPolicy"))
    {
        scopes.push(PolicyScope {
            scope: "CurrentUser".into(),
            value,
            origin: format!(r"HKCU\Software\{SHELL_KEY}\ExecutionPolicy"),
        });
    }
    if let Some(hive) = software
        && let Some(value) = text(hive.value(SHELL_KEY, "ExecutionPolicy"))
    {
        scopes.push(PolicyScope {
            scope: "LocalMachine".into(),
            value,
            origin: format!(r"HKLM\SOFTWARE\{SHELL_KEY}\ExecutionPolicy"),
        });
    }
    // `Undefined` in a scope passes to the next.
    let decided = scopes
        .iter()
        .find(|s| !s.value.eq_ignore_ascii_case("Undefined"))
        .cloned();
    match decided {
        Some(scope) => ExecutionPolicy {
            effective: scope.value.clone(),
            effective_scope: scope.scope.clone(),
            effective_origin: Some(scope.origin.clone()),
            scopes,
        },
        None => ExecutionPolicy {
            // Windows clients' default.
            effective: "Restricted".into(),
            effective_scope: "default".into(),
            effective_origin: None,
            scopes,
        },
    }
}

/// Group Policy's "Turn on Script Execution": `EnableScripts` 0 is Restricted, 1 lets
/// `ExecutionPolicy` say which.
fn group_policy(hive: &mut Hive, key: &str, shown: &str, scope: &str) -> Option<PolicyScope> {
    let values = hive.values(key)?;
    let get = |name: &str| {
        values
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, d)| d.clone())
    };
    let origin = |name: &str| format!(r"{shown}\{POLICY_KEY}\{name}");
    match get("EnableScripts").and_then(|d| d.number()) {
        Some(0) => Some(PolicyScope {
            scope: scope.into(),
            value: "Restricted".into(),
            origin: origin("EnableScripts"),
        }),
        _ => Some(PolicyScope {
            scope: scope.into(),
            value: text(get("ExecutionPolicy"))?,
            origin: origin("ExecutionPolicy"),
        }),
    }
}

fn text(data: Option<RegData>) -> Option<String> {
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
