# METADATA
# title: toolchain line older than the go line
# description: |
#   The `toolchain` line names the Go a module prefers to be built with and the `go`
#   line the oldest it can be built with. A toolchain older than the go line is never
#   used (the go command takes the go line's release instead, and `go mod tidy` drops
#   the line), so whoever wrote it expected a Go the build does not get. Decision: a
#   warning for a go.mod or go.work whose `toolchain` names an older release than its
#   `go` line.
# related_resources:
#   - ref: https://go.dev/doc/toolchain
#     description: Go toolchains
# custom:
#   id: REPO051
#   severity: warning
#   since: 1.0.0
#   reads: [go.mod, go.work]
#   per_file: true
#   category: Modules
#   remediation: |
#     In {{ vars.file }}, raise the toolchain line to at least the go line (go get toolchain@go{{ vars.go }}), or drop it (go mod edit -toolchain=none).
package envgate.repo.repo051_gomod_toolchain_older_than_go

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in array.concat(lib.docs("go.mod"), lib.docs("go.work"))
	places := lib.list(lib.facts(doc).go_versions)
	some go in places
	go.role == "go"
	some toolchain in places
	toolchain.role == "toolchain"
	lib.older(toolchain, go)
	finding := {
		"msg": sprintf("the toolchain line (go%s) is older than the go line (go %s), so it is never used", [toolchain.version, go.version]),
		"location": lib.at(doc, toolchain.line),
		"vars": {"file": doc.path, "go": go.version, "toolchain": toolchain.version},
	}
}
