package envgate.k8s.k8s031_cpu_limit_missing_test

import data.envgate.k8s.k8s031_cpu_limit_missing as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_on_the_hardened_container_which_has_none if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.deployment(t.hardened_pod_spec))
	f.msg == `Deployment/web container "app" has no CPU limit`
	f.location == t.at(array.concat(t.container_path, ["resources", "limits", "cpu"]))
}

test_quiet_with_a_cpu_limit if {
	resources := {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}}
	count(rule.deny) == 0 with input as t.input_of(t.with_container({"resources": resources}))
}
