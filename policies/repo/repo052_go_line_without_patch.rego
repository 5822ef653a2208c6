# METADATA
# title: go line without a patch release
# description: |
#   Since Go 1.21 the go line names a toolchain release, and a Go 1.21 or later
#   toolchain older than it switches to that release (GOTOOLCHAIN=auto). `go 1.22`
#   names "go1.22", the language version, which was never released as a toolchain:
#   the switch fails with "go: downloading go1.22 … toolchain not available". Only
#   `go 1.22.0` (what `go mod init` and `go get go@1.22` write) can be downloaded.
#   Decision: a warning for a go.mod or go.work whose go line is 1.21 or later and
#   has no patch number.
# related_resources:
#   - ref: https://go.dev/doc/toolchain#version
#     description: Go toolchains, Go versions
#   - ref: https://github.com/golang/go/issues/62278
#     description: golang/go#62278 (go 1.21 in go.mod and toolchain switching)
# custom:
#   id: REPO052
#   severity: warning
#   since: 1.0.0
#   reads: [go.mod, go.work]
#   per_file: true
#   category: Modules
#   remediation: |
#     In {{ vars.file }}, write the go line with its patch release: go mod edit -go={{ vars.version }}.0
package envgate.repo.repo052_go_line_without_patch

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in array.concat(lib.docs("go.mod"), lib.docs("go.work"))
	some go in lib.list(lib.facts(doc).go_versions)
	go.role == "go"
	go.major == 1
	go.minor >= 21
	go.patch == -1
	go.prerelease == ""
	finding := {
		"msg": sprintf("go %s names no toolchain release: Go 1.21 and later toolchains that switch to it look for go%s, which does not exist (write go %s.0)", [go.version, go.version, go.version]),
		"location": lib.at(doc, go.line),
		"vars": {"file": doc.path, "version": go.version},
	}
}
