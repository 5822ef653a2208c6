# METADATA
# title: Writable root filesystem
# description: |
#   A container whose root filesystem is writable lets an intruder drop tools, edit
#   binaries and configuration, and persist until the container restarts. With
#   `readOnlyRootFilesystem: true` the image stays as built; the paths that must be
#   written (caches, /tmp) get an `emptyDir` volume.
#   Decision: fires when the container's own `securityContext.readOnlyRootFilesystem`
#   is not `true` (the field does not exist at pod level), for every container
#   including init and ephemeral ones. Pods with `spec.os.name: windows` are skipped
#   (the field is not supported there).
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/security/
#     description: Polaris notReadOnlyRootFilesystem
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=no-read-only-root-fs
#     description: kube-linter no-read-only-root-fs
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_22
# custom:
#   id: K8S004
#   severity: warning
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, make the root filesystem of {{ vars.workload }} container "{{ vars.container }}" read-only ({{ vars.container_path }}):
#       securityContext:
#         readOnlyRootFilesystem: true
#     and give the directories it writes to an emptyDir volume, e.g. for /tmp:
#       volumeMounts: [{name: tmp, mountPath: /tmp}]      # in the container
#       volumes: [{name: tmp, emptyDir: {}}]               # in {{ vars.pod_spec_path }}
package envgate.k8s.k8s004_writable_root_filesystem

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	# a Linux-only control: Windows pods (spec.os.name) are exempt
	object.get(c.pod.spec, ["os", "name"], "linux") != "windows"
	value := object.get(c.container, ["securityContext", "readOnlyRootFilesystem"], null)
	value != true
	finding := {
		"msg": message(c, value),
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["securityContext", "readOnlyRootFilesystem"])},
		"vars": c.vars,
		"fix": [fix_lib.yaml_set(c, array.concat(c.path, ["securityContext", "readOnlyRootFilesystem"]), true, true) | fix_lib.wanted],
	}
}

message(c, null) := sprintf("%s has a writable root filesystem (readOnlyRootFilesystem is not set)", [c.label])

message(c, value) := sprintf("%s has a writable root filesystem (readOnlyRootFilesystem: %v)", [c.label, value]) if value != null
