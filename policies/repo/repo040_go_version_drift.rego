# METADATA
# title: Go version differs from go.mod
# description: |
#   A repository names its Go release in many places: go.mod's `go` line (the oldest
#   release that may build it) and `toolchain` line (the one it prefers), go.work,
#   the Dockerfile's `FROM golang:…` and `GOTOOLCHAIN`, the CI's `actions/setup-go`
#   `go-version` (each value of its matrix) or GitLab `image:`, the devcontainer's Go
#   feature or image, `.tool-versions`, `.go-version` and mise. When they drift apart,
#   the laptop, the container and CI build with different Go releases. Decision: each
#   place is compared with the go.mod nearest above it (a workflow's and a
#   devcontainer's: the repository's top). Older than the go line is an error: a
#   toolchain before 1.21 refuses the module, a later one downloads the go line's
#   release first (or fails with GOTOOLCHAIN=local), so the place does not build with
#   the Go it names. Newer than the go line but not the `toolchain` line's release is
#   a warning: the module pins one toolchain and this place uses another. A version
#   without a patch number (`1.23`) matches every patch release.
# related_resources:
#   - ref: https://go.dev/doc/toolchain
#     description: Go toolchains (go and toolchain lines, GOTOOLCHAIN)
#   - ref: https://github.com/actions/setup-go#getting-go-version-from-the-gomod-file
#     description: actions/setup-go go-version-file
# custom:
#   id: REPO040
#   severity: error
#   since: 1.0.0
#   reads: [go.mod, go.work, dockerfile, github-workflow, gitlab-ci, tool-versions, go-version, mise, devcontainer]
#   category: Drift
#   remediation: |
#     {% if vars.problem == "older" %}In {{ vars.file }} line {{ vars.line }}, name Go {{ vars.go }} or later instead of {{ vars.version }}{% else %}In {{ vars.file }} line {{ vars.line }}, use the toolchain {{ vars.gomod }} pins ({{ vars.toolchain }}) instead of {{ vars.version }}, or move the toolchain line to the release you mean{% endif %}{% if vars.kind == "github-workflow" %} (or let setup-go read it: go-version-file: go.mod){% endif %}. {{ vars.gomod }} is the one source: `go mod edit -go=<version>` changes the minimum, `go get toolchain@go<version>` the pin.
package envgate.repo.repo040_go_version_drift

import data.envgate.repo.lib
import rego.v1

# Each go.mod's go line and toolchain pin, with the directory it governs.
modules := [m |
	some doc in lib.docs("go.mod")
	f := lib.facts(doc)
	some go in lib.list(f.go_versions)
	go.role == "go"
	m := {"doc": doc, "dir": lib.text(f.dir), "go": go, "toolchains": [t | some t in lib.list(f.go_versions); t.role == "toolchain"]}
]

# The go.mod nearest above a directory.
governing(dir) := m if {
	some m in modules
	startswith(dir, m.dir)
	not nearer_exists(dir, m)
}

nearer_exists(dir, m) if {
	some other in modules
	startswith(dir, other.dir)
	count(other.dir) > count(m.dir)
}

places contains [doc, place, m] if {
	some doc in input.files
	doc.kind != "go.mod"
	f := lib.facts(doc)
	some place in lib.list(f.go_versions)
	m := governing(lib.text(f.dir))
}

deny contains finding if {
	some [doc, place, m] in places
	lib.older(place, m.go)
	finding := {
		"msg": sprintf("%s names Go %s, older than the go line of %s (go %s, line %d): a Go before 1.21 refuses to build the module, a later one first downloads go%s", [
			what(doc, place), place.version, m.doc.path, m.go.version, m.go.line, m.go.version,
		]),
		"location": lib.at(doc, place.line),
		"vars": vars(doc, place, m, "older", ""),
	}
}

deny contains finding if {
	some [doc, place, m] in places
	lib.older(m.go, place)
	some toolchain in m.toolchains
	not lib.same_release(place, toolchain)
	finding := {
		"msg": sprintf("%s names Go %s, but %s pins toolchain go%s (line %d): this place builds with another Go than the module asks for", [
			what(doc, place), place.version, m.doc.path, toolchain.version, toolchain.line,
		]),
		"severity": "warning",
		"location": lib.at(doc, place.line),
		"vars": vars(doc, place, m, "toolchain", toolchain.version),
	}
}

what(doc, place) := sprintf("%s (%s)", [doc.path, place.what]) if place.what != ""

what(doc, place) := sprintf("%s (its %s line)", [doc.path, place.role]) if {
	place.what == ""
	doc.kind == "go.work"
}

what(doc, place) := doc.path if {
	place.what == ""
	doc.kind != "go.work"
}

vars(doc, place, m, problem, toolchain) := {
	"file": doc.path,
	"line": place.line,
	"kind": doc.kind,
	"version": place.written,
	"go": m.go.version,
	"gomod": m.doc.path,
	"toolchain": toolchain,
	"problem": problem,
}
