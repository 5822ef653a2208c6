# METADATA
# title: Long paths are disabled (Windows)
# description: |
#   Without `LongPathsEnabled` = 1 (`HKLM\SYSTEM\CurrentControlSet\Control\FileSystem`),
#   programs that are not long-path aware cannot open paths longer than 260 characters.
#   The go command itself handles long paths, but the module cache nests
#   `%USERPROFILE%\go\pkg\mod\<module path>@<version>\<package path>\<file>` deep, and
#   git (fetching modules directly, `GOPROXY=direct` or private modules), cgo's C
#   compiler and many editors' tools then fail with "Filename too long" or a path not
#   found that is there.
#   Decision: reports when the value is 0 or not set (Windows' default); at info
#   severity, since builds whose paths stay short are not affected.
# related_resources:
#   - ref: https://learn.microsoft.com/windows/win32/fileio/maximum-file-path-limitation
# custom:
#   id: GO064
#   severity: info
#   since: 1.2.0
#   category: Toolchain
#   systems: [windows]
#   remediation: |
#     Enable long paths (elevated PowerShell), then sign out and in:
#       New-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\FileSystem' -Name LongPathsEnabled -Value 1 -PropertyType DWORD -Force
#     and let git use them too:
#       git config --global core.longpaths true
package envgate.go.go064_windows_long_paths_disabled

import rego.v1

setting := object.get(input, ["windows", "long_paths"], null)

key := `HKLM\SYSTEM\CurrentControlSet\Control\FileSystem\LongPathsEnabled`

deny contains finding if {
	input.host.os == "windows"
	is_object(input.windows)
	not enabled
	finding := {
		"msg": sprintf("long paths are disabled (%s), so git and C tools fail on module cache paths longer than 260 characters", [state]),
		"subject": "windows.long_paths",
		"location": {"file": key, "line": null},
		"vars": {},
	}
}

enabled if setting.value == "1"

state := sprintf("LongPathsEnabled = %s", [setting.value]) if is_object(setting) else := "LongPathsEnabled is not set"
