# METADATA
# title: go line names a pre-release
# description: |
#   `go 1.23rc1` (or `beta`) in a go.mod or go.work requires a release candidate: every
#   stable toolchain of that release accepts it, but a toolchain switch downloads the
#   candidate itself, and the line keeps asking for a pre-release long after the
#   release is out. Candidates are for trying a release, not for a committed minimum.
#   Decision: a warning for a go line with an `rc` or `beta` suffix.
# related_resources:
#   - ref: https://go.dev/doc/toolchain#version
#     description: Go toolchains, Go versions
# custom:
#   id: REPO054
#   severity: warning
#   since: 1.0.0
#   reads: [go.mod, go.work]
#   per_file: true
#   category: Modules
#   remediation: |
#     In {{ vars.file }}, require the release instead of its candidate: go mod edit -go={{ vars.release }}.0
package envgate.repo.repo054_prerelease_go_line

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in array.concat(lib.docs("go.mod"), lib.docs("go.work"))
	some go in lib.list(lib.facts(doc).go_versions)
	go.role == "go"
	go.prerelease != ""
	release := sprintf("%d.%d", [go.major, go.minor])
	finding := {
		"msg": sprintf("go %s requires a pre-release of Go %s", [go.version, release]),
		"location": lib.at(doc, go.line),
		"vars": {"file": doc.path, "release": release},
	}
}
