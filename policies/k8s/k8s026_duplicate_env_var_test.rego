package envgate.k8s.k8s026_duplicate_env_var_test

import data.envgate.k8s.k8s026_duplicate_env_var as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_on_the_later_entry if {
	env := [{"name": "MODE", "value": "a"}, {"name": "LEVEL", "value": "1"}, {"name": "MODE", "value": "b"}]
	[f] := [x | some x in rule.deny] with input as t.input_of(t.with_container({"env": env}))
	f.msg == `Deployment/web container "app" sets MODE twice in env (entries 0 and 2; the last one wins)`
	f.location == t.at(array.concat(t.container_path, ["env", 2, "name"]))
}

test_quiet_on_distinct_names if {
	env := [{"name": "MODE", "value": "a"}, {"name": "mode", "value": "b"}]
	count(rule.deny) == 0 with input as t.input_of(t.with_container({"env": env}))
}
