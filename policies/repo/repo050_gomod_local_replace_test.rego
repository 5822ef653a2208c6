package envgate.repo.repo050_gomod_local_replace_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo050_gomod_local_replace as rule
import rego.v1

gomod(new_path) := {"files": [t.doc("go.mod", "go.mod", {"replaces": [{"old_path": "example.com/lib", "new_path": new_path, "new_version": null, "line": 7}]})]}

test_fires_on_a_directory_replacement if {
	[f] := [x | some x in rule.deny] with input as gomod("../lib")
	f.location == {"file": "go.mod", "line": 7}
}

test_quiet_on_a_module_replacement if {
	count(rule.deny) == 0 with input as gomod("example.com/fork/lib")
}
