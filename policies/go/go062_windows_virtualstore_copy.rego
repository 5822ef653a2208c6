# METADATA
# title: UAC redirected writes under Go's install directory to the VirtualStore (Windows)
# description: |
#   A program without elevation that writes under `C:\Program Files` (an old installer,
#   a 32-bit tool, `go install` with GOBIN pointing at `C:\Program Files\Go\bin`) does
#   not fail when UAC virtualization applies: its files land in
#   `%LOCALAPPDATA%\VirtualStore\Program Files\…` instead. Programs that UAC
#   virtualizes see those copies; every other program (the go command, VS Code,
#   PowerShell) sees the real directory, so a tool "installed" there seems to vanish,
#   or an old copy shadows an updated file for some programs only.
#   Decision: reports the VirtualStore directory once when it holds any file for
#   `Program Files\Go` or `Program Files (x86)\Go`, naming up to five of them and
#   whether the install directory has the same file (then the copy is stale for
#   virtualized programs).
# related_resources:
#   - ref: https://learn.microsoft.com/windows/security/application-security/application-control/user-account-control/how-it-works#virtualization
# custom:
#   id: GO062
#   severity: warning
#   since: 1.2.0
#   category: Toolchain
#   systems: [windows]
#   remediation: |
#     Remove the redirected copies (PowerShell, as the user):
#       Remove-Item -Recurse -Force '{{ vars.store }}'
#     and install Go tools where `go install` puts them for your account (GOBIN unset: %USERPROFILE%\go\bin), never under C:\Program Files:
#       go env -u GOBIN
package envgate.go.go062_windows_virtualstore_copy

import rego.v1

files := object.get(input, ["windows", "virtual_store"], [])

store_root(path) := concat(`\`, array.slice(parts, 0, i + 1)) if {
	parts := split(path, `\`)
	some i, p in parts
	lower(p) == "virtualstore"
}

deny contains finding if {
	input.host.os == "windows"
	count(files) > 0
	stores := sort({store_root(f.path) | some f in files})
	store := stores[0]
	shown := array.slice(sort([f.intended | some f in files]), 0, 5)
	stale := [f.intended | some f in files; f.intended_exists]
	finding := {
		"msg": sprintf("%d file(s) written under Go's install directory were redirected by UAC to %s (%s)%s: programs UAC virtualizes see them, the go command and editors do not", [count(files), store, concat(", ", shown), stale_note(stale)]),
		"subject": "windows.virtual_store",
		"location": {"file": sprintf(`%s\Program Files\Go`, [store]), "line": null},
		"vars": {"store": sprintf(`%s\Program Files\Go`, [store]), "files": shown},
	}
}

stale_note(stale) := "" if count(stale) == 0

stale_note(stale) := sprintf("; %d of them also exist in the install directory, so those programs run a stale copy", [count(stale)]) if count(stale) > 0
