# METADATA
# title: "`go env` fails"
# description: |
#   `envgate doctor --probe` runs `go env GOROOT GOPATH GOCACHE`. It fails when a setting
#   the go command validates is malformed (a relative GOPATH, `~` in GOPATH, an invalid
#   GOFLAGS entry, an unreadable `go env -w` file), so every go command and gopls fail
#   the same way. Live only.
# related_resources:
#   - ref: https://go.dev/doc/install
# custom:
#   id: GO052
#   severity: error
#   since: 1.0.0
#   category: Toolchain
#   live_only: true
#   remediation: |
#     See the error: {{ vars.go }} env
#     Fix or remove the setting it names (envgate doctor -v shows where each Go setting
#     comes from); `go env -u NAME` removes a setting written with `go env -w`.
package envgate.go.go052_go_env_fails

import data.envgate.go.probe_lib
import rego.v1

deny contains finding if {
	s := probe_lib.failed("env")
	finding := {
		"msg": sprintf("%s failed (%s), so every go command will fail the same way. It printed: %s", [s.command, probe_lib.outcome(s), probe_lib.printed(s)]),
		"subject": "probe.steps",
		"vars": {"command": s.command, "outcome": probe_lib.outcome(s), "output": probe_lib.printed(s), "go": object.get(input.path.resolved, ["go", "path"], "go")},
	}
}
