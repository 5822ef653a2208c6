package envgate.k8s.k8s015_sensitive_host_path_test

import data.envgate.k8s.k8s015_sensitive_host_path as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_on_the_docker_socket if {
	inp := t.input_of(t.deployment(object.union(t.hardened_pod_spec, {
		"volumes": [
			{"name": "cache", "emptyDir": {}},
			{"name": "docker", "hostPath": {"path": "/var/run/docker.sock", "type": "Socket"}},
		],
		"containers": [object.union(t.hardened_container, {"volumeMounts": [{"name": "docker", "mountPath": "/var/run/docker.sock"}]})],
	})))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == `Deployment/web mounts the node's /var/run/docker.sock (hostPath volume "docker", used by "app")`
	f.location == t.at(array.concat(t.pod_path, ["volumes", 1, "hostPath", "path"]))
	f.vars.volume_path == "spec.template.spec.volumes[1]"
}

test_fires_on_etc_with_a_trailing_slash_and_the_root if {
	inp := t.input_of(t.with_pod({"volumes": [{"name": "etc", "hostPath": {"path": "/etc/"}}, {"name": "root", "hostPath": {"path": "/"}}]}))
	{f.msg | some f in rule.deny with input as inp} == {
		`Deployment/web mounts the node's /etc/ (hostPath volume "etc")`,
		`Deployment/web mounts the node's / (hostPath volume "root")`,
	}
}

test_quiet_on_subdirectories_and_other_volumes if {
	inp := t.input_of(t.with_pod({"volumes": [
		{"name": "logs", "hostPath": {"path": "/var/log/pods"}},
		{"name": "certs", "hostPath": {"path": "/etc/ssl/certs"}},
		{"name": "sock", "hostPath": {"path": "/var/run/docker.sock.d"}},
		{"name": "config", "configMap": {"name": "web"}},
	]}))
	count(rule.deny) == 0 with input as inp
}
