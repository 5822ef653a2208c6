# METADATA
# title: Unmasked /proc
# description: |
#   `procMount: Unmasked` turns off the runtime's masking of /proc (kcore, keys,
#   sysrq-trigger, the kernel's tunables): a container process can read kernel memory
#   maps and poke at the node. The Pod Security Standards' baseline profile forbids it.
#   Decision: any container whose securityContext sets `procMount` to something other
#   than `Default` is reported (the API knows only Default and Unmasked).
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=unsafe-proc-mount
#     description: kube-linter unsafe-proc-mount
#   - ref: https://kubernetes.io/docs/concepts/security/pod-security-standards/
#     description: Pod Security Standards (baseline) /proc Mount Type
# custom:
#   id: K8S027
#   severity: error
#   since: 1.1.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, delete `procMount: {{ vars.proc_mount }}` from {{ vars.container_path }}.securityContext of {{ vars.workload }} (the default masks /proc). Unmasked /proc is only for nested container runtimes in user-namespaced pods.
package envgate.k8s.k8s027_unmasked_proc_mount

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	proc_mount := object.get(c.container, ["securityContext", "procMount"], null)
	proc_mount != null
	proc_mount != "Default"
	finding := {
		"msg": sprintf("%s sets procMount: %v, so /proc is not masked", [c.label, proc_mount]),
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["securityContext", "procMount"])},
		"vars": object.union(c.vars, {"proc_mount": proc_mount}),
		"fix": [fix_lib.yaml_set(c, array.concat(c.path, ["securityContext", "procMount"]), "Default", true) | fix_lib.wanted],
	}
}
