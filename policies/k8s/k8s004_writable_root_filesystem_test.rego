package envgate.k8s.k8s004_writable_root_filesystem_test

import data.envgate.k8s.k8s004_writable_root_filesystem as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_when_false if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.with_container({"securityContext": {"readOnlyRootFilesystem": false}}))
	f.msg == `Deployment/web container "app" has a writable root filesystem (readOnlyRootFilesystem: false)`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "readOnlyRootFilesystem"]))
}

test_fires_when_unset if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.without_container(["securityContext/readOnlyRootFilesystem"]))
	f.msg == `Deployment/web container "app" has a writable root filesystem (readOnlyRootFilesystem is not set)`
	f.location == t.at(array.concat(t.container_path, ["securityContext", "readOnlyRootFilesystem"]))
}

test_quiet_when_true if {
	count(rule.deny) == 0 with input as t.input_of(t.deployment(t.hardened_pod_spec))
}

test_pod_level_value_is_not_inherited if {
	# readOnlyRootFilesystem does not exist at pod level: setting it there changes nothing
	inp := t.input_of(t.deployment(object.union(
		json.remove(t.hardened_pod_spec, ["containers"]),
		{"securityContext": {"readOnlyRootFilesystem": true}, "containers": [json.remove(t.hardened_container, ["securityContext/readOnlyRootFilesystem"])]},
	)))
	count(rule.deny) == 1 with input as inp
}
