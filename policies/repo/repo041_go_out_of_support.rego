# METADATA
# title: Container or CI uses a Go release out of support
# description: |
#   The Go team fixes security issues in the two newest releases only. A Dockerfile,
#   CI job or devcontainer that builds with an older one ships, tests or develops with
#   a Go whose known vulnerabilities (in the standard library's net/http, crypto/tls,
#   html/template…) stay open. Decision: a warning for each Go version a container,
#   CI or devcontainer names whose release is older than the oldest supported one.
#   The list of supported releases is the go pack's (`supported_go`, the same that
#   GO008 judges the machine's toolchain with), read when envgate was built.
# related_resources:
#   - ref: https://go.dev/doc/devel/release#policy
#     description: Go release policy
#   - ref: https://pkg.go.dev/golang.org/x/vuln/cmd/govulncheck
#     description: govulncheck
# custom:
#   id: REPO041
#   severity: warning
#   since: 1.0.0
#   reads: [dockerfile, github-workflow, gitlab-ci, devcontainer]
#   per_file: true
#   category: Drift
#   remediation: |
#     In {{ vars.file }} line {{ vars.line }}, move from Go {{ vars.version }} to a supported release ({{ vars.newest }}), and raise go.mod's go line if the module should require it.
package envgate.repo.repo041_go_out_of_support

import data.envgate.repo.lib
import rego.v1

supported := [s | some v in lib.list(object.get(data.pack_data, ["repo", "supported_go"], [])); s := release(v)]

release(v) := {"major": to_number(parts[0]), "minor": to_number(parts[1]), "patch": -1, "version": v} if {
	parts := split(v, ".")
}

oldest := o if {
	some o in supported
	not older_supported(o)
}

older_supported(o) if {
	some other in supported
	lib.older(other, o)
}

deny contains finding if {
	some doc in input.files
	some place in lib.list(lib.facts(doc).go_versions)
	place.role in {"ci", "container", "devcontainer"}
	lib.older(place, oldest)
	finding := {
		"msg": sprintf("%s builds with Go %s, which no longer gets security fixes (supported: %s, as of %s)", [
			doc.path, place.version, concat(" and ", [s.version | some s in supported]),
			object.get(data.pack_data, ["repo", "supported_go_as_of"], "the pack's release"),
		]),
		"location": lib.at(doc, place.line),
		"vars": {"file": doc.path, "line": place.line, "version": place.version, "newest": newest},
	}
}

newest := n.version if {
	some n in supported
	not newer_supported(n)
}

newer_supported(n) if {
	some other in supported
	lib.older(n, other)
}
