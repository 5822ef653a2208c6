# METADATA
# title: cgo builds fail although a C compiler is present
# description: |
#   `envgate doctor --probe` builds the same hello-world module again with CGO_ENABLED=1
#   and a tiny C function, when a C compiler (CC) is found. When only this build fails,
#   the C toolchain is incomplete: missing libc headers (`stdlib.h: No such file`), a
#   CC that is not a working compiler, or CGO_CFLAGS/CGO_LDFLAGS that break every cgo
#   build. Live only; skipped when the cgo-off build already failed.
# related_resources:
#   - ref: https://go.dev/doc/install
# custom:
#   id: GO054
#   severity: error
#   since: 1.0.0
#   category: cgo
#   live_only: true
#   remediation: |
#     Install the C toolchain's headers and linker: sudo apt-get install build-essential
#     (Fedora: sudo dnf install gcc glibc-devel; macOS: xcode-select --install),
#     or build without cgo: export CGO_ENABLED=0
package envgate.go.go054_cgo_build_fails

import data.envgate.go.probe_lib
import rego.v1

deny contains finding if {
	s := probe_lib.failed("build-cgo")
	finding := {
		"msg": sprintf("%s with CGO_ENABLED=1 failed (%s) while the same module builds without cgo. It printed: %s", [s.command, probe_lib.outcome(s), probe_lib.printed(s)]),
		"subject": "probe.steps",
		"vars": {"command": s.command, "outcome": probe_lib.outcome(s), "output": probe_lib.printed(s), "go": object.get(input.path.resolved, ["go", "path"], "go")},
	}
}
