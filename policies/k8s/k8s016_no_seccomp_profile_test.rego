package envgate.k8s.k8s016_no_seccomp_profile_test

import data.envgate.k8s.k8s016_no_seccomp_profile as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_when_set_nowhere if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.without_pod(["securityContext/seccompProfile"]))
	f.msg == `Deployment/web container "app" has no seccomp profile, so it runs Unconfined: every system call is allowed`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "seccompProfile"]))
	f.vars.from == null
}

test_fires_on_unconfined_in_the_container_over_a_good_pod if {
	inp := t.input_of(t.with_container({"securityContext": {"seccompProfile": {"type": "Unconfined"}}}))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == `Deployment/web container "app" runs with seccomp profile Unconfined: every system call is allowed`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "seccompProfile", "type"]))
	f.vars.from == "container"
}

test_fires_on_unconfined_inherited_from_the_pod if {
	inp := t.input_of(t.with_pod({"securityContext": {"seccompProfile": {"type": "Unconfined"}}}))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == `Deployment/web container "app" runs with seccomp profile Unconfined (inherited from the pod's securityContext): every system call is allowed`
	f.location == t.at(array.concat(t.pod_path, ["securityContext", "seccompProfile", "type"]))
}

test_quiet_when_inherited_or_localhost if {
	count(rule.deny) == 0 with input as t.input_of(t.deployment(t.hardened_pod_spec))
	inp := t.input_of(t.deployment(object.union(
		json.remove(t.hardened_pod_spec, ["securityContext/seccompProfile", "containers"]),
		{"containers": [object.union(t.hardened_container, {"securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "profiles/web.json"}}})]},
	)))
	count(rule.deny) == 0 with input as inp
}
