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
	f.msg == `Deployment/web container "app" drops NET_RAW but not ALL, so it keeps the runtime's other default capabilities (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT)`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "capabilities", "drop"]))
	f.vars.dropped == ["NET_RAW"]
}

test_quiet_when_all_is_dropped_in_any_case if {
	inp := t.input_of(t.with_container({"securityContext": {"capabilities": {"drop": ["all"]}}}))
	count(rule.deny) == 0 with input as inp
}

test_quiet_when_every_default_is_dropped_by_name if {
	names := ["cap_audit_write", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]
	inp := t.input_of(t.with_container({"securityContext": {"capabilities": {"drop": names}}}))
	count(rule.deny) == 0 with input as inp
}

test_names_the_defaults_kept_when_one_is_missing if {
	names := ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN"]
	inp := t.input_of(t.with_container({"securityContext": {"capabilities": {"drop": names}}}))
	[f] := [x | some x in rule.deny] with input as inp
	endswith(f.msg, "so it keeps the runtime's other default capabilities (SYS_CHROOT)")
	f.vars.kept == ["SYS_CHROOT"]
}
