package envgate.repo.repo054_prerelease_go_line_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo054_prerelease_go_line as rule
import rego.v1

gomod(go) := {"files": [t.with_facts(t.doc("go.mod", "go.mod", {}), {"dir": "", "go_versions": [object.union(t.place("1.23", "go", 3), {"version": go, "prerelease": "rc1"})]})]}

test_fires_on_a_release_candidate if {
	[f] := [x | some x in rule.deny] with input as gomod("1.23rc1")
	f.msg == "go 1.23rc1 requires a pre-release of Go 1.23"
}

test_quiet_on_a_release if {
	count(rule.deny) == 0 with input as {"files": [t.gomod("go.mod", "1.23.0", "")]}
}
