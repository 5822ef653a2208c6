package envgate.k8s.k8s013_probes_missing_test

import data.envgate.k8s.k8s013_probes_missing as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_without_probes if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.without_container(["readinessProbe", "livenessProbe"]))
	f.msg == `Deployment/web container "app" has no readinessProbe or livenessProbe: it gets traffic before it can answer, and a hung process is never restarted`
	f.location == t.at(t.container_path)
	f.vars.missing == ["readinessProbe", "livenessProbe"]
}

test_fires_without_a_liveness_probe if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.without_container(["livenessProbe"]))
	f.msg == `Deployment/web container "app" has no livenessProbe: a hung process is never restarted`
}

test_info_on_identical_probes if {
	probe := {"httpGet": {"path": "/healthz", "port": 8080}}
	inp := t.input_of(t.deployment(object.union(t.hardened_pod_spec, {"containers": [object.union(
		json.remove(t.hardened_container, ["readinessProbe", "livenessProbe"]),
		{"readinessProbe": probe, "livenessProbe": probe},
	)]})))
	[f] := [x | some x in rule.deny] with input as inp
	f.severity == "info"
	f.msg == `Deployment/web container "app" has identical liveness and readiness probes: when it is only overloaded, it is restarted instead of taken out of the Service`
	f.location == t.at(array.concat(t.container_path, ["livenessProbe"]))
}

test_quiet_for_jobs_init_containers_and_one_shot_pods if {
	bare := {"name": "run", "image": "busybox"}
	job := {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "once"}, "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [bare]}}}}
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "once"}, "spec": {"restartPolicy": "OnFailure", "containers": [bare]}}
	init := t.with_pod({"initContainers": [bare]})
	count(rule.deny) == 0 with input as t.input_of_all([job, pod, init])
}
