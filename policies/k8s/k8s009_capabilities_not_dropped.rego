# METADATA
# title: Capabilities not dropped
# description: |
#   Container runtimes start processes with a default set of capabilities (CHOWN,
#   DAC_OVERRIDE, FOWNER, SETUID, SETGID, NET_BIND_SERVICE, NET_RAW, KILL…). Most
#   applications need none of them, and NET_RAW alone lets a compromised container
#   forge packets and spoof ARP or DNS replies on the node's network. Dropping ALL and
#   adding back the one or two a program needs is the baseline of the Pod Security
#   Standards' restricted profile.
#   Decision: fires when the container's `securityContext.capabilities.drop` neither
#   contains ALL nor names every capability of the runtimes' default set (containerd's
#   and Docker's 14: AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD,
#   NET_BIND_SERVICE, NET_RAW, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT; CRI-O's
#   default set is a subset of it). Names are compared in upper case without `CAP_`.
#   Dropping only some of them (NET_RAW alone is the minimum kube-linter asks for)
#   still fires, and the message names the defaults that are kept. Pods with
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
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, drop every capability of {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}) and add back only what it needs:
#       securityContext:
#         capabilities:
#           drop: ["ALL"]
#           add: ["NET_BIND_SERVICE"]   # only if it binds a port below 1024
package envgate.k8s.k8s009_capabilities_not_dropped

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

# The capabilities containerd and Docker give a container unless told otherwise (CRI-O
# gives a subset of them): dropping every one of them by name is as good as ALL.
runtime_defaults := [
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]

deny contains finding if {
	some c in lib_containers.containers
	# a Linux-only control: Windows pods (spec.os.name) are exempt
	object.get(c.pod.spec, ["os", "name"], "linux") != "windows"
	dropped := {lib.capability(name) | some name in lib.list(object.get(c.container, ["securityContext", "capabilities", "drop"], []))}
	not "ALL" in dropped
	kept := [name | some name in runtime_defaults; not name in dropped]
	count(kept) > 0
	finding := {
		"msg": message(c, dropped, kept),
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["securityContext", "capabilities", "drop"])},
		"vars": object.union(c.vars, {"dropped": sort(dropped), "kept": kept}),
		"fix": [edit | fix_lib.wanted; some edit in drop_all(c)],
	}
}

# ALL added to the drop list, or a drop list of ALL where there is none.
drop_all(c) := edits if {
	path := array.concat(c.path, ["securityContext", "capabilities", "drop"])
	drop := object.get(c.container, ["securityContext", "capabilities", "drop"], null)
	is_array(drop)
	count(drop) > 0
	edits := [fix_lib.yaml_set(c, array.concat(path, [count(drop)]), "ALL", true)]
	is_array(edits)  # holds for any defined value (L012)
} else := edits if {
	path := array.concat(c.path, ["securityContext", "capabilities", "drop"])
	object.get(c.container, ["securityContext", "capabilities", "drop"], null) == null
	edits := [fix_lib.yaml_set(c, path, ["ALL"], true)]
	is_array(edits)  # holds for any defined value (L012)
} else := []

message(c, dropped, kept) := text if {
	count(sorted_defaults(dropped)) > 0
	text := sprintf("%s drops %s but not ALL, so it keeps the runtime's other default capabilities (%s)", [c.label, concat(", ", sorted_defaults(dropped)), concat(", ", kept)])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("%s does not drop ALL capabilities, so it keeps the runtime's defaults, NET_RAW included", [c.label])

# The runtime defaults among `dropped`, in the order of runtime_defaults.
sorted_defaults(dropped) := [name | some name in runtime_defaults; name in dropped]
