package envgate.k8s.k8s001_privileged_container_test

import data.envgate.k8s.k8s001_privileged_container as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_on_a_privileged_container if {
	findings := rule.deny with input as t.input_of(t.with_container({"securityContext": {"privileged": true}}))
	[f] := [x | some x in findings]
	f.msg == `Deployment/web container "app" runs privileged: it has every capability and the node's devices, so escaping to the node is trivial`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "privileged"]))
	f.vars.container_path == "spec.template.spec.containers[0]"
}

test_fires_on_an_init_container_of_a_cronjob if {
	cronjob := {
		"apiVersion": "batch/v1",
		"kind": "CronJob",
		"metadata": {"name": "nightly", "namespace": "ops"},
		"spec": {"jobTemplate": {"spec": {"template": {"spec": {
			"containers": [t.hardened_container],
			"initContainers": [{"name": "setup", "securityContext": {"privileged": true}}],
		}}}}},
	}
	[f] := [x | some x in rule.deny] with input as t.input_of(cronjob)
	startswith(f.msg, `CronJob/nightly init container "setup" runs privileged`)
	f.location.path == ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "privileged"]
}

test_quiet_when_privileged_is_false if {
	count(rule.deny) == 0 with input as t.input_of(t.with_container({"securityContext": {"privileged": false}}))
}

test_quiet_when_the_string_true_is_given if {
	# "true" (a string) is rejected by the API server; it is not privileged mode
	count(rule.deny) == 0 with input as t.input_of(t.with_container({"securityContext": {"privileged": "true"}}))
}
