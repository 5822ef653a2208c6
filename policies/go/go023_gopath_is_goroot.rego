# METADATA
# title: GOPATH equals GOROOT, or GOROOT is inside GOPATH
# description: |
#   GOPATH is where the go command keeps your things (downloaded modules, `go install`ed
#   programs, the build cache's neighbours); GOROOT is the Go installation. When a GOPATH
#   entry is the installation itself the go command warns `warning: GOPATH set to GOROOT
#   (…) has no effect` — from Go 1.22 on every command, which breaks editors and tools
#   that parse go's output — and module downloads and `go install` write into the
#   installation. When GOROOT sits inside a GOPATH entry, `go install` puts programs in
#   the installation's parent and the module cache grows next to the toolchain.
#   Decision: compares each GOPATH entry with GOROOT after resolving symlinks (an entry
#   or GOROOT that does not exist is compared as written, without a trailing slash).
#   cmd/go itself leaves the default GOPATH ($HOME/go) empty when it is GOROOT, so only
#   a GOPATH someone set can match. One finding per matching entry.
# related_resources:
#   - ref: https://github.com/golang/go/issues/65656
#   - ref: https://github.com/golang/go/issues/47889
#   - ref: https://github.com/golang/vscode-go/issues/1032
# custom:
#   id: GO023
#   severity: warning
#   since: 1.0.0
#   autofix: unsafe
#   category: GOPATH
#   remediation: |
#     Keep your workspace apart from the Go installation ({{ vars.goroot }}); the default is {{ vars.suggested }}:
#       {{ vars.fix }}
package envgate.go.go023_gopath_is_goroot

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1

# A path as compared: its realpath when known, else as written.
resolved(raw, realpath) := trim_right(realpath, "/") if is_string(realpath) else := trim_right(raw, "/")

goroot := resolved(g.value, object.get(g, "realpath", null)) if {
	g := input.go.goroot
	is_object(g)
}

relation(entry) := "equal" if entry == goroot

relation(entry) := "contains" if {
	entry != goroot
	startswith(goroot, sprintf("%s/", [entry]))
}

message("equal", e, v) := sprintf("GOPATH entry %d (%s, set %s) is GOROOT, the Go installation at %s: the go command warns `warning: GOPATH set to GOROOT (%s) has no effect` and puts downloaded modules and installed programs inside the installation", [e.index, e.raw, lib.origin(v), input.go.goroot.value, e.raw])

message("contains", e, v) := sprintf("GOPATH entry %d (%s, set %s) contains GOROOT, the Go installation at %s: `go install` writes programs to %s/bin and the module cache grows in %s/pkg/mod, beside the toolchain", [e.index, e.raw, lib.origin(v), input.go.goroot.value, e.raw, e.raw])

suggested := sprintf("%s/go", [lib.home])

deny contains finding if {
	is_object(input.go.goroot)
	v := input.go.env.GOPATH
	some e in object.get(input, ["go_settings", "gopath"], [])
	e.raw != ""
	r := relation(resolved(e.raw, object.get(e, "realpath", null)))
	finding := {
		"msg": message(r, e, v),
		"subject": "go.env.GOPATH",
		"vars": {
			"entry": e.raw,
			"goroot": input.go.goroot.value,
			"relation": r,
			"suggested": suggested,
			"fix": lib.set_hint("GOPATH", suggested),
		},
		# Unsafe: the module cache and the `go install` directory move.
		"fix": fix_lib.set_in_place("GOPATH", suggested, false),
	}
}
