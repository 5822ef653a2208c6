package envgate.k8s.k8s005_host_network_test

import data.envgate.k8s.k8s005_host_network as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_on_host_network if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.with_pod({"hostNetwork": true}))
	f.msg == "Deployment/web shares the node's network namespace (hostNetwork: true): it can bind the node's ports, reach its localhost services and bypass NetworkPolicies"
	f.location == t.at(array.concat(t.pod_path, ["hostNetwork"]))
	f.vars.pod_spec_path == "spec.template.spec"
}

test_fires_on_a_bare_pod if {
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "probe"}, "spec": {"hostNetwork": true, "containers": []}}
	[f] := [x | some x in rule.deny] with input as t.input_of(pod)
	f.location.path == ["spec", "hostNetwork"]
	startswith(f.msg, "Pod/probe shares")
}

test_quiet_when_false if {
	count(rule.deny) == 0 with input as t.input_of(t.with_pod({"hostNetwork": false}))
}
