# METADATA
# title: Go installed as a snap
# description: |
#   The Go snap puts `/snap/bin/go`, a link to snapd's own `/usr/bin/snap`, on PATH and
#   keeps the toolchain in `/snap/go/<revision>`. Editors and tools that look for GOROOT
#   beside the `go` they find, or that read the version of that binary, see snapd
#   instead (its Go version, not the snap's); the VS Code Go extension needs `go.goroot`
#   set by hand, and revisions change under running tools when the snap refreshes.
#   Decision: warns once per snap installation, whether or not `/snap/bin` is on PATH
#   (the snap is installed when `/snap/bin/go`, `/snap/go/current` or a
#   `/var/lib/snapd/snaps/go_*.snap` package exists). The version comes from the
#   mounted snap; in an image the snap is a squashfs file envgate does not open, so the
#   version is reported as unknown, never as snapd's.
# related_resources:
#   - ref: https://github.com/golang/vscode-go/issues/1924
#   - ref: https://github.com/microsoft/vscode-go/issues/2547
#   - ref: https://github.com/golang/go/issues/46865
# custom:
#   id: GO009
#   severity: warning
#   since: 1.0.0
#   category: Toolchain
#   systems: [linux, darwin]
#   remediation: |
#     Prefer the official archive, which has no snap wrapper:
#       sudo snap remove go
#       sudo tar -C /usr/local -xzf go*.{{ host.os }}-{{ host.arch }}.tar.gz   # from https://go.dev/dl/
#       echo 'export PATH="$PATH:/usr/local/go/bin"' >> {{ vars.profile }}
#     To keep the snap, point your editor at its stable root, e.g. in VS Code settings:
#       "go.goroot": "/snap/go/current"
package envgate.go.go009_snap_installed_go

import data.envgate.go.lib
import rego.v1

version_text(t) := sprintf("snap Go %s", [t.version]) if is_string(t.version) else := "snap Go, version unknown offline"

revision(t) := sprintf(", revision %s", [t.snap_install.revision]) if is_string(t.snap_install.revision) else := ""

# The values are looked up in the body, not the head: regorus's interpreter does not go
# on to a function's `else` when a head value is undefined (its VM and OPA do).
reach(t) := text if {
	is_number(t.path_index)
	raw := input.path.entries[t.path_index].raw
	command := t.snap_install.command
	text := sprintf("PATH entry %d (%s) runs it through %s -> /usr/bin/snap", [t.path_index, raw, command])
	is_string(text)  # holds for any defined value (L012)
} else := "not on PATH"

deny contains finding if {
	some i, t in input.go.toolchains
	t.snap
	finding := {
		"msg": sprintf("Go is installed as a snap (%s%s, GOROOT %s; %s): `go` is snapd's launcher, so tools that read its version or look for GOROOT beside it see snapd, and editors need go.goroot set by hand", [
			version_text(t), revision(t), t.goroot, reach(t),
		]),
		"subject": sprintf("go.toolchains[%d]", [i]),
		"vars": {
			"goroot": t.goroot,
			"version": object.get(t, "version", null),
			"profile": lib.login_profile,
		},
	}
}
