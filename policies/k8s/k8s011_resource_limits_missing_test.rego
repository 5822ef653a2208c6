package envgate.k8s.k8s011_resource_limits_missing_test

import data.envgate.k8s.k8s011_resource_limits_missing as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_without_a_memory_limit if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.without_container(["resources/limits"]))
	f.msg == `Deployment/web container "app" has no memory limit, so it can use the node's memory until the OOM killer ends other pods too`
	f.location == t.at(array.concat(t.container_path, ["resources", "limits"]))
	f.vars.missing == ["memory"]
}

test_cpu_limit_only_when_the_pack_data_asks if {
	inp := t.input_of(t.deployment(t.hardened_pod_spec))
	count(rule.deny) == 0 with input as inp
	[f] := [x | some x in rule.deny] with input as inp with data.pack_data.k8s.require_cpu_limits as true
	f.msg == `Deployment/web container "app" has no cpu limit, so it can take every idle CPU of the node`
	f.location == t.at(array.concat(t.container_path, ["resources", "limits"]))
}

test_quiet_with_a_memory_limit if {
	count(rule.deny) == 0 with input as t.input_of(t.deployment(t.hardened_pod_spec))
}
