package envgate.k8s.k8s029_node_port_service_test

import data.envgate.k8s.k8s029_node_port_service as rule
import data.envgate.k8s.lib_test as t
import rego.v1

service(spec) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"}, "spec": spec}

test_fires_on_a_node_port if {
	inp := t.input_of(service({"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}, {"port": 443}]}))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == "Service/web opens port 30080 on every node's address (type: NodePort)"
	f.location.path == ["spec", "type"]
}

test_quiet_on_cluster_ip_and_load_balancer if {
	every type in ["ClusterIP", "LoadBalancer", "ExternalName"] {
		count(rule.deny) == 0 with input as t.input_of(service({"type": type, "ports": [{"port": 80}]}))
	}
}
