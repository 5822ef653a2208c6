package envgate.repo.repo053_gowork_missing_use_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo053_gowork_missing_use as rule
import rego.v1

gowork(missing) := {"files": [t.with_facts(t.doc("go.work", "go.work", {}), {"missing_uses": missing})]}

test_fires_on_a_missing_directory if {
	[f] := [x | some x in rule.deny] with input as gowork([{"value": "./gone", "line": 4}])
	f.location == {"file": "go.work", "line": 4}
}

test_quiet_when_every_directory_is_there if {
	count(rule.deny) == 0 with input as gowork([])
}
