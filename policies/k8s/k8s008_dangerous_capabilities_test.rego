package envgate.k8s.k8s008_dangerous_capabilities_test

import data.envgate.k8s.k8s008_dangerous_capabilities as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_per_dangerous_capability if {
	inp := t.input_of(t.with_container({"securityContext": {"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE", "CAP_SYS_ADMIN", "net_raw"]}}}))
	findings := rule.deny with input as inp
	{[f.vars.capability, f.location.path[count(f.location.path) - 1]] | some f in findings} == {["SYS_ADMIN", 1], ["NET_RAW", 2]}
	some f in findings
	f.vars.capability == "SYS_ADMIN"
	f.msg == `Deployment/web container "app" adds the SYS_ADMIN capability: mounts, namespaces and most of the kernel's administration: close to root on the node`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "capabilities", "add", 1]))
}

test_quiet_on_harmless_additions if {
	inp := t.input_of(t.with_container({"securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE", "CHOWN"]}}}))
	count(rule.deny) == 0 with input as inp
}
