package envgate.k8s.k8s007_host_port_test

import data.envgate.k8s.k8s007_host_port as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_on_a_host_port if {
	inp := t.input_of(t.with_container({"ports": [{"containerPort": 8080}, {"containerPort": 9090, "hostPort": 9090}]}))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == `Deployment/web container "app" binds port 9090 on the node itself (hostPort: 9090, containerPort: 9090)`
	f.location == t.at(array.concat(t.container_path, ["ports", 1, "hostPort"]))
	f.vars.port_path == "spec.template.spec.containers[0].ports[1]"
}

test_quiet_on_container_ports_and_host_port_zero if {
	inp := t.input_of(t.with_container({"ports": [{"containerPort": 8080, "hostPort": 0}]}))
	count(rule.deny) == 0 with input as inp
}
