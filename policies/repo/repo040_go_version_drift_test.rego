package envgate.repo.repo040_go_version_drift_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo040_go_version_drift as rule
import rego.v1

at(path, kind, places) := t.with_facts(t.doc(path, kind, {}), {"dir": t.dir_of(path), "go_versions": places})

test_older_places_are_errors_at_their_lines if {
	inp := {"files": [
		t.gomod("go.mod", "1.23", ""),
		at("Dockerfile", "dockerfile", [object.union(t.place("1.21", "container", 1), {"what": "FROM golang:1.21"})]),
		at(".tool-versions", "tool-versions", [t.place("1.19", "pin", 2)]),
	]}
	findings := rule.deny with input as inp
	{[f.location.file, f.location.line] | some f in findings} == {["Dockerfile", 1], [".tool-versions", 2]}
	some f in findings
	f.location.file == "Dockerfile"
	f.msg == "Dockerfile (FROM golang:1.21) names Go 1.21, older than the go line of go.mod (go 1.23, line 3): a Go before 1.21 refuses to build the module, a later one first downloads go1.23"
}

test_newer_places_disagreeing_with_the_toolchain_warn if {
	inp := {"files": [
		t.gomod("go.mod", "1.23.0", "1.24.2"),
		at("Dockerfile", "dockerfile", [t.place("1.25", "container", 1)]),
		at("ci/Dockerfile", "dockerfile", [t.place("1.24", "container", 1)]),
	]}
	[f] := [x | some x in rule.deny] with input as inp
	f.severity == "warning"
	f.location.file == "Dockerfile"
}

test_the_nearest_go_mod_governs if {
	inp := {"files": [
		t.gomod("go.mod", "1.20", ""),
		t.gomod("svc/go.mod", "1.23", ""),
		at("svc/Dockerfile", "dockerfile", [t.place("1.22", "container", 1)]),
		at("Dockerfile", "dockerfile", [t.place("1.22", "container", 1)]),
	]}
	[f] := [x | some x in rule.deny] with input as inp
	f.location.file == "svc/Dockerfile"
	f.vars.gomod == "svc/go.mod"
}

test_quiet_when_every_place_agrees if {
	inp := {"files": [
		t.gomod("go.mod", "1.23.4", "1.24.1"),
		at("Dockerfile", "dockerfile", [t.place("1.24", "container", 1)]),
		at(".go-version", "go-version", [t.place("1.24.1", "pin", 1)]),
		at(".github/workflows/ci.yml", "github-workflow", [t.place("1.23", "ci", 9)]),
	]}
	count(rule.deny) == 0 with input as inp
}
