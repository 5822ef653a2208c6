package envgate.k8s.k8s002_privilege_escalation_allowed_test

import data.envgate.k8s.k8s002_privilege_escalation_allowed as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_when_allowed_explicitly if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.with_container({"securityContext": {"allowPrivilegeEscalation": true}}))
	f.msg == `Deployment/web container "app" sets allowPrivilegeEscalation: true: setuid binaries and file capabilities can make its processes root`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "allowPrivilegeEscalation"]))
}

test_fires_when_unset_at_the_security_context if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.without_container(["securityContext/allowPrivilegeEscalation"]))
	f.msg == `Deployment/web container "app" does not set allowPrivilegeEscalation: false, and it defaults to true: setuid binaries and file capabilities can make its processes root`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "allowPrivilegeEscalation"]))
}

test_fires_at_the_container_without_a_security_context if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.without_container(["securityContext"]))
	f.location == t.at(array.concat(t.container_path, ["securityContext", "allowPrivilegeEscalation"]))
}

test_quiet_when_false if {
	count(rule.deny) == 0 with input as t.input_of(t.deployment(t.hardened_pod_spec))
}

test_quiet_on_windows_pods if {
	inp := t.input_of(t.deployment(object.union(
		json.remove(t.hardened_pod_spec, ["containers"]),
		{"os": {"name": "windows"}, "containers": [json.remove(t.hardened_container, ["securityContext"])]},
	)))
	count(rule.deny) == 0 with input as inp
}
