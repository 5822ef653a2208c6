# METADATA
# title: "`go version` fails"
# description: |
#   `envgate doctor --probe` runs `go version` with GOTOOLCHAIN=local. When even that fails,
#   the `go` on PATH cannot start: a broken or foreign-architecture binary, a GOROOT
#   pinned to a missing directory (`go: cannot find GOROOT directory`), or a shim whose
#   version manager is not set up. Live only: nothing is run in an image.
# related_resources:
#   - ref: https://go.dev/doc/install
# custom:
#   id: GO051
#   severity: error
#   since: 1.0.0
#   category: Toolchain
#   live_only: true
#   remediation: |
#     Run it yourself to see the whole error: {{ vars.go }} version
#     If it names GOROOT, unset GOROOT (and delete any GOROOT= line from ~/.config/go/env);
#     otherwise reinstall Go (https://go.dev/doc/install) and check `envgate doctor` again.
package envgate.go.go051_go_version_fails

import data.envgate.go.probe_lib
import rego.v1

deny contains finding if {
	s := probe_lib.failed("version")
	finding := {
		"msg": sprintf("%s failed (%s); the go command cannot even start. It printed: %s", [s.command, probe_lib.outcome(s), probe_lib.printed(s)]),
		"subject": "probe.steps",
		"vars": {"command": s.command, "outcome": probe_lib.outcome(s), "output": probe_lib.printed(s), "go": object.get(input.path.resolved, ["go", "path"], "go")},
	}
}
