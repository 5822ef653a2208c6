package envgate.repo.repo051_gomod_toolchain_older_than_go_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo051_gomod_toolchain_older_than_go as rule
import rego.v1

test_fires_on_an_older_toolchain if {
	[f] := [x | some x in rule.deny] with input as {"files": [t.gomod("go.mod", "1.23.0", "1.22.5")]}
	f.location == {"file": "go.mod", "line": 5}
	f.msg == "the toolchain line (go1.22.5) is older than the go line (go 1.23.0), so it is never used"
}

test_quiet_on_a_newer_or_equal_toolchain if {
	count(rule.deny) == 0 with input as {"files": [t.gomod("go.mod", "1.23.0", "1.23.4")]}
	count(rule.deny) == 0 with input as {"files": [t.gomod("go.mod", "1.23.0", "")]}
}
