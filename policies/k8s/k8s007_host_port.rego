# METADATA
# title: hostPort used
# description: |
#   A container port with `hostPort` is bound on the node's own address: the pod can be
#   scheduled only where that port is free (one per node), it bypasses the Service and
#   NetworkPolicy model, and it exposes the container on the node's network directly.
#   Decision: a `hostPort` of 0 (the API's "unset") is not reported.
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/security/
#     description: Polaris hostPortSet
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_26
# custom:
#   id: K8S007
#   severity: warning
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: unsafe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, delete `hostPort: {{ vars.host_port }}` from {{ vars.port_path }} and reach {{ vars.workload }} through a Service (type NodePort or LoadBalancer if it must be reachable from outside the cluster).
package envgate.k8s.k8s007_host_port

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	some i, port in lib.list(c.container.ports)
	is_object(port)
	host_port := object.get(port, "hostPort", 0)
	host_port != 0
	host_port != null
	port_path := array.concat(c.path, ["ports", i])
	finding := {
		"msg": sprintf("%s binds port %v on the node itself (hostPort: %v, containerPort: %v)", [c.label, host_port, host_port, object.get(port, "containerPort", "unset")]),
		"location": {"file": c.file, "document": c.document, "path": array.concat(port_path, ["hostPort"])},
		"vars": object.union(c.vars, {"host_port": host_port, "port_path": lib.dotted(port_path)}),
		# Unsafe: whatever reaches the node's port then reaches nothing.
		"fix": [fix_lib.yaml_delete(c, array.concat(port_path, ["hostPort"]), false) | fix_lib.wanted],
	}
}
