# METADATA
# title: GOPATH has several entries
# description: |
#   GOPATH may list several directories, a GOPATH-mode habit. In module mode only the
#   first one is used for anything that writes: `go install` puts programs in its `bin`,
#   the module cache lives in its `pkg/mod`. Tools and scripts that take `$(go env
#   GOPATH)/bin` as one directory get a colon-separated list and break, and PATH edits
#   made for the other entries' `bin` directories point at nothing new.
#   Decision: counts the non-empty entries of the effective GOPATH split the way cmd/go
#   splits it (`:`; `;` on Windows). Empty entries are ignored, as cmd/go ignores them.
# related_resources:
#   - ref: https://go.dev/wiki/GOPATH
#   - ref: https://pkg.go.dev/cmd/go#hdr-GOPATH_environment_variable
# custom:
#   id: GO024
#   severity: info
#   since: 1.0.0
#   autofix: safe
#   category: GOPATH
#   remediation: |
#     With modules one GOPATH is enough; keep the first entry:
#       {{ vars.fix }}
#     and move anything you still need from {{ vars.others | join(sep=", ") }}.
package envgate.go.go024_multiple_gopath_entries

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1

entries := [e.raw | some e in object.get(input, ["go_settings", "gopath"], []); e.raw != ""]

deny contains finding if {
	count(entries) > 1
	v := input.go.env.GOPATH
	first := entries[0]
	finding := {
		"msg": sprintf("GOPATH has %d entries (%s), set %s: `go install` writes to %s/bin and the module cache lives in %s/pkg/mod; the other entries only matter in GOPATH mode", [count(entries), concat(", ", entries), lib.origin(v), first, first]),
		"subject": "go.env.GOPATH",
		"vars": {
			"entries": entries,
			"others": array.slice(entries, 1, count(entries)),
			"fix": lib.set_hint("GOPATH", first),
		},
		"fix": fix_lib.set_in_place("GOPATH", first, module_mode),
	}
}

# In module mode (GO111MODULE unset or on) only the first entry is used, so keeping it
# alone changes nothing; with GO111MODULE=off or auto, GOPATH-mode builds would lose
# the others: unsafe.
module_mode := true if lib.setting("GO111MODULE") in {"", "on"} else := false
