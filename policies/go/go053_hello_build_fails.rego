# METADATA
# title: A hello-world module does not build
# description: |
#   `envgate doctor --probe` creates a module in a temp dir (`go mod init`) and builds a
#   hello-world program with CGO_ENABLED=0, offline (GOPROXY=off) and with GOTOOLCHAIN=local.
#   When that fails, the toolchain itself is broken (a mixed-version GOROOT, a missing
#   standard library, an unwritable GOCACHE or temp dir, a noexec /tmp) or a global
#   setting breaks every build (GOFLAGS=-mod=vendor, -toolexec). Decision: `go mod init`
#   failures are reported here too, as the first half of the same build. Live only.
# related_resources:
#   - ref: https://go.dev/doc/install
# custom:
#   id: GO053
#   severity: error
#   since: 1.0.0
#   category: Toolchain
#   live_only: true
#   remediation: |
#     Reproduce it: cd "$(mktemp -d)" && {{ vars.go }} mod init hello && printf 'package main\nfunc main(){}\n' > main.go && CGO_ENABLED=0 {{ vars.go }} build .
#     The error names the cause; `envgate doctor -v` shows GOFLAGS, GOCACHE and GOTMPDIR
#     and where they are set. A GOROOT mixing two versions needs a clean reinstall.
package envgate.go.go053_hello_build_fails

import data.envgate.go.probe_lib
import rego.v1

deny contains finding if {
	some name in ["mod-init", "build"]
	s := probe_lib.failed(name)
	finding := {
		"msg": sprintf("%s failed (%s): a hello-world module cannot be set up and built even without cgo. It printed: %s", [s.command, probe_lib.outcome(s), probe_lib.printed(s)]),
		"subject": "probe.steps",
		"vars": {"command": s.command, "outcome": probe_lib.outcome(s), "output": probe_lib.printed(s), "go": object.get(input.path.resolved, ["go", "path"], "go")},
	}
}
