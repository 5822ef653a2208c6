# METADATA
# title: NodePort Service
# description: |
#   A `NodePort` Service opens its port on every node of the cluster, on the nodes'
#   own addresses: it bypasses the ingress or load balancer in front of the cluster,
#   its TLS and its access rules, and is reachable from wherever the nodes are.
#   Decision: info, since bare-metal and development clusters use NodePorts on purpose;
#   reported at `spec.type` of a Service of type NodePort. LoadBalancer Services also
#   allocate node ports but are meant to be reached through the balancer, so they are
#   not reported.
# related_resources:
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score service-type
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=exposed-services
#     description: kube-linter exposed-services
# custom:
#   id: K8S029
#   severity: info
#   since: 1.1.0
#   reads: [kubernetes]
#   autofix: unsafe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, make {{ vars.object }} a ClusterIP Service (delete `type: NodePort` and its nodePort values) and reach it through an Ingress, a Gateway or a LoadBalancer Service.
package envgate.k8s.k8s029_node_port_service

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import rego.v1

deny contains finding if {
	some obj in lib_objects.objects
	obj.kind == "Service"
	object.get(obj.object, ["spec", "type"], null) == "NodePort"
	ports := sort({sprintf("%v", [p.nodePort]) |
		some p in lib.list(object.get(obj.object, ["spec", "ports"], []))
		is_object(p)
		p.nodePort != null
	})
	finding := {
		"msg": sprintf("%s opens %s on every node's address (type: NodePort)", [lib.label(obj), node_ports(ports)]),
		"location": {"file": obj.file, "document": obj.document, "path": array.concat(obj.prefix, ["spec", "type"])},
		"vars": lib.object_vars(obj),
		"fix": [edit | fix_lib.wanted; some edit in cluster_ip(obj)],
	}
}

node_ports(ports) := "a port chosen by the cluster" if count(ports) == 0

node_ports(ports) := sprintf("port %s", [concat(", ", ports)]) if count(ports) > 0

# A ClusterIP Service: the type, the ports' nodePort values and externalTrafficPolicy
# (which ClusterIP does not take) changed. Unsafe: what reached the nodes' port stops.
cluster_ip(obj) := array.concat(
	[fix_lib.yaml_set(obj, array.concat(obj.prefix, ["spec", "type"]), "ClusterIP", false)],
	[fix_lib.yaml_delete(obj, path, false) |
		some path in node_port_keys(obj)
	],
)

node_port_keys(obj) := array.concat(
	[array.concat(obj.prefix, ["spec", "ports", i, "nodePort"]) |
		some i, p in lib.list(object.get(obj.object, ["spec", "ports"], []))
		is_object(p)
		"nodePort" in object.keys(p)
	],
	[array.concat(obj.prefix, ["spec", key]) |
		some key in ["externalTrafficPolicy", "healthCheckNodePort"]
		key in object.keys(object.get(obj.object, "spec", {}))
	],
)
