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

volumes_of(paths) := t.input_of(t.with_pod({"volumes": [{"name": sprintf("v%d", [i]), "hostPath": {"path": path}} | some i, path in paths]}))

test_fires_on_parents_of_sensitive_paths if {
	inp := volumes_of(["/var", "/var/lib/", "/run/"])
	{f.msg | some f in rule.deny with input as inp} == {
		`Deployment/web mounts the node's /var (hostPath volume "v0"), which holds /var/lib/etcd, /var/lib/kubelet, /var/log, /var/run`,
		`Deployment/web mounts the node's /var/lib/ (hostPath volume "v1"), which holds /var/lib/etcd, /var/lib/kubelet`,
		`Deployment/web mounts the node's /run/ (hostPath volume "v2")`,
	}
}

test_fires_inside_the_kubelet_kubernetes_and_root_trees if {
	inp := volumes_of(["/var/lib/kubelet", "/var/lib/kubelet/pods", "/etc/kubernetes/pki", "/root/.ssh", "//var//log"])
	{[f.msg, f.vars.reason] | some f in rule.deny with input as inp} == {
		[`Deployment/web mounts the node's /var/lib/kubelet (hostPath volume "v0")`, "directory"],
		[`Deployment/web mounts the node's /var/lib/kubelet/pods (hostPath volume "v1"), inside /var/lib/kubelet`, "tree"],
		[`Deployment/web mounts the node's /etc/kubernetes/pki (hostPath volume "v2"), inside /etc/kubernetes`, "tree"],
		[`Deployment/web mounts the node's /root/.ssh (hostPath volume "v3"), inside /root`, "tree"],
		[`Deployment/web mounts the node's //var//log (hostPath volume "v4")`, "directory"],
	}
}

test_fires_on_every_runtime_socket if {
	inp := volumes_of([
		"/run/containerd/containerd.sock",
		"/var/run/crio/crio.sock",
		"/var/run/cri-dockerd.sock",
		"/run/k3s/containerd/containerd.sock",
		"/var/run/containerd",
	])
	count(rule.deny) == 5 with input as inp
}

test_quiet_on_neighbours_of_sensitive_paths if {
	inp := volumes_of(["/var/lib/kubelet-plugins", "/etc/kubernetes-backup", "/rootfs", "/var/lib/rancher/data", "/opt/cni/bin", "/var/log/containers"])
	count(rule.deny) == 0 with input as inp
}
