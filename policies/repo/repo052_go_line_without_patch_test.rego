package envgate.repo.repo052_go_line_without_patch_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo052_go_line_without_patch as rule
import rego.v1

test_fires_on_go_1_22 if {
	[f] := [x | some x in rule.deny] with input as {"files": [t.gomod("go.mod", "1.22", "")]}
	f.location == {"file": "go.mod", "line": 3}
}

test_quiet_with_a_patch_or_before_1_21 if {
	count(rule.deny) == 0 with input as {"files": [t.gomod("go.mod", "1.22.0", "")]}
	count(rule.deny) == 0 with input as {"files": [t.gomod("go.mod", "1.20", "")]}
}
