# METADATA
# title: Dangerous capabilities added
# description: |
#   `securityContext.capabilities.add` gives a container Linux capabilities beyond the
#   runtime's default set. Some of them are root on the node in disguise: SYS_ADMIN
#   (mounts, namespaces, most of the kernel), SYS_MODULE (load kernel modules),
#   SYS_PTRACE (inject into other processes), NET_ADMIN (rewrite routes and iptables),
#   NET_RAW (forge packets, spoof ARP and DNS), and ALL of them at once.
#   Decision: the dangerous set is ALL, SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE,
#   NET_RAW, SYS_RAWIO (raw device and memory I/O), SYS_TIME (the node's clock),
#   DAC_READ_SEARCH (open_by_handle_at escapes), BPF, MAC_ADMIN and MAC_OVERRIDE (the
#   LSM itself). Names are compared in upper case without a `CAP_` prefix; one finding
#   per dangerous capability, at its entry in the list.
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/security/
#     description: Polaris dangerousCapabilities
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_25, CKV_K8S_39
# custom:
#   id: K8S008
#   severity: error
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, remove {{ vars.capability }} from {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}.securityContext.capabilities.add).
#     If the container truly needs it, run it on nodes set aside for it and document why; do not add ALL or SYS_ADMIN to get one narrow permission.
package envgate.k8s.k8s008_dangerous_capabilities

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

dangerous := {
	"ALL": "every capability at once, which is privileged mode minus the devices",
	"SYS_ADMIN": "mounts, namespaces and most of the kernel's administration: close to root on the node",
	"NET_ADMIN": "rewriting the pod's interfaces, routes and iptables rules",
	"SYS_PTRACE": "tracing and injecting code into other processes",
	"SYS_MODULE": "loading kernel modules into the node's kernel",
	"NET_RAW": "forging packets and spoofing ARP and DNS on the node's network",
	"SYS_RAWIO": "raw I/O on devices and kernel memory",
	"SYS_TIME": "setting the node's clock",
	"DAC_READ_SEARCH": "reading any file, and open_by_handle_at escapes to the node",
	"BPF": "loading BPF programs into the kernel",
	"MAC_ADMIN": "reconfiguring AppArmor or SELinux",
	"MAC_OVERRIDE": "overriding AppArmor or SELinux",
}

deny contains finding if {
	some c in lib_containers.containers
	some i, name in lib.list(object.get(c.container, ["securityContext", "capabilities", "add"], []))
	cap := lib.capability(name)
	effect := dangerous[cap]
	finding := {
		"msg": sprintf("%s adds the %s capability: %s", [c.label, cap, effect]),
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["securityContext", "capabilities", "add", i])},
		"vars": object.union(c.vars, {"capability": cap}),
		"fix": [fix_lib.yaml_delete(c, array.concat(c.path, ["securityContext", "capabilities", "add", i]), true) | fix_lib.wanted],
	}
}
