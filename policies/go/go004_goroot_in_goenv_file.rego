# METADATA
# title: GOROOT written to the `go env -w` file
# description: |
#   Looks for a GOROOT line in the file `go env -w` writes ($GOENV, by default
#   ~/.config/go/env). cmd/go reads that file on every run, so the line pins every go
#   command to that directory, including after Go is upgraded or moved. When the directory
#   is wrong every command fails with "go: cannot find GOROOT directory", and so does
#   `go env -u GOROOT`, the command meant to undo it (verified on go1.19.8): the line has
#   to be deleted by hand.
#   Decision: every GOROOT line in the file is reported, even one that cmd/go currently
#   ignores because the environment sets GOROOT too, and even one that points at the
#   right directory: it breaks at the next upgrade. Whether it also disagrees with the `go`
#   on PATH is GO003's finding.
# related_resources:
#   - ref: https://pkg.go.dev/cmd/go#hdr-Print_Go_environment_information
# custom:
#   id: GO004
#   severity: error
#   since: 0.1.0
#   autofix: safe
#   category: Toolchain
#   remediation: |
#     Delete the line by hand (`go env -u GOROOT` fails when GOROOT is broken):
#       sed -i '/^\s*GOROOT=/d' {{ vars.file }}
#     The go command then finds its own root again.
package envgate.go.go004_goroot_in_goenv_file

import data.envgate.go.fix_lib
import rego.v1

deny contains finding if {
	file := input.go.goenv_file
	some i, entry in file.entries
	entry.name == "GOROOT"
	finding := {
		"msg": sprintf("%s:%d sets GOROOT=%s with `go env -w`, pinning every go command to that directory; `go env -u GOROOT` cannot remove it once it is wrong", [file.path, entry.line, entry.value]),
		"subject": sprintf("go.goenv_file.entries[%d]", [i]),
		"location": {"file": file.path, "line": entry.line},
		"vars": {"file": file.path, "line": entry.line, "goroot": entry.value},
		# Safe when the line names the root the go on PATH has anyway (nothing changes
		# until the next upgrade, which it would break); else unsafe: the go command then
		# uses its own root, another toolchain's library.
		"fix": [object.union(fix_lib.go_env_unset("GOROOT"), {"safe": own_root(entry.value)})],
	}
}

own_root(value) := true if {
	active := input.go.toolchains[input.go.active]
	not active.shim
	g := input.go.goroot
	g.value == value
	is_string(g.realpath)
	g.realpath == active.goroot
} else := false
