# METADATA
# title: Host PID or IPC namespace
# description: |
#   `hostPID: true` lets the pod's containers see every process of the node (their
#   command lines and environment variables, often holding secrets) and, with
#   SYS_PTRACE or as root, enter them; `hostIPC: true` shares the node's System V IPC
#   and POSIX shared memory with every other process on it. One finding per field.
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/security/
#     description: Polaris hostPIDSet, hostIPCSet
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=host-pid
#     description: kube-linter host-pid
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=host-ipc
#     description: kube-linter host-ipc
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_17, CKV_K8S_18
# custom:
#   id: K8S006
#   severity: error
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, stop sharing the node's {{ vars.namespace }} namespace with {{ vars.workload }} ({{ vars.pod_spec_path }}):
#       {{ vars.field }}: false
package envgate.k8s.k8s006_host_pid_ipc

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_pods
import rego.v1

shared := {
	"hostPID": {"namespace": "PID", "effect": "it sees every process on the node, with their command lines and environment"},
	"hostIPC": {"namespace": "IPC", "effect": "it shares the node's shared memory and IPC objects with every process on it"},
}

deny contains finding if {
	some pod in lib_pods.pod_specs
	some field, what in shared
	pod.spec[field] == true
	finding := {
		"msg": sprintf("%s shares the node's %s namespace (%s: true): %s", [lib.label(pod), what.namespace, field, what.effect]),
		"location": {"file": pod.file, "document": pod.document, "path": array.concat(pod.path, [field])},
		"vars": object.union(pod.vars, {"field": field, "namespace": what.namespace}),
		"fix": [fix_lib.yaml_set(pod, array.concat(pod.path, [field]), false, true) | fix_lib.wanted],
	}
}
