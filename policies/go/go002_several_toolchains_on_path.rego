# METADATA
# title: Several different Go toolchains on PATH
# description: |
#   Finds every Go installation that some PATH entry reaches. Only the first one runs
#   when you type `go`; the others are shadowed, yet their tools (gofmt, or the go that an
#   editor or script finds through another route) may still be used, and "I installed
#   Go 1.22 but `go version` says 1.19" is the classic symptom.
#   Decision: toolchains are compared by their real GOROOT, so two PATH entries that reach
#   the same install (/usr/bin/go and /usr/lib/go/bin/go on Debian) count once, and
#   version-manager shims are left out (they dispatch to another toolchain). The winner is
#   the non-shim toolchain with the earliest PATH entry; each later one is reported once,
#   at the PATH entry that reaches it, whatever its version.
# related_resources:
#   - ref: https://go.dev/doc/manage-install
# custom:
#   id: GO002
#   severity: warning
#   since: 0.1.0
#   category: Toolchain
#   remediation: |
#     {% if host.os == "windows" %}Uninstall the toolchain you no longer use ({{ vars.goroot }}: Settings > Apps for an MSI install, `winget uninstall GoLang.Go`, `scoop uninstall go`, or delete the directory)
#     and delete {{ vars.dir }} from the Path where it is added{% if finding.file %} ({{ finding.file }}){% endif %} (PowerShell; Machine instead of User for the machine Path, elevated):
#       [Environment]::SetEnvironmentVariable('Path', (([Environment]::GetEnvironmentVariable('Path', 'User') -split ';') | Where-Object { $_ -ne '{{ vars.dir }}' }) -join ';', 'User')
#     then open a new terminal.{% else %}Uninstall the toolchain you no longer use ({{ vars.goroot }}: remove its package, or `sudo rm -rf {{ vars.goroot }}` for a tarball install)
#     and delete {{ vars.dir }} from PATH where it is added{% if finding.file %} ({{ finding.file }}){% endif %}.
#     To keep both and use {{ vars.version }} instead, put its directory first in {{ vars.profile }}:
#       echo 'export PATH="{{ vars.dir }}:$PATH"' >> {{ vars.profile }}{% endif %}
package envgate.go.go002_several_toolchains_on_path

import data.envgate.go.lib
import rego.v1

on_path contains t if {
	some t in input.go.toolchains
	not t.shim
	is_number(t.path_index)
}

winner := w if {
	count(on_path) >= 2
	first := min({t.path_index | some t in on_path})
	some w in on_path
	w.path_index == first
}

version_of(t) := t.version if is_string(t.version)

version_of(t) := "an unknown version" if not is_string(t.version)

deny contains finding if {
	some t in on_path
	t.path_index != winner.path_index
	entry := input.path.entries[t.path_index].raw
	winner_entry := input.path.entries[winner.path_index].raw
	finding := {
		"msg": sprintf(
			"PATH entry %d (%s) reaches Go %s at %s, which is shadowed by Go %s at %s from PATH entry %d (%s)",
			[t.path_index, entry, version_of(t), t.goroot, version_of(winner), winner.goroot, winner.path_index, winner_entry],
		),
		"subject": sprintf("path.entries[%d]", [t.path_index]),
		"vars": {
			"goroot": t.goroot,
			"version": version_of(t),
			"dir": entry,
			"winner_goroot": winner.goroot,
			"winner_version": version_of(winner),
			"winner_dir": winner_entry,
			"profile": lib.login_profile,
		},
	}
}
