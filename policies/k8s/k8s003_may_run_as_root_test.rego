package envgate.k8s.k8s003_may_run_as_root_test

import data.envgate.k8s.k8s003_may_run_as_root as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_error_when_the_container_sets_uid_0 if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.with_container({"securityContext": {"runAsUser": 0, "runAsNonRoot": false}}))
	f.msg == `Deployment/web container "app" runs as root: runAsUser is 0`
	f.severity == "error"
	f.location == t.at(array.concat(t.container_path, ["securityContext", "runAsUser"]))
	f.vars.root_from == "spec.template.spec.containers[0].securityContext.runAsUser"
	f.vars.root_level == "container"
}

test_error_when_the_pod_sets_uid_0 if {
	inp := t.input_of(t.with_pod({"securityContext": {"runAsUser": 0, "runAsNonRoot": false}}))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == `Deployment/web container "app" runs as root: runAsUser is 0 (inherited from the pod's securityContext)`
	f.location == t.at(array.concat(t.pod_path, ["securityContext", "runAsUser"]))
}

test_warning_when_nothing_is_set if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.without_pod(["securityContext"]))
	f.msg == `Deployment/web container "app" may run as root: neither it nor its pod sets runAsNonRoot: true or a non-zero runAsUser, so the image's USER decides`
	not f.severity
	f.location == t.at(array.concat(t.container_path, ["securityContext", "runAsNonRoot"]))
}

test_warning_when_the_pod_says_false if {
	inp := t.input_of(t.without_pod(["securityContext/runAsUser"]))
	inp2 := t.input_of(t.with_pod({"securityContext": {"runAsNonRoot": false}}))
	count(rule.deny) == 0 with input as inp
	[f] := [x | some x in rule.deny] with input as t.input_of(t.deployment(json.remove(object.union(t.hardened_pod_spec, {"securityContext": {"runAsNonRoot": false}}), ["securityContext/runAsUser"])))
	f.msg == `Deployment/web container "app" may run as root: runAsNonRoot is false (inherited from the pod's securityContext) and no non-zero runAsUser is set, so the image's USER decides`
	f.location == t.at(array.concat(t.pod_path, ["securityContext", "runAsNonRoot"]))
	count(rule.deny) == 0 with input as inp2
}

test_quiet_with_a_non_zero_uid_only if {
	inp := t.input_of(t.without_pod(["securityContext/runAsNonRoot"]))
	count(rule.deny) == 0 with input as inp
}

test_container_setting_wins_over_the_pod if {
	# the pod says non-root, the container says root: the container's setting wins
	inp := t.input_of(t.with_container({"securityContext": {"runAsNonRoot": false}}))
	count(rule.deny) == 0 with input as inp
	inp2 := t.input_of(t.deployment(json.remove(object.union(t.hardened_pod_spec, {"containers": [object.union(t.hardened_container, {"securityContext": {"runAsNonRoot": false}})]}), ["securityContext/runAsUser"])))
	[f] := [x | some x in rule.deny] with input as inp2
	f.location == t.at(array.concat(t.container_path, ["securityContext", "runAsNonRoot"]))
	f.msg == `Deployment/web container "app" may run as root: runAsNonRoot is false and no non-zero runAsUser is set, so the image's USER decides`
}

test_root_with_run_as_non_root_cannot_start if {
	context := object.union(t.hardened_container.securityContext, {"runAsUser": 0})
	[f] := [x | some x in rule.deny] with input as t.input_of(t.with_container({"securityContext": context}))
	f.msg == `Deployment/web container "app" cannot start: runAsUser is 0 while runAsNonRoot is true (inherited from the pod's securityContext), so the kubelet refuses to run it as root`
	f.severity == "error"
}
