//! What a Windows volume's registry and disk say beyond the environment: the control
//! set read, the registry's Path entries with their keys, PowerShell's execution
//! policy, long-path support and UAC's VirtualStore copies of Go's files. Present only
//! for a Windows snapshot.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::WslSetting;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct WindowsFacts {
    /// The control set `HKLM\SYSTEM\Select\Current` names (`ControlSet001`), which
    /// `CurrentControlSet` is at run time.
    pub control_set: Option<String>,
    /// Every hive read or looked for, with why one could not be read.
    pub hives: Vec<HiveRead>,
    /// The registry's environment variables, machine then user, as written.
    pub variables: Vec<RegistryVar>,
    /// The Path a new session gets, entry by entry: the machine Path's, then the
    /// user's, each with the key it comes from.
    pub path: Vec<RegistryPathEntry>,
    /// PowerShell's execution policy in each scope that sets one, and the one that
    /// applies (Windows PowerShell 5.1's precedence: machine policy, user policy,
    /// current user, local machine, else `Restricted` on Windows clients).
    pub execution_policy: ExecutionPolicy,
    /// `HKLM\SYSTEM\CurrentControlSet\Control\FileSystem\LongPathsEnabled`; absent
    /// when the value is not set (Windows' default: disabled).
    pub long_paths: Option<RegistrySetting>,
    /// Files under `%LOCALAPPDATA%\VirtualStore` in place of Go's install directories
    /// (UAC's redirection of a non-elevated program's writes under Program Files).
    pub virtual_store: Vec<VirtualStoreFile>,
    /// `HKCU\Software\GoProgrammingLanguage`, which Go's MSI installer writes
    /// (`installLocation`); absent when the key is not there.
    pub msi_install_location: Option<RegistrySetting>,
    /// PowerShell 7 (pwsh), which reads its execution policy in its own places;
    /// absent when `C:\Program Files\PowerShell\7\pwsh.exe` is not on the volume.
    #[serde(default)]
    pub powershell7: Option<PowerShell7>,
    /// Microsoft Defender Antivirus as the SOFTWARE hive configures it; absent when
    /// the hive has no `Microsoft\Windows Defender` key (or could not be read): then
    /// nothing is known of it and the rules about it are not judged.
    #[serde(default)]
    pub defender: Option<Defender>,
    /// The user's WSL distributions (`HKCU\…\Lxss`), each with its `/etc/wsl.conf`
    /// read from its own disk.
    #[serde(default)]
    pub wsl: Vec<WslDistribution>,
}

