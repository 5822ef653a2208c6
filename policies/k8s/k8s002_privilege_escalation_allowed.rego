# METADATA
# title: Privilege escalation allowed
# description: |
#   `allowPrivilegeEscalation` controls the `no_new_privs` flag of the container's
#   processes. Unless it is `false`, a process can gain more privileges than its parent,
#   through setuid-root binaries or file capabilities, which turns a compromised
#   unprivileged process into root inside the container. The field defaults to true, so
#   a container that does not set it allows escalation.
#   Decision: fires when the container's own `securityContext.allowPrivilegeEscalation`
#   is anything but `false` (the field does not exist at pod level). Pods with
#   `spec.os.name: windows` are skipped (the field is Linux-only).
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/security/
#     description: Polaris privilegeEscalationAllowed
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=privilege-escalation-container
#     description: kube-linter privilege-escalation-container
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_20
# custom:
#   id: K8S002
#   severity: error
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, forbid privilege escalation in {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}):
#       securityContext:
#         allowPrivilegeEscalation: false
package envgate.k8s.k8s002_privilege_escalation_allowed

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	# a Linux-only control: Windows pods (spec.os.name) are exempt
	object.get(c.pod.spec, ["os", "name"], "linux") != "windows"
	value := object.get(c.container, ["securityContext", "allowPrivilegeEscalation"], null)
	value != false
	finding := {
		"msg": message(c, value),
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["securityContext", "allowPrivilegeEscalation"])},
		"vars": object.union(c.vars, {"value": value}),
		"fix": [fix_lib.yaml_set(c, array.concat(c.path, ["securityContext", "allowPrivilegeEscalation"]), false, true) | fix_lib.wanted],
	}
}

message(c, null) := sprintf("%s does not set allowPrivilegeEscalation: false, and it defaults to true: setuid binaries and file capabilities can make its processes root", [c.label])

message(c, value) := sprintf("%s sets allowPrivilegeEscalation: %v: setuid binaries and file capabilities can make its processes root", [c.label, value]) if value != null
