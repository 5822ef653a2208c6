# METADATA
# title: Sensitive hostPath mount
# description: |
#   A hostPath volume mounts a directory of the node into the pod. Mounting the node's
#   root, /etc, /proc, /sys, /dev, /boot, /usr or /lib gives the container the node's
#   credentials, kernel knobs, devices or binaries to replace; the kubelet's directory
#   and /etc/kubernetes hold every pod's secrets and the cluster's keys; a writable
#   /var/log lets a container make the kubelet read any file of the node through a
#   symlink; mounting the container runtime's socket (docker.sock, containerd.sock,
#   crio.sock) lets it start a privileged container of its own, which is root on the
#   node.
#   Decision: the path is compared after removing trailing and repeated slashes, with
#   the lists of the pack data's `sensitive_host_paths`. Reported are: a sensitive
#   directory itself (`directories`: `/`, `/etc`, `/proc`, `/sys`, `/dev`, `/boot`,
#   `/usr`, `/lib`, `/lib64`, `/bin`, `/sbin`, `/run`, `/var/run`, `/var/log`); anything
#   inside a sensitive tree (`trees`: `/var/lib/kubelet` with the pods' secrets and the
#   kubelet's credentials, `/etc/kubernetes` with the cluster's PKI and kubeconfigs,
#   `/root`, `/var/lib/etcd`, and the runtimes' socket directories under `/run` and
#   `/var/run`); a parent of either (`/var`, `/var/lib`), which holds them; and any path
#   ending in a runtime socket (`docker.sock`, `containerd.sock`, `crio.sock`,
#   `cri-dockerd.sock`, `dockershim.sock`). Other subdirectories (`/var/log/pods`,
#   `/etc/ssl/certs`) are not reported. The message names the containers that mount
#   the volume, and for a parent the sensitive paths it holds.
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=sensitive-host-mounts
#     description: kube-linter sensitive-host-mounts
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=docker-sock
#     description: kube-linter docker-sock
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_27
# custom:
#   id: K8S015
#   severity: error
#   since: 1.0.0
#   reads: [kubernetes]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, remove the hostPath volume "{{ vars.volume }}" ({{ vars.volume_path }}) of {{ vars.workload }} and the volumeMounts that use it.
#     Give the pod what it needs another way: a ConfigMap or Secret for configuration, an emptyDir for scratch space, the Kubernetes API instead of the runtime socket.
package envgate.k8s.k8s015_sensitive_host_path

import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import data.envgate.k8s.lib_pods
import rego.v1

lists := object.get(data.pack_data, ["k8s", "sensitive_host_paths"], {})

directories := {path | some path in lib.list(lists.directories)}

trees := {path | some path in lib.list(lists.trees)}

sockets := {name | some name in lib.list(lists.sockets)}

# Why a normalized path is sensitive: {"reason": "directory" | "tree" | "socket" |
# "parent", "holds": the sensitive paths inside it (for a parent), "inside": the tree}.
sensitivity(path) := {"reason": "directory"} if {
	path in directories | trees
} else := {"reason": "tree", "inside": tree} if {
	tree := enclosing_tree(path)
	is_string(tree)  # holds for any defined value (L012)
} else := {"reason": "socket"} if {
	socket_path(path)
} else := {"reason": "parent", "holds": holds} if {
	inner := {p | some p in directories | trees; strictly_within(p, path)}
	count(inner) > 0
	# only the outermost of them: /var holds /var/run, not also /var/run/docker
	holds := sort({p | some p in inner; not nested(p, inner)})
}

# The sensitive tree a path lies inside, and whether it ends in a runtime socket's name:
# rules of their own, so that when their loops find nothing, sensitivity's next `else`
# is taken (unpatched regorus's VM returns nothing after a loop in a body followed by
# `else` matches nothing, lint L013).
enclosing_tree(path) := tree if {
	some tree in trees
	strictly_within(path, tree)
}

socket_path(path) if {
	some socket in sockets
	endswith(path, sprintf("/%s", [socket]))
}

strictly_within(path, parent) if {
	path != parent
	startswith(path, sprintf("%s/", [trim_suffix(parent, "/")]))
}

nested(p, paths) if {
	some other in paths
	strictly_within(p, other)
}

normalized(path) := "/" if {
	trim_right(path, "/") == ""
} else := trim_right(regex.replace(path, `/+`, "/"), "/")

deny contains finding if {
	some pod in lib_pods.pod_specs
	some i, volume in lib.list(pod.spec.volumes)
	is_object(volume)
	host_path := object.get(volume, ["hostPath", "path"], null)
	is_string(host_path)
	host_path != ""
	why := sensitivity(normalized(host_path))
	volume_name := lib.text(volume.name)
	users := sort({sprintf("%q", [lib.container_name(c)]) |
		some c in lib_containers.containers
		c.pod == pod
		some mount in lib.list(c.container.volumeMounts)
		is_object(mount)
		mount.name == volume_name
	})
	volume_path := array.concat(pod.path, ["volumes", i])
	finding := {
		"msg": sprintf("%s mounts the node's %s (hostPath volume %q%s)%s", [lib.label(pod), host_path, volume_name, used_by(users), explained(why)]),
		"location": {"file": pod.file, "document": pod.document, "path": array.concat(volume_path, ["hostPath", "path"])},
		"vars": object.union(pod.vars, {"volume": volume_name, "host_path": host_path, "volume_path": lib.dotted(volume_path), "reason": why.reason}),
	}
}

used_by([]) := ""

used_by(users) := sprintf(", used by %s", [concat(", ", users)]) if count(users) > 0

explained(why) := sprintf(", which holds %s", [concat(", ", why.holds)]) if why.reason == "parent"

explained(why) := sprintf(", inside %s", [why.inside]) if why.reason == "tree"

explained(why) := "" if why.reason in {"directory", "socket"}
