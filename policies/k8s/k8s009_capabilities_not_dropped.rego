# METADATA
# title: Capabilities not dropped
# description: |
#   Container runtimes start processes with a default set of capabilities (CHOWN,
#   DAC_OVERRIDE, FOWNER, SETUID, SETGID, NET_BIND_SERVICE, NET_RAW, KILL…). Most
#   applications need none of them, and NET_RAW alone lets a compromised container
#   forge packets and spoof ARP or DNS replies on the node's network. Dropping ALL and
#   adding back the one or two a program needs is the baseline of the Pod Security
#   Standards' restricted profile.
#   Decision: fires when the container's `securityContext.capabilities.drop` does not
#   contain ALL (names compared in upper case without `CAP_`). Dropping only NET_RAW,
#   the minimum kube-linter asks for, still fires, and the message says so. Pods with
#   `spec.os.name: windows` are skipped (capabilities are Linux-only).
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=drop-net-raw-capability
#     description: kube-linter drop-net-raw-capability
#   - ref: https://polaris.docs.fairwinds.com/checks/security/
#     description: Polaris insecureCapabilities
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_28, CKV_K8S_37
# custom:
#   id: K8S009
#   severity: warning
#   since: 1.0.0
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, drop every capability of {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}) and add back only what it needs:
#       securityContext:
#         capabilities:
#           drop: ["ALL"]
#           add: ["NET_BIND_SERVICE"]   # only if it binds a port below 1024
package envgate.k8s.k8s009_capabilities_not_dropped

import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	# a Linux-only control: Windows pods (spec.os.name) are exempt
	object.get(c.pod.spec, ["os", "name"], "linux") != "windows"
	dropped := {lib.capability(name) | some name in lib.list(object.get(c.container, ["securityContext", "capabilities", "drop"], []))}
	not "ALL" in dropped
	finding := {
		"msg": message(c, dropped),
		"location": lib.location(c, array.concat(c.path, ["securityContext", "capabilities", "drop"])),
		"vars": object.union(lib.container_vars(c), {"dropped": sort(dropped)}),
	}
}

message(c, dropped) := sprintf("%s drops NET_RAW but not ALL, so it keeps the runtime's other default capabilities (CHOWN, DAC_OVERRIDE, SETUID, …)", [lib.container_label(c)]) if {
	"NET_RAW" in dropped
} else := sprintf("%s does not drop ALL capabilities, so it keeps the runtime's defaults, NET_RAW included", [lib.container_label(c)])
