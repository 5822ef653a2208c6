package envgate.k8s.k8s009_capabilities_not_dropped_test

import data.envgate.k8s.k8s009_capabilities_not_dropped as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_when_nothing_is_dropped if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.without_container(["securityContext/capabilities"]))
	f.msg == `Deployment/web container "app" does not drop ALL capabilities, so it keeps the runtime's defaults, NET_RAW included`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "capabilities", "drop"]))
}

test_fires_when_only_net_raw_is_dropped if {
	inp := t.input_of(t.deployment(object.union(t.hardened_pod_spec, {"containers": [object.union(
		json.remove(t.hardened_container, ["securityContext/capabilities"]),
		{"securityContext": {"capabilities": {"drop": ["NET_RAW"]}}},
	)]})))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == `Deployment/web container "app" drops NET_RAW but not ALL, so it keeps the runtime's other default capabilities (CHOWN, DAC_OVERRIDE, SETUID, …)`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "capabilities", "drop"]))
	f.vars.dropped == ["NET_RAW"]
}

test_quiet_when_all_is_dropped_in_any_case if {
	inp := t.input_of(t.with_container({"securityContext": {"capabilities": {"drop": ["all"]}}}))
	count(rule.deny) == 0 with input as inp
}
