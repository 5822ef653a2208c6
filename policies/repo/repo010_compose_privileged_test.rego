package envgate.repo.repo010_compose_privileged_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo010_compose_privileged as rule
import rego.v1

compose(service) := {"files": [t.doc("compose.yaml", "compose", {"services": {"db": service}})]}

test_fires_on_a_privileged_service if {
	[f] := [x | some x in rule.deny] with input as compose({"image": "postgres:16", "privileged": true})
	f.location.path == ["services", "db", "privileged"]
	f.msg == `service "db" runs privileged: it has every capability and the host's devices, so escaping to the host is trivial`
}

test_quiet_otherwise if {
	count(rule.deny) == 0 with input as compose({"image": "postgres:16", "privileged": false})
	count(rule.deny) == 0 with input as compose({"image": "postgres:16", "privileged": "true"})
}
