package envgate.k8s.k8s028_writable_host_path_test

import data.envgate.k8s.k8s028_writable_host_path as rule
import data.envgate.k8s.lib_test as t
import rego.v1

pod(mounts) := t.deployment(object.union(t.hardened_pod_spec, {
	"volumes": [{"name": "logs", "hostPath": {"path": "/var/log/app"}}, {"name": "tmp", "emptyDir": {}}],
	"containers": [object.union(t.hardened_container, {"volumeMounts": mounts})],
}))

test_fires_on_a_host_path_mounted_writable if {
	inp := t.input_of(pod([{"name": "tmp", "mountPath": "/tmp"}, {"name": "logs", "mountPath": "/logs", "readOnly": false}]))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == `Deployment/web container "app" can write to the node's /var/log/app (volumeMount "logs" at /logs without readOnly: true)`
	f.location == t.at(array.concat(t.container_path, ["volumeMounts", 1, "readOnly"]))
}

test_points_at_the_name_when_read_only_is_missing if {
	[f] := [x | some x in rule.deny] with input as t.input_of(pod([{"name": "logs", "mountPath": "/logs"}]))
	f.location == t.at(array.concat(t.container_path, ["volumeMounts", 0, "name"]))
}

test_quiet_on_read_only_host_paths_and_other_volumes if {
	count(rule.deny) == 0 with input as t.input_of(pod([{"name": "logs", "mountPath": "/logs", "readOnly": true}, {"name": "tmp", "mountPath": "/tmp"}]))
}
