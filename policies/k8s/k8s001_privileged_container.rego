# METADATA
# title: Privileged container
# description: |
#   A container with `securityContext.privileged: true` runs with every Linux capability,
#   sees all of the node's devices and is not confined by seccomp or AppArmor: a process
#   in it is root on the node in all but name, and escaping takes one `mount`. Every
#   container of the pod is checked: regular, init and ephemeral ones.
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/security/
#     description: Polaris runAsPrivileged
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=privileged-container
#     description: kube-linter privileged-container
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_16
# custom:
#   id: K8S001
#   severity: error
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, turn privileged mode off for {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}):
#       securityContext:
#         privileged: false
#     If it needs one host feature (a network setting, a device), add only the capability for it under securityContext.capabilities.add.
package envgate.k8s.k8s001_privileged_container

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	object.get(c.container, ["securityContext", "privileged"], false) == true
	finding := {
		"msg": sprintf("%s runs privileged: it has every capability and the node's devices, so escaping to the node is trivial", [c.label]),
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["securityContext", "privileged"])},
		"vars": c.vars,
		"fix": [fix_lib.yaml_set(c, array.concat(c.path, ["securityContext", "privileged"]), false, true) | fix_lib.wanted],
	}
}
