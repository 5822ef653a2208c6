# METADATA
# title: Host network
# description: |
#   A pod with `hostNetwork: true` shares the node's network namespace: it can bind any
#   port of the node, reach services listening on localhost (the kubelet's read-only
#   port, cloud metadata proxies), sniff the node's traffic with NET_RAW, and bypasses
#   NetworkPolicies. Only node agents (CNI plugins, some ingress controllers) need it.
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/security/
#     description: Polaris hostNetworkSet
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=host-network
#     description: kube-linter host-network
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_19
# custom:
#   id: K8S005
#   severity: warning
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: unsafe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, remove `hostNetwork: true` from {{ vars.workload }} ({{ vars.pod_spec_path }}) and expose its ports with a Service:
#       hostNetwork: false
package envgate.k8s.k8s005_host_network

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_pods
import rego.v1

deny contains finding if {
	some pod in lib_pods.pod_specs
	pod.spec.hostNetwork == true
	finding := {
		"msg": sprintf("%s shares the node's network namespace (hostNetwork: true): it can bind the node's ports, reach its localhost services and bypass NetworkPolicies", [lib.label(pod)]),
		"location": {"file": pod.file, "document": pod.document, "path": array.concat(pod.path, ["hostNetwork"])},
		"vars": pod.vars,
		# Unsafe: the pod's ports move from the node's addresses to its own.
		"fix": [fix_lib.yaml_set(pod, array.concat(pod.path, ["hostNetwork"]), false, false) | fix_lib.wanted],
	}
}
