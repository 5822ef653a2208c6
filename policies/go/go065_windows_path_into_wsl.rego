# METADATA
# title: Windows Path entry points into a WSL distribution (Windows)
# description: |
#   A Windows Path entry under `\\wsl$\…` or `\\wsl.localhost\…` (added to reach a
#   Linux tool from Windows) makes every command lookup in every Windows terminal and
#   editor go through WSL's 9P file share: slow, starting the WSL VM, and failing when
#   it is stopped. The Linux programs there cannot run on Windows anyway: a Linux `go`
#   found through it is an ELF file Windows cannot execute, and Windows tools may pick
#   up Linux `gopls` or `dlv` of the same name.
#   Decision: one finding per such entry, at the registry value that holds it
#   (machine or user Path). The reverse leak, the Windows Path appended inside WSL, is
#   GO012, judged on the WSL distribution's own disk.
# related_resources:
#   - ref: https://learn.microsoft.com/windows/wsl/filesystems
# custom:
#   id: GO065
#   severity: warning
#   since: 1.2.0
#   category: Shell & PATH
#   systems: [windows]
#   remediation: |
#     Remove the entry from the {{ vars.scope }} Path (PowerShell{% if vars.scope == "machine" %}, elevated{% endif %}):
#       [Environment]::SetEnvironmentVariable('Path', (([Environment]::GetEnvironmentVariable('Path', '{{ vars.target }}') -split ';') | Where-Object { $_ -ne '{{ vars.raw }}' }) -join ';', '{{ vars.target }}')
#     and run Linux tools inside WSL (`wsl go …`), Windows builds with a Windows Go.
package envgate.go.go065_windows_path_into_wsl

import rego.v1

deny contains finding if {
	input.host.os == "windows"
	some e in object.get(input, ["windows", "path"], [])
	e.wsl
	finding := {
		"msg": sprintf("the %s Path holds %s, a directory inside WSL: every command lookup in Windows goes through WSL's file share", [e.scope, e.dir]),
		"subject": sprintf("windows.path[%d]", [e.index]),
		"location": {"file": e.origin, "line": null},
		"vars": {"dir": e.dir, "raw": e.raw, "scope": e.scope, "target": target(e.scope)},
	}
}

target("machine") := "Machine"

target("user") := "User"