/// A WSL distribution registered for the user, as read from its disk.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct WslDistribution {
    /// `DistributionName` (`Ubuntu`), else the key's GUID.
    pub name: String,
    /// `HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss\{GUID}`.
    pub origin: String,
    /// `Version`: 2 (a VHDX disk) or 1 (a directory of the volume).
    pub version: Option<u64>,
    /// The distribution's disk (`…\LocalState\ext4.vhdx`) or, for WSL 1, its `rootfs`.
    pub disk: String,
    /// `read`, `missing` (registered, but no disk there), or `unreadable: why`.
    pub state: String,
    /// `/etc/wsl.conf` inside the distribution.
    pub conf_exists: bool,
    pub interop_line: Option<usize>,
    /// `[interop] appendWindowsPath` as written (absent: WSL's default, true).
    pub append_windows_path: Option<WslSetting>,
    /// `[interop] enabled` as written (absent: true).
    pub interop_enabled: Option<WslSetting>,
    /// Linux Go programs inside it (`/usr/local/go/bin/go`, `/usr/bin/go`, …).
    pub linux_go: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct HiveRead {
    /// `HKLM\SYSTEM`, `HKLM\SOFTWARE` or `HKCU` (the user's NTUSER.DAT).
    pub hive: String,
    pub file: String,
    pub read: bool,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct RegistryVar {
    /// `machine` or `user`.
    pub scope: String,
    /// `registry key\value name`, e.g. `HKCU\Environment\GOPATH`.
    pub origin: String,
    pub name: String,
    /// As written (secrets redacted).
    pub value: String,
    /// `REG_SZ` or `REG_EXPAND_SZ` (whose `%NAME%` references are expanded).
    pub kind: String,
    /// After expansion; references to variables the session does not have are kept
    /// as written (`%NOPE%`), as Windows keeps them.
    pub expanded: String,
    /// The names referenced that could not be expanded.
    pub unresolved: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct RegistryPathEntry {
    /// Position in the session's Path.
    pub index: usize,
    /// The directory after expansion.
    pub dir: String,
    /// As written in the registry.
    pub raw: String,
    /// `machine` or `user`.
    pub scope: String,
    /// `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment\Path` or
    /// `HKCU\Environment\Path`.
    pub origin: String,
    /// References that could not be expanded.
    pub unresolved: Vec<String>,
    /// On the audited volume (drive C:); `false` for another drive or a share.
    pub on_volume: bool,
    /// A WSL share (`\\wsl$\…`, `\\wsl.localhost\…`).
    pub wsl: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ExecutionPolicy {
    /// Each scope that sets a policy, in precedence order.
    pub scopes: Vec<PolicyScope>,
    /// The policy that applies to Windows PowerShell, and where it comes from.
    pub effective: String,
    /// The scope that decided it (`default` when none sets one).
    pub effective_scope: String,
    pub effective_origin: Option<String>,
    /// The line of the deciding setting when its origin is a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_line: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct PolicyScope {
    /// `MachinePolicy`, `UserPolicy`, `CurrentUser` or `LocalMachine`, as
    /// `Get-ExecutionPolicy -List` names them.
    pub scope: String,
    pub value: String,
    /// `registry key\value name`, or the powershell.config.json file that sets it.
    pub origin: String,
    /// The line of the setting when `origin` is a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct RegistrySetting {
    pub value: String,
    pub origin: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct VirtualStoreFile {
    /// The redirected copy, e.g.
    /// `C:\Users\dev\AppData\Local\VirtualStore\Program Files\Go\bin\gopls.exe`.
    pub path: String,
    /// Where the program meant to write it, e.g. `C:\Program Files\Go\bin\gopls.exe`.
    pub intended: String,
    /// Whether the install directory has a file there too (the copy hides it from
    /// programs that UAC redirects, and not from the others).
    pub intended_exists: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct PowerShell7 {
    /// `C:\Program Files\PowerShell\7\pwsh.exe`.
    pub program: String,
    /// Its execution policy in pwsh's precedence: Group Policy under
    /// `Policies\Microsoft\PowerShellCore` (machine, then user), then the user's
    /// `Documents\PowerShell\powershell.config.json` (CurrentUser), then
    /// `$PSHOME\powershell.config.json` (LocalMachine); none set: `Restricted`.
    pub execution_policy: ExecutionPolicy,
    /// powershell.config.json files that exist and could not be read or parsed (pwsh
    /// then cannot start an interactive session), each with why.
    pub unreadable: Vec<UnreadableConfig>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct UnreadableConfig {
    pub file: String,
    pub line: Option<usize>,
    pub error: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Defender {
    /// Whether real-time protection is on: the Group Policy value
    /// (`HKLM\SOFTWARE\Policies\Microsoft\Windows Defender\Real-Time Protection\DisableRealtimeMonitoring`)
    /// wins over the local one (`HKLM\SOFTWARE\Microsoft\Windows Defender\Real-Time Protection\…`);
    /// neither set: on, Windows' default.
    pub realtime_protection: bool,
    /// The value that decides it; absent for the default.
    pub realtime_origin: Option<String>,
    /// `DisableLocalAdminMerge` = 1 under the Defender policy key: exclusions set on
    /// the machine (Add-MpPreference) are ignored, only Group Policy's apply.
    pub local_exclusions_ignored: Option<String>,
    /// Every path exclusion, local then policy, sorted by origin.
    pub exclusions: Vec<DefenderExclusion>,
    /// The user's Go directories that real-time protection scans as they are written,
    /// each with the exclusion that covers it, if one does.
    pub go_dirs: Vec<DefenderGoDir>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct DefenderExclusion {
    /// As written (the value's name).
    pub path: String,
    /// `registry key\value name`.
    pub origin: String,
    /// Expanded as Defender expands it: with the SYSTEM account's environment (the
    /// machine's variables; `%USERPROFILE%` is
    /// `C:\Windows\system32\config\systemprofile`), not the user's.
    pub expanded: String,
    /// Expanded with the user's environment, when that differs: what the writer most
    /// likely meant.
    pub user_expanded: Option<String>,
    /// Whether it applies (false: a local exclusion under `DisableLocalAdminMerge`).
    pub applies: bool,
    /// Has `*` or `?`: not matched against the Go directories.
    pub wildcard: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct DefenderGoDir {
    /// `GOCACHE`, `GOMODCACHE` or `GOBIN` (GOBIN, else the first GOPATH's `bin`).
    pub name: String,
    pub dir: String,
    /// The origin of the exclusion that covers it (the directory or a parent),
    /// case-insensitively; absent when none does.
    pub excluded_by: Option<String>,
    /// An exclusion that would cover it with the user's environment but does not
    /// with the SYSTEM account's (written with `%USERPROFILE%`, `%LOCALAPPDATA%`…).
    pub user_variable_exclusion: Option<String>,
}
