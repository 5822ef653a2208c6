package envgate.k8s.k8s030_single_replica_test

import data.envgate.k8s.k8s030_single_replica as rule
import data.envgate.k8s.lib_test as t
import rego.v1

with_replicas(n) := object.union(t.deployment(t.hardened_pod_spec), {"spec": {"replicas": n}})

test_fires_on_one_replica if {
	[f] := [x | some x in rule.deny] with input as t.input_of(with_replicas(1))
	f.msg == "Deployment/web runs a single replica: it is down during every drain, upgrade or crash of its pod"
	f.location.path == ["spec", "replicas"]
}

test_quiet_on_zero_two_and_unset if {
	count(rule.deny) == 0 with input as t.input_of(with_replicas(0))
	count(rule.deny) == 0 with input as t.input_of(with_replicas(2))
	deployment := t.deployment(t.hardened_pod_spec)
	unset := object.union(deployment, {"spec": object.remove(deployment.spec, ["replicas"])})
	count(rule.deny) == 0 with input as t.input_of(unset)
}
