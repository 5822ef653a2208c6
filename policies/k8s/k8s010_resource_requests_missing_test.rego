package envgate.k8s.k8s010_resource_requests_missing_test

import data.envgate.k8s.k8s010_resource_requests_missing as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_without_resources if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.without_container(["resources"]))
	f.msg == `Deployment/web container "app" has no cpu or memory request, so the scheduler places it as if it used nothing and it is among the first evicted under memory pressure`
	f.location == t.at(array.concat(t.container_path, ["resources", "requests"]))
	f.vars.missing == ["cpu", "memory"]
}

test_fires_on_an_init_container_missing_cpu if {
	inp := t.input_of(t.with_pod({"initContainers": [{"name": "migrate", "resources": {"requests": {"memory": "64Mi"}}}]}))
	[f] := [x | some x in rule.deny] with input as inp
	startswith(f.msg, `Deployment/web init container "migrate" has no cpu request`)
	f.location == t.at(array.concat(t.pod_path, ["initContainers", 0, "resources", "requests"]))
}

test_a_limit_counts_as_a_request if {
	inp := t.input_of(t.deployment(object.union(t.hardened_pod_spec, {"containers": [object.union(
		json.remove(t.hardened_container, ["resources"]),
		{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}}},
	)]})))
	count(rule.deny) == 0 with input as inp
}

test_quiet_on_ephemeral_containers if {
	inp := t.input_of(t.with_pod({"ephemeralContainers": [{"name": "debugger", "image": "busybox"}]}))
	count(rule.deny) == 0 with input as inp
}

test_a_zero_request_counts_as_missing if {
	inp := t.input_of(t.with_container({"resources": {"requests": {"cpu": 0, "memory": "0"}, "limits": {"memory": "256Mi"}}}))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == `Deployment/web container "app" has a zero cpu and memory request, so the scheduler places it as if it used nothing and it is among the first evicted under memory pressure`
	f.vars.missing == ["cpu", "memory"]
	f.vars.zero == ["cpu", "memory"]
}

test_zero_in_any_spelling_and_a_zero_limit_copied_into_the_request if {
	inp := t.input_of(t.deployment(object.union(t.hardened_pod_spec, {"containers": [object.union(
		json.remove(t.hardened_container, ["resources"]),
		{"resources": {"requests": {"memory": "0Mi"}, "limits": {"cpu": "0.0", "memory": "256Mi"}}},
	)]})))
	[f] := [x | some x in rule.deny] with input as inp
	f.vars.zero == ["cpu", "memory"]
}

test_absent_and_zero_are_named_apart if {
	inp := t.input_of(t.deployment(object.union(t.hardened_pod_spec, {"containers": [object.union(
		json.remove(t.hardened_container, ["resources"]),
		{"resources": {"requests": {"memory": ""}}},
	)]})))
	[f] := [x | some x in rule.deny] with input as inp
	startswith(f.msg, `Deployment/web container "app" has no cpu request and a zero memory request,`)
}

test_small_nonzero_requests_are_set if {
	inp := t.input_of(t.with_container({"resources": {"requests": {"cpu": "1m", "memory": 1}, "limits": {"memory": "0.5Gi"}}}))
	count(rule.deny) == 0 with input as inp
}
