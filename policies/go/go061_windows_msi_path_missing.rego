# METADATA
# title: Go's MSI install is not on the registry Path (Windows)
# description: |
#   Go's MSI installer (which Chocolatey's and winget's Go packages run) puts Go in
#   `C:\Program Files\Go` and adds `C:\Program Files\Go\bin` to the machine Path in the
#   registry (`HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment\Path`),
#   where every new session reads it. When that step did not happen (an install run
#   without elevation, rolled back, or a copied directory), `go.exe` sits on disk and
#   no terminal, editor or build script finds it, or finds another Go first.
#   Decision: fires once per Go install at `C:\Program Files\Go` (or the old `C:\Go`)
#   whose `bin\go.exe` exists while neither the machine nor the user Path in the
#   registry holds its `bin` directory (names compared without regard to case, a
#   trailing `\` ignored). The finding points at the machine Path's key, the value the
#   installer writes. GO001 says when no `go` is on PATH at all; this rule says why.
# related_resources:
#   - ref: https://go.dev/doc/install
# custom:
#   id: GO061
#   severity: warning
#   since: 1.2.0
#   category: Toolchain
#   systems: [windows]
#   remediation: |
#     Repair the install so the MSI writes its Path entry again (from an elevated PowerShell):
#       winget install --force GoLang.Go   # or run the go*.windows-{{ host.arch }}.msi from https://go.dev/dl/ and choose Repair
#     or add the directory to the machine Path yourself (elevated PowerShell):
#       [Environment]::SetEnvironmentVariable('Path', [Environment]::GetEnvironmentVariable('Path', 'Machine') + ';{{ vars.dir }}', 'Machine')
#     then open a new terminal (running ones keep their old environment).
package envgate.go.go061_windows_msi_path_missing

import data.envgate.go.lib
import rego.v1

msi_places := {`c:\program files\go`, `c:\go`}

registry_path := object.get(input, ["windows", "path"], [])

on_registry_path(dir) if {
	some e in registry_path
	lib.same_windows_dir(e.dir, dir)
}

deny contains finding if {
	input.host.os == "windows"
	some t in input.go.toolchains
	lower(trim_right(t.goroot, `\`)) in msi_places
	t.layout.bin_go
	dir := sprintf(`%s\bin`, [trim_right(t.goroot, `\`)])
	not on_registry_path(dir)
	version := object.get(t, "version", null)
	finding := {
		"msg": sprintf("Go is installed at %s%s but %s is on neither the machine nor the user Path in the registry: the installer's Path step did not run", [t.goroot, lib.version_suffix(version), dir]),
		"subject": "windows.path",
		"location": {"file": lib.windows_machine_path_key, "line": null},
		"vars": {"dir": dir, "goroot": t.goroot},
	}
}
