# METADATA
# title: Writable hostPath mount
# description: |
#   A hostPath volume mounted without `readOnly: true` lets the container change files
#   on the node itself: whatever the node or other pods read from that directory
#   (binaries, configuration, logs another agent ships) the container can rewrite, and
#   what it writes outlives the pod.
#   Decision: each volumeMount of a hostPath volume without `readOnly: true` is
#   reported at the mount. Which paths are sensitive is K8S015's; this one is about
#   writing anywhere on the node.
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=writable-host-mount
#     description: kube-linter writable-host-mount
#   - ref: https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
#     description: Kubernetes hostPath (read-only advice)
# custom:
#   id: K8S028
#   severity: warning
#   since: 1.1.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, mount the node's {{ vars.host_path }} read-only in {{ vars.workload }} container "{{ vars.container }}" ({{ vars.mount_path }}):
#       readOnly: true
#     If it must write, write to an emptyDir or a PersistentVolume instead.
package envgate.k8s.k8s028_writable_host_path

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	host_paths := {name: path |
		some volume in lib.list(c.pod.spec.volumes)
		is_object(volume)
		path := object.get(volume, ["hostPath", "path"], null)
		is_string(path)
		name := object.get(volume, "name", null)
		is_string(name)
	}
	some k, mount in lib.list(c.container.volumeMounts)
	is_object(mount)
	host_path := host_paths[object.get(mount, "name", null)]
	object.get(mount, "readOnly", false) != true
	mount_path := array.concat(c.path, ["volumeMounts", k])
	finding := {
		"msg": sprintf("%s can write to the node's %s (volumeMount %q at %v without readOnly: true)", [c.label, host_path, mount.name, object.get(mount, "mountPath", "?")]),
		"location": {"file": c.file, "document": c.document, "path": array.concat(mount_path, [read_only_key(mount)])},
		"vars": object.union(c.vars, {"host_path": host_path, "mount_path": lib.dotted(mount_path)}),
		"fix": [fix_lib.yaml_set(c, array.concat(mount_path, ["readOnly"]), true, true) | fix_lib.wanted],
	}
}

# At `readOnly: false` when the mount says so, else at the mount's name.
read_only_key(mount) := "readOnly" if "readOnly" in object.keys(mount)

read_only_key(mount) := "name" if not "readOnly" in object.keys(mount)
